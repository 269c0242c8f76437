import pytest

from govkit.testing import service_harness
from acceptance.config import Settings
from acceptance.main import create_app

from .support import approved_event


@pytest.fixture(scope="session")
async def harness():
    async with service_harness(create_app, Settings, "acceptance") as h:
        yield h


@pytest.fixture(autouse=True)
async def _clean(harness):
    await harness.reset()
    yield


@pytest.fixture
def client(harness):
    return harness.client


@pytest.fixture
def approve(harness):
    async def _approve(**kw) -> str:
        event = approved_event(**kw)
        assert await harness.deliver(event)
        return str(event.project_id)

    return _approve
