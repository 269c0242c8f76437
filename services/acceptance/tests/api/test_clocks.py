"""R-21.5: the acceptance due date from the approval document's construction period, moved only by
an extension bdb grants; X-30.1: every clock pushed to the party that must act."""

from ..support import BDB, OTHER_UNIT, UNIT
from .helpers import ok, standard_to_final

# approved 2024-01-10 (support.APPROVED_ON) with a 12-month construction period → due 2025-01-10


async def _overdue_ids(client, as_of):
    body = await ok(await client.get("/acceptances/overdue", params={"as_of": as_of, "limit": 200}, headers=BDB))
    return {i["project_id"] for i in body["items"]}


async def test_r21_5_due_date_from_the_construction_period(client, approve):
    pid = await approve(construction_months=12)
    view = await ok(await client.get(f"/projects/{pid}", headers=UNIT))
    assert view["due_on"] == "2025-01-10" and view["due"]["basis"] == "construction_period"
    assert pid not in await _overdue_ids(client, "2025-01-10")  # the due day: on time
    assert pid in await _overdue_ids(client, "2025-01-11")  # one day after: overdue
    # the unit cannot move it by planning later
    r = await client.put(f"/projects/{pid}/profile", json={"planned_on": "2025-01-11"}, headers=UNIT)
    assert r.status_code == 409 and r.json()["rule"] == "R-21.5" and r.json()["article"] == "第二十一条"
    await ok(await client.put(f"/projects/{pid}/profile", json={"planned_on": "2025-01-10"}, headers=UNIT))
    assert (await ok(await client.get(f"/projects/{pid}", headers=UNIT)))["due_on"] == "2025-01-10"


async def test_r21_5_only_a_granted_extension_moves_it(client, harness, approve):
    pid = await approve(construction_months=36)  # due 2027-01-10, after today
    ext = await ok(
        await client.post(
            f"/projects/{pid}/extensions", json={"new_date": "2027-06-30", "reason": "需求变更"}, headers=UNIT
        ),
        201,
    )
    assert (await ok(await client.get(f"/projects/{pid}", headers=UNIT)))["due_on"] == "2027-01-10"  # requested only
    todo = [
        e for e in await harness.events("AcceptanceDeadline", subject=pid) if e.data["clock"] == "extension_decision"
    ]
    assert [(e.data["phase"], e.data["role"]) for e in todo] == [("due", "bdb")]
    assert [i["clock"] for i in (await ok(await client.get("/clocks", headers=BDB)))["items"]] == ["extension_decision"]
    await ok(
        await client.post(
            f"/projects/{pid}/extensions/{ext['id']}/decision",
            json={"decision": "grant", "opinion": "同意"},
            headers=BDB,
        )
    )
    view = await ok(await client.get(f"/projects/{pid}", headers=UNIT))
    assert view["due_on"] == "2027-06-30" and view["due"]["basis"] == "extension"
    todo = [
        e for e in await harness.events("AcceptanceDeadline", subject=pid) if e.data["clock"] == "extension_decision"
    ]
    assert [e.data["phase"] for e in todo] == ["due", "cleared"]
    assert (await ok(await client.get("/clocks", headers=BDB)))["items"] == []


async def test_x30_1_acceptance_clock_pushed_to_the_unit_before_and_when_past_due(client, harness, approve):
    pid = await approve(construction_months=12)  # due 2025-01-10; reminders 7 days before (policy)

    async def phases():
        return [
            (e.data["clock"], e.data["phase"], e.data["role"], e.data["org"])
            for e in await harness.events("AcceptanceDeadline", subject=pid)
        ]

    await ok(await client.post("/clocks:scan", params={"as_of": "2025-01-02"}, headers=BDB))
    assert await phases() == []  # 8 days before: not yet
    await ok(await client.post("/clocks:scan", params={"as_of": "2025-01-03"}, headers=BDB))
    assert await phases() == [("acceptance_due", "approaching", "unit", "ORG-UNIT-A")]
    await ok(await client.post("/clocks:scan", params={"as_of": "2025-01-10"}, headers=BDB))
    assert len(await phases()) == 1  # once each
    await ok(await client.post("/clocks:scan", params={"as_of": "2025-01-11"}, headers=BDB))
    assert (await phases())[-1] == ("acceptance_due", "overdue", "unit", "ORG-UNIT-A")
    mine = await ok(await client.get("/clocks", headers=UNIT))
    assert sorted((i["clock"], i["phase"]) for i in mine["items"]) == [
        ("acceptance_due", "approaching"),
        ("acceptance_due", "overdue"),
    ]
    assert (await ok(await client.get("/clocks", headers=OTHER_UNIT)))["items"] == []
    assert (await client.post("/clocks:scan", headers=UNIT)).status_code == 403
    done = await standard_to_final(client, pid)
    assert done["stage"] == "final_accepted"
    assert (await phases())[-1][:2] == ("acceptance_due", "cleared")
    assert (await ok(await client.get("/clocks", headers=UNIT)))["items"] == []


async def test_x30_1_self_evaluation_and_warranty_clocks(client, harness, approve):
    pid = await approve()
    await standard_to_final(
        client, pid
    )  # final 2024-05-10; warranty 3 years → 2027-05-10; window 2025-05-10…2026-05-10
    await ok(await client.post("/clocks:scan", params={"as_of": "2025-05-09"}, headers=BDB))
    assert await harness.events("AcceptanceDeadline", subject=pid) == []
    await ok(await client.post("/clocks:scan", params={"as_of": "2025-05-10"}, headers=BDB))
    await ok(await client.post("/clocks:scan", params={"as_of": "2026-05-11"}, headers=BDB))
    await ok(await client.post("/clocks:scan", params={"as_of": "2027-05-03"}, headers=BDB))
    got = [
        (e.data["clock"], e.data["phase"], e.data["due_on"])
        for e in await harness.events("AcceptanceDeadline", subject=pid)
    ]
    assert got == [
        ("self_evaluation", "approaching", "2026-05-10"),
        ("self_evaluation", "overdue", "2026-05-10"),
        ("warranty_end", "approaching", "2027-05-10"),
    ]
    assert all(e.rule == "X-30.1" for e in await harness.events("AcceptanceDeadline", subject=pid))
