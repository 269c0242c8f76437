"""Events published by the acceptance service (topic govpm.acceptance)."""
from __future__ import annotations

from datetime import date
from typing import Literal

from ._registry import EventData, event_type

C = event_type("acceptance")

Rating = Literal["excellent", "good", "fair", "inefficient"]


@C
class AcceptancePathChosen(EventData):
    path: Literal["standard", "merged", "classified", "on_behalf"]


@C
class ArchivesAccepted(EventData):
    report_no: str
    passed: bool


@C
class SecurityAssessed(EventData):
    kind: Literal["mlps", "crypto", "risk"]
    passed: bool


@C
class SecrecyReviewed(EventData):
    passed: bool
    operator: str


@C
class PreliminaryAccepted(EventData):
    accepted_on: date


@C
class TrialOperationStarted(EventData):
    starts_on: date
    ends_on: date


@C
class FinalAcceptanceApplied(EventData):
    planned_on: date


@C
class AcceptanceExtended(EventData):
    new_date: date
    decision: Literal["requested", "granted", "refused"]


@C
class FinalAccepted(EventData):
    """Oversight stops quarterly reports; budget returns the surplus (R-27.1); approval adds the
    system to its registry (R-10.3)."""

    org: str
    title: str = ""
    accepted_on: date
    warranty_ends_on: date
    self_evaluation_opens_on: date
    self_evaluation_closes_on: date


@C
class SelfEvaluationSubmitted(EventData):
    rating: Rating
    submitted_on: date


@C
class PostEvaluationCompleted(EventData):
    rating: Rating
    completed_on: date
