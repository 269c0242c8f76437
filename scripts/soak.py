#!/usr/bin/env python3
"""Soak: the whole stack (PostgreSQL, as `make bench` runs it) under steady load for --minutes, sampling
every process once a minute: resident memory, open file descriptors, TCP connections, and the p99 of the
requests of that minute. After warm-up (--warmup-min), memory may grow ≤ 5 % and descriptors and
connections not at all; p99 should stay steady. Not part of CI (30 minutes by default).

    .venv/bin/python scripts/soak.py [--minutes 30] [--warmup-min 5] [--rate 20]

The load: project lives (the same flow as `make bench` P3) started at --rate per minute, plus a steady
read of the project list and one project's timeline from several clients.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from bench import DEFAULT_PG, LifeFailed, auth, one_life, pct, rss_mb, start_stack, stop_stack  # noqa: E402


def descriptors(pid: int) -> tuple[int, int]:
    """(open file descriptors, TCP sockets) of a process."""
    fds = list(Path(f"/proc/{pid}/fd").iterdir())
    sockets = 0
    for fd in fds:
        with contextlib.suppress(OSError):
            sockets += str(fd.readlink()).startswith("socket:")
    return len(fds), sockets


async def load(stack, args, latencies: list, stats: dict, stop: asyncio.Event) -> None:
    import aiohttp

    headers = auth(["bdb"])
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:

        async def reader() -> None:
            while not stop.is_set():
                t0 = time.perf_counter()
                async with session.get(f"{stack.gateway_url}/api/v1/projects?limit=50", headers=headers) as r:
                    await r.read()
                    stats["errors"] += r.status >= 500
                latencies.append((time.perf_counter() - t0) * 1000)
                await asyncio.sleep(0.05)

        async def lives() -> None:
            i = 0
            tasks = set()
            while not stop.is_set():

                async def life(n: int) -> None:
                    try:
                        await one_life(session, stack.gateway_url, 100_000 + n, stats)
                    except LifeFailed:
                        stats["failed"] += 1

                task = asyncio.create_task(life(i))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
                i += 1
                await asyncio.sleep(60 / args.rate)
            await asyncio.gather(*tasks)

        await asyncio.gather(lives(), *(reader() for _ in range(4)))


async def run(stack, args) -> int:
    latencies: list[float] = []
    stats = {"done": 0, "failed": 0, "errors": 0, "failures": {}}
    stop = asyncio.Event()
    task = asyncio.create_task(load(stack, args, latencies, stats, stop))
    samples = []
    print(f"{'min':>4} {'RSS MB (all)':>13} {'fds':>6} {'sockets':>8} {'p99 ms':>8} {'lives':>6}")
    for minute in range(1, args.minutes + 1):
        await asyncio.sleep(60)
        window, latencies[:] = list(latencies), []
        rss = fds = socks = 0
        for proc in stack.procs.values():
            rss += rss_mb(proc.pid)[0]
            f, s = descriptors(proc.pid)
            fds, socks = fds + f, socks + s
        p99 = pct(window, 99) if window else float("nan")
        samples.append((minute, rss, fds, socks, p99))
        print(f"{minute:>4} {rss:>13.1f} {fds:>6} {socks:>8} {p99:>8.1f} {stats['done']:>6}", flush=True)
    stop.set()
    await task
    after = [s for s in samples if s[0] > args.warmup_min]
    if len(after) < 2:
        print("too short to judge growth")
        return 0
    first, last = after[0], after[-1]
    growth = (last[1] - first[1]) / first[1] * 100
    print(
        f"\nafter warm-up: memory {first[1]:.0f} → {last[1]:.0f} MB ({growth:+.1f} %, target ≤ 5 %), "
        f"fds {first[2]} → {last[2]}, sockets {first[3]} → {last[3]}, "
        f"p99 {min(s[4] for s in after):.1f}–{max(s[4] for s in after):.1f} ms; "
        f"lives {stats['done']} done, {stats['failed']} failed; server errors {stats['errors']}"
    )
    ok = growth <= 5 and last[2] <= first[2] and last[3] <= first[3] and not stats["errors"]
    return 0 if ok else 1


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=int, default=30)
    ap.add_argument("--warmup-min", type=int, default=5)
    ap.add_argument("--rate", type=float, default=20, help="project lives started per minute")
    ap.add_argument("--sqlite", action="store_true")
    args = ap.parse_args()
    if not args.sqlite:  # read by govkit.dev.testing when the stack's databases are made
        os.environ.setdefault("GOVPM_TEST_PG", os.environ.get("GOVPM_BENCH_PG") or DEFAULT_PG)
    stack = start_stack(args)
    try:
        return asyncio.run(run(stack, args))
    finally:
        stop_stack(stack, args)


if __name__ == "__main__":
    sys.exit(main())
