"""R-5.1: money is asked for by the unit — amount, purpose, the contract it pays, its invoices or
milestone evidence; bdb confirms it against the funding plan; finance pays a confirmed request
through the R-26.1 gate, and a payment names the request it settles."""

from __future__ import annotations

from decimal import Decimal

from govkit.money import fmt
from govkit.rules import Decision

RULE = "R-5.1"
STATUS_ZH = {"submitted": "待确认", "confirmed": "已确认", "returned": "已退回", "paid": "已拨付完毕"}


def request_within_contract(
    contract_no: str,
    contract_amount: Decimal,
    paid_on_contract: Decimal,
    outstanding_on_contract: Decimal,
    amount: Decimal,
) -> Decision:
    """Our reading (basis practice): a request never asks for more than its contract still owes —
    the contract amount less what was paid on it and less the requests on it not yet paid."""
    open_sum = contract_amount - paid_on_contract - outstanding_on_contract
    details = {
        "contract_no": contract_no,
        "contract_amount": fmt(contract_amount),
        "paid_on_contract": fmt(paid_on_contract),
        "requested_outstanding": fmt(outstanding_on_contract),
        "contract_open": fmt(open_sum),
    }
    if amount > open_sum:
        return Decision(
            RULE,
            "fail",
            f"申请金额 {fmt(amount)} 元超过合同 {contract_no} 尚未支付且未申请的 {fmt(open_sum)} 元（合同金额 "
            f"{fmt(contract_amount)} 元，已支付 {fmt(paid_on_contract)} 元，在途申请 "
            f"{fmt(outstanding_on_contract)} 元）（第五条）",
            {**details, "excess": fmt(amount - open_sum)},
        )
    return Decision(RULE, "pass", f"申请金额在合同 {contract_no} 未付金额内（第五条）", details)


def decision_allowed(status: str) -> Decision:
    """Only a submitted request is confirmed or returned, once."""
    if status != "submitted":
        return Decision(
            RULE, "fail", f"资金申请{STATUS_ZH.get(status, status)}，不能再次确认或退回（第五条）", {"status": status}
        )
    return Decision(RULE, "pass", "资金申请待市大数据管理局确认（第五条）")


def payment_against_request(request: dict | None, amount: Decimal) -> Decision:
    """A payment names a confirmed request of the project and stays within what is left of it.
    `request`: None when no (or no such) request was named; else {id, status, amount, consumed}."""
    if request is None:
        return Decision(RULE, "fail", "拨付须对应经市大数据管理局确认的资金申请（request_id）（第五条）", {})
    rid, status = request["id"], request["status"]
    if status != "confirmed":
        return Decision(
            RULE,
            "fail",
            f"资金申请 {rid} {STATUS_ZH.get(status, status)}，未经确认或已拨付完毕，不得拨付（第五条）",
            {"request_id": rid, "status": status},
        )
    remaining = request["amount"] - request["consumed"]
    details = {
        "request_id": rid,
        "request_amount": fmt(request["amount"]),
        "request_paid": fmt(request["consumed"]),
        "request_remaining": fmt(remaining),
    }
    if amount > remaining:
        return Decision(
            RULE,
            "fail",
            f"本次拨付 {fmt(amount)} 元超过资金申请 {rid} 尚未拨付的 {fmt(remaining)} 元（第五条）",
            {**details, "excess": fmt(amount - remaining)},
        )
    return Decision(RULE, "pass", "本次拨付在已确认的资金申请内（第五条）", details)


def payment_within_contract(
    contract_no: str, contract_amount: Decimal, paid_on_contract: Decimal, amount: Decimal
) -> Decision:
    """R-27.1: each contract is payable up to its own amount — its unpaid remainder, never more."""
    remaining = contract_amount - paid_on_contract
    details = {
        "contract_no": contract_no,
        "contract_amount": fmt(contract_amount),
        "paid_on_contract": fmt(paid_on_contract),
        "contract_remaining": fmt(remaining),
    }
    if amount > remaining:
        return Decision(
            "R-27.1",
            "fail",
            f"本次拨付 {fmt(amount)} 元超过合同 {contract_no} 未支付的 {fmt(remaining)} 元（合同金额 "
            f"{fmt(contract_amount)} 元）（第二十七条）",
            {**details, "excess": fmt(amount - remaining)},
        )
    return Decision("R-27.1", "pass", f"本次拨付在合同 {contract_no} 未支付金额内（第二十七条）", details)
