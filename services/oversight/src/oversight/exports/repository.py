"""Queries of the exports: the quarterly reports with their projects, streamed."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from govkit.excel import keyset_stream

from ..projects.models import ProjectParticipant, ProjectView
from ..reports.models import ProgressReport


async def stream_reports(
    session: AsyncSession,
    *,
    year: int | None,
    quarter: int | None,
    org: str | None,
    visible_to_org: str | None,
    batch: int = 2000,
):
    """Each quarterly report with its project's names, by project then quarter."""
    stmt = select(
        ProgressReport, ProjectView.title, ProjectView.declaration_no, ProjectView.project_code, ProjectView.org
    ).join(ProjectView, ProjectView.project_id == ProgressReport.project_id, isouter=True)
    if year is not None:
        stmt = stmt.where(ProgressReport.year == year)
    if quarter is not None:
        stmt = stmt.where(ProgressReport.quarter == quarter)
    if org is not None:
        stmt = stmt.where(ProjectView.org == org)
    if visible_to_org is not None:
        joint = select(ProjectParticipant.project_id).where(ProjectParticipant.org == visible_to_org)
        stmt = stmt.where((ProjectView.org == visible_to_org) | ProgressReport.project_id.in_(joint))
    keys = [ProgressReport.project_id, ProgressReport.year, ProgressReport.quarter]
    async for row in keyset_stream(
        session,
        stmt,
        keys,
        lambda r: (r.ProgressReport.project_id, r.ProgressReport.year, r.ProgressReport.quarter),
        batch=batch,
    ):
        yield row
