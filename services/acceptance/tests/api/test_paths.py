"""Each of the four paths from ProjectApproved to final acceptance (R-21.1 – R-21.4, R-16.1, R-24.1)."""

from govkit.dev.testing import make_event
from govkit.events.oversight import ProjectSuspended

from ..support import BDB, ORG, UNIT, approved_event
from .helpers import apply_final, final, ok, preliminary, prerequisites, secrecy_review, standard_to_final, trial


async def test_standard_path_end_to_end(client, harness, approve):
    pid = await approve(approved_investment="2000000.00")  # at the threshold: not merged
    view = await ok(await client.get(f"/projects/{pid}", headers=UNIT))
    assert (view["path"], view["stage"], view["final_led_by"]) == ("standard", "construction", "bdb")
    chosen = await harness.events("AcceptancePathChosen", subject=pid)
    assert chosen[0].data["path"] == "standard" and chosen[0].rule == "R-21.2"

    done = await standard_to_final(client, pid)
    assert done["stage"] == "final_accepted" and done["final"]["led_by"] == "bdb"
    assert set(done["final"]["participants"]) >= {"unit", "ndrc"}
    assert done["missing"] == []
    # window 12–24 months from the final acceptance date
    assert done["warranty_ends_on"] == "2027-05-10"  # the filed 3 years, not the 2-year minimum
    assert done["self_evaluation"]["opens_on"] == "2025-05-10"
    assert done["self_evaluation"]["closes_on"] == "2026-05-10"
    types = [e.type for e in await harness.events(subject=pid)]
    for t in (
        "PreliminaryAccepted",
        "TrialOperationStarted",
        "FinalAcceptanceApplied",
        "FinalAccepted",
        "ArchivesAccepted",
        "SecurityAssessed",
    ):
        assert t in types
    fa = (await harness.events("FinalAccepted", subject=pid))[0].data
    assert fa["org"] == ORG and fa["title"] == "智慧城管平台" and fa["accepted_on"] == "2024-05-10"
    assert fa["warranty_ends_on"] == "2027-05-10" and fa["self_evaluation_opens_on"] == "2025-05-10"
    assert fa["self_evaluation_closes_on"] == "2026-05-10" and fa["path"] == "standard"


async def test_merged_path_skips_preliminary_and_the_unit_leads(client, harness, approve):
    pid = await approve(approved_investment="1999999.99")  # just below the threshold
    view = await ok(await client.get(f"/projects/{pid}", headers=UNIT))
    assert (view["path"], view["final_led_by"], view["path_rule"]) == ("merged", "unit", "R-21.3")
    await prerequisites(client, pid)
    t = await ok(await trial(client, pid))  # straight from construction: preliminary merged into final
    assert t["stage"] == "trial_operation" and t["preliminary"]["merged_into_final"] is True
    # no application to bdb on this path
    r = await apply_final(client, pid)
    assert r.status_code == 409 and r.json()["rule"] == "R-21.3"
    # bdb does not lead it
    r = await final(client, pid, headers=BDB)
    assert r.status_code == 403 and r.json()["rule"] == "R-21.3"
    done = await ok(await final(client, pid, headers=UNIT))
    assert done["stage"] == "final_accepted" and done["final"]["led_by"] == "unit"
    assert set(done["final"]["participants"]) >= {"bdb", "ndrc"}
    ev = (await harness.events("TrialOperationStarted", subject=pid))[0].data
    assert ev["preliminary_merged"] is True


async def test_merged_path_may_also_keep_a_separate_preliminary(client, approve):
    pid = await approve(approved_investment="800000.00")
    await prerequisites(client, pid)
    await ok(await preliminary(client, pid))
    await ok(await trial(client, pid))
    done = await ok(await final(client, pid, headers=UNIT))
    assert done["stage"] == "final_accepted" and done["preliminary"]["merged_into_final"] is False


async def test_merged_final_needs_bdb_and_ndrc_taking_part(client, approve):
    pid = await approve(approved_investment="800000.00")
    await prerequisites(client, pid)
    await ok(await trial(client, pid))
    r = await final(client, pid, headers=UNIT, participants=["bdb"])
    assert r.status_code == 409 and r.json()["rule"] == "R-21.3"
    assert any("市发改委" in v["message"] for v in r.json()["violations"])


async def test_classified_path_the_unit_organises_everything(client, harness, approve):
    pid = await approve(classified=True, built_by_big_data_group=True, approved_investment="5000000.00")
    view = await ok(await client.get(f"/projects/{pid}", headers=UNIT))
    assert (view["path"], view["final_led_by"]) == ("classified", "unit")
    assert any(m["rule"] == "R-23.1" for m in view["missing"])
    await prerequisites(client, pid)
    await ok(await preliminary(client, pid))
    # no (trial) operation before a passed secrecy review with a named operator
    r = await trial(client, pid)
    assert r.status_code == 409 and r.json()["rule"] == "R-23.1"
    await secrecy_review(client, pid)
    await ok(await trial(client, pid))
    r = await apply_final(client, pid)
    assert r.status_code == 409 and r.json()["rule"] == "R-21.2"
    r = await final(client, pid, headers=BDB)
    assert r.status_code == 403 and r.json()["rule"] == "R-21.2"
    done = await ok(await final(client, pid, headers=UNIT))
    assert done["stage"] == "final_accepted" and done["final"]["led_by"] == "unit"
    assert (await harness.events("SecrecyReviewed", subject=pid))[0].data["operator"] == "信息中心运维科"


async def test_on_behalf_path_commissioning_unit_leads_an_expert_acceptance(client, harness, approve):
    from ..support import BIG_DATA_GROUP

    pid = await approve(built_by_big_data_group=True, approved_investment="1000000.00")  # 代建 beats merged
    view = await ok(await client.get(f"/projects/{pid}", headers=UNIT))
    assert (view["path"], view["final_led_by"], view["path_rule"]) == ("on_behalf", "unit", "R-21.4")
    await prerequisites(client, pid)
    r = await preliminary(client, pid, headers=BIG_DATA_GROUP)  # the builder does not accept its own work
    assert r.status_code == 403 and r.json()["rule"] == "R-21.4"
    await ok(await preliminary(client, pid))
    r = await trial(client, pid, starts="2024-02-01")  # before the preliminary acceptance
    assert r.status_code == 409 and r.json()["rule"] == "R-21.1"
    await ok(await trial(client, pid))
    r = await apply_final(client, pid)
    assert r.status_code == 409 and r.json()["rule"] == "R-21.4"
    r = await final(client, pid, headers=UNIT)  # no experts named
    assert r.status_code == 409 and r.json()["rule"] == "R-21.4"
    r = await final(client, pid, headers=UNIT, experts=["张教授"], participants=["ndrc"])  # bdb absent
    assert r.status_code == 409 and r.json()["rule"] == "R-21.4"
    done = await ok(await final(client, pid, headers=UNIT, experts=["张教授", "李高工"]))
    assert done["final"]["led_by"] == "unit" and done["final"]["experts"] == ["张教授", "李高工"]
    assert set(done["final"]["participants"]) == {"bdb", "ndrc"}
    assert (await harness.events("FinalAccepted", subject=pid))[0].data["path"] == "on_behalf"


async def test_path_is_chosen_once(client, harness):
    event = approved_event()
    cloud = make_event(event)
    assert await harness.deliver(cloud)
    assert not await harness.deliver(cloud)  # the same event again: the inbox drops it
    again = approved_event(project_id=event.project_id, approved_investment="100.00")
    assert await harness.deliver(again)  # a new event for the same project changes nothing
    assert len(await harness.events("AcceptancePathChosen", subject=str(event.project_id))) == 1
    view = await ok(await client.get(f"/projects/{event.project_id}", headers=UNIT))
    assert view["path"] == "standard"


async def test_suspension_arriving_before_approval_is_kept(client, harness):
    event = approved_event()
    assert await harness.deliver(ProjectSuspended(project_id=event.project_id, reason="整改逾期"))
    assert (await client.get(f"/projects/{event.project_id}", headers=UNIT)).status_code == 404
    assert await harness.deliver(event)
    view = await ok(await client.get(f"/projects/{event.project_id}", headers=UNIT))
    assert view["status"] == "suspended" and view["missing"][0]["rule"] == "R-30.2"
