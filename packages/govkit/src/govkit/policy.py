"""The versioned policy (RULES.md, last section): parameters as data with effective_from and
jurisdiction. Code reads thresholds and periods only through `policy_for`."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .errors import Problem

CITY = "city"  # 市本级; counties use their administrative code


@dataclass(frozen=True)
class Policy:
    code: str
    jurisdiction: str
    effective_from: date
    leading_group_threshold: Decimal
    estimate_review_threshold: Decimal  # R-26.1 (inclusive)
    self_adjustment_limit: Decimal  # share of the approved total
    warranty_min_years: int
    self_evaluation_from_months: int
    self_evaluation_to_months: int
    progress_report_period_months: int
    progress_report_due_days: int  # days after quarter end
    supplement_period_months: int
    annual_window_quarter: int  # quarter of the year before the library year
    splitting_thresholds: tuple[Decimal, ...]
    self_evaluation_reminder_days: int = 30


YANCHENG_2023_25 = Policy(
    code="盐政办发〔2023〕25号",
    jurisdiction=CITY,
    effective_from=date(2023, 7, 1),
    leading_group_threshold=Decimal("2000000.00"),
    estimate_review_threshold=Decimal("500000.00"),
    self_adjustment_limit=Decimal("0.15"),
    warranty_min_years=2,
    self_evaluation_from_months=12,
    self_evaluation_to_months=24,
    progress_report_period_months=3,
    progress_report_due_days=15,
    supplement_period_months=6,
    annual_window_quarter=4,
    splitting_thresholds=(Decimal("2000000.00"), Decimal("500000.00")),
)

# Never edited in place: a new version is a new entry with a later effective_from.
POLICIES: tuple[Policy, ...] = (YANCHENG_2023_25,)


def policy_for(on: date, jurisdiction: str = CITY, policies: tuple[Policy, ...] = POLICIES) -> Policy:
    """The policy in force on `on` in `jurisdiction` (a county without its own falls back to the city)."""
    for juris in (jurisdiction, CITY) if jurisdiction != CITY else (CITY,):
        candidates = [p for p in policies if p.jurisdiction == juris and p.effective_from <= on]
        if candidates:
            return max(candidates, key=lambda p: p.effective_from)
    raise Problem(422, f"{on.isoformat()} 无有效的管理办法版本（本办法自2023年7月1日起施行）", rule="R-33.1")
