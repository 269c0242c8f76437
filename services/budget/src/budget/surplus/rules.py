"""R-27.1: with targets and contents unchanged, the unspent balance is returned."""
from __future__ import annotations

from decimal import Decimal

from govkit.money import fmt
from govkit.rules import Decision


def surplus_on_close(approved: Decimal, paid: Decimal, returned: Decimal) -> Decision:
    """The unspent balance when the project is finally accepted or terminated."""
    surplus = max(approved - paid - returned, Decimal("0.00"))
    return Decision("R-27.1", "pass",
                    f"批复投资 {fmt(approved)} 元，已拨付 {fmt(paid)} 元，已收回 {fmt(returned)} 元，"
                    f"结余 {fmt(surplus)} 元予以收回（第二十七条）", {"surplus": fmt(surplus)})


def manual_return(approved: Decimal, paid: Decimal, returned: Decimal, amount: Decimal) -> Decision:
    """A return asked for during construction may not exceed the unspent balance."""
    balance = approved - paid - returned
    if amount <= 0:
        return Decision("R-27.1", "fail", "收回结余金额须大于零（第二十七条）")
    if amount > balance:
        return Decision("R-27.1", "fail",
                        f"收回金额 {fmt(amount)} 元超过未拨付余额 {fmt(balance)} 元（第二十七条）",
                        {"balance": fmt(balance)})
    return Decision("R-27.1", "pass", f"收回结余 {fmt(amount)} 元（第二十七条）", {"balance": fmt(balance)})
