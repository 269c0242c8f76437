"""The kinds of document a project carries, with their size limits and accepted content types.

`kind` is the stable English id (API, events, manifest); `label` is what a bureau calls it. A
service accepts every kind; the archives acceptance (R-22.2) requires some of them (see
`acceptance.archives`). Limits are our practice (`"basis": "practice"`): generous for reports and
designs, small for scans of invoices."""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024

PDF, OFD, DOCX, XLSX, PNG, JPEG, ZIP = (
    "application/pdf",
    "application/ofd",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "image/png",
    "image/jpeg",
    "application/zip",
)
DOCUMENT_TYPES = frozenset({PDF, OFD, DOCX, XLSX, PNG, JPEG, ZIP})
SCAN_TYPES = frozenset({PDF, OFD, PNG, JPEG})


@dataclass(frozen=True)
class Kind:
    label: str
    max_bytes: int = 50 * MB
    types: frozenset[str] = DOCUMENT_TYPES


KINDS: dict[str, Kind] = {
    # materials
    "proposal": Kind("项目建议书"),
    "feasibility_study": Kind("可行性研究报告", 100 * MB),
    "preliminary_design": Kind("初步设计方案（含投资概算）", 100 * MB),
    "material": Kind("其他申报材料"),
    # opinions and approvals
    "technical_opinion": Kind("技术审核意见"),
    "approval_document": Kind("项目批复文件"),
    "approval_draft": Kind("项目批复（代拟稿）"),
    "estimate_review": Kind("概算评审报告"),
    "consultation_opinion": Kind("会商意见"),
    # budget
    "contract": Kind("政府采购合同", 100 * MB),
    "invoice": Kind("发票", 10 * MB, SCAN_TYPES),
    "payment_evidence": Kind("支付凭证/里程碑证明", 20 * MB),
    "funding_plan": Kind("资金计划"),
    # oversight
    "quarterly_report": Kind("季度进度报告"),
    "report_attachment": Kind("报告附件"),
    "rectification_order": Kind("整改通知"),
    "rectification_evidence": Kind("整改材料"),
    "supervision_report": Kind("监理报告"),
    # acceptance (R-7.2, R-21.*, R-22.*, R-23.1)
    "security_test": Kind("网络安全检测报告"),
    "risk_assessment": Kind("风险评估报告"),
    "crypto_assessment": Kind("密码应用安全性评估报告"),
    "secrecy_review": Kind("保密审查意见"),
    "acceptance_record": Kind("验收记录"),
    "acceptance_opinion": Kind("验收意见"),
    "trial_operation_report": Kind("试运行报告"),
    "om_plan": Kind("运维方案"),
    "training_material": Kind("培训材料"),
    "archives_report": Kind("档案验收意见"),
    "post_evaluation": Kind("后评价报告"),
    "other": Kind("其他"),
}
MAX_UPLOAD_BYTES = max(k.max_bytes for k in KINDS.values())


def label(kind: str) -> str:
    k = KINDS.get(kind)
    return k.label if k else kind
