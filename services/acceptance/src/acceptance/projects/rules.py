"""The articles of acceptance as pure functions (R-21.*, R-16.1, R-24.1, R-30.2). Each returns a
`Decision` citing its rule; numbers come from the policy, never from literals here."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from govkit.clock import add_months, add_years
from govkit.policy import Policy
from govkit.rules import Decision

STANDARD, MERGED, CLASSIFIED, ON_BEHALF = "standard", "merged", "classified", "on_behalf"
PATHS = (STANDARD, MERGED, CLASSIFIED, ON_BEHALF)

# The rule that governs each path (cited when an actor or a step does not fit the path).
PATH_RULE = {STANDARD: "R-21.2", CLASSIFIED: "R-21.2", MERGED: "R-21.3", ON_BEHALF: "R-21.4"}
PATH_NAME = {STANDARD: "常规验收", CLASSIFIED: "涉密项目验收", MERGED: "合并初验与终验", ON_BEHALF: "代建项目验收"}

STEPS = ("preliminary", "trial_operation", "final_application", "final")
STEP_NAME = {
    "preliminary": "初步验收",
    "trial_operation": "系统试运行",
    "final_application": "终验申请",
    "final": "竣工验收（终验）",
}
ACTOR_NAME = {"unit": "项目建设单位", "bdb": "市大数据管理局", "ndrc": "市发改委"}


def choose_path(
    *, classified: bool, built_by_big_data_group: bool, approved_investment: Decimal, policy: Policy
) -> Decision:
    """R-21.2 – R-21.4. A classified project is organised by the unit even when the big data group
    builds it (secrecy comes first); then 代建; then below the leading-group threshold the unit may
    merge preliminary and final acceptance; otherwise the standard joint acceptance led by bdb."""
    if classified:
        return Decision(
            "R-21.2", "pass", "涉密项目由项目建设单位按要求组织全部验收（第二十一条）", {"path": CLASSIFIED}
        )
    if built_by_big_data_group:
        return Decision(
            "R-21.4",
            "pass",
            "委托市大数据集团代建的项目，由委托单位牵头，会同市发改委、市大数据管理局组织专家验收（第二十一条）",
            {"path": ON_BEHALF},
        )
    if approved_investment < policy.leading_group_threshold:
        return Decision(
            "R-21.3",
            "pass",
            f"项目投资低于{policy.leading_group_threshold}元，建设单位可合并初步验收和竣工验收，"
            "由业主单位牵头，市大数据管理局、市发改委参与（第二十一条）",
            {"path": MERGED},
        )
    return Decision(
        "R-21.2",
        "pass",
        "初验、试运行由项目建设单位组织；终验由建设单位向市大数据管理局申请，"
        "由市大数据管理局牵头、会同市发改委等联合验收（第二十一条）",
        {"path": STANDARD},
    )


def step_actor(path: str, step: str) -> str:
    """Who records a step: the unit, except the standard path's final acceptance (bdb leads it)."""
    if step == "final" and path == STANDARD:
        return "bdb"
    return "unit"


def final_leader(path: str) -> str:
    return step_actor(path, "final")


def check_actor(path: str, step: str, roles: Iterable[str]) -> Decision:
    """Wrong actor → fail (403 with the path's rule)."""
    needed = step_actor(path, step)
    rule = PATH_RULE[path]
    if needed in set(roles):
        return Decision(rule, "pass", f"{STEP_NAME[step]}由{ACTOR_NAME[needed]}办理")
    if step == "final" and path == STANDARD:
        msg = "非涉密项目的终验由市大数据管理局牵头组织，项目建设单位应提出终验申请（第二十一条）"
    elif path == ON_BEHALF:
        msg = f"代建项目的{STEP_NAME[step]}由委托单位（项目建设单位）牵头组织（第二十一条）"
    elif path == MERGED:
        msg = f"合并验收的项目由业主单位牵头组织{STEP_NAME[step]}，市大数据管理局、市发改委参与（第二十一条）"
    elif path == CLASSIFIED:
        msg = f"涉密项目的{STEP_NAME[step]}由项目建设单位按要求组织（第二十一条）"
    else:
        msg = f"{STEP_NAME[step]}由项目建设单位组织（第二十一条）"
    return Decision(rule, "fail", msg, {"required_actor": needed})


def required_participants(path: str) -> tuple[str, ...]:
    """Who must take part in the final acceptance besides its leader."""
    if path == STANDARD:
        return ("unit", "ndrc")  # bdb leads, with the unit and ndrc
    if path in (MERGED, ON_BEHALF):
        return ("bdb", "ndrc")
    return ()


def check_final_participants(path: str, participants: list[str], experts: list[str]) -> list[Decision]:
    rule = PATH_RULE[path]
    out: list[Decision] = []
    absent = [p for p in required_participants(path) if p not in participants]
    if absent:
        names = "、".join(ACTOR_NAME.get(a, a) for a in absent)
        out.append(Decision(rule, "fail", f"终验须有{names}参与（第二十一条）", {"absent": absent}))
    if path == ON_BEHALF and not [e for e in experts if e.strip()]:
        out.append(Decision("R-21.4", "fail", "代建项目须组织专家验收，请列明验收专家（第二十一条）"))
    return out


def check_warranty(warranty_years: int, policy: Policy) -> Decision:
    """R-16.1: the warranty runs at least the policy's minimum from the final acceptance date."""
    if warranty_years < policy.warranty_min_years:
        return Decision(
            "R-16.1", "fail", f"质保期不得少于{policy.warranty_min_years}年，自竣工验收合格之日起计算（第十六条）"
        )
    return Decision("R-16.1", "pass", f"质保期{warranty_years}年，自竣工验收合格之日起计算")


def warranty_end(accepted_on: date, warranty_years: int) -> date:
    return add_years(accepted_on, warranty_years)


def self_evaluation_window(accepted_on: date, policy: Policy) -> tuple[date, date]:
    """R-24.1: from `from_months` to `to_months` after the final acceptance date (inclusive)."""
    return (
        add_months(accepted_on, policy.self_evaluation_from_months),
        add_months(accepted_on, policy.self_evaluation_to_months),
    )


def check_self_evaluation_timing(submitted_on: date, opens_on: date, closes_on: date) -> Decision:
    """Before the window: fail (too early). Inside: pass. After: flag (late, still recorded)."""
    if submitted_on < opens_on:
        return Decision(
            "R-24.1",
            "fail",
            f"自评价应在项目通过验收并投入运行后的规定期间内开展，最早可于{opens_on.isoformat()}提交（第二十四条）",
            {"opens_on": opens_on.isoformat(), "closes_on": closes_on.isoformat()},
        )
    if submitted_on > closes_on:
        return Decision(
            "R-24.1",
            "flag",
            f"自评价已逾期（应于{closes_on.isoformat()}前提交）（第二十四条）",
            {"opens_on": opens_on.isoformat(), "closes_on": closes_on.isoformat()},
        )
    return Decision("R-24.1", "pass", "自评价在规定期间内提交")


def self_evaluation_state(as_of: date, opens_on: date, closes_on: date) -> str:
    """not_yet_due | due | overdue (X-30.1 clock of R-24.1)."""
    if as_of < opens_on:
        return "not_yet_due"
    return "due" if as_of <= closes_on else "overdue"


def check_active(status: str) -> Decision:
    """R-30.2: a suspended or terminated project does not move forward in acceptance."""
    if status == "suspended":
        return Decision("R-30.2", "fail", "项目已被暂停建设，不得推进验收（第三十条）")
    if status == "terminated":
        return Decision("R-30.2", "fail", "项目已被终止，不得推进验收（第三十条）")
    return Decision("R-30.2", "pass", "项目未被暂停或终止")


def check_path_choice(
    *, merge_allowed: bool, stage: str, steps_recorded: bool, approved_investment: Decimal | None, policy: Policy
) -> Decision:
    """R-21.3 (第二十一条第二款): below the leading-group threshold the unit *may* merge preliminary
    and final acceptance — its choice, made before the first acceptance step: merged (the default)
    or the three stages of R-21.2 (then bdb leads the final acceptance). Classified and 代建
    projects, and projects at or above the threshold, have no choice."""
    if not merge_allowed:
        amount = f"{approved_investment}元" if approved_investment is not None else "项目投资"
        return Decision(
            "R-21.3",
            "fail",
            f"仅投资额在{policy.leading_group_threshold}元以下的非涉密、非代建项目可由建设单位选择合并验收；"
            f"本项目（{amount}）按其验收路径办理（第二十一条）",
        )
    if stage != "construction" or steps_recorded:
        return Decision(
            "R-21.3",
            "fail",
            "验收已经开始，验收方式须在第一个验收步骤之前选定，不能再变更（第二十一条）",
            {"stage": stage},
        )
    return Decision("R-21.3", "pass", "建设单位选择验收方式（第二十一条）")


def acceptance_due(approved_on: date | None, construction_months: int | None) -> Decision:
    """R-21.5 (第二十一条): "不能按期验收的，向市大数据管理局申请延期" — "on time" is the construction
    period of the approval document (建设周期): the acceptance is due on the approval date plus that
    many months; on the due day it is on time, from the day after it is overdue. Only an extension
    bdb grants moves it."""
    if approved_on is None or not construction_months:
        return Decision(
            "R-21.5",
            "flag",
            "批复文件未载明建设周期，验收期限暂以建设单位计划验收日期为准（第二十一条）",
            {"basis": "practice"},
        )
    due = add_months(approved_on, construction_months)
    return Decision(
        "R-21.5",
        "pass",
        f"按批复建设周期{construction_months}个月，应于{due.isoformat()}前完成竣工验收（第二十一条）",
        {"due_on": due.isoformat()},
    )


def acceptance_overdue(due_on: date | None, as_of: date, stage: str) -> bool:
    return due_on is not None and stage != "final_accepted" and as_of > due_on
