"""Request and response shapes of applications (API.md, Approval)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from govkit.money import Money

MaterialKind = Literal[
    "proposal",
    "feasibility_study",
    "preliminary_design",
    "security_statement",
    "energy_review",
    "site_selection",
    "land_prereview",
    "environmental_impact",
    "other",
]
Entrance = Literal["susufuban", "yanqitong", "my_yancheng", "yanzhengtong"]
Audience = Literal["public", "enterprise", "citizen", "office"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MaterialIn(Strict):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"kind": "proposal", "title": "项目建议书", "document_id": "3f2c9a1e-7b4d-4c55-9e61-0d2f8a6b1c10"}
            ]
        }
    )
    kind: MaterialKind
    title: str = Field(min_length=1, max_length=500)
    sha256: str | None = Field(None, pattern=r"^[0-9a-fA-F]{64}$")
    uri: str | None = Field(
        None,
        deprecated=True,
        description="已停用（传入即 422）：先 POST …/projects/{id}/documents 上传文件，再填 document_id",
    )
    document_id: str | None = Field(
        None, max_length=36, description="已上传的材料文件（POST …/projects/{id}/documents 返回的 id）"
    )

    @field_validator("uri")
    @classmethod
    def _uri_retired(cls, value: str | None) -> None:
        """R-10.1 materials are stored documents (issue 16): a free-text link is no longer taken."""
        if value is not None:
            raise PydanticCustomError(
                "uri_retired",
                "uri（自由填写的文件地址）已停用：申报材料须为已存储的文件（第十条），"
                "请先 POST /api/v1/approval/projects/{id}/documents 上传，再以 document_id 登记",
            )
        return None


class MaterialRead(BaseModel):
    id: str
    kind: str
    title: str
    sha256: str | None
    uri: str | None
    document_id: str | None = None
    uploaded_by: str
    created_at: datetime


class FunctionIn(Strict):
    name: str = Field(min_length=1, max_length=300)
    audience: Audience | None = None  # whom the function serves


class DataItemIn(Strict):
    name: str = Field(min_length=1, max_length=300)
    source: str | None = Field(None, max_length=300)  # "shared…"/"exchange…"/"catalog:<id>" = via sharing


class ContentsIn(Strict):
    org: str = Field(min_length=1, max_length=80)
    items: list[str] = Field(min_length=1)


class ComplianceIn(Strict):
    """The Art. 10 (and Art. 12) declarations."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "uses_shared_infrastructure": True,
                    "serves_public": True,
                    "entrances": ["susufuban"],
                    "county_extension": False,
                    "county_extension_reason": "仅服务市级部门内部审批，无县区业务",
                }
            ]
        }
    )

    uses_shared_infrastructure: bool
    own_infrastructure_justification: str | None = None
    existing_platform_id: str | None = None
    builds_platform: bool = False
    entrances: list[Entrance] = []
    serves_public: bool
    functions: list[FunctionIn] = []
    data_items: list[DataItemIn] = []
    county_extension: bool = Field(description="平台是否市县共用、向县（市、区）延伸（R-10.6，第十条）")
    county_extension_reason: str | None = Field(
        None,
        description="不向县区延伸的理由。county_extension 为 false 时必填（R-10.6，第十条）："
        "缺少时该项校验不通过，提交审批被拒（409）；为 true 时不填",
    )
    construction_contents: list[ContentsIn] = []


class CheckRead(BaseModel):
    rule: str
    article: str
    result: str
    message: str
    basis: str
    round: int
    details: dict = {}


class ExpertReviewIn(Strict):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"expert": "王工", "score": 85, "opinion": "建设内容合理，建议通过"}]}
    )
    expert: str = Field(min_length=1, max_length=200)
    score: int = Field(ge=0, le=100)
    opinion: str = Field(min_length=1)


class DecisionIn(Strict):
    model_config = ConfigDict(json_schema_extra={"examples": [{"decision": "approve", "opinion": "同意建设"}]})
    decision: Literal["approve", "reject"]
    opinion: str = Field(min_length=1)


class ReasonsIn(Strict):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"reasons": ["可行性研究报告缺少投资估算明细（第十条）"]}]}
    )
    reasons: list[str] = Field(min_length=1, description="理由，逐条列出")


class DocumentIn(Strict):
    model_config = ConfigDict(json_schema_extra={"examples": [{"document_no": "盐数审〔2027〕12号"}]})
    document_no: str = Field(min_length=1, max_length=80)


class ApprovalDocumentIn(DocumentIn):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"document_no": "盐审批〔2027〕34号", "construction_months": 12, "approved_investment": "1750000.00"}
            ]
        }
    )
    approved_investment: Money | None = None
    # 建设周期 in months (R-21.5: the acceptance due date follows from it); at most ten years.
    construction_months: int = Field(gt=0, le=120)


class ReviewRead(BaseModel):
    id: str
    kind: str
    round: int
    actor: str
    actor_org: str | None
    expert: str | None
    score: int | None
    decision: str | None
    opinion: str | None
    document_no: str | None
    superseded: bool
    created_at: datetime


class EstimateReviewRead(BaseModel):
    report_no: str
    reviewed_amount: Money


class ApplicationRead(BaseModel):
    project_id: str
    declaration_no: str
    title: str
    category: str
    org: str
    participant_orgs: list[str]
    route: str
    library_year: int
    declared_on: date
    estimated_investment: Money
    status: str
    blocked: str | None
    version: int
    round: int
    estimate_review_required: bool
    leading_group_required: bool
    estimate_review: EstimateReviewRead | None
    leading_group_decision: str | None
    joint_decision: str | None
    technical_opinion_no: str | None
    approval_document_no: str | None
    approved_investment: Money | None
    original_approved_investment: Money | None
    approved_on: date | None
    construction_months: int | None = None
    project_code: str | None
    project_code_status: str
    rejection: dict | None
    returned_reasons: list[str] | None
    compliance: dict | None
    missing: list[dict]
    materials: list[MaterialRead] = []
    checks: list[CheckRead] = []
    reviews: list[ReviewRead] = []


class ApplicationSummary(BaseModel):
    project_id: str
    declaration_no: str
    title: str
    org: str
    status: str
    blocked: str | None
    estimated_investment: Money
    approved_investment: Money | None
    project_code: str | None
    version: int


class ApplicationList(BaseModel):
    items: list[ApplicationSummary]
    next_cursor: str | None = Field(description="下一页的 cursor；没有更多时为 null")


class MaterialList(BaseModel):
    items: list[MaterialRead]
    next_cursor: str | None = Field(None, description="总为 null（材料不分页）")


class CheckList(BaseModel):
    round: int = Field(description="第几轮自动校验（每次提交加一）")
    next_cursor: str | None = Field(None, description="总为 null（不分页）")
    items: list[CheckRead]


class OverlapDraft(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"title": "市政务数据共享交换平台升级", "functions": ["数据交换"], "data_items": ["法人基本信息"]}
            ]
        },
        extra="forbid",
    )
    title: str = Field(min_length=1, max_length=500)
    functions: list[str] = Field(default_factory=list, max_length=200)
    data_items: list[str] = Field(default_factory=list, max_length=500)
    project_id: str | None = Field(None, max_length=64, description="the project itself, left out of the comparison")
