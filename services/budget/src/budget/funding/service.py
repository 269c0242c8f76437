"""Use cases of next year's O&M funding (R-28.1). Never commits."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from govkit.auth import Principal
from govkit.events.budget import OperationFundingDecided
from govkit.outbox import emit
from govkit.pagination import encode_cursor
from govkit.rules import article_of

from ..schemas_common import cursor_values
from . import repository
from .models import OperationFundingDecision
from .rules import funding_decision, overrides

ACTOR = "system:budget"


async def decide_operation_funding(
    session: AsyncSession, project_id: str, rating: str, source: str, evaluated_on: date
) -> OperationFundingDecision | None:
    """One decision per project and year; a post-evaluation overrides a self-evaluation."""
    decision = funding_decision(rating, source, evaluated_on)
    year = decision.details["year"]
    row = await repository.get(session, project_id, year)
    if row is not None:
        if not overrides(row.source, source):
            return None
        if (row.rating, row.source, row.evaluated_on) == (rating, source, evaluated_on):
            return row
    else:
        row = await repository.add(
            session,
            OperationFundingDecision(
                id=str(uuid.uuid4()),
                project_id=project_id,
                year=year,
                decision="",
                rating="",
                source="",
                evaluated_on=evaluated_on,
                basis="",
            ),
        )
    row.decision = decision.details["decision"]
    row.rating, row.source, row.evaluated_on, row.basis = rating, source, evaluated_on, decision.message
    await session.flush()
    await emit(
        session,
        OperationFundingDecided(
            project_id=project_id,
            year=year,
            decision=row.decision,
            rating=rating,
            basis=decision.message,
            source=source,
            evaluated_on=evaluated_on,
        ),
        actor=ACTOR,
        rule="R-28.1",
    )
    return row


async def list_operation_funding(
    session: AsyncSession, principal: Principal, year: int | None, decision: str | None, cursor: str | None, limit: int
) -> dict:
    after = cursor_values(cursor, int, str)
    rows = await repository.list_decisions(
        session,
        year=year,
        decision=decision,
        org=None if principal.citywide else principal.org,
        after=after,
        limit=limit,
    )
    more = len(rows) > limit
    rows = rows[:limit]
    items = [
        {
            "project_id": d.project_id,
            "year": d.year,
            "decision": d.decision,
            "rating": d.rating,
            "source": d.source,
            "evaluated_on": d.evaluated_on,
            "basis": d.basis,
            "rule": "R-28.1",
            "article": article_of("R-28.1"),
            "decided_at": d.decided_at,
            "org": p.org if p else None,
            "title": p.title if p else None,
            "project_code": p.project_code if p else None,
        }
        for d, p in rows
    ]
    return {
        "items": items,
        "next_cursor": encode_cursor([rows[-1][0].year, rows[-1][0].project_id]) if more and rows else None,
    }
