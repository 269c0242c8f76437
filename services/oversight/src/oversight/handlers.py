"""Consumed events → service calls (no logic of their own)."""

from govkit.consumer import Handler, Handlers
from govkit.events import CloudEvent, EventData
from govkit.events.acceptance import FinalAccepted
from govkit.events.approval import ProjectApproved
from govkit.events.budget import FundsMismatchFlagged

from .findings import service as findings
from .projects.projection import apply_event
from .supervision import service as supervision


async def on_project_approved(session, data: ProjectApproved, event: CloudEvent) -> None:
    await supervision.start_supervision(session, data)


async def on_final_accepted(session, data: FinalAccepted, event: CloudEvent) -> None:
    await supervision.stop_reporting(session, data)


async def on_funds_mismatch(session, data: FundsMismatchFlagged, event: CloudEvent) -> None:
    await findings.record_funds_mismatch(session, event.id, data)


async def on_any_event(session, data: EventData, event: CloudEvent) -> None:
    """Every event of every service feeds the whole-project read model and timeline."""
    await apply_event(session, data, event)


HANDLERS: Handlers = {
    ProjectApproved: on_project_approved,
    FinalAccepted: on_final_accepted,
    FundsMismatchFlagged: on_funds_mismatch,
}
WILDCARD: Handler = on_any_event
