"""R-30.1 / R-30.2 / R-19.1: rectification orders and the sanctions ladder."""
from datetime import date

from oversight.incidents.rules import routing
from oversight.rectifications import rules as rect
from oversight.sanctions import rules as ladder


def test_r30_2_next_step_climbs_the_ladder():
    assert ladder.next_step([]) == "criticism"
    assert ladder.next_step(["criticism"]) == "defer_investment"
    assert ladder.next_step(["criticism", "defer_investment"]) == "suspend"
    assert ladder.next_step(["suspend", "resume"]) == "terminate"
    assert ladder.next_step(["terminate"]) is None


def test_r30_2_skipped_rungs_are_shown():
    assert ladder.skipped([], "suspend") == ["criticism", "defer_investment"]
    assert ladder.skipped(["criticism"], "defer_investment") == []


def test_r30_2_terminated_project_takes_no_more_and_suspension_needs_active():
    assert ladder.check_sanction("criticism", "terminated").result == "fail"
    assert ladder.check_sanction("suspend", "suspended").result == "fail"
    assert ladder.check_sanction("suspend", "active").ok
    assert ladder.check_resume("active").result == "fail"
    assert ladder.check_resume("terminated").result == "fail"
    assert ladder.check_resume("suspended").ok


def test_r30_1_each_bureau_in_its_own_duty():
    assert rect.within_duty("funds", frozenset({"finance"})).ok
    assert rect.within_duty("funds", frozenset({"cac"})).result == "fail"
    assert rect.within_duty("cryptography", frozenset({"crypto"})).ok
    assert rect.within_duty(None, frozenset({"police"})).ok


def test_r30_1_deadline_and_overdue_boundary():
    assert rect.deadline_ok(date(2027, 5, 1), date(2027, 5, 1)).ok
    assert not rect.deadline_ok(date(2027, 4, 30), date(2027, 5, 1)).ok
    assert not rect.is_overdue(date(2027, 5, 1), "open", date(2027, 5, 1))
    assert rect.is_overdue(date(2027, 5, 1), "open", date(2027, 5, 2))
    assert not rect.is_overdue(date(2027, 5, 1), "closed", date(2027, 5, 2))


def test_r19_1_incident_routing():
    d = routing("serious_delay")
    assert d.rule == "R-19.1"
    assert d.details["routed_to"] == ["bdb", "finance"] and d.details["copied_to"] == ["approval_bureau"]
