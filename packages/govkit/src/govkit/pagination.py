"""Opaque cursors for keyset pagination: `{items, next_cursor}` with `limit` ≤ 200."""

from __future__ import annotations

import base64
from typing import Annotated, Any

import orjson
from fastapi import Query

from .errors import Problem

LimitQuery = Annotated[int, Query(ge=1, le=200, description="每页条数（≤ 200）")]
# A cursor is what the previous page returned (base64url of the last item's keys, no padding); only
# those are valid: one the server did not issue is refused with a 422 naming `cursor`.
CURSOR_PATTERN = r"^[A-Za-z0-9_-]{1,2048}$"
CursorQuery = Annotated[
    str | None,
    Query(
        description="上一页返回的 next_cursor，原样传回（不透明；非本服务签发的 cursor → 422）",
        json_schema_extra={"pattern": CURSOR_PATTERN},
    ),
]


def encode_cursor(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(values, default=str)).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> list[Any] | None:
    if not cursor:
        return None
    try:
        pad = "=" * (-len(cursor) % 4)
        values = orjson.loads(base64.urlsafe_b64decode(cursor + pad))
        if not isinstance(values, list):
            raise ValueError
        return values
    except Exception:  # noqa: BLE001
        raise Problem(422, "cursor 无效", violations=[{"field": "cursor", "message": "invalid cursor"}]) from None


def page(items: list, limit: int, key) -> dict:
    """`items` fetched with limit + 1; `key(item)` gives the cursor values of the last item."""
    more = len(items) > limit
    items = items[:limit]
    return {"items": items, "next_cursor": encode_cursor(key(items[-1])) if more and items else None}
