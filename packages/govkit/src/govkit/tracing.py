"""OpenTelemetry tracing for the whole saga: gateway → service → outbox relay → consumer.

One trace per request: the gateway starts a span and passes `traceparent` upstream (HTTP header);
the service's request span is its child, and the events it emits store that `traceparent`; the relay
publishes each event in a span of its own and puts that span's `traceparent` in the CloudEvent
(distributed-tracing extension); a consumer handles the event in a child span, and what it emits
in turn carries the consumer's context. `govkit.context.traceparent_var` always holds the current
span's `traceparent`, so log lines (govkit.logging) and stored events carry the same trace id.

Exporters are off by default (spans carry ids that propagate, but record nothing until an exporter
is attached, see `_RecordWhenExporting`):
- `GOVPM_OTLP_ENDPOINT=http://collector:4318` → OTLP/HTTP (opentelemetry-exporter-otlp-proto-http);
- `GOVPM_TRACE_FILE=/path/spans.jsonl` → one JSON object per finished span, appended (tests across
  processes, and a poor man's collector);
- `memory_exporter()` → an in-memory exporter for tests in one process.
`GOVPM_TRACING=off` turns span creation off altogether (ids are still propagated as given).

Also here: the consumer metrics recorded around each handled event (lag and handling time per type).
"""

from __future__ import annotations

import contextlib
import os
import random
import threading
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import orjson
from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor, SpanExporter, SpanExportResult
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.sdk.trace.sampling import Decision, Sampler, SamplingResult
from opentelemetry.trace import SpanKind, Status, StatusCode
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator
from prometheus_client import Counter, Histogram

from .context import request_id_var, traceparent_var

_PROPAGATOR = TraceContextTextMapPropagator()
_LOCK = threading.Lock()
_provider: TracerProvider | None = None
_memory: InMemorySpanExporter | None = None
_file_paths: set[str] = set()
_enabled = os.environ.get("GOVPM_TRACING", "on").lower() not in ("off", "0", "false", "no")
_exporting = False  # set once an exporter is attached: until then spans carry ids but record nothing


class _RecordWhenExporting(Sampler):
    """Spans are recorded (attributes, events, timing) only while some exporter will receive them;
    otherwise they are non-recording but keep their trace and span ids, so `traceparent` and the
    log lines' trace id work the same. Recording every span for nobody cost ~5% of a request."""

    def should_sample(
        self, parent_context, trace_id, name, kind=None, attributes=None, links=None, trace_state=None
    ) -> SamplingResult:
        parent_state = trace.get_current_span(parent_context).get_span_context().trace_state
        if _exporting:
            return SamplingResult(Decision.RECORD_AND_SAMPLE, attributes, parent_state)
        return SamplingResult(Decision.DROP, None, parent_state)

    def get_description(self) -> str:
        return "RecordWhenExporting"


# FastAPI's own OpenTelemetry instrumentation, off: our middleware makes the request span (named by
# route, parented by the gateway's) and Prometheus the request metrics; FastAPI's would add a second
# server span and three operation spans to every request.
FASTAPI_TELEMETRY = {"tracing": False, "metrics": False, "logs": False, "operation_spans": False}


def _add_processor(provider: TracerProvider, processor) -> None:
    global _exporting
    provider.add_span_processor(processor)
    _exporting = True


CONSUMER_LAG = Histogram(
    "govpm_consumer_lag_seconds",
    "Time from an event's commit at its publisher to its handling here",
    ["service", "event_type"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300, 3600),
)
CONSUMER_HANDLE = Histogram(
    "govpm_consumer_handle_seconds",
    "Time to apply one consumed event (its transaction included)",
    ["service", "event_type"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
CONSUMER_EVENTS = Counter(
    "govpm_consumer_events_total", "Consumed events by outcome", ["service", "event_type", "outcome"]
)  # applied | duplicate | error


# -- set-up ---------------------------------------------------------------------------------------
class JsonLinesSpanExporter(SpanExporter):
    """Appends each finished span as one JSON line (one write per batch, O_APPEND: several
    processes may share the file)."""

    def __init__(self, path: str):
        self.path = path

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        lines = b"".join(orjson.dumps(span_to_dict(s)) + b"\n" for s in spans)
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, lines)
            finally:
                os.close(fd)
        except OSError:
            return SpanExportResult.FAILURE
        return SpanExportResult.SUCCESS

    def shutdown(self) -> None:
        return None


def span_to_dict(span: ReadableSpan) -> dict[str, Any]:
    ctx = span.get_span_context()
    parent = span.parent
    return {
        "name": span.name,
        "kind": span.kind.name,
        "trace_id": f"{ctx.trace_id:032x}",
        "span_id": f"{ctx.span_id:016x}",
        "parent_span_id": f"{parent.span_id:016x}" if parent else None,
        "service": (span.attributes or {}).get("govpm.service") or span.resource.attributes.get("service.name"),
        "start_ns": span.start_time,
        "end_ns": span.end_time,
        "status": span.status.status_code.name,
        "attributes": dict(span.attributes or {}),
    }


def configure_tracing(service: str) -> TracerProvider | None:
    """Install the process's TracerProvider once (later calls only add exporters named by the
    environment that are not there yet). Safe to call from every app factory."""
    global _provider
    if not _enabled:
        return None
    with _LOCK:
        if _provider is None:
            current = trace.get_tracer_provider()
            if isinstance(current, TracerProvider):  # somebody else configured the SDK already
                _provider = current
            else:
                _provider = TracerProvider(
                    resource=Resource.create({"service.name": f"govpm-{service}", "service.namespace": "govpm"}),
                    sampler=_RecordWhenExporting(),
                )
                trace.set_tracer_provider(_provider)
            endpoint = os.environ.get("GOVPM_OTLP_ENDPOINT")
            if endpoint:
                try:
                    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
                except ImportError:  # pragma: no cover - the exporter is in deploy/requirements.txt
                    import structlog

                    structlog.get_logger().warning("otlp_exporter_missing", endpoint=endpoint)
                else:
                    url = endpoint.rstrip("/")
                    url = url if url.endswith("/v1/traces") else url + "/v1/traces"
                    _add_processor(_provider, BatchSpanProcessor(OTLPSpanExporter(endpoint=url)))
        path = os.environ.get("GOVPM_TRACE_FILE")
        if path and path not in _file_paths:
            _file_paths.add(path)
            _add_processor(_provider, SimpleSpanProcessor(JsonLinesSpanExporter(path)))
        return _provider


def memory_exporter(service: str = "test") -> InMemorySpanExporter:
    """An in-memory exporter attached to this process's provider (tests)."""
    global _memory
    provider = configure_tracing(service)
    with _LOCK:
        if _memory is None:
            _memory = InMemorySpanExporter()
            if provider is not None:
                _add_processor(provider, SimpleSpanProcessor(_memory))
        return _memory


_tracer: tuple[object, trace.Tracer] | None = None


def tracer() -> trace.Tracer:
    """The "govpm" tracer of the current provider, made once per provider: the SDK builds a new
    Tracer on every get_tracer call (with a warnings filter and a regex compile), once per span."""
    global _tracer
    provider = trace.get_tracer_provider()
    cached = _tracer
    if cached is None or cached[0] is not provider:
        cached = _tracer = (provider, provider.get_tracer("govpm"))
    return cached[1]


# -- traceparent <-> context ----------------------------------------------------------------------
def context_of(traceparent: str | None) -> Context | None:
    """The OTel context whose remote parent is `traceparent` (None if absent or malformed)."""
    if not traceparent:
        return None
    ctx = _PROPAGATOR.extract({"traceparent": traceparent})
    return ctx if trace.get_current_span(ctx).get_span_context().is_valid else None


_TRACEPARENT = TraceContextTextMapPropagator._TRACEPARENT_HEADER_FORMAT_RE  # what context_of accepts
_ZERO_TRACE, _ZERO_SPAN = "0" * 32, "0" * 16


def child_traceparent(parent: str | None) -> str:
    """The `traceparent` of a non-recording child span of `parent`, as the SDK would give it while no
    exporter is attached (see `_RecordWhenExporting`): the parent's trace id (a fresh one when the parent
    is absent or malformed, as `context_of` reads it), a fresh span id, not sampled (flags 00; a new root
    carries the random-trace-id flag 02). A few string
    operations instead of a Tracer, a context attach and a propagator: ~4 % of a read request."""
    m = _TRACEPARENT.search(parent) if parent and len(parent) <= 512 else None
    if m and m.group(2) != _ZERO_TRACE and m.group(3) != _ZERO_SPAN:
        version = m.group(1)
        if version != "ff" and not (version == "00" and m.group(5)):
            return f"00-{m.group(2)}-{random.getrandbits(64) or 1:016x}-00"
    return f"00-{random.getrandbits(128) or 1:032x}-{random.getrandbits(64) or 1:016x}-02"  # 02: random trace id


def traceparent_of(span: trace.Span) -> str | None:
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier, context=trace.set_span_in_context(span))
    return carrier.get("traceparent")


@contextlib.contextmanager
def _span(
    name: str, service: str, parent: str | None, kind: SpanKind, attributes: dict[str, Any] | None = None
) -> Iterator[trace.Span]:
    """Start a span as current, child of `parent` (a traceparent), and point `traceparent_var` at it."""
    if not _enabled:
        yield trace.INVALID_SPAN
        return
    if not _exporting:  # nobody would receive the span: only its ids move on, without the SDK's machinery
        token = traceparent_var.set(child_traceparent(parent))
        try:
            yield trace.INVALID_SPAN
        finally:
            traceparent_var.reset(token)
        return
    attrs = {"govpm.service": service, **(attributes or {})}
    with tracer().start_as_current_span(
        name,
        context=context_of(parent),
        kind=kind,
        attributes=attrs,
        record_exception=True,
        set_status_on_exception=True,
    ) as span:
        tp = traceparent_of(span)
        token = traceparent_var.set(tp or parent)
        try:
            yield span
        finally:
            traceparent_var.reset(token)


# -- the four hooks -------------------------------------------------------------------------------
@contextlib.contextmanager
def http_server_span(service: str, scope, traceparent: str | None) -> Iterator[trace.Span]:
    """A service's request span (RequestContextMiddleware). Name it by route with `end_http_span`."""
    with _span(
        f"{scope['method']} {scope['path']}",
        service,
        traceparent,
        SpanKind.SERVER,
        {"http.request.method": scope["method"], "url.path": scope["path"]},
    ) as span:
        if not _enabled:
            traceparent_var.set(traceparent or _random_traceparent())
        yield span


def end_http_span(span: trace.Span, method: str, route: str, status: int) -> None:
    if not span.is_recording():
        return
    span.update_name(f"{method} {route}")
    span.set_attribute("http.route", route)
    span.set_attribute("http.response.status_code", status)
    if status >= 500:
        span.set_status(Status(StatusCode.ERROR))


@contextlib.contextmanager
def proxy_span(
    service: str, method: str, path: str, headers: dict[str, str], request_id: str | None = None
) -> Iterator[trace.Span]:
    """The gateway's span around one proxied request; writes its `traceparent` into `headers`
    (the upstream request's), replacing any the caller sent (which becomes the parent)."""
    parent = headers.pop("traceparent", None)
    if request_id:
        request_id_var.set(request_id)
    with _span(
        f"{method} /api/v1/{service}",
        "gateway",
        parent,
        SpanKind.SERVER,
        {"http.request.method": method, "url.path": path, "govpm.upstream": service},
    ) as span:
        tp = traceparent_var.get() if _enabled else (parent or _random_traceparent())
        if tp:
            headers["traceparent"] = tp
        yield span


@contextlib.contextmanager
def publish_span(service: str, topic: str, event) -> Iterator[Any]:
    """The relay's span around publishing one CloudEvent: a child of the request that emitted it;
    the CloudEvent leaves with this span's `traceparent`. Yields the (updated) event."""
    with _span(
        f"publish {event.type}",
        service,
        event.traceparent,
        SpanKind.PRODUCER,
        {
            "messaging.system": "kafka",
            "messaging.destination.name": topic,
            "messaging.message.id": event.id,
            "cloudevents.event_type": event.type,
        },
    ):
        tp = traceparent_var.get()
        if _enabled and tp:
            event.traceparent = tp
        yield event


@contextlib.contextmanager
def consume_span(service: str, event) -> Iterator[Any]:
    """The consumer's span around applying one event, parented by the CloudEvent's `traceparent`,
    plus the consumer metrics. Yields `done(result)`: call it with handle()'s result."""
    request_id_var.set(event.requestid)
    start = time.perf_counter()
    outcome = {"value": "error"}

    def done(applied: bool) -> bool:
        outcome["value"] = "applied" if applied else "duplicate"
        return applied

    with _span(
        f"consume {event.type}",
        service,
        event.traceparent,
        SpanKind.CONSUMER,
        {
            "messaging.system": "kafka",
            "messaging.message.id": event.id,
            "cloudevents.event_type": event.type,
            "cloudevents.event_source": event.source,
        },
    ) as span:
        if not _enabled:
            traceparent_var.set(event.traceparent)
        try:
            yield done
        finally:
            CONSUMER_HANDLE.labels(service, event.type).observe(time.perf_counter() - start)
            CONSUMER_EVENTS.labels(service, event.type, outcome["value"]).inc()
            if outcome["value"] == "applied" and event.time is not None:
                t = event.time if event.time.tzinfo else event.time.replace(tzinfo=UTC)
                CONSUMER_LAG.labels(service, event.type).observe(max(0.0, (datetime.now(UTC) - t).total_seconds()))
            if span.is_recording():
                span.set_attribute("govpm.outcome", outcome["value"])


def _random_traceparent() -> str:
    import uuid

    return f"00-{uuid.uuid4().hex}-{uuid.uuid4().hex[:16]}-01"
