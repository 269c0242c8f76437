"""Reserve end to end, through the gateway (API.md, Reserve): a window → declarations by two units →
special additions (one refused, one agreed by all three bureaus) → compile → file → approval opens
an application for every admitted project (R-9.4) and for none of the refused ones."""

from __future__ import annotations

from datetime import date, timedelta

from tests.e2e.flows import declaration, eventually, ok, unique_org

from govkit import clock


def window_around_today() -> dict:
    """The annual window in Q4 (R-8.1: year Y for library year Y+1); a half-yearly supplement
    window of this year otherwise (R-9.1). Always open today, Asia/Shanghai."""
    today = clock.today()
    if today.month >= 10:
        lo, hi, kind, year = date(today.year, 10, 1), date(today.year, 12, 31), "annual", today.year + 1
    else:
        half = today.month <= 6
        lo = date(today.year, 1 if half else 7, 1)
        hi = date(today.year, 6, 30) if half else date(today.year, 12, 31)
        kind, year = "supplement", today.year
    return {
        "kind": kind,
        "library_year": year,
        "opens_on": max(lo, today - timedelta(days=2)).isoformat(),
        "closes_on": min(hi, today + timedelta(days=5)).isoformat(),
    }


def test_window_declarations_special_additions_compile_file_and_approval(api):
    bdb, finance, bureau = api("bdb", "ORG-BDB"), api("finance", "ORG-FIN"), api("approval_bureau", "ORG-XZSP")
    unit_a, unit_b = api("unit", unique_org("UA")), api("unit", unique_org("UB"))

    # 1. bdb opens a window around today
    spec = window_around_today()
    r = bdb.post("/api/v1/reserve/windows", json=spec)
    if r.status_code == 409:  # the shared stack already has one for this year: use the one open today
        found = ok(bdb.get("/api/v1/reserve/windows", params={"library_year": spec["library_year"]}))["items"]
        window = next(w for w in found if w["is_open"] and w["kind"] == spec["kind"])
    else:
        window = ok(r, 201)
    year = window["library_year"]
    library = bdb.get(f"/api/v1/reserve/libraries/{year}")
    assert library.status_code == 404 or library.json()["status"] != "filed", "this year's library is already filed"

    # 2. two units declare inside it; bdb leaves one declaration out of the library
    a1 = ok(
        unit_a.post(
            "/api/v1/reserve/declarations",
            json=declaration(
                "智慧社区服务平台", cross_department={"lead_org": unit_a.org, "participant_orgs": [unit_b.org]}
            ),
        ),
        201,
    )
    b1 = ok(
        unit_b.post(
            "/api/v1/reserve/declarations", json=declaration("市场监管执法系统", "2600000.00", new_civil_works=True)
        ),
        201,
    )
    b2 = ok(unit_b.post("/api/v1/reserve/declarations", json=declaration("重复建设的门户网站", "300000.00")), 201)
    for d in (a1, b1, b2):
        assert (d["status"], d["library_year"], d["window_id"]) == ("submitted", year, window["id"])
        assert d["declaration_no"].startswith(f"SB-{year}-")
    assert unit_a.get(f"/api/v1/reserve/declarations/{b1['project_id']}").status_code == 404
    assert unit_b.get(f"/api/v1/reserve/declarations/{a1['project_id']}").status_code == 200  # participant
    scope = unit_a.post("/api/v1/reserve/declarations", json=declaration("机关打印机采购"))
    assert scope.status_code == 422 and scope.json()["rule"] == "R-2.2"
    ok(bdb.post(f"/api/v1/reserve/declarations/{b2['project_id']}/refuse", json={"reason": "与已建门户重复"}))

    # 3. special additions: one agreed by all three bureaus, one refused by finance
    sa_yes = ok(
        unit_a.post(
            "/api/v1/reserve/declarations",
            json=declaration("防汛物资调度系统", library_year=year, special_addition={"reason": "市委市政府专项部署"}),
        ),
        201,
    )
    sa_no = ok(
        unit_b.post(
            "/api/v1/reserve/declarations",
            json=declaration("展厅多媒体系统", library_year=year, special_addition={"reason": "展示需要"}),
        ),
        201,
    )
    for d in (sa_yes, sa_no):
        assert d["status"] == "awaiting_consultation"
    decide = "/api/v1/reserve/declarations/{}/special-addition/decisions"
    ok(bdb.post(decide.format(sa_no["project_id"]), json={"decision": "agree", "opinion": "技术可行"}))
    refused = ok(finance.post(decide.format(sa_no["project_id"]), json={"decision": "refuse", "opinion": "资金不足"}))
    assert refused["status"] == "refused"
    late = bureau.post(decide.format(sa_no["project_id"]), json={"decision": "agree", "opinion": "同意"})
    assert late.status_code == 409 and late.json()["rule"] == "R-9.2"
    for who in (bdb, finance):
        ok(who.post(decide.format(sa_yes["project_id"]), json={"decision": "agree", "opinion": "同意"}))
    again = finance.post(decide.format(sa_yes["project_id"]), json={"decision": "agree", "opinion": "再次同意"})
    assert again.status_code == 409 and again.json()["rule"] == "R-9.2"
    admitted = ok(bureau.post(decide.format(sa_yes["project_id"]), json={"decision": "agree", "opinion": "同意"}))
    assert admitted["status"] == "admitted"
    assert set(admitted["special_addition"]["matrix"]) == {"bdb", "finance", "approval_bureau"}

    # 4. compile and file with the leading group; a supplement window's declarations enter only
    #    through the three bureaus' consultation (R-9.1), after filing
    compiled = ok(bdb.post(f"/api/v1/reserve/libraries/{year}/compile"))
    ids = {i["project_id"] for i in compiled["items"]}
    window_ids = {a1["project_id"], b1["project_id"]}
    assert sa_yes["project_id"] in ids and (window_ids <= ids) == (window["kind"] == "annual")
    assert not ids & {b2["project_id"], sa_no["project_id"]}
    filed = ok(bdb.post(f"/api/v1/reserve/libraries/{year}/file"))
    assert filed["status"] == "filed"
    if window["kind"] == "supplement":
        supplemented = ok(bdb.post(f"/api/v1/reserve/libraries/{year}/supplements"))
        assert not window_ids & {i["project_id"] for i in supplemented["items"]}  # not on bdb's word alone
        for pid in window_ids:
            for who in (bdb, finance, bureau):
                last = ok(
                    who.post(
                        f"/api/v1/reserve/declarations/{pid}/consultation/decisions",
                        json={"decision": "agree", "opinion": "同意增补"},
                    )
                )
            assert last["status"] == "admitted"
    again = bdb.post(f"/api/v1/reserve/libraries/{year}/compile")
    assert again.status_code == 409 and again.json()["rule"] == "R-8.2"
    mine = ok(unit_a.get(f"/api/v1/reserve/libraries/{year}"))
    assert {i["project_id"] for i in mine["items"]} == {a1["project_id"], sa_yes["project_id"]}

    # 5. approval opened an application for every admitted project, none for the refused ones
    def opened(pid: str):
        r = bdb.get(f"/api/v1/approval/applications/{pid}")
        return r.json() if r.status_code == 200 else None

    for pid in (a1["project_id"], b1["project_id"], sa_yes["project_id"]):
        app = eventually(lambda pid=pid: opened(pid), timeout=30)
        assert app["status"] == "open" and app["project_id"] == pid
    # the events of the refused ones came earlier on the same topic: by now they would have shown up
    for pid in (b2["project_id"], sa_no["project_id"]):
        assert bdb.get(f"/api/v1/approval/applications/{pid}").status_code == 404
    assert unit_a.get(f"/api/v1/approval/applications/{a1['project_id']}").status_code == 200
