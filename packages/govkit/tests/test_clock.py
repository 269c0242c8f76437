from datetime import UTC, date, datetime, timedelta

import pytest

from govkit import clock


@pytest.mark.parametrize(
    "d,months,expected",
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2024, 11, 15), 2, date(2025, 1, 15)),
        (date(2024, 1, 15), -1, date(2023, 12, 15)),
        (date(2024, 6, 30), 12, date(2025, 6, 30)),
        (date(2024, 6, 30), 24, date(2026, 6, 30)),
        (date(2024, 5, 5), 0, date(2024, 5, 5)),
    ],
)
def test_add_months(d, months, expected):
    assert clock.add_months(d, months) == expected


def test_add_years_handles_leap_day():
    assert clock.add_years(date(2024, 2, 29), 2) == date(2026, 2, 28)
    assert clock.add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)


@pytest.mark.parametrize(
    "d,expected",
    [
        (date(2024, 1, 1), (2024, 1)),
        (date(2024, 3, 31), (2024, 1)),
        (date(2024, 4, 1), (2024, 2)),
        (date(2024, 9, 30), (2024, 3)),
        (date(2024, 10, 1), (2024, 4)),
        (date(2024, 12, 31), (2024, 4)),
    ],
)
def test_quarter_of(d, expected):
    assert clock.quarter_of(d) == expected


@pytest.mark.parametrize(
    "q,expected", [(1, date(2024, 3, 31)), (2, date(2024, 6, 30)), (3, date(2024, 9, 30)), (4, date(2024, 12, 31))]
)
def test_quarter_end(q, expected):
    assert clock.quarter_end(2024, q) == expected


def test_today_is_shanghai():
    # 2024-01-01 17:30 UTC is already 2024-01-02 in Asia/Shanghai (UTC+8)
    moment = datetime(2024, 1, 1, 17, 30, tzinfo=UTC)
    assert clock.local_date(moment) == date(2024, 1, 2)
    assert clock.local_date(moment - timedelta(hours=2)) == date(2024, 1, 1)
    now_sh = datetime.now(clock.SHANGHAI).date()
    assert clock.today() in (now_sh, now_sh + timedelta(days=1))
    assert clock.now().tzinfo is not None
