"""Events published by the oversight service (topic govpm.oversight)."""
from __future__ import annotations

from datetime import date
from typing import Literal

from ..money import Money
from ._registry import EventData, event_type

O = event_type("oversight")


@O
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


@O
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


@O
class ProgressReportOverdue(EventData):
    org: str | None = None
    year: int
    quarter: int
    due_on: date


@O
class IncidentReported(EventData):
    kind: Literal["serious_delay", "major_loss"]
    description: str
    incident_id: str | None = None
    org: str | None = None
    routed_to: list[str] = ["bdb", "finance"]
    copied_to: list[str] = ["approval_bureau"]


@O
class RectificationOrdered(EventData):
    rectification_id: str
    finding: str
    deadline: date
    ordered_by: str
    rule: str | None = None
    incident_id: str | None = None


@O
class RectificationClosed(EventData):
    rectification_id: str
    evidence: str = ""
    closed_on: date | None = None
    late: bool = False


@O
class SanctionApplied(EventData):
    level: Literal["criticism", "defer_investment", "suspend", "terminate"]
    reason: str
    sanction_id: str | None = None
    rectification_id: str | None = None


@O
class ProjectSuspended(EventData):
    reason: str


@O
class ProjectResumed(EventData):
    reason: str | None = None


@O
class ProjectTerminated(EventData):
    reason: str


@O
class FindingRecorded(EventData):
    rule: str
    finding: str
    finding_id: str | None = None
    kind: str | None = None
    source: str | None = None  # "budget:FundsMismatchFlagged" or the recording bureau
