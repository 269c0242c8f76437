"""R-26.1: payment needs a compliant government procurement contract."""

from __future__ import annotations

from datetime import date

from govkit.rules import Decision

# 《政府采购法》 procurement methods (and framework agreements, 财政部令第110号).
PROCUREMENT_METHODS = {
    "open_tender": "公开招标",
    "invited_tender": "邀请招标",
    "competitive_negotiation": "竞争性谈判",
    "competitive_consultation": "竞争性磋商",
    "single_source": "单一来源采购",
    "inquiry": "询价",
    "framework_agreement": "框架协议采购",
}


def contract_compliance(method: str, signed_on: date, approved_on: date | None) -> Decision:
    """A contract counts for payment when it was procured by a government procurement method and
    signed on or after the project's approval (先批后建)."""
    if method not in PROCUREMENT_METHODS:
        return Decision("R-26.1", "fail", f"采购方式 {method} 不是政府采购方式（第二十六条）")
    if approved_on is None:
        return Decision("R-26.1", "fail", "项目尚未批复，合同暂不能作为支付依据（第二十六条）")
    if signed_on < approved_on:
        return Decision(
            "R-26.1",
            "fail",
            f"合同签订日期 {signed_on.isoformat()} 早于项目批复日期 {approved_on.isoformat()}，"
            "不属合规的政府采购合同（第二十六条）",
        )
    return Decision("R-26.1", "pass", f"合同经{PROCUREMENT_METHODS[method]}签订，合规（第二十六条）")
