"""Mapping a recorded handover interview onto the guide: accuracy, formats, every word kept."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

from retain.guides.registry import GuideRegistry
from retain.guides.schema import Guide
from retain.imports import TranscriptError, read_transcript
from retain.imports.mapping import Mapping, asks, map_transcript
from retain.resources import guides_dir

DATA = Path(__file__).parents[1] / "data" / "transcripts"
FORMATS = [
    "handover.teams.vtt", "handover.graph.vtt", "handover.transcript.vtt", "handover.srt",
    "handover.otter.txt", "handover.plain.txt", "handover.meet.docx",
]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("handover_script", DATA / "handover_script.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SCRIPT = _script()


@pytest.fixture(scope="module")
def guide() -> Guide:
    return GuideRegistry(guides_dir()).get("handover")


def _answers(mapping: Mapping) -> dict[str, str]:
    """Saved answers: question -> the interviewee's text."""
    out: dict[str, str] = {}
    for segment in mapping.segments:
        if segment.reason == "answer" and segment.question:
            out[segment.question] = (out.get(segment.question, "") + " " + mapping.answer_text(segment)).strip()
    return out


def test_the_fixtures_are_this_script() -> None:
    # The data files were written from the script; a drifted fixture would test nothing.
    assert (DATA / "handover.srt").read_text(encoding="utf-8") == SCRIPT.srt_file()
    assert (DATA / "handover.teams.vtt").read_text(encoding="utf-8") == SCRIPT.teams()


def test_at_least_90_percent_of_answers_land_on_the_right_question(guide: Guide) -> None:
    mapping = map_transcript(read_transcript(DATA / "handover.teams.vtt"), guide)
    assert (mapping.interviewer, mapping.interviewee, mapping.guessed) == (
        SCRIPT.ER, SCRIPT.EE, True
    )
    # What each of the interviewee's replies answers, from the script.
    expected: dict[str, str] = {}
    asked: str | None = None
    for speaker, text, question in SCRIPT.SCRIPT:
        if speaker == SCRIPT.ER:
            asked = question
        elif speaker == SCRIPT.OTHER:
            asked = None  # the reply to an interruption answers no question
        elif speaker == SCRIPT.EE and asked:
            expected[text] = asked
    assert len(set(expected.values())) >= 10
    answers = _answers(mapping)
    right = sum(1 for text, question in expected.items() if text in answers.get(question, ""))
    wrong = [
        (text, q) for q, body in answers.items() for text in expected
        if text in body and expected[text] != q
    ]
    assert right / len(expected) >= 0.9, (right, len(expected))
    assert wrong == []
    # The reply to the interruption and the small talk are not answers.
    saved = " ".join(answers.values())
    assert "tell him ten minutes" not in saved and "loud and clear" not in saved
    assert "good to get it all down" not in saved
    reasons = {s.reason for s in mapping.segments}
    assert {"small-talk", "off-guide", "interruption"} <= reasons
    assert all(0 <= s.score <= 1 for s in mapping.segments)


def test_low_confidence_is_flagged_not_saved(guide: Guide) -> None:
    mapping = map_transcript(read_transcript(DATA / "handover.teams.vtt"), guide)
    flagged = [s for s in mapping.segments if s.review]
    assert flagged and all(s.question for s in flagged)
    assert all(s.question not in _answers(mapping) for s in flagged)


@pytest.mark.parametrize("name", FORMATS[1:])
def test_every_format_maps_identically(guide: Guide, name: str) -> None:
    def shape(mapping: Mapping) -> list[tuple[str, str | None, float, str]]:
        return [
            (s.reason, s.question, s.score, mapping.answer_text(s)) for s in mapping.segments
        ]

    reference = map_transcript(read_transcript(DATA / FORMATS[0]), guide)
    other = map_transcript(read_transcript(DATA / name), guide)
    assert shape(other) == shape(reference)
    starts = [int(other.span(s)[0] or 0) for s in other.segments]
    if name != "handover.plain.txt" and name != "handover.meet.docx":
        assert starts == [int(reference.span(s)[0] or 0) for s in reference.segments]


@pytest.mark.parametrize("name", FORMATS)
def test_every_word_the_interviewee_said_is_kept(guide: Guide, name: str) -> None:
    transcript = read_transcript(DATA / name)
    mapping = map_transcript(transcript, guide)
    # Every turn sits in exactly one segment, and the turns are the whole transcript.
    indexes = sorted(i for s in mapping.segments for i in s.turns)
    assert indexes == list(range(len(transcript.turns)))
    said = " ".join(text for speaker, text, _ in SCRIPT.SCRIPT if speaker == SCRIPT.EE)
    kept = " ".join(t.text for t in transcript.turns if t.speaker == SCRIPT.EE)
    assert re.findall(r"\S+", kept) == re.findall(r"\S+", said)


def test_speakers_from_flags_and_renamed_generic_labels(guide: Guide) -> None:
    transcript = read_transcript(DATA / "generic.otter.txt")
    guessed = map_transcript(transcript, guide)
    assert (guessed.interviewer, guessed.interviewee) == ("Speaker 1", "Speaker 2")
    renamed = transcript.renamed({"Speaker 2": "Dana Whitfield", "Speaker 1": "Sam Patel"})
    chosen = map_transcript(renamed, guide, interviewee="dana  whitfield")
    assert (chosen.interviewer, chosen.interviewee, chosen.guessed) == (
        "Sam Patel", "Dana Whitfield", False
    )
    assert chosen.segments[0].question == "role-summary"
    with pytest.raises(TranscriptError, match=r"'Bob' is not a speaker.*Sam Patel, Dana Whitfield"):
        map_transcript(renamed, guide, interviewer="Bob")
    with pytest.raises(TranscriptError, match="must be different"):
        map_transcript(renamed, guide, interviewer="Sam Patel", interviewee="Sam Patel")


def test_no_speakers_is_one_unmapped_segment(guide: Guide) -> None:
    mapping = map_transcript(read_transcript(DATA / "zoom.cc.vtt"), guide)
    assert [s.reason for s in mapping.segments] == ["no-speakers"]
    assert mapping.interviewer is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("What breaks first?", True), ("Walk me through month-end.", True),
     ("Tell me about the audits.", True), ("Great, thanks.", False), ("Mm-hm.", False)],
)
def test_asks(text: str, expected: bool) -> None:
    assert asks(text) is expected


def test_typed_questions_take_a_value_from_what_was_said(guide: Guide) -> None:
    from retain.guides.schema import Question
    from retain.imports.values import spoken_value

    found = guide.question("follow-up-consent")
    assert found is not None
    consent = found[1]
    assert spoken_value(consent, "Yes, my successor may contact me directly.") == (
        "Yes, my successor may contact me directly"
    )
    assert spoken_value(consent, "Hmm, let me think about it.") is None
    yesno = Question(id="q", prompt="Would you come back?", type="yesno")
    assert spoken_value(yesno, "Yeah, probably.") == "yes"
    assert spoken_value(yesno, "Nope.") == "no"
    assert spoken_value(yesno, "It depends.") is None
    scale = Question(id="s", prompt="1 to 5?", type="scale")
    assert spoken_value(scale, "I'd say a 4 out of 5.") == "4"
    day = Question(id="d", prompt="When?", type="date")
    assert spoken_value(day, "On 2026-03-31, I think.") == "2026-03-31"
    assert spoken_value(day, "End of March.") is None
