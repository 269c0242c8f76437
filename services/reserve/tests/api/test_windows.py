"""Windows through the API: R-8.1, R-9.1, R-8.2, bad dates, roles."""

from govkit import clock
from govkit.dev.testing import auth

from ..support import BDB, supplement_around


async def test_r8_1_bdb_opens_annual_window_in_q4(client, harness):
    body = {"kind": "annual", "library_year": 2027, "opens_on": "2026-10-01", "closes_on": "2026-11-30"}
    r = await client.post("/windows", json=body, headers=BDB)
    assert r.status_code == 201, r.text
    w = r.json()
    assert (w["kind"], w["library_year"], w["version"]) == ("annual", 2027, 1)
    assert [e.data["window_id"] for e in await harness.events("WindowOpened")] == [w["id"]]
    listed = (await client.get("/windows", params={"library_year": 2027}, headers=auth("unit", "ORG-A"))).json()
    assert [i["id"] for i in listed["items"]] == [w["id"]]
    assert (await client.get(f"/windows/{w['id']}", headers=BDB)).json()["opens_on"] == "2026-10-01"


async def test_r8_1_annual_window_outside_q4_refused_and_nothing_written(client, harness):
    body = {"kind": "annual", "library_year": 2027, "opens_on": "2026-09-30", "closes_on": "2026-10-31"}
    r = await client.post("/windows", json=body, headers=BDB)
    assert r.status_code == 409 and r.json()["rule"] == "R-8.1" and r.json()["article"] == "第八条"
    assert (await client.get("/windows", headers=BDB)).json()["items"] == []
    assert await harness.events() == []


async def test_r8_1_overlapping_annual_windows_refused(client):
    ok = {"kind": "annual", "library_year": 2027, "opens_on": "2026-10-01", "closes_on": "2026-10-31"}
    assert (await client.post("/windows", json=ok, headers=BDB)).status_code == 201
    clash = {**ok, "opens_on": "2026-10-31", "closes_on": "2026-11-15"}
    r = await client.post("/windows", json=clash, headers=BDB)
    assert r.status_code == 409 and r.json()["rule"] == "R-8.1"
    after = {**ok, "opens_on": "2026-11-01", "closes_on": "2026-11-15"}
    assert (await client.post("/windows", json=after, headers=BDB)).status_code == 201


async def test_r9_1_supplement_windows_once_per_half_year(client):
    h1 = {"kind": "supplement", "library_year": 2027, "opens_on": "2027-03-01", "closes_on": "2027-03-31"}
    assert (await client.post("/windows", json=h1, headers=BDB)).status_code == 201
    again = {**h1, "opens_on": "2027-05-01", "closes_on": "2027-05-31"}
    r = await client.post("/windows", json=again, headers=BDB)
    assert r.status_code == 409 and r.json()["rule"] == "R-9.1"
    across = {**h1, "opens_on": "2027-06-20", "closes_on": "2027-07-10"}
    assert (await client.post("/windows", json=across, headers=BDB)).json()["rule"] == "R-9.1"
    h2 = {**h1, "opens_on": "2027-07-01", "closes_on": "2027-07-31"}
    assert (await client.post("/windows", json=h2, headers=BDB)).status_code == 201


async def test_bad_window_input_names_the_field(client):
    r = await client.post(
        "/windows",
        json={"kind": "annual", "library_year": 2027, "opens_on": "2026-11-30", "closes_on": "2026-10-01"},
        headers=BDB,
    )
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
    assert [v["field"] for v in r.json()["violations"]] == ["closes_on"]
    r = await client.post(
        "/windows",
        json={"kind": "yearly", "library_year": 2027, "opens_on": "2026-10-01", "closes_on": "2026-10-02"},
        headers=BDB,
    )
    assert r.status_code == 422 and r.json()["violations"][0]["field"] == "kind"


async def test_only_bdb_opens_windows(client):
    body = supplement_around(clock.today())
    assert (await client.post("/windows", json=body, headers=auth("unit", "ORG-A"))).status_code == 403
    assert (await client.post("/windows", json=body, headers=auth("finance", "ORG-F"))).status_code == 403
    assert (await client.post("/windows", json=body)).status_code == 401


async def test_window_listing_paginates(client):
    for half in ("01", "07"):
        body = {
            "kind": "supplement",
            "library_year": 2028,
            "opens_on": f"2028-{half}-01",
            "closes_on": f"2028-{half}-10",
        }
        assert (await client.post("/windows", json=body, headers=BDB)).status_code == 201
    first = (await client.get("/windows", params={"limit": 1}, headers=BDB)).json()
    assert len(first["items"]) == 1 and first["next_cursor"]
    second = (await client.get("/windows", params={"limit": 1, "cursor": first["next_cursor"]}, headers=BDB)).json()
    assert second["items"][0]["opens_on"] == "2028-07-01" and second["next_cursor"] is None
    assert (await client.get("/windows", params={"limit": 201}, headers=BDB)).status_code == 422


async def test_is_open_follows_as_of(client):
    body = {"kind": "supplement", "library_year": 2028, "opens_on": "2028-03-01", "closes_on": "2028-03-10"}
    w = (await client.post("/windows", json=body, headers=BDB)).json()
    got = (await client.get(f"/windows/{w['id']}", params={"as_of": "2028-03-10"}, headers=BDB)).json()
    assert got["is_open"] and got["days_left"] == 0
    assert not (await client.get(f"/windows/{w['id']}", params={"as_of": "2028-03-11"}, headers=BDB)).json()["is_open"]
