"""Excel imports of the registry and the catalogs (multipart `file`), and their templates."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, UploadFile
from pydantic import BaseModel

from govkit.auth import allow
from govkit.db import SessionDep
from govkit.excel import XLSX_ONLY, Column, SheetSpec, xlsx_response

from . import service

router = APIRouter(tags=["registry"])
ExcelFile = Annotated[
    UploadFile, File(description="Excel 工作簿（.xlsx），第一张工作表，首行（或标题行下一行）为中文表头")
]


class ImportResult(BaseModel):
    created: int
    updated: int
    ids: list[str]
    rows: int
    rule: str
    article: str


LIMITS = (
    f"同步导入，全部成功或全部不导入：每个文件不超过 {service.MAX_FILE_BYTES // 1048576} MB；"
    "有误时 422 列出每一处（行号、列名、原因），最多列出 {n} 处。"
).replace("{n}", str(service.MAX_REPORTED))


@router.post(
    "/registry/systems:import",
    summary="导入已建系统清单（Excel）",
    response_model=ImportResult,
    description=f"导入已建系统清单（第十条、X-10.3）。不超过 {service.MAX_SYSTEM_ROWS} 行。{LIMITS}",
)
async def import_systems(file: ExcelFile, principal: allow("bdb", "bdc"), session: SessionDep):
    return await service.import_systems(session, principal, await file.read(service.MAX_FILE_BYTES + 1))


@router.post(
    "/catalogs/items:import",
    summary="导入公共数据资源目录（Excel）",
    response_model=ImportResult,
    description=(
        f"导入公共数据资源目录（第六条：共享类型、开放类型必填）。不超过 {service.MAX_CATALOG_ROWS} 行。{LIMITS}"
    ),
)
async def import_catalog(file: ExcelFile, principal: allow("bdb", "bdc"), session: SessionDep):
    return await service.import_catalog(session, principal, await file.read(service.MAX_FILE_BYTES + 1))


SYSTEM_TEMPLATE = [
    Column("系统编号", "id", width=16),
    Column("建设单位", "org", width=16),
    Column("系统名称", "name", width=30),
    Column("主要功能", "functions", width=40),
    Column("数据项", "data_items", width=40),
    Column("是否平台", "is_platform", width=10),
]
CATALOG_TEMPLATE = [
    Column("目录编号", "id", width=16),
    Column("提供单位", "org", width=16),
    Column("目录名称", "catalog", width=24),
    Column("数据项名称", "name", width=24),
    Column("共享类型", "share_type", width=14),
    Column("开放类型", "open_type", width=14),
]


@router.get("/registry/systems/import-template.xlsx", summary="已建系统清单导入模板", **XLSX_ONLY)
async def systems_template(_: allow("bdb", "bdc")):
    """已建系统清单导入模板（带一行示例；功能、数据项以顿号分隔）。"""
    sample = [
        {
            "id": "SYS-001",
            "org": "ORG-001",
            "name": "市政务服务平台",
            "functions": "网上办事、好差评",
            "data_items": "企业名称、统一社会信用代码",
            "is_platform": "是",
        }
    ]
    return await xlsx_response(
        "已建系统清单导入模板.xlsx", SheetSpec("已建系统", SYSTEM_TEMPLATE, sample, None), title="已建系统清单"
    )


@router.get("/catalogs/items/import-template.xlsx", summary="公共数据资源目录导入模板", **XLSX_ONLY)
async def catalog_template(_: allow("bdb", "bdc")):
    """公共数据资源目录导入模板（共享类型：无条件共享/有条件共享/不予共享；开放类型：无条件开放/有条件开放/不予开放）。"""
    sample = [
        {
            "id": "CAT-001",
            "org": "ORG-001",
            "catalog": "法人基础信息",
            "name": "统一社会信用代码",
            "share_type": "无条件共享",
            "open_type": "有条件开放",
        }
    ]
    return await xlsx_response(
        "数据资源目录导入模板.xlsx", SheetSpec("数据资源目录", CATALOG_TEMPLATE, sample, None), title="数据资源目录"
    )
