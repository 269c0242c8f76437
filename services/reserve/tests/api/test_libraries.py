"""The annual library: refuse, compile (R-8.1), file (R-8.2), supplement (R-9.1), X-11.1 flags."""

from datetime import date

from govkit import clock
from govkit.dev.testing import auth

from ..support import APB, BDB, FIN, declaration, supplement_around

UA, UB = auth("unit", "ORG-A"), auth("unit", "ORG-B")


async def _annual(client, at):
    at(date(2026, 11, 2))
    r = await client.post(
        "/windows",
        json={"kind": "annual", "library_year": 2027, "opens_on": "2026-10-01", "closes_on": "2026-11-30"},
        headers=BDB,
    )
    assert r.status_code == 201
    return r.json()


async def _declare(client, who, **kw):
    r = await client.post("/declarations", json=declaration(**kw), headers=who)
    assert r.status_code == 201, r.text
    return r.json()


async def test_r8_1_compile_admits_submitted_not_refused_with_special_additions(client, harness, at):
    await _annual(client, at)
    a = await _declare(client, UA, title="智慧教育资源平台", category="business_application")
    b = await _declare(client, UB, title="不动产登记系统", estimated_investment="2500000.00", new_civil_works=True)
    c = await _declare(client, UB, title="重复建设的门户", category="other_system")
    sa = await _declare(client, UA, title="应急物资调度系统", library_year=2027, special_addition={"reason": "急需"})
    for who in (BDB, FIN, APB):
        await client.post(
            f"/declarations/{sa['project_id']}/special-addition/decisions",
            json={"decision": "agree", "opinion": "同意"},
            headers=who,
        )
    r = await client.post(f"/declarations/{c['project_id']}/refuse", json={"reason": "与已建系统重复"}, headers=BDB)
    assert r.status_code == 200 and r.json()["refusal"]["rule"] == "R-8.1"
    assert (
        await client.post(f"/declarations/{a['project_id']}/refuse", json={"reason": "x"}, headers=UA)
    ).status_code == 403
    lib = await client.post("/libraries/2027/compile", headers=BDB)
    assert lib.status_code == 200, lib.text
    body = lib.json()
    assert body["status"] == "compiled" and body["pending_submitted"] == 0
    assert {i["project_id"] for i in body["items"]} == {a["project_id"], b["project_id"], sa["project_id"]}
    assert body["total_investment"] == "4900000.00"
    admitted = {e.data["project_id"]: e for e in await harness.events("ProjectAdmittedToReserve")}
    assert set(admitted) == {a["project_id"], b["project_id"], sa["project_id"]}
    eb = admitted[b["project_id"]].data
    assert (
        eb["org"],
        eb["route"],
        eb["estimated_investment"],
        eb["new_civil_works"],
        eb["declared_on"],
        eb["admitted_on"],
        eb["library_year"],
    ) == ("ORG-B", "window", "2500000.00", True, "2026-11-02", "2026-11-02", 2027)
    assert admitted[b["project_id"]].rule == "R-8.1"
    assert (await client.get(f"/declarations/{c['project_id']}", headers=UB)).json()["status"] == "refused"
    [ev] = await harness.events("LibraryCompiled")
    assert set(ev.data["admitted_now"]) == {a["project_id"], b["project_id"]} and ev.data["project_count"] == 3
    # an admitted declaration can be neither refused nor withdrawn
    assert (
        await client.post(f"/declarations/{a['project_id']}/refuse", json={"reason": "x"}, headers=BDB)
    ).status_code == 409
    assert (await client.post(f"/declarations/{a['project_id']}/withdraw", headers=UA)).status_code == 409


async def test_r8_2_file_then_no_recompile_and_no_annual_declarations(client, harness, at):
    await _annual(client, at)
    await _declare(client, UA)
    assert (await client.post("/libraries/2027/file", headers=BDB)).json()["rule"] == "R-8.2"  # not compiled yet
    compiled = (await client.post("/libraries/2027/compile", headers=BDB)).json()
    late = await _declare(client, UB, title="补报系统")
    r = await client.post("/libraries/2027/file", headers=BDB)
    assert r.status_code == 409 and r.json()["rule"] == "R-8.1" and r.json()["pending"] == [late["declaration_no"]]
    stale = await client.post("/libraries/2027/compile", headers={**BDB, "If-Match": f'"{compiled["version"] + 5}"'})
    assert stale.status_code == 412
    again = (await client.post("/libraries/2027/compile", headers=BDB)).json()
    assert again["compile_count"] == 2 and again["project_count"] == 2
    filed = await client.post("/libraries/2027/file", headers=BDB)
    assert filed.status_code == 200 and filed.json()["status"] == "filed" and filed.json()["filed_on"] == "2026-11-02"
    [ev] = await harness.events("LibraryFiled")
    assert ev.rule == "R-8.2" and len(ev.data["project_ids"]) == 2
    r = await client.post("/libraries/2027/compile", headers=BDB)
    assert r.status_code == 409 and r.json()["rule"] == "R-8.2"
    assert (await client.post("/libraries/2027/file", headers=BDB)).json()["rule"] == "R-8.2"
    r = await client.post("/declarations", json=declaration(), headers=UA)  # the annual window is still open
    assert r.status_code == 409 and r.json()["rule"] == "R-8.2"
    r = await client.post(
        "/windows",
        json={"kind": "annual", "library_year": 2027, "opens_on": "2026-12-01", "closes_on": "2026-12-10"},
        headers=BDB,
    )
    assert r.status_code == 409 and "R-8.2" in {v["rule"] for v in r.json()["violations"]}


async def test_r9_1_supplement_enters_only_through_the_three_bureaus(client, harness):
    today = clock.today()
    year = today.year
    assert (await client.post("/windows", json=supplement_around(today), headers=BDB)).status_code == 201
    first = await _declare(client, UA)
    assert (await client.post(f"/libraries/{year}/supplements", headers=BDB)).json()["rule"] == "R-9.1"  # not filed
    compiled = (await client.post(f"/libraries/{year}/compile", headers=BDB)).json()
    assert compiled["items"] == [] and compiled["pending_submitted"] == 1  # a supplement is not compiled
    assert (await client.post(f"/libraries/{year}/file", headers=BDB)).status_code == 200
    extra = await _declare(client, UB, title="增补的业务系统")  # the supplement window stays open after filing
    r = await client.post(f"/libraries/{year}/supplements", headers=BDB)
    assert r.status_code == 200, r.text
    lib = r.json()
    assert lib["items"] == [] and lib["status"] == "filed"  # bdb's word alone admits nothing
    assert lib["supplements"][0]["project_ids"] == [first["project_id"], extra["project_id"]]
    assert await harness.events("ProjectAdmittedToReserve") == []
    [opened] = await harness.events("SupplementConsultationOpened")
    assert opened.rule == "R-9.1" and opened.data["project_ids"] == [first["project_id"], extra["project_id"]]
    asked = await harness.events("SpecialAdditionRequested")
    assert {(e.data["kind"], e.subject) for e in asked} == {
        ("supplement", first["project_id"]),
        ("supplement", extra["project_id"]),
    }
    assert (await client.post(f"/libraries/{year}/supplements", headers=BDB)).json()["rule"] == "R-9.1"  # nothing new
    pid = first["project_id"]
    d = (await client.get(f"/declarations/{pid}", headers=BDB)).json()
    assert d["status"] == "awaiting_consultation" and d["consultation"]["awaiting"] == [
        "bdb",
        "finance",
        "approval_bureau",
    ]
    assert d["consultation"]["rule"] == "R-9.1" and d["special_addition"] is None
    clock_of = {c["project_id"]: c for c in (await client.get("/clocks", headers=BDB)).json()["declarations"]}
    assert (
        clock_of[pid]["awaiting"] == ["bdb", "finance", "approval_bureau"]
        and "增补入库会商" in clock_of[pid]["message"]
    )
    # bdb agreeing is not enough; the other two bureaus too
    d = (
        await client.post(
            f"/declarations/{pid}/consultation/decisions", json={"decision": "agree", "opinion": "可行"}, headers=BDB
        )
    ).json()
    assert d["status"] == "awaiting_consultation" and d["consultation"]["awaiting"] == ["finance", "approval_bureau"]
    again = await client.post(
        f"/declarations/{pid}/consultation/decisions", json={"decision": "agree", "opinion": "x"}, headers=BDB
    )
    assert again.status_code == 409 and again.json()["rule"] == "R-9.2"
    assert (await client.get(f"/libraries/{year}", headers=BDB)).json()["items"] == []
    await client.post(
        f"/declarations/{pid}/consultation/decisions", json={"decision": "agree", "opinion": "同意"}, headers=FIN
    )
    d = (
        await client.post(
            f"/declarations/{pid}/special-addition/decisions",
            json={"decision": "agree", "opinion": "同意"},
            headers=APB,
        )
    ).json()
    assert d["status"] == "admitted"
    [admitted] = await harness.events("ProjectAdmittedToReserve")
    assert admitted.subject == pid and admitted.rule == "R-9.1"
    [ev] = await harness.events("LibrarySupplemented")
    assert ev.data["admitted_now"] == [pid]
    # one refusal refuses the other
    r = await client.post(
        f"/declarations/{extra['project_id']}/consultation/decisions",
        json={"decision": "refuse", "opinion": "资金不足"},
        headers=FIN,
    )
    assert r.json()["status"] == "refused" and r.json()["refusal"]["rule"] == "R-9.2"
    lib = (await client.get(f"/libraries/{year}", headers=BDB)).json()
    assert [(i["project_id"], i["admitted_by"]) for i in lib["items"]] == [(pid, "supplement")]


async def test_r9_1_an_annual_declaration_is_not_put_to_consultation(client, at):
    await _annual(client, at)
    d = await _declare(client, UA)
    r = await client.post(
        f"/declarations/{d['project_id']}/consultation/decisions",
        json={"decision": "agree", "opinion": "同意"},
        headers=BDB,
    )
    assert r.status_code == 409 and r.json()["rule"] == "R-9.2"


async def test_library_visibility_roles_and_unknown_year(client, at):
    await _annual(client, at)
    a = await _declare(client, UA)
    await _declare(client, UB, title="社保系统")
    assert (await client.post("/libraries/2027/compile", headers=UA)).status_code == 403
    assert (await client.post("/libraries/2027/compile", headers=FIN)).status_code == 403
    await client.post("/libraries/2027/compile", headers=BDB)
    mine = (await client.get("/libraries/2027", headers=UA)).json()
    assert [i["project_id"] for i in mine["items"]] == [a["project_id"]] and mine["total_investment"] == "1200000.00"
    assert len((await client.get("/libraries/2027", headers=BDB)).json()["items"]) == 2
    assert (await client.get("/libraries/2040", headers=BDB)).status_code == 404
    assert (await client.get("/libraries/1999", headers=BDB)).status_code == 422


async def test_x11_1_splitting_flagged_on_declarations_and_library(client, harness, at):
    await _annual(client, at)
    p1 = await _declare(client, UA, title="智慧城管平台（一期）", estimated_investment="1000000.00")
    assert p1["flags"] == []
    p2 = await _declare(client, UA, title="智慧城管平台（二期）", estimated_investment="1000000.00")
    [flag] = p2["flags"]
    assert (flag["rule"], flag["basis"], flag["details"]["threshold"], flag["details"]["total"]) == (
        "X-11.1",
        "practice",
        "2000000.00",
        "2000000.00",
    )
    assert (await client.get(f"/declarations/{p1['project_id']}", headers=UA)).json()["flags"][0]["rule"] == "X-11.1"
    other = await _declare(client, UB, title="智慧城管平台（三期）", estimated_investment="1000000.00")
    assert other["flags"] == []  # another unit
    lib = (await client.post("/libraries/2027/compile", headers=BDB)).json()
    assert len(lib["splitting_flags"]) == 1 and lib["splitting_flags"][0]["details"]["declaration_nos"] == [
        p1["declaration_no"],
        p2["declaration_no"],
    ]
    assert {i["declaration_no"] for i in lib["items"] if i["flags"]} == {p1["declaration_no"], p2["declaration_no"]}
    events = {e.data["project_id"]: e.data for e in await harness.events("ProjectAdmittedToReserve")}
    assert events[p1["project_id"]]["splitting_suspected"] and not events[other["project_id"]]["splitting_suspected"]
    assert (await client.get("/libraries/2027", headers=UB)).json()["splitting_flags"] == []
