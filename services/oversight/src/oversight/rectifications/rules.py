"""Rectification rules (第十九条, 第三十条) as pure functions."""
from __future__ import annotations

from datetime import date

from govkit.rules import Decision

# supervising departments check "each in its own duty".
DUTIES: dict[str, frozenset[str]] = {
    "resource_sharing": frozenset({"bdb"}),
    "tendering_procurement": frozenset({"finance", "bdb"}),
    "funds": frozenset({"finance"}),
    "network_security": frozenset({"cac", "police", "bdb"}),
    "mlps": frozenset({"police"}),
    "cryptography": frozenset({"crypto"}),
    "secrecy": frozenset({"secrecy"}),
    "incident": frozenset({"bdb", "finance", "approval_bureau"}),
    "other": frozenset({"bdb", "finance", "approval_bureau", "cac", "crypto", "secrecy", "police"}),
}
ORDERING_ROLES = ("bdb", "finance", "approval_bureau", "cac", "crypto", "secrecy", "police")


def within_duty(area: str | None, roles: frozenset[str]) -> Decision:
    allowed = DUTIES.get(area or "other", DUTIES["other"])
    if roles & allowed:
        return Decision("R-30.1", "pass", "在职责范围内")
    return Decision("R-30.1", "fail", f"该事项（{area}）不属于本部门监督职责，无权下达整改（第三十条）",
                    {"allowed": sorted(allowed)})


def deadline_ok(deadline: date, today: date) -> Decision:
    if deadline < today:
        return Decision("R-30.1", "fail", "整改期限不能早于今天（第三十条）")
    return Decision("R-30.1", "pass", "整改期限有效")


def is_overdue(deadline: date, status: str, as_of: date) -> bool:
    """Open past its deadline: on the deadline day it is not yet overdue."""
    return status == "open" and as_of > deadline


def ordering_role(roles: frozenset[str]) -> str:
    return next(r for r in ORDERING_ROLES if r in roles)
