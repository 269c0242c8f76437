"""What the webhook endpoints take and return."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

from govkit.events import EVENT_TYPES

from .models import Delivery, WebhookSubscription

DeliveryStatus = Literal["pending", "delivered", "dead"]


class SubscriptionCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "url": "https://oa.example.gov.cn/hooks/govpm",
                    "event_types": ["ProjectApproved"],
                    "secret": "a-long-shared-secret-of-32-bytes!!",
                    "description": "市发改委 OA",
                }
            ]
        },
        extra="forbid",
    )
    url: str = Field(max_length=2000, examples=["https://oa.example.gov.cn/govpm/events"])
    event_types: list[str] = Field(min_length=1, max_length=100, examples=[["ProjectApproved"]])
    secret: str = Field(min_length=16, max_length=200, description="HMAC 密钥（≥16 个字符），不回显")
    description: str = Field("", max_length=500)

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        parts = urlsplit(v)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("须为 http(s) 地址")
        return v

    @field_validator("event_types")
    @classmethod
    def _types(cls, v: list[str]) -> list[str]:
        unknown = [t for t in v if t != "*" and t not in EVENT_TYPES]
        if unknown:
            raise ValueError(f"未知事件类型：{', '.join(unknown)}")
        return sorted(set(v))


class SubscriptionRead(BaseModel):
    id: str
    url: str
    event_types: list[str]
    description: str
    org: str
    created_by: str
    created_at: datetime
    active: bool

    @classmethod
    def of(cls, s: WebhookSubscription) -> SubscriptionRead:
        return cls(
            id=s.id,
            url=s.url,
            event_types=s.event_types,
            description=s.description,
            org=s.org,
            created_by=s.created_by,
            created_at=s.created_at,
            active=s.active,
        )


class SubscriptionPage(BaseModel):
    items: list[SubscriptionRead]
    next_cursor: str | None


class Attempt(BaseModel):
    at: datetime
    status_code: int | None = None
    error: str | None = None
    duration_ms: int | None = None


class DeliveryRead(BaseModel):
    id: int
    subscription_id: str | None
    event_id: str
    event_type: str
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None
    redelivery_of: int | None
    history: list[Attempt]

    @classmethod
    def of(cls, d: Delivery) -> DeliveryRead:
        return cls(
            id=d.id,
            subscription_id=d.subscription_id,
            event_id=d.event_id,
            event_type=d.event_type,
            status=d.status,
            attempts=d.attempts,
            next_attempt_at=d.next_attempt_at if d.status == "pending" else None,
            last_status_code=d.last_status_code,
            last_error=d.last_error,
            created_at=d.created_at,
            delivered_at=d.delivered_at,
            redelivery_of=d.redelivery_of,
            history=d.history or [],
        )


class DeliveryPage(BaseModel):
    items: list[DeliveryRead]
    next_cursor: str | None
