"""The knowledge graph: the one module through which the graph is built and read.

A `KnowledgeGraph` wraps an rdflib `Dataset` (any graph-aware store: the
in-memory default, or `"Oxigraph"` through oxrdflib) laid out as
ontologies/sco.ttl describes:

- one named graph per article, named by the article's IRI, holding everything
  read from it: the article node, one `sco:MentionSet` per entity it mentions,
  the relation triples, one `sco:Fact` (with its evidence) per relation and
  one `org:Membership` per post. Re-adding an article replaces its graph;
  removing it drops the graph.
- one shared graph, `ENTITIES_GRAPH`, with one description per entity (type,
  label, altLabels, owl:sameAs, mention count) and the labels of roles. It is
  a function of the mention sets alone, recomputed for the entities an
  article touches, so the result does not depend on the order articles arrive.

Nothing outside this module touches the Dataset, so the store can change
without touching callers. Serialisations are canonical (sorted, no blank
nodes minted here), so building the same graph twice gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import NamespaceManager
from rdflib.plugins.serializers.trig import TrigSerializer
from rdflib.query import Result
from rdflib.term import Node

from sco_graph.atomic import write_bytes
from sco_graph.errors import GraphFormatError, QueryError
from sco_graph.iri import BASE, mint
from sco_graph.resources import ontology_file
from sco_graph.types import ArticleExtraction, Entity, EntityType, Fact, Predicate
from sco_graph.vocab import (
    DCTERMS,
    INSTANCE_PREFIXES,
    ORG,
    OWL,
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    SCO,
    SKOS,
    WD,
    XSD,
    class_of,
    property_of,
    type_of,
)

ENTITIES_GRAPH = mint("graph", "entities")
"""Name of the shared graph of entity and role descriptions."""

CANONICAL_FILE = "graph.trig"
"""What `save` writes into a build folder: every named graph, in TriG."""

RDF_FORMATS: dict[str, str] = {
    "ttl": "turtle",
    "nt": "nt",
    "jsonld": "json-ld",
    "trig": "trig",
    "nq": "nquads",
}
"""Our RDF format names -> rdflib's. trig and nq keep the named graphs."""

_EXTENSIONS: dict[str, str] = {
    ".ttl": "ttl",
    ".turtle": "ttl",
    ".nt": "nt",
    ".jsonld": "jsonld",
    ".json": "jsonld",
    ".trig": "trig",
    ".nq": "nq",
}
# Looked for in this order in a build folder: named graphs first.
_FOLDER_FILES = ("graph.trig", "graph.nq", "graph.ttl", "graph.nt", "graph.jsonld")
_QUAD_FORMATS = frozenset({"trig", "nq"})
_WIKIDATA_ID = re.compile(r"^Q[1-9][0-9]*$")
_TYPE_ORDER = {t: i for i, t in enumerate(EntityType)}


def entity_iri(entity: Entity) -> URIRef:
    """The IRI an entity gets when no resolution says otherwise: its type and name.

    >>> from sco_graph.types import Entity, EntityType
    >>> str(entity_iri(Entity("kz", EntityType.COUNTRY, "Kazakhstan")))
    'https://w3id.org/sco-graph/country/kazakhstan'
    """
    return mint(entity.type.value.lower(), entity.name)


def article_iri(key: str) -> URIRef:
    """The IRI of an article (and of its named graph), from `Article.key`."""
    return mint("article", key)


def role_iri(role: str) -> URIRef:
    """The IRI of the org:Role of a post named `role`."""
    return mint("role", role)


@dataclass(frozen=True, slots=True)
class Summary:
    """Counts for a build summary."""

    articles: int
    entities: dict[str, int]  # by type name, every type present, in EntityType order
    facts: int
    triples: int  # distinct triples of the flattened graph


@dataclass(frozen=True, slots=True)
class EntityCount:
    """An entity and how often the corpus mentions it."""

    iri: str
    label: str
    type: str
    mentions: int


@dataclass(frozen=True, slots=True)
class Violation:
    """One SHACL result: which node, which property, what is wrong."""

    focus: str
    path: str  # "" for a node-level constraint
    message: str
    shape: str  # IRI of the shape or SPARQL constraint violated, "" when anonymous


class KnowledgeGraph:
    """The corpus graph: articles added and removed one at a time, read by SPARQL."""

    def __init__(self, store: str = "default") -> None:
        self._ds = _new_dataset(store)
        # Entities and roles whose description is stale; recomputed on the next read.
        self._dirty_entities: set[URIRef] = set()
        self._dirty_roles: set[URIRef] = set()

    # -- building ---------------------------------------------------------

    def add_article(
        self, extraction: ArticleExtraction, iris: Mapping[str, URIRef] | None = None
    ) -> URIRef:
        """Add (or replace) one article's named graph; return the article IRI.

        `iris` maps each entity key of the extraction to its corpus-wide IRI
        (the resolver's answer); it must cover every entity. Without it, each
        entity gets `entity_iri(entity)`: its type and normalised name.
        """
        article = extraction.article
        iri = article_iri(article.key)
        identities = _identities(extraction, iris)
        triples = _article_triples(extraction, identities)
        self._drop(iri)
        graph = self._ds.graph(iri)
        graph.addN((s, p, o, graph) for s, p, o in triples)
        self._dirty_entities.update(identities.values())
        self._dirty_roles.update(o for _, p, o in triples if p == ORG.role)
        return iri

    def remove_article(self, key: str) -> bool:
        """Drop an article and everything read from it; False when it was not there."""
        iri = article_iri(key)
        present = (iri, RDF.type, SCO.Article) in self._ds.get_context(iri)
        self._drop(iri)
        return present

    def article_keys(self) -> list[str]:
        """Keys (`source#index`) of the articles in the graph, sorted."""
        return sorted({str(key) for key in self._ds.objects(None, SCO.articleKey)})

    def rebuild_entities(self) -> None:
        """Recompute the whole entities graph from the article graphs."""
        self._ds.remove_graph(ENTITIES_GRAPH)
        self._dirty_entities = {
            e for e in self._ds.objects(None, SCO.entity) if isinstance(e, URIRef)
        }
        self._dirty_roles = {r for r in self._ds.objects(None, ORG.role) if isinstance(r, URIRef)}
        self._refresh()

    def _drop(self, graph_iri: URIRef) -> None:
        """Remove a named graph, marking what it described for recomputation."""
        old = self._ds.get_context(graph_iri)
        self._dirty_entities.update(
            e for e in old.objects(None, SCO.entity) if isinstance(e, URIRef)
        )
        self._dirty_roles.update(r for r in old.objects(None, ORG.role) if isinstance(r, URIRef))
        self._ds.remove_graph(graph_iri)

    def _refresh(self) -> None:
        """Bring the entities graph up to date with the article graphs."""
        if not self._dirty_entities and not self._dirty_roles:
            return
        shared = self._ds.graph(ENTITIES_GRAPH)
        for node in sorted(self._dirty_entities | self._dirty_roles):
            shared.remove((node, None, None))
        triples: list[tuple[Node, Node, Node]] = []
        for entity in sorted(self._dirty_entities):
            triples.extend(self._describe_entity(entity))
        for role in sorted(self._dirty_roles):
            triples.extend(self._describe_role(role))
        shared.addN((s, p, o, shared) for s, p, o in triples)
        self._dirty_entities.clear()
        self._dirty_roles.clear()

    def _describe_entity(self, entity: URIRef) -> list[tuple[Node, Node, Node]]:
        """The entity's one description, from every article's mention set of it."""
        mention_sets = set(self._ds.subjects(SCO.entity, entity))
        if not mention_sets:
            return []
        names: Counter[str] = Counter()
        name_mentions: Counter[str] = Counter()
        types: Counter[EntityType] = Counter()
        type_mentions: Counter[EntityType] = Counter()
        items: Counter[URIRef] = Counter()
        forms: set[str] = set()
        total = 0
        for mention_set in mention_sets:
            count = _integer(self._ds.value(mention_set, SCO.mentionCount))
            total += count
            for name in {str(n) for n in self._ds.objects(mention_set, SCO.name)}:
                names[name] += 1
                name_mentions[name] += count
            for cls in set(self._ds.objects(mention_set, SCO.entityType)):
                entity_type = type_of(cls) if isinstance(cls, URIRef) else None
                if entity_type is not None:
                    types[entity_type] += 1
                    type_mentions[entity_type] += count
            items.update(
                {
                    i
                    for i in self._ds.objects(mention_set, SCO.wikidataItem)
                    if isinstance(i, URIRef)
                }
            )
            forms.update(str(f) for f in self._ds.objects(mention_set, SCO.surfaceForm))
        # The rules are spelled out in sco.ttl (sco:name, sco:entityType).
        label = min(names, key=lambda n: (-names[n], -name_mentions[n], -len(n), n))
        triples: list[tuple[Node, Node, Node]] = [
            (entity, RDFS.label, Literal(label)),
            (entity, SCO.mentionCount, Literal(total, datatype=XSD.integer)),
        ]
        if types:
            best = min(types, key=lambda t: (-types[t], -type_mentions[t], _TYPE_ORDER[t]))
            triples.append((entity, RDF.type, class_of(best)))
        if items:
            item = min(items, key=lambda i: (-items[i], str(i)))
            triples.append((entity, OWL.sameAs, item))
        for alias in sorted((forms | set(names)) - {label}):
            triples.append((entity, SKOS.altLabel, Literal(alias)))
        return triples

    def _describe_role(self, role: URIRef) -> list[tuple[Node, Node, Node]]:
        """A role's one label: the spelling most facts of its posts use."""
        spellings: Counter[str] = Counter()
        for post in set(self._ds.subjects(ORG.role, role)):
            for fact in set(self._ds.objects(post, PROV.wasDerivedFrom)):
                spellings.update({str(r) for r in self._ds.objects(fact, SCO.role)})
        if not spellings:
            return []
        label = min(spellings, key=lambda s: (-spellings[s], s))
        return [(role, RDF.type, ORG.Role), (role, RDFS.label, Literal(label))]

    # -- reading ----------------------------------------------------------

    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> Result:
        """Run SPARQL over the union of all graphs; the usual prefixes are pre-declared.

        `bindings` gives variables a value before the query runs (rdflib's
        initBindings): pass a `URIRef` for an IRI, any other value becomes a
        literal. On the Oxigraph store a bound variable must be in the SELECT.
        """
        self._refresh()
        initial = {
            name: value if isinstance(value, Node) else Literal(value)
            for name, value in (bindings or {}).items()
        }
        try:
            result = self._ds.query(sparql, initNs=PREFIXES, initBindings=initial)
            if result.type == "SELECT":
                result.bindings  # noqa: B018  -- run it now, so errors are raised here
        except Exception as error:  # rdflib and Oxigraph raise many kinds for a bad query
            raise QueryError(_query_message(error)) from None
        return result

    def article_graph(self, key: str) -> Graph:
        """A copy of one article's named graph (empty when the article is not there)."""
        return _sorted_graph(self._ds.get_context(article_iri(key)).triples((None, None, None)))

    def union_graph(self) -> Graph:
        """A copy of all graphs flattened into one, its triples inserted in sorted order."""
        self._refresh()
        return _sorted_graph(self._ds.triples((None, None, None)))

    def dataset(self) -> Dataset:
        """A copy of the dataset (named graphs kept, default graph = their union), for readers
        such as the SPARQL endpoint; changing it does not change the graph."""
        return self._sorted_dataset()

    def quads(self) -> Iterator[tuple[Node, Node, Node, URIRef | None]]:
        """Every (s, p, o, graph name) of the dataset; None for the default graph."""
        self._refresh()
        for s, p, o, graph in self._ds.quads((None, None, None, None)):
            name = graph.identifier if isinstance(graph, Graph) else graph
            s, p, o = _canonical((s, p, o))
            yield s, p, o, None if name in (None, DATASET_DEFAULT_GRAPH_ID) else name

    def summary(self) -> Summary:
        """Articles, entities by type, facts and distinct triples."""
        self._refresh()
        entities = {t.value: len(set(self._ds.subjects(RDF.type, class_of(t)))) for t in EntityType}
        return Summary(
            articles=len(self.article_keys()),
            entities=entities,
            facts=len(set(self._ds.subjects(RDF.type, SCO.Fact))),
            triples=len(self._ds),
        )

    def top_entities(self, limit: int = 10) -> list[EntityCount]:
        """The most mentioned entities, most first (ties by label, then IRI)."""
        self._refresh()
        found = []
        for entity_type in EntityType:
            for entity in set(self._ds.subjects(RDF.type, class_of(entity_type))):
                label = self._ds.value(entity, RDFS.label)
                found.append(
                    EntityCount(
                        iri=str(entity),
                        label=str(label) if label is not None else str(entity),
                        type=entity_type.value,
                        mentions=_integer(self._ds.value(entity, SCO.mentionCount)),
                    )
                )
        found.sort(key=lambda e: (-e.mentions, e.label, e.iri))
        return found[:limit]

    def validate(self) -> tuple[Violation, ...]:
        """Check the flattened graph against ontologies/shapes.ttl; () when it conforms."""
        return validate_graph(self.union_graph())

    def __len__(self) -> int:
        """Distinct triples of the flattened graph."""
        self._refresh()
        return len(self._ds)

    # -- files ------------------------------------------------------------

    def serialize(self, fmt: str) -> bytes:
        """The graph in one of `RDF_FORMATS`, canonical: same graph, same bytes.

        ttl, nt and jsonld hold the flattened union; trig and nq keep the
        named graphs. N-Triples and N-Quads lines are sorted.
        """
        if fmt not in RDF_FORMATS:
            raise GraphFormatError(
                f"unknown RDF format {fmt!r} (valid: {', '.join(sorted(RDF_FORMATS))})"
            )
        self._refresh()
        if fmt == "trig":
            stream = io.BytesIO()
            _SortedTrigSerializer(self._sorted_dataset()).serialize(stream, encoding="utf-8")
            return stream.getvalue()
        if fmt == "nq":
            data = self._sorted_dataset().serialize(format="nquads", encoding="utf-8")
            return _sorted_lines(data)
        union = self.union_graph()
        if fmt == "nt":
            return _sorted_lines(union.serialize(format="nt", encoding="utf-8"))
        if fmt == "jsonld":
            return union.serialize(
                format="json-ld", encoding="utf-8", context=_used_prefixes(union), indent=2
            )
        return union.serialize(format="turtle", encoding="utf-8")

    def save(self, folder: str | Path) -> Path:
        """Write the canonical form (all named graphs, TriG) into `folder`; return the file."""
        return write_bytes(Path(folder) / CANONICAL_FILE, self.serialize("trig"))

    @classmethod
    def load(cls, path: str | Path, store: str = "default") -> KnowledgeGraph:
        """Read a build folder or an RDF file (.ttl, .nt, .jsonld, .trig, .nq).

        A folder is read from its graph.trig (else graph.nq, graph.ttl,
        graph.nt, graph.jsonld). Flat formats (Turtle, N-Triples, JSON-LD)
        have no named graphs: their triples go to the default graph, where
        they can be queried but not replaced article by article.
        """
        file = _graph_file(Path(path))
        fmt = _EXTENSIONS.get(file.suffix.lower())
        if fmt is None:
            raise GraphFormatError(
                f"{file}: unknown graph file extension {file.suffix!r} "
                f"(expected one of {', '.join(sorted(_EXTENSIONS))})"
            )
        graph = cls(store)
        try:
            graph._ds.parse(file, format=RDF_FORMATS[fmt])
        except Exception as error:  # each rdflib parser raises its own kinds
            raise GraphFormatError(f"{file}: not valid {fmt} ({_one_line(error)})") from None
        return graph

    def _sorted_dataset(self) -> Dataset:
        """A copy of the dataset with graphs and triples inserted in sorted order."""
        by_graph: dict[URIRef | None, set[tuple[Node, Node, Node]]] = defaultdict(set)
        for s, p, o, name in self.quads():
            by_graph[name].add(_canonical((s, p, o)))
        copy = _new_dataset("default")
        for name in sorted(by_graph, key=lambda n: (n is None, str(n))):
            graph = copy.default_graph if name is None else copy.graph(name)
            graph.addN((s, p, o, graph) for s, p, o in sorted(by_graph[name], key=_sort_key))
        return copy


def validate_graph(data: Graph) -> tuple[Violation, ...]:
    """Check a graph against ontologies/shapes.ttl; () when it conforms, else sorted violations."""
    import pyshacl  # slow to import; only validation needs it

    shapes = Graph().parse(ontology_file("shapes.ttl"), format="turtle")
    conforms, report, _ = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", allow_warnings=True
    )
    if conforms:
        return ()
    sh = "http://www.w3.org/ns/shacl#"
    violations = set()
    for result in report.subjects(RDF.type, URIRef(sh + "ValidationResult")):
        # A SPARQL constraint is named by sh:sourceConstraint, any other by its shape.
        shape = report.value(result, URIRef(sh + "sourceConstraint"))
        if not isinstance(shape, URIRef):
            shape = report.value(result, URIRef(sh + "sourceShape"))
        violations.add(
            Violation(
                focus=str(report.value(result, URIRef(sh + "focusNode"))),
                path=_node_text(report.value(result, URIRef(sh + "resultPath"))),
                message=str(report.value(result, URIRef(sh + "resultMessage")) or ""),
                shape=str(shape) if isinstance(shape, URIRef) else "",
            )
        )
    return tuple(sorted(violations, key=lambda v: (v.focus, v.path, v.shape, v.message)))


# -- turning an extraction into triples -----------------------------------


def _identities(
    extraction: ArticleExtraction, iris: Mapping[str, URIRef] | None
) -> dict[str, URIRef]:
    """Entity key -> IRI for every entity of the article."""
    key = extraction.article.key
    identities: dict[str, URIRef] = {}
    for entity in extraction.entities:
        if entity.key in identities:
            raise ValueError(f"article {key}: entity key {entity.key!r} is used twice")
        if iris is None:
            identities[entity.key] = entity_iri(entity)
        elif entity.key in iris:
            identities[entity.key] = URIRef(iris[entity.key])
        else:
            raise ValueError(f"article {key}: no IRI given for entity {entity.key!r}")
    return identities


def _article_triples(
    extraction: ArticleExtraction, identities: Mapping[str, URIRef]
) -> list[tuple[Node, Node, Node]]:
    article = extraction.article
    iri = article_iri(article.key)
    triples: list[tuple[Node, Node, Node]] = [
        (iri, RDF.type, SCO.Article),
        (iri, SCO.articleKey, Literal(article.key)),
        (iri, DCTERMS.source, Literal(article.source)),
        (iri, SCO.position, Literal(article.index, datatype=XSD.integer)),
    ]
    if article.title:
        triples.append((iri, DCTERMS.title, Literal(article.title)))
    if article.date is not None:
        triples.append((iri, DCTERMS.date, _date(article.date)))
    by_iri: dict[URIRef, list[Entity]] = defaultdict(list)
    for entity in extraction.entities:
        by_iri[identities[entity.key]].append(entity)
    for entity_iri_, entities in by_iri.items():
        triples.append((iri, SCO.mentions, entity_iri_))
        triples.extend(_mention_set(article.key, iri, entity_iri_, entities))
    for fact in extraction.facts:
        triples.extend(_fact_triples(article.key, iri, fact, identities))
    return triples


def _mention_set(
    key: str, article: URIRef, entity: URIRef, entities: list[Entity]
) -> list[tuple[Node, Node, Node]]:
    """How the article names one entity (several local entities may share an IRI)."""
    node = mint("mentions", f"{key} {_local_part(entity)}")
    count = sum(len(e.mentions) for e in entities)
    triples: list[tuple[Node, Node, Node]] = [
        (node, RDF.type, SCO.MentionSet),
        (node, SCO.article, article),
        (node, SCO.entity, entity),
        (node, SCO.mentionCount, Literal(count, datatype=XSD.integer)),
    ]
    forms: set[str] = set()
    for e in entities:
        triples.append((node, SCO.name, Literal(e.name)))
        triples.append((node, SCO.entityType, class_of(e.type)))
        forms.update(e.aliases)
        forms.update(m.text for m in e.mentions)
        if e.wikidata is not None:
            if not _WIKIDATA_ID.match(e.wikidata):
                raise ValueError(f"article {key}: entity {e.key!r} has Wikidata id {e.wikidata!r}")
            triples.append((node, SCO.wikidataItem, WD[e.wikidata]))
    triples.extend((node, SCO.surfaceForm, Literal(form)) for form in sorted(forms))
    return triples


def _fact_triples(
    key: str, article: URIRef, fact: Fact, identities: Mapping[str, URIRef]
) -> list[tuple[Node, Node, Node]]:
    for end in (fact.subject, fact.object):
        if end not in identities:
            raise ValueError(f"article {key}: fact {fact.predicate} names unknown entity {end!r}")
    evidence = fact.evidence
    if evidence.article != key:
        raise ValueError(f"article {key}: fact evidence names article {evidence.article!r}")
    subject, obj = identities[fact.subject], identities[fact.object]
    prop = property_of(Predicate(fact.predicate))
    name = _fact_name(key, subject, prop, obj, fact)
    node = mint("fact", name)
    triples: list[tuple[Node, Node, Node]] = [
        (subject, prop, obj),
        (node, RDF.type, SCO.Fact),
        (node, RDF.subject, subject),
        (node, RDF.predicate, prop),
        (node, RDF.object, obj),
        (node, PROV.wasDerivedFrom, article),
        (node, SCO.sentence, Literal(evidence.sentence)),
        (node, SCO.sentenceStart, Literal(evidence.start, datatype=XSD.integer)),
        (node, SCO.sentenceEnd, Literal(evidence.end, datatype=XSD.integer)),
        (node, SCO.rule, Literal(evidence.rule)),
        (node, SCO.confidence, _decimal(evidence.confidence)),
    ]
    if fact.status:
        triples.append((node, SCO.status, Literal(fact.status)))
    if fact.role:
        triples.append((node, SCO.role, Literal(fact.role)))
    if fact.predicate == Predicate.HOLDS_POSITION:
        post = mint("post", name)
        triples += [
            (post, RDF.type, ORG.Membership),
            (post, ORG.member, subject),
            (post, ORG.organization, obj),
            (post, PROV.wasDerivedFrom, node),
        ]
        if fact.role:
            triples.append((post, ORG.role, role_iri(fact.role)))
    return triples


def _fact_name(key: str, subject: URIRef, prop: URIRef, obj: URIRef, fact: Fact) -> str:
    """A name for minting the fact's IRI: its article, predicate and a digest of the rest.

    Two identical facts get one IRI (they are the same statement); any
    difference, even in confidence, gives two.
    """
    e = fact.evidence
    content = [str(subject), str(prop), str(obj), fact.role, fact.status]
    content += [e.sentence, e.start, e.end, e.rule, repr(float(e.confidence))]
    digest = hashlib.sha1(json.dumps(content, ensure_ascii=False).encode("utf-8")).hexdigest()
    return f"{key} {fact.predicate} {digest[:16]}"


def _local_part(iri: URIRef) -> str:
    """`person/xi-jinping` for a minted IRI, the whole IRI otherwise."""
    text = str(iri)
    return text[len(BASE) :] if text.startswith(BASE) else text


def _date(value: dt.date) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)


def _decimal(value: float) -> Literal:
    return Literal(_decimal_text(Decimal(repr(float(value)))), datatype=XSD.decimal)


def _decimal_text(value: Decimal) -> str:
    """XSD 1.0 canonical decimal: "0.9", "1.0", never "1E-7" (not an xsd:decimal)."""
    text = format(value.normalize(), "f")
    return text if "." in text else f"{text}.0"


def _integer(value: Node | None) -> int:
    if isinstance(value, Literal):
        number = value.toPython()
        if isinstance(number, int):
            return number
    return 0


# -- canonical serialisation ----------------------------------------------


class _SortedTrigSerializer(TrigSerializer):
    """rdflib's TriG writer with the named graphs in IRI order (it uses store order)."""

    def __init__(self, store: Dataset) -> None:
        super().__init__(store)
        default = self.default_context
        self.contexts = sorted(
            self.contexts, key=lambda g: (g.identifier == default, str(g.identifier))
        )


def _new_dataset(store: str) -> Dataset:
    dataset = Dataset(store=store, default_union=True)
    dataset.namespace_manager = NamespaceManager(dataset, bind_namespaces="none")
    for prefix, namespace in {**PREFIXES, **INSTANCE_PREFIXES}.items():
        dataset.bind(prefix, namespace)
    return dataset


def _sorted_graph(triples: Iterable[tuple[Node, Node, Node]]) -> Graph:
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in {**PREFIXES, **INSTANCE_PREFIXES}.items():
        graph.bind(prefix, namespace)
    for triple in sorted({_canonical(t) for t in triples}, key=_sort_key):
        graph.add(triple)
    return graph


def _canonical(triple: tuple[Node, Node, Node]) -> tuple[Node, Node, Node]:
    """One spelling per literal, whatever the store returns.

    Oxigraph gives `"x"^^xsd:string` for `"x"` and `"1"` for the decimal
    `"1.0"`; rdflib's Turtle writer turns `"1"^^xsd:decimal` into `1.0`.
    """
    s, p, o = triple
    if isinstance(o, Literal):
        if o.datatype == XSD.string:
            o = Literal(str(o))
        elif o.datatype == XSD.decimal and isinstance(o.value, Decimal):
            o = Literal(_decimal_text(o.value), datatype=XSD.decimal)
    return s, p, o


def _sort_key(triple: tuple[Node, Node, Node]) -> tuple[str, ...]:
    return tuple(term.n3() for term in triple)


def _sorted_lines(data: bytes) -> bytes:
    return b"".join(sorted(set(data.splitlines(keepends=True)) - {b"\n"}))


def _used_prefixes(graph: Graph) -> dict[str, str]:
    """The JSON-LD context: our prefixes that the graph's IRIs use."""
    used = {str(term) for triple in graph for term in triple if isinstance(term, URIRef)}
    prefixes = {**PREFIXES, **INSTANCE_PREFIXES}
    return {
        prefix: namespace
        for prefix, namespace in sorted(prefixes.items())
        if any(iri.startswith(namespace) for iri in used)
    }


# -- files and messages ----------------------------------------------------


def _graph_file(path: Path) -> Path:
    if path.is_dir():
        for name in _FOLDER_FILES:
            if (path / name).is_file():
                return path / name
        raise GraphFormatError(
            f"{path}: no graph file in this folder (expected one of {', '.join(_FOLDER_FILES)})"
        )
    if not path.is_file():
        raise GraphFormatError(f"{path}: no such file or folder")
    return path


def _query_message(error: Exception) -> str:
    """One line that says what is wrong with a query, without a traceback."""
    lineno, col = getattr(error, "lineno", None), getattr(error, "col", None)
    if type(error).__name__ == "ParseException" and lineno is not None:
        what = str(error).split("  (at char")[0]
        return f"SPARQL syntax error at line {lineno}, column {col}: {_one_line(what)}"
    if isinstance(error, SyntaxError):  # pyoxigraph
        return f"SPARQL syntax error: {_one_line(error)}"
    return f"SPARQL query failed: {_one_line(error)}"


def _one_line(error: object) -> str:
    text = " ".join(str(error).split())
    return text or type(error).__name__


def _node_text(node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return str(node)
    return node.n3()
