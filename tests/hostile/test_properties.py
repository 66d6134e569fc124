"""Property-based tests: any string parses and searches the real index, and guides and answers round-trip."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, text

from retain.config import database_url, load_settings
from retain.errors import InvalidInput
from retain.guides.loader import parse_guide
from retain.guides.schema import Guide, Question, Section
from retain.services import Services, open_services
from retain.store.search import SearchFilters
from retain.store.search.backend import IndexedSearch
from retain.store.search.compile import QueryCompiler
from retain.store.search.query import MAX_QUERY_CHARS, check_query, parse_query
from tests.conftest import PG_URL, _sqlite_url, shared_extractor

# Query text: ordinary words mixed with every character the language, tantivy's query syntax
# or its regexes (prefix phrases) treat specially.
SPECIAL = st.sampled_from(['"', "-", "*", " OR ", " ", "(", ")", ":", "^", "NEAR", "AND", "NOT", "\\", "'",
                           "\x00", "\u200b", "é", "日本", "e-mail", "a.b@c.de", "%", "_", "[", "{", "|", "~",
                           "+", "?", "payroll", "pay*", "e-ma*", '"bank fi"*', "Mü*", "-payroll"])
QUERY = st.lists(st.one_of(st.text(max_size=12), SPECIAL), max_size=40).map("".join)
QUERY_SECONDS = 1.0


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def searchable(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    """A real database with a few answers, searched through its real tantivy index."""
    folder = tmp_path_factory.mktemp(f"search-{request.param}")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RETAIN_CONFIG", str(folder / "none.toml"))
        patch.setenv("RETAIN_DATA_DIR", str(folder / "data"))
        patch.setenv("RETAIN_SEARCH_DIR", str(folder / "search"))
        if request.param == "postgres":
            if not PG_URL:
                pytest.skip("set RETAIN_TEST_DB to a PostgreSQL URL to run PostgreSQL tests")
            url = _pg_schema(request)
        else:
            url = _sqlite_url(folder)
        services = open_services(load_settings(db=url), extractor_factory=shared_extractor)
        try:
            interview = services.interviews.start("handover", "Query Target").id or 0
            for question, body in [("only-you", "payroll runs every Monday"),
                                   ("advice", "e-mail Müller about PayBridge"),
                                   ("breaks-first", "日本 office, NEAR the AND gate; the bank file")]:
                services.interviews.answer(interview, question, text=body)
            yield services
        finally:
            services.close()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(QUERY)
def test_any_string_parses_and_searches(searchable: Services, query: str) -> None:
    parsed = parse_query(query)  # never raises
    backend = searchable.search.backend
    assert isinstance(backend, IndexedSearch)
    searcher = backend.index.current()
    prompts = backend.index.prompt_stats(searcher)
    compiled = QueryCompiler(backend.index.schema, searcher, prompts).compile(parsed)  # never raises
    if parsed.empty:
        assert backend.search(parsed, SearchFilters(include_confidential=True), 10) == []
    try:
        check_query(query)
    except InvalidInput:
        return  # past the bounds: refused with a clear message before any search runs
    started = time.monotonic()
    if compiled is not None:
        searcher.search(compiled, 10)
    hits = searchable.search.search(query, include_confidential=True, person="query", since=date(2000, 1, 1))
    assert time.monotonic() - started < QUERY_SECONDS
    assert all(hit.snippet for hit in hits)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=MAX_QUERY_CHARS * 3))
def test_check_query_is_a_bound_not_a_crash(query: str) -> None:
    try:
        check_query(query)
    except InvalidInput as exc:
        assert "limit" in exc.message and "\n" not in exc.message
    else:
        assert len(query) <= MAX_QUERY_CHARS


# -- guides round-trip ------------------------------------------------------------------------
IDS = st.from_regex(r"[a-z0-9][a-z0-9_-]{0,15}", fullmatch=True)
# Printable text (no NUL, no surrogates) that YAML can carry exactly.
PLAIN = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff\x85\u2028\u2029"),
                min_size=1, max_size=60).filter(lambda s: s.strip() == s and s != "")


@st.composite
def guides(draw: st.DrawFn) -> Guide:
    question_ids = draw(st.lists(IDS, min_size=1, max_size=6, unique=True))
    section_ids = draw(st.lists(IDS, min_size=1, max_size=3, unique=True))
    sections = []
    for index, sid in enumerate(section_ids):
        mine = question_ids[index::len(section_ids)]
        questions = [
            Question(id=qid, prompt=draw(PLAIN), help=draw(st.none() | PLAIN), probes=draw(st.lists(PLAIN, max_size=2)),
                     type=draw(st.sampled_from(["text", "short", "date"])), required=draw(st.booleans()),
                     visibility=draw(st.none() | st.sampled_from(["shareable", "confidential"])))
            for qid in mine
        ]
        sections.append(Section(id=sid, title=draw(PLAIN), intro=draw(st.none() | PLAIN), questions=questions))
    return Guide(id=draw(IDS), title=draw(PLAIN), version=draw(st.integers(1, 10**9)),
                 track=draw(st.sampled_from(["exit", "handover"])), description=draw(st.none() | PLAIN),
                 sections=sections)


@settings(max_examples=150, deadline=None)
@given(guides())
def test_guides_round_trip_through_yaml(guide: Guide) -> None:
    text_ = yaml.safe_dump(guide.model_dump(mode="json", exclude_none=True), allow_unicode=True, sort_keys=False)
    assert parse_guide(text_, "generated.yaml") == guide


# -- answers round-trip, on both backends --------------------------------------------------------
ANSWERS = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=400)


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def answer_store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Services, int]]:
    folder = tmp_path_factory.mktemp(f"roundtrip-{request.param}")
    if request.param == "postgres":
        if not PG_URL:
            pytest.skip("set RETAIN_TEST_DB to a PostgreSQL URL to run PostgreSQL tests")
        url = _pg_schema(request)
    else:
        url = _sqlite_url(folder)
    services = open_services(load_settings(db=url), extractor_factory=shared_extractor)
    interview = services.interviews.start("handover", "Round Trip")
    yield services, interview.id or 0
    services.close()


def _pg_schema(request: pytest.FixtureRequest) -> str:
    import uuid

    schema = f"p_{uuid.uuid4().hex[:12]}"
    admin = create_engine(database_url(PG_URL or ""))
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))

    def drop() -> None:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()

    request.addfinalizer(drop)
    base = database_url(PG_URL or "")
    return f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ANSWERS)
def test_answers_round_trip_exactly(answer_store: tuple[Services, int], body: str) -> None:
    services, iid = answer_store
    services.interviews.answer(iid, "only-you", text=body)
    stored = {a.question_id: a.text for a in services.interviews.answers(iid)}
    assert stored["only-you"] == body


@pytest.mark.parametrize("size", [1_000_000])
def test_one_megabyte_round_trips_byte_for_byte(answer_store: tuple[Services, int], size: int, tmp_path: Path) -> None:
    services, iid = answer_store
    unit = "Zeile \u00e9\u65e5\U0001f600 \t|`<>&\r\n"
    body = (unit * (size // len(unit.encode()) + 1)).encode()[:size].decode("utf-8", "ignore")
    services.interviews.answer(iid, "breaks-first", text=body)
    stored = {a.question_id: a.text for a in services.interviews.answers(iid)}
    assert stored["breaks-first"].encode() == body.encode() and len(body.encode()) > 999_000
