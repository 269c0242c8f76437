"""Observability across real processes: one request through the gateway is one trace (gateway →
service → outbox relay → consumer, each process exporting its spans to one JSON-lines file), and
/metrics shows the outbox backlog grow while the broker is down and drain after it returns."""

from __future__ import annotations

import itertools
import json
import tempfile
import uuid
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from tests.e2e.flows import Api, build_stack, eventually, started

from govkit.settings import SERVICES


@pytest.fixture(scope="module")
def traced_stack():
    """A stack of its own whose processes all append their spans to one file."""
    trace_file = Path(tempfile.mkdtemp(prefix="govpm-spans-")) / "spans.jsonl"
    s = build_stack("obs", GOVPM_TRACE_FILE=str(trace_file))
    s.trace_file = trace_file
    with started(s):
        yield s


def spans(stack, trace_id: str) -> list[dict]:
    if not stack.trace_file.exists():
        return []
    out = []
    for line in stack.trace_file.read_text().splitlines():
        if line.strip():
            span = json.loads(line)
            if span["trace_id"] == trace_id:
                out.append(span)
    return out


def metric(text: str, name: str, **labels) -> float | None:
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return sample.value
    return None


def bdb(stack) -> Api:
    return Api(stack.gateway_url, "bdb", "ORG-BDB")


YEARS = itertools.count(2040)  # the stack is this module's own: one window per year, no clashes


def open_window(client: Api, **headers) -> httpx.Response:
    year = next(YEARS)
    return client.post(
        "/api/v1/reserve/windows",
        headers=headers,
        json={
            "kind": "annual",
            "library_year": year,
            "opens_on": f"{year - 1}-10-01",
            "closes_on": f"{year - 1}-12-31",
        },
    )


def test_metrics_on_every_service_and_the_gateway(traced_stack):
    for name in SERVICES:
        text = httpx.get(f"{traced_stack.url(name)}/metrics", timeout=10).text
        assert metric(text, "govpm_outbox_backlog", service=name) is not None, name
        assert metric(text, "govpm_broker_connected", service=name, part="relay") is not None, name
        assert "govpm_http_requests_total" in text and "govpm_http_request_seconds" in text
        assert "govpm_consumer_lag_seconds" in text and "govpm_consumer_handle_seconds" in text
        assert "govpm_idempotent_replays_total" in text
        assert metric(text, "govpm_consumer_backlog", service=name) is not None, name
        assert metric(text, "govpm_consumer_oldest_unapplied_seconds", service=name) is not None, name
    health = httpx.get(f"{traced_stack.gateway_url}/healthz", timeout=10).json()
    assert set(health["consumers"]) == set(SERVICES)
    assert all(c["backlog"] >= 0 and c["oldest_unapplied_s"] >= 0 for c in health["consumers"].values())
    text = httpx.get(f"{traced_stack.gateway_url}/metrics", timeout=10).text
    assert metric(text, "govpm_gateway_requests_total", method="GET", route="/healthz", status="200") >= 1


def test_one_request_through_the_gateway_is_one_trace(traced_stack):
    trace_id = uuid.uuid4().hex
    with bdb(traced_stack) as client:
        resp = open_window(client, traceparent=f"00-{trace_id}-{uuid.uuid4().hex[:16]}-01")
    assert resp.status_code == 201, resp.text  # reserve's POST /windows (API.md) emits WindowOpened

    def whole_saga():
        found = spans(traced_stack, trace_id)
        kinds = {(s["service"], s["kind"]) for s in found}
        producers = {s["span_id"] for s in found if s["kind"] == "PRODUCER"}
        # A consumer that got the event from Kafka: its span's parent is the relay's publish span.
        # (Catch-up may apply it first, parented by the request's span; Kafka's delivery still
        # leaves its span, as a duplicate.)
        from_kafka = [s for s in found if s["kind"] == "CONSUMER" and s["parent_span_id"] in producers]
        ok = (
            ("gateway", "SERVER") in kinds
            and ("reserve", "SERVER") in kinds
            and ("reserve", "PRODUCER") in kinds
            and from_kafka
        )
        return found if ok else None

    found = eventually(whole_saga, timeout=20)
    by_id = {s["span_id"]: s for s in found}
    gateway = next(s for s in found if s["service"] == "gateway")
    service = next(s for s in found if s["service"] == "reserve" and s["kind"] == "SERVER")
    publish = next(s for s in found if s["kind"] == "PRODUCER" and s["name"] == "publish WindowOpened")
    consume = next(
        s
        for s in found
        if s["kind"] == "CONSUMER" and s["name"] == "consume WindowOpened" and s["parent_span_id"] == publish["span_id"]
    )
    assert service["parent_span_id"] == gateway["span_id"]
    assert publish["parent_span_id"] == service["span_id"]
    assert consume["service"] in (*SERVICES, "gateway") and consume["service"] != "reserve"
    assert all(s["parent_span_id"] is None or s["parent_span_id"] in by_id or s is gateway for s in found)


def test_outbox_backlog_grows_while_the_broker_is_down_and_drains_after(traced_stack):
    reserve_metrics = f"{traced_stack.url('reserve')}/metrics"

    def backlog() -> float:
        return metric(httpx.get(reserve_metrics, timeout=10).text, "govpm_outbox_backlog", service="reserve")

    eventually(lambda: backlog() == 0, timeout=30)
    traced_stack.stop_broker()
    try:
        with bdb(traced_stack) as client:
            for _ in range(3):
                resp = open_window(client)
                assert resp.status_code == 201, resp.text
        assert eventually(lambda: backlog() >= 3, timeout=10)
        text = httpx.get(reserve_metrics, timeout=10).text
        assert metric(text, "govpm_outbox_oldest_unsent_seconds", service="reserve") >= 0
        eventually(
            lambda: (
                metric(
                    httpx.get(reserve_metrics, timeout=10).text,
                    "govpm_broker_connected",
                    service="reserve",
                    part="relay",
                )
                == 0
            ),
            timeout=30,
        )
    finally:
        traced_stack.start_broker()
    eventually(lambda: backlog() == 0, timeout=60, interval=0.5)
    assert (
        metric(httpx.get(reserve_metrics, timeout=10).text, "govpm_broker_connected", service="reserve", part="relay")
        == 1
    )
