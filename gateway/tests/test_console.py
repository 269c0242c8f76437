"""The console served by the gateway (cache headers, SPA fallback) and its sign-in endpoints."""

import jwt
import pytest

from govkit.dev.testing import TEST_SECRET


@pytest.fixture
def dist(tmp_path):
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><div id=app></div>", encoding="utf-8")
    (tmp_path / "assets" / "index-abc123.js").write_text("console.log(1)", encoding="utf-8")
    (tmp_path / "favicon.ico").write_bytes(b"\0")
    return tmp_path


async def test_hashed_assets_are_cached_long_and_index_never(make_gateway, dist):
    async with make_gateway(console_dir=str(dist)) as gw:
        r = await gw.get("/assets/index-abc123.js")
        assert r.status_code == 200 and r.text == "console.log(1)"
        assert r.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert "javascript" in r.headers["content-type"]
        r = await gw.get("/")
        assert r.status_code == 200 and "id=app" in r.text
        assert r.headers["cache-control"] == "no-cache"
        assert (await gw.get("/index.html")).headers["cache-control"] == "no-cache"
        assert (await gw.get("/favicon.ico")).headers["cache-control"] == "public, max-age=3600"


async def test_client_routes_fall_back_to_the_page(make_gateway, dist):
    async with make_gateway(console_dir=str(dist)) as gw:
        for path in (
            "/console",
            "/console/projects/7b0c6a5e-0000-4000-8000-000000000001",
            "/console/review/x",
            "/console/login?redirect=/console/projects",
        ):
            r = await gw.get(path)
            assert r.status_code == 200 and "id=app" in r.text, path
            assert r.headers["cache-control"] == "no-cache"
        # a stale hashed asset is a 404, not the page (a browser would run HTML as a script)
        assert (await gw.get("/assets/index-old.js")).status_code == 404
        # paths outside the dist folder are never read
        r = await gw.get("/..%2F..%2Fetc%2Fpasswd")
        assert r.status_code in (200, 404) and "root:" not in r.text
        # the API keeps its own 404s, health and documents stay what they were
        r = await gw.get("/api/v1/unknown", headers={"Authorization": "Bearer x"})
        assert r.status_code in (401, 404) and r.headers["content-type"].startswith("application/problem+json")
        assert (await gw.get("/openapi.json")).status_code == 200
        assert (await gw.get("/auth/nothing")).status_code == 404


async def test_without_a_build_the_api_still_answers(make_gateway, tmp_path):
    async with make_gateway(console_dir=str(tmp_path / "none")) as gw:
        r = await gw.get("/console/projects")
        assert r.status_code == 503 and "控制台尚未构建" in r.text
        assert (await gw.get("/auth/config")).status_code == 200


async def test_dev_token_for_a_demo_identity(gw):
    config = (await gw.get("/auth/config")).json()
    assert config["dev_sign_in"] is True and config["oidc"] is None
    assert {"role": "unit", "org": "ORG-001"}.items() <= config["demo_identities"][0].items()
    r = await gw.post("/auth/dev-token", json={"role": "finance", "org": "CZJ", "name": "钱科长"})
    assert r.status_code == 200, r.text
    claims = jwt.decode(r.json()["access_token"], TEST_SECRET, algorithms=["HS256"])
    assert claims["roles"] == ["finance"] and claims["org"] == "CZJ" and claims["name"] == "钱科长"
    # the token opens the API
    r = await gw.get("/api/v1/admin/api-keys", headers={"Authorization": f"Bearer {r.json()['access_token']}"})
    assert r.status_code in (200, 403)


async def test_dev_token_names_a_bad_role(gw):
    r = await gw.post("/auth/dev-token", json={"role": "king", "org": "X"})
    assert r.status_code == 422 and r.json()["field"] == "role" and "king" in r.json()["detail"]
    r = await gw.post("/auth/dev-token", json={"org": "X"})
    assert r.status_code == 422 and r.json()["field"] == "role"


async def test_dev_token_refused_outside_dev_and_oidc_exposed(make_gateway):
    async with make_gateway(
        env="prod", oidc_issuer="https://idp.example/realms/gov", oidc_client_id="govpm-console"
    ) as gw:
        r = await gw.post("/auth/dev-token", json={"role": "admin", "org": "BDB"})
        assert r.status_code == 403 and "统一身份认证" in r.json()["detail"]
        config = (await gw.get("/auth/config")).json()
        assert config["dev_sign_in"] is False and config["demo_identities"] == []
        assert config["oidc"]["issuer"] == "https://idp.example/realms/gov"
        assert config["oidc"]["client_id"] == "govpm-console"


async def test_allow_names_the_methods_of_the_route_not_the_consoles_catch_all(gw):
    """`OPTIONS /auth/dev-token` is a 405 whose Allow is POST: the console's catch-all GET answers only
    paths no documented route matches (schemathesis: Allow advertised an undocumented GET)."""
    r = await gw.options("/auth/dev-token")
    assert r.status_code == 405 and r.headers["allow"] == "POST", r.headers.get("allow")
    r = await gw.request("DELETE", "/console/projects")
    assert r.status_code == 405 and r.headers["allow"] == "GET, HEAD", r.headers.get("allow")


async def test_get_on_a_post_only_route_is_405_not_the_consoles_404(gw):
    r = await gw.get("/auth/dev-token")
    assert r.status_code == 405 and r.headers["allow"] == "POST", (r.status_code, r.headers.get("allow"))
