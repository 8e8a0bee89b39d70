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
from typing import Any, NamedTuple

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


class Projected(NamedTuple):
    """The projection as plain records, before any NetworkX graph is made: what the
    streamed writers (GraphML, CSV) read, a fraction of the graph's memory."""

    nodes: list[tuple[str, tuple[Any, ...]]]
    """(IRI, values in `NODE_ATTRIBUTES` order), sorted by IRI."""
    edges: list[tuple[str, str, str, tuple[Any, ...]]]
    """(source, target, key, values in `EDGE_ATTRIBUTES` order), sorted by the first three."""


def project(graph: KnowledgeGraph) -> nx.MultiDiGraph:
    """The graph's entities, articles, mentions and facts as a MultiDiGraph.

    >>> project(KnowledgeGraph()).number_of_nodes()
    0
    """
    parts = projected(graph)
    result = nx.MultiDiGraph()
    result.add_nodes_from((iri, dict(zip(NODE_ATTRIBUTES, values, strict=True)))
                          for iri, values in parts.nodes)
    result.add_edges_from((source, target, key, dict(zip(EDGE_ATTRIBUTES, values, strict=True)))
                          for source, target, key, values in parts.edges)
    return result


def projected(graph: KnowledgeGraph) -> Projected:
    """The records `project` makes its graph of: every node and edge, sorted.

    The rows are read one at a time, in whatever order the store gives them; where a
    malformed graph has two values for one node or edge (two labels, say), the least
    record wins, so that the result never depends on that order. Strings met again
    (IRIs, article keys, rule names) are kept once.

    >>> projected(KnowledgeGraph())
    Projected(nodes=[], edges=[])
    """
    strings: dict[str, str] = {}

    def share(text: str) -> str:
        return strings.setdefault(text, text)

    nodes: dict[str, dict[str, Any]] = {}

    def described(iri: str, node: dict[str, Any]) -> None:
        known = nodes.get(iri)
        if known is None or tuple(node.values()) < tuple(known.values()):
            nodes[iri] = node

    for row in graph.iter_plain_rows(_ENTITIES):
        iri = share(row["entity"])
        described(iri, _node(
            iri,
            label=_text(row["label"]) or iri,
            type=_local_name(row["type"]),
            mentions=_int(row["mentions"]),
            wikidata=_wikidata(row["item"]),
        ))
    article_keys: dict[str, str] = {}
    for row in graph.iter_plain_rows(_ARTICLES):
        iri = share(row["article"])
        key = share(_text(row["key"]))
        article_keys[iri] = min(article_keys.get(iri, key), key)
        if iri not in nodes or nodes[iri]["type"] == "Article":  # an entity's stays
            described(iri, _node(
                iri,
                label=_text(row["title"]) or key,
                type="Article",
                date=_text(row["date"]),
                source=_text(row["source"]),
            ))

    counts: dict[tuple[str, str], int] = defaultdict(int)
    set_names: dict[tuple[str, str], str] = {}
    for row in graph.iter_plain_rows(_MENTION_SETS):
        pair = (share(row["article"]), share(row["entity"]))
        counts[pair] += _int(row["count"])
        # One mention set per pair in a built graph; the key is its IRI.
        name = str(row["set"])
        set_names[pair] = min(set_names.get(pair, name), name)
    edges: dict[tuple[str, str, str], tuple[Any, ...]] = {}
    for (article, entity), count in counts.items():
        key = (article, entity, set_names[(article, entity)])
        edges[key] = _edge(MENTIONS, article=article_keys.get(article, ""), count=count,
                           confidence=1.0)
    facts: dict[str, tuple[tuple[str, str, str], tuple[Any, ...]]] = {}
    for row in graph.iter_plain_rows(_FACTS):
        fact = str(row["fact"])
        edge = (
            (share(row["subject"]), share(row["object"]), fact),
            _edge(
                share(_local_name(row["predicate"])),
                role=share(_text(row["role"])),
                status=share(_text(row["status"])),
                confidence=_float(row["confidence"]),
                article=share(_text(row["key"])),
                sentence=_text(row["sentence"]),
                rule=share(_text(row["rule"])),
                count=1,
            ),
        )
        known = facts.get(fact)
        if known is None or edge < known:  # a malformed graph with two values of a property
            facts[fact] = edge
    for key, values in facts.values():
        edges[key] = values
    strings.clear()
    for source, target, _ in edges:
        for end in (source, target):
            # An end that is not a described node (a hand-edited graph): keep the edge.
            if end not in nodes:
                nodes[end] = _node(end, label=end)
    for (article, _), count in counts.items():
        nodes[article]["mentions"] += count
    return Projected(
        nodes=[(iri, tuple(nodes[iri].values())) for iri in sorted(nodes)],
        edges=[(*key, edges[key]) for key in sorted(edges)],
    )


def _node(iri: str, **values: Any) -> dict[str, Any]:
    node = {name: kind() for name, kind in NODE_ATTRIBUTES.items()}
    node.update(values, iri=iri)
    return node


def _edge(predicate: str, **values: Any) -> tuple[Any, ...]:
    edge = {name: kind() for name, kind in EDGE_ATTRIBUTES.items()}
    edge.update(values, predicate=predicate)
    return tuple(edge.values())


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
