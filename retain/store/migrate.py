"""Run the Alembic migrations that ship inside the package."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade_to_head(engine: Engine) -> None:
    """Upgrade the database to the newest schema (creating it when empty)."""
    from alembic import command

    command.upgrade(_config(engine), "head")


# Tables each revision creates. Found before that revision has run, they mean the recorded
# revision is wrong: upgrading would replay older steps over newer tables, and on SQLite a
# step that must commit part-way (0004) would leave the database half-upgraded.
CREATED_BY = {
    "0005_journey": ("review_event",),
    "0006_imports": ("transcript", "answer_source", "transcript_segment"),
    "0007_privacy": ("erasure_log", "privacy_setting"),
    "0008_search_index": ("search_change", "search_meta"),
}


def tables_ahead_of(engine: Engine, revision: str | None) -> list[str]:
    """Tables in the database that only a migration after ``revision`` creates."""
    from alembic.script import ScriptDirectory
    from sqlalchemy import inspect

    pending: list[str] = []
    for script in ScriptDirectory.from_config(_config_for_scripts()).walk_revisions():
        if script.revision == revision:
            break
        pending.append(str(script.revision))
    with engine.connect() as connection:
        present = set(inspect(connection).get_table_names())
    return sorted(table for rev in pending for table in CREATED_BY.get(rev, ()) if table in present)


def known_revisions() -> set[str]:
    """Every revision in the shipped migration scripts."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(_config_for_scripts())
    return {str(script.revision) for script in scripts.walk_revisions()}


def head_revision() -> str:
    """The newest revision in the migration scripts."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config_for_scripts()).get_current_head()
    return str(head)


def _config_for_scripts() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config
