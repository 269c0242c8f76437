"""Final acceptance needs archives (R-22.1), security (R-7.2), crypto where used (R-7.2), the secrecy
review of a classified project (R-23.1) and a warranty of the policy minimum (R-16.1)."""

from ..support import ARCHIVES, BDB, SECRECY, UNIT, auth
from .helpers import apply_final, archive_documents, final, ok, preliminary, prerequisites, secrecy_review, trial


async def _to_applied(client, pid):
    await ok(await preliminary(client, pid))
    await ok(await trial(client, pid))
    await ok(await apply_final(client, pid))


def _rules(resp):
    return [v["rule"] for v in resp.json()["violations"]]


async def test_missing_lists_everything_with_rules(client, approve):
    pid = await approve()
    view = await ok(await client.get(f"/projects/{pid}", headers=UNIT))
    rules = [m["rule"] for m in view["missing"]]
    assert rules == [
        "R-7.2",
        "R-7.2",
        "R-7.2",
        "R-22.1",
    ]  # security test, risk assessment, cryptography statement, archives
    assert all(m["article"] for m in view["missing"])
    await prerequisites(client, pid)
    assert (await ok(await client.get(f"/projects/{pid}", headers=UNIT)))["missing"] == []


async def test_final_refused_without_archives_acceptance(client, harness, approve):
    pid = await approve()
    await prerequisites(client, pid, archives=None)
    await _to_applied(client, pid)
    r = await final(client, pid)
    assert r.status_code == 409 and r.json()["rule"] == "R-22.1" and _rules(r) == ["R-22.1"]
    assert r.json()["article"] == "第二十二条"
    assert await harness.events("FinalAccepted", subject=pid) == []
    # a failed archives acceptance does not count either
    await ok(
        await client.post(
            f"/projects/{pid}/archives-acceptance", headers=ARCHIVES, json={"report_no": "DA-1", "passed": False}
        ),
        201,
    )
    r = await final(client, pid)
    assert r.status_code == 409 and _rules(r) == ["R-22.1"] and "不合格" in r.json()["violations"][0]["message"]
    await archive_documents(client, pid)
    await ok(
        await client.post(
            f"/projects/{pid}/archives-acceptance", headers=BDB, json={"report_no": "DA-2", "passed": True}
        ),
        201,
    )
    await ok(await final(client, pid))


async def test_final_refused_without_security_assessment(client, approve):
    pid = await approve()
    await prerequisites(client, pid, security=None)
    await _to_applied(client, pid)
    r = await final(client, pid)
    assert r.status_code == 409 and _rules(r) == ["R-7.2", "R-7.2"]  # neither the test nor the assessment
    # a crypto assessment alone is not a security test / risk assessment
    await ok(
        await client.post(
            f"/projects/{pid}/security-assessments",
            headers=UNIT,
            json={"kind": "crypto", "report_no": "MP-1", "passed": True},
        ),
        201,
    )
    assert _rules(await final(client, pid)) == ["R-7.2", "R-7.2"]
    await ok(
        await client.post(
            f"/projects/{pid}/security-assessments",
            headers=auth("cac", "CAC"),
            json={"kind": "risk", "report_no": "FX-1", "passed": True},
        ),
        201,
    )
    r = await final(client, pid)  # asks for both: the risk assessment alone is not enough
    assert r.status_code == 409 and _rules(r) == ["R-7.2"] and "网络安全检测" in r.json()["violations"][0]["message"]
    await ok(
        await client.post(
            f"/projects/{pid}/security-assessments",
            headers=UNIT,
            json={"kind": "mlps", "report_no": "CP-1", "passed": True},
        ),
        201,
    )
    await ok(await final(client, pid))


async def test_r7_2_network_security_test_alone_is_not_enough(client, approve):
    pid = await approve()
    await prerequisites(client, pid, security=("mlps",))
    await _to_applied(client, pid)
    r = await final(client, pid)
    assert r.status_code == 409 and _rules(r) == ["R-7.2"] and "风险评估" in r.json()["violations"][0]["message"]
    await ok(
        await client.post(
            f"/projects/{pid}/security-assessments",
            headers=UNIT,
            json={"kind": "risk", "report_no": "FX-1", "passed": True},
        ),
        201,
    )
    await ok(await final(client, pid))


async def test_a_failed_security_test_does_not_count(client, approve):
    pid = await approve()
    await prerequisites(client, pid, security=None)
    await ok(
        await client.post(
            f"/projects/{pid}/security-assessments",
            headers=UNIT,
            json={"kind": "mlps", "report_no": "CP-0", "passed": False},
        ),
        201,
    )
    await ok(
        await client.post(
            f"/projects/{pid}/security-assessments",
            headers=UNIT,
            json={"kind": "risk", "report_no": "FX-0", "passed": True},
        ),
        201,
    )
    await _to_applied(client, pid)
    r = await final(client, pid)
    assert _rules(r) == ["R-7.2"] and "不合格" in r.json()["violations"][0]["message"]


async def test_cryptography_use_needs_a_crypto_assessment(client, approve):
    pid = await approve()
    await prerequisites(client, pid, uses_cryptography=True)
    await _to_applied(client, pid)
    r = await final(client, pid)
    assert r.status_code == 409 and _rules(r) == ["R-7.2"] and "密码" in r.json()["detail"]
    await ok(
        await client.post(
            f"/projects/{pid}/security-assessments",
            headers=auth("crypto", "CRYPTO"),
            json={"kind": "crypto", "report_no": "MP-1", "passed": True},
        ),
        201,
    )
    await ok(await final(client, pid))


async def test_cryptography_use_must_be_stated_and_may_be_stated_at_final(client, approve):
    pid = await approve()
    await prerequisites(client, pid, uses_cryptography=None)
    await _to_applied(client, pid)
    r = await final(client, pid)
    assert r.status_code == 409 and _rules(r) == ["R-7.2"]
    done = await ok(await final(client, pid, uses_cryptography=False))
    assert done["uses_cryptography"] is False


async def test_final_application_may_carry_the_cryptography_statement(client, approve):
    pid = await approve()
    await prerequisites(client, pid, uses_cryptography=None)
    await ok(await preliminary(client, pid))
    await ok(await trial(client, pid))
    r = await client.post(
        f"/projects/{pid}/final-application",
        headers=UNIT,
        json={"planned_on": "2024-05-10", "applied_on": "2024-04-25", "uses_cryptography": True},
    )
    assert (await ok(r))["uses_cryptography"] is True
    assert _rules(await final(client, pid)) == ["R-7.2"]


async def test_every_missing_prerequisite_is_listed_at_once(client, approve):
    pid = await approve(classified=True)
    await ok(await preliminary(client, pid))
    await secrecy_review(client, pid)
    await ok(await trial(client, pid))
    r = await final(client, pid, headers=UNIT)  # security test, risk assessment, cryptography statement, archives
    assert r.status_code == 409 and _rules(r) == ["R-7.2", "R-7.2", "R-7.2", "R-22.1"]


async def test_classified_secrecy_review_failed_or_without_operator(client, approve):
    pid = await approve(classified=True)
    await prerequisites(client, pid)
    await ok(await preliminary(client, pid))
    await secrecy_review(client, pid, passed=False, operator="")
    r = await trial(client, pid)
    assert r.status_code == 409 and set(_rules(r)) == {"R-23.1"} and len(_rules(r)) == 2
    r = await client.post(f"/projects/{pid}/secrecy-review", headers=SECRECY, json={"passed": True})
    assert r.status_code == 422  # a passed review names the operator
    r = await client.post(f"/projects/{pid}/secrecy-review", headers=UNIT, json={"passed": True, "operator": "运维科"})
    assert r.status_code == 403  # the secrecy bureau reviews
    await secrecy_review(client, pid)
    await ok(await trial(client, pid))


async def test_secrecy_review_is_for_classified_projects(client, approve):
    pid = await approve()
    r = await client.post(
        f"/projects/{pid}/secrecy-review", headers=SECRECY, json={"passed": True, "operator": "运维科"}
    )
    assert r.status_code == 409 and r.json()["rule"] == "R-23.1"


async def test_warranty_is_the_filed_term_not_a_default(client, harness, approve):
    pid = await approve()  # filed with 3 years (support.filed_event)
    await prerequisites(client, pid)
    await _to_applied(client, pid)
    r = await final(client, pid, warranty_years=2)
    assert r.status_code == 409 and _rules(r) == ["R-16.1"]  # the filing says 3: correct it in oversight
    done = await ok(await final(client, pid))
    assert done["warranty_ends_on"] == "2027-05-10"
    assert (await harness.events("FinalAccepted", subject=pid))[0].data["warranty_ends_on"] == "2027-05-10"


async def test_record_response_shows_what_is_still_missing(client, approve):
    pid = await approve()
    await archive_documents(client, pid)
    r = await ok(
        await client.post(
            f"/projects/{pid}/archives-acceptance", headers=ARCHIVES, json={"report_no": "DA-1", "passed": True}
        ),
        201,
    )
    assert [m["rule"] for m in r["missing"]] == ["R-7.2", "R-7.2", "R-7.2"]  # test, risk assessment, crypto statement
    listing = await ok(await client.get(f"/projects/{pid}/prerequisites", headers=UNIT))
    assert listing["archives"][0]["report_no"] == "DA-1"
