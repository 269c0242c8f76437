"""Money: Decimal yuan with two places, from decimal strings or integers — never floats."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

CENT = Decimal("0.01")


# The largest amount accepted: under a trillion yuan, far above any municipal project and far below
# what the integer-fen columns (BIGINT) hold, so an absurd amount is a 422 naming the field.
MAX_YUAN = Decimal("999999999999.99")


def to_money(value: Any) -> Decimal:
    if isinstance(value, (bool, float)):
        raise ValueError('金额须为十进制字符串（如 "1999999.99"），不接受浮点数')
    if isinstance(value, int):
        value = Decimal(value)
    elif isinstance(value, str):
        try:
            value = Decimal(value.strip())
        except InvalidOperation as exc:
            raise ValueError("金额格式不正确，应为十进制字符串") from exc
    elif not isinstance(value, Decimal):
        raise ValueError("金额须为十进制字符串")
    if not value.is_finite():
        raise ValueError("金额须为有限数")
    if value != value.quantize(CENT):
        raise ValueError("金额最多两位小数（分）")
    if abs(value) > MAX_YUAN:
        raise ValueError("金额超出范围（不超过 999999999999.99 元）")
    return value.quantize(CENT)


def _nonneg(value: Decimal) -> Decimal:
    if value < 0:
        raise ValueError("金额不能为负数")
    return value


def fmt(value: Decimal) -> str:
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP))


_SCHEMA = WithJsonSchema({"type": "string", "pattern": r"^\d{1,12}(\.\d{1,2})?$", "examples": ["1999999.99"]})
_SIGNED_SCHEMA = WithJsonSchema({"type": "string", "pattern": r"^-?\d{1,12}(\.\d{1,2})?$", "examples": ["-12000.00"]})

# Non-negative money in yuan, serialised as a decimal string.
Money = Annotated[
    Decimal, BeforeValidator(lambda v: _nonneg(to_money(v))), PlainSerializer(fmt, return_type=str), _SCHEMA
]
# Signed money (differences, adjustments).
SignedMoney = Annotated[Decimal, BeforeValidator(to_money), PlainSerializer(fmt, return_type=str), _SIGNED_SCHEMA]


def to_fen(value: Decimal) -> int:
    return int((value * 100).to_integral_value())


def from_fen(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(CENT)
