"""R-25.1: a project of the threshold or more (inclusive) needs finance's estimate review."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from govkit.money import fmt
from govkit.policy import Policy
from govkit.rules import Decision


def estimate_review_required(amount: Decimal, policy: Policy) -> Decision:
    """`flag` = a review is required; `pass` = below the threshold, none needed."""
    threshold = policy.estimate_review_threshold
    if amount >= threshold:
        return Decision(
            "R-25.1",
            "flag",
            f"估算投资 {fmt(amount)} 元，达到 {fmt(threshold)} 元（含），须经市财政局概算评审（第二十五条）",
            {"threshold": fmt(threshold), "required": True},
        )
    return Decision(
        "R-25.1",
        "pass",
        f"估算投资 {fmt(amount)} 元，低于 {fmt(threshold)} 元，无需概算评审（第二十五条）",
        {"threshold": fmt(threshold), "required": False},
    )


def review_due_on(opened_on: date, due_days: int) -> date:
    return opened_on + timedelta(days=due_days)


def is_overdue(status: str, due_on: date, as_of: date) -> bool:
    return status == "open" and as_of > due_on


def highest_amount(
    declared: Decimal | None, reviewed: Decimal | None, approved: Decimal | None
) -> tuple[Decimal | None, str | None]:
    """R-25.1 / R-26.1: thresholds are judged on the highest amount the project carries — declared
    estimate, reviewed estimate, approved investment (after adjustments). Ties name the later step."""
    best: tuple[Decimal | None, str | None] = (None, None)
    for amount, basis in ((declared, "declared"), (reviewed, "reviewed"), (approved, "approved")):
        if amount is not None and (best[0] is None or amount >= best[0]):
            best = (amount, basis)
    return best
