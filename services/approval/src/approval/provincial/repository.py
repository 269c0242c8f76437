"""Every query of the provincial platform's callbacks: the signatures already seen (R-13.1 replay)."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from .models import CallbackSignature


async def signature_seen(session: AsyncSession, digest: str) -> bool:
    return await session.get(CallbackSignature, digest) is not None


async def record_signature(session: AsyncSession, digest: str, project_id: str) -> bool:
    """Record the callback's signature; False when another request recorded it first (a replay)."""
    session.add(CallbackSignature(signature=digest, project_id=project_id))
    try:
        await session.flush()
    except IntegrityError:
        return False
    return True
