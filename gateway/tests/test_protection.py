"""Rate limits, request size limit, security headers, request ids, CORS."""
from govkit.testing import auth

SUBS = "/api/v1/webhooks/subscriptions"


async def test_security_headers_and_request_id(gw):
    r = await gw.get("/healthz", headers={"X-Request-ID": "req-123"})
    assert r.headers["x-request-id"] == "req-123"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["referrer-policy"] == "no-referrer"
    assert "strict-transport-security" not in r.headers
    r = await gw.get(SUBS)  # a refusal carries them too, with a fresh request id
    assert r.status_code == 401 and len(r.headers["x-request-id"]) == 32
    assert r.headers["x-content-type-options"] == "nosniff"


async def test_rate_limit_per_principal(make_gateway):
    async with make_gateway(rate_limit_per_s=0.01, rate_limit_burst=3, hsts_max_age_s=31536000) as gw:
        a, b = auth("bdb", "ORG-A", sub="alice"), auth("bdb", "ORG-B", sub="bob")
        assert [(await gw.get(SUBS, headers=a)).status_code for _ in range(3)] == [200, 200, 200]
        r = await gw.get(SUBS, headers=a)
        assert r.status_code == 429 and r.headers["content-type"].startswith("application/problem+json")
        assert int(r.headers["retry-after"]) >= 1
        assert (await gw.get(SUBS, headers=b)).status_code == 200  # another principal has its own bucket
        assert r.headers["strict-transport-security"].startswith("max-age=31536000")


async def test_body_size_limit(make_gateway):
    async with make_gateway(max_body_bytes=1000) as gw:
        big = {"url": "http://127.0.0.1:9/x", "event_types": ["ProjectApproved"], "secret": "s" * 20,
               "description": "x" * 2000}
        r = await gw.post(SUBS, json=big, headers=auth("bdb", "ORG-A"))
        assert r.status_code == 413 and r.json()["status"] == 413

        async def chunks():  # no Content-Length: counted while streaming
            for _ in range(5):
                yield b"x" * 400

        r = await gw.post("/api/v1/reserve/declarations", content=chunks(), headers=auth("unit", "ORG-A"))
        assert r.status_code == 413


async def test_cors(make_gateway):
    async with make_gateway(cors_origins=["https://console.example"]) as gw:
        r = await gw.options(SUBS, headers={"Origin": "https://console.example", "Access-Control-Request-Method": "POST",
                                            "Access-Control-Request-Headers": "authorization,content-type"})
        assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "https://console.example"
        r = await gw.get(SUBS, headers={"Origin": "https://console.example", **auth("bdb", "ORG-A")})
        assert r.headers["access-control-allow-origin"] == "https://console.example"
        assert "x-request-id" in r.headers["access-control-expose-headers"]
        r = await gw.get("/healthz", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in r.headers
