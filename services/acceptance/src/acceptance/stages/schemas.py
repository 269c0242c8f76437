from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProfileIn(_In):
    model_config = ConfigDict(json_schema_extra={"examples": [{"planned_on": "2028-01-15", "uses_cryptography": True}]})
    uses_cryptography: bool | None = Field(default=None, description="项目是否使用密码技术（第七条，决定是否需要密评）")
    planned_on: date | None = Field(default=None, description="计划竣工验收日期（第二十一条）")


class PreliminaryIn(_In):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"opinion": "系统功能符合合同约定，同意初验", "accepted_on": "2027-09-20"}]}
    )
    opinion: str = Field(min_length=1)
    accepted_on: date | None = None
    document_id: str | None = Field(
        default=None, description="已上传的初验记录（POST …/projects/{id}/documents 返回的 id）"
    )


class TrialOperationIn(_In):
    model_config = ConfigDict(json_schema_extra={"examples": [{"starts_on": "2027-10-01", "ends_on": "2027-12-31"}]})
    starts_on: date
    ends_on: date

    @model_validator(mode="after")
    def _order(self):
        if self.ends_on < self.starts_on:
            raise ValueError("ends_on 不能早于 starts_on")
        return self


class FinalApplicationIn(_In):
    model_config = ConfigDict(json_schema_extra={"examples": [{"planned_on": "2028-01-15", "uses_cryptography": True}]})
    planned_on: date = Field(description="计划终验日期")
    applied_on: date | None = Field(default=None, description="申请日期，缺省为今天")
    uses_cryptography: bool | None = None


class FinalIn(_In):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "opinion": "同意通过终验",
                    "accepted_on": "2028-01-15",
                    "experts": ["王工", "赵工"],
                    "warranty_years": 3,
                    "uses_cryptography": True,
                }
            ]
        }
    )
    opinion: str = Field(min_length=1)
    accepted_on: date | None = None
    document_id: str | None = Field(
        default=None, description="已上传的验收意见（POST …/projects/{id}/documents 返回的 id）"
    )
    participants: list[str] | None = Field(
        default=None, description="参与验收的单位（角色代码，如 unit、bdb、ndrc）；缺省为本路径要求的参与方"
    )
    experts: list[str] = Field(default_factory=list, description="验收专家（代建项目必填，第二十一条）")
    warranty_years: int | None = Field(
        default=None, ge=0, le=50, description="质保年限，缺省为政策最低年限（第十六条）"
    )
    uses_cryptography: bool | None = None
