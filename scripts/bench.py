#!/usr/bin/env python3
"""`make bench`: start the whole stack (Tansu broker, five services, gateway; PostgreSQL databases)
and print, in one run, the five figures of issue 9 next to their targets:

  P1  a read through the gateway vs straight to the service at 32 connections: req/s, p50/p99, ratio
      (target: gateway ≥ 45% of direct);
  P2  a state change's commit → its effect committed in a consumer (outbox time → inbox processed_at,
      read from the two databases), next to a raw aiokafka produce→consume round trip on the same
      broker (target: p99 ≤ 3× raw);
  P3  N full project lives through the gateway (declaration → approval → payments → reports → final
      acceptance); target 1,000 in ≤ 60 s;
  P4  the filtered project list at 100,000 and 1,000,000 projects (scripts/bench_projects.py);
      target p50 ≤ 20 ms, p99 ≤ 50 ms at 1,000,000;
  P5  resident memory of every process (target ≤ 700 MB in all);
  P6  Excel exports at 100,000 rows (scripts/bench_exports.py): CPU seconds and extra memory
      (target ≤ 10 s, ≤ 200 MB); the keyword search of the project list (`q=`) is timed by P4.

    .venv/bin/python scripts/bench.py [--lives 100] [--duration 10] [--p4-rows 100000,1000000]
PostgreSQL from GOVPM_BENCH_PG / GOVPM_TEST_PG (default postgresql+asyncpg://postgres@127.0.0.1:5432);
`--sqlite` runs the services on SQLite instead. Uses `wrk` when installed, else an aiohttp load
generator in a separate process.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PG = "postgresql+asyncpg://postgres@127.0.0.1:5432"


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(p / 100 * len(s) + 0.5) - 1))]


def line(label: str, value: str, target: str = "", met: bool | None = None, was: str = "") -> None:
    mark = "" if met is None else ("  MET" if met else "  MISSED")
    old = f"  (was {was})" if was else ""
    print(f"  {label:<48} {value:<34} {('target ' + target) if target else ''}{mark}{old}", flush=True)


BASELINE = ROOT / "scripts" / "bench_baseline.json"  # the figures of the last quiet run, printed as "was"


def was(baseline: dict | None, *path, fmt: str = "{:.0f}") -> str:
    v = baseline or {}
    for k in path:
        v = v.get(k) if isinstance(v, dict) else None
    return fmt.format(v) if isinstance(v, int | float) else ""


# -- load generation -------------------------------------------------------------------------------
def _unit_ms(v: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s|m)", v)
    n, u = float(m.group(1)), m.group(2)
    return {"us": n / 1000, "ms": n, "s": n * 1000, "m": n * 60000}[u]


def run_wrk(url: str, headers: dict, conns: int, duration: int) -> dict:
    cmd = ["wrk", "-t2", f"-c{conns}", f"-d{duration}s", "--latency", "--timeout", "10s"]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, timeout=duration + 60).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.M))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return {
        "rps": rps,
        "p50": _unit_ms(lat["50"]),
        "p99": _unit_ms(lat["99"]),
        "tool": "wrk",
        "errors": int(non2xx.group(1)) if non2xx else 0,
    }


async def _loadgen(url: str, headers: dict, conns: int, duration: float) -> dict:
    import aiohttp

    lat: list[float] = []
    errors = 0
    deadline = time.perf_counter() + duration
    connector = aiohttp.TCPConnector(limit=conns)
    async with aiohttp.ClientSession(connector=connector, headers=headers) as session:

        async def worker():
            nonlocal errors
            while time.perf_counter() < deadline:
                t = time.perf_counter()
                async with session.get(url) as r:
                    await r.read()
                    if r.status >= 400:
                        errors += 1
                lat.append((time.perf_counter() - t) * 1000)

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(conns)))
        elapsed = time.perf_counter() - start
    return {"rps": len(lat) / elapsed, "p50": pct(lat, 50), "p99": pct(lat, 99), "tool": "aiohttp", "errors": errors}


def run_load(url: str, headers: dict, conns: int, duration: int) -> dict:
    if shutil.which("wrk"):
        return run_wrk(url, headers, conns, duration)
    # A separate process, so the generator does not share the event loop with anything measured.
    out = subprocess.run(
        [
            sys.executable,
            __file__,
            "--loadgen",
            url,
            "--headers",
            json.dumps(headers),
            "--conns",
            str(conns),
            "--duration",
            str(duration),
        ],
        capture_output=True,
        text=True,
        timeout=duration + 60,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


# -- the stack -------------------------------------------------------------------------------------
def start_stack(args):
    from govkit.dev.stack import Stack, free_port
    from govkit.dev.testing import TEST_SECRET, fresh_database_url
    from govkit.settings import SERVICES

    data_dir = Path(tempfile.mkdtemp(prefix="govpm-bench-"))
    ports = {name: free_port() for name in (*SERVICES, "gateway")}
    run = uuid.uuid4().hex[:6]
    names = (*SERVICES, "gateway")  # the gateway's own tables too (webhooks, portals, audit)
    if args.sqlite:
        urls = {name: f"sqlite+aiosqlite:///{data_dir / (name + '.db')}" for name in names}
    else:  # the six CREATE DATABASE side by side (one after the other was ≈ 1 s of the start)

        async def create() -> list[str]:
            return await asyncio.gather(*(fresh_database_url(f"govpm_bench_{run}_{name}") for name in names))

        urls = dict(zip(names, asyncio.run(create()), strict=True))
    env = {
        "GOVPM_JWT_SECRET": TEST_SECRET,
        "GOVPM_ENV": "test",
        "GOVPM_LOG_LEVEL": "WARNING",
        "GOVPM_PROVINCIAL_CALLBACK_SECRET": "bench-callback-secret",
        "GOVPM_GATEWAY_RATE_LIMIT_PER_S": "0",
    }  # the bench is one principal hammering the gateway
    stack = Stack(
        data_dir=data_dir,
        ports=ports,
        broker_port=free_port(),
        database_urls=urls,
        env=env,
        log_dir=Path(tempfile.gettempdir()) / "govpm-bench-logs" / run,
    )
    stack.start_all()
    return stack


def stop_stack(stack, args) -> None:
    stack.stop()
    if not args.sqlite:
        from govkit.dev.testing import drop_databases

        asyncio.run(drop_databases([u.rsplit("/", 1)[1] for u in stack.database_urls.values()]))


def auth(roles, org="ORG-BENCH") -> dict:
    from govkit.dev.testing import token

    return {"Authorization": f"Bearer {token(roles, org)}"}


# -- P1 --------------------------------------------------------------------------------------------
def p1(stack, args, baseline: dict | None = None) -> dict:
    import httpx

    print("\nP1  a read through the gateway vs straight to the service (32 connections)", flush=True)
    h = auth("bdb")
    direct = f"{stack.url('reserve')}/windows?library_year=2030"
    via = f"{stack.gateway_url}/api/v1/reserve/windows?library_year=2030"
    for u in (direct, via):
        r = httpx.get(u, headers=h, timeout=10)
        if r.status_code != 200:
            print(f"  note: GET {u} → {r.status_code} (measured anyway)")
    run_load(direct, h, 32, 2)  # warm-up
    pids = {n: stack.procs[n].pid for n in ("reserve", "gateway")}

    def measured(url):  # + CPU milliseconds per request of the service and the gateway (load-independent)
        before = {n: cpu_seconds(p) for n, p in pids.items()}
        r = run_load(url, h, 32, args.duration)
        done = max(1.0, r["rps"] * args.duration)
        r["cpu_ms_per_request"] = {n: (cpu_seconds(p) - before[n]) * 1000 / done for n, p in pids.items()}
        return r

    d = measured(direct)
    g = measured(via)
    ratio = g["rps"] / d["rps"] if d["rps"] else 0
    line(
        "CPU per request: direct (reserve)",
        f"{d['cpu_ms_per_request']['reserve']:.2f} ms",
        was=was(baseline, "P1", "direct", "cpu_ms_per_request", "reserve", fmt="{:.2f} ms"),
    )
    line(
        "CPU per request: via the gateway (gateway + reserve)",
        f"{g['cpu_ms_per_request']['gateway']:.2f} + {g['cpu_ms_per_request']['reserve']:.2f} ms",
        was=was(baseline, "P1", "gateway", "cpu_ms_per_request", "gateway", fmt="{:.2f} ms (gateway)"),
    )
    line(
        "direct (reserve GET /windows)",
        f"{d['rps']:.0f} req/s, p50 {d['p50']:.1f} ms, p99 {d['p99']:.1f} ms",
        "≥ 2,000 req/s",
        d["rps"] >= 2000,
        was=was(baseline, "P1", "direct", "rps", fmt="{:.0f} req/s"),
    )
    line(
        "through the gateway",
        f"{g['rps']:.0f} req/s, p50 {g['p50']:.1f} ms, p99 {g['p99']:.1f} ms",
        was=was(baseline, "P1", "gateway", "rps", fmt="{:.0f} req/s"),
    )
    line(
        "ratio gateway/direct",
        f"{ratio:.0%} ({d['tool']})",
        "≥ 90%",
        ratio >= 0.90,
        was=was(baseline, "P1", "ratio", fmt="{:.0%}"),
    )
    if d["errors"] or g["errors"]:
        print(f"  note: non-2xx responses: direct {d['errors']}, gateway {g['errors']}")
    return {"direct": d, "gateway": g, "ratio": ratio}


# -- P2 --------------------------------------------------------------------------------------------
async def raw_kafka_rtt(bootstrap: str, n: int) -> list[float]:
    """aiokafka alone, shaped like our consumers: a group member subscribed to a topic of
    DEFAULT_PARTITIONS partitions, polling with getmany at the services' fetch_max_wait_ms. (A
    consumer that fetches only when asked — getone on one assigned partition — sends its fetch after
    the message is already there and looks faster than any long-polling consumer can be.)"""
    from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

    from govkit.kafka import DEFAULT_PARTITIONS, ensure_topics
    from govkit.settings import ServiceSettings

    topic = f"govpm.bench.rtt.{uuid.uuid4().hex[:6]}"
    await ensure_topics(bootstrap, [topic], partitions=DEFAULT_PARTITIONS)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=0)
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id=f"bench-{uuid.uuid4().hex[:6]}",
        fetch_max_wait_ms=ServiceSettings().fetch_max_wait_ms,
        enable_auto_commit=False,
        auto_offset_reset="latest",
    )
    await producer.start()
    await consumer.start()
    try:
        while not consumer.assignment():  # fetching is what joins the group and gets the partitions
            await consumer.getmany(timeout_ms=50)
        await consumer.getmany(timeout_ms=500)
        out = []
        for i in range(n + 10):
            t = time.perf_counter()
            await producer.send_and_wait(topic, f"{i}".encode(), key=uuid.uuid4().bytes)
            while not await consumer.getmany(timeout_ms=500):
                pass
            if i >= 10:
                out.append((time.perf_counter() - t) * 1000)
            await asyncio.sleep(0.02)  # like the saga: one change at a time
        return out
    finally:
        await producer.stop()
        await consumer.stop()


async def commit_to_effect(stack, event_ids: list[str], consumer: str) -> list[float]:
    from sqlalchemy import select

    from govkit.db import make_engine, make_sessionmaker
    from govkit.kernel_models import InboxEvent, OutboxEvent

    async def read(service, stmt):
        engine = make_engine(stack.database_urls[service])
        try:
            async with make_sessionmaker(engine, service)() as s:
                return {r[0]: r[1] for r in (await s.execute(stmt)).all()}
        finally:
            await engine.dispose()

    sent = await read(
        "reserve", select(OutboxEvent.event_id, OutboxEvent.time).where(OutboxEvent.event_id.in_(event_ids))
    )
    done = await read(
        consumer, select(InboxEvent.event_id, InboxEvent.processed_at).where(InboxEvent.event_id.in_(event_ids))
    )
    return [(done[e] - sent[e]).total_seconds() * 1000 for e in event_ids if e in sent and e in done]


def _window_bodies():
    """Distinct windows to open: an annual one per library year (Q4 of the year before), then
    supplements in the year itself (one per half-year, R-9.1) — 3 × 71 in all."""
    years = range(2030, 2101)
    for kind, opens, closes in (
        ("annual", "{p}-10-01", "{p}-12-31"),
        ("supplement", "{y}-03-01", "{y}-03-31"),
        ("supplement", "{y}-09-01", "{y}-09-30"),
    ):
        for y in years:
            yield {
                "kind": kind,
                "library_year": y,
                "opens_on": opens.format(y=y, p=y - 1),
                "closes_on": closes.format(y=y, p=y - 1),
            }


def p2(stack, args, baseline: dict | None = None) -> dict:
    import httpx
    from sqlalchemy import select

    from govkit.db import make_engine, make_sessionmaker
    from govkit.kernel_models import OutboxEvent as OE

    print("\nP2  commit → effect committed in a consumer, vs raw aiokafka produce→consume", flush=True)
    raw = asyncio.run(raw_kafka_rtt(stack.bootstrap, args.events))
    bodies = _window_bodies()
    failures = 0

    def open_windows(client, n: int) -> None:
        nonlocal failures
        for _ in range(n):
            body = next(bodies, None)
            if body is None:
                return
            if client.post("/api/v1/reserve/windows", json=body).status_code != 201:
                failures += 1
            time.sleep(0.02)  # latency, not throughput: one change at a time

    async def ids_of() -> list[str]:  # the WindowOpened events reserve emitted, from its outbox
        engine = make_engine(stack.database_urls["reserve"])
        try:
            async with make_sessionmaker(engine, "reserve")() as s:
                return list(
                    (await s.scalars(select(OE.event_id).where(OE.type == "WindowOpened").order_by(OE.seq))).all()
                )
        finally:
            await engine.dispose()

    def latencies(ids: list[str], consumer: str) -> list[float]:
        deadline = time.monotonic() + 20
        lat: list[float] = []
        while time.monotonic() < deadline:
            lat = asyncio.run(commit_to_effect(stack, ids, consumer))
            if len(lat) >= len(ids):
                break
            time.sleep(0.5)
        return lat

    with httpx.Client(base_url=stack.gateway_url, headers=auth("bdb"), timeout=30) as c:
        open_windows(c, 5)  # warm-up: the consumers leave their idle pace (GOVPM_IDLE_FETCH_MAX_WAIT_MS)
        warm = set(asyncio.run(ids_of()))
        open_windows(c, min(args.events, 200))
        measured = [i for i in asyncio.run(ids_of()) if i not in warm]
        time.sleep(3)  # quiet for longer than _FetchPace.IDLE_AFTER_S: the consumers slow their fetches
        open_windows(c, 1)
        after_idle = [i for i in asyncio.run(ids_of()) if i not in warm and i not in measured]
    consumer = "oversight"
    lat = latencies(measured, consumer)
    idle = latencies(after_idle, consumer)
    ratio = pct(lat, 99) / pct(raw, 99) if lat and raw else float("nan")
    line(
        f"commit → {consumer} inbox ({len(lat)}/{len(measured)} events)",
        f"p50 {pct(lat, 50):.1f} ms, p99 {pct(lat, 99):.1f} ms",
    )
    line(
        f"raw aiokafka produce→consume, same shape ({len(raw)})",
        f"p50 {pct(raw, 50):.1f} ms, p99 {pct(raw, 99):.1f} ms",
    )
    line(
        "ratio p99 saga/raw",
        f"{ratio:.2f}×",
        "≤ 3×",
        ratio <= 3 if lat else False,
        was=was(baseline, "P2", "ratio", fmt="{:.2f}×"),
    )
    line("the first change after 3 s of quiet", f"{idle[0]:.1f} ms" if idle else "not seen")
    if failures:
        print(f"  note: {failures} window POSTs refused")
    return {
        "saga_p50": pct(lat, 50),
        "saga_p99": pct(lat, 99),
        "raw_p50": pct(raw, 50),
        "raw_p99": pct(raw, 99),
        "ratio": ratio,
        "events": len(lat),
        "after_idle_ms": idle[0] if idle else None,
    }


# -- P3 --------------------------------------------------------------------------------------------
ALL_ROLES = [
    "unit",
    "bdb",
    "finance",
    "approval_bureau",
    "expert",
    "third_party",
    "leading_group",
    "secrecy",
    "cac",
    "crypto",
    "police",
    "supervisor",
]


class LifeFailed(Exception):
    pass


async def one_life(session, base: str, i: int, stats: dict, wait_s: float = 20.0) -> None:
    """One project life; `wait_s` is how long a step waits for an event to reach the next service."""
    import aiohttp  # noqa: F401

    from govkit.clock import today as clock_today
    from govkit.dev.testing import token

    org = f"ORG-B{i:05d}"
    h = {"Authorization": f"Bearer {token(ALL_ROLES, org)}"}
    today = clock_today()  # Asia/Shanghai, as the services count days

    async def call(step: str, method: str, path: str, body=None, ok=(200, 201)):
        async with session.request(method, base + path, json=body, headers=h) as r:
            text = await r.text()
            if r.status not in ok:
                raise LifeFailed(f"{step}: {method} {path} → {r.status} {text[:300]}")
            return json.loads(text) if text else {}

    async def until(step: str, path: str, check, timeout: float = wait_s):
        deadline = time.monotonic() + timeout
        last = None
        delay = 0.05  # as a client would poll: soon at first, then backing off to 0.5 s
        while time.monotonic() < deadline:
            async with session.get(base + path, headers=h) as r:
                last = (r.status, await r.text())
                if r.status == 200 and check(json.loads(last[1])):
                    return json.loads(last[1])
            await asyncio.sleep(delay)
            delay = min(0.5, delay * 1.5)
        raise LifeFailed(f"{step}: GET {path} never ready; last {last[0] if last else None} {str(last)[:300]}")

    amount = "300000.00"
    decl = await call(
        "declaration",
        "POST",
        "/api/v1/reserve/declarations",
        {
            "title": f"基准项目 {i}",
            "category": "business_application",
            "org": org,
            "estimated_investment": amount,
            "description": "性能基准：完整项目生命周期",
            "classified": False,
            "built_by_big_data_group": False,
            "new_civil_works": False,
            "high_energy": False,
            "emergency": {"type": "public_health", "grounds": "基准测试应急项目"},
        },
    )
    pid = decl["project_id"]
    a = f"/api/v1/approval/applications/{pid}"
    await until("application opened", a, lambda j: j.get("status") == "open")
    for kind in ("proposal", "feasibility_study", "preliminary_design", "security_statement"):
        await call(f"material {kind}", "POST", f"{a}/materials", {"kind": kind, "title": kind})
    await call(
        "compliance",
        "PUT",
        f"{a}/compliance",
        {
            "uses_shared_infrastructure": True,
            "entrances": [],
            "serves_public": False,
            "data_items": [],
            "county_extension": False,
            "county_extension_reason": "市级专用业务系统，无县区用户",
        },
    )
    await call("submit", "POST", f"{a}/submit", {})
    await call("expert review", "POST", f"{a}/expert-reviews", {"expert": "专家甲", "score": 88, "opinion": "同意"})
    await call("joint review", "POST", f"{a}/joint-review", {"decision": "approve", "opinion": "同意"})
    await call("technical opinion", "POST", f"{a}/technical-opinion", {"document_no": f"JS-{i}"})
    await call(
        "approval document",
        "POST",
        f"{a}/approval-document",
        {"document_no": f"PF-{i}", "approved_investment": amount, "construction_months": 12},
    )
    await until("approved", a, lambda j: j.get("status") == "approved")
    b = f"/api/v1/budget/projects/{pid}"
    await until("budget project", b, lambda j: j.get("approved_investment") is not None)
    contract = await call(
        "contract",
        "POST",
        f"{b}/contracts",
        {
            "contract_no": f"HT-{i}",
            "supplier": "某科技公司",
            "amount": "280000.00",
            "procurement_method": "open_tender",
            "signed_on": today.isoformat(),
        },
    )
    o = f"/api/v1/oversight/projects/{pid}"
    await until(
        "oversight project",
        f"/api/v1/projects/{pid}",  # ProjectApproved reached oversight
        lambda j: j.get("status") == "approved",
    )
    await call(
        "construction",
        "PUT",
        f"{o}/construction",
        {
            "implementing_body": org,
            "responsible_person": "张三",
            "supervision_firm": "某监理公司",
            "warranty_years": 2,
            "ip_owner": org,
            "om_plan": "运维方案",
            "training_plan": "培训方案",
            "training_materials": "培训教程",
        },
    )
    # the year's plan line (lives compile one plan: a lost race on its first version is retried),
    # a funding request bdb confirms, then the payment naming it.
    for attempt in range(10):
        try:
            await call(
                "plan line",
                "PUT",
                f"/api/v1/budget/funding-plans/{today.year}/lines/{pid}",
                {"amount": amount, "reason": "按项目进度安排资金"},
            )
            break
        except LifeFailed:
            if attempt == 9:
                raise
            await asyncio.sleep(0.05 * (attempt + 1))
    req = await call(
        "funding request",
        "POST",
        f"{b}/funding-requests",
        {
            "amount": "100000.00",
            "purpose": "首付款",
            "contract_id": contract["id"],
            "evidence": [{"kind": "invoice", "ref": f"FP-{i}"}],
        },
    )
    await call(
        "funding decision",
        "POST",
        f"/api/v1/budget/funding-requests/{req['id']}/decision",
        {"decision": "confirm", "opinion": "符合资金计划"},
    )
    await call(
        "disbursement",
        "POST",
        f"{b}/disbursements",
        {"amount": "100000.00", "purpose": "首付款", "request_id": req["id"]},
    )
    q = (today.month - 1) // 3 + 1
    await call(
        "progress report",
        "POST",
        f"{o}/progress-reports",
        {
            "year": today.year,
            "quarter": q,
            "procedures": "完成",
            "tendering": "完成",
            "start_completion": "已开工",
            "implementation": "正常",
            "development_progress_pct": 100,
            "investment_completed_year": "280000.00",
            "funds_used_year": "100000.00",
            "investment_completed_total": "280000.00",
            "funds_used_total": "100000.00",
        },
    )
    c = f"/api/v1/acceptance/projects/{pid}"
    # Under 2,000,000 the acceptance path is merged: the unit leads one acceptance itself,
    # after archives, the MLPS assessment and the cryptography statement and a trial run.
    # The construction filing gates every acceptance step: wait until acceptance has it.
    await until(
        "acceptance project",
        c,
        lambda j: j.get("path") == "merged" and (j.get("construction_filing") or {}).get("filed"),
    )
    for kind in (
        "proposal",
        "feasibility_study",
        "preliminary_design",
        "technical_opinion",
        "approval_document",
        "contract",
        "security_test",
        "risk_assessment",
    ):  # the archive the acceptance examines
        form = aiohttp.FormData()
        form.add_field("kind", kind)
        form.add_field(
            "file", f"%PDF-1.4\n% {i} {kind}\n%%EOF\n".encode(), filename=f"{kind}.pdf", content_type="application/pdf"
        )
        async with session.post(base + f"{c}/documents", data=form, headers=h) as r:
            if r.status != 201:
                raise LifeFailed(f"document {kind}: {r.status} {(await r.text())[:300]}")
    await call("archives acceptance", "POST", f"{c}/archives-acceptance", {"report_no": f"DA-{i}", "passed": True})
    await call(
        "security assessment",
        "POST",
        f"{c}/security-assessments",
        {"kind": "mlps", "report_no": f"DB-{i}", "passed": True},
    )
    await call(
        "risk assessment", "POST", f"{c}/security-assessments", {"kind": "risk", "report_no": f"FX-{i}", "passed": True}
    )
    await call("cryptography statement", "PUT", f"{c}/profile", {"uses_cryptography": False})
    await call(
        "trial operation",
        "POST",
        f"{c}/trial-operation",
        {"starts_on": today.isoformat(), "ends_on": today.isoformat()},
    )
    await call("final acceptance", "POST", f"{c}/final", {"opinion": "同意通过竣工验收"})
    await until("final accepted", c, lambda j: j.get("stage") == "final_accepted")
    stats["done"] += 1


async def lives(stack, n: int, concurrency: int) -> dict:
    import aiohttp

    stats = {"done": 0, "failures": {}}
    sem = asyncio.Semaphore(concurrency)
    async with aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=concurrency * 2), timeout=aiohttp.ClientTimeout(total=60)
    ) as session:

        async def guarded(i):
            async with sem:
                try:
                    await one_life(session, stack.gateway_url, i, stats)
                except LifeFailed as exc:
                    step = str(exc).split(":", 1)[0]
                    stats["failures"].setdefault(step, [0, str(exc)])[0] += 1

        start = time.perf_counter()
        await asyncio.gather(*(guarded(i) for i in range(n)))
        stats["seconds"] = time.perf_counter() - start
    return stats


# -- where P3's work goes: CPU seconds, requests, consumed events and SQL per life, per process -------
CLK_TCK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process (its own threads; not its exited children), 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


async def _pg_backends(stack) -> dict[int, str]:
    """PostgreSQL backends serving the stack's databases: pid → service (local server only)."""
    import asyncpg

    names = {u.rsplit("/", 1)[1]: svc for svc, u in stack.database_urls.items() if u.startswith("postgresql")}
    if not names:
        return {}
    dsn = os.environ["GOVPM_TEST_PG"].replace("postgresql+asyncpg://", "postgresql://")
    conn = await asyncpg.connect(f"{dsn}/postgres")
    try:
        rows = await conn.fetch("SELECT pid, datname FROM pg_stat_activity WHERE datname = ANY($1)", list(names))
    finally:
        await conn.close()
    return {r["pid"]: names[r["datname"]] for r in rows}


_METRIC = re.compile(r"^(govpm_[a-z_]+?)(?:_total)?\{(.*)\} ([0-9.e+-]+)$", re.M)


def scrape(url: str) -> dict[tuple, float]:
    """The counters a life moves, from one /metrics page: (metric, label, …) → value."""
    import httpx

    out: dict[tuple, float] = {}
    try:
        text = httpx.get(f"{url}/metrics", timeout=10).text
    except httpx.HTTPError:
        return out
    for name, labels, value in _METRIC.findall(text):
        lab = dict(kv.split("=", 1) for kv in re.findall(r'[a-z_]+="[^"]*"', labels))
        lab = {k: v.strip('"') for k, v in lab.items()}
        if name == "govpm_db_statements":
            key = ("sql", lab.get("kind", ""))
        elif name == "govpm_db_transactions":
            key = ("tx", lab.get("outcome", ""))
        elif name in ("govpm_http_requests", "govpm_gateway_requests"):
            key = ("http", lab.get("method", ""))
        elif name == "govpm_consumer_events":
            key = ("event", lab.get("outcome", ""))
        else:
            continue
        out[key] = out.get(key, 0.0) + float(value)
    return out


def work_snapshot(stack) -> dict:
    procs = {name: proc.pid for name, proc in stack.procs.items() if proc.poll() is None}
    pg = asyncio.run(_pg_backends(stack)) if not stack.database_urls.get("reserve", "").startswith("sqlite") else {}
    cpu = {name: cpu_seconds(pid) for name, pid in procs.items()}
    pg_cpu = {pid: cpu_seconds(pid) for pid in pg}
    counters = {
        name: scrape(stack.gateway_url if name == "gateway" else stack.url(name)) for name in procs if name != "broker"
    }
    return {"cpu": cpu, "pg": pg, "pg_cpu": pg_cpu, "counters": counters}


def work_delta(before: dict, after: dict) -> dict:
    """What each process did between two snapshots: CPU seconds and every counter's increase."""
    out: dict[str, dict] = {}
    for name, cpu in after["cpu"].items():
        b, a = before["counters"].get(name, {}), after["counters"].get(name, {})
        d = {k: a.get(k, 0.0) - b.get(k, 0.0) for k in a}
        d["cpu"] = cpu - before["cpu"].get(name, 0.0)
        out[name] = d
    for pid, svc in after["pg"].items():  # backends opened during the run count from 0
        d = out.setdefault(f"postgres:{svc}", {"cpu": 0.0})
        d["cpu"] += cpu_seconds(pid) - before["pg_cpu"].get(pid, 0.0)
    return out


def work_per_life(run: dict, idle: dict | None, run_s: float, idle_s: float, lives: int) -> dict:
    """Per process, per completed life: CPU seconds, requests, events consumed, statements, commits.
    What the stack does on its own (timers, fetch polls, catch-up, clock scans), measured over an idle
    spell before the run, is taken out in proportion to the run's length: on a loaded machine a life
    lasts longer and that background would otherwise be counted as the lives' work."""
    n = max(lives, 1)
    out: dict[str, dict] = {}
    for name, raw in run.items():
        bg = (idle or {}).get(name, {})
        scale = run_s / idle_s if idle_s else 0.0
        d = {k: max(0.0, v - bg.get(k, 0.0) * scale) for k, v in raw.items()}
        row = {"cpu_s": d["cpu"] / n, "cpu_s_raw": raw["cpu"] / n, "idle_cpu_per_s": bg.get("cpu", 0.0) / (idle_s or 1)}
        if name != "broker" and not name.startswith("postgres"):
            row.update(
                requests=sum(v for k, v in d.items() if k[0] == "http") / n,
                get_requests=sum(v for k, v in d.items() if k == ("http", "GET")) / n,
                events_applied=d.get(("event", "applied"), 0.0) / n,
                events_duplicate=d.get(("event", "duplicate"), 0.0) / n,
                statements=sum(v for k, v in d.items() if k[0] == "sql") / n,
                selects=d.get(("sql", "select"), 0.0) / n,
                commits=d.get(("tx", "commit"), 0.0) / n,
                rollbacks=d.get(("tx", "rollback"), 0.0) / n,
            )
        out[name] = row
    return out


def print_work(work: dict, baseline: dict | None) -> None:
    old = (baseline or {}).get("P3", {}).get("per_life", {})
    print("  per completed life, net of each process's idle background (raw: with it; idle/s: CPU s per second idle)")
    print(
        f"    {'process':<22}{'CPU s':>8}{'(was)':>8}{'raw':>8}{'idle/s':>8}{'req':>7}{'GET':>7}{'events':>8}{'dup':>6}"
        f"{'SQL':>8}{'SELECT':>8}{'commit':>8}{'rollbk':>8}"
    )
    total = 0.0
    for name, row in sorted(work.items(), key=lambda kv: -kv[1]["cpu_s"]):
        total += row["cpu_s"]
        was = old.get(name, {}).get("cpu_s")
        cells = (
            f"    {name:<22}{row['cpu_s']:>8.3f}{(f'{was:.3f}' if was is not None else ''):>8}"
            f"{row['cpu_s_raw']:>8.3f}{row['idle_cpu_per_s']:>8.3f}"
        )
        if "requests" in row:
            cells += (
                f"{row['requests']:>7.1f}{row['get_requests']:>7.1f}{row['events_applied']:>8.1f}"
                f"{row['events_duplicate']:>6.1f}{row['statements']:>8.1f}{row['selects']:>8.1f}"
                f"{row['commits']:>8.1f}{row['rollbacks']:>8.1f}"
            )
        print(cells)
    pg = sum(r["cpu_s"] for n, r in work.items() if n.startswith("postgres:"))
    pg_was = old.get("postgres (all)", {}).get("cpu_s")
    print(f"    {'postgres (all)':<22}{pg:>8.3f}{(f'{pg_was:.3f}' if pg_was is not None else ''):>8}")
    was_total = sum(r.get("cpu_s", 0.0) for r in old.values()) if old else None
    print(f"    {'all measured':<22}{total:>8.3f}{(f'{was_total:.3f}' if was_total else ''):>8}", flush=True)


def p3(stack, args, baseline: dict | None = None) -> dict:
    print(f"\nP3  {args.lives} full project lives through the gateway ({args.concurrency} at a time)", flush=True)
    idle_s = args.idle_s
    first = work_snapshot(stack)
    time.sleep(idle_s)  # the stack on its own: its background work, taken out of the per-life figures
    before = work_snapshot(stack)
    stats = asyncio.run(lives(stack, args.lives, args.concurrency))
    after = work_snapshot(stack)
    work = work_per_life(work_delta(before, after), work_delta(first, before), stats["seconds"], idle_s, stats["done"])
    secs = stats["seconds"]
    per_1000 = secs / max(stats["done"], 1) * 1000 if stats["done"] else float("inf")
    line("completed lives", f"{stats['done']}/{args.lives} in {secs:.1f} s")
    line(
        "projected time for 1,000 lives",
        f"{per_1000:.1f} s" if stats["done"] else "n/a",
        "≤ 60 s",
        per_1000 <= 60 if stats["done"] == args.lives else False,
        was=was(baseline, "P3", "per_1000_s", fmt="{:.1f} s"),
    )
    for step, (count, example) in sorted(stats["failures"].items(), key=lambda kv: -kv[1][0]):
        print(f"  failed at '{step}' ×{count}: {example[:400]}")
    print_work(work, baseline)
    return {
        "done": stats["done"],
        "n": args.lives,
        "seconds": secs,
        "per_1000_s": per_1000,
        "failures": {k: v[0] for k, v in stats["failures"].items()},
        "cpu_s_per_life": sum(r["cpu_s"] for r in work.values()),
        "per_life": work,
    }


# -- P4 --------------------------------------------------------------------------------------------
def p4(args) -> dict:
    print("\nP4  the filtered project list and the timeline (scripts/bench_projects.py)", flush=True)
    script = ROOT / "scripts" / "bench_projects.py"
    results = {}
    if not script.exists():
        print("  scripts/bench_projects.py is missing (oversight's issue)")
        return results
    if args.sqlite:
        print("  skipped: needs PostgreSQL")
        return results
    for rows in [int(r) for r in args.p4_rows.split(",") if r]:
        print(f"  -- {rows:,} projects", flush=True)
        env = dict(os.environ, GOVPM_BENCH_PG=args.pg)
        try:
            out = subprocess.run(
                [sys.executable, str(script), "--rows", str(rows)],
                capture_output=True,
                text=True,
                env=env,
                timeout=args.p4_timeout,
            )
        except subprocess.TimeoutExpired:
            print(f"  timed out after {args.p4_timeout} s")
            results[rows] = "timeout"
            continue
        for ln in (out.stdout + (out.stderr if out.returncode else "")).strip().splitlines()[-40:]:
            print("    " + ln)
        results[rows] = out.returncode
    print("  target at 1,000,000: p50 ≤ 20 ms, p99 ≤ 50 ms")
    return results


# -- P6 --------------------------------------------------------------------------------------------
def p6(args) -> dict:
    print("\nP6  Excel exports at 100,000 rows (scripts/bench_exports.py)", flush=True)
    if args.sqlite:
        print("  skipped: needs PostgreSQL")
        return {}
    env = dict(os.environ, GOVPM_BENCH_PG=args.pg)
    try:
        out = subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "bench_exports.py"), "--rows", str(args.export_rows)],
            capture_output=True,
            text=True,
            env=env,
            timeout=args.p4_timeout,
        )
    except subprocess.TimeoutExpired:
        print(f"  timed out after {args.p4_timeout} s")
        return {"error": "timeout"}
    for ln in (out.stdout + (out.stderr if out.returncode else "")).strip().splitlines()[-20:]:
        print("    " + ln)
    return {"returncode": out.returncode}


# -- P5 --------------------------------------------------------------------------------------------
def rss_mb(pid: int) -> tuple[float, float]:
    fields = {}
    for ln in Path(f"/proc/{pid}/status").read_text().splitlines():
        k, _, v = ln.partition(":")
        if k in ("VmRSS", "VmHWM"):
            fields[k] = int(v.split()[0]) / 1024
    return fields.get("VmRSS", 0.0), fields.get("VmHWM", 0.0)


def pss_uss_mb(pid: int) -> tuple[float, float]:
    """Proportional (shared pages divided among the processes mapping them) and unique set size: what
    the process occupies beyond what it shares. Six Python processes of one virtualenv share ≈ 20 MB
    of library and interpreter pages each, which a sum of RSS counts six times."""
    fields = {}
    try:
        for ln in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            k, _, v = ln.partition(":")
            if k in ("Pss", "Private_Clean", "Private_Dirty"):
                fields[k] = int(v.split()[0]) / 1024
    except OSError:
        return float("nan"), float("nan")
    return fields.get("Pss", 0.0), fields.get("Private_Clean", 0.0) + fields.get("Private_Dirty", 0.0)


def p5(stack, baseline: dict | None = None, label: str = "") -> dict:
    print(f"\nP5  resident memory of every process (RSS now / peak; PSS; USS){label}", flush=True)
    total = peak = pss_total = uss_total = 0.0
    out = {}
    for name, proc in sorted(stack.procs.items()):
        if proc.poll() is not None:
            continue
        now, hwm = rss_mb(proc.pid)
        pss, uss = pss_uss_mb(proc.pid)
        total += now
        peak += hwm
        pss_total += pss
        uss_total += uss
        out[name] = now
        line(name, f"{now:.0f} MB / {hwm:.0f} MB; PSS {pss:.0f} MB; USS {uss:.0f} MB")
    limit = 600 if label else 700  # at rest / at the end of P3
    key = "P5_rest" if label else "P5"
    line(
        "all processes of the stack (sum of RSS)",
        f"{total:.0f} MB (peaks summed {peak:.0f} MB)",
        f"≤ {limit} MB",
        total <= limit,
        was=was(baseline, key, "total_mb", fmt="{:.0f} MB"),
    )
    line("the same, shared pages counted once (sum of PSS; USS)", f"{pss_total:.0f} MB; {uss_total:.0f} MB")
    return {"processes": out, "total_mb": total, "peak_sum_mb": peak, "pss_mb": pss_total, "uss_mb": uss_total}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lives", type=int, default=100, help="P3: project lives (target: 1,000 in 60 s)")
    ap.add_argument("--concurrency", type=int, default=32, help="P3: lives in flight at once")
    ap.add_argument("--duration", type=int, default=10, help="P1: seconds per load run")
    ap.add_argument("--idle-s", type=float, default=10.0, help="P3: idle spell measuring the background work")
    ap.add_argument("--events", type=int, default=100, help="P2: state changes measured")
    ap.add_argument("--p4-rows", default="100000,1000000")
    ap.add_argument("--p4-timeout", type=int, default=1800)
    ap.add_argument("--export-rows", type=int, default=100_000, help="P6: rows per Excel export")
    ap.add_argument("--only", default="1,2,3,4,5,6", help="which figures, e.g. 1,2,5")
    ap.add_argument("--sqlite", action="store_true", help="services on SQLite instead of PostgreSQL")
    ap.add_argument("--json", action="store_true", help="also print every figure as JSON")
    ap.add_argument("--loadgen", help=argparse.SUPPRESS)
    ap.add_argument("--headers", default="{}", help=argparse.SUPPRESS)
    ap.add_argument("--conns", type=int, default=32, help=argparse.SUPPRESS)
    ap.add_argument(
        "--baseline",
        default=str(BASELINE),
        help="JSON of an earlier run (--json output) whose figures are printed as 'was'; '' for none",
    )
    args = ap.parse_args()
    baseline = None
    if args.baseline and Path(args.baseline).exists():
        baseline = json.loads(Path(args.baseline).read_text())
    if args.loadgen:
        print(json.dumps(asyncio.run(_loadgen(args.loadgen, json.loads(args.headers), args.conns, args.duration))))
        return 0
    args.pg = os.environ.get("GOVPM_BENCH_PG") or os.environ.get("GOVPM_TEST_PG") or DEFAULT_PG
    if not args.sqlite:
        os.environ["GOVPM_TEST_PG"] = args.pg  # read by govkit.dev.testing at import
        subprocess.run([str(ROOT / "scripts" / "ensure-postgres.sh")], check=False)
    only = {int(x) for x in args.only.split(",") if x}
    print(
        f"GovPM benchmark — {os.cpu_count()} cores, databases: {'SQLite' if args.sqlite else 'PostgreSQL'}, "
        f"load: {'wrk' if shutil.which('wrk') else 'aiohttp'}",
        flush=True,
    )
    results: dict = {}
    stack = None
    try:
        if only & {1, 2, 3, 5}:
            t = time.perf_counter()
            stack = start_stack(args)
            up = time.perf_counter() - t
            results["start_s"] = up
            print(f"stack up in {up:.1f} s (logs: {stack.log_dir})", flush=True)
            line("start to healthy", f"{up:.1f} s", "≤ 10 s", up <= 10, was=was(baseline, "start_s", fmt="{:.1f} s"))
            if 5 in only:
                results["P5_rest"] = p5(stack, baseline, label=" at rest, before any load")
        steps = [
            (1, lambda: p1(stack, args, baseline)),
            (2, lambda: p2(stack, args, baseline)),
            (3, lambda: p3(stack, args, baseline)),
            (5, lambda: p5(stack, baseline)),
        ]
        for key, fn in steps:
            if key in only:
                try:
                    results[f"P{key}"] = fn()
                except Exception as exc:  # noqa: BLE001 - report and go on to the next figure
                    print(f"  P{key} failed: {type(exc).__name__}: {exc}", flush=True)
                    results[f"P{key}"] = {"error": str(exc)}
    finally:
        if stack is not None:
            stop_stack(stack, args)
    if 4 in only:
        results["P4"] = p4(args)
    if 6 in only:
        results["P6"] = p6(args)
    if args.json:  # the last thing printed: `make bench-json > run.json` keeps it for --baseline
        print("\n--- JSON ---")
        print(json.dumps(results, default=str, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
