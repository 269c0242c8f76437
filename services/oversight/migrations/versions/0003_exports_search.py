"""keyword search over the project list: a GIN index of the characters and character pairs of
title, declaration number, project code and unit (PostgreSQL; SQLite searches with LIKE)

Chinese titles are short and unsegmented: a search for 防汛 must find 智慧防汛指挥平台. pg_trgm
extracts no trigram from a one- or two-character pattern, so its index cannot serve the commonest
Chinese searches; an index of every single character and every pair of adjacent characters (what
pg_bigm does, built here from core PostgreSQL: an IMMUTABLE SQL function and a GIN array index) serves
any length: the pairs of the query narrow the candidates, `ILIKE` checks the exact substring.

Revision ID: 0003_exports_search
Revises: 0003_lifecycle_rectification
"""

from alembic import op

revision = "0003_exports_search"
down_revision = "0003_lifecycle_rectification"
branch_labels = None
depends_on = None

FUNCTION = """
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


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(FUNCTION)
    op.execute(
        "CREATE INDEX IF NOT EXISTS ix_project_views_search ON project_views USING gin "
        "(govpm_search_grams(title, declaration_no, project_code, org))"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_project_views_search")
    op.execute("DROP FUNCTION IF EXISTS govpm_search_grams(text, text, text, text)")
