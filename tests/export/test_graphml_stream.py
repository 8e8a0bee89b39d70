"""The streamed GraphML writer (sco_graph.export.graphml) writes what networkx's writer
writes for the same graph, byte for byte, whatever the records hold."""

from __future__ import annotations

import io
from typing import Any

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st
from networkx.readwrite.graphml import GraphMLWriter

from sco_graph.export.graphml import graphml_id, write_graphml
from sco_graph.graph.projection import EDGE_ATTRIBUTES, NODE_ATTRIBUTES, Projected

# Text XML can hold (no C0 controls but tab and line breaks, no surrogates), with the
# characters XML escapes.
_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\t\n\r&<>\"'"),
    max_size=12,
)
_IRI = st.builds(lambda tail: f"https://w3id.org/sco-graph/person/{tail}",
                 st.text("ab_-. é#", min_size=1, max_size=6)) | st.sampled_from(
    ["urn:x", "http://example.org/a b", "urn:x:a_20b"])
_VALUES = {str: _TEXT | st.just(""), int: st.integers(-5, 10**6),
           float: st.floats(allow_nan=False, allow_infinity=False)}


def _values(schema: dict[str, type]) -> st.SearchStrategy[tuple[Any, ...]]:
    return st.tuples(*(_VALUES[kind] for kind in schema.values()))


@st.composite
def projections(draw: st.DrawFn) -> Projected:
    iris = draw(st.lists(_IRI, unique=True, max_size=6))
    nodes = [(iri, draw(_values(NODE_ATTRIBUTES))) for iri in sorted(iris)]
    edges: dict[tuple[str, str, str], tuple[Any, ...]] = {}
    if iris:
        for _ in range(draw(st.integers(0, 8))):
            ends = (draw(st.sampled_from(iris)), draw(st.sampled_from(iris)))
            edges[(*ends, draw(_IRI))] = draw(_values(EDGE_ATTRIBUTES))
    return Projected(nodes=nodes, edges=[(*key, edges[key]) for key in sorted(edges)])


def _networkx_graphml(parts: Projected) -> bytes:
    """The GraphML of networkx's own writer for the same records: the oracle."""
    def kept(names: dict[str, type], values: tuple[Any, ...]) -> dict[str, Any]:
        return {name: value for name, value in zip(names, values, strict=True)
                if value is not None and value != ""}

    graph = nx.MultiDiGraph()
    graph.add_nodes_from((graphml_id(iri), kept(NODE_ATTRIBUTES, values))
                         for iri, values in parts.nodes)
    graph.add_edges_from((graphml_id(source), graphml_id(target), graphml_id(key),
                          {**kept(EDGE_ATTRIBUTES, values), "iri": key})
                         for source, target, key, values in parts.edges)
    writer = GraphMLWriter(encoding="utf-8", prettyprint=True)
    writer.add_graph_element(graph)
    buffer = io.BytesIO()
    writer.dump(buffer)
    return buffer.getvalue()


def _streamed(parts: Projected) -> bytes:
    buffer = io.BytesIO()
    write_graphml(parts, buffer)
    return buffer.getvalue()


@settings(max_examples=150, deadline=None)
@given(projections())
def test_streamed_graphml_is_what_networkx_writes(parts: Projected) -> None:
    assert _streamed(parts) == _networkx_graphml(parts)


def test_empty_graph_is_what_networkx_writes() -> None:
    empty = Projected(nodes=[], edges=[])
    assert _streamed(empty) == _networkx_graphml(empty)
    assert b'<graph edgedefault="directed" />' in _streamed(empty)


def test_streamed_graphml_reads_back_as_the_records() -> None:
    parts = Projected(
        nodes=[("urn:a", ("Alpha & <b>", "Person", 3, "Q1", "", "", "urn:a")),
               ("urn:b", ("Beta", "Country", 0, "", "", "", "urn:b"))],
        edges=[("urn:a", "urn:b", "urn:f1",
                ("visits", "", "", 0.5, "k#0", 'He said "yes".\n', "r", 1))],
    )
    read = nx.read_graphml(io.BytesIO(_streamed(parts)), force_multigraph=True)
    assert dict(read.nodes["urn:a"]) == {"label": "Alpha & <b>", "type": "Person",
                                         "mentions": 3, "wikidata": "Q1", "iri": "urn:a"}
    ((source, target, data),) = read.edges(data=True)
    assert (source, target) == ("urn:a", "urn:b")
    assert data == {"predicate": "visits", "confidence": 0.5, "article": "k#0",
                    "sentence": 'He said "yes".\n', "rule": "r", "count": 1,
                    "iri": "urn:f1"}
