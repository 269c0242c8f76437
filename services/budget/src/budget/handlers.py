"""Consumed events → service calls (no logic of their own)."""

from sqlalchemy.ext.asyncio import AsyncSession

from govkit.clock import local_date
from govkit.consumer import Handlers
from govkit.events import CloudEvent
from govkit.events.acceptance import FinalAccepted, PostEvaluationCompleted, SelfEvaluationSubmitted
from govkit.events.approval import (
    AdjustmentFiled,
    ProjectApproved,
    ProjectCodeAssigned,
    ReapprovalApproved,
    ReviewStarted,
)
from govkit.events.oversight import ProgressReported, ProjectResumed, ProjectSuspended, ProjectTerminated

from .disbursements import service as disbursements
from .funding import service as funding
from .lifecycle import service as lifecycle
from .projects import service as projects


async def on_review_started(session: AsyncSession, data: ReviewStarted, event: CloudEvent) -> None:
    await lifecycle.record_review_started(session, data, local_date(event.time))


async def on_project_approved(session: AsyncSession, data: ProjectApproved, event: CloudEvent) -> None:
    await lifecycle.record_approval(session, data)


async def on_adjustment_filed(session: AsyncSession, data: AdjustmentFiled, event: CloudEvent) -> None:
    await lifecycle.record_adjustment(session, data)


async def on_reapproval_approved(session: AsyncSession, data: ReapprovalApproved, event: CloudEvent) -> None:
    await projects.record_reapproval(session, data)


async def on_project_code_assigned(session: AsyncSession, data: ProjectCodeAssigned, event: CloudEvent) -> None:
    await projects.record_project_code(session, str(data.project_id), data.project_code)


async def on_project_suspended(session: AsyncSession, data: ProjectSuspended, event: CloudEvent) -> None:
    await projects.record_suspension(session, str(data.project_id), data.reason)


async def on_project_resumed(session: AsyncSession, data: ProjectResumed, event: CloudEvent) -> None:
    await projects.record_resumption(session, str(data.project_id))


async def on_project_terminated(session: AsyncSession, data: ProjectTerminated, event: CloudEvent) -> None:
    await lifecycle.record_termination(session, str(data.project_id), data.reason, local_date(event.time))


async def on_progress_reported(session: AsyncSession, data: ProgressReported, event: CloudEvent) -> None:
    await disbursements.reconcile_progress_report(session, data)


async def on_final_accepted(session: AsyncSession, data: FinalAccepted, event: CloudEvent) -> None:
    await lifecycle.record_final_acceptance(session, data)


async def on_self_evaluation(session: AsyncSession, data: SelfEvaluationSubmitted, event: CloudEvent) -> None:
    await funding.decide_operation_funding(
        session, str(data.project_id), data.rating, "self_evaluation", data.submitted_on
    )


async def on_post_evaluation(session: AsyncSession, data: PostEvaluationCompleted, event: CloudEvent) -> None:
    await funding.decide_operation_funding(
        session, str(data.project_id), data.rating, "post_evaluation", data.completed_on
    )


HANDLERS: Handlers = {
    ReviewStarted: on_review_started,
    ProjectApproved: on_project_approved,
    AdjustmentFiled: on_adjustment_filed,
    ReapprovalApproved: on_reapproval_approved,
    ProjectCodeAssigned: on_project_code_assigned,
    ProjectSuspended: on_project_suspended,
    ProjectResumed: on_project_resumed,
    ProjectTerminated: on_project_terminated,
    ProgressReported: on_progress_reported,
    FinalAccepted: on_final_accepted,
    SelfEvaluationSubmitted: on_self_evaluation,
    PostEvaluationCompleted: on_post_evaluation,
}
