"""issue 14 search index: a change log for the derived tantivy index, in place of FTS5 and GIN

Revision ID: 0008_search_index
Revises: 0007_privacy
Create Date: 2026-12-02 14:00:00

Search is now answered by a tantivy index derived from the answer table (retain.store.search
.index). The database keeps what that index needs to stay exact: ``search_change``, one row
per answer that changed (insert, edit, visibility, delete), with a sequence number, written by
triggers so that no code path can forget it; and ``search_meta``, the database's identity and
an epoch that a bulk load or an erasure bumps to make every index rebuild from scratch. The
FTS5 table and the tsvector column are dropped: they were a second copy of every answer, and
keeping them up to date halved the bulk-load rate. PostgreSQL's ``retain_search`` text search
configuration is left in place (nothing uses it; dropping it could fail where another schema
of the same database still refers to it).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_search_index"
down_revision: str | None = "0007_privacy"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The columns the index holds or filters on: an update of anything else changes nothing there.
INDEXED_COLUMNS = "id, interview_id, body, prompt, visibility, skipped, updated_at"
# Written by retain.store.search.changes too (bulk loads drop and restore them).
SQLITE_TRIGGERS = {
    "search_change_ai": (
        "CREATE TRIGGER search_change_ai AFTER INSERT ON answer BEGIN "
        "INSERT INTO search_change(answer_id, seq) "
        "VALUES (new.id, (SELECT coalesce(max(seq), 0) + 1 FROM search_change)) "
        "ON CONFLICT(answer_id) DO UPDATE SET seq = excluded.seq; END"
    ),
    "search_change_au": (
        "CREATE TRIGGER search_change_au AFTER UPDATE OF " + INDEXED_COLUMNS + " ON answer BEGIN "
        "INSERT INTO search_change(answer_id, seq) "
        "VALUES (new.id, (SELECT coalesce(max(seq), 0) + 1 FROM search_change)) "
        "ON CONFLICT(answer_id) DO UPDATE SET seq = excluded.seq; END"
    ),
    "search_change_ad": (
        "CREATE TRIGGER search_change_ad AFTER DELETE ON answer BEGIN "
        "INSERT INTO search_change(answer_id, seq) "
        "VALUES (old.id, (SELECT coalesce(max(seq), 0) + 1 FROM search_change)) "
        "ON CONFLICT(answer_id) DO UPDATE SET seq = excluded.seq; END"
    ),
}
# The transaction id goes with each change: a reader that saw seq 10 committed while seq 9
# was still in flight re-reads every change of a transaction that was running at its last look.
PG_FUNCTION = """
CREATE FUNCTION retain_search_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_change (answer_id, seq, xid)
    VALUES (CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END,
            nextval('search_change_seq_seq'),
            pg_current_xact_id()::text::bigint)
    ON CONFLICT (answer_id) DO UPDATE SET seq = excluded.seq, xid = excluded.xid;
    RETURN NULL;
END $$
"""
PG_TRIGGER = (
    "CREATE TRIGGER search_change AFTER INSERT OR UPDATE OF " + INDEXED_COLUMNS + " OR DELETE ON answer "
    "FOR EACH ROW EXECUTE FUNCTION retain_search_change()"
)

FTS_UP = [
    "CREATE VIRTUAL TABLE answer_fts USING fts5(body, prompt, content='answer', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2', prefix='2 3')",
    "CREATE TRIGGER answer_fts_ai AFTER INSERT ON answer BEGIN "
    "INSERT INTO answer_fts(rowid, body, prompt) VALUES (new.id, new.body, new.prompt); END",
    "CREATE TRIGGER answer_fts_ad AFTER DELETE ON answer BEGIN "
    "INSERT INTO answer_fts(answer_fts, rowid, body, prompt) VALUES ('delete', old.id, old.body, old.prompt); END",
    "CREATE TRIGGER answer_fts_au AFTER UPDATE OF body, prompt ON answer BEGIN "
    "INSERT INTO answer_fts(answer_fts, rowid, body, prompt) VALUES ('delete', old.id, old.body, old.prompt); "
    "INSERT INTO answer_fts(rowid, body, prompt) VALUES (new.id, new.body, new.prompt); END",
    "INSERT INTO answer_fts(answer_fts) VALUES ('rebuild')",
]


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    if sqlite:
        for name in ("answer_fts_au", "answer_fts_ad", "answer_fts_ai"):
            bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
        bind.exec_driver_sql("DROP TABLE IF EXISTS answer_fts")
        bind.exec_driver_sql(
            "CREATE TABLE search_change (answer_id INTEGER PRIMARY KEY, seq INTEGER NOT NULL)"
        )
    else:
        bind.exec_driver_sql("DROP INDEX IF EXISTS ix_answer_search_vector")
        bind.exec_driver_sql("ALTER TABLE answer DROP COLUMN IF EXISTS search_vector")
        bind.exec_driver_sql(
            "CREATE TABLE search_change (answer_id BIGINT PRIMARY KEY, seq BIGSERIAL NOT NULL, "
            "xid BIGINT NOT NULL DEFAULT 0)"
        )
        bind.exec_driver_sql("CREATE INDEX ix_search_change_xid ON search_change (xid)")
    bind.exec_driver_sql("CREATE INDEX ix_search_change_seq ON search_change (seq)")
    meta = op.create_table(
        "search_meta",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instance", sa.String(length=36), nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(meta, [{"id": 1, "instance": str(uuid.uuid4()), "epoch": 1}])
    if sqlite:
        for statement in SQLITE_TRIGGERS.values():
            bind.exec_driver_sql(statement)
    else:
        bind.exec_driver_sql(PG_FUNCTION)
        bind.exec_driver_sql(PG_TRIGGER)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name in SQLITE_TRIGGERS:
            bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    else:
        bind.exec_driver_sql("DROP TRIGGER IF EXISTS search_change ON answer")
        bind.exec_driver_sql("DROP FUNCTION IF EXISTS retain_search_change()")
    op.drop_table("search_meta")
    op.drop_table("search_change")
    if bind.dialect.name == "sqlite":
        for statement in FTS_UP:
            bind.exec_driver_sql(statement)
        return
    bind.exec_driver_sql(
        "ALTER TABLE answer ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
        "setweight(to_tsvector('retain_search'::regconfig, coalesce(body, '')), 'A') || "
        "setweight(to_tsvector('retain_search'::regconfig, coalesce(prompt, '')), 'C')) STORED"
    )
    bind.exec_driver_sql("CREATE INDEX ix_answer_search_vector ON answer USING gin (search_vector)")
