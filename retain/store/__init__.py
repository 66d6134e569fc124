"""The record store: SQLModel tables, the engine factory, migrations and search backends."""

from __future__ import annotations
