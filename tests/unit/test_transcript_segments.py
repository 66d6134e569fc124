"""`retain transcript unmapped|assign|drop`: what an import left unmapped, handled from the shell."""

from __future__ import annotations

import json
from pathlib import Path

import docx

from retain.services import Services
from tests.conftest import CliInvoker
from tests.unit.test_import_store import EXIT_TRANSCRIPT, MARKER, TEAMS, _import


def _segments(run_cli: CliInvoker, db_url: str, interview: int) -> list[dict[str, object]]:
    result = run_cli("transcript", "unmapped", str(interview), "--json", db=db_url)
    assert result.exit_code == 0, result.output
    found: list[dict[str, object]] = json.loads(result.stdout)
    return found


def _handover(run_cli: CliInvoker, db_url: str) -> tuple[int, dict[str, dict[str, object]]]:
    doc = _import(run_cli, db_url, TEAMS, "--guide", "handover", "--person", "Dana Whitfield")
    interview = int(doc["interview"])  # type: ignore[call-overload]
    by_suggestion = {str(s["suggestion"] or s["reason"]): s for s in _segments(run_cli, db_url, interview)}
    return interview, by_suggestion


def test_a_low_confidence_segment_is_saved_as_the_answer_with_its_recording_time(
    run_cli: CliInvoker, services: Services, db_url: str
) -> None:
    interview, segments = _handover(run_cli, db_url)
    contacts = segments["contacts"]
    assert contacts["reason"] == "low-confidence" and str(contacts["text"]).startswith("Sam Patel: ")
    result = run_cli("transcript", "assign", str(contacts["id"]), "contacts", "--json", db=db_url)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"segment": contacts["id"], "interview": interview,
                                         "question": "contacts", "saved": "new", "visibility": "shareable"}
    shown = json.loads(run_cli("interview", "show", str(interview), "--json", db=db_url).stdout)
    answer = next(a for a in shown["answers"] if a["question"] == "contacts")
    # Only the interviewee's words, without the speaker labels.
    assert answer["text"] and "Sam Patel:" not in answer["text"] and "Dana Whitfield:" not in answer["text"]
    assert answer["source"]["start"] == contacts["start"]
    assert contacts["id"] not in [s["id"] for s in _segments(run_cli, db_url, interview)]
    # The pack prints the words and cites the recording.
    context = services.exports.context(interview).to_json()
    entry = next(e for e in context["entries"] if e["question"] == "contacts")
    assert entry["recording"].startswith("from the recording at 5:")
    texts = [p.text for p in docx.Document(services.exports.export(interview, fmt="docx").path).paragraphs]
    assert answer["text"].split("\n")[0] in texts
    # A segment is saved once: a second try names the listing command and changes nothing.
    again = run_cli("transcript", "assign", str(contacts["id"]), "contacts", db=db_url)
    assert again.exit_code == 1 and "no unmapped segment" in again.stderr
    assert "retain transcript unmapped" in again.stderr


def test_talk_added_to_a_written_answer_goes_under_a_marked_heading(
    run_cli: CliInvoker, services: Services, db_url: str
) -> None:
    interview, segments = _handover(run_cli, db_url)
    services.interviews.answer(interview, "advice", text="Keep a log.", visibility="confidential")
    result = run_cli("transcript", "assign", str(segments["small-talk"]["id"]), "advice", "--json", db=db_url)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["saved"] == "appended"
    (advice,) = [a for a in services.interviews.answers(interview) if a.question_id == "advice"]
    assert advice.text.startswith("Keep a log.\n\n[Imported from handover.teams.vtt at 6:51]\n")
    assert advice.visibility == "confidential"  # never looser than the answer was


def test_bad_assignments_are_one_line_errors_that_change_nothing(
    run_cli: CliInvoker, services: Services, db_url: str
) -> None:
    interview, segments = _handover(run_cli, db_url)
    before = _segments(run_cli, db_url, interview)
    answers = [(a.question_id, a.text) for a in services.interviews.answers(interview)]
    first = str(segments["last-incident"]["id"])
    cases = [
        (("transcript", "assign", first, "no-such-question"), "no question 'no-such-question'"),
        (("transcript", "assign", "9999", "advice"), "no unmapped segment 9999"),
        # "Hi Dana, ... Yes, loud and clear." names none of the consent question's options.
        (("transcript", "assign", first, "follow-up-consent"), "says nothing that fits choice question"),
        (("transcript", "unmapped", "9999"), "no interview 9999"),
        (("transcript", "drop", "9999"), "no unmapped segment 9999"),
    ]
    for args, message in cases:
        result = run_cli(*args, db=db_url)
        assert result.exit_code == 1, result.output
        assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert _segments(run_cli, db_url, interview) == before
    assert [(a.question_id, a.text) for a in services.interviews.answers(interview)] == answers


def test_dropping_a_segment_keeps_the_transcript(run_cli: CliInvoker, services: Services, db_url: str) -> None:
    interview, segments = _handover(run_cli, db_url)
    dropped = segments["interruption"]
    result = run_cli("transcript", "drop", str(dropped["id"]), db=db_url)
    assert result.exit_code == 0 and f"segment {dropped['id']} dropped" in result.stdout
    assert dropped["id"] not in [s["id"] for s in _segments(run_cli, db_url, interview)]
    (transcript,) = services.imports.transcripts(interview)
    assert len(transcript.turns) == 44


def test_exit_talk_stays_confidential_wherever_it_is_assigned(
    run_cli: CliInvoker, services: Services, db_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "exit.txt"
    path.write_text(EXIT_TRANSCRIPT, encoding="utf-8")
    doc = _import(run_cli, db_url, str(path), "--guide", "exit", "--person", "Lee Brandt")
    interview = int(doc["interview"])  # type: ignore[call-overload]
    (coffee,) = [s for s in _segments(run_cli, db_url, interview) if MARKER in str(s["text"])]
    refused = run_cli("transcript", "assign", str(coffee["id"]), "push-factors", "--visibility", "shareable",
                      db=db_url)
    assert refused.exit_code == 1 and "confidential by design" in refused.stderr
    result = run_cli("transcript", "assign", str(coffee["id"]), "push-factors", "--json", db=db_url)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["visibility"] == "confidential"
    assert services.search.search(MARKER) == []
    assert MARKER not in run_cli("search", MARKER, "--json", db=db_url).stdout
    assert MARKER not in json.dumps(services.reports.show(interview, include_confidential=False).to_json())
    assert services.search.search(MARKER, include_confidential=True)
