"""`POST /overlaps:check` — the duplicate-construction comparison (X-10.3) of a project being typed,
before anything is declared: its title, functions and data items against the registry of built
systems, the projects approved and still being built, and the applications pending. Nothing is
written; a unit sees other units' pending applications only as "其他单位在审项目" (as in the checks)."""

from __future__ import annotations

from fastapi import APIRouter

from govkit.auth import allow
from govkit.db import SessionDep
from govkit.rules import article_of

from . import service
from .schemas import OverlapDraft

router = APIRouter(tags=["applications"])


@router.post("/overlaps:check", summary="重复建设预检（第十条 X-10.3）：不写入，只返回相似的已建系统和项目")
async def check_overlaps(
    data: OverlapDraft, session: SessionDep, principal: allow("unit", "bdb", "approval_bureau", "expert")
):
    decision = await service.preview_duplicates(session, principal, data)
    details = decision.details
    return {
        "rule": decision.rule,
        "article": article_of(decision.rule),
        "result": decision.result,
        "message": decision.message,
        "overlaps": details.get("overlaps", []),
    }
