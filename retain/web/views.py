"""Page handlers of the web view: read the query, call the reader, render a template."""

from __future__ import annotations

from datetime import date
from typing import Any

from jinja2 import Environment
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from retain.errors import InvalidInput
from retain.web.reader import DOWNLOADS, SuccessorReader

MEDIA = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}


def _reader(request: Request) -> SuccessorReader:
    reader: SuccessorReader = request.app.state.reader
    return reader


def _render(request: Request, name: str, **context: Any) -> HTMLResponse:
    env: Environment = request.app.state.templates
    return HTMLResponse(env.get_template(name).render(request=request, **context))


def _param(request: Request, name: str) -> str:
    return request.query_params.get(name, "").strip()


def _since(request: Request) -> date | None:
    value = _param(request, "since")
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"'since' must be a date like 2026-01-31, not {value[:40]!r}") from None


def index(request: Request) -> Response:
    """The list of handover interviews."""
    return _render(request, "index.html.j2", rows=_reader(request).handovers(), page="index")


def pack(request: Request) -> Response:
    """One interview's shareable pack, with its downloads."""
    interview_id = int(request.path_params["interview_id"])
    reader = _reader(request)
    return _render(
        request,
        "pack.html.j2",
        interview_id=interview_id,
        pack=reader.pack(interview_id),
        formats=DOWNLOADS,
        page="index",
    )


def download(request: Request) -> Response:
    """The shareable pack as a file, written on request and removed once sent."""
    interview_id = int(request.path_params["interview_id"])
    fmt = str(request.path_params["fmt"])
    with _reader(request).download(interview_id, fmt) as path:
        body = path.read_bytes()
        name = path.name
    response = Response(body, media_type=MEDIA.get(fmt, "application/octet-stream"))
    response.headers["content-disposition"] = f'attachment; filename="{name}"'
    return response


def search(request: Request) -> Response:
    """Full-text search over shareable handover answers."""
    query = _param(request, "q")
    filters = {key: _param(request, key) or None for key in ("person", "guide", "label", "status")}
    since = _since(request)
    hits = (
        _reader(request).search(
            query, person=filters["person"], guide=filters["guide"], label=filters["label"],
            status=filters["status"], since=since,
        )
        if query
        else []
    )
    return _render(
        request, "search.html.j2", query=query, filters=filters, since=_param(request, "since"),
        hits=hits, page="search",
    )


def who(request: Request) -> Response:
    """Who knows about a topic, with the evidence."""
    reader = _reader(request)
    topic = _param(request, "topic")
    entries = reader.who(topic) if topic else []
    ids = {entry.person: reader.person_id(entry.person) for entry in entries}
    return _render(request, "who.html.j2", topic=topic, entries=entries, ids=ids, page="who")


def knowledge_map(request: Request) -> Response:
    """The knowledge-concentration map, at-risk items first."""
    at_risk = _param(request, "at_risk") in ("1", "on", "true")
    label = _param(request, "label") or None
    entries = _reader(request).map(label=label, at_risk_only=at_risk)
    return _render(
        request, "map.html.j2", entries=entries, at_risk=at_risk, label=label or "", page="map"
    )


def people(request: Request) -> Response:
    """Everyone in the store, with status and leaving date."""
    return _render(request, "people.html.j2", people=_reader(request).people(), page="people")


def person(request: Request) -> Response:
    """One person and their handover interviews."""
    found = _reader(request).person(int(request.path_params["person_id"]))
    return _render(request, "person.html.j2", found=found, page="people")

