"""A payment within the approved investment (R-27.1) and the reconciliation of reported funds (R-18.1);
the R-26.1 gate itself is `gate.rules`."""

from __future__ import annotations

from decimal import Decimal

from govkit.money import fmt
from govkit.rules import Decision


def within_approved(approved: Decimal, paid: Decimal, returned: Decimal, amount: Decimal) -> Decision:
    """R-26.1 (with R-25.1: the reviewed amount is the approved investment): payments never exceed
    the approved investment (after adjustments, less any surplus already returned)."""
    available = approved - returned - paid
    if amount > available:
        return Decision(
            "R-26.1",
            "fail",
            f"本次拨付 {fmt(amount)} 元将超出批复投资：批复 {fmt(approved)} 元，已拨付 {fmt(paid)} 元，"
            f"已收回结余 {fmt(returned)} 元，可拨付余额 {fmt(available)} 元（第二十六条）",
            {
                "approved_investment": fmt(approved),
                "paid_total": fmt(paid),
                "returned_total": fmt(returned),
                "available": fmt(available),
                "excess": fmt(amount - available),
            },
        )
    return Decision(
        "R-26.1", "pass", f"本次拨付 {fmt(amount)} 元在批复投资范围内（第二十六条）", {"available": fmt(available)}
    )


def reconcile_funds(
    reported_year: Decimal, reported_total: Decimal, ledger_year: Decimal, ledger_total: Decimal
) -> Decision:
    """R-18.1: the quarterly report's funds used (this year / cumulative) against the ledger."""
    diff_total = reported_total - ledger_total
    diff_year = reported_year - ledger_year
    details = {
        "reported_funds_used_year": fmt(reported_year),
        "ledger_year": fmt(ledger_year),
        "difference_year": fmt(diff_year),
        "reported_funds_used_total": fmt(reported_total),
        "ledger_total": fmt(ledger_total),
        "difference": fmt(diff_total),
    }
    if diff_total or diff_year:
        return Decision(
            "R-18.1",
            "flag",
            f"季度报告资金使用与拨付台账不符：本年度报告 {fmt(reported_year)} 元 / 台账 {fmt(ledger_year)} 元，"
            f"累计报告 {fmt(reported_total)} 元 / 台账 {fmt(ledger_total)} 元（第十八条）",
            details,
        )
    return Decision("R-18.1", "pass", "季度报告资金使用与拨付台账一致（第十八条）", details)
