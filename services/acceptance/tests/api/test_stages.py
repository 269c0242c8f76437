"""Order (R-21.1), actors (R-21.2 – R-21.4), suspension (R-30.2), visibility, versions."""

from govkit.dev.testing import auth
from govkit.events.oversight import ProjectResumed, ProjectSuspended, ProjectTerminated

from ..support import ARCHIVES, BDB, NDRC, OTHER_UNIT, UNIT
from .helpers import apply_final, final, ok, preliminary, prerequisites, trial


async def test_stages_out_of_order_are_refused_with_r21_1(client, harness, approve):
    pid = await approve()
    await prerequisites(client, pid)
    r = await trial(client, pid)  # standard: trial operation before preliminary acceptance
    assert r.status_code == 409 and r.json()["rule"] == "R-21.1" and r.json()["article"] == "第二十一条"
    r = await apply_final(client, pid)
    assert r.status_code == 409 and r.json()["rule"] == "R-21.1"
    r = await final(client, pid)
    assert r.status_code == 409 and r.json()["rule"] == "R-21.1"
    await ok(await preliminary(client, pid))
    r = await preliminary(client, pid)  # only once
    assert r.status_code == 409 and r.json()["rule"] == "R-21.1"
    await ok(await trial(client, pid))
    r = await final(client, pid)  # standard: final before the unit's application
    assert r.status_code == 409 and r.json()["rule"] == "R-21.1"
    await ok(await apply_final(client, pid))
    await ok(await final(client, pid))
    r = await final(client, pid)
    assert r.status_code == 409 and r.json()["rule"] == "R-21.1"
    # nothing was written by the refusals
    assert len(await harness.events("PreliminaryAccepted", subject=pid)) == 1
    assert len(await harness.events("FinalAccepted", subject=pid)) == 1


async def test_dates_keep_the_stages_order(client, approve):
    pid = await approve()
    await prerequisites(client, pid)
    r = await preliminary(client, pid, on="2024-01-09")  # before approval (2024-01-10)
    assert r.status_code == 409 and r.json()["rule"] == "R-21.1"
    await ok(await preliminary(client, pid, on="2024-01-10"))
    r = await trial(client, pid, starts="2024-01-09")
    assert r.status_code == 409 and r.json()["rule"] == "R-21.1"
    r = await trial(client, pid, starts="2024-02-01", ends="2024-01-31")
    assert r.status_code == 422
    await ok(await trial(client, pid, starts="2024-01-10", ends="2024-04-05"))
    await ok(await apply_final(client, pid, applied="2024-04-01", planned="2024-05-10"))
    r = await final(client, pid, on="2024-04-04")  # the trial operation has not ended
    assert r.status_code == 409 and r.json()["rule"] == "R-21.1"
    r = await final(client, pid, on="2999-01-01")  # a fact cannot be in the future
    assert r.status_code == 422 and r.json()["violations"][0]["field"] == "accepted_on"
    await ok(await final(client, pid, on="2024-04-05"))


async def test_wrong_actor_is_403_with_the_rule(client, approve):
    pid = await approve()
    await prerequisites(client, pid)
    r = await preliminary(client, pid, headers=BDB)
    assert r.status_code == 403 and r.json()["rule"] == "R-21.2"
    await ok(await preliminary(client, pid))
    r = await trial(client, pid, headers=NDRC)
    assert r.status_code == 403 and r.json()["rule"] == "R-21.2"
    await ok(await trial(client, pid))
    r = await apply_final(client, pid, headers=BDB)  # the unit applies
    assert r.status_code == 403 and r.json()["rule"] == "R-21.2"
    await ok(await apply_final(client, pid))
    r = await final(client, pid, headers=UNIT)  # bdb leads the standard final acceptance
    assert r.status_code == 403 and r.json()["rule"] == "R-21.2"
    r = await final(client, pid, headers=NDRC)  # ndrc takes part, does not lead
    assert r.status_code == 403 and r.json()["rule"] == "R-21.2"
    r = await final(client, pid, participants=["unit"])  # ndrc must take part
    assert r.status_code == 409 and r.json()["rule"] == "R-21.2"
    await ok(await final(client, pid, participants=["unit", "ndrc", "approval_bureau"]))


async def test_another_units_project_is_404(client, approve):
    pid = await approve(participant_orgs=["ORG-PARTNER"])
    assert (await client.get(f"/projects/{pid}", headers=OTHER_UNIT)).status_code == 404
    assert (await preliminary(client, pid, headers=OTHER_UNIT)).status_code == 404
    assert (await client.get(f"/projects/{pid}", headers=auth("unit", "ORG-PARTNER"))).status_code == 200
    assert (await client.get(f"/projects/{pid}", headers=BDB)).status_code == 200
    mine = await ok(await client.get("/projects", headers=auth("unit", "ORG-PARTNER")))
    assert [p["project_id"] for p in mine["items"]] == [pid]
    assert (await ok(await client.get("/projects", headers=OTHER_UNIT)))["items"] == []


async def test_unknown_project_is_404(client):
    assert (await client.get("/projects/00000000-0000-0000-0000-000000000000", headers=BDB)).status_code == 404


async def test_suspended_and_terminated_projects_do_not_move(client, harness, approve):
    pid = await approve()
    await prerequisites(client, pid)
    await harness.deliver(ProjectSuspended(project_id=pid, reason="整改逾期未完成"))
    r = await preliminary(client, pid)
    assert r.status_code == 409 and r.json()["rule"] == "R-30.2"
    r = await client.post(
        f"/projects/{pid}/archives-acceptance", headers=ARCHIVES, json={"report_no": "DA-2", "passed": True}
    )
    assert r.status_code == 409 and r.json()["rule"] == "R-30.2"
    view = await ok(await client.get(f"/projects/{pid}", headers=UNIT))
    assert view["status"] == "suspended" and view["next_steps"] == []
    await harness.deliver(ProjectResumed(project_id=pid, reason="已整改"))
    await ok(await preliminary(client, pid))
    await harness.deliver(ProjectTerminated(project_id=pid, reason="终止项目"))
    r = await trial(client, pid)
    assert r.status_code == 409 and r.json()["rule"] == "R-30.2"
    await harness.deliver(ProjectResumed(project_id=pid))  # termination is final
    r = await trial(client, pid)
    assert r.status_code == 409 and r.json()["rule"] == "R-30.2"


async def test_if_match_refuses_a_stale_version(client, approve):
    pid = await approve()
    view = await client.get(f"/projects/{pid}", headers=UNIT)
    version = view.json()["version"]
    assert view.headers["etag"] == f'"{version}"'
    r = await client.post(
        f"/projects/{pid}/preliminary",
        headers={**UNIT, "If-Match": f'"{version + 1}"'},
        json={"opinion": "初验合格", "accepted_on": "2024-03-01"},
    )
    assert r.status_code == 412
    r = await client.post(
        f"/projects/{pid}/preliminary",
        headers={**UNIT, "If-Match": f'"{version}"'},
        json={"opinion": "初验合格", "accepted_on": "2024-03-01"},
    )
    assert r.status_code == 200 and r.json()["version"] == version + 1


async def test_bad_input_names_the_field(client, approve):
    pid = await approve()
    r = await client.post(
        f"/projects/{pid}/security-assessments",
        headers=UNIT,
        json={"kind": "pentest", "report_no": "X", "passed": True},
    )
    assert r.status_code == 422 and r.json()["violations"][0]["field"] == "kind"


async def test_next_steps_follow_the_path(client, approve):
    merged = await approve(approved_investment="100000.00")
    view = await ok(await client.get(f"/projects/{merged}", headers=UNIT))
    assert {s["step"] for s in view["next_steps"]} == {"preliminary", "trial_operation"}
    standard = await approve()
    view = await ok(await client.get(f"/projects/{standard}", headers=UNIT))
    assert [s["step"] for s in view["next_steps"]] == ["preliminary"]


async def test_idempotency_key_replays_a_step(client, harness, approve):
    pid = await approve()
    headers = {**UNIT, "Idempotency-Key": "prelim-1"}
    body = {"opinion": "初验合格", "accepted_on": "2024-03-01"}
    first = await client.post(f"/projects/{pid}/preliminary", headers=headers, json=body)
    second = await client.post(f"/projects/{pid}/preliminary", headers=headers, json=body)
    assert first.status_code == second.status_code == 200 and first.json() == second.json()
    assert len(await harness.events("PreliminaryAccepted", subject=pid)) == 1


async def test_list_filters_by_path_and_stage(client, approve):
    merged = await approve(approved_investment="100000.00")
    await approve()
    items = (await ok(await client.get("/projects", headers=BDB, params={"path": "merged"})))["items"]
    assert [i["project_id"] for i in items] == [merged]
    assert len((await ok(await client.get("/projects", headers=BDB, params={"stage": "construction"})))["items"]) == 2
