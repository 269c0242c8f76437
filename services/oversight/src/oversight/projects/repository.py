"""Every query of the read model."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, exists, func, insert, or_, select, tuple_, union
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from govkit.db import is_postgres
from govkit.excel import keyset_stream

from . import search
from .models import ProjectParticipant, ProjectSearchTerm, ProjectSearchTermCount, ProjectView, TimelineEntry


def _filtered(stmt, *, status: str | None, org: str | None, library_year: int | None):
    if status is not None:
        stmt = stmt.where(ProjectView.status == status)
    if org is not None:
        stmt = stmt.where(ProjectView.org == org)
    if library_year is not None:
        stmt = stmt.where(ProjectView.library_year == library_year)
    return stmt


@dataclass(frozen=True)
class Search:
    """A keyword query ready to run: its terms, rarest first (see search.py)."""

    q: str
    terms: tuple[str, ...]

    @property
    def exact(self) -> bool:
        return search.exact(self.q)

    def recheck(self):
        """The row holds the query itself (a longer query's pairs may all be there, apart)."""
        pattern = search.like(self.q)
        return or_(
            *(
                col.ilike(pattern, escape="\\")
                for col in (ProjectView.title, ProjectView.declaration_no, ProjectView.project_code, ProjectView.org)
            )
        )


async def plan_search(session: AsyncSession, q: str) -> Search | None:
    """The query's terms ordered by how many projects have them; None when one has none (no match).
    One primary-key read of the term counts."""
    wanted = search.grams(q)
    counts = dict(
        (
            await session.execute(
                select(ProjectSearchTermCount.term, ProjectSearchTermCount.projects).where(
                    ProjectSearchTermCount.term.in_(wanted)
                )
            )
        ).all()
    )
    if any(counts.get(t, 0) <= 0 for t in wanted):
        return None
    return Search(q, tuple(sorted(wanted, key=lambda t: (counts[t], t))))


def _by_terms(columns, s: Search):
    """Rows matching `s`, driven by the rarest term's postings in project id order; the next rarest
    terms are probed on the postings' primary key (search.PROBED_TERMS in all) before the project's
    row is read: `(stmt, id column)`; order and page on the id column."""
    t0 = aliased(ProjectSearchTerm, name="t0")
    stmt = select(*columns).select_from(t0)
    for i, term in enumerate(s.terms[1 : search.PROBED_TERMS], 1):
        ti = aliased(ProjectSearchTerm, name=f"t{i}")
        stmt = stmt.join(ti, (ti.term == term) & (ti.project_id == t0.project_id))
    stmt = stmt.join(ProjectView, ProjectView.project_id == t0.project_id).where(t0.term == s.terms[0])
    if not s.exact:
        stmt = stmt.where(s.recheck())
    return stmt, t0.project_id


def _has_terms(stmt, s: Search):
    """Rows matching `s` when another index may drive (a unit's own projects, an org filter): the
    rarest term only, then the query itself — one semi-join whose size the planner can estimate
    (the pairs of one word always come together: two of them would make it guess far too few)."""
    stmt = stmt.where(
        exists().where(ProjectSearchTerm.term == s.terms[0], ProjectSearchTerm.project_id == ProjectView.project_id)
    )
    return stmt if s.exact else stmt.where(s.recheck())


def _matching(columns, *, s: Search | None, org: str | None, status, library_year, driven_by_row: bool = False):
    """`(stmt, id column)` of the rows matching the filters and the search. A search with an org
    filter (or `driven_by_row`: a unit's own or joint projects) walks those rows — a unit's few
    thousand at most — and checks the terms of each; otherwise the rarest term's postings drive."""
    if s is None:
        stmt, id_col = select(*columns), ProjectView.project_id
    elif org is not None or driven_by_row:
        stmt, id_col = _has_terms(select(*columns), s), ProjectView.project_id
    else:
        stmt, id_col = _by_terms(columns, s)
    return _filtered(stmt, status=status, org=org, library_year=library_year), id_col


def page_statement(
    *,
    status: str | None,
    org: str | None,
    library_year: int | None,
    after: uuid.UUID | None,
    limit: int,
    search_for: Search | None,
):
    """One citywide page (`limit` + 1 rows, to tell whether more follow)."""
    stmt, id_col = _matching(ProjectView.__table__.c, s=search_for, org=org, status=status, library_year=library_year)
    if after is not None:
        stmt = stmt.where(id_col > after)
    return stmt.order_by(id_col).limit(limit + 1)


async def list_views(
    session: AsyncSession,
    *,
    status: str | None,
    org: str | None,
    library_year: int | None,
    visible_to_org: str | None,
    after: uuid.UUID | None,
    limit: int,
    search_for: Search | None = None,
) -> Sequence:
    """Keyset page in project_id order; each filter has a composite index ending in project_id.
    Plain rows (no ORM identity map): the list is read-only and this is its hot path.

    A unit sees its own projects and those it takes part in: two keyset branches (the org index,
    the participants' primary key), each limited, then merged — never an OR that defeats the index."""
    filters = dict(status=status, library_year=library_year, s=search_for)
    if visible_to_org is None:
        stmt = page_statement(
            status=status, org=org, library_year=library_year, after=after, limit=limit, search_for=search_for
        )
        return (await session.execute(stmt)).all()
    own, _ = _matching([ProjectView.project_id], org=visible_to_org, **filters)
    if org is not None:
        own = own.where(ProjectView.org == org)
    joint, _ = _matching([ProjectView.project_id], org=org, driven_by_row=True, **filters)
    joint = joint.join(ProjectParticipant, ProjectParticipant.project_id == ProjectView.project_id).where(
        ProjectParticipant.org == visible_to_org
    )
    if after is not None:
        own = own.where(ProjectView.project_id > after)
        joint = joint.where(ProjectParticipant.project_id > after)
    own = own.order_by(ProjectView.project_id).limit(limit + 1).subquery()
    joint = joint.order_by(ProjectParticipant.project_id).limit(limit + 1).subquery()
    ids = union(select(own.c.project_id), select(joint.c.project_id)).subquery()
    stmt = (
        select(*ProjectView.__table__.c)
        .where(ProjectView.project_id.in_(select(ids.c.project_id)))
        .order_by(ProjectView.project_id)
        .limit(limit + 1)
    )
    return (await session.execute(stmt)).all()


def _visible(stmt, visible_to_org: str | None):
    if visible_to_org is None:
        return stmt
    joint = select(ProjectParticipant.project_id).where(ProjectParticipant.org == visible_to_org)
    return stmt.where((ProjectView.org == visible_to_org) | ProjectView.project_id.in_(joint))


async def _count(session: AsyncSession, stmt, cap: int) -> int:
    return await session.scalar(select(func.count()).select_from(stmt.limit(cap + 1).subquery())) or 0


async def count_views_matching(
    session: AsyncSession,
    *,
    status: str | None,
    org: str | None,
    library_year: int | None,
    search_for: Search,
    visible_to_org: str | None,
    cap: int,
) -> int:
    """How many projects match (the search's total), counting at most `cap` + 1 (a unit: its own, then
    the joint ones that are not its own, each at most `cap` + 1)."""
    filters = dict(status=status, library_year=library_year, s=search_for)
    if visible_to_org is None:
        if search_for.exact and status is None and org is None and library_year is None:
            # one or two characters: the rarest (the only) term's postings are the answer
            postings = select(ProjectSearchTerm.project_id).where(ProjectSearchTerm.term == search_for.terms[0])
            return await _count(session, postings, cap)
        stmt, _ = _matching([ProjectView.project_id], org=org, **filters)
        return await _count(session, stmt, cap)
    own, _ = _matching([ProjectView.project_id], org=visible_to_org, **filters)
    if org is not None:
        own = own.where(ProjectView.org == org)
    joint, _ = _matching([ProjectView.project_id], org=org, driven_by_row=True, **filters)
    joint = joint.join(ProjectParticipant, ProjectParticipant.project_id == ProjectView.project_id).where(
        ProjectParticipant.org == visible_to_org, or_(ProjectView.org.is_(None), ProjectView.org != visible_to_org)
    )
    return await _count(session, own, cap) + await _count(session, joint, cap)


async def stream_views(
    session: AsyncSession,
    *,
    status: str | None,
    org: str | None,
    library_year: int | None,
    search_for: Search | None,
    visible_to_org: str | None,
    columns: Iterable[str] | None = None,
    batch: int = 2000,
):
    """Every matching row in project_id order, `batch` rows per query: the exports read a million
    rows without holding them. `columns`: only these (and project_id) are read."""
    table = ProjectView.__table__.c
    stmt, id_col = _matching(
        table if columns is None else [table[n] for n in dict.fromkeys(["project_id", *columns])],
        s=search_for,
        org=org,
        status=status,
        library_year=library_year,
        driven_by_row=visible_to_org is not None,
    )
    async for row in keyset_stream(
        session, _visible(stmt, visible_to_org), [id_col], lambda r: (r.project_id,), batch=batch
    ):
        yield row


async def reindex_search(
    session: AsyncSession, project_id: uuid.UUID, before: Iterable[str | None], after: Iterable[str | None]
) -> None:
    """Keep the project's search terms (and the term counts) in step with its fields, in the
    caller's transaction: only the terms that came or went are written (a project's terms are read
    from its fields, so no index by project is needed). Counts are changed in term order, so two
    transactions never wait on each other in a cycle."""
    old, new = search.terms_of(before), search.terms_of(after)
    gone, added = sorted(old - new), sorted(new - old)
    if gone:
        await session.execute(
            delete(ProjectSearchTerm).where(
                ProjectSearchTerm.project_id == project_id, ProjectSearchTerm.term.in_(gone)
            )
        )
    if added:
        await session.execute(insert(ProjectSearchTerm), [{"term": t, "project_id": project_id} for t in added])
    changes = sorted([(t, -1) for t in gone] + [(t, 1) for t in added])
    if not changes:
        return
    ins = (pg_insert if is_postgres(session) else sqlite_insert)(ProjectSearchTermCount)
    stmt = ins.on_conflict_do_update(
        index_elements=[ProjectSearchTermCount.term],
        set_={"projects": ProjectSearchTermCount.projects + ins.excluded.projects},
    )
    await session.execute(stmt, [{"term": t, "projects": d} for t, d in changes])


async def get_view(session: AsyncSession, project_id: uuid.UUID) -> ProjectView | None:
    return await session.get(ProjectView, project_id)


def _order():
    return (TimelineEntry.time, TimelineEntry.service, func.coalesce(TimelineEntry.seq, 0), TimelineEntry.event_id)


async def timeline(
    session: AsyncSession, project_id: uuid.UUID, after: tuple | None, limit: int
) -> Sequence[TimelineEntry]:
    stmt = select(TimelineEntry).where(TimelineEntry.project_id == project_id)
    if after is not None:
        stmt = stmt.where(tuple_(*_order()) > tuple_(*after))
    return (await session.scalars(stmt.order_by(*_order()).limit(limit + 1))).all()


async def clear(session: AsyncSession) -> None:
    for table in (TimelineEntry, ProjectParticipant, ProjectSearchTerm, ProjectSearchTermCount, ProjectView):
        await session.execute(delete(table))


async def count_views(session: AsyncSession) -> int:
    return await session.scalar(select(func.count()).select_from(ProjectView)) or 0


def timeline_after(values: list) -> tuple:
    return (datetime.fromisoformat(values[0]), values[1], int(values[2]), values[3])


# -- the projection's writes ---------------------------------------------------------------------
async def timeline_has(session: AsyncSession, event_id: str) -> bool:
    """Whether the event is in the timeline already (the projection's once-only guard)."""
    return await session.get(TimelineEntry, event_id) is not None


def add_timeline_entry(session: AsyncSession, entry: TimelineEntry) -> None:
    session.add(entry)


async def view_for_update(session: AsyncSession, project_id: uuid.UUID) -> ProjectView | None:
    return await session.get(ProjectView, project_id, with_for_update=True)


def add_view(session: AsyncSession, view: ProjectView) -> ProjectView:
    session.add(view)
    return view


async def replace_participants(session: AsyncSession, project_id: uuid.UUID, orgs: list[str]) -> None:
    """The project's participant index (who may see it) becomes exactly `orgs`."""
    await session.execute(delete(ProjectParticipant).where(ProjectParticipant.project_id == project_id))
    if orgs:
        await session.execute(insert(ProjectParticipant), [{"org": org, "project_id": project_id} for org in orgs])
