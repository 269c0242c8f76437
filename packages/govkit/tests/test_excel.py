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
