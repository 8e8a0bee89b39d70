"""A story's dateline as mentions (sco_graph.extract.dateline): its place as the
gazetteer's Place or Country or a new Place, its known agency as an
Organization, and no fact."""

from __future__ import annotations

import pytest

from sco_graph.extract.article import extract
from sco_graph.read.segment import split_articles
from sco_graph.types import ArticleExtraction, Entity, EntityType, Predicate, SourceText

pytestmark = pytest.mark.slow


def read(nlp, text: str) -> ArticleExtraction:
    (article,) = split_articles(SourceText("t.txt", "t.txt", text))
    (extraction,) = extract([article], nlp)
    return extraction


def in_dateline(extraction: ArticleExtraction) -> list[tuple[Entity, str]]:
    """(entity, mention text) of every mention inside the dateline."""
    dateline = extraction.article.dateline
    assert dateline is not None
    return [(e, m.text) for e in extraction.entities for m in e.mentions
            if dateline.span.start <= m.start and m.end <= dateline.span.end]


def entity(extraction: ArticleExtraction, key: str) -> Entity:
    (found,) = [e for e in extraction.entities if e.key == key]
    return found


def no_fact_from_the_dateline(extraction: ArticleExtraction) -> None:
    dateline = extraction.article.dateline
    assert dateline is not None
    for fact in extraction.facts:
        assert fact.evidence.start >= dateline.span.end
    places = {e.key for e, _ in in_dateline(extraction)
              if e.type in (EntityType.PLACE, EntityType.COUNTRY)}
    assert not [f for f in extraction.facts
                if f.predicate is Predicate.HELD_IN and f.object in places]


@pytest.mark.parametrize(
    ("text", "key", "written"),
    [
        ("Talks held\n\nBISHKEK, 12 March 2025 (AKIpress) - The SCO foreign ministers "
         "met on Tuesday.\n", "bishkek", "BISHKEK"),
        ("Talks held\n\nUlaanbaatar, September 3, 2024 - The SCO summit opened today.\n",
         "ulaanbaatar", "Ulaanbaatar"),
        ("YEREVAN. KABAR - The SCO Council of Foreign Ministers met on Friday.\n",
         "yerevan", "YEREVAN"),
        ("Talks held\n\nSHYMKENT, December 3. /UzA/. The SCO summit was held on Monday.\n",
         "shymkent", "SHYMKENT"),
    ],
)
def test_a_known_dateline_place_is_the_gazetteer_s_place(nlp, text, key, written) -> None:
    extraction = read(nlp, text)
    dateline = extraction.article.dateline
    assert dateline is not None
    place = entity(extraction, key)
    assert place.type is EntityType.PLACE and place.known
    assert place.name == written.title()
    mention = next(m for m in place.mentions if m.rule == "dateline")
    assert (mention.start, mention.end) == (dateline.place.start, dateline.place.end)
    assert extraction.article.text[mention.start:mention.end] == written
    start, end = extraction.sentences[mention.sentence]
    assert start <= mention.start and mention.end <= end
    no_fact_from_the_dateline(extraction)


def test_the_known_agency_is_an_organization(nlp) -> None:
    extraction = read(nlp, "Talks held\n\nBISHKEK, 12 March 2025 (AKIpress) - "
                           "The SCO foreign ministers met on Tuesday.\n")
    agency = entity(extraction, "akipress")
    assert (agency.type, agency.name) == (EntityType.ORGANIZATION, "AKIpress")
    dateline = extraction.article.dateline
    assert dateline is not None and dateline.agency is not None
    assert [(m.start, m.end) for m in agency.mentions] == [
        (dateline.agency.start, dateline.agency.end)
    ]
    assert sorted(e.key for e, _ in in_dateline(extraction)) == ["akipress", "bishkek"]


def test_an_unknown_place_is_a_place_in_title_case_and_an_unknown_agency_is_not_made_up(
    nlp,
) -> None:
    extraction = read(nlp, "Talks held\n\nKARAKOL, 12 March (Issyk-Kul Post) - "
                           "The SCO energy ministers met on Tuesday.\n")
    found = in_dateline(extraction)
    assert [(e.key, e.type, e.name, text) for e, text in found] == [
        ("place:karakol", EntityType.PLACE, "Karakol", "KARAKOL")
    ]
    place = found[0][0]
    assert extraction.article.text[place.mentions[0].start:place.mentions[0].end] == "KARAKOL"
    no_fact_from_the_dateline(extraction)


def test_a_dateline_country_is_the_gazetteer_s_country(nlp) -> None:
    extraction = read(nlp, "Talks held\n\nKUWAIT, March 3 (Reuters) - "
                           "The SCO dialogue partners met on Monday.\n")
    kuwait = entity(extraction, "kuwait")
    assert (kuwait.type, kuwait.name) == (EntityType.COUNTRY, "Kuwait")
    assert [m.text for m in kuwait.mentions] == ["KUWAIT"]
    no_fact_from_the_dateline(extraction)


def test_the_dateline_place_joins_its_mentions_in_the_story(nlp) -> None:
    extraction = read(nlp, "Talks held\n\nKARAKOL (Reuters) - The SCO summit opened in "
                           "Karakol on Tuesday.\n")
    place = entity(extraction, "place:karakol")
    assert place.type is EntityType.PLACE
    assert [m.text for m in place.mentions] == ["KARAKOL", "Karakol"]
    dateline = extraction.article.dateline
    assert dateline is not None
    # the story's own "in Karakol" may give heldIn; the dateline gives nothing
    for fact in extraction.facts:
        assert fact.evidence.start >= dateline.span.end
