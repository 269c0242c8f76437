from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from govkit.policy import CITY, POLICIES, YANCHENG_2023_25, NoPolicyInForce, policy_for


def test_in_force_from_2023_07_01():
    assert policy_for(date(2023, 7, 1)) is YANCHENG_2023_25
    assert policy_for(date(2030, 1, 1)) is YANCHENG_2023_25
    assert YANCHENG_2023_25 in POLICIES


def test_before_2023_07_01_no_policy_is_in_force_r_33_1():
    with pytest.raises(NoPolicyInForce) as exc:
        policy_for(date(2023, 6, 30))
    assert exc.value.rule == "R-33.1" and exc.value.on == date(2023, 6, 30)


async def test_no_policy_in_force_is_a_422_problem_citing_r_33_1():
    """The domain error becomes problem+json at the HTTP edge (govkit.errors), naming rule and article."""
    import httpx
    from fastapi import FastAPI

    from govkit.errors import install_error_handlers

    app = FastAPI()
    install_error_handlers(app)

    @app.get("/judge")
    async def judge():
        return {"code": policy_for(date(2023, 6, 30)).code}

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        r = await client.get("/judge")
    body = r.json()
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
    assert body["rule"] == "R-33.1" and body["article"] == "第三十三条" and "2023-06-30" in body["detail"]


def test_the_2023_25_values():
    p = policy_for(date(2024, 1, 1))
    assert p.leading_group_threshold == Decimal("2000000")
    assert p.estimate_review_threshold == Decimal("500000")
    assert p.self_adjustment_limit == Decimal("0.15")
    assert (p.warranty_min_years, p.self_evaluation_from_months, p.self_evaluation_to_months) == (2, 12, 24)
    assert (p.progress_report_period_months, p.progress_report_due_days, p.supplement_period_months) == (3, 15, 6)


CITY_V2 = replace(
    YANCHENG_2023_25, code="city-v2", effective_from=date(2026, 1, 1), leading_group_threshold=Decimal("3000000.00")
)
COUNTY = replace(
    YANCHENG_2023_25,
    code="county-320981",
    jurisdiction="320981",
    effective_from=date(2024, 1, 1),
    leading_group_threshold=Decimal("1000000.00"),
)
TEST_POLICIES = (YANCHENG_2023_25, CITY_V2, COUNTY)


def test_newer_version_wins_for_later_dates_only():
    assert policy_for(date(2026, 1, 1), CITY, TEST_POLICIES) is CITY_V2
    assert policy_for(date(2027, 5, 5), CITY, TEST_POLICIES) is CITY_V2
    assert policy_for(date(2025, 12, 31), CITY, TEST_POLICIES) is YANCHENG_2023_25
    # order of the tuple does not matter
    assert policy_for(date(2026, 6, 1), CITY, tuple(reversed(TEST_POLICIES))) is CITY_V2
    assert policy_for(date(2025, 6, 1), CITY, tuple(reversed(TEST_POLICIES))) is YANCHENG_2023_25


def test_county_without_its_own_policy_falls_back_to_the_city():
    assert policy_for(date(2024, 6, 1), "320922", TEST_POLICIES) is YANCHENG_2023_25
    assert policy_for(date(2026, 6, 1), "320922", TEST_POLICIES) is CITY_V2


def test_county_with_its_own_policy_uses_it_once_in_force():
    assert policy_for(date(2024, 1, 1), "320981", TEST_POLICIES) is COUNTY
    assert policy_for(date(2026, 6, 1), "320981", TEST_POLICIES) is COUNTY  # the city's v2 is not the county's
    # before its own measure is in force, the city's applies
    assert policy_for(date(2023, 12, 31), "320981", TEST_POLICIES) is YANCHENG_2023_25


def test_county_before_any_policy_is_r_33_1():
    with pytest.raises(NoPolicyInForce) as exc:
        policy_for(date(2020, 1, 1), "320981", TEST_POLICIES)
    assert exc.value.rule == "R-33.1" and exc.value.jurisdiction == "320981"


# -- versions added through the API: what every service's policy_for consults ----------------
from govkit import policy  # noqa: E402


@pytest.fixture
def added():
    yield policy
    policy.install([])


def test_r31_1_an_added_county_version_judges_that_county_only(added):
    county, _ = policy.build(
        "东政办发〔2026〕8号", "320981", date(2026, 12, 3), {"leading_group_threshold": "1000000.00"}, YANCHENG_2023_25
    )
    assert county is not None
    added.add(county)
    assert policy_for(date(2026, 12, 3), "320981").leading_group_threshold == Decimal("1000000.00")
    assert policy_for(date(2026, 12, 2), "320981") is YANCHENG_2023_25  # the day before: the city's
    assert policy_for(date(2026, 12, 3), CITY) is YANCHENG_2023_25
    assert policy_for(date(2026, 12, 3), "320922") is YANCHENG_2023_25  # another county
    assert policy_for(date(2026, 12, 3), "320981").estimate_review_threshold == Decimal("500000.00")  # inherited
    added.install([])  # a service's table reloaded without it: the built-in version again
    assert policy_for(date(2026, 12, 3), "320981") is YANCHENG_2023_25


def test_r33_1_a_built_in_version_is_never_replaced(added):
    fake = replace(YANCHENG_2023_25, leading_group_threshold=Decimal("1.00"))
    added.install([fake])
    assert policy_for(date(2024, 1, 1)) is YANCHENG_2023_25


def test_parameters_round_trip_through_the_event():
    county, _ = policy.build(
        "c", "320981", date(2027, 1, 1), {"self_adjustment_limit": "0.10", "warranty_min_years": 3}, YANCHENG_2023_25
    )
    again = policy.from_parameters("c", "320981", date(2027, 1, 1), policy.parameters_of(county))
    assert again == county and again.splitting_thresholds == (Decimal("2000000.00"), Decimal("500000.00"))


@pytest.mark.parametrize(
    "params,field",
    [
        ({"leading_group_threshold": 1.5}, "leading_group_threshold"),
        ({"estimate_review_threshold": "-1"}, "estimate_review_threshold"),
        ({"self_adjustment_limit": "1"}, "self_adjustment_limit"),
        ({"warranty_min_years": 11}, "warranty_min_years"),
        ({"progress_report_period_months": 5}, "progress_report_period_months"),
        ({"self_evaluation_to_months": 12}, "self_evaluation_to_months"),
        ({"unknown": 1}, "unknown"),
    ],
)
def test_invalid_parameters_name_the_field(params, field):
    built, problems = policy.build("c", "320981", date(2027, 1, 1), params, YANCHENG_2023_25)
    assert built is None and f"parameters.{field}" in [p["field"] for p in problems]


@pytest.mark.parametrize(
    "params",
    [
        {"self_adjustment_limit": "0.01"},
        {"warranty_min_years": 10},
        {"progress_report_period_months": 6},
        {"self_evaluation_from_months": 23},
        {"estimate_review_threshold": "2000000.00"},
    ],
)
def test_valid_parameters_at_their_bounds(params):
    built, problems = policy.build("c", "320981", date(2027, 1, 1), params, YANCHENG_2023_25)
    assert built is not None and problems == []
