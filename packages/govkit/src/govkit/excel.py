"""Excel exports and imports.

Exports: xlsxwriter in constant-memory mode (only the row being written is held; rows go to a temp
file as they come from the database), Chinese headers, money as numbers formatted `#,##0.00`, dates
as real dates `yyyy-mm-dd`, a title row, frozen header and auto-filter. The workbook is assembled in a
temporary file and streamed from it, then deleted — a 100,000-row export never sits in memory
(`make bench` measures it: scripts/bench_exports.py).

Every list that exports takes `?format=xlsx` (`FormatQuery`); the OpenAPI documents the second media
type with `XLSX_RESPONSES`.

Imports: `read_rows` reads the first sheet of an uploaded workbook with python-calamine (Rust, no
cell objects), maps Chinese (or field-name) headers to fields, and returns the rows with their
spreadsheet row numbers; the caller validates every row and reports all refusals at once
(`RowError`: row, column, message in Chinese) before anything is written.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import os
import tempfile
from collections.abc import AsyncIterable, AsyncIterator, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import Query
from starlette.background import BackgroundTask
from starlette.responses import FileResponse, Response

from .clock import SHANGHAI, now
from .errors import Problem

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FormatQuery = Annotated[
    Literal["json", "xlsx"],
    Query(description="json（默认）或 xlsx：导出全部符合条件的记录为 Excel（忽略 limit/cursor）"),
]
XLSX_RESPONSES: dict = {
    200: {
        "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
        "description": "JSON，或 `format=xlsx` 时的 Excel 工作簿（中文表头）",
    }
}
# An endpoint that only answers a workbook: `@router.get("/x.xlsx", **XLSX_ONLY)`.
XLSX_ONLY: dict = {
    "response_class": Response,
    "responses": {
        200: {
            "content": {XLSX: {"schema": {"type": "string", "format": "binary"}}},
            "description": "Excel 工作簿（中文表头）",
        }
    },
}

EPOCH = date(1899, 12, 30)  # Excel's day 0 (1900 date system, with its leap-year quirk already past)
EPOCH_DT = datetime(1899, 12, 30)
Kind = Literal["text", "money", "int", "date", "datetime", "pct", "bool", "decimal"]


@dataclass(frozen=True)
class Column:
    header: str  # 中文表头
    get: Callable[[Any], Any] | str  # attribute / key name, or a function of the row
    kind: Kind = "text"
    width: float = 14

    def value(self, row: Any) -> Any:
        if callable(self.get):
            return self.get(row)
        if isinstance(row, dict):
            return row.get(self.get)
        return getattr(row, self.get)


class _Sheet:
    """One worksheet written row by row (constant memory: rows must come in order)."""

    def __init__(self, workbook, name: str, columns: Sequence[Column], title: str | None):
        self.ws = workbook.add_worksheet(name[:31])
        self.columns = columns
        self.row = 0
        wb = workbook
        self.fmt = {
            "header": wb.add_format(
                {
                    "bold": True,
                    "bg_color": "#DDEBF7",
                    "border": 1,
                    "align": "center",
                    "valign": "vcenter",
                    "text_wrap": True,
                    "font_name": "宋体",
                }
            ),
            "title": wb.add_format({"bold": True, "font_size": 14, "font_name": "宋体"}),
            "note": wb.add_format({"font_color": "#666666", "font_name": "宋体"}),
            "text": wb.add_format({"font_name": "宋体"}),
            "money": wb.add_format({"num_format": "#,##0.00", "font_name": "宋体"}),
            "decimal": wb.add_format({"num_format": "#,##0.00", "font_name": "宋体"}),
            "int": wb.add_format({"num_format": "0", "font_name": "宋体"}),
            "date": wb.add_format({"num_format": "yyyy-mm-dd", "font_name": "宋体"}),
            "datetime": wb.add_format({"num_format": "yyyy-mm-dd hh:mm", "font_name": "宋体"}),
            "pct": wb.add_format({"num_format": "0%", "font_name": "宋体"}),
            "bool": wb.add_format({"align": "center", "font_name": "宋体"}),
        }
        for i, c in enumerate(columns):
            self.ws.set_column(i, i, c.width)
        if title:
            self.ws.write_string(0, 0, title, self.fmt["title"])
            self.ws.write_string(1, 0, f"导出时间：{now().astimezone(SHANGHAI):%Y-%m-%d %H:%M}", self.fmt["note"])
            self.row = 2
        self.header_row = self.row
        for i, c in enumerate(columns):
            self.ws.write_string(self.row, i, c.header, self.fmt["header"])
        self.ws.freeze_panes(self.row + 1, 0)
        self.row += 1
        self.writers = [self._writer(c) for c in columns]

    def _writer(self, c: Column):
        """One function per column that writes a value of its kind (xlsxwriter's undecorated writers:
        the A1-notation wrapper of the public ones costs a fifth of the time at 100,000 rows)."""
        ws, fmt = self.ws, self.fmt[c.kind if c.kind in self.fmt else "text"]
        number, string = ws._write_number, ws._write_string
        kind = c.kind
        if kind in ("money", "decimal"):  # Excel cells are doubles; two places shown
            return lambda r, i, v: number(r, i, float(v), fmt)
        if kind == "int":
            return lambda r, i, v: number(r, i, int(v), fmt)
        if kind == "pct":
            return lambda r, i, v: number(r, i, float(v) / 100, fmt)
        if kind == "date":

            def write_date(r, i, v):
                d = date.fromisoformat(v) if isinstance(v, str) else v
                if isinstance(d, datetime):
                    d = d.astimezone(SHANGHAI).date() if d.tzinfo else d.date()
                number(r, i, float((d - EPOCH).days), fmt)  # the Excel serial of the day

            return write_date
        if kind == "datetime":

            def write_datetime(r, i, v):
                t = datetime.fromisoformat(v) if isinstance(v, str) else v
                if t.tzinfo is not None:
                    t = t.astimezone(SHANGHAI).replace(tzinfo=None)
                delta = t - EPOCH_DT
                number(r, i, delta.days + delta.seconds / 86400, fmt)

            return write_datetime
        if kind == "bool":
            return lambda r, i, v: string(r, i, "是" if v else "否", fmt)
        # always a string cell, never a formula: "=…" from a user stays text
        return lambda r, i, v: string(r, i, v if isinstance(v, str) else str(v), fmt)

    def write(self, item: Any) -> None:
        r = self.row
        for i, (c, w) in enumerate(zip(self.columns, self.writers, strict=False)):
            v = c.value(item)
            if v is None or v == "":
                continue
            w(r, i, v)
        self.row += 1

    def finish(self) -> None:
        last = max(self.row - 1, self.header_row)
        self.ws.autofilter(self.header_row, 0, last, len(self.columns) - 1)


async def keyset_stream(
    session, stmt, keys: Sequence[Any], key_of: Callable[[Any], tuple], *, batch: int = 2000
) -> AsyncIterator[Any]:
    """Every row of `stmt` in the order of `keys` (unique together), `batch` rows per query: constant
    memory, no long transaction and no server-side cursor (GETs read in autocommit on PostgreSQL)."""
    from sqlalchemy import tuple_

    after: tuple | None = None
    while True:
        page = stmt if after is None else stmt.where(tuple_(*keys) > tuple_(*after))
        rows = (await session.execute(page.order_by(*keys).limit(batch))).all()
        for row in rows:
            yield row
        if len(rows) < batch:
            return
        after = key_of(rows[-1])


@dataclass
class SheetSpec:
    name: str
    columns: Sequence[Column]
    rows: AsyncIterable[Any] | Iterable[Any]
    title: str | None = None


async def write_workbook(path: str, sheets: Sequence[SheetSpec], *, title: str, batch: int = 2000) -> int:
    """Write the sheets into an .xlsx at `path`; returns the number of data rows. Rows are written as
    they arrive; every `batch` rows the event loop gets a turn."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(
        path,
        {
            "constant_memory": True,
            "tmpdir": os.path.dirname(path),
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    wb.set_properties({"title": title, "author": "GovPM 政务信息化项目全流程管理平台", "company": "盐城市"})
    total = 0
    try:
        for spec in sheets:
            sheet = _Sheet(wb, spec.name, spec.columns, spec.title or title)
            if hasattr(spec.rows, "__aiter__"):
                async for item in spec.rows:  # type: ignore[union-attr]
                    sheet.write(item)
                    total += 1
                    if total % batch == 0:
                        await asyncio.sleep(0)
            else:
                for item in spec.rows:  # type: ignore[union-attr]
                    sheet.write(item)
                    total += 1
            sheet.finish()
    finally:
        await asyncio.to_thread(wb.close)  # assembles the zip from the temp files
    return total


def _remove(*paths: str) -> None:
    for p in paths:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(p)
    with contextlib.suppress(OSError):
        os.rmdir(os.path.dirname(paths[0]))


def download_name(name: str) -> str:
    """`Content-Disposition` with the Chinese file name (RFC 6266/5987) and an ASCII fallback."""
    return f"attachment; filename=\"export.xlsx\"; filename*=UTF-8''{quote(name)}"


async def xlsx_response(filename: str, sheets: Sequence[SheetSpec] | SheetSpec, *, title: str) -> FileResponse:
    """Write the workbook to a temporary file and stream it; the file is removed once sent."""
    if isinstance(sheets, SheetSpec):
        sheets = [sheets]
    work = tempfile.mkdtemp(prefix="govpm-xlsx-")
    path = os.path.join(work, "export.xlsx")
    try:
        rows = await write_workbook(path, sheets, title=title)
    except BaseException:
        _remove(path)
        raise
    return FileResponse(
        path,
        media_type=XLSX,
        background=BackgroundTask(_remove, path),
        headers={"Content-Disposition": download_name(filename), "X-Row-Count": str(rows), "Cache-Control": "no-store"},
    )


# -- imports -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RowError:
    row: int  # the spreadsheet's row number (1-based, as Excel shows it)
    column: str  # the column's header as in the file (or the field name)
    message: str  # 中文

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


def read_rows(
    content: bytes, headers: dict[str, str], *, max_rows: int, required: Iterable[str] = ()
) -> tuple[list[tuple[int, dict[str, Any]]], dict[str, str]]:
    """Rows of the first sheet as `(row number, {field: value})`, skipping empty rows.

    `headers` maps each accepted header (Chinese, or the field name itself) to a field. The header row
    is the first row that names at least one known column (a title row above it is allowed). Returns
    the rows and `{field: header as written}` for error messages. A file that is no workbook, lacks a
    required column or has more than `max_rows` rows is a 422 naming what is wrong."""
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(content))
        sheet = wb.get_sheet_by_index(0)
        data = sheet.to_python(skip_empty_area=False)
    except Exception:  # noqa: BLE001 - whatever calamine raises on a file that is not a workbook
        raise Problem(
            422,
            "文件不是有效的 Excel 工作簿（.xlsx）",
            violations=[{"field": "file", "message": "not a readable .xlsx workbook"}],
        ) from None
    norm = {k.strip().lower(): v for k, v in headers.items()}
    header_idx = None
    mapping: dict[int, str] = {}
    for idx, row in enumerate(data[:10]):
        found = {
            i: norm[str(c).strip().lower()]
            for i, c in enumerate(row)
            if isinstance(c, str) and str(c).strip().lower() in norm
        }
        if found:
            header_idx, mapping = idx, found
            break
    if header_idx is None:
        raise Problem(
            422,
            "未找到表头行：第一张工作表前 10 行中没有可识别的列名",
            violations=[{"field": "file", "message": "no header row"}],
        )
    written = {field: str(data[header_idx][i]).strip() for i, field in mapping.items()}
    missing = [f for f in required if f not in written]
    if missing:
        names = {v: k for k, v in headers.items() if not k.isascii()}
        raise Problem(
            422,
            "缺少必填列：" + "、".join(names.get(f, f) for f in missing),
            violations=[{"field": "file", "column": names.get(f, f), "message": "missing column"} for f in missing],
        )
    out = []
    for idx in range(header_idx + 1, len(data)):
        row = data[idx]
        values = {field: _clean(row[i]) if i < len(row) else None for i, field in mapping.items()}
        if all(v is None for v in values.values()):
            continue
        out.append((idx + 1, values))
        if len(out) > max_rows:
            raise Problem(
                413,
                f"一次导入不超过 {max_rows} 行，请分批导入",
                violations=[{"field": "file", "message": f"more than {max_rows} rows"}],
            )
    return out, written


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
