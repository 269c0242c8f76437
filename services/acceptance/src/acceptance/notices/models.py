"""X-30.1: which clock notice was pushed (the scans' dedupe): one row per (project, clock, ref, role, phase)."""

from __future__ import annotations

from govkit.db import Base
from govkit.deadlines import ClockNoticeColumns


class ClockNotice(ClockNoticeColumns, Base):
    __tablename__ = "acceptance_clock_notices"
