"""Every service's local copy of the policy versions added through the API (R-31.1, R-33.1).

The reserve service owns the store (`POST /api/v1/policies`, admin) and publishes each version as
`PolicyVersionAdded`; every other service consumes it into its own `policy_versions` table. At start
and every few seconds the table is loaded into `govkit.policy` (so `policy_for` — pure, synchronous —
sees it); the built-in versions stay the default. A service's migrations call `upgrade()` here."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, datetime
from typing import Any

import structlog
from sqlalchemy import Date, String, Text, UniqueConstraint, select
from sqlalchemy import event as sa_event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Mapped, mapped_column

from . import policy
from .db import Base, utcnow
from .events import CloudEvent
from .events.reserve import PolicyVersionAdded

log = structlog.get_logger()
OWNER = "reserve"


class PolicyVersion(Base):
    """One policy version (complete parameters); never updated or deleted (R-33.1)."""

    __tablename__ = "policy_versions"
    __table_args__ = (
        UniqueConstraint("jurisdiction", "effective_from", name="uq_policy_versions_jurisdiction_effective_from"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    jurisdiction: Mapped[str] = mapped_column(String(16), index=True)
    effective_from: Mapped[date] = mapped_column(Date)
    code: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(200), default="")
    parameters: Mapped[dict[str, Any]]
    note: Mapped[str] = mapped_column(Text, default="")
    added_by: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)


def to_policy(row: PolicyVersion) -> policy.Policy:
    return policy.from_parameters(row.code, row.jurisdiction, row.effective_from, row.parameters)


async def rows(session: AsyncSession) -> list[PolicyVersion]:
    stmt = select(PolicyVersion).order_by(PolicyVersion.jurisdiction, PolicyVersion.effective_from)
    return list((await session.scalars(stmt)).all())


async def find(session: AsyncSession, jurisdiction: str, effective_from: date) -> PolicyVersion | None:
    stmt = select(PolicyVersion).where(
        PolicyVersion.jurisdiction == jurisdiction, PolicyVersion.effective_from == effective_from
    )
    return (await session.scalars(stmt)).one_or_none()


async def store(session: AsyncSession, row: PolicyVersion) -> PolicyVersion:
    """Add a version to the local table, and to what `policy_for` consults in this process once the
    transaction commits (a rolled-back version is never consulted)."""
    session.add(row)
    await session.flush()
    version = to_policy(row)
    sa_event.listen(session.sync_session, "after_commit", lambda _s: policy.add(version), once=True)
    return row


async def on_policy_version_added(session: AsyncSession, data: PolicyVersionAdded, event: CloudEvent) -> None:
    """Handler of `PolicyVersionAdded` (every service but the owner)."""
    if await find(session, data.jurisdiction, data.effective_from) is None:
        await store(
            session,
            PolicyVersion(
                id=data.policy_id or str(uuid.uuid4()),
                jurisdiction=data.jurisdiction,
                effective_from=data.effective_from,
                code=data.code,
                title=data.title or "",
                parameters=dict(data.parameters),
                added_by=event.actor or "",
                note="",
            ),
        )


def handlers_for(service: str) -> dict:
    """The consumer of `PolicyVersionAdded` for each GovPM service but the owner (which stores it itself)."""
    from .settings import SERVICES

    return {PolicyVersionAdded: on_policy_version_added} if service in SERVICES and service != OWNER else {}


def kept_by(service: str) -> bool:
    from .settings import SERVICES

    return service in SERVICES


async def refresh(sessionmaker: async_sessionmaker) -> int:
    """Add the local table's versions to `govkit.policy`; returns their number. It only adds: a refresh
    that read before a concurrent commit must not drop the version that commit added (R-33.1: versions
    are never removed)."""
    try:
        async with sessionmaker() as session:
            found = [to_policy(r) for r in await rows(session)]
    except SQLAlchemyError as exc:  # a database not migrated yet: the built-in versions stand
        log.warning("policy_versions_unavailable", error=str(exc)[:200])
        return 0
    policy.add(*found)
    return len(found)


async def refresh_loop(sessionmaker: async_sessionmaker, interval_s: float) -> None:
    """Other replicas of a service (which did not consume the event themselves) catch up here."""
    while True:
        await asyncio.sleep(interval_s)
        try:
            await refresh(sessionmaker)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - keep the last known versions
            log.warning("policy_refresh_failed", error=str(exc)[:200])


# -- the migration every service runs (its own revision calls these) -------------------------------
def upgrade() -> None:
    import sqlalchemy as sa
    from alembic import op
    from sqlalchemy.dialects import postgresql

    import govkit.db

    op.create_table(
        "policy_versions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("jurisdiction", sa.String(length=16), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("code", sa.String(length=120), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column(
            "parameters", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"), nullable=False
        ),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("added_by", sa.String(length=200), nullable=False),
        sa.Column("added_at", govkit.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_versions")),
        sa.UniqueConstraint("jurisdiction", "effective_from", name="uq_policy_versions_jurisdiction_effective_from"),
    )
    with op.batch_alter_table("policy_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_policy_versions_jurisdiction"), ["jurisdiction"], unique=False)


def downgrade() -> None:
    from alembic import op

    with op.batch_alter_table("policy_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_policy_versions_jurisdiction"))
    op.drop_table("policy_versions")
