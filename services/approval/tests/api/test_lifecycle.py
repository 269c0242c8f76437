"""Suspension (R-30.2), adjustments (R-20.1, X-20.1), the registry and catalogs, FinalAccepted."""

import uuid
from datetime import date

from govkit.dev.testing import auth, make_event
from govkit.events.acceptance import FinalAccepted
from govkit.events.oversight import ProjectResumed, ProjectSuspended, ProjectTerminated
from tests.conftest import UNIT_ORG

BDB = auth("bdb", "BDB")
UNIT = auth("unit", UNIT_ORG)


async def test_r30_2_suspended_project_cannot_move_forward(flow, client, harness):
    pid = await flow.under_review("100000.00")
    await harness.deliver(ProjectSuspended(project_id=uuid.UUID(pid), reason="逾期未整改"))
    r = await client.post(
        f"/applications/{pid}/expert-reviews",
        json={"expert": "张", "score": 80, "opinion": "x"},
        headers=auth("expert"),
    )
    assert r.status_code == 409 and r.json()["rule"] == "R-30.2" and r.json()["article"] == "第三十条"
    assert (await client.get(f"/applications/{pid}", headers=BDB)).json()["blocked"] == "suspended"
    await harness.deliver(ProjectResumed(project_id=uuid.UUID(pid)))
    await flow.reviews(pid)
    assert (await flow.tech(pid)).status_code == 200
    await harness.deliver(ProjectTerminated(project_id=uuid.UUID(pid), reason="终止"))
    r = await flow.doc(pid)
    assert r.status_code == 409 and r.json()["rule"] == "R-30.2"
    await harness.deliver(ProjectResumed(project_id=uuid.UUID(pid)))  # termination is final
    assert (await flow.doc(pid)).status_code == 409


async def test_r30_2_estimate_review_while_suspended_approves_only_after_resume(flow, client, harness):
    pid = await flow.under_review("600000.00")
    await flow.reviews(pid)
    await flow.tech(pid)
    await harness.deliver(ProjectSuspended(project_id=uuid.UUID(pid), reason="x"))
    await flow.estimate(pid, "590000.00")
    assert (await flow.doc(pid)).json()["rule"] == "R-30.2"
    await harness.deliver(ProjectResumed(project_id=uuid.UUID(pid)))
    r = await flow.doc(pid)
    assert r.json()["status"] == "approved" and r.json()["approved_investment"] == "590000.00"


async def test_redelivered_events_change_nothing(flow, harness):
    pid = await flow.admit()
    ev = make_event(ProjectSuspended(project_id=uuid.UUID(pid), reason="x"))
    assert await harness.deliver(ev) is True
    assert await harness.deliver(ev) is False


async def test_events_before_the_admission_are_held_and_applied_in_order_after_it(flow, client, harness):
    """Oversight's suspension and finance's estimate review reach approval before the admission that
    opens the application (another service's event, delivered late): both are held, none is
    dead-lettered, and once the admission is applied they take effect in their order."""
    from decimal import Decimal

    from sqlalchemy import select

    from govkit.events.budget import EstimateReviewed
    from govkit.kernel_models import InboxEvent, ParkedEvent

    pid = uuid.uuid4()
    review = make_event(EstimateReviewed(project_id=pid, report_no="CZ-PS-9", reviewed_amount=Decimal("90000.00")))
    suspended = make_event(ProjectSuspended(project_id=pid, reason="逾期未整改"))
    assert await harness.deliver(review) is False
    assert await harness.deliver(suspended) is False
    async with harness.sessionmaker() as s:
        assert set((await s.scalars(select(ParkedEvent.event_id))).all()) == {review.id, suspended.id}
        assert (await s.scalars(select(InboxEvent.event_id))).all() == []  # neither applied nor dead-lettered

    await flow.admit("100000.00", pid=pid)
    got = (await client.get(f"/applications/{pid}", headers=BDB)).json()
    assert got["blocked"] == "suspended"
    assert got["estimate_review"] == {"report_no": "CZ-PS-9", "reviewed_amount": "90000.00"}
    async with harness.sessionmaker() as s:
        assert (await s.scalars(select(ParkedEvent.event_id))).all() == []
        statuses = dict((await s.execute(select(InboxEvent.event_id, InboxEvent.status))).all())
    assert statuses[review.id] == "done" and statuses[suspended.id] == "done"


def _items(*amounts):
    return [{"name": f"内容{i + 1}", "amount": a} for i, a in enumerate(amounts)]


async def _adjust(client, pid, before, after, reason="technical", goals=False, headers=UNIT):
    """`before`/`after`: amounts of 内容1, 内容2, … (R-20.1: the system computes what moved)."""
    return await client.post(
        f"/applications/{pid}/adjustments",
        headers=headers,
        json={
            "reason_kind": reason,
            "goals_changed": goals,
            "description": "调整",
            "items_before": _items(*before),
            "items_after": _items(*after),
        },
    )


START = ("600000.00", "400000.00")  # the approved 1,000,000 in two contents


async def test_r20_1_exactly_fifteen_percent_self_adjusts(flow, client, harness):
    pid = await flow.approved("1000000.00")
    r = await _adjust(client, pid, START, ("450000.00", "540000.00"))  # −150,000 / +140,000
    assert r.status_code == 201 and r.json()["outcome"] == "self_adjusted", r.text
    body = r.json()
    assert body["amount_moved"] == "150000.00" and body["new_total"] == "990000.00"
    assert body["approved_total"] == "990000.00" and body["filed_with"] == ["bdb", "approval_bureau"]
    assert body["reapproval_required"] is None
    assert body["computation"]["increased"] == "140000.00" and body["computation"]["decreased"] == "150000.00"
    assert body["computation"]["basis"] == "practice" and body["counted_from"]["rule"] == "X-20.1"
    [ev] = await harness.events("AdjustmentFiled", pid)
    assert ev.data["approved_total"] == "990000.00" and ev.data["outcome"] == "self_adjusted"
    app = (await client.get(f"/applications/{pid}", headers=BDB)).json()
    assert app["approved_investment"] == "990000.00" and app["original_approved_investment"] == "1000000.00"


async def test_r20_1_fifteen_percent_plus_a_cent_needs_reapproval(flow, client, harness):
    pid = await flow.approved("1000000.00")
    r = await _adjust(client, pid, START, ("449999.99", "550000.01"))
    assert r.status_code == 201 and r.json()["outcome"] == "reapproval_required"
    assert r.json()["amount_moved"] == "150000.01"
    assert [v["rule"] for v in r.json()["violations"]] == ["R-20.1"]
    assert r.json()["reapproval_required"]
    [ev] = await harness.events("AdjustmentFiled", pid)
    assert ev.data["approved_total"] == "1000000.00" and ev.data["outcome"] == "reapproval_required"
    assert ev.data["reapproval_id"] == r.json()["reapproval_required"]


async def test_r20_1_a_cut_of_the_total_is_money_moved(flow, client, harness):
    """Issue 14: cutting 1,000,000 to 500,000 is not a self-adjustment of nothing moved."""
    pid = await flow.approved("1000000.00")
    r = await _adjust(client, pid, START, ("300000.00", "200000.00"))
    body = r.json()
    assert r.status_code == 201 and body["outcome"] == "reapproval_required", r.text
    assert body["amount_moved"] == "500000.00" and body["new_total"] == "500000.00"
    assert body["approved_total"] == "1000000.00"  # the old approval stands until re-approved
    assert (await client.get(f"/applications/{pid}", headers=BDB)).json()["approved_investment"] == "1000000.00"


async def test_r20_1_amount_moved_is_not_taken_from_the_unit(flow, client):
    pid = await flow.approved("1000000.00")
    r = await client.post(
        f"/applications/{pid}/adjustments",
        headers=UNIT,
        json={
            "reason_kind": "technical",
            "goals_changed": False,
            "description": "x",
            "amount_moved": "0.00",
            "new_total": "500000.00",
            "items_before": _items(*START),
            "items_after": _items(*START),
        },
    )
    assert r.status_code == 422 and {v["field"] for v in r.json()["violations"]} >= {"amount_moved", "new_total"}


async def test_r20_1_contents_before_must_be_what_the_project_carries(flow, client, harness):
    pid = await flow.approved("1000000.00")
    r = await _adjust(client, pid, ("500000.00",), ("500000.00",))  # claims a total of 500,000
    assert r.status_code == 409 and r.json()["rule"] == "R-20.1"
    assert r.json()["violations"][0]["field"] == "items_before" and r.json()["violations"][0]["basis"] == "practice"
    assert await harness.events("AdjustmentFiled", pid) == []
    assert (await _adjust(client, pid, START, ("550000.00", "450000.00"))).json()["outcome"] == "self_adjusted"
    # once contents are on record, the next adjustment starts from them
    r = await _adjust(client, pid, START, ("550000.00", "450000.00"))
    assert r.status_code == 409 and r.json()["violations"][0]["field"] == "items_before"
    r = await _adjust(client, pid, ("550000.00", "450000.00"), ("500000.00", "500000.00"))
    assert r.status_code == 201 and r.json()["cumulative_moved"] == "100000.00"


async def test_x20_1_cumulative_against_original_total(flow, client):
    pid = await flow.approved("1000000.00")
    r = await _adjust(client, pid, START, ("500000.00", "500000.00"))
    assert r.json()["outcome"] == "self_adjusted" and r.json()["amount_moved"] == "100000.00"
    now = ("500000.00", "500000.00")
    r = await _adjust(client, pid, now, ("449999.99", "550000.01"))  # 50,000.01 more: 150,000.01 in all
    assert r.json()["outcome"] == "reapproval_required" and r.json()["violations"][0]["rule"] == "X-20.1"
    assert r.json()["violations"][0]["basis"] == "practice"
    # the pending re-approval is refused, then the next adjustment may be filed
    rid = r.json()["reapproval_required"]
    rej = await client.post(
        f"/applications/{pid}/reapprovals/{rid}/reject",
        json={"reasons": ["不同意"]},
        headers=auth("approval_bureau", "XZSP"),
    )
    assert rej.status_code == 200 and rej.json()["status"] == "rejected"
    r = await _adjust(client, pid, now, ("450000.00", "550000.00"))  # the refused one did not count
    assert r.json()["outcome"] == "self_adjusted" and r.json()["cumulative_moved"] == "150000.00"


async def test_r20_1_every_unmet_condition_and_wrong_actors(flow, client):
    pid = await flow.approved("1000000.00")
    r = await _adjust(client, pid, START, ("600000.00", "400000.01"), reason="other", goals=True)
    assert len(r.json()["violations"]) == 3
    assert (await _adjust(client, pid, START, START, headers=auth("unit", "ORG-OTHER"))).status_code == 404
    assert (await _adjust(client, pid, START, START, headers=BDB)).status_code == 403
    r = await client.post(
        f"/applications/{pid}/adjustments",
        headers=UNIT,
        json={
            "reason_kind": "technical",
            "goals_changed": False,
            "description": "x",
            "items_before": [{"name": "a", "amount": 1.5}],
            "items_after": _items("1.00"),
        },
    )
    assert r.status_code == 422 and r.json()["violations"][0]["field"].startswith("items_before")
    r = await client.post(
        f"/applications/{pid}/adjustments",
        headers=UNIT,
        json={
            "reason_kind": "technical",
            "goals_changed": False,
            "description": "x",
            "items_before": _items("1.00"),
            "items_after": [{"name": "a", "amount": "1"}, {"name": "a", "amount": "2"}],
        },
    )
    assert r.status_code == 422 and r.json()["violations"][0]["field"].startswith("items_after")
    open_pid = await flow.under_review()
    r = await _adjust(client, open_pid, START, START)
    assert r.status_code == 409 and r.json()["rule"] == "R-20.1"
    listed = (await client.get(f"/applications/{pid}/adjustments", headers=UNIT)).json()["items"]
    assert len(listed) == 1 and listed[0]["items_after"][1]["amount"] == "400000.01"


async def test_registry_and_catalog_bulk_import(client, harness):
    r = await client.post(
        "/registry/systems:bulk", headers=auth("unit", UNIT_ORG), json={"items": [{"org": "A", "name": "x"}]}
    )
    assert r.status_code == 403
    r = await client.post(
        "/registry/systems:bulk",
        headers=BDB,
        json={
            "items": [
                {"id": "S1", "org": "ORG-A", "name": "城管平台", "functions": ["派遣"], "is_platform": True},
                {"org": "ORG-B", "name": "教育平台"},
            ]
        },
    )
    assert r.status_code == 200 and r.json()["created"] == 2
    r = await client.post(
        "/registry/systems:bulk", headers=BDB, json={"items": [{"id": "S1", "org": "ORG-A", "name": "城管综合平台"}]}
    )
    assert r.json() == {"created": 0, "updated": 1, "ids": ["S1"]}
    page = (await client.get("/registry/systems?org=ORG-A", headers=UNIT)).json()
    assert [s["name"] for s in page["items"]] == ["城管综合平台"]
    # each catalog item has a share type and an open type
    r = await client.post(
        "/catalogs/items:bulk",
        headers=BDB,
        json={"items": [{"org": "ORG-M", "name": "企业名称", "share_type": "sometimes"}]},
    )
    assert r.status_code == 422
    assert {v["field"] for v in r.json()["violations"]} == {"items.0.share_type", "items.0.open_type"}
    r = await client.post(
        "/catalogs/items:bulk",
        headers=BDB,
        json={"items": [{"org": "ORG-M", "name": "企业名称", "share_type": "unconditional", "open_type": "not_open"}]},
    )
    assert r.status_code == 200
    listed = (await client.get("/catalogs/items?limit=1", headers=BDB)).json()
    assert len(listed["items"]) == 1 and listed["next_cursor"] is None
    assert len(await harness.events("RegistrySystemAdded")) == 3


async def test_final_accepted_adds_the_system_to_the_registry(flow, client, harness):
    pid = await flow.approved("100000.00")
    ev = FinalAccepted(
        project_id=uuid.UUID(pid),
        org=UNIT_ORG,
        title="智慧城管综合平台",
        accepted_on=date(2027, 6, 1),
        warranty_ends_on=date(2029, 6, 1),
        self_evaluation_opens_on=date(2028, 6, 1),
        self_evaluation_closes_on=date(2029, 6, 1),
    )
    assert await harness.deliver(ev)
    systems = (await client.get(f"/registry/systems?org={UNIT_ORG}", headers=BDB)).json()["items"]
    assert systems[0]["id"] == f"project:{pid}" and systems[0]["source"] == "final_acceptance"
    assert systems[0]["functions"] == ["网上办事"]
    # the next similar application is flagged against it
    other = await flow.under_review()
    checks = (await client.get(f"/applications/{other}/checks", headers=BDB)).json()["items"]
    dup = next(c for c in checks if c["rule"] == "X-10.3")
    assert dup["result"] == "flag" and dup["details"]["overlaps"][0]["id"] == f"project:{pid}"


async def test_x10_3_compared_with_projects_approved_and_still_being_built(flow, client, harness):
    """Issue 14: an approved project under construction is neither in the registry (filled at final
    acceptance) nor pending — it is compared too; once accepted it is compared as a registry system."""
    building = await flow.approved("100000.00", org="ORG-Z")
    other = await flow.under_review()
    bdb_checks = (await client.get(f"/applications/{other}/checks", headers=BDB)).json()["items"]
    dup = next(c for c in bdb_checks if c["rule"] == "X-10.3")
    assert dup["result"] == "flag" and "在建项目" in dup["message"]
    assert dup["details"]["overlaps"][0] == {
        "kind": "project",
        "id": building,
        "org": "ORG-Z",
        "name": "智慧城管综合平台",
        "score": 1.0,
    }
    unit_checks = (await client.get(f"/applications/{other}/checks", headers=UNIT)).json()["items"]
    hidden = next(c for c in unit_checks if c["rule"] == "X-10.3")["details"]["overlaps"][0]
    assert hidden["id"] is None and hidden["org"] is None and hidden["name"] == "其他单位在建项目"
    # accepted: compared once, as the registry's system
    assert await harness.deliver(
        FinalAccepted(
            project_id=uuid.UUID(building),
            org="ORG-Z",
            title="智慧城管综合平台",
            accepted_on=date(2027, 6, 1),
            warranty_ends_on=date(2029, 6, 1),
            self_evaluation_opens_on=date(2028, 6, 1),
            self_evaluation_closes_on=date(2029, 6, 1),
        )
    )
    third = await flow.under_review()
    overlaps = next(
        c
        for c in (await client.get(f"/applications/{third}/checks", headers=BDB)).json()["items"]
        if c["rule"] == "X-10.3"
    )["details"]["overlaps"]
    ids = [o["id"] for o in overlaps]
    assert f"project:{building}" in ids and building not in ids


async def test_x10_3_terminated_project_is_not_being_built(flow, client, harness):
    gone = await flow.approved("100000.00", org="ORG-Z")
    await harness.deliver(ProjectTerminated(project_id=uuid.UUID(gone), reason="终止"))
    other = await flow.under_review()
    checks = (await client.get(f"/applications/{other}/checks", headers=BDB)).json()["items"]
    dup = next(c for c in checks if c["rule"] == "X-10.3")
    assert all(o["id"] != gone for o in dup["details"]["overlaps"]) and dup["result"] == "pass"
