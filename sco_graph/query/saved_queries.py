"""Saved SPARQL queries: the named `.rq` files of this folder, and running them.

Each file opens with a comment header (SPARQL comments, so the file runs as is):

    # name: proposals
    # title: What an actor proposed or supported
    # description: Everything a person, country or organisation proposed ...
    #   (a "#" line indented by more spaces continues the field above it)
    # param actor (IRI): the person, country or organisation (optional)

`name` is the file's stem. A parameter is required unless its meaning ends
with "(optional)"; its kind (IRI, text, integer or date) says how a value
given as text becomes an RDF term (`to_term`). Each file declares the
prefixes it uses, so it also runs as is on the SPARQL endpoint (`sco-graph
serve`), in YASGUI or in any other SPARQL tool.

Values are bound before the query runs (rdflib's initBindings, through
`KnowledgeGraph.query`), never pasted into the query text, so no value can
change what a query does. So that a binding means "only rows with this
value", a parameter is a variable the query projects and uses in a required
pattern only: a variable bound in advance inside OPTIONAL would keep its
value on rows where the optional part does not match.

    >>> [q.name for q in list_queries()][:3]
    ['co-mentions', 'documents-by-year', 'evidence']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from importlib import resources

from rdflib import Literal, URIRef
from rdflib.query import Result
from rdflib.term import Node

from sco_graph.errors import DataError, QueryError
from sco_graph.graph.iri import BASE
from sco_graph.graph.store import KnowledgeGraph
from sco_graph.graph.vocab import ALL_PREFIXES, INSTANCE_PREFIXES, SCO, XSD

__all__ = [
    "KINDS",
    "Param",
    "SavedQuery",
    "bound_term",
    "format_list",
    "list_queries",
    "load_query",
    "parse_params",
    "run_saved",
    "to_term",
]

KINDS = ("IRI", "text", "integer", "date")
"""What a parameter's value may be; `to_term` turns text into a term of that kind."""

_HEADER_LINE = re.compile(r"^#\s?(?P<key>[a-z]+)(?:\s+(?P<rest>[^:]*?))?\s*:\s*(?P<value>.*)$")
_CONTINUATION = re.compile(r"^#\s{2,}(?P<value>\S.*)$")
_PARAM = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:\s+\((?P<kind>[A-Za-z]+)\))?$")
_OPTIONAL = "(optional)"
_FIELDS = ("name", "title", "description", "param")

_IRI_IN_BRACKETS = re.compile(r"^<([^<>\"{}|^`\\\s]+)>$")
_ABSOLUTE_IRI = re.compile(r"^(?:https?|urn):[^<>\"{}|^`\\\s]+$")
_PREFIXED_NAME = re.compile(r"^(?P<prefix>[A-Za-z][A-Za-z0-9_-]*):(?P<local>[A-Za-z0-9_][\w.-]*)$")
_INSTANCE_PATH = re.compile(r"^(?P<kind>[a-z]+)/(?P<slug>[a-z0-9][a-z0-9-]*)$")
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


@dataclass(frozen=True, slots=True)
class Param:
    """One parameter of a saved query: a variable of the query the caller may bind."""

    name: str
    kind: str | None  # one of KINDS; None: the value's look decides
    meaning: str
    required: bool

    def usage(self) -> str:
        """How `--list` shows it, as `--param` takes it: `type1=IRI`, `[actor=IRI]` if optional."""
        text = f"{self.name}={self.kind or 'VALUE'}"
        return text if self.required else f"[{text}]"


@dataclass(frozen=True, slots=True)
class SavedQuery:
    """A named SPARQL query and what its header says about it."""

    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str  # the whole file, header included (comments are valid SPARQL)
    source: str  # where it was read from, for messages

    @property
    def sparql(self) -> str:
        """The query without its comment header: the PREFIX lines and the query itself."""
        lines = self.text.splitlines()
        start = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
        return "\n".join(lines[start:]).strip("\n") + "\n"

    def bindings(self, values: Mapping[str, object] | None) -> dict[str, Node]:
        """The initBindings for `values` (text, Python values or RDF terms), checked against
        the header.

        An unknown or missing required parameter, or a value of the wrong
        kind, is a `QueryError` naming the query and the parameter.
        """
        known = {param.name: param for param in self.params}
        values = dict(values or {})
        unknown = sorted(set(values) - set(known))
        if unknown:
            takes = f"its parameters are {', '.join(known)}" if known else "it takes no parameters"
            raise QueryError(f"saved query {self.name!r} has no parameter {unknown[0]!r}; {takes}")
        missing = [p for p in self.params if p.required and p.name not in values]
        if missing:
            param = missing[0]
            raise QueryError(
                f"saved query {self.name!r} needs a value for {param.name!r} ({param.meaning})"
            )
        bound: dict[str, Node] = {}
        for name, value in values.items():
            param = known[name]
            try:
                bound[name] = bound_term(value, param.kind)
            except QueryError as error:
                where = f"saved query {self.name!r}, parameter {name!r}"
                raise QueryError(f"{where}: {error}") from None
        return bound


def list_queries() -> list[SavedQuery]:
    """Every saved query, sorted by name."""
    return list(_all().values())


def load_query(name: str) -> SavedQuery:
    """The saved query called `name`, or a `QueryError` listing the ones there are."""
    queries = _all()
    if name not in queries:
        raise QueryError(
            f"no saved query named {name!r}; the saved queries are {', '.join(queries)}"
        )
    return queries[name]


def run_saved(
    graph: KnowledgeGraph, name: str, params: Mapping[str, object] | None = None
) -> Result:
    """Run the saved query `name` on `graph` with `params` bound (text is read by `to_term`).

    >>> from sco_graph.graph.store import KnowledgeGraph
    >>> len(run_saved(KnowledgeGraph(), "proposals", {"actor": "country:kazakhstan"}))
    0
    """
    query = load_query(name)
    return graph.query(query.text, query.bindings(params))


def parse_params(pairs: Iterable[str]) -> dict[str, str]:
    """`["actor=country:kazakhstan"]` -> `{"actor": "country:kazakhstan"}` (`--param` values).

    >>> parse_params(["type1=sco:Person", "type2=sco:Country"])
    {'type1': 'sco:Person', 'type2': 'sco:Country'}
    """
    values: dict[str, str] = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        name = name.strip()
        if not equals or not name:
            raise QueryError(f"parameter {pair!r} is not of the form key=value")
        if name in values:
            raise QueryError(f"parameter {name!r} is given twice")
        values[name] = value
    return values


def to_term(value: str, kind: str | None = None) -> Node:
    """The RDF term a parameter value given as text stands for.

    An IRI is written `<…>`, `http…`/`https…`/`urn:…`, as a prefixed name
    with one of our prefixes (`sco:Person`, `person:xi-jinping`), or as the
    path of one of our instances (`person/xi-jinping`). Without a `kind`, that
    look makes a `URIRef`, digits an xsd:integer, `YYYY-MM-DD` an xsd:date,
    and anything else a plain literal; with one, the value must be of it.

    >>> to_term("sco:Person")
    rdflib.term.URIRef('https://w3id.org/sco-graph/ontology#Person')
    >>> to_term("country/kazakhstan")
    rdflib.term.URIRef('https://w3id.org/sco-graph/country/kazakhstan')
    >>> to_term("observer")
    rdflib.term.Literal('observer')
    """
    if kind == "text":
        return Literal(value)
    iri = _iri(value.strip())
    if kind == "IRI":
        if iri is None:
            raise QueryError(
                f"{value!r} is not an IRI: write <…>, http…, a prefixed name such as "
                f"sco:Person or person:xi-jinping, or a path such as person/xi-jinping"
            )
        return iri
    text = value.strip()
    if kind == "integer" or (kind is None and iri is None and _INTEGER.match(text)):
        if not _INTEGER.match(text):
            raise QueryError(f"{value!r} is not an integer")
        return Literal(int(text), datatype=XSD.integer)
    if kind == "date" or (kind is None and iri is None and _DATE.match(text)):
        if not _DATE.match(text):
            raise QueryError(f"{value!r} is not a date (YYYY-MM-DD)")
        return Literal(text, datatype=XSD.date)
    return iri if iri is not None else Literal(value)


def format_list(name: str | None = None) -> str:
    """The saved queries as a table (name, title, parameters), or all about one of them:
    its title, description and parameters, then its SPARQL (ready to copy and adapt)."""
    from sco_graph.query.tables import text_table

    if name is not None:
        query = load_query(name)
        lines = [f"{query.name}: {query.title}", "", query.description, ""]
        lines += [f"  {p.usage()}: {p.meaning}" for p in query.params] or ["  no parameters"]
        return "\n".join(lines) + "\n\n" + query.sparql
    rows = [[q.name, q.title, " ".join(p.usage() for p in q.params)] for q in list_queries()]
    return text_table(["name", "title", "parameters"], rows)


# -- reading the files -------------------------------------------------------


@cache
def _all() -> dict[str, SavedQuery]:
    folder = resources.files("sco_graph.query") / "saved"
    queries = {}
    for item in sorted(folder.iterdir(), key=lambda entry: entry.name):
        if item.name.endswith(".rq"):
            query = _parse(item.read_text(encoding="utf-8"), item.name, str(item))
            queries[query.name] = query
    return queries


def _parse(text: str, file_name: str, source: str) -> SavedQuery:
    # Each header field: its key, what stands between key and colon, its text parts.
    entries: list[tuple[str, str, list[str], int]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            break
        continued = _CONTINUATION.match(line)
        if continued and entries:
            entries[-1][2].append(continued["value"].strip())
            continue
        match = _HEADER_LINE.match(line)
        if match is None or match["key"] not in _FIELDS:
            raise DataError(
                f"{source}:{number}",
                f"header line is not '# {{{'|'.join(_FIELDS)}}}: ...' or an indented continuation",
            )
        entries.append((match["key"], match["rest"] or "", [match["value"].strip()], number))
    fields: dict[str, str] = {}
    params: list[Param] = []
    for key, qualifier, parts, number in entries:
        value = " ".join(part for part in parts if part)
        if key == "param":
            params.append(_param(qualifier, value, f"{source}:{number}"))
            continue
        if qualifier:
            raise DataError(f"{source}:{number}", f"'{key}' takes no qualifier before the colon")
        if key in fields:
            raise DataError(f"{source}:{number}", f"'{key}' is given twice")
        fields[key] = value
    stem = file_name.removesuffix(".rq")
    if fields.get("name") != stem:
        raise DataError(
            source, f"header name {fields.get('name')!r} differs from the file name {stem!r}"
        )
    for key in ("title", "description"):
        if not fields.get(key):
            raise DataError(source, f"header has no '# {key}:' line")
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    names = [param.name for param in params]
    for name in names:
        if names.count(name) > 1:
            raise DataError(source, f"parameter {name!r} is declared twice")
        if not re.search(rf"[?$]{name}\b", body):
            raise DataError(source, f"parameter {name!r} is not a variable of the query")
    return SavedQuery(
        name=stem,
        title=fields["title"],
        description=fields["description"],
        params=tuple(params),
        text=text,
        source=source,
    )


def _param(declared: str, meaning: str, where: str) -> Param:
    match = _PARAM.match(declared)
    if match is None:
        raise DataError(where, f"parameter {declared!r} is not 'NAME' or 'NAME (KIND)'")
    kind = match["kind"]
    if kind is not None and kind not in KINDS:
        raise DataError(where, f"parameter kind {kind!r} is not one of {', '.join(KINDS)}")
    if not meaning:
        raise DataError(where, f"parameter {match['name']!r} has no meaning after the colon")
    required = not meaning.endswith(_OPTIONAL)
    meaning = meaning.removesuffix(_OPTIONAL).rstrip() or meaning
    return Param(match["name"], kind, meaning, required)


_KIND_OF_PYTHON = {bool: None, int: "integer", date: "date", datetime: None}


def bound_term(value: object, kind: str | None) -> Node:
    """The term bound for one value of a parameter of `kind`."""
    if isinstance(value, Node):
        return value
    if isinstance(value, str):
        return to_term(value, kind)
    if isinstance(value, bool | int | float | Decimal | date | datetime):
        if kind == "IRI":
            raise QueryError(f"{value!r} is not an IRI")
        if kind == "text":
            return Literal(str(value))
        if kind is not None and _KIND_OF_PYTHON.get(type(value)) != kind:
            raise QueryError(f"{value!r} is not of kind {kind}")
        return Literal(value)
    raise QueryError(
        f"{value!r} ({type(value).__name__}) is not text, a number, a date or an rdflib term"
    )


def _iri(text: str) -> URIRef | None:
    """The IRI `text` is written as, or None when it does not look like one."""
    bracketed = _IRI_IN_BRACKETS.match(text)
    if bracketed:
        return URIRef(bracketed[1])
    if _ABSOLUTE_IRI.match(text):
        return URIRef(text)
    prefixed = _PREFIXED_NAME.match(text)
    if prefixed:
        prefix, local = prefixed["prefix"], prefixed["local"]
        if prefix == "sco":
            if f"{SCO._NS}{local}" not in SCO:
                raise QueryError(f"sco:{local} is not a term of the sco-graph ontology")
            return URIRef(f"{SCO._NS}{local}")
        namespaces = ALL_PREFIXES
        if prefix in namespaces:
            return URIRef(f"{namespaces[prefix]}{local}")
        return None
    path = _INSTANCE_PATH.match(text)
    if path and path["kind"] in INSTANCE_PREFIXES:
        return URIRef(f"{BASE}{text}")
    return None
