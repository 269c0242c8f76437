"""R-31.1 end to end, through the gateway: an admin adds a county's policy version through the API
(`POST /api/v1/policies`, never by editing code); reserve publishes it, approval keeps it, and a
project of that county is judged by it while a city project of the same amount is not."""

from __future__ import annotations

import random

from tests.e2e.flows import declare_emergency, eventually, ok, unique_org

from govkit import clock
from govkit.dev.testing import token


def test_a_county_policy_added_through_the_api_changes_that_countys_threshold_only(api):
    county = f"3209{random.randint(50, 99)}"
    admin = api("admin", "ORG-ADMIN")
    reader = api("bdb", "ORG-BDB")
    county_unit = api("unit", unique_org("DT"))
    county_unit.headers["Authorization"] = "Bearer " + token("unit", county_unit.org, extra={"jurisdiction": county})
    city_unit = api("unit", unique_org("CITY"))

    refused = api("bdb", "ORG-BDB").post(
        "/api/v1/policies",
        json={"jurisdiction": county, "code": "x", "effective_from": clock.today().isoformat(), "parameters": {}},
    )
    assert refused.status_code == 403
    added = ok(
        admin.post(
            "/api/v1/policies",
            json={
                "jurisdiction": county,
                "code": f"{county}政办发〔2026〕1号",
                "title": "县级政务信息化项目建设管理办法",
                "effective_from": clock.today().isoformat(),
                "parameters": {"leading_group_threshold": "1000000.00", "estimate_review_threshold": "300000.00"},
            },
        ),
        201,
    )
    assert added["parameters"]["leading_group_threshold"] == "1000000.00" and added["source"] == "api"
    listed = ok(reader.get("/api/v1/policies", params={"jurisdiction": county}))["items"]
    assert [v["code"] for v in listed] == [added["code"]]
    assert ok(reader.get("/api/v1/policies/in-force", params={"jurisdiction": county}))["code"] == added["code"]

    county_pid = declare_emergency(county_unit, "1500000.00")
    city_pid = declare_emergency(city_unit, "1500000.00")
    small_county = declare_emergency(county_unit, "400000.00")
    assert ok(county_unit.get(f"/api/v1/reserve/declarations/{county_pid}"))["jurisdiction"] == county

    def judged(pid: str, field: str, expected: bool):
        r = reader.get(f"/api/v1/approval/applications/{pid}")
        return r.status_code == 200 and r.json()[field] is expected and r.json()

    # at the county's 1,000,000; at its 300,000 — the city's 2,000,000 / 500,000 elsewhere
    eventually(lambda: judged(county_pid, "leading_group_required", True), timeout=30)
    eventually(lambda: judged(small_county, "estimate_review_required", True), timeout=30)
    city = eventually(lambda: judged(city_pid, "leading_group_required", False), timeout=30)
    assert city["estimate_review_required"] is True  # 1.5M ≥ the city's 500,000
    # a city project below the city's thresholds stays below them
    small_city = declare_emergency(city_unit, "400000.00")
    eventually(lambda: judged(small_city, "estimate_review_required", False), timeout=30)
