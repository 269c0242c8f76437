"""Use cases of construction filings (R-15.1, R-16.*, R-17.1)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from govkit.auth import Principal
from govkit.db import touch, utcnow
from govkit.errors import Problem
from govkit.events.oversight import ConstructionFiled
from govkit.versioning import check_if_match

from .. import clock
from ..publishing import publish
from ..supervision import service as supervision
from . import repository, rules
from .models import ConstructionFiling
from .schemas import ConstructionIn, ConstructionOut


def _out(project_id: uuid.UUID, filing: ConstructionFiling | None, missing: list[dict]) -> ConstructionOut:
    if filing is None:
        return ConstructionOut(project_id=project_id, filed=False, missing=missing)
    return ConstructionOut(
        project_id=project_id,
        filed=True,
        implementing_body=filing.implementing_body,
        responsible_person=filing.responsible_person,
        supervision_firm=filing.supervision_firm,
        warranty_years=filing.warranty_years,
        ip_owner=filing.ip_owner,
        om_plan=filing.om_plan,
        training_plan=filing.training_plan,
        training_materials=filing.training_materials,
        procurement_classified=filing.procurement_classified,
        planned_completion_on=filing.planned_completion_on,
        tenders=filing.tenders or [],
        contracts=filing.contracts or [],
        version=filing.version,
        filed_at=filing.filed_at,
        updated_at=filing.updated_at,
        missing=missing,
    )


async def file_construction(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, body: ConstructionIn, if_match: str | None
) -> ConstructionOut:
    project = await supervision.visible_project(session, principal, project_id, for_update=True)
    supervision.ensure_not_terminated(project)
    if project.final_accepted_on is not None:
        raise Problem(409, "项目已终验，不再办理建设备案（第十五条）", rule="R-15.1")
    decisions = rules.check_filing(
        body, project_orgs=project.orgs, on=project.declared_on or clock.today(), jurisdiction=project.jurisdiction
    )
    failed = rules.failures(decisions)
    if failed:
        violations = [{**d.as_dict(), "field": d.details["field"]} for d in failed]
        raise Problem(
            422, "建设备案不完整：" + "；".join(d.message for d in failed), rule=failed[0].rule, violations=violations
        )
    filing = await repository.get(session, project_id, for_update=True)
    values = body.model_dump(mode="json", exclude={"planned_completion_on"})
    if filing is None:
        if if_match is not None:
            raise Problem(412, "建设备案尚不存在，不能按版本更正", current_version=0)
        filing = ConstructionFiling(
            project_id=project_id,
            filed_by=principal.sub,
            version=1,
            planned_completion_on=body.planned_completion_on,
            **values,
        )
        session.add(filing)
    else:
        check_if_match(if_match, filing.version)
        for key, value in values.items():
            setattr(filing, key, value)
        filing.planned_completion_on = body.planned_completion_on
        touch(filing)  # a correction is a new version of the filing even when no figure changed
        filing.updated_at = utcnow()
        filing.filed_by = principal.sub
    await session.flush()
    await publish(
        session,
        ConstructionFiled(
            project_id=project_id,
            implementing_body=filing.implementing_body,
            supervision_firm=filing.supervision_firm,
            warranty_years=filing.warranty_years,
            org=project.org,
            responsible_person=filing.responsible_person,
            ip_owner=filing.ip_owner,
            tenders=len(filing.tenders or []),
            planned_completion_on=filing.planned_completion_on,
            version=filing.version,
            om_plan_provided=bool((filing.om_plan or "").strip()),
            training_plan_provided=bool((filing.training_plan or "").strip()),
            training_materials_provided=bool((filing.training_materials or "").strip()),
        ),
        actor=principal,
        rule="R-15.1",
    )
    return _out(project_id, filing, [])


async def get_construction(session: AsyncSession, principal: Principal, project_id: uuid.UUID) -> ConstructionOut:
    project = await supervision.visible_project(session, principal, project_id)
    filing = await repository.get(session, project_id)
    missing: list[dict] = []
    if filing is None:
        decisions = rules.check_filing(
            ConstructionIn(),
            project_orgs=project.orgs,
            on=project.declared_on or clock.today(),
            jurisdiction=project.jurisdiction,
        )
        missing = [{**d.as_dict(), "field": d.details["field"]} for d in rules.failures(decisions)]
    return _out(project_id, filing, missing)
