"""X-30.1: open and clear a pushed to-do (AcceptanceDeadline); `NOTICES.push_new` for the scans."""

from __future__ import annotations

from govkit.deadlines import DeadlineNotices
from govkit.events.acceptance import AcceptanceDeadline

from .models import ClockNotice

SYSTEM_ACTOR = "system:acceptance"
LABELS = {
    "acceptance_due": "竣工验收期限",
    "self_evaluation": "项目自评价",
    "warranty_end": "质保期届满",
    "post_evaluation": "第三方后评价",
    "extension_decision": "验收延期申请",
    "evaluation_opinion": "评价整改意见",
}

NOTICES = DeadlineNotices(notice=ClockNotice, event=AcceptanceDeadline, labels=LABELS, system_actor=SYSTEM_ACTOR)
open_todo = NOTICES.open_todo  # a to-do without a running clock yet (phase `due`), e.g. bdb's decision on an extension
clear = NOTICES.clear  # the obligation is met: the pushed to-do is completed (only when something was pushed)
