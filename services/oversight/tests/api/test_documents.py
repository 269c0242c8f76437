"""Documents in oversight: a quarterly report's attachments (R-18.1) are stored documents of the
project (validated, 422 naming the attachment otherwise); uploads emit OversightDocumentStored;
another unit gets 404 for the project's files."""

from datetime import date

from govkit.dev.testing import auth
from govkit.documents import testing as files

from .test_reports import report

UA, UB = auth("unit", "ORG-A"), auth("unit", "ORG-B")


async def test_report_attachments_are_stored_documents(client, harness, approve):
    pid = await approve("ORG-A", approved_on=date(2027, 2, 10))
    other = await approve("ORG-A", approved_on=date(2027, 2, 10))
    doc = await client.post(
        f"/projects/{pid}/documents", headers=UA, **files.form("quarterly_report", files.docx(), "一季度进度.docx")
    )
    assert doc.status_code == 201, doc.text
    doc = doc.json()
    assert doc["content_type"].endswith("wordprocessingml.document")
    [ev] = await harness.events("OversightDocumentStored")
    assert ev.data["doc_id"] == doc["id"] and ev.subject == str(pid)
    foreign = (
        await client.post(f"/projects/{other}/documents", headers=UA, **files.form("report_attachment", files.pdf()))
    ).json()
    r = await client.post(
        f"/projects/{pid}/progress-reports", headers=UA, json=report(attachments=[doc["id"], foreign["id"]])
    )
    assert r.status_code == 422 and r.json()["violations"][0]["field"] == "attachments[1]"
    assert await harness.events("ProgressReported") == []
    r = await client.post(f"/projects/{pid}/progress-reports", headers=UA, json=report(attachments=[doc["id"]]))
    assert r.status_code == 201, r.text
    assert r.json()["attachments"] == [doc["id"]]
    [rep] = await harness.events("ProgressReported")
    assert rep.data["attachments"] == [doc["id"]]


async def test_other_unit_gets_404_for_oversight_documents(client, approve):
    pid = await approve("ORG-A", approved_on=date(2027, 2, 10))
    doc = (
        await client.post(
            f"/projects/{pid}/documents", headers=UA, **files.form("supervision_report", files.pdf("监理"))
        )
    ).json()
    assert (await client.get(f"/documents/{doc['id']}", headers=UB)).status_code == 404
    assert (await client.get(f"/projects/{pid}/documents", headers=UB)).status_code == 404
    assert (await client.get(f"/documents/{doc['id']}", headers=auth("bdb", "BDB"))).status_code == 200
    assert (await client.get("/projects/not-a-uuid/documents", headers=UA)).status_code == 404
