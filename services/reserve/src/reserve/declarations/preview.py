"""`POST /declarations:check` — the intake scope check (R-2.1, R-2.2) of a declaration being typed,
without declaring anything: the console shows it while the unit fills the form. Pure: the same rules
`declare` applies, nothing read or written."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from govkit.auth import allow

from . import rules
from .schemas import Item
from .service import _flag, _violation

router = APIRouter(tags=["declarations"])


class DeclarationDraft(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "title": "市政务数据共享交换平台升级",
                    "category": "data_resources",
                    "items": [{"name": "数据交换节点软件", "quantity": 1}],
                }
            ]
        }
    )
    title: str = Field("", max_length=200)
    category: str = Field("", max_length=64)
    description: str = Field("", max_length=20000)
    items: list[Item] = Field(default_factory=list, max_length=500)
    municipal_budget: bool = True


@router.post("/declarations:check", summary="申报范围预检（第二条）：不申报，只返回判定")
async def check_declaration(data: DeclarationDraft, principal: allow("unit", "bdb")):
    """Every scope decision (R-2.1 category and funding, R-2.2 exclusions) with its field, and the
    flags a reviewer would see (what only resembles the exclusion list). `ok` is false when `declare`
    would refuse the declaration."""
    names = [i.name for i in data.items]
    decisions = rules.check_scope(
        data.category or "other_system", data.municipal_budget, data.title, data.description, names
    )
    return {
        "ok": all(d.ok for d in decisions),
        "decisions": [_violation(d) for d in decisions],
        "flags": [_flag(f).model_dump() for f in rules.scope_flags(data.title, data.description, names)],
    }
