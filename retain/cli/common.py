"""Shared CLI plumbing: lazy settings and services, one error style, JSON output."""

from __future__ import annotations

import json
import re
import sqlite3
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from retain.config import Settings, load_settings
from retain.crashlog import CleanStream, one_line, unexpected_message
from retain.errors import RetainError

if TYPE_CHECKING:
    from retain.services import Services
    from retain.store.rows import RowReader


@dataclass
class AppContext:
    """What every command can reach: settings now, services when first asked for."""

    flags: dict[str, Any]
    _settings: Settings | None = field(default=None, init=False)
    _services: Services | None = field(default=None, init=False)

    @property
    def settings(self) -> Settings:
        """The resolved settings."""
        if self._settings is None:
            self._settings = load_settings(**self.flags)
        return self._settings

    @property
    def services(self) -> Services:
        """The services container; its database opens when a service first needs it."""
        if self._services is None:
            from retain.services import Services

            self._services = Services(self.settings)
        return self._services

    @property
    def rows(self) -> RowReader:
        """Read-only SQL for commands that only print.

        On an SQLite file at the current schema this is the sqlite3 module alone: importing
        SQLAlchemy costs ~0.16 s, more than such a command does. Anything else (PostgreSQL, a
        file to create or upgrade, not a database) goes through the engine, which creates,
        refuses or explains as every other command does.
        """
        return self.services.rows

    def close(self) -> None:
        """Release the services' connections (the light reader's too), if they were opened."""
        if self._services is not None:
            self._services.close()


# The largest id every backend holds: PostgreSQL's SERIAL ids are 32-bit integers (SQLite's
# go to 2**63-1), so a bigger number can never name a record and is refused before any query.
MAX_ID = 2**31 - 1


class IdType(click.ParamType[int, Any]):
    """A record id: a whole number from 1 to 2**31-1, so no database sees an overflowing integer."""

    name = "ID"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        """Parse ``value`` or fail with a usage error that names the fix."""
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        else:
            text = str(value).strip()
            # Checked as text first: int() of a 100,000-digit string is itself slow.
            if not text.isascii() or not text.isdigit() or len(text) > 30:
                self.fail(f"{one_line(str(value))[:40]!r} is not an id; ids are whole numbers "
                          "(see `retain interview list`)", param, ctx)
            number = int(text)
        if not 1 <= number <= MAX_ID:
            self.fail(f"{number if number < 10**20 else 'the number'} is not an id; ids run from 1 "
                      f"to {MAX_ID} (see `retain interview list`)", param, ctx)
        return number


ID = IdType()


# A message quoting a 100,000-character argument is cut, so the one line stays readable.
MAX_MESSAGE_CHARS = 600


def _error_line(message: str) -> None:
    # A pasted 10,000-character word is quoted by its start, so the fix after it still shows.
    line = re.sub(r"\S{301,}", lambda m: m.group(0)[:80] + "…", one_line(message))
    if len(line) > MAX_MESSAGE_CHARS:
        line = line[: MAX_MESSAGE_CHARS - 1] + "…"
    click.echo(f"retain: error: {line}", err=True)


def _data_dir(ctx: click.Context | None) -> Path | None:
    app = ctx.obj if ctx is not None else None
    if isinstance(app, AppContext):
        try:
            return app.settings.data_dir
        except RetainError:
            return None
    return None


class RetainGroup(click.Group):
    """The error funnel: every failure becomes one line on stderr.

    A :class:`RetainError` prints its message (exit 1); a usage error prints one line naming
    ``--help`` (exit 2); anything unexpected has its traceback written to the error log and
    prints one line naming that log (exit 1).
    """

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the CLI; in standalone mode, report every error as one line and exit."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as exc:
            where = exc.ctx.command_path if exc.ctx is not None else "retain"
            message = exc.format_message()
            hint = "" if "(see `" in message else f" (see `{where} --help`)"
            _error_line(message + hint)
            _exit(exc.exit_code)
        except click.ClickException as exc:
            _error_line(exc.format_message())
            _exit(exc.exit_code)
        except click.Abort:
            _error_line("aborted")
            _exit(1)
        _exit(result if isinstance(result, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        """Invoke the command, turning every non-click exception into one line."""
        stdout = sys.stdout
        # Names and answers may hold BEL or escape sequences: shown, never executed. JSON
        # output escapes them itself; the TUI writes to the terminal through stderr.
        sys.stdout = CleanStream(stdout)
        try:
            return super().invoke(ctx)
        except RetainError as exc:
            _error_line(exc.message)
            ctx.exit(exc.exit_code)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:  # the funnel: log it, say one line
            _error_line(describe_unexpected(exc, _data_dir(ctx)))
            ctx.exit(1)
        finally:
            sys.stdout = stdout
            app = ctx.obj
            if isinstance(app, AppContext):
                try:
                    app.close()
                except Exception:  # closing must not hide the real outcome
                    app._services = None


def describe_unexpected(exc: BaseException, data_dir: Path | None) -> str:
    """The one line for an exception no command expected; its traceback goes to the error log.

    A database failure (a damaged file, a missing index table, a schema that does not match)
    says so, with the database's own first line cut short, so a raw column value never
    reaches the terminal.
    """
    sa_exc = sys.modules.get("sqlalchemy.exc")
    # sqlite3's own errors come from the light read path (retain.store.rows), with no SQLAlchemy.
    if (sa_exc is not None and isinstance(exc, sa_exc.DBAPIError)) or isinstance(exc, sqlite3.Error):
        orig = getattr(exc, "orig", exc)
        detail = str(orig).strip().splitlines()[0] if orig is not None and str(orig).strip() else ""
        detail = detail.split(":", 1)[0] if len(detail) > 80 else detail
        logged = unexpected_message(exc, data_dir).split("; ", 1)[1]
        return (f"database error ({detail or type(orig).__name__}): the database may be damaged "
                f"or at another schema; check it with `retain db upgrade` or restore a backup; {logged}")
    return unexpected_message(exc, data_dir)


def _exit(code: int) -> NoReturn:
    sys.exit(code)


pass_app = click.make_pass_decorator(AppContext)


def emit_json(document: Any) -> None:
    """Print one JSON document on stdout."""
    click.echo(json.dumps(document, ensure_ascii=False, indent=2, default=str))


def warn(message: str) -> None:
    """A diagnostic on stderr (never mixed into --json output)."""
    click.echo(f"retain: {message}", err=True)


def is_terminal() -> bool:
    """Whether stdout is an interactive terminal (progress bars, colour)."""
    return sys.stdout.isatty()
