"""R-4.1 (第四条, pure): the leading group approves (审定) the overall plan; the plan is a versioned
document; a declaration may name the plan item it serves."""

from __future__ import annotations

from collections.abc import Sequence

from govkit.rules import Decision


def check_items(items: Sequence[dict]) -> list[Decision]:
    """A plan's items each have a code, unique within the version."""
    codes = [i.get("code") for i in items]
    dup = sorted({c for c in codes if codes.count(c) > 1})
    if dup:
        return [Decision("R-4.1", "fail", f"总体规划条目编号重复：{'、'.join(dup)}（第四条）", {"field": "items"})]
    return [Decision("R-4.1", "pass", f"总体规划条目 {len(items)} 项")]


def check_period(period_from: int, period_to: int) -> Decision:
    if period_to < period_from:
        return Decision("R-4.1", "fail", "规划期末年份不得早于起始年份（第四条）", {"field": "period_to"})
    return Decision("R-4.1", "pass", f"规划期 {period_from}–{period_to} 年")


def check_decidable(status: str) -> Decision:
    """Only a draft is approved or rejected by the leading group; an approved version is never edited."""
    if status != "draft":
        zh = {"approved": "已审定", "rejected": "未通过审定", "superseded": "已被新版本取代"}.get(status, status)
        return Decision(
            "R-4.1", "fail", f"该总体规划版本{zh}，不能再作审定决定；修改请另拟新版本（第四条）", {"status": status}
        )
    return Decision("R-4.1", "pass", "待领导小组审定")


def check_plan_item(approved_version_no: int | None, item_codes: Sequence[str], code: str) -> Decision:
    """A declaration's plan item is an item of the approved plan in force (R-4.1)."""
    if approved_version_no is None:
        return Decision(
            "R-4.1", "fail", "尚无经领导小组审定的总体规划，不能填写规划条目（第四条）", {"field": "plan_item"}
        )
    if code not in set(item_codes):
        return Decision(
            "R-4.1",
            "fail",
            f"规划条目“{code}”不在现行总体规划（第 {approved_version_no} 版）中（第四条）",
            {"field": "plan_item", "plan_version_no": approved_version_no},
        )
    return Decision(
        "R-4.1",
        "pass",
        f"服务于总体规划（第 {approved_version_no} 版）条目 {code}",
        {"plan_version_no": approved_version_no},
    )
