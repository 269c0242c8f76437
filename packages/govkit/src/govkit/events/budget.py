"""Events published by the budget service (topic govpm.budget)."""
from __future__ import annotations

from datetime import date
from typing import Literal

from ..money import Money, SignedMoney
from ._registry import EventData, event_type

B = event_type("budget")


@B
class EstimateReviewOpened(EventData):
    estimated_investment: Money
    due_on: date


@B
class EstimateReviewed(EventData):
    """Approval waits for this before approving a project ≥ the threshold (R-25.1)."""

    report_no: str
    reviewed_amount: Money


@B
class ContractRecorded(EventData):
    contract_no: str
    supplier: str
    amount: Money
    procurement_method: str
    signed_on: date


@B
class DisbursementRecorded(EventData):
    amount: Money
    purpose: str
    paid_total: Money
    year: int


@B
class DisbursementRefused(EventData):
    amount: Money
    rules: list[str]


@B
class FundsMismatchFlagged(EventData):
    year: int
    quarter: int
    reported_funds_used_total: Money
    ledger_total: Money
    difference: SignedMoney


@B
class SurplusReturned(EventData):
    amount: Money
    trigger: str


@B
class OperationFundingDecided(EventData):
    year: int
    decision: Literal["funded", "reduced", "none"]
    rating: str
    basis: str
