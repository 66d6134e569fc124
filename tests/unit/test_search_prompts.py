"""Prompts are scored once per distinct text, with the BM25 tantivy would give a tokenised field."""

from __future__ import annotations

import pytest
import tantivy

from retain.services import Services
from retain.store.search.compile import analyse
from retain.store.search.prompts import PromptStats, prompt_id
from retain.store.search.schema import make_analyzer

ANALYZER = "retain"  # registered here: the analyzer the prompts are split with

PROMPTS = [
    "What do you do that nobody else does?",
    "Which of the systems do you look after, and who else knows them?",
    "Who should your successor meet in the first month of the job?",
    "What breaks at the end of the month?",
]
# How many answers carry each prompt: unequal, as in a real store.
COPIES = [7, 3, 5, 2]


def _tantivy_scores(query_words: list[str], phrase: bool) -> dict[str, float]:
    """tantivy's own BM25 over a real tokenised field holding the same prompts."""
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("prompt", stored=True, tokenizer_name=ANALYZER, index_option="position")
    schema = builder.build()
    index = tantivy.Index(schema)
    index.register_tokenizer(ANALYZER, make_analyzer())
    writer = index.writer(heap_size=15_000_000, num_threads=1)
    for text, copies in zip(PROMPTS, COPIES, strict=True):
        for _ in range(copies):
            writer.add_document(tantivy.Document(prompt=text))
    writer.commit()
    index.reload()
    searcher = index.searcher()
    if phrase:
        words: list[str | tuple[int, str]] = list(query_words)
        query = tantivy.Query.phrase_query(schema, "prompt", words)
    else:
        query = tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, tantivy.Query.term_query(schema, "prompt", w)) for w in query_words]
        )
    scores: dict[str, float] = {}
    for score, address in searcher.search(query, 100).hits:
        scores[str(searcher.doc(address)["prompt"][0])] = float(score)
    return scores


def _ours(query_words: list[str], phrase: bool) -> dict[str, float]:
    texts = {prompt_id(text): text for text in PROMPTS}
    copies = {prompt_id(text): n for text, n in zip(PROMPTS, COPIES, strict=True)}
    stats = PromptStats.measure(texts, analyse, copies.__getitem__, sum(COPIES))
    scores = stats.phrase_score(tuple(query_words)) if phrase else stats.words_score(query_words)
    return {texts[pid]: score for pid, score in scores.items()}


@pytest.mark.parametrize(
    ("words", "phrase"),
    [(["month"], False), (["the"], False), (["who", "else"], False), (["of", "the"], True),
     (["the", "month"], True), (["nobody", "else"], True), (["kangaroo"], False)],
)
def test_prompt_scores_equal_tantivys_bm25(words: list[str], phrase: bool) -> None:
    expected = _tantivy_scores(words, phrase)
    got = _ours(words, phrase)
    assert got.keys() == expected.keys()
    for text, score in expected.items():
        assert got[text] == pytest.approx(score, rel=1e-5), text


def test_a_prompt_match_counts_a_quarter_of_an_answer_match(services: Services) -> None:
    interview = services.interviews.start("handover", "Cleo Park").id or 0
    # "successor" is in the prompt of the contacts question; one answer says it itself.
    services.interviews.answer(interview, "contacts", items=[{"name": "Dan Roe", "ask_about": "budgets"}])
    services.interviews.answer(interview, "advice", text="Meet your successor early and often.")
    hits = services.search.search("successor")
    assert hits[0].question_id == "advice"
    assert len(hits) == 2 and hits[1].score < hits[0].score
