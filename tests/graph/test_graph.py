"""The knowledge graph (sco_graph.graph.store): named graphs per article, entities, SPARQL, files.

The sample corpus below (three articles, two files) is also used by
test_project, test_export, test_shapes and test_vocab.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
from builders import (
    ARTICLE_1,
    ASTANA,
    IRIS_2,
    KAZAKHSTAN,
    SCO_ORG,
    SENTENCE_1,
    SUMMIT,
    TEXT_1,
    TOKAYEV,
    XI,
    article_1,
    article_2,
    build_sample,
    new_graph,
    sample_articles,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from sco_graph.errors import GraphFormatError, QueryError
from sco_graph.graph import vocab
from sco_graph.graph.iri import mint
from sco_graph.graph.store import (
    CANONICAL_FILE,
    ENTITIES_GRAPH,
    KnowledgeGraph,
    article_iri,
    entity_iri,
    role_iri,
)
from sco_graph.graph.vocab import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SCO, SKOS, WD
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

# rdflib 7.6 calls its own deprecated Dataset/ConjunctiveGraph API internally.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

# Not `XSD` at module level: pytest's collector probes it and rdflib warns.
INTEGER = vocab.XSD.integer
DATE = vocab.XSD.date
DECIMAL = vocab.XSD.decimal

@pytest.fixture
def graph() -> KnowledgeGraph:
    return build_sample()


def _rows(graph: KnowledgeGraph, sparql: str, **bindings: object) -> list[tuple]:
    return [tuple(row) for row in graph.query(sparql, bindings)]


# -- articles ---------------------------------------------------------------


def test_article_node_has_its_metadata(graph: KnowledgeGraph) -> None:
    union = graph.union_graph()
    assert set(union.predicate_objects(ARTICLE_1)) == {
        (RDF.type, SCO.Article),
        (SCO.articleKey, Literal("001_a.txt#0")),
        (DCTERMS.title, Literal("Tokayev meets Xi in Astana")),
        (DCTERMS.date, Literal("2024-07-04", datatype=DATE)),
        (DCTERMS.source, Literal("001_a.txt")),
        (SCO.position, Literal(0, datatype=INTEGER)),
        (SCO.mentions, TOKAYEV),
        (SCO.mentions, KAZAKHSTAN),
        (SCO.mentions, XI),
        (SCO.mentions, ASTANA),
    }


def test_article_without_date_or_title_has_neither(graph: KnowledgeGraph) -> None:
    union = graph.union_graph()
    article = article_iri("002_b.txt#0")
    assert (article, SCO.position, Literal(0, datatype=INTEGER)) in union
    assert union.value(article, DCTERMS.date) is None
    assert union.value(article, DCTERMS.title) is None
    assert union.value(article_iri("002_b.txt#1"), SCO.position) == Literal(1, datatype=INTEGER)


def test_article_keys_are_listed_sorted(graph: KnowledgeGraph) -> None:
    assert graph.article_keys() == ["001_a.txt#0", "002_b.txt#0", "002_b.txt#1"]


def test_each_article_has_its_own_named_graph(graph: KnowledgeGraph) -> None:
    names = {name for *_, name in graph.quads()}
    assert names == {
        ARTICLE_1,
        article_iri("002_b.txt#0"),
        article_iri("002_b.txt#1"),
        ENTITIES_GRAPH,
    }
    # Entity descriptions live only in the entities graph, article data only in articles.
    assert {name for s, p, o, name in graph.quads() if p == RDFS.label} == {ENTITIES_GRAPH}
    assert {name for s, p, o, name in graph.quads() if s == ARTICLE_1} == {ARTICLE_1}


def test_mention_set_records_how_the_article_names_an_entity(graph: KnowledgeGraph) -> None:
    mention_set = mint("mentions", "001_a.txt#0 person/kassym-jomart-tokayev")
    pairs = graph.article_graph("001_a.txt#0").predicate_objects(mention_set)
    # (how often each form is used: test_form_counts_of_an_article_and_of_the_corpus)
    assert {(p, o) for p, o in pairs if p != SCO.formCount} == {
        (RDF.type, SCO.MentionSet),
        (SCO.article, ARTICLE_1),
        (SCO.entity, TOKAYEV),
        (SCO.mentionCount, Literal(2, datatype=INTEGER)),
        (SCO.name, Literal("Kassym-Jomart Tokayev")),
        (SCO.entityType, SCO.Person),
        (SCO.wikidataItem, WD.Q305917),
        (SCO.surfaceForm, Literal("Kassym-Jomart Tokayev")),
        (SCO.surfaceForm, Literal("Tokayev")),
        (SCO.surfaceForm, Literal("Kazakh President Kassym-Jomart Tokayev")),
    }


# -- entities -----------------------------------------------------------------


def test_entity_has_one_type_one_label_aliases_and_wikidata(graph: KnowledgeGraph) -> None:
    union = graph.union_graph()
    pairs = union.predicate_objects(KAZAKHSTAN)
    assert {(p, o) for p, o in pairs if p != SCO.formCount} == {
        (RDF.type, SCO.Country),
        (RDFS.label, Literal("Kazakhstan")),
        (SKOS.altLabel, Literal("Kazakh")),
        (OWL.sameAs, URIRef("http://www.wikidata.org/entity/Q232")),
        (SCO.mentionCount, Literal(2, datatype=INTEGER)),
        (SCO.memberOf, SCO_ORG),
    }


def test_entity_resolved_across_articles_keeps_every_name(graph: KnowledgeGraph) -> None:
    union = graph.union_graph()
    assert list(union.objects(TOKAYEV, RDFS.label)) == [Literal("Kassym-Jomart Tokayev")]
    assert list(union.objects(TOKAYEV, RDF.type)) == [SCO.Person]
    assert set(union.objects(TOKAYEV, SKOS.altLabel)) == {
        Literal("Tokayev"),
        Literal("President Tokayev"),
        Literal("Kazakh President Kassym-Jomart Tokayev"),
    }
    # 2 mentions in article 1, 1 in article 2.
    assert union.value(TOKAYEV, SCO.mentionCount) == Literal(3, datatype=INTEGER)
    assert union.value(TOKAYEV, OWL.sameAs) == WD.Q305917


def test_label_and_type_do_not_depend_on_article_order() -> None:
    forward = build_sample((0, 1, 2)).serialize("trig")
    for order in [(2, 1, 0), (1, 0, 2), (1, 2, 0)]:
        assert build_sample(order).serialize("trig") == forward


def test_type_is_the_one_most_articles_give() -> None:
    graph = new_graph()
    thing = mint("thing", "Astana")
    for index, entity_type in enumerate([EntityType.PLACE, EntityType.EVENT, EntityType.PLACE]):
        article = Article("t.txt", index, "Astana.")
        entity = Entity("e", entity_type, "Astana", mentions=(Mention("Astana", 0, 6, 0, "m"),))
        graph.add_article(ArticleExtraction(article, (entity,)), {"e": thing})
    assert list(graph.union_graph().objects(thing, RDF.type)) == [SCO.Place]


def test_two_local_entities_with_one_identity_share_a_mention_set() -> None:
    article = Article("t.txt", 0, "SCO and the Shanghai Cooperation Organisation.")
    entities = (
        Entity("a", EntityType.ORGANIZATION, "SCO", mentions=(Mention("SCO", 0, 3, 0, "m"),)),
        Entity(
            "b",
            EntityType.ORGANIZATION,
            "Shanghai Cooperation Organisation",
            mentions=(Mention("Shanghai Cooperation Organisation", 12, 45, 0, "m"),),
        ),
    )
    graph = new_graph()
    graph.add_article(ArticleExtraction(article, entities), {"a": SCO_ORG, "b": SCO_ORG})
    sets = list(graph.union_graph().subjects(SCO.entity, SCO_ORG))
    assert len(sets) == 1
    union = graph.union_graph()
    assert union.value(sets[0], SCO.mentionCount) == Literal(2, datatype=INTEGER)
    # Equal counts: the longer name wins.
    assert union.value(SCO_ORG, RDFS.label) == Literal("Shanghai Cooperation Organisation")
    assert list(union.objects(SCO_ORG, SKOS.altLabel)) == [Literal("SCO")]


def test_default_iri_is_type_and_normalised_name() -> None:
    entity = Entity("x", EntityType.PERSON, "Xi  Jinping")
    assert entity_iri(entity) == URIRef("https://w3id.org/sco-graph/person/xi-jinping")


# -- facts, evidence and posts ----------------------------------------------------


def test_fact_is_asserted_and_reified_with_evidence(graph: KnowledgeGraph) -> None:
    union = graph.union_graph()
    assert (TOKAYEV, SCO.holdsPosition, KAZAKHSTAN) in union
    assert (TOKAYEV, SCO.met, XI) in union
    facts = list(union.subjects(RDF.predicate, SCO.holdsPosition))
    assert len(facts) == 1
    start = TEXT_1.index(SENTENCE_1)
    assert set(union.predicate_objects(facts[0])) == {
        (RDF.type, SCO.Fact),
        (RDF.subject, TOKAYEV),
        (RDF.predicate, SCO.holdsPosition),
        (RDF.object, KAZAKHSTAN),
        (PROV.wasDerivedFrom, ARTICLE_1),
        (SCO.sentence, Literal(SENTENCE_1)),
        (SCO.sentenceStart, Literal(start, datatype=INTEGER)),
        (SCO.sentenceEnd, Literal(start + len(SENTENCE_1), datatype=INTEGER)),
        (SCO.rule, Literal("pattern:title-of-country")),
        (SCO.confidence, Literal("0.9", datatype=DECIMAL)),
        (SCO.role, Literal("President")),
    }
    assert TEXT_1[start : start + len(SENTENCE_1)] == SENTENCE_1


def test_a_fact_two_articles_state_is_one_statement_with_two_readings() -> None:
    """The union graph a query sees is a set: a fact read in two stories is stated once
    (and counted once), with one reading per story, and stays while any story says it."""
    first = article_1()
    second = ArticleExtraction(
        Article("009_z.txt", 0, first.article.text), first.entities,
        tuple(replace(f, evidence=replace(f.evidence, article="009_z.txt#0"))
              for f in first.facts),
    )  # fmt: skip
    graph = new_graph()
    graph.add_article(first)
    graph.add_article(second)
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?who sco:holdsPosition ?where }"
    readings = "SELECT (COUNT(*) AS ?n) WHERE { ?fact rdf:predicate sco:holdsPosition }"
    assert [row[0].toPython() for row in graph.query(count)] == [1]
    assert [row[0].toPython() for row in graph.query(readings)] == [2]
    assert (TOKAYEV, SCO.holdsPosition, KAZAKHSTAN) in graph.named_graph(ENTITIES_GRAPH)
    assert (TOKAYEV, SCO.holdsPosition, KAZAKHSTAN) not in graph.article_graph("009_z.txt#0")
    graph.remove_article("001_a.txt#0")
    assert [row[0].toPython() for row in graph.query(count)] == [1]
    graph.remove_article("009_z.txt#0")
    assert [row[0].toPython() for row in graph.query(count)] == [0]


def test_post_is_an_org_membership_derived_from_its_fact(graph: KnowledgeGraph) -> None:
    rows = _rows(
        graph,
        """SELECT ?person ?role ?where ?sentence WHERE {
               ?post a org:Membership ; org:member ?person ; org:organization ?where ;
                     org:role/rdfs:label ?role ; prov:wasDerivedFrom/sco:sentence ?sentence .
           }""",
    )
    assert rows == [(TOKAYEV, Literal("President"), KAZAKHSTAN, Literal(SENTENCE_1))]
    assert graph.union_graph().value(role_iri("president"), RDF.type) == ORG.Role


def test_membership_status_is_kept(graph: KnowledgeGraph) -> None:
    rows = _rows(
        graph, "SELECT ?status WHERE { ?f rdf:predicate sco:memberOf ; sco:status ?status }"
    )
    assert rows == [(Literal("member"),)]


# -- SPARQL -------------------------------------------------------------------------

WHY = """
SELECT ?article ?sentence ?start ?end ?rule ?confidence WHERE {
    ?fact rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ;
          prov:wasDerivedFrom ?article ; sco:sentence ?sentence ;
          sco:sentenceStart ?start ; sco:sentenceEnd ?end ;
          sco:rule ?rule ; sco:confidence ?confidence .
}
"""


def test_why_query_returns_the_evidence_of_a_fact(graph: KnowledgeGraph) -> None:
    rows = _rows(graph, WHY, s=TOKAYEV, p=SCO.met, o=XI)
    start = TEXT_1.index(SENTENCE_1)
    assert [(str(a), str(s), int(b), int(e), str(r), float(c)) for a, s, b, e, r, c in rows] == [
        (str(ARTICLE_1), SENTENCE_1, start, start + len(SENTENCE_1), "dep:met", 0.75)
    ]


def test_bindings_turn_plain_values_into_literals(graph: KnowledgeGraph) -> None:
    rows = _rows(graph, "SELECT ?e WHERE { ?e rdfs:label ?label }", label="Xi Jinping")
    assert rows == [(XI,)]
    rows = _rows(graph, "SELECT ?label WHERE { ?e rdfs:label ?label ; sco:mentionCount ?n }", n=1)
    assert rows == [(Literal("SCO summit"),)]


def test_bound_value_is_not_pasted_into_the_query(graph: KnowledgeGraph) -> None:
    hostile = '" } UNION { ?e ?p ?o } #'
    assert _rows(graph, "SELECT ?e WHERE { ?e rdfs:label ?label }", label=hostile) == []


def test_queries_see_the_union_and_the_usual_prefixes(graph: KnowledgeGraph) -> None:
    rows = _rows(
        graph,
        "SELECT ?label ?n WHERE { ?e a sco:Person ; rdfs:label ?label ; sco:mentionCount ?n }"
        " ORDER BY DESC(?n)",
    )
    assert [(str(label), int(n)) for label, n in rows] == [
        ("Kassym-Jomart Tokayev", 3),
        ("Xi Jinping", 2),
    ]


def test_syntax_error_is_one_line_query_error(graph: KnowledgeGraph) -> None:
    with pytest.raises(QueryError) as caught:
        graph.query("SELEC ?x WHERE { ?x ?p ?o }")
    message = str(caught.value)
    assert message.startswith("SPARQL syntax error at line 1, column 1: Expected ")
    assert "\n" not in message


def test_unknown_prefix_is_a_query_error(graph: KnowledgeGraph) -> None:
    with pytest.raises(QueryError, match=r"^SPARQL query failed: Unknown namespace prefix : foo$"):
        graph.query("SELECT ?x WHERE { ?x foo:bar ?y }")


def test_summary_counts(graph: KnowledgeGraph) -> None:
    summary = graph.summary()
    assert summary.articles == 3
    assert summary.entities == {
        "Person": 2,
        "Country": 1,
        "Organization": 1,
        "Document": 0,
        "Initiative": 0,
        "Event": 1,
        "Place": 1,
    }
    assert summary.facts == 5
    assert summary.triples == len(graph.union_graph()) == len(graph)


def test_top_entities_by_mentions(graph: KnowledgeGraph) -> None:
    top = graph.top_entities(3)
    assert [(e.label, e.type, e.mentions) for e in top] == [
        ("Kassym-Jomart Tokayev", "Person", 3),
        ("Astana", "Place", 2),
        ("Kazakhstan", "Country", 2),
    ]
    assert top[0].iri == str(TOKAYEV)


# -- replacing and removing articles --------------------------------------------------


def test_adding_an_article_again_replaces_it(graph: KnowledgeGraph) -> None:
    before = graph.serialize("trig")
    graph.add_article(article_1())
    assert graph.serialize("trig") == before


def test_readding_a_changed_article_drops_its_old_facts(graph: KnowledgeGraph) -> None:
    changed = article_1()
    changed = ArticleExtraction(changed.article, changed.entities, changed.facts[:1])
    graph.add_article(changed)
    union = graph.union_graph()
    assert (TOKAYEV, SCO.met, XI) not in union
    assert list(union.subjects(RDF.predicate, SCO.met)) == []


def test_removing_an_article_removes_its_facts_and_mentions(graph: KnowledgeGraph) -> None:
    assert graph.remove_article("001_a.txt#0") is True
    union = graph.union_graph()
    assert (TOKAYEV, SCO.holdsPosition, KAZAKHSTAN) not in union
    assert list(union.subjects(RDF.type, ORG.Membership)) == []
    assert list(union.subjects(PROV.wasDerivedFrom, ARTICLE_1)) == []
    # Xi was only in article 1: gone. Tokayev keeps article 2's single mention and name.
    assert list(union.predicate_objects(XI)) == []
    assert union.value(TOKAYEV, SCO.mentionCount) == Literal(1, datatype=INTEGER)
    assert union.value(TOKAYEV, RDFS.label) == Literal("Tokayev")
    assert list(union.predicate_objects(role_iri("President"))) == []
    assert graph.article_keys() == ["002_b.txt#0", "002_b.txt#1"]
    assert graph.remove_article("001_a.txt#0") is False


def test_remove_then_add_equals_a_fresh_build(graph: KnowledgeGraph) -> None:
    graph.remove_article("002_b.txt#0")
    graph.add_article(article_2(), IRIS_2)
    assert graph.serialize("trig") == build_sample().serialize("trig")


def test_rebuilding_the_entities_graph_changes_nothing(graph: KnowledgeGraph) -> None:
    before = graph.serialize("nq")
    graph.rebuild_entities()
    assert graph.serialize("nq") == before


# -- input checks -----------------------------------------------------------------------


def test_identities_must_cover_every_entity() -> None:
    with pytest.raises(ValueError, match=r"article 002_b.txt#0: no IRI given for entity 'sco'"):
        new_graph().add_article(article_2(), {"summit": SUMMIT})


def test_fact_naming_an_unknown_entity_is_refused() -> None:
    extraction = article_1()
    broken = ArticleExtraction(extraction.article, extraction.entities[1:], extraction.facts)
    with pytest.raises(ValueError, match=r"names unknown entity 'tokayev'"):
        new_graph().add_article(broken)


def test_a_refused_article_leaves_the_graph_as_it_was(graph: KnowledgeGraph) -> None:
    before = graph.serialize("nq")
    with pytest.raises(ValueError):
        graph.add_article(article_2(), {"summit": SUMMIT})
    assert graph.serialize("nq") == before


# -- save and load ------------------------------------------------------------------------


def test_save_then_load_folder_keeps_every_named_graph(
    graph: KnowledgeGraph, tmp_path: Path
) -> None:
    written = graph.save(tmp_path)
    assert written == tmp_path / CANONICAL_FILE
    loaded = KnowledgeGraph.load(tmp_path)
    assert set(loaded.quads()) == set(graph.quads())
    assert loaded.article_keys() == graph.article_keys()
    # A loaded graph can be updated like a built one.
    loaded.remove_article("002_b.txt#1")
    graph.remove_article("002_b.txt#1")
    assert loaded.serialize("trig") == graph.serialize("trig")


def test_updating_a_saved_graph_step_by_step_equals_one_build(tmp_path: Path) -> None:
    """Issue 5's `build --update`: load, add, save, three times over."""
    articles = sample_articles()
    new_graph().save(tmp_path)
    for extraction, iris in [articles[2], articles[0], articles[1]]:
        graph = KnowledgeGraph.load(tmp_path)
        graph.add_article(extraction, iris)
        graph.save(tmp_path)
    assert (tmp_path / CANONICAL_FILE).read_bytes() == build_sample().serialize("trig")


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld"])
def test_load_flat_file_gives_the_same_union(
    graph: KnowledgeGraph, tmp_path: Path, fmt: str
) -> None:
    path = tmp_path / f"graph.{fmt}"
    path.write_bytes(graph.serialize(fmt))
    loaded = KnowledgeGraph.load(path)
    assert isomorphic(loaded.union_graph(), graph.union_graph())
    assert loaded.summary() == graph.summary()


def test_load_reports_a_malformed_file_by_name(tmp_path: Path) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text("<http://example.org/a> <http://example.org/b> .\n", encoding="utf-8")
    with pytest.raises(GraphFormatError, match=rf"^{path}: not valid ttl \("):
        KnowledgeGraph.load(path)


def test_load_refuses_unknown_extension_and_missing_paths(tmp_path: Path) -> None:
    (tmp_path / "graph.xml").write_text("<rdf/>", encoding="utf-8")
    with pytest.raises(GraphFormatError, match=r"unknown graph file extension '\.xml'"):
        KnowledgeGraph.load(tmp_path / "graph.xml")
    with pytest.raises(GraphFormatError, match=r"no graph file in this folder"):
        KnowledgeGraph.load(tmp_path)
    with pytest.raises(GraphFormatError, match=r"no such file or folder; give a folder written"):
        KnowledgeGraph.load(tmp_path / "missing.ttl")


def test_load_prefers_the_named_graphs_of_a_build_folder(
    graph: KnowledgeGraph, tmp_path: Path
) -> None:
    graph.save(tmp_path)
    (tmp_path / "graph.ttl").write_text("not turtle at all", encoding="utf-8")
    assert KnowledgeGraph.load(tmp_path).article_keys() == graph.article_keys()


# -- stores -------------------------------------------------------------------------------


def test_a_store_on_disk_holds_the_same_graph(graph: KnowledgeGraph, tmp_path: Path) -> None:
    oxigraph = build_sample(location=tmp_path / "store")
    assert oxigraph.serialize("nq") == graph.serialize("nq")
    assert oxigraph.serialize("ttl") == graph.serialize("ttl")
    rows = [
        (str(row.sentence), int(row.start))
        for row in oxigraph.query(WHY.replace("SELECT ", "SELECT ?s ?p ?o ", 1), {
            "s": TOKAYEV, "p": SCO.met, "o": XI
        })
    ]  # fmt: skip
    assert rows == [(SENTENCE_1, TEXT_1.index(SENTENCE_1))]
    oxigraph.remove_article("001_a.txt#0")
    graph.remove_article("001_a.txt#0")
    assert oxigraph.serialize("nq") == graph.serialize("nq")
    with pytest.raises(QueryError, match=r"^SPARQL syntax error at line 1, column 1: "):
        oxigraph.query("SELEC ?x WHERE {}")


# -- open-ended names ------------------------------------------------------------------------

_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30
).filter(str.strip)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=_TEXT, alias=_TEXT, title=_TEXT, source=_TEXT)
def test_any_names_give_a_graph_that_round_trips(
    name: str, alias: str, title: str, source: str
) -> None:
    article = Article(source, 0, f"{name} {alias}", title, dt.date(2024, 1, 31))
    entity = Entity("e", EntityType.ORGANIZATION, name, aliases=(alias,), mentions=())
    graph = new_graph()
    graph.add_article(ArticleExtraction(article, (entity,)))
    union = graph.union_graph()
    for fmt, rdflib_format in [("ttl", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")]:
        reparsed = Graph().parse(data=graph.serialize(fmt), format=rdflib_format)
        assert isomorphic(reparsed, union), fmt
    assert union.value(entity_iri(entity), RDFS.label) == Literal(name)


# -- the queries the README shows -------------------------------------------------------------

FACTS_OF_ENTITY = """
SELECT ?predicate ?direction ?otherLabel ?role ?sentence ?article ?confidence WHERE {
    ?entity rdfs:label|skos:altLabel ?name .
    { ?fact rdf:subject ?entity ; rdf:object ?other . BIND("out" AS ?direction) }
    UNION
    { ?fact rdf:object ?entity ; rdf:subject ?other . BIND("in" AS ?direction) }
    ?fact a sco:Fact ; rdf:predicate ?predicate ; sco:sentence ?sentence ;
          sco:confidence ?confidence ; prov:wasDerivedFrom/sco:articleKey ?article .
    ?other rdfs:label ?otherLabel .
    OPTIONAL { ?fact sco:role ?role }
}
ORDER BY ?predicate ?otherLabel ?article
"""

POST_HOLDERS = """
SELECT ?person ?role ?where ?sentence ?article WHERE {
    ?post a org:Membership ; org:member/rdfs:label ?person ;
          org:organization/rdfs:label ?where ; prov:wasDerivedFrom ?fact .
    OPTIONAL { ?post org:role/rdfs:label ?role }
    ?fact sco:sentence ?sentence ; prov:wasDerivedFrom/sco:articleKey ?article .
}
ORDER BY ?person ?where ?role ?article
"""

TOP_ENTITIES = """
SELECT ?label ?type ?mentions WHERE {
    ?entity a ?class ; rdfs:label ?label ; sco:mentionCount ?mentions .
    BIND(STRAFTER(STR(?class), "#") AS ?type)
}
ORDER BY DESC(?mentions) ?label
LIMIT 10
"""


def _plain(rows: list[tuple]) -> list[tuple]:
    return [tuple(None if v is None else v.toPython() for v in row) for row in rows]


def test_readme_query_facts_of_an_entity(graph: KnowledgeGraph) -> None:
    rows = _plain(_rows(graph, FACTS_OF_ENTITY, name="Tokayev"))
    assert [row[:4] for row in rows] == [
        (str(SCO.holdsPosition), "out", "Kazakhstan", "President"),
        (str(SCO.met), "out", "Xi Jinping", None),
        (str(SCO.participatedIn), "out", "SCO summit", None),
    ]
    assert rows[0][4:6] == (SENTENCE_1, "001_a.txt#0")


def test_readme_query_post_holders(graph: KnowledgeGraph) -> None:
    assert _plain(_rows(graph, POST_HOLDERS)) == [
        ("Kassym-Jomart Tokayev", "President", "Kazakhstan", SENTENCE_1, "001_a.txt#0")
    ]


def test_readme_query_top_entities(graph: KnowledgeGraph) -> None:
    assert _plain(_rows(graph, TOP_ENTITIES))[:4] == [
        ("Kassym-Jomart Tokayev", "Person", 3),
        ("Astana", "Place", 2),
        ("Kazakhstan", "Country", 2),
        ("Shanghai Cooperation Organisation", "Organization", 2),
    ]


# -- issue 5: form counts, records read back, reassigning IRIs, summaries, details ----------------


def test_form_counts_of_an_article_and_of_the_corpus(graph: KnowledgeGraph) -> None:
    """How often each surface form is used, per article (mention set) and over the corpus."""
    article = graph.article_graph("001_a.txt#0")
    mention_set = mint("mentions", "001_a.txt#0 person/kassym-jomart-tokayev")
    assert {
        (str(article.value(node, SCO.form)), int(article.value(node, SCO.mentionCount)))
        for node in article.objects(mention_set, SCO.formCount)
    } == {("Kassym-Jomart Tokayev", 1), ("Tokayev", 1)}
    union = graph.union_graph()
    assert {
        (str(union.value(node, SCO.form)), int(union.value(node, SCO.mentionCount)),
         int(union.value(node, SCO.articleCount)))
        for node in union.objects(TOKAYEV, SCO.formCount)
    } == {("Kassym-Jomart Tokayev", 1, 1), ("Tokayev", 1, 1), ("President Tokayev", 1, 1)}
    assert all(union.value(node, RDF.type) == SCO.FormCount
               for node in union.objects(TOKAYEV, SCO.formCount))


def test_form_counts_are_recomputed_not_added_up_again() -> None:
    graph = build_sample()
    graph.union_graph()  # computes the entities graph once
    graph.add_article(article_2(), IRIS_2)
    counts = [int(graph.union_graph().value(n, SCO.mentionCount))
              for n in graph.union_graph().objects(TOKAYEV, SCO.formCount)]
    assert sorted(counts) == [1, 1, 1]


def _rich_article() -> ArticleExtraction:
    """An article with a post, a meeting, a duplicated fact and a dated event."""
    from sco_graph.types import TimeMention

    extraction = article_1()
    summit = Entity("summit", EntityType.EVENT, "SCO summit",
                    mentions=(Mention("Astana", 0, 6, 0, "test"),))
    today = TimeMention("today", 3, 8, 0, dt.date(2024, 7, 4), dt.date(2024, 7, 4), "day",
                        relative=True, confidence=0.95, dates=("summit",))
    return ArticleExtraction(
        extraction.article,
        (*extraction.entities, summit),
        (*extraction.facts, extraction.facts[0]),
        times=(today,),
    )


def test_reassigning_nothing_leaves_the_article_as_it_was() -> None:
    graph = new_graph()
    graph.add_article(_rich_article())
    before = graph.serialize("trig")
    assert graph.reassign("001_a.txt#0", {}) is False
    assert graph.reassign("001_a.txt#0", {XI: XI}) is False
    assert graph.reassign("missing.txt#0", {XI: TOKAYEV}) is False
    assert graph.serialize("trig") == before


def test_reassigning_equals_adding_with_the_new_iris() -> None:
    other_xi, other_summit = mint("person", "Xi"), mint("event", "24th SCO summit")
    moved = new_graph()
    moved.add_article(_rich_article())
    assert moved.reassign("001_a.txt#0", {XI: other_xi, mint("event", "SCO summit"): other_summit})
    direct = new_graph()
    iris = {e.key: entity_iri(e) for e in _rich_article().entities}
    direct.add_article(_rich_article(), {**iris, "xi": other_xi, "summit": other_summit})
    assert moved.serialize("trig") == direct.serialize("trig")
    assert list(moved.union_graph().subjects(SCO.dateOf, other_summit)) != []


def test_reassigning_two_entities_to_one_merges_their_mention_sets() -> None:
    graph = build_sample()
    graph.reassign("001_a.txt#0", {XI: TOKAYEV})
    union = graph.union_graph()
    [mention_set] = [s for s in union.subjects(SCO.entity, TOKAYEV)
                     if union.value(s, SCO.article) == ARTICLE_1]
    assert union.value(mention_set, SCO.mentionCount) == Literal(4, datatype=INTEGER)
    assert set(union.objects(mention_set, SCO.name)) == {
        Literal("Kassym-Jomart Tokayev"), Literal("Xi Jinping")
    }
    assert (TOKAYEV, SCO.met, TOKAYEV) in union
    assert list(union.predicate_objects(XI)) == []


def test_the_label_is_the_name_the_iri_was_minted_from() -> None:
    """Resolution mints an IRI from the canonical name it chose; the label follows it,
    even where more articles use another name."""
    graph = new_graph()
    strategy = mint("document", "SCO Anti-Drug Strategy for 2024-2029")
    for index, name in enumerate(["SCO Anti-Drug Strategy for 2024-2029",
                                  "Anti-Drug Strategy of SCO for 2024-2029",
                                  "Anti-Drug Strategy of SCO for 2024-2029"]):
        entity = Entity("d", EntityType.DOCUMENT, name, mentions=(Mention(name, 0, 1, 0, "m"),))
        graph.add_article(ArticleExtraction(Article("d.txt", index, name), (entity,)),
                          {"d": strategy})
    union = graph.union_graph()
    assert union.value(strategy, RDFS.label) == Literal("SCO Anti-Drug Strategy for 2024-2029")
    assert union.value(strategy, SCO.startDate) == Literal("2024-01-01", datatype=DATE)
    assert union.value(strategy, SCO.endDate) == Literal("2029-12-31", datatype=DATE)


def test_entity_summaries_read_each_mention_set() -> None:
    from sco_graph.types import EntitySummary

    graph = new_graph()
    graph.add_article(article_2(), IRIS_2)
    assert sorted(graph.entity_summaries(), key=lambda s: s.iri) == [
        EntitySummary("002_b.txt#0", str(SUMMIT), EntityType.EVENT, "SCO summit",
                      ("SCO summit",), None, 1),
        EntitySummary("002_b.txt#0", str(SCO_ORG), EntityType.ORGANIZATION,
                      "Shanghai Cooperation Organisation", ("SCO",), "Q485207", 1),
        EntitySummary("002_b.txt#0", str(TOKAYEV), EntityType.PERSON, "Tokayev",
                      ("President Tokayev",), None, 1),
        EntitySummary("002_b.txt#0", str(ASTANA), EntityType.PLACE, "Astana",
                      ("Astana",), "Q1520", 1),
    ]


def test_entities_lists_details_and_finds_by_any_name(graph: KnowledgeGraph) -> None:
    assert [(d.type, d.label) for d in graph.entities()] == [
        ("Person", "Kassym-Jomart Tokayev"), ("Person", "Xi Jinping"),
        ("Country", "Kazakhstan"), ("Organization", "Shanghai Cooperation Organisation"),
        ("Event", "SCO summit"), ("Place", "Astana"),
    ]  # fmt: skip
    [tokayev] = graph.entities("president  TOKAYEV")
    assert tokayev.iri == str(TOKAYEV)
    assert tokayev.wikidata == "Q305917"
    assert tokayev.mentions == 3
    assert tokayev.names == (
        ("Kassym-Jomart Tokayev", 1), ("President Tokayev", 1), ("Tokayev", 1),
        ("Kazakh President Kassym-Jomart Tokayev", 0),
    )  # fmt: skip
    assert tokayev.articles == (("001_a.txt#0", 2), ("002_b.txt#0", 1))
    assert graph.entities("person:xi-jinping")[0].label == "Xi Jinping"
    assert graph.entities("person/xi-jinping") == graph.entities(str(XI))
    assert graph.entities("Nobody") == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=st.lists(_TEXT, min_size=1, max_size=4, unique=True), texts=st.lists(_TEXT,
       max_size=4), confidence=st.floats(0, 1))
def test_any_article_reads_back_as_it_was_written(
    names: list[str], texts: list[str], confidence: float
) -> None:
    from sco_graph.graph.store import summaries_of

    article = Article("any.txt", 0, "text", "Title", dt.date(2024, 2, 29))
    entities = tuple(
        Entity(f"e{i}", EntityType.PERSON, name, aliases=tuple(texts[:i]),
               mentions=tuple(Mention(t, 0, 1, 0, "m") for t in texts))
        for i, name in enumerate(names)
    )
    evidence = Evidence(article.key, "s", 0, 1, "rule", confidence)
    facts = (Fact("e0", Predicate.HOLDS_POSITION, entities[-1].key, evidence, role=names[-1]),)
    extraction = ArticleExtraction(article, entities, facts)
    iris = {e.key: mint("person", f"{i} {e.name}") for i, e in enumerate(entities)}
    graph = new_graph()
    graph.add_article(extraction, iris)
    before = graph.serialize("nq")
    assert graph.reassign(article.key, {}) is False
    assert sorted(graph.entity_summaries(), key=repr) == sorted(
        summaries_of(extraction, iris), key=repr
    )
    # Moving every entity and back gives the same graph.
    there = {iri: mint("person", f"moved {iri}") for iri in iris.values()}
    assert graph.reassign(article.key, there) is True
    assert graph.reassign(article.key, {new: old for old, new in there.items()}) is True
    assert graph.serialize("nq") == before


def test_plain_rows_give_values_in_a_fixed_order() -> None:
    from rdflib.namespace import XSD

    source = Graph()
    thing = URIRef("http://example.org/thing")
    other = URIRef("http://example.org/other")
    for subject, value in ((thing, Literal(3)), (thing, Literal("0.25", datatype=XSD.decimal)),
                           (thing, Literal(True)), (other, Literal("text")),
                           (other, Literal("2024-07-04", datatype=XSD.date)),
                           (other, Literal("many", datatype=XSD.integer)), (other, thing)):
        source.add((subject, RDFS.comment, value))
    graph = KnowledgeGraph.from_rdflib(source)
    rows = graph.plain_rows("SELECT ?s ?v WHERE { ?s rdfs:comment ?v } ")
    assert [(row["s"], row["v"]) for row in rows] == [
        ("http://example.org/other", "2024-07-04"),
        ("http://example.org/other", "many"),  # an ill-typed literal: its text
        ("http://example.org/other", "text"),
        ("http://example.org/other", "http://example.org/thing"),
        ("http://example.org/thing", 0.25),
        ("http://example.org/thing", 3),
        ("http://example.org/thing", "true"),
    ]
    optional = graph.plain_rows(
        "SELECT ?s ?x WHERE { ?s rdfs:comment 3 OPTIONAL { ?s rdfs:label ?x } }")
    assert optional == [{"s": "http://example.org/thing", "x": None}]
    with pytest.raises(QueryError):
        graph.plain_rows("ASK { ?s ?p ?o }")


def test_an_update_of_a_hand_edited_graph_with_a_literal_where_a_node_was_due(
        tmp_path: Path) -> None:
    """Describing an entity again reads its mention sets from the store: a literal where a
    node was (`sco:formCount "x"`) is read past, not a crash."""
    dataset = build_sample((0,)).dataset()
    mention_set = next(dataset.subjects(SCO.entity, TOKAYEV))
    graph_name = next(g for _, _, _, g in dataset.quads((mention_set, SCO.entity, TOKAYEV, None)))
    form = next(dataset.objects(mention_set, SCO.formCount))
    named = dataset.graph(graph_name)
    named.remove((mention_set, SCO.formCount, form))
    named.add((mention_set, SCO.formCount, Literal("hand-edited")))
    dataset.serialize(tmp_path / "graph.trig", format="trig")
    graph = KnowledgeGraph.load(tmp_path / "graph.trig")
    graph.add_article(article_2(), IRIS_2)  # Tokayev again: his description is made anew
    assert graph.summary().articles == 2
    assert graph.entities("Tokayev")[0].mentions == 3
