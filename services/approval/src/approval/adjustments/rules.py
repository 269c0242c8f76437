"""R-20.1 with X-20.1 and R-20.2: when a unit may adjust an approved project itself, what the
adjustment moves, and what a re-approval needs (pure functions)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from govkit.policy import Policy
from govkit.rules import violation

SELF_ADJUSTMENT_REASONS = {
    "deployment": "国家、省、市部署要求",
    "technical": "优化完善技术方案",
    "business": "批复框架内的业务需求",
}


def _by_name(items: Iterable[Mapping]) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for item in items:
        name = " ".join(str(item["name"]).split())
        out[name] = out.get(name, Decimal("0")) + Decimal(item["amount"])
    return out


def movement(items_before: Iterable[Mapping], items_after: Iterable[Mapping]) -> dict:
    """How money_moved() was computed, shown beside the result (the formula is our reading of
    "调整金额", basis practice)."""
    before, after = _by_name(items_before), _by_name(items_after)
    gained = sum(
        (
            max(after.get(n, Decimal("0")) - before.get(n, Decimal("0")), Decimal("0"))
            for n in before.keys() | after.keys()
        ),
        Decimal("0"),
    )
    lost = sum(
        (
            max(before.get(n, Decimal("0")) - after.get(n, Decimal("0")), Decimal("0"))
            for n in before.keys() | after.keys()
        ),
        Decimal("0"),
    )
    return {
        "rule": "R-20.1",
        "basis": "practice",
        "increased": str(gained),
        "decreased": str(lost),
        "amount_moved": str(max(gained, lost)),
        "message": "调整金额由调整前后建设内容逐项比对计算，取调增合计与调减合计中的较大者（第二十条）",
    }


def money_moved(items_before: Iterable[Mapping], items_after: Iterable[Mapping]) -> Decimal:
    """R-20.1: the money an adjustment moves, computed from the contents before and after (line
    items with amounts, matched by name), never taken from the unit's word. It is the larger of
    what the items gained and what they lost: moving 100,000 from one item to another moves
    100,000; cutting the total from 1,000,000 to 500,000 moves 500,000 (a cut is a change of
    contents too); a new item counts as gained, a dropped one as lost."""
    before, after = _by_name(items_before), _by_name(items_after)
    gained = lost = Decimal("0")
    for name in before.keys() | after.keys():
        delta = after.get(name, Decimal("0")) - before.get(name, Decimal("0"))
        if delta > 0:
            gained += delta
        else:
            lost -= delta
    return max(gained, lost)


def contents_total(items: Iterable[Mapping]) -> Decimal:
    return sum((Decimal(i["amount"]) for i in items), Decimal("0"))


def before_contents_violations(
    items_before: Iterable[Mapping], approved_total: Decimal, last_contents: Iterable[Mapping] | None
) -> list[dict]:
    """The contents before an adjustment are what the project carries now: they add up to the
    approved total in force, and once an adjustment has recorded contents, they are those very
    contents (our reading of R-20.1's "computed by the system", basis practice: otherwise a unit
    could restate its starting point each time)."""
    items_before = list(items_before)
    out = []
    total = contents_total(items_before)
    if total != approved_total:
        out.append(
            violation(
                "R-20.1",
                f"调整前建设内容合计 {total} 元与现批复总投资 {approved_total} 元不符（第二十条）",
                basis="practice",
                field="items_before",
            )
        )
    if last_contents is not None and _by_name(items_before) != _by_name(last_contents):
        out.append(
            violation(
                "R-20.1",
                "调整前建设内容与上次调整后备案的建设内容不一致（第二十条）",
                basis="practice",
                field="items_before",
            )
        )
    return out


def self_adjustment_violations(
    *,
    policy: Policy,
    original_total: Decimal,
    prior_moved: Decimal,
    amount_moved: Decimal,
    new_total: Decimal,
    goals_changed: bool,
    reason_kind: str,
) -> list[dict]:
    """Every unmet condition of a self-adjustment (R-20.1); empty → the unit may adjust and file.
    The limit is counted cumulatively against the approved total of the latest approval (X-20.1);
    exactly the limit is allowed."""
    out: list[dict] = []
    if new_total > original_total:
        out.append(violation("R-20.1", f"调整后总投资 {new_total} 元超出批复概算 {original_total} 元（第二十条）"))
    if goals_changed:
        out.append(violation("R-20.1", "建设目标发生变化（第二十条）"))
    limit = original_total * policy.self_adjustment_limit
    pct = f"{(policy.self_adjustment_limit * 100).normalize():f}%"
    if amount_moved > limit:
        out.append(
            violation(
                "R-20.1", f"本次调整金额 {amount_moved} 元超过批复总投资的{pct}（{limit.normalize():f} 元）（第二十条）"
            )
        )
    elif prior_moved + amount_moved > limit:
        out.append(
            violation(
                "X-20.1",
                f"累计调整金额 {prior_moved + amount_moved} 元超过原批复总投资的{pct}"
                f"（{limit.normalize():f} 元），按累计计算（第二十条）",
            )
        )
    if reason_kind not in SELF_ADJUSTMENT_REASONS:
        out.append(violation("R-20.1", "调整原因不属于部署要求、技术方案优化或批复框架内业务需求（第二十条）"))
    return out


def reapproval_prerequisites(
    *,
    technical_opinion: bool,
    approved: Decimal,
    adjusted_total: Decimal,
    leading_group_approved: bool,
    reviewed: Decimal | None,
    policy: Policy,
    reapproval_reviewed: Decimal | None = None,
) -> list[dict]:
    """R-20.2: the adjusted plan is approved again with bdb's technical review opinion and an
    approval document; the re-approved investment is within the adjusted plan's total. Thresholds
    are judged on that amount (R-11.2, R-25.1): reaching the leading-group threshold needs the
    leading group's approval of the project; reaching the review threshold needs finance's
    estimate review covering the amount (a re-approved sum above the reviewed one needs a new review)."""
    if reapproval_reviewed is not None:
        reviewed = reapproval_reviewed
    out = []
    if not technical_opinion:
        out.append(violation("R-20.2", "调整方案尚未出具市大数据管理局技术审查意见（第二十条）"))
    if approved > adjusted_total:
        out.append(violation("R-20.2", f"重新批复投资 {approved} 元超过调整方案总投资 {adjusted_total} 元（第二十条）"))
    if approved >= policy.leading_group_threshold and not leading_group_approved:
        out.append(
            violation(
                "R-11.2",
                f"重新批复投资 {approved} 元达到领导小组审定标准，须先经“数字盐城”建设领导小组审定（第十一条）",
            )
        )
    if reapproval_reviewed is not None and approved != reapproval_reviewed:
        out.append(
            violation("R-25.1", f"重新批复投资须为调整方案的概算评审金额 {reapproval_reviewed} 元（第二十五条）")
        )
    elif approved >= policy.estimate_review_threshold and (reviewed is None or approved > reviewed):
        out.append(
            violation(
                "R-25.1",
                f"重新批复投资 {approved} 元须经财政局概算评审"
                + (f"（已评审金额 {reviewed} 元）" if reviewed is not None else "")
                + "（第二十五条）",
            )
        )
    return out
