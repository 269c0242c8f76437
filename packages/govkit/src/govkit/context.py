"""Per-request / per-event context carried into logs, events and outgoing calls."""

from __future__ import annotations

from contextvars import ContextVar

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
traceparent_var: ContextVar[str | None] = ContextVar("traceparent", default=None)


def trace_id() -> str | None:
    tp = traceparent_var.get()
    if tp and len(tp) >= 55:
        return tp.split("-")[1]
    return None
