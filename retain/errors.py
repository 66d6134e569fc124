"""One error hierarchy, so the CLI and the TUI show the same one-line message."""

from __future__ import annotations


class RetainError(Exception):
    """Base for every error a user can cause and fix.

    The message is a single line that says what went wrong and how to fix it.
    """

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

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
