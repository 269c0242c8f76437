"""Events published by the oversight service (topic govpm.oversight)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from ..money import Money
from ._documents import DocumentStoredData
from ._registry import EventData, event_type

OV = event_type("oversight")


@OV
class ConstructionFiled(EventData):
    implementing_body: str
    supervision_firm: str
    warranty_years: int
    org: str | None = None
    responsible_person: str = ""
    ip_owner: str = ""
    tenders: int = 0
    planned_completion_on: date | None = None
    version: int = 1
    # the contractor's O&M plan, training plan and training materials (all three before final
    # acceptance); acceptance gates its steps on this filing.
    om_plan_provided: bool = False
    training_plan_provided: bool = False
    training_materials_provided: bool = False


@OV
class ProgressReported(EventData):
    """Budget reconciles the reported funds against its ledger."""

    org: str | None = None
    year: int
    quarter: int
    procedures: str = ""
    tendering: str = ""
    start_completion: str = ""
    implementation: str = ""
    development_progress_pct: int
    investment_completed_year: Money
    funds_used_year: Money
    investment_completed_total: Money
    funds_used_total: Money
    corrected: bool = False
    version: int = 1
    due_on: date | None = None
    late: bool = False
    attachments: list[str] = []  # stored documents


@OV
class ProgressReportOverdue(EventData):
    org: str | None = None
    year: int
    quarter: int
    due_on: date


@OV
class IncidentReported(EventData):
    kind: Literal["serious_delay", "major_loss"]
    description: str
    incident_id: str | None = None
    org: str | None = None
    routed_to: list[str] = ["bdb", "finance"]
    copied_to: list[str] = ["approval_bureau"]


@OV
class RectificationOrdered(EventData):
    rectification_id: str
    finding: str
    deadline: date
    ordered_by: str
    rule: str | None = None
    incident_id: str | None = None
    area: str | None = None  # the duty area of R-30.1 (the ordering department holds it)
    org: str | None = None  # the unit that must rectify (X-30.1: the clock is pushed to it)
    escalate_to: str | None = None  # the rung the ladder may reach at once on failure, with its basis
    escalation_basis: str | None = None


@OV
class RectificationAnswered(EventData):
    """R-30.1: the unit answers the order with evidence; the ordering department verifies it."""

    rectification_id: str
    evidence: str = ""
    answered_on: date
    late: bool = False
    ordered_by: str = ""  # the role that must verify
    org: str | None = None
    deadline: date | None = None


@OV
class RectificationVerified(EventData):
    """R-30.1: the ordering department's verification of the answer: closed or still non-compliant
    (R-30.2: a non-compliant answer opens the sanctions ladder)."""

    rectification_id: str
    result: Literal["closed", "non_compliant"]
    opinion: str = ""
    verified_on: date
    ordered_by: str = ""
    org: str | None = None


@OV
class RectificationClosed(EventData):
    """Emitted when the ordering department verified the answer as compliant (R-30.1)."""

    rectification_id: str
    evidence: str = ""
    closed_on: date | None = None
    late: bool = False


@OV
class SanctionApplied(EventData):
    level: Literal["criticism", "defer_investment", "suspend", "terminate"]
    reason: str
    sanction_id: str | None = None
    rectification_id: str | None = None
    opened_by: str | None = None  # why the order opens the ladder: "overdue" | "non_compliant"
    escalation_basis: str | None = None  # the order's basis when a rung was skipped


@OV
class ProjectSuspended(EventData):
    reason: str


@OV
class ProjectResumed(EventData):
    reason: str | None = None


@OV
class ProjectTerminated(EventData):
    reason: str


@OV
class FindingRecorded(EventData):
    rule: str
    finding: str
    finding_id: str | None = None
    kind: str | None = None
    source: str | None = None  # "budget:FundsMismatchFlagged" or the recording bureau


@OV
class OversightDocumentStored(DocumentStoredData):
    """A document stored by the oversight service (govkit.documents; collected for the archive, R-22.2)."""


@OV
class SupervisionDeadline(EventData):
    """X-30.1: a clock of oversight pushed to the party that must act — before it runs out
    (`approaching`), when past due (`overdue`), a to-do without a deadline (`due`), and `cleared` once
    done. `clock`: progress_report | rectification | rectification_verification."""

    clock: str
    phase: Literal["due", "approaching", "overdue", "cleared"]
    role: str  # who must act: "unit" or a bureau's role
    org: str | None = None  # the acting organisation (the unit's code for "unit")
    due_on: date | None = None
    ref: str = ""  # what the clock is about: a quarter ("2027Q3"), an order id
    rule: str = ""
    message: str = ""
    title: str = ""
