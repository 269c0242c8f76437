"""X-30.1 clocks of the reserve (pure)."""

from datetime import date

from govkit.policy import policy_for
from reserve.clocks import rules
from reserve.special_additions.rules import consultation_due

P = policy_for(date(2026, 10, 1))


def test_x30_1_window_closing_within_n_days():
    c = rules.window_clock("annual", date(2026, 10, 1), date(2026, 10, 31), date(2026, 10, 24), 7)
    assert (c.rule, c.details["days_left"]) == ("X-30.1", 7)
    assert rules.window_clock("annual", date(2026, 10, 1), date(2026, 10, 31), date(2026, 10, 23), 7) is None
    assert rules.window_clock("annual", date(2026, 10, 1), date(2026, 10, 31), date(2026, 11, 1), 7) is None


def test_x30_1_due_dates():
    assert rules.compile_due("annual", 2027, date(2026, 10, 31), P) == date(2026, 12, 31)
    assert rules.compile_due("supplement", 2027, date(2027, 3, 31), P) == date(2027, 6, 30)
    assert rules.compile_due("supplement", 2027, date(2027, 8, 31), P) == date(2027, 12, 31)
    assert consultation_due(date(2027, 3, 1), 15) == date(2027, 3, 16)


def test_x30_1_overdue_boundary():
    assert rules.due_clock("x", date(2027, 3, 16), date(2027, 3, 16)).details["overdue"] is False
    late = rules.due_clock("x", date(2027, 3, 16), date(2027, 3, 17))
    assert (late.result, late.details["overdue"], late.details["days_left"]) == ("fail", True, -1)
