"""Dates in Asia/Shanghai: 'today' for as_of defaults, month arithmetic for the clocks."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    return datetime.now(SHANGHAI).date()


def local_date(moment: datetime) -> date:
    return moment.astimezone(SHANGHAI).date()


def add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def add_years(d: date, years: int) -> date:
    return add_months(d, 12 * years)


def quarter_of(d: date) -> tuple[int, int]:
    return d.year, (d.month - 1) // 3 + 1


def quarter_end(year: int, quarter: int) -> date:
    month = quarter * 3
    return date(year, month, calendar.monthrange(year, month)[1])


def deadline_phase(due_on: date, as_of: date, lead_days: int) -> str | None:
    """X-30.1: where a clock stands on `as_of` — None (not yet worth a reminder), "approaching"
    (within `lead_days` before the due date, the due day included) or "overdue" (from the day after)."""
    if as_of > due_on:
        return "overdue"
    return "approaching" if (due_on - as_of).days <= lead_days else None
