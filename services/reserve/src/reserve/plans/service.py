"""Use cases of the overall plan (R-4.1): bdb drafts a version, the leading group approves or
rejects it; an approved version supersedes the one before; declarations name a plan item of the
approved version. Never commits; every change emits its event."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from govkit import clock
from govkit.auth import Principal
from govkit.errors import Problem
from govkit.events.reserve import PlanVersionDecided, PlanVersionDrafted
from govkit.outbox import emit
from govkit.policy import normalise_jurisdiction
from govkit.versioning import check_if_match

from . import repository, rules
from .models import PlanVersion
from .schemas import PlanDecisionIn, PlanDocumentIn, PlanItemRead, PlanVersionCreate, PlanVersionList, PlanVersionRead


def to_read(p: PlanVersion) -> PlanVersionRead:
    return PlanVersionRead(
        id=p.id,
        jurisdiction=p.jurisdiction,
        version_no=p.version_no,
        title=p.title,
        period_from=p.period_from,
        period_to=p.period_to,
        summary=p.summary or "",
        items=[PlanItemRead(**i) for i in (p.items or [])],
        document=PlanDocumentIn(name=p.document_name, sha256=p.document_sha256) if p.document_name else None,
        status=p.status,
        drafted_by=p.drafted_by,
        drafted_on=p.drafted_on,
        decided_by=p.decided_by,
        decided_on=p.decided_on,
        opinion=p.opinion,
        superseded_on=p.superseded_on,
        created_at=p.created_at,
        version=p.version,
    )


def _refuse(decisions, status: int = 422) -> None:
    failed = [d for d in decisions if not d.ok]
    if failed:
        raise Problem(
            status,
            failed[0].message,
            rule="R-4.1",
            violations=[{**d.as_dict(), "field": d.details.get("field")} for d in failed],
        )


def _jurisdiction(principal: Principal) -> str:
    return normalise_jurisdiction(principal.jurisdiction) or "city"


async def draft(session: AsyncSession, principal: Principal, data: PlanVersionCreate) -> PlanVersionRead:
    _refuse(
        [rules.check_period(data.period_from, data.period_to), *rules.check_items([i.model_dump() for i in data.items])]
    )
    jurisdiction = _jurisdiction(principal)
    row = PlanVersion(
        id=str(uuid.uuid4()),
        jurisdiction=jurisdiction,
        version_no=await repository.last_version_no(session, jurisdiction) + 1,
        title=data.title,
        period_from=data.period_from,
        period_to=data.period_to,
        summary=data.summary,
        items=[i.model_dump() for i in data.items],
        document_name=data.document.name if data.document else None,
        document_sha256=data.document.sha256 if data.document else None,
        status="draft",
        drafted_by=principal.sub,
        drafted_on=clock.today(),
    )
    await repository.add(session, row)
    await emit(
        session,
        PlanVersionDrafted(
            plan_id=row.id,
            jurisdiction=jurisdiction,
            version_no=row.version_no,
            title=row.title,
            period_from=row.period_from,
            period_to=row.period_to,
            item_codes=[i["code"] for i in row.items],
        ),
        actor=principal,
        rule="R-4.1",
    )
    return to_read(row)


async def _get(session: AsyncSession, plan_id: str, *, lock: bool = False) -> PlanVersion:
    try:
        uuid.UUID(plan_id)
    except ValueError:
        raise Problem(404, "总体规划版本不存在") from None
    row = await repository.get(session, plan_id, lock=lock)
    if row is None:
        raise Problem(404, "总体规划版本不存在")
    return row


async def decide(
    session: AsyncSession, principal: Principal, plan_id: str, data: PlanDecisionIn, if_match: str | None
) -> PlanVersionRead:
    """R-4.1: the leading group approves (审定) or rejects a draft; approving supersedes the version in force."""
    row = await _get(session, plan_id, lock=True)
    check_if_match(if_match, row.version)
    _refuse([rules.check_decidable(row.status)], 409)
    today = clock.today()
    previous = await repository.approved(session, row.jurisdiction, lock=True) if data.decision == "approve" else None
    if previous is not None:
        previous.status, previous.superseded_on = "superseded", today
    row.status = "approved" if data.decision == "approve" else "rejected"
    row.decided_by, row.decided_on, row.opinion = principal.sub, today, data.opinion
    await session.flush()
    await emit(
        session,
        PlanVersionDecided(
            plan_id=row.id,
            jurisdiction=row.jurisdiction,
            version_no=row.version_no,
            decision=data.decision,
            opinion=data.opinion,
            decided_on=today,
            superseded_plan_id=previous.id if previous else None,
        ),
        actor=principal,
        rule="R-4.1",
    )
    return to_read(row)


async def get(session: AsyncSession, plan_id: str) -> PlanVersionRead:
    return to_read(await _get(session, plan_id))


async def current(session: AsyncSession, principal: Principal, jurisdiction: str | None) -> PlanVersionRead:
    juris = normalise_jurisdiction(jurisdiction) if jurisdiction is not None else _jurisdiction(principal)
    row = await repository.approved(session, juris or "city")
    if row is None:
        raise Problem(404, "尚无经领导小组审定的总体规划（第四条）", rule="R-4.1")
    return to_read(row)


async def listing(session: AsyncSession, jurisdiction: str | None, status: str | None) -> PlanVersionList:
    juris = normalise_jurisdiction(jurisdiction) if jurisdiction is not None else None
    return PlanVersionList(items=[to_read(r) for r in await repository.listing(session, juris, status)])


async def plan_item_of(session: AsyncSession, jurisdiction: str, code: str) -> tuple[str, str]:
    """A declaration's plan item (R-4.1): (plan version id, code) of the approved plan, or 422."""
    row = await repository.approved(session, jurisdiction)
    d = rules.check_plan_item(row.version_no if row else None, [i["code"] for i in (row.items if row else [])], code)
    _refuse([d])
    return row.id, code
