"""The legal (from, to) status changes of an application; anything else is refused."""

from __future__ import annotations

from govkit.errors import Problem

OPEN, UNDER_REVIEW, APPROVED, REJECTED = "open", "under_review", "approved", "rejected"

TRANSITIONS: dict[tuple[str, str], str] = {
    (OPEN, UNDER_REVIEW): "submit",
    (UNDER_REVIEW, OPEN): "return_for_revision",
    (UNDER_REVIEW, APPROVED): "approve",
    (UNDER_REVIEW, REJECTED): "reject",
}

STATUS_ZH = {OPEN: "待提交", UNDER_REVIEW: "审查中", APPROVED: "已批复", REJECTED: "已否决"}


def ensure_transition(current: str, target: str, rule: str = "R-10.1") -> None:
    if (current, target) not in TRANSITIONS:
        raise Problem(
            409,
            f"申请当前状态为“{STATUS_ZH.get(current, current)}”，不能变为“{STATUS_ZH.get(target, target)}”",
            rule=rule,
            status_now=current,
        )


def ensure_status(current: str, allowed: tuple[str, ...], action: str, rule: str = "R-10.1") -> None:
    if current not in allowed:
        raise Problem(
            409, f"申请当前状态为“{STATUS_ZH.get(current, current)}”，不能{action}", rule=rule, status_now=current
        )
