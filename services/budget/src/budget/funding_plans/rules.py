"""R-4.2: each year's funding plan — per project, the amount to be paid that year — compiled by bdb
with finance from approved projects; a year's payments to a project stay within its plan line
unless the plan is amended (each amendment a new version, never edited in place)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from govkit.money import fmt
from govkit.rules import Decision, violation

RULE = "R-4.2"


@dataclass(frozen=True)
class LineFacts:
    """What budget knows of a project when bdb puts it in a year's plan."""

    project_id: str
    known: bool
    approved: bool = False
    terminated: bool = False
    settled: bool = False
    approved_investment: Decimal = Decimal("0.00")
    returned: Decimal = Decimal("0.00")
    paid_in_year: Decimal = Decimal("0.00")
    paid_other_years: Decimal = Decimal("0.00")


def line_violations(f: LineFacts, year: int, amount: Decimal, previous: Decimal | None) -> list[dict]:
    """Every reason a plan line of `amount` cannot stand (all of them). A line that does not change
    (`amount == previous`) is never refused: an amendment of other lines keeps it as it is."""
    if previous is not None and amount == previous:
        return []
    out: list[dict] = []
    pid = f.project_id
    if not f.known or not f.approved:
        out.append(
            violation(
                RULE, f"项目 {pid} 尚未批复，资金计划只能依据已批复项目编制（第四条）", project_id=pid, field="lines"
            )
        )
        return out
    if f.terminated:
        out.append(
            violation(RULE, f"项目 {pid} 已终止，不得列入资金计划（第四条、第三十条）", project_id=pid, field="lines")
        )
    elif f.settled and amount > f.paid_in_year:
        out.append(
            violation(RULE, f"项目 {pid} 已结算，不得再安排资金（第四条、第二十七条）", project_id=pid, field="lines")
        )
    if amount < f.paid_in_year:
        out.append(
            violation(
                RULE,
                f"项目 {pid} 的 {year} 年度计划 {fmt(amount)} 元低于本年度已拨付的 {fmt(f.paid_in_year)} 元（第四条）",
                project_id=pid,
                field="lines",
                paid_in_year=fmt(f.paid_in_year),
            )
        )
    ceiling = f.approved_investment - f.returned - f.paid_other_years
    if amount > ceiling:
        # Our reading: a year's line never asks for more than the approved investment leaves after
        # other years' payments and returned surplus.
        out.append(
            violation(
                RULE,
                f"项目 {pid} 的 {year} 年度计划 {fmt(amount)} 元超过批复投资尚可安排的 "
                f"{fmt(ceiling)} 元（批复投资 {fmt(f.approved_investment)} 元，其他年度已拨付 "
                f"{fmt(f.paid_other_years)} 元，已收回 {fmt(f.returned)} 元）（第四条）",
                project_id=pid,
                field="lines",
                ceiling=fmt(ceiling),
                basis="practice",
            )
        )
    return out


def payment_within_line(year: int, line: Decimal | None, paid_in_year: Decimal, amount: Decimal) -> Decision:
    """A payment in `year` keeps the year's payments to the project within its plan line."""
    if line is None:
        return Decision(
            RULE, "fail", f"项目未列入 {year} 年度资金计划，不得拨付（第四条）", {"year": year, "plan_line": None}
        )
    available = line - paid_in_year
    details = {
        "year": year,
        "plan_line": fmt(line),
        "paid_in_year": fmt(paid_in_year),
        "available_in_plan": fmt(available),
    }
    if amount > available:
        return Decision(
            RULE,
            "fail",
            f"本次拨付 {fmt(amount)} 元超出 {year} 年度资金计划：计划 {fmt(line)} 元，本年度已拨付 "
            f"{fmt(paid_in_year)} 元，尚余 {fmt(available)} 元；须先调整资金计划（第四条）",
            {**details, "excess": fmt(amount - available)},
        )
    return Decision(RULE, "pass", f"本次拨付在 {year} 年度资金计划内（第四条）", details)


def confirmation_within_line(
    year: int, line: Decimal | None, paid_in_year: Decimal, outstanding: Decimal, amount: Decimal
) -> Decision:
    """bdb confirms a request against the plan (R-5.1 with R-4.2): the year's payments plus the
    confirmed requests not yet paid plus this one stay within the line."""
    if line is None:
        return Decision(
            RULE,
            "fail",
            f"项目未列入 {year} 年度资金计划，资金申请不能确认（第四条、第五条）",
            {"year": year, "plan_line": None},
        )
    available = line - paid_in_year - outstanding
    details = {
        "year": year,
        "plan_line": fmt(line),
        "paid_in_year": fmt(paid_in_year),
        "confirmed_outstanding": fmt(outstanding),
        "available_in_plan": fmt(available),
    }
    if amount > available:
        return Decision(
            RULE,
            "fail",
            f"申请金额 {fmt(amount)} 元超出 {year} 年度资金计划尚可安排的 {fmt(available)} 元（计划 "
            f"{fmt(line)} 元，已拨付 {fmt(paid_in_year)} 元，已确认未拨付 {fmt(outstanding)} 元）"
            "（第四条、第五条）",
            {**details, "excess": fmt(amount - available)},
        )
    return Decision(RULE, "pass", f"申请金额在 {year} 年度资金计划内（第四条、第五条）", details)
