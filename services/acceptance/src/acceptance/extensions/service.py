"""R-21.5: extension requests by the unit, decisions by bdb."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from govkit.auth import Principal
from govkit.clock import today
from govkit.db import utcnow
from govkit.errors import Problem
from govkit.events.acceptance import AcceptanceExtended
from govkit.outbox import emit
from govkit.rules import violation

from ..notices import service as notices
from ..projects.access import load_for_step, load_visible
from . import repository
from .models import Extension
from .rules import check_request
from .schemas import ExtensionDecisionIn, ExtensionIn


async def request_extension(
    session: AsyncSession, principal: Principal, project_id: uuid.UUID, data: ExtensionIn, if_match: str | None
) -> Extension:
    project = await load_for_step(session, principal, project_id, if_match)
    failed = check_request(
        stage=project.stage,
        current_due=project.due_on,
        new_date=data.new_date,
        today=today(),
        has_pending=await repository.pending(session, project.project_id) is not None,
    )
    if failed:
        raise Problem(409, failed[0].message, rule="R-21.5", violations=[violation(d.rule, d.message) for d in failed])
    row = Extension(
        id=uuid.uuid4(),
        project_id=project.project_id,
        previous_date=project.due_on,
        new_date=data.new_date,
        reason=data.reason,
        status="requested",
        requested_by=principal.sub,
    )
    repository.add(session, row)
    await session.flush()
    await emit(
        session,
        AcceptanceExtended(
            project_id=project.project_id,
            new_date=data.new_date,
            decision="requested",
            extension_id=str(row.id),
            previous_date=project.due_on,
            reason=data.reason,
        ),
        actor=principal,
        rule="R-21.5",
    )
    # bdb must decide — a to-do in its in-tray
    await notices.open_todo(
        session,
        project,
        clock="extension_decision",
        role="bdb",
        org=None,
        ref=str(row.id),
        rule="R-21.5",
        actor=principal,
        message=f"建设单位申请将验收期限延至{data.new_date.isoformat()}，请审核（第二十一条）",
    )
    return row


async def decide_extension(
    session: AsyncSession,
    principal: Principal,
    project_id: uuid.UUID,
    extension_id: uuid.UUID,
    data: ExtensionDecisionIn,
    if_match: str | None,
) -> Extension:
    project = await load_for_step(session, principal, project_id, if_match)
    row = await repository.get(session, project.project_id, extension_id, for_update=True)
    if row is None:
        raise Problem(404, "延期申请不存在")
    if row.status != "requested":
        raise Problem(409, "该延期申请已有决定（第二十一条）", rule="R-21.5")
    if project.stage == "final_accepted":
        raise Problem(409, "项目已通过竣工验收，无需延期（第二十一条）", rule="R-21.5")
    row.status = "granted" if data.decision == "grant" else "refused"
    row.opinion, row.decided_by, row.decided_at = data.opinion, principal.sub, utcnow()
    await notices.clear(
        session,
        project,
        clock="extension_decision",
        ref=str(row.id),
        role="bdb",
        actor=principal,
        message="已批准" if row.status == "granted" else "不予批准",
    )
    if row.status == "granted":  # only an extension bdb grants moves the due date
        if project.due_on is not None:  # the old clock is replaced by the extended one
            await notices.clear(
                session,
                project,
                clock="acceptance_due",
                ref=project.due_on.isoformat(),
                role="unit",
                actor=principal,
                message=f"已延期至{row.new_date.isoformat()}",
            )
        project.due_on, project.due_basis = row.new_date, "extension"
    await session.flush()
    await emit(
        session,
        AcceptanceExtended(
            project_id=project.project_id,
            new_date=row.new_date,
            decision=row.status,
            extension_id=str(row.id),
            previous_date=row.previous_date,
            reason=row.reason,
            opinion=data.opinion,
        ),
        actor=principal,
        rule="R-21.5",
    )
    return row


async def list_extensions(session: AsyncSession, principal: Principal, project_id: uuid.UUID) -> list[Extension]:
    project = await load_visible(session, principal, project_id)
    return await repository.for_project(session, project.project_id)
