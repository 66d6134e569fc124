"""Benchmark the web view: search page latency at 100k answers with 20 concurrent clients.

Run: .venv/bin/python bench/serve.py [--size 100k] [--clients 20] [--requests 25]

A fresh SQLite store is filled with the search benchmark's synthetic interview answers (real
migrations, the same corpus as bench/search.py). Then the real command line starts the real
server (``retain --db URL serve``, uvicorn) on 127.0.0.1, and the clients, each with its own
HTTP connection and the access cookie, fetch ``/search?q=...`` pages for a mixed query set
(common, mid and rare words, phrases, prefixes, OR). What is timed is the whole page as a
browser receives it: HTTP, token check, search, snippets and template.

Baselines in the same run: the same queries as direct ``SearchService.search`` calls (what the
page adds), and one client alone (what concurrency adds). Every page is checked against the
service's own results for the same query: the hit count and the first hit's link must match.
Traffic goes only to 127.0.0.1; the number of requests and the time are bounded.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))
sys.path.insert(0, str(ROOT))

import search as search_bench  # noqa: E402  (bench/search.py: the shared synthetic corpus)

from retain.config import database_url  # noqa: E402

TOKEN = "bench-serve-token-0123456789"
HIT = re.compile(r'<a class="hit" href="(/interviews/\d+#q-[^"]+)"')
COUNT = re.compile(r"(\d+) results? for")
LIMIT_S = 600


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def mixed_queries(service: object) -> list[str]:
    """The search benchmark's own mix (common, mid and rare words, phrases, prefixes, OR,
    exclusions), picked from this corpus's counts; filtered ones are left to bench/search.py."""
    total, stats = search_bench.word_stats(service)  # type: ignore[arg-type]
    return [q.text for q in search_bench.queries(total, stats) if not q.filters]


def start_server(url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "retain", "--db", url, "serve", "--port", str(port), "--token", TOKEN,
               "--workers", str(workers)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
            return process
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not start within 30 s")


def client_run(base: str, queries: list[str], count: int, offset: int, out: list[float]) -> None:
    with httpx.Client(base_url=base, cookies={"retain_token": TOKEN}, timeout=30) as client:
        for i in range(count):
            query = queries[(offset + i) % len(queries)]
            began = time.perf_counter()
            response = client.get("/search", params={"q": query})
            out.append(time.perf_counter() - began)
            if response.status_code != 200:
                raise SystemExit(f"/search?q={query} answered {response.status_code}")


def run_clients(base: str, queries: list[str], clients: int, per_client: int) -> tuple[list[float], float]:
    results: list[list[float]] = [[] for _ in range(clients)]
    threads = [
        threading.Thread(target=client_run, args=(base, queries, per_client, i * 7, results[i]))
        for i in range(clients)
    ]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=LIMIT_S)
    wall = time.perf_counter() - began
    return [t for r in results for t in r], wall


def check_pages(base: str, service: object, queries: list[str]) -> int:
    """Each page's hit count and first link match the service's own answer."""
    checked = 0
    with httpx.Client(base_url=base, cookies={"retain_token": TOKEN}, timeout=30) as client:
        for query in queries:
            page = client.get("/search", params={"q": query}).text
            expected = service.search(query, track="handover", limit=30)  # type: ignore[attr-defined]
            found = COUNT.search(page)
            assert found is not None and int(found.group(1)) == len(expected), query
            links = HIT.findall(page)
            if expected:
                first = expected[0]
                assert links[0] == f"/interviews/{first.interview_id}#q-{first.question_id}", query
            checked += 1
    return checked


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="100k", help="answers in the store (100k, 1M, 20000)")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=25, help="requests per client")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    args = parser.parse_args(argv)
    size = search_bench.parse_size(args.size)
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start")
    with tempfile.TemporaryDirectory(prefix="retain-bench-serve-") as folder:
        url = database_url(str(Path(folder) / "serve.db"))
        began = time.perf_counter()
        service, _ = search_bench.load(url, size, seed=7)
        print(f"store: {size:,} answers loaded in {time.perf_counter() - began:.1f} s")
        queries = mixed_queries(service)
        direct = []
        for query in queries * 3:
            t0 = time.perf_counter()
            service.search(query, track="handover", limit=30)
            direct.append(time.perf_counter() - t0)
        port = free_port()
        server = start_server(url, port, args.workers)
        base = f"http://127.0.0.1:{port}"
        try:
            checked = check_pages(base, service, queries)  # also the warm-up
            alone, _ = run_clients(base, queries, 1, len(queries) * 2)
            timings, wall = run_clients(base, queries, args.clients, args.requests)
        finally:
            server.terminate()
            server.wait(timeout=10)
    p95 = percentile(timings, 0.95)
    print(f"queries: {len(queries)} mixed (common/mid/rare words, phrases, prefixes, OR, exclusion); "
          f"{checked} pages checked against SearchService: hit counts and first links match")
    print(f"direct SearchService.search      p50 {statistics.median(direct) * 1000:6.1f} ms   "
          f"p95 {percentile(direct, 0.95) * 1000:6.1f} ms")
    print(f"search page, 1 client            p50 {statistics.median(alone) * 1000:6.1f} ms   "
          f"p95 {percentile(alone, 0.95) * 1000:6.1f} ms")
    print(f"server: retain serve --workers {args.workers}")
    print(f"search page, {args.clients} clients          p50 {statistics.median(timings) * 1000:6.1f} ms   "
          f"p95 {p95 * 1000:6.1f} ms   p99 {percentile(timings, 0.99) * 1000:6.1f} ms   "
          f"({len(timings)} requests, {len(timings) / wall:,.0f} pages/s)")
    print(f"  ratio page p95 / direct p95 (1 client): {percentile(alone, 0.95) / percentile(direct, 0.95):.2f}")
    print(f"  ratio {args.clients} clients p95 / 1 client p95: {p95 / percentile(alone, 0.95):.2f}")
    print(f"load average {os.getloadavg()[0]:.2f} at end")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
