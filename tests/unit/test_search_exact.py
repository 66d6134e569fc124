"""Exact ranking: the top hits equal a full ranking of every match, however many answers match."""

from __future__ import annotations

import random

from sqlalchemy import text

from retain.clock import utcnow
from retain.services import Services
from retain.store.search import SearchFilters, parse_query
from retain.store.search.backend import IndexedSearch
from retain.store.search.bulk import BulkAnswer

FILLER = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu", "nu", "xi", "omicron", "pi"]


def _bulk(services: Services, interview: int, bodies: list[str]) -> None:
    now = utcnow()
    with services.search.bulk_load() as load:
        load.add_answers(BulkAnswer(interview, f"q{index}", "Prompt?", body, "shareable", now, now)
                         for index, body in enumerate(bodies))


def _reference(services: Services, query: str, filters: SearchFilters | None = None) -> list[int]:
    """Every match ranked by the same scoring as search, with no LIMIT: the whole ranking."""
    backend = services.search.backend
    assert isinstance(backend, IndexedSearch)
    searcher = backend.index.current()
    compiled = backend.compile(parse_query(query), filters or SearchFilters(), searcher)
    assert compiled is not None
    found = searcher.search(compiled, limit=searcher.num_docs)
    assert found.count == len(found.hits)  # every match came back
    ids = searcher.fast_field_values("id", [address for _score, address in found.hits])
    ranked = sorted(zip((int(i) for i in ids), (float(score) for score, _a in found.hits), strict=True),
                    key=lambda pair: (-pair[1], -pair[0]))
    return [answer_id for answer_id, _score in ranked]


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
    reference = _reference(services, "ledger")
    assert len(reference) == 701
    assert reference[0] == min(reference)  # the oldest answer is the best
    assert [hit.answer_id for hit in hits] == reference[:20]


def test_filtered_ranking_is_the_full_ranking_restricted(services: Services) -> None:
    """A filter restricts the ranking without changing it: scores use the index-wide statistics."""
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
    reference = _reference(services, "ledger")
    with services.engine.connect() as connection:
        dana = {int(r[0]) for r in connection.execute(text("SELECT id FROM answer WHERE interview_id = :i"), {"i": people[0]})}
    expected = [answer_id for answer_id in reference if answer_id in dana][:10]
    hits = services.search.search("ledger", person="dana", limit=10)
    assert [hit.answer_id for hit in hits] == expected
    # The filter compiled into the index query ranks the same way as the full ranking cut down.
    assert _reference(services, "ledger", SearchFilters(person="dana"))[:10] == expected
    assert len(_reference(services, "ledger", SearchFilters(person="dana"))) == len(dana)


def test_one_index_search_unless_a_tie_crosses_the_cut(services: Services) -> None:
    """Regression: every query with more hits than the limit used to be searched twice."""
    interview = services.interviews.start("handover", "Cleo Park").id or 0
    rng = random.Random(5)
    bodies = [" ".join(["ledger"] * (1 + n % 7) + rng.choices(FILLER, k=5 + n)) for n in range(60)]
    _bulk(services, interview, bodies)
    backend = services.search.backend
    hits = services.search.search("ledger", limit=5)
    assert len(hits) == 5 and backend.last_fetches == 1
    # Equal scores at the cut: the whole tie is fetched, then ordered newest first.
    other = services.interviews.start("handover", "Dana Roe").id or 0
    _bulk(services, other, ["quokka ledger"] * 200)
    tied = services.search.search("quokka", limit=5)
    assert backend.last_fetches == 2
    assert [hit.answer_id for hit in tied] == sorted((hit.answer_id for hit in tied), reverse=True)
