"""One error hierarchy: what went wrong, plus a structured fix each front end phrases itself."""

from __future__ import annotations

from enum import StrEnum


class Fix(StrEnum):
    """How the user fixes an error, independent of the front end they use.

    The CLI phrases a fix as a flag or a command, the TUI as a key or a button; see
    :data:`COMMAND_LINE` here and ``retain.tui.fixes`` for the TUI's wording.
    """

    FORCE = "force"  # overwrite the file that is in the way
    INCLUDE_CONFIDENTIAL = "include_confidential"  # HR opts in to confidential answers
    KEEP_CONFIDENTIAL = "keep_confidential"  # the question is confidential by design
    LIST_INTERVIEWS = "list_interviews"  # pick an interview that exists
    UPGRADE_SCHEMA = "upgrade_schema"  # run the database migrations
    CHOOSE_OUT = "choose_out"  # write somewhere else
    CHECK_TEMPLATE = "check_template"  # lint the template for the full list of problems
    REPLACE = "replace"  # overwrite the answer already saved
    ANSWER_BY_HAND = "answer_by_hand"  # type the answer instead of taking it from the recording


# The command line's wording: also the default message, so scripts and logs read the same.
COMMAND_LINE: dict[Fix, str] = {
    Fix.FORCE: "choose another file or pass --force",
    Fix.INCLUDE_CONFIDENTIAL: "add --include-confidential to write the HR exit report",
    Fix.KEEP_CONFIDENTIAL: "leave --visibility out",
    Fix.LIST_INTERVIEWS: "see `retain interview list`",
    Fix.UPGRADE_SCHEMA: "run `retain db upgrade`",
    Fix.CHOOSE_OUT: "choose another location with --out",
    Fix.CHECK_TEMPLATE: "run `retain templates check` on it for every problem",
    Fix.REPLACE: "pass --replace to overwrite it",
    Fix.ANSWER_BY_HAND: "answer it with `retain interview answer`",
}


class RetainError(Exception):
    """Base for every error a user can cause and fix.

    Attributes:
        problem: What went wrong, with no front-end wording.
        fix: How to fix it, if the fix is an action a front end offers.
        message: One line: the problem and its fix as the command line says it.
    """

    exit_code = 1

    def __init__(self, message: str, *, fix: Fix | None = None) -> None:
        self.problem = message
        self.fix = fix
        self.message = f"{message}; {COMMAND_LINE[fix]}" if fix is not None else message
        super().__init__(self.message)

    def phrased(self, hints: dict[Fix, str]) -> str:
        """The message with the fix worded by a front end (``hints``), else the default."""
        if self.fix is not None and self.fix in hints:
            return f"{self.problem}; {hints[self.fix]}"
        return self.message

    def __str__(self) -> str:
        return self.message


class ConfigError(RetainError):
    """Bad configuration: a config file, an environment variable or a flag."""


class StoreError(RetainError):
    """The database cannot be opened, reached or written."""


class SchemaOutOfDate(StoreError):
    """The database schema is older than this version of retain."""


class NotFound(RetainError):
    """A person, interview, guide or question does not exist."""


class InvalidInput(RetainError):
    """The input does not fit what the question or command expects."""


class GuideError(RetainError):
    """An interview guide failed validation; ``problems`` holds every ``file:line: message``."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(
            problems[0] if len(problems) == 1 else f"{problems[0]} (+{len(problems) - 1} more)"
        )
        self.problems = problems


class ConfidentialityError(RetainError):
    """An action would expose confidential answers without the explicit flag."""


class TemplateError(RetainError):
    """A pack template is broken: bad syntax, an unknown placeholder, or not a template."""


class ExportError(RetainError):
    """A pack could not be written."""
