from datetime import date
from decimal import Decimal

import pytest

from govkit.dev.testing import auth
from govkit.errors import Problem
from govkit.pagination import decode_cursor, encode_cursor, page


@pytest.mark.parametrize("values", [[1], ["a", 2], ["2024-01-01", "x/y+z=", 10**12], ["中文", None, True]])
def test_cursor_round_trip(values):
    c = encode_cursor(values)
    assert "=" not in c and "/" not in c and "+" not in c
    assert decode_cursor(c) == values


def test_cursor_of_dates_and_decimals_round_trips_as_strings():
    assert decode_cursor(encode_cursor([date(2024, 1, 2), Decimal("1.50")])) == ["2024-01-02", "1.50"]


def test_empty_cursor_is_first_page():
    assert decode_cursor(None) is None and decode_cursor("") is None


@pytest.mark.parametrize("bad", ["!!!", "abc", encode_cursor.__name__, "eyJhIjoxfQ"])  # last: {"a":1}
def test_bad_cursor_is_422(bad):
    with pytest.raises(Problem) as exc:
        decode_cursor(bad)
    assert exc.value.status == 422
    assert exc.value.violations[0]["field"] == "cursor"


def test_page():
    items = [{"id": i} for i in range(4)]
    assert page(items, 3, key=lambda x: [x["id"]]) == {"items": items[:3], "next_cursor": encode_cursor([2])}
    assert page(items[:3], 3, key=lambda x: [x["id"]]) == {"items": items[:3], "next_cursor": None}
    assert page([], 3, key=lambda x: [x["id"]]) == {"items": [], "next_cursor": None}


async def test_paging_through_the_app(client):
    ids = set()
    for i in range(5):
        ids.add(
            (
                await client.post(
                    "/things", json={"name": f"n{i}", "amount": "1", "kind": "a"}, headers=auth("unit", "ORG-P")
                )
            ).json()["id"]
        )
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        body = (await client.get("/things", params=params, headers=auth("bdb"))).json()
        pages += 1
        seen += [t["id"] for t in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert pages == 3 and seen == sorted(ids)


async def test_bad_cursor_through_the_app_is_422_problem(client):
    resp = await client.get("/things", params={"cursor": "%%%not-a-cursor"}, headers=auth("bdb"))
    assert resp.status_code == 422
    assert resp.headers["content-type"].startswith("application/problem+json")
    assert resp.json()["violations"][0]["field"] == "cursor"
