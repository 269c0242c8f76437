"""R-17.1 / R-15.1 / R-16.*: the construction filing gates every acceptance step, final acceptance
needs the contractor's three deliverables and the filed warranty; R-21.3: the unit's merge choice."""

from ..support import BDB, OTHER_UNIT, UNIT, filed_event
from .helpers import final, ok, preliminary, prerequisites, trial


def _rules(r):
    return [v["rule"] for v in r.json()["violations"]]


async def test_r17_1_no_step_without_the_construction_filing(client, harness, approve):
    pid = await approve(filed=False, approved_investment="300000.00")
    await prerequisites(client, pid)
    view = await ok(await client.get(f"/projects/{pid}", headers=UNIT))
    assert view["construction_filing"]["filed"] is False and "R-17.1" in [m["rule"] for m in view["missing"]]
    for step in (preliminary(client, pid), trial(client, pid)):
        r = await step
        assert r.status_code == 409 and r.json()["rule"] == "R-17.1" and r.json()["article"] == "第十七条", r.text
    assert (await ok(await client.get(f"/projects/{pid}", headers=UNIT)))["stage"] == "construction"
    # a filing without a supervision firm does not open the gate either
    assert await harness.deliver(filed_event(pid, supervision_firm=""))
    r = await trial(client, pid)
    assert r.status_code == 409 and _rules(r) == ["R-17.1"]
    assert await harness.deliver(filed_event(pid, version=2))
    await ok(await trial(client, pid))


async def test_an_older_filing_never_overwrites_a_newer_one(client, harness, approve):
    pid = await approve(filed=False)
    assert await harness.deliver(filed_event(pid, version=2, warranty_years=4))
    assert await harness.deliver(filed_event(pid, version=1, warranty_years=2))
    view = await ok(await client.get(f"/projects/{pid}", headers=UNIT))
    assert view["construction_filing"]["version"] == 2 and view["construction_filing"]["warranty_years"] == 4


async def test_filing_before_approval_is_kept(client, harness):
    from ..support import approved_event

    event = approved_event(approved_investment="300000.00")
    assert await harness.deliver(filed_event(event.project_id))
    assert await harness.deliver(event)
    pid = str(event.project_id)
    await prerequisites(client, pid)
    await ok(await trial(client, pid))


async def test_r16_2_final_needs_om_plan_training_plan_and_materials(client, harness, approve):
    pid = await approve(filed=False, approved_investment="300000.00")
    assert await harness.deliver(filed_event(pid, training_materials_provided=False))
    await prerequisites(client, pid)
    await ok(await trial(client, pid))
    r = await final(client, pid, headers=UNIT)
    assert r.status_code == 409 and _rules(r) == ["R-16.2"] and "培训教程" in r.json()["detail"]
    assert await harness.deliver(
        filed_event(
            pid, version=2, om_plan_provided=False, training_plan_provided=False, training_materials_provided=False
        )
    )
    r = await final(client, pid, headers=UNIT)
    assert _rules(r) == ["R-16.2", "R-16.2", "R-16.2"]
    assert await harness.deliver(filed_event(pid, version=3, warranty_years=1))
    r = await final(client, pid, headers=UNIT)
    assert r.status_code == 409 and _rules(r) == ["R-16.1"]  # one year below the minimum
    assert await harness.deliver(filed_event(pid, version=4, warranty_years=2))  # exactly the minimum
    done = await ok(await final(client, pid, headers=UNIT))
    assert done["warranty_ends_on"] == "2026-05-10" and done["missing"] == []


async def test_r21_3_unit_chooses_before_the_first_step(client, harness, approve):
    pid = await approve(approved_investment="1999999.99")
    view = await ok(await client.get(f"/projects/{pid}", headers=UNIT))
    assert view["path"] == "merged" and view["path_choice"]["allowed"] is True  # merged is the default
    assert (await client.post(f"/projects/{pid}/path", json={"path": "standard"}, headers=BDB)).status_code == 403
    bad = await client.post(f"/projects/{pid}/path", json={"path": "classified"}, headers=UNIT)
    assert bad.status_code == 422
    chosen = await ok(await client.post(f"/projects/{pid}/path", json={"path": "standard"}, headers=UNIT))
    assert chosen["path"] == "standard" and chosen["final_led_by"] == "bdb"
    assert chosen["path_choice"]["chosen_by"] == "unit"
    [ev] = [
        e
        for e in await harness.events("AcceptancePathChosen", subject=pid)
        if e.rule == "R-21.3" and e.data["path"] == "standard"
    ]
    assert ev.data["final_led_by"] == "bdb"
    # standard now: trial operation without a preliminary acceptance is out of order
    await prerequisites(client, pid)
    r = await trial(client, pid)
    assert r.status_code == 409 and r.json()["rule"] == "R-21.1"
    back = await ok(await client.post(f"/projects/{pid}/path", json={"path": "merged"}, headers=UNIT))
    assert back["path"] == "merged"
    await ok(await preliminary(client, pid))
    late = await client.post(f"/projects/{pid}/path", json={"path": "standard"}, headers=UNIT)
    assert late.status_code == 409 and late.json()["rule"] == "R-21.3" and late.json()["article"] == "第二十一条"


async def test_r21_3_no_choice_at_the_threshold_or_for_classified(client, approve):
    at = await approve(approved_investment="2000000.00")
    r = await client.post(f"/projects/{at}/path", json={"path": "merged"}, headers=UNIT)
    assert r.status_code == 409 and r.json()["rule"] == "R-21.3"
    assert (await ok(await client.get(f"/projects/{at}", headers=UNIT)))["path"] == "standard"
    classified = await approve(approved_investment="300000.00", classified=True)
    r = await client.post(f"/projects/{classified}/path", json={"path": "merged"}, headers=UNIT)
    assert r.status_code == 409 and r.json()["rule"] == "R-21.3"
    below = await approve(approved_investment="300000.00")
    other = await client.post(f"/projects/{below}/path", json={"path": "standard"}, headers=OTHER_UNIT)
    assert other.status_code == 404
