"""The spaCy extractor: model resolution with fallback, batching, long texts, worker processes."""

from __future__ import annotations

import multiprocessing
import threading
import warnings
from collections import deque
from collections.abc import Iterable, Iterator, Sequence, Sized
from contextlib import AbstractContextManager, nullcontext
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import Any

from retain.nlp.extractor import (
    INSTALL_HINT,
    STORED_LABELS,
    ExtractedMention,
    Extraction,
    ModelFallbackWarning,
    model_installed,
)
from retain.nlp.normalize import KeyMap
from retain.nlp.spans import clean_text
from retain.nlp.terms import gazetteer_terms, load_glossary
from retain.nlp.topics import doc_phrases, fallback_phrases

# Components the extraction needs: noun chunks need the tagger, attribute_ruler and parser
# (POS and dependencies), lemmas need the lemmatizer, entities need ner. Anything else a custom
# model carries (textcat, senter, ...) is removed so it costs nothing.
NEEDED_COMPONENTS = frozenset({"tok2vec", "transformer", "tagger", "morphologizer", "parser",
                               "attribute_ruler", "lemmatizer", "ner"})
# Texts longer than this are split (at paragraph, line or sentence breaks) before parsing:
# the parser's memory grows with the length of a text, and nlp.max_length must never bite.
CHUNK_CHARS = 50_000
# Only the first 1,100,000 characters of an answer (a 1 MB answer, about 400 pages) are
# analysed: a 5 MB paste would otherwise hold the extraction lock for minutes. Search still
# covers all of it.
MAX_EXTRACT_CHARS = 1_100_000
# Texts handled under one lock and one memory zone; bounds memory on long runs.
WINDOW_TEXTS = 1_000
WINDOW_CHARS = 2_000_000
# Texts sent to a worker process at a time, and how few texts are not worth the processes.
PARALLEL_WINDOW = 128
MIN_PARALLEL_TEXTS = 200

_stored = frozenset(STORED_LABELS)
_WORKER: SpacyExtractor | None = None


def split_text(text: str, limit: int = CHUNK_CHARS) -> list[tuple[str, int]]:
    """Split a long text into ``(chunk, offset)`` pieces of at most ``limit`` characters.

    Cuts prefer a paragraph break, then a line break, then a sentence end, then a space, in
    the second half of each window, so that entities are rarely cut in two.
    """
    if len(text) <= limit:
        return [(text, 0)]
    pieces: list[tuple[str, int]] = []
    start = 0
    while start < len(text):
        end = min(start + limit, len(text))
        if end < len(text):
            floor = start + limit // 2
            for sep in ("\n\n", "\n", ". ", " "):
                cut = text.rfind(sep, floor, end)
                if cut != -1:
                    end = cut + len(sep)
                    break
        pieces.append((text[start:end], start))
        start = end
    return pieces


_COMPANY_ABBREVIATIONS = frozenset({"Ltd.", "Inc.", "Corp.", "Bros.", "Co."})


def _split_final_period(nlp: Any) -> None:
    """Make "processed in ImageJ." and "posted to SAP." end in a separate full stop.

    spaCy keeps a full stop after a capital letter attached (for "U.S."), which hides names
    such as ImageJ, SAP or AWS at the end of a sentence from the matchers and the NER.
    """
    import re

    search = nlp.tokenizer.suffix_search
    pattern = getattr(getattr(search, "__self__", None), "pattern", None)
    if isinstance(pattern, str):
        nlp.tokenizer.suffix_search = re.compile(pattern + r"|(?<=[A-Za-z0-9][A-Z])\.$").search
    # "done by Maxwell Freight Ltd." ends a sentence far more often than "Ltd." abbreviates
    # mid-sentence: the company is "Maxwell Freight Ltd", the full stop is punctuation.
    rules = getattr(nlp.tokenizer, "rules", None)
    if isinstance(rules, dict) and any(k in rules for k in _COMPANY_ABBREVIATIONS):
        nlp.tokenizer.rules = {k: v for k, v in rules.items() if k not in _COMPANY_ABBREVIATIONS}


class SpacyExtractor:
    """The :class:`~retain.nlp.extractor.Extractor` on spaCy, with retain's rule component.

    Args:
        models: Model names or paths to try in order (see ``model_candidates``).
        glossary: An organisation glossary file (``RETAIN_GLOSSARY``), or ``None``.
        configured: The model the user asked for; failing to load it is warned about.
        chunk_chars: Longest text parsed in one piece.
        tuned_ner: Use retain's fine-tuned entity recogniser when the model is one it fits
            (``False`` gives the stock model's, as the training tool needs).

    Attributes:
        model_name: The model actually loaded (``"blank:en"`` for the rule-only fallback).
        warning: Why a fallback happened, for a UI to show; ``None`` when all went to plan.
        ner_tuned: Whether the fine-tuned recogniser replaced the model's own.
    """

    def __init__(
        self,
        models: Sequence[str],
        glossary: Path | None = None,
        *,
        configured: str | None = None,
        chunk_chars: int = CHUNK_CHARS,
        tuned_ner: bool = True,
    ) -> None:
        self.models = list(models)
        self.glossary = glossary
        self.configured = configured
        self.chunk_chars = chunk_chars
        self.tuned_ner = tuned_ner
        self.ner_tuned = False
        self.model_name: str | None = None
        self.warning: str | None = None
        self._nlp: Any = None
        self._keys: KeyMap | None = None
        self._has_parser = False
        self._lock = threading.RLock()

    # -- loading ----------------------------------------------------------------------------
    @property
    def nlp(self) -> Any:
        """The loaded ``spacy.Language`` (loads it on first use)."""
        self.load()
        return self._nlp

    @property
    def fallback(self) -> bool:
        """Whether no statistical model could be loaded (rules only)."""
        self.load()
        return self.model_name == "blank:en"

    def load(self) -> None:
        """Load the first usable model and add the rule component; warn about any fallback."""
        if self._nlp is not None:
            return
        with self._lock:
            if self._nlp is not None:
                return
            import spacy

            import retain.nlp.rules as rules  # registers the component factory

            problems: list[str] = []
            nlp: Any = None
            for name in self.models:
                if not model_installed(name):
                    if name == self.configured:
                        problems.append(f"{name!r} is not installed")
                    continue
                try:
                    nlp = spacy.load(name)
                except Exception as exc:  # a corrupt model can raise almost anything
                    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                    problems.append(f"{name!r} could not be loaded ({detail[:200]})")
                    continue
                self.model_name = name
                break
            if nlp is None:
                nlp = spacy.blank("en")
                self.model_name = "blank:en"
                problems.append("no spaCy model is installed")
                self.warning = (
                    f"{'; '.join(problems)}: extracting with rules only (systems, e-mails, URLs, "
                    f"rhythms; no people or topics from a model). Install one: {INSTALL_HINT}"
                )
            elif problems:
                self.warning = f"spaCy model {'; '.join(problems)}; using {self.model_name} instead"
            _split_final_period(nlp)
            if self.tuned_ner:
                from retain.nlp.tuned_ner import use_tuned_ner

                self.ner_tuned = use_tuned_ner(nlp)
            for pipe in list(nlp.pipe_names):
                if pipe not in NEEDED_COMPONENTS:
                    nlp.remove_pipe(pipe)
            if "lemmatizer" in nlp.pipe_names or "attribute_ruler" in nlp.pipe_names:
                from retain.nlp.attributes import speed_up_attribute_ruler
                from retain.nlp.lemmas import speed_up_lemmatizer

                # The same POS, morphology and lemmas, by table look-up instead of per-token work.
                speed_up_attribute_ruler(nlp)
                speed_up_lemmatizer(nlp)
            nlp.add_pipe(rules.COMPONENT, last=True,
                         config={"glossary": str(self.glossary) if self.glossary else None})
            self._has_parser = "parser" in nlp.pipe_names
            self._keys = KeyMap((*load_glossary(self.glossary), *gazetteer_terms()))
            self._nlp = nlp
        if self.warning:
            warnings.warn(self.warning, ModelFallbackWarning, stacklevel=2)

    # -- extraction -------------------------------------------------------------------------
    def extract(self, text: str) -> Extraction:
        """Extract one text; a failure comes back as ``Extraction(error=...)``, never raised."""
        return self._extract_window([text], batch_size=1)[0]

    def extract_many(
        self, texts: Iterable[str], *, n_process: int = 1, batch_size: int = 64
    ) -> Iterator[Extraction]:
        """Extract texts in batches with ``nlp.pipe``, yielding one result per text, in order.

        Args:
            texts: Any iterable; it is read lazily, a window at a time.
            n_process: Worker processes. Small inputs (a sized iterable of fewer than 200
                texts) always run in this process: starting workers would cost more.
            batch_size: Texts per ``nlp.pipe`` batch.

        Yields:
            One :class:`Extraction` per text; a text that fails carries ``error``.
        """
        self.load()
        if isinstance(texts, Sized) and len(texts) < MIN_PARALLEL_TEXTS:
            n_process = 1
        if n_process > 1:
            yield from self._extract_parallel(texts, n_process, batch_size)
            return
        window: list[str] = []
        chars = 0
        for text in texts:
            window.append(text)
            chars += len(text)
            if len(window) >= WINDOW_TEXTS or chars >= WINDOW_CHARS:
                yield from self._extract_window(window, batch_size)
                window, chars = [], 0
        if window:
            yield from self._extract_window(window, batch_size)

    def _memory_zone(self) -> AbstractContextManager[Any]:
        # Strings interned while parsing a window are freed when it ends, so a long run does
        # not grow the vocabulary without bound (spaCy >= 3.8).
        zone = getattr(self._nlp, "memory_zone", None)
        return zone() if zone is not None else nullcontext()

    def _extract_window(self, texts: Sequence[str], batch_size: int) -> list[Extraction]:
        self.load()
        with self._lock, self._memory_zone():
            try:
                return self._run(texts, batch_size)
            except Exception:
                # One text broke its batch: redo the window one text at a time, so only the
                # text that fails is reported and the rest carry on.
                return [self._run_one_safely(text) for text in texts]

    def _run_one_safely(self, text: str) -> Extraction:
        try:
            return self._run([text], 1)[0]
        except Exception as exc:
            return Extraction([], [], error=f"{type(exc).__name__}: {str(exc)[:200]}")

    def _run(self, texts: Sequence[str], batch_size: int) -> list[Extraction]:
        mentions: list[list[ExtractedMention]] = [[] for _ in texts]
        phrases: list[list[str]] = [[] for _ in texts]
        # Invisible characters (a BOM, zero-width spaces) become spaces, offsets unchanged.
        pieces = [
            (clean_text(chunk), (index, offset))
            for index, text in enumerate(texts)
            if text and not text.isspace()
            for chunk, offset in split_text(text[:MAX_EXTRACT_CHARS], self.chunk_chars)
        ]
        keys = self._keys
        assert keys is not None
        for doc, (index, offset) in self._nlp.pipe(pieces, as_tuples=True, batch_size=batch_size):
            found = mentions[index]
            for ent in doc.ents:
                label = ent.label_
                if label in _stored:
                    text = ent.text
                    found.append(ExtractedMention(text, label, ent.start_char + offset,
                                                  ent.end_char + offset, keys.key(text)))
            phrases[index].extend(doc_phrases(doc) if self._has_parser else fallback_phrases(doc))
        return [Extraction(m, p) for m, p in zip(mentions, phrases, strict=True)]

    # -- worker processes -------------------------------------------------------------------
    def _extract_parallel(self, texts: Iterable[str], n_process: int, batch_size: int) -> Iterator[Extraction]:
        global _WORKER
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        context = multiprocessing.get_context(method)
        # Forked workers inherit the loaded pipeline (copy-on-write), so nothing reloads.
        _WORKER = self
        spec = (self.models, self.glossary, self.configured, self.chunk_chars)
        with context.Pool(n_process, initializer=_init_worker, initargs=(spec,)) as pool:
            pending: deque[AsyncResult[list[Extraction]]] = deque()
            window: list[str] = []
            # At most two windows in flight per worker: memory stays bounded however many
            # texts the caller streams in.
            for text in texts:
                window.append(text)
                if len(window) >= PARALLEL_WINDOW:
                    pending.append(pool.apply_async(_worker_extract, (window, batch_size)))
                    window = []
                    while len(pending) >= 2 * n_process:
                        yield from pending.popleft().get()
            if window:
                pending.append(pool.apply_async(_worker_extract, (window, batch_size)))
            while pending:
                yield from pending.popleft().get()


def _init_worker(spec: tuple[list[str], Path | None, str | None, int]) -> None:
    global _WORKER
    if _WORKER is None:  # spawned, not forked: build and load our own pipeline
        models, glossary, configured, chunk_chars = spec
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ModelFallbackWarning)
            _WORKER = SpacyExtractor(models, glossary, configured=configured, chunk_chars=chunk_chars)
            _WORKER.load()
    # A lock another thread held at fork time would never be released in the child.
    _WORKER._lock = threading.RLock()


def _worker_extract(texts: list[str], batch_size: int) -> list[Extraction]:
    assert _WORKER is not None
    return _WORKER._extract_window(texts, batch_size)


__all__ = ["CHUNK_CHARS", "NEEDED_COMPONENTS", "SpacyExtractor", "split_text"]
