"""Every query of the documents table."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import Document


async def get(session: AsyncSession, doc_id: str, *, for_update: bool = False) -> Document | None:
    stmt = select(Document).where(Document.id == doc_id)
    if for_update:
        stmt = stmt.with_for_update()
    return await session.scalar(stmt)


async def add(session: AsyncSession, doc: Document) -> Document:
    session.add(doc)
    await session.flush()
    return doc


async def page(
    session: AsyncSession,
    project_id: str,
    *,
    kind: str | None,
    after: tuple[datetime, str] | None,
    limit: int,
    current_only: bool = False,
) -> Sequence[Document]:
    stmt = select(Document).where(Document.project_id == project_id)
    if kind:
        stmt = stmt.where(Document.kind == kind)
    if current_only:
        stmt = stmt.where(Document.superseded_by.is_(None))
    if after is not None:
        at, did = after
        stmt = stmt.where(or_(Document.created_at > at, and_(Document.created_at == at, Document.id > did)))
    return (await session.scalars(stmt.order_by(Document.created_at, Document.id).limit(limit))).all()


async def all_of(session: AsyncSession, project_id: str) -> Sequence[Document]:
    stmt = select(Document).where(Document.project_id == project_id).order_by(Document.created_at, Document.id)
    return (await session.scalars(stmt)).all()
