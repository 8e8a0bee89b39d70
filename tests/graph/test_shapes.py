"""SHACL shapes (sco_graph/ontologies/shapes.ttl): built graphs conform, broken ones reported."""

from __future__ import annotations

import datetime as dt

import pytest
from builders import (
    ARTICLE_1,
    ASTANA,
    IRIS_2,
    KAZAKHSTAN,
    TOKAYEV,
    XI,
    article_1,
    article_2,
    article_3,
    build_sample,
)
from rdflib import Graph, Literal, URIRef

from sco_graph.graph import vocab
from sco_graph.graph.iri import mint
from sco_graph.graph.store import KnowledgeGraph, Violation, validate_graph
from sco_graph.graph.vocab import DCTERMS, RDF, RDFS, SCO
from sco_graph.resources import ontology_file
from sco_graph.types import Article, ArticleExtraction, Evidence, Fact, Predicate

# rdflib 7.6 calls its own deprecated Dataset/ConjunctiveGraph API internally.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

SHAPE = "https://w3id.org/sco-graph/shapes#"


def _focus_shapes(violations: tuple[Violation, ...]) -> set[tuple[str, str]]:
    return {(v.focus, v.shape.removeprefix(SHAPE)) for v in violations}


def test_shapes_file_parses() -> None:
    shapes = Graph().parse(ontology_file("shapes.ttl"), format="turtle")
    assert len(shapes) > 100


def test_built_graph_conforms() -> None:
    assert build_sample().validate() == ()


def test_empty_graph_conforms() -> None:
    assert KnowledgeGraph().validate() == ()


def test_broken_graph_is_reported_with_the_right_focus_nodes() -> None:
    graph = build_sample()
    # heldIn from a Person, through the API: the pipeline would never type-check this.
    broken = article_2()
    sentence = "The SCO summit was held in Astana."
    evidence = Evidence(broken.article.key, sentence, 0, len(sentence), "test", 0.5)
    graph.add_article(
        ArticleExtraction(
            broken.article,
            broken.entities,
            (*broken.facts, Fact("tokayev_2", Predicate.HELD_IN, "astana", evidence)),
        ),
        IRIS_2,
    )
    data = graph.union_graph()
    # An entity with two labels, and a fact without evidence, written by hand.
    data.add((XI, RDFS.label, Literal("Xi")))
    bare = URIRef("https://example.org/bare-fact")
    data.add((bare, RDF.type, SCO.Fact))
    data.add((bare, RDF.subject, TOKAYEV))
    data.add((bare, RDF.predicate, SCO.met))
    data.add((bare, RDF.object, XI))

    violations = validate_graph(data)
    assert _focus_shapes(violations) == {
        (str(XI), "EntityLabel"),
        (str(bare), "FactArticle"),
        (str(bare), "FactSentence"),
        (str(bare), "FactStart"),
        (str(bare), "FactEnd"),
        (str(bare), "FactRule"),
        (str(bare), "FactConfidence"),
        (str(TOKAYEV), "HeldInSubject"),
    }
    [label] = [v for v in violations if v.shape == SHAPE + "EntityLabel"]
    assert (label.path, label.message) == (str(RDFS.label), "an entity has exactly one rdfs:label")
    [held_in] = [v for v in violations if v.shape == SHAPE + "HeldInSubject"]
    assert held_in.message == "heldIn: the subject must be an Event"


def test_wrong_object_type_and_bad_evidence_values_are_reported() -> None:
    data = build_sample().union_graph()
    [fact] = data.subjects(RDF.predicate, SCO.holdsPosition)
    data.set((fact, SCO.confidence, Literal("1.5", datatype=vocab.XSD.decimal)))
    data.set((fact, SCO.sentenceStart, Literal(500, datatype=vocab.XSD.integer)))
    data.add((TOKAYEV, SCO.holdsPosition, ASTANA))
    data.set((ARTICLE_1, DCTERMS.date, Literal("4 July 2024")))
    assert _focus_shapes(validate_graph(data)) == {
        (str(fact), "FactConfidence"),
        (str(fact), "FactStart"),  # start after end
        (str(ASTANA), "HoldsPositionObject"),
        (str(ARTICLE_1), "ArticleDate"),
    }


def test_fact_whose_triple_is_missing_is_reported() -> None:
    data = build_sample().union_graph()
    data.remove((TOKAYEV, SCO.met, XI))
    [fact] = data.subjects(RDF.predicate, SCO.met)
    assert _focus_shapes(validate_graph(data)) == {(str(fact), "FactIsStated")}


def test_entity_with_two_types_is_reported() -> None:
    data = build_sample().union_graph()
    data.add((KAZAKHSTAN, RDF.type, SCO.Place))
    assert _focus_shapes(validate_graph(data)) == {(str(KAZAKHSTAN), "EntityType")}


@pytest.mark.parametrize(
    ("predicate", "subject", "obj", "focus_shape"),
    [
        (Predicate.MET, "tokayev", "kazakhstan", "MetObject"),
        (Predicate.MEMBER_OF, "tokayev", "sco", "MemberOfSubject"),
        (Predicate.ADOPTED, "kazakhstan", "sco", "AdoptedObject"),
        (Predicate.PART_OF, "tokayev", "sco", "PartOfSubject"),
    ],
)
def test_relation_types_follow_the_format_table(
    predicate: Predicate, subject: str, obj: str, focus_shape: str
) -> None:
    text = "Tokayev, Kazakhstan and the SCO."
    article = Article("t.txt", 0, text, None, dt.date(2024, 1, 1))
    entities = (article_1().entities[0], article_1().entities[1], article_3().entities[1])
    evidence = Evidence(article.key, text, 0, len(text), "test", 0.5)
    graph = KnowledgeGraph()
    graph.add_article(
        ArticleExtraction(article, entities, (Fact(subject, predicate, obj, evidence),))
    )
    ends = {
        "tokayev": TOKAYEV,
        "kazakhstan": KAZAKHSTAN,
        "sco": mint("organization", "Shanghai Cooperation Organisation"),
    }
    focus = ends[subject] if focus_shape.endswith("Subject") else ends[obj]
    assert _focus_shapes(graph.validate()) == {(str(focus), focus_shape)}
