"""Use cases of the acceptance aggregate: the path on approval, the stages in order, the profile,
suspension. Never commits; every state change emits its event."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from govkit.auth import Principal
from govkit.clock import today
from govkit.documents import service as documents
from govkit.errors import Problem, ensure_not_future
from govkit.events.acceptance import (
    AcceptancePathChosen,
    AcceptanceProfileUpdated,
    FinalAcceptanceApplied,
    FinalAccepted,
    PreliminaryAccepted,
    TrialOperationStarted,
)
from govkit.events.approval import ProjectApproved
from govkit.events.oversight import ConstructionFiled
from govkit.money import fmt
from govkit.outbox import emit
from govkit.pagination import decode_cursor, page
from govkit.policy import Policy, policy_for
from govkit.rules import Decision, violation
from govkit.versioning import check_if_match

from ..evaluations import repository as evaluations_repo
from ..notices import service as notices
from ..prerequisites import service as prerequisites
from ..projects import repository
from ..projects.access import ensure_active, load_for_step, load_visible  # noqa: F401
from ..projects.models import AcceptanceProject
from ..projects.rules import (
    MERGED,
    PATH_RULE,
    STANDARD,
    STEP_NAME,
    acceptance_due,
    acceptance_overdue,
    check_active,
    check_actor,
    check_final_participants,
    check_path_choice,
    choose_path,
    final_leader,
    required_participants,
    self_evaluation_state,
    self_evaluation_window,
    step_actor,
    warranty_end,
)
from ..projects.transitions import TRANSITIONS, applicable, next_stage
from .schemas import FinalApplicationIn, FinalIn, PreliminaryIn, ProfileIn, TrialOperationIn


def policy_of(project: AcceptanceProject) -> Policy:
    """R-33.1: a project is judged by the policy in force on its declaration date."""
    return policy_for(project.declared_on or project.approved_on or today(), project.jurisdiction)


def _refuse(decisions: list[Decision], status: int = 409, detail: str | None = None) -> Problem:
    failed = [d for d in decisions if not d.ok]
    return Problem(
        status,
        detail or failed[0].message,
        rule=failed[0].rule,
        violations=[violation(d.rule, d.message) for d in failed],
    )


def _order_violation(message: str) -> Problem:
    return Problem(409, message, rule="R-21.1", violations=[violation("R-21.1", message)])


# --- consumed events -------------------------------------------------------------------------
async def record_approval(session: AsyncSession, data: ProjectApproved, actor: str) -> AcceptanceProject | None:
    """On ProjectApproved: store the facts and choose the path (once; a redelivery changes nothing)."""
    project = await repository.get(session, data.project_id, for_update=True)
    if project is not None and project.path is not None:
        return None
    if project is None:
        project = AcceptanceProject(
            project_id=data.project_id, status="active", participant_orgs=[], final_participants=[], final_experts=[]
        )
        repository.add(session, project)
    project.org = data.org
    project.participant_orgs = list(data.participant_orgs)
    project.title = data.title
    project.jurisdiction = data.jurisdiction
    project.declared_on = data.declared_on
    project.approved_on = data.approved_on
    project.approved_investment = data.approved_investment
    project.classified = data.classified
    project.built_by_big_data_group = data.built_by_big_data_group
    decision = choose_path(
        classified=data.classified,
        built_by_big_data_group=data.built_by_big_data_group,
        approved_investment=data.approved_investment,
        policy=policy_of(project),
    )
    project.path = decision.details["path"]
    project.path_rule = decision.rule
    project.merge_allowed = project.path == MERGED  # the unit may still choose the standard path
    project.stage = "construction"
    project.construction_months = data.construction_months
    due = acceptance_due(data.approved_on, data.construction_months)
    if due.result == "pass":  # the due date follows from the construction period
        project.due_on, project.due_basis = date.fromisoformat(due.details["due_on"]), "construction_period"
    await session.flush()
    await emit(
        session,
        AcceptancePathChosen(
            project_id=project.project_id,
            path=project.path,
            rule=decision.rule,
            org=data.org,
            participant_orgs=list(data.participant_orgs),
            title=data.title,
            final_led_by=final_leader(project.path),
        ),
        actor=actor,
        rule=decision.rule,
    )
    return project


def _stub(project_id: uuid.UUID) -> AcceptanceProject:
    return AcceptanceProject(
        project_id=project_id, participant_orgs=[], final_participants=[], final_experts=[], status="active"
    )


ACCEPTANCE_RECORDS = ("acceptance_record", "acceptance_opinion")  # the stored 验收记录 / 验收意见


async def record_construction(session: AsyncSession, data: ConstructionFiled) -> None:
    """ConstructionFiled (oversight): the filing that gates every acceptance step (R-17.1) and gives
    the warranty term (R-16.1) and the contractor's deliverables (R-16.2). A filing corrected in
    oversight arrives again with a higher version; an older version never overwrites a newer one."""
    project = await repository.get(session, data.project_id, for_update=True)
    if project is None:  # the oversight event came before ProjectApproved: keep it on a stub
        project = _stub(data.project_id)
        repository.add(session, project)
    if project.construction_filed_version is not None and data.version < project.construction_filed_version:
        return
    project.construction_filed_version = data.version
    project.supervision_firm = data.supervision_firm
    project.warranty_years = data.warranty_years
    project.om_plan_provided = data.om_plan_provided
    project.training_plan_provided = data.training_plan_provided
    project.training_materials_provided = data.training_materials_provided
    await session.flush()


async def record_status(session: AsyncSession, project_id: uuid.UUID, status: str, reason: str | None) -> None:
    """ProjectSuspended / ProjectResumed / ProjectTerminated (R-30.2). Termination is final."""
    project = await repository.get(session, project_id, for_update=True)
    if project is None:  # the oversight event came before ProjectApproved: keep it on a stub
        project = _stub(project_id)
        repository.add(session, project)
    if project.status == "terminated":
        return
    project.status = status
    project.status_reason = reason
    await session.flush()


# --- reads -------------------------------------------------------------------------------------
def next_steps(project: AcceptanceProject) -> list[dict]:
    out = []
    for (stage, step), (_, paths) in TRANSITIONS.items():
        if stage == project.stage and project.path in paths:
            out.append(
                {
                    "step": step,
                    "name": STEP_NAME[step],
                    "actor": step_actor(project.path, step),
                    "rule": "R-21.1" if step != "final" else PATH_RULE[project.path],
                }
            )
    return out


async def view(session: AsyncSession, project: AcceptanceProject, *, as_of: date | None = None) -> dict:
    missing: list[dict] = []
    active = check_active(project.status)
    if not active.ok:
        missing.append(violation(active.rule, active.message))
    if project.stage != "final_accepted":
        missing.extend(await prerequisites.missing_for_final(session, project))
    evaluations = {e.kind: e for e in await evaluations_repo.for_project(session, project.project_id)}
    self_eval = evaluations.get("self")
    post_eval = evaluations.get("post")
    policy = policy_of(project)
    as_of = as_of or today()
    out = {
        "project_id": str(project.project_id),
        "org": project.org,
        "participant_orgs": project.participant_orgs,
        "title": project.title,
        "path": project.path,
        "path_rule": project.path_rule,
        "final_led_by": final_leader(project.path),
        "stage": project.stage,
        "status": project.status,
        "status_reason": project.status_reason,
        "approved_investment": fmt(project.approved_investment) if project.approved_investment is not None else None,
        "approved_on": project.approved_on,
        "declared_on": project.declared_on,
        "classified": project.classified,
        "built_by_big_data_group": project.built_by_big_data_group,
        "uses_cryptography": project.uses_cryptography,
        "planned_on": project.planned_on,
        "due_on": project.due_on,
        "due": {
            "due_on": project.due_on,
            "basis": project.due_basis,
            "construction_months": project.construction_months,
            "overdue": acceptance_overdue(project.due_on, as_of or today(), project.stage),
            "rule": "R-21.5",
            "article": "第二十一条",
        },
        "preliminary": {
            "accepted_on": project.preliminary_on,
            "opinion": project.preliminary_opinion,
            "merged_into_final": project.preliminary_merged,
        },
        "trial_operation": {"starts_on": project.trial_starts_on, "ends_on": project.trial_ends_on},
        "final_application": {"applied_on": project.final_applied_on, "planned_on": project.final_planned_on}
        if project.final_applied_on
        else None,
        "final": None,
        "warranty_ends_on": project.warranty_ends_on,
        "self_evaluation": None,
        "post_evaluation": None,
        "missing": missing,
        "next_steps": next_steps(project) if project.status == "active" else [],
        "required_participants": list(required_participants(project.path)),
        "path_choice": {
            "allowed": project.merge_allowed and project.stage == "construction",
            "options": [MERGED, STANDARD] if project.merge_allowed else [project.path],
            "chosen_by": project.path_chosen_by,
            "rule": "R-21.3",
            "article": "第二十一条",
        },
        "construction_filing": {
            "filed": project.construction_filed_version is not None,
            "version": project.construction_filed_version,
            "supervision_firm": project.supervision_firm,
            "warranty_years": project.warranty_years,
            "om_plan": project.om_plan_provided,
            "training_plan": project.training_plan_provided,
            "training_materials": project.training_materials_provided,
        },
        "reopened_step": project.reopened_step,
        "policy": policy.code,
        "version": project.version,
    }
    if project.final_accepted_on:
        out["final"] = {
            "accepted_on": project.final_accepted_on,
            "opinion": project.final_opinion,
            "led_by": project.final_led_by,
            "participants": project.final_participants,
            "experts": project.final_experts,
        }
        state = (
            "submitted"
            if self_eval
            else self_evaluation_state(as_of, project.self_evaluation_opens_on, project.self_evaluation_closes_on)
        )
        out["self_evaluation"] = {
            "opens_on": project.self_evaluation_opens_on,
            "closes_on": project.self_evaluation_closes_on,
            "state": state,
            "submitted_on": self_eval.evaluated_on if self_eval else None,
            "rating": self_eval.rating if self_eval else None,
            "late": self_eval.late if self_eval else None,
        }
        if post_eval:
            out["post_evaluation"] = {
                "completed_on": post_eval.evaluated_on,
                "rating": post_eval.rating,
                "evaluator": post_eval.evaluator,
            }
    return out


async def get_view(session: AsyncSession, principal: Principal, project_id: uuid.UUID) -> dict:
    project = await load_visible(session, principal, project_id)
    return await view(session, project)


async def list_views(
    session: AsyncSession,
    principal: Principal,
    *,
    path: str | None,
    stage: str | None,
    org: str | None,
    cursor: str | None,
    limit: int,
) -> dict:
    after = decode_cursor(cursor)
    rows = await repository.list_projects(
        session,
        path=path,
        stage=stage,
        org=org,
        unit_org=None if principal.citywide else principal.org,
        after=after[0] if after else None,
        limit=limit + 1,
    )
    result = page(rows, limit, lambda p: [str(p.project_id)])
    result["items"] = [await view(session, p) for p in result["items"]]
    return result


async def list_overdue(
    session: AsyncSession, principal: Principal, *, as_of: date, cursor: str | None, limit: int
) -> dict:
    """X-30.1 / R-21.5: acceptances past their planned (or extended) date."""
    after = decode_cursor(cursor)
    rows = await repository.overdue(
        session,
        as_of=as_of,
        unit_org=None if principal.citywide else principal.org,
        after=after[0] if after else None,
        limit=limit + 1,
    )
    result = page(rows, limit, lambda p: [f"{p.due_on.isoformat()}|{p.project_id}"])
    result["items"] = [
        {
            "project_id": str(p.project_id),
            "org": p.org,
            "title": p.title,
            "path": p.path,
            "stage": p.stage,
            "status": p.status,
            "planned_on": p.planned_on,
            "due_on": p.due_on,
            "days_overdue": (as_of - p.due_on).days,
            "rule": "R-21.5",
            "article": "第二十一条",
            "message": "未按期完成竣工验收，应向市大数据管理局申请延期（第二十一条）",
        }
        for p in result["items"]
    ]
    return result


# --- the unit's profile --------------------------------------------------------------------
async def update_profile(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, data: ProfileIn, if_match: str | None
) -> AcceptanceProject:
    project = await load_for_step(session, principal, project_id, if_match)
    if project.stage == "final_accepted":
        raise Problem(409, "项目已通过竣工验收，验收信息不再变更（第二十一条）", rule="R-21.1")
    fields = data.model_fields_set
    if "uses_cryptography" in fields:
        project.uses_cryptography = data.uses_cryptography
    if "planned_on" in fields and data.planned_on is not None:
        if project.approved_on and data.planned_on < project.approved_on:
            raise Problem(
                422, "计划验收日期不能早于批复日期", violations=[{"field": "planned_on", "message": "before approval"}]
            )
        if project.planned_on is not None and project.planned_on != data.planned_on:
            raise Problem(
                409, "计划验收日期已确定；不能按期验收的，应向市大数据管理局申请延期（第二十一条）", rule="R-21.5"
            )
        if project.due_on is not None and data.planned_on > project.due_on:
            raise Problem(
                409,
                f"计划验收日期晚于验收期限{project.due_on.isoformat()}（批复建设周期），"
                "应先向市大数据管理局申请延期（第二十一条）",
                rule="R-21.5",
                violations=[violation("R-21.5", "计划验收日期晚于验收期限，应先申请延期")],
            )
        project.planned_on = data.planned_on
        if project.due_on is None:  # no construction period on the approval document (older projects)
            project.due_on, project.due_basis = data.planned_on, "planned"
    await session.flush()
    await emit(
        session,
        AcceptanceProfileUpdated(
            project_id=project.project_id, uses_cryptography=project.uses_cryptography, planned_on=project.planned_on
        ),
        actor=principal,
        rule="R-7.2",
    )
    return project


# --- the unit's choice of path (R-21.3) ------------------------------------------------------
async def choose_path_of_unit(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, path: str, if_match: str | None
) -> AcceptanceProject:
    project = await load_for_step(session, principal, project_id, if_match)
    decision = check_path_choice(
        merge_allowed=project.merge_allowed,
        stage=project.stage,
        steps_recorded=bool(project.preliminary_on or project.trial_starts_on or project.final_applied_on),
        approved_investment=project.approved_investment,
        policy=policy_of(project),
    )
    if not decision.ok:
        raise _refuse([decision])
    project.path, project.path_rule, project.path_chosen_by = path, "R-21.3", "unit"
    await session.flush()
    await emit(
        session,
        AcceptancePathChosen(
            project_id=project.project_id,
            path=path,
            rule="R-21.3",
            org=project.org or "",
            participant_orgs=list(project.participant_orgs or []),
            title=project.title,
            final_led_by=final_leader(path),
        ),
        actor=principal,
        rule="R-21.3",
    )
    return project


# --- the stages (R-21.1) -------------------------------------------------------------------
def _ensure_actor(project: AcceptanceProject, principal: Principal, step: str) -> None:
    actor = check_actor(project.path, step, principal.roles)
    if not actor.ok:
        raise Problem(
            403,
            actor.message,
            rule=actor.rule,
            violations=[violation(actor.rule, actor.message)],
            required_actor=actor.details["required_actor"],
        )


def _ensure_order(project: AcceptanceProject, step: str) -> str:
    fit = applicable(project.path, step)
    if not fit.ok:
        raise _refuse([fit])
    new_stage, order = next_stage(project.path, project.stage, step)
    if new_stage is None:
        raise _refuse([order])
    return new_stage


async def _step(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, if_match: str | None, step: str
) -> tuple[AcceptanceProject, str]:
    """404 (not visible) → 403 wrong actor (R-21.*) → 412 stale version → 409 suspended (R-30.2)
    → 409 not applicable to the path / out of order (R-21.1)."""
    project = await load_visible(session, principal, project_id, for_update=True)
    _ensure_actor(project, principal, step)
    check_if_match(if_match, project.version)
    ensure_active(project)
    gate = await prerequisites.missing_for_step(session, project)
    if gate:  # no acceptance step starts without the construction filing
        raise Problem(409, gate[0]["message"], rule=gate[0]["rule"], violations=gate)
    return project, _ensure_order(project, step)


async def record_preliminary(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, data: PreliminaryIn, if_match: str | None
) -> AcceptanceProject:
    project, new_stage = await _step(session, principal, project_id, if_match, "preliminary")
    on = data.accepted_on or today()
    ensure_not_future("accepted_on", on)
    if project.approved_on and on < project.approved_on:
        raise _order_violation(f"初步验收日期不能早于项目批复日期{project.approved_on.isoformat()}（第二十一条）")
    await documents.require(session, project.project_id, data.document_id, kinds=ACCEPTANCE_RECORDS)
    project.preliminary_on, project.preliminary_opinion, project.stage = on, data.opinion, new_stage
    project.preliminary_document_id = data.document_id
    await session.flush()
    await emit(
        session,
        PreliminaryAccepted(
            project_id=project.project_id, accepted_on=on, opinion=data.opinion, document_id=data.document_id
        ),
        actor=principal,
        rule="R-21.1",
    )
    return project


async def start_trial_operation(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, data: TrialOperationIn, if_match: str | None
) -> AcceptanceProject:
    project, new_stage = await _step(session, principal, project_id, if_match, "trial_operation")
    ensure_not_future("starts_on", data.starts_on)
    floor = project.preliminary_on or project.approved_on
    if floor and data.starts_on < floor:
        what = "初步验收" if project.preliminary_on else "项目批复"
        raise _order_violation(f"试运行开始日期不能早于{what}日期{floor.isoformat()}（第二十一条）")
    secrecy = await prerequisites.missing_for_operation(session, project)
    if secrecy:  # a classified system runs only after a passed secrecy review, with an operator
        raise Problem(409, secrecy[0]["message"], rule="R-23.1", violations=secrecy)
    merged = project.stage == "construction"  # only legal on the merged path (transitions)
    project.trial_starts_on, project.trial_ends_on = data.starts_on, data.ends_on
    project.preliminary_merged = merged
    project.stage = new_stage
    await session.flush()
    await emit(
        session,
        TrialOperationStarted(
            project_id=project.project_id, starts_on=data.starts_on, ends_on=data.ends_on, preliminary_merged=merged
        ),
        actor=principal,
        rule="R-21.3" if merged else "R-21.1",
    )
    return project


async def apply_final(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, data: FinalApplicationIn, if_match: str | None
) -> AcceptanceProject:
    project, new_stage = await _step(session, principal, project_id, if_match, "final_application")
    applied_on = data.applied_on or today()
    ensure_not_future("applied_on", applied_on)
    if applied_on < project.trial_starts_on:
        raise _order_violation(f"终验申请不能早于试运行开始日期{project.trial_starts_on.isoformat()}（第二十一条）")
    if data.planned_on < applied_on:
        raise Problem(
            422, "计划终验日期不能早于申请日期", violations=[{"field": "planned_on", "message": "before applied_on"}]
        )
    if data.uses_cryptography is not None:
        project.uses_cryptography = data.uses_cryptography
    if project.due_on is not None and data.planned_on > project.due_on:
        raise Problem(
            409,
            f"计划终验日期晚于验收期限{project.due_on.isoformat()}，应先向市大数据管理局申请延期（第二十一条）",
            rule="R-21.5",
            violations=[violation("R-21.5", "计划终验日期晚于验收期限，应先申请延期")],
        )
    project.final_applied_on, project.final_planned_on = applied_on, data.planned_on
    if project.planned_on is None:
        project.planned_on = data.planned_on
    if project.due_on is None:  # no construction period on the approval document (older projects)
        project.due_on, project.due_basis = data.planned_on, "planned"
    project.stage = new_stage
    await session.flush()
    await emit(
        session,
        FinalAcceptanceApplied(
            project_id=project.project_id, planned_on=data.planned_on, uses_cryptography=project.uses_cryptography
        ),
        actor=principal,
        rule="R-21.2",
    )
    return project


async def accept_final(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, data: FinalIn, if_match: str | None
) -> AcceptanceProject:
    project, new_stage = await _step(session, principal, project_id, if_match, "final")
    on = data.accepted_on or today()
    ensure_not_future("accepted_on", on)
    if project.trial_ends_on and on < project.trial_ends_on:
        raise _order_violation(
            f"系统试运行至{project.trial_ends_on.isoformat()}结束，终验须在试运行结束后进行（第二十一条）"
        )
    if project.final_applied_on and on < project.final_applied_on:
        raise _order_violation(f"终验日期不能早于终验申请日期{project.final_applied_on.isoformat()}（第二十一条）")
    if data.uses_cryptography is not None and data.uses_cryptography != project.uses_cryptography:
        project.uses_cryptography = data.uses_cryptography
        await session.flush()
        await emit(
            session,
            AcceptanceProfileUpdated(
                project_id=project.project_id,
                uses_cryptography=project.uses_cryptography,
                planned_on=project.planned_on,
            ),
            actor=principal,
            rule="R-7.2",
        )
    policy = policy_of(project)
    participants = (
        list(dict.fromkeys(data.participants))
        if data.participants is not None
        else list(required_participants(project.path))
    )
    warranty_years = project.warranty_years  # the filed term, never a default
    decisions = check_final_participants(project.path, participants, data.experts)
    if data.warranty_years is not None and data.warranty_years != warranty_years:
        decisions.append(
            Decision(
                "R-16.1", "fail", f"质保期以建设备案为准（{warranty_years}年）；如需变更，请先更正建设备案（第十六条）"
            )
        )
    await documents.require(session, project.project_id, data.document_id, kinds=ACCEPTANCE_RECORDS)
    missing = await prerequisites.missing_for_final(session, project)
    failed = [d for d in decisions if not d.ok]
    if missing or failed:
        violations = missing + [violation(d.rule, d.message) for d in failed]
        raise Problem(
            409,
            "不符合竣工验收条件：" + "；".join(v["message"] for v in violations),
            rule=violations[0]["rule"],
            violations=violations,
        )
    opens, closes = self_evaluation_window(on, policy)
    project.final_accepted_on, project.final_opinion = on, data.opinion
    project.final_document_id = data.document_id
    project.final_led_by = final_leader(project.path)
    project.final_participants, project.final_experts = participants, [e for e in data.experts if e.strip()]
    project.warranty_ends_on = warranty_end(on, warranty_years)
    project.self_evaluation_opens_on, project.self_evaluation_closes_on = opens, closes
    project.stage = new_stage
    await session.flush()
    if project.due_on is not None:  # the unit's acceptance clock is done
        await notices.clear(
            session,
            project,
            clock="acceptance_due",
            ref=project.due_on.isoformat(),
            role="unit",
            actor=principal,
            message="已竣工验收",
        )
    await emit(
        session,
        FinalAccepted(
            project_id=project.project_id,
            org=project.org,
            title=project.title,
            accepted_on=on,
            warranty_ends_on=project.warranty_ends_on,
            self_evaluation_opens_on=opens,
            self_evaluation_closes_on=closes,
            participant_orgs=list(project.participant_orgs or []),
            path=project.path,
            led_by=project.final_led_by,
            participants=participants,
            experts=project.final_experts,
            opinion=data.opinion,
            document_id=data.document_id,
        ),
        actor=principal,
        rule=PATH_RULE[project.path],
    )
    return project
