"""R-25.1: estimate review for finance at ≥ 500,000.00 元 (inclusive)."""

from datetime import date, timedelta

from govkit import clock
from govkit.dev.testing import auth, make_event
from govkit.events.approval import ReviewStarted

from .helpers import FIN, UNIT, new_id, review_started


async def test_r25_1_review_opens_at_exactly_the_threshold(harness, client):
    pid = new_id()
    await review_started(harness, pid, "500000.00")
    opened = await harness.events("EstimateReviewOpened")
    assert len(opened) == 1 and opened[0].subject == pid and opened[0].rule == "R-25.1"
    assert opened[0].data["estimated_investment"] == "500000.00"
    opened_on = date.fromisoformat(opened[0].data["opened_on"])
    assert opened[0].data["due_on"] == (opened_on + timedelta(days=30)).isoformat()
    r = await client.get(f"/projects/{pid}/estimate-review", headers=FIN)
    assert r.status_code == 200 and r.json()["status"] == "open" and r.json()["overdue"] is False
    view = (await client.get(f"/projects/{pid}", headers=UNIT)).json()
    assert view["documents"]["estimate_review_required"] is True
    assert view["status"] == "under_review"


async def test_r25_1_no_review_below_the_threshold(harness, client):
    pid = new_id()
    await review_started(harness, pid, "499999.99")
    assert await harness.events("EstimateReviewOpened") == []
    r = await client.post(
        f"/projects/{pid}/estimate-review", headers=FIN, json={"report_no": "CZPS-1", "reviewed_amount": "480000.00"}
    )
    assert r.status_code == 409 and r.json()["rule"] == "R-25.1"
    assert await harness.events("EstimateReviewed") == []


async def test_r25_1_finance_records_the_report_and_approval_is_told(harness, client):
    pid = new_id()
    await review_started(harness, pid, "800000.00")
    body = {"report_no": "CZPS-2026-018", "reviewed_amount": "760000.50"}
    assert (await client.post(f"/projects/{pid}/estimate-review", headers=UNIT, json=body)).status_code == 403
    r = await client.post(f"/projects/{pid}/estimate-review", headers=FIN, json=body)
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "completed" and r.json()["reviewed_amount"] == "760000.50"
    ev = await harness.events("EstimateReviewed")
    assert len(ev) == 1 and ev[0].data["report_no"] == "CZPS-2026-018"
    assert ev[0].data["reviewed_amount"] == "760000.50" and ev[0].rule == "R-25.1"
    again = await client.post(f"/projects/{pid}/estimate-review", headers=FIN, json=body)
    assert again.status_code == 409 and again.json()["rule"] == "R-25.1"
    assert len(await harness.events("EstimateReviewed")) == 1


async def test_estimate_review_input_and_unknown_project(client):
    pid = new_id()
    r = await client.post(
        f"/projects/{pid}/estimate-review", headers=FIN, json={"report_no": "X", "reviewed_amount": "1.00"}
    )
    assert r.status_code == 404
    bad = await client.post(
        f"/projects/{pid}/estimate-review", headers=FIN, json={"report_no": "X", "reviewed_amount": 1000.5}
    )
    assert bad.status_code == 422 and "reviewed_amount" in bad.json()["detail"]


async def test_redelivered_review_started_opens_one_review(harness):
    pid = new_id()
    event = make_event(
        ReviewStarted(
            project_id=pid, org="ORG-A", title="t", estimated_investment="600000.00", declared_on=date(2026, 3, 1)
        )
    )
    assert await harness.deliver(event) is True
    assert await harness.deliver(event) is False
    # started again after a revision (another event): still one review
    await review_started(harness, pid, "650000.00")
    assert len(await harness.events("EstimateReviewOpened")) == 1


async def test_overdue_reviews_are_listed(harness, client):
    pid = new_id()
    await review_started(harness, pid, "500000.00")
    later = (clock.today() + timedelta(days=31)).isoformat()
    r = await client.get("/estimate-reviews", headers=FIN, params={"overdue": "true", "as_of": later})
    assert [i["project_id"] for i in r.json()["items"]] == [pid]
    assert r.json()["items"][0]["overdue"] is True
    r = await client.get("/estimate-reviews", headers=FIN, params={"overdue": "true"})
    assert r.json()["items"] == []
    # a unit sees only its own reviews
    assert (await client.get("/estimate-reviews", headers=auth("unit", "ORG-Z"))).json()["items"] == []


async def test_r30_2_no_estimate_review_while_suspended(harness, client):
    from govkit.events.oversight import ProjectResumed, ProjectSuspended

    pid = new_id()
    await review_started(harness, pid, "700000.00")
    await harness.deliver(ProjectSuspended(project_id=pid, reason="x"))
    body = {"report_no": "CZPS-5", "reviewed_amount": "700000.00"}
    r = await client.post(f"/projects/{pid}/estimate-review", headers=FIN, json=body)
    assert r.status_code == 409 and r.json()["rule"] == "R-30.2"
    await harness.deliver(ProjectResumed(project_id=pid))
    assert (await client.post(f"/projects/{pid}/estimate-review", headers=FIN, json=body)).status_code == 201


async def test_review_list_paging_and_bad_cursor(harness, client):
    for _ in range(3):
        await review_started(harness, new_id(), "500000.00")
    page = (await client.get("/estimate-reviews", headers=FIN, params={"limit": 2})).json()
    rest = (
        await client.get("/estimate-reviews", headers=FIN, params={"limit": 2, "cursor": page["next_cursor"]})
    ).json()
    assert len(page["items"]) == 2 and len(rest["items"]) == 1 and rest["next_cursor"] is None
    assert {i["project_id"] for i in page["items"]}.isdisjoint({i["project_id"] for i in rest["items"]})
    assert (await client.get("/estimate-reviews", headers=FIN, params={"cursor": "bm9wZQ"})).status_code == 422
    assert (await client.get("/operation-funding", headers=FIN, params={"cursor": "WzFd"})).status_code == 422
    assert (await client.get("/estimate-reviews", headers=FIN, params={"limit": 201})).status_code == 422
