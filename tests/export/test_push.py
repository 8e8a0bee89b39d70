"""`sco-graph push` against a real Oxigraph server (the `oxigraph` package of the test
extra), started here on 127.0.0.1 on a free port and read back with SPARQL.

A small stand-in server (the standard library's) checks what a real store cannot
show: which headers reach which host, and that a redirect is not followed.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode

import pytest
from builders import ARTICLE_1, TOKAYEV, build_sample
from click.testing import CliRunner
from rdflib import Graph, Literal
from rdflib.term import Node

from sco_graph.cli import main
from sco_graph.errors import PushError
from sco_graph.export.push import push_graph
from sco_graph.graph.store import ENTITIES_GRAPH, KnowledgeGraph, article_iri


def _oxigraph() -> str | None:
    """The `oxigraph` binary of this Python's environment, else the one on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


OXIGRAPH = _oxigraph()
needs_oxigraph = pytest.mark.skipif(
    OXIGRAPH is None,
    reason="needs the Oxigraph server binary: pip install -e '.[test]' (package oxigraph)",
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Store:
    """A running Oxigraph server."""

    base: str

    @property
    def endpoint(self) -> str:
        return f"{self.base}/store"

    @property
    def query_endpoint(self) -> str:
        return f"{self.base}/query"

    def _query(self, query: str) -> dict:
        request = urllib.request.Request(
            self.query_endpoint, data=query.encode("utf-8"), method="POST",
            headers={"Content-Type": "application/sparql-query",
                     "Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.load(answer)

    def select(self, query: str) -> list[dict[str, str]]:
        rows = self._query(query)["results"]["bindings"]
        return [{name: cell["value"] for name, cell in row.items()} for row in rows]

    def ask(self, query: str) -> bool:
        return self._query(query)["boolean"]

    def update(self, update: str) -> None:
        request = urllib.request.Request(
            f"{self.base}/update", data=update.encode("utf-8"), method="POST",
            headers={"Content-Type": "application/sparql-update"})
        urllib.request.urlopen(request, timeout=30).close()

    def triples(self) -> int:
        (row,) = self.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(row["n"])

    def graphs(self) -> set[str]:
        return {row["g"] for row in self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")}

    def graph(self, name: str) -> Graph:
        """One named graph, read back through the Graph Store Protocol as N-Triples."""
        request = urllib.request.Request(f"{self.endpoint}?{urlencode({'graph': name})}",
                                         headers={"Accept": "application/n-triples"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            return Graph().parse(data=answer.read().decode("utf-8"), format="nt")


def _start(binary: str, location: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Start `oxigraph serve` on a free loopback port; wait until it answers."""
    for _attempt in range(3):  # another process may take the port in between
        port = _free_port()
        process = subprocess.Popen(
            [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while process.poll() is None and time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=2).close()
                return process, base
            except OSError:
                time.sleep(0.05)
        _stop(process)
    raise RuntimeError(f"oxigraph serve did not start: {process.stderr.read().decode()[-500:]}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    if process.stderr is not None:
        process.stderr.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    assert OXIGRAPH is not None
    process, base = _start(OXIGRAPH, tmp_path_factory.mktemp("oxigraph"))
    try:
        yield Store(base)
    finally:
        _stop(process)


@pytest.fixture
def store(server: Store) -> Store:
    """The server, emptied."""
    server.update("DROP ALL")
    return server


def _values(graph: Graph) -> set[tuple[object, ...]]:
    """The triples with each literal as its value: Oxigraph keeps the canonical form of
    a number ("1.0"^^xsd:decimal comes back as "1"), the same value."""

    def value(term: Node) -> object:
        if isinstance(term, Literal) and term.value is not None:
            return term.value, term.datatype, term.language
        return term

    return {tuple(value(term) for term in triple) for triple in graph}


def _triples(graph: KnowledgeGraph) -> int:
    return sum(len(graph.named_graph(name)) for name in graph.graph_names())


def run(*args: str):
    return CliRunner().invoke(main, list(args))


# -- against Oxigraph -------------------------------------------------------------------------


@needs_oxigraph
def test_each_story_and_the_entities_are_one_named_graph_in_the_store(store: Store) -> None:
    graph = build_sample()
    result = push_graph(graph, store.endpoint)

    names = [str(name) for name in graph.graph_names()]
    assert len(names) == 4 and names[-1] == str(ENTITIES_GRAPH)
    assert (result.graphs, result.triples, result.deleted) == (4, _triples(graph), ())
    assert store.graphs() == set(names)
    assert store.triples() == result.triples == 298
    for name in graph.graph_names():  # every graph whole, as a second reader sees it
        assert _values(store.graph(str(name))) == _values(graph.named_graph(name))
    assert store.ask(f"""ASK {{ GRAPH <{ARTICLE_1}> {{
        <{ARTICLE_1}> <http://purl.org/dc/terms/title> "Tokayev meets Xi in Astana" ;
                      <http://purl.org/dc/terms/date>
                          "2024-07-04"^^<http://www.w3.org/2001/XMLSchema#date> }}
        GRAPH <{ENTITIES_GRAPH}> {{
            <{TOKAYEV}> <http://www.w3.org/2000/01/rdf-schema#label> "Kassym-Jomart Tokayev" }}
    }}""")


@needs_oxigraph
def test_a_second_push_replaces_each_graph_instead_of_adding_it_again(store: Store) -> None:
    graph = build_sample()
    push_graph(graph, store.endpoint)
    push_graph(graph, store.endpoint)
    assert store.triples() == 298
    assert len(store.graphs()) == 4


@needs_oxigraph
def test_a_story_dropped_locally_stays_in_the_store_unless_pruned(store: Store) -> None:
    push_graph(build_sample(), store.endpoint)
    store.update("INSERT DATA { GRAPH <http://example.org/theirs> "
                 "{ <http://example.org/a> <http://example.org/b> 1 } }")
    smaller = build_sample(order=(0, 1))  # the third story is gone
    dropped = str(article_iri("002_b.txt#1"))
    names = {str(name) for name in smaller.graph_names()}

    kept = push_graph(smaller, store.endpoint)
    assert kept.deleted == ()
    assert store.graphs() == names | {dropped, "http://example.org/theirs"}
    # the entities graph is replaced, not merged with the earlier one
    assert _values(store.graph(str(ENTITIES_GRAPH))) == _values(
        smaller.named_graph(ENTITIES_GRAPH))

    pruned = push_graph(smaller, store.endpoint, prune=True,
                        query_endpoint=store.query_endpoint)
    assert pruned.deleted == (dropped,)
    assert store.graphs() == names | {"http://example.org/theirs"}  # not sco-graph's: kept
    assert store.triples() == _triples(smaller) + 1


@needs_oxigraph
def test_the_command_pushes_a_build_folder_and_says_what_it_did(store: Store,
                                                                tmp_path: Path) -> None:
    build_sample().save(tmp_path / "build")
    result = run("push", str(tmp_path / "build"), "--endpoint", store.endpoint)
    assert result.exit_code == 0, result.output
    assert result.output == f"Pushed 4 graphs (298 triples) to {store.endpoint}\n"

    build_sample(order=(0, 1)).save(tmp_path / "build")
    result = run("push", str(tmp_path / "build"), "--endpoint", store.endpoint, "--prune",
                 "--query-endpoint", store.query_endpoint)
    assert result.exit_code == 0, result.output
    assert result.output == (f"Pushed 3 graphs (249 triples) to {store.endpoint}, "
                             f"deleted 1 graph no longer in {tmp_path / 'build'}\n")
    assert store.triples() == 249


@needs_oxigraph
def test_a_url_that_is_not_the_graph_store_gets_the_stores_answer(store: Store,
                                                                  tmp_path: Path) -> None:
    build_sample().save(tmp_path / "build")
    wrong = f"{store.base}/data"
    result = run("push", str(tmp_path / "build"), "--endpoint", wrong)
    assert result.exit_code == 10
    assert result.output == (
        f"Error: {wrong}: the store answered 404 Not Found to PUT <{ARTICLE_1}>: "
        "PUT /data is not supported by this server; check that the URL is the store's Graph "
        "Store endpoint (Oxigraph: …/store, Fuseki: …/DATASET/data, "
        "GraphDB: …/repositories/REPO/rdf-graphs/service) (nothing was written)\n")
    assert store.graphs() == set()


# -- errors without a store -------------------------------------------------------------------


def test_nothing_listening_is_one_line_and_exit_10(tmp_path: Path) -> None:
    build_sample().save(tmp_path / "build")
    endpoint = f"http://127.0.0.1:{_free_port()}/store"
    result = run("push", str(tmp_path / "build"), "--endpoint", endpoint)
    assert result.exit_code == 10
    assert result.output == (f"Error: {endpoint}: cannot connect (connection refused); start "
                             "the store or check the URL (nothing was written)\n")
    with pytest.raises(PushError, match="connection refused") as caught:
        push_graph(build_sample(), endpoint)
    assert (caught.value.code, caught.value.exit_code) == ("E021", 10)


@pytest.mark.parametrize(("url", "why"), [
    ("127.0.0.1:7878/store", "it does not start with http:// or https://"),
    ("http:///store", "no host"),
    ("http://127.0.0.1:99999/store", "Port out of range 0-65535"),
    ("http://me:secret@127.0.0.1/store", "credentials in a URL end up in logs; give them "
                                         "with --user and --password"),
    ("http://127.0.0.1/store?graph=x", "push adds the graph= parameter itself"),
    ("http://127.0.0.1/my store", "it holds a space or a control character; percent-encode it"),
])
def test_a_bad_url_is_named_with_what_is_wrong(url: str, why: str) -> None:
    with pytest.raises(PushError) as caught:
        push_graph(build_sample(), url)
    assert str(caught.value) == (
        f"{url!r} is not a store's URL ({why}); give its Graph Store endpoint (Oxigraph: "
        "…/store, Fuseki: …/DATASET/data, GraphDB: …/repositories/REPO/rdf-graphs/service)")


def test_a_flat_file_has_no_named_graph_to_push(tmp_path: Path) -> None:
    flat = tmp_path / "graph.ttl"
    flat.write_bytes(build_sample().serialize("ttl"))
    result = run("push", str(flat), "--endpoint", "http://127.0.0.1:9/store")
    assert result.exit_code == 10
    assert result.output == (f"Error: {flat}: no named graph to push (Turtle, N-Triples and "
                             "JSON-LD files keep none); push the build folder or its "
                             "graph.trig\n")


def test_prune_needs_the_query_endpoint(tmp_path: Path) -> None:
    result = run("push", str(tmp_path), "--endpoint", "http://127.0.0.1:9/store", "--prune")
    assert result.exit_code == 2
    assert result.output.endswith("Error: --prune needs --query-endpoint URL: the Graph Store "
                                  "Protocol cannot list the store's graphs\n")


# -- credentials go to the endpoint only ------------------------------------------------------


class Recorder:
    """A loopback server that records each request's method, path and headers."""

    def __init__(self, *answers: tuple[int, dict[str, str], bytes]) -> None:
        """Answer the n-th request with the n-th answer (the last one from then on)."""
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                recorder.requests.append((self.command, self.path, dict(self.headers)))
                status, headers, body = answers[min(len(recorder.requests), len(answers)) - 1]
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_PUT = do_POST = do_GET = do_DELETE = _answer

            def log_message(self, *_args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> Recorder:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


NO_GRAPHS = json.dumps({"head": {"vars": ["g"]}, "results": {"bindings": []}}).encode()


def test_credentials_reach_the_endpoint_and_no_other_host() -> None:
    with Recorder((204, {}, b"")) as graphs, \
            Recorder((200, {"Content-Type": "application/sparql-results+json"},
                      NO_GRAPHS)) as queries:
        push_graph(build_sample(), f"{graphs.url}/store", user="me", password="secret",
                   headers={"X-Token": "t0k3n"}, prune=True,
                   query_endpoint=f"{queries.url}/query")
    assert [method for method, _, _ in graphs.requests] == ["PUT"] * 4
    for _, path, headers in graphs.requests:
        assert path.startswith("/store?graph=https%3A%2F%2Fw3id.org%2Fsco-graph%2F")
        assert headers["Authorization"] == "Basic bWU6c2VjcmV0"  # me:secret
        assert headers["X-Token"] == "t0k3n"
        assert headers["Content-Type"] == "application/n-triples"
    ((method, _, headers),) = queries.requests  # another port: another origin
    assert method == "POST"
    assert "Authorization" not in headers and "X-Token" not in headers


def test_a_redirect_is_not_followed() -> None:
    with Recorder((204, {}, b"")) as elsewhere, \
            Recorder((307, {"Location": f"{elsewhere.url}/store"}, b"")) as moved, \
            pytest.raises(PushError) as caught:
        push_graph(build_sample(), f"{moved.url}/store", user="me", password="secret")
    assert str(caught.value) == (
        f"{moved.url}/store: the store answered 307 Temporary Redirect to PUT <{ARTICLE_1}>; "
        f"the store moved to {elsewhere.url}/store: give that URL with --endpoint (push "
        "follows no redirect) (nothing was written)")
    assert elsewhere.requests == []


def test_a_push_that_stops_halfway_says_how_far_it_got() -> None:
    busy = (503, {"Content-Type": "text/plain"}, b"Store is read-only during backup\nretry")
    with Recorder((201, {}, b""), (201, {}, b""), busy) as store, \
            pytest.raises(PushError) as caught:
        push_graph(build_sample(), f"{store.url}/store")
    third = article_iri("002_b.txt#1")
    assert str(caught.value) == (
        f"{store.url}/store: the store answered 503 Service Unavailable to PUT <{third}>: "
        "Store is read-only during backup; see the store's log (2 of 4 graphs were written; "
        "push again to finish)")


def test_a_store_that_does_not_answer_in_time() -> None:
    with socket.socket() as silent:  # takes connections (the kernel does), answers nothing
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)
        endpoint = f"http://127.0.0.1:{silent.getsockname()[1]}/store"
        with pytest.raises(PushError) as caught:
            push_graph(build_sample(), endpoint, timeout=0.2)
    assert str(caught.value) == (
        f"{endpoint}: no answer within 0.2 s to PUT <{ARTICLE_1}>; give a longer --timeout "
        "or check the store (nothing was written)")
