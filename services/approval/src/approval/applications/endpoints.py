"""Applications: thin endpoints (parse, authorise, call the service, return the schema)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Response

from govkit.auth import AnyPrincipal, Principal, allow
from govkit.db import SessionDep
from govkit.money import from_fen
from govkit.pagination import CursorQuery, LimitQuery, decode_cursor, page
from govkit.rules import article_of, basis_of
from govkit.versioning import IfMatch

from . import repository as repo
from . import rules, service
from .models import Application
from .schemas import (
    ApplicationRead,
    ApplicationSummary,
    ApprovalDocumentIn,
    CheckRead,
    ComplianceIn,
    DecisionIn,
    DocumentIn,
    ExpertReviewIn,
    MaterialIn,
    MaterialRead,
    ReasonsIn,
    ReviewRead,
)

router = APIRouter(tags=["applications"])


def _redact(details: dict, principal: Principal, app: Application) -> dict:
    """A unit does not learn about other units' pending applications or projects being built (never
    reveal they exist); the overlap and its score stay visible."""
    if principal.citywide or "overlaps" not in details:
        return details
    mine = {app.org, *(app.participant_orgs or [])}
    hidden = {"application": "其他单位在审项目", "project": "其他单位在建项目"}
    overlaps = []
    for o in details.get("overlaps") or []:
        if o.get("kind") in hidden and o.get("org") not in mine:
            o = {"kind": o.get("kind"), "id": None, "org": None, "name": hidden[o["kind"]], "score": o.get("score")}
        overlaps.append(o)
    return {**details, "overlaps": overlaps}


def _check_read(c, principal: Principal, app: Application) -> CheckRead:
    return CheckRead(
        rule=c.rule,
        article=article_of(c.rule),
        result=c.result,
        message=c.message,
        basis=basis_of(c.rule),
        round=c.round,
        details=_redact(c.details or {}, principal, app),
    )


def _summary(app: Application) -> ApplicationSummary:
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


async def read_application(session, app: Application, principal: Principal) -> ApplicationRead:
    policy = service.policy_of(app)
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
        estimate_review_required=rules.estimate_review_required(service.highest_amount(app), policy),
        leading_group_required=rules.leading_group_required(service.highest_amount(app), policy),
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
        missing=await service.next_missing(session, app),
        materials=[
            MaterialRead.model_validate(m, from_attributes=True) for m in await repo.materials(session, app.project_id)
        ],
        checks=[_check_read(c, principal, app) for c in await repo.checks(session, app.project_id, app.round)],
        reviews=[
            ReviewRead.model_validate(r, from_attributes=True) for r in await repo.reviews(session, app.project_id)
        ],
    )


@router.get("/applications")
async def list_applications(
    principal: AnyPrincipal,
    session: SessionDep,
    status: str | None = None,
    org: str | None = None,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
):
    after = decode_cursor(cursor)
    rows = await repo.list_visible(
        session,
        status=status,
        org=org,
        visible_org=None if principal.citywide else principal.org,
        after=after[0] if after else None,
        limit=limit,
    )
    return page([_summary(a) for a in rows], limit, lambda s: [s.project_id])


@router.get("/applications/{project_id}", response_model=ApplicationRead)
async def get_application(project_id: UUID, principal: AnyPrincipal, session: SessionDep, response: Response):
    app = await service.load(session, principal, str(project_id), for_update=False)
    response.headers["ETag"] = f'"{app.version}"'
    return await read_application(session, app, principal)


@router.post("/applications/{project_id}/materials", response_model=MaterialRead, status_code=201)
async def add_material(project_id: UUID, body: MaterialIn, principal: allow("unit"), session: SessionDep):
    """R-10.1 / R-7.1 / R-14.1 materials; only while the application is open."""
    return await service.add_material(session, principal, str(project_id), body)


@router.get("/applications/{project_id}/materials")
async def list_materials(project_id: UUID, principal: AnyPrincipal, session: SessionDep):
    app = await service.load(session, principal, str(project_id), for_update=False)
    return {
        "items": [
            MaterialRead.model_validate(m, from_attributes=True) for m in await repo.materials(session, app.project_id)
        ],
        "next_cursor": None,
    }


@router.put("/applications/{project_id}/compliance", response_model=ApplicationRead)
async def declare_compliance(
    project_id: UUID, body: ComplianceIn, principal: allow("unit"), session: SessionDep, if_match: IfMatch = None
):
    """The Art. 10 declarations (R-10.2 – R-10.6, R-12.1 contents); If-Match optional."""
    app = await service.declare_compliance(session, principal, str(project_id), body, if_match)
    return await read_application(session, app, principal)


@router.post("/applications/{project_id}/submit", response_model=ApplicationRead)
async def submit(project_id: UUID, principal: allow("unit"), session: SessionDep):
    """Runs the automated checks and starts review (R-9.4, R-7.1, R-10.*, R-12.1, R-14.1)."""
    app = await service.submit(session, principal, str(project_id))
    return await read_application(session, app, principal)


@router.get("/applications/{project_id}/checks")
async def list_checks(project_id: UUID, principal: AnyPrincipal, session: SessionDep):
    app = await service.load(session, principal, str(project_id), for_update=False)
    return {
        "round": app.round,
        "next_cursor": None,
        "items": [_check_read(c, principal, app) for c in await repo.checks(session, app.project_id, app.round)],
    }


@router.post("/applications/{project_id}/expert-reviews", response_model=ReviewRead, status_code=201)
async def expert_review(project_id: UUID, body: ExpertReviewIn, principal: allow("bdb", "expert"), session: SessionDep):
    """R-11.1: one expert's score and opinion."""
    return await service.record_expert_review(session, principal, str(project_id), body)


@router.post("/applications/{project_id}/joint-review", response_model=ApplicationRead)
async def joint_review(
    project_id: UUID, body: DecisionIn, principal: allow("bdb", "approval_bureau"), session: SessionDep
):
    """R-11.1: the joint departmental review; a rejection ends the application."""
    app = await service.decide_joint_review(session, principal, str(project_id), body)
    return await read_application(session, app, principal)


@router.post("/applications/{project_id}/leading-group-decision", response_model=ApplicationRead)
async def leading_group_decision(
    project_id: UUID, body: DecisionIn, principal: allow("leading_group"), session: SessionDep
):
    """R-11.2: required at or above the threshold, refused (409) below it."""
    app = await service.decide_leading_group(session, principal, str(project_id), body)
    return await read_application(session, app, principal)


@router.post("/applications/{project_id}/technical-opinion", response_model=ApplicationRead)
async def technical_opinion(project_id: UUID, body: DocumentIn, principal: allow("bdb"), session: SessionDep):
    app = await service.issue_technical_opinion(session, principal, str(project_id), body)
    return await read_application(session, app, principal)


@router.post("/applications/{project_id}/approval-document", response_model=ApplicationRead)
async def approval_document(
    project_id: UUID, body: ApprovalDocumentIn, principal: allow("approval_bureau"), session: SessionDep
):
    """Approval when both documents exist and every prerequisite holds (R-25.1 at or above the threshold)."""
    app = await service.issue_approval_document(session, principal, str(project_id), body)
    return await read_application(session, app, principal)


@router.post("/applications/{project_id}/return-for-revision", response_model=ApplicationRead)
async def return_for_revision(
    project_id: UUID, body: ReasonsIn, principal: allow("bdb", "approval_bureau"), session: SessionDep
):
    app = await service.return_for_revision(session, principal, str(project_id), body.reasons)
    return await read_application(session, app, principal)


@router.post("/applications/{project_id}/reject", response_model=ApplicationRead)
async def reject(project_id: UUID, body: ReasonsIn, principal: allow("bdb", "approval_bureau"), session: SessionDep):
    """A rejection ends the application with its reasons."""
    app = await service.reject(session, principal, str(project_id), body.reasons)
    return await read_application(session, app, principal)
