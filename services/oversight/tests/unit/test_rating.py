"""Status at a glance: green / amber / red with reasons."""

import uuid
from datetime import date
from decimal import Decimal

from oversight.projects.projection import new_view
from oversight.projects.rating import rate


def view(**kw):
    v = new_view(uuid.uuid4())
    v.approved_on = date(2027, 1, 10)
    v.approved_investment = Decimal("1000000.00")
    v.reported_quarters = ["2027-Q1", "2027-Q2"]
    v.development_progress_pct = 50
    v.paid_total = Decimal("500000.00")
    for k, x in kw.items():
        setattr(v, k, x)
    return v


def test_green_when_nothing_wrong():
    rating, reasons, _ = rate(view(), date(2027, 8, 1))
    assert rating == "green" and reasons == []


def test_suspension_is_red():
    rating, reasons, _ = rate(view(suspended=True), date(2027, 8, 1))
    assert rating == "red" and reasons[0]["rule"] == "R-30.2"


def test_open_rectification_amber_then_red_after_deadline():
    v = view(open_rectifications={"r1": "2027-08-01"})
    assert rate(v, date(2027, 8, 1))[0] == "amber"
    assert rate(v, date(2027, 8, 2))[0] == "red"


def test_overdue_reports_amber_one_red_two():
    assert rate(view(), date(2027, 10, 15))[0] == "green"
    assert rate(view(), date(2027, 10, 16))[0] == "amber"
    assert rate(view(), date(2028, 1, 16))[0] == "red"


def test_cost_variance_bands():
    assert rate(view(paid_total=Decimal("590000.00")), date(2027, 8, 1))[0] == "green"
    assert rate(view(paid_total=Decimal("600000.00")), date(2027, 8, 1))[0] == "amber"
    assert rate(view(paid_total=Decimal("800000.00")), date(2027, 8, 1))[0] == "red"
    rating, reasons, _ = rate(view(paid_total=Decimal("1000000.01"), development_progress_pct=100), date(2027, 8, 1))
    assert rating == "red" and reasons[0]["metric"] == "cost"


def test_schedule_variance_needs_a_plan():
    v = view(planned_completion_on=date(2028, 1, 10), development_progress_pct=20)
    rating, reasons, metrics = rate(v, date(2027, 7, 11))  # half the time gone, 20 % done
    assert rating == "red" and any(r["metric"] == "schedule" for r in reasons)
    assert rate(view(development_progress_pct=20, paid_total=Decimal(0)), date(2027, 7, 11))[0] == "green"


def test_rate_reads_only_the_fields_it_declares():
    """Exports and statistics read only `FIELDS` (and their own columns) of each row: a field that
    `rate` reads but does not declare fails here, not in an export at 100,000 rows."""
    from oversight.projects.rating import FIELDS

    class Only:
        def __init__(self, v):
            self._v = v

        def __getattr__(self, name):
            if name not in FIELDS:
                raise AssertionError(f"rate read {name}, which rating.FIELDS does not list")
            return getattr(self._v, name)

    cases = [
        view(),
        view(terminated=True),
        view(suspended=True, open_rectifications={"r1": "2027-08-01"}, findings=2, funds_mismatch=True),
        view(final_accepted_on=date(2027, 6, 1), planned_completion_on=date(2027, 12, 31), jurisdiction="county"),
        view(approved_on=None, approved_investment=None, funds_used_total=Decimal("9.00")),
    ]
    for v in cases:
        assert rate(Only(v), date(2027, 11, 20)) == rate(v, date(2027, 11, 20))
