"""Every query of extension requests."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import Extension


def add(session: AsyncSession, row: Extension) -> None:
    session.add(row)


async def for_project(session: AsyncSession, project_id: uuid.UUID) -> list[Extension]:
    stmt = select(Extension).where(Extension.project_id == project_id).order_by(Extension.requested_at, Extension.id)
    return list((await session.scalars(stmt)).all())


async def pending(session: AsyncSession, project_id: uuid.UUID) -> Extension | None:
    stmt = select(Extension).where(Extension.project_id == project_id, Extension.status == "requested")
    return (await session.scalars(stmt)).first()


async def get(
    session: AsyncSession, project_id: uuid.UUID, extension_id: uuid.UUID, *, for_update: bool = False
) -> Extension | None:
    stmt = select(Extension).where(Extension.id == extension_id, Extension.project_id == project_id)
    if for_update:
        stmt = stmt.with_for_update()
    return (await session.scalars(stmt)).one_or_none()
