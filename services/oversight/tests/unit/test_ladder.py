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
    assert rect.within_duty("resource_sharing", frozenset({"bdc"})).ok
    assert rect.within_duty("resource_sharing", frozenset({"bdb"})).ok
    assert not rect.within_duty("tendering_procurement", frozenset({"bdb"})).ok
    assert rect.within_duty("tendering_procurement", frozenset({"approval_bureau"})).ok
    assert not rect.within_duty("funds", frozenset({"approval_bureau"})).ok
    assert not rect.within_duty("other", frozenset({"bdb"})).ok  # no area without a duty behind it
    d = rect.within_duty("mlps", frozenset({"cac"}))
    assert d.rule == "R-30.1" and d.article == "第三十条" and d.details["allowed"] == ["police"]


def test_r30_2_only_an_overdue_or_non_compliant_order_opens_the_ladder():
    due = date(2027, 5, 1)
    open_on = rect.ladder_opening(status="open", deadline=due, answered_on=None, as_of=due)
    assert not open_on.ok and open_on.rule == "R-30.2"
    late = rect.ladder_opening(status="open", deadline=due, answered_on=None, as_of=date(2027, 5, 2))
    assert late.ok and late.details["opened_by"] == "overdue"
    in_time = rect.ladder_opening(status="answered", deadline=due, answered_on=due, as_of=date(2027, 9, 1))
    assert not in_time.ok
    answered_late = rect.ladder_opening(
        status="answered", deadline=due, answered_on=date(2027, 5, 2), as_of=date(2027, 5, 2)
    )
    assert answered_late.ok and answered_late.details["basis"] == "practice"
    nc = rect.ladder_opening(status="non_compliant", deadline=due, answered_on=date(2027, 4, 1), as_of=date(2027, 4, 2))
    assert nc.ok and nc.details["opened_by"] == "non_compliant"
    assert not rect.ladder_opening(
        status="closed", deadline=due, answered_on=date(2027, 5, 9), as_of=date(2027, 9, 1)
    ).ok


def test_r30_2_one_rung_at_a_time_unless_the_order_says_otherwise():
    assert ladder.check_rung([], "criticism", None).ok
    assert not ladder.check_rung([], "defer_investment", None).ok
    assert ladder.check_rung(["criticism"], "defer_investment", None).ok
    assert not ladder.check_rung(["criticism"], "suspend", None).ok
    assert ladder.check_rung([], "suspend", "suspend").ok
    assert not ladder.check_rung([], "terminate", "suspend").ok
    assert ladder.check_rung(["criticism", "defer_investment"], "criticism", None).ok  # lower rung: allowed


def test_r30_1_answer_and_verification():
    assert rect.can_answer("open").ok and rect.can_answer("non_compliant").ok
    assert not rect.can_answer("answered").ok and not rect.can_answer("closed").ok
    assert rect.can_verify("answered", "finance", frozenset({"finance"})).ok
    assert "required_role" in rect.can_verify("answered", "finance", frozenset({"bdb"})).details
    assert not rect.can_verify("open", "finance", frozenset({"finance"})).ok


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


def test_x30_1_rectification_and_report_clocks():
    from oversight.clocks.rules import rectification_clocks, report_reminders

    due = date(2027, 11, 30)
    kw = dict(rid="r1", status="open", deadline=due, ordered_by="finance", org="ORG-A", lead_days=7)
    assert rectification_clocks(as_of=date(2027, 11, 22), **kw) == []
    [c] = rectification_clocks(as_of=date(2027, 11, 23), **kw)
    assert (c.phase, c.role, c.org) == ("approaching", "unit", "ORG-A")
    assert [(c.phase, c.role) for c in rectification_clocks(as_of=due, **kw)] == [("approaching", "unit")]
    assert [(c.phase, c.role) for c in rectification_clocks(as_of=date(2027, 12, 1), **kw)] == [
        ("overdue", "unit"),
        ("overdue", "finance"),
    ]
    assert rectification_clocks(as_of=date(2027, 12, 1), **{**kw, "status": "answered"}) == []
    q3 = [((2027, 3), date(2027, 10, 15))]
    assert report_reminders(q3, "ORG-A", date(2027, 10, 7), 7) == []
    [r] = report_reminders(q3, "ORG-A", date(2027, 10, 8), 7)
    assert (r.clock, r.ref, r.rule, r.role) == ("progress_report", "2027Q3", "R-18.1", "unit")
    assert report_reminders(q3, "ORG-A", date(2027, 10, 16), 7) == []  # overdue: ProgressReportOverdue says it
