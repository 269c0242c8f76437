"""Use cases of declarations: the three routes in (window, special addition, emergency), submit,
refuse, withdraw, admit. Never commits; every state change emits its event."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from govkit import clock
from govkit.auth import Principal
from govkit.db import touch
from govkit.errors import Problem
from govkit.events.reserve import (
    CrossDepartment,
    DeclarationRefused,
    DeclarationSubmitted,
    DeclarationWithdrawn,
    EmergencyProjectRegistered,
    LibrarySupplemented,
    ProjectAdmittedToReserve,
    ProjectDeclared,
    SpecialAdditionDecided,
    SpecialAdditionRequested,
)
from govkit.money import from_fen, to_fen
from govkit.outbox import emit
from govkit.pagination import decode_cursor, encode_cursor
from govkit.policy import policy_for
from govkit.rules import Decision
from govkit.versioning import check_if_match

from ..library_records import repository as libraries
from ..orgs import service as orgs
from ..plans import service as plans
from ..special_additions import repository as decisions_repo
from ..special_additions import rules as sa_rules
from ..special_additions.models import SpecialAdditionDecision
from ..windows import repository as windows
from ..windows.models import Window
from . import repository, rules, splitting, transitions
from .models import Declaration
from .schemas import (
    DecisionIn,
    DecisionRead,
    DeclarationCreate,
    DeclarationList,
    DeclarationRead,
    EmergencyRead,
    Flag,
    RefusalRead,
    SpecialAdditionRead,
)

NOT_FOUND = "申报"


# -- reading --------------------------------------------------------------------------------------


def _decision_read(row: SpecialAdditionDecision) -> DecisionRead:
    return DecisionRead(
        bureau=row.bureau,
        decision=row.decision,
        opinion=row.opinion,
        decided_by=row.decided_by,
        decided_by_org=row.decided_by_org,
        decided_at=row.decided_at,
    )


def in_consultation(d: Declaration, rows: Sequence[SpecialAdditionDecision] = ()) -> bool:
    """A special addition (R-9.2), or a supplement window's declaration put to the consultation (R-9.1)."""
    return d.route == "special_addition" or d.status == "awaiting_consultation" or bool(rows)


def _special_addition_read(
    d: Declaration, rows: Sequence[SpecialAdditionDecision], consultation_days: int
) -> SpecialAdditionRead | None:
    if not in_consultation(d, rows):
        return None
    votes = [sa_rules.Vote(r.bureau, r.decision) for r in rows]
    by_bureau = {r.bureau: _decision_read(r) for r in rows}
    outcome = "withdrawn" if d.status == "withdrawn" else sa_rules.outcome(votes)
    if d.status == "draft":
        outcome = "pending"
    due = (
        sa_rules.consultation_due(d.special_addition_requested_on, consultation_days)
        if d.special_addition_requested_on and outcome == "pending"
        else None
    )
    return SpecialAdditionRead(
        reason=d.special_addition_reason or "",
        requested_on=d.special_addition_requested_on,
        decisions=[_decision_read(r) for r in rows],
        matrix={b: by_bureau.get(b) for b in sa_rules.BUREAUS},
        decided=[b for b in sa_rules.BUREAUS if b in by_bureau],
        awaiting=sa_rules.awaiting(votes) if outcome == "pending" else [],
        outcome=outcome,
        due_on=due,
        rule="R-9.2" if d.route == "special_addition" else "R-9.1",
    )


def _flag(decision: Decision) -> Flag:
    data = decision.as_dict()
    return Flag(
        rule=data["rule"],
        article=data["article"],
        basis=decision.details.get("basis", data["basis"]),
        message=data["message"],
        details=decision.details,
    )


def _violation(d: Decision) -> dict:
    """A decision as a problem's violation; our readings keep `"basis": "practice"`."""
    return {**d.as_dict(), "field": d.details.get("field"), "basis": d.details.get("basis", d.as_dict()["basis"])}


def scope_flags(d: Declaration) -> list[Decision]:
    """R-2.2: what only resembles the list, shown to the reviewer (computed, never stored)."""
    return rules.scope_flags(d.title, d.description or "", [str(i.get("name", "")) for i in (d.items or [])])


def to_read(
    d: Declaration,
    rows: Sequence[SpecialAdditionDecision] = (),
    flags: Sequence[Decision] = (),
    consultation_days: int = 15,
) -> DeclarationRead:
    consultation = _special_addition_read(d, rows, consultation_days)
    cross = {"lead_org": d.org, "participant_orgs": list(d.participant_orgs or [])} if d.cross_department else None
    return DeclarationRead(
        project_id=d.project_id,
        declaration_no=d.declaration_no,
        status=d.status,
        route=d.route,
        library_year=d.library_year,
        window_id=d.window_id,
        org=d.org,
        jurisdiction=d.jurisdiction,
        plan_item=d.plan_item,
        plan_version_id=d.plan_version_id,
        title=d.title,
        category=d.category,
        description=d.description,
        items=list(d.items or []),
        estimated_investment=from_fen(d.estimated_investment_fen),
        classified=d.classified,
        built_by_big_data_group=d.built_by_big_data_group,
        new_civil_works=d.new_civil_works,
        high_energy=d.high_energy,
        municipal_budget=d.municipal_budget,
        cross_department=cross,
        participant_orgs=list(d.participant_orgs or []),
        emergency=(
            EmergencyRead(
                type=d.emergency_type,
                type_zh=rules.EMERGENCY_TYPES.get(d.emergency_type, ""),
                grounds=d.emergency_grounds or "",
            )
            if d.emergency_type
            else None
        ),
        special_addition=consultation if d.route == "special_addition" else None,
        consultation=consultation,
        refusal=(
            RefusalRead(
                reason=d.refusal_reason or "",
                refused_by=d.refused_by or "",
                refused_on=d.refused_on,
                rule=d.refusal_rule or "R-8.1",
            )
            if d.status == "refused" and d.refused_on
            else None
        ),
        withdrawal_reason=d.withdrawal_reason,
        declared_on=d.declared_on,
        submitted_on=d.submitted_on,
        admitted_on=d.admitted_on,
        flags=[_flag(f) for f in [*scope_flags(d), *splitting.flags_for(d.project_id, flags)]],
        version=d.version,
        created_at=d.created_at,
        updated_at=d.updated_at,
    )


def ref(d: Declaration) -> splitting.DeclRef:
    return splitting.DeclRef(
        project_id=d.project_id,
        declaration_no=d.declaration_no,
        org=d.org,
        library_year=d.library_year,
        title=d.title,
        description=d.description or "",
        amount=from_fen(d.estimated_investment_fen),
        status=d.status,
    )


def splitting_flags(decls: Iterable[Declaration]) -> list[Decision]:
    """X-11.1 over every (org, library year) group, each judged by the policy of its first declaration (R-33.1)."""
    groups: dict[tuple[str, int], list[Declaration]] = {}
    for d in decls:
        groups.setdefault((d.org, d.library_year), []).append(d)
    flags: list[Decision] = []
    for members in groups.values():
        policy = policy_for(min(m.declared_on for m in members), members[0].jurisdiction)
        flags += splitting.splitting_groups([ref(m) for m in members], policy.splitting_thresholds)
    return flags


async def flags_for(session: AsyncSession, decls: Sequence[Declaration]) -> list[Decision]:
    peers = await repository.of_orgs_years(session, {(d.org, d.library_year) for d in decls})
    return splitting_flags(peers)


async def read_many(
    session: AsyncSession, decls: Sequence[Declaration], consultation_days: int
) -> list[DeclarationRead]:
    rows = await decisions_repo.for_projects(
        session, [d.project_id for d in decls if in_consultation(d) or d.status == "refused"]
    )
    flags = await flags_for(session, decls)
    return [to_read(d, rows.get(d.project_id, []), flags, consultation_days) for d in decls]


async def get_visible(
    session: AsyncSession, principal: Principal, project_id: str, *, lock: bool = False
) -> Declaration:
    try:
        uuid.UUID(project_id)
    except ValueError:
        raise Problem(404, f"{NOT_FOUND}不存在") from None
    decl = await repository.get(session, project_id, lock=lock)
    if decl is None:
        raise Problem(404, f"{NOT_FOUND}不存在")
    principal.ensure_can_see(decl.orgs, NOT_FOUND)
    return decl


async def get_own(session: AsyncSession, principal: Principal, project_id: str) -> Declaration:
    """A unit acting on a declaration: another unit's is a 404; a participant may look, only the
    declaring (lead) unit may act."""
    decl = await get_visible(session, principal, project_id, lock=True)
    if decl.org != principal.org:
        raise Problem(403, "仅申报（牵头）单位可以对该申报进行此操作")
    return decl


async def get_declaration(
    session: AsyncSession, principal: Principal, project_id: str, consultation_days: int
) -> DeclarationRead:
    decl = await get_visible(session, principal, project_id)
    return (await read_many(session, [decl], consultation_days))[0]


async def list_declarations(
    session: AsyncSession,
    principal: Principal,
    *,
    library_year: int | None,
    status: str | None,
    org: str | None,
    category: str | None,
    route: str | None,
    plan_item: str | None = None,
    limit: int,
    cursor: str | None,
    consultation_days: int,
) -> DeclarationList:
    after = decode_cursor(cursor)
    key = None
    if after is not None:
        try:
            key = (datetime.fromisoformat(after[0]), str(after[1]))
        except (IndexError, ValueError, TypeError):
            raise Problem(422, "cursor 无效", violations=[{"field": "cursor", "message": "invalid cursor"}]) from None
    visible_org = None if principal.citywide else principal.org
    rows = await repository.listing(
        session,
        visible_org=visible_org,
        library_year=library_year,
        status=status,
        org=org,
        category=category,
        route=route,
        plan_item=plan_item,
        after=key,
        limit=limit,
    )
    more = len(rows) > limit
    rows = rows[:limit]
    items = await read_many(session, rows, consultation_days)
    nxt = encode_cursor([rows[-1].created_at.isoformat(), rows[-1].project_id]) if more and rows else None
    return DeclarationList(items=items, next_cursor=nxt)


# -- facts for events -----------------------------------------------------------------------------


def facts(d: Declaration, flags: Sequence[Decision] = ()) -> dict:
    return dict(
        project_id=uuid.UUID(d.project_id),
        declaration_no=d.declaration_no,
        title=d.title,
        category=d.category,
        org=d.org,
        library_year=d.library_year,
        estimated_investment=from_fen(d.estimated_investment_fen),
        description=d.description or "",
        classified=d.classified,
        built_by_big_data_group=d.built_by_big_data_group,
        new_civil_works=d.new_civil_works,
        high_energy=d.high_energy,
        cross_department=(
            CrossDepartment(lead_org=d.org, participant_orgs=list(d.participant_orgs or []))
            if d.cross_department
            else None
        ),
        participant_orgs=list(d.participant_orgs or []),
        declared_on=d.declared_on,
        jurisdiction=d.jurisdiction,
        route=d.route,
        splitting_suspected=bool(splitting.flags_for(d.project_id, flags)),
        plan_item=d.plan_item,
        plan_version_id=d.plan_version_id,
        emergency_type=d.emergency_type,
        emergency_grounds=d.emergency_grounds,
    )


# -- declaring ------------------------------------------------------------------------------------


def _scope_or_refuse(data: DeclarationCreate) -> None:
    """R-2.1 / R-2.2 at intake: every failure listed; 422 with the first rule."""
    decisions = rules.check_scope(
        data.category, data.municipal_budget, data.title, data.description, [i.name for i in data.items]
    )
    failed = [d for d in decisions if not d.ok]
    if failed:
        rule = "R-2.2" if any(d.rule == "R-2.2" for d in failed) else failed[0].rule
        first = next(d for d in failed if d.rule == rule)
        raise Problem(422, first.message, rule=rule, violations=[_violation(d) for d in failed])


async def _candidate_window(session: AsyncSession, library_year: int | None, today: date) -> Window:
    """The open window a declaration goes into (R-8.1 annual, R-9.1 supplement)."""
    open_now = await windows.open_on(session, today, library_year)
    usable, closed_by_filing = [], []
    for w in open_now:
        lib = await libraries.get(session, w.library_year)
        if w.kind == "annual" and lib is not None and lib.status == "filed":
            closed_by_filing.append(w)
        else:
            usable.append(w)
    if not usable:
        if closed_by_filing:
            y = closed_by_filing[0].library_year
            raise Problem(409, f"{y}年度储备库已报领导小组备案，只能通过增补窗口或专项增补申报（第八条）", rule="R-8.2")
        year = f"{library_year}年度" if library_year else ""
        raise Problem(
            409,
            f"当前没有开放的{year}储备库申报或增补窗口；可申请专项增补（第九条）或登记应急项目",
            rule="R-8.1",
            violations=rules.no_window(library_year),
        )
    years = sorted({w.library_year for w in usable})
    if len(years) > 1:
        raise Problem(
            422,
            f"当前有多个储备库年度的窗口开放（{'、'.join(map(str, years))}），请填写 library_year",
            violations=[{"field": "library_year", "message": f"one of {years}"}],
        )
    return usable[0]


async def declare(
    session: AsyncSession, principal: Principal, data: DeclarationCreate, consultation_days: int
) -> DeclarationRead:
    today = clock.today()
    org = data.org or principal.org
    if org != principal.org:
        raise Problem(403, "只能以本单位名义申报项目（org 须为本单位）")
    jurisdiction = await orgs.jurisdiction_for(session, principal)  # the unit's 市本级 or county
    _scope_or_refuse(data)
    participants: list[str] = []
    if data.cross_department is not None:
        cd = data.cross_department
        failed = [d for d in rules.check_cross_department(org, cd.lead_org, cd.participant_orgs) if not d.ok]
        if failed:
            raise Problem(
                422,
                failed[0].message,
                rule="R-12.1",
                violations=[{**d.as_dict(), "field": d.details.get("field")} for d in failed],
            )
        participants = list(cd.participant_orgs)

    plan_version_id = None
    if data.plan_item is not None:  # an item of the approved overall plan
        plan_version_id, _ = await plans.plan_item_of(session, jurisdiction, data.plan_item)

    window: Window | None = None
    if data.emergency is not None:
        route, status, year = "emergency", "emergency", data.library_year or today.year
    elif data.special_addition is not None:
        route, status, year = "special_addition", "awaiting_consultation", data.library_year or today.year
    elif data.draft:
        open_years = [w.library_year for w in await windows.open_on(session, today)]
        route, status = "window", "draft"
        year = data.library_year or rules.default_library_year(today, open_years, policy_for(today, jurisdiction))
    else:
        window = await _candidate_window(session, data.library_year, today)
        route, status, year = "window", "submitted", window.library_year
    policy_for(today, jurisdiction)  # a declaration needs a policy in force on its date

    seq = await repository.next_seq(session, year)
    decl = Declaration(
        project_id=str(uuid.uuid4()),
        declaration_no=f"SB-{year}-{seq:04d}",
        library_year=year,
        org=org,
        jurisdiction=jurisdiction,
        plan_version_id=plan_version_id,
        plan_item=data.plan_item,
        participant_orgs=participants,
        cross_department=data.cross_department is not None,
        title=data.title,
        category=data.category,
        description=data.description,
        items=[i.model_dump(exclude_none=True) for i in data.items],
        estimated_investment_fen=to_fen(data.estimated_investment),
        classified=data.classified,
        built_by_big_data_group=data.built_by_big_data_group,
        new_civil_works=data.new_civil_works,
        high_energy=data.high_energy,
        municipal_budget=data.municipal_budget,
        route=route,
        status=status,
        window_id=window.id if window else None,
        emergency_type=data.emergency.type if data.emergency else None,
        emergency_grounds=data.emergency.grounds if data.emergency else None,
        special_addition_reason=data.special_addition.reason if data.special_addition else None,
        special_addition_requested_on=today if data.special_addition else None,
        declared_on=today,
        submitted_on=today if status == "submitted" else None,
        created_by=principal.sub,
    )
    await repository.add(session, decl)
    flags = await flags_for(session, [decl])
    rule = {"emergency": "R-9.3", "awaiting_consultation": "R-9.2"}.get(
        status, "R-2.1" if window is None else ("R-8.1" if window.kind == "annual" else "R-9.1")
    )
    await emit(
        session,
        ProjectDeclared(**facts(decl, flags), status=status, window_id=decl.window_id),
        actor=principal,
        rule=rule,
    )
    if status == "emergency":
        await emit(session, EmergencyProjectRegistered(**facts(decl, flags)), actor=principal, rule="R-9.3")
    elif status == "awaiting_consultation":
        await emit(
            session,
            SpecialAdditionRequested(
                project_id=uuid.UUID(decl.project_id),
                declaration_no=decl.declaration_no,
                library_year=year,
                org=org,
                reason=decl.special_addition_reason or "",
                requested_on=today,
            ),
            actor=principal,
            rule="R-9.2",
        )
    return to_read(decl, (), flags, consultation_days)


async def submit(
    session: AsyncSession, principal: Principal, project_id: str, if_match: str | None, consultation_days: int
) -> DeclarationRead:
    decl = await get_own(session, principal, project_id)
    check_if_match(if_match, decl.version)
    transitions.ensure(decl.status, "submitted", "R-8.1", "提交")
    today = clock.today()
    window = await _candidate_window(session, decl.library_year, today)
    decl.status, decl.window_id, decl.submitted_on = "submitted", window.id, today
    await session.flush()
    await emit(
        session,
        DeclarationSubmitted(
            project_id=uuid.UUID(decl.project_id),
            declaration_no=decl.declaration_no,
            library_year=decl.library_year,
            window_id=window.id,
            window_kind=window.kind,
            submitted_on=today,
        ),
        actor=principal,
        rule="R-8.1" if window.kind == "annual" else "R-9.1",
    )
    return (await read_many(session, [decl], consultation_days))[0]


async def request_special_addition(
    session: AsyncSession,
    principal: Principal,
    project_id: str,
    reason: str,
    if_match: str | None,
    consultation_days: int,
) -> DeclarationRead:
    """R-9.2: a declaration that missed its window (a draft) becomes a special-addition request."""
    decl = await get_own(session, principal, project_id)
    check_if_match(if_match, decl.version)
    transitions.ensure(decl.status, "awaiting_consultation", "R-9.2", "申请专项增补", only_from={"draft"})
    today = clock.today()
    decl.status, decl.route = "awaiting_consultation", "special_addition"
    decl.special_addition_reason, decl.special_addition_requested_on = reason, today
    await session.flush()
    await emit(
        session,
        SpecialAdditionRequested(
            project_id=uuid.UUID(decl.project_id),
            declaration_no=decl.declaration_no,
            library_year=decl.library_year,
            org=decl.org,
            reason=reason,
            requested_on=today,
        ),
        actor=principal,
        rule="R-9.2",
    )
    return (await read_many(session, [decl], consultation_days))[0]


async def refuse(
    session: AsyncSession,
    principal: Principal,
    project_id: str,
    reason: str,
    if_match: str | None,
    consultation_days: int,
) -> DeclarationRead:
    """bdb leaves a submitted declaration out of the library, with reasons (R-8.1 / R-9.1)."""
    decl = await get_visible(session, principal, project_id, lock=True)
    check_if_match(if_match, decl.version)
    if decl.status == "awaiting_consultation":
        raise Problem(409, "专项增补由三部门会商决定，请通过会商意见作出决定（第九条）", rule="R-9.2")
    transitions.ensure(decl.status, "refused", "R-8.1", "不予入库")
    window = await windows.get(session, decl.window_id) if decl.window_id else None
    rule = "R-9.1" if window is not None and window.kind == "supplement" else "R-8.1"
    await mark_refused(session, decl, principal, reason, rule)
    return (await read_many(session, [decl], consultation_days))[0]


async def mark_refused(session: AsyncSession, decl: Declaration, principal: Principal, reason: str, rule: str) -> None:
    decl.status, decl.refusal_reason, decl.refusal_rule = "refused", reason, rule
    decl.refused_by, decl.refused_on = principal.sub, clock.today()
    await session.flush()
    await emit(
        session,
        DeclarationRefused(
            project_id=uuid.UUID(decl.project_id),
            declaration_no=decl.declaration_no,
            library_year=decl.library_year,
            org=decl.org,
            reason=reason,
            refused_by=principal.sub,
            rule=rule,
        ),
        actor=principal,
        rule=rule,
    )


async def withdraw(
    session: AsyncSession,
    principal: Principal,
    project_id: str,
    reason: str,
    if_match: str | None,
    consultation_days: int,
) -> DeclarationRead:
    decl = await get_own(session, principal, project_id)
    check_if_match(if_match, decl.version)
    transitions.ensure(decl.status, "withdrawn", "R-8.1", "撤回（入库前方可撤回）")
    decl.status, decl.withdrawal_reason, decl.withdrawn_on = "withdrawn", reason, clock.today()
    await session.flush()
    await emit(
        session,
        DeclarationWithdrawn(
            project_id=uuid.UUID(decl.project_id),
            declaration_no=decl.declaration_no,
            library_year=decl.library_year,
            org=decl.org,
            reason=reason,
        ),
        actor=principal,
        rule="R-8.1",
    )
    return (await read_many(session, [decl], consultation_days))[0]


async def admit(session: AsyncSession, decls: Sequence[Declaration], actor: Principal, how: str, rule: str) -> None:
    """Into the library: status admitted and `ProjectAdmittedToReserve` (approval opens the application)."""
    if not decls:
        return
    today = clock.today()
    for d in decls:
        transitions.ensure(d.status, "admitted", rule, "入库")
        d.status, d.admitted_on, d.admitted_by = "admitted", today, how
    await session.flush()
    flags = await flags_for(session, decls)
    for d in decls:
        await emit(session, ProjectAdmittedToReserve(**facts(d, flags), admitted_on=today), actor=actor, rule=rule)


# -- consultation --------------------------------------------------------------------------
async def decide_special_addition(
    session: AsyncSession,
    principal: Principal,
    project_id: str,
    data: DecisionIn,
    if_match: str | None,
    consultation_days: int,
) -> DeclarationRead:
    """R-9.2 consultation: each of bdb, finance and approval_bureau decides once, with its opinion.
    All three agree → admitted (ProjectAdmittedToReserve); any refusal → refused. The same
    consultation admits a supplement window's declarations (R-9.1: never on bdb's word alone)."""
    if data.bureau is not None and data.bureau not in principal.roles:  # a bureau one does not hold: forbidden
        raise Problem(403, f"无权以 {data.bureau} 的身份作出会商意见（第九条）", rule="R-9.2")
    bureau = sa_rules.bureau_of(principal.roles, data.bureau)
    if bureau is None:
        raise Problem(
            422,
            "请以 bdb、finance 或 approval_bureau 之一的身份作出会商意见（bureau）",
            violations=[{"field": "bureau", "message": "name the bureau you decide for"}],
        )
    decl = await get_visible(session, principal, project_id, lock=True)
    check_if_match(if_match, decl.version)
    existing = (await decisions_repo.for_projects(session, [decl.project_id]))[decl.project_id]
    if not in_consultation(decl, existing) or decl.status == "draft":
        raise Problem(409, "该申报不是专项增补申请，也未提交增补会商（第九条）", rule="R-9.2")
    supplement = decl.route == "window"
    votes = [sa_rules.Vote(r.bureau, r.decision) for r in existing]
    check = sa_rules.check_vote(bureau, votes)
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
    await decisions_repo.add(session, row)
    votes.append(sa_rules.Vote(bureau, data.decision))
    outcome = sa_rules.outcome(votes)
    touch(decl)
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
            awaiting=sa_rules.awaiting(votes) if outcome == "pending" else [],
        ),
        actor=principal,
        rule="R-9.2",
    )
    what = "增补入库" if supplement else "专项增补"
    if outcome == "refused":
        await mark_refused(
            session, decl, principal, f"{sa_rules.BUREAU_ZH[bureau]}不同意{what}：{data.opinion}", "R-9.2"
        )
    elif outcome == "admitted" and supplement:
        await admit(session, [decl], principal, "supplement", "R-9.1")
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
        await admit(session, [decl], principal, "special_addition", "R-9.2")
    return (await read_many(session, [decl], consultation_days))[0]
