"""Otter .txt, plain ``Name: text`` and Google Meet .docx transcript readers."""

from __future__ import annotations

import re
from io import BytesIO

from retain.imports.model import (
    TranscriptError,
    Turn,
    fill_ends,
    looks_like_name,
    parse_clock,
    split_speaker,
)

_CLOCK = r"\d{1,2}:\d{2}(?::\d{2})?"
# Otter: "Dana Whitfield  0:04" (two spaces), the text on the lines below.
_HEADER = re.compile(rf"^(?P<name>\S.{{0,59}}?)\s+(?P<time>{_CLOCK})\s*$")
_STAMP_ONLY = re.compile(rf"^\[?(?P<time>{_CLOCK})\]?$")
# Plain text may carry a time before the name: "[00:12:04] Dana: ...".
_LEAD_TIME = re.compile(rf"^\[?(?P<time>{_CLOCK})\]?\s+(?P<rest>.+)$", re.DOTALL)
_OTTER_FOOTER = re.compile(r"^transcribed by https?://otter\.ai\b", re.IGNORECASE)
_MEET_FOOTER = re.compile(r"^meeting ended after\b", re.IGNORECASE)


def is_otter(text: str) -> bool:
    """Whether a .txt file is an Otter export (header lines or Otter's footer)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if any(_OTTER_FOOTER.match(line) for line in lines[-3:]):
        return True
    headers = sum(1 for line in lines[:40] if _header(line) is not None)
    return headers >= 2


def _header(line: str) -> tuple[str, float] | None:
    match = _HEADER.match(line)
    if match is None or not looks_like_name(match.group("name")):
        return None
    seconds = parse_clock(match.group("time"))
    return (match.group("name").strip(), seconds) if seconds is not None else None


def read_otter(text: str, name: str) -> list[Turn]:
    """An Otter export: ``Name  M:SS`` headers with the text below; the footer is dropped."""
    turns: list[Turn] = []
    speaker: str | None = None
    start: float | None = None
    body: list[str] = []

    def flush() -> None:
        if body:
            turns.append(Turn(start, None, speaker, " ".join(body)))
        body.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line or _OTTER_FOOTER.match(line):
            continue
        header = _header(line)
        stamp = _STAMP_ONLY.match(line)
        if header is not None:
            flush()
            speaker, start = header
        elif stamp is not None:
            flush()
            start = parse_clock(stamp.group("time"))
        else:
            body.append(line)
    flush()
    return fill_ends(turns)


def read_plain(text: str, name: str) -> list[Turn]:
    """Plain ``Name: text`` turns; lines without a name continue the turn above them."""
    turns: list[Turn] = []
    known: set[str] = set()
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        start: float | None = None
        lead = _LEAD_TIME.match(line)
        if lead is not None and parse_clock(lead.group("time")) is not None:
            start, line = parse_clock(lead.group("time")), lead.group("rest")
        speaker, body = split_speaker(line, known)
        if speaker is not None:
            known.add(speaker)
            turns.append(Turn(start, None, speaker, body))
        elif turns and start is None:
            last = turns[-1]
            turns[-1] = Turn(last.start, last.end, last.speaker, f"{last.text} {line}")
        else:
            turns.append(Turn(start, None, None, line))
    return fill_ends(turns)


def read_docx(data: bytes, name: str) -> list[Turn]:
    """A Google Meet transcript saved from Google Docs as .docx.

    Meet writes a title and the attendees, a ``Transcript`` heading, then timestamp
    paragraphs (``00:12:04``) between ``Name: text`` paragraphs, and a closing
    ``Meeting ended after ...`` line. Otter-style ``Name  0:04`` header paragraphs work too.

    Raises:
        TranscriptError: If the file is not a readable Word document.
    """
    from zipfile import BadZipFile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    _check_unpacked_size(data, name)
    try:
        document = docx.Document(BytesIO(data))
    except (BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
        raise TranscriptError(
            f"{name}: not a readable Word document ({type(exc).__name__}); "
            "download the transcript again as .docx"
        ) from exc
    paragraphs = [p.text.strip() for p in document.paragraphs]
    paragraphs = [p for p in paragraphs if p]
    # Everything above the "Transcript" heading is the title and the attendee list.
    for i, text in enumerate(paragraphs):
        if text.casefold() == "transcript":
            paragraphs = paragraphs[i + 1 :]
            break
    turns: list[Turn] = []
    known: set[str] = set()
    clock: float | None = None
    header: str | None = None
    for text in paragraphs:
        if _MEET_FOOTER.match(text):
            continue
        stamp = _STAMP_ONLY.match(text)
        if stamp is not None:
            clock = parse_clock(stamp.group("time"))
            continue
        found = _header(text)
        if found is not None:
            header, clock = found
            continue
        speaker, body = split_speaker(text, known)
        if speaker is not None:
            known.add(speaker)
            header = speaker
        # A paragraph without a name continues whoever spoke last.
        turns.append(Turn(clock, None, header, body))
    return fill_ends(turns)


MAX_UNPACKED = 200 * 1024 * 1024


def _check_unpacked_size(data: bytes, name: str) -> None:
    """Refuse a .docx that would unpack to more than 200 MB (a zip bomb, not a transcript)."""
    from zipfile import BadZipFile, ZipFile

    try:
        with ZipFile(BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except BadZipFile as exc:
        raise TranscriptError(
            f"{name}: not a readable Word document (BadZipFile); download the transcript again "
            "as .docx"
        ) from exc
    if unpacked > MAX_UNPACKED:
        raise TranscriptError(
            f"{name}: unpacks to {unpacked / 1024 / 1024:.0f} MB, over the "
            f"{MAX_UNPACKED // 1024 // 1024} MB limit for a transcript; export it again as .docx"
        )
