"""The event catalogue: an AsyncAPI 3.0 document generated from the event registry.

Every event type in `govkit.events.EVENT_TYPES` appears as a message on its publisher's channel
(`govpm.<publisher>`, the Kafka topic), with its payload's JSON schema (the pydantic model inside
the CloudEvents 1.0 envelope), who publishes it and who consumes it. Consumers come from each
service's handler table (`<svc>.handlers.HANDLERS`); oversight (read model, timeline) and the gateway
(webhooks, portal notifications) consume every event.

`build_asyncapi()` builds it; `asyncapi_document()` is the cached copy the gateway serves at
`/asyncapi.json`.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic.json_schema import models_json_schema

from ..events import EVENT_TYPES, PUBLISHER, CloudEvent, topic_of
from ..settings import SERVICES

ALL_EVENTS_CONSUMERS = ("oversight", "gateway")  # read model + timeline; webhooks + notifications
SCHEMA_REF = "#/components/schemas/{model}"


def consumed_types(services: Iterable[str] = SERVICES) -> dict[str, list[str]]:
    """service → the event types its `handlers.HANDLERS` table consumes (import errors propagate:
    a service that does not import is a broken build, not an empty consumer)."""
    out: dict[str, list[str]] = {}
    for svc in services:
        # every table of the service first, as its app does: a model's foreign key may name a table of a
        # sibling noun that the handlers alone do not import (the shared metadata must stay resolvable)
        importlib.import_module(f"{svc}.models")
        module = importlib.import_module(f"{svc}.handlers")
        out[svc] = sorted(cls.__name__ for cls in getattr(module, "HANDLERS", {}) or {})
    return out


def consumers_by_type(handlers: Mapping[str, Iterable[str]]) -> dict[str, list[str]]:
    types = set(EVENT_TYPES) | {t for ts in handlers.values() for t in ts}
    result: dict[str, set[str]] = {t: set(ALL_EVENTS_CONSUMERS) for t in types}
    for svc, ts in handlers.items():
        for t in ts:
            result[t].add(svc)
    return {t: sorted(s) for t, s in result.items()}


def _envelope_schema(etype: str, publisher: str, data_ref: str) -> dict[str, Any]:
    """The CloudEvent envelope (structured JSON) with this type's payload as `data`."""
    return {
        "type": "object",
        "required": ["specversion", "id", "source", "type", "time", "data"],
        "properties": {
            "specversion": {"type": "string", "const": "1.0"},
            "id": {"type": "string", "format": "uuid"},
            "source": {"type": "string", "const": f"/govpm/{publisher}"},
            "type": {"type": "string", "const": etype},
            "time": {"type": "string", "format": "date-time"},
            "subject": {"type": "string", "description": "project_id (also the Kafka key)"},
            "datacontenttype": {"type": "string", "const": "application/json"},
            "data": {"$ref": data_ref},
            "seq": {"type": "integer", "description": "the publisher's outbox sequence (event log position)"},
            "actor": {"type": "string"},
            "actororg": {"type": "string"},
            "rule": {"type": "string", "description": "rule id the state change applied, e.g. R-26.1"},
            "requestid": {"type": "string"},
            "traceparent": {"type": "string", "description": "W3C trace context (CloudEvents distributed tracing)"},
            "partitionkey": {"type": "string"},
        },
    }


def build_asyncapi(handlers: Mapping[str, Iterable[str]] | None = None) -> dict[str, Any]:
    """The AsyncAPI 3.0 document. `handlers` (service → consumed types) defaults to the services'
    own handler tables."""
    handlers = consumed_types() if handlers is None else handlers
    consumers = consumers_by_type(handlers)
    types = sorted(EVENT_TYPES)
    refs, defs = models_json_schema([(EVENT_TYPES[t], "serialization") for t in types], ref_template=SCHEMA_REF)
    data_ref = {t: refs[(EVENT_TYPES[t], "serialization")]["$ref"] for t in types}
    schemas: dict[str, Any] = dict(defs.get("$defs", {}))

    publishers = sorted({PUBLISHER[t] for t in types})
    channels: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for pub in publishers:
        topic = topic_of(pub)
        own = [t for t in types if PUBLISHER[t] == pub]
        channels[topic] = {
            "address": topic,
            "title": f"Events published by {pub}",
            "description": f"Kafka topic of the {pub} service, keyed by project_id (per-project order).",
            "messages": {t: {"$ref": f"#/components/messages/{t}"} for t in own},
            "bindings": {"kafka": {"topic": topic, "partitions": 3, "bindingVersion": "0.5.0"}},
        }
        operations[f"{pub}.publish"] = {
            "action": "send",
            "title": f"{pub} publishes (transactional outbox relay)",
            "channel": {"$ref": f"#/channels/{topic}"},
            "messages": [{"$ref": f"#/channels/{topic}/messages/{t}"} for t in own],
        }
    for t in types:
        model = EVENT_TYPES[t]
        messages[t] = {
            "name": t,
            "title": t,
            "summary": (model.__doc__ or "").strip().split("\n")[0] or t,
            "contentType": CloudEvent.media_type,
            "payload": _envelope_schema(t, PUBLISHER[t], data_ref[t]),
            "correlationId": {"location": "$message.payload#/subject"},
            "bindings": {"kafka": {"key": {"type": "string", "description": "project_id"}, "bindingVersion": "0.5.0"}},
            "x-publisher": PUBLISHER[t],
            "x-consumers": consumers.get(t, list(ALL_EVENTS_CONSUMERS)),
        }
    every_consumer = sorted({c for cs in consumers.values() for c in cs})
    for consumer in every_consumer:
        for pub in publishers:
            topic = topic_of(pub)
            wanted = [t for t in types if PUBLISHER[t] == pub and consumer in consumers.get(t, ())]
            if wanted:
                operations[f"{consumer}.receive.{pub}"] = {
                    "action": "receive",
                    "title": f"{consumer} consumes from {topic}",
                    "channel": {"$ref": f"#/channels/{topic}"},
                    "messages": [{"$ref": f"#/channels/{topic}/messages/{t}"} for t in wanted],
                }
    unpublished = sorted(set(consumers) - set(EVENT_TYPES))  # consumed but not registered: a bug
    return {
        "asyncapi": "3.0.0",
        "id": "urn:govpm:events",
        "info": {
            "title": "GovPM events (政务信息化项目全流程管理平台 事件目录)",
            "version": "1.0.0",
            "description": "Every event type: its topic, payload, publisher and consumers. CloudEvents 1.0 "
            "structured JSON on Kafka, one topic per publishing service, keyed by project_id. "
            "Also readable without the broker at each service's GET /internal/events.",
            **({"x-unregistered-consumed-types": unpublished} if unpublished else {}),
        },
        "defaultContentType": CloudEvent.media_type,
        "servers": {"kafka": {"host": "kafka:9092", "protocol": "kafka", "description": "GOVPM_KAFKA_BOOTSTRAP"}},
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": schemas},
    }


@functools.lru_cache(maxsize=1)
def asyncapi_document() -> dict[str, Any]:
    return build_asyncapi()


def catalogued_types(doc: Mapping[str, Any]) -> set[str]:
    """The event types a document describes on some channel."""
    return {name for ch in doc.get("channels", {}).values() for name in ch.get("messages", {})}
