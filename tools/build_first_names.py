"""Grow retain/nlp/data/first_names.txt with the Latin-script given names of Faker's locales.

Run: ``pip install -e '.[lists]' && python tools/build_first_names.py``.
Neither package is a dependency of retain: the list they produce is committed, and a second run
adds nothing. The hand-written names and their marks are kept as they are. A new name is left
out when it is also an English word, a place, a known system or organisation, a month or a day
("Faith", "Chase", "Paris", "Breda"), or an English surname ("Hartwell", "Maddox"): even marked ``*``
such a name would still fire before a capitalised word, which is how firms are named
("Fleet Alliance", "Hartwell Engineering").
Faker is MIT licensed; english-words' GCIDE list is GPL-3.0 data, read only at build time to
decide the marks and never shipped.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from retain.nlp.terms import fold_accents, gazetteer_terms, organisation_terms  # noqa: E402

TARGET = ROOT / "retain" / "nlp" / "data" / "first_names.txt"
PLACES = ROOT / "retain" / "nlp" / "data" / "places.txt"
CALENDAR = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday",
}
# Locale attributes that hold given names in Latin script (ja_JP and zh_CN keep them apart).
ATTRIBUTES = ("first_names", "first_names_male", "first_names_female", "first_romanized_names")
PER_LINE = 18


def _latin_word(name: str) -> bool:
    """One capitalised word of Latin letters (apostrophes allowed: "D'Arcy"), three or more long."""
    if len(name) < 3 or not name[0].isupper() or " " in name or "-" in name:
        return False
    return all(ch == "'" or (ch.isalpha() and "LATIN" in unicodedata.name(ch, "")) for ch in name) \
        and not name.isupper()


def faker_names() -> set[str]:
    """Every Latin-script given name in Faker's person providers, all locales."""
    from faker.providers import person

    names: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        provider = importlib.import_module(f"faker.providers.person.{module.name}").Provider
        for attribute in ATTRIBUTES:
            values = getattr(provider, attribute, ())
            if not isinstance(values, (tuple, list, dict)):  # some locales compute it (a property)
                continue
            for name in values:
                name = unicodedata.normalize("NFC", str(name).strip())
                if _latin_word(name):
                    names.add(name)
    return names


def english_surnames() -> set[str]:
    """The surnames of Faker's English-language locales, casefolded."""
    from faker.providers import person

    surnames: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        if module.name == "en" or module.name.startswith("en_"):
            provider = importlib.import_module(f"faker.providers.person.{module.name}").Provider
            values = getattr(provider, "last_names", ())
            if isinstance(values, (tuple, list, dict)):
                surnames |= {str(name).casefold() for name in values}
    return surnames


def city_names() -> set[str]:
    """One-word city and town names of Faker's locales ("Breda", "Kandy"), casefolded."""
    from faker.providers import address

    cities: set[str] = set()
    for module in pkgutil.iter_modules(address.__path__):
        provider = importlib.import_module(f"faker.providers.address.{module.name}").Provider
        for attribute in ("cities", "city_names", "municipalities", "real_city_names", "towns"):
            values = getattr(provider, attribute, ())
            if isinstance(values, (tuple, list, dict)):
                cities |= {str(name).casefold() for name in values if " " not in str(name)}
    return cities


def ordinary_words() -> set[str]:
    """Words, places and surnames a given name can be mistaken for, casefolded."""
    from english_words import get_english_words_set

    words = set(get_english_words_set(["gcide"], lower=True, alpha=True))
    words |= {line.strip().casefold() for line in PLACES.read_text(encoding="utf-8").splitlines()
              if line.strip() and not line.startswith("#")}
    # A system or organisation the lists know ("Athena", "Sage") is no lone first name either.
    words |= {variant.casefold() for term in gazetteer_terms() + organisation_terms() for variant in term.variants}
    return words | CALENDAR | english_surnames() | city_names()


def main() -> None:
    """Append the new names, in sorted lines, under a header naming their source."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    text = TARGET.read_text(encoding="utf-8")
    known = {word.rstrip("*") for line in text.splitlines() if not line.startswith("#") for word in line.split()}
    words = ordinary_words()
    # "Lucía" is already in when "Lucia" is: the list is read with accents folded.
    new = sorted(n for n in faker_names() - known if fold_accents(n) not in known
                 and n.casefold() not in words and fold_accents(n).casefold() not in words)
    if not new:
        print(f"{TARGET.name}: nothing to add ({len(known)} names)")
        return
    lines = [" ".join(new[i:i + PER_LINE]) for i in range(0, len(new), PER_LINE)]
    header = "# Added by tools/build_first_names.py from Faker 40.63.0's locales (MIT)."
    if header not in text:
        lines.insert(0, header)
    TARGET.write_text(text.rstrip("\n") + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"{TARGET.name}: {len(new)} names added, {len(known) + len(new)} in all")


if __name__ == "__main__":
    main()
