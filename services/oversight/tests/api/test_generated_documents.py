"""Generated 整改通知书 (R-30.1): by the department that ordered the rectification, naming the finding,
its rule, the duty area and the deadline, with the sanctions ladder (R-30.2); DOCX and PDF stored as
the project's documents (kind rectification_order). Kept as artifacts/documents/rectification_notice.png."""

import hashlib

from govkit.dev.testing import auth
from govkit.docgen.testing import check_pdf


async def test_rectification_notice_by_the_ordering_department(client, harness, approve):
    pid = await approve("ORG-A", title="智慧应急平台")
    r = await client.post(
        f"/projects/{pid}/rectifications",
        json={
            "finding": "未接入市级数据共享交换平台",
            "deadline": "2027-12-20",
            "area": "resource_sharing",
            "rule": "R-10.5",
        },
        headers=auth("bdb", "BDB"),
    )
    assert r.status_code == 201, r.text
    rid = r.json()["id"]
    url = f"/rectifications/{rid}/documents/notice"
    assert (await client.post(url, json={}, headers=auth("unit", "ORG-A"))).status_code == 403
    wrong = await client.post(url, json={}, headers=auth("finance", "CZJ"))  # did not order it
    assert wrong.status_code == 403 and wrong.json()["rule"] == "R-30.1"
    r = await client.post(url, json={"document_no": "盐数整改〔2027〕5号"}, headers=auth("bdb", "BDB"))
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["pdf"]["kind"] == "rectification_order" and out["document_no"] == "盐数整改〔2027〕5号"
    assert [x["rule"] for x in out["rules"]] == ["R-30.1", "R-30.2", "R-10.5"]
    got = await client.get(f"/documents/{out['pdf']['id']}", headers=auth("unit", "ORG-A"))
    assert got.status_code == 200 and hashlib.sha256(got.content).hexdigest() == out["pdf"]["sha256"]
    check_pdf(
        got.content,
        [
            "盐城市大数据管理局",
            "整改通知书",
            "盐数整改〔2027〕5号",
            "ORG-A",
            "智慧应急平台",
            "未接入市级数据共享交换平台",
            "资源集约和数据共享",
            "2027年12月20日",
            "R-10.5",
            "第十条",
            "通报批评",
            "R-30.2",
            "第三十条",
        ],
        "rectification_notice",
    )
    [ev] = [e for e in await harness.events("OversightDocumentStored") if e.data["doc_id"] == out["pdf"]["id"]]
    assert ev.rule == "R-30.1"
    missing = await client.post(
        "/rectifications/00000000-0000-4000-8000-000000000000/documents/notice", json={}, headers=auth("bdb", "BDB")
    )
    assert missing.status_code == 404
