import contextlib
import uuid

import httpx
import pytest

from gateway.config import Settings
from gateway.main import create_app
from govkit.dev.testing import TEST_PG, TEST_SECRET, fresh_database_url


@contextlib.asynccontextmanager
async def gateway(**overrides):
    """The gateway in-process on a fresh migrated database, no broker, no catch-up."""
    name = f"govpm_test_gateway_{uuid.uuid4().hex[:6]}"
    url = await fresh_database_url(name)
    values = dict(database_url=url, env="test", jwt_secret=TEST_SECRET, kafka_enabled=False, catchup_interval_s=0)
    settings = Settings(**{**values, **overrides})
    app = create_app(settings)
    async with (
        app.fastapi.router.lifespan_context(app.fastapi),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw") as client,
    ):
        client.app = app
        yield client
    if TEST_PG:
        from govkit.dev.testing import drop_databases

        await drop_databases([name])


@pytest.fixture(scope="session")
async def gw():
    async with gateway(webhook_backoff_s=0.05, webhook_poll_s=0.05) as client:
        yield client


@pytest.fixture(scope="session")
def make_gateway():
    """`async with make_gateway(**settings) as client:` — a gateway of its own."""
    return gateway


import sys  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # repo root: tests.e2e.fakes
