"""The ontology (sco_graph/ontologies/sco.ttl) and its namespace (sco_graph.graph.vocab) agree."""

from __future__ import annotations

import pytest
from builders import build_sample
from rdflib import Graph, URIRef
from rdflib.collection import Collection

from sco_graph.graph.vocab import (
    OWL,
    RDF,
    RDFS,
    SCO,
    class_of,
    predicate_of,
    property_of,
    type_of,
)
from sco_graph.resources import ontology_file
from sco_graph.types import EntityType, Predicate

# rdflib 7.6 calls its own deprecated Dataset/ConjunctiveGraph API internally.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

DECLARING_TYPES = {
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    RDF.Property,
}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ontology_file("sco.ttl"), format="turtle")


def _declared(ontology: Graph) -> set[URIRef]:
    return {
        s
        for s, t in ontology.subject_objects(RDF.type)
        if t in DECLARING_TYPES and isinstance(s, URIRef)
    }


def _sco_terms() -> set[URIRef]:
    return {SCO[name] for name in SCO.__annotations__}


def test_ontology_parses_and_is_an_owl_ontology(ontology: Graph) -> None:
    assert (URIRef("https://w3id.org/sco-graph/ontology"), RDF.type, OWL.Ontology) in ontology


def test_namespace_and_ontology_declare_the_same_terms(ontology: Graph) -> None:
    in_ontology = {t for t in _declared(ontology) if str(t).startswith(str(SCO._NS))}
    assert in_ontology == _sco_terms()


def test_every_term_has_one_label_and_a_comment(ontology: Graph) -> None:
    for term in _declared(ontology):
        assert len(list(ontology.objects(term, RDFS.label))) == 1, term
        assert ontology.value(term, RDFS.comment) is not None, term


def test_mistyped_term_raises() -> None:
    with pytest.raises(AttributeError):
        SCO.holdsPositon  # noqa: B018


def test_entity_types_and_predicates_map_to_terms() -> None:
    assert [class_of(t) for t in EntityType] == [
        SCO.Person, SCO.Country, SCO.Organization, SCO.Document,
        SCO.Initiative, SCO.Event, SCO.Place,
    ]  # fmt: skip
    assert all(type_of(class_of(t)) is t for t in EntityType)
    assert type_of(SCO.Article) is None
    assert all(predicate_of(property_of(p)) is p for p in Predicate)
    assert property_of(Predicate.HOLDS_POSITION) == SCO.holdsPosition


def _classes(ontology: Graph, node: URIRef) -> set[URIRef]:
    """A class, or the members of an owl:unionOf."""
    union = ontology.value(node, OWL.unionOf)
    return set(Collection(ontology, union)) if union is not None else {node}


# FORMAT.md's table of relations: subject types, object types.
FORMAT_TABLE = {
    "holdsPosition": ({"Person"}, {"Country", "Organization"}),
    "memberOf": ({"Country"}, {"Organization"}),
    "chairs": ({"Country", "Person"}, {"Organization"}),
    "proposed": ({"Person", "Country", "Organization"}, {"Document", "Initiative", "Event"}),
    "supports": ({"Person", "Country", "Organization"}, {"Document", "Initiative", "Organization"}),
    # FORMAT.md says Document; an initiative adopted as an instrument is allowed too
    # (the gold itself types "the SCO initiative on world unity" as both).
    "adopted": ({"Person", "Country", "Organization", "Event"}, {"Document", "Initiative"}),
    "participatedIn": ({"Person", "Country", "Organization"}, {"Event"}),
    "heldIn": ({"Event"}, {"Place", "Country"}),
    "partOf": ({"Organization", "Place"}, {"Organization", "Place", "Country"}),
    "met": ({"Person"}, {"Person"}),
}


@pytest.mark.parametrize("predicate", list(Predicate))
def test_relation_domain_and_range_follow_the_format(ontology: Graph, predicate: Predicate) -> None:
    prop = property_of(predicate)
    domain = _classes(ontology, ontology.value(prop, RDFS.domain))
    range_ = _classes(ontology, ontology.value(prop, RDFS.range))
    subjects, objects = FORMAT_TABLE[predicate.value]
    assert domain == {SCO[name] for name in subjects}
    assert range_ == {SCO[name] for name in objects}


def test_every_term_the_graph_uses_is_declared(ontology: Graph) -> None:
    declared = _declared(ontology)
    union = build_sample().union_graph()
    used = {p for p in union.predicates() if p != RDF.type}
    used |= set(union.objects(None, RDF.type))
    # Objects that are terms: the predicate of a fact, the type an article gave.
    used |= set(union.objects(None, RDF.predicate)) | set(union.objects(None, SCO.entityType))
    assert used - declared == set()


def test_shapes_only_name_declared_terms(ontology: Graph) -> None:
    shapes = Graph().parse(ontology_file("shapes.ttl"), format="turtle")
    named = {
        term
        for triple in shapes
        for term in triple
        if isinstance(term, URIRef) and str(term).startswith(str(SCO._NS))
    }
    assert named <= _sco_terms()
