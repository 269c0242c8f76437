from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from govkit.auth import AnyPrincipal, allow
from govkit.db import SessionDep
from govkit.excel import XLSX_RESPONSES, FormatQuery
from govkit.versioning import IfMatch

from . import export, service
from .schemas import LibraryRead

router = APIRouter(prefix="/libraries", tags=["libraries"])
Year = Annotated[int, Path(ge=2023, le=2100)]


@router.post("/{library_year}/compile", summary="编制年度项目储备库", response_model=LibraryRead)
async def compile_library(library_year: Year, session: SessionDep, principal: allow("bdb"), if_match: IfMatch = None):
    """R-8.1: admit every submitted declaration of the year not refused; 409 once filed (R-8.2)."""
    return await service.compile_library(session, principal, library_year, if_match)


@router.post("/{library_year}/file", summary="年度储备库报领导小组备案", response_model=LibraryRead)
async def file_library(library_year: Year, session: SessionDep, principal: allow("bdb"), if_match: IfMatch = None):
    """R-8.2: file the compiled library with the leading group."""
    return await service.file_library(session, principal, library_year, if_match)


@router.post("/{library_year}/supplements", summary="增补入库会商", response_model=LibraryRead)
async def supplement_library(library_year: Year, session: SessionDep, principal: allow("bdb")):
    """R-9.1: put the supplement windows' submitted declarations to the consultation of bdb, finance
    and approval_bureau (R-9.2); each enters the filed library only when all three agree."""
    return await service.supplement_library(session, principal, library_year)


@router.get("/{library_year}", summary="年度项目储备库", response_model=LibraryRead, responses=XLSX_RESPONSES)
async def get_library(
    library_year: Year,
    session: SessionDep,
    principal: AnyPrincipal,
    format: FormatQuery = "json",
    plan_item: str | None = None,
):
    """A unit sees only its own entries. `format=xlsx`: 年度项目储备库清单 (Excel). `plan_item` keeps
    the entries serving one item of the overall plan (R-4.1)."""
    if format == "xlsx":
        return await export.library_workbook(session, principal, library_year)
    return await service.get_library(session, principal, library_year, plan_item)
