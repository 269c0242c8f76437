"""X-30.1: open and clear a pushed to-do (SupervisionDeadline); `NOTICES.push_new` for the scans."""

from __future__ import annotations

from govkit.deadlines import DeadlineNotices
from govkit.events.oversight import SupervisionDeadline

from ..publishing import SYSTEM_ACTOR, publish
from .models import ClockNotice

LABELS = {"progress_report": "季度进展报送", "rectification": "限期整改", "rectification_verification": "整改核查"}

NOTICES = DeadlineNotices(
    notice=ClockNotice, event=SupervisionDeadline, labels=LABELS, system_actor=SYSTEM_ACTOR, publish=publish
)
open_todo = NOTICES.open_todo
clear = NOTICES.clear  # the obligation is met: complete what was pushed (nothing when nothing was)
