"""End-to-end fixtures: the broker, the five services and the gateway as real processes, on
PostgreSQL when GOVPM_TEST_PG is set (CI), SQLite otherwise. The helpers they use are in
tests/e2e/support.py; the shared business flows in tests/e2e/flows.py."""

from __future__ import annotations

import pytest

# Re-exported for tests that still import them from here; new code imports tests.e2e.support.
from tests.e2e.support import (  # noqa: F401
    Api,
    api_factory,
    build_stack,
    eventually,
    started,
    teardown_stack,
    unique_org,
)


@pytest.fixture(scope="session")
def stack():
    with started(build_stack("main")) as s:
        yield s


@pytest.fixture
def private_stack():
    """A stack of its own, for tests that stop or restart the broker or a service."""
    with started(build_stack("own")) as s:
        yield s


@pytest.fixture
def api(stack):
    """`api("unit", "ORG-A")` → a client through the gateway for that principal."""
    with api_factory(stack.gateway_url) as make:
        yield make
