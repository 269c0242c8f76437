"""The hot path: a pure-ASGI reverse proxy over one pooled aiohttp session (httpx's pool is slow
under concurrency, see DESIGN.md). Streams bodies both ways; passes auth, request id, trace context."""

from __future__ import annotations

import re
from urllib.parse import unquote

import aiohttp
import orjson
import structlog
from yarl import URL

from govkit.errors import PROBLEM, Problem
from govkit.tracing import proxy_span

from .routes import is_upload, resolve

log = structlog.get_logger()
HOP_BY_HOP = {
    b"connection",
    b"keep-alive",
    b"proxy-authenticate",
    b"proxy-authorization",
    b"te",
    b"trailers",
    b"transfer-encoding",
    b"upgrade",
    b"host",
    b"content-length",
}
# Content-Length passes through (bodies are forwarded byte for byte, never decompressed): a JSON answer
# then leaves in one write after its headers, not as chunks plus a terminator.
RESP_DROP = {"connection", "keep-alive", "transfer-encoding", "server", "date"}
ENCODED_SEPARATOR = re.compile(rb"%(2f|5c)", re.IGNORECASE)


def raw_path(scope) -> str:
    """The path exactly as the client sent it (percent-escapes kept), without the query."""
    raw = scope.get("raw_path") or scope["path"].encode()
    return raw.split(b"?", 1)[0].decode("latin-1")


def check_raw_path(raw: str) -> None:
    """Refuse what a decoding hop could turn into another route: dot-segments (plain or
    percent-encoded), encoded slashes or backslashes, and backslashes (400, nothing forwarded)."""
    if ENCODED_SEPARATOR.search(raw.encode("latin-1")) or "\\" in raw:
        raise Problem(400, "路径不可包含编码的分隔符（%2F、%5C）或反斜杠")
    for segment in raw.split("/"):
        if unquote(segment) in (".", ".."):
            raise Problem(400, "路径不可包含 . 或 .. 段")


async def send_problem(send, problem: Problem, request_id: str | None = None) -> None:
    headers = [(b"content-type", PROBLEM.encode())]
    if request_id:
        headers.append((b"x-request-id", request_id.encode()))
    for k, v in (problem.headers or {}).items():
        headers.append((k.lower().encode(), str(v).encode()))
    await send({"type": "http.response.start", "status": problem.status, "headers": headers})
    await send({"type": "http.response.body", "body": orjson.dumps(problem.body())})


class Proxy:
    def __init__(self, settings):
        self.settings = settings
        self.session: aiohttp.ClientSession | None = None
        self.bases = {
            name: settings.service_url(name) for name in ("reserve", "approval", "budget", "oversight", "acceptance")
        }

    async def start(self) -> None:
        connector = aiohttp.TCPConnector(
            limit=self.settings.upstream_pool_size, limit_per_host=0, ttl_dns_cache=300, keepalive_timeout=30
        )  # < uvicorn's 75 s
        self.session = aiohttp.ClientSession(
            connector=connector,
            cookie_jar=aiohttp.DummyCookieJar(),  # one session for every caller: never keep or replay cookies
            auto_decompress=False,
            skip_auto_headers=("User-Agent", "Accept-Encoding"),
            timeout=aiohttp.ClientTimeout(total=self.settings.upstream_timeout_s),
        )

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()

    def matches(self, path: str) -> bool:
        return resolve(path) is not None

    async def __call__(self, scope, receive, send) -> None:
        """The gateway front (main.py) has already set the request id, authenticated the caller,
        checked the raw path and the limits; `govpm.upstream_auth` replaces an API key by an internal
        JWT. The path is forwarded as received (never decoded: `%3F` stays in the path)."""
        raw = raw_path(scope)
        target = resolve(raw)
        assert target is not None
        service, path = target
        request_id = scope["govpm.request_id"]
        upstream_auth = scope.get("govpm.upstream_auth")
        out_headers: dict[str, str] = {}
        for k, v in scope["headers"]:
            if k not in HOP_BY_HOP:
                out_headers[k.decode()] = v.decode("latin-1")
        out_headers["x-request-id"] = request_id
        # What the gateway removed from the path, so that a problem's `instance` is the public path
        # (/api/v1/reserve/declarations/x, not /declarations/x); a client's own value is replaced.
        out_headers["x-forwarded-prefix"] = raw[: len(raw) - len(path)]
        if upstream_auth:
            out_headers.pop("x-api-key", None)
            out_headers["authorization"] = upstream_auth
        url = self.bases[service] + path
        qs = scope.get("query_string", b"")
        if qs:
            url += "?" + qs.decode("latin-1")
        method = scope["method"]
        data = None
        failed: list[BaseException] = []
        if method in ("POST", "PUT", "PATCH", "DELETE"):
            length = _content_length(scope)
            if not is_upload(method, scope["path"]) or (length is not None and length <= SMALL_BODY):
                data = await _read_body(receive)  # JSON bodies (≤ max_body_bytes): one write upstream
            else:  # document uploads stream through, never held whole
                if length is not None:
                    out_headers["content-length"] = str(length)
                data = _stream_body(receive, failed)
        with proxy_span(service, method, path, out_headers, request_id) as span:  # injects traceparent
            try:
                async with self.session.request(
                    method, URL(url, encoded=True), headers=out_headers, data=data, allow_redirects=False
                ) as resp:
                    span.set_attribute("http.response.status_code", resp.status)
                    resp_headers = [
                        (k.lower().encode(), v.encode("latin-1"))
                        for k, v in resp.headers.items()
                        if k.lower() not in RESP_DROP
                    ]
                    if "x-request-id" not in resp.headers:
                        resp_headers.append((b"x-request-id", request_id.encode()))
                    await send({"type": "http.response.start", "status": resp.status, "headers": resp_headers})
                    length = resp.content_length
                    if length is not None and length <= SMALL_BODY:  # a JSON answer: read whole, one send
                        await send({"type": "http.response.body", "body": await resp.read()})
                        return
                    async for chunk in resp.content.iter_any():  # documents stream through
                        await send({"type": "http.response.body", "body": chunk, "more_body": True})
                    await send({"type": "http.response.body", "body": b""})
            except (aiohttp.ClientError, TimeoutError) as exc:
                if failed and isinstance(failed[0], Problem):  # the client's body broke a limit
                    return await send_problem(send, failed[0], request_id)
                log.warning("upstream_failed", service=service, error=str(exc) or type(exc).__name__)
                await send_problem(send, Problem(502, f"上游服务 {service} 暂不可用"), request_id)
            except Exception:
                if not failed:
                    raise
                if isinstance(failed[0], Problem):  # a limit broken mid-body, raised inside aiohttp's send
                    return await send_problem(send, failed[0], request_id)
                log.info("client_went_away", service=service, path=path)  # nothing to answer


SMALL_BODY = 64 * 1024


def _content_length(scope) -> int | None:
    for k, v in scope["headers"]:
        if k == b"content-length":
            try:
                return int(v)
            except ValueError:
                return None
    return None


async def _stream_body(receive, failed: list):
    """The request body as it arrives (aiohttp sends it upstream chunk by chunk). A limit broken
    on the way (`BodyTooLarge` from the front's receive) is kept in `failed` and ends the upload."""
    more = True
    while more:
        try:
            message = await receive()
        except Exception as exc:
            failed.append(exc)
            raise
        if message["type"] == "http.disconnect":
            failed.append(ConnectionResetError("client disconnected"))
            raise failed[-1]
        chunk = message.get("body", b"")
        if chunk:
            yield chunk
        more = message.get("more_body", False)


async def _read_body(receive) -> bytes:
    chunks = []
    more = True
    while more:
        message = await receive()
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    return b"".join(chunks)
