"""Map transcript turns onto a guide: speaker roles, question matching, answers and confidence."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from retain.guides.schema import Guide
from retain.imports.model import Transcript, TranscriptError, Turn

# Scores are cosine similarities in [0, 1]. At or above ACCEPT a mapping is saved as an
# answer; between REVIEW and ACCEPT it is kept for review instead; below REVIEW the
# interviewer's question is taken as off the guide.
ACCEPT = 0.30
REVIEW = 0.16
# A question that sits next in guide order after the last one asked gets a small push:
# interviews mostly follow the guide, and it settles near ties.
NEXT_BONUS = 0.04

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
_SENTENCE = re.compile(r"(?<=[.?!])\s+")
_ASKING = re.compile(
    r"^(?:so,?\s+|and\s+|okay,?\s+|ok,?\s+|right,?\s+|now,?\s+|then,?\s+)*"
    r"(what|what's|whats|who|who's|whom|whose|how|why|when|where|which|can|could|would|will|do|"
    r"does|did|is|are|was|were|have|has|had|should|shall|may|might|tell me|walk me|talk me|"
    r"take me|describe|explain|talk about|give me|let's talk|i'd like to hear|i'd love to hear)\b",
    re.IGNORECASE,
)
_CLOSING = re.compile(
    r"\b(that's all|that is all|that's everything|that's it from me|we're done|we are done|"
    r"wrap (?:things )?up|good luck|all the best|thanks for your time|thank you for your time|"
    r"thanks so much for doing this|let's stop there|we'll stop there)\b",
    re.IGNORECASE,
)
_STOP = frozenset(
    """a about above after again against all am an and any are aren't as at be because been
    before being below between both but by can could did didn't do does doesn't doing don't
    down during each few for from further had has have having he her here hers herself him
    himself his how i i'd i'll i'm i've if in into is isn't it it's its itself just let's
    me more most my myself no nor not now of off on once only or other our ours ourselves out
    over own really right same she should so some such than that that's the their theirs them
    themselves then there there's these they they're this those through to too under until up
    very was we we're were what what's when where which while who who's whom why will with
    would you you'd you'll you're you've your yours yourself yourselves so okay ok well yeah
    um uh like maybe kind sort bit thing things actually tell walk talk take give say mean
    also one two get got go going think know want lot much many way something anything
    everything anyone someone anybody somebody""".split()  # noqa: SIM905
)
_SUFFIXES = ("ies", "ing", "ed", "es", "s", "ly")
# Words interviewers use for the same thing in handover and exit talk, folded onto one stem so
# a paraphrase ("your replacement", "logins", "traps") meets the guide's wording.
_SYNONYMS = {
    "replacement": "successor", "successor": "successor", "newcomer": "successor",
    "login": "access", "logins": "access", "credential": "access", "credentials": "access",
    "permission": "access", "permissions": "access",
    "software": "system", "app": "system", "apps": "system", "application": "system",
    "applications": "system", "platform": "system", "platforms": "system", "tool": "system",
    "tools": "system", "systems": "system",
    "routine": "rhythm", "routines": "rhythm", "regular": "rhythm", "regularly": "rhythm",
    "schedule": "rhythm", "cadence": "rhythm",
    "trap": "risk", "traps": "risk", "pitfall": "risk", "pitfalls": "risk", "landmine": "risk",
    "landmines": "risk", "danger": "risk", "dangers": "risk", "risks": "risk",
    "sensitive": "sensitiv", "sensitivities": "sensitiv", "sensitivity": "sensitiv",
    "tip": "advice", "tips": "advice", "recommend": "advice", "recommendation": "advice",
    "disappear": "vanish", "disappeared": "vanish", "vanished": "vanish", "vanish": "vanish",
    "rang": "call", "ring": "call", "phoned": "call", "phone": "call", "called": "call",
    "wrong": "wrong", "fail": "break", "failed": "break", "broke": "break", "breaks": "break",
    "contacts": "contact", "reach": "contact",
    "hack": "workaround", "hacks": "workaround", "workarounds": "workaround",
    "unofficial": "workaround",
}


def tokens(text: str) -> list[str]:
    """Content words, lower-cased and lightly stemmed (enough to meet paraphrases halfway)."""
    out: list[str] = []
    for word in _WORD.findall(text.casefold()):
        if word in _SYNONYMS:
            out.append(_SYNONYMS[word])
            continue
        if word in _STOP or len(word) < 3:
            continue
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                word = word[: -len(suffix)]
                break
        out.append(word)
    return out


def asks(text: str) -> bool:
    """Whether a turn asks something: a question mark, or a sentence opening as a question."""
    if "?" in text:
        return True
    return any(_ASKING.match(s) for s in _SENTENCE.split(text.strip()))


def _asking_part(text: str) -> str:
    """The sentences of a turn that ask, so small talk before the question does not dilute it."""
    sentences = _SENTENCE.split(text.strip())
    picked = [s for s in sentences if "?" in s or _ASKING.match(s)]
    return " ".join(picked) or text


@dataclass(frozen=True)
class Speaker:
    """A speaker as the transcript names them, with the role retain gave them."""

    name: str
    role: str  # interviewer | interviewee | other
    turns: int
    words: int
    questions: int

    def to_json(self) -> dict[str, object]:
        """The JSON shape in the import document."""
        return {"name": self.name, "role": self.role, "turns": self.turns, "words": self.words}


@dataclass
class Segment:
    """Consecutive turns that belong together: one question's answer, or unmapped talk."""

    turns: list[int]
    question: str | None = None  # the guide question the answer belongs to
    score: float = 0.0
    asked: int | None = None  # the interviewer turn that asked it
    suggestion: str | None = None  # best guess for unmapped talk
    reason: str = ""  # answer | low-confidence | small-talk | off-guide | interruption | no-speakers

    @property
    def review(self) -> bool:
        """Whether a person should confirm this mapping before it counts as an answer."""
        return self.reason == "low-confidence"


@dataclass
class Mapping:
    """The result of mapping a transcript onto a guide."""

    transcript: Transcript
    speakers: list[Speaker]
    interviewer: str | None
    interviewee: str | None
    guessed: bool
    segments: list[Segment] = field(default_factory=list)

    def answer_text(self, segment: Segment) -> str:
        """The interviewee's words in a segment, one paragraph per turn."""
        turns = self.transcript.turns
        return "\n\n".join(turns[i].text for i in segment.turns if turns[i].speaker == self.interviewee)

    def span(self, segment: Segment) -> tuple[float | None, float | None]:
        """The start and end time of a segment: of the interviewee's turns, for an answer."""
        turns = [self.transcript.turns[i] for i in segment.turns]
        if segment.question is not None:
            turns = [t for t in turns if t.speaker == self.interviewee] or turns
        starts = [t.start for t in turns if t.start is not None]
        ends = [t.end for t in turns if t.end is not None]
        return (min(starts) if starts else None, max(ends) if ends else None)


class QuestionMatcher:
    """TF-IDF cosine between an interviewer's question and each guide question's texts.

    Each question is represented by its prompt, its probes and its help text; the score is
    the best of the prompt, a probe (weighted a little lower) and the whole question's text.
    IDF comes from the guide itself, so words every question uses ("successor") count little.
    """

    def __init__(self, guide: Guide) -> None:
        self.order: list[str] = []
        docs: dict[str, list[list[str]]] = {}
        for _, question in guide.questions():
            self.order.append(question.id)
            parts = [tokens(question.prompt), *(tokens(p) for p in question.probes)]
            parts.append(tokens(question.help or ""))
            docs[question.id] = parts
        frequency: Counter[str] = Counter()
        for parts in docs.values():
            frequency.update({word for part in parts for word in part})
        count = max(1, len(docs))
        self._idf = {w: math.log((1 + count) / (1 + n)) + 1.0 for w, n in frequency.items()}
        self._default_idf = math.log(1 + count) + 1.0
        self._vectors: dict[str, list[tuple[float, dict[str, float]]]] = {}
        for qid, parts in docs.items():
            prompt, *rest = parts
            probes, help_words = rest[:-1], rest[-1]
            whole = [w for part in parts for w in part]
            entries = [(1.0, self._vector(prompt)), (0.95, self._vector(whole))]
            entries += [(0.85, self._vector(p)) for p in probes]
            entries.append((0.75, self._vector(help_words)))
            self._vectors[qid] = [(weight, vec) for weight, vec in entries if vec]

    def _vector(self, words: list[str]) -> dict[str, float]:
        counts = Counter(words)
        vec = {w: (1 + math.log(n)) * self._idf.get(w, self._default_idf) for w, n in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values()))
        return {w: v / norm for w, v in vec.items()} if norm else {}

    def scores(self, text: str) -> dict[str, float]:
        """A score in [0, 1] for every guide question."""
        query = self._vector(tokens(text))
        out: dict[str, float] = {}
        for qid, entries in self._vectors.items():
            best = 0.0
            for weight, vec in entries:
                small, large = (query, vec) if len(query) < len(vec) else (vec, query)
                dot = sum(v * large.get(w, 0.0) for w, v in small.items())
                best = max(best, weight * dot)
            out[qid] = best
        return out


def assign_roles(
    transcript: Transcript, interviewee: str | None, interviewer: str | None
) -> tuple[list[Speaker], str | None, str | None, bool]:
    """Decide who asks and who answers, from the flags or from who asks most.

    Returns:
        The speakers, the interviewer, the interviewee, and whether that was a guess.

    Raises:
        TranscriptError: When a named speaker is not in the transcript.
    """
    stats: dict[str, list[int]] = {}
    for turn in transcript.turns:
        if turn.speaker:
            entry = stats.setdefault(turn.speaker, [0, 0, 0])
            entry[0] += 1
            entry[1] += len(turn.text.split())
            entry[2] += asks(turn.text)
    names = list(stats)

    def resolve(name: str | None, flag: str) -> str | None:
        if name is None:
            return None
        for known in names:
            if known.casefold() == " ".join(name.split()).casefold():
                return known
        listed = ", ".join(names) or "none"
        raise TranscriptError(
            f"{flag} {name!r} is not a speaker in {transcript.file_name} (speakers: {listed}); "
            "use one of those names, or --rename OLD=NEW first"
        )

    chosen_ee = resolve(interviewee, "--interviewee")
    chosen_er = resolve(interviewer, "--interviewer")
    guessed = False
    if chosen_er is None:
        rest = [n for n in names if n != chosen_ee]
        if rest:
            # The interviewer is the one whose turns are mostly questions.
            chosen_er = max(rest, key=lambda n: (stats[n][2] / stats[n][0], stats[n][2]))
            guessed = chosen_ee is None or len(rest) > 1
    if chosen_ee is None:
        rest = [n for n in names if n != chosen_er]
        if rest:
            chosen_ee = max(rest, key=lambda n: stats[n][1])
            guessed = True
    if chosen_ee is not None and chosen_ee == chosen_er:
        raise TranscriptError("the interviewer and the interviewee must be different speakers")
    speakers = [
        Speaker(
            n,
            "interviewer" if n == chosen_er else "interviewee" if n == chosen_ee else "other",
            *stats[n],
        )
        for n in names
    ]
    return speakers, chosen_er, chosen_ee, guessed


def map_transcript(
    transcript: Transcript,
    guide: Guide,
    *,
    interviewee: str | None = None,
    interviewer: str | None = None,
) -> Mapping:
    """Split a transcript into answers to guide questions and unmapped segments.

    An interviewer turn that asks something opens a segment for the guide question it
    matches best; the interviewee's following turns are its answer. Follow-up questions
    that share words with the answer so far stay in the same segment. Talk before the first
    question, off-guide questions, other people's interruptions and the closing small talk
    become unmapped segments. Nothing the interviewee said is dropped: every turn belongs to
    exactly one segment.

    Raises:
        TranscriptError: When a named speaker is not in the transcript.
    """
    speakers, er, ee, guessed = assign_roles(transcript, interviewee, interviewer)
    mapping = Mapping(transcript, speakers, er, ee, guessed)
    turns = transcript.turns
    if er is None or ee is None:
        reason = "no-speakers" if not transcript.speakers else "small-talk"
        mapping.segments = [Segment(list(range(len(turns))), reason=reason)]
        return mapping
    matcher = QuestionMatcher(guide)
    current = Segment([], reason="small-talk")
    segments = [current]
    last_question: str | None = None
    interrupted = False

    def open_segment(segment: Segment) -> Segment:
        segments.append(segment)
        return segment

    for index, turn in enumerate(turns):
        if turn.speaker == er:
            interrupted = False
            if asks(turn.text):
                current, last_question = _on_question(
                    matcher, mapping, current, index, turn, last_question, open_segment
                )
                continue
            if _CLOSING.search(turn.text):
                current = open_segment(Segment([index], reason="small-talk"))
                continue
            current.turns.append(index)
        elif turn.speaker is None:
            current.turns.append(index)  # unattributed speech: kept where it was said
        elif turn.speaker == ee:
            if interrupted:
                segments[-1].turns.append(index)
            else:
                current.turns.append(index)
        else:
            # Someone else cut in: their words and the reply to them stay out of the answer.
            if not interrupted:
                segments.append(Segment([], reason="interruption"))
                interrupted = True
            segments[-1].turns.append(index)
    mapping.segments = [s for s in segments if s.turns]
    return mapping


def _on_question(
    matcher: QuestionMatcher,
    mapping: Mapping,
    current: Segment,
    index: int,
    turn: Turn,
    last_question: str | None,
    open_segment: Callable[[Segment], Segment],
) -> tuple[Segment, str | None]:
    # The asking sentences alone, or the whole turn when its lead-in carries the topic.
    focused, whole = matcher.scores(_asking_part(turn.text)), matcher.scores(turn.text)
    scores = {q: max(focused[q], 0.9 * whole[q]) for q in focused}
    if last_question is not None:
        position = matcher.order.index(last_question)
        if position + 1 < len(matcher.order):
            following = matcher.order[position + 1]
            scores[following] = scores[following] + NEXT_BONUS
    best = max(scores, key=lambda q: scores[q]) if scores else None
    score = round(min(1.0, scores.get(best, 0.0)) if best else 0.0, 3)
    if best is not None and current.question == best and score >= REVIEW:
        current.turns.append(index)  # a probe of the question being answered
        return current, last_question
    if best is not None and score >= REVIEW:
        reason = "answer" if score >= ACCEPT else "low-confidence"
        segment = Segment([index], question=best, score=score, asked=index, reason=reason)
        return open_segment(segment), best
    if current.question is not None and _follows_up(mapping, current, turn):
        current.turns.append(index)
        return current, last_question
    segment = Segment([index], reason="off-guide", suggestion=best, score=score)
    return open_segment(segment), last_question


def _follows_up(mapping: Mapping, current: Segment, turn: Turn) -> bool:
    """Whether a question that matches no guide question digs into the answer being given."""
    asked = set(tokens(turn.text))
    said = {w for i in current.turns for w in tokens(mapping.transcript.turns[i].text)}
    return bool(asked & said)
