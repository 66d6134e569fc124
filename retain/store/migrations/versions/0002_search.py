"""full-text search index over answers

Revision ID: 0002_search
Revises: 0001_initial
Create Date: 2026-11-30 09:00:00

SQLite: an FTS5 external-content table over answer.body (weighted high) and answer.prompt,
kept in sync by triggers, words indexed as written (no stemmer; queries widen words to their
inflections). PostgreSQL: a generated, weighted tsvector column with a GIN index, using a text
search configuration to match: the simple dictionary (no stemmer, no stop words) behind
unaccent when the extension can be used. Both are filled from the rows already there, so `retain db upgrade` on
an 0001 database makes its old answers searchable.

The DDL is written out here rather than imported, so this revision keeps meaning what it meant
when later revisions change the search code.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_search"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_UP = [
    "CREATE VIRTUAL TABLE answer_fts USING fts5("
    "body, prompt, content='answer', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2', prefix='2 3')",
    "CREATE TRIGGER answer_fts_ai AFTER INSERT ON answer BEGIN "
    "INSERT INTO answer_fts(rowid, body, prompt) VALUES (new.id, new.body, new.prompt); END",
    "CREATE TRIGGER answer_fts_ad AFTER DELETE ON answer BEGIN "
    "INSERT INTO answer_fts(answer_fts, rowid, body, prompt) "
    "VALUES ('delete', old.id, old.body, old.prompt); END",
    "CREATE TRIGGER answer_fts_au AFTER UPDATE OF body, prompt ON answer BEGIN "
    "INSERT INTO answer_fts(answer_fts, rowid, body, prompt) "
    "VALUES ('delete', old.id, old.body, old.prompt); "
    "INSERT INTO answer_fts(rowid, body, prompt) VALUES (new.id, new.body, new.prompt); END",
    "INSERT INTO answer_fts(answer_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS answer_fts_au",
    "DROP TRIGGER IF EXISTS answer_fts_ad",
    "DROP TRIGGER IF EXISTS answer_fts_ai",
    "DROP TABLE IF EXISTS answer_fts",
]
PG_TOKEN_TYPES = "asciiword, asciihword, hword_asciipart, word, hword, hword_part"


def _unaccent_dictionary(bind: sa.engine.Connection) -> str | None:
    """The schema-qualified unaccent dictionary, installing the extension if allowed."""

    def find() -> str | None:
        row = bind.execute(
            sa.text(
                "SELECT quote_ident(n.nspname) || '.unaccent' FROM pg_ts_dict d "
                "JOIN pg_namespace n ON n.oid = d.dictnamespace WHERE d.dictname = 'unaccent'"
            )
        ).first()
        return str(row[0]) if row else None

    found = find()
    if found:
        return found
    available = bind.execute(
        sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'unaccent'")
    ).first()
    if available is None:
        return None
    # The extension goes in public when there is one: installed in a per-tenant (or per-test)
    # schema, dropping that schema would cascade into every other schema's search config.
    schema = bind.execute(
        sa.text(
            "SELECT coalesce((SELECT 'public' FROM pg_namespace WHERE nspname = 'public'), "
            "current_schema())"
        )
    ).scalar_one()
    savepoint = bind.begin_nested()
    try:
        bind.exec_driver_sql(f'CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA "{schema}"')
        savepoint.commit()
    except sa.exc.DBAPIError:
        # No privilege to install it: search still works, it just keeps diacritics apart.
        savepoint.rollback()
        return None
    return find()


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in SQLITE_UP:
            bind.exec_driver_sql(statement)
        return
    unaccent = _unaccent_dictionary(bind)
    dictionaries = f"{unaccent}, pg_catalog.simple" if unaccent else "pg_catalog.simple"
    for statement in [
        "CREATE TEXT SEARCH CONFIGURATION retain_search (COPY = pg_catalog.simple)",
        f"ALTER TEXT SEARCH CONFIGURATION retain_search ALTER MAPPING FOR {PG_TOKEN_TYPES} "
        f"WITH {dictionaries}",
        "ALTER TABLE answer ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
        "setweight(to_tsvector('retain_search'::regconfig, coalesce(body, '')), 'A') || "
        "setweight(to_tsvector('retain_search'::regconfig, coalesce(prompt, '')), 'C')) STORED",
        "CREATE INDEX ix_answer_search_vector ON answer USING gin (search_vector)",
    ]:
        bind.exec_driver_sql(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in SQLITE_DOWN:
            bind.exec_driver_sql(statement)
        return
    for statement in [
        "DROP INDEX IF EXISTS ix_answer_search_vector",
        "ALTER TABLE answer DROP COLUMN IF EXISTS search_vector",
        "DROP TEXT SEARCH CONFIGURATION IF EXISTS retain_search",
    ]:
        bind.exec_driver_sql(statement)
