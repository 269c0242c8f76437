from datetime import timedelta

import pytest

from govkit import clock as govclock
from oversight import clock


def test_offset_only_outside_production(monkeypatch):
    monkeypatch.setenv("GOVPM_OVERSIGHT_CLOCK_OFFSET_DAYS", "30")
    monkeypatch.setenv("GOVPM_ENV", "test")
    assert clock.today() == govclock.today() + timedelta(days=30)
    monkeypatch.setenv("GOVPM_ENV", "prod")
    with pytest.raises(RuntimeError):
        clock.today()
    monkeypatch.delenv("GOVPM_OVERSIGHT_CLOCK_OFFSET_DAYS")
    assert clock.offset_days() == 0
