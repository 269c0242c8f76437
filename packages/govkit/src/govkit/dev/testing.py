"""Test helpers shared by every service: a migrated database (PostgreSQL when GOVPM_TEST_PG is
set, SQLite otherwise), an in-process client, tokens, and event delivery through the inbox."""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy import delete, select, text

from ..auth import mint_token
from ..db import Base
from ..events import PUBLISHER, CloudEvent, EventData
from ..kernel_models import OutboxEvent
from ..outbox import to_cloudevent

TEST_SECRET = "test-secret-for-govpm-only-0123456789abcdef"
TEST_PG = os.environ.get("GOVPM_TEST_PG")  # e.g. postgresql+asyncpg://postgres@127.0.0.1:5432


async def fresh_database_url(name: str) -> str:
    """An empty database named `name` (dropped and created again on PostgreSQL)."""
    if TEST_PG:
        import asyncpg

        dsn = TEST_PG.replace("postgresql+asyncpg://", "postgresql://")
        conn = await asyncpg.connect(f"{dsn}/postgres")
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()
        return f"{TEST_PG}/{name}"
    path = os.path.join(tempfile.mkdtemp(prefix="govpm-"), f"{name}.db")
    return f"sqlite+aiosqlite:///{path}"


async def drop_databases(names: list[str]) -> None:
    import asyncpg

    conn = await asyncpg.connect(TEST_PG.replace("postgresql+asyncpg://", "postgresql://") + "/postgres")
    try:
        for name in names:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


def token(roles: str | list[str], org: str = "ORG-TEST", sub: str | None = None, **kw) -> str:
    roles = [roles] if isinstance(roles, str) else roles
    return mint_token(TEST_SECRET, sub=sub or f"{roles[0]}-{org}", org=org, roles=roles, **kw)


def auth(roles: str | list[str], org: str = "ORG-TEST", **kw) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(roles, org, **kw)}"}


def make_event(
    payload: EventData,
    *,
    actor: str = "test",
    subject: str | None = None,
    time: datetime | None = None,
    seq: int | None = None,
) -> CloudEvent:
    etype = type(payload).__name__
    return CloudEvent(
        source=f"/govpm/{PUBLISHER[etype]}",
        type=etype,
        time=time or datetime.now(UTC),
        subject=subject or (str(payload.project_id) if payload.project_id else None),
        data=payload.model_dump(mode="json"),
        actor=actor,
        seq=seq,
    )


class ServiceHarness:
    """A service app with its lifespan running, an httpx client on it, and event helpers."""

    def __init__(self, app, client: httpx.AsyncClient):
        self.app, self.client = app, client

    @property
    def sessionmaker(self):
        return self.app.state.sessionmaker

    async def deliver(self, payload: EventData | CloudEvent, **kw) -> bool:
        """Hand an event to the service's consumer, exactly as Kafka or catch-up would."""
        event = payload if isinstance(payload, CloudEvent) else make_event(payload, **kw)
        return await self.app.state.consumer.handle(event)

    async def events(self, type_: str | None = None, subject: str | None = None) -> list[CloudEvent]:
        async with self.sessionmaker() as s:
            stmt = select(OutboxEvent).order_by(OutboxEvent.seq)
            if type_:
                stmt = stmt.where(OutboxEvent.type == type_)
            if subject:
                stmt = stmt.where(OutboxEvent.subject == str(subject))
            rows = (await s.scalars(stmt)).all()
            return [to_cloudevent(r, self.app.state.service) for r in rows]

    async def reset(self) -> None:
        """Empty every table (between tests)."""
        async with self.sessionmaker() as s:
            names = await s.run_sync(
                lambda ss: [
                    t.name
                    for t in reversed(Base.metadata.sorted_tables)
                    if ss.bind.dialect.has_table(ss.connection(), t.name)
                ]
            )
            if s.bind.dialect.name == "postgresql" and names:
                await s.execute(text("TRUNCATE " + ", ".join(f'"{n}"' for n in names) + " RESTART IDENTITY CASCADE"))
            else:
                for table in reversed(Base.metadata.sorted_tables):
                    if table.name in names:
                        await s.execute(delete(table))
            await s.commit()


@contextlib.asynccontextmanager
async def service_harness(
    create_app: Callable[[Any], Any], settings_cls, name: str, **overrides
) -> AsyncIterator[ServiceHarness]:
    """Run `create_app(settings)` on a fresh migrated database, without Kafka or catch-up."""
    # A name of its own per run: several test runs (CI, a developer, helpers) may share one PostgreSQL.
    db_name = f"govpm_test_{name}_{uuid.uuid4().hex[:6]}"
    url = await fresh_database_url(db_name)
    overrides.setdefault("data_dir", tempfile.mkdtemp(prefix=f"govpm-{name}-data-"))  # stored documents
    settings = settings_cls(
        database_url=url, env="test", jwt_secret=TEST_SECRET, kafka_enabled=False, catchup_interval_s=0, **overrides
    )
    app = create_app(settings)
    try:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
                yield ServiceHarness(app, client)
    finally:
        if TEST_PG:
            await drop_databases([db_name])


async def eventually(check, timeout: float = 20.0, interval: float = 0.05):
    """Poll an async or sync `check()` until it returns something truthy (work done in the background)."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = check()
            if asyncio.iscoroutine(last):
                last = await last
            if last:
                return last
        except AssertionError as exc:
            last = exc
        await asyncio.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s; last: {last!r}")
