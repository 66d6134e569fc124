"""Benchmark the save path: SQL statements and write transactions per save, and spaCy runs per pause.

Run: ``.venv/bin/python bench/save.py [--db URL]`` (about half a minute). On a store holding the
demo data, it re-types the demo's Priya Raman handover interview (12 answers, 3,300 characters)
into a new interview the way the TUI saves it, and counts every SQL statement with SQLAlchemy's
``before_cursor_execute`` event:

1. **before**: the old protocol, what the interview screen did after every pause in typing:
   the answer write, a progress read, ``extract_answers`` (per-answer rows plus the store-wide
   relabelling and interview-topic passes), and the full report for the gaps panel, with spaCy
   run twice on the same text (once for the live preview, once after the save);
2. **after**: what the screen does now. While typing, each save is one ``InterviewService.save``
   (one upsert). After a pause, the preview's extraction is stored for that answer
   (``store_extraction``: per-answer rows only) and the report is re-read once for the gaps panel;
   spaCy runs once. The store-wide passes run once, when the interviewer leaves.

Reference check: the mentions stored through the new path equal those ``extract_answers``
stores for the same answers, and every answer holds the text typed last.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine, event, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from retain.config import load_settings  # noqa: E402
from retain.nlp.extractor import Extraction, Extractor, load_extractor  # noqa: E402
from retain.services import Services, open_services  # noqa: E402
from retain.store.models import Mention  # noqa: E402

WRITES = ("INSERT", "UPDATE", "DELETE")
# A save while typing: the throttle writes about every 0.15 s, i.e. every ten or so characters.
CHARS_PER_SAVE = 12


@dataclass
class Tally:
    """Statements and transactions seen on an engine."""

    statements: int = 0
    transactions: int = 0
    write_transactions: int = 0

    def __sub__(self, other: Tally) -> Tally:
        return Tally(self.statements - other.statements, self.transactions - other.transactions,
                     self.write_transactions - other.write_transactions)


class Counter:
    """Counts SQL statements (BEGIN/COMMIT excluded) and transactions, flagging those that write."""

    def __init__(self, engine: Engine) -> None:
        self.tally = Tally()
        self._writing: dict[int, bool] = {}
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "begin", self._begin)
        event.listen(engine, "commit", self._end)
        event.listen(engine, "rollback", self._end)

    def _statement(self, conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        verb = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else ""
        if verb in ("BEGIN", "COMMIT", "ROLLBACK"):
            return
        self.tally.statements += 1
        if verb in WRITES:
            self._writing[id(conn)] = True

    def _begin(self, conn: Any) -> None:
        self._writing[id(conn)] = False
        self.tally.transactions += 1

    def _end(self, conn: Any) -> None:
        if self._writing.pop(id(conn), False):
            self.tally.write_transactions += 1

    @contextmanager
    def measure(self, into: list[Tally]) -> Iterator[None]:
        """Append what the block cost."""
        before = Tally(**vars(self.tally))
        yield
        into.append(self.tally - before)


class CountingExtractor:
    """The real spaCy extractor, counting how often it runs."""

    def __init__(self, inner: Extractor) -> None:
        self.inner, self.runs = inner, 0

    def load(self) -> None:
        self.inner.load()

    def extract(self, text: str) -> Extraction:
        self.runs += 1
        return self.inner.extract(text)

    def extract_many(self, texts: Any, **kwargs: Any) -> Iterator[Extraction]:
        for result in self.inner.extract_many(texts, **kwargs):
            self.runs += 1
            yield result

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def realistic_interview() -> list[tuple[str, dict[str, Any]]]:
    """The demo's Priya Raman handover interview: (question, answer) pairs."""
    demo = yaml.safe_load((ROOT / "retain" / "demo" / "demo.yaml").read_text(encoding="utf-8"))
    spec = next(i for i in demo["interviews"] if i["ref"] == "demo-priya-handover")
    return list((spec.get("answers") or {}).items())


def drafts(answer: dict[str, Any]) -> list[dict[str, Any]]:
    """The saves typing this answer makes: growing prefixes of the text, or each list row added."""
    if answer.get("items"):
        items = answer["items"]
        return [{"items": items[:n]} for n in range(1, len(items) + 1)]
    text = str(answer.get("text") or "")
    cuts = [*range(CHARS_PER_SAVE, len(text), CHARS_PER_SAVE), len(text)]
    return [{"text": text[:cut]} for cut in cuts]


def type_interview(services: Services, counter: Counter, old: bool) -> dict[str, Any]:
    """Type the interview into a new interview with the old or the new protocol."""
    interviews, extraction = services.interviews, services.extraction
    interview_id = interviews.start("handover", "Bench Typist" + (" Old" if old else " New")).id or 0
    saves: list[Tally] = []
    pauses: list[Tally] = []
    leaving: list[Tally] = []
    runs_before = extractor_runs(services)
    for question, answer in realistic_interview():
        steps = drafts(answer)
        for step in steps:
            with counter.measure(saves):
                saved = interviews.save(interview_id, question, **step)
        # A pause after the answer: the live preview runs on what is on screen.
        body = saved.body
        with counter.measure(pauses):
            preview = extraction.preview(body) if body.strip() else None
            if old:
                interviews.progress(interview_id)
                extraction.extract_answers([saved.id or 0])
            else:
                extraction.store_extraction(saved.id or 0, body, preview)
            services.reports.show(interview_id, include_confidential=False)
    with counter.measure(leaving):
        if not old:
            extraction.refresh_derived([interview_id])
    answers = len(realistic_interview())
    return {
        "interview": interview_id,
        "saves": saves,
        "pauses": pauses,
        "leaving": leaving,
        "spacy_per_pause": (extractor_runs(services) - runs_before) / answers,
    }


def extractor_runs(services: Services) -> int:
    extractor = services.extraction.extractor()
    return extractor.runs if isinstance(extractor, CountingExtractor) else 0


def mean(tallies: list[Tally], field: str) -> float:
    return float(sum(getattr(t, field) for t in tallies)) / max(len(tallies), 1)


def mentions_of(services: Services, interview_id: int) -> list[tuple[str, str, str, int, int]]:
    with services.engine.connect() as conn:
        rows = conn.execute(
            select(Mention.text, Mention.label, Mention.key, Mention.start, Mention.end)  # type: ignore[call-overload]
            .where(Mention.interview_id == interview_id)
        ).all()
    return sorted((r[0], r[1], r[2], r[3], r[4]) for r in rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="database URL (default: a temp SQLite file)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="retain-bench-save-"))
    settings = load_settings(db=args.db or str(folder / "bench.db"), data_dir=str(folder))
    inner = load_extractor(settings)
    counting = CountingExtractor(inner)
    factory: Callable[[], Extractor] = lambda: counting  # noqa: E731
    services = open_services(settings, extractor_factory=factory)
    started = time.perf_counter()
    demo = services.demo.load()  # a realistic store around the interview: 13 interviews
    services.extraction.extract_answers(demo.new_answer_ids)
    counter = Counter(services.engine)
    old = type_interview(services, counter, old=True)
    new = type_interview(services, counter, old=False)

    # Reference: the new path stores what extract_answers stores for the same answers.
    stored = mentions_of(services, new["interview"])
    ids = [a.id or 0 for a in services.interviews.answers(new["interview"])]
    services.extraction.extract_answers(ids)
    reference = mentions_of(services, new["interview"])
    typed = {q: a for q, a in realistic_interview()}
    final = {a.question_id: a for a in services.interviews.answers(new["interview"])}
    texts_ok = all(final[q].text == str(a.get("text") or "") and final[q].items == (a.get("items") or [])
                   for q, a in typed.items())

    backend = services.engine.dialect.name
    print(f"save path on {backend}: the demo's Priya Raman handover interview re-typed "
          f"({len(typed)} answers, {len(new['saves'])} saves while typing, one pause per answer)")
    print(f"{'':40}{'before':>10}{'after':>10}{'ratio':>8}")

    def row(label: str, before: float, after: float) -> None:
        ratio = f"{before / after:.1f}x" if after else "-"
        print(f"{label:40}{before:>10.1f}{after:>10.1f}{ratio:>8}")

    # Before: each pause saved the answer and then did all the rest.
    old_save = mean(old["saves"], "statements")
    old_pause = mean(old["pauses"], "statements")
    row("statements per save", old_save + old_pause, mean(new["saves"], "statements"))
    row("write transactions per save",
        mean(old["saves"], "write_transactions") + mean(old["pauses"], "write_transactions"),
        mean(new["saves"], "write_transactions"))
    row("transactions per save", mean(old["saves"], "transactions") + mean(old["pauses"], "transactions"),
        mean(new["saves"], "transactions"))
    row("statements per pause (extract+report)", old_pause, mean(new["pauses"], "statements"))
    row("spaCy runs per pause", old["spacy_per_pause"], new["spacy_per_pause"])
    print(f"store-wide passes: before on every pause; after once on leaving "
          f"({mean(new['leaving'], 'statements'):.0f} statements)")
    print("(the issue measured the old screen at 23 statements in 6 write transactions per save, "
          "plus 7 for the report)")
    print(f"reference: mentions equal extract_answers' {'yes' if stored == reference else 'NO'} "
          f"({len(stored)} mentions); final texts equal what was typed: {'yes' if texts_ok else 'NO'}")
    print(f"took {time.perf_counter() - started:.1f} s; load average {os.getloadavg()[0]:.2f}")
    services.close()
    if stored != reference or not texts_ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
