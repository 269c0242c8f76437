"""Generated 验收意见: of the latest stage passed, by its leader on the project's path (R-21.1,
R-21.2), with the archives and security results (R-22.1, R-7.2); DOCX and PDF stored as documents.
The PDF's first page is kept as artifacts/documents/acceptance_opinion.png."""

import hashlib

from govkit.docgen.testing import check_pdf

from ..support import BDB, OTHER_UNIT, UNIT
from .helpers import apply_final, final, ok, preliminary, prerequisites, trial


async def test_acceptance_opinion_by_the_stage_leader(client, harness, approve):
    pid = await approve()
    url = f"/projects/{pid}/documents/acceptance-opinion"
    early = await client.post(url, json={}, headers=UNIT)
    assert early.status_code == 409 and early.json()["rule"] == "R-21.1"
    await prerequisites(client, pid)
    await ok(await preliminary(client, pid))
    r = await client.post(url, json={"document_no": "初验〔2024〕1号"}, headers=UNIT)  # the unit leads preliminary
    assert r.status_code == 201, r.text
    assert r.json()["document_no"] == "初验〔2024〕1号"
    await ok(await trial(client, pid))
    await ok(await apply_final(client, pid))
    await ok(await final(client, pid))
    refused = await client.post(url, json={}, headers=UNIT)  # standard path: bdb leads the final acceptance
    assert refused.status_code == 403 and refused.json()["rule"] == "R-21.2"
    r = await client.post(url, json={"document_no": "终验〔2024〕7号", "opinion": "同意通过竣工验收。"}, headers=BDB)
    assert r.status_code == 201, r.text
    out = r.json()
    assert [x["rule"] for x in out["rules"]] == ["R-21.1", "R-21.2", "R-22.1", "R-7.2"]
    got = await client.get(f"/documents/{out['pdf']['id']}", headers=UNIT)
    assert got.status_code == 200 and hashlib.sha256(got.content).hexdigest() == out["pdf"]["sha256"]
    check_pdf(
        got.content,
        [
            "盐城市大数据管理局",
            "终验〔2024〕7号",
            "智慧城管平台竣工验收（终验）意见",
            "2024年5月10日",
            "档案验收",
            "网络安全等级保护测评",
            "风险评估",
            "合格",
            "同意通过竣工验收。",
            "R-22.1",
            "第二十二条",
            "R-7.2",
            "第七条",
        ],
        "acceptance_opinion",
    )
    assert (await client.post(url, json={}, headers=OTHER_UNIT)).status_code == 404
