"""Generated document of oversight: the 整改通知书 of a rectification order (R-30.1), by the
department that ordered it, stored as DOCX and PDF."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from govkit import docgen
from govkit.auth import Principal
from govkit.errors import Problem
from govkit.rules import article_of

from ..projects import repository as projects
from ..rectifications import repository as rectifications
from ..rectifications.rules import AREA_NAME, ROLE_NAME
from ..supervision import service as supervision


async def rectification_notice(session: AsyncSession, store, principal: Principal, rid: uuid.UUID, body) -> dict:
    r = await rectifications.get(session, rid)
    if r is None:
        raise Problem(404, "整改通知不存在")
    await supervision.visible_project(session, principal, r.project_id)
    if r.ordered_by not in principal.roles:
        raise Problem(
            403, f"整改通知书由下达整改的{ROLE_NAME.get(r.ordered_by, r.ordered_by)}出具（第三十条）", rule="R-30.1"
        )
    view = await projects.get_view(session, r.project_id)
    facts = docgen.project_facts(
        title=view.title if view else None,
        declaration_no=view.declaration_no if view else None,
        project_code=view.project_code if view else None,
        org=view.org if view else None,
    )
    used = ["R-30.1", "R-30.2"] + ([r.rule] if r.rule and r.rule not in ("R-30.1", "R-30.2") else [])
    context = {
        "project": facts,
        "order_id": str(r.id),
        "area_name": AREA_NAME.get(r.area or "", r.area or "—"),
        "finding": body.opinion or r.finding,
        "finding_rule": r.rule or "R-30.1",
        "finding_article": article_of(r.rule or "R-30.1"),
        "deadline": docgen.date_zh(r.deadline),
    }
    issuer = f"盐城{ROLE_NAME.get(r.ordered_by, r.ordered_by)}"
    document_no = body.document_no or f"整改〔{r.ordered_on.year}〕{str(r.id)[:8]}号"  # our practice
    return await docgen.generate_and_store(
        session,
        store,
        project_id=str(r.project_id),
        kind="rectification_notice",
        document_no=document_no,
        issuer=issuer,
        rules=used,
        context=context,
        actor=principal,
        issued_on=r.ordered_on,
    )
