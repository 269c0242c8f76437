"""The first vertical slice through the bus, with the broker, every service and the gateway as real
processes (issue 2): a unit registers an emergency project in reserve (R-9.3) →
EmergencyProjectRegistered → approval opens the application and oversight's timeline lists it.
Then the outbox (broker down while declaring), a broker restart (memory storage: comes back empty)
and bad input on the slice's endpoint (422 problem+json naming the field, nothing written)."""

from __future__ import annotations

import pytest
from tests.conftest import Api, eventually, unique_org

PROBLEM = "application/problem+json"


def emergency_declaration(title: str = "应急指挥调度系统", **over) -> dict:
    body = {
        "title": title,
        "category": "business_application",
        "estimated_investment": "1800000.00",
        "description": "防汛应急指挥调度",
        "classified": False,
        "built_by_big_data_group": False,
        "new_civil_works": False,
        "high_energy": False,
        "emergency": {"type": "natural_disaster", "grounds": "特大暴雨，防汛应急响应Ⅰ级"},
    }
    body.update(over)
    return body


def declare(unit, **over) -> dict:
    resp = unit.post("/api/v1/reserve/declarations", json=emergency_declaration(**over))
    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert body["status"] == "emergency" and body["project_id"] and body["declaration_no"]
    return body


def application_open(reader, project_id: str):
    def check():
        resp = reader.get(f"/api/v1/approval/applications/{project_id}")
        assert resp.status_code == 200, resp.text
        body = resp.json()
        assert body["project_id"] == project_id and body["status"] == "open", body
        return body

    return check


def timeline_types(reader, project_id: str) -> list[str]:
    resp = reader.get(f"/api/v1/projects/{project_id}/timeline")
    assert resp.status_code == 200, resp.text
    body = resp.json()
    items = body["items"] if isinstance(body, dict) else body
    return [i["type"] for i in items]


# -- the slice -----------------------------------------------------------------------------------
def test_emergency_project_reaches_approval_and_the_timeline(api):
    org = unique_org()
    unit, bdb = api("unit", org), api("bdb", "ORG-BDB")
    created = declare(unit)
    pid = created["project_id"]
    app = eventually(application_open(bdb, pid))
    assert app["project_id"] == pid
    eventually(application_open(unit, pid))  # the unit sees its own project's application
    # a unit of another org does not learn that it exists
    assert api("unit", unique_org()).get(f"/api/v1/approval/applications/{pid}").status_code == 404
    types = eventually(lambda: (t := timeline_types(bdb, pid)) and "EmergencyProjectRegistered" in t and t)
    assert types.count("EmergencyProjectRegistered") == 1
    assert "EmergencyProjectRegistered" in eventually(lambda: timeline_types(unit, pid))
    # reserve records the emergency route and its grounds
    decl = unit.get(f"/api/v1/reserve/declarations/{pid}")
    assert decl.status_code == 200 and decl.json()["status"] == "emergency"


def test_the_gateway_reports_every_service_and_the_broker_ok(stack):
    import httpx

    def healthy():  # a consumer may be rejoining its group after an earlier test's events
        body = httpx.get(f"{stack.gateway_url}/healthz", timeout=10).json()
        return body if body["status"] == "ok" and body["broker"] == "ok" else None

    body = eventually(healthy, timeout=30)
    assert set(body["services"]) == {"reserve", "approval", "budget", "oversight", "acceptance"}


# -- bad input: 422 problem+json naming the field, nothing written ---------------------------------
BAD = [
    ("missing title", lambda b: b.pop("title"), "title"),
    ("missing estimated_investment", lambda b: b.pop("estimated_investment"), "estimated_investment"),
    ("missing emergency grounds", lambda b: b["emergency"].pop("grounds"), "emergency.grounds"),
    ("missing emergency type", lambda b: b["emergency"].pop("type"), "emergency.type"),
    ("unknown emergency type", lambda b: b["emergency"].update(type="alien_invasion"), "emergency.type"),
    ("float money", lambda b: b.update(estimated_investment=1800000.5), "estimated_investment"),
    ("float money, whole", lambda b: b.update(estimated_investment=1800000.0), "estimated_investment"),
    ("money with 3 decimals", lambda b: b.update(estimated_investment="1.005"), "estimated_investment"),
    ("money not a number", lambda b: b.update(estimated_investment="lots"), "estimated_investment"),
    ("title of wrong type", lambda b: b.update(title=["a"]), "title"),
    ("classified of wrong type", lambda b: b.update(classified={"x": 1}), "classified"),
    ("emergency of wrong type", lambda b: b.update(emergency="natural_disaster"), "emergency"),
]


@pytest.mark.parametrize("case", [c[0] for c in BAD])
def test_bad_input_is_422_naming_the_field_and_writes_nothing(api, case):
    _, mutate, field = next(c for c in BAD if c[0] == case)
    org = unique_org()
    unit = api("unit", org)
    body = emergency_declaration()
    mutate(body)
    resp = unit.post("/api/v1/reserve/declarations", json=body)
    assert resp.status_code == 422, resp.text
    assert resp.headers["content-type"].startswith(PROBLEM)
    problem = resp.json()
    assert problem["status"] == 422 and problem["title"] and problem["detail"]
    fields = [v.get("field") for v in problem.get("violations", [])]
    assert any(f == field or (f or "").startswith(field + ".") for f in fields), problem
    listed = unit.get("/api/v1/reserve/declarations", params={"org": org})
    assert listed.status_code == 200, listed.text
    assert listed.json()["items"] == []


# -- the bus under stress: broker down, broker restarted -----------------------------------------
def private_api(stack, roles, org) -> Api:
    return Api(stack.gateway_url, roles, org)


def test_declared_while_the_broker_is_down_reaches_approval_when_it_returns(private_stack):
    org = unique_org()
    unit, bdb = private_api(private_stack, "unit", org), private_api(private_stack, "bdb", "ORG-BDB")
    try:
        private_stack.stop_broker()
        created = declare(unit)  # committed with its outbox row; the relay cannot publish yet
        pid = created["project_id"]
        private_stack.start_broker()  # empty: memory storage
        eventually(application_open(bdb, pid), timeout=60)
        # (the timeline may list ProjectDeclared first: wait for the event itself, not for any entry)
        eventually(lambda: "EmergencyProjectRegistered" in timeline_types(bdb, pid), timeout=60)
    finally:
        unit.client.close()
        bdb.client.close()


def test_a_broker_restart_loses_nothing(private_stack):
    org = unique_org()
    unit, bdb = private_api(private_stack, "unit", org), private_api(private_stack, "bdb", "ORG-BDB")
    try:
        before = declare(unit, title="重启前")["project_id"]
        eventually(application_open(bdb, before), timeout=30)
        private_stack.stop_broker()
        private_stack.start_broker()  # comes back empty: topics, offsets and groups are gone
        after = [declare(unit, title=f"重启后{i}")["project_id"] for i in range(3)]
        for pid in after:
            eventually(application_open(bdb, pid), timeout=60)
            types = eventually(
                lambda pid=pid: (t := timeline_types(bdb, pid)) and "EmergencyProjectRegistered" in t and t, timeout=60
            )
            assert types.count("EmergencyProjectRegistered") == 1  # once, although Kafka and catch-up both deliver
        eventually(application_open(bdb, before))
        assert timeline_types(bdb, before).count("EmergencyProjectRegistered") == 1
    finally:
        unit.client.close()
        bdb.client.close()
