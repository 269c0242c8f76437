"""The front door, pure ASGI on every request: request id (in every response and log line),
security headers, request size limit (413), authentication of `/api/v1/…` (JWT or `X-API-Key`;
401 problem+json), per-principal rate limit (429 + Retry-After). Then either the hot-path proxy to
a service (`/api/v1/<service>/…`, `/api/v1/projects…`) or the gateway's own FastAPI app."""

from __future__ import annotations

import uuid

from govkit.context import request_id_var
from govkit.errors import Problem

from .protection import retry_after
from .proxy import check_raw_path, raw_path, send_problem
from .routes import UNAUTHENTICATED, is_upload

BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
CORS_HEADERS = [
    "authorization",
    "content-type",
    "x-api-key",
    "idempotency-key",
    "if-match",
    "x-request-id",
    "traceparent",
]


class BodyTooLarge(Problem):
    def __init__(self, limit: int):
        super().__init__(413, f"请求体超过上限 {limit} 字节")


def front_door(app, settings, *, authenticator, limiter, proxy, extra_headers):
    """The ASGI callable in front of `app` (the gateway's FastAPI app)."""
    max_body = settings.max_body_bytes
    max_upload = settings.max_upload_bytes

    async def front(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)
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
            return await app(scope, receive, _send)
        except Problem as problem:
            if started:
                raise
            return await send_problem(_send, problem, rid)

    if not settings.cors_origins:
        return front
    from starlette.middleware.cors import CORSMiddleware

    return CORSMiddleware(
        front,
        allow_origins=settings.cors_origins,
        allow_credentials="*" not in settings.cors_origins,
        allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        allow_headers=CORS_HEADERS,
        expose_headers=["x-request-id", "retry-after", "etag", "idempotent-replayed"],
        max_age=600,
    )


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
