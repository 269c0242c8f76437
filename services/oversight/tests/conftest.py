import pytest

from govkit.testing import service_harness
from oversight.config import Settings
from oversight.main import create_app


@pytest.fixture(scope="session")
async def harness():
    async with service_harness(create_app, Settings, "oversight") as h:
        yield h


@pytest.fixture(autouse=True)
async def _clean(harness):
    await harness.reset()
    yield


@pytest.fixture
def client(harness):
    return harness.client
