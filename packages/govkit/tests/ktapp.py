"""A tiny test-only service built on the kernel: a publisher ("kt") with its own `kt_` tables on
`govkit.db.Base`, and a consumer ("ktc") of its events. Nothing here is imported by production code."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Integer, Numeric, String, func, select
from sqlalchemy.orm import Mapped, mapped_column

from govkit.app import ServiceSpec, create_service_app
from govkit.auth import AnyPrincipal, allow
from govkit.db import Base, SessionDep, make_engine
from govkit.errors import PredecessorMissing, Problem, not_found
from govkit.events import EventData, event_type
from govkit.kernel_models import (
    AuditAnchor,
    ConsumerCursor,
    IdempotencyRecord,
    InboxEvent,
    OutboxEvent,
    ParkedEvent,
)
from govkit.money import Money, fmt
from govkit.outbox import emit
from govkit.pagination import CursorQuery, LimitQuery, decode_cursor, page
from govkit.params import AsOfQuery
from govkit.policy import CITY, policy_for
from govkit.rules import violation
from govkit.settings import ServiceSettings, service_config

# -- events (registered under the test-only publisher "kt") ----------------------------------
KT = event_type("kt")


@KT
class KtThingCreated(EventData):
    name: str
    amount: Money
    org: str


@KT
class KtThingChanged(EventData):
    """Needs the thing's KtThingCreated applied first (its handler raises PredecessorMissing before)."""

    note: str = ""


@KT
class KtPoison(EventData):
    note: str = ""


# -- tables ----------------------------------------------------------------------------------
class KtThing(Base):
    __tablename__ = "kt_things"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    amount: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    kind: Mapped[str] = mapped_column(String(10))
    org: Mapped[str] = mapped_column(String(80))
    version: Mapped[int] = mapped_column(Integer, default=1)


class KtSeen(Base):
    """One row per time the consumer applied a KtThingCreated (twice = applied twice)."""

    __tablename__ = "kt_seen"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(36))
    thing_id: Mapped[str] = mapped_column(String(36))


KERNEL_TABLES = [
    OutboxEvent.__table__,
    InboxEvent.__table__,
    ConsumerCursor.__table__,
    IdempotencyRecord.__table__,
    AuditAnchor.__table__,
    ParkedEvent.__table__,
]
KT_TABLES = [KtThing.__table__, KtSeen.__table__]


async def create_tables(url: str) -> None:
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(lambda c: Base.metadata.create_all(c, tables=KERNEL_TABLES + KT_TABLES))
    finally:
        await engine.dispose()


# -- settings --------------------------------------------------------------------------------
class KtSettings(ServiceSettings):
    model_config = service_config("kt")
    service_name: str = "kt"
    kt_url: str = "http://127.0.0.1:9"  # where the consumer finds the publisher's /internal/events


# -- the publisher's API ---------------------------------------------------------------------
router = APIRouter()


class ThingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1)
    amount: Money
    kind: Literal["a", "b"]


def _out(t: KtThing) -> dict:
    return {"id": t.id, "name": t.name, "amount": fmt(t.amount), "kind": t.kind, "org": t.org, "version": t.version}


@router.post("/things", status_code=201)
async def create_thing(body: ThingIn, principal: allow("unit"), session: SessionDep):
    thing = KtThing(
        id=str(uuid.uuid4()), name=body.name, amount=body.amount, kind=body.kind, org=principal.org, version=1
    )
    session.add(thing)
    await emit(
        session,
        KtThingCreated(project_id=uuid.UUID(thing.id), name=thing.name, amount=thing.amount, org=thing.org),
        actor=principal,
        rule="R-9.3",
    )
    return _out(thing)


@router.post("/things/{thing_id}/refuse")
async def refuse(thing_id: str, principal: allow("unit"), session: SessionDep):
    """Writes, then refuses: the write must not survive."""
    session.add(KtThing(id=thing_id, name="refused", amount=Decimal("1"), kind="a", org=principal.org))
    await session.flush()
    raise Problem(
        409,
        "缺少必要材料（第二十六条）",
        rule="R-26.1",
        violations=[violation("R-26.1", "缺少技术审核意见"), violation("X-20.1", "累计调整超限")],
    )


@router.post("/crash")
async def crash(principal: allow("unit"), session: SessionDep):
    session.add(KtThing(id=str(uuid.uuid4()), name="crash", amount=Decimal("1"), kind="a", org=principal.org))
    await session.flush()
    raise RuntimeError("boom")


@router.post("/poison", status_code=201)
async def poison(principal: allow("unit"), session: SessionDep):
    await emit(session, KtPoison(project_id=uuid.uuid4(), note="poison"), actor=principal)
    return {"ok": True}


@router.get("/things")
async def list_things(principal: AnyPrincipal, session: SessionDep, limit: LimitQuery = 50, cursor: CursorQuery = None):
    after = decode_cursor(cursor)
    stmt = select(KtThing).order_by(KtThing.id).limit(limit + 1)
    if after:
        stmt = stmt.where(KtThing.id > after[0])
    if not principal.citywide:
        stmt = stmt.where(KtThing.org == principal.org)
    rows = [_out(t) for t in (await session.scalars(stmt)).all()]
    return page(rows, limit, key=lambda t: [t["id"]])


@router.get("/things/{thing_id}")
async def get_thing(thing_id: str, principal: AnyPrincipal, session: SessionDep):
    thing = await session.get(KtThing, thing_id)
    if thing is None:
        raise not_found("事项")
    principal.ensure_can_see([thing.org], "事项")
    return _out(thing)


@router.get("/policy")
async def policy(on: date, jurisdiction: Annotated[str, Query()] = CITY):
    p = policy_for(on, jurisdiction)
    return {"code": p.code, "leading_group_threshold": fmt(p.leading_group_threshold)}


# -- the consumer's handlers -----------------------------------------------------------------
POISON_CALLS: list[str] = []


async def on_thing_created(session, data: KtThingCreated, event) -> None:
    session.add(KtSeen(event_id=event.id, thing_id=str(data.project_id)))


CHANGES_APPLIED: list[str] = []  # the notes of the KtThingChanged applied, in the order applied


async def on_thing_changed(session, data: KtThingChanged, event) -> None:
    seen = await session.scalar(select(KtSeen.id).where(KtSeen.thing_id == str(data.project_id)).limit(1))
    if seen is None:
        raise PredecessorMissing(str(data.project_id), "KtThingCreated")
    CHANGES_APPLIED.append(data.note)


async def on_poison(session, data: KtPoison, event) -> None:
    POISON_CALLS.append(event.id)
    raise RuntimeError("poison event")


HANDLERS = {KtThingCreated: on_thing_created, KtThingChanged: on_thing_changed, KtPoison: on_poison}


def publisher_app(settings: KtSettings):
    spec = ServiceSpec(name="kt", root=Path(__file__).parent, routers=[router], title="kt publisher")
    return create_service_app(spec, settings)


def consumer_app(settings: KtSettings):
    spec = ServiceSpec(name="ktc", root=Path(__file__).parent, routers=[], handlers=HANDLERS, title="kt consumer")
    return create_service_app(spec, settings)


async def seen_counts(sessionmaker) -> dict[str, int]:
    async with sessionmaker() as s:
        rows = (await s.execute(select(KtSeen.thing_id, func.count()).group_by(KtSeen.thing_id))).all()
        return {tid: n for tid, n in rows}


@router.get("/today")
async def today_is(as_of: AsOfQuery = None, status: Literal["open", "closed"] | None = None):
    return {"as_of": str(as_of), "status": status}
