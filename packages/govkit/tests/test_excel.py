"""govkit.excel: typed cells with Chinese headers and number/date formats, constant memory; imports
with header mapping and clear refusals."""

from __future__ import annotations

import asyncio
import io
import os
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from govkit.errors import Problem
from govkit.excel import Column, SheetSpec, read_rows, write_workbook, xlsx_response

COLUMNS = [
    Column("项目名称", "title", width=30),
    Column("批复投资（元）", "amount", "money"),
    Column("批复日期", "on", "date"),
    Column("更新时间", "at", "datetime"),
    Column("进度", "pct", "pct"),
    Column("季度", "q", "int"),
    Column("暂停", "stopped", "bool"),
    Column("单位", lambda r: r["org"].upper()),
]


async def rows():
    yield {
        "title": '=HYPERLINK("x")',
        "amount": Decimal("1234567.89"),
        "on": date(2027, 3, 1),
        "at": datetime(2027, 3, 1, 2, 30, tzinfo=UTC),
        "pct": 45,
        "q": 2,
        "stopped": True,
        "org": "org-1",
    }
    yield {
        "title": "防汛应急指挥系统",
        "amount": None,
        "on": "2027-04-02",
        "at": None,
        "pct": None,
        "q": None,
        "stopped": False,
        "org": "org-2",
    }


async def test_workbook_has_chinese_headers_typed_cells_and_formats(tmp_path):
    path = str(tmp_path / "x.xlsx")
    n = await write_workbook(path, [SheetSpec("项目台账", COLUMNS, rows())], title="项目台账")
    assert n == 2
    data = CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python(skip_empty_area=False)
    assert data[0][0] == "项目台账" and data[1][0].startswith("导出时间：")
    assert data[2] == [c.header for c in COLUMNS]
    first, second = data[3], data[4]
    assert first[0] == '=HYPERLINK("x")'  # a user's text stays text, never a formula
    assert first[1] == pytest.approx(1234567.89)
    assert first[2] == date(2027, 3, 1)
    assert first[3] == datetime(2027, 3, 1, 10, 30)  # Asia/Shanghai wall time
    assert first[4] == pytest.approx(0.45) and first[5] == 2 and first[6] == "是" and first[7] == "ORG-1"
    assert second[1] == "" and second[2] == date(2027, 4, 2) and second[6] == "否"
    with zipfile.ZipFile(path) as z:
        styles = z.read("xl/styles.xml").decode()
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        assert "<f>" not in sheet
    for fmt in ("#,##0.00", "yyyy-mm-dd", "yyyy-mm-dd hh:mm", "0%"):
        assert f'formatCode="{fmt}"' in styles
    assert '<autoFilter ref="A3:H5"/>' in sheet and 'state="frozen"' in sheet


async def test_response_streams_a_temp_file_and_names_it_in_chinese():
    resp = await xlsx_response("项目台账.xlsx", SheetSpec("项目台账", COLUMNS, rows()), title="项目台账")
    assert resp.media_type.endswith("spreadsheetml.sheet")
    assert "filename*=UTF-8''%E9%A1%B9%E7%9B%AE" in resp.headers["content-disposition"]
    assert resp.headers["x-row-count"] == "2"
    assert await asyncio.to_thread(os.path.exists, resp.path)
    await resp.background()
    assert not await asyncio.to_thread(os.path.exists, resp.path)


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


HEADERS = {"名称": "name", "name": "name", "数量": "count", "备注": "note"}


def test_read_rows_finds_the_header_under_a_title_and_keeps_row_numbers():
    content = workbook(
        [["系统清单"], ["名称", "数量", "无关列"], ["甲", 3, "x"], [None, None, None], [" 乙 ", 2.5, None]]
    )
    rows, written = read_rows(content, HEADERS, max_rows=10, required=["name"])
    assert rows == [(3, {"name": "甲", "count": 3}), (5, {"name": "乙", "count": 2.5})]
    assert written == {"name": "名称", "count": "数量"}


def test_read_rows_refuses_a_missing_required_column_naming_it_in_chinese():
    with pytest.raises(Problem) as e:
        read_rows(workbook([["数量"], [1]]), HEADERS, max_rows=10, required=["name"])
    assert e.value.status == 422 and "名称" in e.value.detail


def test_read_rows_limit_is_inclusive():
    content = workbook([["名称"], ["a"], ["b"]])
    assert len(read_rows(content, HEADERS, max_rows=2)[0]) == 2
    with pytest.raises(Problem) as e:
        read_rows(content, HEADERS, max_rows=1)
    assert e.value.status == 413


@pytest.mark.parametrize("content", [b"not a workbook", b"PK\x03\x04garbage", workbook([["x", "y"], [1, 2]])])
def test_read_rows_refuses_what_is_no_workbook_or_has_no_header(content):
    with pytest.raises(Problem) as e:
        read_rows(content, HEADERS, max_rows=10)
    assert e.value.status == 422


TRICKY = [
    "防汛应急指挥系统",
    " 前有空格",
    "后有空格 ",
    'a&b<c>d"e',
    "制表\t符",
    "换\n行",
    "控制\x01字符\x1f",
    "_x0041_ 像转义",
    "\ufffe",
    "长" * 20_000,  # over half the limit: checked in UTF-16 units, kept whole
    "😀" * 17_000,  # 34,000 UTF-16 units: cut at 32,767
    "=SUM(A1:A2)",
]


class Obj:
    def __init__(self, **kw):
        self.__dict__.update(kw)


def _sheet_parts(path: str, *, fast: bool, rows: list, columns=COLUMNS) -> tuple[str, str]:
    import re

    from govkit.excel import _Sheet

    wb = xlsxwriter.Workbook(path, {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = _Sheet(wb, "台账", columns, "项目台账", fast=fast)
    for r in rows:
        sheet.write(r)
    sheet.finish()
    wb.close()
    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
        styles = z.read("xl/styles.xml").decode()
    return re.sub("导出时间：[^<]*", "", xml), styles


@pytest.mark.parametrize("as_objects", [False, True])
def test_fast_rows_write_the_same_sheet_xml_as_xlsxwriter_cell_by_cell(tmp_path, as_objects):
    rows = []
    for i, text in enumerate(TRICKY):
        rows.append(
            {
                "title": text,
                "amount": Decimal("1234567.89") + i if i % 3 else None,
                "on": date(2027, 3, 1) if i % 2 else "2027-04-02",
                "at": datetime(2027, 3, 1, 2, 30, tzinfo=UTC) if i % 4 == 0 else None,
                "pct": i * 7 if i % 5 else None,
                "q": 0 if i == 3 else i,
                "stopped": bool(i % 2),
                "org": f"org-{i}",
            }
        )
    rows.append(dict.fromkeys(["title", "amount", "on", "at", "pct", "q", "stopped"]) | {"org": ""})
    columns = COLUMNS[:-1] + [Column("单位", "org")]  # an all-empty row is left out by both
    if as_objects:
        rows = [Obj(**r) for r in rows]
    fast = _sheet_parts(str(tmp_path / "fast.xlsx"), fast=True, rows=rows, columns=columns)
    slow = _sheet_parts(str(tmp_path / "slow.xlsx"), fast=False, rows=rows, columns=columns)
    assert fast[0] == slow[0]
    assert fast[1] == slow[1]
    assert '<row r="4">' in fast[0] and f'<row r="{3 + len(TRICKY)}">' in fast[0]
    assert f'<row r="{4 + len(TRICKY)}">' not in fast[0]  # the empty row
    data = CalamineWorkbook.from_path(str(tmp_path / "fast.xlsx")).get_sheet_by_index(0).to_python()
    assert [r[0] for r in data[3 : 3 + 8]] == TRICKY[:8]  # (calamine leaves _xFFFE_ as it is)
    assert len(data[3 + 10][0].encode("utf-16-le")) // 2 == 32_766  # cut before a surrogate pair would split


def test_text_that_looks_like_a_rich_string_is_escaped_not_written_raw(tmp_path):
    xml, _ = _sheet_parts(
        str(tmp_path / "x.xlsx"), fast=True, rows=[{"title": "<r><t>x</t></r>"}], columns=[Column("名称", "title")]
    )
    assert "<t>&lt;r&gt;&lt;t&gt;x&lt;/t&gt;&lt;/r&gt;</t>" in xml
