"""full-text search on PostgreSQL: a weighted tsvector per article, a GIN index, a raw-text trigger

SQLite keeps its FTS5 table (0001) and gets nothing here. On PostgreSQL the application writes the
lemmatised vector after each flush (storage.search.postgres); the trigger first fills one from the
raw text, stemmed in the article's language (russian, english, simple for Kazakh and the rest), so
rows written by plain SQL are searchable too. Existing articles are indexed from their lemmas here.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Text-search configuration by article language, for the raw-text fallback vector.
_CONFIG_FUNCTION = """
CREATE OR REPLACE FUNCTION coopnews_search_config(language text) RETURNS regconfig
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE lower(coalesce(language, ''))
        WHEN 'ru' THEN 'russian'::regconfig
        WHEN 'en' THEN 'english'::regconfig
        ELSE 'simple'::regconfig
    END
$$
"""
_TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION articles_raw_search_vector() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector(coopnews_search_config(NEW.language), coalesce(NEW.title, '')), 'A') ||
        setweight(to_tsvector(coopnews_search_config(NEW.language),
                              coalesce(NEW.lead, '') || ' ' || coalesce(NEW.body, '')), 'B');
    RETURN NEW;
END
$$
"""


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE articles ADD COLUMN search_vector tsvector")
    op.execute(_CONFIG_FUNCTION)
    op.execute(_TRIGGER_FUNCTION)
    op.execute(
        "CREATE TRIGGER articles_search_vector BEFORE INSERT OR UPDATE OF title, lead, body, language "
        "ON articles FOR EACH ROW EXECUTE FUNCTION articles_raw_search_vector()"
    )
    _index_existing(bind)
    op.execute("CREATE INDEX ix_articles_search_vector ON articles USING gin (search_vector)")


def _index_existing(bind: sa.Connection) -> None:
    from storage.search.postgres import SET_VECTOR, vector_params

    last_id = 0
    while True:
        rows = bind.execute(
            sa.text("SELECT id, title, lead, body FROM articles WHERE id > :last ORDER BY id LIMIT 500"),
            {"last": last_id},
        ).all()
        if not rows:
            return
        bind.execute(SET_VECTOR, [vector_params(*row) for row in rows])
        last_id = rows[-1][0]


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS articles_search_vector ON articles")
    op.execute("DROP FUNCTION IF EXISTS articles_raw_search_vector()")
    op.execute("DROP FUNCTION IF EXISTS coopnews_search_config(text)")
    op.execute("DROP INDEX IF EXISTS ix_articles_search_vector")
    op.execute("ALTER TABLE articles DROP COLUMN IF EXISTS search_vector")
