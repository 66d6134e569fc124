"""Benchmark search: exactness, latency per query class, a fair LIKE baseline and bulk indexing.

Run: .venv/bin/python bench/search.py [--sizes 100k,1M] [--pg URL] [--pg-size 100k] [--quick]

For each size, a fresh retain database (real migrations) is filled with synthetic interview
answers of realistic length (112 words on average, log-normal with a long tail) that mix
domain sentences (people's names, systems, vendors, rhythms) with prose drawn from the 30,000
most frequent English words at their real frequencies (``wordfreq``), so the vocabulary
follows Zipf's law; a third of the interviews are confidential exit interviews. Loading goes
through ``SearchService.bulk_load`` (``add_answers`` inserts each chunk while the index takes in
the one before; the clock runs until the index has published the commit), and
single saves (each logged by its trigger, then applied by the next search) are timed on a
slice for comparison.

The 62 queries cover the five most common words, mid-frequency and rare words picked from the
corpus's own counts, domain words, two- and three-word phrases, prefixes, OR, exclusions and
filters. Each runs through ``SearchService.search`` (the CLI's path, snippets and details
included), once to warm up and then timed, and each class reports p50 and p95. Then, in the
same run: the top 20 of every query against a full ranking of all its matches (same score
function, no LIMIT), the match sets of a sample of queries against a brute-force regex scan
of every row, and a LIKE scan returning the same 20 rows newest first by the primary key,
with the same warm-up and repeats. The load average is printed throughout. PostgreSQL runs
when ``--pg`` or ``RETAIN_TEST_DB`` gives a URL, in a scratch schema dropped afterwards.

Targets (issue 14): top-20 agreement >= 0.99 at 100k and 1M; at 1M answers on SQLite, p95
<= 50 ms for single words and <= 150 ms for phrases, OR and prefixes; PostgreSQL p95 <= 50 ms
at 100k; bulk indexing >= 50k answers/s including the inserts.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, create_engine, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from retain.config import database_url  # noqa: E402
from retain.services.search import SearchService  # noqa: E402
from retain.store.engine import open_engine  # noqa: E402
from retain.store.search import SearchFilters, parse_query  # noqa: E402
from retain.store.search.bulk import BulkAnswer  # noqa: E402
from retain.store.search.query import fold  # noqa: E402

ANSWERS_PER_INTERVIEW = 20
BATCH = 20_000
REPEATS = 5

def _words(text: str) -> list[str]:
    return text.split()


# -- vocabulary -----------------------------------------------------------------------------
SYSTEMS = _words("""PayBridge Workday SAP NetSuite Oracle Salesforce HubSpot Zendesk ServiceNow Jira
Confluence Slack Teams SharePoint OneDrive Okta Azure AWS GCP Jenkins GitLab GitHub Terraform
Kubernetes Docker Grafana Datadog Splunk PagerDuty Tableau PowerBI Looker Snowflake Databricks
Airflow Kafka Postgres MySQL MongoDB Redis Elastic Xero QuickBooks Sage Concur Coupa Ariba
BambooHR Greenhouse Lever Gusto ADP Ceridian Kronos Deputy Asana Trello Monday Notion Miro
Figma Zoom Webex DocuSign Box Dropbox Veeva LabWare Benchling StarLIMS Empower Chromeleon
Qualtrics SurveyMonkey Marketo Mailchimp Stripe Adyen Braintree Plaid Kyriba Bloomberg
Refinitiv Anaplan Adaptive Hyperion BlackLine Workiva Avalara Vertex Freshdesk Intercom
LedgerHub ClaimsDesk RotaPlanner StockPilot FleetTrack GrantBase QuoteEngine ShipLink
PriceBook ContractVault AssetTrack TimeBank PermitFlow SampleTrack BatchRecord LabQueue""")
ORGS = _words("""Acme Globex Initech Umbrella Hooli Vandelay Stark Wayne Wonka Tyrell Cyberdyne Soylent
Barclays HSBC Lloyds Santander Deloitte KPMG PwC EY Accenture Capgemini Infosys Wipro DHL
FedEx Maersk Siemens Philips Bosch Unilever Nestle Roche Novartis Pfizer Bayer Shell BP
Vodafone Telefonica Orange BT Microsoft Google Amazon Apple IBM Cisco Dell Lenovo""")
FIRST = _words("""Ana Ben Carla David Elena Farid Grace Hiro Ines Jonas Kemi Liam Maya Noor Omar Priya
Quinn Rosa Sam Tara Umar Vera Wen Xavier Yara Zoe Aidan Bea Chen Dara Emil Fatima Gus Hana
Ivan Jade Kofi Lena Marco Nina Olu Pavel Rhea Sven Tomas Uma Viktor Wanda Yusuf Zainab""")
LAST = _words("""Silva Okafor Novak Schmidt Rossi Tanaka Kowalski Haddad Larsen Murphy Nguyen Patel
Garcia Müller Dubois Jansen Costa Ivanova Kaur Ahmed Berg Fischer Moreau Lindqvist Sato Yilmaz
Andersen Byrne Cohen Duarte Ekström Ferreira Gallagher Horvat Ito Jovanovic Kim Lopez""")
TEAMS = _words("""finance payroll treasury procurement legal compliance security infrastructure platform
data analytics support sales marketing operations logistics warehouse quality laboratory
research engineering product design facilities HR recruitment training audit risk""")
RHYTHMS = ["every Monday", "every morning", "each Friday", "monthly", "at quarter-end",
           "at year-end", "on the first working day of the month", "by the 5th of each month",
           "every two weeks", "daily", "weekly", "before each release", "after payday"]
# Ordered roughly by how often people say them, for a Zipf-like spread.
NOUNS = _words("""system report team process data file access month export invoice approval ticket
account customer vendor contract budget release change request dashboard job backup server
schedule deadline audit policy password key licence renewal integration interface migration
pipeline script spreadsheet template checklist handbook runbook workaround exception incident
outage alert queue batch reconciliation ledger journal forecast payment refund claim order
shipment stock sample instrument calibration validation deviation protocol study trial
submission filing tax return payslip timesheet rota shift holiday leave onboarding offboarding
laptop phone badge firewall certificate domain mailbox calendar meeting review sign-off
escalation owner stakeholder sponsor supplier partner auditor regulator board committee""")
VERBS = _words("""run check send update review approve export import reconcile fix restart migrate
schedule escalate document automate monitor patch renew book file submit sign chase rebuild
test deploy archive rotate reset grant revoke validate calibrate order ship invoice pay""")
ADJECTIVES = _words("""manual fragile critical undocumented legacy urgent weekly monthly quarterly annual
shared personal temporary old new broken slow flaky secure external internal main backup
regional global local overdue pending awkward tricky sensitive key""")
TEMPLATES = [
    "I {verb} the {adj} {noun} in {system} {rhythm}.",
    "{person} in {team} knows how the {noun} works, ask them before you {verb} anything.",
    "If the {system} {noun} fails, call {person} and check the {noun2} first.",
    "The {noun} for {org} has to be {verb}ed {rhythm}, otherwise the {noun2} is late.",
    "Nobody else knows the {adj} {noun} in {system}; it lives on my laptop.",
    "We moved the {noun} from {system} to {system2} last year and the {noun2} still breaks.",
    "Talk to {person} at {org} about the {noun}; they own the {noun2} on their side.",
    "There is a {adj} workaround: {verb} the {noun} by hand, then {verb2} the {noun2}.",
    "The {team} team relies on the {noun} being ready {rhythm}.",
    "Access to {system} is granted by {person}; never share the {noun} password.",
    "Ticket {ticket} explains why the {noun} is {adj}.",
    "Watch out for the {noun} at {rhythm2}: the {system} {noun2} times out.",
    "{person} and I wrote the {noun} {noun2} together, but only I run it.",
    "Our {adj} {noun} sits in {system}, and {org} gets a copy {rhythm}.",
]
PROMPTS = [
    ("role-summary", "In a few sentences, what is your role really for?"),
    ("only-you", "What do you know or do that nobody else does?"),
    ("breaks-first", "If you vanished tomorrow, what would break first?"),
    ("systems", "Which systems, tools and data do you use, and how does your successor get access?"),
    ("recurring", "What do you do on a rhythm, daily, weekly, monthly, quarterly or yearly?"),
    ("workarounds", "Which processes only work because of a workaround you know about?"),
    ("fragile", "Which parts of the work are fragile?"),
    ("last-incident", "Walk me through the last time something went wrong."),
    ("contacts", "Who should your successor meet first, and what should they ask about?"),
    ("stakeholders", "Who depends on your work, and what do they expect from it?"),
    ("decisions", "Which things look arbitrary but have a reason behind them?"),
    ("landmines", "What are the landmines your successor could step on?"),
    ("advice", "What advice would you give your successor for their first month?"),
    ("who-else-knows", "Who else knows what you know?"),
    ("in-flight", "What work is in flight right now, and where does each piece stand?"),
    ("next-six-months", "What is coming up in the next six months?"),
    ("reasons", "What made you decide to leave?"),
    ("manager", "How was your relationship with your manager?"),
    ("change", "What should the organisation change?"),
    ("growth", "Did you have the growth you hoped for?"),
]


def _zipf_weights(count: int, exponent: float = 1.0) -> list[float]:
    return [1.0 / (rank + 1) ** exponent for rank in range(count)]


# Real English words with their real frequencies (wordfreq, from many sources): the 30,000
# most frequent alphabetic ones. Word frequencies in text follow Zipf's law, so sampling by
# these weights gives a realistic spread: "the" in nearly every answer, most types rare.
VOCABULARY_SIZE = 30_000
# Answer length in words: log-normal with a mean of about 110 and a long tail (p99 ~ 340).
LENGTH_MU, LENGTH_SIGMA = 4.55, 0.55
# Share of sentences that are domain sentences (names, systems, rhythms) rather than prose.
DOMAIN_SHARE = 0.3


def vocabulary() -> tuple[list[str], list[float]]:
    """The most frequent real English words and their frequencies."""
    import wordfreq  # bench-only dependency (the test extra)

    words = [w for w in wordfreq.top_n_list("en", int(VOCABULARY_SIZE * 1.3)) if w.isascii() and w.isalpha()]
    words = words[:VOCABULARY_SIZE]
    return words, [wordfreq.word_frequency(w, "en") for w in words]


class Corpus:
    """Deterministic synthetic answers: domain sentences mixed with Zipf-distributed prose."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.people = [f"{first} {last}" for first in FIRST for last in LAST]
        self.rng.shuffle(self.people)
        self.noun_weights = _zipf_weights(len(NOUNS), 0.9)
        self.system_weights = _zipf_weights(len(SYSTEMS), 0.8)
        self.words, frequencies = vocabulary()
        self.cumulative = list(itertools.accumulate(frequencies))

    def sentence(self) -> str:
        rng = self.rng
        nouns = rng.choices(NOUNS, self.noun_weights, k=2)
        systems = rng.choices(SYSTEMS, self.system_weights, k=2)
        return rng.choice(TEMPLATES).format(
            verb=rng.choice(VERBS), verb2=rng.choice(VERBS), adj=rng.choice(ADJECTIVES),
            noun=nouns[0], noun2=nouns[1], system=systems[0], system2=systems[1],
            rhythm=rng.choice(RHYTHMS), rhythm2=rng.choice(RHYTHMS), person=rng.choice(self.people),
            team=rng.choice(TEAMS), org=rng.choice(ORGS), ticket=f"INC-{rng.randrange(10_000, 99_999)}",
        )

    def prose(self, count: int) -> str:
        words = self.rng.choices(self.words, cum_weights=self.cumulative, k=count)
        return " ".join(words).capitalize() + "."

    def answer(self) -> str:
        rng = self.rng
        target = max(5, round(rng.lognormvariate(LENGTH_MU, LENGTH_SIGMA)))
        parts: list[str] = []
        made = 0
        while made < target:
            if rng.random() < DOMAIN_SHARE:
                sentence = self.sentence()
                made += sentence.count(" ") + 1
            else:
                count = min(target - made, rng.randint(5, 20))
                sentence = self.prose(max(3, count))
                made += max(3, count)
            parts.append(sentence)
        return " ".join(parts)


# -- loading ----------------------------------------------------------------------------------
@dataclass
class LoadStats:
    answers: int
    insert_s: float
    index_s: float


def _people_and_interviews(connection: Connection, corpus: Corpus, interviews: int, start: datetime) -> list[tuple[int, str]]:
    """Insert people and interviews; returns (interview id, track) for each."""
    people = corpus.people[: max(50, min(len(corpus.people), interviews))]
    statuses = ["active"] * 6 + ["leaving"] * 2 + ["left"] * 2
    connection.execute(
        text("INSERT INTO person (name, status, created_at) VALUES (:name, :status, :created)"),
        [{"name": name, "status": corpus.rng.choice(statuses), "created": start} for name in people],
    )
    ids = [row[0] for row in connection.execute(text("SELECT id FROM person ORDER BY id"))]
    rows = []
    for number in range(interviews):
        track = "exit" if number % 3 == 0 else "handover"
        rows.append({
            "guide": "exit" if track == "exit" else corpus.rng.choice(["handover", "it-service-owner", "people-manager"]),
            "snapshot": json.dumps({"id": track}), "track": track,
            "person": corpus.rng.choice(ids), "status": "completed", "created": start, "updated": start,
        })
    connection.execute(
        text(
            "INSERT INTO interview (guide_id, guide_version, guide_title, guide_snapshot, track, person_id, "
            "status, created_at, updated_at) VALUES (:guide, 1, '', :snapshot, :track, :person, "
            ":status, :created, :updated)"
        ),
        rows,
    )
    return [(int(row[0]), str(row[1])) for row in connection.execute(text("SELECT id, track FROM interview ORDER BY id"))]


def _answer_rows(corpus: Corpus, interviews: list[tuple[int, str]], total: int, start: datetime) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    made = 0
    for interview_id, track in interviews:
        for question_id, prompt in PROMPTS[:ANSWERS_PER_INTERVIEW]:
            if made >= total:
                break
            body = corpus.answer()
            # Spread over three years, oldest first, so --since has something to cut.
            moment = start + timedelta(days=3 * 365 * made / total)
            batch.append({
                "interview": interview_id, "question": question_id, "prompt": prompt, "text": body,
                "body": body, "visibility": "confidential" if track == "exit" else "shareable",
                "created": moment, "updated": moment,
            })
            made += 1
            if len(batch) >= BATCH:
                yield batch
                batch = []
    if batch:
        yield batch


INSERT_ANSWER = (
    "INSERT INTO answer (interview_id, question_id, section_id, prompt, text, items, body, visibility, "
    "skipped, created_at, updated_at) VALUES (:interview, :question, '', :prompt, :text, '[]', :body, "
    ":visibility, false, :created, :updated)"
)


def _timestamp(moment: datetime, sqlite: bool) -> Any:
    # SQLite stores DateTime as ISO text; PostgreSQL takes the datetime itself.
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else moment


def load(url: str, total: int, seed: int, *, triggers: bool = False) -> tuple[SearchService, LoadStats]:
    """A fresh database at ``url`` with ``total`` synthetic answers."""
    engine = open_engine(url)
    service = SearchService(engine)
    sqlite = engine.dialect.name == "sqlite"
    corpus = Corpus(seed)
    start = datetime(2020, 1, 1, tzinfo=UTC)
    interviews_needed = -(-total // ANSWERS_PER_INTERVIEW)
    with engine.begin() as connection:
        interviews = _people_and_interviews(connection, corpus, interviews_needed, start)
    batches = list(_answer_rows(corpus, interviews, total, start))  # generated up front: not timed
    for batch in batches:
        for row in batch:
            row["created_at"], row["updated_at"] = row["created"], row["updated"]
            row["created"] = _timestamp(row["created"], sqlite)
            row["updated"] = _timestamp(row["updated"], sqlite)
    if triggers:
        began = time.perf_counter()
        with engine.begin() as connection:
            for batch in batches:
                connection.execute(text(INSERT_ANSWER), batch)
        insert_s = time.perf_counter() - began
        return service, LoadStats(total, insert_s, 0.0)
    answers = [
        BulkAnswer(r["interview"], r["question"], r["prompt"], r["text"], r["visibility"], r["created_at"], r["updated_at"])
        for batch in batches for r in batch
    ]
    began = time.perf_counter()
    with service.bulk_load() as bulk:
        bulk.add_answers(answers)
        insert_s = time.perf_counter() - began  # inserted and handed to the index, not yet committed
    index_s = time.perf_counter() - began - insert_s
    return service, LoadStats(total, insert_s, index_s)


# -- queries ----------------------------------------------------------------------------------
@dataclass
class Query:
    kind: str
    text: str
    filters: dict[str, Any]


def word_stats(service: SearchService) -> tuple[int, list[tuple[str, int]]]:
    """The number of answers, and every indexed word of the answers with how many contain it."""
    searcher = service.backend.index.current()  # type: ignore[attr-defined]
    with service._engine.connect() as connection:
        total = int(connection.execute(text("SELECT count(*) FROM answer")).scalar_one())
    return total, [(str(term), int(doc)) for term, doc in searcher.terms_with_prefix("body", "")]


def queries(total: int, stats: list[tuple[str, int]]) -> list[Query]:
    """The query mix: very common, mid and rare words, phrases, prefixes, OR, exclusions, filters.

    The common, mid and rare words are picked from this corpus's own counts (the five most
    common, then words in about 1-5% and 0.01-0.1% of answers), so every size gets the same
    kind of query.
    """
    words_only = sorted(((t, d) for t, d in stats if t.isalpha()), key=lambda item: -item[1])
    common = [t for t, _ in words_only[:5]]
    mid = [t for t, d in words_only if 0.01 * total <= d <= 0.05 * total][::7][:5]
    rare = [t for t, d in words_only if 0.0001 * total <= d <= 0.001 * total and len(t) > 4][::53][:5]
    words = [*common, *mid, *rare, "payroll", "reconciliation", "PayBridge", "Okafor", "calibration", "Kyriba"]
    phrases = ['"the system"', '"of the"', '"times out"', '"still breaks"', '"at quarter-end"', '"legacy export"',
               '"nobody else knows"', '"on my laptop"', '"ask them before"', '"first working day of the month"']
    prefixes = ["pay*", "rec*", "sys*", "exp*", "calib*", "inv*", "dep*", "re*"]
    ors = ["payroll OR invoice", "Workday OR BambooHR", "outage OR incident", "the OR and",
           "budget OR forecast", "Jenkins OR GitLab", "refund OR claim"]
    exclusions = ["system -legacy", "payroll -Friday", "the -and", '"the report" -monthly', "export -the"]
    # Person filters name one person, as people use them (--person "Priya Okafor").
    filtered = [
        Query("filtered", "system", {"person": "Ana Silva"}),
        Query("filtered", "report", {"guide": "it-service-owner"}),
        Query("filtered", "the", {"track": "handover", "status": "leaving"}),
        Query("filtered", "payroll", {"since": date(2022, 6, 1)}),
        Query("filtered", '"times out"', {"person": "Omar Okafor"}),
        Query("filtered", "export -legacy", {"status": "left"}),
        Query("filtered", "pay*", {"guide": "people-manager"}),
        Query("filtered", "workaround", {"include_confidential": True}),
        Query("filtered", "laptop OR phone", {"person": "Priya Haddad"}),
        Query("filtered", "audit", {"track": "exit", "include_confidential": True}),
        Query("filtered", "the", {"person": "Ana Silva"}),
    ]
    return (
        [Query("word", word, {}) for word in words]
        + [Query("phrase", phrase, {}) for phrase in phrases]
        + [Query("prefix", prefix, {}) for prefix in prefixes]
        + [Query("or", query, {}) for query in ors]
        + [Query("exclusion", query, {}) for query in exclusions]
        + filtered
    )


def search_filters(filters: dict[str, Any]) -> SearchFilters:
    """The filters as SearchService builds them (a status here is always a person status)."""
    return SearchFilters(
        person=filters.get("person"), guide=filters.get("guide"), track=filters.get("track"),
        since=filters.get("since"), person_status=filters.get("status"),
        include_confidential=bool(filters.get("include_confidential")),
    )


def like_sql(query: Query, postgres: bool) -> tuple[str, dict[str, Any]]:
    """The same query as a LIKE scan, written fairly.

    It returns the same 20 rows as retain's search, newest first by the primary key (an
    index, so there is no sort of every match), with the same filters as bound parameters.
    LIKE cannot rank, find inflections or respect word boundaries, so it does less work than
    the search; it is the baseline a developer would reach for first.
    """
    op = "ILIKE" if postgres else "LIKE"
    params: dict[str, Any] = {}
    where: list[str] = []

    def like(word: str, negate: bool = False) -> str:
        name = f"p{len(params)}"
        params[name] = f"%{word.strip(chr(34)).rstrip('*')}%"
        return f"a.body {'NOT ' if negate else ''}{op} :{name}"

    if " OR " in query.text:
        where.append("(" + " OR ".join(like(part) for part in query.text.split(" OR ")) + ")")
    elif query.text.startswith('"') and " -" not in query.text:
        where.append(like(query.text))
    else:
        for word in query.text.split(" -")[0:1]:
            where.append(like(word))
        for word in query.text.split(" -")[1:]:
            where.append(like(word, negate=True))
    filters = query.filters
    if not filters.get("include_confidential"):
        where.append("a.visibility = 'shareable'")
    if "person" in filters:
        where.append(f"p.name {op} :person")
        params["person"] = f"%{filters['person']}%"
    if "guide" in filters:
        where.append("i.guide_id = :guide")
        params["guide"] = filters["guide"]
    if "track" in filters:
        where.append("i.track = :track")
        params["track"] = filters["track"]
    if "status" in filters:
        where.append("p.status = :status")
        params["status"] = filters["status"]
    if "since" in filters:
        where.append("a.updated_at >= :since")
        params["since"] = filters["since"].isoformat()
    sql = (
        "SELECT a.id FROM answer a JOIN interview i ON i.id = a.interview_id "
        f"JOIN person p ON p.id = i.person_id WHERE {' AND '.join(where)} "
        "ORDER BY a.id DESC LIMIT 20"
    )
    return sql, params


def full_ranking(service: SearchService, query: Query) -> list[int]:
    """Every match that passes the filters, ranked by the documented scoring, with no LIMIT.

    The reference for the top-20 agreement: the same compiled query (BM25 over the answer,
    the prompt weighted 0.25, the same filters) collected with a limit of every document in
    the index, so no hit can be pruned, and sorted here in Python (score, then newest first).
    """
    backend = service.backend
    searcher = backend.index.current()  # type: ignore[attr-defined]
    compiled = backend.compile(parse_query(query.text), search_filters(query.filters), searcher)  # type: ignore[attr-defined]
    if compiled is None:
        return []
    result = searcher.search(compiled, max(1, searcher.num_docs), count=False)
    ids = searcher.fast_field_values("id", [address for _score, address in result.hits])
    rows = sorted(zip(ids, (score for score, _ in result.hits), strict=True), key=lambda row: (-row[1], -row[0]))
    return [int(answer_id) for answer_id, _ in rows]


# -- brute-force reference --------------------------------------------------------------------
def _pattern(term: Any) -> str:
    """A regex for one query term over folded text (the corpus is ASCII apart from names)."""
    sep = r"[^0-9a-z]+"
    if term.forms:
        return r"(?<![0-9a-z])(?:" + "|".join(re.escape(fold(f)) for f in term.forms) + r")(?![0-9a-z])"
    tokens = [re.escape(fold(t)) for t in term.tokens]
    if term.prefix:
        tokens[-1] += "[0-9a-z]*"
    return r"(?<![0-9a-z])" + sep.join(tokens) + r"(?![0-9a-z])"


def brute_force(rows: list[tuple[int, str, str, bool]], query: Query) -> set[int]:
    """Ids of the answers that match, found by scanning every row with regular expressions."""
    parsed = parse_query(query.text)
    clauses = [[re.compile(_pattern(t)) for t in clause] for clause in parsed.clauses]
    excluded = [re.compile(_pattern(t)) for t in parsed.excluded]
    everything = bool(query.filters.get("include_confidential"))
    found: set[int] = set()
    for answer_id, body, prompt, shareable in rows:
        if not (shareable or everything):
            continue
        columns = (body, prompt)
        if all(any(p.search(c) for p in clause for c in columns) for clause in clauses) and not any(
            p.search(c) for p in excluded for c in columns
        ):
            found.add(answer_id)
    return found


def reference_rows(service: SearchService) -> list[tuple[int, str, str, bool]]:
    with service._engine.connect() as connection:
        return [
            (int(r[0]), fold(str(r[1])), fold(str(r[2] or "")), r[3] == "shareable")
            for r in connection.execute(text("SELECT id, body, prompt, visibility FROM answer"))
        ]


def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    began = time.perf_counter()
    result = call()
    return (time.perf_counter() - began) * 1000, result


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} ({os.cpu_count()} cores)"


def run_queries(service: SearchService, label: str, like_limit: int | None, repeats: int = REPEATS) -> dict[str, Any]:
    total, stats = word_stats(service)
    print(f"  vocabulary: {len(stats):,} distinct indexed words; {load_average()}")
    plan = queries(total, stats)
    print("  words: " + ", ".join(
        f"{q.text} ({dict(stats).get(fold(q.text), 0) / total:.1%})" for q in plan if q.kind == "word"))
    by_kind: dict[str, list[float]] = {}
    fts_samples: list[list[float]] = []
    tops: list[list[int]] = []
    empty = 0
    for query in plan:
        service.search(query.text, **query.filters)  # warm-up
        samples = []
        for _ in range(repeats):
            elapsed, hits = timed(lambda q=query: service.search(q.text, **q.filters))
            samples.append(elapsed)
        empty += not hits
        tops.append([hit.answer_id for hit in hits])
        by_kind.setdefault(query.kind, []).extend(samples)
        fts_samples.append(samples)
    print(f"  {'class':<10} {'queries':>7} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for kind, samples in by_kind.items():
        count = sum(1 for q in plan if q.kind == kind)
        print(f"  {kind:<10} {count:>7} {percentile(samples, 0.5):>8.1f} {percentile(samples, 0.95):>8.1f} {max(samples):>8.1f}")
    everything = [s for samples in by_kind.values() for s in samples]
    print(f"  {'all':<10} {len(plan):>7} {percentile(everything, 0.5):>8.1f} {percentile(everything, 0.95):>8.1f} {max(everything):>8.1f}"
          f"   ({empty} queries found nothing); {load_average()}")
    slowest = sorted(zip(plan, fts_samples, strict=True), key=lambda item: -statistics.median(item[1]))[:5]
    print("  slowest (median ms): " + ", ".join(f"{q.text} {q.filters or ''} {statistics.median(s):.0f}" for q, s in slowest))
    result: dict[str, Any] = {"p95": {k: percentile(v, 0.95) for k, v in by_kind.items()}}
    # Exactness: the top 20 against a full ranking of every match, computed now.
    identical = overlap = 0.0
    for query, top in zip(plan, tops, strict=True):
        reference = full_ranking(service, query)[:20]
        identical += top == reference
        overlap += len(set(top) & set(reference)) / len(reference) if reference else float(not top)
    result["agreement"] = overlap / len(plan)
    print(f"  top-20 agreement with the full ranking: {overlap / len(plan):.3f} (mean overlap), "
          f"{identical:.0f}/{len(plan)} queries identical in order")
    # Correctness of the match sets: a brute-force scan over the same rows.
    rows = reference_rows(service)
    sample = [q for q in plan if q.kind != "filtered" or set(q.filters) == {"include_confidential"}][::4]
    wrong = []
    for query in sample:
        expected = brute_force(rows, query)
        got = set(full_ranking(service, query))
        if got != expected:
            wrong.append(f"{query.text}: {len(got)} vs {len(expected)}")
    del rows
    print(f"  match sets against a brute-force scan: {len(sample) - len(wrong)}/{len(sample)} queries equal"
          + (f" (differ: {'; '.join(wrong)})" if wrong else ""))
    result["brute_force"] = (len(sample) - len(wrong), len(sample))
    postgres = service._engine.dialect.name == "postgresql"
    chosen = plan if like_limit is None else plan[:: max(1, len(plan) // like_limit)]
    like_ms: list[float] = []
    fts_same: list[float] = []
    with service._engine.connect() as connection:
        for query in chosen:
            sql, params = like_sql(query, postgres)
            connection.execute(text(sql), params).all()  # the same warm-up and repeats as retain
            samples = [timed(lambda s=sql, p=params: connection.execute(text(s), p).all())[0] for _ in range(repeats)]
            like_ms.append(statistics.median(samples))
            fts_same.append(statistics.median(fts_samples[plan.index(query)]))
    ratio = sum(like_ms) / sum(fts_same)
    print(f"  LIKE '%...%' (20 rows, newest first by primary key, same warm-up and {repeats} repeats) over "
          f"{len(chosen)} queries: total of medians {sum(like_ms):.0f} ms vs {sum(fts_same):.0f} ms -> "
          f"LIKE/retain {ratio:.2f}x (median per query {statistics.median(like_ms):.1f} ms vs "
          f"{statistics.median(fts_same):.1f} ms)")
    result["like_ratio"] = ratio
    return result


def trigger_comparison(url_factory: Callable[[], str], size: int, seed: int) -> float:
    """Answers/s when every row is logged by its trigger (single saves) and then taken in by the
    next search, for the ratio."""
    url = url_factory()
    service, stats = load(url, size, seed, triggers=True)
    # Each row was logged by its trigger; the index takes them in at the next search.
    began = time.perf_counter()
    service.backend.index.current()
    catch_up = time.perf_counter() - began
    service._engine.dispose()
    return size / (stats.insert_s + catch_up)


def parse_size(value: str) -> int:
    value = value.strip().lower().replace("_", "")
    factor = 1
    if value.endswith("k"):
        factor, value = 1_000, value[:-1]
    elif value.endswith("m"):
        factor, value = 1_000_000, value[:-1]
    return int(float(value) * factor)


def bench_sqlite(size: int, workdir: Path, seed: int, like_limit: int | None, *, quick: bool = False) -> dict[str, Any]:
    """One SQLite size; ``quick`` skips the trigger comparison and rebuild (shared machines)."""
    path = workdir / f"search-{size}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    print(f"\nSQLite, {size:,} answers ({path}); {load_average()}")
    service, stats = load(database_url(str(path)), size, seed)
    load_rate = size / (stats.insert_s + stats.index_s)
    print(f"  bulk load (SearchService.bulk_load + add_answers): inserted and indexed side by side in "
          f"{stats.insert_s:.1f} s, committed and published in {stats.index_s:.1f} s -> "
          f"{load_rate:,.0f} answers/s end to end; {load_average()}")
    trigger_rate = 0.0
    if not quick:
        slice_size = min(size, 100_000)
        counter = iter(range(1000))
        trigger_rate = trigger_comparison(
            lambda: database_url(str(workdir / f"triggers-{next(counter)}.db")), slice_size, seed
        )
        for leftover in workdir.glob("triggers-*.db*"):
            if leftover.is_dir():
                shutil.rmtree(leftover)
            else:
                leftover.unlink()
        print(f"  per-row inserts (each logged by its trigger, then the next search) on {slice_size:,} answers: "
              f"{trigger_rate:,.0f} answers/s end to end "
              f"-> bulk load is {load_rate / trigger_rate:.1f}x faster")
    result = run_queries(service, "sqlite", like_limit, repeats=2 if quick else REPEATS)
    if not quick:
        began = time.perf_counter()
        service.rebuild()
        rebuild_s = time.perf_counter() - began
        print(f"  SearchService.rebuild() (a new index from every answer): {rebuild_s:.1f} s -> {size / rebuild_s:,.0f} answers/s")
    result.update(load_rate=load_rate, trigger_rate=trigger_rate)
    service._engine.dispose()
    index_dir = Path(f"{path}.search")
    index_bytes = sum(f.stat().st_size for f in index_dir.rglob("*") if f.is_file())
    print(f"  database size: {path.stat().st_size / 1e6:,.0f} MB; search index: {index_bytes / 1e6:,.0f} MB; "
          f"peak RSS of this process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")
    path.unlink()
    shutil.rmtree(index_dir, ignore_errors=True)
    return result


def bench_postgres(url: str, size: int, seed: int, like_limit: int | None) -> dict[str, Any]:
    base = database_url(url)
    admin = create_engine(base)
    schemas: list[str] = []

    def fresh() -> str:
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        with admin.begin() as connection:
            connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
        schemas.append(schema)
        joiner = "&" if "?" in base else "?"
        return f"{base}{joiner}options=-csearch_path%3D{schema}"

    try:
        print(f"\nPostgreSQL, {size:,} answers")
        service, stats = load(fresh(), size, seed)
        load_rate = size / (stats.insert_s + stats.index_s)
        print(f"  bulk load (add_answers: COPY and the index side by side): {stats.insert_s:.1f} s + commit "
              f"{stats.index_s:.1f} s -> {load_rate:,.0f} answers/s end to end; {load_average()}")
        trigger_rate = trigger_comparison(fresh, min(size, 20_000), seed)
        print(f"  row-by-row inserts (each logged for the index) on {min(size, 20_000):,}: {trigger_rate:,.0f} answers/s")
        result = run_queries(service, "postgres", like_limit)
        service._engine.dispose()
        result.update(load_rate=load_rate)
        return result
    finally:
        with admin.begin() as connection:
            for schema in schemas:
                connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        admin.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="100k,1M", help="SQLite sizes, e.g. 10k or 100k,1M (default 100k,1M)")
    parser.add_argument("--pg", default=os.environ.get("RETAIN_TEST_DB"), help="PostgreSQL URL (default RETAIN_TEST_DB)")
    parser.add_argument("--pg-size", default="100k", help="PostgreSQL size (default 100k)")
    parser.add_argument("--no-pg", action="store_true", help="Skip PostgreSQL.")
    parser.add_argument("--like-queries", type=int, default=None, help="Run the LIKE comparison on this many queries only.")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--quick", action="store_true",
                        help="SQLite: 2 timed repeats, no trigger comparison or rebuild (for 1M on a shared machine)")
    parser.add_argument("--workdir", type=Path, default=None, help="Where the SQLite files go (default: a temp dir).")
    args = parser.parse_args(argv)
    sizes = [parse_size(size) for size in args.sizes.split(",") if size.strip()]
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="retain-bench-", dir=args.workdir) as tmp:
        for size in sizes:
            results[f"sqlite {size:,}"] = bench_sqlite(size, Path(tmp), args.seed, args.like_queries, quick=args.quick)
    if args.pg and not args.no_pg:
        size = parse_size(args.pg_size)
        results[f"postgres {size:,}"] = bench_postgres(args.pg, size, args.seed, args.like_queries)
    print(f"\nsummary against the targets ({load_average()})")
    for name, result in results.items():
        p95 = result["p95"]
        word_target = 50.0
        other = max(p95.get("phrase", 0), p95.get("or", 0), p95.get("prefix", 0))
        checks = [f"single word p95 {p95.get('word', 0):.1f} ms (<= {word_target:.0f})",
                  f"phrase/OR/prefix p95 {other:.1f} ms (<= 150)",
                  f"exclusion p95 {p95.get('exclusion', 0):.1f} ms",
                  f"filtered p95 {p95.get('filtered', 0):.1f} ms",
                  f"top-20 agreement {result['agreement']:.3f} (>= 0.99)",
                  "brute-force match sets {}/{}".format(*result["brute_force"]),
                  f"LIKE/retain {result['like_ratio']:.2f}x"]
        checks.append(f"bulk load {result['load_rate']:,.0f} answers/s end to end (>= 50,000)")
        print(f"  {name}: " + "; ".join(checks))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
