"""The NetworkX projection (sco_graph.graph.projection): computed from the RDF, typed, ordered."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from builders import ARTICLE_1, ASTANA, KAZAKHSTAN, SENTENCE_1, SUMMIT, TOKAYEV, XI, build_sample

from sco_graph.graph.iri import mint
from sco_graph.graph.projection import EDGE_ATTRIBUTES, NODE_ATTRIBUTES, project
from sco_graph.graph.store import KnowledgeGraph, article_iri

# rdflib 7.6 calls its own deprecated Dataset/ConjunctiveGraph API internally.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")


@pytest.fixture
def projection() -> nx.MultiDiGraph:
    return project(build_sample())


def test_nodes_are_the_entities_and_articles_by_iri(projection: nx.MultiDiGraph) -> None:
    assert list(projection.nodes) == sorted(
        str(iri)
        for iri in [
            ARTICLE_1,
            article_iri("002_b.txt#0"),
            article_iri("002_b.txt#1"),
            TOKAYEV,
            XI,
            KAZAKHSTAN,
            ASTANA,
            SUMMIT,
            mint("organization", "Shanghai Cooperation Organisation"),
        ]
    )


def test_entity_node_attributes(projection: nx.MultiDiGraph) -> None:
    assert projection.nodes[str(TOKAYEV)] == {
        "label": "Kassym-Jomart Tokayev",
        "type": "Person",
        "mentions": 3,
        "wikidata": "Q305917",
        "date": "",
        "source": "",
        "iri": str(TOKAYEV),
    }
    assert projection.nodes[str(SUMMIT)]["wikidata"] == ""


def test_article_node_attributes(projection: nx.MultiDiGraph) -> None:
    assert projection.nodes[str(ARTICLE_1)] == {
        "label": "Tokayev meets Xi in Astana",
        "type": "Article",
        "mentions": 6,  # 2 Tokayev + 1 Kazakhstan + 2 Xi + 1 Astana
        "wikidata": "",
        "date": "2024-07-04",
        "source": "001_a.txt",
        "iri": str(ARTICLE_1),
    }
    untitled = projection.nodes[str(article_iri("002_b.txt#0"))]
    assert (untitled["label"], untitled["date"]) == ("002_b.txt#0", "")


def test_mentions_edges_count_mentions(projection: nx.MultiDiGraph) -> None:
    edges = projection.get_edge_data(str(ARTICLE_1), str(TOKAYEV))
    assert list(edges.values()) == [
        {
            "predicate": "mentions",
            "role": "",
            "status": "",
            "confidence": 1.0,
            "article": "001_a.txt#0",
            "sentence": "",
            "rule": "",
            "count": 2,
        }
    ]
    assert list(edges) == [str(mint("mentions", "001_a.txt#0 person/kassym-jomart-tokayev"))]


def test_every_fact_is_one_typed_edge(projection: nx.MultiDiGraph) -> None:
    facts = [
        (u, v, data["predicate"])
        for u, v, data in projection.edges(data=True)
        if data["predicate"] != "mentions"
    ]
    assert sorted(facts) == sorted(
        [
            (str(TOKAYEV), str(KAZAKHSTAN), "holdsPosition"),
            (str(TOKAYEV), str(XI), "met"),
            (str(SUMMIT), str(ASTANA), "heldIn"),
            (str(TOKAYEV), str(SUMMIT), "participatedIn"),
            (
                str(KAZAKHSTAN),
                str(mint("organization", "Shanghai Cooperation Organisation")),
                "memberOf",
            ),
        ]
    )
    [(key, post)] = projection.get_edge_data(str(TOKAYEV), str(KAZAKHSTAN)).items()
    assert key.startswith("https://w3id.org/sco-graph/fact/001-a-txt-0-holdsposition-")
    assert post == {
        "predicate": "holdsPosition",
        "role": "President",
        "status": "",
        "confidence": 0.9,
        "article": "001_a.txt#0",
        "sentence": SENTENCE_1,
        "rule": "pattern:title-of-country",
        "count": 1,
    }


def test_no_none_and_one_type_per_attribute(projection: nx.MultiDiGraph) -> None:
    for _, data in projection.nodes(data=True):
        assert list(data) == list(NODE_ATTRIBUTES)
        assert {name: type(value) for name, value in data.items()} == NODE_ATTRIBUTES
    for *_, data in projection.edges(keys=True, data=True):
        assert list(data) == list(EDGE_ATTRIBUTES)
        assert {name: type(value) for name, value in data.items()} == EDGE_ATTRIBUTES


def test_order_is_deterministic_whatever_the_build_order() -> None:
    one = project(build_sample((0, 1, 2)))
    other = project(build_sample((2, 0, 1)))
    assert list(one.nodes(data=True)) == list(other.nodes(data=True))
    assert list(one.edges(keys=True, data=True)) == list(other.edges(keys=True, data=True))
    assert [e[:3] for e in one.edges(keys=True)] == sorted(e[:3] for e in one.edges(keys=True))


def test_projection_of_a_reloaded_file_is_the_same(tmp_path: Path) -> None:
    graph = build_sample()
    (tmp_path / "graph.ttl").write_bytes(graph.serialize("ttl"))
    reloaded = project(KnowledgeGraph.load(tmp_path / "graph.ttl"))
    original = project(graph)
    assert list(reloaded.nodes(data=True)) == list(original.nodes(data=True))
    assert list(reloaded.edges(keys=True, data=True)) == list(original.edges(keys=True, data=True))


def test_removed_article_leaves_the_projection(tmp_path: Path) -> None:
    graph = build_sample()
    graph.remove_article("001_a.txt#0")
    projection = project(graph)
    assert str(ARTICLE_1) not in projection
    assert str(XI) not in projection
    assert projection.nodes[str(TOKAYEV)]["mentions"] == 1
    assert not projection.has_edge(str(TOKAYEV), str(KAZAKHSTAN))


def test_empty_graph_projects_to_an_empty_graph() -> None:
    projection = project(KnowledgeGraph())
    assert (projection.number_of_nodes(), projection.number_of_edges()) == (0, 0)


def test_a_store_on_disk_projects_the_same(tmp_path: Path) -> None:
    on_oxigraph = project(build_sample(location=tmp_path / "store"))
    in_memory = project(build_sample())
    assert list(on_oxigraph.nodes(data=True)) == list(in_memory.nodes(data=True))
    assert list(on_oxigraph.edges(keys=True, data=True)) == list(
        in_memory.edges(keys=True, data=True)
    )


@pytest.mark.parametrize("order", ["reversed", "shuffled"])
def test_the_projection_does_not_depend_on_the_order_rows_come_in(
    order: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store gives rows in no fixed order; a malformed graph (two labels of one
    entity, two confidences of one fact) still projects one way: the least record wins."""
    import random

    from rdflib import Literal, URIRef
    from rdflib.namespace import RDFS

    from sco_graph.graph.projection import projected
    from sco_graph.graph.vocab import SCO

    graph = build_sample()
    fact = next(iter(graph.union_graph().subjects(predicate=SCO.confidence)))
    graph.add_quads([(TOKAYEV, RDFS.label, Literal("A second label"), None),
                     (URIRef(str(fact)), SCO.confidence, Literal(0.01), None)])
    expected = projected(graph)
    reading = graph.iter_plain_rows

    def reordered(sparql: str) -> list[dict[str, object]]:
        rows = list(reading(sparql))
        if order == "reversed":
            rows.reverse()
        else:
            random.Random(7).shuffle(rows)
        return rows

    monkeypatch.setattr(graph, "iter_plain_rows", reordered)
    assert projected(graph) == expected
    labels = {iri: values[0] for iri, values in expected.nodes}
    assert labels[str(TOKAYEV)] == "A second label"  # the least of the two
    confidences = {key: values[3] for _, _, key, values in expected.edges}
    assert confidences[str(fact)] == 0.01


def test_rows_one_at_a_time_are_the_rows_of_plain_rows() -> None:
    from sco_graph.errors import QueryError

    graph = build_sample()
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    key = lambda row: tuple(str(value) for value in row.values())  # noqa: E731
    assert sorted(graph.iter_plain_rows(query), key=key) == sorted(graph.plain_rows(query),
                                                                   key=key)
    with pytest.raises(QueryError):
        list(graph.iter_plain_rows("ASK { ?s ?p ?o }"))
