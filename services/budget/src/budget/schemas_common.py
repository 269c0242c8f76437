"""Shapes shared by the budget endpoints."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict

from govkit.errors import Problem
from govkit.money import Money
from govkit.pagination import decode_cursor


def _positive(v: Decimal) -> Decimal:
    if v <= 0:
        raise ValueError("金额须大于零")
    return v


PositiveMoney = Annotated[Money, AfterValidator(_positive)]


class RuleRef(BaseModel):
    model_config = ConfigDict(extra="allow")
    rule: str
    article: str
    message: str
    basis: str | None = None


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Out(BaseModel):
    model_config = ConfigDict(extra="allow")


Json = dict[str, Any]


def cursor_values(cursor: str | None, *types: type) -> tuple | None:
    """An opaque cursor decoded into values of the given types (422 when it is not ours)."""
    values = decode_cursor(cursor)
    if values is None:
        return None
    try:
        if len(values) != len(types):
            raise ValueError
        return tuple(t(v) for t, v in zip(types, values, strict=False))
    except (TypeError, ValueError):
        raise Problem(422, "cursor 无效", violations=[{"field": "cursor", "message": "invalid cursor"}]) from None
