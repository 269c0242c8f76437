"""The gateway end to end (broker + five services + gateway as processes, fake portals and a
webhook receiver as local HTTP servers): credentials refused, API keys turned into internal JWTs,
provincial callbacks refused when stale or replayed, webhooks retried until delivered exactly once,
portal to-dos opened and closed, public status pushed, the gateway's audit chain verified.

Events that the scenario needs from services still being built are published onto the broker the
way the publisher's relay would (a CloudEvent on `govpm.<service>`, keyed by project), so the
gateway's consumer is exercised through the real Kafka path."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import subprocess
import sys
import time
import uuid

import httpx
import jwt
import orjson
import pytest
from tests.e2e.fakes.portals import FakeReceiver, FakeSusufuban, FakeYanzhengtong, valid_signature
from tests.e2e.flows import CALLBACK_SECRET, build_stack, eventually, publish, started

from govkit.auth import mint_token
from govkit.clock import today
from govkit.dev.testing import TEST_PG, TEST_SECRET, fresh_database_url, token
from govkit.events.approval import ProjectApproved, ReviewStarted
from govkit.events.budget import EstimateReviewed, EstimateReviewOpened
from govkit.events.reserve import EmergencyProjectRegistered

WEBHOOK_SECRET = "departmental-system-secret-1"


@pytest.fixture(scope="module")
def gw_env():
    yzt, sfb = FakeYanzhengtong().start(), FakeSusufuban().start()
    env = {
        "GOVPM_GATEWAY_YANZHENGTONG_URL": yzt.url,
        "GOVPM_GATEWAY_SUSUFUBAN_URL": sfb.url,
        "GOVPM_GATEWAY_WEBHOOK_BACKOFF_S": "0.1",
        "GOVPM_GATEWAY_WEBHOOK_POLL_S": "0.1",
        "GOVPM_GATEWAY_API_KEY_CACHE_S": "0.5",
    }
    gateway_db = None
    if TEST_PG:
        gateway_db = asyncio.run(fresh_database_url(f"govpm_e2e_gw_{uuid.uuid4().hex[:6]}"))
        env["GOVPM_GATEWAY_DATABASE_URL"] = gateway_db
    try:
        with started(build_stack("gw", **env)) as s:
            yield s, yzt, sfb
    finally:
        yzt.stop()
        sfb.stop()
        if gateway_db:
            from govkit.dev.testing import drop_databases

            asyncio.run(drop_databases([gateway_db.rsplit("/", 1)[1]]))


@pytest.fixture(scope="module")
def gw(gw_env):
    s, _, _ = gw_env
    with httpx.Client(base_url=s.gateway_url, timeout=30) as client:
        yield client


def bearer(roles, org="ORG-E2E", **kw):
    return {"Authorization": f"Bearer {token(roles, org, **kw)}"}


def is_problem(r, status):
    return (
        r.status_code == status
        and r.headers["content-type"].startswith("application/problem+json")
        and r.json()["status"] == status
        and r.headers.get("x-request-id")
    )


# -- identities ---------------------------------------------------------------------------------
BAD_TOKENS = {
    "forged": mint_token("not-the-secret-0123456789abcdef0123456789", sub="x", org="O", roles=["bdb"]),
    "expired": mint_token(TEST_SECRET, sub="x", org="O", roles=["bdb"], ttl_s=-30),
    "malformed": "abc.def.ghi",
    "alg_none": jwt.encode(
        {"sub": "x", "org": "O", "roles": ["bdb"], "exp": int(time.time()) + 600}, None, algorithm="none"
    ),
    "tampered": (lambda t: t[:-4] + ("AAAA" if t[-4:] != "AAAA" else "BBBB"))(token("bdb", "O")),
}


@pytest.mark.parametrize("kind", sorted(BAD_TOKENS))
def test_bad_tokens_refused(gw, kind):
    for path in ("/api/v1/reserve/windows", "/api/v1/projects", "/api/v1/webhooks/subscriptions"):
        r = gw.get(path, headers={"Authorization": f"Bearer {BAD_TOKENS[kind]}"})
        assert is_problem(r, 401), (path, r.status_code, r.text)
        assert "Bearer" in r.headers.get("www-authenticate", "")
    assert is_problem(gw.get("/api/v1/projects"), 401)


SERVICE_PATHS = {
    "reserve": "declarations",
    "approval": "applications",
    "budget": "estimate-reviews",
    "oversight": "filings",
    "acceptance": "archives",
}


@pytest.mark.parametrize("service", sorted(SERVICE_PATHS))
def test_encoded_separators_never_reach_another_route(gw, service):
    """Issue 15: `..%2Fwindows` listed the windows, `..%2Fmetrics` served the metrics, `%3F` became a
    query. Through the gateway to every real service: refused (400) or a plain 404, never 200."""
    h = bearer("unit", "ORG-RAW")
    base = f"/api/v1/{service}/{SERVICE_PATHS[service]}"
    for suffix in ("..%2Fwindows", "..%2F..%2Fmetrics", "%2e%2e%2Fmetrics", "abc%2F..%2F..%2Fmetrics"):
        r = gw.get(f"{base}/{suffix}", headers=h)
        assert is_problem(r, 400), (service, suffix, r.status_code, r.text[:200])
    r = gw.get(f"{base}/abc%3Fx", headers=h)  # stays in the path: an unknown id, not a query
    assert r.status_code in (404, 422) and "govpm_http_requests_total" not in r.text, (service, r.status_code)
    r = gw.get("/api/v1/projects/abc%3Fx%2F..%2Fmetrics", headers=h)
    assert is_problem(r, 400)


LISTS = {  # a list with a `limit` per service
    "reserve": "declarations",
    "approval": "applications",
    "budget": "estimate-reviews",
    "oversight": "incidents",
    "acceptance": "projects",
}


@pytest.mark.parametrize("service", sorted(SERVICE_PATHS))
def test_a_problems_instance_is_the_public_path(gw, service):
    """The gateway sends X-Forwarded-Prefix: a problem names the path the client called, not the
    service's internal one (issue 15); a client's own X-Forwarded-Prefix is replaced."""
    h = {**bearer("unit", "ORG-INST"), "X-Forwarded-Prefix": "/api/evil"}
    path = f"/api/v1/{service}/{SERVICE_PATHS[service]}/no-such-thing/at-all"
    r = gw.get(path, headers=h)
    assert is_problem(r, 404), (service, r.status_code, r.text[:200])
    assert r.json()["instance"] == path
    listing = f"/api/v1/{service}/{LISTS[service]}"
    r = gw.get(listing, params={"limit": 100000}, headers=h)
    assert is_problem(r, 422), (service, r.status_code, r.text[:200])
    assert r.json()["instance"] == listing
    missing = "/api/v1/projects/00000000-0000-4000-8000-000000000000"
    r = gw.get(missing, headers=h)
    assert is_problem(r, 404) and r.json()["instance"] == missing


def test_api_keys_created_used_and_revoked(gw):
    admin = bearer("admin", "ORG-ADMIN", sub="admin-1")
    assert is_problem(
        gw.post("/api/v1/admin/api-keys", json={"name": "x", "org": "O", "roles": ["unit"]}, headers=bearer("bdb")), 403
    )
    r = gw.post(
        "/api/v1/admin/api-keys", json={"name": "财政局系统", "org": "ORG-FIN", "roles": ["finance"]}, headers=admin
    )
    assert r.status_code == 201, r.text
    key, key_id = r.json()["key"], r.json()["id"]
    # proxied: the service sees an internal JWT for ORG-FIN/finance, not the key
    r = gw.get("/api/v1/projects", headers={"X-API-Key": key})
    assert r.status_code != 401, r.text
    assert is_problem(gw.get("/api/v1/projects", headers={"X-API-Key": key + "x"}), 401)
    assert is_problem(gw.get("/api/v1/projects", headers={"X-API-Key": "gpk_unknown_key"}), 401)
    assert is_problem(gw.get("/api/v1/admin/api-keys", headers={"X-API-Key": key}), 403)  # not admin
    r = gw.delete(f"/api/v1/admin/api-keys/{key_id}", headers=admin)
    assert r.status_code == 200 and r.json()["revoked_at"], r.text
    eventually(lambda: is_problem(gw.get("/api/v1/projects", headers={"X-API-Key": key}), 401), timeout=5)


# -- provincial callbacks -----------------------------------------------------------------------
def signed(body: bytes, ts: int | None = None, secret: str = CALLBACK_SECRET) -> dict:
    ts_s = str(int(time.time()) if ts is None else ts)
    sig = "sha256=" + hmac.new(secret.encode(), ts_s.encode() + b"." + body, hashlib.sha256).hexdigest()
    return {"X-Timestamp": ts_s, "X-Signature": sig, "content-type": "application/json"}


def test_stale_and_replayed_callbacks_refused(gw_env, gw):
    stack = gw_env[0]
    pid = uuid.uuid4()
    publish(
        stack,
        EmergencyProjectRegistered(
            project_id=pid,
            declaration_no="SB-2027-9001",
            title="防汛应急指挥系统",
            category="business_application",
            org="ORG-WATER",
            library_year=2027,
            estimated_investment="300000.00",
            declared_on=today(),
            route="emergency",
            emergency_type="natural_disaster",
            grounds="汛期",
        ),
    )
    unit = bearer("unit", "ORG-WATER")
    eventually(lambda: gw.get(f"/api/v1/approval/applications/{pid}", headers=unit).status_code == 200, timeout=20)
    url = "/api/v1/approval/callbacks/provincial/project-code"
    body = orjson.dumps({"project_id": str(pid), "project_code": "2027-320900-65-01-000123"})
    # stale: 6 minutes old, correctly signed
    assert is_problem(gw.post(url, content=body, headers=signed(body, int(time.time()) - 360)), 401)
    # wrong secret
    assert is_problem(gw.post(url, content=body, headers=signed(body, secret="wrong")), 401)
    # no signature at all (and no JWT needed at the gateway: the service decides)
    assert is_problem(gw.post(url, content=body, headers={"content-type": "application/json"}), 401)
    headers = signed(body)
    first = gw.post(url, content=body, headers=headers)
    assert first.status_code == 200, first.text
    replay = gw.post(url, content=body, headers=headers)
    assert is_problem(replay, 401), replay.text


# -- webhooks -----------------------------------------------------------------------------------
def test_webhook_fails_twice_then_succeeds_exactly_once_more(gw_env, gw):
    stack = gw_env[0]
    with FakeReceiver(fail_first=2) as receiver:
        bdb = bearer("bdb", "ORG-BDB")
        r = gw.post(
            "/api/v1/webhooks/subscriptions",
            headers=bdb,
            json={"url": receiver.url + "/govpm", "event_types": ["EstimateReviewed"], "secret": WEBHOOK_SECRET},
        )
        assert r.status_code == 201, r.text
        sub = r.json()
        pid = uuid.uuid4()
        (event_id,) = publish(
            stack, EstimateReviewed(project_id=pid, report_no="GS-2027-1", reviewed_amount="700000.00")
        )
        eventually(lambda: len(receiver.deliveries()) >= 3, timeout=20)
        deliveries_url = f"/api/v1/webhooks/subscriptions/{sub['id']}/deliveries"
        eventually(lambda: gw.get(deliveries_url, headers=bdb).json()["items"][0]["status"] == "delivered")
        # delivered: the delivery is done, no attempt follows
        got = receiver.deliveries()
        assert len(got) == 3, [g["headers"].get("x-event-id") for g in got]
        assert all(valid_signature(WEBHOOK_SECRET, g) for g in got)
        delivered = json.loads(got[-1]["body"])
        assert delivered["id"] == event_id and delivered["type"] == "EstimateReviewed"
        assert delivered["data"]["report_no"] == "GS-2027-1" and got[-1]["headers"]["x-event-id"] == event_id
        item = gw.get(deliveries_url, headers=bdb).json()["items"][0]
        assert item["attempts"] == 3 and [a["status_code"] for a in item["history"]] == [503, 503, 200]
        # redelivery on demand: one more, also signed
        r = gw.post(f"/api/v1/webhooks/deliveries/{item['id']}/redeliver", headers=bdb)
        assert r.status_code == 202, r.text
        eventually(lambda: len(receiver.deliveries()) == 4)
        assert valid_signature(WEBHOOK_SECRET, receiver.deliveries()[-1])
        assert is_problem(gw.get(deliveries_url, headers=bearer("bdb", "ORG-OTHER")), 404)
        assert is_problem(gw.get(deliveries_url, headers=bearer("unit", "ORG-BDB")), 403)


# -- portals ------------------------------------------------------------------------------------
def test_portal_todos_opened_and_closed(gw_env):
    stack, yzt, sfb = gw_env
    pid = uuid.uuid4()
    publish(
        stack,
        ReviewStarted(
            project_id=pid, org="ORG-CITY", title="城市大脑二期", estimated_investment="2500000.00", declared_on=today()
        ),
    )
    publish(stack, EstimateReviewOpened(project_id=pid, estimated_investment="2500000.00", due_on=today()))
    eventually(lambda: len(yzt.by_project(str(pid))) == 3, timeout=20)
    todos = yzt.by_project(str(pid))
    assert {(t["kind"], t["role"]) for t in todos.values()} == {
        ("joint_review", "bdb"),
        ("joint_review", "approval_bureau"),
        ("estimate_review", "finance"),
    }
    assert all(
        t["status"] == "open" and "城市大脑二期" in t["title"] or t["kind"] == "estimate_review" for t in todos.values()
    )
    publish(stack, EstimateReviewed(project_id=pid, report_no="GS-9", reviewed_amount="2400000.00"))
    eventually(lambda: yzt.by_project(str(pid))[f"govpm-estimate_review-{pid}-finance"]["status"] == "done")
    publish(
        stack,
        ProjectApproved(
            project_id=pid,
            org="ORG-CITY",
            title="城市大脑二期",
            approved_investment="2400000.00",
            technical_opinion_no="JS-1",
            approval_document_no="PF-1",
            estimate_review_required=True,
            serves_public=True,
            approved_on=today(),
            declared_on=today(),
        ),
    )
    # Events put straight on the broker have no outbox to catch up from: only the Kafka path brings
    # them, which may first wait for the gateway's consumer to rejoin its group.
    # the three to-dos of the review are done (later clocks of the approved project may open others)
    eventually(lambda: all(yzt.by_project(str(pid))[k]["status"] == "done" for k in todos), timeout=45)
    eventually(lambda: sfb.of_project(str(pid)) == ["approved"])


# -- audit --------------------------------------------------------------------------------------
def test_gateway_audit_chain_verifies_and_detects_an_edit(gw_env, gw):
    stack = gw_env[0]
    admin = bearer("admin", "ORG-ADMIN", sub="auditor-test")
    assert (
        gw.post(
            "/api/v1/admin/api-keys", json={"name": "审计", "org": "ORG-A", "roles": ["unit"]}, headers=admin
        ).status_code
        == 201
    )
    url = stack.env.get("GOVPM_GATEWAY_DATABASE_URL") or f"sqlite+aiosqlite:///{stack.data_dir / 'gateway.db'}"
    cli = [sys.executable, "-m", "govkit.cli", "audit-verify", "--service", "gateway", "--database-url", url]
    from sqlalchemy import select, update

    from govkit.db import make_engine, make_sessionmaker
    from govkit.kernel_models import OutboxEvent
    from govkit.outbox import verify_chain

    async def verify():
        engine = make_engine(url)
        try:
            async with make_sessionmaker(engine, "gateway")() as s:
                return await verify_chain(s)
        finally:
            await engine.dispose()

    assert asyncio.run(verify()) == []  # what `audit-verify` runs

    async def tamper():
        engine = make_engine(url)
        try:
            async with make_sessionmaker(engine, "gateway")() as s:
                row = await s.scalar(
                    select(OutboxEvent)
                    .where(OutboxEvent.type == "ApiKeyCreated")
                    .order_by(OutboxEvent.seq.desc())
                    .limit(1)
                )
                await s.execute(update(OutboxEvent).where(OutboxEvent.seq == row.seq).values(actor="someone-else"))
                await s.commit()
                return row.seq
        finally:
            await engine.dispose()

    seq = asyncio.run(tamper())
    bad = subprocess.run(cli, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1 and f"BROKEN seq={seq}" in bad.stdout, bad.stdout + bad.stderr


def test_asyncapi_and_openapi_served(gw):
    doc = gw.get("/openapi.json").json()
    assert "/api/v1/webhooks/subscriptions" in doc["paths"]
    assert doc["paths"]["/api/v1/admin/api-keys"]["post"]["x-roles"] == ["admin"]
    r = gw.get("/asyncapi.json")
    assert r.status_code == 200 and "EstimateReviewed" in r.text, r.text[:300]
    assert r.headers["x-content-type-options"] == "nosniff" and r.headers["x-request-id"]
