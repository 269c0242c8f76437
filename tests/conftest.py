"""End-to-end fixtures: the broker, the five services and the gateway as real processes, on
PostgreSQL when GOVPM_TEST_PG is set (CI), SQLite otherwise."""
from __future__ import annotations

import asyncio
import os
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import pytest

from govkit.settings import SERVICES
from govkit.stack import Stack, free_port
from govkit.testing import TEST_PG, TEST_SECRET, drop_databases, fresh_database_url, token

LOG_ROOT = Path(os.environ.get("GOVPM_E2E_LOGS", tempfile.gettempdir())) / "govpm-e2e-logs"


def build_stack(tag: str, **env) -> Stack:
    data_dir = Path(tempfile.mkdtemp(prefix=f"govpm-{tag}-"))
    ports = {name: free_port() for name in (*SERVICES, "gateway")}
    run = uuid.uuid4().hex[:6]  # several runs may share one PostgreSQL
    urls = {}
    for name in SERVICES:
        if TEST_PG:
            urls[name] = asyncio.run(fresh_database_url(f"govpm_e2e_{tag}_{run}_{name}"))
        else:
            urls[name] = f"sqlite+aiosqlite:///{data_dir / (name + '.db')}"
    stack_env = {"GOVPM_JWT_SECRET": TEST_SECRET, "GOVPM_ENV": "test",
                 "GOVPM_PROVINCIAL_CALLBACK_SECRET": "e2e-callback-secret",
                 "GOVPM_CATCHUP_INTERVAL_S": "1", **env}
    return Stack(data_dir=data_dir, ports=ports, broker_port=free_port(), database_urls=urls,
                 env=stack_env, log_dir=LOG_ROOT / f"{tag}-{run}")


def teardown_stack(s: Stack) -> None:
    s.stop()
    if TEST_PG:
        asyncio.run(drop_databases([u.rsplit("/", 1)[1] for u in s.database_urls.values()]))


@pytest.fixture(scope="session")
def stack():
    s = build_stack("main")
    try:
        s.start_all()
        yield s
    finally:
        teardown_stack(s)


@pytest.fixture
def private_stack():
    """A stack of its own, for tests that stop or restart the broker or a service."""
    s = build_stack("own")
    try:
        s.start_all()
        yield s
    finally:
        teardown_stack(s)


class Api:
    """A caller of the public API through the gateway, as one principal."""

    def __init__(self, base_url: str, roles, org: str, name: str | None = None):
        roles = [roles] if isinstance(roles, str) else roles
        self.org = org
        self.client = httpx.Client(base_url=base_url, timeout=30,
                                   headers={"Authorization": f"Bearer {token(roles, org, name=name)}"})

    def __getattr__(self, item):
        return getattr(self.client, item)


@pytest.fixture
def api(stack):
    """`api("unit", "ORG-A")` → a client through the gateway for that principal."""
    clients = []

    def make(roles, org: str = "ORG-BUREAU", name: str | None = None) -> Api:
        c = Api(stack.gateway_url, roles, org, name)
        clients.append(c)
        return c

    yield make
    for c in clients:
        c.client.close()


def eventually(check, timeout: float = 15.0, interval: float = 0.1):
    """Poll `check()` until it returns a truthy value (events cross processes asynchronously)."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = check()
            if last:
                return last
        except AssertionError as exc:
            last = exc
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s; last: {last!r}")


def unique_org(prefix: str = "ORG") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8].upper()}"
