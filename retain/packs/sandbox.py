"""Render an untrusted template in a child process with a time, memory and output limit.

Jinja's sandbox stops a template reaching Python's internals, but not one that computes
``9**99999999``, builds ``'a'*3000000000`` or loops ``range(100000)`` inside itself: those
run in C or in the template's own code, where no check can interrupt them. A custom template
(``--template``, ``templates check``) is therefore rendered by ``python -m retain.packs.sandbox``,
which the parent kills after :data:`RENDER_SECONDS`, and whose address space is capped at
:data:`RENDER_MEMORY` bytes. The shipped templates are trusted and render in-process.
"""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from retain.errors import TemplateError

RENDER_SECONDS = 4.0
RENDER_MEMORY = 1_000_000_000


def render_isolated(
    kind: str, template: Path, context: Any, target: Path, *, now: datetime | None = None
) -> None:
    """Render ``template`` into ``target`` in a limited child process.

    Args:
        kind: ``text`` (a ``.j2`` template; ``target`` gets UTF-8 text) or ``docx``.
        template: The template file.
        context: The pack context (picklable).
        target: The file to write.
        now: The generation time (Word document properties).

    Raises:
        TemplateError: For any failure of the template, or when it runs past a limit.
    """
    job = pickle.dumps((kind, str(template), context, str(target), now))
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    try:
        done = subprocess.run(
            [sys.executable, "-m", "retain.packs.sandbox"],
            input=job,
            capture_output=True,
            timeout=RENDER_SECONDS,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise TemplateError(
            f"{template.name}: rendering took longer than {RENDER_SECONDS:g} s and was stopped; "
            "look for a loop or a calculation that never ends"
        ) from exc
    reply = _reply(done.stdout)
    if done.returncode == 0 and reply.get("ok"):
        return
    if "error" in reply:
        raise TemplateError(str(reply["error"]))
    raise TemplateError(
        f"{template.name}: rendering stopped (exit {done.returncode}); the template needs more "
        f"than {RENDER_MEMORY // 1_000_000:,} MB or crashed; simplify it"
    )


def _reply(stdout: bytes) -> dict[str, Any]:
    try:
        value = json.loads(stdout.decode("utf-8", errors="replace").strip().splitlines()[-1])
    except (ValueError, IndexError):
        return {}
    return value if isinstance(value, dict) else {}


def trial_render(template: Path, roots: list[Any]) -> str | None:
    """Render ``template`` with each sample context; the error if none of them renders.

    ``templates check`` uses it, so a template that hangs, explodes or divides by zero is
    reported there, not first found by an export.
    """
    kind = "docx" if template.suffix.lower() == ".docx" else "text"
    errors: list[str] = []
    with tempfile.TemporaryDirectory(prefix="retain-check-") as folder:
        for index, root in enumerate(roots):
            try:
                render_isolated(kind, template, root, Path(folder) / f"trial-{index}")
                return None
            except TemplateError as exc:
                if "unknown placeholder" not in exc.message:
                    return exc.message  # the same with any context: no need to wait again
                errors.append(exc.message)
    # A placeholder unknown to one kind of pack is expected; another error is the real one.
    real = [e for e in errors if "unknown placeholder" not in e]
    return (real or errors)[0] if errors else None


def _limit_memory() -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (RENDER_MEMORY, RENDER_MEMORY))
    except (ImportError, ValueError, OSError):  # not on this platform: the time limit remains
        pass


def _child() -> int:
    _limit_memory()
    template = "template"
    try:
        kind, template, context, target, now = pickle.loads(sys.stdin.buffer.read())
        path = Path(template)
        if kind == "docx":
            from retain.packs.docx_render import render_docx

            render_docx(path, context, Path(target), now=now or datetime.now())
        else:
            from retain.packs.jinja import render_text

            text = render_text(path, context)
            with open(target, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
    except TemplateError as exc:
        print(json.dumps({"error": exc.message}))
        return 3
    except MemoryError:
        print(json.dumps({"error": f"{Path(template).name}: the template needs more than "
                                    f"{RENDER_MEMORY // 1_000_000:,} MB to render; simplify it"}))
        return 3
    except Exception as exc:  # anything a template can raise becomes its one-line error
        from retain.packs.jinja import describe_render_error

        print(json.dumps({"error": describe_render_error(Path(template), exc)}))
        return 3
    print(json.dumps({"ok": True}))
    return 0


if __name__ == "__main__":
    sys.exit(_child())
