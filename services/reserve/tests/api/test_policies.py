"""Policy versions through the API (R-31.1 per jurisdiction, R-33.1 versions never edited in place)
and a county project judged by its county's policy."""

from datetime import date, timedelta

from govkit import clock, policy
from govkit.dev.testing import auth

from ..support import BDB, declaration

ADMIN = auth("admin", "ORG-ADMIN")
COUNTY = "320981"  # 东台市
COUNTY_UNIT = auth("unit", "ORG-DT", extra={"jurisdiction": COUNTY})
CITY_UNIT = auth("unit", "ORG-CITY")


def version(**kw) -> dict:
    body = {
        "jurisdiction": COUNTY,
        "code": "东政办发〔2026〕8号",
        "title": "东台市政务信息化项目建设管理办法",
        "effective_from": clock.today().isoformat(),
        "parameters": {"leading_group_threshold": "1000000.00"},
    }
    body.update(kw)
    return body


async def test_r31_1_admin_adds_a_county_version_inheriting_the_rest(client, harness):
    r = await client.post("/policies", json=version(), headers=ADMIN)
    assert r.status_code == 201, r.text
    v = r.json()
    assert (v["jurisdiction"], v["source"], v["effective_from"]) == (COUNTY, "api", clock.today().isoformat())
    assert v["parameters"]["leading_group_threshold"] == "1000000.00"
    assert v["parameters"]["estimate_review_threshold"] == "500000.00"  # inherited from the city's version
    assert v["parameters"]["splitting_thresholds"] == ["1000000.00", "500000.00"]
    assert v["inherits_from"]["code"] == "盐政办发〔2023〕25号"
    [ev] = await harness.events("PolicyVersionAdded")
    assert ev.rule == "R-31.1" and ev.data["jurisdiction"] == COUNTY
    assert ev.data["parameters"]["leading_group_threshold"] == "1000000.00" and "_inherits" not in ev.data["parameters"]
    listed = (await client.get("/policies", params={"jurisdiction": COUNTY}, headers=CITY_UNIT)).json()["items"]
    assert [i["code"] for i in listed] == ["东政办发〔2026〕8号"]
    assert len((await client.get("/policies", headers=CITY_UNIT)).json()["items"]) == 2
    county = (await client.get("/policies/in-force", params={"jurisdiction": COUNTY}, headers=BDB)).json()
    assert county["code"] == "东政办发〔2026〕8号"
    city = (await client.get("/policies/in-force", params={"jurisdiction": "city"}, headers=BDB)).json()
    assert (city["code"], city["source"]) == ("盐政办发〔2023〕25号", "builtin")
    other = (await client.get("/policies/in-force", params={"jurisdiction": "320922"}, headers=BDB)).json()
    assert other["code"] == "盐政办发〔2023〕25号"  # a county without its own measure: the city's
    # every rule of this process now judges the county by it
    assert policy.policy_for(clock.today(), COUNTY).leading_group_threshold == 1000000
    assert policy.policy_for(clock.today(), "city").leading_group_threshold == 2000000


async def test_r31_1_only_admin_adds_versions(client, harness):
    for who in (BDB, CITY_UNIT, auth("leading_group", "ORG-LG")):
        r = await client.post("/policies", json=version(), headers=who)
        assert r.status_code == 403 and r.json()["rule"] == "R-31.1"
    assert await harness.events("PolicyVersionAdded") == []


async def test_r31_1_jurisdiction_is_the_city_or_a_yancheng_county(client, harness):
    for bad in ("320000", "310101", "east", "3209811"):
        r = await client.post("/policies", json=version(jurisdiction=bad), headers=ADMIN)
        assert r.status_code == 422 and r.json()["rule"] == "R-31.1", bad
        assert r.json()["violations"][0]["field"] == "jurisdiction"
    assert await harness.events() == []
    r = await client.post("/policies", json=version(jurisdiction="320900"), headers=ADMIN)  # the city's own code
    assert r.status_code == 201 and r.json()["jurisdiction"] == "city"


async def test_r33_1_effective_from_today_not_back_dated(client, harness):
    today = clock.today()
    r = await client.post(
        "/policies", json=version(effective_from=(today - timedelta(days=1)).isoformat()), headers=ADMIN
    )
    assert r.status_code == 409 and r.json()["rule"] == "R-33.1" and r.json()["article"] == "第三十三条"
    assert r.json()["violations"][0]["basis"] == "practice"
    r = await client.post("/policies", json=version(effective_from="2023-06-30"), headers=ADMIN)
    assert r.status_code == 409 and r.json()["rule"] == "R-33.1"
    assert await harness.events() == []
    assert (await client.post("/policies", json=version(), headers=ADMIN)).status_code == 201  # today: the boundary
    later = (today + timedelta(days=30)).isoformat()
    r = await client.post(
        "/policies", json=version(effective_from=later, parameters={"warranty_min_years": 3}), headers=ADMIN
    )
    assert r.status_code == 201
    assert r.json()["parameters"]["leading_group_threshold"] == "1000000.00"  # inherits the county's version
    assert policy.policy_for(today + timedelta(days=29), COUNTY).warranty_min_years == 2
    assert policy.policy_for(today + timedelta(days=30), COUNTY).warranty_min_years == 3


async def test_r33_1_a_version_is_never_edited_in_place(client, harness):
    assert (await client.post("/policies", json=version(), headers=ADMIN)).status_code == 201
    r = await client.post("/policies", json=version(parameters={"leading_group_threshold": "800000.00"}), headers=ADMIN)
    assert r.status_code == 409 and r.json()["rule"] == "R-33.1"
    assert len(await harness.events("PolicyVersionAdded")) == 1
    assert policy.policy_for(clock.today(), COUNTY).leading_group_threshold == 1000000


async def test_r31_1_parameters_are_validated(client, harness):
    cases = [
        ({"leading_group_threshold": 1000000.5}, "parameters.leading_group_threshold"),  # a float
        ({"leading_group_threshold": "0.00"}, "parameters.leading_group_threshold"),
        ({"leading_group_threshold": "1000000.001"}, "parameters.leading_group_threshold"),
        ({"self_adjustment_limit": "1.00"}, "parameters.self_adjustment_limit"),
        ({"self_adjustment_limit": "0"}, "parameters.self_adjustment_limit"),
        ({"warranty_min_years": 0}, "parameters.warranty_min_years"),
        ({"warranty_min_years": "2"}, "parameters.warranty_min_years"),
        ({"annual_window_quarter": 5}, "parameters.annual_window_quarter"),
        ({"supplement_period_months": 5}, "parameters.supplement_period_months"),
        ({"self_evaluation_from_months": 24}, "parameters.self_evaluation_to_months"),
        ({"estimate_review_threshold": "3000000.00"}, "parameters.estimate_review_threshold"),
        ({"bonus": 1}, "parameters.bonus"),
    ]
    for params, field in cases:
        r = await client.post("/policies", json=version(parameters=params), headers=ADMIN)
        assert r.status_code == 422 and r.json()["rule"] == "R-31.1", (params, r.text)
        assert field in [v["field"] for v in r.json()["violations"]], (params, r.json())
    assert await harness.events() == []
    ok = {
        "self_adjustment_limit": "0.99",
        "warranty_min_years": 1,
        "annual_window_quarter": 4,
        "supplement_period_months": 4,
        "estimate_review_threshold": "1000000.00",
    }
    r = await client.post("/policies", json=version(parameters=ok), headers=ADMIN)
    assert r.status_code == 201, r.text


async def test_r31_1_a_county_unit_declares_under_its_county_policy(client, harness, open_supplement):
    """The token's jurisdiction claim sets the declaration's jurisdiction; X-11.1 (threshold
    splitting) then uses the county's threshold for its project and the city's for a city project."""
    assert (await client.post("/policies", json=version(), headers=ADMIN)).status_code == 201
    made = {}
    for who, org in ((COUNTY_UNIT, "county"), (CITY_UNIT, "city")):
        for phase in ("一期", "二期"):
            r = await client.post(
                "/declarations",
                json=declaration(title=f"智慧城管平台（{phase}）", estimated_investment="600000.00"),
                headers=who,
            )
            assert r.status_code == 201, r.text
            made[(org, phase)] = r.json()
    assert made[("county", "一期")]["jurisdiction"] == COUNTY and made[("city", "一期")]["jurisdiction"] == "city"
    [flag] = [f for f in made[("county", "二期")]["flags"] if f["rule"] == "X-11.1"]
    assert (flag["details"]["threshold"], flag["details"]["total"]) == ("1000000.00", "1200000.00")
    assert [f for f in made[("city", "二期")]["flags"] if f["rule"] == "X-11.1"] == []  # 1.2M < the city's 2M
    declared = {e.data["org"]: e.data["jurisdiction"] for e in await harness.events("ProjectDeclared")}
    assert declared == {"ORG-DT": COUNTY, "ORG-CITY": "city"}


async def test_r31_1_an_invalid_jurisdiction_claim_is_a_422(client, harness, open_supplement):
    r = await client.post(
        "/declarations", json=declaration(), headers=auth("unit", "ORG-X", extra={"jurisdiction": "beijing"})
    )
    assert (
        r.status_code == 422 and r.json()["rule"] == "R-31.1" and r.json()["violations"][0]["field"] == "jurisdiction"
    )
    assert await harness.events("ProjectDeclared") == []


def test_county_code_boundaries():
    assert policy.normalise_jurisdiction("320901") == "320901" and policy.normalise_jurisdiction("320999") == "320999"
    assert policy.normalise_jurisdiction("320900") == "city" and policy.normalise_jurisdiction(None) == "city"
    assert policy.normalise_jurisdiction("320800") is None and policy.normalise_jurisdiction("321001") is None
    assert date(2023, 7, 1) == policy.YANCHENG_2023_25.effective_from


async def test_r31_1_the_org_registry_sets_a_units_jurisdiction(client, harness, open_supplement):
    """admin records a unit's county in the org registry; its declarations from then on carry that
    jurisdiction even with a token that has no claim; earlier ones keep theirs."""
    before = (await client.post("/declarations", json=declaration(), headers=CITY_UNIT)).json()
    assert before["jurisdiction"] == "city"
    assert (await client.put("/orgs/ORG-CITY", json={"jurisdiction": COUNTY}, headers=BDB)).status_code == 403
    r = await client.put("/orgs/ORG-CITY", json={"jurisdiction": "shanghai"}, headers=ADMIN)
    assert (
        r.status_code == 422 and r.json()["rule"] == "R-31.1" and r.json()["violations"][0]["field"] == "jurisdiction"
    )
    assert await harness.events("OrgJurisdictionSet") == []
    r = await client.put("/orgs/ORG-CITY", json={"jurisdiction": COUNTY, "name": "东台市某局"}, headers=ADMIN)
    assert r.status_code == 200 and (r.json()["jurisdiction"], r.json()["version"]) == (COUNTY, 1)
    [ev] = await harness.events("OrgJurisdictionSet")
    assert ev.rule == "R-31.1" and ev.data["jurisdiction"] == COUNTY
    after = (await client.post("/declarations", json=declaration(title="东台政务服务平台"), headers=CITY_UNIT)).json()
    assert after["jurisdiction"] == COUNTY
    assert (await client.get(f"/declarations/{before['project_id']}", headers=BDB)).json()["jurisdiction"] == "city"
    assert [
        o["org"] for o in (await client.get("/orgs", params={"jurisdiction": COUNTY}, headers=BDB)).json()["items"]
    ] == ["ORG-CITY"]
    assert (await client.get("/orgs/ORG-NONE", headers=BDB)).status_code == 404
    stale = await client.put("/orgs/ORG-CITY", json={"jurisdiction": "city"}, headers={**ADMIN, "If-Match": '"7"'})
    assert stale.status_code == 412
    back = await client.put("/orgs/ORG-CITY", json={"jurisdiction": "city"}, headers=ADMIN)
    assert back.json()["jurisdiction"] == "city" and back.json()["version"] == 2


async def test_r33_1_a_refresh_that_read_before_a_commit_keeps_the_committed_version(client, harness, monkeypatch):
    """The refresh loop loads the table while an admin's version commits: the version the commit added
    stays in force (a refresh only adds), and a version whose transaction rolled back is never consulted."""
    from govkit import policy_store

    stale: list = []  # what a refresh that read before the commit saw
    monkeypatch.setattr(policy_store, "rows", lambda session: _rows(stale))
    assert (await client.post("/policies", json=version(), headers=ADMIN)).status_code == 201
    await policy_store.refresh(harness.sessionmaker)
    assert policy.policy_for(clock.today(), COUNTY).leading_group_threshold == 1000000

    async with harness.sessionmaker() as session:
        await policy_store.store(
            session,
            policy_store.PolicyVersion(
                id="rolled-back",
                jurisdiction="320982",
                effective_from=clock.today(),
                code="x",
                title="x",
                parameters={"leading_group_threshold": "1.00"},
                added_by="t",
                note="",
            ),
        )
        await session.rollback()
    assert policy.policy_for(clock.today(), "320982").leading_group_threshold == 2000000  # the city's


async def _rows(found):
    return found


async def test_r33_1_no_version_in_force_before_the_measures_is_not_found(client):
    """A schema-valid date before 2023-07-01 names no version: 404 citing R-33.1 (was a 422)."""
    r = await client.get("/policies/in-force", params={"on": "2023-06-30"}, headers=BDB)
    assert r.status_code == 404 and r.json()["rule"] == "R-33.1", r.text
    r = await client.get("/policies/in-force", params={"on": "2023-07-01"}, headers=BDB)
    assert r.status_code == 200 and r.json()["code"] == "盐政办发〔2023〕25号"
