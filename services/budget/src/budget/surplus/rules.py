"""R-27.1: with targets and contents unchanged, the unspent balance is returned."""

from __future__ import annotations

from decimal import Decimal

from govkit.money import fmt
from govkit.rules import Decision


def surplus_on_close(approved: Decimal, paid: Decimal, returned: Decimal) -> Decision:
    """The unspent balance when the project is finally accepted or terminated."""
    surplus = max(approved - paid - returned, Decimal("0.00"))
    return Decision(
        "R-27.1",
        "pass",
        f"批复投资 {fmt(approved)} 元，已拨付 {fmt(paid)} 元，已收回 {fmt(returned)} 元，"
        f"结余 {fmt(surplus)} 元予以收回（第二十七条）",
        {"surplus": fmt(surplus)},
    )


def manual_return(
    approved: Decimal, paid: Decimal, returned: Decimal, amount: Decimal, owed: Decimal = Decimal("0.00")
) -> Decision:
    """A return asked for during construction may not exceed the surplus: the unspent balance less
    what the signed contracts still owe (R-27.1: the surplus is what no contract commits)."""
    balance = approved - paid - returned
    free = balance - max(owed, Decimal("0.00"))
    details = {"balance": fmt(balance), "contracts_owed": fmt(owed), "returnable": fmt(max(free, Decimal("0.00")))}
    if amount <= 0:
        return Decision("R-27.1", "fail", "收回结余金额须大于零（第二十七条）", details)
    if amount > free:
        return Decision(
            "R-27.1",
            "fail",
            f"收回金额 {fmt(amount)} 元超过可收回的结余 {fmt(max(free, Decimal('0.00')))} 元（未拨付余额 "
            f"{fmt(balance)} 元，其中合同尚未支付 {fmt(owed)} 元须保留）（第二十七条）",
            details,
        )
    return Decision("R-27.1", "pass", f"收回结余 {fmt(amount)} 元（第二十七条）", details)


def contracts_owed(contracts: list[tuple[Decimal, Decimal]]) -> Decimal:
    """What the signed (compliant) contracts still owe: each contract's amount less what was paid on
    it, never below zero. `contracts`: (amount, paid on it)."""
    return sum((max(a - p, Decimal("0.00")) for a, p in contracts), Decimal("0.00"))


def surplus_at_final_acceptance(approved: Decimal, paid: Decimal, returned: Decimal, owed: Decimal) -> Decision:
    """R-27.1: at final acceptance the surplus is what no contract commits — the approved investment
    less what was paid, returned, and what the signed contracts still owe (e.g. warranty retention).
    The contracts' own unpaid sums stay payable."""
    balance = approved - paid - returned
    kept = min(owed, max(balance, Decimal("0.00")))
    surplus = max(balance - kept, Decimal("0.00"))
    return Decision(
        "R-27.1",
        "pass",
        f"批复投资 {fmt(approved)} 元，已拨付 {fmt(paid)} 元，已收回 {fmt(returned)} 元，合同尚未支付 "
        f"{fmt(kept)} 元继续保留支付，结余 {fmt(surplus)} 元予以收回（第二十七条）",
        {"surplus": fmt(surplus), "contracts_owed": fmt(kept), "balance": fmt(balance)},
    )


def settlement_due(final_accepted: bool, owed: Decimal, as_of, warranty_ends_on) -> Decision:
    """R-27.1: after final acceptance the books close when the last contract is paid, or once the
    warranty has ended (the day after its last day: retention falls due on that day; our reading,
    basis practice); what remains then is returned."""
    if not final_accepted:
        return Decision("R-27.1", "fail", "项目尚未竣工验收，不能结算（第二十七条）", {"due": False})
    if owed <= 0:
        return Decision(
            "R-27.1",
            "pass",
            "合同款项已全部支付，结余予以收回（第二十七条）",
            {"due": True, "trigger": "contracts_paid"},
        )
    if warranty_ends_on is not None and as_of > warranty_ends_on:
        return Decision(
            "R-27.1",
            "pass",
            f"质保期已于 {warranty_ends_on.isoformat()} 届满，合同未付余额 {fmt(owed)} 元予以收回（第二十七条）",
            {"due": True, "trigger": "warranty_ended", "basis": "practice"},
        )
    until = f"，质保期至 {warranty_ends_on.isoformat()}" if warranty_ends_on else ""
    return Decision("R-27.1", "fail", f"合同尚有 {fmt(owed)} 元未支付{until}，暂不结算（第二十七条）", {"due": False})
