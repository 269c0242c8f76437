"""Alembic helpers: each service's migrations/env.py is two lines that call run_env(); `migrate` and
`upgrade_head` apply a service's migrations; the kernel tables every service has are created by
`upgrade_kernel_tables` (each first migration), `upgrade_audit_anchors` and `upgrade_parked_events`."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command, context, op
from alembic.config import Config
from sqlalchemy import MetaData, pool
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

import govkit.db

MIGRATION_LOCK = 7140002  # advisory lock id held while a database is migrated


def _do_run(connection, target_metadata: MetaData) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def run_env(target_metadata: MetaData) -> None:
    """Body of env.py: online migrations on the connection handed over by `upgrade`,
    or on a fresh engine from `sqlalchemy.url` (CLI use)."""
    config = context.config
    connection = config.attributes.get("connection")
    if connection is not None:
        _do_run(connection, target_metadata)
        return
    if context.is_offline_mode():
        context.configure(
            url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata, literal_binds=True
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    import asyncio

    async def _online() -> None:
        engine = create_async_engine(config.get_main_option("sqlalchemy.url"), poolclass=pool.NullPool)
        async with engine.connect() as conn:
            await conn.run_sync(_do_run, target_metadata)
            await conn.commit()
        await engine.dispose()

    asyncio.run(_online())


def alembic_config(service_root: Path, url: str) -> Config:
    cfg = Config(str(service_root / "alembic.ini"))
    cfg.set_main_option("script_location", str(service_root / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


async def upgrade_head(engine: AsyncEngine, service_root: Path) -> None:
    """Apply every migration of the service (used at start in dev and by the tests)."""
    cfg = alembic_config(service_root, engine.url.render_as_string(hide_password=False))

    def _upgrade(connection) -> None:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")

    async with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # One runner per database: a second Job, or replicas migrating at start, wait here and
            # then find the schema at head (PostgreSQL's DDL is transactional; the lock is released
            # with the transaction).
            from sqlalchemy import text

            await conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATION_LOCK})
        await conn.run_sync(_upgrade)


def service_root(name: str) -> Path:
    """`<name>.main.SERVICE_ROOT` (the folder with alembic.ini and migrations/: `src/<name>` two levels
    up) without importing the app: migrating needs the models, not FastAPI and every endpoint (≈ 1 CPU
    second less for the six databases at `make run`)."""
    import importlib.util

    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.origin is not None, name
    return Path(spec.origin).resolve().parents[2]


async def migrate(name: str) -> None:
    """Migrate one service (or the gateway) to head with its own settings (`<name>.config.Settings`,
    `service_root`): the launcher, the Kubernetes Job and `govkit.cli migrate` use this."""
    import importlib

    from .db import make_engine

    settings = importlib.import_module(f"{name}.config").Settings()
    root = service_root(name)
    engine = make_engine(settings.db_url)
    try:
        await upgrade_head(engine, root)
    finally:
        await engine.dispose()


# -- the kernel tables ----------------------------------------------------------------------------
def upgrade_kernel_tables() -> None:
    """The kernel tables every service has (outbox, inbox, consumer cursors, idempotency records):
    each service's first migration calls this."""
    op.create_table(
        "consumer_cursors",
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("last_seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.PrimaryKeyConstraint("source", name=op.f("pk_consumer_cursors")),
    )
    op.create_table(
        "idempotency_records",
        sa.Column("scope", sa.String(length=200), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("content_type", sa.String(length=100), nullable=True),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("created_at", govkit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("scope", "key", name=op.f("pk_idempotency_records")),
    )
    op.create_table(
        "inbox_events",
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("source", sa.String(length=80), nullable=False),
        sa.Column("type", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("processed_at", govkit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_inbox_events")),
    )
    op.create_table(
        "outbox_events",
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("type", sa.String(length=80), nullable=False),
        sa.Column("subject", sa.String(length=80), nullable=True),
        sa.Column("time", govkit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "data", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("actor", sa.String(length=200), nullable=True),
        sa.Column("actor_org", sa.String(length=80), nullable=True),
        sa.Column("rule", sa.String(length=20), nullable=True),
        sa.Column("request_id", sa.String(length=80), nullable=True),
        sa.Column("traceparent", sa.String(length=80), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("published_at", govkit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_outbox_events")),
        sa.UniqueConstraint("event_id", name=op.f("uq_outbox_events_event_id")),
    )
    with op.batch_alter_table("outbox_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_events_subject"), ["subject"], unique=False)
        batch_op.create_index("ix_outbox_events_unpublished", ["published_at", "seq"], unique=False)


def downgrade_kernel_tables() -> None:
    with op.batch_alter_table("outbox_events", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_events_unpublished")
        batch_op.drop_index(batch_op.f("ix_outbox_events_subject"))

    op.drop_table("outbox_events")
    op.drop_table("inbox_events")
    op.drop_table("idempotency_records")
    op.drop_table("consumer_cursors")


def upgrade_parked_events() -> None:
    """The events a consumer holds until their predecessor arrives (`govkit.consumer`); each service's
    `…_parked_events` migration calls this."""
    op.create_table(
        "parked_events",
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("source", sa.String(length=80), nullable=False),
        sa.Column("type", sa.String(length=80), nullable=False),
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("time", govkit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "envelope", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("parked_at", govkit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_parked_events")),
    )
    with op.batch_alter_table("parked_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_parked_events_key"), ["key"], unique=False)


def downgrade_parked_events() -> None:
    with op.batch_alter_table("parked_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_parked_events_key"))
    op.drop_table("parked_events")


def upgrade_audit_anchors() -> None:
    """The signed anchors of the audit chain (govkit.anchoring); each service's `…_audit_anchors`
    migration calls this."""
    op.create_table(
        "audit_anchors",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("head_seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("head_hash", sa.String(length=64), nullable=False),
        sa.Column("signed_at", govkit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("key_id", sa.String(length=32), nullable=False),
        sa.Column("signature", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_anchors")),
    )


def downgrade_audit_anchors() -> None:
    op.drop_table("audit_anchors")
