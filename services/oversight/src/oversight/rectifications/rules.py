"""Rectification rules (第十九条, 第三十条) as pure functions."""

from __future__ import annotations

from datetime import date

from govkit.rules import Decision

# supervising departments check "each in its own duty" (按照职责分工): the order names its
# duty area and the ordering department must hold it. bdb and bdc: resource pooling and data
# sharing; finance: procurement and funds; approval_bureau: procurement; cac, police, crypto,
# secrecy: their security fields.: after a serious delay or major loss, bdb with finance and
# approval_bureau may order rectification (an order tied to the incident).
DUTIES: dict[str, frozenset[str]] = {
    "resource_sharing": frozenset({"bdb", "bdc"}),
    "tendering_procurement": frozenset({"finance", "approval_bureau"}),
    "funds": frozenset({"finance"}),
    "network_security": frozenset({"cac"}),
    "mlps": frozenset({"police"}),
    "cryptography": frozenset({"crypto"}),
    "secrecy": frozenset({"secrecy"}),
    "incident": frozenset({"bdb", "finance", "approval_bureau"}),
}
AREA_NAME = {
    "resource_sharing": "资源集约和数据共享",
    "tendering_procurement": "招标采购",
    "funds": "资金使用",
    "network_security": "网络安全和数据安全",
    "mlps": "网络安全等级保护",
    "cryptography": "密码应用",
    "secrecy": "保密",
    "incident": "工程严重逾期、投资重大损失",
}
ROLE_NAME = {
    "bdb": "市大数据管理局",
    "bdc": "市大数据管理中心",
    "finance": "市财政局",
    "approval_bureau": "市行政审批局",
    "cac": "市委网信办",
    "police": "市公安局",
    "crypto": "市国家密码管理局",
    "secrecy": "市国家保密局",
}
ORDERING_ROLES = ("bdb", "bdc", "finance", "approval_bureau", "cac", "crypto", "secrecy", "police")


def within_duty(area: str, roles: frozenset[str]) -> Decision:
    """R-30.1 (第三十条): the ordering department must hold the order's duty area."""
    rule = "R-19.1" if area == "incident" else "R-30.1"
    allowed = DUTIES.get(area, frozenset())
    if roles & allowed:
        return Decision(rule, "pass", f"{AREA_NAME.get(area, area)}属本部门监督职责")
    names = "、".join(ROLE_NAME[r] for r in ORDERING_ROLES if r in allowed)
    return Decision(
        rule,
        "fail",
        f"“{AREA_NAME.get(area, area)}”不属于本部门的监督职责，"
        f"应由{names}按职责分工下达整改（{'第十九条' if rule == 'R-19.1' else '第三十条'}）",
        {"area": area, "allowed": sorted(allowed)},
    )


def ordering_role(area: str, roles: frozenset[str]) -> str:
    """The role in which the department orders: the first of its roles that holds the area."""
    allowed = DUTIES.get(area, frozenset())
    return next(
        (r for r in ORDERING_ROLES if r in roles and r in allowed), next(r for r in ORDERING_ROLES if r in roles)
    )


def deadline_ok(deadline: date, today: date) -> Decision:
    if deadline < today:
        return Decision("R-30.1", "fail", "整改期限不能早于今天（第三十条）")
    return Decision("R-30.1", "pass", "整改期限有效")


def is_overdue(deadline: date, status: str, as_of: date) -> bool:
    """Open past its deadline: on the deadline day it is not yet overdue."""
    return status in ("open", "non_compliant") and as_of > deadline


def can_answer(status: str) -> Decision:
    """R-30.1: the unit answers an open order (or answers again after a non-compliant verification)."""
    if status in ("open", "non_compliant"):
        return Decision("R-30.1", "pass", "可报送整改情况")
    if status == "answered":
        return Decision("R-30.1", "fail", "整改情况已报送，待下达整改的部门核查（第三十条）")
    return Decision("R-30.1", "fail", "整改已经核查办结（第三十条）")


def can_verify(status: str, ordered_by: str, roles: frozenset[str]) -> Decision:
    """R-30.1: the ordering department verifies the unit's answer."""
    if ordered_by not in roles:
        return Decision(
            "R-30.1",
            "fail",
            f"整改情况由下达整改的部门（{ROLE_NAME.get(ordered_by, ordered_by)}）核查（第三十条）",
            {"required_role": ordered_by},
        )
    if status != "answered":
        return Decision(
            "R-30.1",
            "fail",
            "项目建设单位尚未报送整改情况，无从核查（第三十条）"
            if status in ("open", "non_compliant")
            else "整改已经核查办结（第三十条）",
            {"status": status},
        )
    return Decision("R-30.1", "pass", "核查整改情况")


def ladder_opening(*, status: str, deadline: date, answered_on: date | None, as_of: date) -> Decision:
    """R-30.2 (第三十条): "逾期不整改或整改后仍不符合要求的" — only an order that is overdue, or whose
    answer was verified as still non-compliant, opens the sanctions ladder.

    Our reading (basis practice): an order verified as closed opens nothing, even if answered late;
    an answer given after the deadline leaves the order overdue until it is verified; an answer
    given by the deadline and awaiting verification does not open the ladder."""
    if status == "closed":
        return Decision("R-30.2", "fail", "该整改已经核查合格办结，不得据此给予处理（第三十条）", {"status": status})
    if status == "non_compliant":
        return Decision("R-30.2", "pass", "整改后经核查仍不符合要求（第三十条）", {"opened_by": "non_compliant"})
    late = (answered_on is not None and answered_on > deadline) or (answered_on is None and as_of > deadline)
    if late:
        return Decision(
            "R-30.2",
            "pass",
            f"逾期未整改（整改期限{deadline.isoformat()}，第三十条）",
            {"opened_by": "overdue", "basis": "practice" if answered_on is not None else "text"},
        )
    if status == "answered":
        return Decision("R-30.2", "fail", "整改情况已按期报送、尚待核查，不得给予处理（第三十条）", {"status": status})
    return Decision(
        "R-30.2",
        "fail",
        f"整改尚在期限内（至{deadline.isoformat()}），逾期不整改或整改后仍不符合要求的方可给予处理（第三十条）",
        {"status": status, "deadline": deadline.isoformat()},
    )
