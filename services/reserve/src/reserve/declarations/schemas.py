from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from govkit.money import Money

EmergencyType = Literal["natural_disaster", "accident_disaster", "public_health", "social_security"]
Status = Literal["draft", "submitted", "awaiting_consultation", "admitted", "refused", "withdrawn", "emergency"]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Item(_In):
    name: str = Field(min_length=1, max_length=200)
    quantity: int | None = Field(None, ge=0)


class CrossDepartmentIn(_In):
    lead_org: str = Field(min_length=1, max_length=80)
    participant_orgs: list[str] = Field(min_length=1, max_length=50)


class EmergencyIn(_In):
    type: EmergencyType
    grounds: str = Field(min_length=1, max_length=4000)


class SpecialAdditionIn(_In):
    reason: str = Field(min_length=1, max_length=4000)


class DeclarationCreate(_In):
    title: str = Field(min_length=1, max_length=200)
    category: str = Field(min_length=1, max_length=40)
    org: str | None = Field(None, min_length=1, max_length=80)
    library_year: int | None = Field(None, ge=2023, le=2100)
    estimated_investment: Money
    description: str = Field("", max_length=20000)
    items: list[Item] = Field(default_factory=list, max_length=500)
    classified: bool = False
    built_by_big_data_group: bool = False
    new_civil_works: bool = False
    high_energy: bool = False
    municipal_budget: bool = True  # funded by the municipal budget
    cross_department: CrossDepartmentIn | None = None
    emergency: EmergencyIn | None = None
    special_addition: SpecialAdditionIn | None = None
    draft: bool = False  # save without submitting (submit later into an open window)
    plan_item: str | None = Field(None, min_length=1, max_length=40)  # code of an approved plan item

    @field_validator("estimated_investment")
    @classmethod
    def _positive(cls, v):
        if v <= 0:
            raise ValueError("估算投资须大于零")
        return v

    @field_validator("special_addition")
    @classmethod
    def _one_route(cls, v, info):
        if v is not None and info.data.get("emergency") is not None:
            raise ValueError("emergency 与 special_addition 只能选其一")
        return v


class ReasonIn(_In):
    reason: str = Field(min_length=1, max_length=4000)


class WithdrawIn(_In):
    reason: str = Field("", max_length=4000)


class DecisionIn(_In):
    decision: Literal["agree", "refuse"]
    opinion: str = Field(min_length=1, max_length=4000)
    bureau: Literal["bdb", "finance", "approval_bureau"] | None = None  # only for a principal with several


class DecisionRead(BaseModel):
    bureau: str
    decision: str
    opinion: str
    decided_by: str
    decided_by_org: str
    decided_at: datetime


class SpecialAdditionRead(BaseModel):
    reason: str
    requested_on: date | None
    decisions: list[DecisionRead]
    matrix: dict[str, DecisionRead | None]  # bureau → decision (None: awaited)
    decided: list[str]
    awaiting: list[str]
    outcome: Literal["pending", "admitted", "refused", "withdrawn"]
    due_on: date | None = None
    rule: str = "R-9.2"


class EmergencyRead(BaseModel):
    type: str
    type_zh: str
    grounds: str
    rule: str = "R-9.3"


class RefusalRead(BaseModel):
    reason: str
    refused_by: str
    refused_on: date
    rule: str


class Flag(BaseModel):
    rule: str
    article: str
    basis: str
    message: str
    details: dict = {}


class DeclarationRead(BaseModel):
    project_id: str
    declaration_no: str
    status: Status
    route: str
    library_year: int
    window_id: str | None
    org: str
    jurisdiction: str = "city"  # 市本级 or a county code: the policy that judges it
    plan_item: str | None = None  # the approved overall plan's item it serves
    plan_version_id: str | None = None
    title: str
    category: str
    description: str
    items: list[dict]
    estimated_investment: Money
    classified: bool
    built_by_big_data_group: bool
    new_civil_works: bool
    high_energy: bool
    municipal_budget: bool
    cross_department: CrossDepartmentIn | None
    participant_orgs: list[str]
    emergency: EmergencyRead | None
    special_addition: SpecialAdditionRead | None
    # The three bureaus' consultation (R-9.2): of a special addition, or of a supplement window's
    # declaration; null when the declaration never went to it.
    consultation: SpecialAdditionRead | None = None
    refusal: RefusalRead | None
    withdrawal_reason: str | None
    declared_on: date
    submitted_on: date | None
    admitted_on: date | None
    flags: list[Flag] = []  # threshold splitting
    version: int
    created_at: datetime
    updated_at: datetime


class DeclarationCreated(DeclarationRead):
    """201 body: the API.md core (project_id, declaration_no, status, library_year, window_id) and the rest."""


class DeclarationList(BaseModel):
    items: list[DeclarationRead]
    next_cursor: str | None = None
