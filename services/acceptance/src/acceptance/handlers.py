"""Consumed events → service calls (no logic of their own)."""

from govkit.events import CloudEvent, parse_data
from govkit.inbox import Handler

from .archives import service as archives
from .projects import service


async def on_project_approved(session, event: CloudEvent) -> None:
    await service.record_approval(session, parse_data(event), actor=event.actor or "approval")


async def on_construction_filed(session, event: CloudEvent) -> None:
    await service.record_construction(session, parse_data(event))


async def on_project_suspended(session, event: CloudEvent) -> None:
    data = parse_data(event)
    await service.record_status(session, data.project_id, "suspended", data.reason)


async def on_project_resumed(session, event: CloudEvent) -> None:
    data = parse_data(event)
    await service.record_status(session, data.project_id, "active", data.reason)


async def on_project_terminated(session, event: CloudEvent) -> None:
    data = parse_data(event)
    await service.record_status(session, data.project_id, "terminated", data.reason)


async def on_document_stored(session, event: CloudEvent) -> None:
    await archives.record_entry(session, event)  # the archive index


HANDLERS: dict[str, Handler] = {
    "ProjectApproved": on_project_approved,
    "ConstructionFiled": on_construction_filed,
    "ProjectSuspended": on_project_suspended,
    "ProjectResumed": on_project_resumed,
    "ProjectTerminated": on_project_terminated,
    # every other service's stored documents join the project's electronic archive
    **{f"{s}DocumentStored": on_document_stored for s in ("Reserve", "Approval", "Budget", "Oversight")},
}
