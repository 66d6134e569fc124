"""WebVTT (Teams, Graph API, Zoom) and SRT readers, on webvtt-py and srt."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from retain.imports.model import TranscriptError, Turn, split_speaker

# A cue timing line, lenient about padding (Graph API: ``0:0:5.320``) and sign (negative
# offsets when the recording started before the meeting clock, as ``-0:0:1.5`` or ``0:0:-1.5``).
_STAMP = r"(-?(?:\d+:)?-?\d{1,2}:-?\d{1,2}(?:[.,]\d{1,3})?)"
_TIMING = re.compile(rf"^\s*{_STAMP}\s*-->\s*{_STAMP}(\s.*)?$")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?(?:\s+([^>]*))?>", re.IGNORECASE)
_TAG = re.compile(r"</?[a-zA-Z][^>]*>|</v>")


def _seconds(stamp: str) -> float:
    negative = "-" in stamp
    clock, _, fraction = stamp.replace("-", "").replace(",", ".").partition(".")
    parts = [int(p) for p in clock.split(":")]
    value = sum(part * 60**power for power, part in enumerate(reversed(parts)))
    total = value + int(fraction.ljust(3, "0")) / 1000 if fraction else float(value)
    return -total if negative else total


def _format(value: float) -> str:
    ms = round(value * 1000)
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def normalise_timings(text: str, name: str) -> str:
    """Rewrite every cue timing line in canonical form, shifting negative offsets to zero.

    webvtt-py silently drops cues whose timings it cannot read, so the timings are checked
    here first and a broken one is reported with its line number.

    Raises:
        TranscriptError: For a timing line that cannot be read, or an end before its start.
    """
    lines = text.split("\n")
    parsed: dict[int, tuple[float, float, str]] = {}
    for number, line in enumerate(lines):
        if "-->" not in line:
            continue
        match = _TIMING.match(line)
        if match is None:
            raise TranscriptError(
                f"{name}:{number + 1}: broken cue timing {line.strip()[:60]!r}; "
                "expected e.g. 00:01:02.500 --> 00:01:05.000"
            )
        start, end = _seconds(match.group(1)), _seconds(match.group(2))
        if end < start:
            raise TranscriptError(
                f"{name}:{number + 1}: the cue ends before it starts ({line.strip()[:60]!r}); "
                "fix the timing or re-export the transcript"
            )
        parsed[number] = (start, end, match.group(3) or "")
    if not parsed:
        raise TranscriptError(f"{name}: no cues with timings found; is this really a .vtt file?")
    shift = -min(0.0, min(start for start, _, _ in parsed.values()))
    for number, (start, end, settings) in parsed.items():
        lines[number] = f"{_format(start + shift)} --> {_format(end + shift)}{settings}"
    return "\n".join(lines)


def _voices(raw: str) -> list[tuple[str | None, str]]:
    """Split a cue's raw text on ``<v Name>`` tags: one (speaker, text) per voice span."""
    spans: list[tuple[str | None, str]] = []
    matches = list(_VOICE.finditer(raw))
    if not matches:
        return [(None, raw)]
    if raw[: matches[0].start()].strip():
        spans.append((None, raw[: matches[0].start()]))
    for i, match in enumerate(matches):
        stop = matches[i + 1].start() if i + 1 < len(matches) else len(raw)
        spans.append(((match.group(1) or "").strip() or None, raw[match.end() : stop]))
    return spans


def _plain(text: str) -> str:
    return html.unescape(_TAG.sub("", text)).replace("\n", " ")


def read_vtt(text: str, name: str) -> list[Turn]:
    """Cues of a WebVTT file as turns (speakers from voice tags or ``Name:`` prefixes).

    A cue without a speaker continues the previous speaker (Zoom omits the name when the
    same person goes on); a file with no speakers at all yields speakerless turns.

    Raises:
        TranscriptError: For a missing header or broken timings.
    """
    import webvtt
    from webvtt.errors import MalformedFileError

    if not text.lstrip().startswith("WEBVTT"):
        if re.match(r"\s*\d+\s*\n\s*\d+:\d+:\d+,\d+\s*-->", text):
            raise TranscriptError(f"{name}: this is an SRT file, not WebVTT; pass --format srt")
        raise TranscriptError(
            f"{name}: not a WebVTT file (no WEBVTT header); pass --format srt, txt or docx"
        )
    try:
        captions = webvtt.from_string(normalise_timings(text, name))
    except MalformedFileError as exc:
        raise TranscriptError(f"{name}: cannot read the WebVTT cues ({exc})") from exc
    turns: list[Turn] = []
    known: set[str] = set()
    last: str | None = None
    for caption in captions.captions:
        start, end = _stamp(caption.start), _stamp(caption.end)
        for voice, raw in _voices(caption.raw_text):
            speaker, body = (voice, _plain(raw)) if voice else split_speaker(_plain(raw), known)
            if speaker:
                known.add(speaker)
                last = speaker
            turns.append(Turn(start, end, speaker or last, body))
    return turns


def _stamp(value: str) -> float:
    hours, minutes, seconds = value.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def read_srt(text: str, name: str) -> list[Turn]:
    """Subtitles of an SRT file as turns, with or without ``Name:`` prefixes.

    Raises:
        TranscriptError: For broken numbering or timings.
    """
    import srt

    try:
        subtitles = list(srt.parse(text))
    except (srt.SRTParseError, ValueError) as exc:
        first = str(exc).splitlines()[0][:120]
        raise TranscriptError(
            f"{name}: broken SRT ({first}); each cue needs a number and a "
            "00:01:02,500 --> 00:01:05,000 timing line"
        ) from exc
    if not subtitles:
        raise TranscriptError(f"{name}: no subtitles found; is this really a .srt file?")
    turns: list[Turn] = []
    known: set[str] = set()
    last: str | None = None
    for sub in subtitles:
        if sub.end < sub.start:
            raise TranscriptError(f"{name}: cue {sub.index} ends before it starts; fix its timing")
        speaker, body = split_speaker(_plain(sub.content), known)
        if speaker:
            known.add(speaker)
            last = speaker
        turns.append(Turn(_td(sub.start), _td(sub.end), speaker or last, body))
    return turns


def _td(value: timedelta) -> float:
    return max(0.0, value.total_seconds())
