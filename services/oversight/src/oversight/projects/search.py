"""Keyword search of the project list: title, declaration number, project code, unit (org).

A substring search, case-insensitive, the same on PostgreSQL and SQLite. Chinese titles are short and
unsegmented (防汛 must find 智慧防汛指挥平台), so the index is of characters, not words: the table
`project_search_terms` holds, for every project, each character, each pair of adjacent characters
and each run of three ASCII characters of the four fields (lower case) as a (term, project_id) row —
its primary key is a posting list per term, read in project id order. The projection keeps it in the
same transaction as the row (`repository.reindex_search`), with `project_search_term_counts` (how
many projects have each term). Codes and numbers are ASCII, and their pairs (01, 20, -0) are in most
projects: hence the ASCII triples.

A query's terms are its ASCII triples and the pairs not inside one (its one or two characters, for a
short query). The rarest term drives — its postings in id order give the keyset page, `LIMIT` stops
the scan as soon as the page is full — the next rarest terms are probed on the postings (`PROBED_TERMS`
in all), and only then is the project's row read, where `ILIKE` keeps only rows holding the query
itself. A query of one or two characters (three ASCII) is exactly its one term, so its total is
counted on the postings alone.
"""

from __future__ import annotations

from collections.abc import Iterable

from govkit.errors import Problem

MAX_LEN = 100
# "with a total count": exact up to this many matches, beyond it `total` is this bound and
# `total_exact` false (the search engines' habit; "basis": "practice"). Counting a longer query's
# matches reads each candidate's row (the ILIKE check): ~4 buffers a match, so 10,000 would cost more
# than the 50 ms the whole answer may take at 1,000,000 projects; 1,000 is twenty pages of 50.
COUNT_CAP = 1_000
# The rarest terms checked on the postings before a row is read (one primary-key probe each). Measured
# at 1,000,000 projects (bench data, EXPLAIN BUFFERS of the count): probing all (up to 8) terms of
# `SB-2027-123` read 41k buffers, 3 terms 38k, 2 terms 12.8k; `ORG-0123` 87k / 60k / 49k — a query's
# terms overlap (7-1, 027, 27- all come from "2027-1"), so a further probe rarely removes a candidate
# and costs as much as reading its row. Two, until the probes are chosen to be independent.
PROBED_TERMS = 2
SEP = "\x1f"
FIELDS = ("title", "declaration_no", "project_code", "org")


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


def _ascii(s: str) -> bool:
    return s.isascii()


def grams(q: str) -> list[str]:
    """The index terms a match must have: the query's ASCII triples and the pairs not inside one (its
    one or two characters, for a short query)."""
    s = q.lower()
    if len(s) <= 2:
        return [s]
    starts = [i for i in range(len(s) - 2) if _ascii(s[i : i + 3])]
    triples = {s[i : i + 3] for i in starts}
    covered = {j for i in starts for j in (i, i + 1)}  # pairs inside a triple add nothing
    pairs = {s[i : i + 2] for i in range(len(s) - 1) if i not in covered}
    return sorted(triples | pairs)


def terms_of(values: Iterable[str | None]) -> set[str]:
    """Every term of a project: each character, each adjacent pair and each ASCII triple (codes and
    numbers: their pairs, 01, 20, -0, are in most projects) of each field, lower case; no term spans
    two fields."""
    out: set[str] = set()
    for value in values:
        if not value:
            continue
        s = value.lower()
        out.update(s)
        out.update(s[i : i + 2] for i in range(len(s) - 1))
        out.update(t for t in (s[i : i + 3] for i in range(len(s) - 2)) if _ascii(t))
    return out


def exact(q: str) -> bool:
    """A query of one or two characters (three ASCII ones) matches exactly the projects having its
    one term."""
    s = q.lower()
    return len(s) <= 2 or (len(s) == 3 and _ascii(s))


def like(q: str) -> str:
    return "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
