"""What hostile input must never do to outputs, files and the database (issue 10)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt
from sqlalchemy import create_engine, text

from retain.config import load_settings
from retain.services import Services, open_services
from tests.conftest import CliInvoker, _sqlite_url, shared_extractor
from tests.hostile.conftest import checksum, run_hostile

HOSTILE_MD = "\n".join([
    "Before the fence.",
    "```",
    "## SHAREABLE HANDOVER — REVIEWED",
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    "# Fake heading",
    "---",
    "1. fake list",
    "> fake quote",
    "| a | b |",
    "|---|---|",
    "    indented code",
    "[link](javascript:alert(1)) ![img](x) <http://evil> &lt;b&gt;",
    "Setext heading",
    "===",
    "~~~",
])


def _structure(markdown: str) -> tuple[list[str], list[str]]:
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    kinds = [t.type for t in tokens]
    # The pack's own <br> line breaks in table cells are the only HTML it may hold.
    inline = [c.type for t in tokens if t.children for c in t.children if c.content != "<br>"]
    return headings, kinds + inline


def _pack(services: Services, tmp_path: Path, body: str, name: str) -> str:
    interview = services.interviews.start("handover", "Mark Down")
    iid = interview.id or 0
    for question in ("role-summary", "only-you", "breaks-first"):
        services.interviews.answer(iid, question, text=body)
    services.interviews.answer(iid, "contacts", items=[{"name": body, "role": body}])
    return services.exports.export(iid, fmt="md", out=tmp_path / name).path.read_text(encoding="utf-8")


def test_answer_text_cannot_restructure_a_markdown_pack(services: Services, tmp_path: Path) -> None:
    plain = _pack(services, tmp_path, "Plain words only.", "plain.md")
    hostile = _pack(services, tmp_path, HOSTILE_MD, "hostile.md")
    plain_headings, plain_kinds = _structure(plain)
    headings, kinds = _structure(hostile)
    assert len(plain_headings) >= 20
    # The same headings (a person's pack, not the answer, decides them), in the same order.
    assert headings == plain_headings
    for forbidden in ("fence", "code_block", "html_block", "html_inline", "blockquote_open", "link_open",
                      "image", "hr", "ordered_list_open"):
        assert kinds.count(forbidden) == plain_kinds.count(forbidden), forbidden
    assert "<script>" not in MarkdownIt("commonmark").render(hostile)
    assert "onerror" not in MarkdownIt("commonmark").render(hostile).replace("onerror=&quot;", "")
    # And the text is all still there, as text.
    rendered = MarkdownIt("commonmark").render(hostile)
    assert "## SHAREABLE HANDOVER — REVIEWED" in rendered and "&lt;script&gt;" in rendered


def test_exports_are_owner_only_and_confidential_says_so(services: Services, tmp_path: Path) -> None:
    interview = services.interviews.start("exit", "Priya Raman")
    services.interviews.answer(interview.id or 0, "decision-story", text="My manager.")
    folder = Path(os.environ["RETAIN_EXPORTS"])
    written = services.exports.export(interview.id or 0, fmt="md", include_confidential=True)
    assert "confidential" in written.path.name
    assert stat.S_IMODE(written.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    handover = services.interviews.start("handover", "Priya Raman")
    services.interviews.answer(handover.id or 0, "role-summary", text="Payroll.")
    shareable = services.exports.export(handover.id or 0, fmt="docx")
    assert "confidential" not in shareable.path.name
    assert stat.S_IMODE(shareable.path.stat().st_mode) == 0o600


def test_an_existing_0644_database_is_tightened(tmp_path: Path, run_cli: CliInvoker) -> None:
    url = _sqlite_url(tmp_path)
    path = Path(url.removeprefix("sqlite:///"))
    os.chmod(path, 0o644)
    assert run_cli("interview", "list", db=url).exit_code == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_deleted_interview_id_is_never_reused(db_url: str, run_cli: CliInvoker) -> None:
    def new() -> int:
        result = run_cli("interview", "new", "--guide", "handover", "--person", "Reuse", "--json", db=db_url)
        return int(json.loads(result.stdout)["id"])

    first, second = new(), new()
    assert run_cli("interview", "delete", str(second), "--yes", db=db_url).exit_code == 0
    assert new() > second > first


def test_a_byte_order_mark_is_not_stored(db_url: str, run_cli: CliInvoker, tmp_path: Path) -> None:
    iid = json.loads(run_cli("interview", "new", "--guide", "handover", "--person", "Bom", "--json", db=db_url).stdout)["id"]
    file = tmp_path / "bom.txt"
    file.write_bytes("\ufeffAcme Corp runs payroll.".encode())
    assert run_cli("interview", "answer", str(iid), "role-summary", "--file", str(file), db=db_url).exit_code == 0
    assert run_cli("interview", "answer", str(iid), "only-you", "--stdin", input="\ufeffFrom stdin".encode(), db=db_url).exit_code == 0
    shown = json.loads(run_cli("interview", "show", str(iid), "--json", db=db_url).stdout)
    texts = {a["question"]: a["text"] for a in shown["answers"]}
    assert texts["role-summary"] == "Acme Corp runs payroll." and texts["only-you"] == "From stdin"


def test_control_characters_are_stripped_on_display_only(db_url: str, run_cli: CliInvoker) -> None:
    name = "Bel\aName \x1b[31mRed\u202e"
    run_cli("interview", "new", "--guide", "handover", "--person", name, db=db_url)
    listing = run_cli("interview", "list", db=db_url).stdout
    assert "BelName" in listing and "\a" not in listing and "\x1b" not in listing and "\u202e" not in listing
    stored = json.loads(run_cli("interview", "list", "--json", db=db_url).stdout)[0]["person"]
    assert "\a" in stored and "\x1b" in stored  # storage keeps what was typed


def test_a_word_pack_is_never_truncated(sqlite_services: Services, tmp_path: Path, run_cli: CliInvoker,
                                        sqlite_url: str) -> None:
    from docx import Document

    from retain.limits import MAX_ANSWER_BYTES

    interview = sqlite_services.interviews.start("handover", "Long Answer")
    iid = interview.id or 0
    # Over 10,000,000 characters (where libxml2 stopped) is refused with the limit...
    huge = tmp_path / "huge.txt"
    huge.write_text("## heading\n" * 1_000_000, encoding="utf-8")
    run_hostile(["interview", "answer", str(iid), "role-summary", "--file", str(huge)], db=sqlite_url,
                expect="5 MB")
    # ...and the largest answer allowed, all of it markup-like, is written in full.
    body = ("&<>'\"x" * (MAX_ANSWER_BYTES // 6))[: MAX_ANSWER_BYTES - 10]
    sqlite_services.interviews.answer(iid, "role-summary", text=body)
    path = sqlite_services.exports.export(iid, fmt="docx", out=tmp_path / "long.docx").path
    paragraphs = [p.text for p in Document(str(path)).paragraphs]
    assert body in paragraphs
    assert not [p for p in paragraphs if p != body and len(p) > 1000]  # no cut-off copy


@pytest.mark.slow
def test_extraction_of_a_huge_answer_is_bounded(sqlite_services: Services) -> None:
    from retain.nlp.pipeline import MAX_EXTRACT_CHARS

    interview = sqlite_services.interviews.start("handover", "Huge Paste")
    iid = interview.id or 0
    filler = "Sarah Lee checks PayBridge every Monday. " * (MAX_EXTRACT_CHARS // 40 + 2_000)  # past the cap
    sqlite_services.interviews.answer(iid, "role-summary", text=filler)
    stats = sqlite_services.extraction.extract_interviews([iid])
    assert stats.failed == 0
    with sqlite_services.engine.connect() as connection:
        count, furthest = connection.execute(text('SELECT count(*), max("end") FROM mention')).one()
    assert count > 0 and furthest <= MAX_EXTRACT_CHARS  # extracted, from the first part only


# -- databases in bad states (hostile cases on copies) -------------------------------------------
def _damaged(tmp_path: Path, sql: str) -> str:
    url = _sqlite_url(tmp_path)
    services = open_services(load_settings(db=url), extractor_factory=shared_extractor)
    try:
        interview = services.interviews.start("handover", "Damaged Data")
        services.interviews.answer(interview.id or 0, "role-summary", text="secret column text payroll")
    finally:
        services.close()
    engine = create_engine(url)
    with engine.begin() as connection:
        for statement in sql.split(";"):
            if statement.strip():
                connection.execute(text(statement))
    engine.dispose()
    return url


@pytest.mark.parametrize("args", [["search", "payroll"], ["who", "payroll"], ["interview", "list"],
                                  ["interview", "show", "1"], ["export", "1"]])
def test_a_corrupt_database_is_one_line(tmp_path: Path, args: list[str]) -> None:
    url = _sqlite_url(tmp_path)
    path = Path(url.removeprefix("sqlite:///"))
    data = bytearray(path.read_bytes())
    for offset in range(4096, len(data), 4096):  # every page after the first
        data[offset + 8 : offset + 200] = b"\xa5" * 192
    path.write_bytes(bytes(data))
    before = path.read_bytes()
    run_hostile(args, db=url, check_rows=False)
    assert path.read_bytes() == before


@pytest.mark.parametrize("table", ["search_change", "search_meta"])
def test_a_missing_search_index_is_one_line(tmp_path: Path, table: str) -> None:
    """The index's change log or identity gone: the search cannot be trusted, so it says so."""
    url = _damaged(tmp_path, f"DROP TABLE {table}")
    index = Path(url.removeprefix("sqlite:///") + ".search")
    before = _files(index) if index.is_dir() else None
    result = run_hostile(["search", "payroll"], db=url, expect="database error")
    assert "errors.log" in result.stderr
    assert (_files(index) if index.is_dir() else None) == before  # no index written from a damaged log


def test_a_corrupt_row_never_echoes_its_text(tmp_path: Path) -> None:
    url = _damaged(tmp_path, "UPDATE answer SET updated_at = 'secret column text'; "
                             "UPDATE interview SET created_at = 'secret column text'")
    for args in (["interview", "show", "1"], ["export", "1"]):
        result = run_hostile(args, db=url)
        assert "secret" not in result.stderr
    # The listing reads neither damaged column (it shows the interview's updated time), so it
    # may answer; it still never prints the damaged text.
    from retain.cli import cli

    listing = CliRunner().invoke(cli, ["--db", url, "interview", "list"], catch_exceptions=False)
    assert listing.exit_code == 0 and "Damaged Data" in listing.stdout
    assert "secret" not in listing.output and "Traceback" not in listing.output
    log = Path(os.environ["RETAIN_DATA_DIR"]) / "logs" / "errors.log"
    assert "Traceback" in log.read_text() and stat.S_IMODE(log.stat().st_mode) == 0o600


def test_db_upgrade_on_a_future_or_mislabelled_schema(db_url: str, tmp_path: Path) -> None:
    from retain.store.engine import open_engine

    open_engine(db_url).dispose()  # a PostgreSQL schema is migrated on first use
    engine = create_engine(db_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099_future'"))
    engine.dispose()
    run_hostile(["db", "upgrade"], db=db_url, expect="does not know")
    first = run_hostile(["interview", "list"], db=db_url, expect="does not know")
    assert "db upgrade`" not in first.stderr  # never sends the user into a crash
    engine = create_engine(db_url)
    with engine.begin() as connection:  # says 0001, but the tables are at head
        connection.execute(text("UPDATE alembic_version SET version_num = '0001_initial'"))
    engine.dispose()
    run_hostile(["db", "upgrade"], db=db_url, expect="restore a backup")


def test_the_funnel_logs_an_unexpected_error(tmp_path: Path) -> None:
    url = _damaged(tmp_path, "UPDATE interview SET created_at = 'not a date'")
    result = run_hostile(["interview", "show", "1", "--json"], db=url, expect="unexpected error")
    log = result.stderr.split("the traceback is in ", 1)[1].split(";", 1)[0]
    assert Path(log).is_file() and "Traceback" in Path(log).read_text()


# -- another user's files -----------------------------------------------------------------------
def _as_other_user(args: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    """Run the CLI in a forked child as an unprivileged user (root reads everything).

    Returns the exit code, stderr and stdout. Not root: the child runs as the current user,
    whom permission bits bind already.
    """
    from click.testing import CliRunner

    # The child cannot read root's interpreter folder: import what extraction needs first.
    import retain.nlp.extractor
    import retain.nlp.pipeline
    import retain.services.extraction  # noqa: F401
    from retain.cli import cli

    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop to nobody, run, report, exit without cleanup
        try:
            os.close(read)
            if os.getuid() == 0:
                os.setgid(65534)
                os.setuid(65534)
            result = CliRunner().invoke(cli, args, env=env, catch_exceptions=False)
            os.write(write, json.dumps([result.exit_code, result.stderr, result.stdout]).encode())
        except BaseException as exc:
            os.write(write, json.dumps([-2, f"Traceback: {exc!r}", ""]).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as handle:
        data = handle.read()
    os.waitpid(pid, 0)
    code, stderr, stdout = json.loads(data.decode() or '[-1, "child failed", ""]')
    return int(code), str(stderr), str(stdout)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_another_users_database_and_glossary() -> None:
    # Not under pytest's tmp folder: that one is 0700, so nobody could not even reach it.
    tmp_path = Path(tempfile.mkdtemp(prefix="retain-other-"))
    os.chmod(tmp_path, 0o755)
    try:
        _check_other_user(tmp_path)
    finally:
        shutil.rmtree(tmp_path, ignore_errors=True)


def _check_other_user(tmp_path: Path) -> None:
    url = _sqlite_url(tmp_path)
    path = Path(url.removeprefix("sqlite:///"))
    os.chmod(path, 0o600)
    glossary = tmp_path / "glossary.yaml"
    glossary.write_text("terms: [PayBridge]\n", encoding="utf-8")
    os.chmod(glossary, 0o600)
    mine = tmp_path / "mine"
    mine.mkdir(mode=0o777)
    os.chmod(mine, 0o777)
    os.chmod(tmp_path, 0o755)
    if os.getuid() != 0:  # not root: make them unreadable to ourselves instead
        os.chmod(path, 0)
        os.chmod(glossary, 0)
    env = {"RETAIN_DATA_DIR": str(mine / "data"), "RETAIN_CONFIG": str(mine / "none.toml"),
           "RETAIN_EXPORTS": str(mine / "exports"), "HOME": str(mine)}
    before = checksum(url) if os.getuid() == 0 else None
    code, stderr, _ = _as_other_user(["--db", str(path), "interview", "list"], env)
    assert code == 1 and stderr.count("\n") == 1, stderr
    assert stderr.startswith("retain: error: ") and "Traceback" not in stderr
    assert "permission" in stderr.lower()
    other_db = mine / "own.db"
    services = open_services(load_settings(db=str(other_db)), extractor_factory=shared_extractor)
    try:
        interview = services.interviews.start("handover", "Own Data")
        services.interviews.answer(interview.id or 0, "role-summary", text="PayBridge runs payroll.")
    finally:
        services.close()
    if os.getuid() == 0:
        for file in mine.glob("own.db*"):
            os.chown(file, 65534, 65534)
    code, stderr, _ = _as_other_user(["--db", str(other_db), "extract", "--all"],
                                     {**env, "RETAIN_GLOSSARY": str(glossary)})
    assert code == 1 and stderr.count("\n") == 1, stderr
    assert "glossary" in stderr and "Traceback" not in stderr
    if before is not None:
        assert checksum(url) == before


# -- read-only media --------------------------------------------------------------------------


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _read_only(folder: Path) -> None:
    """Every file 0444, every folder 0555 (root ignores the bits: the search then runs as nobody)."""
    for item in sorted(folder.rglob("*"), key=lambda p: -len(p.parts)):
        os.chmod(item, 0o555 if item.is_dir() else 0o444)
    os.chmod(folder, 0o555)
    if os.getuid() != 0:
        assert not os.access(folder, os.W_OK)


def _seed_read_only_case(media: Path, indexed: bool) -> Path:
    """A database whose index, if built, is one save behind (the read-only search must catch up)."""
    url = _sqlite_url(media)
    path = Path(url.removeprefix("sqlite:///"))
    services = open_services(load_settings(db=url), extractor_factory=shared_extractor)
    try:
        interview = services.interviews.start("handover", "Read Only").id or 0
        services.interviews.answer(interview, "only-you", text="PayBridge runs payroll every Monday.")
        if indexed:
            assert len(services.search.search("payroll")) == 1  # the index is written beside the file
        services.interviews.answer(interview, "advice", text="Check payroll twice.")
    finally:
        services.close()
    assert Path(f"{path}.search").is_dir() == indexed
    return path


def _search_as_reader(tmp_path: Path, path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    os.chmod(mine, 0o777)
    env = {"RETAIN_DATA_DIR": str(mine / "data"), "RETAIN_CONFIG": str(mine / "none.toml"),
           "RETAIN_EXPORTS": str(mine / "exports"), "HOME": str(mine)}
    code, stderr, stdout = _as_other_user(["--db", str(path), "search", "payroll", "--json"], env)
    assert code == 0, stderr
    assert sorted(hit["question"] for hit in json.loads(stdout)) == ["advice", "only-you"]


@contextmanager
def _scratch() -> Iterator[tuple[Path, Path]]:
    """A folder nobody can reach (pytest's tmp folder is 0700), with ``media`` inside it."""
    tmp_path = Path(tempfile.mkdtemp(prefix="retain-readonly-"))
    os.chmod(tmp_path, 0o755)
    media = tmp_path / "media"
    media.mkdir()
    try:
        yield tmp_path, media
    finally:
        for folder in [media, *(p for p in media.rglob("*") if p.is_dir())]:
            os.chmod(folder, 0o755)
        shutil.rmtree(tmp_path, ignore_errors=True)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
@pytest.mark.parametrize("indexed", [False, True], ids=["never-searched", "index-behind"])
def test_a_search_in_a_read_only_directory_still_answers(indexed: bool) -> None:
    """Read-only media with the database open elsewhere (its -wal and -shm there): the index is
    built in memory, and nothing on the media changes."""
    with _scratch() as (tmp_path, media):
        path = _seed_read_only_case(media, indexed)
        holder = sqlite3.connect(path)  # another reader keeps the WAL files in place
        try:
            holder.execute("SELECT count(*) FROM answer").fetchone()
            _read_only(media)
            before = _files(media)
            _search_as_reader(tmp_path, path)
            assert _files(media) == before
        finally:
            holder.close()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_read_only_search_index_still_answers() -> None:
    """The database is the reader's own, but its index folder is not writable: searched from memory."""
    with _scratch() as (tmp_path, media):
        path = _seed_read_only_case(media, indexed=True)
        index = Path(f"{path}.search")
        _read_only(index)
        if os.getuid() == 0:  # the child runs as nobody: the database and its folder are nobody's
            for item in (media, path):
                os.chown(item, 65534, 65534)
        before = _files(index)
        _search_as_reader(tmp_path, path)
        assert _files(index) == before


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_closed_database_in_a_read_only_directory_still_answers() -> None:
    """A database copied to read-only media after it was closed: no -wal, no -shm beside it."""
    with _scratch() as (tmp_path, media):
        path = _seed_read_only_case(media, indexed=True)
        assert not Path(f"{path}-shm").exists()
        _read_only(media)
        before = _files(media)
        _search_as_reader(tmp_path, path)
        assert _files(media) == before
