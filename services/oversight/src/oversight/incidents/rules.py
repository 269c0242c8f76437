"""R-19.1: who receives an incident report."""

from __future__ import annotations

from govkit.rules import Decision

ROUTED_TO = ("bdb", "finance")
COPIED_TO = ("approval_bureau",)


def routing(kind: str) -> Decision:
    """A serious delay or major loss goes at once to bdb and finance, copied to approval_bureau."""
    return Decision(
        "R-19.1",
        "pass",
        "重大延误或重大投资损失，即报市大数据管理局、市财政局，抄送市行政审批局（第十九条）",
        {"routed_to": list(ROUTED_TO), "copied_to": list(COPIED_TO), "kind": kind},
    )


def may_read(roles: frozenset[str]) -> bool:
    return bool(roles & (set(ROUTED_TO) | set(COPIED_TO) | {"admin", "bdc"}))
