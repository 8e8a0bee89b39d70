"""Nothing goes out (issue 13 items 17, 18): a query never reaches another endpoint or
a file through SERVICE or FROM, and reading JSON-LD never fetches a remote @context.

A loopback HTTP server started here (127.0.0.1, a free port) records every request
it gets; each test checks that it got none.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from builders import build_sample
from click.testing import CliRunner

import sco_graph
from sco_graph.cli import main
from sco_graph.errors import GraphFormatError, QueryRefusedError
from sco_graph.graph.store import KnowledgeGraph, article_iri

CONTEXT = {"@context": {"name": "http://schema.org/name"}}
TURTLE = b"<http://example.org/secret> <http://example.org/p> \"SECRET\" .\n"


class Recorder:
    def __init__(self, server: ThreadingHTTPServer) -> None:
        self.server = server
        self.requests: list[str] = []

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"


@pytest.fixture
def loopback() -> Iterator[Recorder]:
    """An HTTP server on 127.0.0.1 that answers anything and records each request."""
    recorder: Recorder

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            recorder.requests.append(f"{self.command} {self.path}")
            body = (json.dumps(CONTEXT).encode() if "context" in self.path else TURTLE)
            kind = "application/ld+json" if "context" in self.path else "text/turtle"
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    recorder = Recorder(server)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield recorder
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    folder = tmp_path / "build"
    build_sample().save(folder)
    return folder


def run(*args: str):
    return CliRunner().invoke(main, list(args))


# -- 17: SERVICE and FROM ----------------------------------------------------------------------


def _outbound_queries(url: str, secret: Path) -> dict[str, tuple[str, str]]:
    """query -> (keyword refused, IRI named in the message)."""
    return {
        f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}":
            ("SERVICE", f"{url}/sparql"),
        "SELECT ?s WHERE { ?s a sco:Person "
        f"FILTER EXISTS {{ SERVICE <{url}/x> {{ ?s ?p ?o }} }} }}": ("SERVICE", f"{url}/x"),
        f"SELECT * FROM <{url}/data.ttl> WHERE {{ ?s ?p ?o }}": ("FROM", f"{url}/data.ttl"),
        f"SELECT * FROM NAMED <{url}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}":
            ("FROM NAMED", f"{url}/data.ttl"),
        f"SELECT * FROM <{secret.as_uri()}> WHERE {{ ?s ?p ?o }}": ("FROM", secret.as_uri()),
    }


def test_the_cli_refuses_service_and_from_before_evaluation(saved, loopback, tmp_path):
    secret = tmp_path / "secret.ttl"
    secret.write_bytes(TURTLE)
    for query, (keyword, iri) in _outbound_queries(loopback.url, secret).items():
        result = run("query", str(saved), query)
        assert result.exit_code == 6, (query, result.output)
        assert result.output.startswith(f"Error: {keyword} <{iri}> "), result.output
        assert result.output.count("\n") == 1 and "SECRET" not in result.output
    assert loopback.requests == []


def test_the_library_refuses_them_too(saved, loopback, tmp_path):
    secret = tmp_path / "secret.ttl"
    secret.write_bytes(TURTLE)
    graph = KnowledgeGraph.load(saved)
    for query, (keyword, _iri) in _outbound_queries(loopback.url, secret).items():
        with pytest.raises(QueryRefusedError, match=f"^{keyword} <"):
            sco_graph.run_query(saved, query)
        with pytest.raises(QueryRefusedError, match=f"^{keyword} <"):
            graph.query(query)
    assert loopback.requests == []


def test_from_a_graph_of_the_dataset_still_works(saved):
    graph = KnowledgeGraph.load(saved)
    key = graph.article_keys()[0]
    iri = article_iri(key)
    rows = sco_graph.run_query(graph, f"SELECT * WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}")
    assert len(rows) > 0
    named = sco_graph.run_query(
        graph, f"SELECT ?s ?p ?o FROM NAMED <{iri}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}")
    assert len(named) == len(rows)


# -- 18: JSON-LD contexts ----------------------------------------------------------------------


def _jsonld(folder: Path, context: object) -> Path:
    path = folder / "graph.jsonld"
    document = {"@context": context,
                "@graph": [{"@id": "http://example.org/a", "name": "A"}]}
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


@pytest.mark.parametrize("shape", ["iri", "list", "import", "nested"])
def test_a_remote_jsonld_context_is_never_fetched(tmp_path, loopback, shape):
    url = f"{loopback.url}/context.jsonld"
    context = {"iri": url, "list": [{"x": "http://example.org/x"}, url],
               "import": {"@import": url}, "nested": {"name": "http://schema.org/name"}}[shape]
    path = _jsonld(tmp_path, context)
    if shape == "nested":  # a context further in: on a node of the graph
        document = json.loads(path.read_text())
        document["@graph"][0]["@context"] = url
        path.write_text(json.dumps(document), encoding="utf-8")
    commands = [("stats", str(path)), ("query", str(path), "SELECT * WHERE { ?s ?p ?o }"),
                ("export", str(path), "--format", "ttl", "-o", str(tmp_path / "o.ttl")),
                ("entities", str(path))]
    for command in commands:
        result = run(*command)
        assert result.exit_code == 5, (command, result.output)
        assert result.output == (f"Error: {path}: remote contexts are disabled "
                                 f"(\"@context\": '{url}'); put the context in the file\n")
    with pytest.raises(GraphFormatError, match="remote contexts are disabled"):
        sco_graph.load_graph(path)
    assert not (tmp_path / "o.ttl").exists()
    assert loopback.requests == []


def test_an_inline_context_reads_as_before(tmp_path):
    path = _jsonld(tmp_path, CONTEXT["@context"])
    result = run("query", str(path), "SELECT ?n WHERE { ?s <http://schema.org/name> ?n }",
                 "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["n", "A"]
