"""One save call: text or items, visibility, skip and reason in one transaction, and cheap."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event, select

from retain.nlp.extractor import Extractor
from retain.services import Services
from retain.store.models import Mention


@contextmanager
def counting(engine: Engine) -> Iterator[dict[str, int]]:
    """Count SQL statements (BEGIN/COMMIT aside) and the transactions that write."""
    seen = {"statements": 0, "transactions": 0, "writes": 0}
    writing: dict[int, bool] = {}

    def statement(conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        verb = sql.split(None, 1)[0].upper()
        if verb not in ("BEGIN", "COMMIT", "ROLLBACK"):
            seen["statements"] += 1
            if verb in ("INSERT", "UPDATE", "DELETE"):
                writing[id(conn)] = True

    def begin(conn: Any) -> None:
        seen["transactions"] += 1
        writing[id(conn)] = False

    def commit(conn: Any) -> None:
        seen["writes"] += writing.pop(id(conn), False)

    event.listen(engine, "before_cursor_execute", statement)
    event.listen(engine, "begin", begin)
    event.listen(engine, "commit", commit)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", statement)
        event.remove(engine, "begin", begin)
        event.remove(engine, "commit", commit)


def test_a_save_is_one_upsert_in_one_transaction(services: Services) -> None:
    # Regression: a save cost ~23 statements in 6 write transactions (plus 7 for the report).
    interviews = services.interviews
    iid = interviews.start("handover", "Priya Raman").id or 0
    interviews.save(iid, "role-summary", text="Runs payroll")  # parses the guide snapshot once
    with counting(services.engine) as first:
        interviews.save(iid, "only-you", text="The PayBridge month-end")
    with counting(services.engine) as again:
        interviews.save(iid, "only-you", text="The PayBridge month-end close")
    assert first == again == {"statements": 2, "transactions": 1, "writes": 1}


def test_content_visibility_and_skip_travel_together(services: Services) -> None:
    interviews = services.interviews
    iid = interviews.start("handover", "Priya Raman").id or 0
    saved = interviews.save(iid, "only-you", text="Gossip about Dana", visibility="confidential")
    assert (saved.text, saved.visibility, saved.skipped) == ("Gossip about Dana", "confidential", False)
    # None keeps what is stored: the visibility survives a text-only save.
    saved = interviews.save(iid, "only-you", text="Gossip about Dana, again")
    assert saved.visibility == "confidential"
    # A skip keeps the text typed; typing again un-skips.
    saved = interviews.save(iid, "only-you", skip=True, reason=" covered later ")
    assert (saved.skipped, saved.skip_reason, saved.text) == (True, "covered later", "Gossip about Dana, again")
    saved = interviews.save(iid, "only-you", text="New words")
    assert (saved.skipped, saved.skip_reason) == (False, None)
    # A visibility alone creates the answer (the TUI's ctrl+t before any typing).
    saved = interviews.save(iid, "breaks-first", visibility="confidential")
    assert (saved.text, saved.visibility) == ("", "confidential")
    # A list question takes rows; the body flattens them for search.
    saved = interviews.save(iid, "systems", items=[{"name": "Okta", "purpose": "SSO"}])
    assert saved.items == [{"name": "Okta", "purpose": "SSO", "access": "", "owner": ""}]
    assert saved.body == "Okta; SSO"
    assert [a.question_id for a in interviews.answers(iid)] == ["only-you", "breaks-first", "systems"]


def test_a_stored_preview_equals_extract_answers_and_skips_store_wide_passes(
    services: Services, extractor: Extractor
) -> None:
    interviews, extraction = services.interviews, services.extraction
    iid = interviews.start("handover", "Priya Raman").id or 0
    text = "Every Friday I reconcile PayBridge with Dana Whitfield before the Okta review."
    saved = interviews.save(iid, "only-you", text=text)
    preview = extraction.preview(saved.body)
    with counting(services.engine) as cost:
        assert extraction.store_extraction(saved.id or 0, saved.body, preview)
    stored = _mentions(services, iid)
    extraction.extract_answers([saved.id or 0])
    assert stored == _mentions(services, iid) and stored
    assert cost["writes"] == 1  # per-answer rows only: no relabelling, no interview topics
    # A preview of older text is never stored over newer text.
    interviews.save(iid, "only-you", text="Something else")
    assert not extraction.store_extraction(saved.id or 0, saved.body, preview)


def _mentions(services: Services, interview_id: int) -> list[tuple[str, str, int, int]]:
    with services.engine.connect() as conn:
        rows = conn.execute(
            select(Mention.text, Mention.label, Mention.start, Mention.end)  # type: ignore[call-overload]
            .where(Mention.interview_id == interview_id)
        ).all()
    return sorted((r[0], r[1], r[2], r[3]) for r in rows)
