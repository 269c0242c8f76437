"""Use cases of the annual library: compile (R-8.1), file with the leading group (R-8.2), supplement
(R-9.1). Never commits; emits LibraryCompiled / LibraryFiled / LibrarySupplemented and, per admitted
declaration, ProjectAdmittedToReserve."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from govkit import clock
from govkit.auth import Principal
from govkit.db import touch
from govkit.errors import Problem
from govkit.events.reserve import LibraryCompiled, LibraryFiled, SpecialAdditionRequested, SupplementConsultationOpened
from govkit.money import from_fen
from govkit.outbox import emit
from govkit.versioning import check_if_match

from ..declarations import repository as declarations_repo
from ..declarations import service as declarations
from ..declarations import transitions
from ..declarations.models import Declaration
from ..library_records import repository
from ..library_records.models import Library, LibrarySupplement
from .schemas import LibraryEntry, LibraryRead, SupplementRead


def _total(decls: list[Declaration]) -> Decimal:
    return sum((from_fen(d.estimated_investment_fen) for d in decls), Decimal("0.00"))


async def _read(
    session: AsyncSession, principal: Principal | None, year: int, library: Library | None, plan_item: str | None = None
) -> LibraryRead:
    admitted = await declarations_repo.of_year(session, year, ["admitted"])
    if plan_item is not None:  # the library's entries serving one plan item
        admitted = [d for d in admitted if d.plan_item == plan_item]
    submitted = await declarations_repo.of_year(session, year, ["submitted"])
    flags = declarations.splitting_flags(await declarations_repo.of_year(session, year))
    if principal is not None and not principal.citywide:
        admitted = [d for d in admitted if principal.org in d.orgs]
        submitted = [d for d in submitted if principal.org in d.orgs]
        flags = [f for f in flags if f.details.get("org") == principal.org]
    supplements = await repository.supplements(session, year)
    items = [
        LibraryEntry(
            project_id=d.project_id,
            declaration_no=d.declaration_no,
            title=d.title,
            org=d.org,
            participant_orgs=list(d.participant_orgs or []),
            category=d.category,
            estimated_investment=from_fen(d.estimated_investment_fen),
            route=d.route,
            admitted_on=d.admitted_on,
            admitted_by=d.admitted_by,
            jurisdiction=d.jurisdiction,
            plan_item=d.plan_item,
            flags=[declarations._flag(f) for f in declarations.splitting.flags_for(d.project_id, flags)],
        )
        for d in admitted
    ]
    return LibraryRead(
        library_year=year,
        status=library.status if library else "not_compiled",
        compiled_on=library.compiled_on if library else None,
        compiled_by=library.compiled_by if library else None,
        compile_count=library.compile_count if library else 0,
        filed_on=library.filed_on if library else None,
        filed_by=library.filed_by if library else None,
        project_count=len(items),
        total_investment=_total(admitted),
        items=items,
        splitting_flags=[declarations._flag(f) for f in flags],
        pending_submitted=len(submitted),
        supplements=[
            SupplementRead(
                id=s.id,
                supplemented_on=s.supplemented_on,
                supplemented_by=s.supplemented_by,
                project_ids=list(s.project_ids or []),
            )
            for s in supplements
        ],
        version=library.version if library else 0,
    )


async def get_library(
    session: AsyncSession, principal: Principal, year: int, plan_item: str | None = None
) -> LibraryRead:
    library = await repository.get(session, year)
    if library is None and not await declarations_repo.of_year(session, year):
        raise Problem(404, f"{year}年度储备库不存在")
    return await _read(session, principal, year, library, plan_item)


async def compile_library(session: AsyncSession, principal: Principal, year: int, if_match: str | None) -> LibraryRead:
    """R-8.1: every declaration submitted in the year's annual window and not refused is admitted,
    with the special additions already admitted. Compiling again before filing admits what was
    submitted since. A supplement window's declarations are not compiled: they enter only through
    the three bureaus' consultation (R-9.1)."""
    await repository.lock_year(session, year)
    library = await repository.get(session, year, lock=True)
    if library is not None:
        check_if_match(if_match, library.version)
        if library.status == "filed":
            raise Problem(
                409,
                f"{year}年度储备库已报领导小组备案，不能重新编制；此后只能通过增补或专项增补调整（第八条）",
                rule="R-8.2",
            )
    submitted = await declarations_repo.submitted_in(session, year, "annual", lock=True)
    await declarations.admit(session, submitted, principal, "compile", "R-8.1")
    today = clock.today()
    if library is None:
        library = await repository.add(
            session,
            Library(
                library_year=year, status="compiled", compiled_on=today, compiled_by=principal.sub, compile_count=1
            ),
        )
    else:
        library.compiled_on, library.compiled_by = today, principal.sub
        library.compile_count += 1
        await session.flush()
    read = await _read(session, None, year, library)
    await emit(
        session,
        LibraryCompiled(
            library_year=year,
            compiled_on=today,
            admitted_now=[d.project_id for d in submitted],
            project_count=read.project_count,
            total_investment=read.total_investment,
            splitting_groups=len(read.splitting_flags),
        ),
        actor=principal,
        rule="R-8.1",
    )
    return read


async def file_library(session: AsyncSession, principal: Principal, year: int, if_match: str | None) -> LibraryRead:
    """R-8.2: the compiled library is filed with the leading group."""
    await repository.lock_year(session, year)
    library = await repository.get(session, year, lock=True)
    if library is None:
        raise Problem(409, f"{year}年度储备库尚未编制，不能备案（第八条）", rule="R-8.2")
    check_if_match(if_match, library.version)
    if library.status == "filed":
        raise Problem(409, f"{year}年度储备库已于 {library.filed_on} 备案（第八条）", rule="R-8.2")
    pending = await declarations_repo.submitted_in(session, year, "annual")
    if pending:
        raise Problem(
            409,
            f"编制后又有 {len(pending)} 份申报提交，请先重新编制再备案（第八条）",
            rule="R-8.1",
            pending=[d.declaration_no for d in pending],
        )
    admitted = await declarations_repo.of_year(session, year, ["admitted"])
    today = clock.today()
    library.status, library.filed_on, library.filed_by = "filed", today, principal.sub
    library.filed_project_ids = [d.project_id for d in admitted]
    await session.flush()
    await emit(
        session,
        LibraryFiled(
            library_year=year, filed_on=today, project_ids=library.filed_project_ids, total_investment=_total(admitted)
        ),
        actor=principal,
        rule="R-8.2",
    )
    return await _read(session, None, year, library)


async def supplement_library(session: AsyncSession, principal: Principal, year: int) -> LibraryRead:
    """R-9.1: the half-yearly supplement of a filed library. bdb puts the submitted declarations of
    the year's supplement windows to the consultation of bdb, finance and approval_bureau (R-9.2);
    none is admitted here — each enters the library only when all three have agreed."""
    await repository.lock_year(session, year)
    library = await repository.get(session, year, lock=True)
    if library is None or library.status != "filed":
        raise Problem(
            409, f"{year}年度储备库尚未备案：备案前请直接编制（第八条）；增补针对已备案的储备库（第九条）", rule="R-9.1"
        )
    submitted = await declarations_repo.submitted_in(session, year, "supplement", lock=True)
    if not submitted:
        raise Problem(409, f"{year}年度没有待增补的申报（第九条）", rule="R-9.1")
    today = clock.today()
    for d in submitted:
        transitions.ensure(d.status, "awaiting_consultation", "R-9.1", "提交会商")
        d.status, d.special_addition_requested_on = "awaiting_consultation", today
    row = await repository.add_supplement(
        session,
        LibrarySupplement(
            id=str(uuid.uuid4()),
            library_year=year,
            supplemented_on=today,
            supplemented_by=principal.sub,
            project_ids=[d.project_id for d in submitted],
        ),
    )
    touch(library)
    await session.flush()
    await emit(
        session,
        SupplementConsultationOpened(library_year=year, opened_on=today, project_ids=row.project_ids),
        actor=principal,
        rule="R-9.1",
    )
    for d in submitted:
        await emit(
            session,
            SpecialAdditionRequested(
                project_id=uuid.UUID(d.project_id),
                declaration_no=d.declaration_no,
                library_year=year,
                org=d.org,
                reason=f"{year}年度储备库半年增补（第九条）",
                requested_on=today,
                kind="supplement",
            ),
            actor=principal,
            rule="R-9.1",
        )
    return await _read(session, None, year, library)
