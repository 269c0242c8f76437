"""The launcher's restart policy and supervisor, driven by a fake clock and fake children."""

from __future__ import annotations

from pathlib import Path

from govkit.settings import SERVICES
from govkit.supervisor import RestartPolicy, Supervisor


def test_first_restart_at_once_then_backoff_doubles_from_one_second_to_thirty():
    p = RestartPolicy()
    p.started(0)
    delays = [p.exited(t) for t in (1, 2, 3, 4, 5, 6, 7, 8)]
    assert delays == [0, 1, 2, 4, 8, 16, 30, 30]


def test_backoff_resets_after_a_minute_up_but_not_before():
    p = RestartPolicy()
    p.started(0)
    assert p.exited(1) == 0
    p.started(2)
    assert p.exited(61.9) == 1  # up 59.9 s: still the same failure streak
    p.started(64)
    assert p.exited(124) == 0  # up exactly 60 s: healthy, the streak starts again


def test_crash_loop_is_five_exits_within_five_minutes():
    p = RestartPolicy()
    for t in (0, 10, 20, 30):
        p.exited(t)
    assert not p.crash_looping
    p.exited(40)
    assert p.crash_looping
    q = RestartPolicy()
    for t in (0, 100, 200, 300, 400.1):  # the first exit is more than 300 s before the last
        q.exited(t)
    assert not q.crash_looping


class FakeProc:
    def __init__(self, code=None):
        self.returncode = code

    def poll(self):
        return self.returncode


class FakeStack:
    log_dir = Path("/tmp/logs")

    def __init__(self):
        self.procs = {n: FakeProc() for n in ("broker", *SERVICES, "gateway")}
        self.calls: list[str] = []
        self.fail_next_start = False

    def start_broker(self):
        self.calls.append("start_broker")
        self.procs["broker"] = FakeProc()

    def create_topics(self):
        self.calls.append("create_topics")

    def start_service(self, name):
        if self.fail_next_start:
            self.fail_next_start = False
            raise TimeoutError("port not open")
        self.calls.append(f"start {name}")
        self.procs[name] = FakeProc()


def supervised():
    now = [0.0]
    logs: list[str] = []
    stack = FakeStack()
    sup = Supervisor(stack, clock=lambda: now[0], log=logs.append)
    return stack, sup, now, logs


def test_a_dead_service_is_restarted_at_once_then_after_its_backoff_and_logged_with_its_exit_code():
    stack, sup, now, logs = supervised()
    stack.procs["oversight"].returncode = -9
    now[0] = 5
    sup.tick()
    assert sup.down() == ["oversight"] and stack.calls == []
    assert "oversight exited with -9; restarting in 0s" in logs[0]
    sup.tick()
    assert stack.calls == ["start oversight"] and sup.down() == []
    assert sup.restarts["oversight"] == 1
    stack.procs["oversight"].returncode = -9  # again, 10 s later: the streak goes on
    now[0] = 15
    sup.tick()
    assert "restarting in 1s" in logs[-1]
    now[0] = 15.9
    sup.tick()
    assert stack.calls == ["start oversight"]  # not before the backoff is over
    now[0] = 16
    sup.tick()
    assert stack.calls == ["start oversight"] * 2 and sup.restarts["oversight"] == 2


def test_a_dead_broker_comes_back_with_its_topics():
    stack, sup, now, _ = supervised()
    stack.procs["broker"].returncode = -9
    sup.tick()
    now[0] = 1
    sup.tick()
    assert stack.calls == ["start_broker", "create_topics"]


def test_a_failed_start_counts_as_another_exit_with_a_longer_wait():
    stack, sup, now, logs = supervised()
    stack.procs["gateway"].returncode = 1
    sup.tick()
    stack.fail_next_start = True
    now[0] = 1
    sup.tick()
    assert sup.down() == ["gateway"] and "failed to start" in logs[-1] and "restarting in 1s" in logs[-1]
    now[0] = 1.9
    sup.tick()
    assert stack.calls == []
    now[0] = 2
    sup.tick()
    assert stack.calls == ["start gateway"]


def test_a_crash_loop_is_reported_loudly_and_never_restarted_in_a_tight_loop():
    stack, sup, now, logs = supervised()
    starts = []
    for _ in range(8):
        stack.procs["budget"].returncode = 1
        sup.tick()
        now[0] = sup.due["budget"]
        sup.tick()
        starts.append(now[0])
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert gaps == [1, 2, 4, 8, 16, 30, 30]
    assert any(line.startswith("ERROR: budget keeps crashing") for line in logs)
