"""Benchmark the CLI as a user feels it: wall time of whole ``retain`` processes on the demo data.

Run: .venv/bin/python bench/cli.py [--runs 7]

A scratch home gets the demo data (``retain demo``, real extraction; not timed) and a
60-answer handover interview made from a synthetic guide (bench/export.py's). Then each
command runs ``--runs`` times as a fresh process, the way a shell starts it, and the median
wall time is printed next to two floors measured in the same run: ``python -c pass`` (the
interpreter alone) and ``retain --help`` (the interpreter, click and retain's CLI modules).

The commands run as an installed retain does: with bytecode caching on (a shell that sets
PYTHONDONTWRITEBYTECODE would otherwise compile every retain module from source in every
process, ~0.1 s that no installed copy pays), and with retain's own caches (the gazetteer's
key map, the shipped template's compiled parts) filled by the warm-up run. The export is
also timed with empty caches, as the very first export on a machine runs.

Targets (issue 14): ``retain search WORD``, ``retain interview list`` and ``retain who X``
<= 0.25 s; ``retain export ID`` of a 60-answer pack <= 0.5 s. The load average is printed,
because on a shared machine every process start is slower.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

RETAIN = [sys.executable, "-m", "retain"]


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} ({os.cpu_count()} cores)"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def wall(command: list[str], env: dict[str, str], runs: int) -> tuple[float, float]:
    """Median wall time and CPU time of ``runs`` fresh processes (after one untimed warm-up).

    CPU time (user + system of the child) is printed beside the wall time because on a busy
    machine the wall time mostly measures waiting for a core.
    """
    subprocess.run(command, env=env, check=True, capture_output=True)
    samples, cpu = [], []
    for _ in range(runs):
        began, used = time.perf_counter(), _children_cpu()
        subprocess.run(command, env=env, check=True, capture_output=True)
        samples.append(time.perf_counter() - began)
        cpu.append(_children_cpu() - used)
    return statistics.median(samples), statistics.median(cpu)


def cold(command: list[str], env: dict[str, str], runs: int, home: Path) -> tuple[float, float]:
    """Like :func:`wall`, but every run starts with an empty cache folder (a first run)."""
    samples, cpu = [], []
    for run in range(runs):
        fresh = {**env, "XDG_CACHE_HOME": str(home / f"cold-cache-{run}")}
        began, used = time.perf_counter(), _children_cpu()
        subprocess.run(command, env=fresh, check=True, capture_output=True)
        samples.append(time.perf_counter() - began)
        cpu.append(_children_cpu() - used)
    return statistics.median(samples), statistics.median(cpu)


def setup(home: Path) -> tuple[dict[str, str], int]:
    """A scratch home with the demo data and a 60-answer interview; returns the env and its id."""
    from export import load, synthetic_guide

    from retain.config import load_settings
    from retain.services import open_services

    guides = home / "guides"
    guides.mkdir()
    (guides / "bench60.yaml").write_text(yaml.safe_dump(synthetic_guide(60), sort_keys=False), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update({
        "XDG_CACHE_HOME": str(home / "cache"),
        "RETAIN_CONFIG": str(home / "config.toml"), "RETAIN_DATA_DIR": str(home / "data"),
        "RETAIN_DB": str(home / "demo.db"), "RETAIN_GUIDES": str(guides), "RETAIN_EXPORTS": str(home / "out"),
    })
    subprocess.run([*RETAIN, "demo"], env=env, check=True, capture_output=True)
    os.environ.update({k: v for k, v in env.items() if k.startswith("RETAIN_")})
    services = open_services(load_settings())
    try:
        interview = load(services, 60, home)
    finally:
        services.close()
    return env, interview


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=7, help="processes per command (the median is shown)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="retain-cli-bench-") as temp:
        env, interview = setup(Path(temp))
        out = str(Path(temp) / "pack.docx")
        print(f"demo data in {temp}; {load_average()}")
        floor, floor_cpu = wall([sys.executable, "-c", "pass"], env, args.runs)
        help_s, help_cpu = wall([*RETAIN, "--help"], env, args.runs)
        commands = [
            ("retain search payroll", [*RETAIN, "search", "payroll"], 0.25),
            ("retain interview list", [*RETAIN, "interview", "list"], 0.25),
            ("retain who PayBridge", [*RETAIN, "who", "PayBridge"], 0.25),
            (f"retain export {interview} (60 answers)", [*RETAIN, "export", str(interview), "--out", out, "--force"], 0.5),
        ]
        print(f"{'command':<36} {'wall s':>7} {'/ python':>9} {'/ --help':>9} {'CPU s':>7} {'target s':>9}")
        print(f"{'python -c pass':<36} {floor:>7.3f} {1:>9.1f} {floor / help_s:>9.2f} {floor_cpu:>7.3f}")
        print(f"{'retain --help':<36} {help_s:>7.3f} {help_s / floor:>9.1f} {1:>9.2f} {help_cpu:>7.3f}")
        missed = 0
        for label, command, target in commands:
            seconds, cpu = wall(command, env, args.runs)
            missed += seconds > target
            print(f"{label:<36} {seconds:>7.3f} {seconds / floor:>9.1f} {seconds / help_s:>9.2f} {cpu:>7.3f} {target:>9.2f}"
                  f"{'' if seconds <= target else '  over'}")
        export = commands[-1][1]
        seconds, cpu = cold(export, env, args.runs, Path(temp))
        print(f"{'  the same, first run (empty caches)':<36} {seconds:>7.3f} {seconds / floor:>9.1f} "
              f"{seconds / help_s:>9.2f} {cpu:>7.3f}")
        print(f"{len(commands) - missed}/{len(commands)} within target; {load_average()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
