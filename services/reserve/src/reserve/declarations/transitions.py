"""The legal (from, to) status changes of a declaration; anything else is a 409."""

from __future__ import annotations

from govkit.errors import Problem

STATUS_ZH = {
    "draft": "草稿",
    "submitted": "已申报",
    "awaiting_consultation": "待三部门会商",
    "admitted": "已入库",
    "refused": "未入库",
    "withdrawn": "已撤回",
    "emergency": "应急项目",
}

TRANSITIONS: dict[tuple[str, str], str] = {
    ("draft", "submitted"): "submit",
    ("draft", "awaiting_consultation"): "request_special_addition",
    ("draft", "withdrawn"): "withdraw",
    ("submitted", "admitted"): "admit",
    ("submitted", "refused"): "refuse",
    ("submitted", "withdrawn"): "withdraw",
    ("submitted", "awaiting_consultation"): "supplement_consultation",
    ("awaiting_consultation", "admitted"): "admit",
    ("awaiting_consultation", "refused"): "refuse",
    ("awaiting_consultation", "withdrawn"): "withdraw",
}
TERMINAL = {"admitted", "refused", "withdrawn", "emergency"}


def ensure(current: str, target: str, rule: str, action_zh: str, only_from: set[str] | None = None) -> None:
    if (current, target) not in TRANSITIONS or (only_from is not None and current not in only_from):
        raise Problem(
            409,
            f"申报当前状态为“{STATUS_ZH.get(current, current)}”，不能{action_zh}（{_article(rule)}）",
            rule=rule,
            status_now=current,
        )


def _article(rule: str) -> str:
    from govkit.rules import article_of

    return article_of(rule)
