"""R-9.2 consultation: each of bdb, finance and approval_bureau decides once, with its opinion.
All three agree → admitted (ProjectAdmittedToReserve); any refusal → refused. The same consultation
admits a supplement window's declarations (R-9.1: never on bdb's word alone)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from govkit import clock
from govkit.auth import Principal
from govkit.errors import Problem
from govkit.events.reserve import LibrarySupplemented, SpecialAdditionDecided
from govkit.outbox import emit
from govkit.versioning import check_if_match

from ..declarations import service as declarations
from ..declarations.schemas import DecisionIn, DeclarationRead
from . import repository, rules
from .models import SpecialAdditionDecision


async def decide(
    session: AsyncSession,
    principal: Principal,
    project_id: str,
    data: DecisionIn,
    if_match: str | None,
    consultation_days: int,
) -> DeclarationRead:
    bureau = rules.bureau_of(principal.roles, data.bureau)
    if bureau is None:
        raise Problem(
            422,
            "请以 bdb、finance 或 approval_bureau 之一的身份作出会商意见（bureau）",
            violations=[{"field": "bureau", "message": "name the bureau you decide for"}],
        )
    decl = await declarations.get_visible(session, principal, project_id, lock=True)
    check_if_match(if_match, decl.version)
    existing = (await repository.for_projects(session, [decl.project_id]))[decl.project_id]
    if not declarations.in_consultation(decl, existing) or decl.status == "draft":
        raise Problem(409, "该申报不是专项增补申请，也未提交增补会商（第九条）", rule="R-9.2")
    supplement = decl.route == "window"
    votes = [rules.Vote(r.bureau, r.decision) for r in existing]
    check = rules.check_vote(bureau, votes)
    if not check.ok:
        raise Problem(409, check.message, rule="R-9.2", violations=[check.as_dict()])
    if decl.status != "awaiting_consultation":
        raise Problem(
            409,
            f"该{'增补' if supplement else '专项增补'}已会商完毕或已撤回（当前状态：{decl.status}），"
            "不再接受会商意见（第九条）",
            rule="R-9.2",
        )
    row = SpecialAdditionDecision(
        id=str(uuid.uuid4()),
        project_id=decl.project_id,
        bureau=bureau,
        decision=data.decision,
        opinion=data.opinion,
        decided_by=principal.sub,
        decided_by_org=principal.org,
    )
    await repository.add(session, row)
    votes.append(rules.Vote(bureau, data.decision))
    outcome = rules.outcome(votes)
    decl.version += 1
    await session.flush()
    await emit(
        session,
        SpecialAdditionDecided(
            project_id=uuid.UUID(decl.project_id),
            declaration_no=decl.declaration_no,
            bureau=bureau,
            decision=data.decision,
            opinion=data.opinion,
            outcome=outcome,
            awaiting=rules.awaiting(votes) if outcome == "pending" else [],
        ),
        actor=principal,
        rule="R-9.2",
    )
    what = "增补入库" if supplement else "专项增补"
    if outcome == "refused":
        await declarations.mark_refused(
            session, decl, principal, f"{rules.BUREAU_ZH[bureau]}不同意{what}：{data.opinion}", "R-9.2"
        )
    elif outcome == "admitted" and supplement:
        await declarations.admit(session, [decl], principal, "supplement", "R-9.1")
        await emit(
            session,
            LibrarySupplemented(
                library_year=decl.library_year,
                supplemented_on=clock.today(),
                admitted_now=[decl.project_id],
                jurisdiction=decl.jurisdiction,
            ),
            actor=principal,
            rule="R-9.1",
        )
    elif outcome == "admitted":
        await declarations.admit(session, [decl], principal, "special_addition", "R-9.2")
    return (await declarations.read_many(session, [decl], consultation_days))[0]
