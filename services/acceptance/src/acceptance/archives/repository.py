"""Every query of the archive index."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import ArchiveEntry, ArchivesAcceptance


async def get(session: AsyncSession, doc_id: str) -> ArchiveEntry | None:
    return await session.get(ArchiveEntry, doc_id)


def add(session: AsyncSession, row: ArchiveEntry) -> None:
    session.add(row)


async def of_project(session: AsyncSession, project_id: str) -> Sequence[ArchiveEntry]:
    stmt = (
        select(ArchiveEntry)
        .where(ArchiveEntry.project_id == project_id)
        .order_by(ArchiveEntry.stored_at, ArchiveEntry.doc_id)
    )
    return (await session.scalars(stmt)).all()


async def acceptances(session: AsyncSession, project_id: uuid.UUID) -> list[ArchivesAcceptance]:
    stmt = (
        select(ArchivesAcceptance)
        .where(ArchivesAcceptance.project_id == project_id)
        .order_by(ArchivesAcceptance.created_at, ArchivesAcceptance.id)
    )
    return list((await session.scalars(stmt)).all())
