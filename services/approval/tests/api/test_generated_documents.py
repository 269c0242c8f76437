"""Generated documents of approval: 技术审核意见 (bdb) and 项目批复（草稿）(approval_bureau), as DOCX and
PDF stored as the project's documents, carrying the document number and the rules (R-10.1, R-11.*,
R-25.1). Each PDF's first page is kept as artifacts/documents/<kind>.png."""

import hashlib
import io

import docx

from govkit.dev.testing import auth
from govkit.docgen.testing import check_pdf

BDB = auth("bdb", "BDB")
APB = auth("approval_bureau", "XZSP")


async def stored(client, doc: dict, headers) -> bytes:
    r = await client.get(f"/documents/{doc['id']}", headers=headers)
    assert r.status_code == 200, r.text
    assert hashlib.sha256(r.content).hexdigest() == doc["sha256"] and len(r.content) == doc["size"]
    assert doc["sm3"] == hashlib.new("sm3", r.content).hexdigest()
    return r.content


async def test_technical_opinion_waits_for_the_reviews_then_is_stored_as_docx_and_pdf(client, harness, flow):
    pid = await flow.under_review("600000.00", title="智慧防汛指挥平台")
    url = f"/applications/{pid}/documents/technical-opinion"
    early = await client.post(url, json={}, headers=BDB)
    assert early.status_code == 409 and early.json()["rule"] == "R-11.1"
    assert {v["rule"] for v in early.json()["violations"]} == {"R-11.1"}
    await flow.reviews(pid)
    assert (await client.post(url, json={}, headers=APB)).status_code == 403
    r = await client.post(url, json={"document_no": "盐数审〔2027〕12号"}, headers=BDB)
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["document_no"] == "盐数审〔2027〕12号" and out["kind"] == "technical_opinion"
    assert [x["rule"] for x in out["rules"]][:2] == ["R-10.1", "R-11.1"]
    assert {"rule": "R-10.1", "article": "第十条", "basis": "text"} in out["rules"]
    assert out["docx"]["content_type"].endswith("wordprocessingml.document")
    assert out["pdf"]["content_type"] == "application/pdf" and out["pdf"]["kind"] == "technical_opinion"
    pdf = await stored(client, out["pdf"], BDB)
    text = check_pdf(
        pdf,
        [
            "盐城市大数据管理局",
            "盐数审〔2027〕12号",
            "关于智慧防汛指挥平台的技术审核意见",
            "ORG-UNIT-A",
            "600,000.00",
            "专家评审",
            "张工",
            "85 分",
            "R-10.1",
            "第十条",
            "R-11.1",
            "第十一条",
        ],
        "technical_opinion",
    )
    assert "R-10.2" in text  # the automated checks the opinion rests on are listed with their rules
    word = docx.Document(io.BytesIO(await stored(client, out["docx"], BDB)))
    assert word.core_properties.identifier == "盐数审〔2027〕12号" and "R-10.1 第十条" in word.core_properties.keywords
    assert any("智慧防汛指挥平台" in p.text for p in word.paragraphs)
    events = await harness.events("ApprovalDocumentStored")
    assert {e.data["doc_id"] for e in events} == {out["docx"]["id"], out["pdf"]["id"]}
    # the unit sees its project's documents; another unit does not
    listed = (await client.get(f"/projects/{pid}/documents", headers=auth("unit", "ORG-UNIT-A"))).json()
    assert {d["id"] for d in listed["items"]} >= {out["docx"]["id"], out["pdf"]["id"]}
    assert (await client.get(f"/documents/{out['pdf']['id']}", headers=auth("unit", "ORG-OTHER"))).status_code == 404
    other = await client.post(f"/applications/{pid}/documents/technical-opinion", json={}, headers=auth("bdb", "BDB"))
    assert other.status_code == 201 and other.json()["document_no"].startswith("盐数审〔")


async def test_approval_draft_needs_the_technical_opinion_and_the_estimate_review(client, flow):
    pid = await flow.under_review("600000.00", title="不动产登记系统")
    await flow.reviews(pid)
    url = f"/applications/{pid}/documents/approval-draft"
    r = await client.post(url, json={}, headers=APB)
    assert r.status_code == 409
    assert {v["rule"] for v in r.json()["violations"]} == {"R-10.1", "R-25.1"}  # both missing, both listed
    assert (await flow.tech(pid)).status_code == 200
    r = await client.post(url, json={}, headers=APB)
    assert r.status_code == 409 and [v["rule"] for v in r.json()["violations"]] == ["R-25.1"]
    await flow.estimate(pid, "550000.00", report_no="CZ-PS-9")
    assert (await client.post(url, json={}, headers=BDB)).status_code == 403
    r = await client.post(url, json={"construction_months": 12, "document_no": "盐行审批〔2027〕3号"}, headers=APB)
    assert r.status_code == 201, r.text
    out = r.json()
    assert "R-25.1" in [x["rule"] for x in out["rules"]]
    check_pdf(
        await stored(client, out["pdf"], APB),
        [
            "盐城市行政审批局",
            "（草 稿）",
            "关于不动产登记系统的批复",
            "DSJ-JS-1",
            "CZ-PS-9",
            "550,000.00",
            "伍拾伍万元整",
            "12个月",
            "R-25.1",
            "第二十五条",
        ],
        "approval_draft",
    )


async def test_a_unit_cannot_generate_and_an_unknown_project_is_404(client, flow):
    pid = await flow.admit()
    assert (
        await client.post(
            f"/applications/{pid}/documents/technical-opinion", json={}, headers=auth("unit", "ORG-UNIT-A")
        )
    ).status_code == 403
    r = await client.post(f"/applications/{pid}/documents/technical-opinion", json={}, headers=BDB)
    assert r.status_code == 409 and r.json()["rule"] == "R-10.1"  # not yet submitted for review
    unknown = await client.post(
        "/applications/00000000-0000-4000-8000-000000000000/documents/technical-opinion", json={}, headers=BDB
    )
    assert unknown.status_code == 404
    bad = await client.post(f"/applications/{pid}/documents/technical-opinion", json={"document_no": ""}, headers=BDB)
    assert bad.status_code == 422
