"""Excel imports of the registry of built systems (R-10.3, X-10.3) and the shared data catalogs (R-6.1).

All or nothing: every row is checked first and every refusal reported (row, column as written in the
file, message in Chinese); only a file without one is imported, in the request's one transaction, by
the same use cases as the JSON bulk import. Synchronous, with a documented limit per file (our
practice, "basis": "practice"): a file within it is read, checked and written in a few seconds, so the
caller gets the result — or the full report — in the same answer; a larger registry is split into
several files (each one all or nothing)."""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from govkit.auth import Principal
from govkit.errors import Problem
from govkit.excel import RowError, read_rows
from govkit.rules import article_of

from ..registry import service as registry
from ..registry.schemas import CatalogItemIn, SystemIn

MAX_SYSTEM_ROWS = 5_000
MAX_CATALOG_ROWS = 20_000
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_REPORTED = 1_000  # refusals listed in one answer (the count is always complete)

SYSTEM_HEADERS = {
    "系统编号": "id",
    "编号": "id",
    "id": "id",
    "建设单位": "org",
    "所属单位": "org",
    "单位": "org",
    "org": "org",
    "系统名称": "name",
    "名称": "name",
    "name": "name",
    "主要功能": "functions",
    "功能": "functions",
    "functions": "functions",
    "数据项": "data_items",
    "主要数据项": "data_items",
    "data_items": "data_items",
    "是否平台": "is_platform",
    "平台": "is_platform",
    "is_platform": "is_platform",
}
CATALOG_HEADERS = {
    "目录编号": "id",
    "编号": "id",
    "id": "id",
    "提供单位": "org",
    "单位": "org",
    "org": "org",
    "目录名称": "catalog",
    "目录": "catalog",
    "catalog": "catalog",
    "数据项名称": "name",
    "数据项": "name",
    "名称": "name",
    "name": "name",
    "共享类型": "share_type",
    "share_type": "share_type",
    "开放类型": "open_type",
    "open_type": "open_type",
}
SHARE = {"无条件共享": "unconditional", "有条件共享": "conditional", "不予共享": "not_shared"}
OPEN = {"无条件开放": "unconditional", "有条件开放": "conditional", "不予开放": "not_open"}
YES = {"是", "y", "yes", "true", "1", "√"}
NO = {"否", "n", "no", "false", "0", ""}
SPLIT = re.compile(r"[、，,；;\n]+")
FIELD_ZH = {
    "id": "编号",
    "org": "单位",
    "name": "名称",
    "functions": "主要功能",
    "data_items": "数据项",
    "is_platform": "是否平台",
    "catalog": "目录名称",
    "share_type": "共享类型",
    "open_type": "开放类型",
}


def _text(v: Any) -> Any:
    if v is None or isinstance(v, str):
        return v
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v)


def _list(v: Any) -> list[str]:
    return [] if v is None else [p.strip() for p in SPLIT.split(str(v)) if p.strip()]


def _message(err: dict) -> str:
    kind, ctx = err.get("type", ""), err.get("ctx") or {}
    if kind == "missing":
        return "必填，不能为空"
    if kind == "string_too_long":
        return f"不超过 {ctx.get('max_length')} 个字符"
    if kind == "string_too_short":
        return "不能为空"
    return err.get("msg", "格式不正确")


def _check(rows, written: dict[str, str], convert, model) -> tuple[list, list[RowError]]:
    items, errors, seen = [], [], {}
    for number, values in rows:
        column = lambda f: written.get(f, FIELD_ZH.get(f, f))  # noqa: E731
        data, row_errors = convert(values, column, number)
        errors.extend(row_errors)
        if row_errors:
            continue
        try:
            item = model.model_validate({k: v for k, v in data.items() if v is not None})
        except ValidationError as exc:
            errors.extend(
                RowError(number, column(str(e["loc"][0]) if e["loc"] else ""), _message(e)) for e in exc.errors()
            )
            continue
        if item.id:
            if item.id in seen:
                errors.append(RowError(number, column("id"), f"编号 {item.id} 与第 {seen[item.id]} 行重复"))
                continue
            seen[item.id] = number
        items.append(item)
    return items, errors


def _system(values: dict, column, number: int) -> tuple[dict, list[RowError]]:
    errors = []
    platform = values.get("is_platform")
    flag = str(platform).strip().lower() if platform is not None else ""
    if isinstance(platform, bool):
        flag = "true" if platform else "false"
    if flag not in YES | NO:
        errors.append(RowError(number, column("is_platform"), f"应填“是”或“否”，不能为“{platform}”"))
    return {
        "id": _text(values.get("id")),
        "org": _text(values.get("org")),
        "name": _text(values.get("name")),
        "functions": _list(values.get("functions")),
        "data_items": _list(values.get("data_items")),
        "is_platform": flag in YES,
    }, errors


def _catalog(values: dict, column, number: int) -> tuple[dict, list[RowError]]:
    errors = []
    out = {
        "id": _text(values.get("id")),
        "org": _text(values.get("org")),
        "name": _text(values.get("name")),
        "catalog": _text(values.get("catalog")) or "",
    }
    for field, names, what in (("share_type", SHARE, "共享类型"), ("open_type", OPEN, "开放类型")):
        raw = _text(values.get(field))
        code = names.get(raw) if raw in names else raw if raw in names.values() else None
        if code is None:
            message = (
                f"缺少{what}" if raw is None else f"{what}“{raw}”无效"
            ) + f"，应为：{'、'.join(names)}（第六条：每个数据项须明确共享类型和开放类型）"
            errors.append(RowError(number, column(field), message))
        out[field] = code
    return out, errors


def _refuse(errors: list[RowError], rows: int, what: str) -> Problem:
    listed = [{**e.as_dict(), "field": "file"} for e in errors[:MAX_REPORTED]]
    first = errors[0]
    return Problem(
        422,
        f"{what}共 {rows} 行，{len(errors)} 处不符合要求（首处：第 {first.row} 行“{first.column}”："
        f"{first.message}），未导入任何数据",
        violations=listed,
        errors_total=len(errors),
        rows_total=rows,
    )


def _limit(content: bytes) -> None:
    if len(content) > MAX_FILE_BYTES:
        raise Problem(
            413,
            f"导入文件不超过 {MAX_FILE_BYTES // (1024 * 1024)} MB，请分批导入",
            violations=[{"field": "file", "message": "file too large"}],
        )


async def import_systems(session: AsyncSession, principal: Principal, content: bytes) -> dict:
    _limit(content)
    rows, written = read_rows(content, SYSTEM_HEADERS, max_rows=MAX_SYSTEM_ROWS, required=["org", "name"])
    items, errors = _check(rows, written, _system, SystemIn)
    if errors:
        raise _refuse(errors, len(rows), "已建系统清单")
    if not items:
        raise Problem(422, "文件中没有数据行", violations=[{"field": "file", "message": "no rows"}])
    result = await registry.import_systems(session, principal, items)
    return {**result, "rows": len(items), "rule": "R-10.3", "article": article_of("R-10.3")}


async def import_catalog(session: AsyncSession, principal: Principal, content: bytes) -> dict:
    _limit(content)
    rows, written = read_rows(
        content, CATALOG_HEADERS, max_rows=MAX_CATALOG_ROWS, required=["org", "name", "share_type", "open_type"]
    )
    items, errors = _check(rows, written, _catalog, CatalogItemIn)
    if errors:
        raise _refuse(errors, len(rows), "数据资源目录")
    if not items:
        raise Problem(422, "文件中没有数据行", violations=[{"field": "file", "message": "no rows"}])
    result = await registry.import_catalog(session, principal, items)
    return {**result, "rows": len(items), "rule": "R-6.1", "article": article_of("R-6.1")}
