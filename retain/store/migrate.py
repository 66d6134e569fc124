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
