"""The service app factory: routers, error handlers, middleware, health, the internal event log,
metrics, and a lifespan that migrates the database and runs the outbox relay and the consumer."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, FastAPI, Query, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, Gauge, generate_latest
from sqlalchemy import func, select, text

from . import policy_store
from .auth import ServicePrincipal, TokenVerifier
from .consumer import ConsumerRunner, Handler, Handlers
from .db import SessionDep, engine_for, make_read_sessionmaker, make_sessionmaker, utcnow
from .errors import install_error_handlers
from .kernel_models import OutboxEvent
from .logging import configure_logging
from .middleware import IdempotencyMiddleware, RequestContextMiddleware
from .outbox import Relay, event_log
from .params import BlankQueryMiddleware
from .tracing import FASTAPI_TELEMETRY, configure_tracing

OUTBOX_BACKLOG = Gauge("govpm_outbox_backlog", "Outbox rows not yet published", ["service"])
OUTBOX_OLDEST_AGE = Gauge("govpm_outbox_oldest_unsent_seconds", "Age of the oldest unsent event", ["service"])
CONSUMER_BACKLOG = Gauge(
    "govpm_consumer_backlog", "Events on the broker this consumer has not applied yet", ["service"]
)
CONSUMER_PARKED = Gauge(
    "govpm_consumer_parked", "Consumed events held until their predecessor for the same project is applied", ["service"]
)
CONSUMER_OLDEST_PARKED = Gauge(
    "govpm_consumer_oldest_parked_seconds", "Age of the oldest parked consumed event", ["service"]
)
CONSUMER_OLDEST = Gauge(
    "govpm_consumer_oldest_unapplied_seconds",
    "Age of the oldest fetched event not applied yet (0 when none)",
    ["service"],
)
BROKER_CONNECTED = Gauge("govpm_broker_connected", "1 when the relay/consumer reach the broker", ["service", "part"])


def settle_heap() -> None:
    """Once started: what the imports and the app built is moved out of the collector's sight
    (gc.freeze: never scanned again by a full collection) and the youngest generation is collected
    every 10,000 allocations instead of 700 (the collector was ≈ 6 % of a service's CPU per request)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


@dataclass
class ServiceSpec:
    name: str
    root: Path  # the service folder (alembic.ini, migrations/)
    routers: Iterable[APIRouter]
    handlers: Handlers = field(default_factory=dict)  # event class → handler (govkit.consumer)
    wildcard: Handler | None = None
    # Loops of the service's own, started with the relay and the consumer and cancelled with them:
    # name → coroutine function taking the app (its state holds the sessionmaker and the relay).
    background: dict[str, Callable[[FastAPI], Awaitable[None]]] = field(default_factory=dict)
    title: str = ""
    description: str = ""
    # False for a process that publishes nothing to the broker (the gateway: its audit entries are
    # stamped published when written), so no relay runs and `app.state.relay` is None.
    relay: bool = True
    # The process's own resources (HTTP clients, …): entered after the database is migrated and
    # before the loops start, exited after they stopped. Takes the app; `app.state` is where it puts them.
    resources: Callable[[FastAPI], contextlib.AbstractAsyncContextManager] | None = None
    # What the consumer calls after a commit that wrote something to send (default: wake the relay).
    on_commit: Callable[[FastAPI], Callable[[], None]] | None = None


def service_lifespan(spec: ServiceSpec, settings):
    """The kernel's lifespan: engine and sessions, migrations in dev, the policy versions, then the
    relay, the consumer, the catch-up, the service's background loops and the audit anchoring as
    tasks, all cancelled at shutdown. Every service app and the gateway run on it."""
    handlers = {**policy_store.handlers_for(spec.name), **spec.handlers}  # every service judges by one policy

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        engine = engine_for(settings)
        app.state.engine = engine
        app.state.sessionmaker = make_sessionmaker(engine, spec.name)
        app.state.read_sessionmaker = make_read_sessionmaker(engine, spec.name)
        if settings.migrate_on_start:  # imported here: Alembic stays out of a server started migrated
            from .migrations import upgrade_head

            await upgrade_head(engine, spec.root)
        if policy_store.kept_by(spec.name):
            await policy_store.refresh(app.state.sessionmaker)  # the versions added through the API
        relay = Relay(spec.name, app.state.sessionmaker, settings) if spec.relay else None
        app.state.relay = relay
        async with contextlib.AsyncExitStack() as resources:
            resources.push_async_callback(engine.dispose)
            if relay is not None:
                resources.push_async_callback(relay.close)
            if spec.resources is not None:
                await resources.enter_async_context(spec.resources(app))
            on_commit = spec.on_commit(app) if spec.on_commit is not None else relay.wake if relay else None
            consumer = ConsumerRunner(
                spec.name, app.state.sessionmaker, settings, handlers, spec.wildcard, on_commit=on_commit
            )
            app.state.consumer = consumer
            tasks: list[asyncio.Task] = []
            if settings.kafka_enabled:
                if relay is not None:
                    tasks.append(asyncio.create_task(relay.run(), name=f"{spec.name}-relay"))
                if handlers or spec.wildcard:
                    tasks.append(asyncio.create_task(consumer.run_kafka(), name=f"{spec.name}-consumer"))
            if (handlers or spec.wildcard) and settings.catchup_interval_s > 0:
                tasks.append(asyncio.create_task(consumer.run_catch_up_loop(), name=f"{spec.name}-catchup"))
            if (handlers or spec.wildcard) and settings.park_retry_interval_s > 0:
                tasks.append(asyncio.create_task(consumer.run_parked_loop(), name=f"{spec.name}-parked"))
            for name, loop in spec.background.items():
                tasks.append(asyncio.create_task(loop(app), name=f"{spec.name}-{name}"))
            if policy_store.kept_by(spec.name) and settings.policy_refresh_interval_s > 0:
                tasks.append(
                    asyncio.create_task(
                        policy_store.refresh_loop(app.state.sessionmaker, settings.policy_refresh_interval_s),
                        name=f"{spec.name}-policies",
                    )
                )
            if settings.audit_signing_key_file and settings.audit_anchor_interval_s > 0:
                from .anchoring import anchor_loop

                tasks.append(
                    asyncio.create_task(
                        anchor_loop(app.state.sessionmaker, spec.name, settings), name=f"{spec.name}-audit-anchor"
                    )
                )
            app.state.tasks = tasks
            settle_heap()
            try:
                yield
            finally:
                for t in tasks:
                    t.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)

    return lifespan


def create_service_app(spec: ServiceSpec, settings) -> FastAPI:
    configure_logging(spec.name, settings.log_level)
    configure_tracing(spec.name)  # OTel provider; exporters from GOVPM_OTLP_ENDPOINT / GOVPM_TRACE_FILE
    lifespan = service_lifespan(spec, settings)

    app = FastAPI(
        title=spec.title or f"GovPM {spec.name}",
        description=spec.description,
        version="1.0.0",
        lifespan=lifespan,
        telemetry=FASTAPI_TELEMETRY,
    )
    app.state.settings = settings
    app.state.service = spec.name
    app.state.verifier = TokenVerifier(
        settings.jwt_secret, settings.jwt_algorithm, settings.jwks_url, settings.jwt_audience, settings.jwt_issuer
    )
    install_error_handlers(app)
    for router in spec.routers:
        app.include_router(router)
    app.include_router(kernel_router(spec.name))
    from .openapi import document_roles  # x-roles + problem+json responses in the OpenAPI

    document_roles(app)
    app.add_middleware(IdempotencyMiddleware, service=spec.name)
    app.add_middleware(BlankQueryMiddleware)
    app.add_middleware(RequestContextMiddleware, service=spec.name)
    return app


def consumer_progress(consumer: ConsumerRunner) -> dict:
    """How far behind the consumer is: events waiting on the broker and the age of the oldest one it
    has fetched but not applied; events parked until their predecessor arrives and the oldest's age
    (for /readyz, the gateway's /healthz and /metrics)."""
    oldest = consumer.oldest_pending_ms
    age = max(0.0, time.time() - oldest / 1000) if oldest is not None else 0.0
    parked_at = consumer.oldest_parked_at
    parked_age = max(0.0, (utcnow() - parked_at).total_seconds()) if parked_at is not None else 0.0
    return {
        "consumer_backlog": consumer.backlog,
        "oldest_unapplied_s": round(age, 3),
        "parked": consumer.parked,  # held until their predecessor is applied (govkit.consumer)
        "oldest_parked_s": round(parked_age, 3),
    }


def kernel_router(service: str) -> APIRouter:
    router = APIRouter(tags=["kernel"])

    @router.get("/healthz", include_in_schema=False)
    async def healthz():
        return {"status": "ok", "service": service}

    @router.get("/readyz", include_in_schema=False)
    async def readyz(request: Request, response: Response):
        state = request.app.state
        db_ok = True
        try:
            async with state.sessionmaker() as s:
                await s.execute(text("SELECT 1"))
        except Exception:  # noqa: BLE001
            db_ok = False
        kafka = state.settings.kafka_enabled
        relay_ok = state.relay.connected if kafka and state.relay is not None else None
        consumer_ok = (  # a replica standing by while another consumes is fine (its catch-up runs too)
            (state.consumer.connected or state.consumer.standby)
            if (kafka and (state.consumer.handlers or state.consumer.wildcard))
            else None
        )
        broker_ok = all(x is not False for x in (relay_ok, consumer_ok))
        ready = db_ok and broker_ok
        response.status_code = 200 if ready else 503
        return {
            "status": "ok" if ready else "unavailable",
            "database": "ok" if db_ok else "down",
            "broker": ("ok" if broker_ok else "down") if kafka else "disabled",
            "relay": relay_ok,
            "consumer": consumer_ok,
            **consumer_progress(state.consumer),
        }

    @router.get("/internal/events", include_in_schema=False)
    async def internal_events(
        _: ServicePrincipal,
        session: SessionDep,
        after: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=1000)] = 500,
        subject: str | None = None,
    ):
        """This service's outbox as an ordered event log (catch-up and rebuilds)."""
        items = await event_log(session, service, after, limit, subject)
        return {
            "items": [i.model_dump(mode="json", exclude_none=True) for i in items],
            "next_after": items[-1].seq if items else after,
        }

    @router.post("/internal/audit/anchor", include_in_schema=False)
    async def audit_anchor(request: Request, _: ServicePrincipal, session: SessionDep):
        """Sign the audit chain's head now (service credential; the key file must be mounted)."""
        from .anchoring import anchor, load_private_key
        from .errors import Problem

        key_file = request.app.state.settings.audit_signing_key_file
        if not key_file:
            raise Problem(409, "未配置审计签名密钥（GOVPM_AUDIT_SIGNING_KEY_FILE）")
        row = await anchor(session, service, load_private_key(key_file))
        return {
            "head_seq": row.head_seq,
            "head_hash": row.head_hash,
            "signed_at": row.signed_at.isoformat(),
            "key_id": row.key_id,
            "signature": row.signature,
        }

    @router.get("/metrics", include_in_schema=False)
    async def metrics(request: Request, session: SessionDep):
        backlog, oldest = (
            await session.execute(
                select(func.count(), func.min(OutboxEvent.time)).where(OutboxEvent.published_at.is_(None))
            )
        ).one()
        OUTBOX_BACKLOG.labels(service).set(backlog)
        from .db import utcnow

        OUTBOX_OLDEST_AGE.labels(service).set((utcnow() - oldest).total_seconds() if oldest else 0)
        st = request.app.state
        BROKER_CONNECTED.labels(service, "relay").set(1 if st.relay is not None and st.relay.connected else 0)
        BROKER_CONNECTED.labels(service, "consumer").set(1 if st.consumer.connected else 0)
        progress = consumer_progress(st.consumer)
        CONSUMER_BACKLOG.labels(service).set(progress["consumer_backlog"])
        CONSUMER_OLDEST.labels(service).set(progress["oldest_unapplied_s"])
        CONSUMER_PARKED.labels(service).set(progress["parked"])
        CONSUMER_OLDEST_PARKED.labels(service).set(progress["oldest_parked_s"])
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return router
