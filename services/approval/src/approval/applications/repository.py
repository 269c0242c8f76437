"""Every query of applications, materials, checks and reviews."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from govkit.db import is_postgres

from .models import Application, CheckRecord, Material, Reapproval, Review


async def get(session: AsyncSession, project_id: str, *, for_update: bool = False) -> Application | None:
    stmt = select(Application).where(Application.project_id == project_id)
    if for_update and is_postgres(session):
        stmt = stmt.with_for_update()
    return (await session.scalars(stmt)).first()


def add(session: AsyncSession, obj) -> None:
    session.add(obj)


def _visible(a: Application, org: str | None) -> bool:
    return org is None or a.org == org or org in (a.participant_orgs or [])


async def list_visible(
    session: AsyncSession,
    *,
    status: str | None,
    org: str | None,
    visible_org: str | None,
    after: str | None,
    limit: int,
) -> list[Application]:
    """Keyset page of up to limit + 1 rows; for a unit only its own or participating projects."""
    out: list[Application] = []
    cursor = after
    batch_size = 200
    while len(out) <= limit:
        stmt = select(Application).order_by(Application.project_id).limit(batch_size)
        if status:
            stmt = stmt.where(Application.status == status)
        if org:
            stmt = stmt.where(Application.org == org)
        if cursor:
            stmt = stmt.where(Application.project_id > cursor)
        batch = (await session.scalars(stmt)).all()
        out.extend(a for a in batch if _visible(a, visible_org))
        if len(batch) < batch_size:
            break
        cursor = batch[-1].project_id
    return out[: limit + 1]


async def materials(session: AsyncSession, project_id: str) -> Sequence[Material]:
    return (
        await session.scalars(
            select(Material).where(Material.project_id == project_id).order_by(Material.created_at, Material.id)
        )
    ).all()


async def material_kinds(session: AsyncSession, project_id: str) -> set[str]:
    return set((await session.scalars(select(Material.kind).where(Material.project_id == project_id))).all())


async def checks(session: AsyncSession, project_id: str, round_: int) -> Sequence[CheckRecord]:
    return (
        await session.scalars(
            select(CheckRecord)
            .where(CheckRecord.project_id == project_id, CheckRecord.round == round_)
            .order_by(CheckRecord.id)
        )
    ).all()


async def reviews(session: AsyncSession, project_id: str) -> Sequence[Review]:
    return (
        await session.scalars(
            select(Review).where(Review.project_id == project_id).order_by(Review.created_at, Review.id)
        )
    ).all()


async def count_expert_reviews(session: AsyncSession, project_id: str, round_: int) -> int:
    return (
        await session.scalar(
            select(func.count())
            .select_from(Review)
            .where(
                Review.project_id == project_id,
                Review.round == round_,
                Review.kind == "expert",
                Review.superseded.is_(False),
            )
        )
        or 0
    )


async def supersede_reviews(session: AsyncSession, project_id: str) -> None:
    await session.execute(
        update(Review).where(Review.project_id == project_id, Review.superseded.is_(False)).values(superseded=True)
    )


async def pending_others(session: AsyncSession, project_id: str) -> Sequence[Application]:
    """Other applications not yet decided (duplicate checks, X-10.3)."""
    return (
        await session.scalars(
            select(Application).where(
                Application.project_id != project_id,
                Application.status.in_(("open", "under_review")),
                Application.compliance.is_not(None),
            )
        )
    ).all()


async def due_code_requests(session: AsyncSession, now: datetime, limit: int = 20) -> Sequence[Application]:
    stmt = (
        select(Application)
        .where(
            Application.code_status == "pending",
            or_(Application.code_next_attempt_at.is_(None), Application.code_next_attempt_at <= now),
        )
        .order_by(Application.review_started_at)
        .limit(limit)
    )
    if is_postgres(session):
        stmt = stmt.with_for_update(skip_locked=True)
    return (await session.scalars(stmt)).all()


async def under_construction_others(
    session: AsyncSession, project_id: str, accepted_ids: set[str]
) -> Sequence[Application]:
    """X-10.3: other projects approved and still being built — not terminated, not yet finally
    accepted (an accepted project is in the registry, `accepted_ids`)."""
    rows = (
        await session.scalars(
            select(Application).where(
                Application.project_id != project_id,
                Application.status == "approved",
                or_(Application.blocked.is_(None), Application.blocked != "terminated"),
            )
        )
    ).all()
    return [a for a in rows if a.project_id not in accepted_ids]


async def pending_reapproval(session: AsyncSession, project_id: str) -> Reapproval | None:
    """R-20.2: the re-approval of an adjusted plan still open (the old approval stands meanwhile)."""
    return (
        await session.scalars(
            select(Reapproval).where(Reapproval.project_id == project_id, Reapproval.status == "pending")
        )
    ).first()
