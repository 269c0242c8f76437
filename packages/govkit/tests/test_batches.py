"""run_in_batches: one transaction per batch, then the rest; the relay woken after commits that published."""

from govkit.db import run_in_batches


class FakeSession:
    def __init__(self, log):
        self.log = log

    async def __aenter__(self):
        self.log.append("begin")
        return self

    async def __aexit__(self, *exc):
        self.log.append("end")

    async def commit(self):
        self.log.append("commit")


async def test_each_batch_and_the_rest_commit_on_their_own_and_wake_the_relay_only_when_they_published():
    log, woken = [], []
    pages = {None: ("p2", 2), "p2": ("p3", 0), "p3": (None, 1)}

    async def batch(session, after):
        log.append(f"batch {after}")
        return pages[after]

    async def rest(session):
        log.append("rest")
        return 4

    total = await run_in_batches(lambda: FakeSession(log), batch, rest, lambda: woken.append(1))
    assert total == 7 and len(woken) == 3  # the empty batch woke nothing
    assert log == [
        "begin",
        "batch None",
        "commit",
        "end",
        "begin",
        "batch p2",
        "commit",
        "end",
        "begin",
        "batch p3",
        "commit",
        "end",
        "begin",
        "rest",
        "commit",
        "end",
    ]
