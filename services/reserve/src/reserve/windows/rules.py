"""Window rules (pure): R-8.1 annual window in the policy quarter of the year before, R-9.1 one
supplement window per half-year of the library year, no overlapping windows of one kind."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Protocol

from govkit.clock import quarter_of
from govkit.policy import Policy
from govkit.rules import Decision

KIND_RULE = {"annual": "R-8.1", "supplement": "R-9.1"}


class WindowLike(Protocol):
    id: str
    kind: str
    library_year: int
    opens_on: date
    closes_on: date


def supplement_period(d: date, policy: Policy) -> int:
    """Index of the supplement period (half-year with the 2023-25 policy) that holds `d`."""
    return (d.month - 1) // policy.supplement_period_months


def check_annual_dates(library_year: int, opens_on: date, closes_on: date, policy: Policy) -> Decision:
    q = policy.annual_window_quarter
    ok = all(quarter_of(d) == (library_year - 1, q) for d in (opens_on, closes_on))
    if ok:
        return Decision("R-8.1", "pass", f"年度申报窗口在{library_year - 1}年第{q}季度内")
    return Decision(
        "R-8.1",
        "fail",
        f"{library_year}年度储备库的申报窗口须在{library_year - 1}年第{q}季度内开放（第八条）",
        {"library_year": library_year, "quarter": q},
    )


def check_supplement_dates(library_year: int, opens_on: date, closes_on: date, policy: Policy) -> Decision:
    months = policy.supplement_period_months
    ok = opens_on.year == closes_on.year == library_year and supplement_period(opens_on, policy) == supplement_period(
        closes_on, policy
    )
    if ok:
        return Decision("R-9.1", "pass", "增补窗口在储备库年度的同一增补周期内")
    return Decision(
        "R-9.1",
        "fail",
        f"增补窗口须在{library_year}年内、且落在同一个{months}个月的增补周期内（半年增补一次，第九条）",
        {"library_year": library_year, "period_months": months},
    )


def overlapping(kind: str, opens_on: date, closes_on: date, existing: Iterable[WindowLike]) -> list[WindowLike]:
    return [w for w in existing if w.kind == kind and w.opens_on <= closes_on and opens_on <= w.closes_on]


def check_window(
    kind: str,
    library_year: int,
    opens_on: date,
    closes_on: date,
    policy: Policy,
    existing: Iterable[WindowLike],
    library_filed: bool = False,
) -> list[Decision]:
    """Every decision about opening this window (`existing`: windows of the same library year)."""
    existing = list(existing)
    rule = KIND_RULE[kind]
    out: list[Decision] = []
    if kind == "annual":
        out.append(check_annual_dates(library_year, opens_on, closes_on, policy))
        if library_filed:
            out.append(
                Decision(
                    "R-8.2",
                    "fail",
                    f"{library_year}年度储备库已报领导小组备案，此后只能通过增补或专项增补调整（第八条）",
                )
            )
    else:
        out.append(check_supplement_dates(library_year, opens_on, closes_on, policy))
        same_period = [
            w
            for w in existing
            if w.kind == "supplement"
            and w.opens_on.year == opens_on.year
            and supplement_period(w.opens_on, policy) == supplement_period(opens_on, policy)
        ]
        if same_period and not overlapping(kind, opens_on, closes_on, same_period):
            out.append(
                Decision(
                    "R-9.1",
                    "fail",
                    f"本增补周期已开放过增补窗口（{same_period[0].opens_on}至{same_period[0].closes_on}），"
                    "储备库半年增补一次（第九条）",
                    {"window_id": same_period[0].id},
                )
            )
    clash = overlapping(kind, opens_on, closes_on, existing)
    if clash:
        w = clash[0]
        out.append(
            Decision(
                rule,
                "fail",
                f"与已开放的同类窗口（{w.opens_on}至{w.closes_on}）时间重叠"
                f"（{'第八条' if kind == 'annual' else '第九条'}）",
                {"window_id": w.id},
            )
        )
    return out
