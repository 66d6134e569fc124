"""Exact ranking: the top hits equal a full ranking of every match, however many answers match."""

from __future__ import annotations

import random

from sqlalchemy import bindparam, text
from sqlmodel.sql.sqltypes import UTCDateTime

from retain.clock import utcnow
from retain.services import Services
from retain.store.search.sqlite import BM25

FILLER = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu", "nu", "xi", "omicron", "pi"]


def _bulk(services: Services, interview: int, bodies: list[str]) -> None:
    now = utcnow()
    with services.search.bulk_load(expected=len(bodies)) as connection:
        for index, body in enumerate(bodies):
            connection.execute(
                text(
                    "INSERT INTO answer (interview_id, question_id, section_id, prompt, text, items, body, "
                    "visibility, skipped, created_at, updated_at) VALUES (:i, :q, '', 'Prompt?', :b, '[]', :b, "
                    "'shareable', false, :now, :now)"
                ).bindparams(bindparam("now", now, type_=UTCDateTime())),
                {"i": interview, "q": f"q{index}", "b": body},
            )


def _reference(services: Services, match: str, tsquery: str) -> list[int]:
    """Every match ranked by the documented scoring, computed without any LIMIT."""
    with services.engine.connect() as connection:
        if services.engine.dialect.name == "sqlite":
            rows = connection.execute(
                text(f"SELECT rowid, {BM25} FROM answer_fts WHERE answer_fts MATCH :q"), {"q": match}
            ).all()
            return [int(r[0]) for r in sorted(rows, key=lambda r: (float(r[1]), -int(r[0])))]
        rows = connection.execute(
            text(
                "SELECT id, ts_rank(search_vector, to_tsquery('retain_search', :q), 1) FROM answer "
                "WHERE search_vector @@ to_tsquery('retain_search', :q)"
            ),
            {"q": tsquery},
        ).all()
        return [int(r[0]) for r in sorted(rows, key=lambda r: (-float(r[1]), -int(r[0])))]


def test_the_best_old_answer_wins_beyond_the_old_candidate_bound(services: Services) -> None:
    """Regression: more than 500 matches used to rank only the newest 500."""
    interview = services.interviews.start("handover", "Cleo Park").id or 0
    rng = random.Random(3)
    bodies = ["Ledger ledger ledger: the ledger close."]  # the oldest, and the best
    for _ in range(700):
        words = rng.choices(FILLER, k=rng.randint(8, 60))
        words.insert(rng.randrange(len(words)), "ledger")
        bodies.append(" ".join(words))
    _bulk(services, interview, bodies)
    hits = services.search.search("ledger", limit=20)
    assert hits[0].snippet.startswith("**Ledger**")
    reference = _reference(services, '"ledger"', "'ledger'")
    assert len(reference) == 701
    assert [hit.answer_id for hit in hits] == reference[:20]


def test_filtered_ranking_is_the_full_ranking_restricted(services: Services) -> None:
    """The filter-first plan ranks with the index-wide statistics, like the full ranking."""
    rng = random.Random(4)
    people = []
    for name in ("Dana Roe", "Eli Moss"):
        interview = services.interviews.start("handover", name).id or 0
        people.append(interview)
        bodies = []
        for _ in range(40):
            words = rng.choices(FILLER, k=rng.randint(5, 50))
            words += ["ledger"] * rng.randint(1, 4)
            rng.shuffle(words)
            bodies.append(" ".join(words))
        _bulk(services, interview, bodies)
    reference = _reference(services, '"ledger"', "'ledger'")
    with services.engine.connect() as connection:
        dana = {int(r[0]) for r in connection.execute(text("SELECT id FROM answer WHERE interview_id = :i"), {"i": people[0]})}
    expected = [answer_id for answer_id in reference if answer_id in dana][:10]
    hits = services.search.search("ledger", person="dana", limit=10)
    assert [hit.answer_id for hit in hits] == expected
    backend = services.search.backend
    if hasattr(backend, "filter_first_limit"):
        backend.filter_first_limit = 0
        assert [hit.answer_id for hit in services.search.search("ledger", person="dana", limit=10)] == expected
