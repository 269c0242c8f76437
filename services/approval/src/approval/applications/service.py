"""Use cases of review and approval. Never commits; every state change emits its event."""

from __future__ import annotations

import uuid
from decimal import Decimal

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from govkit import clock
from govkit.auth import Principal
from govkit.db import touch as bump_version
from govkit.db import utcnow
from govkit.documents import service as documents
from govkit.errors import PredecessorMissing, Problem
from govkit.events.approval import (
    ApplicationOpened,
    ApplicationReturned,
    ApplicationSubmitted,
    ApprovalDocumentIssued,
    CheckResult,
    ComplianceChecked,
    ComplianceDeclared,
    ExpertReviewRecorded,
    JointReviewDecided,
    LeadingGroupDecided,
    MaterialAdded,
    ProjectApproved,
    ProjectRejected,
    ReviewStarted,
    TechnicalOpinionIssued,
)
from govkit.events.reserve import ProjectFacts
from govkit.money import from_fen, to_fen
from govkit.outbox import emit
from govkit.policy import Policy, policy_for
from govkit.rules import article_of, basis_of, violation
from govkit.versioning import check_if_match

from ..registry import repository as registry_repo
from . import repository as repo
from . import rules
from .models import Application, CheckRecord, Material, Review
from .schemas import ApplicationRead, ApplicationSummary, CheckRead, MaterialRead, OverlapDraft, ReviewRead
from .transitions import APPROVED, OPEN, REJECTED, UNDER_REVIEW, ensure_status, ensure_transition

log = structlog.get_logger()
SYSTEM = "approval"


# -- helpers ----------------------------------------------------------------------------------


def policy_of(app: Application) -> Policy:
    return policy_for(app.declared_on, app.jurisdiction)


def estimated(app: Application) -> Decimal:
    return from_fen(app.estimated_fen)


def touch(app: Application) -> None:
    """The application changed (also through its materials, checks or reviews): a new version once
    in this transaction (`govkit.db.optimistic`)."""
    app.updated_at = utcnow()
    bump_version(app)


async def load(
    session: AsyncSession, principal: Principal, project_id: str, *, unknown: str = "404", for_update: bool = True
) -> Application:
    """The application, visible to this principal, else 404. For the steps by which a project enters
    review (`unknown="R-9.4"`) the 404 cites R-9.4: only admitted or emergency projects have an
    application. Another unit's project gets the very same answer, so nothing reveals it exists."""
    if unknown == "R-9.4":
        refusal = Problem(
            404, "审批申请不存在：该项目未列入项目储备库，也不是应急项目，不能进入审核审批（第九条）", rule="R-9.4"
        )
    else:
        refusal = Problem(404, "审批申请不存在")
    app = await repo.get(session, project_id, for_update=for_update)
    if app is None or not principal.can_see([app.org, *(app.participant_orgs or [])]):
        raise refusal
    return app


def ensure_not_blocked(app: Application) -> None:
    """R-30.2: a suspended or terminated project cannot move forward in approval."""
    if app.blocked == "suspended":
        raise Problem(409, "项目已被暂停建设，审批事项暂停办理（第三十条）", rule="R-30.2")
    if app.blocked == "terminated":
        raise Problem(409, "项目已被终止，审批事项不再办理（第三十条）", rule="R-30.2")


async def review_state(
    session: AsyncSession, app: Application, document_amount: Decimal | None = None
) -> rules.ReviewState:
    """Where the review stands; `document_amount` is the approval document's investment being
    issued (else the one already issued, if any)."""
    if document_amount is None and app.document_approved_fen is not None:
        document_amount = from_fen(app.document_approved_fen)
    return rules.ReviewState(
        estimated=estimated(app),
        expert_reviews=await repo.count_expert_reviews(session, app.project_id, app.round),
        joint_decision=app.joint_decision,
        leading_group_decision=app.leading_group_decision,
        estimate_reviewed=app.reviewed_fen is not None,
        reviewed=from_fen(app.reviewed_fen) if app.reviewed_fen is not None else None,
        document_amount=document_amount,
    )


def highest_amount(app: Application) -> Decimal:
    """R-11.2 / R-25.1: the highest amount the project carries now (declared, reviewed, approved)."""
    return max(
        from_fen(f)
        for f in (app.estimated_fen, app.reviewed_fen, app.document_approved_fen, app.approved_fen)
        if f is not None
    )


# -- opening (consumer of reserve's events) --------------------------------------------------


async def open_application(session: AsyncSession, facts: ProjectFacts, *, actor: str = SYSTEM) -> Application | None:
    """R-9.4: an admitted (or R-9.3 emergency) project gets its application. Redelivery: no-op."""
    pid = str(facts.project_id)
    if await repo.get(session, pid) is not None:
        return None
    lead = None
    orgs = list(getattr(facts, "participant_orgs", None) or [])
    if facts.cross_department is not None:
        lead = facts.cross_department.lead_org
        orgs = [lead, *facts.cross_department.participant_orgs, *orgs]
    participants = list(dict.fromkeys(o for o in orgs if o and o != facts.org))
    app = Application(
        project_id=pid,
        declaration_no=facts.declaration_no,
        title=facts.title,
        category=facts.category,
        org=facts.org,
        participant_orgs=participants,
        lead_org=lead,
        library_year=facts.library_year,
        estimated_fen=to_fen(facts.estimated_investment),
        description=facts.description or "",
        classified=facts.classified,
        built_by_big_data_group=facts.built_by_big_data_group,
        new_civil_works=facts.new_civil_works,
        high_energy=facts.high_energy,
        declared_on=facts.declared_on,
        jurisdiction=facts.jurisdiction,
        route=facts.route,
        emergency_type=getattr(facts, "emergency_type", None),
        status=OPEN,
        round=0,
        code_status="none",
        code_attempts=0,
        version=1,
    )
    repo.add(session, app)
    await session.flush()
    await emit(
        session,
        ApplicationOpened(
            project_id=facts.project_id,
            org=facts.org,
            participant_orgs=participants,
            title=facts.title,
            estimated_investment=facts.estimated_investment,
            route=facts.route,
        ),
        actor=actor,
        rule="R-9.3" if facts.route == "emergency" else "R-9.4",
    )
    return app


# -- the unit's part --------------------------------------------------------------------------


def ensure_unit_step(app: Application) -> None:
    ensure_not_blocked(app)
    ensure_status(app.status, (OPEN,), "修改申报材料（审查中或已办结的申请须退回补正后修改）")


async def add_material(session: AsyncSession, principal: Principal, project_id: str, data) -> Material:
    app = await load(session, principal, project_id, unknown="R-9.4")
    ensure_unit_step(app)
    sha256 = data.sha256.lower() if data.sha256 else None
    doc = await documents.require(session, app.project_id, data.document_id)
    if doc is not None:
        if sha256 and sha256 != doc.sha256:
            raise Problem(
                422,
                "sha256 与所引用文件的校验值不一致",
                violations=[{"field": "sha256", "message": "does not match the stored document", "stored": doc.sha256}],
            )
        sha256 = doc.sha256
    material = Material(
        id=str(uuid.uuid4()),
        project_id=app.project_id,
        kind=data.kind,
        title=data.title,
        sha256=sha256,
        uploaded_by=principal.sub,
        document_id=data.document_id,
    )
    repo.add(session, material)
    touch(app)
    await session.flush()
    await emit(
        session,
        MaterialAdded(
            project_id=uuid.UUID(app.project_id),
            kind=data.kind,
            title=data.title,
            sha256=material.sha256,
            document_id=material.document_id,
        ),
        actor=principal,
        rule="R-10.1",
    )
    return material


async def declare_compliance(
    session: AsyncSession, principal: Principal, project_id: str, data, if_match: str | None
) -> Application:
    app = await load(session, principal, project_id, unknown="R-9.4")
    check_if_match(if_match, app.version)
    ensure_unit_step(app)
    declarations = data.model_dump(mode="json")
    app.compliance = declarations
    touch(app)
    await emit(
        session,
        ComplianceDeclared(project_id=uuid.UUID(app.project_id), declarations=declarations),
        actor=principal,
        rule="R-10.2",
    )
    return app


async def run_checks(session: AsyncSession, app: Application) -> list:
    subject = rules.Subject(
        project_id=app.project_id,
        org=app.org,
        title=app.title,
        classified=app.classified,
        new_civil_works=app.new_civil_works,
        high_energy=app.high_energy,
        participant_orgs=tuple(app.participant_orgs or []),
        compliance=app.compliance or {},
        material_kinds=frozenset(await repo.material_kinds(session, app.project_id)),
    )
    systems = await registry_repo.all_systems(session)
    registry = [_registry_candidate(s) for s in systems]
    pending = [_candidate("application", other) for other in await repo.pending_others(session, app.project_id)]
    accepted = {s.project_id for s in systems if s.project_id}
    building = [
        _candidate("project", other)
        for other in await repo.under_construction_others(session, app.project_id, accepted)
    ]
    catalog = [
        rules.CatalogEntry(id=i.id, org=i.org, name=i.name, share_type=i.share_type)
        for i in await registry_repo.all_catalog_items(session)
    ]
    return rules.run_checks(subject, registry, pending, catalog, building)


def _registry_candidate(system) -> rules.Candidate:
    """A system of the registry as a duplicate candidate (X-10.3)."""
    return rules.Candidate(
        kind="registry",
        id=system.id,
        org=system.org,
        name=system.name,
        functions=tuple(system.functions or []),
        data_items=tuple(system.data_items or []),
        is_platform=system.is_platform,
    )


def _candidate(kind: str, other: Application) -> rules.Candidate:
    """Another project as a duplicate candidate (X-10.3): its title, functions and data items."""
    c = other.compliance or {}
    return rules.Candidate(
        kind=kind,
        id=other.project_id,
        org=other.org,
        name=other.title,
        functions=tuple(f.get("name", "") for f in c.get("functions") or []),
        data_items=tuple(d.get("name", "") for d in c.get("data_items") or []),
        is_platform=bool(c.get("builds_platform")),
    )


async def submit(session: AsyncSession, principal: Principal, project_id: str) -> Application:
    """Runs the automated checks and starts review; refused with every violation when a required
    material or declaration is missing (nothing is written then)."""
    app = await load(session, principal, project_id, unknown="R-9.4")
    ensure_not_blocked(app)
    ensure_transition(app.status, UNDER_REVIEW)
    if app.compliance is None:
        kinds = await repo.material_kinds(session, app.project_id)
        missing = [violation(d.rule, d.message) for d in rules.check_materials(kinds) if d.result == "fail"]
        missing.append(
            violation("R-10.2", "未填报第十条合规声明（共享基础设施、一部门一平台、服务入口、数据采集、市县共用）")
        )
        raise Problem(409, "申报材料或声明不全，不能提交（第十条）", rule=missing[0]["rule"], violations=missing)
    decisions = await run_checks(session, app)
    blocking = rules.blocking_violations(decisions)
    if blocking:
        raise Problem(
            409,
            "申报材料或声明不符合要求，不能提交（第十条）",
            rule=blocking[0]["rule"],
            violations=blocking,
            checks=[d.as_dict() for d in decisions],
        )
    first = app.round == 0
    app.round += 1
    app.status = UNDER_REVIEW
    app.submitted_at = utcnow()
    app.returned_reasons = None
    for d in decisions:
        repo.add(
            session,
            CheckRecord(
                project_id=app.project_id,
                round=app.round,
                rule=d.rule,
                result=d.result,
                message=d.message,
                details=d.details,
            ),
        )
    touch(app)
    await session.flush()
    pid = uuid.UUID(app.project_id)
    await emit(
        session,
        ApplicationSubmitted(project_id=pid, estimated_investment=estimated(app)),
        actor=principal,
        rule="R-10.1",
    )
    await emit(
        session,
        ComplianceChecked(
            project_id=pid,
            checks=[CheckResult(rule=d.rule, article=d.article, result=d.result, message=d.message) for d in decisions],
        ),
        actor=principal,
        rule="R-10.1",
    )
    if first:
        policy = policy_of(app)
        app.review_started_at = utcnow()
        await emit(
            session,
            ReviewStarted(
                project_id=pid,
                org=app.org,
                participant_orgs=list(app.participant_orgs or []),
                title=app.title,
                estimated_investment=estimated(app),
                declared_on=app.declared_on,
                jurisdiction=app.jurisdiction,
                estimate_review_required=rules.estimate_review_required(estimated(app), policy),
                leading_group_required=rules.leading_group_required(estimated(app), policy),
            ),
            actor=principal,
            rule="R-11.1",
        )
        # ask the provincial platform for the project code (sent in the background).
        app.code_status = "pending"
        app.code_next_attempt_at = None
    return app


# -- reviews and decisions --------------------------------------------------------------------


def ensure_reviewable(app: Application, action: str) -> None:
    ensure_not_blocked(app)
    ensure_status(app.status, (UNDER_REVIEW,), action, rule="R-11.1")


def _review(app: Application, principal: Principal, kind: str, **kw) -> Review:
    return Review(
        id=str(uuid.uuid4()),
        project_id=app.project_id,
        round=app.round,
        kind=kind,
        actor=principal.sub,
        actor_org=principal.org,
        superseded=False,
        **kw,
    )


async def record_expert_review(session, principal: Principal, project_id: str, data) -> Review:
    app = await load(session, principal, project_id)
    ensure_reviewable(app, "登记专家评审")
    if app.joint_decision is not None:
        raise Problem(409, "联合会审已作出结论，专家评审已结束（第十一条）", rule="R-11.1")
    review = _review(app, principal, "expert", expert=data.expert, score=data.score, opinion=data.opinion)
    repo.add(session, review)
    touch(app)
    await session.flush()
    await emit(
        session,
        ExpertReviewRecorded(project_id=uuid.UUID(app.project_id), expert=data.expert, score=data.score),
        actor=principal,
        rule="R-11.1",
    )
    return review


async def decide_joint_review(session, principal: Principal, project_id: str, data) -> Application:
    app = await load(session, principal, project_id)
    ensure_reviewable(app, "作出联合会审结论")
    if app.joint_decision is not None:
        raise Problem(409, "联合会审已作出结论（第十一条）", rule="R-11.1")
    if await repo.count_expert_reviews(session, app.project_id, app.round) < 1:
        raise Problem(
            409,
            "须先组织专家评审，再进行联合会审（第十一条）",
            rule="R-11.1",
            violations=[violation("R-11.1", "尚未组织专家评审（第十一条）")],
        )
    app.joint_decision = data.decision
    return await _record_decision(session, app, principal, "joint", data, JointReviewDecided, "R-11.1", "联合会审")


async def decide_leading_group(session, principal: Principal, project_id: str, data) -> Application:
    app = await load(session, principal, project_id)
    ensure_reviewable(app, "作出领导小组审定")
    if app.leading_group_decision is not None:
        raise Problem(409, "领导小组已作出审定（第十一条）", rule="R-11.2")
    problems = rules.leading_group_prerequisites(await review_state(session, app), policy_of(app))
    if problems:
        raise Problem(409, problems[0]["message"], rule=problems[0]["rule"], violations=problems)
    app.leading_group_decision = data.decision
    return await _record_decision(
        session, app, principal, "leading_group", data, LeadingGroupDecided, "R-11.2", "领导小组审定"
    )


async def _record_decision(
    session, app: Application, principal: Principal, kind: str, data, event_cls, rule: str, label: str
) -> Application:
    """A review decision (joint review R-11.1, leading group R-11.2): recorded, published, and a
    rejection ends the application with its reasons."""
    repo.add(session, _review(app, principal, kind, decision=data.decision, opinion=data.opinion))
    touch(app)
    await session.flush()
    await emit(
        session, event_cls(project_id=uuid.UUID(app.project_id), decision=data.decision), actor=principal, rule=rule
    )
    if data.decision == "reject":
        await _reject(session, app, principal, [f"{label}未通过：{data.opinion}"], rule)
    return app


async def issue_technical_opinion(session, principal: Principal, project_id: str, data) -> Application:
    """bdb's technical review opinion (R-10.1), after the reviews (R-11.1, R-11.2)."""
    app = await load(session, principal, project_id)
    ensure_reviewable(app, "出具技术审查意见")
    if app.technical_opinion_no is not None:
        raise Problem(409, "技术审查意见已出具（第十条）", rule="R-10.1")
    problems = rules.opinion_prerequisites(await review_state(session, app), policy_of(app))
    if problems:
        raise Problem(409, problems[0]["message"], rule=problems[0]["rule"], violations=problems)
    repo.add(session, _review(app, principal, "technical_opinion", document_no=data.document_no))
    app.technical_opinion_no = data.document_no
    touch(app)
    await session.flush()
    await emit(
        session,
        TechnicalOpinionIssued(project_id=uuid.UUID(app.project_id), document_no=data.document_no),
        actor=principal,
        rule="R-10.1",
    )
    await try_approve(session, app, principal)
    return app


async def issue_approval_document(session, principal: Principal, project_id: str, data) -> Application:
    """approval_bureau's approval document (R-10.1): only when every prerequisite holds, including
    finance's estimate review at or above the threshold (R-25.1), whose amount is the approved one."""
    app = await load(session, principal, project_id)
    ensure_reviewable(app, "出具审批文件")
    if app.approval_document_no is not None:
        raise Problem(409, "审批文件已出具（第十条）", rule="R-10.1")
    policy = policy_of(app)
    state = await review_state(session, app, data.approved_investment)
    # thresholds on the highest amount, the document's own included; the
    # document may not exceed the reviewed amount (or the declared estimate without review).
    problems = rules.approval_prerequisites(state, policy) + rules.document_amount_violations(state)
    if problems:
        raise Problem(409, problems[0]["message"], rule=problems[0]["rule"], violations=problems)
    repo.add(session, _review(app, principal, "approval_document", document_no=data.document_no))
    app.approval_document_no = data.document_no
    app.document_approved_fen = to_fen(data.approved_investment) if data.approved_investment is not None else None
    app.construction_months = data.construction_months
    touch(app)
    await session.flush()
    await emit(
        session,
        ApprovalDocumentIssued(
            project_id=uuid.UUID(app.project_id),
            document_no=data.document_no,
            approved_investment=data.approved_investment,
            construction_months=data.construction_months,
        ),
        actor=principal,
        rule="R-10.1",
    )
    await try_approve(session, app, principal)
    return app


def missing_for_approval_static(app: Application, state: rules.ReviewState) -> list[dict]:
    out = rules.approval_prerequisites(state, policy_of(app))
    if app.technical_opinion_no is None:
        out.append(violation("R-10.1", "尚未出具市大数据管理局技术审查意见（第十条）"))
    if app.approval_document_no is None:
        out.append(violation("R-10.1", "尚未出具市行政审批局审批文件（第十条）"))
    return out


async def try_approve(session, app: Application, actor) -> bool:
    """Approve when both documents exist and every prerequisite holds; otherwise wait."""
    if app.status != UNDER_REVIEW or app.blocked is not None:
        return False
    state = await review_state(session, app)
    if missing_for_approval_static(app, state):
        return False
    policy = policy_of(app)
    required = rules.estimate_review_required(state.highest, policy)
    if required:
        approved = app.reviewed_fen  # the reviewed amount is the approved investment
    elif app.document_approved_fen is not None:
        approved = app.document_approved_fen
    else:
        approved = app.estimated_fen
    ensure_transition(app.status, APPROVED)
    app.status = APPROVED
    app.approved_fen = approved
    app.original_approved_fen = approved
    app.approved_on = clock.today()
    touch(app)
    compliance = app.compliance or {}
    await emit(
        session,
        ProjectApproved(
            project_id=uuid.UUID(app.project_id),
            org=app.org,
            participant_orgs=list(app.participant_orgs or []),
            title=app.title,
            category=app.category,
            approved_investment=from_fen(approved),
            technical_opinion_no=app.technical_opinion_no,
            approval_document_no=app.approval_document_no,
            estimate_review_required=required,
            estimate_review_report_no=app.estimate_report_no if required else None,
            classified=app.classified,
            built_by_big_data_group=app.built_by_big_data_group,
            serves_public=bool(compliance.get("serves_public")),
            approved_on=app.approved_on,
            declared_on=app.declared_on,
            jurisdiction=app.jurisdiction,
            construction_months=app.construction_months,
        ),
        actor=actor,
        rule="R-25.1" if required else "R-10.1",
    )
    return True


async def _reject(session, app: Application, actor, reasons: list[str], rule: str | None) -> None:
    ensure_transition(app.status, REJECTED)
    app.status = REJECTED
    app.rejection_reasons = reasons
    app.rejection_rule = rule
    if app.code_status == "pending":
        app.code_status = "none"
    touch(app)
    await emit(
        session,
        ProjectRejected(project_id=uuid.UUID(app.project_id), reasons=reasons, rule=rule),
        actor=actor,
        rule=rule,
    )


async def reject(session, principal: Principal, project_id: str, reasons: list[str]) -> Application:
    app = await load(session, principal, project_id)
    ensure_reviewable(app, "作出不予批准决定")
    await _reject(session, app, principal, reasons, "R-10.1")
    return app


async def return_for_revision(session, principal: Principal, project_id: str, reasons: list[str]) -> Application:
    """退回补正: open again; reviews and opinions so far are superseded and given again after resubmission."""
    app = await load(session, principal, project_id)
    ensure_not_blocked(app)
    ensure_transition(app.status, OPEN, rule="R-11.1")
    await repo.supersede_reviews(session, app.project_id)
    app.status = OPEN
    app.returned_reasons = reasons
    app.joint_decision = None
    app.leading_group_decision = None
    app.technical_opinion_no = None
    app.approval_document_no = None
    app.document_approved_fen = None
    app.construction_months = None
    touch(app)
    await emit(
        session,
        ApplicationReturned(project_id=uuid.UUID(app.project_id), reasons=reasons),
        actor=principal,
        rule="R-11.1",
    )
    return app


# -- consumed facts ---------------------------------------------------------------------------


async def record_estimate_review(
    session, project_id: str, report_no: str, amount: Decimal, actor: str = SYSTEM
) -> None:
    """R-25.1: finance's reviewed amount becomes the approved investment. A reviewed amount that
    reaches the leading-group threshold (R-11.2) makes the leading group's approval a prerequisite
    of the approval document from here on; a technical opinion already issued stays valid (our
    reading, basis practice: it judged the technical plan, which the review did not change)."""
    app = await repo.get(session, project_id, for_update=True)
    if app is None:  # the admission that opens it has not been applied here yet: the consumer holds this
        raise PredecessorMissing(project_id, "ProjectAdmittedToReserve")
    if app.status in (APPROVED, REJECTED):
        log.info("estimate_review_after_decision", project_id=project_id, status=app.status)
        return
    app.estimate_report_no = report_no
    app.reviewed_fen = to_fen(amount)
    touch(app)
    await try_approve(session, app, actor)


async def set_blocked(session, project_id: str, state: str | None, actor: str = SYSTEM) -> None:
    """R-30.2: suspended/terminated projects cannot move forward; resumed ones continue."""
    app = await repo.get(session, project_id, for_update=True)
    if app is None:  # oversight only sanctions approved projects: their application is on its way here
        raise PredecessorMissing(project_id, "ProjectAdmittedToReserve")
    if app.blocked == "terminated":
        return  # termination is final
    app.blocked = state
    touch(app)
    if state is None:
        await try_approve(session, app, actor)


# -- reads ------------------------------------------------------------------------------------


async def next_missing(session, app: Application) -> list[dict]:
    """What the next step lacks (for the reader)."""
    if app.status == OPEN:
        kinds = await repo.material_kinds(session, app.project_id)
        out = [violation(d.rule, d.message) for d in rules.check_materials(kinds) if d.result == "fail"]
        if app.compliance is None:
            out.append(violation("R-10.2", "未填报第十条合规声明"))
        return out
    if app.status == UNDER_REVIEW:
        return missing_for_approval_static(app, await review_state(session, app))
    if app.status == APPROVED:
        pending = await repo.pending_reapproval(session, app.project_id)
        if pending is not None:  # the old approval stands until the adjusted plan is approved
            return [
                violation(
                    "R-20.2",
                    "调整方案待重新审批（技术审查意见、审批文件），批复前按原批复执行（第二十条）",
                    reapproval_id=pending.id,
                )
            ]
    return []


async def add_accepted_system(session, project_id: str, org: str, title: str) -> None:
    """FinalAccepted: the accepted system joins the registry of existing systems (R-10.3)."""
    from ..registry import service as registry_service

    app = await repo.get(session, project_id)
    c = (app.compliance or {}) if app is not None else {}
    await registry_service.add_accepted_system(
        session,
        project_id,
        org,
        title or (app.title if app is not None else project_id),
        functions=[f.get("name", "") for f in c.get("functions") or []],
        data_items=[d.get("name", "") for d in c.get("data_items") or []],
        is_platform=bool(c.get("builds_platform")),
    )


# -- reads ----------------------------------------------------------------------------------------
def check_read(c, principal: Principal, app: Application) -> CheckRead:
    return CheckRead(
        rule=c.rule,
        article=article_of(c.rule),
        result=c.result,
        message=c.message,
        basis=basis_of(c.rule),
        round=c.round,
        details=rules.redact_overlaps(c.details or {}, principal.citywide, {app.org, *(app.participant_orgs or [])}),
    )


def summary(app: Application) -> ApplicationSummary:
    return ApplicationSummary(
        project_id=app.project_id,
        declaration_no=app.declaration_no,
        title=app.title,
        org=app.org,
        status=app.status,
        blocked=app.blocked,
        estimated_investment=from_fen(app.estimated_fen),
        approved_investment=from_fen(app.approved_fen) if app.approved_fen is not None else None,
        project_code=app.project_code,
        version=app.version,
    )


async def read_application(session: AsyncSession, app: Application, principal: Principal) -> ApplicationRead:
    policy = policy_of(app)
    est = from_fen(app.estimated_fen)
    return ApplicationRead(
        project_id=app.project_id,
        declaration_no=app.declaration_no,
        title=app.title,
        category=app.category,
        org=app.org,
        participant_orgs=list(app.participant_orgs or []),
        route=app.route,
        library_year=app.library_year,
        declared_on=app.declared_on,
        estimated_investment=est,
        status=app.status,
        blocked=app.blocked,
        version=app.version,
        round=app.round,
        estimate_review_required=rules.estimate_review_required(highest_amount(app), policy),
        leading_group_required=rules.leading_group_required(highest_amount(app), policy),
        estimate_review=(
            {"report_no": app.estimate_report_no, "reviewed_amount": from_fen(app.reviewed_fen)}
            if app.reviewed_fen is not None
            else None
        ),
        leading_group_decision=app.leading_group_decision,
        joint_decision=app.joint_decision,
        technical_opinion_no=app.technical_opinion_no,
        approval_document_no=app.approval_document_no,
        approved_investment=from_fen(app.approved_fen) if app.approved_fen is not None else None,
        original_approved_investment=(
            from_fen(app.original_approved_fen) if app.original_approved_fen is not None else None
        ),
        approved_on=app.approved_on,
        construction_months=app.construction_months,
        project_code=app.project_code,
        project_code_status=app.code_status,
        rejection=(
            {
                "reasons": app.rejection_reasons,
                "rule": app.rejection_rule,
                "article": article_of(app.rejection_rule) if app.rejection_rule else None,
            }
            if app.status == "rejected"
            else None
        ),
        returned_reasons=app.returned_reasons,
        compliance=app.compliance,
        missing=await next_missing(session, app),
        materials=[
            MaterialRead.model_validate(m, from_attributes=True) for m in await repo.materials(session, app.project_id)
        ],
        checks=[check_read(c, principal, app) for c in await repo.checks(session, app.project_id, app.round)],
        reviews=[
            ReviewRead.model_validate(r, from_attributes=True) for r in await repo.reviews(session, app.project_id)
        ],
    )


async def list_applications(
    session: AsyncSession, principal: Principal, status: str | None, org: str | None, after: str | None, limit: int
) -> list[ApplicationSummary]:
    rows = await repo.list_visible(
        session,
        status=status,
        org=org,
        visible_org=None if principal.citywide else principal.org,
        after=after,
        limit=limit,
    )
    return [summary(a) for a in rows]


async def get_application(session: AsyncSession, principal: Principal, project_id: str) -> ApplicationRead:
    app = await load(session, principal, project_id, for_update=False)
    return await read_application(session, app, principal)


async def list_materials(session: AsyncSession, principal: Principal, project_id: str) -> list[MaterialRead]:
    app = await load(session, principal, project_id, for_update=False)
    return [MaterialRead.model_validate(m, from_attributes=True) for m in await repo.materials(session, app.project_id)]


async def list_checks(session: AsyncSession, principal: Principal, project_id: str) -> tuple[int, list[CheckRead]]:
    """The checks of the application's current round, and the round."""
    app = await load(session, principal, project_id, for_update=False)
    return app.round, [check_read(c, principal, app) for c in await repo.checks(session, app.project_id, app.round)]


async def preview_duplicates(session: AsyncSession, principal: Principal, data: OverlapDraft) -> rules.Decision:
    """X-10.3 on a draft: nothing written; other units' pending applications and projects redacted."""
    own = data.project_id or ""
    subject = rules.Subject(
        project_id=own,
        org="",
        title=data.title,
        compliance={
            "functions": [{"name": f} for f in data.functions],
            "data_items": [{"name": d} for d in data.data_items],
        },
    )
    systems = await registry_repo.all_systems(session)
    registry = [_registry_candidate(s) for s in systems]
    accepted = {s.project_id for s in systems if s.project_id}
    building = [_candidate("project", a) for a in await repo.under_construction_others(session, own, accepted)]
    pending = [_candidate("application", a) for a in await repo.pending_others(session, own)]
    decision = rules.check_duplicates(subject, [*registry, *building, *pending])
    details = rules.redact_overlaps(dict(decision.details), principal.citywide, {principal.org})
    return rules.Decision(decision.rule, decision.result, decision.message, details)
