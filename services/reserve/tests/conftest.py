import pytest

from govkit.dev.testing import service_harness
from reserve.config import Settings
from reserve.main import create_app


@pytest.fixture(scope="session")
async def harness():
    async with service_harness(create_app, Settings, "reserve") as h:
        yield h


@pytest.fixture(autouse=True)
async def _clean(request):
    if "/unit/" not in str(request.node.path):  # pure rule tests need no database
        await request.getfixturevalue("harness").reset()
    yield


@pytest.fixture
def client(harness):
    return harness.client


from datetime import date  # noqa: E402

from govkit import clock  # noqa: E402

from .support import BDB, supplement_around  # noqa: E402


@pytest.fixture
def at(monkeypatch):
    """Freeze 'today' (Asia/Shanghai) for rules that depend on the calendar quarter."""

    def freeze(day: date) -> date:
        monkeypatch.setattr(clock, "today", lambda: day)
        return day

    return freeze


@pytest.fixture
async def open_supplement(client):
    """A supplement window open today (real today); returns the window."""
    r = await client.post("/windows", json=supplement_around(clock.today()), headers=BDB)
    assert r.status_code == 201, r.text
    return r.json()


@pytest.fixture(autouse=True)
def _policies_of_this_test():
    """Policy versions added by a test stay in that test (the process-wide copy of govkit.policy)."""
    from govkit import policy

    yield
    policy.install([])
