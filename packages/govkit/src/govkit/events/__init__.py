"""CloudEvents 1.0 envelope and the registry of every event type's payload schema.

Payload schemas live in one module per publishing service (reserve.py, approval.py, ...); this
package is the single place they are collected: EVENT_TYPES (type → model) and PUBLISHER (type → service).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, ClassVar

import orjson
from pydantic import BaseModel, ConfigDict, Field

from . import _registry
from ._documents import DocumentStoredData
from ._registry import EVENT_TYPES, PUBLISHER, EventData, event_type, topic_of

__all__ = [
    "CloudEvent",
    "EventData",
    "DocumentStoredData",
    "EVENT_TYPES",
    "PUBLISHER",
    "event_type",
    "topic_of",
    "parse_data",
    "SERVICES_TOPICS",
]


class CloudEvent(BaseModel):
    """Structured-mode CloudEvent (JSON). Extension attributes: seq (publisher's outbox sequence),
    actor, actororg, rule, requestid, traceparent (distributed tracing), partitionkey (Kafka key)."""

    model_config = ConfigDict(extra="allow")
    specversion: str = "1.0"
    id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    source: str
    type: str
    time: datetime
    subject: str | None = None
    datacontenttype: str = "application/json"
    data: dict[str, Any]
    seq: int | None = None
    actor: str | None = None
    actororg: str | None = None
    rule: str | None = None
    requestid: str | None = None
    traceparent: str | None = None
    partitionkey: str | None = None

    media_type: ClassVar[str] = "application/cloudevents+json"

    @property
    def service(self) -> str:
        return self.source.rstrip("/").rsplit("/", 1)[-1]

    def to_json(self) -> bytes:
        return orjson.dumps(self.model_dump(mode="json", exclude_none=True))

    @classmethod
    def from_json(cls, raw: bytes | str) -> CloudEvent:
        return cls.model_validate(orjson.loads(raw))


def parse_data(event: CloudEvent) -> EventData:
    model = EVENT_TYPES.get(event.type)
    if model is None:
        raise KeyError(f"unknown event type {event.type}")
    return model.model_validate(event.data)


# Import the per-service schema modules so the registry is complete.
from . import acceptance, approval, budget, oversight, reserve  # noqa: E402,F401

SERVICES_TOPICS = {s: topic_of(s) for s in ("reserve", "approval", "budget", "oversight", "acceptance")}
_ = _registry
