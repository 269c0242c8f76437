"""Consumed events → service calls (no logic of their own)."""

from govkit.events import CloudEvent, parse_data
from govkit.inbox import Handler

from .findings import service as findings
from .projects.projection import apply_event
from .supervision import service as supervision


async def on_project_approved(session, event: CloudEvent) -> None:
    await supervision.start_supervision(session, parse_data(event))


async def on_final_accepted(session, event: CloudEvent) -> None:
    await supervision.stop_reporting(session, parse_data(event))


async def on_funds_mismatch(session, event: CloudEvent) -> None:
    await findings.record_funds_mismatch(session, event.id, parse_data(event))


async def on_any_event(session, event: CloudEvent) -> None:
    """Every event of every service feeds the whole-project read model and timeline."""
    await apply_event(session, event)


HANDLERS: dict[str, Handler] = {
    "ProjectApproved": on_project_approved,
    "FinalAccepted": on_final_accepted,
    "FundsMismatchFlagged": on_funds_mismatch,
}
WILDCARD: Handler = on_any_event
