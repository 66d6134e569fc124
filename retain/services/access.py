"""Subject-access export: everything stored about one person, as JSON plus a readable copy."""

from __future__ import annotations

import html
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy import select as select_columns
from sqlmodel import col, select

from retain.clock import utcnow
from retain.domain.redaction import NameMatcher
from retain.errors import InvalidInput
from retain.highlight import HIGHLIGHT
from retain.packs.output import write_atomically
from retain.services.evidence_text import excerpt
from retain.services.privacy import PrivacyService, known_names, resolve_person
from retain.store.models import Answer, ExportRecord, Interview, Mention, Person, Sitting, Topic

WITHHELD = "[withheld: a confidential answer of someone else; ask HR to review it with you]"


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


class SubjectAccess:
    """Builds and writes the subject-access export of one person."""

    def __init__(self, engine: Engine, privacy: PrivacyService) -> None:
        self._engine = engine
        self._privacy = privacy

    def collect(self, ref: str) -> dict[str, Any]:
        """Everything about the person: their record, their interviews with every answer
        (confidential ones included: it is their own data), and where others named them.

        Other people's confidential answers are listed by place only, their text withheld:
        it is someone else's confidential statement.

        Raises:
            NotFound: If there is no such person.
        """
        with self._engine.connect() as db:
            person = resolve_person(db, ref)
            pid = person.id or 0
            own = list(db.execute(select(Interview).where(col(Interview.person_id) == pid)
                                  .order_by(col(Interview.id))).mappings())
            matcher = NameMatcher(person.name, email=person.email, others=known_names(db, person))
            return {
                "format": "retain subject-access export, version 1",
                "generated_at": utcnow().isoformat(),
                "person": {k: _iso(v) for k, v in person.model_dump().items()},
                "interviews": [self._interview(db, row) for row in own],
                "successor_in": list(db.execute(select(Interview.id).where(col(Interview.successor_id) == pid)).scalars()),
                "interviewer_of": [
                    iid for iid, name in db.execute(select(Interview.id, Interview.interviewer)).all()
                    if name and matcher.is_exactly(name)
                ],
                "named_by_others": self._named(db, pid, matcher, {row["id"] for row in own}),
                "exports": [
                    {"path": r["path"], "kind": r["kind"], "created_at": _iso(r["created_at"])}
                    for r in db.execute(select(ExportRecord)).mappings() if pid in (r["person_ids"] or [])
                ],
            }

    def export(self, ref: str, out: Path, *, fmt: str = "md", force: bool = False) -> Path:
        """Write ``person.json`` and ``person.md`` (or ``.html``) into an owner-only zip.

        Raises:
            NotFound: If there is no such person.
            InvalidInput: If ``out`` does not end in ``.zip``.
            ExportError: If the file cannot be written.
        """
        out = Path(out).expanduser()
        if out.suffix.lower() != ".zip":
            raise InvalidInput(f"--out {out.name} must end in .zip")
        data = self.collect(ref)
        readable = render_html(data) if fmt == "html" else render_markdown(data)
        writer = _zip_writer({"person.json": json.dumps(data, ensure_ascii=False, indent=2) + "\n",
                              f"person.{fmt}": readable})
        path = write_atomically(out, writer, force=force, private=True)
        self._privacy.record_export(path, interview_id=None, content="", kind="access",
                                    visibility="confidential", person_ids=[data["person"]["id"]])
        return path

    @staticmethod
    def _interview(db: Connection, row: Any) -> dict[str, Any]:
        iid = row["id"]
        successor = db.execute(select(Person.name).where(col(Person.id) == row["successor_id"])).scalar() \
            if row["successor_id"] else None
        answers = db.execute(select(Answer).where(col(Answer.interview_id) == iid).order_by(col(Answer.id))).mappings()
        return {
            "id": iid, "guide": row["guide_id"], "title": row["guide_title"], "track": row["track"],
            "status": row["status"], "interviewer": row["interviewer"], "successor": successor,
            "created_at": _iso(row["created_at"]), "updated_at": _iso(row["updated_at"]),
            "completed_at": _iso(row["completed_at"]),
            "sittings": [{"started_at": _iso(s), "ended_at": _iso(e)} for s, e in db.execute(
                select(Sitting.started_at, Sitting.ended_at).where(col(Sitting.interview_id) == iid))],
            "answers": [{
                "question": a["question_id"], "section": a["section_id"], "prompt": a["prompt"],
                "text": a["text"], "items": a["items"], "visibility": a["visibility"],
                "skipped": a["skipped"], "skip_reason": a["skip_reason"], "updated_at": _iso(a["updated_at"]),
            } for a in answers],
            "entities": sorted({(t, lbl) for t, lbl in db.execute(
                select(Mention.text, Mention.label).where(col(Mention.interview_id) == iid))}),
            "topics": sorted(set(db.execute(select(Topic.phrase).where(
                col(Topic.interview_id) == iid, col(Topic.answer_id).is_(None))).scalars())),
        }

    @staticmethod
    def _named(db: Connection, pid: int, matcher: NameMatcher, own: set[int]) -> list[dict[str, Any]]:
        linked = set(db.execute(select(Mention.answer_id).where(col(Mention.person_id) == pid)).scalars())
        found: list[dict[str, Any]] = []
        query = select_columns(col(Answer.id), col(Answer.interview_id), col(Answer.question_id), col(Answer.body),
                               col(Answer.visibility)) \
            .order_by(col(Answer.interview_id), col(Answer.id))
        for aid, iid, question, body, visibility in db.execute(query).all():
            if iid in own:
                continue
            match = matcher.first(body)
            if match is None and aid not in linked:
                continue
            snippet = WITHHELD if visibility == "confidential" else (
                _plain(excerpt(body, match.start(), match.end())) if match else body[:200])
            found.append({"interview": iid, "question": question, "visibility": visibility, "excerpt": snippet})
        return found


def _plain(snippet: str) -> str:
    for mark in HIGHLIGHT:
        snippet = snippet.replace(mark, "")
    return snippet


def _zip_writer(files: dict[str, str]) -> Callable[[Path], None]:
    def write(temp: Path) -> None:
        with zipfile.ZipFile(temp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, text in files.items():
                archive.writestr(name, text)
    return write


def render_markdown(data: dict[str, Any]) -> str:
    """The export as a readable Markdown file."""
    person = data["person"]
    lines = [f"# Everything retain stores about {person['name']}", "", f"Generated {data['generated_at']}.", "",
             "## Person record", ""]
    lines += [f"- **{key}**: {value}" for key, value in person.items() if value not in (None, "")]
    for interview in data["interviews"]:
        lines += ["", f"## Interview {interview['id']}: {interview['title']} ({interview['track']}, "
                  f"{interview['status']})", ""]
        for answer in interview["answers"]:
            lines += [f"### {answer['prompt'] or answer['question']}", "",
                      f"*{answer['visibility']}*" + (" · skipped" if answer["skipped"] else ""), ""]
            lines += [f"> {line}" for line in (answer["text"] or "").splitlines()]
            lines += [f"- {'; '.join(v for v in item.values() if v)}" for item in answer["items"]]
            lines.append("")
    lines += ["", "## Where others named you", ""]
    lines += [f"- interview {n['interview']}, {n['question']} ({n['visibility']}): {n['excerpt']}"
              for n in data["named_by_others"]] or ["- nowhere"]
    lines += ["", "## Files retain wrote that hold your data", ""]
    lines += [f"- {e['kind']}: {e['path']} ({e['created_at']})" for e in data["exports"]] or ["- none recorded"]
    return "\n".join(lines) + "\n"


def render_html(data: dict[str, Any]) -> str:
    """The export as a standalone HTML page (every value escaped)."""
    e = html.escape
    person = data["person"]
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>{e(person['name'])}</title></head><body>",
             f"<h1>Everything retain stores about {e(person['name'])}</h1><h2>Person record</h2><ul>"]
    parts += [f"<li><b>{e(str(k))}</b>: {e(str(v))}</li>" for k, v in person.items() if v not in (None, "")]
    parts.append("</ul>")
    for interview in data["interviews"]:
        parts.append(f"<h2>Interview {interview['id']}: {e(interview['title'])} ({e(interview['track'])})</h2>")
        for answer in interview["answers"]:
            rows = "".join(f"<li>{e('; '.join(v for v in item.values() if v))}</li>" for item in answer["items"])
            parts.append(f"<h3>{e(answer['prompt'] or answer['question'])}</h3><p><i>{e(answer['visibility'])}</i></p>"
                         f"<blockquote>{e(answer['text'] or '')}</blockquote><ul>{rows}</ul>")
    parts.append("<h2>Where others named you</h2><ul>")
    parts += [f"<li>interview {n['interview']}, {e(n['question'])}: {e(n['excerpt'])}</li>" for n in data["named_by_others"]]
    parts.append("</ul></body></html>\n")
    return "".join(parts)
