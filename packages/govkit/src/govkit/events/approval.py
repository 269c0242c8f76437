"""Events published by the approval service (topic govpm.approval)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel

from ..money import Money
from ._documents import DocumentStoredData
from ._registry import EventData, event_type

A = event_type("approval")


class CheckResult(BaseModel):
    rule: str
    article: str
    result: Literal["pass", "flag", "fail"]
    message: str


@A
class ApplicationOpened(EventData):
    org: str
    participant_orgs: list[str] = []
    title: str
    estimated_investment: Money
    route: str


@A
class ApplicationSubmitted(EventData):
    estimated_investment: Money


@A
class ComplianceChecked(EventData):
    checks: list[CheckResult]


@A
class ReviewStarted(EventData):
    """Budget opens an estimate review for finance when ≥ the threshold (R-25.1)."""

    org: str
    participant_orgs: list[str] = []
    title: str
    estimated_investment: Money
    declared_on: date
    jurisdiction: str = "city"
    estimate_review_required: bool = False  # decided by the policy in force on declared_on
    leading_group_required: bool = False


@A
class ExpertReviewRecorded(EventData):
    expert: str
    score: int


@A
class JointReviewDecided(EventData):
    decision: Literal["approve", "reject"]


@A
class LeadingGroupDecided(EventData):
    decision: Literal["approve", "reject"]


@A
class TechnicalOpinionIssued(EventData):
    document_no: str


@A
class ApprovalDocumentIssued(EventData):
    document_no: str
    approved_investment: Money | None = None
    construction_months: int | None = None  # the construction period of the document


@A
class MaterialAdded(EventData):
    kind: str
    title: str
    sha256: str | None = None
    document_id: str | None = None  # the stored file


@A
class ComplianceDeclared(EventData):
    declarations: dict


@A
class ApplicationReturned(EventData):
    reasons: list[str]


@A
class ProjectApproved(EventData):
    """Budget records the documents (R-26.1); oversight starts supervision (R-18.1);
    acceptance chooses the path (R-21.*)."""

    org: str
    participant_orgs: list[str] = []
    title: str
    category: str = ""
    approved_investment: Money
    technical_opinion_no: str
    approval_document_no: str
    estimate_review_required: bool
    estimate_review_report_no: str | None = None
    classified: bool = False
    built_by_big_data_group: bool = False
    serves_public: bool = False
    approved_on: date
    declared_on: date
    jurisdiction: str = "city"
    construction_months: int | None = None  # the approval document's construction period


@A
class ProjectRejected(EventData):
    reasons: list[str]
    rule: str | None = None


@A
class ProjectCodeAssigned(EventData):
    project_code: str


@A
class AdjustmentFiled(EventData):
    outcome: Literal["self_adjusted", "reapproval_required"]
    reason_kind: str
    amount_moved: Money
    new_total: Money
    approved_total: Money  # the approved investment after this adjustment
    reapproval_id: str | None = None  # the re-approval a failed opened


@A
class ReapprovalStepRecorded(EventData):
    """A step of a re-approval (R-20.2): technical_opinion, leading_group, estimate_review, approval_document."""

    reapproval_id: str
    step: str
    document_no: str | None = None
    decision: str | None = None
    amount: Money | None = None


@A
class ReapprovalApproved(EventData):
    """R-20.2: the adjusted plan is approved again; its investment is the new approved investment
    that payments are held to (budget raises or lowers its cap from the old approval)."""

    reapproval_id: str
    adjustment_id: str
    approved_investment: Money
    previous_approved_investment: Money
    adjusted_total: Money
    technical_opinion_no: str
    approval_document_no: str
    estimate_review_report_no: str | None = None
    construction_months: int | None = None  # a new construction period, when the document states one
    approved_on: date


@A
class ReapprovalRejected(EventData):
    """R-20.2: the adjusted plan is not approved; the old approval stands."""

    reapproval_id: str
    reasons: list[str]


@A
class RegistrySystemAdded(EventData):
    system_id: str
    org: str
    name: str
    source: str = "import"  # import | final_acceptance


@A
class CatalogItemsImported(EventData):
    count: int
    orgs: list[str] = []


@A
class ApprovalDocumentStored(DocumentStoredData):
    """A document stored by the approval service (govkit.documents; collected for the archive, R-22.2)."""
