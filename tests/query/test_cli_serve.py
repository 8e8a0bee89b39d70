"""`sco-graph serve`: the command wired to the SPARQL endpoint, queried over real HTTP.

The endpoint itself (formats, refusals, limits) is tested in test_serve; here
the command's blocking `serve` is swapped for one that starts the same
`SparqlServer` in a background thread, so the test can query it and stop it.
"""

from __future__ import annotations

import http.client
import socket
import urllib.error
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from builders import SENTENCE_1, build_graph
from click.testing import CliRunner
from SPARQLWrapper import JSON, SPARQLWrapper

import sco_graph.query.endpoint
from sco_graph.cli import main
from sco_graph.query.endpoint import SparqlServer
from sco_graph.query.saved_queries import load_query

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")


@pytest.fixture(scope="module")
def build_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("build")
    build_graph().save(folder)
    return folder


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[SparqlServer, dict]]]:
    """What the command started: each server and the arguments it was given."""
    servers: list[tuple[SparqlServer, dict[str, Any]]] = []

    def serve_in_background(graph: Any, host: str, port: int, **limits: Any) -> None:
        server = SparqlServer(graph, host, port, **limits).start()
        servers.append((server, {"host": host, "port": port, **limits}))

    monkeypatch.setattr(sco_graph.query.endpoint, "serve", serve_in_background)
    yield servers
    for server, _ in servers:
        server.stop()


def test_serve_answers_a_saved_query_over_http(build_folder: Path, started: list) -> None:
    result = CliRunner().invoke(
        main, ["serve", str(build_folder), "--port", "0", "--timeout", "5", "--max-results", "50"]
    )
    assert result.exit_code == 0, result.output
    [(server, arguments)] = started
    assert arguments == {
        "host": "127.0.0.1",
        "port": 0,
        "timeout": 5.0,
        "max_results": 50,
        "max_wait": 60.0,
        "allowed_hosts": (),
        "cors_origins": (),
    }
    assert server.address[0] == "127.0.0.1"
    client = SPARQLWrapper(server.url)
    # A saved query declares its prefixes, so it runs as is on the endpoint.
    client.setQuery(load_query("posts").text)
    client.setReturnFormat(JSON)
    bindings = client.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
    assert [(b["personLabel"]["value"], b["role"]["value"], b["sentence"]["value"])
            for b in bindings] == [("Kassym-Jomart Tokayev", "President", SENTENCE_1)]  # fmt: skip
    # The named graphs are there: one per article, and the entities graph.
    client.setQuery("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    count = client.queryAndConvert()["results"]["bindings"][0]["n"]["value"]  # type: ignore[index]
    assert count == "5"


def test_serve_refuses_updates(build_folder: Path, started: list) -> None:
    CliRunner().invoke(main, ["serve", str(build_folder), "--port", "0"])
    [(server, _)] = started
    client = SPARQLWrapper(server.url)
    client.setMethod("POST")
    client.setQuery("INSERT DATA { <http://example.org/a> <http://example.org/b> 1 }")
    with pytest.raises(urllib.error.HTTPError) as refused:
        client.query()
    assert refused.value.code == 403
    assert refused.value.read() == b"this endpoint is read-only: SPARQL Update is refused\n"


def test_serve_on_a_taken_port_says_so(build_folder: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", str(build_folder), "--port", str(port)])
    assert result.exit_code == 1
    assert result.output == f"Error: cannot listen on 127.0.0.1:{port}: Address already in use\n"


def test_serve_a_missing_graph_names_it(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["serve", str(tmp_path / "nothing")])
    assert result.exit_code == 5
    assert result.output == (f"Error: {tmp_path / 'nothing'}: no such file or folder; give a "
                             f"folder written by `sco-graph build TEXTS --out FOLDER`, or an "
                             f"RDF file\n")


def test_serve_declares_the_prefixes(build_folder: Path, started: list) -> None:
    CliRunner().invoke(main, ["serve", str(build_folder), "--port", "0"])
    [(server, _)] = started
    client = SPARQLWrapper(server.url)
    # No PREFIX lines: sco:, person: and rdfs: are declared by the endpoint.
    client.setQuery("SELECT ?type ?name WHERE { person:xi-jinping a ?type ; rdfs:label ?name "
                    "FILTER (?type = sco:Person) }")
    client.setReturnFormat(JSON)
    bindings = client.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
    assert [(b["type"]["value"], b["name"]["value"]) for b in bindings] == [
        ("https://w3id.org/sco-graph/ontology#Person", "Xi Jinping")
    ]


def test_serve_allow_host_and_cors(build_folder: Path, started: list) -> None:
    result = CliRunner().invoke(
        main,
        ["serve", str(build_folder), "--port", "0", "--allow-host", "graph.example",
         "--cors", "https://yasgui.example/"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    [(server, _)] = started
    host, port = server.address

    def get(headers: dict[str, str]) -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection(host, port, timeout=30)
        connection.request("GET", "/sparql?query=ASK%7B%7D", headers=headers)
        return connection.getresponse()

    allowed = get({"Host": "graph.example", "Origin": "https://yasgui.example"})
    assert allowed.status == 200
    assert allowed.getheader("Access-Control-Allow-Origin") == "https://yasgui.example"
    refused = get({"Host": "evil.example", "Origin": "https://yasgui.example"})
    assert refused.status == 403


def test_serve_refuses_a_cors_value_that_is_no_origin(build_folder: Path, started: list) -> None:
    result = CliRunner().invoke(main, ["serve", str(build_folder), "--cors", "yasgui.example"])
    assert result.exit_code == 2
    assert "'yasgui.example' is not an origin" in result.output
    assert started == []
