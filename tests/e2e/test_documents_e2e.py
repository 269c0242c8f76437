"""End to end through the gateway: documents stored in every service (multipart, streamed through
the gateway proxy), the acceptance service's electronic archive fed by their DocumentStored events
(R-22.2), the archives acceptance recorded by the archives authority only (R-22.1), and the
archive package downloaded as one ZIP whose manifest verifies (SHA-256 and SM3 of every file)."""

from __future__ import annotations

import hashlib
import io
import zipfile

import orjson
from tests.e2e.flows import (
    ACCEPTANCE,
    APPROVAL,
    APPROVAL_BUREAU,
    ARCHIVES_ORG,
    BDB,
    BUDGET,
    OVERSIGHT,
    RESERVE,
    Api,
    acceptance_path,
    approved_project,
    eventually,
    ok,
    pdf_bytes,
    unique_org,
    upload_document,
)


def _docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document>一季度进度</w:document>")
    return buf.getvalue()


def test_documents_of_every_service_make_one_archive_package_that_verifies(api):
    unit = api("unit", unique_org())
    bdb, bureau = api("bdb", BDB), api("approval_bureau", APPROVAL_BUREAU)
    pid = approved_project(api, unit, "300000.00")
    big = pdf_bytes("可行性研究报告") + b"0" * (3 * 1024 * 1024)  # beyond the gateway's 2 MB JSON body limit
    stored = {
        "proposal": upload_document(unit, RESERVE, pid, "proposal"),
        "feasibility_study": upload_document(
            unit, APPROVAL, pid, "feasibility_study", big, sha256=hashlib.sha256(big).hexdigest()
        ),
        "preliminary_design": upload_document(unit, APPROVAL, pid, "preliminary_design"),
        "technical_opinion": upload_document(bdb, APPROVAL, pid, "technical_opinion"),
        "approval_document": upload_document(bureau, APPROVAL, pid, "approval_document"),
        "contract": eventually(
            lambda: (
                (
                    r := unit.post(
                        f"{BUDGET}/projects/{pid}/documents",
                        data={"kind": "contract"},
                        files={"file": ("合同.pdf", pdf_bytes(f"{pid} 合同"), "application/pdf")},
                    )
                ).status_code
                == 201
                and r.json()
            ),
            timeout=30,
        ),
        "quarterly_report": eventually(
            lambda: (
                (
                    r := unit.post(
                        f"{OVERSIGHT}/projects/{pid}/documents",
                        data={"kind": "quarterly_report", "title": "一季度进度报告"},
                        files={"file": ("q1.docx", _docx(), "application/octet-stream")},
                    )
                ).status_code
                == 201
                and r.json()
            ),
            timeout=30,
        ),
        "security_test": upload_document(unit, ACCEPTANCE, pid, "security_test"),
    }
    assert stored["feasibility_study"]["size"] == len(big)
    assert stored["quarterly_report"]["content_type"].endswith("wordprocessingml.document")
    # the bytes come back through the gateway, whole and by range
    got = unit.get(f"{APPROVAL}/documents/{stored['feasibility_study']['id']}")
    assert got.status_code == 200 and hashlib.sha256(got.content).hexdigest() == hashlib.sha256(big).hexdigest()
    part = unit.get(f"{APPROVAL}/documents/{stored['feasibility_study']['id']}", headers={"Range": "bytes=0-4"})
    assert part.status_code == 206 and part.content == b"%PDF-"
    # another unit learns nothing
    other = api("unit", unique_org())
    assert other.get(f"{BUDGET}/documents/{stored['contract']['id']}").status_code == 404
    assert other.get(f"{acceptance_path(pid)}/archive-package").status_code == 404
    # a wrong checksum is refused and stores nothing
    r = unit.post(
        f"{RESERVE}/projects/{pid}/documents",
        data={"kind": "material", "sha256": "0" * 64},
        files={"file": ("x.pdf", pdf_bytes("x"), "application/pdf")},
    )
    assert r.status_code == 422, r.text

    # every service's DocumentStored reaches the archive
    def manifest():
        m = unit.get(f"{acceptance_path(pid)}/archive-manifest").json()
        return m if {d["doc_id"] for d in m["documents"]} >= {d["id"] for d in stored.values()} else None

    m = eventually(manifest, timeout=30)
    assert {d["service"] for d in m["documents"]} == {"reserve", "approval", "budget", "oversight", "acceptance"}
    assert [v["kind"] for v in m["missing"]] == ["risk_assessment"]

    # not the unit; not while the risk assessment is missing
    accept = {"report_no": "DA-E2E", "passed": True}
    r = unit.post(f"{acceptance_path(pid)}/archives-acceptance", json=accept)
    assert r.status_code == 403 and r.json()["rule"] == "R-22.1", r.text
    with Api(str(unit.base_url), "archives", ARCHIVES_ORG) as archives:
        r = archives.post(f"{acceptance_path(pid)}/archives-acceptance", json=accept)
        assert r.status_code == 409 and r.json()["rule"] == "R-22.2", r.text
        assert [(v["kind"], v["rule"]) for v in r.json()["violations"]] == [("risk_assessment", "R-7.2")]
        stored["risk_assessment"] = upload_document(unit, ACCEPTANCE, pid, "risk_assessment")
        ok(archives.post(f"{acceptance_path(pid)}/archives-acceptance", json=accept), 201)

    # the package: one ZIP, streamed through the gateway, whose manifest verifies
    r = unit.get(f"{acceptance_path(pid)}/archive-package")
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    z = zipfile.ZipFile(io.BytesIO(r.content))
    m = orjson.loads(z.read("manifest.json"))
    assert m["accepted"]["report_no"] == "DA-E2E"
    assert {d["doc_id"] for d in m["documents"]} == {d["id"] for d in stored.values()}
    for d in m["documents"]:
        data = z.read(d["path"])
        assert hashlib.sha256(data).hexdigest() == d["sha256"], d["path"]
        assert hashlib.new("sm3", data).hexdigest() == d["sm3"], d["path"]
        assert d["size"] == len(data) and d["event"]["id"] and d["event"]["type"].endswith("DocumentStored")
        assert d["who"]["sub"] and d["stored_at"] and d["kind_label"]
    assert len(z.namelist()) == 1 + len(stored)
