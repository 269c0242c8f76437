"""Plumbing of the end-to-end tests: building a stack of real processes, calling the gateway as one
principal, polling, checking responses and putting events on the broker. The fixtures that use it
live in tests/conftest.py; the business flows built on it live in tests/e2e/flows.py."""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from govkit import clock
from govkit.dev.stack import Stack, free_port
from govkit.dev.testing import TEST_PG, TEST_SECRET, drop_databases, fresh_database_url, make_event, token
from govkit.events import PUBLISHER, topic_of
from govkit.settings import SERVICES

LOG_ROOT = Path(os.environ.get("GOVPM_E2E_LOGS", tempfile.gettempdir())) / "govpm-e2e-logs"
CALLBACK_SECRET = "e2e-callback-secret"  # the provincial callback secret of every stack


# --- stacks ----------------------------------------------------------------------------------------
def build_stack(tag: str, *, embedded: bool = False, data_dir: Path | None = None, **env) -> Stack:
    """The broker, the services and the gateway (not started), each service on a database of its own;
    `env` adds or overrides GOVPM_* settings of every process. `embedded`: SQLite in the data folder
    (as `make run`) even when the tests run on PostgreSQL."""
    data_dir = data_dir or Path(tempfile.mkdtemp(prefix=f"govpm-{tag}-"))
    ports = {name: free_port() for name in (*SERVICES, "gateway")}
    run = uuid.uuid4().hex[:6]  # several runs may share one PostgreSQL
    urls = {}
    for name in SERVICES:
        if TEST_PG and not embedded:
            urls[name] = asyncio.run(fresh_database_url(f"govpm_e2e_{tag}_{run}_{name}"))
        else:
            urls[name] = f"sqlite+aiosqlite:///{data_dir / (name + '.db')}"
    stack_env = {
        "GOVPM_JWT_SECRET": TEST_SECRET,
        "GOVPM_ENV": "test",
        "GOVPM_PROVINCIAL_CALLBACK_SECRET": CALLBACK_SECRET,
        "GOVPM_CATCHUP_INTERVAL_S": "1",
        "GOVPM_CATCHUP_HEALTHY_INTERVAL_S": "3",
        # Up to three stacks of six processes share one PostgreSQL (max_connections 100).
        "GOVPM_DB_POOL_SIZE": "2",
        "GOVPM_DB_MAX_OVERFLOW": "2",
        **env,
    }
    return Stack(
        data_dir=data_dir,
        ports=ports,
        broker_port=free_port(),
        database_urls=urls,
        env=stack_env,
        log_dir=LOG_ROOT / f"{tag}-{run}",
    )


def teardown_stack(s: Stack) -> None:
    s.stop()
    if TEST_PG:
        asyncio.run(
            drop_databases([u.rsplit("/", 1)[1] for u in s.database_urls.values() if u.startswith("postgresql")])
        )


@contextmanager
def started(s: Stack) -> Iterator[Stack]:
    """`with started(build_stack("tag")) as s:` — the stack running, stopped and dropped on exit."""
    try:
        s.start_all()
        yield s
    finally:
        teardown_stack(s)


# --- callers -------------------------------------------------------------------------------------
class Api:
    """A caller of the public API through the gateway, as one principal."""

    def __init__(self, base_url: str, roles, org: str, name: str | None = None):
        roles = [roles] if isinstance(roles, str) else roles
        self.org = org
        self.client = httpx.Client(
            base_url=base_url, timeout=30, headers={"Authorization": f"Bearer {token(roles, org, name=name)}"}
        )

    def __getattr__(self, item):
        return getattr(self.client, item)

    def __enter__(self) -> Api:
        return self

    def __exit__(self, *exc) -> None:
        self.client.close()


ApiFactory = Callable[..., Api]


@contextmanager
def api_factory(gateway_url: str) -> Iterator[ApiFactory]:
    """`make("unit", "ORG-A")` → an `Api` for that principal; every client is closed on exit."""
    clients: list[Api] = []

    def make(roles, org: str = "ORG-BUREAU", name: str | None = None) -> Api:
        c = Api(gateway_url, roles, org, name)
        clients.append(c)
        return c

    try:
        yield make
    finally:
        for c in clients:
            c.client.close()


def unique_org(prefix: str = "ORG") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8].upper()}"


# --- checking and waiting ------------------------------------------------------------------------
def ok(resp: httpx.Response, *codes: int):
    """Assert the status (200 or 201 unless `codes` are given) and return the JSON body ({} if empty)."""
    assert resp.status_code in (codes or (200, 201)), (
        f"{resp.request.method} {resp.request.url.path} → {resp.status_code}: {resp.text}"
    )
    return resp.json() if resp.content else {}


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


def known(client, path: str, *, timeout: float = 30, **fields) -> dict:
    """Poll `GET path` until the service has heard of the resource (200) and every field of `fields`
    has the given value; returns the body."""

    def check():
        r = client.get(path)
        if r.status_code != 200:
            return None
        body = r.json()
        return body if all(body.get(k) == v for k, v in fields.items()) else None

    return eventually(check, timeout=timeout)


def today_iso() -> str:
    """Today in Asia/Shanghai as `YYYY-MM-DD`: the only "today" a test may send."""
    return clock.today().isoformat()


# --- the broker ----------------------------------------------------------------------------------
def publish(stack: Stack, *payloads, actor: str = "e2e", **kw) -> list[str]:
    """Put events on the broker as their publisher's relay would (a CloudEvent on `govpm.<publisher>`,
    keyed by project), in order; returns their ids."""
    from aiokafka import AIOKafkaProducer

    events = [make_event(p, actor=actor, **kw) for p in payloads]

    async def send():
        producer = AIOKafkaProducer(bootstrap_servers=stack.bootstrap, acks="all")
        await producer.start()
        try:
            for event in events:
                await producer.send_and_wait(
                    topic_of(PUBLISHER[event.type]), key=(event.subject or event.id).encode(), value=event.to_json()
                )
        finally:
            await producer.stop()

    asyncio.run(send())
    return [e.id for e in events]
