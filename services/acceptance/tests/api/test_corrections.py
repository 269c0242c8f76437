"""Issue 15: a typo must not freeze a project. The actor of a step corrects what it recorded (If-Match,
reason kept, an event emitted) while no later step rests on it; bdb reopens a step with a reason."""

from ..support import BDB, OTHER_UNIT, UNIT
from .helpers import apply_final, final, ok, preliminary, prerequisites, trial


async def _correct(client, pid, step, headers=UNIT, version=None, **body):
    if version is None:
        version = (await client.get(f"/projects/{pid}", headers=UNIT)).json()["version"]
    return await client.post(
        f"/projects/{pid}/steps/{step}/corrections", json=body, headers={**headers, "If-Match": f'"{version}"'}
    )


async def test_trial_operation_typo_corrected_before_a_later_step(client, harness, approve):
    pid = await approve()
    await prerequisites(client, pid)
    await ok(await preliminary(client, pid))
    await ok(await trial(client, pid, starts="2024-03-05", ends="2024-12-05"))  # meant April, typed December
    no_if_match = await client.post(
        f"/projects/{pid}/steps/trial_operation/corrections",
        json={"reason": "笔误", "ends_on": "2024-04-05"},
        headers=UNIT,
    )
    assert no_if_match.status_code == 428
    stale = await _correct(client, pid, "trial_operation", version=1, reason="笔误", ends_on="2024-04-05")
    assert stale.status_code == 412
    assert (
        await _correct(client, pid, "trial_operation", headers=BDB, reason="x", ends_on="2024-04-05")
    ).status_code == 403
    assert (
        await _correct(client, pid, "trial_operation", headers=OTHER_UNIT, reason="x", ends_on="2024-04-05")
    ).status_code == 404
    foreign = await _correct(client, pid, "trial_operation", reason="笔误", planned_on="2024-04-05")
    assert foreign.status_code == 422 and foreign.json()["violations"][0]["field"] == "planned_on"
    noreason = await _correct(client, pid, "trial_operation", ends_on="2024-04-05")
    assert noreason.status_code == 422
    backwards = await _correct(client, pid, "trial_operation", reason="笔误", ends_on="2024-03-04")
    assert backwards.status_code == 409 and backwards.json()["rule"] == "R-21.1"
    done = await ok(
        await _correct(client, pid, "trial_operation", reason="结束日期笔误，应为4月5日", ends_on="2024-04-05")
    )
    assert done["trial_operation"] == {"starts_on": "2024-03-05", "ends_on": "2024-04-05"}
    [ev] = await harness.events("AcceptanceStepCorrected", subject=pid)
    assert (
        ev.rule == "R-21.1"
        and ev.data["before"]["ends_on"] == "2024-12-05"
        and ev.data["after"]["ends_on"] == "2024-04-05"
    )
    assert ev.data["reason"].startswith("结束日期笔误")
    history = await ok(await client.get(f"/projects/{pid}/corrections", headers=BDB))
    assert [(h["step"], h["kind"]) for h in history["items"]] == [("trial_operation", "correction")]


async def test_later_step_rests_on_it_until_bdb_reopens(client, harness, approve):
    pid = await approve()
    await prerequisites(client, pid)
    await ok(await preliminary(client, pid))
    await ok(await trial(client, pid, starts="2024-03-05", ends="2024-04-05"))
    await ok(await apply_final(client, pid, planned="2024-05-10", applied="2024-04-25"))
    # the trial was entered to end in March 2025 instead of April 2024? here: correct the end after applying
    refused = await _correct(client, pid, "trial_operation", reason="笔误", ends_on="2024-04-01")
    assert refused.status_code == 409 and refused.json()["rule"] == "R-21.1"
    assert refused.json()["violations"][0]["later_steps"] == ["final_application"]
    assert (
        await client.post(f"/projects/{pid}/steps/trial_operation/reopen", json={"reason": "x"}, headers=UNIT)
    ).status_code == 403
    assert (await client.post(f"/projects/{pid}/steps/trial_operation/reopen", json={}, headers=BDB)).status_code == 422
    view = await ok(
        await client.post(
            f"/projects/{pid}/steps/trial_operation/reopen", json={"reason": "试运行结束日期录入错误"}, headers=BDB
        )
    )
    assert view["reopened_step"] == "trial_operation"
    # the correction must still fit the later step (final application on 2024-04-25)
    late = await _correct(client, pid, "trial_operation", reason="笔误", starts_on="2024-04-26", ends_on="2024-04-30")
    assert late.status_code == 409
    fixed = await ok(await _correct(client, pid, "trial_operation", reason="笔误", ends_on="2024-04-01"))
    assert fixed["reopened_step"] is None and fixed["trial_operation"]["ends_on"] == "2024-04-01"
    again = await _correct(client, pid, "trial_operation", reason="再改", ends_on="2024-04-02")
    assert again.status_code == 409  # one correction per reopening
    assert [e.data["reopened"] for e in await harness.events("AcceptanceStepCorrected", subject=pid)] == [True]
    assert len(await harness.events("AcceptanceStepReopened", subject=pid)) == 1
    done = await ok(await final(client, pid))
    assert done["stage"] == "final_accepted"
    # after final acceptance nothing is corrected or reopened
    r = await client.post(f"/projects/{pid}/steps/trial_operation/reopen", json={"reason": "x"}, headers=BDB)
    assert r.status_code == 409


async def test_preliminary_and_final_application_corrected_by_their_actor(client, approve):
    pid = await approve()
    await prerequisites(client, pid)
    await ok(await preliminary(client, pid, on="2024-03-01"))
    p = await ok(
        await _correct(
            client, pid, "preliminary", reason="日期笔误", accepted_on="2024-03-02", opinion="初验合格（更正）"
        )
    )
    assert p["preliminary"]["accepted_on"] == "2024-03-02" and p["preliminary"]["opinion"] == "初验合格（更正）"
    before_approval = await _correct(client, pid, "preliminary", reason="x", accepted_on="2024-01-09")
    assert before_approval.status_code == 409  # one day before the approval (2024-01-10)
    await ok(await _correct(client, pid, "preliminary", reason="x", accepted_on="2024-01-10"))  # the approval day
    await ok(await trial(client, pid))
    await ok(await apply_final(client, pid, planned="2024-05-10", applied="2024-04-25"))
    beyond = await _correct(client, pid, "final_application", reason="推迟", planned_on="2024-05-11")
    assert beyond.status_code == 409 and beyond.json()["rule"] == "R-21.5"  # the due date moves only by extension
    f = await ok(await _correct(client, pid, "final_application", reason="计划日期调整", planned_on="2024-05-09"))
    assert f["final_application"]["planned_on"] == "2024-05-09"
    same = await _correct(client, pid, "final_application", reason="x", planned_on="2024-05-09")
    assert same.status_code == 422
