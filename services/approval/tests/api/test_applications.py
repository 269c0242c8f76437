"""Applications through the API: opening (R-9.4), materials and submit checks, reviews and decisions."""

import uuid

from govkit.dev.testing import auth
from tests.conftest import COMPLIANCE, UNIT_ORG

BDB = auth("bdb", "BDB")


async def test_admitted_project_opens_an_application_once(flow, harness, client):
    pid = await flow.admit("800000.00")
    r = await client.get(f"/applications/{pid}", headers=auth("unit", UNIT_ORG))
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "open" and body["estimated_investment"] == "800000.00"
    assert body["estimate_review_required"] is True and body["leading_group_required"] is False
    assert len(await harness.events("ApplicationOpened", pid)) == 1
    # emergency projects open too
    epid = await flow.admit("300000.00", emergency=True)
    e = (await client.get(f"/applications/{epid}", headers=BDB)).json()
    assert e["route"] == "emergency" and e["status"] == "open"


async def test_r9_4_unknown_project_cannot_enter_review(client, harness):
    pid = uuid.uuid4()
    r = await client.post(f"/applications/{pid}/submit", headers=auth("unit", UNIT_ORG))
    assert r.status_code == 404 and r.json()["rule"] == "R-9.4" and r.json()["article"] == "第九条"
    assert r.headers["content-type"].startswith("application/problem+json")
    r = await client.post(
        f"/applications/{pid}/materials", json={"kind": "proposal", "title": "x"}, headers=auth("unit", UNIT_ORG)
    )
    assert r.status_code == 404 and r.json()["rule"] == "R-9.4"
    assert (await client.get(f"/applications/{pid}", headers=BDB)).status_code == 404
    assert await harness.events() == []


async def test_other_units_project_is_404_and_roles_are_enforced(flow, client):
    pid = await flow.admit()
    assert (await client.get(f"/applications/{pid}", headers=auth("unit", "ORG-OTHER"))).status_code == 404
    r = await client.post(
        f"/applications/{pid}/materials", json={"kind": "proposal", "title": "x"}, headers=auth("unit", "ORG-OTHER")
    )
    assert r.status_code == 404
    foreign = await client.post(f"/applications/{pid}/submit", headers=auth("unit", "ORG-OTHER"))
    unknown = await client.post(f"/applications/{uuid.uuid4()}/submit", headers=auth("unit", "ORG-OTHER"))
    assert foreign.status_code == unknown.status_code == 404  # nothing tells that the project exists
    assert {k: v for k, v in foreign.json().items() if k != "instance"} == {
        k: v for k, v in unknown.json().items() if k != "instance"
    }
    assert (await client.post(f"/applications/{pid}/submit", headers=BDB)).status_code == 403
    assert (await client.post(f"/applications/{pid}/submit")).status_code == 401
    r = await client.post(
        f"/applications/{pid}/materials", json={"kind": "nonsense", "title": ""}, headers=auth("unit", UNIT_ORG)
    )
    assert r.status_code == 422 and {v["field"] for v in r.json()["violations"]} == {"kind", "title"}


async def test_cross_department_participant_sees_the_project(flow, client):
    pid = await flow.admit(cross={"lead_org": UNIT_ORG, "participant_orgs": ["ORG-B"]})
    r = await client.get(f"/applications/{pid}", headers=auth("unit", "ORG-B"))
    assert r.status_code == 200 and r.json()["participant_orgs"] == ["ORG-B"]
    listed = (await client.get("/applications", headers=auth("unit", "ORG-B"))).json()["items"]
    assert [a["project_id"] for a in listed] == [pid]
    assert (await client.get("/applications", headers=auth("unit", "ORG-C"))).json()["items"] == []


async def test_submit_refused_with_every_missing_material_and_declaration(flow, client, harness):
    pid = await flow.admit()
    await client.post(
        f"/applications/{pid}/materials", json={"kind": "proposal", "title": "建议书"}, headers=auth("unit", UNIT_ORG)
    )
    before = len(await harness.events())
    r = await flow.submit(pid)
    assert r.status_code == 409
    rules = [v["rule"] for v in r.json()["violations"]]
    assert rules == ["R-10.1", "R-7.1", "R-10.2"]
    assert len(await harness.events()) == before
    assert (await client.get(f"/applications/{pid}", headers=BDB)).json()["status"] == "open"


async def test_r10_2_and_r10_6_missing_justifications_refuse_submit(flow, client):
    pid = await flow.admit()
    await flow.prepare(pid, compliance={**COMPLIANCE, "uses_shared_infrastructure": False, "county_extension": False})
    r = await flow.submit(pid)
    assert r.status_code == 409
    assert [v["rule"] for v in r.json()["violations"]] == ["R-10.2", "R-10.6"]
    assert {c["rule"] for c in r.json()["checks"]} >= {"R-10.3", "X-10.3", "R-10.4", "R-10.5"}


async def test_r14_1_civil_works_need_the_extra_approvals(flow, client):
    pid = await flow.admit(new_civil_works=True)
    await flow.prepare(pid)
    r = await flow.submit(pid)
    assert r.status_code == 409 and r.json()["rule"] == "R-14.1"
    for kind in ("site_selection", "land_prereview", "environmental_impact"):
        await client.post(
            f"/applications/{pid}/materials", json={"kind": kind, "title": kind}, headers=auth("unit", UNIT_ORG)
        )
    assert (await flow.submit(pid)).status_code == 200
    # without civil works / high energy none is asked for
    other = await flow.under_review()
    checks = (await client.get(f"/applications/{other}/checks", headers=BDB)).json()["items"]
    assert next(c for c in checks if c["rule"] == "R-14.1")["result"] == "pass"


async def test_r12_1_overlapping_cross_department_contents_are_refused(flow, client):
    pid = await flow.admit(cross={"lead_org": UNIT_ORG, "participant_orgs": ["ORG-B"]})
    contents = [{"org": UNIT_ORG, "items": ["视频汇聚平台"]}, {"org": "ORG-B", "items": ["视频汇聚平台"]}]
    await flow.prepare(pid, compliance={**COMPLIANCE, "construction_contents": contents})
    r = await flow.submit(pid)
    assert r.status_code == 409 and r.json()["rule"] == "R-12.1"
    contents[1]["items"] = ["执法记录仪管理"]
    r = await client.put(
        f"/applications/{pid}/compliance",
        json={**COMPLIANCE, "construction_contents": contents},
        headers=auth("unit", UNIT_ORG),
    )
    assert r.status_code == 200
    assert (await flow.submit(pid)).status_code == 200


async def test_submit_runs_and_stores_checks_and_starts_review(flow, client, harness):
    await client.post(
        "/registry/systems:bulk",
        headers=BDB,
        json={
            "items": [
                {
                    "id": "SYS-1",
                    "org": UNIT_ORG,
                    "name": "智慧城管综合平台",
                    "functions": ["网上办事"],
                    "is_platform": True,
                }
            ]
        },
    )
    await client.post(
        "/catalogs/items:bulk",
        headers=BDB,
        json={
            "items": [
                {
                    "id": "CAT-1",
                    "org": "ORG-SCJG",
                    "catalog": "市场主体",
                    "name": "企业名称",
                    "share_type": "unconditional",
                    "open_type": "conditional",
                }
            ]
        },
    )
    pid = await flow.admit("2500000.00")
    await flow.prepare(pid, compliance={**COMPLIANCE, "builds_platform": True})
    r = await flow.submit(pid)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "under_review" and body["project_code_status"] == "pending"
    results = {c["rule"]: c["result"] for c in body["checks"]}
    assert results["X-10.3"] == "flag" and results["R-10.3"] == "flag" and results["R-10.5"] == "fail"
    assert results["R-10.1"] == results["R-7.1"] == results["R-10.2"] == "pass"
    dup = next(c for c in body["checks"] if c["rule"] == "X-10.3")
    assert dup["basis"] == "practice" and dup["details"]["overlaps"][0]["id"] == "SYS-1"
    checks = (await client.get(f"/applications/{pid}/checks", headers=auth("unit", UNIT_ORG))).json()["items"]
    assert {c["rule"] for c in checks} == set(results)
    [started] = await harness.events("ReviewStarted", pid)
    assert started.data["estimated_investment"] == "2500000.00" and started.data["org"] == UNIT_ORG
    assert started.data["declared_on"] == "2026-10-15" and started.data["estimate_review_required"] is True
    [checked] = await harness.events("ComplianceChecked", pid)
    assert {c["rule"] for c in checked.data["checks"]} == set(results)
    # materials cannot change while under review
    r = await client.post(
        f"/applications/{pid}/materials", json={"kind": "other", "title": "x"}, headers=auth("unit", UNIT_ORG)
    )
    assert r.status_code == 409


async def test_x10_3_overlap_with_other_pending_application_is_redacted_for_units(flow, client):
    first = await flow.admit(org="ORG-Z")
    await flow.prepare(first, org="ORG-Z")
    pid = await flow.under_review()
    unit_view = (await client.get(f"/applications/{pid}/checks", headers=auth("unit", UNIT_ORG))).json()["items"]
    dup = next(c for c in unit_view if c["rule"] == "X-10.3")
    assert dup["result"] == "flag" and dup["details"]["overlaps"][0]["id"] is None
    bureau_view = (await client.get(f"/applications/{pid}/checks", headers=BDB)).json()["items"]
    assert next(c for c in bureau_view if c["rule"] == "X-10.3")["details"]["overlaps"][0]["id"] == first


async def test_r11_1_joint_review_after_expert_review(flow, client):
    pid = await flow.under_review()
    r = await client.post(
        f"/applications/{pid}/joint-review", json={"decision": "approve", "opinion": "同意"}, headers=BDB
    )
    assert r.status_code == 409 and r.json()["rule"] == "R-11.1"
    r = await client.post(
        f"/applications/{pid}/expert-reviews",
        json={"expert": "李", "score": 101, "opinion": "x"},
        headers=auth("expert"),
    )
    assert r.status_code == 422 and r.json()["violations"][0]["field"] == "score"
    assert (
        await client.post(
            f"/applications/{pid}/expert-reviews",
            json={"expert": "李", "score": 80, "opinion": "x"},
            headers=auth("unit", UNIT_ORG),
        )
    ).status_code == 403
    assert (await flow.tech(pid)).json()["rule"] == "R-11.1"
    await flow.reviews(pid)
    app = (await client.get(f"/applications/{pid}", headers=BDB)).json()
    assert app["joint_decision"] == "approve" and len(app["reviews"]) == 2


async def test_r11_2_leading_group_below_threshold_refused(flow, client):
    pid = await flow.under_review("1999999.99")
    await flow.reviews(pid)
    r = await client.post(
        f"/applications/{pid}/leading-group-decision",
        json={"decision": "approve", "opinion": "x"},
        headers=auth("leading_group", "LG"),
    )
    assert r.status_code == 409 and r.json()["rule"] == "R-11.2"
    assert (await flow.tech(pid)).status_code == 200  # departments' opinions without the leading group


async def test_r11_2_leading_group_first_at_threshold(flow, client, harness):
    pid = await flow.under_review("2000000.00")
    await flow.reviews(pid)
    r = await flow.tech(pid)
    assert r.status_code == 409 and r.json()["rule"] == "R-11.2"
    assert (
        await client.post(
            f"/applications/{pid}/leading-group-decision", json={"decision": "approve", "opinion": "x"}, headers=BDB
        )
    ).status_code == 403
    r = await client.post(
        f"/applications/{pid}/leading-group-decision",
        json={"decision": "approve", "opinion": "同意"},
        headers=auth("leading_group", "LG"),
    )
    assert r.status_code == 200 and r.json()["leading_group_decision"] == "approve"
    assert (await flow.tech(pid)).status_code == 200
    assert len(await harness.events("LeadingGroupDecided", pid)) == 1


async def test_r25_1_at_threshold_approval_waits_for_estimate_review(flow, client, harness):
    pid = await flow.under_review("500000.00")
    await flow.reviews(pid)
    assert (await flow.tech(pid)).status_code == 200
    r = await flow.doc(pid)
    assert r.status_code == 409 and r.json()["rule"] == "R-25.1"
    assert await harness.events("ProjectApproved", pid) == []
    await flow.estimate(pid, "480000.00", "CZ-PS-9")
    r = await flow.doc(pid, approved_investment="500000.00")
    assert r.status_code == 409 and r.json()["rule"] == "R-25.1"  # not the reviewed amount
    r = await flow.doc(pid)
    assert r.status_code == 200 and r.json()["status"] == "approved"
    assert r.json()["approved_investment"] == "480000.00"
    [ev] = await harness.events("ProjectApproved", pid)
    d = ev.data
    assert d["approved_investment"] == "480000.00" and d["estimate_review_required"] is True
    assert d["estimate_review_report_no"] == "CZ-PS-9" and d["technical_opinion_no"] == "DSJ-JS-1"
    assert d["approval_document_no"] == "XZSP-1" and d["org"] == UNIT_ORG and d["serves_public"] is True
    for key in (
        "participant_orgs",
        "classified",
        "built_by_big_data_group",
        "category",
        "declared_on",
        "approved_on",
        "title",
    ):
        assert key in d


async def test_r25_1_below_threshold_approved_without_estimate_review(flow, client, harness):
    pid = await flow.under_review("499999.99")
    await flow.reviews(pid)
    assert (await flow.tech(pid)).status_code == 200
    r = await flow.doc(pid, approved_investment="450000.00")
    assert r.status_code == 200 and r.json()["status"] == "approved"
    [ev] = await harness.events("ProjectApproved", pid)
    assert ev.data["estimate_review_required"] is False and ev.data["estimate_review_report_no"] is None
    assert ev.data["approved_investment"] == "450000.00"


async def test_approval_document_first_then_technical_opinion_approves(flow, client, harness):
    pid = await flow.under_review("100000.00")
    await flow.reviews(pid)
    assert (await flow.doc(pid)).json()["status"] == "under_review"
    assert (await flow.tech(pid)).json()["status"] == "approved"
    assert len(await harness.events("ProjectApproved", pid)) == 1


async def test_rejection_ends_the_application(flow, client, harness):
    pid = await flow.under_review()
    await client.post(
        f"/applications/{pid}/expert-reviews",
        json={"expert": "王", "score": 40, "opinion": "重复"},
        headers=auth("expert"),
    )
    r = await client.post(
        f"/applications/{pid}/joint-review",
        json={"decision": "reject", "opinion": "重复建设"},
        headers=auth("approval_bureau", "XZSP"),
    )
    assert r.status_code == 200 and r.json()["status"] == "rejected"
    assert r.json()["rejection"]["reasons"] == ["联合会审未通过：重复建设"]
    [ev] = await harness.events("ProjectRejected", pid)
    assert ev.data["rule"] == "R-11.1"
    assert (await flow.tech(pid)).status_code == 409
    assert (await flow.submit(pid)).status_code == 409


async def test_return_for_revision_supersedes_reviews(flow, client, harness):
    pid = await flow.under_review()
    await flow.reviews(pid)
    r = await client.post(f"/applications/{pid}/return-for-revision", json={"reasons": ["补充可研"]}, headers=BDB)
    assert r.status_code == 200 and r.json()["status"] == "open"
    assert all(rv["superseded"] for rv in r.json()["reviews"])
    r = await client.post(
        f"/applications/{pid}/materials",
        json={"kind": "feasibility_study", "title": "可研v2"},
        headers=auth("unit", UNIT_ORG),
    )
    assert r.status_code == 201
    r = await flow.submit(pid)
    assert r.status_code == 200 and r.json()["round"] == 2
    assert (await flow.tech(pid)).json()["rule"] == "R-11.1"  # reviews must be given again
    await flow.reviews(pid)
    assert (await flow.tech(pid)).status_code == 200
    assert len(await harness.events("ReviewStarted", pid)) == 1


async def test_if_match_on_compliance(flow, client):
    pid = await flow.admit()
    version = (await client.get(f"/applications/{pid}", headers=BDB)).json()["version"]
    r = await client.put(
        f"/applications/{pid}/compliance",
        json=COMPLIANCE,
        headers={**auth("unit", UNIT_ORG), "If-Match": f'"{version + 5}"'},
    )
    assert r.status_code == 412
    r = await client.put(
        f"/applications/{pid}/compliance",
        json=COMPLIANCE,
        headers={**auth("unit", UNIT_ORG), "If-Match": f'"{version}"'},
    )
    assert r.status_code == 200 and r.json()["version"] == version + 1
    r = await client.put(
        f"/applications/{pid}/compliance", json={**COMPLIANCE, "unknown_field": 1}, headers=auth("unit", UNIT_ORG)
    )
    assert r.status_code == 422


async def test_r21_5_approval_document_requires_a_positive_construction_period(flow, client, harness):
    """The approval document states the construction period (建设周期) that sets the acceptance due date."""
    pid = await flow.under_review("100000.00")
    await flow.reviews(pid)
    assert (await flow.tech(pid)).status_code == 200
    for bad in (
        {"document_no": "XZSP-1"},
        {"document_no": "XZSP-1", "construction_months": 0},
        {"document_no": "XZSP-1", "construction_months": -3},
        {"document_no": "XZSP-1", "construction_months": 1.5},
        {"document_no": "XZSP-1", "construction_months": 121},
    ):
        r = await client.post(
            f"/applications/{pid}/approval-document", json=bad, headers=auth("approval_bureau", "XZSP")
        )
        assert r.status_code == 422, (bad, r.text)
        assert "construction_months" in r.text
    assert await harness.events("ApprovalDocumentIssued", pid) == []
    assert (await client.get(f"/applications/{pid}", headers=auth("bdb"))).json()["status"] == "under_review"
    r = await flow.doc(pid, construction_months=1)
    assert r.status_code == 200 and r.json()["status"] == "approved" and r.json()["construction_months"] == 1
    [issued] = await harness.events("ApprovalDocumentIssued", pid)
    [approved] = await harness.events("ProjectApproved", pid)
    assert issued.data["construction_months"] == 1 and approved.data["construction_months"] == 1


async def test_r11_2_r25_1_document_over_the_declared_amount_is_refused_naming_each_step(flow, client, harness):
    """Issue 14: declared 499,999.99, approval document of 2,500,000 — no leading group, no review."""
    pid = await flow.under_review("499999.99")
    await flow.reviews(pid)
    assert (await flow.tech(pid)).status_code == 200
    r = await flow.doc(pid, approved_investment="2500000.00")
    assert r.status_code == 409 and r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert [v["rule"] for v in body["violations"]] == ["R-11.2", "R-25.1", "R-10.1"]
    assert body["rule"] == "R-11.2" and body["article"] == "第十一条"
    assert next(v for v in body["violations"] if v["rule"] == "R-10.1")["basis"] == "practice"
    r = await flow.doc(pid, approved_investment="500000.00")  # one cent over the declared amount crosses
    assert r.status_code == 409 and [v["rule"] for v in r.json()["violations"]] == ["R-25.1", "R-10.1"]
    assert await harness.events("ApprovalDocumentIssued", pid) == []
    view = (await client.get(f"/applications/{pid}", headers=auth("bdb"))).json()
    assert view["status"] == "under_review" and view["approval_document_no"] is None
    r = await flow.doc(pid, approved_investment="499999.99")
    assert r.status_code == 200 and r.json()["status"] == "approved"


async def test_r11_2_reviewed_amount_reaching_the_threshold_needs_the_leading_group(flow, client, harness):
    """Declared 1,999,999.99 (no leading group), reviewed at 2,000,000.00: the leading group first."""
    pid = await flow.under_review("1999999.99")
    await flow.reviews(pid)
    lg = auth("leading_group", "LG")
    r = await client.post(
        f"/applications/{pid}/leading-group-decision", json={"decision": "approve", "opinion": "x"}, headers=lg
    )
    assert r.status_code == 409 and r.json()["rule"] == "R-11.2"  # not yet: declared under the threshold
    await flow.estimate(pid, "2000000.00")
    view = (await client.get(f"/applications/{pid}", headers=auth("bdb"))).json()
    assert view["leading_group_required"] is True
    r = await flow.tech(pid)
    assert r.status_code == 409 and r.json()["rule"] == "R-11.2"
    r = await client.post(
        f"/applications/{pid}/leading-group-decision", json={"decision": "approve", "opinion": "同意"}, headers=lg
    )
    assert r.status_code == 200, r.text
    assert (await flow.tech(pid)).status_code == 200
    r = await flow.doc(pid)
    assert r.status_code == 200 and r.json()["approved_investment"] == "2000000.00"


async def test_r11_2_reviewed_just_under_the_threshold_needs_no_leading_group(flow, client, harness):
    pid = await flow.under_review("1999999.99")
    await flow.reviews(pid)
    await flow.estimate(pid, "1999999.99")
    assert (await flow.tech(pid)).status_code == 200
    r = await flow.doc(pid, approved_investment="2000000.00")
    assert r.status_code == 409 and [v["rule"] for v in r.json()["violations"]] == ["R-11.2", "R-25.1"]
    r = await flow.doc(pid)
    assert r.status_code == 200 and r.json()["approved_investment"] == "1999999.99"
