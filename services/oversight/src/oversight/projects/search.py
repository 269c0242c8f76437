"""Keyword search of the project list: title, declaration number, project code, unit (org).

A substring search, case-insensitive. On PostgreSQL the GIN index of migration 0003_exports_search
(every character and pair of adjacent characters of the four fields) finds the candidates: the
query's pairs (its one character, for a one-character query) must all be there; `ILIKE` then keeps
the rows that contain the query itself. SQLite (development) only does the `LIKE`.
"""

from __future__ import annotations

from sqlalchemy import Text, bindparam, func, or_
from sqlalchemy.dialects.postgresql import ARRAY

from govkit.errors import Problem

from .models import ProjectView

MAX_LEN = 100
# "with a total count": exact up to this many matches, beyond it `total` is this bound and
# `total_exact` false (the search engines' habit — counting a million matches costs more than the
# page; "basis": "practice").
COUNT_CAP = 10_000
SEP = "\x1f"


def normalise(q: str | None) -> str | None:
    if q is None:
        return None
    q = q.strip()
    if not q:
        return None
    if len(q) > MAX_LEN:
        raise Problem(
            422,
            f"q（关键词）不超过 {MAX_LEN} 个字符",
            violations=[{"field": "q", "message": f"at most {MAX_LEN} characters"}],
        )
    if SEP in q:
        raise Problem(422, "q（关键词）含有不可见控制字符", violations=[{"field": "q", "message": "control character"}])
    return q


def grams(q: str) -> list[str]:
    """The index keys a match must have: the query's adjacent pairs, or its one character."""
    s = q.lower()
    if len(s) == 1:
        return [s]
    return sorted({s[i : i + 2] for i in range(len(s) - 1)})


def _like(q: str) -> str:
    return "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def condition(q: str, dialect: str):
    pattern = _like(q)
    exact = or_(
        *(
            col.ilike(pattern, escape="\\")
            for col in (ProjectView.title, ProjectView.declaration_no, ProjectView.project_code, ProjectView.org)
        )
    )
    if dialect != "postgresql":
        return exact
    indexed = func.govpm_search_grams(
        ProjectView.title, ProjectView.declaration_no, ProjectView.project_code, ProjectView.org, type_=ARRAY(Text)
    )
    wanted = bindparam("search_grams", grams(q), type_=ARRAY(Text))
    return indexed.op("@>")(wanted) & exact
