"""The legal (stage, step) → stage table of R-21.1, per path. Anything else is refused."""

from __future__ import annotations

from govkit.rules import Decision

from .rules import CLASSIFIED, MERGED, ON_BEHALF, PATH_RULE, STANDARD, STEP_NAME

STAGES = ("construction", "preliminary_accepted", "trial_operation", "final_applied", "final_accepted")
STAGE_NAME = {
    "construction": "建设中",
    "preliminary_accepted": "已初验",
    "trial_operation": "试运行",
    "final_applied": "已申请终验",
    "final_accepted": "已终验",
}

ALL = frozenset({STANDARD, MERGED, CLASSIFIED, ON_BEHALF})
# (from stage, step) → (to stage, paths for which the move is legal)
TRANSITIONS: dict[tuple[str, str], tuple[str, frozenset[str]]] = {
    ("construction", "preliminary"): ("preliminary_accepted", ALL),
    ("preliminary_accepted", "trial_operation"): ("trial_operation", ALL),
    # a merged project may skip the separate preliminary acceptance — the one acceptance
    # after trial operation covers both.
    ("construction", "trial_operation"): ("trial_operation", frozenset({MERGED})),
    # only the standard path applies to bdb for final acceptance.
    ("trial_operation", "final_application"): ("final_applied", frozenset({STANDARD})),
    ("final_applied", "final"): ("final_accepted", frozenset({STANDARD})),
    ("trial_operation", "final"): ("final_accepted", frozenset({MERGED, CLASSIFIED, ON_BEHALF})),
}

# What each step needs before it (for the messages).
_NEEDS = {
    ("preliminary", "any"): "初步验收只能在建设阶段进行，且只进行一次",
    ("trial_operation", "any"): "系统试运行须在初步验收通过后开始",
    ("trial_operation", MERGED): "系统试运行须在建设阶段结束后（或初步验收后）开始，且只进行一次",
    ("final_application", "any"): "终验申请须在系统试运行之后提出",
    ("final", STANDARD): "终验须在系统试运行后、由项目建设单位向市大数据管理局申请后进行",
    ("final", "any"): "终验须在系统试运行之后进行",
}


def applicable(path: str, step: str) -> Decision:
    """A step that the path does not have at all (not an ordering problem)."""
    if step == "final_application" and path != STANDARD:
        return Decision(
            PATH_RULE[path],
            "fail",
            f"该项目按{'涉密项目' if path == CLASSIFIED else '代建项目' if path == ON_BEHALF else '合并验收'}"
            "办理，终验由项目建设单位牵头组织，无需向市大数据管理局申请终验（第二十一条）",
        )
    return Decision(PATH_RULE[path], "pass", f"{STEP_NAME[step]}适用")


def next_stage(path: str, stage: str, step: str) -> tuple[str | None, Decision]:
    """R-21.1: the stage after `step`, or a failing decision when the step is out of order."""
    move = TRANSITIONS.get((stage, step))
    if move is not None and path in move[1]:
        return move[0], Decision("R-21.1", "pass", f"{STEP_NAME[step]}符合验收阶段顺序")
    need = _NEEDS.get((step, path)) or _NEEDS[(step, "any")]
    return None, Decision(
        "R-21.1",
        "fail",
        f"验收分初步验收、系统试运行、竣工验收三个阶段依次进行：{need}；"
        f"当前阶段为“{STAGE_NAME.get(stage, stage)}”（第二十一条）",
        {"stage": stage, "step": step},
    )
