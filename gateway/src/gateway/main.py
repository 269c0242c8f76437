"""Gateway app: one door for outside callers — `uvicorn --factory gateway.main:create_app`.

The front door (front.py) authenticates, limits and routes every request: to a service through the
hot-path proxy, or to the gateway's own FastAPI app — health, the merged OpenAPI and AsyncAPI
documents, API keys (`/api/v1/admin/api-keys`), webhooks (`/api/v1/webhooks`), the console. The
app runs on the kernel's lifespan (govkit.app.service_lifespan) like every service: the database,
a wildcard event consumer that queues webhook deliveries and portal calls (handlers.py), the
dispatcher that sends them, the audit anchoring. Its audit chain is the kernel outbox, never
published (no relay).
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

import httpx
from fastapi import FastAPI

from govkit.app import ServiceSpec, service_lifespan
from govkit.errors import install_error_handlers
from govkit.logging import configure_logging
from govkit.openapi import document_roles
from govkit.tracing import FASTAPI_TELEMETRY

from . import console, models  # noqa: F401  (models: every table)
from .apidocs.endpoints import router as apidocs_router
from .apikeys.endpoints import router as apikeys_router
from .auth import Authenticator
from .config import Settings
from .front import front_door
from .handlers import wildcard
from .health.endpoints import router as health_router
from .metrics import instrument
from .portals.service import Portals
from .protection import make_limiter, security_headers
from .proxy import Proxy
from .webhooks.dispatcher import Dispatcher
from .webhooks.endpoints import router as webhooks_router

SERVICE_ROOT = Path(__file__).resolve().parents[2]  # gateway/ (alembic.ini, migrations/)


def create_app(settings: Settings | None = None):
    settings = settings or Settings()
    configure_logging("gateway", settings.log_level)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # unstructured per-call lines; ours carry request ids
    proxy = Proxy(settings)
    portals = Portals(settings)

    @contextlib.asynccontextmanager
    async def resources(app: FastAPI):
        await proxy.start()
        app.state.http = httpx.AsyncClient(timeout=3)
        app.state.dispatcher = Dispatcher(app.state.sessionmaker, settings, portals)
        try:
            yield
        finally:
            await app.state.http.aclose()
            await proxy.close()

    spec = ServiceSpec(
        name="gateway",
        root=SERVICE_ROOT,
        routers=[apikeys_router, webhooks_router, health_router, apidocs_router],
        wildcard=wildcard(settings, portals) if settings.webhooks_enabled or portals.enabled else None,
        background={"dispatcher": lambda app: app.state.dispatcher.run()},
        relay=False,  # its audit entries are never published
        resources=resources,
        on_commit=lambda app: app.state.dispatcher.wake,
        title="GovPM gateway",
    )
    app = FastAPI(
        title=spec.title,
        version="1.0.0",
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
        lifespan=service_lifespan(spec, settings),
        telemetry=FASTAPI_TELEMETRY,
    )
    authenticator = Authenticator(settings, lambda: app.state.sessionmaker)
    limiter = make_limiter(settings)  # shared (Redis) when configured, else in-process
    app.state.settings = settings
    app.state.proxy = proxy
    app.state.authenticator = authenticator
    app.state.verifier = authenticator.verifier
    app.state.limiter = limiter
    app.state.portals = portals
    install_error_handlers(app)
    for router in spec.routers:
        app.include_router(router)
    document_roles(app)
    console.install(app, settings)  # /auth/config, /auth/dev-token and, last, the console at /
    asgi = front_door(
        app,
        settings,
        authenticator=authenticator,
        limiter=limiter,
        proxy=proxy,
        extra_headers=security_headers(settings),
    )

    async def app_entry(scope, receive, send):
        return await asgi(scope, receive, send)

    app_entry.state = app.state  # type: ignore[attr-defined]
    app_entry.fastapi = app  # type: ignore[attr-defined]
    return instrument(app_entry)  # GET /metrics, request metrics, tracing set-up
