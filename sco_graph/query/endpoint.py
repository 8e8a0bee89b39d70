"""A read-only SPARQL 1.1 Protocol endpoint over the graph's store, and a query page.

Queries run on Oxigraph's engine. A graph whose store is on disk is served from
an in-memory copy (the forked query processes cannot share RocksDB); an rdflib
graph is copied into one.

`serve(graph)` blocks and answers at http://127.0.0.1:8000/sparql, with a
page for people at http://127.0.0.1:8000/ (`query/page.py`: the saved queries,
an editor, results as a table); `SparqlServer(graph, port=0)` does the same in
a background thread for tests and notebooks:

    with SparqlServer(graph, port=0) as server:
        SPARQLWrapper(server.url) ...

The protocol (https://www.w3.org/TR/sparql11-protocol/):

- a query by GET `?query=`, by POST `application/x-www-form-urlencoded`
  (`query=`) or by POST `application/sparql-query` (the query is the body);
- `default-graph-uri` / `named-graph-uri` are honoured and, like FROM and
  FROM NAMED, may only name graphs of the dataset;
- the result format comes from the Accept header, or from a `format=`
  parameter (a short name such as `json` or a media type), which wins;
  SELECT and ASK: SPARQL JSON (the default), SPARQL XML, CSV, TSV;
  CONSTRUCT and DESCRIBE: Turtle (the default), N-Triples, JSON-LD, RDF/XML;
  nothing acceptable gives 406;
- every query may use the prefixes of `ALL_PREFIXES` (`sco:`, `person:`,
  `country:`, `rdfs:`, `wd:`, ...) without declaring them, as `sco-graph query`
  and the library do; a query's own PREFIX lines win;
- GET without a query gives a service description (Turtle, or an HTML page
  linking to the query page when the client prefers HTML, as a browser does).
  It lists the predeclared prefixes the way SHACL declares prefixes (and as
  SPARQL example collections such as SIB's do): `<endpoint> sh:declare [
  sh:prefix "person" ; sh:namespace "https://w3id.org/sco-graph/person/"^^xsd:anyURI ]`,
  one per prefix;
- `/`, `/assets/...`, `/queries` and `/queries/NAME` are the query page's (see
  `query/page.py`); they answer GET only (405), under a strict
  Content-Security-Policy. `/queries/NAME?PARAM=VALUE` answers a saved query
  with its parameters bound, in the formats and within the limits of `/sparql`;
- a request whose Host header is not this server's is refused (403), so a web
  page cannot reach the endpoint through DNS rebinding: loopback names and
  addresses (`localhost`, `*.localhost`, 127.0.0.0/8, ::1) and the address the
  server is bound to are always allowed, other names only when given in
  `allowed_hosts` (`--allow-host`);
- CORS headers are sent only for the origins given in `cors_origins`
  (`--cors ORIGIN`; `*` for any), and then only that origin, so a page on
  another site (YASGUI's, say) can read answers only when the server says so.

Malformed requests get 400 and one line saying what is wrong, never 500: an
empty or missing query, a parameter other than those of `PARAMETERS`, a query
given twice, a Content-Type that is not a media type or names a charset other
than UTF-8, bad percent-encoding, bytes that are not UTF-8 (in the URL, a form
or the body). Where HTTP has its own status it is used, with the same one
line: a body over `MAX_BODY_BYTES` 413, a POST of another media type 415, a
URL over 64 KiB 414, another method 501.

Refusals and limits are those of `guard` (see there for how the time
limit is enforced): an update gives 403, SERVICE or a FROM outside the dataset
400, a syntax error 400, more results than `max_results` 400 (refused, not
truncated), a query over the time limit 503. Error bodies are one line of
text/plain.

Each request is logged in one line (client, method, path, status, ms) at INFO
on the `sco_graph.query.endpoint` logger; `serve()` sends it to stderr.
"""

from __future__ import annotations

import contextlib
import html
import ipaddress
import logging
import re
import socket
import socketserver
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import SplitResult, unquote_to_bytes, urlsplit

from rdflib import RDF, BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDFS, SH, VOID, XSD
from rdflib.query import Result
from rdflib.term import Node

from sco_graph.errors import (
    EndpointBusyError,
    NotAcceptableError,
    QueryError,
    QueryRefusedError,
    QuerySyntaxError,
    QueryTimeoutError,
    TooManyResultsError,
    UpdateRefusedError,
)
from sco_graph.graph.store import KnowledgeGraph
from sco_graph.graph.vocab import ALL_PREFIXES
from sco_graph.query.guard import (
    GRAPH_FORMS,
    QueryRunner,
)
from sco_graph.query.page import (
    ASSETS_PATH,
    PAGE_HEADERS,
    PAGE_PATH,
    QUERIES_PATH,
    asset,
    is_page_path,
    page,
    saved_queries_document,
)
from sco_graph.query.saved_queries import load_query

log = logging.getLogger(__name__)

SPARQL_PATH = "/sparql"
MAX_BODY_BYTES = 1 << 20
"""The largest request body accepted (a query text, not data to load)."""

PARAMETERS = frozenset(
    {"query", "default-graph-uri", "named-graph-uri", "format", "output", "results"}
)
"""The parameters a request may carry; any other is refused (400). `output` and
`results` are sent by SPARQLWrapper beside `format`, with the same value, and
are ignored."""

_MEDIA_TYPE = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+/[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_BAD_PERCENT = re.compile(rb"%(?![0-9A-Fa-f]{2})")
_UTF8_CHARSETS = frozenset({"utf-8", "utf8", "us-ascii", "ascii"})

_DRAINED_BYTES = 16 << 20
"""How much of a too-large body is read and dropped, so that the client gets the 413."""

_POLL_SECONDS = 0.1
"""How often the serving loop looks for stop(); stop() waits up to this long."""

_SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
_FORMATS_NS = Namespace("http://www.w3.org/ns/formats/")


@dataclass(frozen=True)
class ResultFormat:
    """One serialisation the endpoint offers."""

    name: str
    """The short name for `format=`, e.g. "json"."""
    media_type: str
    rdflib_format: str
    w3c_format: str
    """The local name under http://www.w3.org/ns/formats/ (for the service description)."""
    aliases: tuple[str, ...] = ()
    """Other media types and names that select this format."""

    @property
    def content_type(self) -> str:
        if self.media_type.startswith("text/"):
            return f"{self.media_type}; charset=utf-8"
        return self.media_type

    def selected_by(self, value: str) -> bool:
        return value.strip().lower() in (self.name, self.media_type, *self.aliases)

    def render(self, result: Result) -> bytes:
        """The bytes of `result` in this format."""
        if result.type in GRAPH_FORMS:
            assert result.graph is not None
            return result.graph.serialize(format=self.rdflib_format, encoding="utf-8")
        return _SOLUTION_WRITERS[self.name](result)


SOLUTION_FORMATS = (
    ResultFormat(
        "json",
        "application/sparql-results+json",
        "json",
        "SPARQL_Results_JSON",
        ("application/json",),
    ),
    ResultFormat(
        "xml",
        "application/sparql-results+xml",
        "xml",
        "SPARQL_Results_XML",
        ("application/xml", "text/xml"),
    ),
    ResultFormat("csv", "text/csv", "csv", "SPARQL_Results_CSV"),
    ResultFormat("tsv", "text/tab-separated-values", "tsv", "SPARQL_Results_TSV"),
)
"""What SELECT and ASK can be answered in; the first is the default."""

GRAPH_FORMATS = (
    ResultFormat(
        "turtle",
        "text/turtle",
        "turtle",
        "Turtle",
        ("ttl", "n3", "application/turtle", "application/x-turtle", "text/n3"),
    ),
    ResultFormat("nt", "application/n-triples", "nt", "N-Triples", ("ntriples", "n-triples")),
    ResultFormat(
        "json-ld",
        "application/ld+json",
        "json-ld",
        "JSON-LD",
        ("jsonld", "json", "application/json", "application/x-json+ld"),
    ),
    ResultFormat(
        "rdf+xml",
        "application/rdf+xml",
        "xml",
        "RDF_XML",
        ("rdfxml", "xml", "application/xml", "text/xml"),
    ),
)
"""What CONSTRUCT and DESCRIBE can be answered in; the first is the default."""

_HTML = ResultFormat("html", "text/html", "html", "")

_FORMATS_OF_FORM: Mapping[str, tuple[ResultFormat, ...]] = {
    "SELECT": SOLUTION_FORMATS,
    "ASK": SOLUTION_FORMATS,
    "CONSTRUCT": GRAPH_FORMATS,
    "DESCRIBE": GRAPH_FORMATS,
}

# Most specific class first: the first match in an error's MRO decides.
_STATUS_OF_ERROR: Mapping[type[QueryError], HTTPStatus] = {
    UpdateRefusedError: HTTPStatus.FORBIDDEN,
    QueryRefusedError: HTTPStatus.BAD_REQUEST,
    QuerySyntaxError: HTTPStatus.BAD_REQUEST,
    TooManyResultsError: HTTPStatus.BAD_REQUEST,
    QueryTimeoutError: HTTPStatus.SERVICE_UNAVAILABLE,
    EndpointBusyError: HTTPStatus.SERVICE_UNAVAILABLE,
    NotAcceptableError: HTTPStatus.NOT_ACCEPTABLE,
    QueryError: HTTPStatus.INTERNAL_SERVER_ERROR,
}


def negotiate(
    offered: Sequence[ResultFormat], accept: str | None, requested: Sequence[str] = ()
) -> ResultFormat:
    """The format to answer in, from `format=` values if any, else the Accept header.

    Ties go to the earlier of `offered`; no Accept header means the first.

    >>> negotiate(SOLUTION_FORMATS, "text/csv;q=0.5, application/sparql-results+xml").name
    'xml'
    """
    if requested:
        for value in requested:
            for fmt in offered:
                if fmt.selected_by(value):
                    return fmt
        raise NotAcceptableError(
            f"format={requested[0]} is not offered here; use one of "
            + ", ".join(fmt.name for fmt in offered)
        )
    if not accept or not accept.strip():
        return offered[0]
    ranges = _parse_accept(accept)
    best, best_quality = None, 0.0
    for fmt in offered:
        # Wildcards match the format's own media type; its aliases only by name,
        # so "text/*" means CSV, not SPARQL XML by way of "text/xml".
        quality = max(
            [_quality(fmt.media_type, ranges)]
            + [q for media_range, q in ranges if media_range in fmt.aliases]
        )
        if quality > best_quality:
            best, best_quality = fmt, quality
    if best is None:
        raise NotAcceptableError(
            f"none of the accepted types ({' '.join(accept.split())}) is offered here; "
            "offered: " + ", ".join(fmt.media_type for fmt in offered)
        )
    return best


def _parse_accept(accept: str) -> list[tuple[str, float]]:
    ranges = []
    for part in accept.split(","):
        media_range, *params = (piece.strip() for piece in part.split(";"))
        if not media_range:
            continue
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = min(1.0, max(0.0, float(value)))
                except ValueError:
                    quality = 0.0
        ranges.append((media_range.lower(), quality))
    return ranges


def _quality(media_type: str, ranges: Sequence[tuple[str, float]]) -> float:
    """The q of the most specific range matching `media_type` (RFC 9110 §12.5.1)."""
    kind = media_type.split("/")[0]
    best_specificity, quality = -1, 0.0
    for media_range, q in ranges:
        if media_range == media_type:
            specificity = 2
        elif media_range == f"{kind}/*":
            specificity = 1
        elif media_range == "*/*":
            specificity = 0
        else:
            continue
        if specificity > best_specificity:
            best_specificity, quality = specificity, q
    return quality


def _write_csv(result: Result) -> bytes:
    if result.type == "ASK":
        # The CSV/TSV results spec covers SELECT only; this is what Jena gives.
        return f"_askResult\r\n{str(bool(result.askAnswer)).lower()}\r\n".encode()
    return result.serialize(format="csv", encoding="utf-8") or b""


def _write_tsv(result: Result) -> bytes:
    if result.type == "ASK":
        return f"?_askResult\n{str(bool(result.askAnswer)).lower()}\n".encode()
    variables = result.vars or []
    lines = ["\t".join(f"?{v}" for v in variables)]
    for row in result.bindings:
        lines.append("\t".join(_tsv_term(row.get(v)) for v in variables))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _tsv_term(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, Literal):
        # Escaped by hand: Literal.n3() writes a multi-line literal with raw
        # newlines, which would split the TSV row.
        text = (
            str(term)
            .replace("\\", "\\\\")
            .replace('"', '\\"')
            .replace("\n", "\\n")
            .replace("\r", "\\r")
            .replace("\t", "\\t")
        )
        if term.language:
            return f'"{text}"@{term.language}'
        if term.datatype and term.datatype != XSD.string:
            return f'"{text}"^^<{term.datatype}>'
        return f'"{text}"'
    return term.n3()  # type: ignore[attr-defined]


_SOLUTION_WRITERS: Mapping[str, Callable[[Result], bytes]] = {
    "json": lambda result: result.serialize(format="json", encoding="utf-8") or b"",
    "xml": lambda result: result.serialize(format="xml", encoding="utf-8") or b"",
    "csv": _write_csv,
    "tsv": _write_tsv,
}


@dataclass(frozen=True)
class _Reply:
    status: HTTPStatus
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


class _HttpProblem(Exception):
    """A request the protocol rejects before any query is run (404, 405, 415, ...)."""

    def __init__(
        self, status: HTTPStatus, message: str, headers: tuple[tuple[str, str], ...] = ()
    ) -> None:
        self.status = status
        self.headers = headers
        super().__init__(message)


class SparqlServer:
    """A read-only SPARQL endpoint over `graph`, bound on construction.

    `port=0` picks a free port; `url` is the endpoint's address. `start()` serves
    in a background thread, `stop()` stops it (and any running query); as a
    context manager it does both. `prefixes` (default: ALL_PREFIXES) are declared
    in every query and listed in the service description.
    """

    def __init__(
        self,
        graph: KnowledgeGraph | Graph,
        host: str = "127.0.0.1",
        port: int = 8000,
        *,
        timeout: float = 10.0,
        max_results: int = 10000,
        max_wait: float = 60.0,
        prefixes: Mapping[str, str] = ALL_PREFIXES,
        allowed_hosts: Sequence[str] = (),
        cors_origins: Sequence[str] = (),
    ) -> None:
        self.allowed_hosts = frozenset(_host_key(name) for name in allowed_hosts)
        self.cors_origins = tuple(origin.rstrip("/") for origin in cors_origins)
        self.runner = QueryRunner(
            graph, timeout=timeout, max_results=max_results, max_wait=max_wait, prefixes=prefixes
        )
        self.graph = self.runner.graph
        self._named_graphs = sorted(self.runner.graph_names)
        self._triples = self.runner.size
        self._httpd = _HTTPServer((host, port), self)
        self._thread: threading.Thread | None = None
        self._background = False
        self._stopped = False

    def allows_host(self, name: str) -> bool:
        """Whether a request may name `name` (without port) in its Host header."""
        key = _host_key(name)
        if key == "localhost" or key.endswith(".localhost"):
            return True
        try:
            if ipaddress.ip_address(key).is_loopback:
                return True
        except ValueError:
            pass
        return key == _host_key(self.address[0]) or key in self.allowed_hosts

    def cors_origin(self, origin: str | None) -> str | None:
        """The Access-Control-Allow-Origin value for a request from `origin`, if any."""
        if "*" in self.cors_origins:
            return "*"
        if origin is not None and origin.rstrip("/") in self.cors_origins:
            return origin
        return None

    @property
    def address(self) -> tuple[str, int]:
        """The host and port the server is bound to."""
        host, port = self._httpd.server_address[:2]
        return str(host), int(port)

    @property
    def url(self) -> str:
        """The endpoint, e.g. http://127.0.0.1:8000/sparql."""
        host, port = self.address
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{port}{SPARQL_PATH}"

    @property
    def page_url(self) -> str:
        """The query page, e.g. http://127.0.0.1:8000/."""
        return self.url.removesuffix(SPARQL_PATH) + PAGE_PATH

    def start(self) -> SparqlServer:
        """Serve in a daemon thread and return at once."""
        if self._thread is not None or self._stopped:
            raise RuntimeError(f"the SPARQL server at {self.url} was already started")
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": _POLL_SECONDS},
            name=f"sparql-server-{self.address[1]}",
            daemon=True,
        )
        self._background = True
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in this thread until `stop()` is called from another one (or Ctrl-C)."""
        if self._thread is not None or self._stopped:
            raise RuntimeError(f"the SPARQL server at {self.url} was already started")
        self._thread = threading.current_thread()
        try:
            self._httpd.serve_forever(poll_interval=_POLL_SECONDS)
        finally:
            self._close()

    def stop(self) -> None:
        """Stop serving, stop running queries and release the port; safe to call twice."""
        if self._stopped:
            return
        if self._thread is not None:
            self._httpd.shutdown()
            if self._background:
                self._thread.join()
        self._close()

    def _close(self) -> None:
        self._stopped = True
        self.runner.cancel_all()
        self._httpd.server_close()

    def __enter__(self) -> SparqlServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _answer(
        self,
        text: str,
        params: Mapping[str, Sequence[str]],
        accept: str | None,
        bindings: Mapping[str, Node] | None = None,
    ) -> _Reply:
        """The reply to one query (with `bindings` bound): its rendered answer."""

        def choose(form: str) -> ResultFormat:
            return negotiate(_FORMATS_OF_FORM[form], accept, params.get("format", ()))

        answer = self.runner.run(
            text,
            choose,
            default_graphs=params.get("default-graph-uri", ()),
            named_graphs=params.get("named-graph-uri", ()),
            bindings=bindings,
        )
        content_type = next(
            fmt.content_type
            for fmt in _FORMATS_OF_FORM[answer.form]
            if fmt.media_type == answer.media_type
        )
        return _Reply(HTTPStatus.OK, content_type, answer.body)

    def _answer_saved(
        self, name: str, params: Mapping[str, Sequence[str]], accept: str | None
    ) -> _Reply:
        """The reply to the saved query `name`, the other `params` than `format` bound as its
        parameters (as `sco-graph query --saved NAME --param` binds them)."""
        try:
            query = load_query(name)
        except QueryError as e:
            raise _HttpProblem(HTTPStatus.NOT_FOUND, str(e)) from None
        values = {}
        for key, given in params.items():
            if key == "format":
                continue
            if len(given) > 1:
                raise _HttpProblem(
                    HTTPStatus.BAD_REQUEST,
                    f"parameter {key!r} is given {len(given)} times; give it once",
                )
            values[key] = given[0]
        try:
            bindings = query.bindings(values)
        except QueryError as e:
            raise _HttpProblem(HTTPStatus.BAD_REQUEST, str(e)) from None
        return self._answer(query.text, {"format": params.get("format", [])}, accept, bindings)

    def _describe(self, accept: str | None, params: Mapping[str, Sequence[str]]) -> _Reply:
        """The service description, as Turtle (or another RDF format) or as an HTML page."""
        fmt = negotiate((*GRAPH_FORMATS, _HTML), accept, params.get("format", ()))
        if fmt is _HTML:
            body = self._html_page().encode("utf-8")
            return _Reply(HTTPStatus.OK, fmt.content_type, body, PAGE_HEADERS)
        body = self._description().serialize(format=fmt.rdflib_format, encoding="utf-8")
        return _Reply(HTTPStatus.OK, fmt.content_type, body)

    def _description(self) -> Graph:
        endpoint = URIRef(self.url)
        dataset = URIRef(f"{self.url}#dataset")
        default_graph = URIRef(f"{self.url}#default-graph")
        sd = Graph()
        sd.bind("sd", _SD)
        sd.bind("formats", _FORMATS_NS)
        sd.bind("void", VOID)
        sd.bind("sh", SH)
        sd.add((endpoint, RDF.type, _SD.Service))
        sd.add((endpoint, _SD.endpoint, endpoint))
        sd.add((endpoint, _SD.supportedLanguage, _SD.SPARQL11Query))
        sd.add((endpoint, _SD.feature, _SD.UnionDefaultGraph))
        sd.add((endpoint, RDFS.comment, Literal(self._limits_text())))
        for fmt in (*SOLUTION_FORMATS, *GRAPH_FORMATS):
            sd.add((endpoint, _SD.resultFormat, _FORMATS_NS[fmt.w3c_format]))
        for prefix, namespace in sorted(self.runner.prefixes.items()):
            declaration = BNode(f"prefix-{prefix}")
            sd.add((endpoint, SH.declare, declaration))
            sd.add((declaration, SH.prefix, Literal(prefix)))
            sd.add((declaration, SH.namespace, Literal(namespace, datatype=XSD.anyURI)))
        sd.add((endpoint, _SD.defaultDataset, dataset))
        sd.add((dataset, RDF.type, _SD.Dataset))
        sd.add((dataset, _SD.defaultGraph, default_graph))
        sd.add((default_graph, RDF.type, _SD.Graph))
        sd.add((default_graph, VOID.triples, Literal(self._triples)))
        for number, name in enumerate(self._named_graphs, start=1):
            named = URIRef(f"{self.url}#named-graph-{number}")
            sd.add((dataset, _SD.namedGraph, named))
            sd.add((named, RDF.type, _SD.NamedGraph))
            sd.add((named, _SD.name, name))
        return sd

    def _limits_text(self) -> str:
        runner = self.runner
        return (
            "Read-only SPARQL 1.1 query endpoint. SPARQL Update is refused (403); SERVICE, "
            "and FROM, FROM NAMED, default-graph-uri or named-graph-uri naming a graph outside "
            "this dataset, are refused (400). The default graph is the union of all graphs. "
            f"A query may wait {runner.max_wait:g} s for a free slot and then run "
            f"{runner.timeout:g} s (then 503), and return at most "
            f"{runner.max_results} rows or triples (more is refused with 400, not truncated)."
        )

    def _html_page(self) -> str:
        url = html.escape(self.url)
        formats = ", ".join(html.escape(fmt.name) for fmt in SOLUTION_FORMATS)
        options = "".join(f"<option>{html.escape(fmt.name)}</option>" for fmt in SOLUTION_FORMATS)
        graph_formats = ", ".join(html.escape(fmt.name) for fmt in GRAPH_FORMATS)
        example = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 10"
        prefix_lines = "\n".join(
            html.escape(f"PREFIX {prefix}: <{namespace}>")
            for prefix, namespace in sorted(self.runner.prefixes.items())
        )
        return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>sco-graph SPARQL endpoint</title></head>
<body>
<h1>sco-graph SPARQL endpoint</h1>
<p>To pick a saved query, write one and see the answer as a table, open
<a href="{PAGE_PATH}">the query page</a>.</p>
<p>This is a SPARQL 1.1 endpoint at <code>{url}</code>. Point YASGUI, SPARQLWrapper or
any SPARQL client at it, or send a query with GET <code>?query=</code> or POST
(form field <code>query</code>, or a body of type <code>application/sparql-query</code>).</p>
<p>SELECT and ASK answer in {formats}; CONSTRUCT and DESCRIBE in {graph_formats};
chosen by the Accept header or a <code>format=</code> parameter.</p>
<p>{html.escape(self._limits_text())}</p>
<p>These prefixes are declared in every query (a query's own PREFIX lines win):</p>
<pre>{prefix_lines}</pre>
<form method="get" action="{SPARQL_PATH}">
<textarea name="query" rows="8" cols="80">{html.escape(example)}</textarea><br>
<select name="format">{options}</select>
<button type="submit">Run</button>
</form>
<pre>curl -H 'Accept: text/csv' --data-urlencode 'query={html.escape(example)}' {url}</pre>
</body></html>
"""


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], endpoint: SparqlServer) -> None:
        self.endpoint = endpoint
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks the host up in DNS (socket.getfqdn);
        # the name is not needed, and a lookup can hang without a network.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    server_version = "sco-graph-sparql"
    timeout = 60  # seconds a client may take to send its request

    def parse_request(self) -> bool:
        self._started = time.monotonic()
        return super().parse_request()

    def do_GET(self) -> None:
        self._reply(self._get)

    def do_POST(self) -> None:
        self._reply(self._post)

    def do_OPTIONS(self) -> None:
        self._reply(self._options)

    def _get(self) -> _Reply:
        url = urlsplit(self.path)
        if is_page_path(url.path):
            return self._page(url)
        params = self._url_params()
        if "update" in params:
            raise UpdateRefusedError("this endpoint is read-only: SPARQL Update is refused")
        _check_parameters(params)
        if "query" not in params:
            return self.server.endpoint._describe(self.headers.get("Accept"), params)
        return self._query(params["query"], params)

    def _post(self) -> _Reply:
        params = self._url_params()
        media_type, charset = _content_type(self.headers.get("Content-Type"))
        if media_type == "application/sparql-update":
            raise UpdateRefusedError("this endpoint is read-only: SPARQL Update is refused")
        if media_type not in ("application/x-www-form-urlencoded", "application/sparql-query"):
            raise _HttpProblem(
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                f"a POST must be application/x-www-form-urlencoded or application/sparql-query, "
                f"not {media_type}",
            )
        if charset is not None and charset not in _UTF8_CHARSETS:
            raise _HttpProblem(
                HTTPStatus.BAD_REQUEST,
                f"Content-Type charset={charset} is not accepted; send UTF-8",
            )
        body = self._read_body()
        if media_type == "application/x-www-form-urlencoded":
            form = _parse_form(body, "request body")
            if "update" in form:
                raise UpdateRefusedError("this endpoint is read-only: SPARQL Update is refused")
            for key, values in form.items():
                params.setdefault(key, []).extend(values)
            _check_parameters(params)
            return self._query(params.get("query", []), params)
        _check_parameters(params)
        if "query" in params:
            raise _HttpProblem(
                HTTPStatus.BAD_REQUEST,
                "the query is given twice: as the body and as a query= parameter of the URL",
            )
        return self._query([_decode(body, "the request body")], params)

    def _options(self) -> _Reply:
        self._check_path()
        headers: tuple[tuple[str, str], ...] = (("Allow", "GET, POST, OPTIONS"),)
        if self.server.endpoint.cors_origin(self.headers.get("Origin")):
            headers += (
                ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
                ("Access-Control-Allow-Headers", "Accept, Content-Type"),
                ("Access-Control-Max-Age", "86400"),
            )
        return _Reply(HTTPStatus.NO_CONTENT, "", b"", headers)

    def _check_host(self) -> None:
        hosts = self.headers.get_all("Host") or []
        if len(hosts) > 1:
            raise _HttpProblem(HTTPStatus.BAD_REQUEST, "a request must have one Host header")
        if not hosts:
            if self.request_version == "HTTP/1.0":
                return  # HTTP/1.0 has no Host; a browser always sends one
            raise _HttpProblem(HTTPStatus.BAD_REQUEST, "an HTTP/1.1 request needs a Host header")
        name = _host_name(hosts[0])
        if name is None:
            raise _HttpProblem(
                HTTPStatus.BAD_REQUEST, f"Host {' '.join(hosts[0].split())!r} is not a host"
            )
        if not self.server.endpoint.allows_host(name):
            raise _HttpProblem(
                HTTPStatus.FORBIDDEN,
                f"Host {name} is not served here (a guard against DNS rebinding); "
                f"start the server with --allow-host {name} to allow it",
            )

    def _query(self, queries: Sequence[str], params: Mapping[str, Sequence[str]]) -> _Reply:
        if len(queries) != 1:
            raise _HttpProblem(
                HTTPStatus.BAD_REQUEST,
                f"a request must carry exactly one query, not {len(queries)}",
            )
        if not queries[0].strip():
            raise _HttpProblem(HTTPStatus.BAD_REQUEST, "the query is empty")
        return self.server.endpoint._answer(queries[0], params, self.headers.get("Accept"))

    def _page(self, url: SplitResult) -> _Reply:
        """The query page, its assets, the saved queries and their answers."""
        endpoint = self.server.endpoint
        if url.path == PAGE_PATH:
            # The page reads its own URL (?query=, ?saved=); the server does not.
            found = page()
            return _Reply(HTTPStatus.OK, found.content_type, found.body, PAGE_HEADERS)
        if url.path == QUERIES_PATH:
            body = saved_queries_document(endpoint.runner.prefixes)
            return _Reply(HTTPStatus.OK, "application/json", body, PAGE_HEADERS)
        if url.path.startswith(ASSETS_PATH):
            found = asset(url.path.removeprefix(ASSETS_PATH))
            if found is None:
                raise _HttpProblem(HTTPStatus.NOT_FOUND, f"{url.path} is not an asset of the page")
            return _Reply(HTTPStatus.OK, found.content_type, found.body, PAGE_HEADERS)
        name = url.path.removeprefix(f"{QUERIES_PATH}/")
        params = _parse_form(url.query.encode("latin-1", "replace"), "URL")
        return endpoint._answer_saved(name, params, self.headers.get("Accept"))

    def _url_params(self) -> dict[str, list[str]]:
        url = self._check_path()
        # http.server decodes the request line as Latin-1, so this gives back its bytes.
        return _parse_form(url.query.encode("latin-1", "replace"), "URL")

    def _check_path(self) -> SplitResult:
        url = urlsplit(self.path)
        if is_page_path(url.path):
            raise _HttpProblem(
                HTTPStatus.METHOD_NOT_ALLOWED,
                f"{url.path} answers GET only, not {self.command}",
                (("Allow", "GET"),),
            )
        if url.path != SPARQL_PATH:
            raise _HttpProblem(
                HTTPStatus.NOT_FOUND,
                f"{url.path} is not here; the endpoint is {SPARQL_PATH}, "
                f"the query page {PAGE_PATH}",
            )
        return url

    def _read_body(self) -> bytes:
        length_header = self.headers.get("Content-Length")
        if length_header is None:
            raise _HttpProblem(HTTPStatus.LENGTH_REQUIRED, "a POST needs a Content-Length")
        try:
            length = int(length_header)
        except ValueError:
            raise _HttpProblem(
                HTTPStatus.BAD_REQUEST, f"Content-Length {length_header!r} is not a number"
            ) from None
        if length > MAX_BODY_BYTES or length < 0:
            self.close_connection = True
            # Read (and drop) a body up to a bound before answering: closing a socket
            # with unread data resets the connection, and the client would see that
            # instead of the answer.
            remaining = min(max(length, 0), _DRAINED_BYTES)
            while remaining > 0:
                chunk = self.rfile.read(min(remaining, 1 << 16))
                if not chunk:
                    break
                remaining -= len(chunk)
            raise _HttpProblem(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                f"the request body has {length} bytes; at most {MAX_BODY_BYTES} are accepted",
            )
        body = self.rfile.read(length)
        if len(body) < length:
            raise _HttpProblem(
                HTTPStatus.BAD_REQUEST,
                f"the request body ended after {len(body)} of its {length} bytes",
            )
        return body

    def _reply(self, handle: Callable[[], _Reply]) -> None:
        try:
            self._check_host()
            reply = handle()
        except QueryError as e:
            reply = _error_reply(_status_of(e), str(e))
        except _HttpProblem as e:
            reply = _error_reply(e.status, str(e), e.headers)
        except Exception as e:
            log.exception("%s %s failed", self.command, self.path)
            reply = _error_reply(HTTPStatus.INTERNAL_SERVER_ERROR, f"internal error: {e}")
        self._send(reply)

    def _send(self, reply: _Reply) -> None:
        self.send_response(reply.status)
        if reply.content_type:
            self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        endpoint = self.server.endpoint
        headers = getattr(self, "headers", None)  # None when the request line was bad
        allowed = endpoint.cors_origin(headers.get("Origin") if headers else None)
        self.send_header("Vary", "Accept, Origin" if endpoint.cors_origins else "Accept")
        for name, value in reply.headers:
            self.send_header(name, value)
        if allowed:
            # On every response, errors included, so a browser client sees them.
            self.send_header("Access-Control-Allow-Origin", allowed)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own refusals (a malformed request line, a URL or headers too
        long, an unknown method) as one line of text, like every other error here."""
        self.close_connection = True
        status = HTTPStatus(code)
        reply = _error_reply(status, message or status.phrase)
        with contextlib.suppress(OSError):  # the client has gone
            self._send(reply)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        started = getattr(self, "_started", None)
        elapsed = f"{(time.monotonic() - started) * 1000:.0f}" if started else "-"
        path = urlsplit(getattr(self, "path", "") or "").path or "-"
        status = code.value if isinstance(code, HTTPStatus) else code
        log.info(
            "%s %s %s %s %s ms",
            self.client_address[0],
            getattr(self, "command", None) or "-",
            path,
            status,
            elapsed,
        )

    def log_message(self, format: str, *args: object) -> None:
        log.debug(format, *args)


_HOST = re.compile(r"(?:\[(?P<ip6>[0-9A-Fa-f:.]+)\]|(?P<name>[^\[\]:/@\s]+))(?::[0-9]*)?")


def _host_name(header: str) -> str | None:
    """The host of a Host header (`name`, `name:port`, `[::1]:port`), or None if malformed."""
    match = _HOST.fullmatch(header.strip())
    if match is None:
        return None
    return match["ip6"] or match["name"]


def _host_key(name: str) -> str:
    """`name` as compared: lower case, without brackets or a final dot."""
    return name.strip().strip("[]").rstrip(".").lower()


def _parse_form(data: bytes, where: str) -> dict[str, list[str]]:
    """`name=value&...` (application/x-www-form-urlencoded) read strictly.

    Unlike `urllib.parse.parse_qs`, a `%` not followed by two hex digits, or
    bytes that are not UTF-8 once decoded, are refused rather than kept or
    replaced by U+FFFD.
    """
    params: dict[str, list[str]] = {}
    for pair in data.split(b"&"):
        if not pair:
            continue
        name, _, value = pair.partition(b"=")
        params.setdefault(_unquote(name, where), []).append(_unquote(value, where))
    return params


def _unquote(raw: bytes, where: str) -> str:
    bad = _BAD_PERCENT.search(raw)
    if bad:
        found = raw[bad.start() : bad.start() + 3].decode("latin-1")
        raise _HttpProblem(
            HTTPStatus.BAD_REQUEST,
            f"bad percent-encoding in the {where}: {found!r} is not % and two hex digits",
        )
    return _decode(unquote_to_bytes(raw.replace(b"+", b" ")), f"a parameter of the {where}")


def _decode(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise _HttpProblem(
            HTTPStatus.BAD_REQUEST,
            f"{what} is not UTF-8 ({e.reason} at byte {e.start})",
        ) from None


def _check_parameters(params: Mapping[str, Sequence[str]]) -> None:
    unknown = sorted(name for name in params if name not in PARAMETERS)
    if unknown:
        names = ", ".join(repr(name) for name in unknown)
        raise _HttpProblem(
            HTTPStatus.BAD_REQUEST,
            f"unknown parameter {names}; this endpoint takes query, default-graph-uri, "
            "named-graph-uri and format",
        )


def _content_type(header: str | None) -> tuple[str, str | None]:
    """The media type (lower case) and charset (lower case, or None) of a Content-Type."""
    if header is None or not header.strip():
        raise _HttpProblem(
            HTTPStatus.BAD_REQUEST,
            "a POST needs a Content-Type: application/x-www-form-urlencoded or "
            "application/sparql-query",
        )
    media_type, *params = (part.strip() for part in header.split(";"))
    if not _MEDIA_TYPE.fullmatch(media_type):
        raise _HttpProblem(
            HTTPStatus.BAD_REQUEST,
            f"Content-Type {' '.join(header.split())!r} is not a media type",
        )
    charset = None
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media_type.lower(), charset


def _status_of(error: QueryError) -> HTTPStatus:
    for cls in type(error).__mro__:
        if cls in _STATUS_OF_ERROR:
            return _STATUS_OF_ERROR[cls]
    return HTTPStatus.INTERNAL_SERVER_ERROR


def _error_reply(
    status: HTTPStatus, message: str, headers: tuple[tuple[str, str], ...] = ()
) -> _Reply:
    line = " ".join(message.split())
    return _Reply(status, "text/plain; charset=utf-8", f"{line}\n".encode(), headers)


def serve(
    graph: KnowledgeGraph | Graph,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    timeout: float = 10.0,
    max_results: int = 10000,
    max_wait: float = 60.0,
    allowed_hosts: Sequence[str] = (),
    cors_origins: Sequence[str] = (),
) -> None:
    """Serve `graph` read-only at http://HOST:PORT/sparql, with the query page at
    http://HOST:PORT/, until interrupted (Ctrl-C).

    Each request is logged to stderr in one line.
    """
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
    server = SparqlServer(
        graph,
        host,
        port,
        timeout=timeout,
        max_results=max_results,
        max_wait=max_wait,
        allowed_hosts=allowed_hosts,
        cors_origins=cors_origins,
    )
    log.info(
        "serving %d triples read-only at %s (time limit %g s, at most %d results); Ctrl-C stops",
        server._triples,
        server.url,
        server.runner.timeout,
        server.runner.max_results,
    )
    log.info("the query page is at %s", server.page_url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        log.info("stopped")
