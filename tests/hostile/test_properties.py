"""Property-based tests: the query parser takes any string, and guides and answers round-trip."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, create_engine, text

from retain.config import database_url, load_settings
from retain.errors import InvalidInput
from retain.guides.loader import parse_guide
from retain.guides.schema import Guide, Question, Section
from retain.services import Services, open_services
from retain.store.search.postgres import tsquery_sql
from retain.store.search.query import MAX_QUERY_CHARS, check_query, parse_query
from tests.conftest import PG_URL, _sqlite_url, shared_extractor

# Query text: ordinary words mixed with every character the language or FTS5 treats specially.
SPECIAL = st.sampled_from(['"', "-", "*", " OR ", " ", "(", ")", ":", "^", "NEAR", "AND", "NOT", "\\", "'",
                           "\x00", "\u200b", "é", "日本", "e-mail", "a.b@c.de", "%", "_"])
QUERY = st.lists(st.one_of(st.text(max_size=12), SPECIAL), max_size=40).map("".join)
QUERY_SECONDS = 1.0


@pytest.fixture(scope="module")
def fts() -> Iterator[sqlite3.Connection]:
    """An FTS5 table built like retain's (unicode61, diacritics removed), with a few rows."""
    connection = sqlite3.connect(":memory:")
    connection.execute(
        "CREATE VIRTUAL TABLE t USING fts5(body, tokenize = 'unicode61 remove_diacritics 2', prefix='2 3')"
    )
    connection.executemany("INSERT INTO t (body) VALUES (?)",
                           [("payroll runs every Monday",), ("e-mail Müller about PayBridge",), ("日本 office",)])
    yield connection
    connection.close()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(QUERY)
def test_any_string_parses_to_valid_fts5(fts: sqlite3.Connection, query: str) -> None:
    parsed = parse_query(query)  # never raises
    match = parsed.to_fts5()
    try:
        check_query(query)
    except InvalidInput:
        return  # past the bounds: refused with a clear message before any SQL runs
    if not match:
        assert parsed.empty
        return
    started = time.monotonic()
    fts.execute("SELECT count(*) FROM t WHERE t MATCH ?", (match,)).fetchone()
    assert time.monotonic() - started < QUERY_SECONDS


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=MAX_QUERY_CHARS * 3))
def test_check_query_is_a_bound_not_a_crash(query: str) -> None:
    try:
        check_query(query)
    except InvalidInput as exc:
        assert "limit" in exc.message and "\n" not in exc.message
    else:
        assert len(query) <= MAX_QUERY_CHARS


@pytest.fixture(scope="module")
def pg_engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A migrated PostgreSQL schema (retain's text search configuration lives there)."""
    if not PG_URL:
        pytest.skip("set RETAIN_TEST_DB to a PostgreSQL URL to run PostgreSQL tests")
    from retain.store.engine import open_engine

    engine = open_engine(_pg_schema(request))
    yield engine
    engine.dispose()


@pytest.mark.postgres
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(QUERY)
def test_any_string_is_a_valid_tsquery(pg_engine: Engine, query: str) -> None:
    parsed = parse_query(query)
    try:
        check_query(query)
    except InvalidInput:
        return
    if parsed.empty:
        return
    expression, params = tsquery_sql(parsed)
    with pg_engine.connect() as connection:
        connection.execute(text("SET statement_timeout = 2000"))
        started = time.monotonic()
        connection.execute(text(f"SELECT ({expression})::text").bindparams(*params)).scalar()
        assert time.monotonic() - started < QUERY_SECONDS


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
