"""`make run`'s launcher keeps the stack alive: kill -9 of a service, of the broker (it comes back empty)
or of the gateway is followed by a restart, and the system heals — new events still reach oversight's
timeline. SIGTERM still stops every process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx
import pytest
from tests.e2e.flows import declare_emergency
from tests.e2e.support import Api, eventually

from govkit.dev.stack import ROOT, free_port
from govkit.dev.testing import TEST_SECRET
from govkit.settings import SERVICES
from govkit.supervisor import listening_pids


def pids_listening_on(port: int) -> list[int]:
    """Processes that listen on `port` (found by the socket: a restarted service is a fork of the launcher,
    with the launcher's command line)."""
    return listening_pids(port)


@pytest.fixture
def launcher():
    data_dir = Path(tempfile.mkdtemp(prefix="govpm-launcher-"))
    ports = {name: free_port() for name in (*SERVICES, "gateway")}
    broker_port = free_port()
    env = {
        **os.environ,
        "GOVPM_DATA_DIR": str(data_dir),
        "GOVPM_BROKER_PORT": str(broker_port),
        "GOVPM_JWT_SECRET": TEST_SECRET,
        "GOVPM_ENV": "test",
        "GOVPM_CATCHUP_INTERVAL_S": "1",
        "GOVPM_CATCHUP_HEALTHY_INTERVAL_S": "3",
        **{f"GOVPM_{name.upper()}_PORT": str(port) for name, port in ports.items()},
    }
    out = open(data_dir / "launcher.out", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "govkit.dev.cli", "run"],
        env=env,
        cwd=ROOT,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )

    def output() -> str:
        return (data_dir / "launcher.out").read_text(errors="replace")

    try:
        eventually(lambda: "GovPM is up" in output() or proc.poll() is not None, timeout=300)
        assert proc.poll() is None, output()
        yield proc, ports, broker_port, output
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=60)
        out.close()


def healthy(gateway: str) -> bool:
    try:
        return httpx.get(f"{gateway}/healthz", timeout=5).json().get("status") == "ok"
    except (httpx.HTTPError, ValueError):
        return False


def reaches_timeline(api: Api, bdb: Api) -> None:
    pid = declare_emergency(api, "120000.00")
    eventually(
        lambda: (
            "EmergencyProjectRegistered"
            in [e["type"] for e in bdb.get(f"/api/v1/projects/{pid}/timeline").json().get("items", [])]
        ),
        timeout=60,
    )


def kill(port: int) -> None:
    pids = pids_listening_on(port)
    assert pids, f"nothing serves port {port}"
    for pid in pids:
        os.kill(pid, signal.SIGKILL)


def test_the_launcher_restarts_what_dies_and_the_system_heals(launcher):
    proc, ports, broker_port, output = launcher
    gateway = f"http://127.0.0.1:{ports['gateway']}"
    with Api(gateway, "unit", "ORG-SUP") as unit, Api(gateway, "bdb", "ORG-BDB") as bdb:
        reaches_timeline(unit, bdb)

        kill(ports["oversight"])
        eventually(lambda: "oversight exited with -9" in output(), timeout=10)
        eventually(lambda: "oversight restarted" in output(), timeout=10)
        eventually(lambda: healthy(gateway), timeout=30)
        reaches_timeline(unit, bdb)
        # Once the launcher has imported the services, a restart is a fork of it (no imports to wait for).
        eventually(lambda: "warm restarts ready" in output(), timeout=120)
        kill(ports["oversight"])
        eventually(lambda: output().count("oversight restarted") == 2, timeout=10)
        eventually(lambda: healthy(gateway), timeout=30)
        (restarted,) = pids_listening_on(ports["oversight"])
        assert Path(f"/proc/{restarted}/comm").read_text().strip() == "govpm-oversight"
        reaches_timeline(unit, bdb)

        kill(ports["gateway"])
        eventually(lambda: "gateway restarted" in output(), timeout=10)
        eventually(lambda: healthy(gateway), timeout=30)
        reaches_timeline(unit, bdb)

        # The broker comes back empty: topics made again; catch-up delivers at once, and every Kafka
        # consumer, which may have been waiting on the group it knew, starts over with a fresh client.
        kill(broker_port)
        eventually(lambda: "broker exited with -9" in output(), timeout=10)
        eventually(lambda: "broker restarted" in output(), timeout=30)
        reaches_timeline(unit, bdb)
        eventually(lambda: healthy(gateway), timeout=120)
        reaches_timeline(unit, bdb)
    assert proc.poll() is None  # the launcher itself never stopped

    os.killpg(proc.pid, signal.SIGTERM)
    assert proc.wait(timeout=60) == 0
    assert "stopped." in output()
    eventually(lambda: not any(pids_listening_on(p) for p in (*ports.values(), broker_port)), timeout=10)
