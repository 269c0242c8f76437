"""R-4.2 the annual funding plan and R-5.1 funding requests, and the payment gate on top of them."""

from datetime import date
from decimal import Decimal

from govkit import clock
from govkit.dev.testing import auth

from .helpers import (
    BDB,
    FIN,
    FUNDED,
    OTHER,
    UNIT,
    AdjustmentFiled,
    approved,
    contract,
    decide,
    fund,
    new_id,
    pay,
    plan_line,
    request_funds,
    review_started,
)

YEAR = clock.today().year


async def _approved_with_contract(
    harness, client, amount="1000.00", contract_amount=None, no="HT-001"
) -> tuple[str, str]:
    pid = new_id()
    await review_started(harness, pid, amount)
    await approved(harness, pid, amount)
    c = await contract(client, pid, contract_amount or amount, no=no)
    assert c.status_code == 201, c.text
    return pid, c.json()["id"]


# -- the plan ------------------------------------------------------------------------------
async def test_r4_2_plan_is_compiled_and_every_amendment_kept_as_a_version(harness, client):
    a, _ = await _approved_with_contract(harness, client)
    b, _ = await _approved_with_contract(harness, client, "2000.00")
    r = await client.put(
        f"/funding-plans/{YEAR}",
        headers=BDB,
        json={"lines": [{"project_id": a, "amount": "600.00"}, {"project_id": b, "amount": "0.00"}]},
    )
    assert r.status_code == 200, r.text
    assert r.json()["version"] == 1 and r.json()["total"] == "600.00" and r.headers["ETag"] == '"1"'
    assert r.json()["rule"] == "R-4.2" and r.json()["article"] == "第四条"
    # the same lines again change nothing
    r = await client.put(
        f"/funding-plans/{YEAR}",
        headers=FIN,
        json={"lines": [{"project_id": a, "amount": "600.00"}, {"project_id": b, "amount": "0.00"}]},
    )
    assert r.json()["version"] == 1
    # an amendment needs its reason and the version read
    body = {"lines": [{"project_id": a, "amount": "800.00"}]}
    r = await client.put(f"/funding-plans/{YEAR}", headers=FIN, json=body)
    assert r.status_code == 409 and r.json()["rule"] == "R-4.2" and r.json()["violations"][0]["field"] == "reason"
    r = await client.put(
        f"/funding-plans/{YEAR}", headers={**FIN, "If-Match": '"7"'}, json={**body, "reason": "进度加快"}
    )
    assert r.status_code == 412
    r = await client.put(
        f"/funding-plans/{YEAR}", headers={**FIN, "If-Match": '"1"'}, json={**body, "reason": "进度加快"}
    )
    assert r.status_code == 200 and r.json()["version"] == 2
    assert [(x["project_id"], x["amount"]) for x in r.json()["lines"]] == [(a, "800.00")]
    # one line, the others kept
    r = await plan_line(client, b, "100.00")
    assert r.status_code == 200 and r.json()["version"] == 3 and r.json()["total"] == "900.00"
    versions = (await client.get(f"/funding-plans/{YEAR}/versions", headers=BDB, params={"limit": 2})).json()
    assert [v["version"] for v in versions["items"]] == [1, 2] and versions["next_cursor"]
    rest = (
        await client.get(f"/funding-plans/{YEAR}/versions", headers=BDB, params={"cursor": versions["next_cursor"]})
    ).json()
    assert [v["version"] for v in rest["items"]] == [3] and rest["next_cursor"] is None
    v2 = (await client.get(f"/funding-plans/{YEAR}/versions/2", headers=FIN)).json()
    assert v2["reason"] == "进度加快" and v2["lines"] == [{"project_id": a, "amount": "800.00"}]
    assert {(c["project_id"], c["before"], c["after"]) for c in v2["changes"]} == {
        (a, "600.00", "800.00"),
        (b, "0.00", None),
    }
    # version 1 is still as it was
    v1 = (await client.get(f"/funding-plans/{YEAR}/versions/1", headers=FIN)).json()
    assert {(x["project_id"], x["amount"]) for x in v1["lines"]} == {(a, "600.00"), (b, "0.00")}
    assert (await client.get(f"/funding-plans/{YEAR}/versions/9", headers=FIN)).status_code == 404
    amended = await harness.events("FundingPlanAmended")
    assert [e.data["version"] for e in amended] == [1, 2, 3] and all(e.rule == "R-4.2" for e in amended)
    changed = await harness.events("FundingPlanLineChanged")
    assert sorted((e.data["version"], e.subject, e.data["amount"], e.data["removed"]) for e in changed) == sorted(
        [
            (1, a, "600.00", False),
            (1, b, "0.00", False),
            (2, a, "800.00", False),
            (2, b, "0.00", True),
            (3, b, "100.00", False),
        ]
    )


async def test_r4_2_who_compiles_and_who_sees(harness, client):
    a, _ = await _approved_with_contract(harness, client)
    other = new_id()
    await review_started(harness, other, "1000.00", org=OTHER)
    await approved(harness, other, "1000.00", org=OTHER)
    body = {"lines": [{"project_id": a, "amount": "10.00"}, {"project_id": other, "amount": "20.00"}]}
    for role in ("unit", "approval_bureau", "leading_group"):
        r = await client.put(f"/funding-plans/{YEAR}", headers=auth(role, ORG_OF.get(role, "X")), json=body)
        assert r.status_code == 403 and r.json()["rule"] == "R-4.2", role
    assert (await client.put(f"/funding-plans/{YEAR}", headers=BDB, json=body)).status_code == 200
    mine = (await client.get(f"/funding-plans/{YEAR}", headers=UNIT)).json()
    assert [x["project_id"] for x in mine["lines"]] == [a]
    assert len((await client.get(f"/funding-plans/{YEAR}", headers=FIN)).json()["lines"]) == 2
    assert (await client.get(f"/funding-plans/{YEAR}/versions", headers=UNIT)).status_code == 403
    assert (await client.get(f"/funding-plans/{YEAR + 1}", headers=FIN)).status_code == 404


ORG_OF = {"unit": "ORG-A"}


async def test_r4_2_lines_that_cannot_stand_are_all_listed(harness, client):
    a, cid = await _approved_with_contract(harness, client, "1000.00")
    unknown = new_id()
    pending = new_id()
    await review_started(harness, pending, "1000.00")
    # beyond the approved investment: exactly it passes, one fen more does not (our reading)
    r = await client.put(
        f"/funding-plans/{YEAR}",
        headers=BDB,
        json={
            "lines": [
                {"project_id": a, "amount": "1000.01"},
                {"project_id": unknown, "amount": "1.00"},
                {"project_id": pending, "amount": "1.00"},
            ]
        },
    )
    assert r.status_code == 409 and r.json()["rule"] == "R-4.2"
    v = r.json()["violations"]
    assert {x["project_id"] for x in v} == {a, unknown, pending}
    assert next(x for x in v if x["project_id"] == a)["basis"] == "practice"
    assert await harness.events("FundingPlanAmended") == []
    assert (await plan_line(client, a, "1000.00")).status_code == 200
    # a line never falls below what was paid that year
    await fund(client, a, "400.00", cid, plan="1000.00")
    assert (await pay(client, a, "400.00")).status_code == 201
    r = await plan_line(client, a, "399.99")
    assert r.status_code == 409 and r.json()["violations"][0]["paid_in_year"] == "400.00"
    assert (await plan_line(client, a, "400.00")).status_code == 200
    r = await client.put(f"/funding-plans/{YEAR}", headers=BDB, json={"lines": [], "reason": "删除"})
    assert r.status_code == 409 and r.json()["rule"] == "R-4.2"
    # bad input
    r = await client.put(
        f"/funding-plans/{YEAR}",
        headers=BDB,
        json={"lines": [{"project_id": a, "amount": "1.00"}, {"project_id": a, "amount": "2.00"}], "reason": "x"},
    )
    assert r.status_code == 422 and r.json()["violations"][0]["field"] == "lines"
    r = await client.put(f"/funding-plans/{YEAR}", headers=BDB, json={"lines": [{"project_id": a, "amount": 1.5}]})
    assert r.status_code == 422
    assert (await client.put("/funding-plans/1999", headers=BDB, json={"lines": []})).status_code == 422


async def test_r4_2_payment_exactly_at_the_plan_line_and_one_fen_beyond(harness, client):
    pid, cid = await _approved_with_contract(harness, client, "1000.00")
    await fund(client, pid, "600.00", cid, plan="600.00")
    # the plan is amended down after the request was confirmed: the line decides
    assert (await plan_line(client, pid, "500.00")).status_code == 200
    r = await pay(client, pid, "500.01")
    assert r.status_code == 409 and r.json()["rule"] == "R-4.2" and r.json()["article"] == "第四条"
    [v] = r.json()["violations"]
    assert v["excess"] == "0.01" and v["provided_by"]["role"] == "bdb" and v["document"] == "funding_plan_line"
    assert (await pay(client, pid, "500.00")).status_code == 201
    r = await pay(client, pid, "0.01")
    assert r.status_code == 409 and [x["rule"] for x in r.json()["violations"]] == ["R-4.2"]
    view = (await client.get(f"/projects/{pid}", headers=UNIT)).json()
    assert view["funding"]["plan_line"] == "500.00" and view["funding"]["plan_available"] == "0.00"
    assert [m["document"] for m in view["missing"]] == ["funding_plan_line"]
    # another year's line does not help this year
    r = await plan_line(client, pid, "100.00", year=YEAR + 1)
    assert r.status_code == 200
    assert (await pay(client, pid, "0.01")).status_code == 409


async def test_r4_2_payment_without_a_plan_line_is_refused(harness, client):
    pid, cid = await _approved_with_contract(harness, client, "1000.00")
    rid = await fund(client, pid, "100.00", cid, year=YEAR - 1)  # planned and confirmed for last year
    r = await pay(client, pid, "100.00", request_id=rid)
    assert r.status_code == 409 and r.json()["rule"] == "R-4.2"
    assert "未列入" in r.json()["violations"][0]["message"]


# -- requests ------------------------------------------------------------------------------
async def test_r5_1_a_payment_names_a_confirmed_request(harness, client):
    pid, cid = await _approved_with_contract(harness, client, "1000.00")
    assert (await plan_line(client, pid, "1000.00")).status_code == 200
    r = await request_funds(client, pid, "300.00", cid)
    assert r.status_code == 201, r.text
    req = r.json()
    assert req["status"] == "submitted" and req["contract_no"] == "HT-001" and req["year"] == YEAR
    assert req["evidence"] == [{"kind": "invoice", "ref": "FP-0001", "document_id": None}]
    assert req["rule"] == "R-5.1" and req["article"] == "第五条"
    # no request named
    r = await pay(client, pid, "1.00", request_id=None)
    assert r.status_code == 409 and r.json()["rule"] == "R-5.1" and r.json()["article"] == "第五条"
    assert r.json()["violations"][0]["provided_by"]["role"] == "unit"
    # not yet confirmed: bdb is the one to act
    r = await pay(client, pid, "1.00", request_id=req["id"])
    assert r.status_code == 409 and r.json()["rule"] == "R-5.1"
    assert r.json()["violations"][0]["provided_by"]["role"] == "bdb"
    view = (await client.get(f"/projects/{pid}", headers=UNIT)).json()
    assert [(m["document"], m["provided_by"]["role"]) for m in view["missing"]] == [("funding_request", "bdb")]
    todo = (await client.get("/funding-requests", headers=BDB, params={"status": "submitted"})).json()["items"]
    assert [i["id"] for i in todo] == [req["id"]]
    # unit and finance cannot confirm
    assert (await decide(client, req["id"], headers=UNIT)).status_code == 403
    assert (await decide(client, req["id"], headers=FIN)).status_code == 403
    r = await decide(client, req["id"])
    assert r.status_code == 200 and r.json()["status"] == "confirmed" and r.json()["decided_by"]
    assert (await decide(client, req["id"])).status_code == 409
    # exactly the request's amount is consumed, one fen more is refused
    r = await pay(client, pid, "300.01", request_id=req["id"])
    assert r.status_code == 409 and [v["rule"] for v in r.json()["violations"]] == ["R-5.1"]
    assert r.json()["violations"][0]["request_remaining"] == "300.00"
    r = await pay(client, pid, "200.00", request_id=req["id"])
    assert r.status_code == 201 and r.json()["request_id"] == req["id"] and r.json()["contract_id"] == cid
    assert (await pay(client, pid, "100.00", request_id=req["id"])).status_code == 201
    got = (await client.get(f"/funding-requests/{req['id']}", headers=UNIT)).json()
    assert got["status"] == "paid" and got["paid"] == "300.00" and got["remaining"] == "0.00"
    r = await pay(client, pid, "0.01", request_id=req["id"])
    assert r.status_code == 409 and r.json()["rule"] == "R-5.1"
    assert [e.type for e in await harness.events(subject=pid) if e.type.startswith("FundingRequest")] == [
        "FundingRequested",
        "FundingRequestConfirmed",
        "FundingRequestFulfilled",
    ]
    ledger = (await client.get(f"/projects/{pid}/ledger", headers=UNIT)).json()
    assert {i["request_id"] for i in ledger["items"]} == {req["id"]}
    # another project's request is no request of this one
    other, other_cid = await _approved_with_contract(harness, client, "1000.00", no="HT-002")
    other_rid = await fund(client, other, "100.00", other_cid, plan="1000.00")
    r = await pay(client, pid, "1.00", request_id=other_rid)
    assert r.status_code == 409 and r.json()["rule"] == "R-5.1"


async def test_r5_1_filing_a_request(harness, client):
    pid, cid = await _approved_with_contract(harness, client, "1000.00", contract_amount="500.00")
    # bad input names the field and writes nothing
    for body, field in (
        ({"amount": 1.5}, "amount"),
        ({"evidence": []}, "evidence"),
        ({"contract_id": "nope"}, "contract_id"),
        ({"purpose": ""}, "purpose"),
    ):
        full = {"amount": "1.00", "purpose": "进度款", "contract_id": cid, "evidence": "里程碑一完成", **body}
        r = await client.post(f"/projects/{pid}/funding-requests", headers=UNIT, json=full)
        assert r.status_code == 422 and r.json()["violations"][0]["field"].startswith(field), (field, r.text)
    r = await request_funds(client, pid, "1.00", new_id())
    assert r.status_code == 422 and r.json()["violations"][0]["field"] == "contract_id"
    # text evidence is kept as one item
    r = await client.post(
        f"/projects/{pid}/funding-requests",
        headers=UNIT,
        json={"amount": "100.00", "purpose": "进度款", "contract_id": cid, "evidence": "第一阶段里程碑验收单"},
    )
    assert r.status_code == 201 and r.json()["evidence"][0]["ref"] == "第一阶段里程碑验收单"
    # the contract's open sum: 500.00 − 100.00 submitted → 400.00 exactly passes, 400.01 does not
    r = await request_funds(client, pid, "400.01", cid)
    assert r.status_code == 409 and r.json()["rule"] == "R-5.1" and r.json()["violations"][0]["basis"] == "practice"
    assert r.json()["violations"][0]["contract_open"] == "400.00"
    assert (await request_funds(client, pid, "400.00", cid)).status_code == 201
    # who files: the unit of the project only
    assert (await request_funds(client, pid, "1.00", cid, headers=BDB)).status_code == 403
    assert (await request_funds(client, pid, "1.00", cid, headers=auth("unit", OTHER))).status_code == 404
    assert len(await harness.events("FundingRequested")) == 2
    # lists: the project's, the unit's, another unit's
    mine = (await client.get(f"/projects/{pid}/funding-requests", headers=UNIT, params={"limit": 1})).json()
    assert len(mine["items"]) == 1 and mine["next_cursor"]
    rest = (
        await client.get(f"/projects/{pid}/funding-requests", headers=UNIT, params={"cursor": mine["next_cursor"]})
    ).json()
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None
    assert (await client.get("/funding-requests", headers=auth("unit", OTHER))).json()["items"] == []
    assert (await client.get(f"/projects/{pid}/funding-requests", headers=auth("unit", OTHER))).status_code == 404
    rid = mine["items"][0]["id"]
    assert (await client.get(f"/funding-requests/{rid}", headers=auth("unit", OTHER))).status_code == 404
    assert (await client.get(f"/funding-requests/{new_id()}", headers=BDB)).status_code == 404
    # a project not approved yet
    pending = new_id()
    await review_started(harness, pending, "1000.00")
    r = await request_funds(client, pending, "1.00", cid)
    assert r.status_code == 409 and r.json()["rule"] == "R-5.1"


async def test_r5_1_idempotent_filing(harness, client):
    pid, cid = await _approved_with_contract(harness, client, "1000.00")
    body = {
        "amount": "10.00",
        "purpose": "进度款",
        "contract_id": cid,
        "evidence": [{"kind": "milestone", "ref": "M1"}],
    }
    headers = {**UNIT, "Idempotency-Key": "req-1"}
    first = await client.post(f"/projects/{pid}/funding-requests", headers=headers, json=body)
    again = await client.post(f"/projects/{pid}/funding-requests", headers=headers, json=body)
    assert first.status_code == again.status_code == 201 and first.json()["id"] == again.json()["id"]
    assert len(await harness.events("FundingRequested")) == 1


async def test_r5_1_confirmation_is_against_the_plan(harness, client):
    pid, cid = await _approved_with_contract(harness, client, "1000.00")
    assert (await plan_line(client, pid, "300.00")).status_code == 200
    first = (await request_funds(client, pid, "200.00", cid)).json()["id"]
    second = (await request_funds(client, pid, "100.01", cid)).json()["id"]
    assert (await decide(client, first)).status_code == 200
    # 300.00 − 200.00 confirmed → 100.00 left: 100.01 is refused, and stays submitted
    r = await decide(client, second)
    assert r.status_code == 409 and r.json()["rule"] == "R-4.2"
    assert r.json()["violations"][0]["available_in_plan"] == "100.00"
    assert (await client.get(f"/funding-requests/{second}", headers=BDB)).json()["status"] == "submitted"
    # returning needs an opinion
    r = await client.post(f"/funding-requests/{second}/decision", headers=BDB, json={"decision": "return"})
    assert r.status_code == 422 and r.json()["violations"][0]["field"] == "opinion"
    r = await decide(client, second, "return", "请按资金计划调整申请金额")
    assert r.status_code == 200 and r.json()["status"] == "returned" and r.json()["opinion"]
    assert (await decide(client, second)).status_code == 409
    r = await pay(client, pid, "1.00", request_id=second)
    assert r.status_code == 409 and r.json()["rule"] == "R-5.1"
    third = (await request_funds(client, pid, "100.00", cid)).json()["id"]
    assert (await decide(client, third)).status_code == 200
    ev = await harness.events("FundingRequestReturned")
    assert len(ev) == 1 and ev[0].data["opinion"] == "请按资金计划调整申请金额"
    assert (
        await client.post(f"/funding-requests/{new_id()}/decision", headers=BDB, json={"decision": "confirm"})
    ).status_code == 404


async def test_r5_1_requests_close_while_suspended(harness, client):
    from .helpers import ProjectSuspended

    pid, cid = await _approved_with_contract(harness, client, "1000.00")
    assert (await plan_line(client, pid, "300.00")).status_code == 200
    rid = (await request_funds(client, pid, "200.00", cid)).json()["id"]
    await harness.deliver(ProjectSuspended(project_id=pid, reason="逾期未整改"))
    r = await decide(client, rid)
    assert r.status_code == 409 and r.json()["rule"] == "R-30.2"
    r = await request_funds(client, pid, "1.00", cid)
    assert r.status_code == 409 and r.json()["rule"] == "R-30.2"


# -- on the highest amount ---------------------------------------------------------
async def test_r26_1_threshold_judged_on_the_approved_amount(harness, client):
    """Declared 499,999.99 but approved at 2,500,000.00 with no review: budget opens finance's review
    and says what is missing, why and who provides it — never a project nobody can make payable."""
    pid = new_id()
    await review_started(harness, pid, "499999.99")
    assert await harness.events("EstimateReviewOpened") == []
    await approved(harness, pid, "2500000.00", review_required=False)
    opened = await harness.events("EstimateReviewOpened")
    assert len(opened) == 1 and opened[0].data["estimated_investment"] == "2500000.00"
    view = (await client.get(f"/projects/{pid}", headers=UNIT)).json()
    first = view["missing"][0]
    assert first["document"] == "estimate_review_report" and first["amount_basis"] == "approved"
    assert first["amount"] == "2500000.00" and first["provided_by"]["role"] == "finance"
    assert "批复投资 2500000.00 元达到 500000.00 元（含）" in first["message"]
    r = await client.post(
        f"/projects/{pid}/estimate-review", headers=FIN, json={"report_no": "CZPS-88", "reviewed_amount": "2400000.00"}
    )
    assert r.status_code == 201, r.text
    view = (await client.get(f"/projects/{pid}", headers=UNIT)).json()
    assert "estimate_review_report" not in [m["document"] for m in view["missing"]]


async def test_r26_1_threshold_crossed_by_an_adjustment(harness, client):
    below, above = new_id(), new_id()
    for pid in (below, above):
        await review_started(harness, pid, "400000.00")
        await approved(harness, pid, "400000.00")
    await harness.deliver(
        AdjustmentFiled(
            project_id=below,
            outcome="self_adjusted",
            reason_kind="technical",
            amount_moved="0.00",
            new_total="499999.99",
            approved_total="499999.99",
        )
    )
    await harness.deliver(
        AdjustmentFiled(
            project_id=above,
            outcome="self_adjusted",
            reason_kind="technical",
            amount_moved="0.00",
            new_total="500000.00",
            approved_total="500000.00",
        )
    )
    assert [e.subject for e in await harness.events("EstimateReviewOpened")] == [above]
    docs = lambda v: [m["document"] for m in v["missing"]]  # noqa: E731
    assert "estimate_review_report" not in docs((await client.get(f"/projects/{below}", headers=UNIT)).json())
    assert "estimate_review_report" in docs((await client.get(f"/projects/{above}", headers=UNIT)).json())


async def test_projects_payable_when_all_present(harness, client):
    pid, cid = await _approved_with_contract(harness, client, "1000.00")
    view = (await client.get(f"/projects/{pid}", headers=UNIT)).json()
    assert view["payable"] is False
    await fund(client, pid, "100.00", cid, plan="1000.00")
    view = (await client.get(f"/projects/{pid}", headers=UNIT)).json()
    assert view["missing"] == [] and view["payable"] is True
    assert view["funding"] == {
        "year": YEAR,
        "plan_line": "1000.00",
        "paid_in_year": "0.00",
        "plan_available": "1000.00",
        "confirmed_available": "100.00",
        "submitted_requests": 0,
        "rules": ["R-4.2", "R-5.1"],
    }
    # as of another year the plan line is missing
    view = (
        await client.get(f"/projects/{pid}", headers=UNIT, params={"as_of": date(YEAR + 1, 1, 1).isoformat()})
    ).json()
    assert [m["document"] for m in view["missing"]] == ["funding_plan_line"]
    assert Decimal(view["funding"]["confirmed_available"]) == Decimal("100.00")
    assert FUNDED[pid]
