"""Documents in budget: contracts (R-26.1) reference the stored contract file (`document_id`,
validated: this project's, of kind contract); uploads emit BudgetDocumentStored; another unit gets 404."""

from govkit.dev.testing import auth
from govkit.documents import testing as files

from .helpers import FIN, OTHER, UNIT, approved, contract, new_id, review_started


async def test_contract_references_the_stored_contract(harness, client):
    pid, other = new_id(), new_id()
    for p in (pid, other):
        await review_started(harness, p, "1000.00")
        await approved(harness, p, "1000.00")
    doc = await client.post(f"/projects/{pid}/documents", headers=UNIT, **files.form("contract", files.pdf("合同")))
    assert doc.status_code == 201, doc.text
    doc = doc.json()
    [ev] = await harness.events("BudgetDocumentStored")
    assert ev.data["kind"] == "contract" and ev.data["doc_id"] == doc["id"]
    invoice = (
        await client.post(f"/projects/{pid}/documents", headers=UNIT, **files.form("invoice", files.png()))
    ).json()
    foreign = (
        await client.post(f"/projects/{other}/documents", headers=UNIT, **files.form("contract", files.pdf("别的合同")))
    ).json()
    for bad in (invoice["id"], foreign["id"], "nope"):
        r = await client.post(
            f"/projects/{pid}/contracts",
            headers=UNIT,
            json={
                "contract_no": "HT-9",
                "supplier": "某公司",
                "amount": "100.00",
                "procurement_method": "open_tender",
                "signed_on": "2026-03-02",
                "document_id": bad,
            },
        )
        assert r.status_code == 422 and r.json()["violations"][0]["field"] == "document_id", r.text
    r = await client.post(
        f"/projects/{pid}/contracts",
        headers=UNIT,
        json={
            "contract_no": "HT-1",
            "supplier": "某公司",
            "amount": "100.00",
            "procurement_method": "open_tender",
            "signed_on": (await _today()).isoformat(),
            "document_id": doc["id"],
        },
    )
    assert r.status_code == 201, r.text
    assert r.json()["document_id"] == doc["id"]
    [rec] = await harness.events("ContractRecorded", subject=pid)
    assert rec.data["document_id"] == doc["id"]
    assert (await contract(client, pid, no="HT-2")).status_code == 201  # still optional


async def _today():
    from govkit import clock

    return clock.today()


async def test_other_unit_gets_404_for_budget_documents(harness, client):
    pid = new_id()
    await review_started(harness, pid, "1000.00")
    await approved(harness, pid, "1000.00")
    doc = (await client.post(f"/projects/{pid}/documents", headers=UNIT, **files.form("invoice", files.jpeg()))).json()
    other = auth("unit", OTHER)
    assert (await client.get(f"/documents/{doc['id']}", headers=other)).status_code == 404
    assert (await client.get(f"/documents/{doc['id']}", headers=FIN)).status_code == 200
    r = await client.get(f"/documents/{doc['id']}", headers={**UNIT, "Range": "bytes=0-2"})
    assert r.status_code == 206 and r.content == files.jpeg()[:3]


async def test_funding_request_evidence_names_stored_invoices(harness, client):
    """R-5.1: an invoice named by `document_id` must be a stored document of this project."""
    pid, other = new_id(), new_id()
    for p in (pid, other):
        await review_started(harness, p, "1000.00")
        await approved(harness, p, "1000.00")
    c = (await contract(client, pid, "1000.00")).json()
    invoice = (
        await client.post(f"/projects/{pid}/documents", headers=UNIT, **files.form("invoice", files.pdf("发票")))
    ).json()
    foreign = (
        await client.post(f"/projects/{other}/documents", headers=UNIT, **files.form("invoice", files.pdf("x")))
    ).json()
    body = {"amount": "100.00", "purpose": "进度款", "contract_id": c["id"]}
    r = await client.post(
        f"/projects/{pid}/funding-requests",
        headers=UNIT,
        json={
            **body,
            "evidence": [
                {"kind": "invoice", "ref": "FP-1", "document_id": invoice["id"]},
                {"kind": "invoice", "ref": "FP-2", "document_id": foreign["id"]},
            ],
        },
    )
    assert r.status_code == 422 and r.json()["violations"][0]["field"] == "evidence[1].document_id", r.text
    r = await client.post(
        f"/projects/{pid}/funding-requests",
        headers=UNIT,
        json={**body, "evidence": [{"kind": "invoice", "ref": "FP-1", "document_id": invoice["id"]}]},
    )
    assert r.status_code == 201, r.text
    assert r.json()["evidence"][0]["document_id"] == invoice["id"]
