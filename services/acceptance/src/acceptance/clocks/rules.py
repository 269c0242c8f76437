"""X-30.1 (our reading of 第二十一条, 第二十四条, 第十六条): every open obligation of acceptance has a
clock, pushed to the party that must act before it runs out and when past due. Pure functions: which
clocks a project has on a day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from govkit.clock import deadline_phase


@dataclass(frozen=True)
class Clock:
    clock: str
    phase: str  # approaching | overdue
    role: str
    org: str | None
    due_on: date
    ref: str
    rule: str
    message: str
    basis: str = "practice"


@dataclass(frozen=True)
class ProjectFacts:
    org: str | None
    stage: str
    status: str
    due_on: date | None
    self_evaluation_opens_on: date | None
    self_evaluation_closes_on: date | None
    self_evaluated: bool
    warranty_ends_on: date | None


def acceptance_clocks(p: ProjectFacts, as_of: date, lead_days: int) -> list[Clock]:
    """The unit's clocks: the acceptance due date (R-21.5), the self-evaluation window (R-24.1) and
    the warranty end (R-16.1)."""
    if p.status == "terminated":
        return []
    out: list[Clock] = []
    if p.stage != "final_accepted" and p.due_on is not None:
        phase = deadline_phase(p.due_on, as_of, lead_days)
        if phase:
            msg = (
                f"项目应于{p.due_on.isoformat()}前完成竣工验收；不能按期验收的，应向市大数据管理局申请延期（第二十一条）"
                if phase == "approaching"
                else (
                    f"项目已超过验收期限{p.due_on.isoformat()}，未完成竣工验收，"
                    "请向市大数据管理局申请延期（第二十一条）"
                )
            )
            out.append(Clock("acceptance_due", phase, "unit", p.org, p.due_on, p.due_on.isoformat(), "R-21.5", msg))
    if (
        p.stage == "final_accepted"
        and not p.self_evaluated
        and p.self_evaluation_opens_on
        and p.self_evaluation_closes_on
        and as_of >= p.self_evaluation_opens_on
    ):
        closes = p.self_evaluation_closes_on
        phase = "overdue" if as_of > closes else "approaching"
        msg = (
            f"自评价期间已开始，请于{closes.isoformat()}前将自评价报告报送市大数据管理局、市财政局（第二十四条）"
            if phase == "approaching"
            else f"自评价已逾期（应于{closes.isoformat()}前报送，第二十四条）"
        )
        out.append(Clock("self_evaluation", phase, "unit", p.org, closes, closes.isoformat(), "R-24.1", msg))
    if p.warranty_ends_on is not None:
        phase = deadline_phase(p.warranty_ends_on, as_of, lead_days)
        if phase:
            end = p.warranty_ends_on.isoformat()
            msg = (
                f"承建单位质保期将于{end}届满，请在届满前组织质保问题的整改与核查（第十六条）"
                if phase == "approaching"
                else f"承建单位质保期已于{end}届满（第十六条）"
            )
            out.append(Clock("warranty_end", phase, "unit", p.org, p.warranty_ends_on, end, "R-16.1", msg))
    return out


def commission_clock(
    commission_id: str, evaluator_org: str, due_on: date, filed: bool, as_of: date, lead_days: int
) -> Clock | None:
    """R-24.2: the commissioned third party's due date."""
    if filed:
        return None
    phase = deadline_phase(due_on, as_of, lead_days)
    if phase is None:
        return None
    msg = (
        f"受托后评价应于{due_on.isoformat()}前完成（第二十四条）"
        if phase == "approaching"
        else f"受托后评价已逾期（应于{due_on.isoformat()}前完成，第二十四条）"
    )
    return Clock("post_evaluation", phase, "third_party", evaluator_org, due_on, commission_id, "R-24.2", msg)
