"""The ASGI application of ``retain serve``: routes, templates, static files and middleware."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from retain.errors import InvalidInput, NotFound, RetainError
from retain.highlight import split_highlights
from retain.services import Services
from retain.web import views
from retain.web.reader import SuccessorReader
from retain.web.security import SecurityHeaders, TokenGate

HERE = Path(__file__).resolve().parent


def _highlight(snippet: str) -> Markup:
    """A search snippet with its ``**`` markers turned into ``<mark>``, everything escaped."""
    return Markup("").join(
        Markup("<mark>{}</mark>").format(text) if marked else escape(text)
        for text, marked in split_highlights(snippet)
    )


def _lines(value: Any) -> Markup:
    return Markup("<br>").join(escape(line) for line in str(value).splitlines())


def _day(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, date):
        return value.strftime("%-d %b %Y")
    return str(value)


def make_templates() -> Environment:
    """The page templates: autoescaped, strict about undefined names."""
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(("html", "j2")),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update({"highlight": _highlight, "lines": _lines, "day": _day})
    return env


def _handler(status: int, title: str) -> Callable[[Request, Exception], Response]:
    def handle(request: Request, exc: Exception) -> Response:
        message = exc.message if isinstance(exc, RetainError) else str(exc)
        env: Environment = request.app.state.templates
        page = env.get_template("error.html.j2").render(title=title, message=message, request=request)
        return HTMLResponse(page, status_code=status)

    return handle


def create_app(services: Services, token: str) -> Starlette:
    """The web view on ``services``: read-only, shareable only, behind ``token``.

    Args:
        services: The service container of the store to serve.
        token: The access token every request must carry (cookie or ``?token=``).
    """
    routes = [
        Route("/", views.index),
        Route("/interviews/{interview_id:int}", views.pack),
        Route("/interviews/{interview_id:int}/download/{fmt:str}", views.download),
        Route("/search", views.search),
        Route("/who", views.who),
        Route("/map", views.knowledge_map),
        Route("/people", views.people),
        Route("/people/{person_id:int}", views.person),
        Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(SecurityHeaders), Middleware(TokenGate, token=token)],
        exception_handlers={
            NotFound: _handler(404, "Not found"),
            InvalidInput: _handler(400, "Cannot do that"),
            RetainError: _handler(400, "Cannot do that"),
            404: _handler(404, "Not found"),
            405: _handler(405, "Read-only"),
        },
    )
    app.state.reader = SuccessorReader(services)
    app.state.templates = make_templates()
    return app
