"""Electronic archives (R-22.1, R-22.2): the index fed by every service's DocumentStored events,
the manifest and the streamed ZIP whose hashes verify, the archives acceptance recorded only by
bdb or the archives authority, refused (409) while a mandatory document is missing, and frozen
once accepted (a correction is a new version, listed apart)."""

import hashlib
import io
import uuid
import zipfile
from datetime import UTC, datetime

import orjson

from acceptance.archives.rules import MANDATORY
from govkit.documents import testing as files
from govkit.events.budget import BudgetDocumentStored
from govkit.events.reserve import ReserveDocumentStored

from ..support import ARCHIVES, BDB, OTHER_UNIT, UNIT
from .helpers import archive_documents, ok

MANDATORY_KINDS = [k for k, _ in MANDATORY]


def _stored(cls, pid, kind, data=b"%PDF-1.4 other service", doc_id=None):
    return cls(
        project_id=pid,
        doc_id=doc_id or str(uuid.uuid4()),
        kind=kind,
        title=f"{kind} 文件",
        filename=f"{kind}.pdf",
        content_type="application/pdf",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        sm3=hashlib.new("sm3", data).hexdigest(),
        uploader="unit-A",
        uploader_org="ORG-UNIT-A",
        stored_at=datetime.now(UTC),
    )


async def _accept(client, pid, headers=ARCHIVES, passed=True, **kw):
    return await client.post(
        f"/projects/{pid}/archives-acceptance", headers=headers, json={"report_no": "DA-1", "passed": passed, **kw}
    )


async def test_r22_1_only_bdb_or_the_archives_authority_records_it(client, approve):
    pid = await approve()
    await archive_documents(client, pid)
    r = await _accept(client, pid, headers=UNIT)
    assert r.status_code == 403 and r.json()["rule"] == "R-22.1"
    assert (await ok(await client.get(f"/projects/{pid}/prerequisites", headers=UNIT)))["archives"] == []
    await ok(await _accept(client, pid, headers=ARCHIVES), 201)
    await ok(await _accept(client, pid, headers=BDB), 201)


async def test_r22_2_a_pass_is_refused_while_a_mandatory_document_is_missing(client, harness, approve):
    pid = await approve()
    r = await _accept(client, pid)
    assert r.status_code == 409 and r.json()["rule"] == "R-22.2"
    v = r.json()["violations"]
    assert [x["kind"] for x in v] == MANDATORY_KINDS
    assert {x["kind"]: x["rule"] for x in v} == {
        "proposal": "R-10.1",
        "feasibility_study": "R-10.1",
        "preliminary_design": "R-10.1",
        "technical_opinion": "R-10.1",
        "approval_document": "R-10.1",
        "contract": "R-26.1",
        "security_test": "R-7.2",
        "risk_assessment": "R-7.2",
    }
    assert all(x["basis"] == "practice" and x["article"] for x in v)
    assert await harness.events("ArchivesAccepted", subject=pid) == []
    # every kind but one: exactly that one is listed
    await archive_documents(client, pid, MANDATORY_KINDS[:-1])
    r = await _accept(client, pid)
    assert r.status_code == 409 and [x["kind"] for x in r.json()["violations"]] == ["risk_assessment"]
    # a failed result is recorded whatever the package holds
    await ok(await _accept(client, pid, passed=False), 201)
    await archive_documents(client, pid, ["risk_assessment"])
    await ok(await _accept(client, pid), 201)
    assert [e.data["passed"] for e in await harness.events("ArchivesAccepted", subject=pid)] == [False, True]


async def test_r7_2_crypto_assessment_needed_only_when_cryptography_is_used(client, approve):
    pid = await approve()
    await ok(await client.put(f"/projects/{pid}/profile", headers=UNIT, json={"uses_cryptography": True}))
    await archive_documents(client, pid)
    r = await _accept(client, pid)
    assert r.status_code == 409 and [(x["kind"], x["rule"]) for x in r.json()["violations"]] == [
        ("crypto_assessment", "R-7.2")
    ]
    await archive_documents(client, pid, ["crypto_assessment"])
    await ok(await _accept(client, pid), 201)


async def test_documents_of_other_services_join_the_archive_once(client, harness, approve):
    pid = await approve()
    ev = _stored(ReserveDocumentStored, pid, "proposal")
    assert await harness.deliver(ev)
    await harness.deliver(_stored(BudgetDocumentStored, pid, "contract"))
    await harness.deliver(ev)  # redelivered: nothing changes
    m = await ok(await client.get(f"/projects/{pid}/archive-manifest", headers=UNIT))
    assert [(d["service"], d["kind"]) for d in m["documents"]] == [("reserve", "proposal"), ("budget", "contract")]
    first = m["documents"][0]
    assert first["event"]["type"] == "ReserveDocumentStored" and first["event"]["id"]
    assert (first["sha256"], first["who"]["org"]) == (ev.sha256, "ORG-UNIT-A")
    assert "proposal" not in [x["kind"] for x in m["missing"]] and "contract" not in [x["kind"] for x in m["missing"]]


async def test_package_zip_streams_with_a_manifest_that_verifies(client, approve):
    pid = await approve()
    ids = await archive_documents(client, pid)
    r = await client.get(f"/projects/{pid}/archive-package", headers=BDB)
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    z = zipfile.ZipFile(io.BytesIO(r.content))
    m = orjson.loads(z.read("manifest.json"))
    assert m["project"]["id"] == pid and m["rule"] == "R-22.2"
    assert sorted(d["doc_id"] for d in m["documents"]) == sorted(ids.values())
    for d in m["documents"]:
        data = z.read(d["path"])
        assert hashlib.sha256(data).hexdigest() == d["sha256"] and hashlib.new("sm3", data).hexdigest() == d["sm3"]
        assert (d["size"], d["service"], d["event"]["type"]) == (len(data), "acceptance", "AcceptanceDocumentStored")
        assert d["kind_label"] and d["title"] and d["stored_at"] and d["who"]["sub"] == "unit-ORG-UNIT-A"
    assert (await client.get(f"/projects/{pid}/archive-package", headers=OTHER_UNIT)).status_code == 404


async def test_accepted_package_is_frozen_a_correction_is_a_new_version(client, approve):
    pid = await approve()
    ids = await archive_documents(client, pid)
    await ok(await _accept(client, pid), 201)
    fix = await ok(
        await client.post(
            f"/projects/{pid}/documents",
            headers=UNIT,
            **files.form("contract", files.pdf("合同（更正）"), supersedes=ids["contract"]),
        ),
        201,
    )
    assert fix["version"] == 2
    m = await ok(await client.get(f"/projects/{pid}/archive-manifest", headers=UNIT))
    assert m["accepted"]["report_no"] == "DA-1"
    assert sorted(d["doc_id"] for d in m["documents"]) == sorted(ids.values())  # as accepted
    assert [(d["doc_id"], d["supersedes"]) for d in m["corrections"]] == [(fix["id"], ids["contract"])]
    z = zipfile.ZipFile(io.BytesIO((await client.get(f"/projects/{pid}/archive-package", headers=UNIT)).content))
    names = z.namelist()
    assert len(names) == 1 + len(ids) + 1
    old = next(d for d in m["documents"] if d["doc_id"] == ids["contract"])
    assert hashlib.sha256(z.read(old["path"])).hexdigest() == old["sha256"]  # the accepted bytes, unchanged


async def test_records_reference_stored_documents(client, approve):
    pid, other = await approve(), await approve()
    report = await ok(
        await client.post(
            f"/projects/{pid}/documents", headers=UNIT, **files.form("security_test", files.pdf("等保测评报告"))
        ),
        201,
    )
    elsewhere = await ok(
        await client.post(
            f"/projects/{other}/documents", headers=UNIT, **files.form("security_test", files.pdf("别的项目"))
        ),
        201,
    )
    body = {"kind": "mlps", "report_no": "CP-1", "passed": True}
    for bad in ("nope", elsewhere["id"]):
        r = await client.post(f"/projects/{pid}/security-assessments", headers=UNIT, json={**body, "document_id": bad})
        assert r.status_code == 422 and r.json()["violations"][0]["field"] == "document_id"
    r = await client.post(
        f"/projects/{pid}/security-assessments",
        headers=UNIT,
        json={**body, "kind": "risk", "document_id": report["id"]},
    )
    assert r.status_code == 422  # a network security test is not a risk assessment
    await ok(
        await client.post(
            f"/projects/{pid}/security-assessments", headers=UNIT, json={**body, "document_id": report["id"]}
        ),
        201,
    )
    await ok(await client.post(f"/projects/{pid}/security-assessments", headers=UNIT, json=body), 201)  # still optional


async def test_acceptance_records_reference_stored_documents(client, harness, approve):
    pid = await approve()
    wrong = await ok(
        await client.post(f"/projects/{pid}/documents", headers=UNIT, **files.form("contract", files.pdf("合同"))), 201
    )
    record = await ok(
        await client.post(
            f"/projects/{pid}/documents", headers=UNIT, **files.form("acceptance_record", files.pdf("初验记录"))
        ),
        201,
    )
    body = {"opinion": "初验合格", "accepted_on": "2024-03-01"}
    r = await client.post(f"/projects/{pid}/preliminary", headers=UNIT, json={**body, "document_id": wrong["id"]})
    assert r.status_code == 422 and r.json()["violations"][0]["field"] == "document_id"
    assert await harness.events("PreliminaryAccepted", subject=pid) == []
    await ok(
        await client.post(f"/projects/{pid}/preliminary", headers=UNIT, json={**body, "document_id": record["id"]})
    )
    [ev] = await harness.events("PreliminaryAccepted", subject=pid)
    assert ev.data["document_id"] == record["id"]
