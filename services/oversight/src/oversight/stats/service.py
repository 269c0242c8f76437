"""统计 use case: the aggregates a dashboard needs, computed by the database (one query per
aggregate) rather than by a client paging through the project list."""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from govkit.auth import Principal
from govkit.money import fmt

from ..projects import rating
from ..projects.models import ProjectView as V
from . import repository


def _amounts(row) -> dict:
    return {
        "projects": int(row.projects),
        "estimated_investment": fmt(Decimal(row.estimated_investment)),
        "approved_investment": fmt(Decimal(row.approved_investment)),
        "investment": fmt(Decimal(row.investment)),
        "paid_total": fmt(Decimal(row.paid_total)),
    }


async def project_stats(
    session: AsyncSession, principal: Principal, *, org: str | None, library_year: int | None, as_of: date
) -> dict:
    scope = dict(visible_to_org=None if principal.citywide else principal.org, org=org, library_year=library_year)
    total = (await repository.grouped(session, [], **scope))[0]
    stages = await repository.grouped(session, [V.status], **scope)
    years = await repository.grouped(session, [V.library_year], **scope)
    units = await repository.grouped(session, [V.org], **scope)
    unit_years = await repository.grouped(session, [V.org, V.library_year], **scope)
    ratings: Counter[str] = Counter(green=await repository.count_plainly_green(session, **scope), amber=0, red=0)
    async for row in repository.stream_to_rate(session, **scope):
        ratings[rating.rate(row, as_of)[0]] += 1
    return {
        "as_of": as_of,
        "total": _amounts(total),
        "by_stage": [{"status": r.status, **_amounts(r)} for r in stages],
        "by_rating": [{"rating": k, "projects": ratings[k]} for k in ("green", "amber", "red")],
        "by_year": [{"library_year": r.library_year, **_amounts(r)} for r in years],
        "by_unit": [{"org": r.org, **_amounts(r)} for r in units],
        "by_unit_year": [{"org": r.org, "library_year": r.library_year, **_amounts(r)} for r in unit_years],
    }
