"""R-18.1 / X-30.1: which quarters are owed and when a report is overdue."""

from datetime import date

from oversight.supervision import rules


def test_q3_report_is_due_on_the_15th_day_after_quarter_end():
    assert rules.due_on(2027, 3) == date(2027, 10, 15)
    assert rules.due_on(2027, 4) == date(2028, 1, 15)


def test_q3_report_not_overdue_on_the_due_day_overdue_the_next():
    window = rules.reporting_window(date(2027, 7, 5))
    assert rules.overdue_quarters(window, set(), date(2027, 10, 15)) == []
    assert rules.overdue_quarters(window, set(), date(2027, 10, 16)) == [((2027, 3), date(2027, 10, 15))]


def test_a_filed_report_is_not_overdue():
    window = rules.reporting_window(date(2027, 7, 5))
    assert rules.overdue_quarters(window, {(2027, 3)}, date(2027, 12, 1)) == []


def test_first_owed_quarter_is_the_quarter_of_approval():
    window = rules.reporting_window(date(2027, 3, 31))
    assert rules.owes_report(window, 2027, 1).ok
    assert not rules.owes_report(window, 2026, 4).ok
    assert rules.owes_report(window, 2026, 4).rule == "R-18.1"
    assert rules.owed_quarters(window, date(2027, 7, 1)) == [(2027, 1), (2027, 2)]


def test_reporting_stops_at_final_acceptance():
    window = rules.reporting_window(date(2027, 1, 10), final_accepted_on=date(2027, 8, 20))
    assert window.last == (2027, 2)
    assert rules.owes_report(window, 2027, 2).ok
    assert not rules.owes_report(window, 2027, 3).ok
    assert rules.owed_quarters(window, date(2028, 6, 1)) == [(2027, 1), (2027, 2)]
    # accepted in Q1: the last owed quarter is Q4 of the year before
    assert rules.reporting_window(date(2026, 5, 1), final_accepted_on=date(2027, 2, 1)).last == (2026, 4)


def test_termination_stops_reporting_after_its_quarter():
    window = rules.reporting_window(date(2027, 1, 10), terminated_on=date(2027, 5, 1))
    assert rules.owed_quarters(window, date(2028, 1, 1)) == [(2027, 1), (2027, 2)]


def test_current_quarter_is_not_owed_before_it_ends():
    window = rules.reporting_window(date(2027, 10, 1))
    assert rules.owed_quarters(window, date(2027, 12, 31)) == []
    assert rules.owed_quarters(window, date(2028, 1, 1)) == [(2027, 4)]
