"""X-30.1: windows closing within N days and declarations awaiting decisions, with due dates."""

from datetime import date

from govkit.dev.testing import auth

from ..support import BDB, FIN, declaration

UA, UB = auth("unit", "ORG-A"), auth("unit", "ORG-B")


async def test_x30_1_clocks(client, at):
    at(date(2026, 11, 24))
    w = (
        await client.post(
            "/windows",
            json={"kind": "annual", "library_year": 2027, "opens_on": "2026-10-01", "closes_on": "2026-11-30"},
            headers=BDB,
        )
    ).json()
    sub = (await client.post("/declarations", json=declaration(), headers=UA)).json()
    sa = (
        await client.post(
            "/declarations", json=declaration(title="专项增补系统", special_addition={"reason": "急"}), headers=UB
        )
    ).json()
    await client.post(
        f"/declarations/{sa['project_id']}/special-addition/decisions",
        json={"decision": "agree", "opinion": "同意"},
        headers=FIN,
    )
    c = (await client.get("/clocks", params={"within_days": 6}, headers=BDB)).json()
    assert [x["window_id"] for x in c["windows"]] == [w["id"]] and c["windows"][0]["days_left"] == 6
    assert (await client.get("/clocks", params={"within_days": 5}, headers=BDB)).json()["windows"] == []
    by = {x["project_id"]: x for x in c["declarations"]}
    assert (by[sub["project_id"]]["due_on"], by[sub["project_id"]]["awaiting"]) == ("2026-12-31", ["bdb"])
    s = by[sa["project_id"]]
    assert (s["due_on"], s["awaiting"], s["overdue"], s["rule"], s["basis"]) == (
        "2026-12-09",
        ["bdb", "approval_bureau"],
        False,
        "X-30.1",
        "practice",
    )
    late = (await client.get("/clocks", params={"as_of": "2026-12-10", "overdue": "true"}, headers=BDB)).json()
    assert [x["project_id"] for x in late["declarations"]] == [sa["project_id"]] and late["declarations"][0]["overdue"]
    mine = (await client.get("/clocks", headers=UA)).json()
    assert [x["project_id"] for x in mine["declarations"]] == [sub["project_id"]]
