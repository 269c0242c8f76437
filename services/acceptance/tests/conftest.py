import pytest

from acceptance.config import Settings
from acceptance.main import create_app
from govkit.dev.testing import service_harness

from .support import approved_event, filed_event


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
    """ProjectApproved (and, unless `filed=False`, oversight's complete ConstructionFiled, R-17.1)."""

    async def _approve(*, filed: bool = True, **kw) -> str:
        event = approved_event(**kw)
        assert await harness.deliver(event)
        if filed:
            assert await harness.deliver(filed_event(event.project_id))
        return str(event.project_id)

    return _approve
