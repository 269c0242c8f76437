"""The R-26.1 payment gate (with R-30.2 and R-27.1): what a payment lacks, from the gate's facts (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from govkit.money import fmt
from govkit.rules import violation

from ..providers import provided_by


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
    # judged on the highest amount the project carries: which one and how much.
    review_amount: Decimal | None = None
    review_amount_basis: str | None = None  # declared | reviewed | approved
    review_threshold: Decimal | None = None
    # Contracts recorded but not compliant, each with why: (contract_no, reason).
    noncompliant_contracts: tuple[tuple[str, str], ...] = ()
    # as of `year` (None: not judged, e.g. the unit tests of alone).
    year: int | None = None
    plan_line: Decimal | None = None
    paid_in_year: Decimal = Decimal("0.00")
    confirmed_available: Decimal = Decimal("0.00")
    submitted_requests: int = 0


AMOUNT_ZH = {"declared": "申报估算投资", "reviewed": "概算评审金额", "approved": "批复投资"}


def missing_documents(f: GateFacts) -> list[dict]:
    """R-26.1: every document that is not present, each as a violation (all of them, not the first),
    naming the item and who provides it."""
    out: list[dict] = []
    if not f.technical_opinion_no:
        out.append(
            violation(
                "R-26.1",
                "缺少市大数据管理局的技术审核意见（第二十六条）",
                document="technical_opinion",
                **provided_by("technical_opinion"),
            )
        )
    if not f.approval_document_no:
        out.append(
            violation(
                "R-26.1",
                "缺少市行政审批局的项目审批文件（第二十六条）",
                document="approval_document",
                **provided_by("approval_document"),
            )
        )
    if f.estimate_review_required is None and not f.estimate_review_report_no:
        out.append(
            violation(
                "R-26.1",
                "缺少市财政局的概算评审报告：项目投资额未知，无法确认免于评审（第二十五条、第二十六条）",
                document="estimate_review_report",
                **provided_by("estimate_review_report"),
            )
        )
    elif f.estimate_review_required and not f.estimate_review_report_no:
        why = ""
        extra: dict = {}
        if f.review_amount is not None and f.review_threshold is not None:
            why = (
                f"：项目{AMOUNT_ZH.get(f.review_amount_basis or '', '投资额')} {fmt(f.review_amount)} 元"
                f"达到 {fmt(f.review_threshold)} 元（含）"
            )
            extra = {
                "amount": fmt(f.review_amount),
                "amount_basis": f.review_amount_basis,
                "threshold": fmt(f.review_threshold),
            }
        out.append(
            violation(
                "R-26.1",
                f"缺少市财政局的概算评审报告{why}（第二十五条、第二十六条）",
                document="estimate_review_report",
                **extra,
                **provided_by("estimate_review_report"),
            )
        )
    if f.compliant_contracts < 1:
        if f.noncompliant_contracts:
            reasons = "；".join(f"合同 {no}：{why}" for no, why in f.noncompliant_contracts)
            message = f"缺少合规的政府采购合同，已登记的合同均不合规——{reasons}（第二十六条）"
        else:
            message = "缺少合规的政府采购合同（第二十六条）"
        out.append(
            violation(
                "R-26.1",
                message,
                document="procurement_contract",
                noncompliant_contracts=[{"contract_no": no, "reason": why} for no, why in f.noncompliant_contracts],
                **provided_by("procurement_contract"),
            )
        )
    return out


def missing_funding(f: GateFacts) -> list[dict]:
    """R-4.2 and R-5.1 as of `f.year`: a plan line with room left, and a confirmed funding request
    with an unpaid amount — what a unit needs before finance can pay, and who provides it."""
    if f.year is None:
        return []
    out: list[dict] = []
    if f.plan_line is None:
        out.append(
            violation(
                "R-4.2",
                f"项目未列入 {f.year} 年度资金计划（第四条）",
                document="funding_plan_line",
                year=f.year,
                **provided_by("funding_plan_line"),
            )
        )
    elif f.plan_line - f.paid_in_year <= 0:
        out.append(
            violation(
                "R-4.2",
                f"{f.year} 年度资金计划 {fmt(f.plan_line)} 元已全部拨付，须调整资金计划（第四条）",
                document="funding_plan_line",
                year=f.year,
                plan_line=fmt(f.plan_line),
                paid_in_year=fmt(f.paid_in_year),
                **provided_by("funding_plan_line"),
            )
        )
    if f.confirmed_available <= 0:
        if f.submitted_requests:
            out.append(
                violation(
                    "R-5.1",
                    f"有 {f.submitted_requests} 项资金申请待市大数据管理局确认（第五条）",
                    document="funding_request",
                    **provided_by("funding_request_confirmation"),
                )
            )
        else:
            out.append(
                violation(
                    "R-5.1",
                    "没有经确认且尚未拨付的资金申请（第五条）",
                    document="funding_request",
                    **provided_by("funding_request"),
                )
            )
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
