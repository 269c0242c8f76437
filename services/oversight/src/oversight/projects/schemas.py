from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, Field

from govkit.money import Money


class Money_(BaseModel):
    estimated_investment: Money | None = None
    reviewed_amount: Money | None = None
    approved_investment: Money | None = None
    paid_total: Money
    balance: Money | None = None
    surplus_returned: Money
    investment_completed_total: Money | None = None
    funds_used_total: Money | None = None


class Reports(BaseModel):
    reported_quarters: list[str]
    last_report: str | None
    development_progress_pct: int | None
    overdue_notices: int


class Supervision(BaseModel):
    construction_filed: bool
    incidents: int
    open_rectifications: int
    rectifications_total: int
    last_sanction: str | None
    sanctions: int
    findings: int
    suspended: bool
    terminated: bool


class Clocks(BaseModel):
    declared_on: date | None
    approved_on: date | None
    planned_completion_on: date | None
    next_report_due_on: date | None
    earliest_rectification_deadline: date | None
    final_accepted_on: date | None
    warranty_ends_on: date | None
    self_evaluation_opens_on: date | None
    self_evaluation_closes_on: date | None


class ProjectOut(BaseModel):
    project_id: uuid.UUID
    status: str
    rating: str
    reasons: list[dict]
    metrics: dict
    org: str | None
    participant_orgs: list[str]
    title: str | None
    declaration_no: str | None
    project_code: str | None
    category: str | None
    library_year: int | None
    route: str | None
    acceptance_path: str | None
    acceptance_stage: str | None
    self_evaluation_rating: str | None
    post_evaluation_rating: str | None
    money: Money_
    reports: Reports
    supervision: Supervision
    clocks: Clocks
    version: int
    updated_at: datetime | None


class ProjectList(BaseModel):
    items: list[ProjectOut]
    next_cursor: str | None
    total: int | None = Field(
        None, description="有 q 时：符合条件的项目总数（超过 1000 时为 1000，total_exact 为 false）"
    )
    total_exact: bool | None = None


class TimelineItem(BaseModel):
    event_id: str
    service: str
    type: str
    time: datetime
    actor: str | None
    actor_org: str | None
    rule: str | None
    article: str | None
    seq: int | None
    data: dict


class Timeline(BaseModel):
    project_id: uuid.UUID
    items: list[TimelineItem]
    next_cursor: str | None
