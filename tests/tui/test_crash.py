"""Never lose a word: type into the real app in a pseudo-terminal, kill -9 it, reopen the database."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from retain.config import load_settings
from retain.services import open_services

ANSWER = "The vault key sits in the red folder, second drawer."
# Continuous typing, as in the issue: about 67 keys a second (270 characters in 4 s).
KEY_INTERVAL = 0.015
# The promise: text typed is in the database at most this long after the key.
BOUND = 0.25
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
]


class Terminal:
    """The real app (``python -m retain --db DB``) in a pseudo-terminal, its output drained."""

    def __init__(self, db: Path) -> None:
        env = dict(os.environ, TERM="xterm-256color")
        pid, fd = pty.fork()
        if pid == 0:  # the child becomes the app, exactly as a user starts it
            os.execve(sys.executable, [sys.executable, "-m", "retain", "--db", str(db)], env)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        self._output = bytearray()
        self._last_output = time.monotonic()
        self._lock = threading.Lock()
        self._alive = True
        # Always read: an app whose terminal output is not drained blocks on its next write.
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        while self._alive:
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            with self._lock:
                self._output.extend(chunk)
                del self._output[:-200_000]
                self._last_output = time.monotonic()

    def wait_for(self, needle: bytes, timeout: float) -> None:
        """Wait until ``needle`` has been drawn (or fail)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                found = self._output.find(needle)
                if found >= 0:
                    del self._output[:found + len(needle)]
                    return
            time.sleep(0.02)
        with self._lock:
            tail = bytes(self._output[-400:])
        raise AssertionError(f"{needle!r} never appeared on the terminal; got {tail!r}")

    def wait_quiet(self, quiet: float, timeout: float) -> None:
        """Wait until the app has drawn nothing for ``quiet`` seconds: it is done painting."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                idle = time.monotonic() - self._last_output
            if idle >= quiet:
                return
            time.sleep(0.02)

    def write(self, data: bytes) -> None:
        """Send keys."""
        os.write(self.fd, data)

    def type(self, text: str, interval: float) -> list[float]:
        """Type one key every ``interval`` seconds; returns when each key was sent."""
        sent: list[float] = []
        start = time.monotonic()
        for index, char in enumerate(text):
            delay = start + index * interval - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            os.write(self.fd, char.encode())
            sent.append(time.monotonic())
        return sent

    def kill(self) -> None:
        """kill -9, then reap the process."""
        self._alive = False
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        self._reader.join(timeout=2)
        os.close(self.fd)


def open_fresh_interview(db: Path, person: str) -> tuple[int, Terminal]:
    """Start an interview, launch the app and open it (it is the newest, so the first row)."""
    services = open_services(load_settings(db=str(db)))
    interview_id = services.interviews.start("handover", person).id or 0
    services.close()
    terminal = Terminal(db)
    try:
        terminal.wait_for(person.encode(), 30)  # the interview list is filled
        time.sleep(0.2)
        terminal.write(b"\r")  # open it: it lands on the first unanswered question
        terminal.wait_for(b"Type the answer", 15)  # the editor is there, with the cursor in it
        terminal.wait_quiet(0.4, 10)  # and the screen is painted, as a person would see it
    except BaseException:
        terminal.kill()
        raise
    return interview_id, terminal


def saved_text(db: Path, interview_id: int, question_id: str = "role-summary") -> str:
    """What the database holds after the crash, read as the next launch would."""
    services = open_services(load_settings(db=str(db)))
    try:
        return {a.question_id: a.text for a in services.interviews.answers(interview_id)}.get(
            question_id, ""
        )
    finally:
        services.close()


def typing(seconds: float, seed: int) -> str:
    """Continuous prose, ``seconds`` of it at the key interval; distinct per run."""
    words = [
        "the", "payroll", "export", "runs", "every", "friday", "and", "the", "vault", "key", "sits",
        "in", "the", "red", "folder", "so", "ask", "dana", "before", "quarter", "end", "when",
        "the", "bridge", "interface", "stalls",
    ]
    words = words[seed % len(words):] + words[:seed % len(words)]
    count = int(seconds / KEY_INTERVAL)
    text = ""
    while len(text) < count:
        text += " ".join(words) + ". "
    return text[:count].rstrip() + "."


@dataclass(frozen=True)
class Loss:
    """How much of one run's typing the database lacked after the kill."""

    typed: int
    missing: int
    seconds: float  # of typing missing (0.0 when nothing is)


def crash_while_typing(db: Path, run: int, seconds: float, kill_after: float) -> Loss:
    """Type continuously for ``seconds``, kill -9 ``kill_after`` s after the last key, reopen."""
    text = typing(seconds, run)
    interview_id, terminal = open_fresh_interview(db, f"Crash Tester {run}")
    try:
        sent = terminal.type(text, KEY_INTERVAL)
        time.sleep(max(0.0, sent[-1] + kill_after - time.monotonic()))
    finally:
        terminal.kill()
    stored = saved_text(db, interview_id)
    assert text.startswith(stored), "what was saved is not what was typed"
    if len(stored) == len(text):
        return Loss(len(text), 0, 0.0)
    # The first missing key, up to the last key, plus that last key's own interval.
    return Loss(len(text), len(text) - len(stored), sent[-1] - sent[len(stored)] + KEY_INTERVAL)


def test_kill_9_half_a_second_after_the_last_key_keeps_the_sentence(tmp_path: Path) -> None:
    # Regression: saves waited for 0.8 s of quiet, so a kill 0.5 s after the sentence lost it.
    db = tmp_path / "crash.db"
    interview_id, terminal = open_fresh_interview(db, "Crash Tester")
    try:
        sent = terminal.type(ANSWER, KEY_INTERVAL)  # typed, not pasted: one key at a time
        time.sleep(max(0.0, sent[-1] + 0.5 - time.monotonic()))
    finally:
        terminal.kill()
    assert saved_text(db, interview_id) == ANSWER


def test_kill_9_while_typing_loses_at_most_half_a_second(tmp_path: Path) -> None:
    """The README figure: 10 runs of 5 s of continuous typing, each killed 0.3 s after the last key.

    Regression: the save timer restarted on every key with no maximum wait, so typing for 4 s
    and a kill 0.3 s later lost all 270 characters. Now a save follows any key within 0.25 s,
    so nothing typed more than that before the kill may be missing.
    """
    db = tmp_path / "crash.db"
    losses = [crash_while_typing(db, run, seconds=5.0, kill_after=0.3) for run in range(10)]
    worst = max(losses, key=lambda loss: loss.seconds)
    print(
        f"\nkill -9 0.3 s after 5 s of typing, 10 runs: worst {worst.seconds:.2f} s of typing lost "
        f"({worst.missing} of {worst.typed} characters); per run: "
        + ", ".join(f"{loss.seconds:.2f}" for loss in losses)
        + f"; load average {os.getloadavg()[0]:.2f}"
    )
    assert worst.seconds <= 0.5, f"lost {worst.seconds:.2f} s of typing ({worst.missing} characters)"
    # Killed 0.3 s after the last key, past the 0.25 s bound: a typical run loses nothing.
    assert sorted(loss.missing for loss in losses)[len(losses) // 2] == 0
