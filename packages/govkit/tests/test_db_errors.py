"""Database trouble is never a 500: a lost uniqueness race is a 409, an unreachable or exhausted
database a 503 with Retry-After — both problem+json, nothing written."""

import httpx
from fastapi import FastAPI
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as SATimeoutError
from sqlalchemy.orm.exc import StaleDataError

from govkit.errors import PROBLEM, install_error_handlers


def _app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/race")
    async def race():
        raise IntegrityError("INSERT …", {}, Exception("duplicate key value"))

    @app.get("/stale")
    async def stale():
        raise StaleDataError("UPDATE statement on table 'x' expected to update 1 row(s); 0 were matched.")

    @app.get("/down")
    async def down():
        raise DBAPIError("connect", {}, Exception("sorry, too many clients already"))

    @app.get("/refused")
    async def refused():  # asyncpg's connect to a PostgreSQL that is restarting
        raise ConnectionRefusedError(111, "Connection refused")

    @app.get("/pool")
    async def pool():
        raise SATimeoutError("QueuePool limit reached")

    return app


async def test_database_errors_map_to_409_and_503():
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=_app()), base_url="http://t") as c:
        for path in ("/race", "/stale"):
            r = await c.get(path)
            assert r.status_code == 409 and r.headers["content-type"] == PROBLEM
        for path in ("/down", "/refused", "/pool"):
            r = await c.get(path)
            assert r.status_code == 503 and r.headers["retry-after"] == "1"
            assert r.headers["content-type"] == PROBLEM and r.json()["status"] == 503


async def test_a_read_only_session_refuses_to_write_and_on_postgres_reads_without_a_transaction(kt_url):
    """GET and HEAD get `make_read_sessionmaker`'s sessions (govkit.db.get_session)."""
    import pytest
    from sqlalchemy import func, select, text

    from govkit.db import make_engine, make_read_sessionmaker

    from .ktapp import KtThing

    engine = make_engine(kt_url)
    try:
        reader = make_read_sessionmaker(engine, "kt")
        async with reader() as session:
            before = await session.scalar(select(func.count()).select_from(KtThing))
            session.add(KtThing(id="kt-get-write", name="written by a GET", amount=1, kind="a", org="ORG-A"))
            with pytest.raises(RuntimeError, match="read-only"):
                await session.flush()
        async with reader() as session:
            assert await session.scalar(select(func.count()).select_from(KtThing)) == before
            if engine.dialect.name == "postgresql":
                # Autocommit: every statement is a transaction of its own, so now() moves on.
                first = await session.scalar(text("SELECT now()"))
                second = await session.scalar(text("SELECT now()"))
                assert second > first
    finally:
        await engine.dispose()
