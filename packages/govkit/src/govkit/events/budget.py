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
    document_id: str | None = None  # the stored contract


@B
class DisbursementRecorded(EventData):
    amount: Money
    purpose: str
    paid_total: Money
    year: int
    paid_on: date | None = None
    balance: SignedMoney | None = None
    payment_channel: str = "treasury_centralised"  # 国库集中支付
    request_id: str | None = None  # the funding request it settles
    contract_id: str | None = None


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
    trigger: str  # final_accepted | terminated | manual | contracts_paid | warranty_ended
    approved_investment: Money | None = None
    paid_total: Money | None = None
    returned_total: Money | None = None
    contracts_owed: Money | None = None  # what signed contracts still owe, kept payable


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


# -- funding plan, R-5.1 funding requests ------------------------------------------------
@B
class FundingPlanAmended(EventData):
    """A year's funding plan compiled (version 1) or amended (each version kept, R-4.2). Subject:
    the plan; one FundingPlanLineChanged per project whose line changed."""

    year: int
    version: int
    total: Money
    lines: int
    reason: str | None = None
    rule: str = "R-4.2"


@B
class FundingPlanLineChanged(EventData):
    """One project's line in a year's funding plan (R-4.2); `amount` 0 with `removed` when dropped."""

    year: int
    version: int
    amount: Money
    previous_amount: Money | None = None
    removed: bool = False
    org: str | None = None
    rule: str = "R-4.2"


@B
class FundingRequested(EventData):
    """A unit asks for money (R-5.1): amount, purpose, the contract it pays, its evidence."""

    request_id: str
    year: int
    amount: Money
    purpose: str
    contract_id: str
    contract_no: str | None = None
    evidence: list[dict] = []
    org: str | None = None
    rule: str = "R-5.1"


@B
class FundingRequestConfirmed(EventData):
    """bdb confirmed the request against the year's funding plan (R-5.1, R-4.2): finance may pay it."""

    request_id: str
    year: int
    amount: Money
    opinion: str | None = None
    org: str | None = None
    rule: str = "R-5.1"


@B
class FundingRequestReturned(EventData):
    """bdb returned the request to the unit with its opinion (R-5.1)."""

    request_id: str
    amount: Money
    opinion: str
    org: str | None = None
    rule: str = "R-5.1"


@B
class FundingRequestFulfilled(EventData):
    """Payments have consumed a confirmed request up to its amount (R-5.1)."""

    request_id: str
    amount: Money
    org: str | None = None
    rule: str = "R-5.1"


@B
class ProjectSettled(EventData):
    """The books of a finally accepted project are closed (R-27.1): the last contract is paid or the
    warranty has ended; nothing more is paid."""

    trigger: str  # contracts_paid | warranty_ended | final_accepted
    settled_on: date
    returned: Money
    paid_total: Money
    rule: str = "R-27.1"
