"""Never lose a word: type in the real app in a pseudo-terminal, wait 1.5 s, kill -9, reopen."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time
from pathlib import Path

import pytest

from retain.config import load_settings
from retain.services import open_services

ANSWER = "The vault key sits in the red folder, second drawer."


def read_until(fd: int, needle: bytes, timeout: float) -> bytes:
    """Read the terminal until ``needle`` shows up (or fail)."""
    buffer = bytearray()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                buffer.extend(os.read(fd, 65536))
            except OSError:
                break
            if needle in buffer:
                return bytes(buffer)
    raise AssertionError(f"{needle!r} never appeared on the terminal; got {bytes(buffer[-400:])!r}")


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_kill_9_after_typing_loses_nothing(tmp_path: Path) -> None:
    db = tmp_path / "crash.db"
    services = open_services(load_settings(db=str(db)))
    interview = services.interviews.start("handover", "Crash Tester")
    services.close()

    env = dict(os.environ, TERM="xterm-256color")
    pid, fd = pty.fork()
    if pid == 0:  # the child becomes the app, exactly as a user starts it
        os.execve(sys.executable, [sys.executable, "-m", "retain", "--db", str(db)], env)
    try:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        read_until(fd, b"Crash Tester", 20)  # the interview list is filled
        time.sleep(0.3)
        os.write(fd, b"\r")  # open it: it lands on the first unanswered question
        read_until(fd, b"sitting", 10)
        time.sleep(0.3)
        os.write(fd, ANSWER.encode())
        time.sleep(1.5)
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)

    services = open_services(load_settings(db=str(db)))
    try:
        answers = {a.question_id: a.text for a in services.interviews.answers(interview.id or 0)}
    finally:
        services.close()
    assert answers.get("role-summary") == ANSWER
