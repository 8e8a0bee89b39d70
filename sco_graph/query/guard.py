"""Running one untrusted SPARQL query read-only, within a time and a result-size limit.

What is refused, and how:

- SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ...) is refused with
  `UpdateRefusedError`: a text that does not parse as a query but parses as an
  update is named as such instead of being reported as a syntax error.
- `SERVICE` is refused with `QueryRefusedError` when it appears anywhere in the
  parsed algebra (sub-queries and `FILTER EXISTS` included), never by a regex on
  the text.
- `FROM` / `FROM NAMED` (and the protocol's `default-graph-uri` /
  `named-graph-uri`) may only name graphs of the dataset itself (an engine
  might otherwise fetch an unknown graph IRI over the network or from a file).
- A query that yields more than `max_results` rows (SELECT) or triples
  (CONSTRUCT, DESCRIBE) is refused with `TooManyResultsError`, not truncated: a
  client that does not read headers would take a truncated answer for the
  whole one. The message says to add a LIMIT.

The time limit is real where the platform has `os.fork` (Linux, macOS): each
query is parsed, checked, evaluated (by Oxigraph) and serialised in a forked
child process that shares the graph copy-on-write and sends back only the
serialised answer. The parent waits on a pipe with a deadline and kills the
child (SIGKILL) when it passes, because an evaluation cannot be interrupted
from another thread. So the limit covers every step, including a sort or a
CONSTRUCT that builds its whole graph before yielding anything. The graph
the children query is in memory (a store on disk is copied, see `_servable`):
RocksDB's files, locks and threads must not be used across a fork, while an
in-memory store nobody writes is plain memory. Forking from a threaded server
is safe here because no other thread touches the served graph or the SPARQL
parser while a child is forked (the server's threads only do HTTP), and if a
child ever did deadlock on a lock inherited from another thread, the deadline
kills it like any slow query. The child also installs an audit hook that
refuses every socket connection and URL request, a second wall behind the
checks above.

Without `os.fork` (Windows) the query runs in the calling thread and the limit
is cooperative: it is checked between result rows, so a query whose first row
takes long (ORDER BY, GROUP BY, CONSTRUCT) can overrun it.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import pickle
import re
import selectors
import signal
import sys
import threading
import time
import warnings
from collections import OrderedDict, deque
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NoReturn, Protocol, TypeVar

from pyparsing import ParseBaseException
from rdflib import Graph, URIRef
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result
from rdflib.term import Node

from sco_graph.errors import (
    EndpointBusyError,
    QueryError,
    QueryRefusedError,
    QuerySyntaxError,
    QueryTimeoutError,
    TooManyResultsError,
    UpdateRefusedError,
)
from sco_graph.graph.sparql_scope import refuse_outside
from sco_graph.graph.store import KnowledgeGraph

_CHECKS_KEPT = 1024  # query texts whose check is remembered
_Outcome = TypeVar("_Outcome")

SOLUTION_FORMS = frozenset({"SELECT", "ASK"})
GRAPH_FORMS = frozenset({"CONSTRUCT", "DESCRIBE"})

_FORM_OF_ALGEBRA = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}

# Audit events (see the `sys.addaudithook` table) through which a query could
# reach the network; the child process refuses all of them.
_NETWORK_EVENTS = frozenset(
    {
        "socket.connect",
        "socket.getaddrinfo",
        "socket.gethostbyname",
        "socket.gethostbyaddr",
        "socket.sendto",
        "urllib.Request",
        "http.client.connect",
    }
)


class Renderer(Protocol):
    """Turns an evaluated result into the bytes of one media type."""

    @property
    def media_type(self) -> str: ...

    def render(self, result: Result) -> bytes: ...


ChooseRenderer = Callable[[str], Renderer]
"""Given a query form ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"), the renderer
to use; raises a `QueryError` when the client accepts none for that form."""


@dataclass(frozen=True)
class Answer:
    """One query's serialised answer."""

    form: str
    media_type: str
    body: bytes


def prepare_query(
    text: str,
    known_graphs: Collection[URIRef],
    *,
    default_graphs: Sequence[str] = (),
    named_graphs: Sequence[str] = (),
    prefixes: Mapping[str, str] | None = None,
) -> Query:
    """Parse `text` as a read-only query over local graphs, or raise why it is refused.

    `prefixes` are declared before the query's own PREFIX lines (which win).
    `default_graphs` and `named_graphs` are the SPARQL protocol's
    `default-graph-uri` and `named-graph-uri`; as the protocol says, when given
    they replace the query's own FROM and FROM NAMED.
    """
    if not text.strip():
        raise QuerySyntaxError("the query is empty")
    try:
        query = translateQuery(parseQuery(text), initNs=dict(prefixes or {}))
    except ParseBaseException as e:
        operations = _update_operations(text)
        if operations:
            raise UpdateRefusedError(
                f"this endpoint is read-only: SPARQL Update ({', '.join(operations)}) is refused"
            ) from e
        raise QuerySyntaxError(_syntax_message(e)) from e
    except Exception as e:
        # rdflib reports an unknown prefix and the like as a bare Exception.
        raise QuerySyntaxError(f"query error: {_one_line(e)}") from e

    if default_graphs or named_graphs:
        query.algebra["datasetClause"] = [
            CompValue("DatasetClause", default=URIRef(iri)) for iri in default_graphs
        ] + [CompValue("DatasetClause", named=URIRef(iri)) for iri in named_graphs]
    refuse_outside(query.algebra, known_graphs, who="this endpoint")
    return query


def query_form(query: Query) -> str:
    """The query's form: SELECT, ASK, CONSTRUCT or DESCRIBE."""
    return _FORM_OF_ALGEBRA[query.algebra.name]


@dataclass(frozen=True)
class CheckedQuery:
    """What checking a query found: its form and, for a SELECT, the variables it projects."""

    form: str
    projection: frozenset[str] | None


def check_query(
    text: str,
    known_graphs: Collection[URIRef],
    *,
    default_graphs: Sequence[str] = (),
    named_graphs: Sequence[str] = (),
    prefixes: Mapping[str, str] | None = None,
) -> CheckedQuery:
    """`prepare_query`'s checks (raising why a query is refused), and what they found."""
    query = prepare_query(
        text,
        known_graphs,
        default_graphs=default_graphs,
        named_graphs=named_graphs,
        prefixes=prefixes,
    )
    form = query_form(query)
    projection = (
        frozenset(str(variable) for variable in query.algebra.PV) if form == "SELECT" else None
    )
    return CheckedQuery(form, projection)


def execute(
    graph: KnowledgeGraph,
    text: str,
    choose: ChooseRenderer,
    *,
    max_results: int,
    known_graphs: Collection[URIRef] | None = None,
    checked: CheckedQuery | None = None,
    deadline: float = math.inf,
    timeout: float = math.inf,
    cancelled: threading.Event | None = None,
    default_graphs: Sequence[str] = (),
    named_graphs: Sequence[str] = (),
    prefixes: Mapping[str, str] | None = None,
    bindings: Mapping[str, Node] | None = None,
) -> tuple[Answer, CheckedQuery]:
    """Check, evaluate (on the graph's Oxigraph store) and render one query in this
    thread; return the answer and what the check found.

    `known_graphs` are the graph names FROM may use (default: the graph's own).
    `checked` is what an earlier check of the same text (with the same graphs and
    prefixes) found: the query is then not parsed again. `deadline` (a
    `time.monotonic()` value) is checked between result rows only; `timeout` is
    the number the error message names. `bindings` give variables a value before
    the query runs (as a saved query's parameters are bound), never pasted into
    its text.
    """
    if checked is None:
        checked = check_query(
            text,
            graph.graph_names() if known_graphs is None else known_graphs,
            default_graphs=default_graphs,
            named_graphs=named_graphs,
            prefixes=prefixes,
        )
    form = checked.form
    renderer = choose(form)

    def on_row(_count: int) -> None:
        if time.monotonic() > deadline or (cancelled is not None and cancelled.is_set()):
            raise _timed_out(timeout)

    result = graph.evaluate(
        text,
        bindings,
        default_graphs=default_graphs,
        named_graphs=named_graphs,
        prefixes=prefixes or {},
        selected=checked.projection,
        max_rows=max_results + 1,  # one more than allowed tells "too many"
        on_row=on_row,
    )
    if form == "SELECT" and len(result.bindings) > max_results:
        raise _too_many(max_results, "rows")
    if form in GRAPH_FORMS and result.graph is not None and len(result.graph) > max_results:
        raise _too_many(max_results, "triples")
    answer = Answer(form=form, media_type=renderer.media_type, body=renderer.render(result))
    return answer, checked


class QueryRunner:
    """Runs queries against one graph within the limits, several at a time.

    `isolate` (default: wherever `os.fork` exists) evaluates each query in a
    forked child that the time limit kills; without it the limit is cooperative.
    At most `max_concurrent` queries run at once (default: the CPU count, at
    least 2); a query waits up to `max_wait` seconds for a slot (then
    `EndpointBusyError`), and its time limit starts when it has one, so a query
    that queued behind slow ones still gets its whole `timeout`. `prefixes` are
    declared in every query (its own PREFIX lines win).
    """

    def __init__(
        self,
        graph: KnowledgeGraph | Graph,
        *,
        timeout: float = 10.0,
        max_results: int = 10000,
        max_concurrent: int | None = None,
        max_wait: float = 60.0,
        isolate: bool | None = None,
        prefixes: Mapping[str, str] | None = None,
    ) -> None:
        if timeout <= 0:
            raise ValueError(f"timeout must be positive, not {timeout}")
        if max_wait < 0:
            raise ValueError(f"max_wait must be 0 or more, not {max_wait}")
        self.max_wait = float(max_wait)
        if max_results < 0:
            raise ValueError(f"max_results must be 0 or more, not {max_results}")
        self.timeout = float(timeout)
        self.max_results = max_results
        self.prefixes: dict[str, str] = dict(prefixes or {})
        self.isolate = hasattr(os, "fork") if isolate is None else isolate
        if self.isolate and not hasattr(os, "fork"):
            raise ValueError("isolate=True needs os.fork, which this platform does not have")
        self.graph = _servable(graph, self.isolate)
        # Read once, so that while serving only the forked children touch the store.
        self.graph_names = frozenset(self.graph.graph_names())
        self.size = len(self.graph)
        concurrent = max_concurrent or max(2, os.cpu_count() or 2)
        self._slots = _FairSlots(concurrent)
        self._lock = threading.Lock()
        self._children: set[int] = set()
        self._running = 0
        self._cancelled = threading.Event()
        self._checks: OrderedDict[tuple[str, tuple[str, ...], tuple[str, ...]],
                                  CheckedQuery] = OrderedDict()

    @property
    def active(self) -> int:
        """How many queries are being evaluated right now."""
        with self._lock:
            return self._running

    def run(
        self,
        text: str,
        choose: ChooseRenderer,
        *,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        bindings: Mapping[str, Node] | None = None,
    ) -> Answer:
        """The rendered answer to `text` with `bindings` bound, or a `QueryError` saying
        why there is none."""
        if not self._slots.acquire(timeout=self.max_wait):
            raise EndpointBusyError(
                f"the endpoint is busy: every query slot stayed taken for {self.max_wait:g} s; "
                "try again later"
            )
        deadline = time.monotonic() + self.timeout
        with self._lock:
            self._running += 1
        try:

            key = (text, tuple(default_graphs), tuple(named_graphs))
            with self._lock:
                checked = self._checks.get(key)

            def work() -> tuple[Answer, CheckedQuery]:
                return execute(
                    self.graph,
                    text,
                    choose,
                    max_results=self.max_results,
                    known_graphs=self.graph_names,
                    checked=checked,
                    deadline=deadline,
                    timeout=self.timeout,
                    cancelled=self._cancelled,
                    default_graphs=default_graphs,
                    named_graphs=named_graphs,
                    prefixes=self.prefixes,
                    bindings=bindings,
                )

            answer, checked = self._in_child(work, deadline) if self.isolate else work()
            self._remember(key, checked)
            return answer
        finally:
            with self._lock:
                self._running -= 1
            self._slots.release()

    def _remember(self, key: tuple[str, tuple[str, ...], tuple[str, ...]],
                  checked: CheckedQuery) -> None:
        """Keep what a check found, so that the same text is not parsed again (rdflib's
        parser takes longer than most queries take Oxigraph to answer)."""
        with self._lock:
            self._checks[key] = checked
            self._checks.move_to_end(key)
            while len(self._checks) > _CHECKS_KEPT:
                self._checks.popitem(last=False)

    def cancel_all(self) -> None:
        """Stop every query now running (their callers get a `QueryError`)."""
        self._cancelled.set()
        with self._lock:
            children = list(self._children)
        for pid in children:
            _kill(pid)

    def _in_child(self, work: Callable[[], _Outcome], deadline: float) -> _Outcome:
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:
            _child_main(work, read_fd, write_fd)
        os.close(write_fd)
        with self._lock:
            self._children.add(pid)
        if self._cancelled.is_set():  # cancel_all ran between the fork and the add
            _kill(pid)
        payload: bytes | None = None
        try:
            payload = _read_until(read_fd, deadline)
        finally:
            os.close(read_fd)
            if payload is None:
                _kill(pid)
            _, status = os.waitpid(pid, 0)
            with self._lock:
                self._children.discard(pid)
        if payload is None:
            raise _timed_out(self.timeout)
        if not payload:
            raise QueryError(f"the query was stopped before it answered ({_describe_exit(status)})")
        outcome = pickle.loads(payload)  # from our own child, so trusted
        if isinstance(outcome, QueryError):
            raise outcome
        return outcome


class _FairSlots:
    """A semaphore that hands free slots to waiters in the order they came.

    `threading.Semaphore` wakes any waiter, so under load one query can wait far
    longer than those behind it; here the wait is first come, first served.
    """

    def __init__(self, count: int) -> None:
        self._free = count
        self._waiting: deque[object] = deque()
        self._changed = threading.Condition()

    def acquire(self, timeout: float) -> bool:
        """Take a slot, waiting up to `timeout` seconds for one; False if none came."""
        me = object()
        give_up = time.monotonic() + timeout
        with self._changed:
            self._waiting.append(me)
            try:
                while not (self._free and self._waiting[0] is me):
                    left = give_up - time.monotonic()
                    if left <= 0:
                        return False
                    self._changed.wait(left)
                self._free -= 1
                return True
            finally:
                self._waiting.remove(me)
                self._changed.notify_all()

    def release(self) -> None:
        with self._changed:
            self._free += 1
            self._changed.notify_all()


def _servable(graph: KnowledgeGraph | Graph, isolate: bool) -> KnowledgeGraph:
    """The graph the runner queries: an rdflib graph copied into Oxigraph, and a store on
    disk copied into memory when queries run in forked children (a RocksDB store must
    not be used across a fork; an in-memory one is shared copy-on-write)."""
    if not isinstance(graph, KnowledgeGraph):
        return KnowledgeGraph.from_rdflib(graph)
    if isolate and graph.location is not None:
        return graph.in_memory()
    return graph


def _child_main(work: Callable[[], object], read_fd: int, write_fd: int) -> NoReturn:
    """The forked child: answer, write the pickled outcome, and leave without cleanup."""
    code = 0
    try:
        os.close(read_fd)
        # Another thread may have held the stderr or a logging lock at the
        # fork; writing there could hang the child, so it writes nothing.
        logging.disable(logging.CRITICAL)
        warnings.simplefilter("ignore")
        sys.addaudithook(_refuse_network)
        outcome: object
        try:
            outcome = work()
        except QueryError as e:
            outcome = type(e)(str(e))
        except Exception as e:
            outcome = QueryError(f"the query failed: {_one_line(e)}")
        with os.fdopen(write_fd, "wb") as pipe:
            pipe.write(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))
    except BaseException:
        code = 1
    finally:
        # Never return into the server's code, and run no atexit handler.
        os._exit(code)


def _refuse_network(event: str, _args: tuple[Any, ...]) -> None:
    if event in _NETWORK_EVENTS:
        raise QueryRefusedError(
            f"the query tried to reach the network ({event}); this endpoint does not allow it"
        )


def _read_until(fd: int, deadline: float) -> bytes | None:
    """All bytes until EOF, or None when the deadline passes first."""
    chunks: list[bytes] = []
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not selector.select(remaining):
                return None
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):  # it has just exited
        os.kill(pid, signal.SIGKILL)


def _describe_exit(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"


def _timed_out(timeout: float) -> QueryTimeoutError:
    return QueryTimeoutError(f"query exceeded the time limit of {timeout:g} s")


def _too_many(limit: int, unit: str) -> TooManyResultsError:
    return TooManyResultsError(
        f"query has more than {limit} result {unit}, the limit of this endpoint; "
        f"add a LIMIT (at most {limit}) or narrow the query"
    )


def _update_operations(text: str) -> list[str]:
    """The update operations in `text` ("INSERT DATA", "LOAD", ...), or [] if it is no update."""
    try:
        update = parseUpdate(text)
    except Exception:
        return []
    # An empty update (only comments or PREFIX lines) is valid SPARQL, with no request.
    operations = update.request or ()
    names = [re.sub(r"(?<=[a-z])(?=[A-Z])", " ", op.name).upper() for op in operations]
    return list(dict.fromkeys(names))


def _syntax_message(e: ParseBaseException) -> str:
    # pyparsing's str() ends with "  (at char N), (line:L, col:C)"; the
    # position is given once, in words.
    what = str(e).split("  (at char")[0]
    return _one_line(f"syntax error at line {e.lineno}, column {e.col}: {what}")


def _one_line(e: object) -> str:
    return " ".join(str(e).split()) or type(e).__name__
