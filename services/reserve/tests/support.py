"""Shared test data for the reserve tests: principals, windows around a day, a declaration body."""

from datetime import date, timedelta

from govkit.dev.testing import auth

BDB = auth("bdb", "ORG-BDB")
FIN = auth("finance", "ORG-FIN")
APB = auth("approval_bureau", "ORG-APB")


def half_bounds(day: date) -> tuple[date, date]:
    if day.month <= 6:
        return date(day.year, 1, 1), date(day.year, 6, 30)
    return date(day.year, 7, 1), date(day.year, 12, 31)


def supplement_around(day: date, before: int = 3, after: int = 5) -> dict:
    """A supplement window of day's year that is open on `day` (kept inside day's half-year)."""
    lo, hi = half_bounds(day)
    return {
        "kind": "supplement",
        "library_year": day.year,
        "opens_on": max(lo, day - timedelta(days=before)).isoformat(),
        "closes_on": min(hi, day + timedelta(days=after)).isoformat(),
    }


def declaration(**kw) -> dict:
    body = {
        "title": "市域治理数据共享平台",
        "category": "data_resources",
        "estimated_investment": "1200000.00",
        "description": "建设全市统一的数据共享交换平台",
        "classified": False,
        "built_by_big_data_group": False,
        "new_civil_works": False,
        "high_energy": False,
    }
    body.update(kw)
    return body
