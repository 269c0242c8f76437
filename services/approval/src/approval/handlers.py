"""Consumed events → service calls (no logic of their own)."""

from govkit.events import CloudEvent, parse_data
from govkit.inbox import Handler

from .applications import service as applications


async def on_admitted_or_emergency(session, event: CloudEvent) -> None:
    await applications.open_application(session, parse_data(event))


async def on_estimate_reviewed(session, event: CloudEvent) -> None:
    data = parse_data(event)
    await applications.record_estimate_review(session, str(data.project_id), data.report_no, data.reviewed_amount)


async def on_suspended(session, event: CloudEvent) -> None:
    await applications.set_blocked(session, str(parse_data(event).project_id), "suspended")


async def on_resumed(session, event: CloudEvent) -> None:
    await applications.set_blocked(session, str(parse_data(event).project_id), None)


async def on_terminated(session, event: CloudEvent) -> None:
    await applications.set_blocked(session, str(parse_data(event).project_id), "terminated")


async def on_final_accepted(session, event: CloudEvent) -> None:
    data = parse_data(event)
    await applications.add_accepted_system(session, str(data.project_id), data.org, data.title)


HANDLERS: dict[str, Handler] = {
    "ProjectAdmittedToReserve": on_admitted_or_emergency,
    "EmergencyProjectRegistered": on_admitted_or_emergency,
    "EstimateReviewed": on_estimate_reviewed,
    "ProjectSuspended": on_suspended,
    "ProjectResumed": on_resumed,
    "ProjectTerminated": on_terminated,
    "FinalAccepted": on_final_accepted,
}
