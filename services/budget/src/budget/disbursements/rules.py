"""The payment gate (R-26.1, R-30.2, R-27.1) and the reconciliation of reported funds (R-18.1)."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from govkit.money import fmt
from govkit.rules import Decision, violation


@dataclass(frozen=True)
class GateFacts:
    """What budget knows of a project when a payment is asked for."""

    known: bool
    technical_opinion_no: str | None = None
    approval_document_no: str | None = None
    estimate_review_required: bool | None = None  # None: not known (project never heard of)
    estimate_review_report_no: str | None = None
    compliant_contracts: int = 0
    suspended: bool = False
    terminated: bool = False
    settled: bool = False


def missing_documents(f: GateFacts) -> list[dict]:
    """R-26.1: every document that is not present, each as a violation (all of them, not the first)."""
    out: list[dict] = []
    if not f.technical_opinion_no:
        out.append(violation("R-26.1", "缺少市大数据管理局的技术审核意见（第二十六条）",
                             document="technical_opinion"))
    if not f.approval_document_no:
        out.append(violation("R-26.1", "缺少市行政审批局的项目审批文件（第二十六条）",
                             document="approval_document"))
    if f.estimate_review_required is None and not f.estimate_review_report_no:
        out.append(violation("R-26.1", "缺少市财政局的概算评审报告：项目投资额未知，无法确认免于评审"
                                       "（第二十五条、第二十六条）", document="estimate_review_report"))
    elif f.estimate_review_required and not f.estimate_review_report_no:
        out.append(violation("R-26.1", "缺少市财政局的概算评审报告（第二十五条、第二十六条）",
                             document="estimate_review_report"))
    if f.compliant_contracts < 1:
        out.append(violation("R-26.1", "缺少合规的政府采购合同（第二十六条）", document="procurement_contract"))
    return out


def payment_state(f: GateFacts) -> list[dict]:
    """R-30.2: no payment while suspended or terminated; R-27.1: none after the project is settled."""
    out: list[dict] = []
    if f.terminated:
        out.append(violation("R-30.2", "项目已被终止，不得拨付资金（第三十条）", state="terminated"))
    elif f.suspended:
        out.append(violation("R-30.2", "项目已被暂停建设，暂停期间不得拨付资金（第三十条）", state="suspended"))
    if f.settled and not f.terminated:
        out.append(violation("R-27.1", "项目已结算并收回结余资金，不得继续拨付（第二十七条）", state="settled"))
    return out


def within_approved(approved: Decimal, paid: Decimal, returned: Decimal, amount: Decimal) -> Decision:
    """R-26.1 (with R-25.1: the reviewed amount is the approved investment): payments never exceed
    the approved investment (after adjustments, less any surplus already returned)."""
    available = approved - returned - paid
    if amount > available:
        return Decision("R-26.1", "fail",
                        f"本次拨付 {fmt(amount)} 元将超出批复投资：批复 {fmt(approved)} 元，已拨付 {fmt(paid)} 元，"
                        f"已收回结余 {fmt(returned)} 元，可拨付余额 {fmt(available)} 元（第二十六条）",
                        {"approved_investment": fmt(approved), "paid_total": fmt(paid),
                         "returned_total": fmt(returned), "available": fmt(available),
                         "excess": fmt(amount - available)})
    return Decision("R-26.1", "pass", f"本次拨付 {fmt(amount)} 元在批复投资范围内（第二十六条）",
                    {"available": fmt(available)})


def reconcile_funds(reported_year: Decimal, reported_total: Decimal,
                    ledger_year: Decimal, ledger_total: Decimal) -> Decision:
    """R-18.1: the quarterly report's funds used (this year / cumulative) against the ledger."""
    diff_total = reported_total - ledger_total
    diff_year = reported_year - ledger_year
    details = {"reported_funds_used_year": fmt(reported_year), "ledger_year": fmt(ledger_year),
               "difference_year": fmt(diff_year), "reported_funds_used_total": fmt(reported_total),
               "ledger_total": fmt(ledger_total), "difference": fmt(diff_total)}
    if diff_total or diff_year:
        return Decision("R-18.1", "flag",
                        f"季度报告资金使用与拨付台账不符：本年度报告 {fmt(reported_year)} 元 / 台账 {fmt(ledger_year)} 元，"
                        f"累计报告 {fmt(reported_total)} 元 / 台账 {fmt(ledger_total)} 元（第十八条）", details)
    return Decision("R-18.1", "pass", "季度报告资金使用与拨付台账一致（第十八条）", details)
