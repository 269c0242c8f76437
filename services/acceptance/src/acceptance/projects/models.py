"""The acceptance aggregate of one project: path, stage, dates, and what it consumed from others."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Numeric, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from govkit.db import Base, optimistic, utcnow


class AcceptanceProject(Base):
    __tablename__ = "acceptance_projects"

    project_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    # Facts from ProjectApproved (None on a stub row created by an oversight event that came first).
    org: Mapped[str | None] = mapped_column(String(80), index=True)
    participant_orgs: Mapped[list[Any]] = mapped_column(default=list)
    title: Mapped[str] = mapped_column(String(300), default="")
    jurisdiction: Mapped[str] = mapped_column(String(20), default="city")
    declared_on: Mapped[date | None]
    approved_on: Mapped[date | None]
    approved_investment: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    classified: Mapped[bool] = mapped_column(default=False)
    built_by_big_data_group: Mapped[bool] = mapped_column(default=False)
    # The acceptance itself.
    path: Mapped[str | None] = mapped_column(String(20), index=True)  # standard|merged|classified|on_behalf
    path_rule: Mapped[str | None] = mapped_column(String(20))
    stage: Mapped[str] = mapped_column(String(30), default="construction", index=True)
    status: Mapped[str] = mapped_column(String(20), default="active")  # active|suspended|terminated
    status_reason: Mapped[str | None] = mapped_column(Text)
    uses_cryptography: Mapped[bool | None]
    planned_on: Mapped[date | None]  # planned final acceptance date
    # approved_on + the approval document's construction period, or the last granted extension
    # (a project approved before construction_months existed: the unit's first planned date).
    due_on: Mapped[date | None] = mapped_column(index=True)
    construction_months: Mapped[int | None]
    due_basis: Mapped[str | None] = mapped_column(String(30))  # construction_period | extension | planned
    preliminary_on: Mapped[date | None]
    preliminary_opinion: Mapped[str | None] = mapped_column(Text)
    preliminary_merged: Mapped[bool] = mapped_column(default=False)
    trial_starts_on: Mapped[date | None]
    trial_ends_on: Mapped[date | None]
    final_applied_on: Mapped[date | None]
    final_planned_on: Mapped[date | None]  # the date asked for in the final application
    final_accepted_on: Mapped[date | None]
    final_opinion: Mapped[str | None] = mapped_column(Text)
    preliminary_document_id: Mapped[str | None] = mapped_column(String(36))  # stored records (govkit.documents)
    final_document_id: Mapped[str | None] = mapped_column(String(36))
    final_led_by: Mapped[str | None] = mapped_column(String(20))
    final_participants: Mapped[list[Any]] = mapped_column(default=list)
    final_experts: Mapped[list[Any]] = mapped_column(default=list)
    warranty_ends_on: Mapped[date | None]
    self_evaluation_opens_on: Mapped[date | None] = mapped_column(index=True)
    self_evaluation_closes_on: Mapped[date | None]
    # below the threshold the unit chooses (before the first step) merged or standard.
    merge_allowed: Mapped[bool] = mapped_column(default=False)
    path_chosen_by: Mapped[str | None] = mapped_column(String(20))  # "unit" once the unit chose
    # The construction filing (R-15.1, R-16.*, R-17.1) as oversight published it (ConstructionFiled).
    construction_filed_version: Mapped[int | None]
    supervision_firm: Mapped[str | None] = mapped_column(String(200))
    warranty_years: Mapped[int | None]
    om_plan_provided: Mapped[bool] = mapped_column(default=False)
    training_plan_provided: Mapped[bool] = mapped_column(default=False)
    training_materials_provided: Mapped[bool] = mapped_column(default=False)
    reopened_step: Mapped[str | None] = mapped_column(String(30))  # bdb reopened it for one correction
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __mapper_args__ = optimistic(version)  # the ETag: +1 per transaction that changes the row

    @property
    def orgs(self) -> list[str]:
        return [o for o in [self.org, *(self.participant_orgs or [])] if o]
