"""Status at a glance (the US IT Dashboard idea): green / amber / red with the reasons, as a pure
function of the read-model row and a date. Thresholds are ours ("basis": "practice"), the same
bands as the IT Dashboard's cost and schedule variance (< 10 % green, 10–30 % amber, ≥ 30 % red)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from govkit.rules import article_of, basis_of

from ..supervision import rules as clock_rules

AMBER_PCT = Decimal("10")
RED_PCT = Decimal("30")
LEVELS = {"green": 0, "amber": 1, "red": 2}


@dataclass(frozen=True)
class Reason:
    level: str  # amber | red
    metric: str
    message: str
    rule: str | None = None

    def as_dict(self) -> dict:
        out = {"level": self.level, "metric": self.metric, "message": self.message}
        if self.rule:
            out.update(rule=self.rule, article=article_of(self.rule), basis=basis_of(self.rule))
        else:
            out["basis"] = "practice"
        return out


def _band(pct: Decimal) -> str | None:
    if pct >= RED_PCT:
        return "red"
    if pct >= AMBER_PCT:
        return "amber"
    return None


def cost_variance_pct(approved: Decimal | None, spent: Decimal, progress_pct: int | None) -> Decimal | None:
    """Spending ahead of the work done, as a share of the approved investment (percentage points)."""
    if not approved:
        return None
    earned = approved * Decimal(progress_pct or 0) / 100
    return ((spent - earned) / approved * 100).quantize(Decimal("0.1"))


def schedule_variance_pct(
    approved_on: date | None, planned: date | None, progress_pct: int | None, as_of: date
) -> Decimal | None:
    """Time elapsed minus progress reported (percentage points); None without a planned completion."""
    if approved_on is None or planned is None or planned <= approved_on:
        return None
    elapsed = min(Decimal((as_of - approved_on).days) / Decimal((planned - approved_on).days), Decimal(1)) * 100
    return (max(elapsed, Decimal(0)) - Decimal(progress_pct or 0)).quantize(Decimal("0.1"))


# Every field of the read-model row that `rate` reads (an export reads only these and its own).
FIELDS = (
    "terminated",
    "suspended",
    "open_rectifications",
    "approved_on",
    "reported_quarters",
    "final_accepted_on",
    "jurisdiction",
    "declared_on",
    "paid_total",
    "funds_used_total",
    "approved_investment",
    "development_progress_pct",
    "planned_completion_on",
    "funds_mismatch",
    "findings",
)


def rate(v, as_of: date) -> tuple[str, list[dict], dict]:
    """(rating, reasons, metrics) of a ProjectView-like object on `as_of`."""
    reasons: list[Reason] = []
    metrics: dict = {}
    if v.terminated:
        reasons.append(Reason("red", "sanction", "项目已终止（第三十条）", "R-30.2"))
    elif v.suspended:
        reasons.append(Reason("red", "sanction", "项目暂停建设（第三十条）", "R-30.2"))
    open_orders = v.open_rectifications or {}
    late = [rid for rid, d in open_orders.items() if as_of > date.fromisoformat(d)]
    if late:
        reasons.append(Reason("red", "rectification", f"{len(late)} 项整改逾期未完成（第三十条）", "R-30.2"))
    elif open_orders:
        reasons.append(Reason("amber", "rectification", f"{len(open_orders)} 项整改尚在期限内（第三十条）", "R-30.1"))
    if v.approved_on is not None and not v.terminated:
        reported = set()
        for key in v.reported_quarters or []:
            y, q = key.split("-Q")
            reported.add((int(y), int(q)))
        window = clock_rules.reporting_window(v.approved_on, v.final_accepted_on)
        missing = clock_rules.overdue_quarters(window, reported, as_of, v.jurisdiction or "city", v.declared_on)
        metrics["overdue_reports"] = len(missing)
        if missing:
            level = "red" if len(missing) >= 2 else "amber"
            reasons.append(Reason(level, "reports", f"{len(missing)} 个季度进展逾期未报（第十八条）", "R-18.1"))
    spent = max(v.paid_total or Decimal(0), v.funds_used_total or Decimal(0))
    cv = cost_variance_pct(v.approved_investment, spent, v.development_progress_pct)
    metrics["cost_variance_pct"] = None if cv is None else str(cv)
    if v.approved_investment and spent > v.approved_investment:
        reasons.append(Reason("red", "cost", "资金使用超出批复投资", None))
    elif cv is not None and _band(cv):
        reasons.append(Reason(_band(cv), "cost", f"资金使用领先于完成进度 {cv} 个百分点", None))
    if v.final_accepted_on is None and not v.terminated:
        sv = schedule_variance_pct(v.approved_on, v.planned_completion_on, v.development_progress_pct, as_of)
        metrics["schedule_variance_pct"] = None if sv is None else str(sv)
        if sv is not None and _band(sv):
            reasons.append(Reason(_band(sv), "schedule", f"进度落后于计划 {sv} 个百分点", None))
    if v.funds_mismatch:
        reasons.append(Reason("amber", "funds", "报送资金与支付台账不一致（第三十条）", "R-30.1"))
    if v.findings:
        reasons.append(Reason("amber", "findings", f"{v.findings} 项监督发现（第二十九条、第三十条）", "R-29.1"))
    rating = max((r.level for r in reasons), key=LEVELS.__getitem__, default="green")
    return rating, [r.as_dict() for r in reasons], metrics
