"""Recording archives acceptances, security assessments and secrecy reviews; the facts the
prerequisite rules are applied to."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from govkit.auth import Principal
from govkit.clock import today
from govkit.documents import service as documents
from govkit.errors import Problem, ensure_not_future
from govkit.events.acceptance import ArchivesAccepted, SecrecyReviewed, SecurityAssessed
from govkit.outbox import emit
from govkit.policy import policy_for
from govkit.rules import violation

from ..archives import repository as archives_repo
from ..archives import rules as archive_rules
from ..archives import service as archives
from ..archives.models import ArchivesAcceptance
from ..projects import repository as projects_repo
from ..projects.access import load_for_step, load_visible
from ..projects.models import AcceptanceProject
from . import repository
from .models import SecrecyReview, SecurityAssessment
from .rules import Facts, construction_filing, final_prerequisites, secrecy_for_operation
from .schemas import ArchivesAcceptanceIn, RecordOut, SecrecyReviewIn, SecurityAssessmentIn


async def facts_for(session: AsyncSession, project: AcceptanceProject) -> Facts:
    archives = await archives_repo.acceptances(session, project.project_id)
    security: dict[str, bool] = {}
    for row in await repository.security(session, project.project_id):
        security[row.kind] = row.passed  # the latest of each kind counts
    secrecy = await repository.secrecy(session, project.project_id)
    latest_secrecy = secrecy[-1] if secrecy else None
    return Facts(
        classified=project.classified,
        uses_cryptography=project.uses_cryptography,
        archives_passed=archives[-1].passed if archives else None,
        security_passed=security,
        secrecy_passed=latest_secrecy.passed if latest_secrecy else None,
        operator=latest_secrecy.operator if latest_secrecy else None,
        **filing_facts(project),
    )


def filing_facts(project: AcceptanceProject) -> dict:
    policy = policy_for(project.declared_on or project.approved_on or today(), project.jurisdiction)
    return dict(
        filing_version=project.construction_filed_version,
        supervision_firm=project.supervision_firm,
        warranty_years=project.warranty_years,
        om_plan=project.om_plan_provided,
        training_plan=project.training_plan_provided,
        training_materials=project.training_materials_provided,
        warranty_min_years=policy.warranty_min_years,
    )


async def missing_for_step(session: AsyncSession, project: AcceptanceProject) -> list[dict]:
    """R-17.1: what every acceptance step needs first (the construction filing)."""
    f = Facts(
        classified=project.classified,
        uses_cryptography=project.uses_cryptography,
        archives_passed=None,
        security_passed={},
        secrecy_passed=None,
        operator=None,
        **filing_facts(project),
    )
    return [violation(d.rule, d.message) for d in construction_filing(f)]


async def missing_for_final(session: AsyncSession, project: AcceptanceProject) -> list[dict]:
    facts = await facts_for(session, project)
    return [violation(d.rule, d.message) for d in final_prerequisites(facts)]


async def missing_for_operation(session: AsyncSession, project: AcceptanceProject) -> list[dict]:
    facts = await facts_for(session, project)
    return [violation(d.rule, d.message) for d in secrecy_for_operation(facts)]


REPORT_KIND = {"mlps": "security_test", "risk": "risk_assessment", "crypto": "crypto_assessment"}


async def record_archives(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, data: ArchivesAcceptanceIn, if_match: str | None
) -> ArchivesAcceptance:
    project = await load_for_step(session, principal, project_id, if_match)
    if not archive_rules.may_record(principal.roles):  # the examining body, not the unit
        raise Problem(
            403,
            "档案验收由市大数据管理局或档案主管部门记录，建设单位不能自行记录（第二十二条）",
            rule="R-22.1",
            required_roles=["archives", "bdb"],
        )
    on = data.accepted_on or today()
    ensure_not_future("accepted_on", on)
    await documents.require(session, project.project_id, data.document_id, kinds=("archives_report",))
    frozen = None
    if data.passed:  # the package examined must hold every mandatory document
        m = await archives.current_manifest(session, project)
        missing = archives.examine(m["documents"], project.uses_cryptography)
        if missing:
            raise Problem(
                409,
                "电子档案不完整，不能通过档案验收（第二十二条）：" + "；".join(v["message"] for v in missing),
                rule="R-22.2",
                violations=missing,
            )
        frozen = {"documents": m["documents"], "generated_at": m["generated_at"]}
    row = ArchivesAcceptance(
        project_id=project.project_id,
        report_no=data.report_no,
        passed=data.passed,
        accepted_on=on,
        recorded_by=principal.sub,
        document_id=data.document_id,
        manifest=frozen,
    )
    repository.add(session, row)
    await emit(
        session,
        ArchivesAccepted(project_id=project.project_id, report_no=data.report_no, passed=data.passed),
        actor=principal,
        rule="R-22.1",
    )
    await session.flush()
    return row


async def record_security(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, data: SecurityAssessmentIn, if_match: str | None
) -> SecurityAssessment:
    project = await load_for_step(session, principal, project_id, if_match)
    on = data.assessed_on or today()
    ensure_not_future("assessed_on", on)
    await documents.require(session, project.project_id, data.document_id, kinds=(REPORT_KIND[data.kind],))
    row = SecurityAssessment(
        project_id=project.project_id,
        kind=data.kind,
        report_no=data.report_no,
        passed=data.passed,
        assessed_on=on,
        recorded_by=principal.sub,
        document_id=data.document_id,
    )
    repository.add(session, row)
    await emit(
        session,
        SecurityAssessed(project_id=project.project_id, kind=data.kind, passed=data.passed, report_no=data.report_no),
        actor=principal,
        rule="R-7.2",
    )
    await session.flush()
    return row


async def record_secrecy(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, data: SecrecyReviewIn, if_match: str | None
) -> SecrecyReview:
    project = await load_for_step(session, principal, project_id, if_match)
    if not project.classified:
        raise Problem(409, "非涉密项目无需保密行政管理部门审查（第二十三条）", rule="R-23.1")
    if data.passed and not data.operator.strip():
        raise Problem(
            422,
            "审查合格时须写明负责运行使用管理的专门机构或人员（第二十三条）",
            rule="R-23.1",
            violations=[{"field": "operator", "message": "required when passed"}],
        )
    on = data.reviewed_on or today()
    ensure_not_future("reviewed_on", on)
    await documents.require(session, project.project_id, data.document_id, kinds=("secrecy_review",))
    row = SecrecyReview(
        project_id=project.project_id,
        passed=data.passed,
        operator=data.operator.strip(),
        opinion=data.opinion,
        reviewed_on=on,
        recorded_by=principal.sub,
        document_id=data.document_id,
    )
    repository.add(session, row)
    await emit(
        session,
        SecrecyReviewed(project_id=project.project_id, passed=data.passed, operator=data.operator.strip()),
        actor=principal,
        rule="R-23.1",
    )
    await session.flush()
    return row


async def record_out(session: AsyncSession, row, kind: str, **kw) -> RecordOut:
    """The record, with what final acceptance still lacks after it."""
    project = await projects_repo.get(session, row.project_id)
    missing = await missing_for_final(session, project) if project.stage != "final_accepted" else []
    return RecordOut(id=row.id, project_id=row.project_id, kind=kind, passed=row.passed, missing=missing, **kw)


async def prerequisites(session: AsyncSession, principal: Principal, project_id: uuid.UUID) -> dict:
    """Every record final acceptance rests on, and what it still lacks."""
    project = await load_visible(session, principal, project_id)
    return {
        "archives": [
            {"id": str(r.id), "report_no": r.report_no, "passed": r.passed, "accepted_on": r.accepted_on}
            for r in await archives_repo.acceptances(session, project.project_id)
        ],
        "security_assessments": [
            {
                "id": str(r.id),
                "kind": r.kind,
                "report_no": r.report_no,
                "passed": r.passed,
                "assessed_on": r.assessed_on,
            }
            for r in await repository.security(session, project.project_id)
        ],
        "secrecy_reviews": [
            {"id": str(r.id), "passed": r.passed, "operator": r.operator, "reviewed_on": r.reviewed_on}
            for r in await repository.secrecy(session, project.project_id)
        ],
        "missing": await missing_for_final(session, project) if project.stage != "final_accepted" else [],
    }
