"""年度项目储备库清单 (R-8.1, R-8.2) exported to Excel: Chinese headers, money as numbers, a total."""

import io
from datetime import date

from python_calamine import CalamineWorkbook

from govkit.dev.testing import auth

from ..support import BDB, declaration

UA, UB = auth("unit", "ORG-A"), auth("unit", "ORG-B")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sheet(r) -> list[list]:
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == XLSX and "attachment" in r.headers["content-disposition"]
    return CalamineWorkbook.from_filelike(io.BytesIO(r.content)).get_sheet_by_index(0).to_python(skip_empty_area=False)


async def test_library_exports_as_the_caller_may_see_it(client, at):
    at(date(2026, 11, 2))
    r = await client.post(
        "/windows",
        json={"kind": "annual", "library_year": 2027, "opens_on": "2026-10-01", "closes_on": "2026-11-30"},
        headers=BDB,
    )
    assert r.status_code == 201
    for who, title, amount in ((UA, "智慧教育资源平台", "1200000.00"), (UB, "不动产登记系统", "300000.50")):
        assert (
            await client.post("/declarations", json=declaration(title=title, estimated_investment=amount), headers=who)
        ).status_code == 201
    assert (await client.post("/libraries/2027/compile", headers=BDB)).status_code == 200
    rows = sheet(await client.get("/libraries/2027", params={"format": "xlsx"}, headers=BDB))
    assert rows[0][0] == "2027年度市级政务信息化项目储备库清单（已编制）"
    header = rows[2]
    assert header[:4] == ["序号", "申报编号", "项目名称", "建设单位"]
    data = [dict(zip(header, r, strict=False)) for r in rows[3:]]
    assert {d["项目名称"] for d in data[:-1]} == {"智慧教育资源平台", "不动产登记系统"}
    assert (
        data[0]["序号"] == 1
        and data[0]["入库日期"] == date(2026, 11, 2)
        and data[0]["入库依据"] == "年度编制（第八条）"
    )
    assert data[-1]["项目名称"] == "合计（2 个项目）" and data[-1]["申报投资（元）"] == 1500000.50
    mine = sheet(await client.get("/libraries/2027", params={"format": "xlsx"}, headers=UA))
    assert [r[2] for r in mine[3:]] == ["智慧教育资源平台", "合计（1 个项目）"]
    assert (await client.get("/libraries/2040", params={"format": "xlsx"}, headers=BDB)).status_code == 404
    assert (await client.get("/libraries/2027", params={"format": "csv"}, headers=BDB)).status_code == 422
