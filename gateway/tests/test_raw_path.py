"""The gateway forwards the raw path as received and refuses dot-segments and encoded separators
(issue 15: `..%2Fwindows` reached the windows list, `..%2Fmetrics` the metrics, `%3F` became a query)."""

import pytest
from aiohttp import web

from govkit.dev.stack import free_port
from govkit.dev.testing import auth

SERVICES = ("reserve", "approval", "budget", "oversight", "acceptance")
FORWARDED_PREFIXES: list[str | None] = []  # the X-Forwarded-Prefix each forwarded request carried


@pytest.fixture(scope="module")
async def upstream():
    """One fake upstream for every service, recording the raw path it received."""
    seen: list[str] = []

    async def handler(request):
        seen.append(request.raw_path)
        FORWARDED_PREFIXES.append(request.headers.get("x-forwarded-prefix"))
        return web.json_response({"ok": True})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    yield f"http://127.0.0.1:{port}", seen
    await runner.cleanup()


@pytest.fixture(scope="module")
async def gwp(upstream, make_gateway):
    base, _ = upstream
    async with make_gateway(**{f"{s}_url": base for s in SERVICES}) as client:
        yield client


PREFIXES = [f"/api/v1/{s}/declarations" for s in SERVICES] + ["/api/v1/projects"]


@pytest.mark.parametrize("prefix", PREFIXES)
@pytest.mark.parametrize(
    "suffix", ["..%2Fwindows", "..%2fmetrics", "abc%2Fwindows", "abc%5Cx", "%2e%2e/metrics", "x/%2E/y", "abc\\x"]
)  # plain ".." is resolved by the client itself
async def test_dot_segments_and_encoded_separators_are_refused(gwp, upstream, prefix, suffix):
    _, seen = upstream
    before = len(seen)
    r = await gwp.get(f"{prefix}/{suffix}", headers=auth("unit", "ORG-P"))
    assert r.status_code == 400, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert len(seen) == before  # nothing forwarded


@pytest.mark.parametrize(
    "prefix, forwarded",
    [(f"/api/v1/{s}/declarations", "/declarations") for s in SERVICES] + [("/api/v1/projects", "/projects")],
)
async def test_the_raw_path_is_forwarded_undecoded(gwp, upstream, prefix, forwarded):
    _, seen = upstream
    r = await gwp.get(f"{prefix}/abc%3Fx%20y%25?limit=5", headers=auth("unit", "ORG-P"))
    assert r.status_code == 200, r.text
    assert seen[-1] == f"{forwarded}/abc%3Fx%20y%25?limit=5"


async def test_an_encoded_service_name_is_not_a_service(gwp, upstream):
    _, seen = upstream
    before = len(seen)
    r = await gwp.get("/api/v1/%72eserve/windows", headers=auth("unit", "ORG-P"))
    assert r.status_code == 404 and len(seen) == before


@pytest.mark.parametrize(
    "path, prefix",
    [(f"/api/v1/{s}/declarations/x", f"/api/v1/{s}") for s in SERVICES]
    + [("/api/v1/projects/x", "/api/v1"), ("/api/v1/policies", "/api/v1")],
)
async def test_the_removed_prefix_is_forwarded_and_a_clients_own_is_replaced(gwp, path, prefix):
    """The service builds a problem's `instance` from X-Forwarded-Prefix + its own path."""
    r = await gwp.get(path, headers={**auth("unit", "ORG-P"), "X-Forwarded-Prefix": "/api/evil"})
    assert r.status_code == 200, r.text
    assert FORWARDED_PREFIXES[-1] == prefix
