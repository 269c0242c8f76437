"""Prometheus /metrics for the gateway, at the ASGI level (outside FastAPI, so the proxy's hot path
stays a plain ASGI call): request counts and latency by route and status. Routes are the public
prefixes (`/api/v1/reserve/*`, `/api/v1/projects/*`, …) or the gateway's own paths, never raw
ids, so the label set stays small. Also configures tracing for the gateway process.

Included by one line in main.py: `asgi = instrument(asgi)`.
"""

from __future__ import annotations

import time

from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest

from govkit.tracing import configure_tracing

from .routes import resolve

REQUESTS = Counter("govpm_gateway_requests_total", "Requests through the gateway", ["method", "route", "status"])
LATENCY = Histogram(
    "govpm_gateway_request_seconds",
    "Gateway request latency (upstream included)",
    ["method", "route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
OWN_PATHS = {"/healthz", "/openapi.json", "/docs", "/asyncapi.json", "/metrics"}


def route_of(path: str) -> str:
    target = resolve(path)
    if target is not None:
        service, _ = target
        return "/api/v1/projects/*" if path.startswith("/api/v1/projects") else f"/api/v1/{service}/*"
    if path in OWN_PATHS:
        return path
    head = "/".join(path.split("/")[:4])  # e.g. /api/v1/webhooks
    return f"{head}/*" if head.startswith("/api/v1/") else "other"


_SERIES: dict[tuple[str, str, int], tuple] = {}


def _series(method: str, route: str, status: int) -> tuple:
    """The labelled counter and histogram of a request, looked up once per label set (`labels()`
    takes a lock and builds a tuple on every call). The label set is small: routes are prefixes."""
    key = (method, route, status)
    found = _SERIES.get(key)
    if found is None:
        found = _SERIES[key] = (REQUESTS.labels(method, route, str(status)), LATENCY.labels(method, route))
    return found


def instrument(app):
    """Wrap the gateway's ASGI app: serve GET /metrics, count and time every other request."""
    configure_tracing("gateway")

    async def asgi(scope, receive, send):
        if scope["type"] != "http":
            return await app(scope, receive, send)
        if scope["path"] == "/metrics" and scope["method"] == "GET":
            await send(
                {
                    "type": "http.response.start",
                    "status": 200,
                    "headers": [(b"content-type", CONTENT_TYPE_LATEST.encode())],
                }
            )
            await send({"type": "http.response.body", "body": generate_latest()})
            return
        start = time.perf_counter()
        status = 500

        async def _send(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await app(scope, receive, _send)
        finally:
            count, latency = _series(scope["method"], route_of(scope["path"]), status)
            count.inc()
            latency.observe(time.perf_counter() - start)

    for attr in ("state", "fastapi"):
        if hasattr(app, attr):
            setattr(asgi, attr, getattr(app, attr))
    return asgi
