"""An app factory for ``retain serve --workers N``: each worker process opens its own services."""

from __future__ import annotations

import os

from starlette.applications import Starlette

from retain.config import load_settings
from retain.services import open_services
from retain.web.app import create_app

TOKEN_VARIABLE = "RETAIN_SERVE_TOKEN"


def app() -> Starlette:
    """The web view on the database in ``RETAIN_DB``, behind the token in ``RETAIN_SERVE_TOKEN``."""
    return create_app(open_services(load_settings()), os.environ[TOKEN_VARIABLE])
