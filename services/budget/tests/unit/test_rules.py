"""Pure rule functions of the budget service, with their boundary values."""

from datetime import date
from decimal import Decimal as D

import pytest

from budget.contracts.rules import contract_compliance
from budget.disbursements.rules import reconcile_funds, within_approved
from budget.estimate_reviews.rules import estimate_review_required, highest_amount, is_overdue, review_due_on
from budget.funding.rules import funding_decision, funding_year, overrides
from budget.funding_plans.rules import (
    LineFacts,
    confirmation_within_line,
    line_violations,
    payment_within_line,
)
from budget.funding_requests.rules import (
    decision_allowed,
    payment_against_request,
    payment_within_contract,
    request_within_contract,
)
from budget.gate.rules import GateFacts, missing_documents, missing_funding, payment_state
from budget.providers import provided_by
from budget.surplus.rules import (
    contracts_owed,
    manual_return,
    settlement_due,
    surplus_at_final_acceptance,
    surplus_on_close,
)
from govkit.policy import policy_for

POLICY = policy_for(date(2025, 3, 1))
FULL = GateFacts(
    known=True,
    technical_opinion_no="JS-1",
    approval_document_no="SP-1",
    estimate_review_required=True,
    estimate_review_report_no="GS-1",
    compliant_contracts=1,
)


# R-25.1 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "amount,required", [("500000.00", True), ("499999.99", False), ("500000.01", True), ("0.00", False)]
)
def test_r25_1_estimate_review_threshold_is_inclusive(amount, required):
    d = estimate_review_required(D(amount), POLICY)
    assert d.rule == "R-25.1" and d.article == "第二十五条"
    assert (d.result == "flag") is required
    assert d.details["required"] is required


def test_r25_1_threshold_comes_from_the_policy():
    assert estimate_review_required(D("500000.00"), POLICY).details["threshold"] == str(
        POLICY.estimate_review_threshold
    )


def test_r25_1_review_due_date_and_overdue():
    assert review_due_on(date(2026, 1, 31), 30) == date(2026, 3, 2)
    assert not is_overdue("open", date(2026, 3, 2), date(2026, 3, 2))
    assert is_overdue("open", date(2026, 3, 2), date(2026, 3, 3))
    assert not is_overdue("completed", date(2026, 3, 2), date(2026, 3, 3))


# R-26.1 ---------------------------------------------------------------------------------------
def test_r26_1_everything_present_nothing_missing():
    assert missing_documents(FULL) == []


def test_r26_1_lists_every_missing_document():
    v = missing_documents(GateFacts(known=True, estimate_review_required=True))
    assert [x["document"] for x in v] == [
        "technical_opinion",
        "approval_document",
        "estimate_review_report",
        "procurement_contract",
    ]
    assert all(x["rule"] == "R-26.1" and x["article"] == "第二十六条" for x in v)


@pytest.mark.parametrize(
    "field,document",
    [
        ("technical_opinion_no", "technical_opinion"),
        ("approval_document_no", "approval_document"),
        ("estimate_review_report_no", "estimate_review_report"),
    ],
)
def test_r26_1_each_document_is_required(field, document):
    from dataclasses import replace

    v = missing_documents(replace(FULL, **{field: None}))
    assert [x["document"] for x in v] == [document]


def test_r26_1_contract_required():
    from dataclasses import replace

    assert [x["document"] for x in missing_documents(replace(FULL, compliant_contracts=0))] == ["procurement_contract"]


def test_r26_1_review_report_only_when_required():
    from dataclasses import replace

    assert missing_documents(replace(FULL, estimate_review_required=False, estimate_review_report_no=None)) == []


def test_r26_1_unknown_project_lists_all_four():
    assert len(missing_documents(GateFacts(known=False))) == 4


def test_r26_1_never_exceeds_the_approved_investment():
    assert within_approved(D("1000000.00"), D("0"), D("0"), D("1000000.00")).ok
    d = within_approved(D("1000000.00"), D("0"), D("0"), D("1000000.01"))
    assert not d.ok and d.rule == "R-26.1" and d.details["excess"] == "0.01"
    assert within_approved(D("1000.00"), D("600.00"), D("0"), D("400.00")).ok
    assert not within_approved(D("1000.00"), D("600.00"), D("0"), D("400.01")).ok
    # a surplus already returned is no longer available
    assert not within_approved(D("1000.00"), D("600.00"), D("100.00"), D("300.01")).ok
    assert within_approved(D("1000.00"), D("600.00"), D("100.00"), D("300.00")).ok


# R-30.2 ---------------------------------------------------------------------------------------
def test_r30_2_no_payment_while_suspended_or_terminated():
    from dataclasses import replace

    assert payment_state(FULL) == []
    s = payment_state(replace(FULL, suspended=True))
    assert [x["rule"] for x in s] == ["R-30.2"] and s[0]["state"] == "suspended"
    t = payment_state(replace(FULL, terminated=True, suspended=True, settled=True))
    assert [x["rule"] for x in t] == ["R-30.2"] and t[0]["state"] == "terminated"


def test_r27_1_no_payment_after_settlement():
    from dataclasses import replace

    s = payment_state(replace(FULL, settled=True))
    assert [x["rule"] for x in s] == ["R-27.1"]


# contracts (R-26.1 compliant contract) --------------------------------------------------------
def test_r26_1_contract_compliance():
    approved = date(2026, 5, 10)
    assert contract_compliance("open_tender", date(2026, 5, 10), approved).ok
    assert not contract_compliance("open_tender", date(2026, 5, 9), approved).ok
    assert not contract_compliance("open_tender", date(2026, 5, 10), None).ok
    assert not contract_compliance("handshake", date(2026, 5, 10), approved).ok


# R-27.1 ---------------------------------------------------------------------------------------
def test_r27_1_surplus_is_the_unspent_balance():
    d = surplus_on_close(D("1000.00"), D("750.25"), D("0"))
    assert d.rule == "R-27.1" and d.details["surplus"] == "249.75"
    assert surplus_on_close(D("1000.00"), D("1000.00"), D("0")).details["surplus"] == "0.00"
    assert surplus_on_close(D("1000.00"), D("700.00"), D("100.00")).details["surplus"] == "200.00"


def test_r27_1_manual_return_within_the_balance():
    assert manual_return(D("1000.00"), D("700.00"), D("0"), D("300.00")).ok
    assert not manual_return(D("1000.00"), D("700.00"), D("0"), D("300.01")).ok
    assert not manual_return(D("1000.00"), D("700.00"), D("0"), D("0.00")).ok


# R-28.1 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "rating,decision", [("excellent", "funded"), ("good", "funded"), ("fair", "reduced"), ("inefficient", "none")]
)
def test_r28_1_rating_decides_next_years_om_funding(rating, decision):
    d = funding_decision(rating, "self_evaluation", date(2027, 6, 1))
    assert d.rule == "R-28.1" and d.details["decision"] == decision and d.details["year"] == 2028
    assert "第二十八条" in d.message


def test_r28_1_post_evaluation_overrides_self_evaluation():
    assert overrides(None, "self_evaluation")
    assert overrides("self_evaluation", "post_evaluation")
    assert overrides("post_evaluation", "post_evaluation")
    assert not overrides("post_evaluation", "self_evaluation")
    assert funding_year(date(2027, 12, 31)) == 2028


# reconciliation ------------------------------------------------------------------------
def test_r18_1_reported_funds_against_ledger():
    assert reconcile_funds(D("100.00"), D("300.00"), D("100.00"), D("300.00")).result == "pass"
    d = reconcile_funds(D("100.00"), D("300.01"), D("100.00"), D("300.00"))
    assert d.result == "flag" and d.details["difference"] == "0.01"
    assert reconcile_funds(D("100.01"), D("300.00"), D("100.00"), D("300.00")).result == "flag"


# the funding plan ------------------------------------------------------------------------

APPROVED_1000 = LineFacts(project_id="p", known=True, approved=True, approved_investment=D("1000.00"))


@pytest.mark.parametrize("amount,ok", [("1000.00", True), ("1000.01", False), ("0.00", True)])
def test_r4_2_line_within_the_approved_investment(amount, ok):
    v = line_violations(APPROVED_1000, 2026, D(amount), None)
    assert (v == []) is ok
    if not ok:
        assert v[0]["rule"] == "R-4.2" and v[0]["article"] == "第四条" and v[0]["basis"] == "practice"


def test_r4_2_line_ceiling_counts_other_years_and_returns():
    f = LineFacts(
        project_id="p",
        known=True,
        approved=True,
        approved_investment=D("1000.00"),
        returned=D("100.00"),
        paid_other_years=D("300.00"),
    )
    assert line_violations(f, 2026, D("600.00"), None) == []
    assert line_violations(f, 2026, D("600.01"), None)[0]["ceiling"] == "600.00"


@pytest.mark.parametrize("amount,ok", [("400.00", True), ("399.99", False)])
def test_r4_2_line_not_below_what_was_paid_this_year(amount, ok):
    f = LineFacts(project_id="p", known=True, approved=True, approved_investment=D("1000.00"), paid_in_year=D("400.00"))
    assert (line_violations(f, 2026, D(amount), None) == []) is ok


def test_r4_2_only_approved_projects_and_unchanged_lines_stand():
    assert line_violations(LineFacts(project_id="p", known=False), 2026, D("1.00"), None)[0]["project_id"] == "p"
    assert line_violations(LineFacts(project_id="p", known=True, approved=False), 2026, D("1.00"), None)
    terminated = LineFacts(project_id="p", known=True, approved=True, terminated=True, approved_investment=D("9"))
    assert line_violations(terminated, 2026, D("1.00"), None)
    assert line_violations(terminated, 2026, D("1.00"), D("1.00")) == []  # kept as it was


@pytest.mark.parametrize("amount,ok", [("100.00", True), ("100.01", False)])
def test_r4_2_payment_within_the_plan_line(amount, ok):
    d = payment_within_line(2026, D("500.00"), D("400.00"), D(amount))
    assert d.rule == "R-4.2" and d.ok is ok
    if not ok:
        assert d.details["excess"] == "0.01"


def test_r4_2_no_line_no_payment():
    d = payment_within_line(2026, None, D("0.00"), D("0.01"))
    assert not d.ok and "未列入 2026 年度资金计划" in d.message


@pytest.mark.parametrize("amount,ok", [("100.00", True), ("100.01", False)])
def test_r4_2_confirmation_counts_confirmed_requests_not_yet_paid(amount, ok):
    d = confirmation_within_line(2026, D("500.00"), D("300.00"), D("100.00"), D(amount))
    assert d.ok is ok and d.rule == "R-4.2"
    assert not confirmation_within_line(2026, None, D("0"), D("0"), D("0.01")).ok


# funding requests ------------------------------------------------------------------------
@pytest.mark.parametrize("amount,ok", [("300.00", True), ("300.01", False)])
def test_r5_1_request_within_what_the_contract_still_owes(amount, ok):
    d = request_within_contract("HT-1", D("1000.00"), D("500.00"), D("200.00"), D(amount))
    assert d.rule == "R-5.1" and d.ok is ok


@pytest.mark.parametrize("amount,ok", [("200.00", True), ("200.01", False)])
def test_r5_1_payment_consumes_the_request_up_to_its_amount(amount, ok):
    req = {"id": "r1", "status": "confirmed", "amount": D("300.00"), "consumed": D("100.00")}
    d = payment_against_request(req, D(amount))
    assert d.rule == "R-5.1" and d.article == "第五条" and d.ok is ok


@pytest.mark.parametrize("status", ["submitted", "returned", "paid"])
def test_r5_1_only_a_confirmed_request_is_paid(status):
    req = {"id": "r1", "status": status, "amount": D("300.00"), "consumed": D("0.00")}
    assert not payment_against_request(req, D("0.01")).ok
    assert not payment_against_request(None, D("0.01")).ok


def test_r5_1_decided_once():
    assert decision_allowed("submitted").ok
    assert not any(decision_allowed(s).ok for s in ("confirmed", "returned", "paid"))


@pytest.mark.parametrize("amount,ok", [("49.75", True), ("49.76", False)])
def test_r27_1_a_contract_is_paid_up_to_its_amount(amount, ok):
    d = payment_within_contract("HT-1", D("800.00"), D("750.25"), D(amount))
    assert d.rule == "R-27.1" and d.ok is ok


def test_missing_funding_names_who_provides_it():
    f = GateFacts(known=True, year=2026)
    assert [(v["rule"], v["document"], v["provided_by"]["role"]) for v in missing_funding(f)] == [
        ("R-4.2", "funding_plan_line", "bdb"),
        ("R-5.1", "funding_request", "unit"),
    ]
    f = GateFacts(known=True, year=2026, plan_line=D("100.00"), paid_in_year=D("100.00"), submitted_requests=1)
    assert [(v["document"], v["provided_by"]["role"]) for v in missing_funding(f)] == [
        ("funding_plan_line", "bdb"),
        ("funding_request", "bdb"),
    ]
    f = GateFacts(known=True, year=2026, plan_line=D("100.00"), paid_in_year=D("99.99"), confirmed_available=D("0.01"))
    assert missing_funding(f) == []
    assert missing_funding(GateFacts(known=True)) == []  # no year: not judged
    assert provided_by("estimate_review_report")["provided_by"]["role"] == "finance"


def test_r26_1_every_missing_document_names_its_provider():
    roles = [v["provided_by"]["role"] for v in missing_documents(GateFacts(known=True, estimate_review_required=True))]
    assert roles == ["bdb", "approval_bureau", "finance", "unit"]


def test_r26_1_noncompliant_contracts_say_why():
    f = GateFacts(
        known=True,
        technical_opinion_no="J",
        approval_document_no="S",
        estimate_review_required=False,
        noncompliant_contracts=(("HT-1", "合同签订日期早于项目批复日期"),),
    )
    [v] = missing_documents(f)
    assert "HT-1" in v["message"] and v["noncompliant_contracts"][0]["reason"] == "合同签订日期早于项目批复日期"


# judged on the highest amount -----------------------------------------------------
def test_r25_1_highest_amount_of_declared_reviewed_approved():
    assert highest_amount(D("499999.99"), None, D("2500000.00")) == (D("2500000.00"), "approved")
    assert highest_amount(D("600000.00"), D("480000.00"), D("480000.00")) == (D("600000.00"), "declared")
    assert highest_amount(D("500000.00"), D("500000.00"), None) == (D("500000.00"), "reviewed")
    assert highest_amount(None, None, None) == (None, None)


def test_r26_1_review_report_missing_names_the_amount_that_crossed():
    f = GateFacts(
        known=True,
        technical_opinion_no="J",
        approval_document_no="S",
        estimate_review_required=True,
        compliant_contracts=1,
        review_amount=D("2500000.00"),
        review_amount_basis="approved",
        review_threshold=D("500000.00"),
    )
    [v] = missing_documents(f)
    assert v["amount_basis"] == "approved" and "批复投资 2500000.00 元" in v["message"]


# surplus -----------------------------------------------------------------------------------
def test_r27_1_contracts_owed():
    assert contracts_owed([(D("800.00"), D("750.25")), (D("100.00"), D("100.00")), (D("50"), D("60"))]) == D("49.75")


def test_r27_1_surplus_keeps_what_contracts_owe():
    d = surplus_at_final_acceptance(D("1000.00"), D("750.25"), D("0.00"), D("49.75"))
    assert d.details == {"surplus": "200.00", "contracts_owed": "49.75", "balance": "249.75"}
    # contracts owing more than the balance keep the balance, return nothing
    d = surplus_at_final_acceptance(D("1000.00"), D("900.00"), D("0.00"), D("500.00"))
    assert d.details["surplus"] == "0.00" and d.details["contracts_owed"] == "100.00"


def test_r27_1_settlement_due_when_contracts_paid_or_the_day_after_warranty_end():
    end = date(2028, 6, 30)
    assert settlement_due(True, D("0.00"), date(2027, 1, 1), end).details["trigger"] == "contracts_paid"
    assert not settlement_due(True, D("0.01"), end, end).details["due"]
    d = settlement_due(True, D("0.01"), date(2028, 7, 1), end)
    assert d.details["trigger"] == "warranty_ended" and d.details["basis"] == "practice"
    assert not settlement_due(False, D("0.00"), date(2030, 1, 1), end).details["due"]


@pytest.mark.parametrize("amount,ok", [("300.00", True), ("300.01", False)])
def test_r27_1_manual_return_only_of_what_no_contract_commits(amount, ok):
    assert manual_return(D("1000.00"), D("600.00"), D("0.00"), D(amount), D("100.00")).ok is ok
