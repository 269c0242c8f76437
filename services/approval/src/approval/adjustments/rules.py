"""R-20.1 with X-20.1: when a unit may adjust an approved project itself (pure function)."""
from __future__ import annotations

from decimal import Decimal

from govkit.policy import Policy
from govkit.rules import violation

SELF_ADJUSTMENT_REASONS = {"deployment": "国家、省、市部署要求", "technical": "优化完善技术方案",
                           "business": "批复框架内的业务需求"}


def self_adjustment_violations(*, policy: Policy, original_total: Decimal, prior_moved: Decimal,
                               amount_moved: Decimal, new_total: Decimal, goals_changed: bool,
                               reason_kind: str) -> list[dict]:
    """Every unmet condition of a self-adjustment; empty → the unit may adjust and file.
    The limit is counted cumulatively against the originally approved total (X-20.1);
    exactly the limit is allowed."""
    out: list[dict] = []
    if new_total > original_total:
        out.append(violation("R-20.1", f"调整后总投资 {new_total} 元超出批复概算 {original_total} 元（第二十条）"))
    if goals_changed:
        out.append(violation("R-20.1", "建设目标发生变化（第二十条）"))
    limit = original_total * policy.self_adjustment_limit
    pct = f"{(policy.self_adjustment_limit * 100).normalize():f}%"
    if amount_moved > limit:
        out.append(violation("R-20.1", f"本次调整金额 {amount_moved} 元超过批复总投资的{pct}（{limit.normalize():f} 元）（第二十条）"))
    elif prior_moved + amount_moved > limit:
        out.append(violation("X-20.1", f"累计调整金额 {prior_moved + amount_moved} 元超过原批复总投资的{pct}"
                             f"（{limit.normalize():f} 元），按累计计算（第二十条）"))
    if reason_kind not in SELF_ADJUSTMENT_REASONS:
        out.append(violation("R-20.1", "调整原因不属于部署要求、技术方案优化或批复框架内业务需求（第二十条）"))
    return out
