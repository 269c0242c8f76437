"""Generated 概算评审意见 (finance, R-25.1): DOCX and PDF stored as the project's documents, with the
report number and the rules. The PDF's first page is kept as artifacts/documents/estimate_review.png."""

import hashlib

from govkit.dev.testing import auth
from govkit.docgen.testing import check_pdf

from .helpers import FIN, UNIT, new_id, review_started


async def test_estimate_review_document_after_the_review(harness, client):
    pid = new_id()
    await review_started(harness, pid, "800000.00")
    url = f"/projects/{pid}/documents/estimate-review"
    early = await client.post(url, json={}, headers=FIN)
    assert early.status_code == 409 and early.json()["rule"] == "R-25.1"
    r = await client.post(
        f"/projects/{pid}/estimate-review",
        headers=FIN,
        json={"report_no": "CZPS-2026-018", "reviewed_amount": "760000.50"},
    )
    assert r.status_code in (200, 201), r.text
    assert (await client.post(url, json={}, headers=UNIT)).status_code == 403
    r = await client.post(url, json={}, headers=FIN)
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["document_no"] == "CZPS-2026-018" and [x["rule"] for x in out["rules"]] == ["R-25.1", "R-26.1"]
    got = await client.get(f"/documents/{out['pdf']['id']}", headers=UNIT)
    assert got.status_code == 200 and hashlib.sha256(got.content).hexdigest() == out["pdf"]["sha256"]
    check_pdf(
        got.content,
        [
            "盐城市财政局",
            "CZPS-2026-018",
            "智慧城管平台投资概算评审意见",
            "800,000.00",
            "760,000.50",
            "柒拾陆万元伍角",
            "39,999.50",
            "5.00%",
            "R-25.1",
            "第二十五条",
        ],
        "estimate_review",
    )
    [ev] = [e for e in await harness.events("BudgetDocumentStored") if e.data["doc_id"] == out["pdf"]["id"]]
    assert ev.rule == "R-25.1" and ev.data["sm3"] == out["pdf"]["sm3"]
    hidden = await client.post(url, json={}, headers=auth("unit", "ORG-B"))
    assert hidden.status_code == 403
    assert (await client.get(f"/documents/{out['docx']['id']}", headers=auth("unit", "ORG-B"))).status_code == 404


async def test_generated_documents_are_listed_with_number_rules_and_files(harness, client, monkeypatch):
    """GET /projects/{id}/generated-documents: what was generated (kind, number, rules, both files with
    checksums and download addresses), oldest first, paged; 404 for a unit that may not see the project.
    The PDF conversion is replaced by fixed bytes here: the list is under test, not LibreOffice."""
    from govkit import docgen

    async def fake_pdf(docx: bytes, **_) -> bytes:
        return b"%PDF-1.4\n% generated in a test\n%%EOF\n" + hashlib.sha256(docx).digest()

    monkeypatch.setattr(docgen, "to_pdf", fake_pdf)
    pid = new_id()
    await review_started(harness, pid, "800000.00")
    listing = f"/projects/{pid}/generated-documents"
    assert (await client.get(listing, headers=FIN)).json() == {"items": [], "next_cursor": None}
    r = await client.post(
        f"/projects/{pid}/estimate-review",
        headers=FIN,
        json={"report_no": "CZPS-2026-018", "reviewed_amount": "760000.50"},
    )
    assert r.status_code in (200, 201), r.text
    url = f"/projects/{pid}/documents/estimate-review"
    first = (await client.post(url, json={}, headers=FIN)).json()
    second = (await client.post(url, json={"document_no": "CZPS-2026-018-1"}, headers=FIN)).json()
    assert first["id"] and second["id"] and first["id"] != second["id"]
    page = (await client.get(listing, params={"limit": 1}, headers=UNIT)).json()
    [item] = page["items"]
    assert item["id"] == first["id"] and page["next_cursor"]
    assert (item["kind"], item["kind_label"], item["document_no"], item["issuer"]) == (
        "estimate_review",
        "概算评审意见",
        "CZPS-2026-018",
        "盐城市财政局",
    )
    assert [x["rule"] for x in item["rules"]] == ["R-25.1", "R-26.1"] and item["rules"][0]["article"] == "第二十五条"
    for fmt in ("docx", "pdf"):
        f = item[fmt]
        assert (f["id"], f["sha256"], f["sm3"]) == (first[fmt]["id"], first[fmt]["sha256"], first[fmt]["sm3"])
        assert f["download"] == f"/api/v1/budget/documents/{f['id']}"
        got = await client.get(f"/documents/{f['id']}", headers=UNIT)
        assert hashlib.sha256(got.content).hexdigest() == f["sha256"] and len(got.content) == f["size"]
    rest = (await client.get(listing, params={"limit": 1, "cursor": page["next_cursor"]}, headers=FIN)).json()
    assert [i["document_no"] for i in rest["items"]] == ["CZPS-2026-018-1"] and rest["next_cursor"] is None
    assert (await client.get(listing, params={"kind": "technical_opinion"}, headers=FIN)).json()["items"] == []
    assert (await client.get(listing, params={"kind": "nonsense"}, headers=FIN)).status_code == 422
    assert (await client.get(listing, headers=auth("unit", "ORG-SOMEONE-ELSE"))).status_code == 404
