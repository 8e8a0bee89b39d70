"""The SPARQL endpoint under load: many clients running the saved queries, one
client sending runaway queries, for a bounded time. Not run by CI.

    .venv/bin/python benchmarks/load.py [GRAPH] [--seconds 60] [--clients 32]

GRAPH is a build folder (default `build`; built from `data/corpus` first when it
does not exist). The script starts `sco-graph serve GRAPH --port 0` as a child
process on 127.0.0.1, then for `--seconds`:

- `--clients` threads each send the saved queries (`sco-graph query --list`),
  one after another from a different starting point, as
  `/queries/NAME?PARAM=VALUE` (the server binds the parameters a query needs);
- one more thread sends a runaway query (a triple cartesian product of the
  graph) again and again, each of which must be stopped at the time limit (503).

It reports queries per second, p50/p99 latency of the saved queries (measured
by the clients, so it includes their own Python overhead), the errors (any
answer but 200 to a saved query, any answer but the time-out to a runaway
one), and the server's resident memory (VmRSS, and VmHWM: its peak) at the
start and at the end. The exit code is 1 when there was any error.

Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import re
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sco_graph.query.saved_queries import list_queries

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "corpus"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
# A value for each parameter a saved query requires (entities of the bundled corpus).
PARAMETERS = {
    "type1": "sco:Person",
    "type2": "sco:Country",
    "entity": "person:kassym-jomart-tokayev",
}
_SERVING = re.compile(r"serving (\d+) triples read-only at (http://\S+)/sparql")


@dataclass
class Tally:
    """What the clients saw; one lock for all of it."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: list[float] = field(default_factory=list)
    by_query: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    runaway: Counter[str] = field(default_factory=Counter)


def saved_queries() -> list[tuple[str, str]]:
    """(name, request target) of every saved query: its `/queries/NAME` address with the
    parameters it requires, which the server binds (as `--param` does)."""
    queries = []
    for query in list_queries():
        params = {p.name: PARAMETERS[p.name] for p in query.params if p.required}
        target = f"/queries/{urllib.parse.quote(query.name)}"
        queries.append((query.name, f"{target}?{urllib.parse.urlencode(params)}"))
    return queries


def sparql_target(sparql: str) -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": sparql})


def ask(port: int, target: str, timeout: float) -> tuple[int, bytes]:
    """One GET of `target` on 127.0.0.1: (status, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", target, headers={"Accept": "application/sparql-results+json"})
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


def client(
    port: int, queries: list[tuple[str, str]], start: int, until: float, tally: Tally
) -> None:
    for name, target in itertools.islice(itertools.cycle(queries), start, None):
        if time.monotonic() >= until:
            return
        began = time.perf_counter()
        try:
            status, body = ask(port, target, timeout=120)
            if status == 200:
                json.loads(body)
        except (OSError, ValueError) as error:
            status, body = 0, f"{type(error).__name__}: {error}".encode()
        elapsed = time.perf_counter() - began
        with tally.lock:
            if status == 200:
                tally.latencies.append(elapsed)
                tally.by_query[name] += 1
            else:
                tally.errors[f"{name}: {status} {body.decode(errors='replace').strip()}"] += 1


def runaway_client(port: int, until: float, tally: Tally) -> None:
    while time.monotonic() < until:
        try:
            status, body = ask(port, sparql_target(RUNAWAY), timeout=120)
            outcome = f"{status} {body.decode(errors='replace').strip()}"
        except OSError as error:
            outcome = f"{type(error).__name__}: {error}"
        with tally.lock:
            tally.runaway[outcome] += 1


def memory(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM of a process, in MB (Linux /proc)."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(value.split()[0]) / 1024
    return values


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def start_server(
    graph: Path, timeout: float, max_results: int
) -> tuple[subprocess.Popen[str], int, int]:
    """`sco-graph serve GRAPH --port 0` in a child process: (process, port, triples)."""
    command = [sys.executable, "-c", "from sco_graph.cli import main; main()",
               "serve", str(graph), "--port", "0", "--timeout", str(timeout),
               "--max-results", str(max_results)]  # fmt: skip
    server = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    assert server.stderr is not None
    first = server.stderr.readline()
    match = _SERVING.search(first)
    if match is None:
        server.kill()
        sys.exit(f"the server did not start: {first.strip() or server.wait()}")
    # Drain the request log, or the server blocks once the pipe is full.
    stderr = server.stderr
    threading.Thread(target=lambda: stderr.read(), daemon=True).start()
    port = int(match[2].rsplit(":", 1)[1])
    return server, port, int(match[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("graph", nargs="?", default="build", type=Path,
                        help="build folder to serve (built from data/corpus if missing)")
    parser.add_argument("--seconds", type=float, default=60, help="how long to load it")
    parser.add_argument("--clients", type=int, default=32, help="concurrent query clients")
    parser.add_argument("--timeout", type=float, default=10, help="the server's time limit")
    parser.add_argument("--max-results", type=int, default=10000,
                        help="the server's --max-results (raise it for a large graph)")
    args = parser.parse_args()

    if not args.graph.exists():
        print(f"building {args.graph} from {CORPUS} first", flush=True)
        subprocess.run([sys.executable, "-c", "from sco_graph.cli import main; main()",
                        "build", str(CORPUS), "--out", str(args.graph), "-q"], check=True)
    queries = saved_queries()
    server, port, triples = start_server(args.graph, args.timeout, args.max_results)
    try:
        for name, target in queries:  # each query answers before the load starts
            status, body = ask(port, target, timeout=120)
            if status != 200:
                sys.exit(f"saved query {name} fails on its own: {status} {body.decode().strip()}")
        before = memory(server.pid)
        tally = Tally()
        until = time.monotonic() + args.seconds
        threads = [
            threading.Thread(target=client, args=(port, queries, n, until, tally))
            for n in range(args.clients)
        ]
        threads.append(threading.Thread(target=runaway_client, args=(port, until, tally)))
        began = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        took = time.monotonic() - began
        after = memory(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)

    answered = len(tally.latencies)
    stopped = "503 query exceeded the time limit"
    timed_out = sum(n for outcome, n in tally.runaway.items() if outcome.startswith(stopped))
    runaway_errors = {o: n for o, n in tally.runaway.items() if not o.startswith(stopped)}
    errors = sum(tally.errors.values()) + sum(runaway_errors.values())
    print(f"graph: {args.graph} ({triples} triples), {len(queries)} saved queries, "
          f"{args.clients} clients + 1 runaway client for {took:.0f} s, "
          f"time limit {args.timeout:g} s")
    print(f"answered: {answered} ({answered / took:.1f} queries/s); "
          f"latency p50 {percentile(tally.latencies, 0.5) * 1000:.0f} ms, "
          f"p99 {percentile(tally.latencies, 0.99) * 1000:.0f} ms")
    print(f"runaway: {sum(tally.runaway.values())} sent, "
          f"{timed_out} stopped at the time limit (503)")
    print(f"errors: {errors}")
    for outcome, n in [*tally.errors.most_common(), *runaway_errors.items()]:
        print(f"  {n} x {outcome[:200]}")
    print(f"server memory: RSS {before['VmRSS']:.0f} MB at start, {after['VmRSS']:.0f} MB at end "
          f"(peak {after['VmHWM']:.0f} MB)")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
