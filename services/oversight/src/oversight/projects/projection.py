"""The read-model projection: every event of every service folded into one flat row per project,
and one timeline entry per event. Idempotent per event id (the timeline row is the guard), and
independent of how events of different services interleave: the status is derived from facts,
never from "the last event seen".

One small pure function per event type, over that type's payload model (`govkit.events`), registered
with `@projects(EventClass, …)`; each reads the payload's fields by name (`d.field`) and never hands
the payload on whole, so `tests/unit/test_projection_types.py` can check every field read against
the model — renaming a field breaks that test, not the read model. The queries are in `repository`."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from govkit.events import EVENT_TYPES, CloudEvent, EventData
from govkit.events.acceptance import (
    AcceptancePathChosen,
    FinalAcceptanceApplied,
    FinalAccepted,
    PostEvaluationCompleted,
    PreliminaryAccepted,
    SelfEvaluationSubmitted,
    TrialOperationStarted,
)
from govkit.events.approval import (
    AdjustmentFiled,
    ApplicationOpened,
    ApplicationSubmitted,
    ProjectApproved,
    ProjectCodeAssigned,
    ProjectRejected,
    ReapprovalApproved,
    ReviewStarted,
)
from govkit.events.budget import DisbursementRecorded, EstimateReviewed, FundsMismatchFlagged, SurplusReturned
from govkit.events.oversight import (
    ConstructionFiled,
    FindingRecorded,
    IncidentReported,
    ProgressReported,
    ProgressReportOverdue,
    ProjectResumed,
    ProjectSuspended,
    ProjectTerminated,
    RectificationClosed,
    RectificationOrdered,
    SanctionApplied,
)
from govkit.events.reserve import (
    DeclarationRefused,
    DeclarationWithdrawn,
    EmergencyProjectRegistered,
    ProjectAdmittedToReserve,
    ProjectDeclared,
    ProjectFacts,
    SpecialAdditionDecided,
)

from . import repository
from .models import ProjectView, TimelineEntry

STAGE_NAMES = {1: "preliminary_accepted", 2: "trial_operation", 3: "final_applied"}
STAGE_RANKS = {n: r for r, n in STAGE_NAMES.items()}
STATUSES = (
    "unknown",
    "declared",
    "refused",
    "admitted",
    "under_review",
    "rejected",
    "approved",
    "in_construction",
    "in_acceptance",
    "final_accepted",
    "suspended",
    "terminated",
)

Projector = Callable[[ProjectView, Any], None]
PROJECTORS: dict[type[EventData], Projector] = {}


def projects(*classes: type[EventData]) -> Callable[[Projector], Projector]:
    """Register a projection function for these event classes (each must be the registry's class)."""

    def register(fn: Projector) -> Projector:
        for cls in classes:
            if cls in PROJECTORS:
                raise ValueError(f"{cls.__name__} projected twice")
            PROJECTORS[cls] = fn
        return fn

    return register


def new_view(project_id: uuid.UUID) -> ProjectView:
    return ProjectView(
        project_id=project_id,
        status="unknown",
        participant_orgs=[],
        in_reserve=False,
        refused=False,
        under_review=False,
        rejected=False,
        construction_filed=False,
        suspended=False,
        terminated=False,
        paid_total=Decimal("0.00"),
        surplus_returned=Decimal("0.00"),
        funds_mismatch=False,
        reported_quarters=[],
        overdue_notices=0,
        incidents=0,
        open_rectifications={},
        rectifications_total=0,
        sanctions=0,
        findings=0,
        version=0,
    )


def derive_status(v: ProjectView) -> str:
    if v.terminated:
        return "terminated"
    if v.suspended:
        return "suspended"
    if v.final_accepted_on:
        return "final_accepted"
    if v.acceptance_stage:
        return "in_acceptance"
    if v.approved_on and v.construction_filed:
        return "in_construction"
    if v.approved_on:
        return "approved"
    if v.rejected:
        return "rejected"
    if v.under_review:
        return "under_review"
    if v.refused:
        return "refused"
    if v.in_reserve:
        return "admitted"
    if v.declared_on:
        return "declared"
    return "unknown"


def _identity(
    v: ProjectView, org: str | None, participants: list[str] | None, title: str | None, *, authoritative: bool
) -> None:
    """org / participants / title: the approval's (later) word wins over the declaration's."""
    if org and (authoritative or not v.org):
        v.org = org
    if participants and (authoritative or not v.participant_orgs):
        v.participant_orgs = sorted({p for p in participants if p and p != v.org})
    if title and (authoritative or not v.title):
        v.title = title


def _present(d: EventData, field: str) -> bool:
    """Whether the published payload carried the field (not merely its default)."""
    return field in d.model_fields_set


# -- reserve -------------------------------------------------------------------------------------
@projects(ProjectDeclared, ProjectAdmittedToReserve, EmergencyProjectRegistered)
def reserve_facts(v: ProjectView, d: ProjectFacts) -> None:
    # participant_orgs, or (payloads from before it existed) the cross-department block's
    if _present(d, "participant_orgs"):
        participants = d.participant_orgs
    else:
        participants = d.cross_department.participant_orgs if d.cross_department else None
    _identity(v, d.org, participants, d.title, authoritative=v.approved_on is None)
    v.declaration_no = d.declaration_no or v.declaration_no
    v.category = d.category or v.category
    v.library_year = d.library_year or v.library_year
    v.route = d.route or v.route
    v.jurisdiction = d.jurisdiction or v.jurisdiction
    v.declared_on = d.declared_on or v.declared_on
    v.estimated_investment = d.estimated_investment or v.estimated_investment
    if not isinstance(d, ProjectDeclared):
        v.in_reserve = True


@projects(DeclarationRefused, DeclarationWithdrawn)
def declaration_refused(v: ProjectView, d: DeclarationRefused | DeclarationWithdrawn) -> None:
    v.refused = True


@projects(SpecialAdditionDecided)
def special_addition_decided(v: ProjectView, d: SpecialAdditionDecided) -> None:
    if d.outcome == "refused":
        v.refused = True


# -- approval ------------------------------------------------------------------------------------
@projects(ApplicationOpened)
def application_opened(v: ProjectView, d: ApplicationOpened) -> None:
    _identity(v, d.org, d.participant_orgs, d.title, authoritative=False)
    v.in_reserve = True
    if d.estimated_investment and v.estimated_investment is None:
        v.estimated_investment = d.estimated_investment


@projects(ApplicationSubmitted)
def application_submitted(v: ProjectView, d: ApplicationSubmitted) -> None:
    v.in_reserve = True
    v.under_review = True
    if d.estimated_investment and v.estimated_investment is None:
        v.estimated_investment = d.estimated_investment


@projects(ReviewStarted)
def review_started(v: ProjectView, d: ReviewStarted) -> None:
    _identity(v, d.org, d.participant_orgs, d.title, authoritative=False)
    v.in_reserve = True
    v.under_review = True
    if d.estimated_investment and v.estimated_investment is None:
        v.estimated_investment = d.estimated_investment


@projects(ProjectApproved)
def project_approved(v: ProjectView, d: ProjectApproved) -> None:
    _identity(v, d.org, d.participant_orgs, d.title, authoritative=True)
    v.approved_on = d.approved_on
    v.approved_investment = d.approved_investment
    v.declared_on = v.declared_on or d.declared_on
    v.category = v.category or d.category or None
    v.jurisdiction = d.jurisdiction or v.jurisdiction
    v.under_review = True


@projects(ProjectRejected)
def project_rejected(v: ProjectView, d: ProjectRejected) -> None:
    v.rejected = True


@projects(ProjectCodeAssigned)
def project_code_assigned(v: ProjectView, d: ProjectCodeAssigned) -> None:
    v.project_code = d.project_code


@projects(AdjustmentFiled)
def adjustment_filed(v: ProjectView, d: AdjustmentFiled) -> None:
    if d.outcome == "self_adjusted" and d.approved_total:
        v.approved_investment = d.approved_total


@projects(ReapprovalApproved)
def reapproval_approved(v: ProjectView, d: ReapprovalApproved) -> None:
    """R-20.2: the adjusted plan approved again."""
    if d.approved_investment:
        v.approved_investment = d.approved_investment


# -- budget --------------------------------------------------------------------------------------
@projects(EstimateReviewed)
def estimate_reviewed(v: ProjectView, d: EstimateReviewed) -> None:
    v.reviewed_amount = d.reviewed_amount


@projects(DisbursementRecorded)
def disbursement_recorded(v: ProjectView, d: DisbursementRecorded) -> None:
    if d.paid_total is not None and d.paid_total > (v.paid_total or 0):
        v.paid_total = d.paid_total


@projects(SurplusReturned)
def surplus_returned(v: ProjectView, d: SurplusReturned) -> None:
    v.surplus_returned = (v.surplus_returned or Decimal("0")) + (d.amount or 0)


@projects(FundsMismatchFlagged)
def funds_mismatch_flagged(v: ProjectView, d: FundsMismatchFlagged) -> None:
    v.funds_mismatch = True


# -- oversight -----------------------------------------------------------------------------------
@projects(ConstructionFiled)
def construction_filed(v: ProjectView, d: ConstructionFiled) -> None:
    v.construction_filed = True
    v.planned_completion_on = d.planned_completion_on or v.planned_completion_on


@projects(ProgressReported)
def progress_reported(v: ProjectView, d: ProgressReported) -> None:
    key = f"{d.year}-Q{d.quarter}"
    v.reported_quarters = sorted({*(v.reported_quarters or []), key})
    if v.last_report is None or key >= v.last_report:
        v.last_report = key
        v.development_progress_pct = d.development_progress_pct
        v.investment_completed_total = d.investment_completed_total
        v.funds_used_total = d.funds_used_total


@projects(ProgressReportOverdue)
def progress_report_overdue(v: ProjectView, d: ProgressReportOverdue) -> None:
    v.overdue_notices = (v.overdue_notices or 0) + 1


@projects(IncidentReported)
def incident_reported(v: ProjectView, d: IncidentReported) -> None:
    v.incidents = (v.incidents or 0) + 1


@projects(RectificationOrdered)
def rectification_ordered(v: ProjectView, d: RectificationOrdered) -> None:
    v.open_rectifications = {**(v.open_rectifications or {}), d.rectification_id: d.deadline.isoformat()}
    v.rectifications_total = (v.rectifications_total or 0) + 1


@projects(RectificationClosed)
def rectification_closed(v: ProjectView, d: RectificationClosed) -> None:
    v.open_rectifications = {k: x for k, x in (v.open_rectifications or {}).items() if k != d.rectification_id}


@projects(SanctionApplied)
def sanction_applied(v: ProjectView, d: SanctionApplied) -> None:
    v.last_sanction = d.level
    v.sanctions = (v.sanctions or 0) + 1


@projects(ProjectSuspended)
def project_suspended(v: ProjectView, d: ProjectSuspended) -> None:
    v.suspended = True


@projects(ProjectResumed)
def project_resumed(v: ProjectView, d: ProjectResumed) -> None:
    v.suspended = False


@projects(ProjectTerminated)
def project_terminated(v: ProjectView, d: ProjectTerminated) -> None:
    v.terminated = True
    v.suspended = False


@projects(FindingRecorded)
def finding_recorded(v: ProjectView, d: FindingRecorded) -> None:
    v.findings = (v.findings or 0) + 1


# -- acceptance ----------------------------------------------------------------------------------
@projects(AcceptancePathChosen)
def acceptance_path_chosen(v: ProjectView, d: AcceptancePathChosen) -> None:
    v.acceptance_path = d.path


def _reach_stage(v: ProjectView, rank: int) -> None:
    if rank > STAGE_RANKS.get(v.acceptance_stage or "", 0):
        v.acceptance_stage = STAGE_NAMES[rank]


@projects(PreliminaryAccepted)
def preliminary_accepted(v: ProjectView, d: PreliminaryAccepted) -> None:
    _reach_stage(v, 1)


@projects(TrialOperationStarted)
def trial_operation_started(v: ProjectView, d: TrialOperationStarted) -> None:
    _reach_stage(v, 2)


@projects(FinalAcceptanceApplied)
def final_acceptance_applied(v: ProjectView, d: FinalAcceptanceApplied) -> None:
    _reach_stage(v, 3)


@projects(FinalAccepted)
def final_accepted(v: ProjectView, d: FinalAccepted) -> None:
    _identity(v, d.org, d.participant_orgs, d.title, authoritative=False)
    v.acceptance_stage = "final_accepted"
    v.final_accepted_on = d.accepted_on
    v.warranty_ends_on = d.warranty_ends_on
    v.self_evaluation_opens_on = d.self_evaluation_opens_on
    v.self_evaluation_closes_on = d.self_evaluation_closes_on


@projects(SelfEvaluationSubmitted)
def self_evaluation_submitted(v: ProjectView, d: SelfEvaluationSubmitted) -> None:
    v.self_evaluation_rating = d.rating


@projects(PostEvaluationCompleted)
def post_evaluation_completed(v: ProjectView, d: PostEvaluationCompleted) -> None:
    v.post_evaluation_rating = d.rating


# -- applying an event ---------------------------------------------------------------------------
def fold(v: ProjectView, d: EventData) -> None:
    """Apply one event's payload to the row (pure: no I/O). A type without a projection function
    (or a payload that did not parse: the base `EventData`) changes nothing but the timeline."""
    projector = PROJECTORS.get(type(d))
    if projector is not None:
        projector(v, d)


def _searched(v: ProjectView) -> tuple:
    """The fields the keyword search reads (projects.search)."""
    return (v.title, v.declaration_no, v.project_code, v.org)


def payload_of(event: CloudEvent) -> EventData:
    """The payload as its registered class (for events read from a log rather than the consumer);
    the base `EventData` for a type not registered or a payload that does not match it."""
    try:
        return EVENT_TYPES.get(event.type, EventData).model_validate(event.data)
    except ValidationError:
        return EventData()


def project_id_of(event: CloudEvent) -> uuid.UUID | None:
    raw = event.subject or event.data.get("project_id")
    if not raw:
        return None
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        return None


async def apply_event(session: AsyncSession, data: EventData, event: CloudEvent) -> bool:
    """Record the event in the timeline and fold its payload into the project's row (once per event
    id). An event of a project not seen yet creates a stub row. Returns False if already applied or
    not about a project."""
    project_id = project_id_of(event)
    if project_id is None:
        return False
    if await repository.timeline_has(session, event.id):
        return False
    repository.add_timeline_entry(
        session,
        TimelineEntry(
            event_id=event.id,
            project_id=project_id,
            service=event.service,
            type=event.type,
            time=event.time,
            seq=event.seq,
            actor=event.actor,
            actor_org=event.actororg,
            rule=event.rule,
            data=event.data,
        ),
    )
    view = await repository.view_for_update(session, project_id)
    if view is None:
        view = repository.add_view(session, new_view(project_id))
    before = list(view.participant_orgs or [])
    searched = _searched(view)
    fold(view, data)
    view.status = derive_status(view)
    view.version = (view.version or 0) + 1
    if view.updated_at is None or event.time > view.updated_at:
        view.updated_at = event.time
    after = list(view.participant_orgs or [])
    if after != before:
        await repository.replace_participants(session, project_id, after)
    if _searched(view) != searched:  # the keyword search's terms follow the row in this transaction
        await repository.reindex_search(session, project_id, searched, _searched(view))
    await session.flush()
    return True
