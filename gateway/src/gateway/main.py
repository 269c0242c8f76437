"""Gateway app: one door for outside callers.

Front (pure ASGI, every request): request id (in every response and log line), security headers,
request size limit (413), authentication of `/api/v1/…` (JWT or `X-API-Key`; 401 problem+json),
per-principal rate limit (429 + Retry-After). Then either the hot-path proxy to a service
(`/api/v1/<service>/…`, `/api/v1/projects…`) or the gateway's own FastAPI app: health, the merged
OpenAPI and AsyncAPI documents, API keys (`/api/v1/admin/api-keys`) and webhooks
(`/api/v1/webhooks`). In the background: a wildcard event consumer that queues webhook deliveries
and portal calls, and the dispatcher that sends them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from pathlib import Path

import httpx
from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import JSONResponse

from govkit.context import request_id_var
from govkit.db import engine_for, make_sessionmaker
from govkit.errors import Problem, install_error_handlers, problem_response
from govkit.events import CloudEvent
from govkit.inbox import ConsumerRunner
from govkit.logging import configure_logging
from govkit.roles import document_roles
from govkit.settings import SERVICES
from govkit.tracing import FASTAPI_TELEMETRY

from . import apikeys, console, webhooks
from . import portals as portals_mod
from .auth import Authenticator
from .config import Settings
from .openapi import merged_openapi
from .protection import make_limiter, retry_after, security_headers
from .proxy import Proxy, check_raw_path, raw_path, send_problem
from .routes import UNAUTHENTICATED, is_upload

SERVICE_ROOT = Path(__file__).resolve().parents[2]  # gateway/ (alembic.ini, migrations/)
BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class BodyTooLarge(Problem):
    def __init__(self, limit: int):
        super().__init__(413, f"请求体超过上限 {limit} 字节")


def create_app(settings: Settings | None = None):
    settings = settings or Settings()
    configure_logging("gateway", settings.log_level)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # unstructured per-call lines; ours carry request ids
    app = FastAPI(
        title="GovPM gateway",
        version="1.0.0",
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
        telemetry=FASTAPI_TELEMETRY,
    )
    authenticator = Authenticator(settings, lambda: app.state.sessionmaker)
    proxy = Proxy(settings)
    limiter = make_limiter(settings)  # shared (Redis) when configured, else in-process
    portals = portals_mod.Portals(settings)
    extra_headers = security_headers(settings)

    async def on_event(session, event: CloudEvent) -> None:
        """Wildcard handler: in the inbox transaction, queue webhook deliveries and portal calls."""
        queued = await webhooks.fan_out(session, event) if settings.webhooks_enabled else 0
        messages = await portals.plan(session, event)
        await portals_mod.queue(session, event, messages)
        if queued or messages:
            session.info["emitted"] = True  # the runner then calls on_commit → wakes the dispatcher

    @contextlib.asynccontextmanager
    async def lifespan(_app):
        engine = engine_for(settings)
        app.state.engine = engine
        app.state.sessionmaker = make_sessionmaker(engine, "gateway")
        if settings.migrate_on_start:  # imported here: Alembic stays out of a server started migrated
            from govkit.migrations import upgrade_head

            await upgrade_head(engine, SERVICE_ROOT)
        await proxy.start()
        app.state.http = httpx.AsyncClient(timeout=3)
        dispatcher = webhooks.Dispatcher(app.state.sessionmaker, settings, portals)
        app.state.dispatcher = dispatcher
        consumer = ConsumerRunner("gateway", app.state.sessionmaker, settings, {}, on_event, on_commit=dispatcher.wake)
        app.state.consumer = consumer
        tasks = [asyncio.create_task(dispatcher.run(), name="gateway-dispatcher")]
        if settings.audit_signing_key_file and settings.audit_anchor_interval_s > 0:
            from govkit.anchoring import anchor_loop  # the gateway's own audit chain is anchored too

            tasks.append(
                asyncio.create_task(
                    anchor_loop(app.state.sessionmaker, "gateway", settings), name="gateway-audit-anchor"
                )
            )
        if settings.webhooks_enabled or portals.enabled:
            if settings.kafka_enabled:
                tasks.append(asyncio.create_task(consumer.run_kafka(), name="gateway-consumer"))
            if settings.catchup_interval_s > 0:
                tasks.append(asyncio.create_task(consumer.run_catch_up_loop(), name="gateway-catchup"))
        app.state.tasks = tasks
        try:
            yield
        finally:
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await app.state.http.aclose()
            await proxy.close()
            await engine.dispose()

    app.router.lifespan_context = lifespan
    app.state.settings = settings
    app.state.proxy = proxy
    app.state.authenticator = authenticator
    app.state.verifier = authenticator.verifier
    app.state.limiter = limiter
    app.state.portals = portals
    install_error_handlers(app)
    app.include_router(apikeys.router)
    app.include_router(webhooks.router)

    @app.get("/healthz", tags=["health"], summary="整个系统的健康状况（无需凭证）")
    async def healthz():
        async def ready(name):
            try:
                r = await app.state.http.get(f"{settings.service_url(name)}/readyz")
                return name, r.json()
            except (httpx.HTTPError, ValueError):
                return name, None

        results = dict(await asyncio.gather(*(ready(n) for n in SERVICES)))
        rate_limit = await limiter.health()
        services = {n: ("ok" if r and r.get("status") == "ok" else "down") for n, r in results.items()}
        broker_states = [r.get("broker") for r in results.values() if r]
        broker = "ok" if broker_states and all(b in ("ok", "disabled") for b in broker_states) else "down"
        status = "ok" if all(v == "ok" for v in services.values()) and broker == "ok" else "degraded"
        consumers = {
            n: {"backlog": r.get("consumer_backlog", 0), "oldest_unapplied_s": r.get("oldest_unapplied_s", 0)}
            for n, r in results.items()
            if r
        }
        return {
            "status": status,
            "services": services,
            "broker": broker,
            "consumers": consumers,
            "rate_limit": rate_limit,
        }

    @app.get("/readyz", include_in_schema=False)
    async def readyz():
        """Can this replica serve: its database answers and it has somewhere to route (the
        Kubernetes readiness probe). The services' own state is /healthz's business."""
        from sqlalchemy import text

        try:
            async with app.state.sessionmaker() as s:
                await s.execute(text("SELECT 1"))
            database = "ok"
        except Exception:  # noqa: BLE001 - any failure: not ready
            database = "down"
        routes = "ok" if proxy.session is not None and not proxy.session.closed and proxy.bases else "down"
        ready = database == "ok" and routes == "ok"
        return JSONResponse(
            {"status": "ok" if ready else "unavailable", "database": database, "routes": routes},
            status_code=200 if ready else 503,
        )

    @app.get("/openapi.json", include_in_schema=False)
    async def openapi():
        return await merged_openapi(settings, app.openapi())

    @app.get("/asyncapi.json", include_in_schema=False)
    async def asyncapi():
        try:
            from govkit.asyncapi import build_asyncapi
        except ImportError:
            return problem_response(503, Problem(503, "AsyncAPI 文档暂不可用").body("/asyncapi.json"))
        return JSONResponse(build_asyncapi())

    @app.get("/docs", include_in_schema=False)
    async def docs():
        return get_swagger_ui_html(openapi_url="/openapi.json", title="GovPM API")

    document_roles(app)
    console.install(app, settings)  # /auth/config, /auth/dev-token and, last, the console at /
    fastapi_app = app
    max_body = settings.max_body_bytes
    max_upload = settings.max_upload_bytes

    async def front(scope, receive, send):
        if scope["type"] != "http":
            return await fastapi_app(scope, receive, send)
        rid = authz = api_key = length = None
        for k, v in scope["headers"]:
            if k == b"x-request-id":
                rid = v.decode("latin-1")[:80]
            elif k == b"authorization":
                authz = v.decode("latin-1")
            elif k == b"x-api-key":
                api_key = v.decode("latin-1")
            elif k == b"content-length":
                length = v
        rid = rid or uuid.uuid4().hex
        scope["govpm.request_id"] = rid
        request_id_var.set(rid)
        rid_header = (b"x-request-id", rid.encode("latin-1"))
        started = False

        async def _send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", ()))
                if not any(k == b"x-request-id" for k, _ in headers):
                    headers.append(rid_header)
                headers.extend(extra_headers)
                message["headers"] = headers
            await send(message)

        path = scope["path"]
        method = scope["method"]
        limit = max_upload if is_upload(method, path) else max_body
        try:
            raw = raw_path(scope)
            if path.startswith("/api/"):
                check_raw_path(raw)
            if length is not None:
                try:
                    too_big = int(length) > limit
                except ValueError:
                    raise Problem(400, "Content-Length 无效") from None
                if too_big:
                    raise BodyTooLarge(limit)
            elif method in BODY_METHODS:
                receive = _limited(receive, limit)
            if path.startswith("/api/v1/") and not raw.startswith(UNAUTHENTICATED):
                identity = await authenticator.authenticate(authz, api_key)
                scope["govpm.principal"] = identity.principal
                if identity.upstream_auth:
                    scope["govpm.upstream_auth"] = identity.upstream_auth
                bucket = identity.key
            else:
                client = scope.get("client")
                bucket = f"ip:{client[0] if client else '-'}"
            wait = await limiter.acquire(bucket)
            if wait:
                raise Problem(429, "请求过于频繁，请稍后重试", headers={"Retry-After": retry_after(wait)})
            if proxy.matches(raw):  # routed on the raw path: an encoded service name is not a service
                return await proxy(scope, receive, _send)
            return await fastapi_app(scope, receive, _send)
        except Problem as problem:
            if started:
                raise
            return await send_problem(_send, problem, rid)

    asgi = front
    if settings.cors_origins:
        from starlette.middleware.cors import CORSMiddleware

        asgi = CORSMiddleware(
            front,
            allow_origins=settings.cors_origins,
            allow_credentials="*" not in settings.cors_origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=[
                "authorization",
                "content-type",
                "x-api-key",
                "idempotency-key",
                "if-match",
                "x-request-id",
                "traceparent",
            ],
            expose_headers=["x-request-id", "retry-after", "etag", "idempotent-replayed"],
            max_age=600,
        )

    async def app_entry(scope, receive, send):
        return await asgi(scope, receive, send)

    app_entry.state = app.state  # type: ignore[attr-defined]
    app_entry.fastapi = app  # type: ignore[attr-defined]
    from .metrics import instrument  # GET /metrics, request metrics, tracing set-up

    return instrument(app_entry)


def _limited(receive, limit: int):
    """A receive that refuses a chunked body beyond `limit` bytes (no Content-Length given)."""
    seen = 0

    async def _receive():
        nonlocal seen
        message = await receive()
        seen += len(message.get("body", b""))
        if seen > limit:
            raise BodyTooLarge(limit)
        return message

    return _receive
