"""Shared screen plumbing: typed access to the app and its services, palette commands from bindings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual.app import SystemCommand
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.worker import Worker

if TYPE_CHECKING:
    from retain.services import Services
    from retain.tui.app import RetainApp

ResultType = TypeVar("ResultType")


def retain_app(node: DOMNode) -> RetainApp:
    """The running :class:`RetainApp` (screens are only ever mounted in one)."""
    return cast("RetainApp", node.app)


def binding_commands(screen: Screen[Any]) -> Iterable[SystemCommand]:
    """One palette command per described binding of a screen, so keys and palette never drift."""
    for binding in screen.BINDINGS:
        if not isinstance(binding, Binding) or not binding.description:
            continue
        if binding.action.startswith("app."):
            continue  # app actions are listed once, by the app itself
        action = binding.action
        if not screen.check_action(action.split("(")[0], ()):
            continue
        key = binding.key_display or binding.key.split(",")[0]

        def run(action: str = action) -> Any:
            return screen.run_action(action)

        yield SystemCommand(binding.description, binding.tooltip or f"key: {key}", run)


class AppBound:
    """What every screen and dialog of the app shares: typed access, failures, palette entries."""

    def _node(self) -> Screen[Any]:
        return cast("Screen[Any]", self)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Report a failed worker the way the app reports every error."""
        retain_app(self._node()).worker_failed(event)

    @property
    def retain(self) -> RetainApp:
        """The app, typed."""
        return retain_app(self._node())

    @property
    def services(self) -> Services:
        """The services (the database is open once any screen but home is reachable)."""
        return retain_app(self._node()).services

    def palette_commands(self) -> Iterable[SystemCommand]:
        """This screen's actions for the command palette."""
        return binding_commands(self._node())


class RetainScreen(AppBound, Screen[ResultType]):
    """A full screen of the app."""


class RetainModal(AppBound, ModalScreen[ResultType]):
    """A modal dialog of the app."""
