"""X-30.1: the reserve's open clocks — windows closing soon, declarations awaiting decisions."""

from __future__ import annotations

from datetime import date, timedelta

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from govkit.auth import Principal
from govkit.policy import policy_for

from ..declarations import repository as declarations_repo
from ..special_additions import repository as decisions_repo
from ..special_additions import rules as sa_rules
from ..windows import repository as windows_repo
from . import rules


class WindowClock(BaseModel):
    window_id: str
    kind: str
    library_year: int
    opens_on: date
    closes_on: date
    days_left: int
    rule: str
    article: str
    basis: str
    message: str


class DeclarationClock(BaseModel):
    project_id: str
    declaration_no: str
    org: str
    title: str
    status: str
    library_year: int
    awaiting: list[str]  # who must decide: bdb (library) or the bureaus not yet heard
    due_on: date
    days_left: int
    overdue: bool
    rule: str
    article: str
    basis: str
    message: str


class Clocks(BaseModel):
    as_of: date
    within_days: int
    windows: list[WindowClock]
    declarations: list[DeclarationClock]


async def clocks(
    session: AsyncSession,
    principal: Principal,
    as_of: date,
    within_days: int,
    consultation_days: int,
    overdue_only: bool = False,
) -> Clocks:
    out_windows = []
    for w in await windows_repo.closing_between(session, as_of, as_of + timedelta(days=within_days)):
        c = rules.window_clock(w.kind, w.opens_on, w.closes_on, as_of, within_days)
        if c is not None and not overdue_only:
            d = c.as_dict()
            out_windows.append(
                WindowClock(
                    window_id=w.id,
                    kind=w.kind,
                    library_year=w.library_year,
                    opens_on=w.opens_on,
                    closes_on=w.closes_on,
                    days_left=c.details["days_left"],
                    rule=d["rule"],
                    article=d["article"],
                    basis=d["basis"],
                    message=d["message"],
                )
            )
    pending = await declarations_repo.awaiting(session, None if principal.citywide else principal.org)
    votes = await decisions_repo.for_projects(
        session, [d.project_id for d in pending if d.status == "awaiting_consultation"]
    )
    window_cache: dict[str, object] = {}
    out_decls = []
    for d in pending:
        policy = policy_for(d.declared_on, d.jurisdiction)
        if d.status == "awaiting_consultation":
            due = sa_rules.consultation_due(d.special_addition_requested_on or d.declared_on, consultation_days)
            awaiting = sa_rules.awaiting([sa_rules.Vote(v.bureau, v.decision) for v in votes.get(d.project_id, [])])
            kind = "专项增补" if d.route == "special_addition" else "增补入库"
            what = f"{d.declaration_no} {kind}会商（待：{'、'.join(sa_rules.BUREAU_ZH[b] for b in awaiting)}）"
        else:
            w = None
            if d.window_id:
                if d.window_id not in window_cache:
                    window_cache[d.window_id] = await windows_repo.get(session, d.window_id)
                w = window_cache[d.window_id]
            due = rules.compile_due(getattr(w, "kind", None), d.library_year, getattr(w, "closes_on", None), policy)
            awaiting = ["bdb"]
            what = f"{d.declaration_no} 入库决定（编制储备库）"
        c = rules.due_clock(what, due, as_of)
        if overdue_only and not c.details["overdue"]:
            continue
        data = c.as_dict()
        out_decls.append(
            DeclarationClock(
                project_id=d.project_id,
                declaration_no=d.declaration_no,
                org=d.org,
                title=d.title,
                status=d.status,
                library_year=d.library_year,
                awaiting=awaiting,
                due_on=due,
                days_left=c.details["days_left"],
                overdue=c.details["overdue"],
                rule=data["rule"],
                article=data["article"],
                basis=data["basis"],
                message=data["message"],
            )
        )
    out_decls.sort(key=lambda x: (x.due_on, x.declaration_no))
    return Clocks(as_of=as_of, within_days=within_days, windows=out_windows, declarations=out_decls)
