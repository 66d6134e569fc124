"""`retain import` end to end on SQLite and PostgreSQL: storage, provenance, safety, visibility."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest
from sqlalchemy import func, select

from retain.services import Services
from retain.store.models import Answer, AnswerSource, Interview, Transcript, TranscriptSegment
from tests.conftest import CliInvoker

DATA = Path(__file__).parents[1] / "data" / "transcripts"
TEAMS = str(DATA / "handover.teams.vtt")
MARKER = "zebracrossing42"
# (speaker, text) of the handover interview, as the Plain-text fixture holds it.
SAID = [
    tuple(line.split(": ", 1))
    for line in (DATA / "handover.plain.txt").read_text(encoding="utf-8").splitlines()
    if line
]


def _counts(services: Services) -> dict[str, int]:
    with services.engine.connect() as connection:
        return {
            str(model.__tablename__): connection.execute(
                select(func.count()).select_from(model)
            ).scalar_one()
            for model in (Interview, Answer, Transcript, AnswerSource, TranscriptSegment)
        }


def _import(run_cli: CliInvoker, db_url: str, *args: str) -> dict[str, object]:
    result = run_cli("import", *args, "--json", db=db_url)
    assert result.exit_code == 0, result.output
    document: dict[str, object] = json.loads(result.stdout)
    return document


def test_import_saves_answers_with_their_source(
    run_cli: CliInvoker, services: Services, db_url: str
) -> None:
    doc = _import(run_cli, db_url, TEAMS, "--guide", "handover", "--person", "Dana Whitfield")
    assert set(doc) >= {"interview", "format", "speakers", "turns", "answers", "unmapped"}
    assert doc["format"] == "vtt" and doc["turns"] == 44
    roles = {s["name"]: s["role"] for s in doc["speakers"]}  # type: ignore[attr-defined]
    assert roles == {"Sam Patel": "interviewer", "Dana Whitfield": "interviewee", "Priya Nair": "other"}
    answers = doc["answers"]
    assert isinstance(answers, list) and len(answers) >= 14
    assert {"question", "start", "end", "score"} <= set(answers[0])
    interview_id = int(doc["interview"])  # type: ignore[call-overload]
    shown = json.loads(run_cli("interview", "show", str(interview_id), "--json", db=db_url).stdout)
    by_question = {a["question"]: a for a in shown["answers"]}
    only_you = by_question["only-you"]
    assert only_you["source"]["file"] == "handover.teams.vtt"
    assert only_you["source"]["start"] < only_you["source"]["end"]
    assert "Tomasz has seen me do it once" in only_you["text"]
    assert only_you["visibility"] == "shareable"
    assert "contacts" not in by_question  # low confidence: kept for review, not saved
    # A typed answer has no source.
    typed = run_cli("interview", "answer", str(interview_id), "contact-after", "--text", "dana@example.org", db=db_url)
    assert typed.exit_code == 0, typed.output
    shown = json.loads(run_cli("interview", "show", str(interview_id), "--json", db=db_url).stdout)
    assert {a["question"]: a for a in shown["answers"]}["contact-after"]["source"] is None
    # The whole transcript is kept, and what did not map is stored as segments.
    (transcript,) = services.imports.transcripts(interview_id)
    assert len(transcript.turns) == 44 and transcript.visibility == "shareable"
    # Every word the interviewee said is in the stored transcript, in order.
    said = [w for s, t in SAID for w in t.split() if s == "Dana Whitfield"]
    stored = [w for t in transcript.turns if t["speaker"] == "Dana Whitfield" for w in t["text"].split()]
    assert stored == said
    segments = services.segments.unmapped(interview_id)
    assert {s.reason for s in segments} >= {"small-talk", "off-guide", "interruption", "low-confidence"}
    assert any(s.suggestion == "contacts" for s in segments)
    # Search and extraction see imported answers at once.
    hits = services.search.search("pension export")
    assert any(hit.question_id == "only-you" for hit in hits)
    stats = services.extraction.extract_interview(interview_id)
    assert stats.to_json()["answers"] >= 14
    names = {e["text"] for e in services.reports.show(interview_id).to_json()["entities"]}
    assert "Marta Jensen" in names


def test_dry_run_writes_nothing(run_cli: CliInvoker, services: Services, db_url: str) -> None:
    before = _counts(services)
    doc = _import(run_cli, db_url, TEAMS, "--guide", "handover", "--person", "Dana", "--dry-run")
    assert doc["dry_run"] is True and doc["interview"] is None and doc["answers"]
    assert _counts(services) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.vtt", "--guide", "handover", "--person", "D"], "no such file"),
        ([str(DATA / "broken-timing.vtt"), "--guide", "handover", "--person", "D"], "broken cue timing"),
        ([TEAMS, "--guide", "handover", "--person", "D", "--interviewee", "Bob"], "not a speaker"),
        ([TEAMS, "--guide", "nope", "--person", "D"], "nope"),
        ([TEAMS, "--interview", "999"], "no interview 999"),
    ],
)
def test_errors_are_one_line_and_write_nothing(
    run_cli: CliInvoker, services: Services, db_url: str, args: list[str], message: str
) -> None:
    before = _counts(services)
    result = run_cli("import", *args, db=db_url)
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("retain: error: ") and message in lines[-1]
    assert result.stdout == ""
    assert _counts(services) == before


def test_existing_answers_are_appended_never_overwritten(
    run_cli: CliInvoker, services: Services, db_url: str
) -> None:
    interview = services.interviews.start("handover", "Dana Whitfield")
    iid = interview.id or 0
    services.interviews.answer(iid, "only-you", text="Typed earlier: the pension export fix.")
    services.interviews.answer(iid, "advice", text="Keep a log.", visibility="confidential")
    _import(run_cli, db_url, TEAMS, "--interview", str(iid))
    answers = {a.question_id: a for a in services.interviews.answers(iid)}
    text = answers["only-you"].text
    assert text.startswith("Typed earlier: the pension export fix.\n\n[Imported from handover.teams.vtt at 1:")
    assert "Tomasz has seen me do it once" in text
    # A tightened answer stays confidential when imported text is added to it.
    assert answers["advice"].visibility == "confidential"
    assert not any(h.question_id == "advice" for h in services.search.search("month-end log manual"))
    # The same file twice is refused; --replace imports it again and overwrites.
    again = run_cli("import", TEAMS, "--interview", str(iid), db=db_url)
    assert again.exit_code == 1 and "already imported" in again.stderr and "--replace" in again.stderr
    replaced = run_cli("import", TEAMS, "--interview", str(iid), "--replace", db=db_url)
    assert replaced.exit_code == 0, replaced.output
    text = {a.question_id: a for a in services.interviews.answers(iid)}["only-you"].text
    assert not text.startswith("Typed earlier") and "[Imported from" not in text
    assert len(services.imports.transcripts(iid)) == 1
    # Every answer now comes from the recording, once (the first import's sources went with it).
    assert _counts(services)["answer_source"] == len(services.interviews.answers(iid))


EXIT_TRANSCRIPT = f"""Hana Okafor: Thanks for coming in. How are you feeling about leaving now the date is close?
Lee Brandt: Relieved, honestly. {MARKER} was the last straw.
Hana Okafor: What made staying here less attractive?
Lee Brandt: My manager cancelled every one-to-one for six months. {MARKER} again.
Hana Okafor: And what drew you to where you are going next?
Lee Brandt: A team that ships things.
Hana Okafor: Thanks so much for doing this. Good luck.
Lee Brandt: Thanks. By the way the {MARKER} coffee machine is still broken.
"""


def test_exit_transcripts_are_confidential_as_a_whole(
    run_cli: CliInvoker, services: Services, db_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "exit.txt"
    path.write_text(EXIT_TRANSCRIPT, encoding="utf-8")
    doc = _import(run_cli, db_url, str(path), "--guide", "exit", "--person", "Lee Brandt")
    iid = int(doc["interview"])  # type: ignore[call-overload]
    saved = {a["question"] for a in doc["answers"] if not a["review"]}  # type: ignore[attr-defined,index]
    assert {"leaving-context", "push-factors", "pull-factors"} <= saved
    assert all(a.visibility == "confidential" for a in services.interviews.answers(iid))
    (transcript,) = services.imports.transcripts(iid)
    assert transcript.visibility == "confidential"
    assert all(s.visibility == "confidential" for s in services.segments.unmapped(iid))
    # The marker said in answers and in small talk never reaches default search.
    assert services.search.search(MARKER) == []
    default = run_cli("search", MARKER, "--json", db=db_url)
    assert MARKER not in default.stdout
    assert services.search.search(MARKER, include_confidential=True)
    shareable = json.dumps(services.reports.show(iid, include_confidential=False).to_json())
    assert MARKER not in shareable


def test_import_loads_neither_spacy_nor_textual(sqlite_url: str) -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from retain.cli import main\n"
        "try:\n"
        f"    main(['--db', {sqlite_url!r}, 'import', {TEAMS!r}, '--guide', 'handover',"
        " '--person', 'Dana', '--dry-run', '--json'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = [m for m in ('spacy', 'textual', 'thinc', 'docxtpl') if m in sys.modules]\n"
        "print('HEAVY=' + ','.join(heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert '"dry_run": true' in result.stdout
    assert result.stdout.strip().endswith("HEAVY=")


def test_deleting_the_interview_deletes_what_was_imported(
    run_cli: CliInvoker, services: Services, db_url: str
) -> None:
    doc = _import(run_cli, db_url, TEAMS, "--guide", "handover", "--person", "Dana Whitfield")
    assert _counts(services)["transcript"] == 1
    services.interviews.delete(int(doc["interview"]))  # type: ignore[call-overload]
    counts = _counts(services)
    assert counts["transcript"] == counts["answer_source"] == counts["transcript_segment"] == 0


def test_packs_cite_the_recording(run_cli: CliInvoker, services: Services, db_url: str) -> None:
    doc = _import(run_cli, db_url, TEAMS, "--guide", "handover", "--person", "Dana Whitfield")
    iid = int(doc["interview"])  # type: ignore[call-overload]
    services.interviews.answer(iid, "contact-after", text="dana@example.org")
    context = services.exports.context(iid).to_json()
    by_question = {e["question"]: e for e in context["entries"]}
    assert by_question["only-you"]["recording"] == "from the recording at 1:19"
    assert by_question["contact-after"]["recording"] == ""
    out = services.exports.export(iid, fmt="md").path
    markdown = Path(out).read_text(encoding="utf-8")
    assert "_From the recording at 1:19._" in markdown
    # What was said to a list question (work in flight) is in the pack, not only its timestamp.
    assert by_question["in-flight"]["paragraphs"][0].startswith("Three things.")
    assert "Three things." in markdown
    # The Word pack says it too, right under the answer it belongs to, and only there.
    document = docx.Document(services.exports.export(iid, fmt="docx").path)
    texts = [p.text for p in document.paragraphs]
    cited = [i for i, t in enumerate(texts) if t == "From the recording at 1:19."]
    assert len(cited) == 1
    assert document.paragraphs[cited[0]].style.name == "Pack Note"
    assert texts[cited[0] - 1] == by_question["only-you"]["paragraphs"][-1]
    assert sum(t.startswith("From the recording at") for t in texts) == sum(bool(e["recording"]) for e in context["entries"])


def test_the_word_pack_says_no_open_items_only_when_none_were_spoken(
    run_cli: CliInvoker, services: Services, db_url: str
) -> None:
    """The Word pack printed "No open items were recorded." right above the spoken open items."""
    doc = _import(run_cli, db_url, TEAMS, "--guide", "handover", "--person", "Dana Whitfield")
    document = docx.Document(services.exports.export(int(doc["interview"]), fmt="docx").path)  # type: ignore[call-overload]
    texts = [p.text for p in document.paragraphs]
    assert any(t.startswith("Three things.") for t in texts)
    assert "No open items were recorded." not in texts
    # With the list question unanswered and other work in flight written down, the note is true.
    iid = services.interviews.start("handover", "Ben Okafor", interviewer="Ravi Shah").id or 0
    services.interviews.answer(iid, "next-six-months", text="The pay review lands in March.")
    texts = [p.text for p in docx.Document(services.exports.export(iid, fmt="docx").path).paragraphs]
    assert "The pay review lands in March." in texts and "No open items were recorded." in texts


def test_no_speakers_imports_unmapped_text_with_a_warning(
    run_cli: CliInvoker, services: Services, db_url: str
) -> None:
    result = run_cli("import", str(DATA / "zoom.cc.vtt"), "--guide", "handover", "--person", "Dana",
                     "--json", db=db_url)
    assert result.exit_code == 0, result.output
    assert "warning: no speakers found" in result.stderr
    doc = json.loads(result.stdout)
    assert doc["answers"] == [] and [u["reason"] for u in doc["unmapped"]] == ["no-speakers"]
    (segment,) = services.segments.unmapped(int(doc["interview"]))
    assert "i keep payroll running [inaudible] every month" in segment.text


def test_the_cli_prints_its_speaker_guess_and_carries_on(run_cli: CliInvoker, db_url: str) -> None:
    result = run_cli("import", TEAMS, "--guide", "handover", "--person", "Dana", "--dry-run",
                     db=db_url)
    assert result.exit_code == 0, result.output
    assert "guessed the speakers: Sam Patel asks, Dana Whitfield answers" in result.stderr
    assert "would import handover.teams.vtt (vtt, 44 turns) into a new interview" in result.stdout
    named = run_cli("import", TEAMS, "--guide", "handover", "--person", "Dana", "--dry-run",
                    "--interviewee", "Dana Whitfield", "--interviewer", "Sam Patel", db=db_url)
    assert "guessed" not in named.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [([TEAMS, "--guide", "handover"], "--person"), ([TEAMS], "either --interview"),
     ([TEAMS, "--interview", "1", "--guide", "handover"], "either --interview"),
     ([TEAMS, "--interview", "1", "--rename", "Speaker 1"], "OLD=NEW")],
)
def test_usage_errors_exit_2(
    run_cli: CliInvoker, sqlite_url: str, args: list[str], message: str
) -> None:
    result = run_cli("import", *args, db=sqlite_url)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
