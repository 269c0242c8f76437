from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from govkit.money import Money


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LineItem(Strict):
    """One construction content with its amount (R-20.1: the contents before and after)."""

    name: str = Field(min_length=1, max_length=300)
    amount: Money


def _unique_names(items: list[LineItem]) -> list[LineItem]:
    names = [" ".join(i.name.split()) for i in items]
    if len(names) != len(set(names)):
        raise ValueError("建设内容名称不得重复")
    return items


class AdjustmentIn(Strict):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "reason_kind": "technical",
                    "description": "数据库由集中式改为分布式",
                    "goals_changed": False,
                    "items_before": [{"name": "数据库软件", "amount": "300000.00"}],
                    "items_after": [{"name": "数据库软件", "amount": "360000.00"}],
                }
            ]
        }
    )
    reason_kind: Literal["deployment", "technical", "business", "other"]
    goals_changed: bool
    description: str = Field(min_length=1)
    items_before: list[LineItem] = Field(min_length=1, max_length=500)
    items_after: list[LineItem] = Field(min_length=1, max_length=500)

    _unique = field_validator("items_before", "items_after")(_unique_names)


class AdjustmentRead(BaseModel):
    id: str
    project_id: str
    outcome: str
    violations: list[dict]
    reason_kind: str
    amount_moved: Money
    new_total: Money
    goals_changed: bool
    description: str
    items_before: list[LineItem] | None
    items_after: list[LineItem] | None
    cumulative_moved: Money
    original_approved_total: Money
    approved_total: Money
    reapproval_required: str | None  # the re-approval's id when is not met
    computation: dict | None = None  # how amount_moved was computed from the contents
    counted_from: dict | None = None  # the approval the 15% is counted from
    filed_with: list[str]
    created_at: datetime


class ReapprovalDocumentIn(Strict):
    model_config = ConfigDict(json_schema_extra={"examples": [{"document_no": "盐数审〔2027〕21号"}]})
    document_no: str = Field(min_length=1, max_length=80)


class ReapprovalApprovalIn(Strict):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"document_no": "盐审批〔2027〕58号", "construction_months": 12, "approved_investment": "1900000.00"}
            ]
        }
    )
    document_no: str = Field(min_length=1, max_length=80)
    approved_investment: Money | None = None  # default: the adjusted plan's total
    construction_months: int | None = Field(None, gt=0, le=120)  # a new 建设周期, if the document states one


class ReapprovalDecisionIn(Strict):
    model_config = ConfigDict(json_schema_extra={"examples": [{"decision": "approve", "opinion": "同意调整"}]})
    decision: Literal["approve", "reject"]
    opinion: str = Field(min_length=1)


class ReapprovalEstimateIn(Strict):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"report_no": "盐财评〔2027〕9号", "reviewed_amount": "1900000.00"}]}
    )
    report_no: str = Field(min_length=1, max_length=80)
    reviewed_amount: Money


class ReasonsIn(Strict):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"reasons": ["可行性研究报告缺少投资估算明细（第十条）"]}]}
    )
    reasons: list[str] = Field(min_length=1, description="理由，逐条列出")


class ReapprovalRead(BaseModel):
    id: str
    project_id: str
    adjustment_id: str
    status: str  # pending | approved | rejected
    adjusted_total: Money
    previous_approved_investment: Money
    technical_opinion_no: str | None
    leading_group_decision: str | None
    estimate_review: dict | None
    approval_document_no: str | None
    approved_investment: Money | None
    construction_months: int | None
    approved_on: date | None
    rejection_reasons: list[str] | None
    missing: list[dict]
    version: int
    created_at: datetime


class AdjustmentList(BaseModel):
    items: list[AdjustmentRead]
    next_cursor: str | None = Field(None, description="总为 null（不分页）")


class ReapprovalList(BaseModel):
    items: list[ReapprovalRead]
    next_cursor: str | None = Field(None, description="总为 null（不分页）")
