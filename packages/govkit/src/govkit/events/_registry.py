from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, ConfigDict

EVENT_TYPES: dict[str, type[EventData]] = {}
PUBLISHER: dict[str, str] = {}
TOPIC_PREFIX = "govpm."


def topic_of(service: str) -> str:
    return f"{TOPIC_PREFIX}{service}"


class EventData(BaseModel):
    """Base of every payload. Consumers ignore fields they do not know (forward compatible)."""

    model_config = ConfigDict(extra="ignore")
    project_id: UUID | None = None


def event_type(service: str):
    """Register a payload model; its class name is the event type."""

    def register(cls: type[EventData]) -> type[EventData]:
        name = cls.__name__
        if name in EVENT_TYPES:
            raise ValueError(f"event type {name} registered twice")
        EVENT_TYPES[name] = cls
        PUBLISHER[name] = service
        return cls

    return register
