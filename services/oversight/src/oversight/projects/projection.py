"""The read-model projection: every event of every service folded into one flat row per project,
and one timeline entry per event. Idempotent per event id (the timeline row is the guard), and
independent of how events of different services interleave: the status is derived from facts,
never from "the last event seen"."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, insert
from sqlalchemy.ext.asyncio import AsyncSession

from govkit.events import CloudEvent

from .models import ProjectParticipant, ProjectView, TimelineEntry
from .repository import reindex_search

RESERVE_FACTS = {"ProjectDeclared", "ProjectAdmittedToReserve", "EmergencyProjectRegistered"}
ACCEPTANCE_STAGES = {"PreliminaryAccepted": 1, "TrialOperationStarted": 2, "FinalAcceptanceApplied": 3}
STAGE_NAMES = {1: "preliminary_accepted", 2: "trial_operation", 3: "final_applied"}
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


def _money(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _date(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(str(value))


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


def _identity(v: ProjectView, d: dict, *, authoritative: bool) -> None:
    """org / participants / title: the approval's (later) word wins over the declaration's."""
    if d.get("org") and (authoritative or not v.org):
        v.org = d["org"]
    parts = d.get("participant_orgs")
    if parts is None and isinstance(d.get("cross_department"), dict):
        parts = d["cross_department"].get("participant_orgs")
    if parts and (authoritative or not v.participant_orgs):
        v.participant_orgs = sorted({p for p in parts if p and p != v.org})
    if d.get("title") and (authoritative or not v.title):
        v.title = d["title"]


def fold(v: ProjectView, etype: str, d: dict, service: str) -> None:  # noqa: C901 - one table of cases
    """Apply one event's data to the row (pure: no I/O)."""
    if etype in RESERVE_FACTS:
        _identity(v, d, authoritative=v.approved_on is None)
        v.declaration_no = d.get("declaration_no") or v.declaration_no
        v.category = d.get("category") or v.category
        v.library_year = d.get("library_year") or v.library_year
        v.route = d.get("route") or v.route
        v.jurisdiction = d.get("jurisdiction") or v.jurisdiction
        v.declared_on = _date(d.get("declared_on")) or v.declared_on
        v.estimated_investment = _money(d.get("estimated_investment")) or v.estimated_investment
        if etype != "ProjectDeclared":
            v.in_reserve = True
    elif etype in ("DeclarationRefused", "DeclarationWithdrawn"):
        v.refused = True
    elif etype == "SpecialAdditionDecided":
        if d.get("outcome") == "refused":
            v.refused = True
    elif etype in ("ApplicationOpened", "ApplicationSubmitted", "ReviewStarted"):
        _identity(v, d, authoritative=False)
        v.in_reserve = True
        if etype != "ApplicationOpened":
            v.under_review = True
        if d.get("estimated_investment") and v.estimated_investment is None:
            v.estimated_investment = _money(d["estimated_investment"])
    elif etype == "ProjectApproved":
        _identity(v, d, authoritative=True)
        v.approved_on = _date(d.get("approved_on"))
        v.approved_investment = _money(d.get("approved_investment"))
        v.declared_on = v.declared_on or _date(d.get("declared_on"))
        v.category = v.category or d.get("category") or None
        v.jurisdiction = d.get("jurisdiction") or v.jurisdiction
        v.under_review = True
    elif etype == "ProjectRejected":
        v.rejected = True
    elif etype == "ProjectCodeAssigned":
        v.project_code = d.get("project_code")
    elif etype == "AdjustmentFiled":
        if d.get("outcome") == "self_adjusted" and d.get("approved_total"):
            v.approved_investment = _money(d["approved_total"])
    elif etype == "ReapprovalApproved":  # the adjusted plan approved again
        if d.get("approved_investment"):
            v.approved_investment = _money(d["approved_investment"])
    elif etype == "EstimateReviewed":
        v.reviewed_amount = _money(d.get("reviewed_amount"))
    elif etype == "DisbursementRecorded":
        paid = _money(d.get("paid_total"))
        if paid is not None and paid > (v.paid_total or 0):
            v.paid_total = paid
    elif etype == "SurplusReturned":
        v.surplus_returned = (v.surplus_returned or Decimal("0")) + (_money(d.get("amount")) or 0)
    elif etype == "FundsMismatchFlagged":
        v.funds_mismatch = True
    elif etype == "ConstructionFiled":
        v.construction_filed = True
        v.planned_completion_on = _date(d.get("planned_completion_on")) or v.planned_completion_on
    elif etype == "ProgressReported":
        key = f"{d['year']}-Q{d['quarter']}"
        quarters = set(v.reported_quarters or [])
        quarters.add(key)
        v.reported_quarters = sorted(quarters)
        if v.last_report is None or key >= v.last_report:
            v.last_report = key
            v.development_progress_pct = d.get("development_progress_pct")
            v.investment_completed_total = _money(d.get("investment_completed_total"))
            v.funds_used_total = _money(d.get("funds_used_total"))
    elif etype == "ProgressReportOverdue":
        v.overdue_notices = (v.overdue_notices or 0) + 1
    elif etype == "IncidentReported":
        v.incidents = (v.incidents or 0) + 1
    elif etype == "RectificationOrdered":
        v.open_rectifications = {**(v.open_rectifications or {}), d["rectification_id"]: d["deadline"]}
        v.rectifications_total = (v.rectifications_total or 0) + 1
    elif etype == "RectificationClosed":
        v.open_rectifications = {k: x for k, x in (v.open_rectifications or {}).items() if k != d["rectification_id"]}
    elif etype == "SanctionApplied":
        v.last_sanction = d.get("level")
        v.sanctions = (v.sanctions or 0) + 1
    elif etype == "ProjectSuspended":
        v.suspended = True
    elif etype == "ProjectResumed":
        v.suspended = False
    elif etype == "ProjectTerminated":
        v.terminated = True
        v.suspended = False
    elif etype == "FindingRecorded":
        v.findings = (v.findings or 0) + 1
    elif etype == "AcceptancePathChosen":
        v.acceptance_path = d.get("path")
    elif etype in ACCEPTANCE_STAGES:
        rank = ACCEPTANCE_STAGES[etype]
        current = {n: r for r, n in STAGE_NAMES.items()}.get(v.acceptance_stage or "", 0)
        if rank > current:
            v.acceptance_stage = STAGE_NAMES[rank]
    elif etype == "FinalAccepted":
        _identity(v, d, authoritative=False)
        v.acceptance_stage = "final_accepted"
        v.final_accepted_on = _date(d.get("accepted_on"))
        v.warranty_ends_on = _date(d.get("warranty_ends_on"))
        v.self_evaluation_opens_on = _date(d.get("self_evaluation_opens_on"))
        v.self_evaluation_closes_on = _date(d.get("self_evaluation_closes_on"))
    elif etype == "SelfEvaluationSubmitted":
        v.self_evaluation_rating = d.get("rating")
    elif etype == "PostEvaluationCompleted":
        v.post_evaluation_rating = d.get("rating")


def _searched(v: ProjectView) -> tuple:
    """The fields the keyword search reads (projects.search)."""
    return (v.title, v.declaration_no, v.project_code, v.org)


def project_id_of(event: CloudEvent) -> uuid.UUID | None:
    raw = event.subject or event.data.get("project_id")
    if not raw:
        return None
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        return None


async def apply_event(session: AsyncSession, event: CloudEvent) -> bool:
    """Record the event in the timeline and fold it into the project's row (once per event id).
    An event of a project not seen yet creates a stub row. Returns False if already applied or
    not about a project."""
    project_id = project_id_of(event)
    if project_id is None:
        return False
    if await session.get(TimelineEntry, event.id) is not None:
        return False
    session.add(
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
        )
    )
    view = await session.get(ProjectView, project_id, with_for_update=True)
    if view is None:
        view = new_view(project_id)
        session.add(view)
    before = list(view.participant_orgs or [])
    searched = _searched(view)
    fold(view, event.type, event.data, event.service)
    view.status = derive_status(view)
    view.version = (view.version or 0) + 1
    if view.updated_at is None or event.time > view.updated_at:
        view.updated_at = event.time
    after = list(view.participant_orgs or [])
    if after != before:
        await session.execute(delete(ProjectParticipant).where(ProjectParticipant.project_id == project_id))
        if after:
            await session.execute(insert(ProjectParticipant), [{"org": org, "project_id": project_id} for org in after])
    if _searched(view) != searched:  # the keyword search's terms follow the row in this transaction
        await reindex_search(session, project_id, searched, _searched(view))
    await session.flush()
    return True
