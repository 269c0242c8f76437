"""govkit's own tests: a tiny test-only service (tests/ktapp.py) on PostgreSQL when GOVPM_TEST_PG is
set, SQLite otherwise; a real Tansu broker for the bus tests (tests/test_bus.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid

import httpx
import pytest

from govkit.dev.stack import free_port, tansu_binary, wait_port
from govkit.dev.testing import TEST_PG, TEST_SECRET, ServiceHarness, eventually, fresh_database_url  # noqa: F401

from .ktapp import KtSettings, create_tables, publisher_app


async def new_database(tag: str) -> str:
    url = await fresh_database_url(f"govpm_test_kt_{tag}_{uuid.uuid4().hex[:6]}")
    await create_tables(url)
    return url


async def drop_database(url: str) -> None:
    if not TEST_PG:
        return
    import asyncpg

    name = url.rsplit("/", 1)[1]
    conn = await asyncpg.connect(TEST_PG.replace("postgresql+asyncpg://", "postgresql://") + "/postgres")
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


GOOD_BODY = {"name": "n", "amount": "10.00", "kind": "a"}


def kt_settings(url: str, **kw) -> KtSettings:
    base = dict(
        database_url=url,
        env="test",
        jwt_secret=TEST_SECRET,
        kafka_enabled=False,
        catchup_interval_s=0,
        park_retry_interval_s=0,  # tests call the sweep themselves
        migrate_on_start=False,
    )
    base.update(kw)
    return KtSettings(**base)


@pytest.fixture(scope="session")
async def kt_url():
    url = await new_database("app")
    yield url
    await drop_database(url)


@pytest.fixture(scope="session")
async def kt(kt_url):
    """The test publisher app (no broker), its lifespan running, an in-process client."""
    app = publisher_app(kt_settings(kt_url))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield ServiceHarness(app, client)


@pytest.fixture(autouse=True)
async def _clean_kt(request):
    if "kt" in request.fixturenames:
        await request.getfixturevalue("kt").reset()


@pytest.fixture
def client(kt):
    return kt.client


# -- a real Tansu broker -----------------------------------------------------------------------
class Broker:
    """Tansu with memory storage on a fixed port: a restart comes back empty."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> None:
        listener = f"tcp://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [
                tansu_binary(),
                "broker",
                "--listener-url",
                listener,
                "--advertised-listener-url",
                listener,
                "--storage-engine",
                "memory://tansu/",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_port(self.port)

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
        # the port must be free before a restart on the same port
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                wait_port(self.port, timeout=0.05)
            except TimeoutError:
                return

    def restart(self) -> None:
        self.stop()
        self.start()


@pytest.fixture(scope="module")
def broker():
    b = Broker()
    b.start()
    yield b
    b.stop()
