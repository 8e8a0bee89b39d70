"""Run SPARQL on a graph and get Python values: the library calls a notebook uses.

    rows = run_query(graph, "SELECT ?p ?name WHERE { ?p a sco:Person ; rdfs:label ?name }")
    rows.columns            # ('p', 'name')
    for person, name in rows: ...
    rows.to_dataframe()     # pandas (the [notebook] extra)
    print(rows)             # the text table `sco-graph query` prints

What a query gives, by its form:

- SELECT: `Rows`, one `Row` (a tuple, also readable by column name) per solution.
  An IRI is a plain `str`, the full IRI: it compares equal to text, filters
  in pandas and goes into JSON as it is, and passed back as a parameter it is
  an IRI again (text that looks like an IRI is read as one). rdflib's
  `URIRef` was not kept because it never equals a `str`. Only the text
  table shortens IRIs (`person:xi-jinping`). A blank node is `_:id`. Literals
  become Python values with `.toPython()`: `str`, `int`, `float`, `Decimal`,
  `bool`, `datetime.date`, `datetime.datetime`; an `xsd:gYear` becomes an
  `int`, a literal of a type Python has no value for (a language-tagged
  string, an ill-formed number) its `str`. Unbound is `None`.
- ASK: a `bool`.
- CONSTRUCT and DESCRIBE: an `rdflib.Graph`, with the prefixes of ALL_PREFIXES bound.

Parameters (`**params`) give variables a value before the query runs
(rdflib's initBindings), never pasted into the query text. Text that looks
like an IRI (`<…>`, `http…`, a prefixed name such as `person:xi-jinping` or
`sco:Person`, a path such as `person/xi-jinping`) becomes an IRI; digits an
`xsd:integer`, `YYYY-MM-DD` an `xsd:date`, other text a plain literal (see
`saved_queries.to_term`). Other Python values become literals of their type;
rdflib terms are used as they are.

`sco-graph query` prints the same answers with `render` (table, csv or json).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from rdflib import BNode, Graph, Literal, Variable
from rdflib.query import Result
from rdflib.term import Node

from sco_graph.errors import QueryError
from sco_graph.graph.store import KnowledgeGraph, load_graph
from sco_graph.graph.vocab import ALL_PREFIXES, XSD
from sco_graph.query.saved_queries import bound_term, list_queries, run_saved
from sco_graph.query.tables import show_term, text_table

if TYPE_CHECKING:
    import pandas

__all__ = [
    "FORMATS",
    "Row",
    "Rows",
    "render",
    "run_query",
    "saved_queries",
    "saved_query",
]

FORMATS = ("table", "csv", "json")
"""What `render` (and `sco-graph query --format`) writes."""

Value = Any
"""A Python value of a result cell: str (IRIs too), int, float, Decimal, bool, date, None."""

class Row(tuple[Value, ...]):
    """One result row: a tuple of values, also readable by column (`row["name"]`, `row.name`)."""

    _columns: tuple[str, ...]

    def __new__(cls, values: Sequence[Value], columns: tuple[str, ...]) -> Row:
        row = super().__new__(cls, values)
        row._columns = columns
        return row

    @overload
    def __getitem__(self, key: int | str) -> Value: ...
    @overload
    def __getitem__(self, key: slice) -> tuple[Value, ...]: ...

    def __getitem__(self, key: int | str | slice) -> Any:
        if isinstance(key, str):
            try:
                return tuple.__getitem__(self, self._columns.index(key))
            except ValueError:
                raise KeyError(f"no column {key!r}; the columns are {self._columns}") from None
        return tuple.__getitem__(self, key)

    def __getattr__(self, name: str) -> Value:
        columns = self.__dict__.get("_columns", ())
        if name in columns:
            return tuple.__getitem__(self, columns.index(name))
        raise AttributeError(f"no column {name!r}; the columns are {columns}")

    def as_dict(self) -> dict[str, Value]:
        """`{column: value}` in column order."""
        return dict(zip(self._columns, self, strict=True))


class Rows:
    """The rows of a SELECT: iterable, `len()`, indexable, with `.columns`.

    `str(rows)` is the text table `sco-graph query` prints (IRIs shortened with
    the prefixes every query declares, long cells cut); `render("csv")` and
    `render("json")` keep every value whole.
    """

    def __init__(self, columns: Sequence[str], terms: Sequence[Sequence[Node | None]]) -> None:
        self.columns: tuple[str, ...] = tuple(columns)
        self._terms = [tuple(row) for row in terms]
        self._rows = [Row([python_value(t) for t in row], self.columns) for row in self._terms]

    @classmethod
    def of(cls, result: Result) -> Rows:
        """The rows of an evaluated SELECT (an empty solution included)."""
        variables = list(result.vars or [])
        return cls(
            [str(v) for v in variables],
            [[binding.get(v) for v in variables] for binding in result.bindings],
        )

    def __iter__(self) -> Iterator[Row]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> Row: ...
    @overload
    def __getitem__(self, index: slice) -> list[Row]: ...

    def __getitem__(self, index: int | slice) -> Row | list[Row]:
        return self._rows[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Rows):
            return self.columns == other.columns and self._rows == other._rows
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __str__(self) -> str:
        return self.render("table")

    def __repr__(self) -> str:
        return f"<Rows: {len(self)} rows of {', '.join(self.columns) or 'no columns'}>"

    def column(self, name: str) -> list[Value]:
        """The values of one column, in row order."""
        return [row[name] for row in self._rows]

    def to_dataframe(self) -> pandas.DataFrame:
        """The rows as a pandas DataFrame, one column per variable (values as in the rows)."""
        try:
            import pandas
        except ImportError:
            raise ImportError(
                "Rows.to_dataframe needs pandas: install the notebook extra, "
                "pip install 'sco-graph[notebook]'"
            ) from None
        return pandas.DataFrame([list(row) for row in self._rows], columns=list(self.columns))

    def render(self, fmt: str = "table") -> str:
        """The rows as a text table, CSV (IRIs of our instances whole) or SPARQL JSON."""
        if fmt == "table":
            cells = [[show_term(term) for term in row] for row in self._terms]
            return text_table(list(self.columns), cells)
        if fmt == "csv":
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerow(self.columns)
            writer.writerows([show_term(t, instances=False) for t in row] for row in self._terms)
            return buffer.getvalue()
        if fmt == "json":
            result = Result("SELECT")
            result.vars = [Variable(c) for c in self.columns]
            result.bindings = [
                {Variable(c): t for c, t in zip(self.columns, row, strict=True) if t is not None}
                for row in self._terms
            ]
            return _serialized(result, "json") + "\n"
        raise QueryError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")


def python_value(term: Node | None) -> Value:
    """The Python value of one result term (see the module's docstring)."""
    if term is None:
        return None
    if isinstance(term, BNode):
        return f"_:{term}"
    if not isinstance(term, Literal):
        return str(term)  # an IRI
    if term.datatype == XSD.gYear and str(term).lstrip("-").isdigit():
        return int(str(term))
    value = term.toPython()
    return str(term) if isinstance(value, Literal) else value


def run_query(
    graph: str | Path | KnowledgeGraph, sparql: str, /, **params: Any
) -> Rows | bool | Graph:
    """Run SPARQL on `graph` (a KnowledgeGraph, a build folder or an RDF file).

    Every prefix of ALL_PREFIXES (`sco:`, `person:`, `rdfs:`, ...) is declared.
    SELECT gives `Rows`, ASK a `bool`, CONSTRUCT and DESCRIBE an rdflib `Graph`;
    `params` are bound to the variables of the same names.

    >>> kg = KnowledgeGraph()
    >>> run_query(kg, "SELECT ?p WHERE { ?p a sco:Person }").columns
    ('p',)
    >>> run_query(kg, "ASK { ?p a ?type }", type="sco:Person")
    False
    """
    bindings = {name: bound_term(value, None) for name, value in params.items()}
    return answer_of(_loaded(graph).query(sparql, bindings))


def saved_query(graph: str | Path | KnowledgeGraph, name: str, /, **params: Any) -> Rows:
    """Run the saved query `name` (`sco-graph query --list`) with its parameters bound.

    Values are read as `run_query` reads them, checked against the kinds the
    query declares; an unknown or a missing required parameter is a `QueryError`.

    >>> saved_query(KnowledgeGraph(), "proposals", actor="country:kazakhstan").columns[:3]
    ('actor', 'actorLabel', 'relation')
    """
    answer = answer_of(run_saved(_loaded(graph), name, params))
    if not isinstance(answer, Rows):
        raise QueryError(f"saved query {name!r} is not a SELECT query")
    return answer


def saved_queries() -> Rows:
    """The saved queries: name, title and parameters (`[name=KIND]`: optional), one per row.

    `print(saved_queries())` is the table `sco-graph query --list` prints.
    """
    return Rows(
        ["name", "title", "parameters"],
        [
            [Literal(q.name), Literal(q.title), Literal(" ".join(p.usage() for p in q.params))]
            for q in list_queries()
        ],
    )


def answer_of(result: Result) -> Rows | bool | Graph:
    """The Python answer of an evaluated query: Rows, a bool (ASK) or a Graph."""
    if result.type == "ASK":
        return bool(result.askAnswer)
    if result.type in {"CONSTRUCT", "DESCRIBE"}:
        graph = Graph(bind_namespaces="none")
        for prefix, namespace in ALL_PREFIXES.items():
            graph.bind(prefix, namespace)
        assert result.graph is not None
        for triple in result.graph:
            graph.add(triple)
        return graph
    return Rows.of(result)


def render(answer: Rows | bool | Graph, fmt: str = "table") -> str:
    """What `sco-graph query --format FMT` prints for an answer.

    ASK: `true`/`false` (json: `{"boolean": …}`); CONSTRUCT and DESCRIBE: Turtle.
    """
    if fmt not in FORMATS:
        raise QueryError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
    if isinstance(answer, bool):
        if fmt == "json":
            return json.dumps({"boolean": answer}) + "\n"
        return f"{str(answer).lower()}\n"
    if isinstance(answer, Graph):
        return answer.serialize(format="turtle")
    return answer.render(fmt)


def _loaded(graph: str | Path | KnowledgeGraph) -> KnowledgeGraph:
    return graph if isinstance(graph, KnowledgeGraph) else load_graph(graph)


def _serialized(result: Result, fmt: str) -> str:
    data = result.serialize(format=fmt, encoding="utf-8")
    return data.decode("utf-8") if data else ""

