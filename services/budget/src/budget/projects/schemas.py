from __future__ import annotations

from datetime import date
from decimal import Decimal

from govkit.money import Money, SignedMoney

from ..schemas_common import Out, RuleRef


class Documents(Out):
    technical_opinion_no: str | None
    approval_document_no: str | None
    estimate_review_required: bool
    estimate_review_report_no: str | None
    compliant_contracts: int


class ReviewSummary(Out):
    status: str
    due_on: date
    report_no: str | None
    reviewed_amount: Money | None


class FundingSummary(Out):
    """R-4.2 / R-5.1 as of a year: the plan line, what was paid against it, confirmed requests."""

    year: int
    plan_line: Money | None
    paid_in_year: Money
    plan_available: SignedMoney | None
    confirmed_available: Money
    submitted_requests: int


class ProjectRead(Out):
    project_id: str
    project_code: str | None
    org: str | None
    participant_orgs: list[str]
    title: str
    status: str
    estimated_investment: Money | None
    approved_investment: Money | None
    original_approved_investment: Money | None
    approved_on: date | None
    paid_total: Money
    returned_total: Money
    balance: SignedMoney
    contracts_total: Money
    contracts_count: int
    contracts_over_approved: bool
    documents: Documents
    estimate_review: ReviewSummary | None
    missing: list[RuleRef]
    blocked_by: list[RuleRef]
    payable: bool
    suspended: bool
    terminated: bool
    settled: bool
    final_accepted_on: date | None
    warranty_ends_on: date | None = None
    settled_on: date | None = None
    contracts_owed: Money = Decimal("0.00")
    funding: FundingSummary | None = None
    version: int


class ProjectList(Out):
    items: list[ProjectRead]
    next_cursor: str | None
