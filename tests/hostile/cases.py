"""The hostile inputs: every case issue 10 quotes, and more, as data the suite runs on both backends.

A case is the argv (with ``{hid}``, ``{xid}`` for the seeded handover and exit interviews and
``{tmp}`` for the case's own folder), the files it needs, its environment and the exit code
and message it must get.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

BIG = str(2**70)
JUST_OVER = str(2**63)  # one past the largest 64-bit id
INT32_OVER = str(2**31)  # one past the largest PostgreSQL SERIAL id


@dataclass(frozen=True)
class Case:
    """One hostile input and what it must get."""

    id: str
    args: tuple[str, ...]
    files: dict[str, str | bytes | Callable[[Path], None]] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    input: str | bytes | None = None
    code: int = 1
    expect: str | None = None
    # "seeded" runs against the shared database; "none" gives no --db (config cases set their own).
    db: str = "seeded"
    kind: str = ""


CASES: list[Case] = []


def case(kind: str, id: str, *args: str, **options: object) -> None:
    CASES.append(Case(id=f"{kind}:{id}", args=args, kind=kind, **options))  # type: ignore[arg-type]


# -- ids beyond 2**63-1, and things that are not ids -------------------------------------------
BAD_IDS = {
    "2**70": BIG, "2**63": JUST_OVER, "2**31": INT32_OVER, "zero": "0", "negative": "-1", "word": "abc", "float": "1.5",
    "exponent": "1e3", "hex": "0x10", "arabic-digit": "\u0661", "superscript": "\u00b2",
    "5000-digits": "9" * 5000, "empty": "", "space": " ", "nul": "1\x00",
}
ID_COMMANDS: dict[str, tuple[str, ...]] = {
    "show": ("interview", "show", "{id}"),
    "answer": ("interview", "answer", "{id}", "role-summary", "--text", "x"),
    "export": ("export", "{id}"),
    "extract": ("extract", "{id}"),
    "delete": ("interview", "delete", "{id}", "--yes"),
    "complete": ("interview", "complete", "{id}"),
    "skip": ("interview", "skip", "{id}", "role-summary"),
    "reopen": ("interview", "reopen", "{id}"),
}
for command, template in ID_COMMANDS.items():
    for label, value in BAD_IDS.items():
        if value.startswith("-") and command != "show":
            continue  # "-1" reads as an option to the others: a usage error all the same
        argv = tuple(value if part == "{id}" else part for part in template)
        case("id", f"{command}-{label}", *argv, code=2, expect="option" if value.startswith("-") else "id")
# An id that fits but does not exist is a user error (1), not a usage error.
for command, template in ID_COMMANDS.items():
    argv = tuple(str(2**31 - 1) if part == "{id}" else part for part in template)
    case("id", f"{command}-missing", *argv, code=1, expect="no interview")

# -- search, who, filters ------------------------------------------------------------------------
words = " ".join(f"word{i}" for i in range(20_000))
case("search", "95-exclusions", "search", "payroll " + " ".join(f"-w{i}" for i in range(95)), expect="limit is 32")
case("search", "20000-words", "search", words, expect="limit")
case("search", "600-repeated", "search", " ".join(["payroll"] * 600), expect="limit")
case("search", "1250-repeated", "search", " ".join(["ledger"] * 1250), expect="limit")
case("search", "33-words", "search", " ".join(f"w{i}" for i in range(33)), expect="limit is 32")
case("search", "5001-chars", "search", "x" * 5001, expect="5,001 characters")
case("search", "100k-quotes", "search", '"' * 100_000, expect="characters")
case("search", "100k-dashes", "search", "--", "-" * 100_000, expect="characters")
case("search", "100k-option", "search", "-" * 100_000, code=2, expect="No such option")
case("search", "40-ors", "search", " OR ".join(f"t{i}" for i in range(40)), expect="limit is 32")
case("search", "long-phrase", "search", '"' + " ".join(f"w{i}" for i in range(200)) + '"', expect="limit is 64")
case("search", "40-phrases", "search", " ".join(f'"a{i} b{i}"' for i in range(40)), expect="limit is 32")
case("search", "40-prefixes", "search", " ".join(f"pre{i}*" for i in range(40)), expect="limit is 32")
case("search", "person-50000", "search", "payroll", "--person", "p" * 50_000, expect="--person")
case("search", "person-201", "search", "payroll", "--person", "%" * 201, expect="--person")
case("search", "label-50000", "search", "payroll", "--label", "L" * 50_000, expect="--label")
case("search", "guide-50000", "search", "payroll", "--guide", "g" * 50_000, expect="--guide")
case("search", "limit-2**70", "search", "payroll", "--limit", BIG, expect="--limit")
case("search", "limit-zero", "search", "payroll", "--limit", "0", expect="--limit")
case("search", "limit-word", "search", "payroll", "--limit", "many", code=2)
case("search", "since-garbage", "search", "payroll", "--since", "yesterday", expect="--since")
case("search", "since-year-0", "search", "payroll", "--since", "0000-01-01", expect="--since")
case("search", "status-bogus", "search", "payroll", "--status", "x" * 5000, expect="unknown status")
case("who", "topic-50000", "who", "t" * 50_000, expect="topic")
case("who", "topic-wildcards", "who", "%_" * 5000, expect="topic")
case("who", "topic-blank", "who", "   ", expect="give a topic")
case("who", "topic-controls", "who", "\x01\x02\x03", expect="give a topic")
case("list", "person-50000", "interview", "list", "--person", "n" * 50_000, expect="--person")
case("list", "status-bogus", "interview", "list", "--status", "gone", code=2)

# -- interview guides ----------------------------------------------------------------------------
HEAD = "id: bad\ntitle: Bad\ntrack: handover\n"
bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
for level, name in enumerate("bcdefghi"):
    bomb.append(f"{name}: &{name} [" + ",".join([f"*{'abcdefghi'[level]}"] * 9) + "]")
GUIDES: dict[str, tuple[str | bytes, str]] = {
    "alias-bomb": ("\n".join(bomb) + "\n" + HEAD, "aliases"),
    "merge-bomb": ("m0: &m0 [1, 2, 3, 4, 5, 6, 7, 8]\n" + "".join(f"m{i}: &m{i} [" + ", ".join([f"*m{i - 1}"] * 8) + "]\n" for i in range(1, 12)) + HEAD, "aliases"),
    "nested-5000-flow": (HEAD + "sections: " + "[" * 5000 + "]" * 5000 + "\n", "nested"),
    "nested-5000-block": (HEAD + "sections:\n" + "".join("  " * i + "- x:\n" for i in range(1, 200)), "nested"),
    "nested-mapping": (HEAD + "description: " + "{a: " * 100 + "1" + "}" * 100 + "\n", "nested"),
    "duplicate-id-key": ("id: one\nid: two\ntitle: T\ntrack: handover\nsections: []\n", "duplicate key 'id'"),
    "duplicate-section": (HEAD + "sections:\n  - {id: s, title: S}\n  - {id: s, title: T}\n", "duplicate section id"),
    "duplicate-question": (HEAD + "sections:\n  - id: s\n    title: S\n    questions:\n      - {id: q, prompt: A}\n      - {id: q, prompt: B}\n", "duplicate question id"),
    "self-extends": ("id: selfish\ntitle: S\ntrack: handover\nextends: selfish\nsections: []\n", "extend each other"),
    "unknown-extends": ("id: orphan\ntitle: O\ntrack: handover\nextends: nowhere\nsections: []\n", "extends unknown guide 'nowhere'"),
    "version-2**70": (HEAD + f"version: {BIG}\nsections: []\n", "version"),
    "version-10000-digits": (HEAD + "version: " + "9" * 10_000 + "\nsections: []\n", "digits"),
    "version-negative": (HEAD + "version: -1\nsections: []\n", "version"),
    "python-tag": (HEAD + "sections: !!python/object/apply:os.system ['true']\n", "bad YAML"),
    "unhashable-key": (HEAD + "? [a, b]\n: c\nsections: []\n", "bad YAML"),
    "bad-yaml": ("id: [unclosed\n", "bad YAML"),
    "tabs": ("id: x\n\ttitle: y\n", "bad YAML"),
    "not-utf8": (b"id: \xff\xfe\n", "UTF-8"),
    "binary": (b"\x00\x01\x02PK\x03\x04" * 100, "bad YAML"),
    "empty": ("", "mapping"),
    "a-list": ("- a\n- b\n", "mapping"),
    "a-string": ("just text\n", "mapping"),
    "two-documents": (HEAD + "sections: []\n---\n" + HEAD, "bad YAML"),
    "2mb": (HEAD + "description: " + "x" * 2_000_000 + "\nsections: []\n", "1,000,000 bytes"),
    "questions-not-list": (HEAD + "sections: [{id: s, title: S, questions: 5}]\n", "list"),
    "sections-not-list": (HEAD + "sections: 7\n", "list"),
    "unknown-type": (HEAD + "sections: [{id: s, title: S, questions: [{id: q, prompt: P, type: essay}]}]\n", "unknown question type"),
    "no-prompt": (HEAD + "sections: [{id: s, title: S, questions: [{id: q}]}]\n", "no prompt"),
    "unknown-pack": (HEAD + "sections: [{id: s, title: S, questions: [{id: q, prompt: P, pack: nowhere}]}]\n", "unknown pack section"),
    "bad-id": ("id: ../../etc/passwd\ntitle: T\ntrack: handover\nsections: []\n", "must be lower-case"),
    "nul-in-text": (HEAD + "description: \"a\\0b\"\nsections: []\n", "NUL"),
    "nul-in-prompt": (HEAD + "sections: [{id: s, title: S, questions: [{id: q, prompt: \"a\\x00b\"}]}]\n", "NUL"),
}
for label, (content, message) in GUIDES.items():
    case("guide", f"validate-{label}", "guides", "validate", "{tmp}/g.yaml", files={"g.yaml": content},
         expect=message or None, db="none")
case("guide", "validate-cycle-pair", "guides", "validate", "{tmp}/a.yaml", "{tmp}/b.yaml",
     files={"a.yaml": "id: mod-a\ntitle: A\ntrack: handover\nextends: mod-b\nsections: []\n",
            "b.yaml": "id: mod-b\ntitle: B\ntrack: handover\nextends: mod-a\nsections: []\n"},
     expect="extend each other", db="none")
case("guide", "validate-missing-file", "guides", "validate", "{tmp}/nope.yaml", expect="cannot read", db="none")
case("guide", "validate-folder", "guides", "validate", "{tmp}", expect="folder", db="none")
CYCLE = {"org/a.yaml": "id: mod-a\ntitle: A\ntrack: handover\nextends: mod-b\nsections: []\n",
         "org/b.yaml": "id: mod-b\ntitle: B\ntrack: handover\nextends: mod-a\nsections: []\n"}
case("guide", "list-org-cycle", "guides", "list", files=CYCLE, env={"RETAIN_GUIDES": "{tmp}/org"}, expect="extend each other")
case("guide", "new-org-cycle", "interview", "new", "--guide", "mod-a", "--person", "X", files=CYCLE,
     env={"RETAIN_GUIDES": "{tmp}/org"}, expect="extend each other")
case("guide", "show-org-cycle", "guides", "show", "mod-b", files=CYCLE, env={"RETAIN_GUIDES": "{tmp}/org"}, expect="extend each other")
case("guide", "list-org-bomb", "guides", "list", files={"org/bomb.yaml": "\n".join(bomb) + "\n" + HEAD},
     env={"RETAIN_GUIDES": "{tmp}/org"}, expect="aliases")
case("guide", "list-org-deep", "guides", "list", files={"org/deep.yaml": HEAD + "sections: " + "[" * 5000 + "]" * 5000},
     env={"RETAIN_GUIDES": "{tmp}/org"}, expect="nested")
case("guide", "new-org-deep", "interview", "new", "--guide", "handover", "--person", "X",
     files={"org/deep.yaml": HEAD + "sections: " + "[" * 5000 + "]" * 5000}, env={"RETAIN_GUIDES": "{tmp}/org"}, expect="nested")
case("guide", "guides-folder-missing", "guides", "list", env={"RETAIN_GUIDES": "{tmp}/missing"}, expect="does not exist")
case("guide", "guides-folder-is-file", "guides", "list", files={"file.txt": "x"}, env={"RETAIN_GUIDES": "{tmp}/file.txt"}, expect="not a folder")
case("guide", "new-guides-folder-missing", "interview", "new", "--guide", "handover", "--person", "X",
     env={"RETAIN_GUIDES": "{tmp}/missing"}, expect="does not exist")
case("guide", "show-unknown", "guides", "show", "../../etc/passwd", expect="unknown guide")
case("guide", "new-unknown-guide", "interview", "new", "--guide", "g" * 10_000, "--person", "X", expect="unknown guide")

# -- templates -----------------------------------------------------------------------------------
TEMPLATES = {
    "power": ("{{ 9**99999999 }}", "too big"),
    "repeat-3e9": ("{{ ('a'*3000000000) }}", "too big"),
    "range-1e9": ("{% for i in range(10**9) %}x{% endfor %}", "range"),
    "divide-by-zero": ("{{ 1/0 }}", "ZeroDivisionError"),
    "str-plus-int": ("{{ cover.person.name + 1 }}", "TypeError"),
    "undefined-plus": ("{{ x + 'x' }}", "'x'"),
    "include": ("{% include 'other.md.j2' %}", "includes"),
    "import": ("{% import 'macros.j2' as m %}", "imports"),
    "nested-loops": ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "longer than"),
    "printf-width": ('{{ "%999999999d" % 1 }}', "width"),
    "center-1e9": ('{{ "x"|center(1000000000) }}', "widths"),
    "recursion": ("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}", ""),
    "dunder": ("{{ cover.__class__.__mro__ }}", ""),
    "syntax": ("{% if %}", ""),
    "unclosed": ("{{ cover.person.name ", ""),
    "unknown-placeholder": ("{{ cover.succesor_name }}", "succesor_name"),
}
for label, (source, message) in TEMPLATES.items():
    case("template", f"check-{label}", "templates", "check", "{tmp}/t.md.j2", files={"t.md.j2": source},
         expect=None, db="none")
    case("template", f"export-{label}", "export", "{hid}", "--template", "{tmp}/t.md.j2", "--out", "{tmp}/out",
         files={"t.md.j2": source}, expect=message or None)


def _docx(body: str) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        from docx import Document

        document = Document()
        document.add_paragraph(body)
        buffer = io.BytesIO()
        document.save(buffer)
        path.write_bytes(buffer.getvalue())

    return write


DOCX = {
    "include": ("{% include 'x.docx' %}", "includes"),
    "divide-by-zero": ("{{ 1/0 }}", "ZeroDivisionError"),
    "power": ("{{ 9**99999999 }}", "too big"),
    "str-plus-int": ("{{ cover.person.name + 1 }}", "TypeError"),
}
for label, (source, message) in DOCX.items():
    case("template", f"docx-check-{label}", "templates", "check", "{tmp}/t.docx", files={"t.docx": _docx(source)}, db="none")
    case("template", f"docx-export-{label}", "export", "{hid}", "--template", "{tmp}/t.docx", "--out", "{tmp}/out",
         files={"t.docx": _docx(source)}, expect=message)
case("template", "docx-not-zip", "templates", "check", "{tmp}/t.docx", files={"t.docx": b"not a zip"}, db="none")
case("template", "docx-bad-zip", "export", "{hid}", "--template", "{tmp}/t.docx", "--out", "{tmp}/out",
     files={"t.docx": b"PK\x03\x04" + b"\x00" * 200}, expect="docx")
case("template", "not-a-template", "templates", "check", "{tmp}/t.txt", files={"t.txt": "hello"}, db="none")
case("template", "missing", "templates", "check", "{tmp}/none.j2", db="none")
case("template", "not-utf8", "templates", "check", "{tmp}/t.md.j2", files={"t.md.j2": b"\xff\xfe{{ x }}"}, db="none")

# -- answers -------------------------------------------------------------------------------------
SIX_MB = "a" * 6_000_000
case("answer", "file-6mb", "interview", "answer", "{hid}", "only-you", "--file", "{tmp}/a.txt", files={"a.txt": SIX_MB}, expect="5 MB")
case("answer", "stdin-6mb", "interview", "answer", "{hid}", "only-you", "--stdin", input=SIX_MB, expect="5 MB")
case("answer", "text-6mb", "interview", "answer", "{hid}", "only-you", "--text", SIX_MB, expect="5 MB")
case("answer", "emoji-over-limit", "interview", "answer", "{hid}", "only-you", "--text", "\U0001f600" * 1_300_000, expect="bytes")
case("answer", "word-over-10m", "interview", "answer", "{hid}", "only-you", "--file", "{tmp}/w.txt",
     files={"w.txt": "heading\n" * 1_300_000}, expect="5 MB")
case("answer", "nul", "interview", "answer", "{hid}", "only-you", "--text", "a\x00b", expect="NUL")
case("answer", "not-utf8-file", "interview", "answer", "{hid}", "only-you", "--file", "{tmp}/a.txt", files={"a.txt": b"\xff\xfe\x00a"}, expect="UTF-8")
case("answer", "not-utf8-stdin", "interview", "answer", "{hid}", "only-you", "--stdin", input=b"ok \xc3\x28", expect="UTF-8")
case("answer", "file-is-folder", "interview", "answer", "{hid}", "only-you", "--file", "{tmp}", code=2)
case("answer", "file-missing", "interview", "answer", "{hid}", "only-you", "--file", "{tmp}/missing.txt", expect="cannot read")
case("answer", "text-and-file", "interview", "answer", "{hid}", "only-you", "--text", "x", "--stdin", code=2)
case("answer", "nothing", "interview", "answer", "{hid}", "only-you", code=2)
case("answer", "unknown-question", "interview", "answer", "{hid}", "q" * 10_000, "--text", "x", expect="valid ids")
case("answer", "visibility-bogus", "interview", "answer", "{hid}", "only-you", "--text", "x", "--visibility", "public", code=2)
case("answer", "loosen-exit", "interview", "answer", "{xid}", "decision-story", "--text", "x", "--visibility", "shareable")
case("answer", "list-with-text", "interview", "answer", "{hid}", "contacts", "--text", "x", expect="is a list")
case("answer", "item-not-json", "interview", "answer", "{hid}", "contacts", "--item", "{name: x", expect="not valid JSON")
case("answer", "item-array", "interview", "answer", "{hid}", "contacts", "--item", "[1, 2]", expect="JSON object")
case("answer", "item-deep", "interview", "answer", "{hid}", "contacts", "--item", "[" * 100_000 + "]" * 100_000, expect="--item")
case("answer", "item-unknown-field", "interview", "answer", "{hid}", "contacts", "--item", '{"password": "x"}')
case("answer", "item-huge-value", "interview", "answer", "{hid}", "contacts", "--item", '{"name": "' + "n" * 6_000_000 + '"}', expect="5 MB")
case("answer", "items-1001", "interview", "answer", "{hid}", "contacts", *[a for i in range(1001) for a in ("--item", f'{{"name": "p{i}"}}')], expect="rows")
case("answer", "item-nul", "interview", "answer", "{hid}", "contacts", "--item", '{"name": "a\\u0000b"}', expect="NUL")
case("answer", "item-empty", "interview", "answer", "{hid}", "contacts", "--item", "{}")
case("answer", "item-list-value", "interview", "answer", "{hid}", "contacts", "--item", '{"name": ["a"]}')
case("answer", "scale-word", "interview", "answer", "{xid}", "consent", "--text", "maybe" * 1000)
case("answer", "skip-unknown", "interview", "skip", "{hid}", "nope")

# -- export --------------------------------------------------------------------------------------
case("export", "exit-without-flag", "export", "{xid}", "--out", "{tmp}/out", expect="--include-confidential")
case("export", "format-bogus", "export", "{hid}", "--format", "pdfx", code=2)
case("export", "out-wrong-ext", "export", "{hid}", "--format", "md", "--out", "{tmp}/pack.docx", expect="does not end in .md")
case("export", "out-under-file", "export", "{hid}", "--out", "{tmp}/f.txt/pack.docx", files={"f.txt": "x"}, expect="not a folder")
case("export", "out-dev-null-dir", "export", "{hid}", "--out", "/dev/null/pack.docx", expect="--out")
case("export", "template-missing", "export", "{hid}", "--template", "{tmp}/none.docx", "--out", "{tmp}/out", expect="not found")
case("export", "template-txt", "export", "{hid}", "--template", "{tmp}/t.txt", "--out", "{tmp}/out", files={"t.txt": "x"}, expect="not a pack template")
case("export", "json-with-template", "export", "{hid}", "--format", "json", "--template", "{tmp}/t.md.j2", "--out", "{tmp}/out",
     files={"t.md.j2": "x"}, expect="drop --template")

# -- configuration and databases -----------------------------------------------------------------
case("config", "db-empty", "interview", "list", db="empty", expect="--db is empty")
case("config", "db-spaces", "interview", "list", db="spaces", expect="--db is empty")
case("config", "db-empty-with-env", "interview", "list", db="empty", env={"RETAIN_DB": "{tmp}/env.db"}, expect="RETAIN_DB")
case("config", "db-dev-null", "interview", "list", db="/dev/null", expect="not a regular file")
case("config", "db-folder", "interview", "list", db="{tmp}", expect="folder")
case("config", "db-text-file", "interview", "list", db="{tmp}/notes.txt", files={"notes.txt": "hello"}, expect="not an SQLite database")
case("config", "db-truncated", "interview", "list", db="{tmp}/t.db", files={"t.db": b"SQLite format 3\x00" + b"\x00" * 50}, expect="database")
case("config", "db-mysql", "interview", "list", db="mysql://u@h/d", expect="unsupported database")
case("config", "db-bad-url", "interview", "list", db="postgresql://:::x", expect="")
case("config", "db-refused", "interview", "list", db="postgresql://u@127.0.0.1:1/x", expect="cannot reach PostgreSQL")
case("config", "db-under-file", "interview", "list", db="{tmp}/f.txt/x.db", files={"f.txt": "x"}, expect="cannot create")
case("config", "toml-db-123", "interview", "list", db="none", files={"c.toml": "db = 123\n"}, env={"RETAIN_CONFIG": "{tmp}/c.toml"}, expect="db must be")
case("config", "toml-db-list", "interview", "list", db="none", files={"c.toml": "db = [1]\n"}, env={"RETAIN_CONFIG": "{tmp}/c.toml"}, expect="db must be")
case("config", "toml-db-empty", "interview", "list", db="none", files={"c.toml": 'db = ""\n'}, env={"RETAIN_CONFIG": "{tmp}/c.toml"}, expect="db must be")
case("config", "toml-guides-bool", "guides", "list", db="none", files={"c.toml": "guides_dir = true\n"}, env={"RETAIN_CONFIG": "{tmp}/c.toml"}, expect="guides_dir must be")
case("config", "toml-unknown", "interview", "list", db="none", files={"c.toml": 'colour = "red"\n'}, env={"RETAIN_CONFIG": "{tmp}/c.toml"}, expect="unknown setting")
case("config", "toml-invalid", "interview", "list", db="none", files={"c.toml": "db = \n"}, env={"RETAIN_CONFIG": "{tmp}/c.toml"}, expect="not valid TOML")
case("config", "toml-binary", "interview", "list", db="none", files={"c.toml": b"\xff\xfe"}, env={"RETAIN_CONFIG": "{tmp}/c.toml"}, expect="TOML")
case("config", "toml-huge", "interview", "list", db="none", files={"c.toml": "# " + "x" * 200_000}, env={"RETAIN_CONFIG": "{tmp}/c.toml"}, expect="not a config file")
case("config", "glossary-missing", "extract", "{hid}", "--force", env={"RETAIN_GLOSSARY": "{tmp}/none.yaml"}, expect="glossary")
case("config", "glossary-folder", "extract", "{hid}", "--force", env={"RETAIN_GLOSSARY": "{tmp}"}, expect="glossary")
case("config", "glossary-bomb", "extract", "{hid}", "--force", files={"g.yaml": "\n".join(bomb) + "\nterms: []\n"},
     env={"RETAIN_GLOSSARY": "{tmp}/g.yaml"}, expect="aliases")
case("config", "glossary-bad-yaml", "extract", "{hid}", "--force", files={"g.yaml": "terms: [\n"}, env={"RETAIN_GLOSSARY": "{tmp}/g.yaml"}, expect="glossary")
case("config", "glossary-not-utf8", "extract", "{hid}", "--force", files={"g.yaml": b"\xff"}, env={"RETAIN_GLOSSARY": "{tmp}/g.yaml"}, expect="UTF-8")

# -- usage ---------------------------------------------------------------------------------------
case("usage", "unknown-command", "frobnicate", code=2, expect="No such command")
case("usage", "unknown-option", "interview", "list", "--colour", code=2, expect="No such option")
case("usage", "missing-argument", "interview", "show", code=2, expect="Missing argument")
case("usage", "new-without-person", "interview", "new", "--guide", "handover", code=2, expect="--person")
case("usage", "extract-nothing", "extract", code=2, expect="--all")
case("usage", "extract-both", "extract", "{hid}", "--all", code=2, expect="not both")
case("usage", "processes-2**70", "extract", "--all", "--processes", BIG, code=2)
case("usage", "backup-exists", "db", "backup", "{tmp}/f.txt", files={"f.txt": "keep"})
case("usage", "person-show-2**70", "person", "show", BIG, expect="no person")
case("usage", "person-show-superscript", "person", "show", "\u00b2", expect="no person")
case("usage", "person-name-too-long", "interview", "new", "--guide", "handover", "--person", "n" * 100_000, expect="longer than")


def kinds() -> dict[str, int]:
    """How many cases of each kind (the closing note's counts)."""
    counts: dict[str, int] = {}
    for item in CASES:
        counts[item.kind] = counts.get(item.kind, 0) + 1
    return counts
