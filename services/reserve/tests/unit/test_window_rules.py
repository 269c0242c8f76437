"""R-8.1 annual window in Q4 of the year before; R-9.1 one supplement window per half-year; no overlaps."""

from dataclasses import dataclass
from datetime import date

from govkit.policy import policy_for
from reserve.windows import rules

P = policy_for(date(2026, 10, 1))


@dataclass
class W:
    id: str
    kind: str
    library_year: int
    opens_on: date
    closes_on: date


def fails(decisions):
    return [(d.rule, d.result) for d in decisions if not d.ok]


def test_r8_1_annual_window_inside_q4_of_the_year_before():
    assert not fails(rules.check_window("annual", 2027, date(2026, 10, 1), date(2026, 12, 31), P, []))


def test_r8_1_annual_window_boundaries():
    assert fails(rules.check_window("annual", 2027, date(2026, 9, 30), date(2026, 12, 31), P, [])) == [
        ("R-8.1", "fail")
    ]
    assert fails(rules.check_window("annual", 2027, date(2026, 10, 1), date(2027, 1, 1), P, [])) == [("R-8.1", "fail")]
    assert fails(rules.check_window("annual", 2026, date(2026, 10, 1), date(2026, 10, 31), P, [])) == [
        ("R-8.1", "fail")
    ]


def test_r8_1_overlapping_annual_windows_refused_adjacent_allowed():
    first = W("w1", "annual", 2027, date(2026, 10, 1), date(2026, 10, 31))
    assert fails(rules.check_window("annual", 2027, date(2026, 10, 31), date(2026, 11, 30), P, [first])) == [
        ("R-8.1", "fail")
    ]
    assert not fails(rules.check_window("annual", 2027, date(2026, 11, 1), date(2026, 11, 30), P, [first]))


def test_r8_2_no_annual_window_after_filing():
    assert ("R-8.2", "fail") in fails(
        rules.check_window("annual", 2027, date(2026, 11, 1), date(2026, 11, 30), P, [], library_filed=True)
    )


def test_r9_1_supplement_window_inside_one_half_of_the_library_year():
    assert not fails(rules.check_window("supplement", 2027, date(2027, 1, 1), date(2027, 6, 30), P, []))
    assert not fails(rules.check_window("supplement", 2027, date(2027, 7, 1), date(2027, 12, 31), P, []))
    assert fails(rules.check_window("supplement", 2027, date(2027, 6, 30), date(2027, 7, 1), P, [])) == [
        ("R-9.1", "fail")
    ]
    assert fails(rules.check_window("supplement", 2027, date(2026, 12, 31), date(2027, 1, 5), P, [])) == [
        ("R-9.1", "fail")
    ]


def test_r9_1_once_per_half_year_and_no_overlap():
    h1 = W("s1", "supplement", 2027, date(2027, 3, 1), date(2027, 3, 31))
    assert ("R-9.1", "fail") in fails(
        rules.check_window("supplement", 2027, date(2027, 5, 1), date(2027, 5, 31), P, [h1])
    )
    assert ("R-9.1", "fail") in fails(
        rules.check_window("supplement", 2027, date(2027, 3, 15), date(2027, 4, 15), P, [h1])
    )
    assert not fails(rules.check_window("supplement", 2027, date(2027, 9, 1), date(2027, 9, 30), P, [h1]))


def test_windows_of_different_kinds_do_not_clash():
    annual = W("a", "annual", 2027, date(2026, 10, 1), date(2026, 12, 31))
    assert not fails(rules.check_window("supplement", 2027, date(2027, 1, 1), date(2027, 1, 31), P, [annual]))
