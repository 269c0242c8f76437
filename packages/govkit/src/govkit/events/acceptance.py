"""Events published by the acceptance service (topic govpm.acceptance).

Fields consumed by other services are never renamed or removed; new fields carry defaults.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from ._documents import DocumentStoredData
from ._registry import EventData, event_type

C = event_type("acceptance")

Rating = Literal["excellent", "good", "fair", "inefficient"]
Path = Literal["standard", "merged", "classified", "on_behalf"]


@C
class AcceptancePathChosen(EventData):
    """On ProjectApproved: who organises the acceptance (R-21.2 – R-21.4)."""

    path: Path
    rule: str = ""  # the rule that decided the path
    org: str = ""
    participant_orgs: list[str] = []
    title: str = ""
    final_led_by: str = ""  # "unit" | "bdb"


@C
class AcceptanceProfileUpdated(EventData):
    """The unit states whether the system uses cryptography (R-7.2) and its planned acceptance date (R-21.5)."""

    uses_cryptography: bool | None = None
    planned_on: date | None = None


@C
class ArchivesAccepted(EventData):
    """An archives acceptance result (R-22.1); `passed` false is recorded too."""

    report_no: str
    passed: bool


@C
class SecurityAssessed(EventData):
    """A network security test / risk assessment (mlps, risk) or a cryptography assessment (R-7.2)."""

    kind: Literal["mlps", "crypto", "risk"]
    passed: bool
    report_no: str = ""


@C
class SecrecyReviewed(EventData):
    """The secrecy bureau's review of a classified project and the named operator (R-23.1)."""

    passed: bool
    operator: str


@C
class PreliminaryAccepted(EventData):
    accepted_on: date
    opinion: str = ""
    document_id: str | None = None  # the stored acceptance record


@C
class TrialOperationStarted(EventData):
    starts_on: date
    ends_on: date
    preliminary_merged: bool = False  # merged path: preliminary acceptance merged into final


@C
class FinalAcceptanceApplied(EventData):
    """Standard path: the unit applies to bdb for final acceptance (R-21.2)."""

    planned_on: date
    uses_cryptography: bool | None = None


@C
class AcceptanceExtended(EventData):
    """R-21.5: requested by the unit, then granted or refused by bdb."""

    new_date: date
    decision: Literal["requested", "granted", "refused"]
    extension_id: str = ""
    previous_date: date | None = None
    reason: str = ""
    opinion: str | None = None


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
    participant_orgs: list[str] = []
    path: str = ""
    led_by: str = ""  # "unit" | "bdb"
    participants: list[str] = []  # actor codes that took part (e.g. ["unit", "ndrc"])
    experts: list[str] = []
    opinion: str = ""
    document_id: str | None = None  # the stored acceptance opinion


@C
class SelfEvaluationSubmitted(EventData):
    """R-24.1; budget decides next year's O&M funding on the rating (R-28.1)."""

    rating: Rating
    submitted_on: date
    org: str = ""
    late: bool = False  # submitted after the window closed


@C
class PostEvaluationCommissioned(EventData):
    """R-24.2: bdb commissions a named third-party org (`evaluator_org`) for this project; only it files."""

    commission_id: str
    evaluator_org: str
    due_on: date
    org: str = ""  # the unit
    title: str = ""


@C
class PostEvaluationCompleted(EventData):
    """R-24.2: a third-party post-evaluation commissioned by bdb."""

    rating: Rating
    completed_on: date
    org: str = ""
    evaluator: str = ""
    commission_id: str = ""
    evaluator_org: str = ""
    late: bool = False  # filed after the commission's due date


@C
class AcceptanceDocumentStored(DocumentStoredData):
    """A document stored by the acceptance service (govkit.documents; collected for the archive, R-22.2)."""


@C
class AcceptanceDeadline(EventData):
    """X-30.1: a clock of acceptance pushed to the party that must act — before it runs out
    (`approaching`), when past due (`overdue`), a to-do without a deadline (`due`), and `cleared` once
    done. `clock`: acceptance_due (R-21.5) | self_evaluation (R-24.1) | warranty_end (R-16.1) |
    post_evaluation (R-24.2, the commissioned third party) | extension_decision (bdb, R-21.5)."""

    clock: str
    phase: Literal["due", "approaching", "overdue", "cleared"]
    role: str
    org: str | None = None
    due_on: date | None = None
    ref: str = ""
    rule: str = ""
    message: str = ""
    title: str = ""


@C
class AcceptanceStepCorrected(EventData):
    """A recorded step corrected by its actor (with the reason; `reopened`: after bdb reopened it)."""

    step: str
    reason: str
    before: dict = {}
    after: dict = {}
    reopened: bool = False


@C
class AcceptanceStepReopened(EventData):
    """bdb reopened a step on which later steps rest, for one correction by its actor."""

    step: str
    reason: str


@C
class EvaluationOpinionGiven(EventData):
    """R-28.2: a rectification opinion on an evaluation result (by bdb, finance, the approval bureau or
    the competent department); the unit answers it."""

    opinion_id: str
    evaluation_id: str
    kind: str = ""  # self | post
    rating: str = ""
    by_role: str = ""
    opinion: str = ""
    due_on: date | None = None
    org: str = ""


@C
class EvaluationOpinionAnswered(EventData):
    opinion_id: str
    answer: str = ""
    answered_on: date | None = None
    org: str = ""
