"""Quarterly progress reports — R-18.1, X-30.1 (fixed today: 2027-11-20)."""

from datetime import date

from govkit.dev.testing import auth
from govkit.events.acceptance import FinalAccepted


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


async def test_report_published_with_all_figures(client, harness, approve):
    pid = await approve("ORG-A", approved_on=date(2027, 2, 10))
    r = await client.post(f"/projects/{pid}/progress-reports", json=report(), headers=auth("unit", "ORG-A"))
    assert r.status_code == 201, r.text
    assert r.json()["due_on"] == "2027-04-15" and r.json()["late"] is True
    [ev] = await harness.events("ProgressReported")
    assert ev.rule == "R-18.1"
    d = ev.data
    assert (d["org"], d["year"], d["quarter"]) == ("ORG-A", 2027, 1)
    for key in ("procedures", "tendering", "start_completion", "implementation"):
        assert d[key]
    assert d["development_progress_pct"] == 30 and d["funds_used_total"] == "100000.00"
    assert d["investment_completed_year"] == "120000.00" and d["corrected"] is False


async def test_every_figure_is_required(client, approve):
    pid = await approve("ORG-A")
    body = report()
    del body["funds_used_total"]
    del body["procedures"]
    r = await client.post(f"/projects/{pid}/progress-reports", json=body, headers=auth("unit", "ORG-A"))
    assert r.status_code == 422
    assert {v["field"] for v in r.json()["violations"]} == {"funds_used_total", "procedures"}
    bad = await client.post(
        f"/projects/{pid}/progress-reports", json=report(funds_used_total=1.5), headers=auth("unit", "ORG-A")
    )
    assert bad.status_code == 422


async def test_one_report_per_quarter_correction_with_if_match(client, harness, approve):
    pid = await approve("ORG-A")
    h = auth("unit", "ORG-A")
    assert (await client.post(f"/projects/{pid}/progress-reports", json=report(), headers=h)).status_code == 201
    again = await client.post(f"/projects/{pid}/progress-reports", json=report(), headers=h)
    assert again.status_code == 409 and again.json()["rule"] == "R-18.1"
    stale = await client.post(f"/projects/{pid}/progress-reports", json=report(), headers={**h, "If-Match": '"5"'})
    assert stale.status_code == 412
    fixed = await client.post(
        f"/projects/{pid}/progress-reports", json=report(development_progress_pct=35), headers={**h, "If-Match": '"1"'}
    )
    assert fixed.status_code == 200 and fixed.json()["version"] == 2
    events = await harness.events("ProgressReported")
    assert [e.data["corrected"] for e in events] == [False, True]


async def test_quarter_before_approval_and_future_quarters_refused(client, approve):
    pid = await approve("ORG-A", approved_on=date(2027, 2, 10))
    h = auth("unit", "ORG-A")
    before = await client.post(f"/projects/{pid}/progress-reports", json=report(2026, 4), headers=h)
    assert before.status_code == 409 and before.json()["rule"] == "R-18.1"
    future = await client.post(f"/projects/{pid}/progress-reports", json=report(2028, 1), headers=h)
    assert future.status_code == 422
    current = await client.post(f"/projects/{pid}/progress-reports", json=report(2027, 4), headers=h)
    assert current.status_code == 201


async def test_reporting_stops_after_final_acceptance(client, harness, approve):
    pid = await approve("ORG-A", approved_on=date(2027, 2, 10))
    await harness.deliver(
        FinalAccepted(
            project_id=pid,
            org="ORG-A",
            accepted_on=date(2027, 8, 1),
            warranty_ends_on=date(2029, 8, 1),
            self_evaluation_opens_on=date(2028, 8, 1),
            self_evaluation_closes_on=date(2029, 8, 1),
        )
    )
    h = auth("unit", "ORG-A")
    assert (await client.post(f"/projects/{pid}/progress-reports", json=report(2027, 2), headers=h)).status_code == 201
    late = await client.post(f"/projects/{pid}/progress-reports", json=report(2027, 3), headers=h)
    assert late.status_code == 409 and late.json()["rule"] == "R-18.1"
    overdue = (
        await client.get("/progress-reports/overdue", params={"as_of": "2027-11-20"}, headers=auth("bdb"))
    ).json()
    assert [(i["year"], i["quarter"]) for i in overdue["items"] if i["project_id"] == str(pid)] == [(2027, 1)]


async def test_overdue_boundary_q3_due_day_and_next(client, approve):
    pid = await approve("ORG-A", approved_on=date(2027, 7, 5))
    h = auth("bdb")
    on_due = (await client.get("/progress-reports/overdue", params={"as_of": "2027-10-15"}, headers=h)).json()
    assert on_due["items"] == []
    after = (await client.get("/progress-reports/overdue", params={"as_of": "2027-10-16"}, headers=h)).json()
    assert [(i["project_id"], i["year"], i["quarter"], i["due_on"]) for i in after["items"]] == [
        (str(pid), 2027, 3, "2027-10-15")
    ]
    assert after["items"][0]["rule"] == "R-18.1" and after["items"][0]["days_overdue"] == 1


async def test_overdue_list_visibility_and_pagination(client, approve):
    a = await approve("ORG-A", approved_on=date(2027, 1, 5))
    await approve("ORG-B", approved_on=date(2027, 1, 5))
    mine = (
        await client.get("/progress-reports/overdue", params={"as_of": "2027-11-20"}, headers=auth("unit", "ORG-A"))
    ).json()
    assert {i["project_id"] for i in mine["items"]} == {str(a)} and len(mine["items"]) == 3
    seen = []
    cursor = None
    while True:
        params = {"as_of": "2027-11-20", "limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await client.get("/progress-reports/overdue", params=params, headers=auth("bdb"))).json()
        seen += [(i["project_id"], i["quarter"]) for i in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == 6 and len(set(seen)) == 6


async def test_scan_publishes_once_per_missed_quarter(client, harness, approve):
    pid = await approve("ORG-A", approved_on=date(2027, 7, 5))
    h = auth("bdb")
    first = await client.post("/progress-reports/overdue:scan", params={"as_of": "2027-10-15"}, headers=h)
    assert first.json()["published"] == 0
    second = await client.post("/progress-reports/overdue:scan", params={"as_of": "2027-10-16"}, headers=h)
    assert second.json()["published"] == 1
    third = await client.post("/progress-reports/overdue:scan", params={"as_of": "2027-10-20"}, headers=h)
    assert third.json() == {"as_of": "2027-10-20", "published": 0, "overdue": 1}
    [ev] = await harness.events("ProgressReportOverdue")
    assert ev.data["quarter"] == 3 and ev.data["due_on"] == "2027-10-15" and ev.rule == "R-18.1"
    assert (await client.post("/progress-reports/overdue:scan", headers=auth("unit", "ORG-A"))).status_code == 403
    view = (await client.get(f"/projects/{pid}", headers=h)).json()
    assert view["reports"]["overdue_notices"] == 1


async def test_background_scan_function(harness, approve):
    from oversight.reports.service import run_scan

    await approve("ORG-A", approved_on=date(2027, 1, 5))
    result = await run_scan(harness.sessionmaker, date(2027, 11, 20))
    assert result["published"] == 3
    assert (await run_scan(harness.sessionmaker, date(2027, 11, 20)))["published"] == 0
