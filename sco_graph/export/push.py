"""Pushing a graph into a SPARQL 1.1 store over the Graph Store HTTP Protocol.

    push_graph("build", "http://127.0.0.1:7878/store")

Each named graph (one per story, then the entities graph) goes to the store in
one `PUT ENDPOINT?graph=IRI` as N-Triples written by rdflib, so a second push
replaces each graph instead of adding its triples again. Graphs the store has
and the local graph does not are left alone unless `prune` is asked for: then
the store's graphs under sco-graph's namespace (`https://w3id.org/sco-graph/`)
that the local graph no longer has are deleted (`DELETE ENDPOINT?graph=IRI`),
after every graph is written. The Graph Store Protocol cannot list graphs, so
pruning asks the store's SPARQL query endpoint which graphs it has.

The HTTP is the standard library's `http.client`: no redirect is followed and
credentials (`user`/`password`, `headers`) go only to the endpoint's origin, so
they never reach another host. Every failure is a `PushError`: one line naming
the URL, the cause and what to do.
"""

from __future__ import annotations

import base64
import http.client
import json
import re
import socket
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from rdflib import URIRef

from sco_graph.errors import PushError
from sco_graph.graph.iri import BASE
from sco_graph.graph.store import KnowledgeGraph, load_graph

N_TRIPLES = "application/n-triples"
OWN_HEADERS = ("content-type", "content-length", "host")
"""Headers push sets itself; `headers` may not give them."""

_LIST_GRAPHS = (
    "SELECT DISTINCT ?g WHERE { GRAPH ?g { } "
    f'FILTER(STRSTARTS(STR(?g), "{BASE}")) }}'
)
_ENDPOINTS = ("Oxigraph: …/store, Fuseki: …/DATASET/data, "
              "GraphDB: …/repositories/REPO/rdf-graphs/service")
_QUERY_ENDPOINTS = "Oxigraph: …/query, Fuseki: …/DATASET/query, GraphDB: …/repositories/REPO"


@dataclass(frozen=True)
class PushResult:
    """What a push did: graphs and triples written, graphs deleted by pruning."""

    endpoint: str
    graphs: int
    triples: int
    deleted: tuple[str, ...] = field(default=())


def push_graph(
    graph: str | Path | KnowledgeGraph,
    endpoint: str,
    *,
    timeout: float = 60.0,
    user: str | None = None,
    password: str | None = None,
    headers: Mapping[str, str] | None = None,
    prune: bool = False,
    query_endpoint: str | None = None,
) -> PushResult:
    """Write every named graph of `graph` (a KnowledgeGraph, a build folder or an RDF
    file with named graphs) to the store's Graph Store endpoint, replacing graphs of
    the same name. With `prune`, also delete the store's graphs under sco-graph's
    namespace that `graph` does not have, listed through `query_endpoint` (the
    store's SPARQL query endpoint). `timeout` is seconds per request.

    Credentials (`user` and `password` as HTTP Basic, or `headers` such as
    Authorization) are sent to the endpoint's origin only, so to `query_endpoint`
    only when it has the same scheme, host and port."""
    if prune and query_endpoint is None:
        raise ValueError("prune needs query_endpoint: the Graph Store Protocol cannot list "
                         "the store's graphs")
    store = _Url.parse(endpoint)
    lister = (_Url.parse(query_endpoint, query=True)
              if prune and query_endpoint is not None else None)
    secret = _credentials(user, password, headers)
    loaded = graph if isinstance(graph, KnowledgeGraph) else load_graph(graph)
    names = loaded.graph_names()
    if not names:
        what = "the graph" if isinstance(graph, KnowledgeGraph) else str(graph)
        raise PushError(f"{what}: no named graph to push (Turtle, N-Triples and JSON-LD "
                        "files keep none); push the build folder or its graph.trig")
    triples = 0
    deleted: list[str] = []
    with _Connection(store, timeout, secret) as connection:
        for done, name in enumerate(names):
            data = loaded.named_graph(name)
            body = data.serialize(format="nt", encoding="utf-8")
            connection.send("PUT", store.with_graph(name), body, {"Content-Type": N_TRIPLES},
                            doing=f"PUT <{name}>", progress=_progress(done, len(names)))
            triples += len(data)
        if lister is not None:
            local = {str(name) for name in names}
            stale = [g for g in _store_graphs(lister, store, timeout, secret) if g not in local]
            for name in stale:
                connection.send("DELETE", store.with_graph(URIRef(name)), None, {},
                                doing=f"DELETE <{name}>",
                                progress=f"all {len(names)} graphs were written, {len(deleted)} "
                                         f"of {len(stale)} to prune deleted; push again to "
                                         "finish")
                deleted.append(name)
    return PushResult(endpoint, len(names), triples, tuple(deleted))


def _progress(done: int, total: int) -> str:
    if done == 0:
        return "nothing was written"
    return f"{done} of {total} graphs were written; push again to finish"


def _credentials(user: str | None, password: str | None,
                 headers: Mapping[str, str] | None) -> dict[str, str]:
    """The headers that carry credentials and options, for the endpoint's origin only."""
    secret = dict(headers or {})
    for name, value in secret.items():
        if name.lower() in OWN_HEADERS:
            raise ValueError(f"header {name!r} is set by push itself; leave it out")
        if any(mark in name + value for mark in "\r\n"):
            raise ValueError(f"header {name!r} holds a line break")
    if user is not None:
        if any(name.lower() == "authorization" for name in secret):
            raise ValueError("give either user/password or an Authorization header, not both")
        token = base64.b64encode(f"{user}:{password or ''}".encode()).decode("ascii")
        secret["Authorization"] = f"Basic {token}"
    return secret


def _store_graphs(url: _Url, store: _Url, timeout: float,
                  secret: dict[str, str]) -> list[str]:
    """The store's named graphs under sco-graph's namespace, from its SPARQL endpoint."""
    sent = secret if url.origin == store.origin else {}
    body = urlencode({"query": _LIST_GRAPHS}).encode("ascii")
    headers = {"Content-Type": "application/x-www-form-urlencoded",
               "Accept": "application/sparql-results+json"}
    with _Connection(url, timeout, sent, query=True) as connection:
        answer = connection.send("POST", url.target, body, headers,
                                 doing="the query that lists its graphs",
                                 progress="every graph was written, none deleted")
    try:
        rows = json.loads(answer)["results"]["bindings"]
        return sorted(row["g"]["value"] for row in rows if row["g"]["type"] == "uri")
    except (ValueError, KeyError, TypeError) as error:
        raise PushError(f"{url.text}: the answer to the query that lists the store's "
                        f"graphs is not SPARQL JSON results ({error!r}); give the store's "
                        "SPARQL query endpoint (every graph was written, none deleted)"
                        ) from None


@dataclass(frozen=True)
class _Url:
    text: str
    scheme: str
    host: str
    port: int
    target: str
    """Path and query as sent in the request line."""

    @classmethod
    def parse(cls, text: str, *, query: bool = False) -> _Url:
        """A Graph Store endpoint's URL (a SPARQL query endpoint's with `query`)."""

        def refuse(why: str) -> PushError:
            if query:
                return PushError(f"{text!r} is not a store's URL ({why}); give its SPARQL "
                                 f"query endpoint ({_QUERY_ENDPOINTS})")
            return PushError(f"{text!r} is not a store's URL ({why}); give its Graph Store "
                             f"endpoint ({_ENDPOINTS})")

        if any(ch <= " " or ch == "\x7f" for ch in text):
            raise refuse("it holds a space or a control character; percent-encode it")
        try:
            parts = urlsplit(text)
            port = parts.port
        except ValueError as error:
            raise refuse(str(error)) from None
        if parts.scheme not in ("http", "https"):
            raise refuse("it does not start with http:// or https://")
        if not parts.hostname:
            raise refuse("no host")
        if parts.username is not None or parts.password is not None:
            raise refuse("credentials in a URL end up in logs; give them with --user and "
                         "--password")
        if parts.fragment:
            raise refuse("a #fragment is never sent to a server")
        if not query and any(key in ("graph", "default") for key, _, _ in
               (pair.partition("=") for pair in parts.query.split("&"))):
            raise refuse("push adds the graph= parameter itself")
        default_port = 443 if parts.scheme == "https" else 80
        return cls(text, parts.scheme, parts.hostname, port or default_port,
                   (parts.path or "/") + (f"?{parts.query}" if parts.query else ""))

    @property
    def origin(self) -> tuple[str, str, int]:
        return self.scheme, self.host.lower(), self.port

    def with_graph(self, name: URIRef) -> str:
        joiner = "&" if "?" in self.target else "?"
        return f"{self.target}{joiner}{urlencode({'graph': str(name)})}"


class _Connection:
    """One kept-alive HTTP connection to one origin; never follows a redirect."""

    def __init__(self, url: _Url, timeout: float, headers: dict[str, str], *,
                 query: bool = False) -> None:
        self.url = url
        self.query = query
        """True for a SPARQL query endpoint (not a Graph Store endpoint)."""
        self.timeout = timeout
        self.headers = headers
        self._connection: http.client.HTTPConnection | None = None

    def __enter__(self) -> _Connection:
        return self

    def __exit__(self, *_exc: object) -> None:
        self._close()

    def send(self, method: str, target: str, body: bytes | None, headers: dict[str, str],
             *, doing: str, progress: str) -> bytes:
        """Send one request; the answer's body, or PushError (naming `doing` and `progress`)."""
        status, reason, data, location = self._exchange(method, target, body, headers,
                                                        doing=doing, progress=progress)
        if 200 <= status < 300:
            return data
        first = _first_line(data)
        said = f": {first}" if first else ""
        raise PushError(f"{self.url.text}: the store answered {status} {reason} to {doing}"
                        f"{said}; {_advice(status, location, self.query)} ({progress})")

    def _exchange(self, method: str, target: str, body: bytes | None, headers: dict[str, str],
                  *, doing: str, progress: str) -> tuple[int, str, bytes, str | None]:
        sent = {**self.headers, **headers, "User-Agent": "sco-graph"}
        if body is None:
            sent["Content-Length"] = "0"
        for _attempt in range(2):
            reused = self._connection is not None
            try:
                connection = self._connect()
                connection.request(method, target, body=body, headers=sent)
                response = connection.getresponse()
                data = response.read()
                if response.will_close:
                    self._close()
                return response.status, response.reason, data, response.getheader("Location")
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # A kept-alive connection the server had closed: once more on a new one
                # (PUT, DELETE and a query are safe to repeat).
                self._close()
                if not reused:
                    raise PushError(f"{self.url.text}: the connection closed without an "
                                    f"answer to {doing}; check that the URL is the store's "
                                    f"and see its log ({progress})") from None
            except TimeoutError:
                self._close()
                raise PushError(f"{self.url.text}: no answer within {self.timeout:g} s to "
                                f"{doing}; give a longer --timeout or check the store "
                                f"({progress})") from None
            except (OSError, http.client.HTTPException) as error:
                self._close()
                raise PushError(f"{self.url.text}: {_cause(error)}; start the store or check "
                                f"the URL ({progress})") from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _connect(self) -> http.client.HTTPConnection:
        if self._connection is None:
            if self.url.scheme == "https":
                self._connection = http.client.HTTPSConnection(
                    self.url.host, self.url.port, timeout=self.timeout,
                    context=ssl.create_default_context())
            else:
                self._connection = http.client.HTTPConnection(
                    self.url.host, self.url.port, timeout=self.timeout)
        return self._connection

    def _close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def _cause(error: OSError | http.client.HTTPException) -> str:
    if isinstance(error, ConnectionRefusedError):
        return "cannot connect (connection refused)"
    if isinstance(error, socket.gaierror):
        return f"cannot connect (unknown host: {error.strerror})"
    if isinstance(error, ssl.SSLError):
        return f"cannot connect securely ({error.reason or error})"
    if isinstance(error, http.client.HTTPException):
        return f"the answer is not HTTP ({type(error).__name__})"
    return f"cannot connect ({error.strerror or error})"


def _advice(status: int, location: str | None, query: bool) -> str:
    option = "--query-endpoint" if query else "--endpoint"
    if 300 <= status < 400:
        where = f" to {location}" if location else ""
        return f"the store moved{where}: give that URL with {option} (push follows no redirect)"
    if status in (401, 407):
        return "give the user and password (--user, --password) or --header the store accepts"
    if status == 403:
        return "the store refuses this user: check its access rights"
    if query and (status < 500):
        return ("check that --query-endpoint is the store's SPARQL query endpoint "
                f"({_QUERY_ENDPOINTS})")
    if status == 404:
        return f"check that the URL is the store's Graph Store endpoint ({_ENDPOINTS})"
    if status == 405:
        return ("this URL takes no writes: give the store's read-write Graph Store endpoint "
                f"({_ENDPOINTS})")
    if status == 413:
        return "the store refuses a graph this large: raise its request size limit"
    if status == 415:
        return f"this URL does not read N-Triples: is it a Graph Store endpoint? ({_ENDPOINTS})"
    return "see the store's log"


def _first_line(data: bytes) -> str:
    """The first non-empty line of an answer's text (of an HTML page, its text without
    the tags), cut to 200 characters."""
    text = data.decode("utf-8", "replace")
    if text.lstrip().startswith("<"):
        text = re.sub(r"<[^>]*>", "\n", text)
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return line if len(line) <= 200 else line[:199] + "…"


__all__ = ["PushResult", "push_graph"]
