from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from govkit.money import Money

from .rules import CATEGORIES

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
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "title": "市政务数据共享交换平台升级",
                    "category": "data_resources",
                    "estimated_investment": "1800000.00",
                    "description": "升级共享交换平台，接入区县节点",
                    "items": [{"name": "数据交换节点软件", "quantity": 1}],
                }
            ]
        }
    )
    title: str = Field(min_length=1, max_length=200, description="项目名称")
    category: str = Field(
        min_length=1,
        max_length=40,
        description="项目类别（第二条）："
        + "、".join(f"{k}（{v}）" for k, v in CATEGORIES.items())
        + "。不属于本办法范围的（如 office_equipment 办公设备）→ 422，rule R-2.2",
        json_schema_extra={"enum": list(CATEGORIES)},
    )
    org: str | None = Field(
        None, min_length=1, max_length=80, description="申报单位代码；缺省为当前用户的单位（只可为本单位）"
    )
    library_year: int | None = Field(
        None, ge=2023, le=2100, description="储备库年度；窗口内申报取窗口的年度，特别增补缺省为本年度"
    )
    estimated_investment: Money = Field(description="估算总投资（元，十进制字符串，须大于零）")
    description: str = Field("", max_length=20000, description="建设内容概述")
    items: list[Item] = Field(default_factory=list, max_length=500, description="建设内容明细（用于范围校验，第二条）")
    classified: bool = Field(False, description="是否涉密项目")
    built_by_big_data_group: bool = Field(False, description="是否由大数据集团建设")
    new_civil_works: bool = Field(False, description="是否含新建土建工程（不属本办法范围，第二条）")
    high_energy: bool = Field(False, description="是否高耗能项目")
    municipal_budget: bool = Field(True, description="是否使用市级财政资金（R-2.1，第二条）")
    cross_department: CrossDepartmentIn | None = Field(None, description="跨部门项目：牵头单位与参与单位（第十二条）")
    emergency: EmergencyIn | None = Field(None, description="应急项目（第九条）；与 special_addition 只能选其一")
    special_addition: SpecialAdditionIn | None = Field(
        None, description="特别增补申请（第九条，窗口外）；与 emergency 只能选其一"
    )
    draft: bool = Field(False, description="true：仅保存草稿，之后在开放的窗口内提交")
    plan_item: str | None = Field(
        None, min_length=1, max_length=40, description="所属总体规划条目代码（R-4.1，第四条）"
    )

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
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"reason": "项目属于办公设备采购，不属于本办法范围（第二条）"}]}
    )
    reason: str = Field(min_length=1, max_length=4000)


class WithdrawIn(_In):
    model_config = ConfigDict(json_schema_extra={"examples": [{"reason": "项目需求已由省级平台覆盖"}]})
    reason: str = Field("", max_length=4000, description="撤回理由")


class DecisionIn(_In):
    model_config = ConfigDict(json_schema_extra={"examples": [{"decision": "agree", "opinion": "同意特别增补入库"}]})
    decision: Literal["agree", "refuse"] = Field(description="agree 同意 / refuse 不同意（第九条）")
    opinion: str = Field(min_length=1, max_length=4000, description="会商意见")
    bureau: Literal["bdb", "finance", "approval_bureau"] | None = Field(
        None,
        description="以哪个部门的身份作出意见：身兼多个会商部门角色时必填（否则 422）；"
        "须为本人所持角色之一，否则 403（R-9.2）",
    )


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
