"""Read a transcript file: size and binary checks, encodings, format detection, dispatch."""

from __future__ import annotations

from pathlib import Path

from retain.imports.model import FORMATS, Transcript, TranscriptError, Turn, merge_turns

MAX_BYTES = 20 * 1024 * 1024
MAX_TURNS = 50_000
_EXTENSIONS = {".vtt": "vtt", ".srt": "srt", ".txt": "txt", ".text": "txt", ".docx": "docx"}
_ENCODINGS = ("utf-8-sig", "cp1252")


def detect_format(path: Path, fmt: str | None) -> str:
    """The format to read ``path`` as: ``fmt`` when given, else from the file extension.

    Raises:
        TranscriptError: For an unknown ``fmt`` or extension.
    """
    if fmt is not None:
        if fmt not in FORMATS:
            raise TranscriptError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
        return fmt
    name = path.name.casefold()
    for suffix, found in _EXTENSIONS.items():
        if name.endswith(suffix):
            return found
    raise TranscriptError(
        f"{path.name}: cannot tell the transcript format from the extension "
        f"{path.suffix or '(none)'!r}; use a .vtt, .srt, .txt or .docx file, or pass "
        "--format vtt|srt|txt|docx"
    )


def decode(data: bytes, name: str) -> str:
    """Bytes as text: UTF-8 (with or without a byte-order mark), then Windows-1252.

    Raises:
        TranscriptError: For binary data or text in another encoding.
    """
    # Anywhere, not just at the start: PostgreSQL cannot store a NUL character.
    if b"\x00" in data:
        raise TranscriptError(
            f"{name}: binary data, not a text transcript; export the transcript as .vtt, .srt or .txt"
        )
    for encoding in _ENCODINGS:
        try:
            return data.decode(encoding).replace("\r\n", "\n").replace("\r", "\n")
        except UnicodeDecodeError:
            continue
    raise TranscriptError(
        f"{name}: the text is neither UTF-8 nor Windows-1252; re-save the file as UTF-8"
    )


def read_bytes(path: Path) -> bytes:
    """A file's bytes, refusing anything empty, missing or over the size limit.

    Raises:
        TranscriptError: For a missing, unreadable, empty or oversized file.
    """
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise TranscriptError(f"{path}: not a file; give a transcript file")
        if size > MAX_BYTES:
            raise TranscriptError(
                f"{path.name}: {size / 1024 / 1024:.1f} MB is over the "
                f"{MAX_BYTES // 1024 // 1024} MB limit for a transcript; split the recording's "
                "transcript into parts and import each"
            )
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise TranscriptError(f"{path}: no such file") from exc
    except OSError as exc:
        raise TranscriptError(f"{path}: cannot read the file ({exc.strerror})") from exc
    if not data.strip():
        raise TranscriptError(f"{path.name}: the file is empty; nothing to import")
    return data


def parse(data: bytes, name: str, fmt: str) -> Transcript:
    """Parse a transcript's bytes in a known format into merged turns.

    Raises:
        TranscriptError: When the content cannot be read as ``fmt``, or holds no speech.
    """
    turns: list[Turn]
    if fmt == "docx":
        if not data.startswith(b"PK"):
            raise TranscriptError(
                f"{name}: not a Word document; pass the right --format (vtt, srt or txt)"
            )
        from retain.imports.text import read_docx

        turns = read_docx(data, name)
    else:
        if data.startswith(b"PK\x03\x04"):
            raise TranscriptError(
                f"{name}: this is a zip or Word file, not {fmt} text; pass --format docx"
            )
        text = decode(data, name).lstrip("\ufeff")
        turns = _parse_text(text, name, fmt)
    turns = merge_turns(turns)
    if not turns:
        raise TranscriptError(f"{name}: no speech found in the transcript; nothing to import")
    if len(turns) > MAX_TURNS:
        raise TranscriptError(
            f"{name}: {len(turns)} turns is over the limit of {MAX_TURNS}; split the transcript"
        )
    transcript = Transcript(name, fmt, turns)
    if not transcript.speakers:
        transcript.warnings.append(
            "no speakers found in the transcript; it is imported as unmapped text "
            "(assign segments to questions in the app)"
        )
    return transcript


def _parse_text(text: str, name: str, fmt: str) -> list[Turn]:
    from retain.imports import text as plain
    from retain.imports import vtt

    if fmt == "vtt" or (fmt == "txt" and text.lstrip().startswith("WEBVTT")):
        return vtt.read_vtt(text, name)
    if fmt == "srt":
        return vtt.read_srt(text, name)
    if plain.is_otter(text):
        return plain.read_otter(text, name)
    return plain.read_plain(text, name)


def read_transcript(path: Path, fmt: str | None = None) -> Transcript:
    """Read and normalise a transcript file.

    Args:
        path: The file.
        fmt: ``vtt``, ``srt``, ``txt`` or ``docx``; by default taken from the extension.

    Raises:
        TranscriptError: With one line naming the file and the fix.
    """
    found = detect_format(path, fmt)
    return parse(read_bytes(path), path.name, found)
