"""Rate limits, request size limit, security headers, request ids, CORS."""

from govkit.dev.testing import auth

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
        big = {
            "url": "http://127.0.0.1:9/x",
            "event_types": ["ProjectApproved"],
            "secret": "s" * 20,
            "description": "x" * 2000,
        }
        r = await gw.post(SUBS, json=big, headers=auth("bdb", "ORG-A"))
        assert r.status_code == 413 and r.json()["status"] == 413

        async def chunks():  # no Content-Length: counted while streaming
            for _ in range(5):
                yield b"x" * 400

        r = await gw.post("/api/v1/reserve/declarations", content=chunks(), headers=auth("unit", "ORG-A"))
        assert r.status_code == 413


async def test_cors(make_gateway):
    async with make_gateway(cors_origins=["https://console.example"]) as gw:
        r = await gw.options(
            SUBS,
            headers={
                "Origin": "https://console.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization,content-type",
            },
        )
        assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "https://console.example"
        r = await gw.get(SUBS, headers={"Origin": "https://console.example", **auth("bdb", "ORG-A")})
        assert r.headers["access-control-allow-origin"] == "https://console.example"
        assert "x-request-id" in r.headers["access-control-expose-headers"]
        r = await gw.get("/healthz", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in r.headers


async def _upstream():
    """A bare HTTP/1.1 server standing in for a service: reads the whole request body (Content-Length
    or chunked) and answers 201 with the number of body bytes it received."""
    import asyncio

    received = []

    async def handle(reader, writer):
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            headers = {
                k.strip().lower(): v.strip()
                for k, _, v in (line.partition(":") for line in head.decode().split("\r\n")[1:] if line)
            }
            n = 0
            if "content-length" in headers:
                n = len(await reader.readexactly(int(headers["content-length"])))
            else:
                while True:
                    size = int((await reader.readline()).strip(), 16)
                    if size == 0:
                        await reader.readline()
                        break
                    n += len(await reader.readexactly(size))
                    await reader.readline()
            received.append(n)
            body = str(n).encode()
            writer.write(
                b"HTTP/1.1 201 Created\r\nconnection: close\r\ncontent-type: text/plain\r\ncontent-length: "
                + str(len(body)).encode()
                + b"\r\n\r\n"
                + body
            )
            await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            received.append(-1)  # the body was cut off
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    return server, f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}", received


async def test_document_uploads_stream_with_their_own_limit(make_gateway):
    """POST …/documents may exceed max_body_bytes up to max_upload_bytes and streams to the service;
    beyond it 413, with or without Content-Length; other bodies keep max_body_bytes."""
    server, url, received = await _upstream()
    mp = {**auth("unit", "ORG-A"), "content-type": "multipart/form-data; boundary=x"}
    try:
        async with make_gateway(max_body_bytes=1000, max_upload_bytes=5000, reserve_url=url) as gw:
            path = "/api/v1/reserve/projects/00000000-0000-0000-0000-000000000001/documents"
            r = await gw.post(path, content=b"x" * 6000, headers=mp)
            assert r.status_code == 413 and received == []  # refused before anything went upstream

            async def chunks(n):
                for _ in range(n):
                    yield b"x" * 1000

            r = await gw.post(path, content=chunks(4), headers=mp)  # within: streamed, chunked
            assert r.status_code == 201 and r.text == "4000"
            r = await gw.post(path, content=b"y" * 3000, headers=mp)  # within, with Content-Length
            assert r.status_code == 201 and r.text == "3000"
            r = await gw.post(path, content=chunks(6), headers=mp)  # over, discovered mid-stream
            assert r.status_code == 413
            r = await gw.post("/api/v1/reserve/declarations", content=b"x" * 3000, headers=auth("unit", "ORG-A"))
            assert r.status_code == 413
    finally:
        server.close()
    assert received[:2] == [4000, 3000] and received[2:] in ([], [-1])


def test_internal_paths_are_not_public():
    from gateway.routes import resolve

    assert resolve("/api/v1/reserve/internal/events") is None
    assert resolve("/api/v1/acceptance/internal/documents/x") is None
    assert resolve("/api/v1/budget/projects/p/documents") == ("budget", "/projects/p/documents")
    assert resolve("/api/v1/oversight/documents/d") == ("oversight", "/documents/d")


REDIS = "redis://127.0.0.1:6379/0"


def _redis_up() -> bool:
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


async def test_rate_limit_shared_by_every_replica_through_redis(make_gateway):
    """Two gateway replicas with a shared store allow the burst once between them, not twice; the
    in-process limiter (no store configured) counts per replica; /healthz says which."""
    import pytest

    if not _redis_up():
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    import uuid

    sub = f"carol-{uuid.uuid4().hex[:8]}"  # a fresh key in the shared store
    h = auth("bdb", "ORG-R", sub=sub)
    conf = dict(rate_limit_per_s=0.01, rate_limit_burst=3, rate_limit_storage_url=REDIS)
    async with make_gateway(**conf) as one, make_gateway(**conf) as two:
        codes = [(await gw.get(SUBS, headers=h)).status_code for gw in (one, two, one, two)]
        assert codes == [200, 200, 200, 429]
        r = await one.get(SUBS, headers=h)
        assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
        assert (await one.get("/healthz")).json()["rate_limit"] == {"store": "redis", "status": "ok"}
    local = dict(rate_limit_per_s=0.01, rate_limit_burst=3)
    async with make_gateway(**local) as one, make_gateway(**local) as two:
        codes = [(await gw.get(SUBS, headers=h)).status_code for gw in (one, two, one, two)]
        assert codes == [200, 200, 200, 200]  # per replica: 2 each
        assert (await one.get("/healthz")).json()["rate_limit"] == {"store": "in-process", "status": "ok"}


async def test_an_unreachable_store_admits_and_says_down(make_gateway):
    from govkit.dev.stack import free_port

    async with make_gateway(
        rate_limit_per_s=0.01, rate_limit_burst=1, rate_limit_storage_url=f"redis://127.0.0.1:{free_port()}/0"
    ) as gw:
        h = auth("bdb", "ORG-R", sub="dave")
        assert [(await gw.get(SUBS, headers=h)).status_code for _ in range(2)] == [200, 200]
        assert (await gw.get("/healthz")).json()["rate_limit"] == {"store": "redis", "status": "down"}
