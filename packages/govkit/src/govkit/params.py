"""Query parameters every service reads the same way.

- `AsOfQuery`: `as_of=YYYY-MM-DD` only. pydantic alone would read `as_of=0` as 1970-01-01 (a Unix
  timestamp); a date that is not written as a date is refused with a 422.
- `BlankQueryMiddleware`: a query parameter sent empty (`?status=`) is taken as not sent, as forms and
  generated clients send an unset optional value.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from fastapi import Query
from pydantic import BeforeValidator

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def iso_date_only(value: Any) -> Any:
    if value is None or isinstance(value, date):
        return value
    if isinstance(value, str) and ISO_DATE.match(value):
        return value
    raise ValueError("应为日期（YYYY-MM-DD）")


AsOfQuery = Annotated[
    date | None,
    BeforeValidator(iso_date_only),
    Query(description="按哪一天判断（YYYY-MM-DD），缺省为今天（Asia/Shanghai）", examples=["2026-12-03"]),
]


# A year written as a query value (a library year, a plan year): bounded so that a huge integer is a 422,
# never an overflow in the database (schemathesis sent library_year=36893488147419103231: a 500).
YearQuery = Annotated[int | None, Query(ge=2000, le=2999, description="年度（四位数）")]


class BlankQueryMiddleware:
    """Drops `name=` pairs with an empty value from the query string before routing."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            qs: bytes = scope.get("query_string") or b""
            if qs:
                parts = qs.split(b"&")
                kept = [p for p in parts if b"=" in p and p.index(b"=") < len(p) - 1]
                if len(kept) != len(parts):
                    scope = dict(scope, query_string=b"&".join(kept))
        await self.app(scope, receive, send)
