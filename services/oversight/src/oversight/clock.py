"""Oversight's "today". Normally govkit's (Asia/Shanghai). For end-to-end tests of quarterly
clocks a whole-day offset may be set with GOVPM_OVERSIGHT_CLOCK_OFFSET_DAYS — refused in production."""

from __future__ import annotations

import os
from datetime import date, timedelta

from govkit import clock as _clock


def offset_days() -> int:
    raw = os.environ.get("GOVPM_OVERSIGHT_CLOCK_OFFSET_DAYS", "").strip()
    if not raw:
        return 0
    if os.environ.get("GOVPM_ENV", "dev") not in ("dev", "test"):
        raise RuntimeError("GOVPM_OVERSIGHT_CLOCK_OFFSET_DAYS is only for development and tests")
    return int(raw)


def today() -> date:
    return _clock.today() + timedelta(days=offset_days())
