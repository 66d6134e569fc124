"""Cheap saves in the real app: spaCy runs once per pause, and its preview is what gets stored."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import select

from retain.nlp.extractor import Extraction, Extractor
from retain.services import Services
from retain.store.models import Mention, Topic
from retain.tui.screens.interview import InterviewScreen
from tests.tui.conftest import SIZE, make_app, settle, type_text


class Counting:
    """The real extractor, counting the texts it is run on."""

    def __init__(self, inner: Extractor) -> None:
        self.inner = inner
        self.texts: list[str] = []

    def load(self) -> None:
        self.inner.load()

    def extract(self, text: str) -> Extraction:
        self.texts.append(text)
        return self.inner.extract(text)

    def extract_many(self, texts: Iterable[str], **kwargs: Any) -> Iterator[Extraction]:
        for text, result in zip(list(texts), self.inner.extract_many(texts, **kwargs), strict=False):
            self.texts.append(text)
            yield result

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


async def test_a_pause_runs_spacy_once_and_stores_the_preview(
    nlp_services: Services, shared_extractor: Extractor
) -> None:
    # Regression: spaCy ran twice on the same text (the preview, then again after the save).
    counting = Counting(shared_extractor)
    nlp_services.extractor_factory = lambda: counting  # type: ignore[assignment, return-value]
    services = nlp_services
    interview = services.interviews.start("handover", "Ana Silva")
    app = make_app(services, preload_extractor=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_interview(interview.id or 0, "only-you")
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)
        sentence = "We manage access in Okta every Monday."
        await type_text(pilot, sentence)
        await pilot.pause(1.0)  # the preview follows a 0.6 s pause
        await settle(pilot, rounds=5)
        assert counting.texts.count(sentence) == 1, counting.texts
        with services.engine.connect() as conn:
            stored = conn.execute(select(Mention.text).where(Mention.interview_id == interview.id)).scalars().all()  # type: ignore[call-overload]
        assert "Okta" in stored
        await pilot.press("ctrl+q")
    assert counting.texts.count(sentence) == 1
    # The store-wide pass (interview topics) ran once, on leaving.
    with services.engine.connect() as conn:
        topics = conn.execute(
            select(Topic.phrase).where(Topic.interview_id == interview.id, Topic.answer_id.is_(None))  # type: ignore[union-attr]
        ).scalars().all()
    assert topics
