"""Who knows about a topic, and the knowledge map: what only leaving or departed people hold."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict, namedtuple
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from retain.clock import today as utc_today
from retain.domain.entities import group_mentions, usual_spelling
from retain.domain.types import JsonObject
from retain.domain.visibility import reader_for
from retain.errors import InvalidInput
from retain.guides.outline import snapshot_purposes
from retain.nlp.normalize import mention_key
from retain.services.evidence_text import (
    TopicMatcher,
    excerpt,
    risk_phrase_near,
    sentence_ends,
    sentence_of,
    topic_snippet,
)
from retain.services.search import SearchService
from retain.store.rows import RowReader, as_rows, date_param, expand
from retain.store.search import (
    iter_chunks,
    like_escape,
    normalise_key,
)
from retain.store.search.query import check_filter, clean_text, fold
from retain.store.status import status_sql

if TYPE_CHECKING:
    from sqlalchemy import Engine

# Evidence weights: an extracted entity is the strongest sign someone explained a thing, a key
# phrase of their answer next, a bare full-text hit the weakest. Being named by a colleague as
# the person to ask counts as much as a key phrase.
WEIGHT_MENTION = 3
WEIGHT_TOPIC = 2
WEIGHT_TEXT = 1
WEIGHT_NAMED = 2
STATUS_ORDER = {"active": 0, "leaving": 1, "left": 2, "unknown": 3}
DEPARTING = frozenset({"leaving", "left"})
MAP_LABELS = ("SYSTEM", "ORG")
TOPIC_LABEL = "TOPIC"
# A contact row must carry this share of the topic's words to count as naming someone for it.
MIN_ROW_COVERAGE = 0.5
# How many full-text hits feed `who`; beyond this the evidence adds nothing to the ranking.
TEXT_HITS = 200
MAX_EVIDENCE = 10

# A person's status as read today: a leaving date in the past reads as left (issue 11).
STATUS = status_sql("p")


@dataclass
class Evidence:
    """One answer (or contact row) that shows someone knows about a topic."""

    interview: int
    question: str
    snippet: str

    def to_json(self) -> JsonObject:
        """``{"interview", "question", "snippet"}``."""
        return {"interview": self.interview, "question": self.question, "snippet": self.snippet}


@dataclass
class WhoEntry:
    """A person who knows about a topic, with the evidence for it."""

    person: str
    status: str
    count: int
    evidence: list[Evidence]
    named_by: list[str] = field(default_factory=list)
    score: float = 0.0

    def to_json(self) -> JsonObject:
        """The JSON shape of ``retain who --json`` (DESIGN.md), plus ``named_by`` and ``score``."""
        return {
            "person": self.person,
            "status": self.status,
            "count": self.count,
            "evidence": [item.to_json() for item in self.evidence],
            "named_by": self.named_by,
            "score": self.score,
        }


@dataclass
class MapEntry:
    """One system, organisation or topic, who holds it, and whether that knowledge is at risk."""

    item: str
    label: str
    people: list[tuple[str, str]]
    at_risk: bool
    reason: str | None = None
    mentions: int = 0

    def to_json(self) -> JsonObject:
        """The JSON shape of ``retain map --json`` (DESIGN.md), plus ``reason`` and ``mentions``."""
        return {
            "item": self.item,
            "label": self.label,
            "people": [{"name": name, "status": status} for name, status in self.people],
            "at_risk": self.at_risk,
            "reason": self.reason,
            "mentions": self.mentions,
        }


@dataclass
class _Holder:
    status: str
    answers: dict[int, tuple[int, Evidence]] = field(default_factory=dict)
    named: list[tuple[str, Evidence, float]] = field(default_factory=list)

    def add(self, answer_id: int, weight: int, evidence: Evidence) -> None:
        current = self.answers.get(answer_id)
        if current is None or current[0] < weight:
            self.answers[answer_id] = (weight, evidence)


def _purposes(snapshot: object) -> dict[str, str]:
    """Question id -> purpose, read from a guide snapshot (old records keep their own guide).

    Read from the JSON, not validated into a ``Guide``: pydantic and the schema would be most
    of ``retain who``'s start-up, for two fields per question.
    """
    return snapshot_purposes(snapshot) if isinstance(snapshot, dict) else {}


class KnowledgeService:
    """Answers "who knows about X?" and maps which knowledge is held by whom."""

    def __init__(self, source: Engine | RowReader) -> None:
        # Plain SQL through a row reader: on the command line that is sqlite3 alone, so
        # `retain who` imports no SQLAlchemy (the search it runs reads the same way).
        self._rows = as_rows(source)
        self._search = SearchService(source)

    # -- who ------------------------------------------------------------------------------
    def who(self, topic: str, *, include_confidential: bool = False, limit: int = 20) -> list[WhoEntry]:
        """People ranked by the evidence that they know about ``topic``.

        Evidence is, strongest first: an extracted entity whose normalised key equals or
        contains the topic; an answer key phrase containing it; a full-text hit on their
        answers. People that others named as contacts for the topic (a row of a contacts
        question, or a person named next to it in a "who else knows" answer) are listed too,
        with ``named_by``.

        Args:
            topic: What to ask about, e.g. "payroll interface" or "PayBridge".
            include_confidential: Use confidential answers as evidence (excluded by default).
            limit: How many people to return.

        Returns:
            Entries, best evidence first; ties go to active people, then leaving, then left.

        Raises:
            InvalidInput: For an empty topic or a limit below 1.
        """
        check_filter("the topic", topic)
        topic = clean_text(topic)  # no control characters (PostgreSQL refuses NUL)
        key = normalise_key(topic)
        matcher = TopicMatcher(key)
        if not key or not matcher.words:
            raise InvalidInput("give a topic to ask about, e.g. retain who \"payroll interface\"")
        if limit < 1:
            raise InvalidInput(f"--limit must be at least 1, not {limit}")
        holders: dict[str, _Holder] = {}
        visibility = reader_for(include_confidential).answer_sql("a")
        pattern = f"%{like_escape(key)}%"
        # The key extraction gives the same entity ("Jira Cloud" and "JIRA" are both "jira").
        entity = mention_key(topic) or key
        mention_rows = self._select(
            "answer_id start end text body question_id interview_id name status",
            "SELECT m.answer_id, m.start, m.\"end\", m.text, a.body, a.question_id, "
            f"a.interview_id, p.name, {STATUS} AS status FROM mention m "
            "JOIN answer a ON a.id = m.answer_id JOIN interview i ON i.id = a.interview_id "
            "JOIN person p ON p.id = i.person_id "
            f"WHERE (m.key IN (:key, :entity) OR m.key LIKE :pattern ESCAPE '\\'){visibility} "
            "ORDER BY m.answer_id, m.start",
            {"key": key, "entity": entity, "pattern": pattern},
        )
        topic_rows = self._select(
            "answer_id phrase body question_id interview_id name status",
            "SELECT t.answer_id, t.phrase, a.body, a.question_id, a.interview_id, p.name, "
            f"{STATUS} AS status FROM topic t JOIN answer a ON a.id = t.answer_id "
            "JOIN interview i ON i.id = a.interview_id JOIN person p ON p.id = i.person_id "
            f"WHERE lower(t.phrase) LIKE :pattern ESCAPE '\\'{visibility} ORDER BY t.score DESC",
            {"pattern": pattern},
        )
        for row in mention_rows:
            holder = holders.setdefault(row.name, _Holder(row.status))
            snippet = excerpt(row.body, int(row.start), int(row.end))
            holder.add(int(row.answer_id), WEIGHT_MENTION, Evidence(int(row.interview_id), row.question_id, snippet))
        for row in topic_rows:
            holder = holders.setdefault(row.name, _Holder(row.status))
            holder.add(
                int(row.answer_id),
                WEIGHT_TOPIC,
                Evidence(int(row.interview_id), row.question_id, topic_snippet(row.body, matcher)),
            )
        # The topic's words, all required, with none read as query syntax ("-", "OR", quotes).
        hits = self._search.search(
            " ".join(matcher.words), include_confidential=include_confidential, limit=TEXT_HITS
        )
        for hit in hits:
            holder = holders.setdefault(hit.person, _Holder(hit.person_status))
            holder.add(hit.answer_id, WEIGHT_TEXT, Evidence(hit.interview_id, hit.question_id, hit.snippet))
        self._named_contacts(holders, matcher, [hit.answer_id for hit in hits])
        return self._rank(holders)[:limit]

    def _named_contacts(self, holders: dict[str, _Holder], matcher: TopicMatcher, answer_ids: list[int]) -> None:
        """Add the people named as contacts for the topic in the given (already visible) answers."""
        if not answer_ids:
            return
        rows: list[Any] = []
        people_mentions: dict[int, list[Any]] = defaultdict(list)
        for chunk in iter_chunks(answer_ids):
            rows.extend(
                self._select(
                    "id question_id items body interview_id guide_snapshot name",
                    *expand(
                        "SELECT a.id, a.question_id, a.items, a.body, a.interview_id, "
                        "i.guide_snapshot, p.name FROM answer a "
                        "JOIN interview i ON i.id = a.interview_id "
                        "JOIN person p ON p.id = i.person_id WHERE a.id IN (:ids)",
                        "ids", chunk,
                    ),
                    json_columns=("items", "guide_snapshot"),
                )
            )
            for mention in self._select(
                "answer_id text start end name status",
                *expand(
                    f"SELECT m.answer_id, m.text, m.start, m.\"end\", p.name, {STATUS} AS status "
                    "FROM mention m LEFT JOIN person p ON p.id = m.person_id "
                    "WHERE m.label = 'PERSON' AND m.answer_id IN (:ids)",
                    "ids", chunk,
                ),
            ):
                people_mentions[int(mention.answer_id)].append(mention)
        purposes_by_interview: dict[int, dict[str, str]] = {}
        named: list[tuple[str, str, Evidence, float]] = []  # (contact, named by, evidence, weight)
        for row in rows:
            interview_id = int(row.interview_id)
            if interview_id not in purposes_by_interview:
                snapshot = row.guide_snapshot
                purposes_by_interview[interview_id] = _purposes(snapshot)
            purpose = purposes_by_interview[interview_id].get(row.question_id)
            if purpose == "contacts":
                for item in row.items or []:
                    if not isinstance(item, dict):
                        continue
                    values = [str(v) for v in item.values() if v]
                    name = str(item.get("name") or (values[0] if values else "")).strip()
                    if not name or normalise_key(name) == normalise_key(row.name):
                        continue
                    line = "; ".join(values)
                    # The answer as a whole matched every topic word; a row that carries at
                    # least half of them is about the topic ("payroll interface": Kwame
                    # "runs the server the interface runs on").
                    share = matcher.coverage(line)
                    if share >= MIN_ROW_COVERAGE:
                        evidence = Evidence(interview_id, row.question_id, matcher.highlight(line))
                        named.append((name, row.name, evidence, share))
            elif purpose == "who_else_knows":
                body = row.body or ""
                ends = sentence_ends(body)
                topic_sentences = {
                    sentence_of(ends, match.start())
                    for match in re.finditer(r"\w+", body)
                    if fold(match.group()) in matcher.all_forms
                }
                for mention in people_mentions.get(int(row.id), []):
                    if sentence_of(ends, int(mention.start)) in topic_sentences:
                        contact = mention.name or " ".join(str(mention.text).split())
                        if normalise_key(contact) != normalise_key(row.name):
                            snippet = excerpt(body, int(mention.start), int(mention.end))
                            named.append((contact, row.name, Evidence(interview_id, row.question_id, snippet), 1.0))
        statuses = self._statuses([contact for contact, *_ in named])
        for contact, namer, evidence, weight in named:
            existing = next((name for name in holders if normalise_key(name) == normalise_key(contact)), None)
            holder = holders.setdefault(existing or contact, _Holder(statuses.get(normalise_key(contact), "unknown")))
            holder.named.append((namer, evidence, weight))

    def _select(
        self, fields: str, sql: str, params: dict[str, Any] | None = None, *, json_columns: Sequence[str] = ()
    ) -> list[Any]:
        """The rows of ``sql`` as records with ``fields`` (``row.name``), ``:status_today`` bound.

        JSON columns come back parsed: sqlite3 hands them over as text, psycopg parsed.
        """
        bound = dict(params or {})
        if ":status_today" in sql:
            bound["status_today"] = date_param(self._rows.dialect, utc_today())
        record = _record(fields)
        found = [record(*row) for row in self._rows.rows(sql, bound)]
        if json_columns:
            found = [row._replace(**{c: _json(getattr(row, c)) for c in json_columns}) for row in found]
        return found

    def _statuses(self, names: Sequence[str]) -> dict[str, str]:
        keys = sorted({normalise_key(name) for name in names})
        if not keys:
            return {}
        rows = self._select(
            "name status", *expand(f"SELECT p.name, {STATUS} AS status FROM person p WHERE lower(p.name) IN (:keys)",
                                   "keys", keys),
        )
        return {normalise_key(row.name): str(row.status) for row in rows}

    @staticmethod
    def _rank(holders: dict[str, _Holder]) -> list[WhoEntry]:
        entries: list[WhoEntry] = []
        for name, holder in holders.items():
            answers = sorted(holder.answers.values(), key=lambda pair: -pair[0])
            score = sum(weight for weight, _ in answers) + sum(WEIGHT_NAMED * w for *_, w in holder.named)
            evidence = [item for _, item in answers] + [item for _, item, _ in holder.named]
            named_by = sorted({namer for namer, *_ in holder.named}, key=str.casefold)
            entries.append(
                WhoEntry(
                    person=name,
                    status=holder.status,
                    count=len(answers) + len(holder.named),
                    evidence=evidence[:MAX_EVIDENCE],
                    named_by=named_by,
                    score=round(score, 2),
                )
            )
        entries.sort(key=lambda e: (-e.score, STATUS_ORDER.get(e.status, 9), e.person.casefold()))
        return entries

    # -- map ------------------------------------------------------------------------------
    def map(
        self, *, include_confidential: bool = False, label: str | None = None, at_risk_only: bool = False
    ) -> list[MapEntry]:
        """Knowledge concentration: for each system, organisation and key topic, who holds it.

        An item is at risk when everyone who talked about it is leaving or has left, or when an
        answer that mentions it says "nobody else knows" (or "only I know", "the only person
        who", "single point of failure") in the same or the next sentence.

        Args:
            include_confidential: Count confidential answers too (excluded by default).
            label: Only this label: ``SYSTEM``, ``ORG``, ``TOPIC`` or another entity label.
            at_risk_only: Only the items at risk.

        Returns:
            At-risk items first, then the most concentrated (fewest holders), then the most
            talked about.
        """
        wanted = clean_text(label).strip().upper() if label is not None else None
        if wanted == "":
            raise InvalidInput("--label needs a value such as SYSTEM, ORG or TOPIC")
        labels = (wanted,) if wanted else MAP_LABELS
        groups: dict[tuple[str, str], list[Any]] = defaultdict(list)
        visibility = reader_for(include_confidential).answer_sql("a")
        if wanted != TOPIC_LABEL:
            rows = self._select(
                "key label text start end answer_id body question_id name status",
                *expand(
                    "SELECT m.key, m.label, m.text, m.start, m.\"end\", m.answer_id, a.body, "
                    f"a.question_id, p.name, {STATUS} AS status FROM mention m "
                    "JOIN answer a ON a.id = m.answer_id JOIN interview i ON i.id = a.interview_id "
                    "JOIN person p ON p.id = i.person_id "
                    f"WHERE m.label IN (:labels){visibility}",
                    "labels", list(labels),
                ),
            )
            for group in group_mentions(rows, key=lambda row: normalise_key(row.key or row.text)):
                groups[(group.label, group.key)].extend(
                    (row.text, int(row.start), int(row.end), int(row.answer_id), row.body, row.name, row.status)
                    for row in group.mentions
                )
        if wanted in (None, TOPIC_LABEL):
            self._topic_groups(groups, visibility)
        entries = [
            entry
            for (label_, key), items in groups.items()
            # A one-word topic said once ("dashboard", "layer") is noise, not knowledge.
            if label_ != TOPIC_LABEL or " " in key or len({item[3] for item in items}) > 1
            for entry in [self._map_entry(label_, items)]
        ]
        if at_risk_only:
            entries = [entry for entry in entries if entry.at_risk]
        # At risk first, the most talked-about first (the knowledge most work depends on);
        # then the rest by concentration, fewest holders first.
        entries.sort(
            key=lambda e: (
                not e.at_risk,
                e.label == TOPIC_LABEL if e.at_risk else len(e.people),
                -e.mentions,
                e.item.casefold(),
            )
        )
        return entries

    def _topic_groups(self, groups: dict[tuple[str, str], list[Any]], visibility: str) -> None:
        """Add the key topics: answer phrases that are also top phrases of their interview.

        Every answer has a few key phrases, most of them too small to map ("the month"); the
        interview-level phrases say what an interview was about. Where extraction wrote no
        interview-level phrases, an answer's top three are used.
        """
        interview_topics: dict[int, set[str]] = defaultdict(set)
        for row in self._select("interview_id phrase", "SELECT interview_id, phrase FROM topic WHERE answer_id IS NULL"):
            interview_topics[int(row.interview_id)].add(normalise_key(row.phrase))
        rows = self._select(
            "phrase score answer_id interview_id body name status",
            f"SELECT t.phrase, t.score, t.answer_id, a.interview_id, a.body, p.name, {STATUS} AS status "
            "FROM topic t JOIN answer a ON a.id = t.answer_id "
            "JOIN interview i ON i.id = a.interview_id JOIN person p ON p.id = i.person_id "
            f"WHERE t.answer_id IS NOT NULL{visibility} ORDER BY t.answer_id, t.score DESC",
        )
        taken: Counter[int] = Counter()
        existing = {key for _, key in groups}
        for row in rows:
            key = normalise_key(row.phrase)
            interview_id = int(row.interview_id)
            if not key or key in existing:
                continue
            if interview_topics.get(interview_id):
                if key not in interview_topics[interview_id]:
                    continue
            elif taken[int(row.answer_id)] >= 3:
                continue
            taken[int(row.answer_id)] += 1
            body = row.body or ""
            start = fold(body).find(fold(row.phrase))
            span = (start, start + len(row.phrase)) if start >= 0 else (-1, -1)
            groups[(TOPIC_LABEL, key)].append(
                (row.phrase, span[0], span[1], int(row.answer_id), body, row.name, row.status)
            )

    @staticmethod
    def _map_entry(label: str, items: list[Any]) -> MapEntry:
        surface = usual_spelling(item[0] for item in items)
        people: dict[str, str] = {}
        for *_, name, status in items:
            people[name] = status
        reason: str | None = None
        if people and all(status in DEPARTING for status in people.values()):
            reason = "only people leaving or gone hold it"
        else:
            spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
            bodies: dict[int, tuple[str, str]] = {}
            for _, start, end, answer_id, body, name, _ in items:
                if start >= 0:
                    spans[answer_id].append((start, end))
                    bodies[answer_id] = (body or "", name)
            for answer_id, answer_spans in spans.items():
                body, name = bodies[answer_id]
                phrase = risk_phrase_near(body, answer_spans)
                if phrase:
                    reason = f'{name} said "{phrase}"'
                    break
        return MapEntry(
            item=surface,
            label=label,
            people=sorted(people.items(), key=lambda p: (STATUS_ORDER.get(p[1], 9), p[0].casefold())),
            at_risk=reason is not None,
            reason=reason,
            mentions=len({item[3] for item in items}),
        )


@lru_cache(maxsize=32)
def _record(fields: str) -> Any:
    """A record type with these (space-separated) fields, read by name as the SQL rows were."""
    return namedtuple("Row", fields)


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


__all__ = ["Evidence", "KnowledgeService", "MapEntry", "WhoEntry"]
