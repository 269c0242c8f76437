"""What the proxy forwards back: a small answer whole with its Content-Length (one write after the
headers), a large one streamed byte for byte, and never a cookie kept from one caller for the next
(one upstream session serves every caller)."""

import hashlib

import pytest
from aiohttp import web

from govkit.dev.stack import free_port
from govkit.dev.testing import auth

SERVICES = ("reserve", "approval", "budget", "oversight", "acceptance")
BIG = bytes(range(256)) * 1200  # 300 KiB, beyond the proxy's one-read size


@pytest.fixture(scope="module")
async def upstream():
    cookies_seen: list[str | None] = []

    async def small(request):
        cookies_seen.append(request.headers.get("cookie"))
        resp = web.json_response({"ok": True, "项目": "一"})
        resp.set_cookie("session", "secret-of-the-first-caller")
        return resp

    async def big(request):
        resp = web.StreamResponse(headers={"content-type": "application/octet-stream"})
        resp.enable_chunked_encoding()
        await resp.prepare(request)
        for i in range(0, len(BIG), 64 * 1024):
            await resp.write(BIG[i : i + 64 * 1024])
        await resp.write_eof()
        return resp

    async def sized(request):
        return web.Response(body=BIG, content_type="application/octet-stream")

    app = web.Application()
    app.router.add_get("/small", small)
    app.router.add_get("/big", big)
    app.router.add_get("/sized", sized)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    yield f"http://localhost:{port}", cookies_seen  # a host name: an IP address keeps no cookies anyway
    await runner.cleanup()


@pytest.fixture(scope="module")
async def gwp(upstream, make_gateway):
    base, _ = upstream
    async with make_gateway(**{f"{s}_url": base for s in SERVICES}) as client:
        yield client


async def test_a_small_answer_keeps_its_length_and_body(gwp):
    r = await gwp.get("/api/v1/reserve/small", headers=auth("unit", "ORG-P"))
    assert r.status_code == 200
    assert r.json() == {"ok": True, "项目": "一"}
    assert r.headers["content-length"] == str(len(r.content))
    assert "transfer-encoding" not in r.headers


@pytest.mark.parametrize("path", ["/api/v1/budget/big", "/api/v1/budget/sized"])
async def test_a_large_answer_streams_through_unchanged(gwp, path):
    r = await gwp.get(path, headers=auth("unit", "ORG-P"))
    assert r.status_code == 200
    assert len(r.content) == len(BIG) and hashlib.sha256(r.content).digest() == hashlib.sha256(BIG).digest()
    if path.endswith("sized"):
        assert r.headers["content-length"] == str(len(BIG))


async def test_a_cookie_set_upstream_is_never_sent_for_another_caller(gwp, upstream):
    _, cookies_seen = upstream
    for org in ("ORG-A", "ORG-B"):
        gwp.cookies.clear()  # the test client's own jar: a caller that sends no cookie
        r = await gwp.get("/api/v1/reserve/small", headers=auth("unit", org))
        assert r.status_code == 200
    assert cookies_seen[-2:] == [None, None]
