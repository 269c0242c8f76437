"""Keeps the embedded stack of `make run` alive: a child that dies (the broker, a service, the gateway)
is started again with backoff, so one crash never takes the platform down.

The restart policy is a plain object driven by the caller's clock (`RestartPolicy`), tested without
processes; `Supervisor.tick()` applies it to the stack's children and is called by the launcher's loop.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib
import os
import signal
import subprocess
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from .settings import SERVICES


@dataclass
class RestartPolicy:
    """Backoff for one child: the first exit after a healthy spell is restarted at once, the next ones after
    `initial` seconds doubling up to `cap`; back to "at once" when the child has stayed up `healthy_after`
    seconds; `crash_loop` exits within `window` seconds is a crash loop."""

    initial: float = 1.0
    cap: float = 30.0
    healthy_after: float = 60.0
    crash_loop: int = 5
    window: float = 300.0
    _streak: int = field(default=0, init=False)
    _started_at: float | None = field(default=None, init=False)
    _exits: deque = field(default_factory=deque, init=False)

    def started(self, now: float) -> None:
        self._started_at = now

    def exited(self, now: float) -> float:
        """The child died at `now`: how long to wait before starting it again."""
        if self._started_at is not None and now - self._started_at >= self.healthy_after:
            self._streak = 0  # it had been healthy for a while: this is a fresh failure
        self._streak += 1
        delay = 0.0 if self._streak == 1 else min(self.initial * 2 ** (self._streak - 2), self.cap)
        self._exits.append(now)
        while self._exits and now - self._exits[0] > self.window:
            self._exits.popleft()
        self._started_at = None
        return delay

    @property
    def crash_looping(self) -> bool:
        return len(self._exits) >= self.crash_loop

    @property
    def recent_exits(self) -> int:
        return len(self._exits)


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Supervisor:
    """Watches the stack's long-running children and restarts the ones that exit."""

    def __init__(
        self,
        stack,
        clock: Callable[[], float] = time.monotonic,
        log: Callable[[str], None] = _log,
        policy: Callable[[], RestartPolicy] = RestartPolicy,
        starter: WarmStarter | None = None,
    ):
        self.stack = stack
        self.starter = starter  # services started again by forking a launcher that imported them
        self.clock = clock
        self.log = log
        self.names = ["broker", *SERVICES, "gateway"]
        self.policies = {name: policy() for name in self.names}
        self.due: dict[str, float] = {}  # name → when to start it again
        self.restarts: dict[str, int] = dict.fromkeys(self.names, 0)
        now = clock()
        for name in self.names:
            self.policies[name].started(now)

    def down(self) -> list[str]:
        return sorted(self.due)

    def tick(self) -> None:
        now = self.clock()
        for name in self.names:
            if name in self.due:
                if now >= self.due[name]:
                    self._restart(name, now)
                continue
            proc = self.stack.procs.get(name)
            if proc is not None and proc.poll() is not None:
                self._exited(name, now, f"exited with {proc.returncode}")

    def _exited(self, name: str, now: float, why: str) -> None:
        policy = self.policies[name]
        delay = policy.exited(now)
        self.due[name] = now + delay
        log_file = self.stack.log_dir / f"{name}.log" if self.stack.log_dir else None
        self.log(f"{name} {why}; restarting in {delay:.0f}s (see {log_file})")
        if policy.crash_looping:
            self.log(
                f"ERROR: {name} keeps crashing: {policy.recent_exits} exits in the last "
                f"{policy.window / 60:.0f} minutes; restarts continue every {policy.cap:.0f}s at most — "
                f"read {log_file}"
            )

    def _restart(self, name: str, now: float) -> None:
        del self.due[name]
        self.restarts[name] += 1
        try:
            if name == "broker":
                self.stack.start_broker()  # empty: the consumers detect the reset and catch up
                self.stack.create_topics()
            elif self.starter is not None and self.starter.available:
                self.stack.procs[name] = self.starter.start(name)
            else:
                self.stack.start_service(name)
        except Exception as exc:  # noqa: BLE001 - a failed start is one more exit, with backoff
            self._exited(name, self.clock(), f"failed to start ({exc})")
            return
        self.policies[name].started(now)
        self.log(f"{name} restarted (restart {self.restarts[name]})")


class ForkedChild:
    """A service process forked by `WarmStarter`, with the part of `subprocess.Popen` the launcher uses."""

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:  # reaped elsewhere: gone all the same
                self.returncode = -1
            else:
                if pid:
                    self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"pid {self.pid}", timeout)
            time.sleep(0.02)
        return self.returncode


class WarmStarter:
    """Starts a service again without paying for its imports. Started by `uvicorn` in a fresh interpreter,
    a service spends about 2 CPU seconds importing FastAPI, SQLAlchemy, pydantic and its own code before it
    serves — 10 s and more on a busy machine. The launcher imports all of it once (`preload`, after the
    stack is up) and a restart forks it: the child only builds the app and serves.

    The child is the launcher's copy: its command line is the launcher's (find it by its port,
    `listening_pids`), its name (`comm`) is `govpm-<service>`. Code changed on disk since the launcher
    started is not seen by such a restart (restart `make run`)."""

    def __init__(self, stack):
        self.stack = stack
        self.options: dict | None = None
        self.ready = False  # set once the imports are done and their thread has ended: then forking is safe
        self._thread: threading.Thread | None = None

    def preload_in_background(self) -> None:
        def run() -> None:
            t0 = time.process_time()
            try:
                self.preload(mark_ready=False)
                _log(f"warm restarts ready (services imported in {time.process_time() - t0:.1f} CPU s)")
            except Exception as exc:  # noqa: BLE001 - restarts keep starting a fresh interpreter
                _log(f"warm restarts off: {exc}")

        self._thread = threading.Thread(target=run, name="warm-preload", daemon=True)
        self._thread.start()

    @property
    def available(self) -> bool:
        """Forking is safe only with no other thread running (one could hold the import lock)."""
        if not self.ready and self._thread is not None and not self._thread.is_alive():
            self._thread.join()
            self.ready = self.options is not None
        return self.ready

    def preload(self, mark_ready: bool = True) -> None:
        from .dev.stack import SERVER_OPTIONS, app_factory

        for module in ("uvloop", "httptools", "uvicorn"):
            importlib.import_module(module)
        for name in (*SERVICES, "gateway"):
            importlib.import_module(app_factory(name).split(":")[0])
        self.options = SERVER_OPTIONS
        self.ready = mark_ready

    def start(self, name: str) -> ForkedChild:
        from .dev.stack import ROOT, app_factory

        env = self.stack.base_env()
        log_file = (self.stack.log_dir / f"{name}.log") if self.stack.log_dir else os.devnull
        if self.stack.log_dir:
            self.stack.log_dir.mkdir(parents=True, exist_ok=True)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid:
            return ForkedChild(pid)
        code = 1
        try:  # the child: never returns into the launcher's code
            os.setsid()
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, signal.SIG_DFL)
            out = os.open(log_file, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            os.dup2(out, 1)
            os.dup2(out, 2)
            os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
            os.environ.clear()
            os.environ.update(env)
            os.chdir(ROOT)
            _name_process(f"govpm-{name}")
            import uvicorn

            uvicorn.run(app_factory(name), factory=True, port=self.stack.ports[name], **self.options)
            code = 0
        except BaseException:  # noqa: BLE001 - reported in the service's log, then the exit code says it
            with contextlib.suppress(Exception):
                traceback.print_exc()
        finally:
            with contextlib.suppress(Exception):
                sys.stdout.flush()
                sys.stderr.flush()
            os._exit(code)


def _name_process(name: str) -> None:
    with contextlib.suppress(Exception):
        ctypes.CDLL(None).prctl(15, name.encode()[:15], 0, 0, 0)  # PR_SET_NAME: what ps and top show


def listening_pids(port: int) -> list[int]:
    """The processes holding a socket that listens on 127.0.0.1:`port` (or any address), found through
    /proc — by the socket, not by the command line, so a forked service is found too."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(table) as f:
            for line in list(f)[1:]:
                cols = line.split()
                if cols[3] == "0A" and int(cols[1].rsplit(":", 1)[1], 16) == port:  # 0A: LISTEN
                    inodes.add(f"socket:[{cols[9]}]")
    found = []
    if not inodes:
        return found
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        with contextlib.suppress(OSError):
            if any(os.readlink(f"/proc/{entry}/fd/{fd}") in inodes for fd in os.listdir(f"/proc/{entry}/fd")):
                found.append(int(entry))
    return found
