"""Every query of archives acceptances, security assessments and secrecy reviews."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import SecrecyReview, SecurityAssessment


def add(session: AsyncSession, row) -> None:
    session.add(row)


async def security(session: AsyncSession, project_id: uuid.UUID) -> list[SecurityAssessment]:
    stmt = (
        select(SecurityAssessment)
        .where(SecurityAssessment.project_id == project_id)
        .order_by(SecurityAssessment.created_at, SecurityAssessment.id)
    )
    return list((await session.scalars(stmt)).all())


async def secrecy(session: AsyncSession, project_id: uuid.UUID) -> list[SecrecyReview]:
    stmt = (
        select(SecrecyReview)
        .where(SecrecyReview.project_id == project_id)
        .order_by(SecrecyReview.created_at, SecrecyReview.id)
    )
    return list((await session.scalars(stmt)).all())
