"""Keyword search of the project list (q=, total) and the Excel exports of oversight: 项目台账,
季度进度汇总表 (R-18.1), 逾期事项清单 (X-30.1). Fixed today: 2027-11-20."""

import uuid
from datetime import date
from decimal import Decimal

from python_calamine import CalamineWorkbook
from sqlalchemy import select

from govkit.dev.testing import auth
from govkit.events.reserve import ProjectAdmittedToReserve
from oversight.projects.models import ProjectSearchTermCount

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sheet(r) -> list[list]:
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == XLSX
    import io

    return CalamineWorkbook.from_filelike(io.BytesIO(r.content)).get_sheet_by_index(0).to_python(skip_empty_area=False)


def report(year=2027, quarter=1, **kw):
    body = dict(
        year=year,
        quarter=quarter,
        procedures="立项手续已办结",
        tendering="已完成公开招标",
        start_completion="2027-03-01 开工",
        implementation="按计划实施",
        development_progress_pct=30,
        investment_completed_year="120000.00",
        funds_used_year="100000.00",
        investment_completed_total="120000.00",
        funds_used_total="100000.00",
    )
    body.update(kw)
    return body


async def test_search_by_chinese_substring_code_and_unit_with_a_total(client, approve):
    a = await approve("ORG-WATER", title="智慧防汛指挥平台")
    b = await approve("ORG-CITY", title="城管防汛物资调度系统")
    c = await approve("ORG-CITY", title="智慧城管平台")
    bdb = auth("bdb", "BDB")

    async def ids(q, **params):
        body = (await client.get("/projects", params={"q": q, **params}, headers=bdb)).json()
        assert body["total"] == len(body["items"]) and body["total_exact"] is True
        return {i["project_id"] for i in body["items"]}

    assert await ids("防汛") == {str(a), str(b)}  # two characters, inside the title
    assert await ids("汛") == {str(a), str(b)}  # one character
    assert await ids("智慧城管") == {str(c)}
    assert await ids("防汛指挥") == {str(a)}
    assert await ids("防指") == set()  # the characters, but not adjacent: no match
    assert await ids("org-city") == {str(b), str(c)}  # the unit, any case
    assert await ids(f"SB-2027-{a.hex[:4]}".lower()) == {str(a)}  # the declaration number
    assert await ids("防汛", org="ORG-CITY") == {str(b)}  # with the other filters
    assert await ids("100%") == set() and await ids("_") == set()  # LIKE wildcards are literal
    plain = (await client.get("/projects", headers=bdb)).json()
    assert "total" not in plain or plain["total"] is None


async def test_search_respects_unit_visibility_and_pages(client, approve):
    for i in range(3):
        await approve("ORG-A", title=f"防汛平台{i}")
    await approve("ORG-B", title="防汛平台B")
    body = (await client.get("/projects", params={"q": "防汛", "limit": 2}, headers=auth("unit", "ORG-A"))).json()
    assert body["total"] == 3 and len(body["items"]) == 2 and body["next_cursor"]
    rest = (
        await client.get(
            "/projects", params={"q": "防汛", "limit": 2, "cursor": body["next_cursor"]}, headers=auth("unit", "ORG-A")
        )
    ).json()
    assert len(rest["items"]) == 1 and rest["total"] == 3 and rest["next_cursor"] is None
    assert (await client.get("/projects", params={"q": "平台B"}, headers=auth("unit", "ORG-A"))).json()["total"] == 0


async def test_search_follows_a_renamed_project_and_counts_past_a_page(client, harness, approve):
    """The postings change with the row (same transaction): the declaration's title is replaced by the
    approval's, the old words stop matching, the term counts follow; totals past one page are counted
    for one-term and longer queries, for the bureau and for a unit with a joint project."""
    pid = uuid.uuid4()
    await harness.deliver(
        ProjectAdmittedToReserve(
            project_id=pid,
            declaration_no="SB-2027-7777",
            title="海洋渔业监管系统",
            category="business_application",
            org="ORG-A",
            library_year=2027,
            estimated_investment=Decimal("400000.00"),
            declared_on=date(2026, 10, 15),
            route="window",
            admitted_on=date(2026, 12, 1),
        )
    )
    bdb = auth("bdb", "BDB")

    async def search(q, headers=bdb, **params):
        return (await client.get("/projects", params={"q": q, **params}, headers=headers)).json()

    assert search_ids(await search("渔业监管")) == {str(pid)}
    await approve("ORG-A", title="智慧防汛指挥平台", project_id=pid, reserve=False)
    assert (await search("渔业"))["total"] == 0 and (await search("渔"))["items"] == []
    assert search_ids(await search("防汛指挥")) == {str(pid)}
    assert search_ids(await search("sb-2027-7777")) == {str(pid)}  # the declaration's number stays
    async with harness.sessionmaker() as session:
        counts = dict(
            (await session.execute(select(ProjectSearchTermCount.term, ProjectSearchTermCount.projects))).all()
        )
    assert counts.get("渔业", 0) == 0 and counts["防汛"] == 1
    for i in range(4):
        await approve("ORG-B", title=f"防汛指挥调度{i}号系统")
    await approve("ORG-C", title="防汛物资", participants=["ORG-B"])
    await approve("ORG-C", title="汛指挥与防汛")  # every pair of 防汛指挥, but not the four characters
    for q, total in (("防汛", 7), ("防汛指挥", 5), ("汛", 7), ("与防", 1)):
        first = await search(q, limit=2)
        assert (first["total"], first["total_exact"], len(first["items"])) == (total, True, min(2, total)), q
        seen, cursor = search_ids(first), first["next_cursor"]
        while cursor:
            page = await search(q, limit=2, cursor=cursor)
            seen |= search_ids(page)
            cursor = page["next_cursor"]
        assert len(seen) == total, q
    unit = auth("unit", "ORG-B")
    assert (await search("防汛", unit, limit=2))["total"] == 5  # four of its own and one it takes part in
    assert (await search("防汛指挥", unit, limit=2))["total"] == 4
    assert (await search("防汛", org="ORG-C", limit=1))["total"] == 2


def search_ids(body) -> set[str]:
    return {i["project_id"] for i in body["items"]}


async def test_search_input_is_checked(client):
    long = await client.get("/projects", params={"q": "长" * 101}, headers=auth("bdb"))
    assert long.status_code == 422 and "q" in long.text
    blank = await client.get("/projects", params={"q": "  "}, headers=auth("bdb"))
    assert blank.status_code == 200 and blank.json().get("total") is None
    bad = await client.get("/projects", params={"format": "pdf"}, headers=auth("bdb"))
    assert bad.status_code == 422


async def test_project_ledger_exports_every_matching_project_with_formats(client, approve):
    for i in range(3):
        await approve("ORG-A", title=f"智慧防汛平台{i}", investment="1234567.89")
    await approve("ORG-B", title="不相关的系统")
    rows = sheet(await client.get("/projects", params={"format": "xlsx", "q": "防汛", "limit": 1}, headers=auth("bdb")))
    assert rows[0][0].startswith("政务信息化项目台账")
    header = rows[2]
    assert header[:4] == ["项目名称", "申报编号", "项目代码", "建设单位"] and "批复投资（元）" in header
    data = rows[3:]
    assert len(data) == 3  # all of them, not one page
    assert {r[0] for r in data} == {f"智慧防汛平台{i}" for i in range(3)}
    row = dict(zip(header, data[0], strict=False))
    assert row["批复投资（元）"] == 1234567.89 and row["批复日期"] == date(2027, 2, 10) and row["状态"] == "已批复"
    unit = sheet(await client.get("/projects", params={"format": "xlsx"}, headers=auth("unit", "ORG-B")))
    assert [r[0] for r in unit[3:]] == ["不相关的系统"]


async def test_quarterly_summary_has_the_nine_figures_per_project_and_quarter(client, approve):
    a = await approve("ORG-A", title="甲系统")
    b = await approve("ORG-B", title="乙系统")
    for pid, org in ((a, "ORG-A"), (b, "ORG-B")):
        for q in (1, 2):
            r = await client.post(
                f"/projects/{pid}/progress-reports",
                json=report(quarter=q, development_progress_pct=20 * q),
                headers=auth("unit", org),
            )
            assert r.status_code == 201, r.text
    rows = sheet(await client.get("/progress-reports.xlsx", params={"year": 2027}, headers=auth("bdb")))
    header = rows[2]
    for figure in (
        "前期手续办理",
        "招标采购",
        "开工/完工",
        "实施情况",
        "开发进度",
        "本年完成投资（元）",
        "本年资金使用（元）",
        "累计完成投资（元）",
        "累计资金使用（元）",
    ):
        assert figure in header
    data = [dict(zip(header, r, strict=False)) for r in rows[3:]]
    assert len(data) == 4
    assert {(d["项目名称"], d["季度"]) for d in data} == {("甲系统", 1), ("甲系统", 2), ("乙系统", 1), ("乙系统", 2)}
    first = next(d for d in data if d["项目名称"] == "甲系统" and d["季度"] == 2)
    assert (
        first["开发进度"] == 0.4
        and first["本年资金使用（元）"] == 100000.0
        and first["报送截止日"] == date(2027, 7, 15)
    )
    q2 = sheet(
        await client.get("/progress-reports.xlsx", params={"year": 2027, "quarter": 2}, headers=auth("unit", "ORG-A"))
    )
    assert [(r[0], r[5]) for r in q2[3:]] == [("甲系统", 2)]  # a unit: its own only
    bad = await client.get("/progress-reports.xlsx", params={"quarter": 5}, headers=auth("bdb"))
    assert bad.status_code == 422


async def test_overdue_list_has_every_overdue_clock_and_the_due_day_is_not_overdue(client, approve):
    pid = await approve("ORG-A", title="甲系统", approved_on=date(2027, 2, 10))
    r = await client.post(f"/projects/{pid}/progress-reports", json=report(quarter=1), headers=auth("unit", "ORG-A"))
    assert r.status_code == 201
    r = await client.post(
        f"/projects/{pid}/rectifications",
        json={"finding": "未按规定共享数据", "deadline": "2027-12-01", "area": "resource_sharing"},
        headers=auth("bdb", "BDB"),
    )
    assert r.status_code == 201, r.text

    async def items(as_of: str, headers=None):
        rows = sheet(await client.get("/overdue-items.xlsx", params={"as_of": as_of}, headers=headers or auth("bdb")))
        return [dict(zip(rows[2], r, strict=False)) for r in rows[3:]]

    # Q2 is due 2027-07-15: on the due day nothing is overdue, the day after it is
    assert await items("2027-07-15") == []
    [q2] = await items("2027-07-16")
    assert (q2["规则"], q2["条款"], q2["事项"], q2["逾期天数"]) == ("R-18.1", "第十八条", "2027年第2季度进展报告", 1)
    assert q2["截止日期"] == date(2027, 7, 15) and q2["项目名称"] == "甲系统"
    on_deadline = await items("2027-12-01")
    assert [i["规则"] for i in on_deadline] == ["R-18.1", "R-18.1"]  # Q2, Q3; the order is due that day
    after = await items("2027-12-02")
    assert [i["规则"] for i in after] == ["R-18.1", "R-18.1", "R-30.2"]
    assert after[-1]["逾期天数"] == 1 and after[-1]["事项类型"] == "整改逾期未完成"
    assert await items("2027-12-02", auth("unit", "ORG-B")) == []


async def test_a_rare_whole_of_common_parts_reads_only_the_rows_that_have_the_probed_terms(client, harness):
    """`SB-2027-123`: every part is common (SB-2027-1xx, SB-2028-123, …), the whole is in one project.
    The answer is that one; the rarest search.PROBED_TERMS terms are checked on the postings before a
    project's row is read, and on PostgreSQL the plan shows it: the rows read are those of the projects
    that have all the probed terms, no others."""
    from sqlalchemy import text

    from govkit.db import is_postgres
    from oversight.projects import repository, search

    numbers = ["SB-2027-123", *(f"SB-2027-1{k:02d}" for k in range(10, 30) if k != 23)]
    numbers += [f"SB-{y}-123" for y in (2024, 2025, 2026, 2028)] + ["SB-2027-912", "SB-2027-312"]
    ids = {}
    for n in numbers:
        pid = uuid.uuid4()
        ids[n] = pid
        await harness.deliver(
            ProjectAdmittedToReserve(
                project_id=pid,
                declaration_no=n,
                title="政务数据共享平台",
                category="business_application",
                org="ORG-A",
                library_year=2027,
                estimated_investment=Decimal("400000.00"),
                declared_on=date(2026, 10, 15),
                route="window",
                admitted_on=date(2026, 12, 1),
            )
        )
    body = (await client.get("/projects", params={"q": "sb-2027-123"}, headers=auth("bdb", "BDB"))).json()
    assert search_ids(body) == {str(ids["SB-2027-123"])} and body["total"] == 1

    async with harness.sessionmaker() as session:
        plan = await repository.plan_search(session, "sb-2027-123")
        terms = set(plan.terms)
        having = {n: search.terms_of([n, "政务数据共享平台", "ORG-A"]) for n in numbers}
        assert sum(1 for t in having.values() if set(plan.terms[:2]) <= t) >= 5  # the rarest two: common
        assert [n for n, t in having.items() if terms <= t] == ["SB-2027-123"]  # all of them: one
        probed = set(plan.terms[: search.PROBED_TERMS])
        candidates = sum(1 for t in having.values() if probed <= t)
        stmt = repository.page_statement(
            status=None, org=None, library_year=None, after=None, limit=50, search_for=plan
        )
        sql = str(stmt.compile(dialect=session.bind.dialect, compile_kwargs={"literal_binds": True}))
        assert sql.count("project_search_terms AS t") == min(len(terms), search.PROBED_TERMS)
        if not is_postgres(session):
            return
        await session.execute(text("SET LOCAL enable_seqscan = off"))  # a tiny table: plan as for a big one
        (explain,) = (await session.execute(text("EXPLAIN (ANALYZE, FORMAT JSON) " + sql))).scalar_one()

    def nodes(node):
        yield node
        for child in node.get("Plans", []):
            yield from nodes(child)

    views = [n for n in nodes(explain["Plan"]) if n.get("Relation Name") == "project_views"]
    assert views, explain
    read = sum((n["Actual Rows"] + n.get("Rows Removed by Filter", 0)) * n["Actual Loops"] for n in views)
    assert read == candidates, explain  # only the projects with every probed term
