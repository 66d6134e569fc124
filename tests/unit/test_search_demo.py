"""End to end on the demo data (real extraction): search, who and map through the CLI, and a
relevance set, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine

from retain.config import database_url, load_settings
from retain.services import open_services
from retain.services.demo import DemoService
from tests.conftest import BACKENDS, PG_URL, CliInvoker, shared_extractor

# Query -> the answer a reader would want first: (person, question id).
RELEVANCE = [
    ("off-cycle bonus", ("Priya Raman", "last-incident")),
    ("board pack", ("Leo Martins", "role-summary")),
    ("BAI2", ("Aisha Mensah", "breaks-first")),
    ("Airflow", ("Elena Petrova", "monitoring")),
    ("Marsh", ("Priya Raman", "role-summary")),
    ("SAML", ("Elena Petrova", "breaks-first")),
    ("vault", ("Elena Petrova", "privileged-access")),
    ("quarter-end", ("Sam Castillo", "recurring")),
    ("Okta certificate", ("Elena Petrova", "breaks-first")),
    ("on-call rota", ("Marcus Bell", "team-rituals")),
    ("SFTP key", ("Priya Raman", "systems")),
    ("flash P&L", ("Aisha Mensah", "stakeholders")),
]
# Queries whose best answer is one of several by the same person.
RELEVANT_PEOPLE = [
    ("PayBridge mapping", "Priya Raman", {"only-you", "who-else-knows", "last-incident", "in-flight"}),
    ("payroll", None, None),
]


@pytest.fixture(scope="module")
def demo_dbs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The demo loaded once per backend: SQLite through `retain demo`, PostgreSQL through services."""
    pytest.importorskip("retain.services.extraction")
    from retain.cli import cli

    home = tmp_path_factory.mktemp("demo-home")
    urls: dict[str, str] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RETAIN_CONFIG", str(home / "config.toml"))
        patch.setenv("RETAIN_DATA_DIR", str(home / "data"))
        sqlite = database_url(str(home / "demo.db"))
        result = CliRunner().invoke(cli, ["--db", sqlite, "demo"], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert "extracted" in result.output
        urls["sqlite"] = sqlite
        schema = None
        if PG_URL:
            schema = f"t_{uuid.uuid4().hex[:12]}"
            admin = create_engine(database_url(PG_URL))
            with admin.begin() as connection:
                connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
            base = database_url(PG_URL)
            urls["postgres"] = f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
            services = open_services(load_settings(db=urls["postgres"]), extractor_factory=shared_extractor)
            try:
                loaded = DemoService(services.engine, services.interviews).load()
                services.extraction.extract_answers(loaded.new_answer_ids)
            finally:
                services.close()
        yield urls
        if schema is not None:
            with admin.begin() as connection:
                connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
            admin.dispose()


@pytest.fixture(params=BACKENDS)
def demo(request: pytest.FixtureRequest, demo_dbs: dict[str, str]) -> str:
    if request.param not in demo_dbs:
        pytest.skip("set RETAIN_TEST_DB to a PostgreSQL URL to run PostgreSQL tests")
    return demo_dbs[request.param]


def as_json(run_cli: CliInvoker, *args: str, db: str) -> object:
    result = run_cli(*args, "--json", db=db)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_search_payroll_finds_payroll_answers_highlighted(demo: str, run_cli: CliInvoker) -> None:
    hits = as_json(run_cli, "search", "payroll", db=demo)
    assert isinstance(hits, list) and len(hits) >= 5
    assert all("**" in hit["snippet"] and "payroll" in hit["snippet"].lower() for hit in hits)
    assert {"Priya Raman", "Aisha Mensah"} <= {hit["person"] for hit in hits}
    assert all(hit.keys() >= {"interview", "person", "question", "snippet", "score", "visibility"} for hit in hits)
    listing = run_cli("search", "payroll", db=demo)
    assert listing.exit_code == 0 and "**payroll**" in listing.output.lower()
    assert "Priya Raman (leaving)" in listing.output


def test_who_names_the_person_who_explained_the_system(demo: str, run_cli: CliInvoker) -> None:
    entries = as_json(run_cli, "who", "PayBridge", db=demo)
    assert isinstance(entries, list)
    top = entries[0]
    assert top["person"] == "Priya Raman" and top["status"] == "leaving"
    assert top["count"] >= 3 and {"only-you", "who-else-knows"} <= {e["question"] for e in top["evidence"]}
    listing = run_cli("who", "PayBridge", db=demo)
    assert "Priya Raman (leaving)" in listing.output


def test_who_do_i_ask_about_the_payroll_interface(demo: str, run_cli: CliInvoker) -> None:
    entries = as_json(run_cli, "who", "payroll interface", db=demo)
    assert isinstance(entries, list) and entries
    assert entries[0]["person"] == "Priya Raman"
    named = {entry["person"]: entry for entry in entries if entry["named_by"]}
    # Named as contacts for it: Kwame runs the server it lives on.
    assert "Kwame Asante" in named and named["Kwame Asante"]["status"] == "active"


def test_map_flags_paybridge_held_only_by_a_leaving_person(demo: str, run_cli: CliInvoker) -> None:
    items = as_json(run_cli, "map", db=demo)
    assert isinstance(items, list)
    paybridge = next(item for item in items if item["item"] == "PayBridge" and item["label"] == "SYSTEM")
    assert paybridge["at_risk"]
    statuses = {person["status"] for person in paybridge["people"]}
    assert statuses <= {"leaving", "left"} and "leaving" in statuses
    assert {p["name"] for p in paybridge["people"]} >= {"Priya Raman"}
    flags = [item["at_risk"] for item in items]
    assert flags == sorted(flags, reverse=True)  # at-risk first
    table = run_cli("map", "--at-risk", db=demo)
    assert table.exit_code == 0 and "PayBridge" in table.output and "AT RISK" in table.output


def test_confidential_demo_answer_needs_the_flag(demo: str, run_cli: CliInvoker) -> None:
    # Priya's remark about a colleague is tightened to confidential in the demo.
    assert as_json(run_cli, "search", '"Gary Moss"', db=demo) == []
    hits = as_json(run_cli, "search", '"Gary Moss"', "--include-confidential", db=demo)
    assert isinstance(hits, list) and {hit["visibility"] for hit in hits} == {"confidential"}
    assert all(entry["person"] != "Gary Moss" for entry in as_json(run_cli, "who", "deduction adjustments", db=demo))  # type: ignore[union-attr]
    # Exit interviews are confidential: their reasons for leaving stay out of default search.
    assert all(hit["track"] == "handover" for hit in as_json(run_cli, "search", "manager", db=demo))  # type: ignore[union-attr]


@pytest.mark.parametrize("query", ['"unbalanced', "-", "OR OR", "payroll*", "NEAR(", "a:b ^c"])
def test_acceptance_queries_run_without_error(demo: str, run_cli: CliInvoker, query: str) -> None:
    result = run_cli("search", query, db=demo)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(("query", "expected"), RELEVANCE)
def test_relevance(demo: str, query: str, expected: tuple[str, str]) -> None:
    services = open_services(load_settings(db=demo))
    try:
        hits = services.search.search(query, limit=3)
    finally:
        services.close()
    assert hits, query
    assert (hits[0].person, hits[0].question_id) == expected


def test_relevance_by_person(demo: str) -> None:
    services = open_services(load_settings(db=demo))
    try:
        top = services.search.search("PayBridge mapping", limit=1)[0]
        assert top.person == "Priya Raman" and top.question_id in RELEVANT_PEOPLE[0][2]  # type: ignore[operator]
        payroll = services.search.search("payroll", limit=3)
        assert {hit.person for hit in payroll} <= {"Priya Raman", "Aisha Mensah"}
    finally:
        services.close()


def test_demo_sqlite_index_is_consistent(demo_dbs: dict[str, str]) -> None:
    from retain.store.search.backend import IndexedSearch

    engine = create_engine(demo_dbs["sqlite"])
    assert IndexedSearch(engine).index.verify() == []
    engine.dispose()
    assert Path(demo_dbs["sqlite"].removeprefix("sqlite:///")).is_file()
    assert os.access(demo_dbs["sqlite"].removeprefix("sqlite:///"), os.R_OK)
