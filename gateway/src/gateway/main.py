"""Gateway app: the proxy for /api/v1/<service>/…, health of the whole system, merged OpenAPI."""
from __future__ import annotations

import asyncio
import contextlib

import httpx
from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html

from govkit.auth import TokenVerifier
from govkit.errors import Problem, install_error_handlers
from govkit.logging import configure_logging
from govkit.settings import SERVICES

from .config import Settings
from .openapi import merged_openapi
from .proxy import Proxy


def create_app(settings: Settings | None = None):
    settings = settings or Settings()
    configure_logging("gateway", settings.log_level)
    verifier = TokenVerifier(settings.jwt_secret, settings.jwt_algorithm, settings.jwks_url, settings.jwt_audience)

    async def authenticate(scope, headers: dict) -> dict | None:
        auth = headers.get("authorization", "")
        scheme, _, token = auth.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise Problem(401, "缺少凭证：需要 Authorization: Bearer <token>", headers={"WWW-Authenticate": "Bearer"})
        verifier.verify(token.strip())
        return None

    proxy = Proxy(settings, authenticate)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        await proxy.start()
        app.state.http = httpx.AsyncClient(timeout=3)
        try:
            yield
        finally:
            await app.state.http.aclose()
            await proxy.close()

    app = FastAPI(title="GovPM gateway", lifespan=lifespan, openapi_url=None, docs_url=None, redoc_url=None)
    app.state.settings = settings
    app.state.proxy = proxy
    install_error_handlers(app)

    @app.get("/healthz")
    async def healthz():
        async def ready(name):
            try:
                r = await app.state.http.get(f"{settings.service_url(name)}/readyz")
                return name, r.json()
            except (httpx.HTTPError, ValueError):
                return name, None

        results = dict(await asyncio.gather(*(ready(n) for n in SERVICES)))
        services = {n: ("ok" if r and r.get("status") == "ok" else "down") for n, r in results.items()}
        broker_states = [r.get("broker") for r in results.values() if r]
        broker = "ok" if broker_states and all(b in ("ok", "disabled") for b in broker_states) else "down"
        status = "ok" if all(v == "ok" for v in services.values()) and broker == "ok" else "degraded"
        return {"status": status, "services": services, "broker": broker}

    @app.get("/openapi.json", include_in_schema=False)
    async def openapi():
        return await merged_openapi(settings, app.openapi())

    @app.get("/docs", include_in_schema=False)
    async def docs():
        return get_swagger_ui_html(openapi_url="/openapi.json", title="GovPM API")

    fastapi_app = app

    async def asgi(scope, receive, send):
        if scope["type"] == "http" and proxy.matches(scope["path"]):
            return await proxy(scope, receive, send)
        return await fastapi_app(scope, receive, send)

    asgi.state = app.state  # type: ignore[attr-defined]
    asgi.fastapi = app  # type: ignore[attr-defined]
    return asgi
