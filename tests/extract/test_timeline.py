"""Time expressions of an article (sco_graph.extract.timeline) and the dates the graph states."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from builders import new_graph
from rdflib import Literal

from sco_graph.extract.timeline import document_period, time_mentions, with_times
from sco_graph.graph import vocab
from sco_graph.graph.iri import mint
from sco_graph.graph.store import KnowledgeGraph, Violation, article_iri, event_date, validate_graph
from sco_graph.graph.vocab import RDF, SCO
from sco_graph.types import (
    Article,
    ArticleExtraction,
    Entity,
    EntityType,
    Mention,
    TimeMention,
)

# rdflib 7.6 calls its own deprecated Dataset/ConjunctiveGraph API internally.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

DATE = vocab.XSD.date
D = dt.date
THURSDAY = D(2024, 7, 4)

TEXT = (
    "Tokayev said on Thursday that the SCO summit opens today. "
    "The SCO Anti-Drug Strategy for 2024-2029 was adopted last year. "
    "In November last year he visited Moscow, and the forum meets this fall."
)


def _sentences(text: str) -> tuple[tuple[int, int], ...]:
    return tuple((m.start(), m.end()) for m in re.finditer(r"[^.]+\.", text))


def _entity(key: str, entity_type: EntityType, name: str, text: str,
            *, occurrence: int = 0) -> Entity:
    """An entity mentioned once, at the `occurrence`-th place `name` stands in `text`."""
    starts = [m.start() for m in re.finditer(re.escape(name), text)]
    start = starts[occurrence]
    sentence = next(i for i, (s, e) in enumerate(_sentences(text)) if s <= start < e)
    return Entity(key, entity_type, name,
                  mentions=(Mention(name, start, start + len(name), sentence, "test"),))


def _extraction(text: str, date: dt.date | None, *entities: Entity) -> ArticleExtraction:
    article = Article("t.txt", 0, text, date=date)
    return with_times(ArticleExtraction(article, entities, sentences=_sentences(text)))


def _plain(times: tuple[TimeMention, ...]) -> list[tuple]:
    return [(t.text, t.first_day, t.last_day, t.relative, t.sentence, t.dates) for t in times]


# -- reading the phrases against the article's date --------------------------------


def test_relative_phrases_resolve_against_the_article_date() -> None:
    assert _plain(_extraction(TEXT, THURSDAY).times) == [
        ("on Thursday", THURSDAY, THURSDAY, True, 0, ()),
        ("today", THURSDAY, THURSDAY, True, 0, ()),
        ("for 2024-2029", D(2024, 1, 1), D(2029, 12, 31), False, 1, ()),
        ("last year", D(2023, 1, 1), D(2023, 12, 31), True, 1, ()),
        ("In November last year", D(2023, 11, 1), D(2023, 11, 30), True, 2, ()),
        ("this fall", D(2024, 9, 1), D(2024, 11, 30), True, 2, ()),
    ]


def test_the_same_phrases_a_year_later_are_other_dates() -> None:
    times = _extraction(TEXT, D(2025, 7, 3)).times
    assert [(t.text, t.first_day) for t in times if t.relative] == [
        ("on Thursday", D(2025, 7, 3)),
        ("today", D(2025, 7, 3)),
        ("last year", D(2024, 1, 1)),
        ("In November last year", D(2024, 11, 1)),
        ("this fall", D(2025, 9, 1)),
    ]


def test_an_undated_article_keeps_only_the_dates_it_spells_out() -> None:
    text = ("In April 1996 the Shanghai Five met. "
            "Today the SCO meets, as it has since 1 January 2022.")
    times = _extraction(text, None).times
    assert _plain(times) == [
        ("In April 1996", D(1996, 4, 1), D(1996, 4, 30), False, 0, ()),
        ("since 1 January 2022", D(2022, 1, 1), None, False, 1, ()),
    ]


def test_offsets_point_at_the_phrase() -> None:
    for time in _extraction(TEXT, THURSDAY).times:
        assert TEXT[time.start : time.end] == time.text


def test_without_sentences_nothing_is_dated() -> None:
    article = Article("t.txt", 0, "The summit opens today.", date=THURSDAY)
    summit = Entity("summit", EntityType.EVENT, "summit",
                    mentions=(Mention("summit", 4, 10, 0, "test"),))
    [today] = time_mentions(article, (), (summit,))
    assert (today.sentence, today.dates) == (-1, ())


# -- which event a phrase dates -----------------------------------------------------------


def test_a_phrase_dates_the_event_of_its_sentence() -> None:
    summit = _entity("summit", EntityType.EVENT, "SCO summit", TEXT)
    forum = _entity("forum", EntityType.EVENT, "forum", TEXT)
    times = _extraction(TEXT, THURSDAY, summit, forum).times
    assert {t.text: t.dates for t in times if t.dates} == {
        "today": ("summit",),
        "this fall": ("forum",),
    }


def test_the_closest_phrase_and_event_are_paired_first() -> None:
    text = "Tokayev met Putin on Wednesday ahead of the SCO summit tomorrow."
    summit = _entity("summit", EntityType.EVENT, "SCO summit", text)
    times = _extraction(text, D(2024, 7, 3), summit).times
    assert [(t.text, t.first_day, t.dates) for t in times] == [
        ("on Wednesday", D(2024, 7, 3), ()),
        ("tomorrow", D(2024, 7, 4), ("summit",)),
    ]


def test_a_phrase_inside_another_name_or_a_long_period_dates_no_event() -> None:
    text = ("The summit adopted the SCO Anti-Drug Strategy for 2024-2029. "
            "The summit set goals for 2024-2025.")
    strategy = _entity("strategy", EntityType.DOCUMENT, "SCO Anti-Drug Strategy for 2024-2029",
                       text)
    summit = _entity("summit", EntityType.EVENT, "summit", text)
    summit_2 = _entity("summit", EntityType.EVENT, "summit", text, occurrence=1)
    both = Entity("summit", EntityType.EVENT, "summit",
                  mentions=summit.mentions + summit_2.mentions)
    times = _extraction(text, THURSDAY, strategy, both).times
    assert [(t.text, t.dates) for t in times] == [("for 2024-2029", ()), ("for 2024-2025", ())]


def test_an_event_in_two_sentences_is_dated_by_each() -> None:
    text = "The forum opened today. The forum closes on Saturday."
    first = _entity("forum", EntityType.EVENT, "forum", text)
    second = _entity("forum", EntityType.EVENT, "forum", text, occurrence=1)
    forum = Entity("forum", EntityType.EVENT, "forum", mentions=first.mentions + second.mentions)
    times = _extraction(text, THURSDAY, forum).times
    assert [(t.text, t.first_day, t.dates) for t in times] == [
        ("today", THURSDAY, ("forum",)),
        ("on Saturday", D(2024, 6, 29), ("forum",)),
    ]


# -- validity of documents, dates of events --------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("SCO Anti-Drug Strategy for 2024-2029", (D(2024, 1, 1), D(2029, 12, 31))),
        ("SCO Development Strategy until 2035", (None, D(2035, 12, 31))),
        ("SCO Anti-Drug Strategy", None),
        ("Astana Declaration", None),
        ("", None),
    ],
)
def test_document_period_is_the_years_its_name_states(name, expected) -> None:
    assert document_period(name) == expected


def test_a_document_gets_the_period_of_the_first_of_its_names_that_states_one() -> None:
    text = (
        "Kazakhstan proposed the SCO Anti-Drug Strategy. "
        "It is the Anti-Drug Strategy for 2024-2029."
    )
    short, full = "SCO Anti-Drug Strategy", "Anti-Drug Strategy for 2024-2029"
    strategy = Entity(
        "strategy", EntityType.DOCUMENT, short, aliases=(full,),
        mentions=(Mention(short, text.index(short), text.index(short) + len(short), 0, "test"),),
    )
    graph = new_graph()
    graph.add_article(ArticleExtraction(Article("a.txt", 0, text), (strategy,)))
    rows = graph.query(
        "SELECT ?from ?to WHERE { ?d a sco:Document ; sco:startDate ?from ; sco:endDate ?to }"
    )
    assert [(r[0].toPython(), r[1].toPython()) for r in rows] == [
        (D(2024, 1, 1), D(2029, 12, 31))
    ]
    assert _no_period(strategy, text) == []


def _no_period(strategy: Entity, text: str) -> list:
    """A store without the period reader states no period."""
    graph = KnowledgeGraph()
    graph.add_article(ArticleExtraction(Article("a.txt", 0, text), (strategy,)))
    return list(graph.query("SELECT ?from WHERE { ?d sco:startDate ?from }"))


def test_event_date_is_the_interval_most_phrases_give() -> None:
    july_4, july_3 = (THURSDAY, THURSDAY), (D(2024, 7, 3), D(2024, 7, 3))
    assert event_date([(*july_4, 0.8), (*july_3, 0.95), (*july_4, 0.9)]) == july_4
    # A tie: the higher total confidence, then the earlier.
    assert event_date([(*july_4, 0.8), (*july_3, 0.95)]) == july_3
    assert event_date([(*july_4, 0.9), (*july_3, 0.9)]) == july_3
    assert event_date([]) is None


# -- in the graph -------------------------------------------------------------------------------

SUMMIT = mint("event", "SCO summit")
FORUM = mint("event", "forum")
STRATEGY = mint("document", "SCO Anti-Drug Strategy for 2024-2029")


def _graph(date: dt.date | None = THURSDAY) -> KnowledgeGraph:
    summit = _entity("summit", EntityType.EVENT, "SCO summit", TEXT)
    strategy = _entity("strategy", EntityType.DOCUMENT, "SCO Anti-Drug Strategy for 2024-2029",
                       TEXT)
    forum = _entity("forum", EntityType.EVENT, "forum", TEXT)
    graph = new_graph()
    graph.add_article(_extraction(TEXT, date, summit, strategy, forum))
    return graph


def test_a_time_expression_is_stored_with_its_phrase_dates_and_event() -> None:
    start = TEXT.index("today")
    node = mint("time", f"t.txt#0 {start} {start + 5}")
    pairs = set(_graph().article_graph("t.txt#0").predicate_objects(node))
    assert pairs == {
        (RDF.type, SCO.TimeExpression),
        (SCO.article, article_iri("t.txt#0")),
        (SCO.phrase, Literal("today")),
        (SCO.phraseStart, Literal(start)),
        (SCO.phraseEnd, Literal(start + 5)),
        (SCO.startDate, Literal("2024-07-04", datatype=DATE)),
        (SCO.endDate, Literal("2024-07-04", datatype=DATE)),
        (SCO.granularity, Literal("day")),
        (SCO.relative, Literal(True)),
        (SCO.confidence, Literal("0.95", datatype=vocab.XSD.decimal)),
        (SCO.dateOf, SUMMIT),
    }


def test_events_get_their_date_and_documents_their_validity() -> None:
    union = _graph().union_graph()
    assert union.value(SUMMIT, SCO.startDate) == Literal("2024-07-04", datatype=DATE)
    assert union.value(SUMMIT, SCO.endDate) == Literal("2024-07-04", datatype=DATE)
    assert union.value(FORUM, SCO.startDate) == Literal("2024-09-01", datatype=DATE)
    assert union.value(FORUM, SCO.endDate) == Literal("2024-11-30", datatype=DATE)
    assert union.value(STRATEGY, SCO.startDate) == Literal("2024-01-01", datatype=DATE)
    assert union.value(STRATEGY, SCO.endDate) == Literal("2029-12-31", datatype=DATE)


def test_undated_articles_give_events_no_relative_date() -> None:
    union = _graph(date=None).union_graph()
    assert union.value(SUMMIT, SCO.startDate) is None
    assert list(union.subjects(RDF.type, SCO.TimeExpression)) == [
        mint("time", f"t.txt#0 {TEXT.index('for 2024')} {TEXT.index('for 2024') + 13}")
    ]
    # The validity comes from the document's name, not from the article's date.
    assert union.value(STRATEGY, SCO.endDate) == Literal("2029-12-31", datatype=DATE)


def test_the_timeline_query_lists_events_and_documents_in_date_order() -> None:
    rows = _graph().query("""
        SELECT ?from ?to ?label WHERE {
            VALUES ?class { sco:Event sco:Document }
            ?thing a ?class ; rdfs:label ?label .
            OPTIONAL { ?thing sco:startDate ?from }
            OPTIONAL { ?thing sco:endDate ?to }
            FILTER (BOUND(?from) || BOUND(?to))
        } ORDER BY COALESCE(?from, ?to) ?label""")
    assert [(str(f), str(t), str(label)) for f, t, label in rows] == [
        ("2024-01-01", "2029-12-31", "SCO Anti-Drug Strategy for 2024-2029"),
        ("2024-07-04", "2024-07-04", "SCO summit"),
        ("2024-09-01", "2024-11-30", "forum"),
    ]


def test_a_time_expression_dating_an_unknown_entity_is_refused() -> None:
    extraction = _extraction(TEXT, THURSDAY, _entity("summit", EntityType.EVENT, "SCO summit",
                                                     TEXT))
    broken = ArticleExtraction(extraction.article, (), times=extraction.times)
    with pytest.raises(ValueError, match=r"time expression 'today' dates unknown entity "
                                         r"'summit'"):
        new_graph().add_article(broken)


def test_a_graph_with_time_expressions_conforms_and_a_broken_one_is_reported() -> None:
    graph = _graph()
    assert graph.validate() == ()
    union = graph.union_graph()
    node = next(iter(union.subjects(SCO.phrase, Literal("this fall"))))
    union.remove((node, SCO.endDate, None))
    union.add((node, SCO.endDate, Literal("2024-01-01", datatype=DATE)))
    union.add((node, SCO.dateOf, STRATEGY))
    shapes = {v.shape.rsplit("#", 1)[-1] for v in validate_graph(union)
              if isinstance(v, Violation) and v.focus == str(node)}
    assert shapes == {"TimeFirstDay", "TimeDateOf"}


def test_extraction_attaches_the_time_expressions(nlp) -> None:
    from sco_graph.extract.article import extract

    text = "The SCO summit opened in Astana today. Leaders met there last year."
    [result] = extract([Article("t.txt", 0, text, date=THURSDAY)], nlp)
    summit = next(e for e in result.entities if e.type is EntityType.EVENT)
    assert [(t.text, t.first_day, t.dates) for t in result.times] == [
        ("today", THURSDAY, (summit.key,)),
        ("last year", D(2023, 1, 1), ()),
    ]
