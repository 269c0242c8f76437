"""Pure-ASGI middleware: request ids + W3C trace context + metrics, and Idempotency-Key replay."""

from __future__ import annotations

import hashlib
import tempfile
import time
import uuid
from datetime import timedelta

import orjson
import structlog
from prometheus_client import Counter, Histogram
from sqlalchemy import delete
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as SATimeoutError

from . import tracing
from .context import request_id_var
from .db import utcnow
from .errors import PROBLEM, Problem
from .kernel_models import IdempotencyRecord

REQUESTS = Counter("govpm_http_requests_total", "HTTP requests", ["service", "method", "route", "status"])
LATENCY = Histogram(
    "govpm_http_request_seconds",
    "HTTP request latency",
    ["service", "method", "route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
IDEMPOTENT_REPLAYS = Counter(
    "govpm_idempotent_replays_total", "Requests answered from the idempotency store", ["service"]
)
log = structlog.get_logger()
IDEMPOTENCY_TTL = timedelta(hours=24)
# A request still "in progress" after this long was cut off by a crash (no request runs this long: the
# gateway gives up after 30 s): its key is taken over by the retry instead of answering 409 for a day.
IN_FLIGHT_LEASE = timedelta(seconds=60)
STORE_DOWN = (DBAPIError, SATimeoutError, ConnectionError)


class RequestContextMiddleware:
    """X-Request-ID in and out, traceparent propagated, Prometheus metrics by route template."""

    def __init__(self, app, service: str):
        self.app, self.service = app, service

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope["headers"])
        rid = (headers.get(b"x-request-id") or b"").decode()[:80] or uuid.uuid4().hex
        tp_in = (headers.get(b"traceparent") or b"").decode() or None
        request_id_var.set(rid)
        start = time.perf_counter()
        status = 500

        async def _send(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + [(b"x-request-id", rid.encode())]
            await send(message)

        with tracing.http_server_span(self.service, scope, tp_in) as span:  # sets traceparent_var
            try:
                await self.app(scope, receive, _send)
            finally:
                route = getattr(scope.get("route"), "path", "unmatched")
                REQUESTS.labels(self.service, scope["method"], route, str(status)).inc()
                LATENCY.labels(self.service, scope["method"], route).observe(time.perf_counter() - start)
                tracing.end_http_span(span, scope["method"], route, status)


class IdempotencyMiddleware:
    """Same Idempotency-Key and body within 24 h → the first response again, nothing changed.
    The same key with another body → 422. A request still running with that key → 409.

    The store is scoped by the *verified* principal: a request whose bearer token does not verify
    (or that carries none) never reaches it and goes on to the endpoint, which answers 401. The
    answer is stored before its last byte leaves, so a retry sent on receipt always replays."""

    def __init__(self, app, service: str):
        self.app, self.service = app, service

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "POST":
            return await self.app(scope, receive, send)
        headers = dict(scope["headers"])
        key = (headers.get(b"idempotency-key") or b"").decode().strip()
        if not key:
            return await self.app(scope, receive, send)
        principal_scope = await _verified_scope(scope, headers)
        if principal_scope is None:  # unverified: the endpoint answers 401; the store stays untouched
            return await self.app(scope, receive, send)
        # The body is hashed as it arrives and kept in a spooled file (memory up to 1 MB, then disk):
        # a document upload with an Idempotency-Key is never held whole in memory.
        with tempfile.SpooledTemporaryFile(max_size=1024 * 1024) as body:  # closed when the request ends
            digest = hashlib.sha256(scope["method"].encode() + scope["path"].encode() + b"\n")
            more = True
            while more:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                chunk = message.get("body", b"")
                digest.update(chunk)
                body.write(chunk)
                more = message.get("more_body", False)
            body.seek(0)
            fp = digest.hexdigest()
            sessionmaker = scope["app"].state.sessionmaker
            try:
                claimed = await self._claim(sessionmaker, principal_scope, key, fp, send)
            except STORE_DOWN:  # the database is away (restarting): nothing done, the client retries
                return await _problem(
                    send, Problem(503, "数据库暂不可用，未作任何更改，请稍后重试"), [(b"retry-after", b"1")]
                )
            if not claimed:
                return
            await self._run(scope, receive, send, sessionmaker, principal_scope, key, body)

    async def _claim(self, sessionmaker, principal_scope: str, key: str, fp: str, send) -> bool:
        """Record the key as in progress (True), or answer from the store (False): the replay, 422 for
        another body, 409 while the first request still runs."""
        now = utcnow()
        async with sessionmaker() as session:
            record = await session.get(IdempotencyRecord, (principal_scope, key[:200]))
            abandoned = (
                record is not None
                and record.status_code is None
                and now - record.created_at > IN_FLIGHT_LEASE
                and record.fingerprint == fp
            )
            if record is not None and (now - record.created_at > IDEMPOTENCY_TTL or abandoned):
                await session.delete(record)
                await session.flush()
                record = None
            if record is not None:
                session.expunge(record)  # keep its loaded values: a rollback would expire them
                await session.rollback()
                if record.fingerprint != fp:
                    await _problem(
                        send,
                        Problem(
                            422,
                            "Idempotency-Key 已用于另一请求（请求体不同）",
                            violations=[{"field": "Idempotency-Key", "message": "reused with a different request"}],
                        ),
                    )
                    return False
                if record.status_code is None:
                    await _problem(send, Problem(409, "相同 Idempotency-Key 的请求仍在处理中"))
                    return False
                IDEMPOTENT_REPLAYS.labels(self.service).inc()
                await send(
                    {
                        "type": "http.response.start",
                        "status": record.status_code,
                        "headers": [
                            (b"content-type", (record.content_type or "application/json").encode()),
                            (b"idempotent-replayed", b"true"),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": (record.body or "").encode()})
                return False
            session.add(IdempotencyRecord(scope=principal_scope, key=key[:200], fingerprint=fp, created_at=now))
            try:
                await session.commit()
            except STORE_DOWN:
                raise
            except Exception:  # noqa: BLE001 - a concurrent twin won the insert
                await _problem(send, Problem(409, "相同 Idempotency-Key 的请求仍在处理中"))
                return False
        return True

    async def _run(self, scope, receive, send, sessionmaker, principal_scope: str, key: str, body) -> None:
        """The request itself; its answer stored before the last byte leaves."""
        sent_body = False

        async def _receive():
            nonlocal sent_body
            if not sent_body:
                chunk = body.read(256 * 1024)
                sent_body = len(chunk) < 256 * 1024
                return {"type": "http.request", "body": chunk, "more_body": not sent_body}
            return await receive()

        captured = {"status": 500, "ctype": None, "body": b"", "stored": False}

        async def _store() -> None:
            try:
                await _write()
            except STORE_DOWN:  # the key stays in progress until IN_FLIGHT_LEASE, then a retry takes over
                log.warning("idempotency_store_failed", key=key[:200])
            captured["stored"] = True

        async def _write() -> None:
            async with sessionmaker() as session:
                if captured["status"] >= 500:
                    await session.execute(
                        delete(IdempotencyRecord).where(
                            IdempotencyRecord.scope == principal_scope, IdempotencyRecord.key == key[:200]
                        )
                    )
                else:
                    record = await session.get(IdempotencyRecord, (principal_scope, key[:200]))
                    if record is not None:
                        record.status_code = captured["status"]
                        record.content_type = captured["ctype"]
                        record.body = captured["body"].decode("utf-8", "replace")
                await session.commit()

        async def _send(message):
            if message["type"] == "http.response.start":
                captured["status"] = message["status"]
                for k, v in message.get("headers", []):
                    if k.lower() == b"content-type":
                        captured["ctype"] = v.decode()
            elif message["type"] == "http.response.body":
                captured["body"] += message.get("body", b"")
                if not message.get("more_body", False) and not captured["stored"]:
                    await _store()  # before the last byte leaves: a retry on receipt replays
            await send(message)

        try:
            await self.app(scope, _receive, _send)
        finally:
            if not captured["stored"]:  # the app failed before answering completely: forget the key
                captured["status"] = 500
                await _store()


async def _verified_scope(scope, headers: dict) -> str | None:
    """`sub:<sub>` of the verified bearer token, or None when there is none or it does not verify.
    The verified principal is kept in the scope: the endpoint does not verify it again."""
    auth = (headers.get(b"authorization") or b"").decode("latin-1")
    kind, _, token = auth.partition(" ")
    if kind.lower() != "bearer" or not token.strip():
        return None
    try:
        principal = await scope["app"].state.verifier.averify(token.strip())
    except Problem:
        return None
    scope["govpm.principal"] = principal
    return f"sub:{principal.sub}"[:200]


async def _problem(send, problem: Problem, headers: list | None = None) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": problem.status,
            "headers": [(b"content-type", PROBLEM.encode()), *(headers or [])],
        }
    )
    await send({"type": "http.response.body", "body": orjson.dumps(problem.body())})
