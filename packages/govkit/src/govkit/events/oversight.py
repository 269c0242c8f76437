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


@O
class ProgressReported(EventData):
    """Budget reconciles the reported funds against its ledger."""

    org: str | None = None
    year: int
    quarter: int
    development_progress_pct: int
    investment_completed_year: Money
    funds_used_year: Money
    investment_completed_total: Money
    funds_used_total: Money
    corrected: bool = False


@O
class ProgressReportOverdue(EventData):
    year: int
    quarter: int
    due_on: date


@O
class IncidentReported(EventData):
    kind: Literal["serious_delay", "major_loss"]
    description: str


@O
class RectificationOrdered(EventData):
    rectification_id: str
    finding: str
    deadline: date
    ordered_by: str


@O
class RectificationClosed(EventData):
    rectification_id: str


@O
class SanctionApplied(EventData):
    level: Literal["criticism", "defer_investment", "suspend", "terminate"]
    reason: str


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
