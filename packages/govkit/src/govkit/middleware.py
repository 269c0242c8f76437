"""Pure-ASGI middleware: request ids + W3C trace context + metrics, and Idempotency-Key replay."""

from __future__ import annotations

import hashlib
import os
import signal
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import timedelta

import orjson
import structlog
from prometheus_client import Counter, Histogram
from sqlalchemy import delete
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as SATimeoutError

from . import tracing
from .context import request_id_var
from .db import DEFERRED_COMMIT, DeferredCommit, utcnow
from .errors import PROBLEM, Problem, problem_response
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
        self._labelled: dict[tuple[str, str, int], tuple] = {}

    def _series(self, method: str, route: str, status: int) -> tuple:
        """The labelled counter and histogram, looked up once per label set (route templates, so few):
        `labels()` takes a lock and builds its key on every call."""
        key = (method, route, status)
        found = self._labelled.get(key)
        if found is None:
            found = self._labelled[key] = (
                REQUESTS.labels(self.service, method, route, str(status)),
                LATENCY.labels(self.service, method, route),
            )
        return found

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
                count, latency = self._series(scope["method"], route, status)
                count.inc()
                latency.observe(time.perf_counter() - start)
                tracing.end_http_span(span, scope["method"], route, status)


class IdempotencyMiddleware:
    """Same Idempotency-Key and body within 24 h → the first response again, nothing changed.
    The same key with another body → 422. A request still running with that key → 409.

    The store is scoped by the *verified* principal: a request whose bearer token does not verify
    (or that carries none) never reaches it and goes on to the endpoint, which answers 401. The
    answer is committed in the request's own transaction, with the change it reports (`_run`), and
    always before its last byte leaves, so a retry sent on receipt replays."""

    def __init__(self, app, service: str):
        self.app, self.service = app, service
        self.fault = _fault_from_env(service)

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
            await self._run(scope, receive, send, sessionmaker, principal_scope, key, fp, body)

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

    async def _run(self, scope, receive, send, sessionmaker, principal_scope: str, key: str, fp: str, body) -> None:
        """The request itself. When it did its work in the request session (`SessionDep`), that session
        is handed over (`DeferredCommit`) and committed here together with the answer, before the first
        byte leaves: a crash at any point leaves either both (the retry replays) or neither (the retry
        runs it). Otherwise — a refusal rolled back, an endpoint without a session — the answer is stored
        on its own before the last byte leaves. Either way a retry sent on receipt replays."""
        sent_body = False
        deferred = DeferredCommit()
        scope[DEFERRED_COMMIT] = deferred

        async def _receive():
            nonlocal sent_body
            if not sent_body:
                chunk = body.read(256 * 1024)
                sent_body = len(chunk) < 256 * 1024
                return {"type": "http.request", "body": chunk, "more_body": not sent_body}
            return await receive()

        captured = {"status": 500, "ctype": None, "body": bytearray(), "stored": False, "start": None}
        pk = (principal_scope, key[:200])

        def _answer(record: IdempotencyRecord) -> None:
            record.status_code = captured["status"]
            record.content_type = captured["ctype"]
            record.body = bytes(captured["body"]).decode("utf-8", "replace")

        async def _store(forget: bool = False) -> None:
            """The answer in a transaction of its own (nothing of the request's was committed), or the key
            forgotten (`forget`, and any server error): the retry runs the request again."""
            try:
                async with sessionmaker() as session:
                    if forget or captured["status"] >= 500:
                        await session.execute(
                            delete(IdempotencyRecord).where(
                                IdempotencyRecord.scope == pk[0], IdempotencyRecord.key == pk[1]
                            )
                        )
                    else:
                        record = await session.get(IdempotencyRecord, pk)
                        if record is not None:
                            _answer(record)
                    await session.commit()
            except STORE_DOWN:  # the key stays in progress until IN_FLIGHT_LEASE, then a retry takes over
                log.warning("idempotency_store_failed", key=key[:200])
            captured["stored"] = True

        async def _commit_with_answer():
            """The request's own transaction committed with its answer; on failure, the error response."""
            session = deferred.session
            try:
                record = await session.get(IdempotencyRecord, pk)
                if captured["status"] >= 500:  # a server error the endpoint returned: not remembered
                    if record is not None:
                        await session.delete(record)
                else:
                    if record is None:  # expired or taken over meanwhile: recorded all the same
                        record = IdempotencyRecord(scope=pk[0], key=pk[1], fingerprint=fp, created_at=utcnow())
                        session.add(record)
                    _answer(record)
                await deferred.commit()
            except Exception as exc:  # noqa: BLE001 - answered like the same failure inside the endpoint
                await deferred.discard()
                await _store(forget=True)  # nothing was written: the retry runs the request again
                return await _error_response(scope, exc)
            captured["stored"] = True
            fault = crash_after_commit or self.fault
            if fault is not None:
                fault()  # fault injection: the change and its answer committed, nothing sent
            await deferred.close()
            return None

        async def _send(message):
            if message["type"] == "http.response.start":
                captured["status"] = message["status"]
                for k, v in message.get("headers", []):
                    if k.lower() == b"content-type":
                        captured["ctype"] = v.decode()
                if deferred.session is not None:  # held until the answer is committed with the change
                    captured["start"] = message
                    return
            elif message["type"] == "http.response.body":
                captured["body"] += message.get("body", b"")
                last = not message.get("more_body", False)
                if captured["start"] is not None:
                    if not last:
                        return
                    error = await _commit_with_answer()
                    if error is not None:
                        await error(scope, receive, send)
                        return
                    await send(captured["start"])
                    await send({"type": "http.response.body", "body": bytes(captured["body"])})
                    return
                if last and not captured["stored"]:
                    await _store()  # before the last byte leaves: a retry on receipt replays
            await send(message)

        try:
            await self.app(scope, _receive, _send)
        finally:
            await deferred.discard()  # handed over but never finished: nothing of it is kept
            if not captured["stored"]:  # the app failed before answering completely: forget the key
                captured["status"] = 500
                await _store()


def _fault_from_env(service: str) -> Callable[[], None] | None:
    """Fault injection for the fault suite and the tests, off unless `GOVPM_FAULT_DIR` is set: the first
    POST with an Idempotency-Key to commit after a file `kill-after-commit.<service>` appears there
    removes it and kills its own process (SIGKILL) — the change and its answer committed, nothing sent."""
    folder = os.environ.get("GOVPM_FAULT_DIR")
    if not folder:
        return None
    trigger = os.path.join(folder, f"kill-after-commit.{service}")

    def crash() -> None:
        try:
            os.unlink(trigger)  # one kill per trigger, even with several replicas
        except FileNotFoundError:
            return
        log.warning("fault_injected_kill_after_commit", service=service)
        os.kill(os.getpid(), signal.SIGKILL)

    return crash


crash_after_commit: Callable[[], None] | None = None  # tests replace it (an exception instead of a kill)


async def _error_response(scope, exc: Exception):
    """The app's own answer to `exc` (its exception handlers: 409 for a conflict, 503 for a database
    that is away), a plain 500 problem for anything else."""
    from starlette.requests import Request

    handlers = getattr(scope["app"], "exception_handlers", {})
    for cls in type(exc).__mro__:
        if cls is not Exception and cls in handlers:
            return await handlers[cls](Request(scope), exc)
    log.error("idempotent_commit_failed", error=f"{type(exc).__name__}: {exc}"[:300])
    return problem_response(500, Problem(500, "服务内部错误，请稍后重试").body(scope.get("path")))


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
