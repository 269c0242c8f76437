"""X-30.1 (pure): every open obligation of the reserve has a clock — open windows close, submitted
declarations await the library's compilation (by the end of the window's compilation period),
special additions await the bureaus' consultation (a configured number of days)."""

from __future__ import annotations

from datetime import date, timedelta

from govkit.clock import add_months, quarter_end
from govkit.policy import Policy
from govkit.rules import Decision


def window_clock(kind: str, opens_on: date, closes_on: date, as_of: date, within_days: int) -> Decision | None:
    """An open window closing within `within_days` days of `as_of` (None: nothing to show)."""
    if not (opens_on <= as_of <= closes_on):
        return None
    left = (closes_on - as_of).days
    if left > within_days:
        return None
    return Decision(
        "X-30.1",
        "flag",
        f"{'年度' if kind == 'annual' else '增补'}申报窗口将于 {closes_on} 关闭（剩 {left} 天）",
        {"due_on": closes_on.isoformat(), "days_left": left},
    )


def compile_due(window_kind: str | None, library_year: int, window_closes_on: date | None, policy: Policy) -> date:
    """When a submitted declaration should have its library decision: the annual library by the end
    of the compilation quarter of the year before (R-8.1); a supplement by the end of its period (R-9.1)."""
    if window_kind == "supplement" and window_closes_on is not None:
        months = policy.supplement_period_months
        period_start_month = ((window_closes_on.month - 1) // months) * months + 1
        return add_months(date(window_closes_on.year, period_start_month, 1), months) - timedelta(days=1)
    return quarter_end(library_year - 1, policy.annual_window_quarter)


def due_clock(what: str, due_on: date, as_of: date) -> Decision:
    left = (due_on - as_of).days
    if left < 0:
        return Decision(
            "X-30.1",
            "fail",
            f"{what}已逾期 {-left} 天（应于 {due_on} 前）",
            {"due_on": due_on.isoformat(), "days_left": left, "overdue": True},
        )
    return Decision(
        "X-30.1",
        "flag",
        f"{what}应于 {due_on} 前完成（剩 {left} 天）",
        {"due_on": due_on.isoformat(), "days_left": left, "overdue": False},
    )
