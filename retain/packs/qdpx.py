"""REFI-QDA (.qdpx) projects: interviews as text sources, coded by question, entity and topic.

A .qdpx file is a zip holding ``project.qde`` (QDA-XML, urn:QDA-XML:project:1.0) and the plain
text of every source under a lowercase ``sources/`` folder (ATLAS.ti rejects ``Sources/``).
Texts are written LF-only and selections count Unicode code points, so positions cut out
exactly the answer or mention they code in any conforming reader.
"""

from __future__ import annotations

import re
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from xml.etree import ElementTree as ET

from retain.packs.pseudonymise import Pseudonymiser

NAMESPACE = "urn:QDA-XML:project:1.0"
# Stable GUIDs: the same store exported twice gives the same codes, sources and selections.
_GUIDS = uuid.UUID("6f1c3d2e-5b4a-4e8f-9d7c-2a1b0c9e8f70")
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def guid(*parts: object) -> str:
    """A deterministic GUID for a thing named by ``parts``."""
    return str(uuid.uuid5(_GUIDS, "\x1f".join(str(p) for p in parts)))


def xml_text(value: str) -> str:
    """Text XML 1.0 can hold: control characters other than tab and newlines removed."""
    return _XML_BAD.sub("", value)


def lf_only(text: str) -> str:
    """LF line ends with every position kept: CRLF becomes space + LF, a lone CR becomes LF."""
    return text.replace("\r\n", " \n").replace("\r", "\n")


@dataclass(frozen=True)
class QdaMention:
    """An entity found in an answer: offsets into the answer's text."""

    start: int
    end: int
    label: str
    key: str
    text: str


@dataclass(frozen=True)
class QdaAnswer:
    """One answer: its question and what was extracted from it."""

    section_id: str
    section_title: str
    question_id: str
    prompt: str
    number: int
    body: str
    mentions: list[QdaMention] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class QdaInterview:
    """One interview as a text source, and the case (person) it belongs to."""

    interview_id: int
    guide_id: str
    guide_title: str
    track: str
    person: str
    person_status: str
    person_role: str
    interviewer: str
    created_at: datetime
    answers: list[QdaAnswer]


@dataclass
class QdaCounts:
    """What a project holds, for the caller's summary and for tests."""

    sources: int = 0
    selections: int = 0
    codings: int = 0
    codes: int = 0
    cases: int = 0
    users: int = 0


@dataclass(frozen=True)
class Selection:
    """A coded span of a source text."""

    start: int
    end: int
    code: str
    name: str


def source_text(interview: QdaInterview) -> tuple[str, list[Selection]]:
    """The plain text of an interview and its selections (positions into that text)."""
    header = [
        f"Interview {interview.interview_id}: {interview.person} — {interview.guide_title}",
        f"Track: {interview.track} · Interviewer: {interview.interviewer or 'not recorded'}",
        "",
    ]
    parts: list[str] = ["\n".join(header)]
    length = len(parts[0])
    selections: list[Selection] = []
    section = None
    for answer in interview.answers:
        if answer.section_id != section:
            section = answer.section_id
            block = f"\n{answer.section_title}\n"
            parts.append(block)
            length += len(block)
        question = f"\nQ{answer.number}. {lf_only(answer.prompt)}\n"
        parts.append(question)
        length += len(question)
        body = lf_only(answer.body)
        start = length
        parts.append(body + "\n")
        length += len(body) + 1
        name = f"{interview.person} · {answer.question_id}"
        selections.append(Selection(start, start + len(body), guid("question", interview.guide_id,
                                                                    answer.question_id), name))
        for topic in answer.topics:
            selections.append(Selection(start, start + len(body), guid("topic", topic.casefold()), name))
        for mention in answer.mentions:
            if 0 <= mention.start < mention.end <= len(body) and body[mention.start : mention.end] == lf_only(mention.text):
                selections.append(
                    Selection(start + mention.start, start + mention.end,
                              guid("entity", mention.label, mention.key), mention.text)
                )
    return "".join(parts), selections


def pseudonymised(interview: QdaInterview, pseudonyms: Pseudonymiser) -> QdaInterview:
    """The interview with names, e-mail addresses and phone numbers replaced, offsets redone.

    Each answer is rewritten piece by piece (the text between mentions, then each mention),
    so every mention's new offsets still cut out exactly its new text.
    """
    answers: list[QdaAnswer] = []
    for answer in interview.answers:
        body, cursor, moved = [], 0, []
        length = 0
        for mention in sorted(answer.mentions, key=lambda m: (m.start, -m.end)):
            if mention.start < cursor or mention.end > len(answer.body):
                continue  # overlapping or out of range: dropped rather than misplaced
            before = pseudonyms.text(answer.body[cursor : mention.start])
            inner = pseudonyms.text(answer.body[mention.start : mention.end])
            body += [before, inner]
            start = length + len(before)
            length = start + len(inner)
            key = " ".join(inner.split()).casefold()
            moved.append(QdaMention(start, length, mention.label, key, inner))
            cursor = mention.end
        body.append(pseudonyms.text(answer.body[cursor:]))
        answers.append(replace(answer, body="".join(body), mentions=moved,
                               topics=[pseudonyms.text(t) for t in answer.topics]))
    return replace(
        interview, person=pseudonyms.text(interview.person),
        interviewer=pseudonyms.text(interview.interviewer) if interview.interviewer else "",
        answers=answers,
    )


def source_path(interview_id: int) -> str:
    """Where an interview's plain text sits in the zip."""
    return f"sources/{guid('source', interview_id)}.txt"


def source_name(interview: QdaInterview) -> str:
    """A source's display name; some tools save it as a file name, so no path separators."""
    name = f"{interview.interview_id} {interview.person} — {interview.guide_title}"
    return re.sub(r"[/\\:*?\"<>|]", "-", name)


def _el(parent: ET.Element, tag: str, **attrs: str) -> ET.Element:
    return ET.SubElement(parent, f"{{{NAMESPACE}}}{tag}", {k: xml_text(v) for k, v in attrs.items()})


def _codebook(root: ET.Element, interviews: list[QdaInterview], counts: QdaCounts) -> None:
    codes = _el(_el(root, "CodeBook"), "Codes")
    guides = _el(codes, "Code", guid=guid("root", "guides"), name="Interview guide", isCodable="false")
    seen_guides: dict[str, ET.Element] = {}
    seen_sections: dict[tuple[str, str], ET.Element] = {}
    seen_questions: set[tuple[str, str]] = set()
    labels: dict[str, ET.Element] = {}
    entities: set[tuple[str, str]] = set()
    topics: dict[str, str] = {}
    entity_root = _el(codes, "Code", guid=guid("root", "entities"), name="Entities", isCodable="false")
    topic_root = _el(codes, "Code", guid=guid("root", "topics"), name="Topics", isCodable="false")
    counts.codes += 3
    for interview in interviews:
        if interview.guide_id not in seen_guides:
            seen_guides[interview.guide_id] = _el(
                guides, "Code", guid=guid("guide", interview.guide_id),
                name=f"{interview.guide_title} ({interview.guide_id})", isCodable="false",
            )
            counts.codes += 1
        for answer in interview.answers:
            skey = (interview.guide_id, answer.section_id)
            if skey not in seen_sections:
                seen_sections[skey] = _el(
                    seen_guides[interview.guide_id], "Code", guid=guid("section", *skey),
                    name=answer.section_title or answer.section_id, isCodable="false",
                )
                counts.codes += 1
            qkey = (interview.guide_id, answer.question_id)
            if qkey not in seen_questions:
                seen_questions.add(qkey)
                code = _el(seen_sections[skey], "Code", guid=guid("question", *qkey),
                           name=f"{answer.question_id}: {answer.prompt}"[:250], isCodable="true")
                _el(code, "Description").text = xml_text(answer.prompt)
                counts.codes += 1
            for mention in answer.mentions:
                if mention.label not in labels:
                    labels[mention.label] = _el(entity_root, "Code", guid=guid("label", mention.label),
                                                name=mention.label, isCodable="false")
                    counts.codes += 1
                if (mention.label, mention.key) not in entities:
                    entities.add((mention.label, mention.key))
                    _el(labels[mention.label], "Code", guid=guid("entity", mention.label, mention.key),
                        name=mention.text, isCodable="true")
                    counts.codes += 1
            for topic in answer.topics:
                topics.setdefault(topic.casefold(), topic)
    for key, phrase in sorted(topics.items()):
        _el(topic_root, "Code", guid=guid("topic", key), name=phrase, isCodable="true")
        counts.codes += 1


def build_project(interviews: Iterable[QdaInterview], *, name: str, created: datetime) -> tuple[bytes, dict[str, str], QdaCounts]:
    """The ``project.qde`` XML and the source texts (zip path -> text) of a project."""
    items = list(interviews)
    counts = QdaCounts()
    ET.register_namespace("", NAMESPACE)
    stamp = created.replace(microsecond=0).isoformat()
    creator = guid("user", "retain")
    root = ET.Element(f"{{{NAMESPACE}}}Project", {
        "name": xml_text(name), "origin": "retain", "creatingUserGUID": creator, "creationDateTime": stamp,
    })
    users = _el(root, "Users")
    _el(users, "User", guid=creator, name="retain")
    interviewers = sorted({i.interviewer for i in items if i.interviewer})
    for person in interviewers:
        _el(users, "User", guid=guid("user", person), name=person)
    counts.users = 1 + len(interviewers)
    _codebook(root, items, counts)
    variables = _el(root, "Variables")
    for var in ("Status", "Role"):
        _el(variables, "Variable", guid=guid("variable", var), name=var, typeOfVariable="Text")
    cases = _el(root, "Cases")
    by_person: dict[str, list[QdaInterview]] = {}
    for interview in items:
        by_person.setdefault(interview.person, []).append(interview)
    for person, theirs in sorted(by_person.items()):
        case = _el(cases, "Case", guid=guid("case", person), name=person)
        for var, value in (("Status", theirs[0].person_status), ("Role", theirs[0].person_role)):
            holder = _el(case, "VariableValue")
            _el(holder, "VariableRef", targetGUID=guid("variable", var))
            _el(holder, "TextValue").text = xml_text(value or "")
        for interview in theirs:
            _el(case, "SourceRef", targetGUID=guid("source", interview.interview_id))
    counts.cases = len(by_person)
    sources = _el(root, "Sources")
    texts: dict[str, str] = {}
    for interview in items:
        text, selections = source_text(interview)
        source_guid = guid("source", interview.interview_id)
        user = guid("user", interview.interviewer) if interview.interviewer else creator
        source = _el(sources, "TextSource", guid=source_guid,
                     name=source_name(interview),
                     plainTextPath=f"internal://{source_guid}.txt", creatingUser=user,
                     creationDateTime=interview.created_at.replace(microsecond=0).isoformat())
        for n, sel in enumerate(selections):
            node = _el(source, "PlainTextSelection", guid=guid("selection", interview.interview_id, n),
                       name=sel.name[:250], startPosition=str(sel.start), endPosition=str(sel.end),
                       creatingUser=user)
            coding = _el(node, "Coding", guid=guid("coding", interview.interview_id, n), creatingUser=user)
            _el(coding, "CodeRef", targetGUID=sel.code)
        counts.selections += len(selections)
        counts.codings += len(selections)
        texts[source_path(interview.interview_id)] = text
    counts.sources = len(items)
    if not items:
        root.remove(sources)
        root.remove(cases)
    xml = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return xml, texts, counts


def write_qdpx(path: Path, xml: bytes, texts: dict[str, str]) -> None:
    """Write the zip: ``project.qde`` first, then the sources, UTF-8 and LF-only."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", xml)
        for name, text in texts.items():
            archive.writestr(name, text.encode("utf-8"))
