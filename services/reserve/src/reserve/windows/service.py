"""Use cases of windows. Never commits; emits WindowOpened."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from govkit import clock
from govkit.auth import Principal
from govkit.errors import Problem, not_found
from govkit.events.reserve import WindowOpened
from govkit.outbox import emit
from govkit.pagination import decode_cursor, encode_cursor
from govkit.policy import policy_for

from ..library_records import repository as libraries
from . import repository, rules
from .models import Window
from .schemas import WindowCreate, WindowList, WindowRead


def to_read(w: Window, as_of: date) -> WindowRead:
    days_left = (w.closes_on - as_of).days if w.closes_on >= as_of else None
    return WindowRead(
        id=w.id,
        kind=w.kind,
        library_year=w.library_year,
        opens_on=w.opens_on,
        closes_on=w.closes_on,
        jurisdiction=w.jurisdiction,
        title=w.title,
        created_by=w.created_by,
        created_at=w.created_at,
        version=w.version,
        is_open=w.is_open_on(as_of),
        days_left=days_left,
    )


async def open_window(session: AsyncSession, principal: Principal, data: WindowCreate) -> WindowRead:
    policy = policy_for(data.opens_on)
    await repository.lock_year(session, data.library_year)
    existing = await repository.of_year(session, data.library_year)
    library = await libraries.get(session, data.library_year)
    decisions = rules.check_window(
        data.kind,
        data.library_year,
        data.opens_on,
        data.closes_on,
        policy,
        existing,
        library_filed=bool(library and library.status == "filed"),
    )
    failed = [d for d in decisions if not d.ok]
    if failed:
        raise Problem(409, failed[0].message, rule=failed[0].rule, violations=[d.as_dict() for d in failed])
    window = Window(
        id=str(uuid.uuid4()),
        kind=data.kind,
        library_year=data.library_year,
        opens_on=data.opens_on,
        closes_on=data.closes_on,
        title=data.title,
        created_by=principal.sub,
    )
    await repository.add(session, window)
    await emit(
        session,
        WindowOpened(
            window_id=window.id,
            kind=window.kind,
            library_year=window.library_year,
            opens_on=window.opens_on,
            closes_on=window.closes_on,
        ),
        actor=principal,
        rule=rules.KIND_RULE[data.kind],
    )
    return to_read(window, clock.today())


async def get_window(session: AsyncSession, window_id: str, as_of: date) -> WindowRead:
    window = await repository.get(session, window_id)
    if window is None:
        raise not_found("申报窗口")
    return to_read(window, as_of)


async def list_windows(
    session: AsyncSession, *, library_year: int | None, kind: str | None, as_of: date, limit: int, cursor: str | None
) -> WindowList:
    after = decode_cursor(cursor)
    key = None
    if after is not None:
        try:
            key = (int(after[0]), date.fromisoformat(after[1]), str(after[2]))
        except (IndexError, ValueError, TypeError):
            raise Problem(422, "cursor 无效", violations=[{"field": "cursor", "message": "invalid cursor"}]) from None
    rows = await repository.listing(session, library_year=library_year, kind=kind, after=key, limit=limit)
    more = len(rows) > limit
    rows = rows[:limit]
    nxt = encode_cursor([rows[-1].library_year, rows[-1].opens_on.isoformat(), rows[-1].id]) if more and rows else None
    return WindowList(items=[to_read(w, as_of) for w in rows], next_cursor=nxt)
