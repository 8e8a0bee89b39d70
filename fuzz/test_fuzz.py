"""Fuzz targets: the reader, the name normaliser, the IRI minter, the writers, the
SPARQL guard and the endpoint's request parsing. Not run by CI (testpaths is
tests/); see conftest.py for the budget and the README for the command.

Each target states what must hold for *any* input, not for the inputs we
thought of: no exception but the project's own (`InputError` for bytes that
are not text, `QueryError` for a query that cannot be run), and outputs that
other tools read back (IRIs that are IRIs, files that parse again).

The same targets run under atheris (coverage-guided) with
`.venv/bin/python fuzz/atheris_run.py TARGET`.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import _is_valid_uri

from sco_graph.atomic import staged_files
from sco_graph.errors import InputError, QueryError
from sco_graph.export.formats import write_gexf, write_graphml
from sco_graph.graph.iri import BASE, mint, slug
from sco_graph.graph.store import KnowledgeGraph
from sco_graph.graph.vocab import ALL_PREFIXES
from sco_graph.names import normalise
from sco_graph.query import endpoint
from sco_graph.query.endpoint import GRAPH_FORMATS, SOLUTION_FORMATS, negotiate
from sco_graph.query.guard import QueryRunner, prepare_query
from sco_graph.read.reader import clean, decode_text, read_stream, shown
from sco_graph.types import (
    Article,
    ArticleExtraction,
    Entity,
    EntityType,
    Evidence,
    Fact,
    Mention,
    Predicate,
)

# -- inputs ------------------------------------------------------------------------------

# Characters that scraped pages carry and writers choke on, mixed into ordinary text.
TROUBLE = (
    "\x00\x01\x08\x0b\x0c\x1f\x7f\x80\x85\x9f\u00a0\u00ad\u200b\u200c\u200d\u200e\u2028"
    "\u2029\u2060\ufeff\ufdd0\ufffe\uffff\U0001fffe\U0010ffff\ud800\udfff<>&\"'\\{}|^`"
    "\r\n\tАаЁёÄäßİıﬁ①²Ⅻ·•…—–‘’“”«»\u0301\u0308"
)
trouble_text = st.text(
    alphabet=st.one_of(st.characters(), st.sampled_from(TROUBLE)), max_size=60
)
encodings = st.sampled_from(
    ["utf-8", "utf-8-sig", "utf-16", "utf-32", "cp1252", "cp1251", "koi8_r", "latin_1",
     "mac_roman", "cp866", "iso8859_2"]
)  # fmt: skip


@st.composite
def text_bytes(draw: st.DrawFn) -> bytes:
    """Bytes as files arrive: encoded text, cut or damaged, or any bytes at all."""
    if draw(st.booleans()):
        return draw(st.binary(max_size=400))
    data = draw(trouble_text).encode(draw(encodings), errors="ignore")
    if data and draw(st.booleans()):  # cut anywhere, or a byte flipped
        at = draw(st.integers(0, len(data) - 1))
        if draw(st.booleans()):
            data = data[:at]
        else:
            data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]
    return data


# -- the reader ----------------------------------------------------------------------------

_NOT_CLEAN = re.compile(
    "[\r\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2028\u2029\u2060-\u2064\ufeff"
    "\ufdd0-\ufdef\ud800-\udfff\ufffe\uffff]"
)


@given(text_bytes())
def test_reader(data: bytes) -> None:
    """Bytes -> clean text or InputError; warnings one line each."""
    try:
        text, warnings = decode_text(data, "fuzz.txt")
    except InputError as refused:
        assert "\n" not in str(refused)
        return
    assert text.strip()
    assert not _NOT_CLEAN.search(text), repr(text)
    assert not any(ord(ch) & 0xFFFF >= 0xFFFE for ch in text), repr(text)
    assert all("\n" not in warning for warning in warnings)
    assert clean(text) == text  # cleaning twice changes nothing
    assert text.encode("utf-8")  # writable as UTF-8 (no lone surrogate)
    assert read_stream(io.BytesIO(data)).text == text


# -- the name normaliser -----------------------------------------------------------------


INVISIBLE_IN_WORDS = ["\u200b", "\u200c", "\u200d", "\u00ad", "\u2060", "\ufeff"]


@given(trouble_text, st.sampled_from(INVISIBLE_IN_WORDS), st.data())
def test_normaliser(name: str, invisible: str, data: st.DataObject) -> None:
    key = normalise(name)
    assert key == key.strip()
    assert "  " not in key
    assert not key.startswith("the ")
    assert not _NOT_CLEAN.search(key)
    # An invisible character inside the name changes nothing.
    at = data.draw(st.integers(0, len(name)))
    assert normalise(name[:at] + invisible + name[at:]) == key


# -- the IRI minter -------------------------------------------------------------------------

_SEGMENT = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@given(st.sampled_from([*[t.lower() for t in EntityType], "article", "fact", "role"]), trouble_text)
def test_minter(kind: str, name: str) -> None:
    iri = mint(kind, name)
    assert iri.startswith(f"{BASE}{kind}/")
    segment = iri.removeprefix(f"{BASE}{kind}/")
    assert _SEGMENT.fullmatch(segment), segment
    assert len(segment) <= 80 + 11
    assert _is_valid_uri(str(iri))
    assert slug(name) == segment
    # An IRI any RDF reader takes back.
    triple = (iri, URIRef("http://example.org/p"), Literal("x"))
    line = f'<{iri}> <http://example.org/p> "x" .\n'
    assert set(Graph().parse(data=line, format="nt")) == {triple}


@given(trouble_text, trouble_text)
def test_minter_kind(kind: str, name: str) -> None:
    """Any kind: an IRI with an ASCII kind segment, or ValueError when it has no letters."""
    try:
        iri = mint(kind, name)
    except ValueError:
        assert not re.search("[a-z0-9]", kind.lower())
        return
    assert _is_valid_uri(str(iri))
    assert iri.isascii()


# -- the writers ------------------------------------------------------------------------------

label = trouble_text.map(clean).filter(lambda s: bool(s.strip()))


@st.composite
def tiny_extraction(draw: st.DrawFn) -> ArticleExtraction:
    """One article, two entities and a fact, every label fuzzed (as the reader leaves text)."""
    name_a, name_b, sentence, title, role = (draw(label) for _ in range(5))
    # File names reach the graph as the reader shows them (control characters escaped).
    source = shown(draw(st.text(min_size=1, max_size=20)).replace("#", ""))
    assume(source.strip())
    text = f"{title}\n\n{name_a} {sentence} {name_b}."
    start_b = text.rindex(name_b)
    article = Article(source, 0, text, title, dt.date(2024, 7, 4))
    a = Entity("a", EntityType.PERSON, name_a, aliases=(draw(label),),
               mentions=(Mention(name_a, len(title) + 2, len(title) + 2 + len(name_a), 0, "fuzz"),))
    b = Entity("b", EntityType.COUNTRY, name_b,
               mentions=(Mention(name_b, start_b, start_b + len(name_b), 0, "fuzz"),))
    body_start = len(title) + 2
    evidence = Evidence(article.key, text[body_start:], body_start, len(text), draw(label), 0.5)
    predicate = draw(
        st.sampled_from([Predicate.HOLDS_POSITION, Predicate.MET, Predicate.MEMBER_OF])
    )
    fact = Fact("a", predicate, "b", evidence,
                role=role if predicate is Predicate.HOLDS_POSITION else None,
                status=draw(label) if predicate is Predicate.MEMBER_OF else None)  # fmt: skip
    return ArticleExtraction(article, entities=(a, b), facts=(fact,))


@settings(max_examples=max(10, settings.default.max_examples // 10))
@given(tiny_extraction())
def test_writers(extraction: ArticleExtraction) -> None:
    graph = KnowledgeGraph()
    graph.add_article(extraction)
    names = {extraction.entities[0].name, extraction.entities[1].name}
    for fmt, rdflib_format in (("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"),
                               ("trig", "trig"), ("nq", "nquads")):  # fmt: skip
        data = graph.serialize(fmt)
        parsed = Dataset()
        parsed.parse(data=data, format=rdflib_format)
        literals = {str(o) for _, _, o, _ in parsed.quads() if isinstance(o, Literal)}
        assert names <= literals, fmt
    with tempfile.TemporaryDirectory() as folder:
        for write, read in ((write_graphml, nx.read_graphml), (write_gexf, nx.read_gexf)):
            with staged_files() as files:
                path = write(graph, Path(folder) / f"graph.{write.__name__}", files)
            ET.parse(path)  # well-formed XML
            projected = read(path)
            assert projected.number_of_nodes() >= 2


# -- the SPARQL guard -------------------------------------------------------------------------

SPARQL_WORDS = (
    "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "{", "}", "?s", "?p", "?o", "*", ".",
    ";", ",", "(", ")", "FILTER", "OPTIONAL", "UNION", "MINUS", "GRAPH", "SERVICE", "SILENT",
    "FROM", "NAMED", "<http://example.org/a>", "<file:///etc/hostname>", "sco:Person",
    "rdfs:label", "a", "\"x\"", "\"x\"@en", "1", "1.5e3", "true", "LIMIT", "OFFSET", "ORDER BY",
    "GROUP BY", "HAVING", "COUNT", "DISTINCT", "AS", "BIND", "VALUES", "UNDEF", "EXISTS", "NOT",
    "IN", "STR", "REGEX", "LANG", "PREFIX", "ex:", "BASE", "INSERT", "DELETE", "DATA", "LOAD",
    "CLEAR", "DROP", "ALL", "/", "|", "^", "+", "?", "!", "=", "<", ">", "&&", "||", "#", "\n",
    "_:b", "[]", "SUBSTR", "CONCAT", "GROUP_CONCAT", "SEPARATOR", "IRI", "BNODE", "NOW", "RAND",
    "xsd:integer", "^^", "COALESCE", "IF", "SAMPLE", "MAX", "SUM", "AVG",
)  # fmt: skip
sparql = st.one_of(
    st.lists(st.sampled_from(SPARQL_WORDS), max_size=30).map(" ".join),
    st.text(max_size=80),
    st.tuples(st.lists(st.sampled_from(SPARQL_WORDS), max_size=20), trouble_text).map(
        lambda parts: " ".join(parts[0]) + parts[1]
    ),
)


def _tiny_graph() -> Dataset:
    ds = Dataset(default_union=True)
    g = ds.graph(URIRef("http://example.org/g"))
    for i in range(3):
        g.add((URIRef(f"http://example.org/{i}"), URIRef("http://example.org/p"), Literal(i)))
    return ds


_RUNNER = QueryRunner(_tiny_graph(), timeout=5, max_results=50, isolate=False,
                      prefixes=ALL_PREFIXES)  # fmt: skip


@given(sparql)
def test_guard(text: str) -> None:
    """Any text: a query, or a QueryError (never another exception)."""
    try:
        prepare_query(text, {URIRef("http://example.org/g")}, prefixes=ALL_PREFIXES)
    except QueryError as refused:
        assert "\n" not in str(refused)
    try:
        _RUNNER.run(text, lambda form: negotiate(
            SOLUTION_FORMATS if form in ("SELECT", "ASK") else GRAPH_FORMATS, None))
    except QueryError as refused:
        assert "\n" not in str(refused)


# -- the endpoint's request parsing -----------------------------------------------------------


@given(st.binary(max_size=200), st.text(max_size=60), st.text(max_size=60))
def test_request_parsing(form: bytes, content_type: str, host: str) -> None:
    """Forms, Content-Type and Host headers: parsed, or refused with a reason (never a crash)."""
    for parse, value in ((endpoint._parse_form, form), (endpoint._content_type, content_type),
                         (endpoint._host_name, host)):  # fmt: skip
        try:
            if parse is endpoint._parse_form:
                parse(value, "fuzz")
            else:
                parse(value)
        except endpoint._HttpProblem as problem:
            assert 400 <= problem.status < 500
            assert "\n" not in str(problem)
