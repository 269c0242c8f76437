#!/usr/bin/env python3
"""Benchmark of the whole-project list (`GET /projects?status=&org=&library_year=&limit=&cursor=`)
of a project's timeline (`GET /projects/{id}/timeline`, twelve events for every tenth project) and of
the keyword search (`GET /projects?q=`: a field word, one character, region + field, a declaration
number, a unit's code, no match — each with its total; a unit searching its own projects)
at 100,000 projects (optionally 1,000,000) on PostgreSQL.

It creates a scratch database, migrates it with oversight's own migrations, bulk-loads the flat
read-model table with COPY, ANALYZEs, then times the list use case (query + rows → JSON-ready
objects with the green/amber/red rating) for several filters and prints p50 / p99 in ms.
The target: median under 50 ms for a filtered page.

    .venv/bin/python scripts/bench_projects.py                 # 100,000 rows
    .venv/bin/python scripts/bench_projects.py --rows 1000000  # 1,000,000 rows
    GOVPM_BENCH_PG=postgresql+asyncpg://postgres@127.0.0.1:5432 … (or GOVPM_TEST_PG)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVICE_ROOT = ROOT / "services" / "oversight"
sys.path[:0] = [str(SERVICE_ROOT / "src"), str(ROOT / "packages" / "govkit" / "src")]

STATUSES = [
    "admitted",
    "under_review",
    "approved",
    "in_construction",
    "in_acceptance",
    "final_accepted",
    "suspended",
    "terminated",
    "declared",
    "rejected",
]
WEIGHTS = [8, 6, 10, 40, 12, 18, 2, 1, 2, 1]
COLUMNS = [
    "project_id",
    "status",
    "org",
    "participant_orgs",
    "title",
    "declaration_no",
    "category",
    "library_year",
    "route",
    "jurisdiction",
    "declared_on",
    "in_reserve",
    "refused",
    "under_review",
    "rejected",
    "approved_on",
    "construction_filed",
    "suspended",
    "terminated",
    "estimated_investment",
    "approved_investment",
    "paid_total",
    "surplus_returned",
    "funds_mismatch",
    "reported_quarters",
    "last_report",
    "development_progress_pct",
    "funds_used_total",
    "overdue_notices",
    "incidents",
    "open_rectifications",
    "rectifications_total",
    "sanctions",
    "findings",
    "version",
]


TIMELINE_EVERY = 10
TIMELINE_COLUMNS = ["event_id", "project_id", "service", "type", "time", "seq", "actor", "actor_org", "rule", "data"]
LIFE = [
    ("reserve", "ProjectDeclared", None),
    ("reserve", "ProjectAdmittedToReserve", "R-8.2"),
    ("approval", "ApplicationSubmitted", "R-10.1"),
    ("approval", "ReviewStarted", "R-11.1"),
    ("approval", "ProjectApproved", "R-12.1"),
    ("budget", "ContractSigned", "R-26.1"),
    ("oversight", "ConstructionFiled", "R-15.1"),
    ("budget", "DisbursementMade", "R-26.1"),
    ("oversight", "ProgressReported", "R-18.1"),
    ("oversight", "ProgressReported", "R-18.1"),
    ("acceptance", "PreliminaryAccepted", "R-21.1"),
    ("acceptance", "FinalAccepted", "R-21.2"),
]


def timeline(project_id, org: str, i: int):
    """A project's life as oversight records it: twelve events of five services."""
    from datetime import datetime

    start = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=i)
    for k, (service, etype, rule) in enumerate(LIFE):
        yield (
            str(uuid.UUID(int=(i << 8) | k, version=4)),
            project_id,
            service,
            etype,
            start + timedelta(days=7 * k),
            i * len(LIFE) + k,
            f"user-{i}",
            org,
            rule,
            json.dumps({"project_id": str(project_id), "step": k}),
        )


# Titles as a bureau's projects are named (region + field + kind), so that the keyword search (`q=`)
# meets realistic selectivity: a field word matches about one project in forty.
REGIONS = [
    "市",
    "亭湖区",
    "盐都区",
    "大丰区",
    "东台市",
    "建湖县",
    "射阳县",
    "阜宁县",
    "滨海县",
    "响水县",
    "盐南高新区",
    "经开区",
]
FIELDS = [
    "智慧城管",
    "防汛抗旱",
    "应急指挥",
    "医疗保障",
    "不动产登记",
    "社会保障",
    "公共安全视频",
    "智慧教育",
    "智能交通",
    "生态环境监测",
    "市场监管",
    "数据共享交换",
    "政务服务",
    "12345热线",
    "网格化社会治理",
    "水利工程",
    "农业农村",
    "文化旅游",
    "卫生健康",
    "税费征管",
    "住房公积金",
    "人力资源",
    "民政救助",
    "自然资源",
    "工程建设审批",
    "信用信息",
    "统计分析",
    "审计监督",
    "档案数字化",
    "机关事务",
    "退役军人服务",
    "消防救援",
    "气象服务",
    "港口物流",
    "海洋渔业",
    "林业资源",
    "供销合作",
    "残疾人服务",
    "妇女儿童",
    "科技创新",
]
KINDS = ["平台", "系统", "一期工程", "二期工程", "升级改造", "数据库建设", "综合平台", "管理系统", "服务中心"]
SEARCHES = {
    "field (2–4 chars)": lambda r: r.choice(FIELDS)[: r.choice([2, 3, 4])],
    "one character": lambda r: r.choice("城汛医税档港林"),
    "region + field": lambda r: r.choice(REGIONS[1:]) + r.choice(FIELDS),
    "declaration no": lambda r: f"SB-{r.randint(2024, 2030)}-{r.randint(0, 999):03d}",
    "unit (org code)": lambda r: f"ORG-{r.randint(0, 299):04d}",
    "no match": lambda r: r.choice(["区块链", "元宇宙", "量子"]),
}


def title_of(rnd: random.Random, i: int) -> str:
    return f"{rnd.choice(REGIONS)}{rnd.choice(FIELDS)}{rnd.choice(KINDS)}"


def pg_base() -> str:
    return (
        os.environ.get("GOVPM_BENCH_PG")
        or os.environ.get("GOVPM_TEST_PG")
        or "postgresql+asyncpg://postgres@127.0.0.1:5432"
    )


def records(n: int, orgs: list[str], seed: int = 7):
    from decimal import Decimal

    rnd = random.Random(seed)
    for i in range(n):
        status = rnd.choices(STATUSES, WEIGHTS)[0]
        year = rnd.randint(2024, 2030)
        approved = status not in ("admitted", "under_review", "declared", "rejected")
        approved_on = date(year, 1, 1) + timedelta(days=rnd.randint(0, 364)) if approved else None
        investment = Decimal(rnd.randint(50_000, 5_000_000)).quantize(Decimal("0.01"))
        paid = (investment * Decimal(rnd.randint(0, 100)) / 100).quantize(Decimal("0.01")) if approved else Decimal(0)
        yield (
            uuid.UUID(int=rnd.getrandbits(128), version=4),
            status,
            rnd.choice(orgs),
            "[]",
            title_of(rnd, i),
            f"SB-{year}-{i:06d}",
            "business_application",
            year,
            "window",
            "city",
            date(year - 1, 10, 15),
            True,
            False,
            status != "admitted",
            status == "rejected",
            approved_on,
            status in ("in_construction", "in_acceptance", "final_accepted", "suspended"),
            status == "suspended",
            status == "terminated",
            investment,
            investment if approved else None,
            paid,
            Decimal(0),
            False,
            f'["{year}-Q1"]' if approved else "[]",
            f"{year}-Q1" if approved else None,
            rnd.randint(0, 100) if approved else None,
            paid if approved else None,
            0,
            0,
            "{}",
            0,
            0,
            0,
            1,
        )


async def setup(dbname: str, rows: int, orgs: list[str]) -> str:
    import asyncpg

    from govkit.db import make_engine
    from govkit.dev.testing import fresh_database_url
    from govkit.migrations import upgrade_head

    url = await fresh_database_url(dbname)
    engine = make_engine(url)
    await upgrade_head(engine, SERVICE_ROOT)
    await engine.dispose()
    from collections import Counter

    from oversight.projects.search import terms_of

    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        t0 = time.perf_counter()
        # the postings' primary key built once after the load (sorted), not row by row during it
        await conn.execute("ALTER TABLE project_search_terms DROP CONSTRAINT pk_project_search_terms")
        batch: list[tuple] = []
        events: list[tuple] = []
        postings: list[tuple] = []
        tally: Counter[str] = Counter()
        title, declaration_no, org = COLUMNS.index("title"), COLUMNS.index("declaration_no"), COLUMNS.index("org")

        async def flush() -> None:
            await conn.copy_records_to_table("project_views", records=batch, columns=COLUMNS)
            await conn.copy_records_to_table("timeline_entries", records=events, columns=TIMELINE_COLUMNS)
            await conn.copy_records_to_table("project_search_terms", records=postings, columns=["term", "project_id"])
            batch.clear()
            events.clear()
            postings.clear()

        for i, rec in enumerate(records(rows, orgs)):
            batch.append(rec)
            if i % TIMELINE_EVERY == 0:  # every tenth project gets a timeline of its own
                events.extend(timeline(rec[0], rec[2], i))
            # the keyword search's postings, as the projection writes them (projects.search)
            found = terms_of((rec[title], rec[declaration_no], None, rec[org]))
            tally.update(found)
            postings.extend((t, rec[0]) for t in found)
            if len(batch) == 10_000:
                await flush()
        if batch:
            await flush()
        await conn.copy_records_to_table(
            "project_search_term_counts", records=sorted(tally.items()), columns=["term", "projects"]
        )
        await conn.execute("SET maintenance_work_mem = '512MB'")
        await conn.execute(
            "ALTER TABLE project_search_terms ADD CONSTRAINT pk_project_search_terms PRIMARY KEY (term, project_id)"
        )
        # all-visible pages (index-only scans), as in a settled database
        for table in ("project_views", "timeline_entries", "project_search_terms", "project_search_term_counts"):
            await conn.execute(f"VACUUM ANALYZE {table}")
        n_events = await conn.fetchval("SELECT count(*) FROM timeline_entries")
        n_terms = await conn.fetchval("SELECT count(*) FROM project_search_terms")
        print(
            f"loaded {rows:,} projects, {n_events:,} timeline entries and {n_terms:,} search postings "
            f"in {time.perf_counter() - t0:.1f}s",
            flush=True,
        )
    finally:
        await conn.close()
    return url


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


async def run(args) -> dict:
    """Times GET /projects on the real oversight app (auth, middleware, query, rating, response
    validation, JSON) through an in-process ASGI client, and the bare SQL of the same page."""
    import httpx
    from sqlalchemy import text

    from govkit.auth import mint_token
    from oversight.config import Settings
    from oversight.main import create_app

    orgs = [f"ORG-{i:04d}" for i in range(args.orgs)]
    url = f"{pg_base()}/{args.db}" if args.reuse else await setup(args.db, args.rows, orgs)
    secret = "bench-secret-0123456789abcdef0123456789"
    settings = Settings(
        database_url=url,
        env="test",
        jwt_secret=secret,
        kafka_enabled=False,
        catchup_interval_s=0,
        migrate_on_start=False,
        log_level="WARNING",
    )
    app = create_app(settings)
    bureau = {"Authorization": "Bearer " + mint_token(secret, sub="bench", org="BDB", roles=["bdb"])}
    unit = {"Authorization": "Bearer " + mint_token(secret, sub="unit", org=orgs[3], roles=["unit"])}
    rnd = random.Random(1)
    cases = {
        "status": lambda: {"status": rnd.choice(STATUSES[:6])},
        "org": lambda: {"org": rnd.choice(orgs)},
        "library_year+status": lambda: {"status": rnd.choice(STATUSES[:6]), "library_year": rnd.randint(2024, 2030)},
        "org+status": lambda: {"status": "in_construction", "org": rnd.choice(orgs)},
        "all three": lambda: {
            "status": "in_construction",
            "org": rnd.choice(orgs),
            "library_year": rnd.randint(2024, 2030),
        },
        "no filter": lambda: {},
    }
    results: dict[str, dict] = {}
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:

            async def get(params, headers=bureau):
                r = await client.get(
                    "/projects", params={"limit": args.limit, "as_of": "2027-11-20", **params}, headers=headers
                )
                r.raise_for_status()
                return r.json()

            for _ in range(20):
                await get(cases["status"]())
            names = [
                *cases,
                "status, page 2 (cursor)",
                "unit visibility",
                *[f"q: {k}" for k in SEARCHES],
                "q: field, page 2 (cursor)",
                "q: field, a unit's own",
            ]
            for name in [n for n in names if not args.only or args.only in n]:
                times, cpu = [], []
                for _ in range(args.iterations):
                    if name == "status, page 2 (cursor)":
                        params = cases["status"]()
                        first = await get(params)
                        params["cursor"] = first["next_cursor"]
                        t0, c0 = time.perf_counter(), time.process_time()
                        page = await get(params)
                    elif name == "unit visibility":
                        t0, c0 = time.perf_counter(), time.process_time()
                        page = await get({}, unit)
                    elif name == "q: field, page 2 (cursor)":
                        params = {"q": SEARCHES["field (2–4 chars)"](rnd)}
                        params["cursor"] = (await get(params))["next_cursor"]
                        t0, c0 = time.perf_counter(), time.process_time()
                        page = await get(params)
                    elif name == "q: field, a unit's own":
                        params = {"q": SEARCHES["field (2–4 chars)"](rnd)}
                        t0, c0 = time.perf_counter(), time.process_time()
                        page = await get(params, unit)
                    elif name.startswith("q: "):  # keyword search with its total (postings, ILIKE recheck)
                        params = {"q": SEARCHES[name[3:]](rnd)}
                        t0, c0 = time.perf_counter(), time.process_time()
                        page = await get(params)
                    else:
                        params = cases[name]()
                        t0, c0 = time.perf_counter(), time.process_time()
                        page = await get(params)
                    times.append((time.perf_counter() - t0) * 1000)
                    cpu.append((time.process_time() - c0) * 1000)
                results[name] = {
                    "p50_ms": round(statistics.median(times), 2),
                    "p99_ms": round(pct(times, 99), 2),
                    "cpu_p50_ms": round(statistics.median(cpu), 2),
                    "items": len(page["items"]),
                }
                if "total" in page and page["total"] is not None:
                    results[name]["items"] = f"{len(page['items'])}/{page['total']}{'' if page['total_exact'] else '+'}"
                print(
                    f"GET /projects {name:<28} p50 {results[name]['p50_ms']:7.2f} ms   "
                    f"p99 {results[name]['p99_ms']:7.2f} ms   cpu p50 {results[name]['cpu_p50_ms']:6.2f} ms   "
                    f"({results[name]['items']} items, {args.iterations} runs)",
                    flush=True,
                )
            async with app.state.engine.connect() as conn:
                with_timeline = [
                    r[0]
                    for r in (
                        await conn.execute(text("SELECT DISTINCT project_id FROM timeline_entries LIMIT 2000"))
                    ).all()
                ]
            times, cpu = [], []
            for _ in range(args.iterations):
                pid = rnd.choice(with_timeline)
                t0, c0 = time.perf_counter(), time.process_time()
                r = await client.get(f"/projects/{pid}/timeline", headers=bureau)
                times.append((time.perf_counter() - t0) * 1000)
                cpu.append((time.process_time() - c0) * 1000)
                r.raise_for_status()
            results["timeline"] = {
                "p50_ms": round(statistics.median(times), 2),
                "p99_ms": round(pct(times, 99), 2),
                "cpu_p50_ms": round(statistics.median(cpu), 2),
                "items": len(r.json()["items"]),
            }
            print(
                f"GET /projects/{{id}}/timeline        p50 {results['timeline']['p50_ms']:7.2f} ms   "
                f"p99 {results['timeline']['p99_ms']:7.2f} ms   cpu p50 {results['timeline']['cpu_p50_ms']:6.2f} ms   "
                f"({results['timeline']['items']} entries, {args.iterations} runs)",
                flush=True,
            )
        sql = "SELECT * FROM project_views WHERE library_year = :y AND status = :s ORDER BY project_id LIMIT :n"
        times = []
        async with app.state.engine.connect() as conn:
            for _ in range(args.iterations):
                t0 = time.perf_counter()
                (
                    await conn.execute(
                        text(sql), {"y": rnd.randint(2024, 2030), "s": rnd.choice(STATUSES[:6]), "n": args.limit + 1}
                    )
                ).all()
                times.append((time.perf_counter() - t0) * 1000)
            plan = (
                (
                    await conn.execute(
                        text(
                            "EXPLAIN ANALYZE "
                            + sql.replace(":y", "2027").replace(":s", "'approved'").replace(":n", str(args.limit + 1))
                        )
                    )
                )
                .scalars()
                .all()
            )
        print(
            f"SQL only (library_year+status)     p50 {statistics.median(times):7.2f} ms   p99 {pct(times, 99):7.2f} ms"
        )
        print("plan:\n  " + "\n  ".join(plan))
        from oversight.projects import repository as projects_repo

        async with app.state.engine.connect() as conn:
            from sqlalchemy.ext.asyncio import AsyncSession

            async with AsyncSession(bind=conn) as session:
                search_for = await projects_repo.plan_search(session, "防汛抗")
                page = (
                    await projects_repo.list_views(
                        session,
                        status=None,
                        org=None,
                        library_year=None,
                        visible_to_org=None,
                        after=None,
                        limit=args.limit,
                        search_for=search_for,
                    )
                    if search_for
                    else []
                )
            stmt = projects_repo.page_statement(
                status=None, org=None, library_year=None, after=None, limit=args.limit, search_for=search_for
            )
            compiled = str(stmt.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
            plan = (await conn.execute(text("EXPLAIN (ANALYZE, BUFFERS) " + compiled))).scalars().all()
            print(f"q=防汛抗: terms rarest first {search_for.terms if search_for else None}, {len(page)} rows")
        print("search plan (q=防汛抗):\n  " + "\n  ".join(plan))
    if not args.keep:
        from govkit.dev.testing import drop_databases

        await drop_databases([args.db])
    return results


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--orgs", type=int, default=300)
    ap.add_argument("--limit", type=int, default=50)
    ap.add_argument("--iterations", type=int, default=200)
    ap.add_argument("--db", default="govpm_bench_projects")
    ap.add_argument("--keep", action="store_true", help="keep the scratch database")
    ap.add_argument("--reuse", action="store_true", help="reuse a database kept by --keep (no load)")
    ap.add_argument("--json", action="store_true", help="also print the results as JSON")
    ap.add_argument("--only", default="", help="time only the cases whose name contains this (e.g. 'q: ')")
    args = ap.parse_args()
    os.environ["GOVPM_TEST_PG"] = pg_base()  # the scratch database comes from govkit.dev.testing
    print(f"GovPM whole-project list benchmark: {args.rows:,} projects, limit {args.limit}, PostgreSQL", flush=True)
    if hasattr(os, "getloadavg"):
        print(
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall times grow with the load; "
            f"cpu = this process's CPU per request)",
            flush=True,
        )
    results = asyncio.run(run(args))
    worst = max(r["p50_ms"] for r in results.values())
    print(f"worst median {worst:.2f} ms (target < 50 ms): {'OK' if worst < 50 else 'TOO SLOW'}")
    search = [r["p99_ms"] for k, r in results.items() if k.startswith("q: ")]
    if search:
        print(
            f"keyword search worst p99 {max(search):.2f} ms (target ≤ 50 ms at 1,000,000): "
            f"{'OK' if max(search) <= 50 else 'TOO SLOW'}"
        )
    if args.json:
        print(json.dumps(results, ensure_ascii=False))
    return 0 if worst < 50 else 1


if __name__ == "__main__":
    sys.exit(main())
