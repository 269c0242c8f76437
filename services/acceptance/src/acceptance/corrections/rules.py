"""Correcting a recorded acceptance step (R-21.1, issue 15), as pure functions.

Our reading (basis practice): the actor of a step corrects what it recorded while no later step rests
on it; once one does, bdb may reopen the step with a reason, which allows one correction that must
still fit the later steps' dates; final acceptance itself is not corrected here (budget, approval and
oversight have acted on it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from govkit.rules import Decision

CORRECTABLE = ("preliminary", "trial_operation", "final_application")
STEP_NAME = {"preliminary": "初步验收", "trial_operation": "系统试运行", "final_application": "终验申请"}


@dataclass(frozen=True)
class Recorded:
    """The dates of the steps as recorded (None: not recorded)."""

    approved_on: date | None
    preliminary_on: date | None
    trial_starts_on: date | None
    trial_ends_on: date | None
    final_applied_on: date | None
    final_planned_on: date | None
    final_accepted_on: date | None
    due_on: date | None


def later_steps(step: str, r: Recorded) -> list[str]:
    """The recorded steps that rest on `step`."""
    out = []
    if step == "preliminary" and r.trial_starts_on is not None:
        out.append("trial_operation")
    if step in ("preliminary", "trial_operation") and r.final_applied_on is not None:
        out.append("final_application")
    if r.final_accepted_on is not None:
        out.append("final")
    return out


def check_correctable(step: str, r: Recorded, reopened: bool) -> Decision:
    recorded = {
        "preliminary": r.preliminary_on,
        "trial_operation": r.trial_starts_on,
        "final_application": r.final_applied_on,
    }.get(step)
    if step not in CORRECTABLE:
        return Decision(
            "R-21.1", "fail", "竣工验收已通过，相关单位已据此办理，不能在此更正（第二十一条）", {"basis": "practice"}
        )
    if recorded is None:
        return Decision("R-21.1", "fail", f"{STEP_NAME[step]}尚未记录，无可更正（第二十一条）")
    later = later_steps(step, r)
    if "final" in later:
        return Decision("R-21.1", "fail", "项目已通过竣工验收，验收各步骤不再更正（第二十一条）", {"basis": "practice"})
    if later and not reopened:
        names = "、".join(STEP_NAME.get(s, s) for s in later)
        return Decision(
            "R-21.1",
            "fail",
            f"{names}已以{STEP_NAME[step]}为据，更正须先由市大数据管理局重新打开该步骤（第二十一条）",
            {"later_steps": later, "basis": "practice"},
        )
    return Decision("R-21.1", "pass", f"可更正{STEP_NAME[step]}", {"basis": "practice"})


def check_corrected_dates(step: str, r: Recorded, new: dict, today: date) -> list[Decision]:
    """The corrected dates keep the order of R-21.1 with the steps before and after."""
    out: list[Decision] = []

    def fail(field: str, message: str) -> None:
        out.append(Decision("R-21.1", "fail", message + "（第二十一条）", {"field": field}))

    for field, value in new.items():
        if isinstance(value, date) and field not in ("planned_on", "ends_on") and value > today:
            fail(field, f"{field} 不能晚于今天（记录的是已发生的事实）")
    if step == "preliminary":
        on = new["accepted_on"]
        if r.approved_on and on < r.approved_on:
            fail("accepted_on", f"初步验收日期不能早于项目批复日期{r.approved_on.isoformat()}")
        if r.trial_starts_on and on > r.trial_starts_on:
            fail("accepted_on", f"初步验收日期不能晚于试运行开始日期{r.trial_starts_on.isoformat()}")
    elif step == "trial_operation":
        starts, ends = new["starts_on"], new["ends_on"]
        floor = r.preliminary_on or r.approved_on
        if ends < starts:
            fail("ends_on", "试运行结束日期不能早于开始日期")
        if floor and starts < floor:
            fail(
                "starts_on",
                f"试运行开始日期不能早于{'初步验收' if r.preliminary_on else '项目批复'}日期{floor.isoformat()}",
            )
        if r.final_applied_on and starts > r.final_applied_on:
            fail("starts_on", f"试运行开始日期不能晚于终验申请日期{r.final_applied_on.isoformat()}")
    elif step == "final_application":
        applied, planned = new["applied_on"], new["planned_on"]
        if r.trial_starts_on and applied < r.trial_starts_on:
            fail("applied_on", f"终验申请不能早于试运行开始日期{r.trial_starts_on.isoformat()}")
        if planned < applied:
            fail("planned_on", "计划终验日期不能早于申请日期")
        if r.due_on and planned > r.due_on:
            out.append(
                Decision(
                    "R-21.5",
                    "fail",
                    f"计划终验日期晚于验收期限{r.due_on.isoformat()}，应先申请延期（第二十一条）",
                    {"field": "planned_on"},
                )
            )
    return out
