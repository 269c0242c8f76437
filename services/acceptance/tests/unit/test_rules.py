"""Pure rule functions: one or more tests per rule id, at the boundaries."""

from datetime import date
from decimal import Decimal

import pytest

from acceptance.extensions.rules import check_request
from acceptance.prerequisites.rules import Facts, final_prerequisites, secrecy_for_operation
from acceptance.projects.rules import (
    check_active,
    check_actor,
    check_final_participants,
    check_self_evaluation_timing,
    check_warranty,
    choose_path,
    self_evaluation_state,
    self_evaluation_window,
    warranty_end,
)
from acceptance.projects.transitions import applicable, next_stage
from govkit.policy import YANCHENG_2023_25 as POLICY

T = POLICY.leading_group_threshold


def path(classified=False, bdg=False, amount=T):
    return choose_path(
        classified=classified, built_by_big_data_group=bdg, approved_investment=amount, policy=POLICY
    ).details["path"]


def test_r21_3_merged_strictly_below_the_threshold():
    assert path(amount=T - Decimal("0.01")) == "merged"
    assert path(amount=T) == "standard"
    assert (
        choose_path(classified=False, built_by_big_data_group=False, approved_investment=T - 1, policy=POLICY).rule
        == "R-21.3"
    )


def test_r21_2_classified_comes_first():
    assert path(classified=True, bdg=True, amount=Decimal(1)) == "classified"
    assert path(classified=True).__eq__("classified")


def test_r21_4_on_behalf_before_merged():
    assert path(bdg=True, amount=Decimal(1)) == "on_behalf"
    assert (
        choose_path(classified=False, built_by_big_data_group=True, approved_investment=T, policy=POLICY).rule
        == "R-21.4"
    )


@pytest.mark.parametrize(
    "p,step,role,ok,rule",
    [
        ("standard", "preliminary", "unit", True, "R-21.2"),
        ("standard", "preliminary", "bdb", False, "R-21.2"),
        ("standard", "final_application", "unit", True, "R-21.2"),
        ("standard", "final", "bdb", True, "R-21.2"),
        ("standard", "final", "unit", False, "R-21.2"),
        ("classified", "final", "unit", True, "R-21.2"),
        ("classified", "final", "bdb", False, "R-21.2"),
        ("merged", "final", "unit", True, "R-21.3"),
        ("merged", "final", "bdb", False, "R-21.3"),
        ("on_behalf", "final", "unit", True, "R-21.4"),
        ("on_behalf", "preliminary", "big_data_group", False, "R-21.4"),
    ],
)
def test_actors_per_path(p, step, role, ok, rule):
    d = check_actor(p, step, {role})
    assert d.ok is ok and d.rule == rule


def test_r21_1_order_table():
    assert next_stage("standard", "construction", "preliminary")[0] == "preliminary_accepted"
    assert next_stage("standard", "construction", "trial_operation")[0] is None
    assert next_stage("standard", "construction", "trial_operation")[1].rule == "R-21.1"
    assert next_stage("merged", "construction", "trial_operation")[0] == "trial_operation"
    assert next_stage("standard", "trial_operation", "final")[0] is None
    assert next_stage("standard", "final_applied", "final")[0] == "final_accepted"
    assert next_stage("classified", "trial_operation", "final")[0] == "final_accepted"
    assert next_stage("on_behalf", "preliminary_accepted", "final")[0] is None
    assert next_stage("merged", "final_accepted", "final")[0] is None


def test_final_application_only_on_the_standard_path():
    assert applicable("standard", "final_application").ok
    for p, rule in (("classified", "R-21.2"), ("merged", "R-21.3"), ("on_behalf", "R-21.4")):
        d = applicable(p, "final_application")
        assert not d.ok and d.rule == rule


def test_participants():
    assert check_final_participants("standard", ["unit", "ndrc"], []) == []
    assert [d.rule for d in check_final_participants("standard", ["unit"], [])] == ["R-21.2"]
    assert [d.rule for d in check_final_participants("merged", ["ndrc"], [])] == ["R-21.3"]
    assert [d.rule for d in check_final_participants("on_behalf", ["bdb", "ndrc"], [])] == ["R-21.4"]
    assert check_final_participants("on_behalf", ["bdb", "ndrc"], ["专家甲"]) == []
    assert check_final_participants("classified", [], []) == []


def test_r16_1_warranty_minimum():
    assert not check_warranty(POLICY.warranty_min_years - 1, POLICY).ok
    assert check_warranty(POLICY.warranty_min_years, POLICY).ok
    assert warranty_end(date(2024, 2, 29), 2) == date(2026, 2, 28)


def test_r24_1_window_edges():
    opens, closes = self_evaluation_window(date(2024, 5, 10), POLICY)
    assert (opens, closes) == (date(2025, 5, 10), date(2026, 5, 10))
    assert check_self_evaluation_timing(date(2025, 5, 9), opens, closes).result == "fail"
    assert check_self_evaluation_timing(date(2025, 5, 10), opens, closes).result == "pass"
    assert check_self_evaluation_timing(date(2026, 5, 10), opens, closes).result == "pass"
    assert check_self_evaluation_timing(date(2026, 5, 11), opens, closes).result == "flag"
    assert self_evaluation_state(date(2025, 5, 9), opens, closes) == "not_yet_due"
    assert self_evaluation_state(date(2025, 5, 10), opens, closes) == "due"
    assert self_evaluation_state(date(2026, 5, 10), opens, closes) == "due"
    assert self_evaluation_state(date(2026, 5, 11), opens, closes) == "overdue"


def _facts(**kw):
    base = dict(
        classified=False,
        uses_cryptography=False,
        archives_passed=True,
        security_passed={"mlps": True, "risk": True},
        secrecy_passed=None,
        operator=None,
        filing_version=1,
        supervision_firm="监理公司",
        warranty_years=2,
        om_plan=True,
        training_plan=True,
        training_materials=True,
        warranty_min_years=2,
    )
    base.update(kw)
    return Facts(**base)


def test_r22_1_archives():
    assert final_prerequisites(_facts()) == []
    assert [d.rule for d in final_prerequisites(_facts(archives_passed=None))] == ["R-22.1"]
    assert [d.rule for d in final_prerequisites(_facts(archives_passed=False))] == ["R-22.1"]


def test_r7_2_security_and_crypto():
    both = {"mlps": True, "risk": True}
    assert final_prerequisites(_facts(security_passed=both)) == []
    # asks for both the network security test and the risk assessment
    assert [d.rule for d in final_prerequisites(_facts(security_passed={"risk": True}))] == ["R-7.2"]
    assert [d.rule for d in final_prerequisites(_facts(security_passed={"mlps": True}))] == ["R-7.2"]
    assert [d.rule for d in final_prerequisites(_facts(security_passed={}))] == ["R-7.2", "R-7.2"]
    assert [d.rule for d in final_prerequisites(_facts(security_passed={"crypto": True}))] == ["R-7.2", "R-7.2"]
    assert [d.rule for d in final_prerequisites(_facts(security_passed={"mlps": False, "risk": True}))] == ["R-7.2"]
    assert [d.rule for d in final_prerequisites(_facts(uses_cryptography=True))] == ["R-7.2"]
    assert final_prerequisites(_facts(uses_cryptography=True, security_passed={**both, "crypto": True})) == []
    assert [d.rule for d in final_prerequisites(_facts(uses_cryptography=None))] == ["R-7.2"]


def test_r23_1_secrecy_before_operation():
    assert secrecy_for_operation(_facts()) == []  # not classified
    assert [d.rule for d in secrecy_for_operation(_facts(classified=True))] == ["R-23.1", "R-23.1"]
    assert len(secrecy_for_operation(_facts(classified=True, secrecy_passed=True, operator=" "))) == 1
    assert len(secrecy_for_operation(_facts(classified=True, secrecy_passed=False, operator="科"))) == 1
    assert secrecy_for_operation(_facts(classified=True, secrecy_passed=True, operator="运维科")) == []


def test_r21_5_extension_requests():
    ok = dict(
        stage="construction",
        current_due=date(2025, 1, 1),
        new_date=date(2025, 3, 1),
        today=date(2025, 2, 1),
        has_pending=False,
    )
    assert check_request(**ok) == []
    assert check_request(**{**ok, "new_date": date(2025, 1, 1)})[0].rule == "R-21.5"
    assert check_request(**{**ok, "has_pending": True})[0].rule == "R-21.5"
    assert check_request(**{**ok, "stage": "final_accepted"})[0].rule == "R-21.5"
    assert check_request(**{**ok, "current_due": None}) == []


def test_r30_2_suspended_and_terminated_do_not_move():
    assert check_active("active").ok
    assert not check_active("suspended").ok and check_active("suspended").rule == "R-30.2"
    assert not check_active("terminated").ok


def test_r17_1_the_construction_filing_is_a_gate():
    from acceptance.prerequisites.rules import construction_filing

    assert [d.rule for d in construction_filing(_facts(filing_version=None))] == ["R-17.1"]
    assert [d.rule for d in construction_filing(_facts(supervision_firm=" "))] == ["R-17.1"]
    assert construction_filing(_facts()) == []


def test_r16_2_three_deliverables_and_r16_1_filed_warranty():
    from acceptance.prerequisites.rules import contractor_deliverables

    assert contractor_deliverables(_facts()) == []
    assert [d.rule for d in contractor_deliverables(_facts(training_materials=False))] == ["R-16.2"]
    assert [d.rule for d in contractor_deliverables(_facts(warranty_years=1))] == ["R-16.1"]
    assert contractor_deliverables(_facts(warranty_years=2)) == []
    assert [d.rule for d in contractor_deliverables(_facts(warranty_years=None))] == ["R-16.1"]


def test_r21_3_the_unit_chooses_before_the_first_step():
    from acceptance.projects.rules import check_path_choice

    kw = dict(approved_investment=Decimal("1999999.99"), policy=POLICY)
    assert check_path_choice(merge_allowed=True, stage="construction", steps_recorded=False, **kw).ok
    late = check_path_choice(merge_allowed=True, stage="preliminary_accepted", steps_recorded=True, **kw)
    assert not late.ok and late.rule == "R-21.3" and late.article == "第二十一条"
    assert not check_path_choice(
        merge_allowed=False,
        stage="construction",
        steps_recorded=False,
        approved_investment=Decimal("2000000.00"),
        policy=POLICY,
    ).ok


def test_r24_2_commission_and_filer():
    from acceptance.evaluations.rules import check_commission, check_filer, commission_state

    d = date(2027, 3, 1)
    assert (
        check_commission(stage="final_accepted", open_commission=False, post_evaluated=False, due_on=d, today=d) == []
    )
    assert [
        x.rule
        for x in check_commission(
            stage="final_accepted", open_commission=False, post_evaluated=False, due_on=date(2027, 2, 28), today=d
        )
    ] == ["R-24.2"]
    assert (
        len(check_commission(stage="trial_operation", open_commission=True, post_evaluated=False, due_on=d, today=d))
        == 2
    )
    tp = frozenset({"third_party"})
    assert check_filer(roles=tp, org="TP-A", commissioned_org="TP-A").ok
    assert not check_filer(roles=tp, org="TP-B", commissioned_org="TP-A").ok
    assert not check_filer(roles=tp, org="TP-A", commissioned_org=None).ok
    assert not check_filer(roles=frozenset({"bdb"}), org="TP-A", commissioned_org="TP-A").ok
    assert commission_state(d, d, False) == "open"
    assert commission_state(date(2027, 3, 2), d, False) == "overdue"


def test_r21_5_due_date_follows_the_construction_period():
    from acceptance.projects.rules import acceptance_due, acceptance_overdue

    d = acceptance_due(date(2024, 1, 31), 1)
    assert d.ok and d.details["due_on"] == "2024-02-29" and d.rule == "R-21.5"
    assert acceptance_due(date(2024, 1, 10), None).result == "flag"
    assert not acceptance_overdue(date(2025, 1, 10), date(2025, 1, 10), "trial_operation")
    assert acceptance_overdue(date(2025, 1, 10), date(2025, 1, 11), "trial_operation")
    assert not acceptance_overdue(date(2025, 1, 10), date(2025, 1, 11), "final_accepted")


def test_x30_1_clock_phases():
    from govkit.clock import deadline_phase

    due = date(2025, 1, 10)
    assert deadline_phase(due, date(2025, 1, 2), 7) is None
    assert deadline_phase(due, date(2025, 1, 3), 7) == "approaching"
    assert deadline_phase(due, due, 7) == "approaching"
    assert deadline_phase(due, date(2025, 1, 11), 7) == "overdue"


def test_x30_1_acceptance_clocks_go_to_the_unit():
    from acceptance.clocks.rules import ProjectFacts, acceptance_clocks, commission_clock

    facts = ProjectFacts(
        org="ORG",
        stage="trial_operation",
        status="active",
        due_on=date(2025, 1, 10),
        self_evaluation_opens_on=None,
        self_evaluation_closes_on=None,
        self_evaluated=False,
        warranty_ends_on=None,
    )
    [c] = acceptance_clocks(facts, date(2025, 1, 11), 7)
    assert (c.clock, c.phase, c.role, c.org, c.rule) == ("acceptance_due", "overdue", "unit", "ORG", "R-21.5")
    assert acceptance_clocks(ProjectFacts(**{**facts.__dict__, "status": "terminated"}), date(2025, 1, 11), 7) == []
    c = commission_clock("c1", "TP", date(2025, 3, 1), False, date(2025, 3, 2), 7)
    assert (c.role, c.org, c.phase) == ("third_party", "TP", "overdue")
    assert commission_clock("c1", "TP", date(2025, 3, 1), True, date(2025, 3, 2), 7) is None


def test_issue_15_correction_allowed_until_a_later_step_rests_on_it():
    from acceptance.corrections.rules import Recorded, check_correctable, check_corrected_dates

    r = Recorded(
        approved_on=date(2024, 1, 10),
        preliminary_on=date(2024, 3, 1),
        trial_starts_on=date(2024, 3, 5),
        trial_ends_on=date(2024, 4, 5),
        final_applied_on=None,
        final_planned_on=None,
        final_accepted_on=None,
        due_on=None,
    )
    assert check_correctable("trial_operation", r, False).ok
    assert not check_correctable("preliminary", r, False).ok  # the trial rests on it
    assert check_correctable("preliminary", r, True).ok  # reopened by bdb
    assert not check_correctable("final_application", r, True).ok  # not recorded
    assert not check_correctable("final", r, True).ok
    today = date(2024, 6, 1)
    assert (
        check_corrected_dates("trial_operation", r, {"starts_on": date(2024, 3, 1), "ends_on": date(2024, 4, 5)}, today)
        == []
    )  # the preliminary day itself
    assert (
        check_corrected_dates(
            "trial_operation", r, {"starts_on": date(2024, 2, 29), "ends_on": date(2024, 4, 5)}, today
        )[0].details["field"]
        == "starts_on"
    )


def test_r28_2_answer_and_summary():
    from acceptance.evaluations.rules import check_answer, evaluation_summary, opinion_role

    assert opinion_role(frozenset({"competent_dept"})) == "competent_dept"
    assert opinion_role(frozenset({"cac"})) is None
    assert check_answer(status="open", answering_org="A", unit_org="A").ok
    assert not check_answer(status="answered", answering_org="A", unit_org="A").ok
    assert not check_answer(status="open", answering_org="B", unit_org="A").ok
    s = evaluation_summary([{"rating": "good"}], [{"status": "answered"}])
    assert s["flags"] == [] and s["answered_opinions"] == 1
    s = evaluation_summary([{"rating": "inefficient"}], [{"status": "open", "overdue": True}])
    assert [f["rule"] for f in s["flags"]] == ["R-28.1", "R-28.2", "R-28.2"]
