"""Every query of `generated_documents`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..documents.models import Document
from .models import GeneratedDocument


async def add(session: AsyncSession, row: GeneratedDocument) -> GeneratedDocument:
    session.add(row)
    await session.flush()
    return row


async def page(
    session: AsyncSession, project_id: str, *, kind: str | None, after: tuple[datetime, str] | None, limit: int
) -> Sequence[GeneratedDocument]:
    stmt = select(GeneratedDocument).where(GeneratedDocument.project_id == project_id)
    if kind:
        stmt = stmt.where(GeneratedDocument.kind == kind)
    if after is not None:
        at, gid = after
        stmt = stmt.where(
            or_(GeneratedDocument.created_at > at, and_(GeneratedDocument.created_at == at, GeneratedDocument.id > gid))
        )
    stmt = stmt.order_by(GeneratedDocument.created_at, GeneratedDocument.id).limit(limit)
    return (await session.scalars(stmt)).all()


async def files(session: AsyncSession, ids: list[str]) -> dict[str, Document]:
    if not ids:
        return {}
    return {d.id: d for d in (await session.scalars(select(Document).where(Document.id.in_(ids)))).all()}
