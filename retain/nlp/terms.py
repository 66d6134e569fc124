"""Named terms for the rule components: the shipped software gazetteer and the org glossary."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from retain.errors import ConfigError
from retain.yamlsafe import YamlLimitError, load_bounded

# The C loader, where PyYAML has it, reads the shipped lists about ten times faster.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Labels a glossary term may carry; SYSTEM is the default (in-house systems and acronyms).
GLOSSARY_LABELS: tuple[str, ...] = ("SYSTEM", "ORG", "PERSON", "GPE", "LOC", "PRODUCT", "EVENT", "FAC")


@dataclass(frozen=True)
class Term:
    """One named thing the rules recognise, with every spelling that means it.

    Attributes:
        name: The canonical name; its normalised form is the key every variant maps to.
        label: The entity label given to matches (``SYSTEM`` for the gazetteer).
        aliases: Variants matched case-insensitively ("Jira Cloud", "JIRA").
        exact: Variants that are also ordinary words ("Slack", "Word"), matched only with
            exactly this capitalisation.
        company: The product is named after its vendor, so "at Salesforce" means the company.
        source: ``gazetteer`` or the glossary file it came from.
    """

    name: str
    label: str = "SYSTEM"
    aliases: tuple[str, ...] = ()
    exact: tuple[str, ...] = ()
    company: bool = False
    source: str = "gazetteer"

    @property
    def loose_variants(self) -> tuple[str, ...]:
        """Variants matched case-insensitively (the name too, unless it is listed as exact)."""
        exact = set(self.exact)
        return tuple(v for v in (self.name, *self.aliases) if v not in exact)

    @property
    def variants(self) -> tuple[str, ...]:
        """Every spelling of the term."""
        return (self.name, *self.aliases, *self.exact)


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str | int | float) for v in value):
        raise ConfigError(f"{where}: expected a list of strings")
    return tuple(str(v).strip() for v in value if str(v).strip())


@lru_cache(maxsize=1)
def gazetteer_terms() -> tuple[Term, ...]:
    """The shipped gazetteer of widely used software (``retain/nlp/data/gazetteer.yaml``)."""
    source = resources.files("retain.nlp").joinpath("data", "gazetteer.yaml")
    data = yaml.load(source.read_text(encoding="utf-8"), Loader=_LOADER)
    terms: list[Term] = []
    for entries in data["categories"].values():
        for entry in entries:
            terms.append(
                Term(
                    name=str(entry["name"]),
                    aliases=_strings(entry.get("aliases"), "gazetteer"),
                    exact=_strings(entry.get("exact"), "gazetteer"),
                    company=bool(entry.get("company", False)),
                )
            )
    return tuple(terms)


@lru_cache(maxsize=1)
def organisation_terms() -> tuple[Term, ...]:
    """Widely known organisations (``retain/nlp/data/organisations.yaml``), matched exactly as written."""
    source = resources.files("retain.nlp").joinpath("data", "organisations.yaml")
    data = yaml.load(source.read_text(encoding="utf-8"), Loader=_LOADER)
    return tuple(
        Term(name=str(name), label="ORG", exact=(str(name),))
        for names in data["organisations"].values()
        for name in names
    )


def fold_accents(text: str) -> str:
    """``text`` without diacritics: "Lucía" -> "Lucia", "Oisín" -> "Oisin" (ASCII text is returned as is)."""
    if text.isascii():
        return text
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


class NameSet(frozenset[str]):
    """Given names; a name typed with accents is in the set when its unaccented form is.

    People type "Lucía" or "Lucia", "Gráinne" or "Grainne": one list of unaccented names (the
    accented ones are folded as they are read) serves both, with no lookup cost for ASCII text.
    """

    def __contains__(self, item: object) -> bool:
        if super().__contains__(item):
            return True
        return isinstance(item, str) and not item.isascii() and super().__contains__(fold_accents(item))


@lru_cache(maxsize=1)
def first_names() -> tuple[NameSet, NameSet]:
    """Common given names: ``(plain, ambiguous)``; ambiguous ones (Mark, Grace) need a surname."""
    source = resources.files("retain.nlp").joinpath("data", "first_names.txt")
    plain: set[str] = set()
    ambiguous: set[str] = set()
    for line in source.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        for word in line.split():
            if word.endswith("*"):
                ambiguous.update({word[:-1], fold_accents(word[:-1])})
            else:
                plain.update({word, fold_accents(word)})
    return NameSet(plain), NameSet(ambiguous)


@lru_cache(maxsize=1)
def place_names() -> frozenset[str]:
    """Countries, regions, UK and Irish towns, US states and large cities, casefolded."""
    source = resources.files("retain.nlp").joinpath("data", "places.txt")
    return frozenset(line.strip().casefold() for line in source.read_text(encoding="utf-8").splitlines()
                     if line.strip() and not line.startswith("#"))


def _looks_like_acronym(text: str) -> bool:
    # Short all-capital glossary entries ("PB", "GL") are acronyms: matching them in lower case
    # would also hit ordinary words ("pb", "gl" are rare, but "AIM" or "ACE" are not).
    return text.isupper() and len(text.replace(" ", "")) <= 5


def load_glossary(path: Path | None) -> tuple[Term, ...]:
    """Read an organisation glossary: in-house systems, vendors and acronyms.

    The file is YAML::

        terms:
          - {term: PayBridge, label: SYSTEM, aliases: [Pay Bridge, PB interface]}
          - {term: Northwind Bank, label: ORG}

    Args:
        path: The glossary file (``RETAIN_GLOSSARY``); ``None`` means no glossary.

    Returns:
        The glossary's terms (empty without a glossary).

    Raises:
        ConfigError: If the file is missing or malformed; the message names file:line.
    """
    if path is None:
        return ()
    path = Path(path).expanduser()
    if not path.is_file():
        raise ConfigError(f"glossary file {path} not found; fix RETAIN_GLOSSARY or remove it")
    try:
        text = path.read_text(encoding="utf-8")
        loaded = load_bounded(text)
        root = loaded.node
    except OSError as exc:
        raise ConfigError(f"cannot read the glossary {path}: {exc.strerror}; fix its permissions or RETAIN_GLOSSARY") from exc
    except YamlLimitError as exc:
        raise ConfigError(f"glossary {path}:{exc.line}: {exc.message}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"glossary {path} is not UTF-8 text; save it as UTF-8") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ConfigError(f"glossary {path}{line}: {problem}; fix the YAML syntax") from exc
    shape = f"glossary {path}: expected `terms:` with a list of {{term, label, aliases}}"
    if root is None:
        return ()
    data = loaded.data
    if not isinstance(data, dict) or not isinstance(data.get("terms"), list):
        raise ConfigError(shape)
    nodes = next((v for k, v in root.value if getattr(k, "value", None) == "terms"), None)
    lines = [n.start_mark.line + 1 for n in getattr(nodes, "value", [])]
    terms: list[Term] = []
    for index, entry in enumerate(data["terms"]):
        where = f"glossary {path}:{lines[index] if index < len(lines) else '?'}"
        if isinstance(entry, str):
            entry = {"term": entry}
        if not isinstance(entry, dict):
            raise ConfigError(f"{where}: each term must be a mapping such as {{term: PayBridge}}")
        unknown = sorted(set(entry) - {"term", "label", "aliases", "exact"})
        if unknown:
            raise ConfigError(f"{where}: unknown key {unknown[0]!r}; use term, label, aliases, exact")
        name = str(entry.get("term") or "").strip()
        if not name:
            raise ConfigError(f"{where}: a term has no `term:`; give its name")
        label = str(entry.get("label") or "SYSTEM").strip().upper()
        if label not in GLOSSARY_LABELS:
            raise ConfigError(f"{where}: unknown label {label!r}; use one of {', '.join(GLOSSARY_LABELS)}")
        aliases = _strings(entry.get("aliases"), where)
        exact = _strings(entry.get("exact"), where)
        exact += tuple(v for v in (name, *aliases) if _looks_like_acronym(v) and v not in exact)
        terms.append(Term(name=name, label=label, aliases=aliases, exact=exact, source=str(path)))
    return tuple(terms)


__all__ = [
    "GLOSSARY_LABELS",
    "Term",
    "first_names",
    "gazetteer_terms",
    "load_glossary",
    "organisation_terms",
    "place_names",
]
