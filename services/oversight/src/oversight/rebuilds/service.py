"""Rebuilding the whole-project view in the background: the request queues a job and answers at once;
a loop of the service claims it, refolds every service's event log in one transaction (the view is
replaced only when the whole rebuild succeeds) and records the outcome. Live progress is kept in
memory by the process running it."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Callable

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from govkit.auth import Principal
from govkit.db import utcnow
from govkit.errors import Problem

from ..projects.service import rebuild
from ..projects.sources import EventSource
from . import repository
from .models import RebuildJob
from .schemas import RebuildJobOut

log = structlog.get_logger()
PROGRESS: dict[uuid.UUID, dict] = {}  # job id → {"events", "sources"} while this process runs it


def out(job: RebuildJob) -> RebuildJobOut:
    live = PROGRESS.get(job.id, {})
    return RebuildJobOut(
        id=job.id,
        status=job.status,
        requested_by=job.requested_by,
        requested_at=job.requested_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
        events=live.get("events", job.events),
        projects=job.projects,
        sources=live.get("sources", job.sources or {}),
        error=job.error,
    )


async def request(session: AsyncSession, principal: Principal) -> RebuildJobOut:
    """Queue a rebuild; while one is queued or running, that one is the answer."""
    job = await repository.unfinished(session)
    if job is None:
        job = RebuildJob(
            id=uuid.uuid4(),
            status="queued",
            requested_by=principal.sub,
            requested_at=utcnow(),
            events=0,
            projects=0,
            sources={},
        )
        repository.add(session, job)
        await session.flush()
    return out(job)


async def get(session: AsyncSession, job_id: uuid.UUID) -> RebuildJobOut:
    job = await repository.get(session, job_id)
    if job is None:
        raise Problem(404, "重建任务不存在")
    return out(job)


async def run_next(sessionmaker: async_sessionmaker, source: EventSource) -> bool:
    """Run the oldest queued job, if any. Returns whether one ran."""
    async with sessionmaker() as session:
        job_id = await repository.claim_queued(session)
        await session.commit()
    if job_id is None:
        return False
    PROGRESS[job_id] = {"events": 0, "sources": {}}

    def progress(events: int, sources: dict[str, int]) -> None:
        PROGRESS[job_id] = {"events": events, "sources": dict(sources)}

    try:
        async with sessionmaker() as session:
            result = await rebuild(session, source, progress=progress)
            await session.commit()
        outcome = {
            "status": "done",
            "events": result["events"],
            "projects": result["projects"],
            "sources": result["sources"],
            "error": None,
        }
        log.info("rebuild_done", job_id=str(job_id), events=result["events"], projects=result["projects"])
    except Exception as exc:  # noqa: BLE001 - recorded on the job; the view stays as it was
        log.exception("rebuild_failed", job_id=str(job_id))
        cause = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        outcome = {"status": "failed", "error": f"重放事件日志时出错，全流程视图保持重建前的内容（{cause[:1800]}）"}
    finally:
        PROGRESS.pop(job_id, None)
    async with sessionmaker() as session:
        job = await repository.get(session, job_id)
        for key, value in outcome.items():
            setattr(job, key, value)
        job.finished_at = utcnow()
        await session.commit()
    return True


async def run_loop(
    sessionmaker: async_sessionmaker, source_of: Callable[[], EventSource], wake: asyncio.Event, poll_s: float = 1.0
) -> None:
    """Runs queued rebuilds one at a time; `source_of()` gives where events are read from."""
    async with sessionmaker() as session:
        if await repository.abandon_running(session):
            log.warning("rebuild_abandoned_by_a_stopped_process")
        await session.commit()
    while True:
        try:
            while await run_next(sessionmaker, source_of()):
                pass
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - the database may be away: try again
            log.exception("rebuild_loop_failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(wake.wait(), timeout=poll_s)
        wake.clear()
