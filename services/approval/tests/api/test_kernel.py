from govkit.dev.testing import auth


async def test_health_and_ready(client):
    assert (await client.get("/healthz")).json()["status"] == "ok"
    ready = (await client.get("/readyz")).json()
    assert ready["database"] == "ok"


async def test_internal_events_needs_a_service_credential(client):
    assert (await client.get("/internal/events")).status_code == 401
    assert (await client.get("/internal/events", headers=auth("bdb"))).status_code == 403
    ok = await client.get("/internal/events", headers=auth("service"))
    assert ok.status_code == 200 and ok.json()["items"] == []
