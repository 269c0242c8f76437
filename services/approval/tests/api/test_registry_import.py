"""Excel imports of the registry of built systems (R-10.3, X-10.3) and the data catalogs (R-6.1):
all or nothing, every refusal reported by row and column in Chinese."""

import io

import xlsxwriter
from python_calamine import CalamineWorkbook

from govkit.dev.testing import auth

BDB = auth("bdb", "BDB")


def workbook(rows: list[list]) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet()
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v is not None:
                ws.write(r, c, v)
    wb.close()
    return buf.getvalue()


def upload(content: bytes, name: str = "清单.xlsx") -> dict:
    return {"files": {"file": (name, content, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}}


SYSTEMS = [
    ["已建系统清单"],
    ["系统编号", "建设单位", "系统名称", "主要功能", "数据项", "是否平台"],
    ["SYS-1", "ORG-A", "市政务服务平台", "网上办事、好差评", "企业名称，统一社会信用代码", "是"],
    ["SYS-2", "ORG-B", "城管案件系统", "案件派遣", None, "否"],
]


async def test_systems_import_from_excel(client, harness):
    r = await client.post("/registry/systems:import", headers=BDB, **upload(workbook(SYSTEMS)))
    assert r.status_code == 200, r.text
    assert (r.json()["created"], r.json()["rows"], r.json()["rule"]) == (2, 2, "R-10.3")
    listed = {s["id"]: s for s in (await client.get("/registry/systems", headers=BDB)).json()["items"]}
    assert listed["SYS-1"]["functions"] == ["网上办事", "好差评"]
    assert listed["SYS-1"]["data_items"] == ["企业名称", "统一社会信用代码"] and listed["SYS-1"]["is_platform"] is True
    assert listed["SYS-2"]["is_platform"] is False
    assert len(await harness.events("RegistrySystemAdded")) == 2
    again = await client.post("/registry/systems:import", headers=BDB, **upload(workbook(SYSTEMS)))
    assert (again.json()["created"], again.json()["updated"]) == (0, 2)


async def test_systems_import_is_all_or_nothing_with_a_report_per_row(client, harness):
    bad = SYSTEMS + [
        ["SYS-3", None, "无单位的系统", None, None, "是"],
        ["SYS-1", "ORG-C", "重复编号", None, None, "否"],
        ["SYS-4", "ORG-D", "平台系统", None, None, "也许"],
        ["SYS-5", "ORG-E", "长" * 501, None, None, None],
    ]
    r = await client.post("/registry/systems:import", headers=BDB, **upload(workbook(bad)))
    assert r.status_code == 422
    body = r.json()
    assert body["errors_total"] == 4 and body["rows_total"] == 6 and "未导入任何数据" in body["detail"]
    report = [(v["row"], v["column"]) for v in body["violations"]]
    assert report == [(5, "建设单位"), (6, "系统编号"), (7, "是否平台"), (8, "系统名称")]
    messages = [v["message"] for v in body["violations"]]
    assert messages[0] == "必填，不能为空" and "与第 3 行重复" in messages[1] and "“是”或“否”" in messages[2]
    assert "不超过 500 个字符" in messages[3]
    assert (await client.get("/registry/systems", headers=BDB)).json()["items"] == []  # nothing half-imported
    assert await harness.events("RegistrySystemAdded") == []


async def test_catalog_import_needs_share_and_open_types_r6_1(client, harness):
    rows = [
        ["目录编号", "提供单位", "目录名称", "数据项名称", "共享类型", "开放类型"],
        ["C-1", "ORG-A", "法人信息", "统一社会信用代码", "无条件共享", "有条件开放"],
        ["C-2", "ORG-A", "法人信息", "法定代表人", "有条件共享", None],
        ["C-3", "ORG-A", "法人信息", "注册资本", "部分共享", "不予开放"],
    ]
    r = await client.post("/catalogs/items:import", headers=BDB, **upload(workbook(rows)))
    assert r.status_code == 422
    violations = r.json()["violations"]
    assert [(v["row"], v["column"]) for v in violations] == [(3, "开放类型"), (4, "共享类型")]
    assert all("第六条" in v["message"] for v in violations)
    assert (await client.get("/catalogs/items", headers=BDB)).json()["items"] == []
    rows[2][5], rows[3][4] = "不予开放", "not_shared"  # the codes are accepted too
    ok = await client.post("/catalogs/items:import", headers=BDB, **upload(workbook(rows)))
    assert ok.status_code == 200, ok.text
    assert ok.json()["rows"] == 3 and ok.json()["rule"] == "R-6.1"
    items = {i["id"]: i for i in (await client.get("/catalogs/items", headers=BDB)).json()["items"]}
    assert (items["C-1"]["share_type"], items["C-1"]["open_type"]) == ("unconditional", "conditional")
    assert items["C-3"]["share_type"] == "not_shared"
    [ev] = await harness.events("CatalogItemsImported")
    assert ev.data["count"] == 3


async def test_import_refusals_and_templates(client):
    assert (
        await client.post("/registry/systems:import", headers=auth("unit", "ORG-A"), **upload(workbook(SYSTEMS)))
    ).status_code == 403
    garbage = await client.post("/registry/systems:import", headers=BDB, **upload(b"not a workbook", "x.xlsx"))
    assert garbage.status_code == 422 and garbage.json()["violations"][0]["field"] == "file"
    no_column = await client.post(
        "/catalogs/items:import", headers=BDB, **upload(workbook([["提供单位", "数据项名称"], ["ORG-A", "x"]]))
    )
    assert no_column.status_code == 422 and "共享类型" in no_column.json()["detail"]
    empty = await client.post("/registry/systems:import", headers=BDB, **upload(workbook([SYSTEMS[1]])))
    assert empty.status_code == 422
    missing = await client.post("/registry/systems:import", headers=BDB)
    assert missing.status_code == 422
    for path, header in (
        ("/registry/systems/import-template.xlsx", "系统编号"),
        ("/catalogs/items/import-template.xlsx", "共享类型"),
    ):
        t = await client.get(path, headers=BDB)
        assert t.status_code == 200
        rows = CalamineWorkbook.from_filelike(io.BytesIO(t.content)).get_sheet_by_index(0).to_python()
        assert header in rows[2]
    # the template, filled in, imports as it is
    t = await client.get("/catalogs/items/import-template.xlsx", headers=BDB)
    assert (await client.post("/catalogs/items:import", headers=BDB, **upload(t.content))).status_code == 200
