"""Use cases of findings (R-29.1, and funds mismatches from budget under R-30.1)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from govkit.auth import Principal
from govkit.events.budget import FundsMismatchFlagged
from govkit.events.oversight import FindingRecorded
from govkit.rules import article_of

from ..publishing import SYSTEM_ACTOR, publish
from ..supervision import service as supervision
from . import repository
from .models import Finding
from .schemas import FindingIn, FindingOut

KIND_ZH = {"refusal": "拒绝配合", "concealment": "隐瞒", "false_reporting": "虚报"}


def to_out(f: Finding) -> FindingOut:
    return FindingOut(
        id=f.id,
        project_id=f.project_id,
        rule=f.rule,
        article=article_of(f.rule),
        kind=f.kind,
        finding=f.finding,
        source=f.source,
        recorded_at=f.recorded_at,
    )


async def record(session: AsyncSession, principal: Principal, project_id: uuid.UUID, body: FindingIn) -> FindingOut:
    await supervision.visible_project(session, principal, project_id)
    f = await repository.add(
        session,
        Finding(
            project_id=project_id,
            rule="R-29.1",
            kind=body.kind,
            finding=body.finding,
            source=principal.org,
            recorded_by=principal.sub,
        ),
    )
    await publish(
        session,
        FindingRecorded(
            project_id=project_id,
            rule="R-29.1",
            finding=body.finding,
            finding_id=str(f.id),
            kind=body.kind,
            source=principal.org,
        ),
        actor=principal,
        rule="R-29.1",
    )
    return to_out(f)


async def record_funds_mismatch(session: AsyncSession, event_id: str, data: FundsMismatchFlagged) -> None:
    """Budget found reported funds differing from its ledger: recorded as a finding (R-30.1, use of funds)."""
    if await repository.from_event(session, event_id) is not None:
        return
    text = (
        f"{data.year}年第{data.quarter}季度报送累计资金使用 {data.reported_funds_used_total} 元，"
        f"与支付台账 {data.ledger_total} 元相差 {data.difference} 元（第三十条）"
    )
    f = await repository.add(
        session,
        Finding(
            project_id=data.project_id,
            rule="R-30.1",
            kind="funds_mismatch",
            finding=text,
            source="budget:FundsMismatchFlagged",
            source_event_id=event_id,
            recorded_by=SYSTEM_ACTOR,
        ),
    )
    await publish(
        session,
        FindingRecorded(
            project_id=data.project_id,
            rule="R-30.1",
            finding=text,
            finding_id=str(f.id),
            kind="funds_mismatch",
            source="budget:FundsMismatchFlagged",
        ),
        actor=SYSTEM_ACTOR,
        rule="R-30.1",
    )


async def project_findings(session: AsyncSession, principal: Principal, project_id: uuid.UUID) -> list[FindingOut]:
    await supervision.visible_project(session, principal, project_id)
    return [to_out(f) for f in await repository.for_project(session, project_id)]
