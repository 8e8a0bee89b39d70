"""The NetworkX view of the graph, computed from the RDF, so the two never disagree.

`project` reads the graph only through SPARQL and returns a
`networkx.MultiDiGraph`:

- nodes: every entity and every article, keyed by IRI, with the attributes
  `label`, `type`, `mentions`, `wikidata`, `date`, `source`, `iri`;
- edges: `mentions` (article -> entity, `count` = mentions in that article)
  and one edge per fact (subject -> object, keyed by the fact's IRI) with
  `predicate`, `role`, `status`, `confidence`, `article`, `sentence`, `rule`.

Every node has every node attribute and every edge every edge attribute,
each name with one Python type and never None (GraphML and GEXF declare one
type per attribute; Gephi and Cytoscape reject None). Nodes and edges are
added in sorted order, so the same RDF gives the same GraphML.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import networkx as nx

from sco_graph.graph.store import KnowledgeGraph
from sco_graph.graph.vocab import SCO, WD
from sco_graph.types import EntityType

NODE_ATTRIBUTES: dict[str, type] = {
    "label": str,
    "type": str,  # an entity type, or "Article"
    "mentions": int,  # entity: in the whole graph; article: all its mentions
    "wikidata": str,  # "Q232", "" when none
    "date": str,  # article: ISO date, "" when none
    "source": str,  # article: file name
    "iri": str,
}
"""Node attribute names and their one type, in column order (CSV)."""

EDGE_ATTRIBUTES: dict[str, type] = {
    "predicate": str,  # "mentions" or one of the ten relations
    "role": str,
    "status": str,
    "confidence": float,
    "article": str,  # Article.key the edge was read from
    "sentence": str,
    "rule": str,
    "count": int,  # mentions: how often the article names the entity; facts: 1
}
"""Edge attribute names and their one type, in column order (CSV)."""

MENTIONS = "mentions"

_ENTITY_CLASSES = ", ".join(f"sco:{t.value}" for t in EntityType)
_ENTITIES = (
    "SELECT DISTINCT ?entity ?type ?label ?mentions ?item WHERE {\n"
    "    ?entity a ?type .\n"
    "    FILTER (?type IN (" + _ENTITY_CLASSES + "))\n"
    "    OPTIONAL { ?entity rdfs:label ?label }\n"
    "    OPTIONAL { ?entity sco:mentionCount ?mentions }\n"
    "    OPTIONAL { ?entity owl:sameAs ?item FILTER STRSTARTS(STR(?item), STR(wd:)) }\n"
    "}"
)

_ARTICLES = """
SELECT DISTINCT ?article ?key ?title ?date ?source WHERE {
    ?article a sco:Article ; sco:articleKey ?key .
    OPTIONAL { ?article dcterms:title ?title }
    OPTIONAL { ?article dcterms:date ?date }
    OPTIONAL { ?article dcterms:source ?source }
}
"""

_MENTION_SETS = """
SELECT DISTINCT ?set ?article ?entity ?count WHERE {
    ?set a sco:MentionSet ; sco:article ?article ; sco:entity ?entity .
    OPTIONAL { ?set sco:mentionCount ?count }
}
"""

_FACTS = """
SELECT DISTINCT ?fact ?subject ?predicate ?object ?role ?status ?confidence ?key
                ?sentence ?rule WHERE {
    ?fact a sco:Fact ; rdf:subject ?subject ; rdf:predicate ?predicate ; rdf:object ?object .
    OPTIONAL { ?fact sco:role ?role }
    OPTIONAL { ?fact sco:status ?status }
    OPTIONAL { ?fact sco:confidence ?confidence }
    OPTIONAL { ?fact sco:sentence ?sentence }
    OPTIONAL { ?fact sco:rule ?rule }
    OPTIONAL { ?fact prov:wasDerivedFrom ?article . ?article sco:articleKey ?key }
}
"""


def project(graph: KnowledgeGraph) -> nx.MultiDiGraph:
    """The graph's entities, articles, mentions and facts as a MultiDiGraph.

    >>> project(KnowledgeGraph()).number_of_nodes()
    0
    """
    nodes: dict[str, dict[str, Any]] = {}
    for row in _rows(graph, _ENTITIES):
        iri = str(row["entity"])
        # Rows come sorted; on a malformed graph with two labels the first one wins.
        nodes.setdefault(
            iri,
            _node(
                iri,
                label=_text(row["label"]) or iri,
                type=_local_name(row["type"]),
                mentions=_int(row["mentions"]),
                wikidata=_wikidata(row["item"]),
            ),
        )
    article_keys: dict[str, str] = {}
    for row in _rows(graph, _ARTICLES):
        iri = str(row["article"])
        key = _text(row["key"])
        article_keys.setdefault(iri, key)
        nodes.setdefault(
            iri,
            _node(
                iri,
                label=_text(row["title"]) or key,
                type="Article",
                date=_text(row["date"]),
                source=_text(row["source"]),
            ),
        )

    edges: list[tuple[str, str, str, dict[str, Any]]] = []
    counts: dict[tuple[str, str], int] = defaultdict(int)
    set_names: dict[tuple[str, str], str] = {}
    for row in _rows(graph, _MENTION_SETS):
        pair = (str(row["article"]), str(row["entity"]))
        counts[pair] += _int(row["count"])
        # One mention set per pair in a built graph; the key is its IRI.
        set_names[pair] = min(set_names.get(pair, str(row["set"])), str(row["set"]))
    for (article, entity), count in counts.items():
        edges.append(
            (
                article,
                entity,
                set_names[(article, entity)],
                _edge(MENTIONS, article=article_keys.get(article, ""), count=count, confidence=1.0),
            )
        )
    seen_facts: set[str] = set()
    for row in _rows(graph, _FACTS):
        fact = str(row["fact"])
        if fact in seen_facts:  # a malformed graph with two values of a property
            continue
        seen_facts.add(fact)
        edges.append(
            (
                str(row["subject"]),
                str(row["object"]),
                fact,
                _edge(
                    _local_name(row["predicate"]),
                    role=_text(row["role"]),
                    status=_text(row["status"]),
                    confidence=_float(row["confidence"]),
                    article=_text(row["key"]),
                    sentence=_text(row["sentence"]),
                    rule=_text(row["rule"]),
                    count=1,
                ),
            )
        )
    for source, target, _, _ in edges:
        for end in (source, target):
            # An end that is not a described node (a hand-edited graph): keep the edge.
            nodes.setdefault(end, _node(end, label=end))
    for (article, _), count in counts.items():
        nodes[article]["mentions"] += count
    result = nx.MultiDiGraph()
    for iri in sorted(nodes):
        result.add_node(iri, **nodes[iri])
    for source, target, key, attributes in sorted(edges, key=lambda e: e[:3]):
        result.add_edge(source, target, key=key, **attributes)
    return result


def _rows(graph: KnowledgeGraph, sparql: str) -> list[dict[str, Any]]:
    # Sorted by the store, so that "first value wins" above is the same on every store.
    return graph.plain_rows(sparql)


def _node(iri: str, **values: Any) -> dict[str, Any]:
    node = {name: kind() for name, kind in NODE_ATTRIBUTES.items()}
    node.update(values, iri=iri)
    return node


def _edge(predicate: str, **values: Any) -> dict[str, Any]:
    edge = {name: kind() for name, kind in EDGE_ATTRIBUTES.items()}
    edge.update(values, predicate=predicate)
    return edge


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _int(value: Any) -> int:
    return int(value) if isinstance(value, int) else 0


def _float(value: Any) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def _wikidata(value: Any) -> str:
    return "" if value is None else str(value)[len(str(WD)) :]


def _local_name(value: Any) -> str:
    """`Person` for sco:Person, `holdsPosition` for sco:holdsPosition."""
    text = _text(value)
    namespace = str(SCO._NS)
    return text[len(namespace) :] if text.startswith(namespace) else text
