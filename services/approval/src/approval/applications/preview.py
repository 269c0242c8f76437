"""`POST /overlaps:check` — the duplicate-construction comparison (X-10.3) of a project being typed,
before anything is declared: its title, functions and data items against the registry of built
systems, the projects approved and still being built, and the applications pending. Nothing is
written; a unit sees other units' pending applications only as "其他单位在审项目" (as in the checks)."""

from __future__ import annotations

from types import SimpleNamespace

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from govkit.auth import allow
from govkit.db import SessionDep
from govkit.rules import article_of

from ..registry import repository as registry_repo
from . import repository as repo
from . import rules
from .endpoints import _redact
from .service import _candidate

router = APIRouter(tags=["applications"])


class OverlapDraft(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=1, max_length=500)
    functions: list[str] = Field(default_factory=list, max_length=200)
    data_items: list[str] = Field(default_factory=list, max_length=500)
    project_id: str | None = Field(None, max_length=64, description="the project itself, left out of the comparison")


async def preview_duplicates(session, data: OverlapDraft) -> rules.Decision:
    own = data.project_id or ""
    subject = rules.Subject(
        project_id=own,
        org="",
        title=data.title,
        compliance={
            "functions": [{"name": f} for f in data.functions],
            "data_items": [{"name": d} for d in data.data_items],
        },
    )
    systems = await registry_repo.all_systems(session)
    registry = [
        rules.Candidate(
            kind="registry",
            id=s.id,
            org=s.org,
            name=s.name,
            functions=tuple(s.functions or []),
            data_items=tuple(s.data_items or []),
            is_platform=s.is_platform,
        )
        for s in systems
    ]
    accepted = {s.project_id for s in systems if s.project_id}
    building = [_candidate("project", a) for a in await repo.under_construction_others(session, own, accepted)]
    pending = [_candidate("application", a) for a in await repo.pending_others(session, own)]
    return rules.check_duplicates(subject, [*registry, *building, *pending])


@router.post("/overlaps:check", summary="重复建设预检（第十条 X-10.3）：不写入，只返回相似的已建系统和项目")
async def check_overlaps(
    data: OverlapDraft, session: SessionDep, principal: allow("unit", "bdb", "approval_bureau", "expert")
):
    decision = await preview_duplicates(session, data)
    details = _redact(dict(decision.details), principal, SimpleNamespace(org=principal.org, participant_orgs=[]))
    return {
        "rule": decision.rule,
        "article": article_of(decision.rule),
        "result": decision.result,
        "message": decision.message,
        "overlaps": details.get("overlaps", []),
    }
