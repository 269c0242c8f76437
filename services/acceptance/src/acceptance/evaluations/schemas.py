from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Rating = Literal["excellent", "good", "fair", "inefficient"]


class SelfEvaluationIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"rating": "good", "report": "项目达到预期目标，用户满意度 92%"}]},
        extra="forbid",
    )
    rating: Rating
    report: str = Field(min_length=1)
    submitted_on: date | None = Field(default=None, description="提交日期，缺省为今天；可补录已发生的事实")


class PostEvaluationIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "rating": "good",
                    "report": "项目绩效良好",
                    "evaluator": "某咨询有限公司",
                    "completed_on": "2029-05-20",
                }
            ]
        },
        extra="forbid",
    )
    rating: Rating
    report: str = Field(min_length=1)
    completed_on: date | None = None
    evaluator: str | None = Field(default=None, description="受托第三方咨询机构（第二十四条）")


class EvaluationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    project_id: uuid.UUID
    kind: str
    rating: str
    report: str
    evaluated_on: date
    late: bool
    evaluator: str | None
    window: dict | None = None


class CommissionIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"org": "ORG-THIRD-01", "due_on": "2029-06-30"}]}, extra="forbid"
    )
    org: str = Field(min_length=1, max_length=80, description="受托第三方咨询机构的机构代码（第二十四条）")
    due_on: date = Field(description="后评价完成期限")


class CommissionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    project_id: uuid.UUID
    org: str
    due_on: date
    status: str
    commissioned_on: date
    evaluation_id: uuid.UUID | None
    state: str | None = None
    rule: str = "R-24.2"
    article: str = "第二十四条"


class OpinionIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"opinion": "请补充运维费用明细", "due_on": "2029-03-31"}]}, extra="forbid"
    )
    opinion: str = Field(min_length=1, max_length=4000, description="整改意见（第二十八条）")
    due_on: date | None = Field(default=None, description="答复期限（可选）")


class AnswerIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"answer": "已按意见补充用户满意度调查"}]}, extra="forbid"
    )
    answer: str = Field(min_length=1, max_length=4000, description="项目建设单位的答复")


class OpinionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    project_id: uuid.UUID
    evaluation_id: uuid.UUID
    org: str
    by_role: str
    by_org: str
    opinion: str
    due_on: date | None
    status: str
    answer: str | None
    answered_on: date | None
    rule: str = "R-28.2"
    article: str = "第二十八条"
