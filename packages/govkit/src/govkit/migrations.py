"""Alembic helpers: each service's migrations/env.py is two lines that call run_env()."""

from __future__ import annotations

from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, pool
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

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


async def migrate(name: str) -> None:
    """Migrate one service (or the gateway) to head with its own settings (`<name>.config.Settings`,
    `<name>.main.SERVICE_ROOT`): the launcher, the Kubernetes Job and `govkit.cli migrate` use this."""
    import importlib

    from .db import make_engine

    settings = importlib.import_module(f"{name}.config").Settings()
    root = importlib.import_module(f"{name}.main").SERVICE_ROOT
    engine = make_engine(settings.db_url)
    try:
        await upgrade_head(engine, root)
    finally:
        await engine.dispose()
