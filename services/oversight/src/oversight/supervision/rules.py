"""The quarterly reporting clock (R-18.1, X-30.1), as pure functions.

Our reading (documented in the service README): the first quarter owed is the quarter in which
the project was approved; every quarter after it is owed, up to and excluding the quarter in which
final acceptance took place (reporting stops after `FinalAccepted`; the acceptance itself reports
that last stretch). A terminated project owes nothing after the quarter of termination.
A quarter's report is due `progress_report_due_days` days after the quarter's end: on the due
day it is not yet overdue; from the day after it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from govkit.clock import quarter_end as _quarter_end
from govkit.clock import quarter_of
from govkit.policy import policy_for
from govkit.rules import Decision

Quarter = tuple[int, int]


@lru_cache(maxsize=4096)
def quarter_end(year: int, quarter: int) -> date:
    return _quarter_end(year, quarter)


def next_quarter(q: Quarter) -> Quarter:
    year, quarter = q
    return (year + 1, 1) if quarter == 4 else (year, quarter + 1)


@lru_cache(maxsize=4096)
def due_on(year: int, quarter: int, jurisdiction: str = "city", declared_on: date | None = None) -> date:
    """The due date of a quarter's report: quarter end + the policy's due days."""
    end = quarter_end(year, quarter)
    policy = policy_for(declared_on or end, jurisdiction)
    return end + timedelta(days=policy.progress_report_due_days)


@dataclass(frozen=True)
class ReportingWindow:
    first: Quarter  # the quarter of approval
    last: Quarter | None  # the last owed quarter (None: open-ended)


def reporting_window(
    approved_on: date, final_accepted_on: date | None = None, terminated_on: date | None = None
) -> ReportingWindow:
    first = quarter_of(approved_on)
    last: Quarter | None = None
    if final_accepted_on is not None:
        y, q = quarter_of(final_accepted_on)
        last = (y - 1, 4) if q == 1 else (y, q - 1)
    if terminated_on is not None:
        t = quarter_of(terminated_on)
        last = t if last is None else min(last, t)
    return ReportingWindow(first, last)


def owes_report(window: ReportingWindow, year: int, quarter: int) -> Decision:
    """R-18.1: may (and must) the project report for this quarter?"""
    q = (year, quarter)
    if q < window.first:
        return Decision("R-18.1", "fail", f"{year}年第{quarter}季度早于项目批复季度，无需报送（第十八条）")
    if window.last is not None and q > window.last:
        return Decision("R-18.1", "fail", f"项目已终验或终止，{year}年第{quarter}季度起不再报送进度（第十八条）")
    return Decision("R-18.1", "pass", "应报送季度")


def owed_quarters(window: ReportingWindow, as_of: date) -> list[Quarter]:
    """Every owed quarter whose end has passed by `as_of` (oldest first)."""
    out: list[Quarter] = []
    q = window.first
    while quarter_end(*q) < as_of and (window.last is None or q <= window.last):
        out.append(q)
        q = next_quarter(q)
    return out


def overdue_quarters(
    window: ReportingWindow,
    reported: set[Quarter],
    as_of: date,
    jurisdiction: str = "city",
    declared_on: date | None = None,
) -> list[tuple[Quarter, date]]:
    """R-18.1 / X-30.1: owed quarters without a report whose due date is before `as_of`."""
    out = []
    for q in owed_quarters(window, as_of):
        if q in reported:
            continue
        due = due_on(*q, jurisdiction=jurisdiction, declared_on=declared_on)
        if as_of > due:
            out.append((q, due))
    return out
