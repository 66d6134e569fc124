"""Shared CLI plumbing: lazy settings and services, one error style, JSON output."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import click

from retain.config import Settings, load_settings
from retain.errors import RetainError

if TYPE_CHECKING:
    from retain.services import Services


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
        """Services on the configured database, opened on first use."""
        if self._services is None:
            from retain.services import open_services

            self._services = open_services(self.settings)
        return self._services


class RetainGroup(click.Group):
    """A group that turns every :class:`RetainError` into one line on stderr and exit 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except RetainError as exc:
            click.echo(f"retain: error: {exc.message}", err=True)
            ctx.exit(exc.exit_code)
        finally:
            app = ctx.obj
            if isinstance(app, AppContext) and app._services is not None:
                app._services.close()


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
