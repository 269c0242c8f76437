#!/usr/bin/env python3
"""Measure (not a test): with 100,000 projects in oversight's read model, how long the console's 项目库
shows its first page in Chromium. Seeds oversight's database as scripts/bench_projects.py does (COPY
into a migrated scratch PostgreSQL database), starts the stack on it with the built console, and times
the page with Playwright (web/e2e/bench-projects.mjs): cold (page load to rows on screen) and warm
(from 工作台 through the menu). Target: ≤ 1 s. Wall-clock figures: say how loaded the machine was.

    .venv/bin/python scripts/bench_console.py [--rows 100000] [--runs 7]
    (PostgreSQL from GOVPM_BENCH_PG or GOVPM_TEST_PG; needs web/dist: make console)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

import bench_projects  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--orgs", type=int, default=300)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    os.environ["GOVPM_TEST_PG"] = bench_projects.pg_base()
    if not (ROOT / "web/dist/index.html").exists():
        print("web/dist is missing: run `make console` first", file=sys.stderr)
        return 2
    from tests.e2e.support import build_stack, started

    from govkit.dev.testing import drop_databases

    orgs = [f"ORG-{i:03d}" for i in range(args.orgs)]
    dbname = f"govpm_bench_console_{uuid.uuid4().hex[:6]}"
    url = asyncio.run(bench_projects.setup(dbname, args.rows, orgs))
    try:
        stack = build_stack("bench-console", GOVPM_GATEWAY_CONSOLE_DIR=str(ROOT / "web/dist"))
        stack.database_urls["oversight"] = url
        with started(stack):
            env = {**os.environ, "GOVPM_URL": stack.gateway_url, "BENCH_RUNS": str(args.runs)}
            out = subprocess.run(
                ["node", "e2e/bench-projects.mjs"],
                cwd=ROOT / "web",
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
    finally:
        asyncio.run(drop_databases([dbname]))
    result = json.loads(out.strip().splitlines()[-1])
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"项目库 first page with {args.rows:,} projects in oversight, Chromium 1366×768, load average {load:.1f}:")
    print(f"  cold (page load → rows on screen): median {result['cold_median_ms']} ms  {result['cold_ms']}")
    print(f"  warm (工作台 → 项目库 by the menu): median {result['warm_median_ms']} ms  {result['warm_ms']}")
    ok = result["cold_median_ms"] <= 1000
    print(f"target ≤ 1000 ms (cold median): {'OK' if ok else 'TOO SLOW'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
