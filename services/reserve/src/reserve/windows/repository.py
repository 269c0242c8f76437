from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from govkit.db import is_postgres

from .models import Window


async def add(session: AsyncSession, window: Window) -> Window:
    session.add(window)
    await session.flush()
    return window


async def get(session: AsyncSession, window_id: str) -> Window | None:
    return await session.get(Window, window_id)


async def of_year(session: AsyncSession, library_year: int, *, lock: bool = False) -> list[Window]:
    stmt = select(Window).where(Window.library_year == library_year).order_by(Window.opens_on, Window.id)
    if lock and is_postgres(session):
        stmt = stmt.with_for_update()
    return list((await session.scalars(stmt)).all())


async def open_on(session: AsyncSession, day, library_year: int | None = None) -> list[Window]:
    stmt = select(Window).where(Window.opens_on <= day, Window.closes_on >= day)
    if library_year is not None:
        stmt = stmt.where(Window.library_year == library_year)
    return list((await session.scalars(stmt.order_by(Window.library_year, Window.opens_on))).all())


async def closing_between(session: AsyncSession, start, end) -> list[Window]:
    stmt = (
        select(Window).where(Window.closes_on >= start, Window.closes_on <= end).order_by(Window.closes_on, Window.id)
    )
    return list((await session.scalars(stmt)).all())


async def listing(
    session: AsyncSession, *, library_year: int | None, kind: str | None, after: tuple[int, str, str] | None, limit: int
) -> list[Window]:
    stmt = select(Window)
    if library_year is not None:
        stmt = stmt.where(Window.library_year == library_year)
    if kind is not None:
        stmt = stmt.where(Window.kind == kind)
    if after is not None:
        year, opens, wid = after
        stmt = stmt.where(
            (Window.library_year > year)
            | ((Window.library_year == year) & (Window.opens_on > opens))
            | ((Window.library_year == year) & (Window.opens_on == opens) & (Window.id > wid))
        )
    stmt = stmt.order_by(Window.library_year, Window.opens_on, Window.id).limit(limit + 1)
    return list((await session.scalars(stmt)).all())


async def lock_year(session: AsyncSession, library_year: int) -> None:
    """Serialise window openings of one library year (no two overlapping windows slip in together)."""
    if is_postgres(session):
        from sqlalchemy import text

        await session.execute(text("SELECT pg_advisory_xact_lock(7140101, :y)"), {"y": library_year})
