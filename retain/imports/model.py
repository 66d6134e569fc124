"""Normalised transcript turns, speaker-label parsing and the merge of consecutive cues."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from retain.errors import InvalidInput

FORMATS: tuple[str, ...] = ("vtt", "srt", "txt", "docx")

# Lower-case words allowed inside a name ("Anna van der Berg", "Luis de la Cruz").
_PARTICLES = frozenset({"de", "da", "del", "der", "den", "di", "du", "la", "le", "van", "von", "y", "bin", "al"})
# Words that open a sentence rather than a name, so "Note: the job" is not a speaker called Note.
_NOT_NAMES = frozenset(
    {"note", "notes", "question", "answer", "re", "subject", "http", "https", "step", "update",
     "warning", "tip", "example", "todo", "ps", "nb", "fyi", "edit", "agenda", "action"}
)
_TIME = re.compile(r"^(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?$")


class TranscriptError(InvalidInput):
    """A transcript cannot be read; the message names the file and the fix."""


@dataclass(frozen=True)
class Turn:
    """One speaker's uninterrupted stretch of speech.

    ``start`` and ``end`` are seconds from the start of the recording, or ``None`` when the
    format carries no times (plain text). ``speaker`` is ``None`` when nobody was named.
    """

    start: float | None
    end: float | None
    speaker: str | None
    text: str

    def to_json(self) -> dict[str, object]:
        """The stored JSON form."""
        return {"start": self.start, "end": self.end, "speaker": self.speaker, "text": self.text}

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Turn:
        """Rebuild a turn from :meth:`to_json`."""
        start, end, speaker = data.get("start"), data.get("end"), data.get("speaker")
        return cls(
            float(start) if isinstance(start, int | float) else None,
            float(end) if isinstance(end, int | float) else None,
            str(speaker) if speaker is not None else None,
            str(data.get("text", "")),
        )


@dataclass
class Transcript:
    """What a reader produced: the turns, the format, and warnings worth showing."""

    file_name: str
    format: str
    turns: list[Turn]
    warnings: list[str] = field(default_factory=list)

    @property
    def speakers(self) -> list[str]:
        """Named speakers in order of first appearance."""
        seen: dict[str, None] = {}
        for turn in self.turns:
            if turn.speaker:
                seen.setdefault(turn.speaker, None)
        return list(seen)

    def renamed(self, names: dict[str, str]) -> Transcript:
        """A copy with speaker labels renamed (``Speaker 1`` -> ``Dana Whitfield``)."""
        if not names:
            return self
        folded = {old.casefold(): new for old, new in names.items()}
        turns = [
            replace(t, speaker=folded.get(t.speaker.casefold(), t.speaker)) if t.speaker else t
            for t in self.turns
        ]
        return Transcript(self.file_name, self.format, merge_turns(turns), list(self.warnings))


def clean_text(text: str) -> str:
    """Collapse runs of whitespace; markers such as ``[inaudible]`` are kept as they are."""
    return " ".join(text.replace("\ufeff", "").split())


def looks_like_name(label: str) -> bool:
    """Whether a ``Label:`` prefix is a speaker name rather than the start of a sentence."""
    words = label.split()
    if not 1 <= len(words) <= 5 or len(label) > 60:
        return False
    if words[0].casefold() in _NOT_NAMES or any(c in label for c in "?!;,()[]{}<>\"/\\"):
        return False
    for word in words:
        if word in _PARTICLES:
            continue
        head = word[0]
        # "Speaker 1", "S04", "Dana", "O'Neill", "Jean-Luc", "李".
        if not (head.isdigit() or head.isupper() or (head.isalpha() and not head.islower())):
            return False
    return not all(w.isdigit() for w in words)


_PREFIX = re.compile(r"^\s*([^:\n]{1,60}?)\s*:\s+(.*)$", re.DOTALL)


def split_speaker(text: str, known: set[str] | None = None) -> tuple[str | None, str]:
    """Split ``Name: text`` into the name and the text; ``(None, text)`` when there is no name."""
    match = _PREFIX.match(text)
    if match is None:
        return None, text
    label, rest = match.group(1).strip(), match.group(2)
    if _TIME.match(label) or not (looks_like_name(label) or (known and label in known)):
        return None, text
    return label, rest


def parse_clock(value: str) -> float | None:
    """``M:SS``, ``MM:SS`` or ``H:MM:SS`` as seconds; ``None`` for anything else."""
    match = _TIME.match(value.strip())
    if match is None:
        return None
    a, b, c = match.groups()
    if c is None:
        return int(a) * 60 + int(b)
    return int(a) * 3600 + int(b) * 60 + int(c)


def merge_turns(turns: list[Turn]) -> list[Turn]:
    """Merge consecutive turns of the same speaker; drop turns left empty."""
    merged: list[Turn] = []
    for turn in turns:
        text = clean_text(turn.text)
        if not text:
            continue
        if merged and merged[-1].speaker == turn.speaker:
            last = merged[-1]
            end = turn.end if turn.end is not None else last.end
            merged[-1] = Turn(last.start, end, last.speaker, f"{last.text} {text}")
        else:
            merged.append(Turn(turn.start, turn.end, turn.speaker, text))
    return merged


def fill_ends(turns: list[Turn]) -> list[Turn]:
    """Give turns without an end the next turn's start (formats that stamp starts only)."""
    out: list[Turn] = []
    for i, turn in enumerate(turns):
        end = turn.end
        if end is None and turn.start is not None:
            nxt = next((t.start for t in turns[i + 1 :] if t.start is not None), None)
            end = nxt if nxt is not None and nxt >= turn.start else turn.start
        out.append(replace(turn, end=end))
    return out


def clock(seconds: float | None) -> str:
    """Seconds as ``M:SS`` or ``H:MM:SS`` (how people cite a recording); ``""`` for ``None``."""
    if seconds is None:
        return ""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
