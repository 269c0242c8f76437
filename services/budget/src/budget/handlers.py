"""Consumed events → service calls (no logic of their own)."""

from sqlalchemy.ext.asyncio import AsyncSession

from govkit.clock import local_date
from govkit.events import CloudEvent, parse_data
from govkit.inbox import Handler

from .disbursements import service as disbursements
from .funding import service as funding
from .lifecycle import service as lifecycle
from .projects import service as projects


async def on_review_started(session: AsyncSession, event: CloudEvent) -> None:
    await lifecycle.record_review_started(session, parse_data(event), local_date(event.time))


async def on_project_approved(session: AsyncSession, event: CloudEvent) -> None:
    await lifecycle.record_approval(session, parse_data(event))


async def on_adjustment_filed(session: AsyncSession, event: CloudEvent) -> None:
    await lifecycle.record_adjustment(session, parse_data(event))


async def on_reapproval_approved(session: AsyncSession, event: CloudEvent) -> None:
    await projects.record_reapproval(session, parse_data(event))


async def on_project_code_assigned(session: AsyncSession, event: CloudEvent) -> None:
    data = parse_data(event)
    await projects.record_project_code(session, str(data.project_id), data.project_code)


async def on_project_suspended(session: AsyncSession, event: CloudEvent) -> None:
    data = parse_data(event)
    await projects.record_suspension(session, str(data.project_id), data.reason)


async def on_project_resumed(session: AsyncSession, event: CloudEvent) -> None:
    await projects.record_resumption(session, str(parse_data(event).project_id))


async def on_project_terminated(session: AsyncSession, event: CloudEvent) -> None:
    data = parse_data(event)
    await lifecycle.record_termination(session, str(data.project_id), data.reason, local_date(event.time))


async def on_progress_reported(session: AsyncSession, event: CloudEvent) -> None:
    await disbursements.reconcile_progress_report(session, parse_data(event))


async def on_final_accepted(session: AsyncSession, event: CloudEvent) -> None:
    await lifecycle.record_final_acceptance(session, parse_data(event))


async def on_self_evaluation(session: AsyncSession, event: CloudEvent) -> None:
    data = parse_data(event)
    await funding.decide_operation_funding(
        session, str(data.project_id), data.rating, "self_evaluation", data.submitted_on
    )


async def on_post_evaluation(session: AsyncSession, event: CloudEvent) -> None:
    data = parse_data(event)
    await funding.decide_operation_funding(
        session, str(data.project_id), data.rating, "post_evaluation", data.completed_on
    )


HANDLERS: dict[str, Handler] = {
    "ReviewStarted": on_review_started,
    "ProjectApproved": on_project_approved,
    "AdjustmentFiled": on_adjustment_filed,
    "ReapprovalApproved": on_reapproval_approved,
    "ProjectCodeAssigned": on_project_code_assigned,
    "ProjectSuspended": on_project_suspended,
    "ProjectResumed": on_project_resumed,
    "ProjectTerminated": on_project_terminated,
    "ProgressReported": on_progress_reported,
    "FinalAccepted": on_final_accepted,
    "SelfEvaluationSubmitted": on_self_evaluation,
    "PostEvaluationCompleted": on_post_evaluation,
}
