from decimal import Decimal

import pytest
from pydantic import BaseModel, ValidationError

from govkit.money import Money, SignedMoney, from_fen, to_fen


class M(BaseModel):
    amount: Money


class S(BaseModel):
    amount: SignedMoney


@pytest.mark.parametrize(
    "value,expected",
    [
        ("1999999.99", Decimal("1999999.99")),
        ("0", Decimal("0.00")),
        ("12.5", Decimal("12.50")),
        (" 7.10 ", Decimal("7.10")),
        (2000000, Decimal("2000000.00")),
        (0, Decimal("0.00")),
        (Decimal("3.40"), Decimal("3.40")),
        ("12.500", Decimal("12.50")),
    ],
)
def test_strings_ints_decimals_accepted(value, expected):
    m = M(amount=value)
    assert m.amount == expected
    assert m.amount.as_tuple().exponent == -2


@pytest.mark.parametrize("value", [1.5, 0.0, 2000000.0, float("nan"), True, False])
def test_floats_and_bools_refused(value):
    with pytest.raises(ValidationError) as exc:
        M(amount=value)
    assert exc.value.errors()[0]["loc"] == ("amount",)


def test_float_refused_from_json():
    with pytest.raises(ValidationError):
        M.model_validate_json('{"amount": 1999999.99}')
    assert M.model_validate_json('{"amount": "1999999.99"}').amount == Decimal("1999999.99")


@pytest.mark.parametrize("value", ["0.001", "1.999", "12.345", Decimal("0.005")])
def test_more_than_two_decimals_refused(value):
    with pytest.raises(ValidationError):
        M(amount=value)


@pytest.mark.parametrize("value", ["abc", "", "1,000", "NaN", "Infinity", "-Infinity", [], {}, None])
def test_garbage_refused(value):
    with pytest.raises(ValidationError):
        M(amount=value)


@pytest.mark.parametrize("value", ["-0.01", -1, "-2000000"])
def test_negative_refused_for_money_accepted_for_signed(value):
    with pytest.raises(ValidationError):
        M(amount=value)
    assert S(amount=value).amount < 0


def test_signed_money_still_refuses_floats_and_fractions_of_fen():
    for bad in (-1.5, "-0.001"):
        with pytest.raises(ValidationError):
            S(amount=bad)


def test_serialised_as_decimal_string():
    assert M(amount=5).model_dump(mode="json") == {"amount": "5.00"}
    assert M(amount="1999999.99").model_dump_json() == '{"amount":"1999999.99"}'
    assert S(amount="-3.1").model_dump(mode="json") == {"amount": "-3.10"}
    schema = M.model_json_schema()["properties"]["amount"]
    assert schema["type"] == "string"


def test_fen_round_trip():
    assert to_fen(Decimal("1999999.99")) == 199999999
    assert from_fen(199999999) == Decimal("1999999.99")
    assert from_fen(to_fen(Decimal("0.01"))) == Decimal("0.01")
    assert to_fen(Decimal("-2.50")) == -250


def test_amounts_beyond_a_trillion_yuan_refused_before_they_reach_a_bigint_column():
    assert M(amount="999999999999.99").amount == Decimal("999999999999.99")
    for bad in ("1000000000000.00", "100000000000000000000", 10**13):
        with pytest.raises(ValidationError, match="超出范围"):
            M(amount=bad)
    with pytest.raises(ValidationError, match="超出范围"):
        S(amount="-1000000000000")
    assert to_fen(Decimal("999999999999.99")) < 2**63  # the fen columns are BIGINT


def test_json_schema_says_what_validation_accepts():
    import re

    money = re.compile(M.model_json_schema()["properties"]["amount"]["pattern"])
    signed = re.compile(S.model_json_schema()["properties"]["amount"]["pattern"])
    assert money.match("1999999.99") and not money.match("-1.00") and not money.match("1" * 13)
    assert signed.match("-1.00") and signed.match("1999999.99")
