"""Spans record only while an exporter is attached, but always carry ids that propagate."""

from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from govkit import tracing


def test_without_an_exporter_spans_record_nothing_yet_keep_ids_and_parentage(monkeypatch):
    monkeypatch.setattr(tracing, "_exporting", False)
    provider = TracerProvider(sampler=tracing._RecordWhenExporting())
    exported = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exported))  # attached behind govkit's back
    tracer = provider.get_tracer("t")
    parent = tracing.context_of("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
    with tracer.start_as_current_span("s", context=parent) as span:
        assert not span.is_recording()
        ctx = span.get_span_context()
        assert ctx.is_valid and f"{ctx.trace_id:032x}" == "0af7651916cd43dd8448eb211c80319c"
        assert tracing.traceparent_of(span).startswith("00-0af7651916cd43dd8448eb211c80319c-")
    with tracer.start_as_current_span("root") as root:  # no parent: a fresh trace id all the same
        assert root.get_span_context().is_valid and not root.is_recording()
    assert exported.get_finished_spans() == ()


def test_with_an_exporter_every_span_is_recorded_whatever_the_callers_sampled_flag(monkeypatch):
    provider = TracerProvider(sampler=tracing._RecordWhenExporting())
    exported = InMemorySpanExporter()
    monkeypatch.setattr(tracing, "_exporting", False)
    tracing._add_processor(provider, SimpleSpanProcessor(exported))
    assert tracing._exporting
    tracer = provider.get_tracer("t")
    unsampled = tracing.context_of("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00")
    with tracer.start_as_current_span("s", context=unsampled) as span:
        assert span.is_recording()
    (finished,) = exported.get_finished_spans()
    assert finished.name == "s" and f"{finished.parent.span_id:016x}" == "b7ad6b7169203331"


def test_without_an_exporter_govkit_spans_carry_the_ids_the_sdk_would_give(monkeypatch):
    """The fast path (no span object while nobody receives spans) keeps what the SDK's non-recording
    span would propagate: the parent's trace id when `context_of` accepts the parent, else a fresh one."""
    monkeypatch.setattr(tracing, "_exporting", False)
    sdk = TracerProvider(sampler=tracing._RecordWhenExporting()).get_tracer("t")
    valid = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    parents = [
        valid,
        valid[:-2] + "00",
        f" {valid} ",
        "01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-later",
        valid.upper(),  # not W3C: a new trace
        valid + "-x",  # version 00 allows nothing after the flags
        "ff" + valid[2:],
        "00-" + "0" * 32 + "-b7ad6b7169203331-01",
        "00-0af7651916cd43dd8448eb211c80319c-" + "0" * 16 + "-01",
        "garbage",
        None,
    ]
    for parent in parents:
        with sdk.start_as_current_span("s", context=tracing.context_of(parent)) as span:
            want = tracing.traceparent_of(span)
        with tracing.http_server_span("svc", {"method": "GET", "path": "/x"}, parent) as mine:
            got = tracing.traceparent_var.get()
            assert not mine.is_recording()
        assert (got[:3], got[-3:]) == (want[:3], want[-3:]), parent  # version and flags
        same_trace = tracing.context_of(parent) is not None
        assert (got.split("-")[1] == want.split("-")[1]) is same_trace, parent
        assert got.split("-")[1] != "0" * 32 and got.split("-")[2] not in ("0" * 16, want.split("-")[2])
        assert tracing.context_of(got) is not None
