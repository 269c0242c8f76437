"""/docs is Swagger UI served whole by the gateway: its script, style and icon come from the gateway
itself (the 政务外网 reaches no CDN), from the pinned swagger-ui-bundle-v2 wheel."""

import re


async def test_docs_page_loads_its_assets_from_the_gateway(gw):
    r = await gw.get("/docs")
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    urls = re.findall(r"""(?:src|href)=['"]([^'"]+)['"]""", r.text) + re.findall(r"url: '([^']+)'", r.text)
    assert urls and "/openapi.json" in urls
    for url in urls:
        assert url.startswith("/") and "//" not in url, url  # nothing from elsewhere
    for url in [u for u in urls if u.startswith("/docs/assets/")]:
        asset = await gw.get(url)
        assert asset.status_code == 200 and len(asset.content) > 500, url
        assert "max-age" in asset.headers["cache-control"]
    assert {"/docs/assets/swagger-ui-bundle.js", "/docs/assets/swagger-ui.css"} <= set(urls)
    assert b"SwaggerUIBundle" in (await gw.get("/docs/assets/swagger-ui-bundle.js")).content


async def test_only_the_known_assets_are_served(gw):
    for name in ("index.html", "swagger-ui-bundle.js.map", "..%2F__init__.py", "oauth2-redirect.js"):
        assert (await gw.get(f"/docs/assets/{name}")).status_code in (400, 404), name
