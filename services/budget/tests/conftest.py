import pytest

from budget.config import Settings
from budget.main import create_app
from govkit.dev.testing import service_harness


@pytest.fixture(scope="session")
async def harness():
    async with service_harness(create_app, Settings, "budget") as h:
        yield h


@pytest.fixture(autouse=True)
async def _clean(harness):
    await harness.reset()
    yield


@pytest.fixture
def client(harness):
    return harness.client
