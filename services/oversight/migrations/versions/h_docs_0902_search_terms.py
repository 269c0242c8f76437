"""keyword search: postings (term, project_id) and term counts instead of the GIN array index

The GIN index of 0003_exports_search found the candidates but not in project id order: a common pair
(25,000 of 1,000,000 projects) had to be read whole to sort a page and count it (p99 up to 17 s).
`project_search_terms` is a posting list per term in its primary key, read in id order, on
PostgreSQL and SQLite alike; `project_search_term_counts` tells the search which term is rarest.
Filled here from the read model's rows (the same function the projection uses, so the two never
disagree); the GIN index and its function go.

Revision ID: h_docs_0902_search_terms
Revises: 0901_lifecycle_clocks
"""

from collections import Counter

import sqlalchemy as sa
from alembic import op

revision = "h_docs_0902_search_terms"
down_revision = "0901_lifecycle_clocks"
branch_labels = None
depends_on = None

BATCH = 5000


def terms_of(values) -> set[str]:
    """A frozen copy of oversight.projects.search.terms_of (a migration must not change with the code)."""
    out: set[str] = set()
    for value in values:
        if not value:
            continue
        s = value.lower()
        out.update(s)
        out.update(s[i : i + 2] for i in range(len(s) - 1))
        out.update(t for t in (s[i : i + 3] for i in range(len(s) - 2)) if t.isascii())
    return out


def upgrade() -> None:
    terms = op.create_table(
        "project_search_terms",
        sa.Column("term", sa.String(length=8), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("term", "project_id", name=op.f("pk_project_search_terms")),
    )
    counts = op.create_table(
        "project_search_term_counts",
        sa.Column("term", sa.String(length=8), nullable=False),
        sa.Column("projects", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("term", name=op.f("pk_project_search_term_counts")),
    )
    bind = op.get_bind()
    views = sa.table(
        "project_views",
        sa.column("project_id", sa.Uuid()),
        sa.column("title", sa.String()),
        sa.column("declaration_no", sa.String()),
        sa.column("project_code", sa.String()),
        sa.column("org", sa.String()),
    )
    tally: Counter[str] = Counter()
    after = None
    while True:
        stmt = sa.select(views).order_by(views.c.project_id).limit(BATCH)
        if after is not None:
            stmt = stmt.where(views.c.project_id > after)
        rows = bind.execute(stmt).all()
        postings = []
        for r in rows:
            found = terms_of((r.title, r.declaration_no, r.project_code, r.org))
            tally.update(found)
            postings.extend({"term": t, "project_id": r.project_id} for t in found)
        if postings:
            bind.execute(sa.insert(terms), postings)
        if len(rows) < BATCH:
            break
        after = rows[-1].project_id
    if tally:
        bind.execute(sa.insert(counts), [{"term": t, "projects": n} for t, n in sorted(tally.items())])
    if bind.dialect.name == "postgresql":
        # the planner's per-term row estimates (a unit's search weighs its projects against a term's)
        op.execute("ALTER TABLE project_search_terms ALTER COLUMN term SET STATISTICS 1000")
        op.execute("DROP INDEX IF EXISTS ix_project_views_search")
        op.execute("DROP FUNCTION IF EXISTS govpm_search_grams(text, text, text, text)")


# 0003_exports_search's function and index, recreated by the downgrade
GRAMS_FUNCTION = """
CREATE OR REPLACE FUNCTION govpm_search_grams(title text, declaration_no text, project_code text, org text)
RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT g), '{}'::text[])
  FROM (SELECT lower(coalesce(title, '') || chr(31) || coalesce(declaration_no, '') || chr(31)
                     || coalesce(project_code, '') || chr(31) || coalesce(org, '')) AS s) t,
       LATERAL (SELECT substr(t.s, i, 1) AS g FROM generate_series(1, length(t.s)) AS i
                UNION ALL
                SELECT substr(t.s, i, 2) FROM generate_series(1, length(t.s) - 1) AS i) grams
  WHERE position(chr(31) IN g) = 0
$$
"""


def downgrade() -> None:
    op.drop_table("project_search_term_counts")
    op.drop_table("project_search_terms")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(GRAMS_FUNCTION)
        op.execute(
            "CREATE INDEX IF NOT EXISTS ix_project_views_search ON project_views USING gin "
            "(govpm_search_grams(title, declaration_no, project_code, org))"
        )
