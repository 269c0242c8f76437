"""The sanctions ladder (R-30.2) as pure functions."""

from __future__ import annotations

from collections.abc import Iterable

from govkit.rules import Decision

LADDER = ("criticism", "defer_investment", "suspend", "terminate")
LABELS = {
    "criticism": "通报批评",
    "defer_investment": "暂缓安排投资计划",
    "suspend": "暂停项目建设",
    "terminate": "终止项目",
}


def next_step(applied: Iterable[str]) -> str | None:
    """The next rung above the highest sanction already applied (None: nothing above terminate)."""
    ranks = [LADDER.index(level) for level in applied if level in LADDER]
    top = max(ranks, default=-1)
    return LADDER[top + 1] if top + 1 < len(LADDER) else None


def check_sanction(level: str, standing: str) -> Decision:
    if standing == "terminated":
        return Decision("R-30.2", "fail", "项目已终止，不能再施以处理（第三十条）")
    if level == "suspend" and standing == "suspended":
        return Decision("R-30.2", "fail", "项目已暂停建设（第三十条）")
    return Decision("R-30.2", "pass", f"{LABELS[level]}（第三十条）")


def check_resume(standing: str) -> Decision:
    if standing != "suspended":
        return Decision("R-30.2", "fail", "项目未处于暂停状态，无需恢复（第三十条）")
    return Decision("R-30.2", "pass", "恢复项目建设")


def standing_after(level: str, standing: str) -> str:
    if level == "terminate":
        return "terminated"
    if level == "suspend":
        return "suspended"
    return standing


def skipped(applied: Iterable[str], level: str) -> list[str]:
    """Rungs jumped over by applying `level` now."""
    expected = next_step(applied)
    if expected is None or level not in LADDER:
        return []
    return list(LADDER[LADDER.index(expected) : LADDER.index(level)])


def check_rung(applied: Iterable[str], level: str, escalate_to: str | None) -> Decision:
    """R-30.2 (第三十条): "通报批评、暂缓安排投资计划、暂停项目建设直至终止项目" — a ladder, climbed one
    rung at a time: the rung applied may not be above the next one, unless the rectification order
    said otherwise (its `escalate_to`, with the basis recorded, e.g. R-19.1 lets the bureaus suspend
    construction at once after a serious delay). A lower rung than the next is always allowed.
    Reading of "one rung at a time" over the project's whole history: basis practice."""
    applied = list(applied)
    expected = next_step(applied)
    ceiling = expected
    if escalate_to in LADDER and (ceiling is None or LADDER.index(escalate_to) > LADDER.index(ceiling)):
        ceiling = escalate_to
    if ceiling is None or LADDER.index(level) <= LADDER.index(ceiling):
        return Decision(
            "R-30.2",
            "pass",
            f"{LABELS[level]}（第三十条）",
            {"expected_step": expected, "skipped_rungs": skipped(applied, level), "basis": "practice"},
        )
    return Decision(
        "R-30.2",
        "fail",
        f"处理须逐级进行：下一级为“{LABELS[expected]}”，整改通知未载明可直接{LABELS[level]}（第三十条）",
        {"expected_step": expected, "requested": level, "basis": "practice"},
    )
