"""Pure rule functions of the budget service, with their boundary values."""
from datetime import date
from decimal import Decimal as D

import pytest

from govkit.policy import policy_for

from budget.contracts.rules import contract_compliance
from budget.disbursements.rules import (GateFacts, missing_documents, payment_state, reconcile_funds,
                                        within_approved)
from budget.estimate_reviews.rules import estimate_review_required, is_overdue, review_due_on
from budget.funding.rules import funding_decision, funding_year, overrides
from budget.surplus.rules import manual_return, surplus_on_close

POLICY = policy_for(date(2025, 3, 1))
FULL = GateFacts(known=True, technical_opinion_no="JS-1", approval_document_no="SP-1",
                 estimate_review_required=True, estimate_review_report_no="GS-1", compliant_contracts=1)


# R-25.1 ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("amount,required", [("500000.00", True), ("499999.99", False), ("500000.01", True),
                                             ("0.00", False)])
def test_r25_1_estimate_review_threshold_is_inclusive(amount, required):
    d = estimate_review_required(D(amount), POLICY)
    assert d.rule == "R-25.1" and d.article == "第二十五条"
    assert (d.result == "flag") is required
    assert d.details["required"] is required


def test_r25_1_threshold_comes_from_the_policy():
    assert estimate_review_required(D("500000.00"), POLICY).details["threshold"] == str(
        POLICY.estimate_review_threshold)


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
    assert [x["document"] for x in v] == ["technical_opinion", "approval_document", "estimate_review_report",
                                          "procurement_contract"]
    assert all(x["rule"] == "R-26.1" and x["article"] == "第二十六条" for x in v)


@pytest.mark.parametrize("field,document", [("technical_opinion_no", "technical_opinion"),
                                            ("approval_document_no", "approval_document"),
                                            ("estimate_review_report_no", "estimate_review_report")])
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
@pytest.mark.parametrize("rating,decision", [("excellent", "funded"), ("good", "funded"), ("fair", "reduced"),
                                             ("inefficient", "none")])
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
