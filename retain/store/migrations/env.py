"""Alembic environment: the engine comes from retain, never from an ini file."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import retain.store.models  # noqa: F401  (registers the tables on SQLModel.metadata)

config = context.config
engine = config.attributes.get("engine")
if engine is None:  # pragma: no cover - only for `alembic revision --autogenerate` by developers
    from retain.store.engine import make_engine

    engine = make_engine(config.get_main_option("sqlalchemy.url") or "sqlite:///dev.db")

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
