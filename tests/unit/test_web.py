"""`retain serve`: the token gate, security headers, read-only routes and the shareable-only rule.

A confidential marker, an exit interview and hostile answer text are planted in a real store on
SQLite and PostgreSQL; every page and every download is then read through Starlette's test
client.
"""

from __future__ import annotations

import json
import re
import warnings
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from retain.services import Services
from retain.store.models import Mention, Topic

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from retain.web.app import create_app
from retain.web.security import COOKIE
from tests.hostile.test_outputs import HOSTILE_MD

TOKEN = "test-token-0123456789abcdef"
MARK = "Quorvath Ellingsby"
EXIT_MARK = "Vexmoor severance"
HOSTILE = [
    "<script>alert('xss')</script>",
    '<img src=x onerror="alert(1)">',
    '"><svg onload=alert(2)>',
    "javascript:alert(3)",
    "{{ 7*7 }} {% raw %}",
]


@pytest.fixture
def store(services: Services) -> Iterator[tuple[Services, dict[str, int]]]:
    interviews = services.interviews
    handover = interviews.start("handover", "Priya Raman", successor="Tom Okafor", interviewer="Dana Whitfield")
    hid = handover.id or 0
    interviews.answer(hid, "role-summary", text="I run payroll and the PayBridge interface every Monday.")
    interviews.answer(hid, "only-you", text=" ".join(HOSTILE) + " payroll")
    interviews.answer(hid, "breaks-first", text=HOSTILE_MD + "\npayroll")
    interviews.answer(
        hid, "contacts", items=[{"name": "Ravi Shah", "role": "Head of Finance", "ask_about": "payroll sign-off"},
                                {"name": "Tom Okafor", "role": "Payroll Analyst", "ask_about": "the bank file"}]
    )
    secret = interviews.answer(
        hid, "stakeholders", text=f"{MARK} blamed payroll for the PayBridge outage.", visibility="confidential"
    )
    exit_interview = interviews.start("exit", "Priya Raman", interviewer="Hana HR")
    eid = exit_interview.id or 0
    first_exit_question = next(q.id for _, q in interviews.guide(eid).questions() if q.type == "text")
    exit_answer = interviews.answer(eid, first_exit_question, text=f"{EXIT_MARK} and payroll PayBridge.")
    services.extraction.extract_interviews([hid, eid])
    # Whatever the model finds, make sure the derived paths (entities, topics) carry the markers.
    with Session(services.engine) as session:
        for answer, iid, mark in ((secret, hid, MARK), (exit_answer, eid, EXIT_MARK)):
            session.add(Mention(answer_id=answer.id or 0, interview_id=iid, text=mark, label="SYSTEM",
                                start=0, end=len(mark), key=mark.lower()))
            session.add(Topic(interview_id=iid, answer_id=answer.id, phrase=f"{mark} payroll", score=0.9))
            session.add(Topic(interview_id=iid, answer_id=None, phrase=f"{mark} payroll", score=0.99))
        session.commit()
    yield services, {"handover": hid, "exit": eid}


@pytest.fixture
def client(store: tuple[Services, dict[str, int]]) -> TestClient:
    services, _ = store
    return TestClient(create_app(services, TOKEN))


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.inline: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.inline.append(tag)
        self.inline += [f"{tag}[{name}]" for name, _ in attrs if name == "style" or name.startswith("on")]
        self.inline += [f"{tag}[{name}]" for name, value in attrs if (value or "").startswith("javascript:")]


def inline_code(page: str) -> list[str]:
    """Every script or style element, inline style and event-handler attribute in a page."""
    parser = _Tags()
    parser.feed(page)
    return parser.inline


def signed_in(client: TestClient) -> TestClient:
    client.cookies.set(COOKIE, TOKEN)
    return client


def pages(ids: dict[str, int]) -> list[str]:
    hid, eid = ids["handover"], ids["exit"]
    return [
        "/", "/search?q=payroll", "/search?q=paybridge&include_confidential=1", "/who?topic=payroll",
        "/who?topic=PayBridge", "/who?topic=PayBridge&include_confidential=true", "/map", "/map?label=SYSTEM", "/map?at_risk=1", "/people",
        f"/interviews/{hid}", f"/interviews/{eid}", "/people/1", "/people/2",
    ]


def downloads(client: TestClient, hid: int) -> dict[str, bytes]:
    found = {}
    for fmt in ("docx", "md", "html"):
        response = client.get(f"/interviews/{hid}/download/{fmt}")
        assert response.status_code == 200, fmt
        assert "attachment" in response.headers["content-disposition"]
        found[fmt] = response.content
    return found


def docx_text(content: bytes) -> str:
    with zipfile.ZipFile(BytesIO(content)) as archive:
        return "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())


def test_every_page_needs_the_token(client: TestClient, store: tuple[Services, dict[str, int]]) -> None:
    _, ids = store
    for path in [*pages(ids), f"/interviews/{ids['handover']}/download/docx", "/static/retain.css", "/nope"]:
        response = client.get(path)
        assert response.status_code == 401, path
        assert MARK not in response.text and "payroll" not in response.text.casefold()
    client.cookies.set(COOKIE, "wrong-token-0123456789")
    assert client.get("/").status_code == 401
    wrong = client.get("/?token=wrong-token-0123456789", follow_redirects=False)
    assert wrong.status_code == 403


def test_the_token_link_sets_a_strict_cookie_and_drops_the_token(client: TestClient) -> None:
    response = client.get(f"/search?q=payroll&token={TOKEN}", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/search?q=payroll"
    cookie = response.headers["set-cookie"]
    assert f"{COOKIE}={TOKEN}" in cookie and "HttpOnly" in cookie and "samesite=strict" in cookie.casefold()
    followed = client.get(response.headers["location"])
    assert followed.status_code == 200 and "PayBridge" in followed.text


def test_security_headers_and_no_inline_script_or_style(client: TestClient, store: tuple[Services, dict[str, int]]) -> None:
    _, ids = store
    signed_in(client)
    for path in pages(ids):
        response = client.get(path)
        csp = response.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        if response.headers["content-type"].startswith("text/html"):
            assert inline_code(response.text) == [], path


def test_a_confidential_answer_appears_on_no_page_and_in_no_download(
    client: TestClient, store: tuple[Services, dict[str, int]]
) -> None:
    _, ids = store
    signed_in(client)
    for path in pages(ids):
        text = client.get(path).text
        for word in (*MARK.split(), *EXIT_MARK.split()):
            assert word.casefold() not in text.casefold(), f"{word} leaked into {path}"
    for fmt, content in downloads(client, ids["handover"]).items():
        text = docx_text(content) if fmt == "docx" else content.decode("utf-8")
        for word in (*MARK.split(), *EXIT_MARK.split()):
            assert word.casefold() not in text.casefold(), f"{word} leaked into the {fmt} download"
    for word in (*MARK.split(), *EXIT_MARK.split()):
        assert "0 results for" in client.get(f"/search?q={word}&include_confidential=1").text
        assert "Nobody's shareable answers mention" in client.get(f"/who?topic={word}").text
    # The shareable answers are there, so the checks above did look at real pages.
    assert "PayBridge" in client.get(f"/interviews/{ids['handover']}").text
    assert "Ravi Shah" in client.get("/who?topic=payroll").text


def test_exit_interviews_are_absent(client: TestClient, store: tuple[Services, dict[str, int]]) -> None:
    _, ids = store
    signed_in(client)
    eid = ids["exit"]
    assert f'href="/interviews/{eid}"' not in client.get("/").text
    assert client.get(f"/interviews/{eid}").status_code == 404
    for fmt in ("docx", "md", "html", "json"):
        assert client.get(f"/interviews/{eid}/download/{fmt}").status_code == 404
    assert f"/interviews/{eid}#" not in client.get("/search?q=payroll").text
    assert f"/interviews/{eid}#" not in client.get("/who?topic=payroll").text
    person = client.get("/people/1").text
    assert "exit" not in re.sub(r"<[^>]+>", " ", person).split()


def test_hostile_answer_text_is_escaped(client: TestClient, store: tuple[Services, dict[str, int]]) -> None:
    _, ids = store
    signed_in(client)
    for path in (f"/interviews/{ids['handover']}", "/search?q=payroll", "/search?q=alert"):
        text = client.get(path).text
        for raw in ("<script>alert", "<img src=x", "<svg onload"):
            assert raw not in text, f"{raw!r} unescaped on {path}"
        assert inline_code(text) == [], path
    pack = client.get(f"/interviews/{ids['handover']}").text
    assert "&lt;script&gt;alert(" in pack and "{{ 7*7 }}" in pack
    # A hostile query is escaped in the page that echoes it.
    echoed = client.get("/search", params={"q": "<script>alert(9)</script>"}).text
    assert "<script>alert(9)" not in echoed and "&lt;script&gt;alert(9)" in echoed


def test_the_web_view_is_read_only(client: TestClient, store: tuple[Services, dict[str, int]]) -> None:
    services, ids = store
    signed_in(client)
    before = services.reports.show(ids["handover"]).to_json()
    for method in ("post", "put", "patch", "delete"):
        for path in ("/", f"/interviews/{ids['handover']}", "/search", "/people/1"):
            response = client.request(method.upper(), path, data={"text": "overwritten"})
            assert response.status_code == 405, (method, path)
    assert services.reports.show(ids["handover"]).to_json() == before


def test_bad_input_gets_a_clear_page(client: TestClient) -> None:
    signed_in(client)
    response = client.get("/search?q=payroll&since=last-tuesday")
    assert response.status_code == 400 and "2026-01-31" in response.text
    assert client.get("/search", params={"q": "x" * 5000}).status_code == 400
    assert client.get("/interviews/999999").status_code == 404
    assert client.get("/interviews/1/download/exe").status_code == 404
    assert client.get("/people/424242").status_code == 404


def test_serve_refuses_a_short_token(run_cli: object) -> None:
    from click.testing import CliRunner

    from retain.cli import cli

    result = CliRunner().invoke(cli, ["serve", "--token", "short"])
    assert result.exit_code == 1
    assert "at least 16 characters" in result.output


def test_loopback_detection() -> None:
    from retain.cli.serve import _is_loopback

    assert _is_loopback("127.0.0.1") and _is_loopback("::1") and _is_loopback("localhost")
    assert not _is_loopback("0.0.0.0") and not _is_loopback("192.0.2.10")


def test_the_web_layer_imports_neither_textual_nor_spacy() -> None:
    import subprocess
    import sys

    code = (
        "import sys, retain.web.app, retain.web.factory; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'spacy', 'click', 'rich')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_person_page_shows_where_colleagues_named_them(
    client: TestClient, store: tuple[Services, dict[str, int]]
) -> None:
    services, ids = store
    signed_in(client)
    tom = next(p.id for p in services.people.views() if p.name == "Tom Okafor")
    page = client.get(f"/people/{tom}").text
    assert "Priya Raman named Tom Okafor" in page and "the bank file" in page
    assert f"/interviews/{ids['handover']}#q-contacts" in page
    priya = next(p.id for p in services.people.views() if p.name == "Priya Raman")
    own = client.get(f"/people/{priya}").text
    assert f'href="/interviews/{ids["handover"]}"' in own and f'href="/interviews/{ids["exit"]}"' not in own


def test_the_web_layer_cannot_ask_for_confidential_data() -> None:
    """No parameter, flag or call in retain/web can widen what a reader sees."""
    from pathlib import Path

    import retain.web

    for source in Path(retain.web.__file__).parent.rglob("*"):
        if source.suffix in (".py", ".j2", ".css"):
            text = source.read_text(encoding="utf-8")
            for word in ("include_confidential", "HR_READER", "reader_for(True", "confidential=True"):
                assert word not in text, f"{source.name} mentions {word}"


def test_the_web_view_cites_the_recording_of_an_imported_answer(services: Services, run_cli: Any, db_url: str) -> None:
    """As the Word, Markdown and HTML packs do: where in the recording an answer starts."""
    teams = Path(__file__).resolve().parent.parent / "data" / "transcripts" / "handover.teams.vtt"
    result = run_cli("import", str(teams), "--guide", "handover", "--person", "Dana Whitfield", "--json", db=db_url)
    assert result.exit_code == 0, result.output
    interview = json.loads(result.stdout)["interview"]
    page = signed_in(TestClient(create_app(services, TOKEN))).get(f"/interviews/{interview}").text
    assert '<p class="note">From the recording at 1:19.</p>' in page
    assert "Three things." in page  # what was said to the work-in-flight list question
