"""X-30.1 (our reading of 第十八条, 第三十条): the clocks of oversight — quarterly progress reports and
rectification deadlines — pushed to the party that must act, before they run out and when past due.
Pure functions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from govkit.clock import deadline_phase


@dataclass(frozen=True)
class Clock:
    clock: str
    phase: str  # approaching | overdue
    role: str
    org: str | None
    due_on: date
    ref: str
    rule: str
    message: str


def report_reminders(
    unreported: list[tuple[tuple[int, int], date]], org: str | None, as_of: date, lead_days: int
) -> list[Clock]:
    """R-18.1: an owed quarter not yet reported, due within `lead_days` — a reminder to the unit
    (the overdue notice itself is ProgressReportOverdue, pushed to the unit and bdb)."""
    out = []
    for (year, quarter), due in unreported:
        if deadline_phase(due, as_of, lead_days) == "approaching":
            out.append(
                Clock(
                    "progress_report",
                    "approaching",
                    "unit",
                    org,
                    due,
                    f"{year}Q{quarter}",
                    "R-18.1",
                    f"{year}年第{quarter}季度项目进展应于{due.isoformat()}前报送市大数据管理局（第十八条）",
                )
            )
    return out


def rectification_clocks(
    *, rid: str, status: str, deadline: date, ordered_by: str, org: str | None, as_of: date, lead_days: int
) -> list[Clock]:
    """R-30.1: the unit must answer by the deadline; once it is past, the ordering department may
    open the sanctions ladder (R-30.2), so both are told."""
    if status not in ("open", "non_compliant"):
        return []
    phase = deadline_phase(deadline, as_of, lead_days)
    if phase is None:
        return []
    if phase == "approaching":
        return [
            Clock(
                "rectification",
                phase,
                "unit",
                org,
                deadline,
                rid,
                "R-30.1",
                f"整改期限为{deadline.isoformat()}，请按期整改并报送整改情况（第三十条）",
            )
        ]
    return [
        Clock(
            "rectification",
            phase,
            "unit",
            org,
            deadline,
            rid,
            "R-30.1",
            f"已超过整改期限{deadline.isoformat()}，逾期不整改的可予通报批评等处理（第三十条）",
        ),
        Clock(
            "rectification",
            phase,
            ordered_by,
            None,
            deadline,
            rid,
            "R-30.2",
            f"整改已逾期（期限{deadline.isoformat()}），可按第三十条逐级处理",
        ),
    ]
