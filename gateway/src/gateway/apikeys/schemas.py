"""What the API-key endpoints take and return."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from govkit.auth import ALL_ROLES

from .models import ApiKey


class ApiKeyCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"name": "市财政局资金系统", "org": "ORG-FIN", "roles": ["finance"]}]},
        extra="forbid",
    )
    name: str = Field(min_length=1, max_length=200, examples=["市财政局财务系统"])
    org: str = Field(min_length=1, max_length=80, examples=["ORG-FIN"])
    roles: list[str] = Field(min_length=1, max_length=20, examples=[["finance"]])
    expires_at: datetime | None = None

    @field_validator("roles")
    @classmethod
    def _roles(cls, v: list[str]) -> list[str]:
        unknown = sorted(set(v) - ALL_ROLES)
        if unknown:
            raise ValueError(f"未知角色：{', '.join(unknown)}")
        if "admin" in v:
            raise ValueError("API key 不能具有 admin 角色")
        return sorted(set(v))

    @field_validator("expires_at")
    @classmethod
    def _tz(cls, v: datetime | None) -> datetime | None:
        if v is not None and v.tzinfo is None:
            raise ValueError("须带时区")
        return v


class ApiKeyRead(BaseModel):
    id: str
    name: str
    org: str
    roles: list[str]
    prefix: str
    created_at: datetime
    created_by: str
    expires_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, k: ApiKey, **extra) -> ApiKeyRead:
        return cls(
            id=k.id,
            name=k.name,
            org=k.org,
            roles=k.roles,
            prefix=k.prefix,
            created_at=k.created_at,
            created_by=k.created_by,
            expires_at=k.expires_at,
            revoked_at=k.revoked_at,
            **extra,
        )


class ApiKeyCreated(ApiKeyRead):
    key: str = Field(description="完整密钥，仅此一次返回")


class ApiKeyPage(BaseModel):
    items: list[ApiKeyRead]
    next_cursor: str | None
