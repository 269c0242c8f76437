"""R-24.1 self-evaluation window (edges), due/overdue lists, R-24.2 post-evaluation."""

import uuid
from datetime import timedelta

from govkit.clock import today
from govkit.dev.testing import auth

from ..support import BDB, ORG, OTHER_UNIT, THIRD_PARTY, UNIT
from .helpers import ok, standard_to_final

# final acceptance on 2024-05-10 → window 2025-05-10 … 2026-05-10


async def _self_eval(client, pid, on, rating="good"):
    return await client.post(
        f"/projects/{pid}/self-evaluations",
        headers=UNIT,
        json={"rating": rating, "report": "自评价报告", "submitted_on": on},
    )


async def test_self_evaluation_one_day_before_the_window_is_too_early(client, approve):
    pid = await approve()
    await standard_to_final(client, pid)
    r = await _self_eval(client, pid, "2025-05-09")
    assert r.status_code == 409 and r.json()["rule"] == "R-24.1" and r.json()["opens_on"] == "2025-05-10"


async def test_self_evaluation_on_the_day_12_months_after_is_accepted(client, harness, approve):
    pid = await approve()
    await standard_to_final(client, pid)
    body = await ok(await _self_eval(client, pid, "2025-05-10", rating="inefficient"), 201)
    assert body["late"] is False and body["rating"] == "inefficient"
    ev = (await harness.events("SelfEvaluationSubmitted", subject=pid))[0]
    assert ev.data["rating"] == "inefficient" and ev.data["submitted_on"] == "2025-05-10" and ev.rule == "R-24.1"
    r = await _self_eval(client, pid, "2025-06-01")  # only one
    assert r.status_code == 409
    view = await ok(await client.get(f"/projects/{pid}", headers=UNIT))
    assert view["self_evaluation"]["state"] == "submitted" and view["self_evaluation"]["rating"] == "inefficient"


async def test_self_evaluation_before_final_acceptance_is_refused(client, approve):
    pid = await approve()
    r = await _self_eval(client, pid, "2025-05-10")
    assert r.status_code == 409 and r.json()["rule"] == "R-24.1"


async def test_late_self_evaluation_is_recorded_as_late(client, harness, approve):
    pid = await approve()
    await standard_to_final(client, pid)
    body = await ok(await _self_eval(client, pid, "2026-05-11"), 201)
    assert body["late"] is True
    assert (await harness.events("SelfEvaluationSubmitted", subject=pid))[0].data["late"] is True


async def test_due_and_overdue_lists_for_any_as_of(client, approve):
    pid = await approve()
    await standard_to_final(client, pid)

    async def due(as_of, headers=BDB, **params):
        return (
            await ok(await client.get("/self-evaluations/due", headers=headers, params={"as_of": as_of, **params}))
        )["items"]

    assert await due("2025-05-09") == []  # not yet open
    [item] = await due("2025-05-10")
    assert item["project_id"] == pid and item["state"] == "due" and item["rule"] == "R-24.1"
    assert (await due("2026-05-10"))[0]["state"] == "due"  # last day of the window
    [late] = await due("2026-05-11")  # after 24 months: overdue
    assert late["state"] == "overdue" and late["days_overdue"] == 1
    assert await due("2026-05-10", state="overdue") == []
    assert len(await due("2026-05-11", state="overdue")) == 1
    assert await due("2026-05-11", headers=OTHER_UNIT) == []  # another unit does not see it
    assert len(await due("2026-05-11", headers=UNIT)) == 1
    await ok(await _self_eval(client, pid, "2026-05-11"), 201)
    assert await due("2026-06-01") == []  # submitted: off the list


async def test_due_list_paginates(client, approve):
    for _ in range(3):
        await standard_to_final(client, await approve())
    first = await ok(await client.get("/self-evaluations/due", headers=BDB, params={"as_of": "2025-06-01", "limit": 2}))
    assert len(first["items"]) == 2 and first["next_cursor"]
    second = await ok(
        await client.get(
            "/self-evaluations/due",
            headers=BDB,
            params={"as_of": "2025-06-01", "limit": 2, "cursor": first["next_cursor"]},
        )
    )
    assert len(second["items"]) == 1 and second["next_cursor"] is None
    ids = {i["project_id"] for i in first["items"] + second["items"]}
    assert len(ids) == 3


async def test_r24_2_only_the_commissioned_third_party_files(client, harness, approve):
    pid = await approve()
    due = (today() + timedelta(days=90)).isoformat()
    early = await client.post(
        f"/projects/{pid}/post-evaluation-commissions", headers=BDB, json={"org": "TP-CONSULT", "due_on": due}
    )
    assert early.status_code == 409 and early.json()["rule"] == "R-24.2"  # not yet accepted
    await standard_to_final(client, pid)
    # nobody commissioned yet: even a third party cannot file
    r = await client.post(
        f"/projects/{pid}/post-evaluations", headers=THIRD_PARTY, json={"rating": "good", "report": "后评价报告"}
    )
    assert r.status_code == 403 and r.json()["rule"] == "R-24.2" and r.json()["article"] == "第二十四条"
    assert (
        await client.post(
            f"/projects/{pid}/post-evaluation-commissions", headers=UNIT, json={"org": "TP-CONSULT", "due_on": due}
        )
    ).status_code == 403
    yesterday = (today() - timedelta(days=1)).isoformat()
    past = await client.post(
        f"/projects/{pid}/post-evaluation-commissions", headers=BDB, json={"org": "TP-CONSULT", "due_on": yesterday}
    )
    assert past.status_code == 409 and past.json()["rule"] == "R-24.2"
    c = await ok(
        await client.post(
            f"/projects/{pid}/post-evaluation-commissions", headers=BDB, json={"org": "TP-CONSULT", "due_on": due}
        ),
        201,
    )
    assert c["org"] == "TP-CONSULT" and c["status"] == "open"
    [ev] = await harness.events("PostEvaluationCommissioned", subject=pid)
    assert ev.data["evaluator_org"] == "TP-CONSULT" and ev.rule == "R-24.2"
    again = await client.post(
        f"/projects/{pid}/post-evaluation-commissions", headers=BDB, json={"org": "TP-OTHER", "due_on": due}
    )
    assert again.status_code == 409
    # another third party, the unit, bdb: refused
    for headers in (auth("third_party", "TP-OTHER"), UNIT, BDB):
        r = await client.post(
            f"/projects/{pid}/post-evaluations", headers=headers, json={"rating": "inefficient", "report": "x"}
        )
        assert r.status_code == 403, r.text
    assert await harness.events("PostEvaluationCompleted", subject=pid) == []
    body = await ok(
        await client.post(
            f"/projects/{pid}/post-evaluations",
            headers=THIRD_PARTY,
            json={"rating": "fair", "report": "后评价报告", "completed_on": "2025-09-01", "evaluator": "某咨询公司"},
        ),
        201,
    )
    assert body["evaluator"] == "某咨询公司"
    ev = (await harness.events("PostEvaluationCompleted", subject=pid))[0]
    assert ev.data["rating"] == "fair" and ev.rule == "R-24.2" and ev.data["commission_id"] == c["id"]
    listed = await ok(await client.get(f"/projects/{pid}/post-evaluation-commissions", headers=UNIT))
    assert [(i["status"], i["state"]) for i in listed["items"]] == [("filed", "filed")]
    r = await client.post(
        f"/projects/{pid}/post-evaluations", headers=THIRD_PARTY, json={"rating": "good", "report": "x"}
    )
    assert r.status_code == 403  # the commission is used up


async def test_r28_2_opinions_on_evaluation_results_answered_by_the_unit(client, harness, approve):
    pid = await approve()
    await standard_to_final(client, pid)
    ev = await ok(await _self_eval(client, pid, "2025-06-01", rating="inefficient"), 201)
    body = {"opinion": "运行低效，请优化系统功能并提高使用率"}
    assert (await client.post(f"/evaluations/{ev['id']}/opinions", json=body, headers=UNIT)).status_code == 403
    assert (await client.post(f"/evaluations/{ev['id']}/opinions", json=body, headers=auth("cac"))).status_code == 403
    opinions = []
    for role in ("bdb", "finance", "approval_bureau", "competent_dept"):
        o = await ok(await client.post(f"/evaluations/{ev['id']}/opinions", json=body, headers=auth(role, "X")), 201)
        assert o["by_role"] == role and o["status"] == "open" and o["rule"] == "R-28.2"
        opinions.append(o)
    assert len(await harness.events("EvaluationOpinionGiven", subject=pid)) == 4
    # the reviewers see the unit's ratings and open opinions beside its new declarations
    summary = await ok(await client.get(f"/orgs/{ORG}/evaluation-summary", headers=BDB))
    assert [(r["rating"], r["kind"]) for r in summary["ratings"]] == [("inefficient", "self")]
    assert len(summary["open_opinions"]) == 4 and {f["rule"] for f in summary["flags"]} == {"R-28.1", "R-28.2"}
    assert (await client.get(f"/orgs/{ORG}/evaluation-summary", headers=OTHER_UNIT)).status_code == 404
    assert (await client.get(f"/orgs/{ORG}/evaluation-summary", headers=UNIT)).status_code == 200
    assert len((await ok(await client.get("/clocks", headers=UNIT)))["items"]) == 4
    # the unit answers each, once; another unit cannot
    assert (
        await client.post(f"/evaluation-opinions/{opinions[0]['id']}/answer", json={"answer": "x"}, headers=OTHER_UNIT)
    ).status_code == 404
    a = await ok(
        await client.post(
            f"/evaluation-opinions/{opinions[0]['id']}/answer", json={"answer": "已制定优化方案"}, headers=UNIT
        )
    )
    assert a["status"] == "answered" and a["answer"] == "已制定优化方案"
    again = await client.post(f"/evaluation-opinions/{opinions[0]['id']}/answer", json={"answer": "x"}, headers=UNIT)
    assert again.status_code == 409 and again.json()["rule"] == "R-28.2"
    summary = await ok(await client.get(f"/orgs/{ORG}/evaluation-summary", headers=BDB))
    assert len(summary["open_opinions"]) == 3 and summary["answered_opinions"] == 1
    listed = await ok(await client.get(f"/projects/{pid}/evaluation-opinions", headers=UNIT))
    assert [o["status"] for o in listed["items"]] == ["answered", "open", "open", "open"]
    assert len((await ok(await client.get("/clocks", headers=UNIT)))["items"]) == 3
    missing = await client.post(f"/evaluations/{uuid.uuid4()}/opinions", json=body, headers=BDB)
    assert missing.status_code == 404
