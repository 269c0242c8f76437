"""Consumed events → service calls (no logic of their own)."""

from govkit.consumer import Handlers
from govkit.events import CloudEvent
from govkit.events.acceptance import FinalAccepted
from govkit.events.budget import EstimateReviewed
from govkit.events.oversight import ProjectResumed, ProjectSuspended, ProjectTerminated
from govkit.events.reserve import EmergencyProjectRegistered, ProjectAdmittedToReserve, ProjectFacts

from .applications import service as applications


async def on_admitted_or_emergency(session, data: ProjectFacts, event: CloudEvent) -> None:
    await applications.open_application(session, data)


async def on_estimate_reviewed(session, data: EstimateReviewed, event: CloudEvent) -> None:
    await applications.record_estimate_review(session, str(data.project_id), data.report_no, data.reviewed_amount)


async def on_suspended(session, data: ProjectSuspended, event: CloudEvent) -> None:
    await applications.set_blocked(session, str(data.project_id), "suspended")


async def on_resumed(session, data: ProjectResumed, event: CloudEvent) -> None:
    await applications.set_blocked(session, str(data.project_id), None)


async def on_terminated(session, data: ProjectTerminated, event: CloudEvent) -> None:
    await applications.set_blocked(session, str(data.project_id), "terminated")


async def on_final_accepted(session, data: FinalAccepted, event: CloudEvent) -> None:
    await applications.add_accepted_system(session, str(data.project_id), data.org, data.title)


HANDLERS: Handlers = {
    ProjectAdmittedToReserve: on_admitted_or_emergency,
    EmergencyProjectRegistered: on_admitted_or_emergency,
    EstimateReviewed: on_estimate_reviewed,
    ProjectSuspended: on_suspended,
    ProjectResumed: on_resumed,
    ProjectTerminated: on_terminated,
    FinalAccepted: on_final_accepted,
}
