"""The whole-project read model, the timeline and the rebuild."""

import uuid
from datetime import date
from decimal import Decimal

from govkit.dev.testing import auth, eventually, make_event
from govkit.events.acceptance import PreliminaryAccepted
from govkit.events.budget import DisbursementRecorded
from govkit.events.reserve import ProjectDeclared
from govkit.outbox import event_log

REPORT = dict(
    year=2027,
    quarter=4,
    procedures="p",
    tendering="t",
    start_completion="s",
    implementation="i",
    development_progress_pct=40,
    investment_completed_year="100000.00",
    funds_used_year="90000.00",
    investment_completed_total="100000.00",
    funds_used_total="90000.00",
)


async def test_view_collects_every_service(client, harness, approve):
    pid = await approve("ORG-A", approved_on=date(2027, 10, 5), investment="400000.00")
    await harness.deliver(
        DisbursementRecorded(
            project_id=pid, amount=Decimal("100000.00"), purpose="首付款", paid_total=Decimal("100000.00"), year=2027
        )
    )
    await client.post(f"/projects/{pid}/progress-reports", json=REPORT, headers=auth("unit", "ORG-A"))
    v = (await client.get(f"/projects/{pid}", headers=auth("unit", "ORG-A"))).json()
    assert v["org"] == "ORG-A" and v["library_year"] == 2027 and v["title"] == "智慧应急平台"
    assert v["status"] == "approved"
    assert v["money"]["approved_investment"] == "400000.00" and v["money"]["paid_total"] == "100000.00"
    assert v["money"]["balance"] == "300000.00"
    assert v["reports"]["reported_quarters"] == ["2027-Q4"] and v["reports"]["development_progress_pct"] == 40
    assert v["clocks"]["next_report_due_on"] == "2028-04-15"  # Q4 reported; Q1 2028 next
    assert v["rating"] == "green" and v["reasons"] == []
    assert (await client.get(f"/projects/{pid}", headers=auth("unit", "ORG-B"))).status_code == 404
    assert (await client.get(f"/projects/{uuid.uuid4()}", headers=auth("bdb"))).status_code == 404


async def test_list_filters_and_keyset_pagination(client, approve):
    ids = set()
    for i in range(5):
        ids.add(await approve("ORG-A" if i % 2 else "ORG-B", library_year=2027 if i < 3 else 2028))
    h = auth("bdb")
    seen, cursor = [], None
    while True:
        page = (
            await client.get("/projects", params={"limit": 2, **({"cursor": cursor} if cursor else {})}, headers=h)
        ).json()
        seen += [p["project_id"] for p in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == sorted(str(i) for i in ids)
    by_org = (await client.get("/projects", params={"org": "ORG-A"}, headers=h)).json()["items"]
    assert len(by_org) == 2 and {p["org"] for p in by_org} == {"ORG-A"}
    by_year = (await client.get("/projects", params={"library_year": 2028, "status": "approved"}, headers=h)).json()
    assert len(by_year["items"]) == 2
    assert (await client.get("/projects", params={"status": "suspended"}, headers=h)).json()["items"] == []
    assert (await client.get("/projects", params={"status": "nope"}, headers=h)).status_code == 422
    assert (await client.get("/projects", params={"limit": 201}, headers=h)).status_code == 422
    assert (await client.get("/projects", params={"cursor": "!!"}, headers=h)).status_code == 422


async def test_unit_sees_own_and_participating_projects_only(client, approve):
    own = await approve("ORG-A")
    joint = await approve("ORG-B", participants=["ORG-A"])
    await approve("ORG-C")
    items = (await client.get("/projects", headers=auth("unit", "ORG-A"))).json()["items"]
    assert {p["project_id"] for p in items} == {str(own), str(joint)}
    assert (await client.get(f"/projects/{joint}", headers=auth("unit", "ORG-A"))).status_code == 200
    forced = (await client.get("/projects", params={"org": "ORG-C"}, headers=auth("unit", "ORG-A"))).json()
    assert forced["items"] == []


async def test_event_for_unknown_project_creates_a_stub(client, harness):
    pid = uuid.uuid4()
    assert await harness.deliver(PreliminaryAccepted(project_id=pid, accepted_on=date(2027, 6, 1)))
    v = (await client.get(f"/projects/{pid}", headers=auth("bdb"))).json()
    assert v["status"] == "in_acceptance" and v["org"] is None
    # later facts fill the stub in
    await harness.deliver(
        ProjectDeclared(
            project_id=pid,
            declaration_no="SB-2027-0009",
            title="迟到的申报",
            category="other_system",
            org="ORG-Z",
            library_year=2027,
            estimated_investment=Decimal("1.00"),
            declared_on=date(2026, 10, 1),
            route="window",
            status="submitted",
        )
    )
    v = (await client.get(f"/projects/{pid}", headers=auth("unit", "ORG-Z"))).json()
    assert v["org"] == "ORG-Z" and v["title"] == "迟到的申报" and v["status"] == "in_acceptance"


async def test_timeline_lists_every_event_in_order(client, harness, approve, cause):
    pid = await approve("ORG-A", approved_on=date(2027, 10, 5))
    h = auth("bdb")
    await client.post(f"/projects/{pid}/progress-reports", json=REPORT, headers=auth("unit", "ORG-A"))
    rid = await cause(pid, escalate_to="suspend")
    await client.post(
        f"/projects/{pid}/sanctions", json={"level": "suspend", "reason": "x", "rectification_id": rid}, headers=h
    )
    await client.post(f"/projects/{pid}/resume", headers=h)
    tl = (await client.get(f"/projects/{pid}/timeline", headers=h)).json()
    types = [(e["service"], e["type"]) for e in tl["items"]]
    assert types == [
        ("reserve", "ProjectAdmittedToReserve"),
        ("approval", "ProjectApproved"),
        ("oversight", "ProgressReported"),
        ("oversight", "RectificationOrdered"),
        ("oversight", "RectificationAnswered"),
        ("oversight", "SupervisionDeadline"),
        ("oversight", "RectificationVerified"),
        ("oversight", "SupervisionDeadline"),
        ("oversight", "SanctionApplied"),
        ("oversight", "ProjectSuspended"),
        ("oversight", "ProjectResumed"),
    ]
    suspended = tl["items"][9]
    assert suspended["rule"] == "R-30.2" and suspended["article"] == "第三十条" and suspended["actor"] == "bdb-ORG-TEST"
    times = [e["time"] for e in tl["items"]]
    assert times == sorted(times)
    page1 = (await client.get(f"/projects/{pid}/timeline", params={"limit": 6}, headers=h)).json()
    page2 = (
        await client.get(f"/projects/{pid}/timeline", params={"limit": 6, "cursor": page1["next_cursor"]}, headers=h)
    ).json()
    assert [e["event_id"] for e in page1["items"] + page2["items"]] == [e["event_id"] for e in tl["items"]]
    assert (await client.get(f"/projects/{pid}/timeline", headers=auth("unit", "ORG-B"))).status_code == 404


async def test_redelivered_own_event_is_not_counted_twice(client, harness, approve, cause):
    pid = await approve("ORG-A", approved_on=date(2027, 10, 5))
    rid = await cause(pid)
    await client.post(
        f"/projects/{pid}/sanctions",
        json={"level": "criticism", "reason": "x", "rectification_id": rid},
        headers=auth("bdb"),
    )
    before = (await client.get(f"/projects/{pid}", headers=auth("bdb"))).json()
    for ev in await harness.events(subject=str(pid)):
        await harness.deliver(ev)  # the consumer sees our own events again: projected once only
    after = (await client.get(f"/projects/{pid}", headers=auth("bdb"))).json()
    assert after["version"] == before["version"] and after["supervision"]["sanctions"] == 1


async def job_with_status(client, job_id: str, status: str) -> dict | None:
    job = (await client.get(f"/rebuilds/{job_id}", headers=auth("admin"))).json()
    return job if job["status"] == status else None


async def test_rebuild_gives_the_same_view_and_timeline(client, harness, approve, cause):
    delivered = []
    original = harness.deliver

    async def deliver(payload, **kw):
        event = payload if not hasattr(payload, "model_fields") or hasattr(payload, "specversion") else None
        event = event or make_event(payload, seq=len(delivered) + 1, **kw)
        delivered.append(event)
        return await original(event)

    harness.deliver = deliver
    try:
        a = await approve("ORG-A", approved_on=date(2027, 1, 5), participants=["ORG-P"])
        b = await approve("ORG-B", approved_on=date(2027, 10, 5))
    finally:
        harness.deliver = original
    h = auth("bdb")
    await client.post(f"/projects/{b}/progress-reports", json=REPORT, headers=auth("unit", "ORG-B"))
    await client.post("/progress-reports/overdue:scan", headers=h)
    inc = (
        await client.post(
            f"/projects/{a}/incidents",
            json={"kind": "serious_delay", "description": "d"},
            headers=auth("unit", "ORG-A"),
        )
    ).json()
    await client.post(
        f"/projects/{a}/rectifications",
        json={"finding": "f", "deadline": "2027-12-01", "incident_id": inc["id"], "area": "incident"},
        headers=h,
    )
    rid = await cause(a, escalate_to="suspend")
    s = await client.post(
        f"/projects/{a}/sanctions", json={"level": "suspend", "reason": "x", "rectification_id": rid}, headers=h
    )
    assert s.status_code == 201, s.text

    async def snapshot():
        out = {}
        for pid in (a, b):
            view = (await client.get(f"/projects/{pid}", headers=h)).json()
            tl = (await client.get(f"/projects/{pid}/timeline", headers=h)).json()
            out[str(pid)] = (view, tl["items"])
        out["list"] = (await client.get("/projects", headers=h)).json()
        out["unit"] = (await client.get("/projects", headers=auth("unit", "ORG-P"))).json()
        return out

    before = await snapshot()
    assert before[str(a)][0]["reports"]["overdue_notices"] == 3

    async def source(session):
        for ev in delivered:
            yield ev.service, ev
        for ev in await event_log(session, "oversight", 0, 1000):
            yield "oversight", ev

    harness.app.state.rebuild_source = source
    assert (await client.post("/projects:rebuild", headers=auth("unit", "ORG-A"))).status_code == 403
    r = await client.post("/projects:rebuild", headers=auth("admin"))
    assert r.status_code == 202, r.text
    job = r.json()
    assert job["status"] in ("queued", "running") and r.headers["location"].endswith(f"/rebuilds/{job['id']}")
    assert (await client.get(f"/rebuilds/{job['id']}", headers=auth("unit", "ORG-A"))).status_code == 403
    assert (await client.get(f"/rebuilds/{uuid.uuid4()}", headers=auth("admin"))).status_code == 404
    done = await eventually(lambda: job_with_status(client, job["id"], "done"))
    assert done["projects"] == 2 and done["sources"]["reserve"] == 2 and done["finished_at"]
    assert await snapshot() == before


async def test_a_failed_rebuild_keeps_the_view_and_says_why(client, harness, approve):
    pid = await approve("ORG-A", approved_on=date(2027, 1, 5))
    before = (await client.get(f"/projects/{pid}", headers=auth("bdb"))).json()

    async def broken(session):
        for ev in await event_log(session, "oversight", 0, 1000):
            yield "oversight", ev
        raise RuntimeError("approval's event log is unreachable")
        yield  # an async generator

    harness.app.state.rebuild_source = broken
    job = (await client.post("/projects:rebuild", headers=auth("bdb"))).json()
    failed = await eventually(lambda: job_with_status(client, job["id"], "failed"))
    assert failed["error"].startswith("重放事件日志时出错") and "unreachable" in failed["error"]
    assert (await client.get(f"/projects/{pid}", headers=auth("bdb"))).json() == before


async def test_rebuild_reads_the_services_event_logs_over_http(harness):
    """The default source asks every service's /internal/events with a service token."""
    import httpx

    from oversight.projects.sources import http_source

    pid = uuid.uuid4()
    reserve_event = make_event(PreliminaryAccepted(project_id=pid, accepted_on=date(2027, 6, 1)), seq=1)
    calls = []

    def handler(request: httpx.Request):
        calls.append(
            (request.url.host, request.url.port, request.url.params["after"], request.headers["authorization"][:7])
        )
        if request.url.port == 8105 and request.url.params["after"] == "0":
            return httpx.Response(200, json={"items": [reserve_event.model_dump(mode="json")], "next_after": 1})
        return httpx.Response(200, json={"items": [], "next_after": 0})

    settings = harness.app.state.settings
    source = http_source(settings, client_factory=lambda: httpx.AsyncClient(transport=httpx.MockTransport(handler)))
    async with harness.sessionmaker() as session:
        got = [(s, e.id) async for s, e in source(session)]
    assert got == [("acceptance", reserve_event.id)]
    assert {c[3] for c in calls} == {"Bearer "} and len(calls) == 5


async def test_one_rebuild_at_a_time_a_second_request_gets_the_unfinished_one(harness):
    from govkit.auth import Principal
    from oversight.rebuilds import service as rebuilds

    bdb = Principal(sub="bdb-1", name="", org="ORG-BDB", roles=frozenset({"bdb"}))
    async with harness.sessionmaker() as s:  # not committed: the background loop never sees it
        first = await rebuilds.request(s, bdb)
        second = await rebuilds.request(s, bdb)
        assert first.status == "queued" and second.id == first.id
        await s.rollback()


async def test_a_year_beyond_four_digits_is_refused_not_a_server_error(client):
    """schemathesis sent library_year=36893488147419103231: the database overflowed (500)."""
    h = auth("bdb", "BDB")
    for path in ("/projects", "/stats"):
        r = await client.get(path, params={"library_year": "36893488147419103231"}, headers=h)
        assert r.status_code == 422 and r.json()["violations"][0]["field"] == "library_year", (path, r.text)
    assert (await client.get("/projects", params={"library_year": 2027}, headers=h)).status_code == 200
