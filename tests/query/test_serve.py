"""The read-only SPARQL endpoint over real HTTP on 127.0.0.1 (query/endpoint.py, query/guard.py)."""

from __future__ import annotations

import http.client
import inspect
import json
import logging
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from xml.dom.minidom import Document

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import RDF, RDFS, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.query import Result
from SPARQLWrapper import CSV, JSON, JSONLD, POST, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from sco_graph.errors import (
    EndpointBusyError,
    NotAcceptableError,
    QueryRefusedError,
    QuerySyntaxError,
    QueryTimeoutError,
    TooManyResultsError,
)
from sco_graph.query.endpoint import (
    GRAPH_FORMATS,
    SOLUTION_FORMATS,
    SparqlServer,
    negotiate,
    serve,
)
from sco_graph.query.guard import (
    QueryRunner,
)

EX = Namespace("http://example.org/")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
ARTICLE = URIRef("http://example.org/graph/article-1")
PREFIX = "PREFIX ex: <http://example.org/> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
PEOPLE = PREFIX + "SELECT ?p ?name WHERE { ?p a ex:Person ; rdfs:label ?name } ORDER BY ?name"
IS_XI_A_PERSON = PREFIX + "ASK { ex:xi a ex:Person }"
PEOPLE_GRAPH = PREFIX + "CONSTRUCT { ?p a ex:Person } WHERE { ?p a ex:Person }"
# A cartesian product of the filler graph with itself: millions of rows to count.
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a a ?t . ?b a ?u . ?c a ?v . ?d a ?w . ?e a ?x }"
MAX_RESULTS = 5


def dataset() -> Dataset:
    """A few typed entities in the default graph and one article as a named graph."""
    ds = Dataset(default_union=True)
    for entity, kind, label in [
        (EX.xi, EX.Person, "Xi Jinping"),
        (EX.putin, EX.Person, "Vladimir Putin"),
        (EX.china, EX.Country, "China"),
    ]:
        ds.add((entity, RDF.type, kind))
        ds.add((entity, RDFS.label, Literal(label, lang="en")))
    article = ds.graph(ARTICLE)
    article.add((EX.xi, EX.met, EX.putin))
    article.add((EX.xi, EX.said, Literal("first line\nsecond\tline", lang="en")))
    return ds


def filler(n: int = 200) -> Graph:
    graph = Graph()
    for i in range(n):
        graph.add((EX[f"thing-{i}"], RDF.type, EX.Thing))
    return graph


@pytest.fixture(scope="module")
def server() -> Iterator[SparqlServer]:
    with SparqlServer(dataset(), port=0, timeout=20, max_results=MAX_RESULTS) as running:
        yield running


@dataclass(frozen=True)
class Response:
    status: int
    content_type: str
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


def request(
    url: str,
    *,
    params: dict[str, str | list[str]] | None = None,
    accept: str | None = None,
    method: str = "GET",
    body: bytes | None = None,
    content_type: str | None = None,
) -> Response:
    query = urllib.parse.urlencode(params or {}, doseq=True)
    headers = {}
    if accept is not None:
        headers["Accept"] = accept
    if content_type is not None:
        headers["Content-Type"] = content_type
    req = urllib.request.Request(
        f"{url}?{query}" if query else url, data=body, headers=headers, method=method
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as answer:
            return Response(
                answer.status,
                answer.headers.get("Content-Type", ""),
                dict(answer.headers),
                answer.read(),
            )
    except urllib.error.HTTPError as error:
        return Response(
            error.code, error.headers.get("Content-Type", ""), dict(error.headers), error.read()
        )


def wrapper(server: SparqlServer, query: str, return_format: str) -> SPARQLWrapper:
    client = SPARQLWrapper(server.url)
    client.setQuery(query)
    client.setReturnFormat(return_format)
    return client


# --- answers through SPARQLWrapper ---------------------------------------------


def test_select_as_sparql_json(server: SparqlServer) -> None:
    result = wrapper(server, PEOPLE, JSON).query()
    assert result.info()["content-type"] == "application/sparql-results+json"
    rows = [
        (b["p"]["value"], b["name"]["value"], b["name"]["xml:lang"])
        for b in result.convert()["results"]["bindings"]
    ]
    assert rows == [
        ("http://example.org/putin", "Vladimir Putin", "en"),
        ("http://example.org/xi", "Xi Jinping", "en"),
    ]


def test_select_as_sparql_xml(server: SparqlServer) -> None:
    result = wrapper(server, PEOPLE, XML).query()
    assert result.info()["content-type"] == "application/sparql-results+xml"
    document = result.convert()
    assert isinstance(document, Document)
    values = [
        node.firstChild.data
        for node in document.getElementsByTagName("uri") + document.getElementsByTagName("literal")
    ]
    assert values == [
        "http://example.org/putin",
        "http://example.org/xi",
        "Vladimir Putin",
        "Xi Jinping",
    ]


def test_select_as_csv(server: SparqlServer) -> None:
    result = wrapper(server, PEOPLE, CSV).query()
    assert result.info()["content-type"] == "text/csv; charset=utf-8"
    assert result.convert() == (
        b"p,name\r\nhttp://example.org/putin,Vladimir Putin\r\nhttp://example.org/xi,Xi Jinping\r\n"
    )


@pytest.mark.parametrize(
    ("return_format", "content_type"),
    [
        (JSON, "application/sparql-results+json"),
        (XML, "application/sparql-results+xml"),
        (CSV, "text/csv; charset=utf-8"),
    ],
)
def test_ask(server: SparqlServer, return_format: str, content_type: str) -> None:
    result = wrapper(server, IS_XI_A_PERSON, return_format).query()
    assert result.info()["content-type"] == content_type
    answer = result.convert()
    if return_format == JSON:
        assert answer["boolean"] is True
    elif return_format == XML:
        assert answer.getElementsByTagName("boolean")[0].firstChild.data == "true"
    else:
        assert answer == b"_askResult\r\ntrue\r\n"


@pytest.mark.parametrize(
    ("return_format", "content_type"),
    [
        (XML, "application/rdf+xml"),
        (JSONLD, "application/ld+json"),
        (TURTLE, "text/turtle; charset=utf-8"),
    ],
)
def test_construct(server: SparqlServer, return_format: str, content_type: str) -> None:
    result = wrapper(server, PEOPLE_GRAPH, return_format).query()
    assert result.info()["content-type"] == content_type
    answer = result.convert()
    graph = answer if isinstance(answer, Graph) else Graph().parse(data=answer, format="turtle")
    assert set(graph) == {(EX.xi, RDF.type, EX.Person), (EX.putin, RDF.type, EX.Person)}


def test_describe_gives_the_resources_triples(server: SparqlServer) -> None:
    answer = request(server.url, params={"query": "DESCRIBE <http://example.org/china>"})
    assert answer.content_type == "text/turtle; charset=utf-8"
    assert set(Graph().parse(data=answer.text, format="turtle")) == {
        (EX.china, RDF.type, EX.Country),
        (EX.china, RDFS.label, Literal("China", lang="en")),
    }


# --- the protocol -----------------------------------------------------------------


def test_get_and_both_post_forms_give_the_same_answer(server: SparqlServer) -> None:
    get = request(server.url, params={"query": PEOPLE}, accept="text/csv")
    form = request(
        server.url,
        method="POST",
        body=urllib.parse.urlencode({"query": PEOPLE}).encode(),
        content_type="application/x-www-form-urlencoded",
        accept="text/csv",
    )
    direct = request(
        server.url,
        method="POST",
        body=PEOPLE.encode(),
        content_type="application/sparql-query; charset=utf-8",
        accept="text/csv",
    )
    assert get.status == form.status == direct.status == 200
    assert get.body == form.body == direct.body
    assert get.text.splitlines()[0] == "p,name"


@pytest.mark.parametrize(
    ("query", "accept", "content_type"),
    [
        (PEOPLE, None, "application/sparql-results+json"),
        (PEOPLE, "*/*", "application/sparql-results+json"),
        (PEOPLE, "application/json", "application/sparql-results+json"),
        (
            PEOPLE,
            "text/csv;q=0.5, application/sparql-results+xml",
            "application/sparql-results+xml",
        ),
        (PEOPLE, "text/*", "text/csv; charset=utf-8"),
        (PEOPLE, "text/tab-separated-values", "text/tab-separated-values; charset=utf-8"),
        (
            PEOPLE,
            "application/sparql-results+json;q=0.1, */*;q=0.5",
            "application/sparql-results+xml",
        ),
        (PEOPLE_GRAPH, None, "text/turtle; charset=utf-8"),
        (PEOPLE_GRAPH, "application/n-triples", "application/n-triples"),
        (PEOPLE_GRAPH, "application/json", "application/ld+json"),
    ],
)
def test_content_negotiation(
    server: SparqlServer, query: str, accept: str | None, content_type: str
) -> None:
    answer = request(server.url, params={"query": query}, accept=accept)
    assert (answer.status, answer.content_type) == (200, content_type)
    assert answer.headers["Vary"] == "Accept"


def test_format_parameter_wins_over_accept(server: SparqlServer) -> None:
    answer = request(
        server.url,
        params={"query": PEOPLE, "format": "tsv"},
        accept="application/sparql-results+json",
    )
    assert answer.content_type == "text/tab-separated-values; charset=utf-8"
    assert answer.text == (
        '?p\t?name\n<http://example.org/putin>\t"Vladimir Putin"@en\n'
        '<http://example.org/xi>\t"Xi Jinping"@en\n'
    )


def test_tsv_and_csv_keep_tabs_and_newlines_inside_one_field(server: SparqlServer) -> None:
    query = PREFIX + "SELECT ?said WHERE { ex:xi ex:said ?said }"
    tsv = request(server.url, params={"query": query}, accept="text/tab-separated-values")
    assert tsv.text == '?said\n"first line\\nsecond\\tline"@en\n'
    csv = request(server.url, params={"query": query}, accept="text/csv")
    assert csv.text == 'said\r\n"first line\nsecond\tline"\r\n'


def test_unacceptable_accept_is_406(server: SparqlServer) -> None:
    answer = request(server.url, params={"query": PEOPLE}, accept="image/png")
    assert answer.status == 406
    assert answer.text == (
        "none of the accepted types (image/png) is offered here; offered: "
        "application/sparql-results+json, application/sparql-results+xml, text/csv, "
        "text/tab-separated-values\n"
    )


def test_a_format_that_does_not_fit_the_query_form_is_406(server: SparqlServer) -> None:
    answer = request(server.url, params={"query": PEOPLE_GRAPH, "format": "csv"})
    assert (answer.status, answer.text) == (
        406,
        "format=csv is not offered here; use one of turtle, nt, json-ld, rdf+xml\n",
    )


def test_default_graph_uri_selects_a_named_graph(server: SparqlServer) -> None:
    query = PREFIX + "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?o"
    answer = request(
        server.url, params={"query": query, "default-graph-uri": str(ARTICLE)}, accept="text/csv"
    )
    assert answer.text == (
        "s,o\r\nhttp://example.org/xi,http://example.org/putin\r\n"
        'http://example.org/xi,"first line\nsecond\tline"\r\n'
    )


def test_from_a_named_graph_of_the_dataset_is_honoured(server: SparqlServer) -> None:
    query = PREFIX + f"SELECT ?o FROM <{ARTICLE}> WHERE {{ ex:xi ex:met ?o }}"
    answer = request(server.url, params={"query": query}, accept="text/csv")
    assert answer.text == "o\r\nhttp://example.org/putin\r\n"


def test_two_queries_in_one_request_are_refused(server: SparqlServer) -> None:
    answer = request(server.url, params={"query": [PEOPLE, PEOPLE]})
    assert (answer.status, answer.text) == (
        400,
        "a request must carry exactly one query, not 2\n",
    )


def test_other_paths_are_404_and_other_post_bodies_415(server: SparqlServer) -> None:
    other = request(server.url.removesuffix("/sparql") + "/other")
    assert (other.status, other.text) == (
        404,
        "/other is not here; the endpoint is /sparql, the query page /\n",
    )
    answer = request(server.url, method="POST", body=b"{}", content_type="application/json")
    assert answer.status == 415
    assert answer.text == (
        "a POST must be application/x-www-form-urlencoded or application/sparql-query, "
        "not application/json\n"
    )


def test_service_description_is_turtle_with_the_named_graphs(server: SparqlServer) -> None:
    answer = request(server.url)
    assert (answer.status, answer.content_type) == (200, "text/turtle; charset=utf-8")
    description = Graph().parse(data=answer.text, format="turtle")
    endpoint = URIRef(server.url)
    assert (endpoint, RDF.type, SD.Service) in description
    assert (endpoint, SD.endpoint, endpoint) in description
    assert (endpoint, SD.supportedLanguage, SD.SPARQL11Query) in description
    assert set(description.objects(None, SD.name)) == {ARTICLE}
    assert "at most 5 rows or triples" in str(description.value(endpoint, RDFS.comment))


def test_a_browser_gets_an_html_page(server: SparqlServer) -> None:
    answer = request(
        server.url, accept="text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    )
    assert (answer.status, answer.content_type) == (200, "text/html; charset=utf-8")
    assert '<form method="get" action="/sparql">' in answer.text
    assert '<a href="/">the query page</a>' in answer.text
    assert "Read-only SPARQL 1.1 query endpoint." in answer.text


# --- malformed requests: 400 (or the 4xx HTTP has for it) and one line, never 500 --------


def raw(
    server: SparqlServer,
    method: str,
    target: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """One request sent as given: no encoding or fixing by a client library."""
    host, port = server.address
    connection = http.client.HTTPConnection(host, port, timeout=30)
    try:
        headers = headers or {}
        connection.putrequest(
            method, target, skip_host="Host" in headers, skip_accept_encoding=True
        )
        for name, value in headers.items():
            connection.putheader(name, value)
        if body is not None:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        answer = connection.getresponse()
        return Response(
            answer.status, answer.getheader("Content-Type", ""), dict(answer.getheaders()),
            answer.read(),
        )
    finally:
        connection.close()


SPARQL_QUERY = {"Content-Type": "application/sparql-query"}
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.mark.parametrize(
    ("method", "target", "body", "headers", "status", "reason"),
    [
        ("GET", "/sparql?query=", None, {}, 400, "the query is empty"),
        ("GET", "/sparql?query=+%20%0A", None, {}, 400, "the query is empty"),
        ("POST", "/sparql", b"", SPARQL_QUERY, 400, "the query is empty"),
        ("POST", "/sparql", b"query=", FORM, 400, "the query is empty"),
        ("POST", "/sparql", b"format=json", FORM, 400,
         "a request must carry exactly one query, not 0"),
        ("GET", "/sparql?query=ASK%7B%7D&timeout=1", None, {}, 400,
         "unknown parameter 'timeout'; this endpoint takes query, default-graph-uri, "
         "named-graph-uri and format"),
        ("GET", "/sparql?qurey=ASK%7B%7D", None, {}, 400,
         "unknown parameter 'qurey'; this endpoint takes query, default-graph-uri, "
         "named-graph-uri and format"),
        ("POST", "/sparql", b"query=ASK%7B%7D&infer=true", FORM, 400,
         "unknown parameter 'infer'; this endpoint takes query, default-graph-uri, "
         "named-graph-uri and format"),
        ("POST", "/sparql", b"ASK {}", {}, 400,
         "a POST needs a Content-Type: application/x-www-form-urlencoded or "
         "application/sparql-query"),
        ("POST", "/sparql", b"ASK {}", {"Content-Type": ";;;"}, 400,
         "Content-Type ';;;' is not a media type"),
        ("POST", "/sparql", b"ASK {}",
         {"Content-Type": "application/sparql-query; charset=latin-1"}, 400,
         "Content-Type charset=latin-1 is not accepted; send UTF-8"),
        ("POST", "/sparql", b"ASK {}", {"Content-Type": "application/json"}, 415,
         "a POST must be application/x-www-form-urlencoded or application/sparql-query, "
         "not application/json"),
        ("POST", "/sparql?query=ASK%7B%7D", b"ASK {}", SPARQL_QUERY, 400,
         "the query is given twice: as the body and as a query= parameter of the URL"),
        ("POST", "/sparql?query=ASK%7B%7D", b"query=ASK%7B%7D", FORM, 400,
         "a request must carry exactly one query, not 2"),
        ("GET", "/sparql?query=ASK%7B%7D&query=ASK%7B%7D", None, {}, 400,
         "a request must carry exactly one query, not 2"),
        ("GET", "/sparql?query=ASK%ZZ%7B%7D", None, {}, 400,
         "bad percent-encoding in the URL: '%ZZ' is not % and two hex digits"),
        ("GET", "/sparql?query=ASK%7B%7D%", None, {}, 400,
         "bad percent-encoding in the URL: '%' is not % and two hex digits"),
        ("GET", "/sparql?query=ASK%C3%28%7B%7D", None, {}, 400,
         "a parameter of the URL is not UTF-8 (invalid continuation byte at byte 3)"),
        ("POST", "/sparql", b"query=ASK%FF%7B%7D", FORM, 400,
         "a parameter of the request body is not UTF-8 (invalid start byte at byte 3)"),
        ("POST", "/sparql", b"ASK \xff{}", SPARQL_QUERY, 400,
         "the request body is not UTF-8 (invalid start byte at byte 4)"),
        ("POST", "/sparql", b"query=ASK%7B%7D\xff", FORM, 400,
         "a parameter of the request body is not UTF-8 (invalid start byte at byte 5)"),
        ("POST", "/sparql", b"x" * ((1 << 20) + 1), SPARQL_QUERY, 413,
         "the request body has 1048577 bytes; at most 1048576 are accepted"),
        ("GET", "/sparql?query=" + "A" * 70000, None, {}, 414, "Request-URI Too Long"),
        ("PUT", "/sparql", b"ASK {}", SPARQL_QUERY, 501, "Unsupported method ('PUT')"),
    ],
)
def test_malformed_requests_are_refused_in_one_line(
    server: SparqlServer,
    method: str,
    target: str,
    body: bytes | None,
    headers: dict[str, str],
    status: int,
    reason: str,
) -> None:
    answer = raw(server, method, target, body, headers)
    assert (answer.status, answer.text) == (status, reason + "\n")
    assert answer.content_type == "text/plain; charset=utf-8"


def test_sparqlwrappers_extra_format_parameters_are_accepted(server: SparqlServer) -> None:
    answer = raw(server, "GET", "/sparql?query=ASK%7B%7D&format=json&output=json&results=json")
    assert (answer.status, json.loads(answer.body)["boolean"]) == (200, True)


def test_an_empty_query_is_a_query_error_in_the_library_too() -> None:
    runner = QueryRunner(Graph(), isolate=False)
    for text in ("", "  \n", "# only a comment", "PREFIX ex: <http://example.org/>"):
        with pytest.raises(QuerySyntaxError):
            runner.run(text, lambda form: negotiate(SOLUTION_FORMATS, None))


# --- who may ask: Host and CORS ------------------------------------------------------


def test_no_cors_headers_unless_asked(server: SparqlServer) -> None:
    origin = {"Origin": "https://attacker.example"}
    answers = [
        raw(server, "GET", "/sparql?query=ASK%7B%7D", headers=origin),
        raw(server, "GET", "/sparql?query=nonsense", headers=origin),
        raw(server, "GET", "/sparql?query=ASK%7B%7D"),
    ]
    preflight = raw(server, "OPTIONS", "/sparql", headers=origin)
    assert [a.status for a in answers] + [preflight.status] == [200, 400, 200, 204]
    for answer in [*answers, preflight]:
        assert not [name for name in answer.headers if name.lower().startswith("access-control")]
    assert preflight.headers["Allow"] == "GET, POST, OPTIONS"


def test_cors_only_for_the_origin_given() -> None:
    yasgui = "https://yasgui.example"
    with SparqlServer(dataset(), port=0, cors_origins=[yasgui]) as server:
        ok = raw(server, "GET", "/sparql?query=ASK%7B%7D", headers={"Origin": yasgui})
        error = raw(server, "GET", "/sparql?query=nonsense", headers={"Origin": yasgui})
        other = raw(
            server, "GET", "/sparql?query=ASK%7B%7D", headers={"Origin": "https://evil.example"}
        )
        preflight = raw(server, "OPTIONS", "/sparql", headers={"Origin": yasgui})
    assert ok.headers["Access-Control-Allow-Origin"] == yasgui
    assert error.headers["Access-Control-Allow-Origin"] == yasgui
    assert ok.headers["Vary"] == "Accept, Origin"
    assert "Access-Control-Allow-Origin" not in other.headers
    assert preflight.headers["Access-Control-Allow-Origin"] == yasgui
    assert preflight.headers["Access-Control-Allow-Methods"] == "GET, POST, OPTIONS"
    assert preflight.headers["Access-Control-Allow-Headers"] == "Accept, Content-Type"
    with SparqlServer(dataset(), port=0, cors_origins=["*"]) as server:
        anyone = raw(server, "GET", "/sparql?query=ASK%7B%7D", headers={"Origin": "https://a.b"})
    assert anyone.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:8000", "EVIL.example.", "127.0.0.1.evil.example",
             "localhost.evil.example", "10.0.0.1"],
)  # fmt: skip
def test_a_foreign_host_header_is_refused(server: SparqlServer, host: str) -> None:
    """DNS rebinding: a page on evil.example whose name now points at 127.0.0.1."""
    answer = raw(server, "GET", "/sparql?query=ASK%7B%7D", headers={"Host": host})
    name = host.split(":")[0]
    assert (answer.status, answer.text) == (
        403,
        f"Host {name} is not served here (a guard against DNS rebinding); "
        f"start the server with --allow-host {name} to allow it\n",
    )
    assert raw(server, "GET", "/sparql", headers={"Host": host}).status == 403
    assert raw(server, "POST", "/sparql", b"ASK {}", {"Host": host, **SPARQL_QUERY}).status == 403


@pytest.mark.parametrize(
    "host", ["localhost", "LOCALHOST:1234", "localhost.", "app.localhost:8000", "127.0.0.1",
             "127.0.0.1:8000", "127.1.2.3", "[::1]", "[::1]:8000"],
)  # fmt: skip
def test_loopback_host_headers_are_served(server: SparqlServer, host: str) -> None:
    answer = raw(server, "GET", "/sparql?query=ASK%7B%7D", headers={"Host": host})
    assert (answer.status, json.loads(answer.body)["boolean"]) == (200, True)


def test_allowed_hosts_are_served() -> None:
    with SparqlServer(dataset(), port=0, allowed_hosts=["graph.example"]) as server:
        allowed = raw(
            server, "GET", "/sparql?query=ASK%7B%7D", headers={"Host": "Graph.Example:80"}
        )
        other = raw(server, "GET", "/sparql?query=ASK%7B%7D", headers={"Host": "evil.example"})
    assert (allowed.status, other.status) == (200, 403)


def test_a_missing_doubled_or_malformed_host_is_400(server: SparqlServer) -> None:
    host, port = server.address
    for headers, reason in [
        ([], "an HTTP/1.1 request needs a Host header"),
        ([("Host", "localhost"), ("Host", "evil.example")], "a request must have one Host header"),
        ([("Host", "a b/c")], "Host 'a b/c' is not a host"),
    ]:
        connection = http.client.HTTPConnection(host, port, timeout=30)
        connection.putrequest("GET", "/sparql?query=ASK%7B%7D", skip_host=True)
        for name, value in headers:
            connection.putheader(name, value)
        connection.endheaders()
        answer = connection.getresponse()
        assert (answer.status, answer.read().decode()) == (400, reason + "\n")
        connection.close()


# --- refusals -------------------------------------------------------------------------


def test_update_through_sparqlwrapper_is_403(server: SparqlServer) -> None:
    client = SPARQLWrapper(server.url)
    client.setMethod(POST)
    client.setQuery("INSERT DATA { <http://example.org/a> <http://example.org/b> 1 }")
    with pytest.raises(urllib.error.HTTPError) as refused:
        client.query()
    assert refused.value.code == 403
    assert refused.value.read() == b"this endpoint is read-only: SPARQL Update is refused\n"
    assert server.graph.query("ASK { <http://example.org/a> ?p ?o }").askAnswer is False


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"CLEAR ALL", "application/sparql-update"),
        (b"update=DROP+ALL", "application/x-www-form-urlencoded"),
    ],
)
def test_posted_updates_are_403(server: SparqlServer, body: bytes, content_type: str) -> None:
    answer = request(server.url, method="POST", body=body, content_type=content_type)
    assert (answer.status, answer.text) == (
        403,
        "this endpoint is read-only: SPARQL Update is refused\n",
    )
    assert len(server.graph) == 8


@pytest.mark.parametrize(
    ("query", "operations"),
    [
        ("LOAD <http://example.org/data.ttl>", "LOAD"),
        ("CLEAR ALL ; DROP GRAPH <http://example.org/g>", "CLEAR, DROP"),
        ("DELETE WHERE { ?s ?p ?o }", "DELETE WHERE"),
        ("CREATE GRAPH <http://example.org/g>", "CREATE"),
    ],
)
def test_an_update_sent_as_a_query_is_named_and_refused(
    server: SparqlServer, query: str, operations: str
) -> None:
    answer = request(server.url, params={"query": query})
    assert (answer.status, answer.text) == (
        403,
        f"this endpoint is read-only: SPARQL Update ({operations}) is refused\n",
    )


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "ASK { FILTER NOT EXISTS { SERVICE SILENT <http://127.0.0.1:9/sparql> { ?s ?p ?o } } }",
        "SELECT * { { SELECT ?s WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } } } }",
    ],
)
def test_service_is_refused_wherever_it_is(server: SparqlServer, query: str) -> None:
    answer = request(server.url, params={"query": query})
    assert (answer.status, answer.text) == (
        400,
        "SERVICE <http://127.0.0.1:9/sparql> is refused: this endpoint does not query "
        "other endpoints\n",
    )


@pytest.mark.parametrize(
    ("params", "keyword", "iri"),
    [
        (
            {"query": "SELECT * FROM <http://127.0.0.1:9/g.ttl> WHERE { ?s ?p ?o }"},
            "FROM",
            "http://127.0.0.1:9/g.ttl",
        ),
        (
            {"query": "SELECT * FROM NAMED <file:///etc/hostname> WHERE { ?s ?p ?o }"},
            "FROM NAMED",
            "file:///etc/hostname",
        ),
        (
            {"query": PEOPLE, "default-graph-uri": "http://127.0.0.1:9/g.ttl"},
            "FROM",
            "http://127.0.0.1:9/g.ttl",
        ),
    ],
)
def test_graphs_outside_the_dataset_are_refused(
    server: SparqlServer, params: dict[str, str], keyword: str, iri: str
) -> None:
    answer = request(server.url, params=params)
    assert (answer.status, answer.text) == (
        400,
        f"{keyword} <{iri}> is not a graph of this dataset; "
        "this endpoint does not load graphs from elsewhere\n",
    )


def test_syntax_error_is_400_with_one_line_naming_the_place(server: SparqlServer) -> None:
    answer = request(server.url, params={"query": "SELECT ?s\nWHERE { ?s ?p ?o"})
    assert answer.status == 400
    assert answer.content_type == "text/plain; charset=utf-8"
    assert answer.text.startswith("syntax error at line 2, column 17: Expected ")
    assert answer.text.count("\n") == 1


def test_unknown_prefix_is_400(server: SparqlServer) -> None:
    answer = request(server.url, params={"query": "SELECT * WHERE { ?s foo:bar ?o }"})
    assert (answer.status, answer.text) == (400, "query error: Unknown namespace prefix : foo\n")


def test_sparqlwrapper_sees_a_syntax_error_as_a_bad_query(server: SparqlServer) -> None:
    with pytest.raises(QueryBadFormed, match="syntax error at line 1"):
        wrapper(server, "SELECT * WHERE {", JSON).query()


# --- limits ---------------------------------------------------------------------------


def test_more_rows_than_the_limit_are_refused(server: SparqlServer) -> None:
    answer = request(server.url, params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert (answer.status, answer.text) == (
        400,
        "query has more than 5 result rows, the limit of this endpoint; "
        "add a LIMIT (at most 5) or narrow the query\n",
    )
    limited = request(
        server.url, params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 5"}, accept="text/csv"
    )
    assert limited.status == 200
    assert len(limited.body.split(b"\r\n")) == 1 + 5 + 1  # header, rows, final empty


def test_more_triples_than_the_limit_are_refused(server: SparqlServer) -> None:
    answer = request(server.url, params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
    assert (answer.status, answer.text) == (
        400,
        "query has more than 5 result triples, the limit of this endpoint; "
        "add a LIMIT (at most 5) or narrow the query\n",
    )


def test_a_slow_query_is_stopped_at_the_time_limit() -> None:
    with SparqlServer(filler(), port=0, timeout=0.5) as server:
        answer = request(server.url, params={"query": SLOW})
        assert (answer.status, answer.text) == (
            503,
            "query exceeded the time limit of 0.5 s\n",
        )
        # The worker was killed, so the next query runs at once.
        assert server.runner.active == 0
        count = request(server.url, params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"})
        assert json.loads(count.body)["results"]["bindings"][0]["n"]["value"] == "200"


def test_the_server_answers_while_a_slow_query_runs_and_stop_ends_it() -> None:
    server = SparqlServer(filler(), port=0, timeout=120).start()
    slow: list[Response] = []
    worker = threading.Thread(
        target=lambda: slow.append(request(server.url, params={"query": SLOW}))
    )
    worker.start()
    for _ in range(500):  # until the slow query is being evaluated
        if server.runner.active:
            break
        time.sleep(0.01)
    assert server.runner.active == 1
    quick = request(server.url, params={"query": PREFIX + "ASK { ex:thing-7 a ex:Person }"})
    assert quick.status == 200
    assert json.loads(quick.body)["boolean"] is False
    assert worker.is_alive() and not slow
    server.stop()
    worker.join(timeout=10)
    assert not worker.is_alive()
    assert (slow[0].status, slow[0].text) == (
        500,
        "the query was stopped before it answered (killed by signal 9)\n",
    )


def test_a_query_queued_behind_slow_ones_waits_and_gets_its_whole_time_limit() -> None:
    """Under load a query waits for a slot (up to max_wait), and its time limit starts
    when it runs: it neither times out nor is turned away because others were slow."""
    runner = QueryRunner(filler(), timeout=1, max_concurrent=1, max_wait=30, isolate=True)
    choose = lambda form: negotiate(SOLUTION_FORMATS, "text/csv")  # noqa: E731
    outcomes: list[str] = []

    def slow() -> None:
        with pytest.raises(QueryTimeoutError):
            runner.run(SLOW, choose)
        outcomes.append("slow stopped")

    slow_ones = [threading.Thread(target=slow) for _ in range(2)]
    for thread in slow_ones:
        thread.start()
        time.sleep(0.1)
    answer = runner.run("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", choose)  # queued ~2 s
    assert answer.body == b"n\r\n200\r\n"
    for thread in slow_ones:
        thread.join()
    assert outcomes == ["slow stopped", "slow stopped"]


def test_a_client_asking_again_and_again_does_not_starve_another() -> None:
    """Under load no query starves: a freed slot goes to the query that has waited
    longest, not to whoever asks next."""
    runner = QueryRunner(filler(), timeout=5, max_concurrent=1, max_wait=60, isolate=True)
    choose = lambda form: negotiate(SOLUTION_FORMATS, "text/csv")  # noqa: E731
    finished: list[str] = []
    started = threading.Event()

    def greedy() -> None:
        for number in range(30):
            runner.run(f"SELECT ({number} AS ?n) {{}}", choose)
            finished.append("greedy")
            started.set()

    def patient() -> None:
        started.wait()
        runner.run("SELECT (1 AS ?n) {}", choose)
        finished.append("patient")

    threads = [threading.Thread(target=greedy), threading.Thread(target=patient)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert finished.index("patient") <= 3, finished


def test_a_query_waiting_longer_than_max_wait_is_told_the_endpoint_is_busy() -> None:
    runner = QueryRunner(filler(), timeout=2, max_concurrent=1, max_wait=0.3, isolate=True)
    choose = lambda form: negotiate(SOLUTION_FORMATS, None)  # noqa: E731
    def hold() -> None:
        with pytest.raises(QueryTimeoutError):
            runner.run(SLOW, choose)

    holder = threading.Thread(target=hold)
    holder.start()
    time.sleep(0.1)
    with pytest.raises(EndpointBusyError, match=r"every query slot stayed taken for 0\.3 s"):
        runner.run("ASK {}", choose)
    holder.join()


def test_cooperative_time_limit_without_a_worker_process() -> None:
    runner = QueryRunner(filler(), timeout=0.3, max_results=10**9, isolate=False)
    with pytest.raises(QueryTimeoutError, match=r"^query exceeded the time limit of 0\.3 s$"):
        runner.run(
            "SELECT * WHERE { ?a a ?t . ?b a ?u . ?c a ?v }",
            lambda form: negotiate(SOLUTION_FORMATS, None),
        )


def test_result_limit_without_a_worker_process() -> None:
    runner = QueryRunner(filler(), max_results=3, isolate=False)
    with pytest.raises(TooManyResultsError, match="more than 3 result rows"):
        runner.run("SELECT * WHERE { ?s ?p ?o }", lambda form: negotiate(SOLUTION_FORMATS, None))
    answer = runner.run(
        "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 3",
        lambda form: negotiate(SOLUTION_FORMATS, "text/csv"),
    )
    assert answer.body == (
        b"s\r\nhttp://example.org/thing-0\r\nhttp://example.org/thing-1\r\n"
        b"http://example.org/thing-10\r\n"
    )


@dataclass(frozen=True)
class Phoning:
    """A renderer that tries to open a connection, as a rogue extension might."""

    port: int
    media_type: str = "text/plain"

    def render(self, result: Result) -> bytes:
        with socket.create_connection(("127.0.0.1", self.port), timeout=1):
            return b"connected"


def test_the_worker_process_cannot_reach_the_network() -> None:
    with socket.create_server(("127.0.0.1", 0)) as listener:
        phoning = Phoning(listener.getsockname()[1])
        with pytest.raises(QueryRefusedError, match=r"tried to reach the network \(socket\."):
            QueryRunner(Graph(), isolate=True).run("ASK {}", lambda form: phoning)


# --- the server's life ----------------------------------------------------------------


def test_binds_to_loopback_by_default() -> None:
    assert inspect.signature(serve).parameters["host"].default == "127.0.0.1"
    server = SparqlServer(Graph(), port=0)
    try:
        assert server.address[0] == "127.0.0.1"
        assert server.url == f"http://127.0.0.1:{server.address[1]}/sparql"
    finally:
        server.stop()


def test_stops_cleanly_and_frees_the_port() -> None:
    server = SparqlServer(dataset(), port=0).start()
    assert request(server.url, params={"query": IS_XI_A_PERSON}).status == 200
    port = server.address[1]
    server.stop()
    server.stop()  # a second stop does nothing
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    assert not any(t.name == f"sparql-server-{port}" for t in threading.enumerate())
    with pytest.raises(RuntimeError, match="was already started"):
        server.start()


def test_each_request_is_logged_in_one_line(
    server: SparqlServer, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="sco_graph.query.endpoint"):
        request(server.url, params={"query": PEOPLE})
        request(server.url, params={"query": "nonsense"})
    lines = [r.getMessage() for r in caplog.records if r.name == "sco_graph.query.endpoint"]
    assert len(lines) == 2
    assert re.fullmatch(r"127\.0\.0\.1 GET /sparql 200 \d+ ms", lines[0])
    assert re.fullmatch(r"127\.0\.0\.1 GET /sparql 400 \d+ ms", lines[1])


# --- negotiation on its own -------------------------------------------------------------


def test_negotiation_prefers_the_most_specific_range() -> None:
    accept = "text/*;q=0.2, text/csv;q=0.9, */*;q=0.1"
    assert negotiate(SOLUTION_FORMATS, accept).name == "csv"
    assert negotiate(SOLUTION_FORMATS, "text/csv;q=0, text/*").name == "tsv"
    assert negotiate(GRAPH_FORMATS, "application/x-turtle").name == "turtle"


@given(st.text(max_size=80))
def test_any_accept_header_gives_an_offered_format_or_406(accept: str) -> None:
    for offered in (SOLUTION_FORMATS, GRAPH_FORMATS):
        try:
            assert negotiate(offered, accept) in offered
        except NotAcceptableError as refused:
            assert str(refused).startswith("none of the accepted types (")
