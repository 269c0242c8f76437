"""Documents in approval: materials (R-10.1) reference stored files (`document_id`, validated for
the project; the checksum taken from the file); the old free-text `uri` is refused (422 naming it); another
unit neither sees nor fetches them (404); uploads emit ApprovalDocumentStored for the archive."""

from govkit.dev.testing import auth
from govkit.documents import testing as files
from tests.conftest import UNIT_ORG

UNIT = auth("unit", UNIT_ORG)
OTHER = auth("unit", "ORG-OTHER")


async def test_material_references_a_stored_document(flow, harness, client):
    pid = await flow.admit("800000.00")
    other = await flow.admit("800000.00", title="别的项目")
    data = files.pdf("可行性研究报告")
    up = await client.post(
        f"/projects/{pid}/documents",
        headers=UNIT,
        **files.form("feasibility_study", data, "可研.pdf", sha256=files.sha256(data)),
    )
    assert up.status_code == 201, up.text
    doc = up.json()
    [ev] = await harness.events("ApprovalDocumentStored")
    assert (ev.data["doc_id"], ev.data["sm3"]) == (doc["id"], files.sm3(data))
    r = await client.post(
        f"/applications/{pid}/materials",
        headers=UNIT,
        json={"kind": "feasibility_study", "title": "可研报告", "document_id": doc["id"]},
    )
    assert r.status_code == 201, r.text
    assert (r.json()["document_id"], r.json()["sha256"]) == (doc["id"], files.sha256(data))
    [added] = await harness.events("MaterialAdded", subject=pid)
    assert added.data["document_id"] == doc["id"]
    # a document of another project, an unknown id, or a checksum that is not the file's: 422
    foreign = (
        await client.post(f"/projects/{other}/documents", headers=UNIT, **files.form("proposal", files.pdf("x")))
    ).json()
    for body in (
        {"document_id": foreign["id"]},
        {"document_id": "no-such"},
        {"document_id": doc["id"], "sha256": "0" * 64},
    ):
        r = await client.post(
            f"/applications/{pid}/materials", headers=UNIT, json={"kind": "proposal", "title": "建议书", **body}
        )
        assert r.status_code == 422, r.text
        assert r.json()["violations"][0]["field"] in ("document_id", "sha256")
    assert len(await harness.events("MaterialAdded", subject=pid)) == 1
    # the old free-text reference is refused, naming the field, and nothing is recorded
    legacy = await client.post(
        f"/applications/{pid}/materials",
        headers=UNIT,
        json={"kind": "proposal", "title": "建议书", "uri": "https://example.org/a.pdf"},
    )
    assert legacy.status_code == 422, legacy.text
    [violation] = legacy.json()["violations"]
    assert violation["field"] == "uri" and "document_id" in violation["message"] and "第十条" in violation["message"]
    assert len(await harness.events("MaterialAdded", subject=pid)) == 1


async def test_other_unit_gets_404_for_documents(flow, client):
    pid = await flow.admit("800000.00")
    doc = (
        await client.post(f"/projects/{pid}/documents", headers=UNIT, **files.form("proposal", files.pdf("建议书")))
    ).json()
    assert (await client.get(f"/documents/{doc['id']}", headers=OTHER)).status_code == 404
    assert (await client.get(f"/projects/{pid}/documents", headers=OTHER)).status_code == 404
    assert (
        await client.post(f"/projects/{pid}/documents", headers=OTHER, **files.form("proposal", files.pdf("y")))
    ).status_code == 404
    r = await client.get(f"/documents/{doc['id']}", headers=auth("bdb", "BDB"))
    assert r.status_code == 200 and r.content == files.pdf("建议书")
