"""Who provides each item a payment may lack (R-26.1, R-4.2, R-5.1): role code, its Chinese name and
the action — shared by the gate's rules and the contracts' (pure)."""

from __future__ import annotations

# Who provides each item a payment may lack: role code and its Chinese name.
PROVIDERS = {
    "technical_opinion": ("bdb", "市大数据管理局", "出具技术审核意见（在审批服务中）"),
    "approval_document": ("approval_bureau", "市行政审批局", "出具项目审批文件（在审批服务中）"),
    "estimate_review_report": (
        "finance",
        "市财政局",
        "出具概算评审报告（POST /api/v1/budget/projects/{id}/estimate-review）",
    ),
    "procurement_contract": (
        "unit",
        "项目建设单位",
        "登记批复后签订的合规政府采购合同（POST /api/v1/budget/projects/{id}/contracts）",
    ),
    "funding_plan_line": (
        "bdb",
        "市大数据管理局（会同市财政局）",
        "将项目列入或调整本年度资金计划（PUT /api/v1/budget/funding-plans/{year}）",
    ),
    "funding_request": ("unit", "项目建设单位", "提出资金申请（POST /api/v1/budget/projects/{id}/funding-requests）"),
    "funding_request_confirmation": (
        "bdb",
        "市大数据管理局",
        "确认资金申请（POST /api/v1/budget/funding-requests/{rid}/decision）",
    ),
}


def provided_by(item: str) -> dict:
    role, name, action = PROVIDERS[item]
    return {"item": item, "provided_by": {"role": role, "name": name, "action": action}}
