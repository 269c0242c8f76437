"""R-21.5: a unit that cannot accept on time applies to bdb; overdue acceptances are listed."""

from ..support import BDB, OTHER_UNIT, UNIT
from .helpers import ok, standard_to_final


async def _overdue(client, as_of, headers=BDB):
    return (await ok(await client.get("/acceptances/overdue", headers=headers, params={"as_of": as_of})))["items"]


async def test_overdue_extension_granted_then_refused(client, harness, approve):
    pid = await approve()
    await ok(await client.put(f"/projects/{pid}/profile", headers=UNIT, json={"planned_on": "2024-06-30"}))
    assert await _overdue(client, "2024-06-30") == []
    [item] = await _overdue(client, "2024-07-01")
    assert item["project_id"] == pid and item["rule"] == "R-21.5" and item["days_overdue"] == 1
    assert await _overdue(client, "2024-07-01", headers=OTHER_UNIT) == []

    # the planned date is not simply moved: an extension is applied for
    r = await client.put(f"/projects/{pid}/profile", headers=UNIT, json={"planned_on": "2099-01-01"})
    assert r.status_code == 409 and r.json()["rule"] == "R-21.5"

    r = await client.post(f"/projects/{pid}/extensions", headers=BDB, json={"new_date": "2099-01-01", "reason": "x"})
    assert r.status_code == 403  # the unit applies
    ext = await ok(
        await client.post(
            f"/projects/{pid}/extensions", headers=UNIT, json={"new_date": "2099-01-01", "reason": "等保测评排期延后"}
        ),
        201,
    )
    assert ext["status"] == "requested" and ext["previous_date"] == "2024-06-30"
    r = await client.post(f"/projects/{pid}/extensions", headers=UNIT, json={"new_date": "2099-02-01", "reason": "y"})
    assert r.status_code == 409 and r.json()["rule"] == "R-21.5"  # one pending at a time
    r = await client.post(
        f"/projects/{pid}/extensions/{ext['id']}/decision", headers=UNIT, json={"decision": "grant", "opinion": "同意"}
    )
    assert r.status_code == 403  # bdb decides
    granted = await ok(
        await client.post(
            f"/projects/{pid}/extensions/{ext['id']}/decision",
            headers=BDB,
            json={"decision": "grant", "opinion": "同意延期"},
        )
    )
    assert granted["status"] == "granted"
    r = await client.post(
        f"/projects/{pid}/extensions/{ext['id']}/decision", headers=BDB, json={"decision": "refuse", "opinion": "再议"}
    )
    assert r.status_code == 409  # decided already
    assert await _overdue(client, "2024-07-01") == []
    assert len(await _overdue(client, "2099-01-02")) == 1
    assert (await ok(await client.get(f"/projects/{pid}", headers=UNIT)))["due_on"] == "2099-01-01"

    # a second request must go beyond the current due date; refused ones change nothing
    r = await client.post(f"/projects/{pid}/extensions", headers=UNIT, json={"new_date": "2098-12-31", "reason": "z"})
    assert r.status_code == 409 and r.json()["rule"] == "R-21.5"
    ext2 = await ok(
        await client.post(
            f"/projects/{pid}/extensions", headers=UNIT, json={"new_date": "2099-06-01", "reason": "再延"}
        ),
        201,
    )
    await ok(
        await client.post(
            f"/projects/{pid}/extensions/{ext2['id']}/decision",
            headers=BDB,
            json={"decision": "refuse", "opinion": "不同意"},
        )
    )
    assert (await ok(await client.get(f"/projects/{pid}", headers=UNIT)))["due_on"] == "2099-01-01"
    decisions = [e.data["decision"] for e in await harness.events("AcceptanceExtended", subject=pid)]
    assert decisions == ["requested", "granted", "requested", "refused"]
    listing = await ok(await client.get(f"/projects/{pid}/extensions", headers=UNIT))
    assert [e["status"] for e in listing["items"]] == ["granted", "refused"]


async def test_accepted_projects_are_not_overdue_and_need_no_extension(client, approve):
    pid = await approve()
    await ok(await client.put(f"/projects/{pid}/profile", headers=UNIT, json={"planned_on": "2024-04-30"}))
    r = await client.post(f"/projects/{pid}/final-application", headers=UNIT, json={"planned_on": "2024-05-10"})
    assert r.status_code == 409  # still in construction
    await ok(await client.put(f"/projects/{pid}/profile", headers=UNIT, json={"uses_cryptography": False}))
    ext = await ok(
        await client.post(
            f"/projects/{pid}/extensions", headers=UNIT, json={"new_date": "2099-05-31", "reason": "延期"}
        ),
        201,
    )
    await ok(
        await client.post(
            f"/projects/{pid}/extensions/{ext['id']}/decision",
            headers=BDB,
            json={"decision": "grant", "opinion": "同意"},
        )
    )
    await standard_to_final(client, pid)
    assert await _overdue(client, "2100-01-01") == []
    r = await client.post(f"/projects/{pid}/extensions", headers=UNIT, json={"new_date": "2100-01-01", "reason": "x"})
    assert r.status_code == 409 and r.json()["rule"] == "R-21.5"


async def test_final_application_beyond_the_due_date_needs_an_extension(client, approve):
    from .helpers import preliminary, prerequisites, trial

    pid = await approve()
    await ok(await client.put(f"/projects/{pid}/profile", headers=UNIT, json={"planned_on": "2024-05-01"}))
    await prerequisites(client, pid)
    await ok(await preliminary(client, pid))
    await ok(await trial(client, pid))
    r = await client.post(
        f"/projects/{pid}/final-application",
        headers=UNIT,
        json={"planned_on": "2024-05-10", "applied_on": "2024-04-25"},
    )
    assert r.status_code == 409 and r.json()["rule"] == "R-21.5"
