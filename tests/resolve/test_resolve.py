"""Cross-document resolution (sco_graph.resolve.identity): one IRI per thing across articles.

Every case runs on small hand-made extractions and a small gazetteer, so no
model is needed; the last tests check the bundled corpus.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import new_graph
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef

from sco_graph.cli import main
from sco_graph.graph.iri import mint
from sco_graph.graph.store import KnowledgeGraph, entity_iri, role_iri, summaries_of
from sco_graph.graph.vocab import OWL, RDF, RDFS, SCO, SKOS, WD
from sco_graph.knowledge.gazetteer import Gazetteer, GazetteerEntry
from sco_graph.resolve.identity import (
    Resolver,
    entity_report,
    provisional_iris,
    resolve_extractions,
    resolve_graph,
)
from sco_graph.types import Article, ArticleExtraction, Entity, EntityType, Mention

# rdflib 7.6 calls its own deprecated Dataset/ConjunctiveGraph API internally.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

PERSON, ORG, DOC, INIT, EVENT, COUNTRY = (
    EntityType.PERSON, EntityType.ORGANIZATION, EntityType.DOCUMENT,
    EntityType.INITIATIVE, EntityType.EVENT, EntityType.COUNTRY,
)  # fmt: skip

GAZETTEER = Gazetteer([
    GazetteerEntry("kassym_jomart_tokayev", PERSON, "Kassym-Jomart Tokayev",
                   aliases=("Tokayev",), wikidata="Q200881"),
    GazetteerEntry("sco", ORG, "Shanghai Cooperation Organisation",
                   aliases=("SCO", "Shanghai Cooperation Organization"), wikidata="Q485207"),
    GazetteerEntry("sco_cfm", ORG, "SCO Council of Foreign Ministers",
                   aliases=("Council of Foreign Ministers of the SCO",)),
    GazetteerEntry("sco_anti_drug_strategy_2024_2029", DOC,
                   "SCO Anti-Drug Strategy for 2024-2029"),
    GazetteerEntry("kazakhstan", COUNTRY, "Kazakhstan", wikidata="Q232"),
    GazetteerEntry("un_sdg_centre", ORG, "UN Regional Centre for SDGs"),
])  # fmt: skip

TOKAYEV = mint("person", "Kassym-Jomart Tokayev")
SCO_ORG = mint("organization", "Shanghai Cooperation Organisation")
CFM = mint("organization", "SCO Council of Foreign Ministers")
STRATEGY = mint("document", "SCO Anti-Drug Strategy for 2024-2029")


def thing(entity_type: EntityType, name: str, *texts: str, aliases: tuple[str, ...] = (),
          key: str | None = None) -> Entity:
    """An entity of an article, known when the small gazetteer has its name."""
    entry = next((e for e in GAZETTEER if e.name == name), None)
    mentions = tuple(Mention(t, 0, len(t), 0, "test") for t in (texts or (name,)))
    return Entity(
        key=key or (entry.id if entry else f"{entity_type.value.lower()}:{name}"),
        type=entity_type,
        name=name,
        aliases=aliases,
        wikidata=entry.wikidata if entry else None,
        mentions=mentions,
        known=entry is not None,
    )


def story(source: str, *entities: Entity, index: int = 0) -> ArticleExtraction:
    return ArticleExtraction(Article(source, index, "text"), entities=entities)


def resolved(*stories: ArticleExtraction) -> dict[str, dict[str, URIRef]]:
    return resolve_extractions(stories, GAZETTEER)


def iri_of(result: dict[str, dict[str, URIRef]], source: str, name: str) -> URIRef:
    """The IRI resolution gave the entity called `name` in article `source#0`."""
    [iri] = [iri for key, iri in result[f"{source}#0"].items()
             if key.split(":", 1)[-1] == name]
    return iri


# -- the same thing under several names ----------------------------------------------


def test_tokayev_in_every_form_is_one_person() -> None:
    result = resolved(
        story("a.txt", thing(PERSON, "Kassym-Jomart Tokayev", "Kassym-Jomart Tokayev",
                             "Tokayev", "the Kazakh President",
                             aliases=("Tokayev", "the Kazakh President"))),
        story("b.txt", thing(PERSON, "Tokayev", "President Tokayev",
                             aliases=("President Tokayev",))),
        story("c.txt", thing(PERSON, "President Tokayev")),
        story("d.txt", thing(PERSON, "Kazakh President")),
    )
    assert {iri for article in result.values() for iri in article.values()} == {TOKAYEV}


def test_shanghai_cooperation_organisation_spellings_are_one() -> None:
    result = resolved(
        story("a.txt", thing(ORG, "Shanghai Cooperation Organisation", "SCO",
                             aliases=("SCO",))),
        story("b.txt", thing(ORG, "Shanghai Cooperation Organization")),
        story("c.txt", thing(ORG, "SCO")),
    )
    assert {iri for article in result.values() for iri in article.values()} == {SCO_ORG}


def test_secretary_general_with_and_without_hyphen_is_one() -> None:
    result = resolved(
        story("a.txt", thing(ORG, "Office of the Secretary-General")),
        story("b.txt", thing(ORG, "Office of the Secretary General")),
    )
    assert iri_of(result, "a.txt", "Office of the Secretary-General") == iri_of(
        result, "b.txt", "Office of the Secretary General"
    ) == mint("organization", "Office of the Secretary-General")
    assert role_iri("Secretary-General") == role_iri("Secretary General")


def test_anti_drug_strategy_in_any_word_order_or_short_form_is_the_strategy() -> None:
    result = resolved(
        story("a.txt", thing(DOC, "SCO Anti-Drug Strategy for 2024-2029")),
        story("b.txt", thing(DOC, "Anti-Drug Strategy of SCO for 2024-2029")),
        story("c.txt", thing(DOC, "anti-drug strategy")),
    )
    assert [iri_of(result, s, n) for s, n in [
        ("a.txt", "sco_anti_drug_strategy_2024_2029"),
        ("b.txt", "Anti-Drug Strategy of SCO for 2024-2029"),
        ("c.txt", "anti-drug strategy"),
    ]] == [STRATEGY] * 3  # fmt: skip


def test_british_and_american_spellings_of_a_programme_are_one() -> None:
    american, british = (f"{word} of Cooperation in Countering Terrorism for 2025-2027"
                         for word in ("Program", "Programme"))
    result = resolved(story("a.txt", thing(DOC, american)), story("b.txt", thing(DOC, british)))
    assert len({*result["a.txt#0"].values(), *result["b.txt#0"].values()}) == 1


def test_a_surname_joins_the_only_full_name_with_it() -> None:
    result = resolved(
        story("a.txt", thing(PERSON, "Nurlan Yermekbayev")),
        story("b.txt", thing(PERSON, "Yermekbayev")),
    )
    assert iri_of(result, "b.txt", "Yermekbayev") == mint("person", "Nurlan Yermekbayev")


def test_an_alias_the_text_gave_links_a_name_in_other_articles() -> None:
    # "Xi" is not the last word of "Xi Jinping": only the article that says both links them.
    linked = resolved(
        story("a.txt", thing(PERSON, "Xi Jinping", "Xi Jinping", "Xi", aliases=("Xi",))),
        story("b.txt", thing(PERSON, "Xi")),
    )
    assert iri_of(linked, "b.txt", "Xi") == mint("person", "Xi Jinping")
    unlinked = resolved(
        story("a.txt", thing(PERSON, "Xi Jinping")),
        story("b.txt", thing(PERSON, "Xi")),
    )
    assert iri_of(unlinked, "b.txt", "Xi") == mint("person", "Xi")


def test_a_short_name_joins_a_chain_of_longer_ones() -> None:
    result = resolved(
        story("a.txt", thing(INIT, "SCO initiative on world unity for justice and harmony")),
        story("b.txt", thing(INIT, "initiative on world unity")),
        story("c.txt", thing(INIT, "SCO initiative on world unity")),
    )
    assert len({iri for article in result.values() for iri in article.values()}) == 1


# -- different things with similar names ------------------------------------------------


def test_the_council_of_foreign_ministers_is_not_the_sco() -> None:
    result = resolved(
        story("a.txt", thing(ORG, "Shanghai Cooperation Organisation", "SCO"),
              thing(ORG, "SCO Council of Foreign Ministers")),
        story("b.txt", thing(ORG, "Council of Foreign Ministers of the SCO")),
        story("c.txt", thing(ORG, "Foreign Ministers Council")),
    )
    assert result["a.txt#0"] == {"sco": SCO_ORG, "sco_cfm": CFM}
    assert iri_of(result, "b.txt", "Council of Foreign Ministers of the SCO") == CFM
    # Fewer words do not make an organisation: this one is neither.
    assert iri_of(result, "c.txt", "Foreign Ministers Council") == mint(
        "organization", "Foreign Ministers Council"
    )


def test_programmes_of_different_years_stay_apart() -> None:
    new, old = (f"Program of Cooperation in Countering Terrorism for {years}"
                for years in ("2025-2027", "2022-2024"))
    result = resolved(
        story("a.txt", thing(DOC, new)),
        story("b.txt", thing(DOC, old)),
        story("c.txt", thing(DOC, "Program of Cooperation in Countering Terrorism")),
    )
    assert iri_of(result, "a.txt", new) == mint("document", new)
    assert iri_of(result, "b.txt", old) == mint("document", old)
    # The unqualified name could be either: it stays on its own.
    short = "Program of Cooperation in Countering Terrorism"
    assert iri_of(result, "c.txt", short) == mint("document", short)


def test_a_short_name_that_could_mean_two_documents_stays_apart() -> None:
    result = resolved(
        story("a.txt", thing(DOC, "SCO Anti-Drug Strategy for 2024-2029")),
        story("b.txt", thing(DOC, "SCO Anti-Drug Strategy for 2018-2023")),
        story("c.txt", thing(DOC, "anti-drug strategy")),
    )
    assert iri_of(result, "c.txt", "anti-drug strategy") == mint("document", "anti-drug strategy")


def test_two_people_sharing_a_surname_stay_two_and_the_surname_alone_joins_neither() -> None:
    result = resolved(
        story("a.txt", thing(PERSON, "Nurlan Yermekbayev", "Nurlan Yermekbayev", "Yermekbayev",
                             aliases=("Yermekbayev",))),
        story("b.txt", thing(PERSON, "Daniyar Yermekbayev")),
        story("c.txt", thing(PERSON, "Yermekbayev")),
    )
    assert iri_of(result, "a.txt", "Nurlan Yermekbayev") == mint("person", "Nurlan Yermekbayev")
    assert iri_of(result, "b.txt", "Daniyar Yermekbayev") == mint("person", "Daniyar Yermekbayev")
    assert iri_of(result, "c.txt", "Yermekbayev") == mint("person", "Yermekbayev")


def test_what_one_article_keeps_apart_stays_apart_everywhere() -> None:
    result = resolved(
        story("a.txt", thing(PERSON, "Nurlan Yermekbayev"), thing(PERSON, "Yermekbayev")),
        story("b.txt", thing(PERSON, "Yermekbayev")),
    )
    assert iri_of(result, "a.txt", "Yermekbayev") == mint("person", "Yermekbayev")
    assert iri_of(result, "b.txt", "Yermekbayev") == mint("person", "Yermekbayev")


def test_names_with_a_pronoun_join_nothing() -> None:
    result = resolved(
        story("a.txt", thing(DOC, "action plan for its implementation")),
        story("b.txt", thing(DOC, "action plan on its implementation")),
        story("c.txt", thing(DOC, "action plan")),
    )
    assert len({iri for article in result.values() for iri in article.values()}) == 3


def test_organisations_events_and_places_do_not_join_by_a_shorter_name() -> None:
    result = resolved(
        story("a.txt", thing(ORG, "United Nations Security Council"),
              thing(EVENT, "SCO summit in Astana"), thing(EntityType.PLACE, "Moscow region")),
        story("b.txt", thing(ORG, "Security Council"), thing(EVENT, "SCO summit"),
              thing(EntityType.PLACE, "Moscow")),
    )
    assert result["b.txt#0"] == {
        "organization:Security Council": mint("organization", "Security Council"),
        "event:SCO summit": mint("event", "SCO summit"),
        "place:Moscow": mint("place", "Moscow"),
    }


def test_a_known_entity_typed_otherwise_is_another_thing() -> None:
    # The centre "to be set up" (an Initiative) is not the opened centre (an Organization).
    result = resolved(
        story("a.txt", thing(ORG, "UN Regional Centre for SDGs")),
        story("b.txt", thing(INIT, "UN Regional Centre for SDGs", key="un_sdg_centre")),
    )
    name = "UN Regional Centre for SDGs"
    assert result["a.txt#0"] == {"un_sdg_centre": mint("organization", name)}
    assert result["b.txt#0"] == {"un_sdg_centre": mint("initiative", name)}


# -- the graph: one node, every alias with its mentions, links ------------------------------


def _graph(*stories: ArticleExtraction) -> KnowledgeGraph:
    graph = new_graph()
    for extraction in stories:
        graph.add_article(extraction, provisional_iris(extraction))
    resolve_graph(graph, GAZETTEER)
    return graph


def _tokayev_stories() -> list[ArticleExtraction]:
    return [
        story("a.txt", thing(PERSON, "Kassym-Jomart Tokayev", "Kassym-Jomart Tokayev", "Tokayev",
                             "Tokayev", "the Kazakh President",
                             aliases=("Tokayev", "the Kazakh President")),
              thing(COUNTRY, "Kazakhstan")),
        story("b.txt", thing(PERSON, "Tokayev", "President Tokayev", "Tokayev",
                             aliases=("President Tokayev",)),
              thing(DOC, "anti-drug strategy")),
        story("c.txt", thing(DOC, "SCO Anti-Drug Strategy for 2024-2029")),
    ]


def test_the_graph_has_one_node_with_every_alias_and_its_mentions() -> None:
    union = _graph(*_tokayev_stories()).union_graph()
    persons = set(union.subjects(RDF.type, SCO.Person))
    assert persons == {TOKAYEV}
    assert union.value(TOKAYEV, RDFS.label) == Literal("Kassym-Jomart Tokayev")
    assert set(union.objects(TOKAYEV, SKOS.altLabel)) == {
        Literal("Tokayev"), Literal("President Tokayev"), Literal("the Kazakh President")
    }
    counts = {
        (str(union.value(node, SCO.form)), union.value(node, SCO.mentionCount).toPython(),
         union.value(node, SCO.articleCount).toPython())
        for node in union.objects(TOKAYEV, SCO.formCount)
    }
    assert counts == {
        ("Kassym-Jomart Tokayev", 1, 1), ("Tokayev", 3, 2), ("President Tokayev", 1, 1),
        ("the Kazakh President", 1, 1),
    }  # fmt: skip
    assert union.value(TOKAYEV, SCO.mentionCount).toPython() == 6


def test_gazetteer_entities_link_to_wikidata_and_others_stay_unlinked() -> None:
    unknown = story("d.txt", thing(PERSON, "Daniyar Smagulov"))
    union = _graph(*_tokayev_stories(), unknown).union_graph()
    assert union.value(TOKAYEV, OWL.sameAs) == WD.Q200881
    assert union.value(mint("country", "Kazakhstan"), OWL.sameAs) == WD.Q232
    # A known entity without a Wikidata id in the gazetteer, and an unknown one: no link.
    assert union.value(STRATEGY, OWL.sameAs) is None
    assert union.value(mint("person", "Daniyar Smagulov"), OWL.sameAs) is None
    assert set(union.subject_objects(OWL.sameAs)) == {
        (TOKAYEV, WD.Q200881), (mint("country", "Kazakhstan"), WD.Q232)
    }


def test_an_unknown_name_joined_to_a_known_entity_keeps_the_gazetteer_label() -> None:
    union = _graph(*_tokayev_stories()).union_graph()
    assert set(union.subjects(RDF.type, SCO.Document)) == {STRATEGY}
    assert union.value(STRATEGY, RDFS.label) == Literal("SCO Anti-Drug Strategy for 2024-2029")
    assert list(union.objects(STRATEGY, SKOS.altLabel)) == [Literal("anti-drug strategy")]


def test_resolving_a_resolved_graph_changes_nothing() -> None:
    graph = _graph(*_tokayev_stories())
    before = graph.serialize("trig")
    assert resolve_graph(graph, GAZETTEER) == 0
    assert graph.serialize("trig") == before


def test_summaries_of_an_extraction_are_what_the_graph_reads_back() -> None:
    stories = _tokayev_stories()
    graph = new_graph()
    expected = []
    for extraction in stories:
        iris = provisional_iris(extraction)
        graph.add_article(extraction, iris)
        expected += summaries_of(extraction, iris)
    assert sorted(graph.entity_summaries(), key=repr) == sorted(expected, key=repr)


def test_provisional_iris_are_type_and_name() -> None:
    extraction = _tokayev_stories()[1]
    assert provisional_iris(extraction) == {e.key: entity_iri(e) for e in extraction.entities}


def test_resolution_lists_only_the_entities_that_move() -> None:
    resolver = Resolver(GAZETTEER)
    for extraction in _tokayev_stories():
        resolver.add_all(summaries_of(extraction, provisional_iris(extraction)))
    assert resolver.resolve().changes() == {
        "b.txt#0": {
            mint("person", "Tokayev"): TOKAYEV,
            mint("document", "anti-drug strategy"): STRATEGY,
        }
    }


# -- order does not matter ---------------------------------------------------------------------

_ALL = [
    *_tokayev_stories(),
    story("d.txt", thing(PERSON, "Nurlan Yermekbayev")),
    story("e.txt", thing(PERSON, "Yermekbayev"),
          thing(DOC, "Anti-Drug Strategy of SCO for 2024-2029")),
    story("f.txt", thing(PERSON, "Daniyar Yermekbayev"),
          thing(PERSON, "Xi Jinping", aliases=("Xi",))),
    story("g.txt", thing(PERSON, "Xi"), thing(ORG, "Council of Foreign Ministers of the SCO")),
    story("h.txt", thing(ORG, "SCO Council of Foreign Ministers"),
          thing(ORG, "Shanghai Cooperation Organisation")),
    # Both could be Tokayev, but this article says they are two: only one joins him,
    # the same one whatever the order.
    story("i.txt", thing(PERSON, "President Tokayev"), thing(PERSON, "Kazakh President")),
]  # fmt: skip


def test_of_two_names_one_article_keeps_apart_only_the_surer_link_is_made() -> None:
    result = resolved(*_ALL)
    # "President Tokayev" is a name of his ("Tokayev", with a title); "the Kazakh
    # President" only a title a.txt used for him.
    assert result["i.txt#0"] == {
        "person:President Tokayev": TOKAYEV,
        "person:Kazakh President": mint("person", "Kazakh President"),
    }
    # The conflict in i.txt does not keep b.txt's "Tokayev" from him.
    assert result["b.txt#0"]["person:Tokayev"] == TOKAYEV


@settings(max_examples=25, deadline=None)
@given(order=st.permutations(range(len(_ALL))))
def test_the_result_does_not_depend_on_the_order_articles_are_read(order: list[int]) -> None:
    shuffled = [_ALL[i] for i in order]
    assert resolved(*shuffled) == resolved(*_ALL)
    assert _graph(*shuffled).serialize("trig") == _graph(*_ALL).serialize("trig")


# -- sco-graph entities --------------------------------------------------------------------------


def test_entity_report_of_one_entity() -> None:
    graph = _graph(*_tokayev_stories())
    assert entity_report(graph.entities("President Tokayev"), detailed=True) == (
        "Kassym-Jomart Tokayev\n"
        "  type: Person\n"
        "  IRI: https://w3id.org/sco-graph/person/kassym-jomart-tokayev\n"
        "  Wikidata: Q200881\n"
        "  mentions: 6 in 2 articles\n"
        "  names (mentions):\n"
        "        3  Tokayev\n"
        "        1  Kassym-Jomart Tokayev\n"
        "        1  President Tokayev\n"
        "        1  the Kazakh President\n"
        "  articles (mentions):\n"
        "        4  a.txt#0\n"
        "        2  b.txt#0\n"
    )


def test_entity_report_of_a_document_shows_its_validity() -> None:
    graph = _graph(*_tokayev_stories())
    report = entity_report(graph.entities("document:sco-anti-drug-strategy-for-2024-2029"), True)
    assert "  dates: 2024-01-01 to 2029-12-31\n" in report
    assert "  Wikidata: (not linked)\n" in report


def test_entity_report_lists_every_entity() -> None:
    graph = _graph(*_tokayev_stories())
    assert entity_report(graph.entities(), detailed=False).splitlines() == [
        "type      entity                                mentions  articles  wikidata  iri",
        "Person    Kassym-Jomart Tokayev                 6         2         Q200881   "
        "person:kassym-jomart-tokayev",
        "Country   Kazakhstan                            1         1         Q232      "
        "country:kazakhstan",
        "Document  SCO Anti-Drug Strategy for 2024-2029  2         2                   "
        "document:sco-anti-drug-strategy-for-2024-2029",
        "(3 entities)",
    ]


def test_cli_entities_lists_and_shows(tmp_path: Path) -> None:
    _graph(*_tokayev_stories()).save(tmp_path)
    runner = CliRunner()
    listed = runner.invoke(main, ["entities", str(tmp_path)])
    assert listed.exit_code == 0, listed.output
    assert listed.output.splitlines()[-1] == "(3 entities)"
    shown = runner.invoke(main, ["entities", str(tmp_path), "tokayev"])
    assert shown.exit_code == 0
    assert shown.output.startswith("Kassym-Jomart Tokayev\n  type: Person\n")
    missing = runner.invoke(main, ["entities", str(tmp_path), "Nobody"])
    assert missing.exit_code == 1
    assert missing.output == (f"Error: no entity of {tmp_path} is named 'Nobody'; "
                              f"`sco-graph entities {tmp_path}` lists them all\n")
