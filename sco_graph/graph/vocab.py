"""The terms of our ontology (sco_graph/ontologies/sco.ttl) as a closed namespace.

`SCO` lists exactly the terms sco.ttl declares (tests/test_vocab.py checks
that the two agree), and `_fail = True` makes a mistyped term an error
instead of a silently wrong IRI. External vocabularies come from rdflib's own
namespaces (`RDFS`, `SKOS`, `OWL`, `DCTERMS`, `PROV`, `ORG`, `SDO`), re-exported
here so the graph modules import every term from one place.
"""

from __future__ import annotations

from functools import cache

from rdflib import Namespace, URIRef
from rdflib.namespace import (
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SKOS,
    XSD,
    DefinedNamespace,
)

from sco_graph.graph.iri import BASE
from sco_graph.types import EntityType, Predicate

__all__ = [
    "ALL_PREFIXES",
    "DCTERMS",
    "FOAF",
    "INSTANCE_PREFIXES",
    "ONTOLOGY_IRI",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCO",
    "SDO",
    "SKOS",
    "WD",
    "XSD",
    "class_of",
    "predicate_of",
    "property_of",
    "shorten",
    "type_of",
]

ONTOLOGY_IRI = URIRef("https://w3id.org/sco-graph/ontology")
WD = Namespace("http://www.wikidata.org/entity/")
"""Wikidata items: owl:sameAs targets, `WD["Q232"]`."""


class SCO(DefinedNamespace):
    """sco-graph ontology terms (https://w3id.org/sco-graph/ontology#)."""

    _NS = Namespace("https://w3id.org/sco-graph/ontology#")
    _fail = True

    # Classes: the seven entity types and their union.
    Entity: URIRef
    Person: URIRef
    Country: URIRef
    Organization: URIRef
    Document: URIRef
    Initiative: URIRef
    Event: URIRef
    Place: URIRef
    # Classes: what the pipeline read.
    Article: URIRef
    MentionSet: URIRef
    Fact: URIRef
    TimeExpression: URIRef
    FormCount: URIRef

    # Relations (FORMAT.md).
    holdsPosition: URIRef
    memberOf: URIRef
    chairs: URIRef
    proposed: URIRef
    supports: URIRef
    adopted: URIRef
    participatedIn: URIRef
    heldIn: URIRef
    partOf: URIRef
    met: URIRef

    # Articles.
    articleKey: URIRef
    position: URIRef
    mentions: URIRef

    # Mention sets.
    article: URIRef
    entity: URIRef
    mentionCount: URIRef
    name: URIRef
    surfaceForm: URIRef
    entityType: URIRef
    wikidataItem: URIRef

    # Facts and their evidence.
    sentence: URIRef
    sentenceStart: URIRef
    sentenceEnd: URIRef
    rule: URIRef
    confidence: URIRef
    role: URIRef
    status: URIRef

    # Time.
    startDate: URIRef
    endDate: URIRef
    phrase: URIRef
    phraseStart: URIRef
    phraseEnd: URIRef
    granularity: URIRef
    relative: URIRef
    dateOf: URIRef

    # How often each name is used.
    formCount: URIRef
    form: URIRef
    articleCount: URIRef


PREFIXES: dict[str, str] = {
    "sco": str(SCO._NS),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "owl": str(OWL),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "org": str(ORG),
    "schema": str(SDO),
    "foaf": str(FOAF),
    "wd": str(WD),
}
"""Prefixes bound in every serialisation and pre-declared in every query."""

INSTANCE_PREFIXES: dict[str, str] = {
    kind: f"{BASE}{kind}/"
    for kind in (
        *(entity_type.value.lower() for entity_type in EntityType),
        "article",
        "fact",
        "post",
        "role",
        "mentions",
        "graph",
        "time",
        "form",
        "name",
    )
}
"""Prefixes for minted instances, so Turtle reads `person:xi-jinping`."""

ALL_PREFIXES: dict[str, str] = {**PREFIXES, **INSTANCE_PREFIXES}
"""The one table of prefixes: pre-declared in every query (the library, `sco-graph query`
and the SPARQL endpoint), published in the endpoint's service description, bound in
every serialisation, and used to shorten IRIs in text tables. So a name copied from a
table (`person:xi-jinping`) or from the README (`sco:Person`) works everywhere as is."""

def shorten(iri: str, prefixes: dict[str, str] = ALL_PREFIXES) -> str:
    """`iri` as a prefixed name of `prefixes` (the longest namespace wins), else unchanged.

    >>> shorten("https://w3id.org/sco-graph/person/xi-jinping")
    'person:xi-jinping'
    >>> shorten("http://example.org/x")
    'http://example.org/x'
    """
    text = str(iri)
    for prefix, namespace in _longest_first(tuple(prefixes.items())):
        if text.startswith(namespace):
            return f"{prefix}:{text[len(namespace):]}"
    return text


@cache
def _longest_first(prefixes: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    return sorted(prefixes, key=lambda p: (-len(p[1]), p[0]))


_CLASS_OF_TYPE: dict[EntityType, URIRef] = {t: SCO[t.value] for t in EntityType}
_TYPE_OF_CLASS: dict[URIRef, EntityType] = {c: t for t, c in _CLASS_OF_TYPE.items()}
_PROPERTY_OF_PREDICATE: dict[Predicate, URIRef] = {p: SCO[p.value] for p in Predicate}
_PREDICATE_OF_PROPERTY: dict[URIRef, Predicate] = {
    prop: p for p, prop in _PROPERTY_OF_PREDICATE.items()
}


def class_of(entity_type: EntityType) -> URIRef:
    """The ontology class of an entity type: `class_of(EntityType.PERSON) == SCO.Person`."""
    return _CLASS_OF_TYPE[entity_type]


def type_of(cls: URIRef) -> EntityType | None:
    """The entity type of an ontology class, None for any other class."""
    return _TYPE_OF_CLASS.get(cls)


def property_of(predicate: Predicate) -> URIRef:
    """The relation property of a predicate: `property_of(Predicate.MET) == SCO.met`."""
    return _PROPERTY_OF_PREDICATE[predicate]


def predicate_of(prop: URIRef) -> Predicate | None:
    """The predicate of a relation property, None for any other property."""
    return _PREDICATE_OF_PROPERTY.get(prop)
