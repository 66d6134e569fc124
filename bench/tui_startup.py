"""Benchmark the TUI in a real pseudo-terminal: launch to first frame, list filled, keystroke echo.

Run: .venv/bin/python bench/tui_startup.py [--runs N]

1. ``python -m retain --db FILE`` is started in a pty N times; the time from fork to the first
   output that contains the home screen's title ("Interviews") is the first frame, and the time
   until a demo person's name appears is "list filled". The median of the runs is reported
   (targets: first frame < 0.5 s, list filled < 1.0 s).
2. With the demo data loaded, an interview is opened and text is typed into the answer editor
   one key at a time while spaCy loads and extracts in the background; the delay from each
   key to its echo on the terminal is measured, and the p95 reported (target < 50 ms).
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TITLE = b"Interviews"
COLS, ROWS = 100, 30


# The baseline: a bare Textual app with a header and the same title, nothing else.
BARE_APP = """
from textual.app import App
from textual.widgets import Footer, Header, Label
class Bare(App):
    def compose(self):
        yield Header()
        yield Label("Interviews")
        yield Footer()
Bare().run()
"""


def spawn(db: Path | None, env_extra: dict[str, str] | None = None) -> tuple[int, int, float]:
    """Start the app (or, with no database, the bare baseline) in a new pty."""
    env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(COLS), LINES=str(ROWS))
    env.pop("TEXTUAL", None)
    env.update(env_extra or {})
    argv = ([sys.executable, "-m", "retain", "--db", str(db)] if db is not None
            else [sys.executable, "-c", BARE_APP])
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: become the app
        os.execve(sys.executable, argv, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
    return pid, fd, started


def read_until(fd: int, needles: list[bytes], timeout: float, buffer: bytearray) -> dict[bytes, float]:
    """Read the pty until every needle was seen; returns when each first appeared."""
    seen: dict[bytes, float] = {}
    deadline = time.perf_counter() + timeout
    while len(seen) < len(needles) and time.perf_counter() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.01)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        buffer.extend(chunk)
        now = time.perf_counter()
        for needle in needles:
            if needle not in seen and needle in buffer:
                seen[needle] = now
    return seen


def drain(fd: int, seconds: float, buffer: bytearray | None = None) -> None:
    """Read and discard (or collect) output for a while."""
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.01)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                return
            if buffer is not None:
                buffer.extend(chunk)


def stop(pid: int, fd: int) -> None:
    """Quit the app (q) and reap it; kill it if it hangs."""
    try:
        os.write(fd, b"\x11")  # ctrl+q
        drain(fd, 0.5)
    except OSError:
        pass
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    os.close(fd)


def prepare_db(folder: Path) -> Path:
    """A database with the demo data (entities extracted, so gaps show up)."""
    sys.path.insert(0, str(ROOT))
    from retain.config import load_settings
    from retain.services import open_services
    from retain.services.demo import DemoService

    db = folder / "bench.db"
    services = open_services(load_settings(db=str(db)))
    DemoService(services.engine, services.interviews).load()
    services.close()
    return db


def bench_startup(db: Path, runs: int) -> tuple[list[float], list[float]]:
    """Launch → first frame and launch → list filled, per run."""
    first, filled = [], []
    for _ in range(runs):
        pid, fd, started = spawn(db)
        buffer = bytearray()
        seen = read_until(fd, [TITLE, b"Priya Raman"], 10.0, buffer)
        stop(pid, fd)
        if TITLE in seen:
            first.append(seen[TITLE] - started)
        if b"Priya Raman" in seen:
            filled.append(seen[b"Priya Raman"] - started)
    return first, filled


def bench_bare(runs: int) -> list[float]:
    """Launch → first frame of a bare Textual app, for comparison on the same machine."""
    first = []
    for _ in range(runs):
        pid, fd, started = spawn(None)
        seen = read_until(fd, [TITLE], 10.0, bytearray())
        stop(pid, fd)
        if TITLE in seen:
            first.append(seen[TITLE] - started)
    return first


def bench_echo(db: Path, text: str) -> list[float]:
    """Keystroke → echo delays while spaCy loads and extraction runs in the background."""
    pid, fd, _ = spawn(db)
    buffer = bytearray()
    read_until(fd, [b"Priya Raman"], 10.0, buffer)
    drain(fd, 0.3)
    os.write(fd, b"\r")  # open the interview under the cursor: it lands on an unanswered question
    read_until(fd, [b"saved", b"sitting"], 5.0, bytearray())
    drain(fd, 0.3)
    delays: list[float] = []
    word = ""
    for char in text:
        word = "" if char == " " else word + char
        sent = time.perf_counter()
        os.write(fd, char.encode())
        # Textual redraws the whole edited line, so the last three characters of the current
        # word arrive together; a single letter could also come from the ticking timer.
        if len(word) >= 3:
            seen = read_until(fd, [word[-3:].encode()], 2.0, bytearray())
            if seen:
                delays.append(min(seen.values()) - sent)
        # A pause now and then lets the debounce fire, so extraction runs while we type.
        drain(fd, 0.7 if char == "." else 0.02)
    stop(pid, fd)
    return delays


def p95(values: list[float]) -> float:
    """The 95th percentile."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        env_home = Path(folder)
        os.environ["RETAIN_CONFIG"] = str(env_home / "config.toml")
        os.environ["RETAIN_DATA_DIR"] = str(env_home / "data")
        db = prepare_db(env_home)
        bare = bench_bare(args.runs)
        first, filled = bench_startup(db, args.runs)
        print(f"runs: {args.runs}  terminal: {COLS}x{ROWS}  python: {sys.version.split()[0]}  "
              f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
        if bare:
            print(f"bare Textual -> first frame: median {statistics.median(bare) * 1000:.0f} ms  "
                  f"(min {min(bare) * 1000:.0f}, max {max(bare) * 1000:.0f})")
        if first:
            print(f"launch -> first frame:  median {statistics.median(first) * 1000:.0f} ms  "
                  f"(min {min(first) * 1000:.0f}, max {max(first) * 1000:.0f}); target 500 ms, "
                  f"ratio {statistics.median(first) / 0.5:.2f}"
                  + (f", vs bare Textual {statistics.median(first) / statistics.median(bare):.2f}x"
                     if bare else ""))
        if filled:
            print(f"launch -> list filled:  median {statistics.median(filled) * 1000:.0f} ms  "
                  f"(min {min(filled) * 1000:.0f}, max {max(filled) * 1000:.0f}); target 1000 ms, "
                  f"ratio {statistics.median(filled) / 1.0:.2f}")
        sentence = ("We run payroll in Workday every Monday and Okta handles access. "
                    "Ask Ravi Shah about the PayBridge export at quarter-end. ") * 2
        delays = bench_echo(db, sentence)
        if delays:
            print(f"keystroke -> echo ({len(delays)} keys, spaCy loading/extracting): "
                  f"p50 {statistics.median(delays) * 1000:.1f} ms  p95 {p95(delays) * 1000:.1f} ms  "
                  f"max {max(delays) * 1000:.1f} ms; target p95 50 ms, ratio {p95(delays) / 0.05:.2f}")
        else:
            print("keystroke -> echo: no echo seen (is the editor focused?)")


if __name__ == "__main__":
    main()
