"""X-30.1: a clock pushed to the party that must act, shared by the services that run clocks
(acceptance's AcceptanceDeadline, oversight's SupervisionDeadline).

A service keeps its own notice table (the scans' dedupe: one row per project, clock, ref, role, phase),
its deadline event and its clock rules; `DeadlineNotices` is the rest — record a notice and emit its
event, open a to-do, clear it, and push the clocks a scan found that were not pushed yet."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import String, Uuid, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, aliased, mapped_column

from .db import utcnow
from .events import EventData
from .outbox import emit

Seen = set[tuple]  # {(project_id, clock, ref, role, phase)}
PENDING_PHASES = ("due", "approaching", "overdue")
SYSTEM = object()  # the default actor: the service itself (`DeadlineNotices.system_actor`)


class ClockNoticeColumns:
    """The columns of a service's notice table (mixed into its model, which names the table)."""

    project_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    clock: Mapped[str] = mapped_column(String(40), primary_key=True)
    ref: Mapped[str] = mapped_column(String(80), primary_key=True)
    role: Mapped[str] = mapped_column(String(40), primary_key=True)
    phase: Mapped[str] = mapped_column(String(20), primary_key=True)  # due | approaching | overdue | cleared
    org: Mapped[str | None] = mapped_column(String(80))
    due_on: Mapped[date | None]
    notified_at: Mapped[datetime] = mapped_column(default=utcnow)


class ClockFinding(Protocol):
    """A clock a service's rules found running (its `rules.Clock`)."""

    clock: str
    phase: str
    role: str
    org: str | None
    due_on: date | None
    ref: str
    rule: str
    message: str


class ClockedProject(Protocol):
    project_id: uuid.UUID
    title: str


Publish = Callable[..., Awaitable[Any]]  # (session, payload, *, actor, rule) — govkit.outbox.emit or a wrapper


@dataclass(frozen=True)
class DeadlineNotices:
    notice: type  # the service's ORM model with ClockNoticeColumns
    event: type[EventData]  # the service's deadline event (project_id, clock, phase, role, org, due_on, ref, …)
    labels: Mapping[str, str]  # clock → its Chinese name (the event's title when the project has none)
    system_actor: str
    publish: Publish = emit

    async def seen(self, session: AsyncSession, project_ids: Iterable[uuid.UUID]) -> Seen:
        """What was pushed already for these projects."""
        ids = list(project_ids)
        if not ids:
            return set()
        n = self.notice
        rows = await session.execute(select(n.project_id, n.clock, n.ref, n.role, n.phase).where(n.project_id.in_(ids)))
        return {tuple(r) for r in rows}

    async def pending(self, session: AsyncSession, *, role: str | None, org: str | None, limit: int) -> list:
        """Notices not yet cleared, for one acting party (a unit's org, a bureau's role, a third party's org)."""
        n, other = self.notice, aliased(self.notice)
        cleared = (
            select(n.project_id)
            .where(
                n.phase == "cleared",
                n.project_id == other.project_id,
                n.clock == other.clock,
                n.ref == other.ref,
                n.role == other.role,
            )
            .correlate(other)
        )
        stmt = select(other).where(other.phase != "cleared", ~cleared.exists())
        if role is not None:
            stmt = stmt.where(other.role == role)
        if org is not None:
            stmt = stmt.where(other.org == org)
        return list((await session.scalars(stmt.order_by(other.due_on, other.project_id).limit(limit))).all())

    async def _publish(
        self,
        session: AsyncSession,
        project_id: uuid.UUID,
        *,
        clock: str,
        phase: str,
        role: str,
        org: str | None,
        due_on: date | None,
        ref: str,
        rule: str,
        message: str,
        title: str,
        actor,
    ) -> None:
        session.add(
            self.notice(project_id=project_id, clock=clock, ref=ref, role=role, phase=phase, org=org, due_on=due_on)
        )
        await session.flush()
        await self.publish(
            session,
            self.event(
                project_id=project_id,
                clock=clock,
                phase=phase,
                role=role,
                org=org,
                due_on=due_on,
                ref=ref,
                rule=rule,
                message=message,
                title=title or self.labels.get(clock, clock),
            ),
            actor=actor,
            rule="X-30.1",
        )

    async def open_todo(
        self,
        session: AsyncSession,
        project: ClockedProject,
        *,
        clock: str,
        role: str,
        org: str | None,
        ref: str,
        rule: str,
        message: str,
        due_on: date | None = None,
        actor=SYSTEM,
    ) -> None:
        """A to-do without a running clock yet (phase `due`), e.g. a bureau's decision on a request."""
        if (project.project_id, clock, ref, role, "due") in await self.seen(session, [project.project_id]):
            return
        await self._publish(
            session,
            project.project_id,
            clock=clock,
            phase="due",
            role=role,
            org=org,
            due_on=due_on,
            ref=ref,
            rule=rule,
            message=message,
            title=project.title,
            actor=self.system_actor if actor is SYSTEM else actor,
        )

    async def clear(
        self,
        session: AsyncSession,
        project: ClockedProject,
        *,
        clock: str,
        ref: str,
        role: str,
        actor=SYSTEM,
        message: str = "已办理",
    ) -> None:
        """The obligation is met: complete what was pushed (nothing when nothing was)."""
        pushed = {(c, r, ro, ph) for (_, c, r, ro, ph) in await self.seen(session, [project.project_id])}
        if (clock, ref, role, "cleared") in pushed or not any(
            (clock, ref, role, ph) in pushed for ph in PENDING_PHASES
        ):
            return
        await self._publish(
            session,
            project.project_id,
            clock=clock,
            phase="cleared",
            role=role,
            org=None,
            due_on=None,
            ref=ref,
            rule="X-30.1",
            message=message,
            title=project.title,
            actor=self.system_actor if actor is SYSTEM else actor,
        )

    async def push_new(
        self, session: AsyncSession, project_id: uuid.UUID, title: str, clocks: Iterable[ClockFinding], seen: Seen
    ) -> int:
        """Push each clock not pushed in this phase and not cleared; `seen` is updated. Returns how many."""
        published = 0
        for c in clocks:
            key = (project_id, c.clock, c.ref, c.role)
            if (*key, c.phase) in seen or (*key, "cleared") in seen:
                continue
            await self._publish(
                session,
                project_id,
                clock=c.clock,
                phase=c.phase,
                role=c.role,
                org=c.org,
                due_on=c.due_on,
                ref=c.ref,
                rule=c.rule,
                message=c.message,
                title=title,
                actor=self.system_actor,
            )
            seen.add((*key, c.phase))
            published += 1
        return published
