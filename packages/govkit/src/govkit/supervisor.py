"""Keeps the embedded stack of `make run` alive: a child that dies (the broker, a service, the gateway)
is started again with backoff, so one crash never takes the platform down.

The restart policy is a plain object driven by the caller's clock (`RestartPolicy`), tested without
processes; `Supervisor.tick()` applies it to the stack's children and is called by the launcher's loop.
"""

from __future__ import annotations

import sys
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from .settings import SERVICES


@dataclass
class RestartPolicy:
    """Backoff for one child: `initial` seconds doubling up to `cap`, back to `initial` once the child has
    stayed up `healthy_after` seconds; `crash_loop` restarts within `window` seconds is a crash loop."""

    initial: float = 1.0
    cap: float = 30.0
    healthy_after: float = 60.0
    crash_loop: int = 5
    window: float = 300.0
    _delay: float = field(default=0.0, init=False)
    _started_at: float | None = field(default=None, init=False)
    _exits: deque = field(default_factory=deque, init=False)

    def started(self, now: float) -> None:
        self._started_at = now

    def exited(self, now: float) -> float:
        """The child died at `now`: how long to wait before starting it again."""
        if self._started_at is not None and now - self._started_at >= self.healthy_after:
            self._delay = 0.0  # it had been healthy for a while: this is a fresh failure
        self._delay = self.initial if self._delay == 0.0 else min(self._delay * 2, self.cap)
        self._exits.append(now)
        while self._exits and now - self._exits[0] > self.window:
            self._exits.popleft()
        self._started_at = None
        return self._delay

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
    ):
        self.stack = stack
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
            else:
                self.stack.start_service(name)
        except Exception as exc:  # noqa: BLE001 - a failed start is one more exit, with backoff
            self._exited(name, self.clock(), f"failed to start ({exc})")
            return
        self.policies[name].started(now)
        self.log(f"{name} restarted (restart {self.restarts[name]})")
