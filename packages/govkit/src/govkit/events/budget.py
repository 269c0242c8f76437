"""Events published by the budget service (topic govpm.budget)."""
from __future__ import annotations

from datetime import date
from typing import Literal

from ..money import Money, SignedMoney
from ._documents import DocumentStoredData
from ._registry import EventData, event_type

B = event_type("budget")


@B
class EstimateReviewOpened(EventData):
    """A review task for finance (R-25.1)."""

    estimated_investment: Money
    due_on: date
    org: str | None = None
    title: str = ""
    threshold: Money | None = None
    opened_on: date | None = None


@B
class EstimateReviewed(EventData):
    """Approval waits for this before approving a project ≥ the threshold (R-25.1)."""

    report_no: str
    reviewed_amount: Money
    estimated_investment: Money | None = None
    reviewed_on: date | None = None


@B
class ContractRecorded(EventData):
    contract_no: str
    supplier: str
    amount: Money
    procurement_method: str
    signed_on: date
    contracts_total: Money | None = None


@B
class DisbursementRecorded(EventData):
    amount: Money
    purpose: str
    paid_total: Money
    year: int
    paid_on: date | None = None
    balance: SignedMoney | None = None
    payment_channel: str = "treasury_centralised"  # 国库集中支付


@B
class DisbursementRefused(EventData):
    amount: Money
    rules: list[str]


@B
class FundsMismatchFlagged(EventData):
    """A quarterly report's funds disagree with the ledger (R-18.1); for oversight."""

    year: int
    quarter: int
    reported_funds_used_total: Money
    ledger_total: Money
    difference: SignedMoney  # reported − ledger
    org: str | None = None
    reported_funds_used_year: Money | None = None
    ledger_year: Money | None = None
    difference_year: SignedMoney | None = None
    rule: str = "R-18.1"


@B
class SurplusReturned(EventData):
    amount: Money
    trigger: str  # final_accepted | terminated | manual
    approved_investment: Money | None = None
    paid_total: Money | None = None
    returned_total: Money | None = None


@B
class OperationFundingDecided(EventData):
    year: int
    decision: Literal["funded", "reduced", "none"]
    rating: str
    basis: str
    source: str = ""  # self_evaluation | post_evaluation
    evaluated_on: date | None = None
    rule: str = "R-28.1"


@B
class BudgetDocumentStored(DocumentStoredData):
    """A document stored by the budget service (govkit.documents; collected for the archive, R-22.2)."""
