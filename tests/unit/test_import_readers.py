"""Transcript readers: each format, the speaker logic, and every kind of bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from retain.imports import MAX_BYTES, TranscriptError, read_transcript
from retain.imports.model import looks_like_name, split_speaker

DATA = Path(__file__).parents[1] / "data" / "transcripts"


def test_teams_voice_tags_cue_ids_multiline_and_merge() -> None:
    transcript = read_transcript(DATA / "teams-multi.vtt")
    assert transcript.format == "vtt"
    assert [(t.speaker, t.text) for t in transcript.turns] == [
        ("Sam Patel", "What do you know that nobody else does?"),
        # Two consecutive cues of one speaker merge; entities unescape; markers stay.
        ("Dana Whitfield", "The pension export & the fix. [inaudible] nobody else has run it."),
        ("Sam Patel", "Thanks."),
        ("Dana Whitfield", "No problem."),
    ]
    assert transcript.turns[0].start == 0.0 and transcript.turns[0].end == pytest.approx(3.21)
    assert transcript.turns[1].start == 3.5 and transcript.turns[1].end == 9.0


def test_graph_api_unpadded_and_negative_offsets() -> None:
    turns = read_transcript(DATA / "graph-negative.vtt").turns
    # The clock is shifted so the earliest cue starts at zero; nothing is dropped.
    assert [t.speaker for t in turns] == ["Sam Patel", "Dana Whitfield"]
    assert turns[0].start == 0.0 and turns[0].end == pytest.approx(3.5)
    assert turns[1].start == pytest.approx(4.0) and turns[1].end == pytest.approx(6.82)


def test_zoom_transcript_cues_without_a_name_continue_the_speaker() -> None:
    turns = read_transcript(DATA / "handover.transcript.vtt").turns
    teams = read_transcript(DATA / "handover.teams.vtt").turns
    assert [(t.speaker, t.text) for t in turns] == [(t.speaker, t.text) for t in teams]
    raw = (DATA / "handover.transcript.vtt").read_text()
    assert "\nSam Patel:" in raw and any(
        line and line[0].islower() for line in raw.splitlines()
    )  # the fixture really has speakerless continuation cues


def test_zoom_cc_without_speakers_warns_and_keeps_text() -> None:
    transcript = read_transcript(DATA / "zoom.cc.vtt")
    assert transcript.speakers == []
    assert "no speakers" in transcript.warnings[0]
    assert transcript.turns[0].text.endswith("i keep payroll running [inaudible] every month")


def test_srt_with_and_without_names() -> None:
    named = read_transcript(DATA / "handover.srt")
    assert named.speakers == ["Sam Patel", "Dana Whitfield", "Priya Nair"]
    unnamed = read_transcript(DATA / "no-names.srt")
    assert unnamed.speakers == [] and unnamed.warnings
    assert unnamed.turns[0].text == "Welcome to the call. Thanks for having me."


def test_otter_headers_footer_and_generic_labels() -> None:
    transcript = read_transcript(DATA / "generic.otter.txt")
    assert [(t.speaker, t.start, t.text) for t in transcript.turns] == [
        ("Speaker 1", 2, "What is your role really for?"),
        ("Speaker 2", 9, "I run payroll. And the pension file."),
        ("Speaker 1", 3930, "Anything else?"),
    ]
    assert transcript.turns[1].end == 3930
    assert all("otter.ai" not in t.text for t in transcript.turns)
    renamed = transcript.renamed({"speaker 2": "Dana Whitfield"})
    assert renamed.speakers == ["Speaker 1", "Dana Whitfield"]


def test_google_meet_docx() -> None:
    transcript = read_transcript(DATA / "handover.meet.docx")
    teams = read_transcript(DATA / "handover.teams.vtt")
    assert transcript.format == "docx"
    assert [(t.speaker, t.text) for t in transcript.turns] == [
        (t.speaker, t.text) for t in teams.turns
    ]
    # Meet stamps a time once a minute: turns take the last stamp above them.
    assert transcript.turns[0].start == 3 and transcript.turns[-1].start >= 360


def test_plain_text_bom_continuations_and_cp1252() -> None:
    turns = read_transcript(DATA / "bom.txt").turns
    assert [(t.speaker, t.text) for t in turns] == [
        ("Sam Patel", "Café or tea?"),
        ("Dana Whitfield", "Tea, please. It has to be strong. Note: this line continues Dana."),
    ]
    assert turns[0].start is None
    windows = read_transcript(DATA / "cp1252.txt").turns
    assert windows[0].text == "Café or tea?" and windows[1].text == "Tea – strong."


@pytest.mark.parametrize(
    ("label", "expected"),
    [("Dana Whitfield", True), ("Speaker 1", True), ("S04", True), ("Anna van der Berg", True),
     ("Note", False), ("the plan", False), ("12", False), ("Well, honestly", False)],
)
def test_speaker_labels(label: str, expected: bool) -> None:
    assert looks_like_name(label) is expected


def test_a_time_is_not_a_speaker() -> None:
    assert split_speaker("10:30: we start") == (None, "10:30: we start")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.vtt", b"", "the file is empty"),
        ("blank.txt", b"  \n\n ", "the file is empty"),
        ("binary.txt", b"\x00\x01\x02ELF", "binary data"),
        ("latin.txt", b"Sam: \x81\x8d\x8f\x90\x9d", "neither UTF-8 nor Windows-1252"),
        ("notes.pdf", b"%PDF-1.7", "cannot tell the transcript format"),
        ("header.vtt", b"00:00:01.000 --> 00:00:02.000\nhi\n", "no WEBVTT header"),
        ("nocues.vtt", b"WEBVTT\n\nhello\n", "no cues with timings"),
        ("misnamed.vtt", b"1\n00:00:01,000 --> 00:00:02,000\nhi\n", "pass --format srt"),
        ("backwards.vtt", b"WEBVTT\n\n00:00:05.000 --> 00:00:01.000\nhi\n", "ends before it starts"),
        ("broken.srt", b"1\n00:00:01,000 -> nope\nhi\n", "broken SRT"),
        ("fake.docx", b"Sam: hello", "not a Word document"),
        ("zipped.txt", b"PK\x03\x04rest", "pass --format docx"),
        ("badzip.docx", b"PK\x03\x04broken", "not a readable Word document"),
    ],
)
def test_bad_input_gives_one_clear_line(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(TranscriptError) as caught:
        read_transcript(path)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_broken_timing_names_the_line() -> None:
    with pytest.raises(TranscriptError, match=r"broken-timing.vtt:6: broken cue timing"):
        read_transcript(DATA / "broken-timing.vtt")


def test_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "huge.vtt"
    with path.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)
    with pytest.raises(TranscriptError, match="over the 20 MB limit"):
        read_transcript(path)


def test_missing_file_and_forced_format(tmp_path: Path) -> None:
    with pytest.raises(TranscriptError, match="no such file"):
        read_transcript(tmp_path / "gone.vtt")
    path = tmp_path / "recording.dat"
    path.write_text("Sam Patel: Hello?\nDana Whitfield: Hi.\n", encoding="utf-8")
    assert read_transcript(path, "txt").speakers == ["Sam Patel", "Dana Whitfield"]
    with pytest.raises(TranscriptError, match="unknown format"):
        read_transcript(path, "pdf")


def test_a_nul_anywhere_is_binary(tmp_path: Path) -> None:
    path = tmp_path / "late-nul.txt"
    path.write_bytes(b"Sam: hello\n" * 2000 + b"Dana: hi\x00there\n")
    with pytest.raises(TranscriptError, match="binary data"):
        read_transcript(path)


def test_docx_that_unpacks_too_far_is_refused(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (201 * 1024 * 1024))
    assert path.stat().st_size < 1024 * 1024
    with pytest.raises(TranscriptError, match="over the 200 MB limit"):
        read_transcript(path)
