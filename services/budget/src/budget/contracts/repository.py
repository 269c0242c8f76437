"""Every query of contracts."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .models import Contract


async def list_for_project(session: AsyncSession, project_id: str) -> list[Contract]:
    stmt = select(Contract).where(Contract.project_id == project_id).order_by(Contract.signed_on, Contract.created_at)
    return list((await session.scalars(stmt)).all())


async def get_by_no(session: AsyncSession, project_id: str, contract_no: str) -> Contract | None:
    stmt = select(Contract).where(Contract.project_id == project_id, Contract.contract_no == contract_no)
    return (await session.scalars(stmt)).one_or_none()


async def add(session: AsyncSession, contract: Contract) -> Contract:
    session.add(contract)
    await session.flush()
    return contract


async def get(session: AsyncSession, contract_id: str) -> Contract | None:
    return await session.get(Contract, contract_id)
