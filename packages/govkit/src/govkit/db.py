"""Async SQLAlchemy 2: one Base with a naming convention, engines for PostgreSQL and SQLite,
one transaction per request (committed by the dependency) or per consumed event."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from prometheus_client import Counter
from sqlalchemy import JSON, DateTime, MetaData, event, inspect
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapper, Session, object_session
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Timezone-aware datetimes on every backend (SQLite drops the offset; we put UTC back)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: times are timezone-aware")
        return value.astimezone(UTC)

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


JSONType = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSONType, list[Any]: JSONType}


def utcnow() -> datetime:
    return datetime.now(UTC)


DB_STATEMENTS = Counter(
    "govpm_db_statements_total", "SQL statements sent to the database, by first keyword", ["service", "kind"]
)
DB_TRANSACTIONS = Counter("govpm_db_transactions_total", "Transactions ended, by outcome", ["service", "outcome"])
_KINDS = ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")


def count_statements(engine: AsyncEngine, service: str) -> None:
    """Count every statement and every commit/rollback of the engine in Prometheus (/metrics), so a
    benchmark can say how many round trips a request or a consumed event costs (`make bench`)."""
    statements = {k: DB_STATEMENTS.labels(service, k.lower()) for k in _KINDS}
    other = DB_STATEMENTS.labels(service, "other")
    commits, rollbacks = DB_TRANSACTIONS.labels(service, "commit"), DB_TRANSACTIONS.labels(service, "rollback")

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def _statement(conn, cursor, statement, parameters, context, executemany):
        statements.get(statement[:6].upper().rstrip(), other).inc()

    @event.listens_for(engine.sync_engine, "commit")
    def _commit(conn):
        if conn.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
            commits.inc()

    @event.listens_for(engine.sync_engine, "rollback")
    def _rollback(conn):
        if conn.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
            rollbacks.inc()


def engine_for(settings) -> AsyncEngine:
    """The service's engine, sized by GOVPM_DB_POOL_SIZE / GOVPM_DB_MAX_OVERFLOW (PostgreSQL), its
    statements and transactions counted in /metrics."""
    if settings.db_url.startswith("sqlite"):
        engine = make_engine(settings.db_url)
    else:
        engine = make_engine(
            settings.db_url,
            pool_size=settings.db_pool_size,
            max_overflow=settings.db_max_overflow,
            pool_pre_ping=settings.db_pre_ping,
        )
    count_statements(engine, settings.service_name)
    return engine


def make_engine(url: str, **kw) -> AsyncEngine:
    if url.startswith("sqlite"):
        engine = create_async_engine(url, connect_args={"timeout": 30}, **kw)

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _):
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine.sync_engine, "begin")
        def _sqlite_begin(conn):
            # One writer at a time, decided at BEGIN: no upgrade deadlocks between transactions.
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    kw.setdefault("pool_size", 10)
    kw.setdefault("max_overflow", 0)
    kw.setdefault("pool_pre_ping", False)
    kw.setdefault("pool_recycle", 1800)  # before a firewall or PgBouncer drops an idle connection
    return create_async_engine(url, **kw)


def is_postgres(session_or_engine) -> bool:
    bind = session_or_engine.get_bind() if isinstance(session_or_engine, AsyncSession) else session_or_engine
    return bind.dialect.name == "postgresql"


@dataclass(eq=False)
class UnitOfWork:
    """What the kernel keeps on a session, typed (instead of string keys in `session.info`):
    `unit_of_work(session)`."""

    service: str | None = None  # whose session: `emit` checks the event's publisher against it
    read_only: bool = False  # a GET/HEAD session (`make_read_sessionmaker`)
    emitted: bool = False  # something to send was written: wake the relay (the gateway: its dispatcher) after commit
    pending_outbox: list[Any] = field(default_factory=list)  # this transaction's outbox rows (the chain's head)
    pending_tx: Any = None  # the transaction those rows belong to
    versioned: dict = field(default_factory=dict)  # id → row whose optimistic version this transaction set


_SERVICE, _READ_ONLY, _UNIT = "govpm.service", "govpm.read_only", "govpm.unit_of_work"


def unit_of_work(session: AsyncSession | Session) -> UnitOfWork:
    """The session's `UnitOfWork`, made on first use from what its sessionmaker was given."""
    info = session.info
    uow = info.get(_UNIT)
    if uow is None:
        uow = info[_UNIT] = UnitOfWork(service=info.get(_SERVICE), read_only=bool(info.get(_READ_ONLY)))
    return uow


def optimistic(version_column) -> dict:
    """`__mapper_args__` of a row with an optimistic version (its ETag, `govkit.versioning`): every
    UPDATE checks the version it read (a row changed meanwhile is a `StaleDataError`, never a lost
    update) and the version goes up by one in each transaction that changes the row — however many
    flushes that transaction makes, so an ETag is the same whether a request flushed once or twice."""
    return {"version_id_col": version_column, "version_id_generator": False}


def touch(row) -> None:
    """The row's resource changed though none of its columns did (a contract added to a project):
    its version goes up once in this transaction like any other change."""
    session = object_session(row)
    _bump(_bumped(session), row, _optimistic_version(row))


def _optimistic_version_key(mapper) -> str | None:
    if mapper.version_id_col is None or mapper.version_id_generator is not False:
        return None
    return mapper.get_property_by_column(mapper.version_id_col).key


def _optimistic_version(row) -> str | None:
    return _optimistic_version_key(inspect(row).mapper)


def _bumped(session) -> dict:
    """id → row whose optimistic version this transaction already set (or inserted)."""
    return unit_of_work(session).versioned


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _transaction_over(session) -> None:
    unit_of_work(session).versioned = {}


def _bump(bumped: dict, row, key: str | None) -> None:
    if key is not None and id(row) not in bumped:
        setattr(row, key, (getattr(row, key) or 0) + 1)
        bumped[id(row)] = row


@event.listens_for(Mapper, "mapper_configured")
def _watch_optimistic(mapper, class_) -> None:
    """An `optimistic` row's version goes up as soon as one of its columns is set to a new value, so
    what a use case returns right after a change (the ETag) is already the new version."""
    key = _optimistic_version_key(mapper)
    if key is None:
        return
    for prop in mapper.column_attrs:
        if prop.key != key:
            event.listen(getattr(class_, prop.key), "set", _column_set)


def _column_set(row, value, old, _initiator) -> None:
    state = inspect(row)
    if state.session is None or state.key is None or state.pending or value is old:
        return  # a row not yet inserted keeps its first version
    try:
        if value == old:
            return
    except Exception:  # noqa: BLE001, S110 — incomparable values count as a change
        pass
    _bump(_bumped(state.session), row, _optimistic_version(row))


@event.listens_for(Session, "before_flush")
def _bump_versions(session, _flush_context, _instances) -> None:
    """`optimistic` rows: +1 at the first flush of a transaction that changes them (a row this
    transaction inserted keeps its first version)."""
    bumped = _bumped(session)
    for row in session.new:
        if _optimistic_version(row) is not None:
            bumped[id(row)] = row
    for row in session.dirty:
        if session.is_modified(row, include_collections=False):
            _bump(bumped, row, _optimistic_version(row))


def make_sessionmaker(engine: AsyncEngine, service: str) -> async_sessionmaker[AsyncSession]:
    """Sessions know their service: `emit` uses it as the event source."""
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=True, info={_SERVICE: service})


class ReadOnlySession(Session):
    """The session of a GET or HEAD: any attempt to write is a bug, refused before it reaches SQL."""


@event.listens_for(ReadOnlySession, "before_flush")
def _refuse_writes(session, _flush_context, _instances) -> None:
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("a read-only request tried to write (GET and HEAD must not change anything)")


def make_read_sessionmaker(engine: AsyncEngine, service: str) -> async_sessionmaker[AsyncSession]:
    """Sessions for GET and HEAD. On PostgreSQL they run in autocommit: no BEGIN and COMMIT round
    trips around the reads (each statement sees the latest committed data, as it would under READ
    COMMITTED inside a transaction). On SQLite the usual transaction is kept (its BEGIN is ours)."""
    if engine.dialect.name == "postgresql":
        engine = engine.execution_options(isolation_level="AUTOCOMMIT")
    return async_sessionmaker(
        engine,
        expire_on_commit=False,
        autoflush=True,
        sync_session_class=ReadOnlySession,
        info={_SERVICE: service, _READ_ONLY: True},
    )


class DeferredCommit:
    """The hand-over of a POST with an Idempotency-Key (set in the scope by `IdempotencyMiddleware`):
    `get_session` flushes the request's work and hands its session over instead of committing, and the
    middleware commits it together with the stored answer — one transaction, so a crash can never leave
    the change committed without the answer a retry replays (nor the answer without the change)."""

    __slots__ = ("session", "relay")

    def __init__(self) -> None:
        self.session: AsyncSession | None = None
        self.relay = None

    async def commit(self) -> None:
        session = self.session
        emitted = unit_of_work(session).emitted
        await session.commit()
        if emitted and self.relay is not None:
            self.relay.wake()

    async def discard(self) -> None:
        session, self.session = self.session, None
        if session is not None:
            try:
                await session.rollback()
            finally:
                await session.close()

    async def close(self) -> None:
        session, self.session = self.session, None
        if session is not None:
            await session.close()


DEFERRED_COMMIT = "govpm.deferred_commit"


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """The request's unit of work: committed when the endpoint returns, rolled back on error.
    After a commit that wrote events, the outbox relay is woken. GET and HEAD read without a
    transaction of their own (`make_read_sessionmaker`). A POST with an Idempotency-Key is flushed
    and handed over to the middleware, which commits it with the stored answer (`DeferredCommit`)."""
    state = request.app.state
    reader = getattr(state, "read_sessionmaker", None)
    if reader is not None and request.method in ("GET", "HEAD"):
        async with reader() as session:
            yield session
        return
    deferred = request.scope.get(DEFERRED_COMMIT)
    session = state.sessionmaker()
    handed_over = False
    try:
        yield session
        if deferred is not None and deferred.session is None:
            await session.flush()  # a conflict surfaces here, answered by the error handlers
            deferred.session, deferred.relay = session, getattr(state, "relay", None)
            handed_over = True
            return
        emitted = unit_of_work(session).emitted
        await session.commit()
        if emitted and getattr(state, "relay", None) is not None:
            state.relay.wake()
    except BaseException:
        await session.rollback()
        raise
    finally:
        if not handed_over:
            await asyncio.shield(session.close())


SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]


async def run_in_batches(sessionmaker, batch, rest=None, on_commit=None) -> int:
    """A periodic job in short transactions: `batch(session, after) -> (after, n)` once per batch until it
    returns `after=None`, then `rest(session) -> n` in one more; `on_commit()` (the relay's wake) after
    each commit that published something. Returns the total published."""
    after, total = None, 0
    while True:
        async with sessionmaker() as session:
            after, n = await batch(session, after)
            await session.commit()
        if n and on_commit:
            on_commit()
        total += n
        if after is None:
            break
    if rest is not None:
        async with sessionmaker() as session:
            n = await rest(session)
            await session.commit()
        if n and on_commit:
            on_commit()
        total += n
    return total
