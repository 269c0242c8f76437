"""Every query of libraries and their supplements."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from govkit.db import is_postgres

from .models import Library, LibrarySupplement


async def get(session: AsyncSession, library_year: int, *, lock: bool = False) -> Library | None:
    stmt = select(Library).where(Library.library_year == library_year)
    if lock and is_postgres(session):
        stmt = stmt.with_for_update()
    return (await session.scalars(stmt.execution_options(populate_existing=lock))).one_or_none()


async def lock_year(session: AsyncSession, library_year: int) -> None:
    """Serialise compile/file/supplement of one library year (the row may not exist yet)."""
    if is_postgres(session):
        from sqlalchemy import text

        await session.execute(text("SELECT pg_advisory_xact_lock(7140102, :y)"), {"y": library_year})


async def add(session: AsyncSession, library: Library) -> Library:
    session.add(library)
    await session.flush()
    return library


async def add_supplement(session: AsyncSession, row: LibrarySupplement) -> LibrarySupplement:
    session.add(row)
    await session.flush()
    return row


async def supplements(session: AsyncSession, library_year: int) -> list[LibrarySupplement]:
    stmt = (
        select(LibrarySupplement)
        .where(LibrarySupplement.library_year == library_year)
        .order_by(LibrarySupplement.created_at, LibrarySupplement.id)
    )
    return list((await session.scalars(stmt)).all())
