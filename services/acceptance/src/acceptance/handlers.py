"""Consumed events → service calls (no logic of their own)."""

from govkit.consumer import Handlers
from govkit.events import CloudEvent, DocumentStoredData
from govkit.events.approval import ApprovalDocumentStored, ProjectApproved
from govkit.events.budget import BudgetDocumentStored
from govkit.events.oversight import (
    ConstructionFiled,
    OversightDocumentStored,
    ProjectResumed,
    ProjectSuspended,
    ProjectTerminated,
)
from govkit.events.reserve import ReserveDocumentStored

from .archives import service as archives
from .stages import service


async def on_project_approved(session, data: ProjectApproved, event: CloudEvent) -> None:
    await service.record_approval(session, data, actor=event.actor or "approval")


async def on_construction_filed(session, data: ConstructionFiled, event: CloudEvent) -> None:
    await service.record_construction(session, data)


async def on_project_suspended(session, data: ProjectSuspended, event: CloudEvent) -> None:
    await service.record_status(session, data.project_id, "suspended", data.reason)


async def on_project_resumed(session, data: ProjectResumed, event: CloudEvent) -> None:
    await service.record_status(session, data.project_id, "active", data.reason)


async def on_project_terminated(session, data: ProjectTerminated, event: CloudEvent) -> None:
    await service.record_status(session, data.project_id, "terminated", data.reason)


async def on_document_stored(session, data: DocumentStoredData, event: CloudEvent) -> None:
    await archives.record_entry(session, data, event)  # the archive index


HANDLERS: Handlers = {
    ProjectApproved: on_project_approved,
    ConstructionFiled: on_construction_filed,
    ProjectSuspended: on_project_suspended,
    ProjectResumed: on_project_resumed,
    ProjectTerminated: on_project_terminated,
    # every other service's stored documents join the project's electronic archive
    **dict.fromkeys(
        (ReserveDocumentStored, ApprovalDocumentStored, BudgetDocumentStored, OversightDocumentStored),
        on_document_stored,
    ),
}
