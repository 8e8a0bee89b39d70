"""Which gathering an event name means (sco_graph.extract.gatherings), and how that makes
one summit one event: inside an article, and across articles by year."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sco_graph.extract.article import extract
from sco_graph.extract.gatherings import Gathering, GatheringReader
from sco_graph.knowledge.gathering_words import read_gathering_words
from sco_graph.knowledge.gazetteer import Gazetteer, GazetteerEntry
from sco_graph.resolve.identity import Resolver
from sco_graph.types import Article, EntitySummary, EntityType

ORG, PLACE, COUNTRY = EntityType.ORGANIZATION, EntityType.PLACE, EntityType.COUNTRY

GAZETTEER = Gazetteer([
    GazetteerEntry("sco", ORG, "Shanghai Cooperation Organisation",
                   aliases=("SCO", "Shanghai Cooperation Organization")),
    GazetteerEntry("sco_chs", ORG, "SCO Council of Heads of State",
                   aliases=("Council of Heads of State", "SCO Heads of State Council"),
                   part_of="sco", gathering="heads of state"),
    GazetteerEntry("sco_cfm", ORG, "SCO Council of Foreign Ministers",
                   aliases=("Foreign Ministers' Council",), part_of="sco",
                   gathering="foreign ministers"),
    GazetteerEntry("sco_youth_council", ORG, "SCO Youth Council", part_of="sco"),
    GazetteerEntry("csto", ORG, "Collective Security Treaty Organization", aliases=("CSTO",)),
    GazetteerEntry("kazakhstan", COUNTRY, "Kazakhstan"),
    GazetteerEntry("china", COUNTRY, "China"),
    GazetteerEntry("astana", PLACE, "Astana", aliases=("Kazakh capital",), part_of="kazakhstan"),
    GazetteerEntry("tianjin", PLACE, "Tianjin", part_of="china"),
])  # fmt: skip

READER = GatheringReader(GAZETTEER)


@pytest.mark.parametrize(("name", "host", "level", "place", "ordinal", "qualifiers"), [
    ("SCO summit", "sco", "heads of state", None, None, set()),
    ("the Astana SCO Summit", "sco", "heads of state", "astana", None, set()),
    ("SCO summit in the Kazakh capital", "sco", "heads of state", "astana", None, set()),
    ("24th Meeting of the Council of Heads of State of the SCO", "sco", "heads of state",
     None, 24, set()),
    ("meeting of the Foreign Ministers’ Council", "sco", "foreign ministers", None, None, set()),
    ("SCO Ministerial Meeting in Astana", "sco", "foreign ministers", "astana", None, set()),
    ("CSTO summit", "csto", "heads of state", None, None, set()),
    ("SCO Youth Council meeting", "sco", "body:sco_youth_council", None, None, set()),
    ("online meeting of the SCO Heads of State Council", "sco", "heads of state", None, None,
     {"online"}),
    ("the upcoming extraordinary SCO summit", "sco", "heads of state", None, None,
     {"extraordinary"}),
])  # fmt: skip
def test_what_a_gathering_name_says(name, host, level, place, ordinal, qualifiers):
    assert READER.read(name) == Gathering(host, level, place, ordinal, None,
                                          frozenset(qualifiers))


@pytest.mark.parametrize("name", [
    "SCO+ meeting",  # no level: who meets is not said
    "expanded meeting of the Shanghai Cooperation Organization",
    "Cold War",
    "spring floods in Kazakhstan",
    "joint summit of the SCO and the CSTO",  # two hosts
    "SCO summit in Astana and Tianjin",  # two places
])  # fmt: skip
def test_names_that_say_no_single_gathering(name):
    assert READER.read(name) is None


def test_the_year_of_a_name_is_read():
    assert READER.read("SCO summit 2025").year == 2025


@pytest.mark.parametrize(("a", "b", "same"), [
    ("SCO summit", "SCO Summit in Astana", True),
    ("SCO summit in Kazakhstan", "SCO Summit in Astana", True),  # a city is in its country
    ("SCO summit in Astana", "SCO Summit in Tianjin", False),
    ("24th SCO summit", "25th SCO summit", False),
    ("SCO summit", "online SCO summit", False),
    ("SCO summit", "SCO Ministerial Meeting", False),
    ("SCO summit", "CSTO summit", False),
    ("SCO summit 2024", "SCO summit 2025", False),
])  # fmt: skip
def test_which_readings_can_be_one_gathering(a, b, same):
    first, second = READER.read(a), READER.read(b)
    assert first.compatible(second, GAZETTEER) is same
    assert second.compatible(first, GAZETTEER) is same


def test_read_all_completes_one_reading_from_several_names():
    reading = READER.read_all(["SCO summit", "24th SCO summit", "SCO summit in Astana"])
    assert (reading.place, reading.ordinal) == ("astana", 24)
    assert READER.read_all(["SCO summit in Astana", "SCO summit in Tianjin"]) is None


@given(st.text(max_size=80))
def test_any_text_reads_without_error_and_is_compatible_with_itself(text):
    reading = READER.read(text)
    assert reading is None or reading.compatible(reading, GAZETTEER)


def test_a_broken_gatherings_file_is_named(tmp_path):
    path = tmp_path / "gatherings.json"
    path.write_text('{"levels": {"heads of state": "summit"}, "generic_words": []}')
    with pytest.raises(Exception, match=r"gatherings\.json.*'levels' must map"):
        read_gathering_words(path)


# -- across articles: one node per gathering, never one per name -----------------


def summary(article: str, name: str, *forms: str, date: dt.date | None) -> EntitySummary:
    return EntitySummary(article=article, iri=f"urn:x:{article}:{name}", type=EntityType.EVENT,
                         name=name, forms=tuple(sorted({name, *forms})), mentions=1, date=date)


def resolve(*summaries: EntitySummary) -> dict[str, str]:
    resolution = Resolver(GAZETTEER).add_all(summaries).resolve()
    return {article: str(iri) for (article, _), iri in resolution.iris.items()}


JULY_2024, JULY_2025 = dt.date(2024, 7, 4), dt.date(2025, 8, 31)


def test_one_summit_named_three_ways_in_three_articles_is_one_event():
    iris = resolve(
        summary("a#0", "SCO summit", date=JULY_2024),
        summary("b#0", "24th Meeting of the Council of Heads of State of the SCO",
                "SCO summit", date=JULY_2024),
        summary("c#0", "Shanghai Cooperation Organization summit in Astana", date=JULY_2024),
    )
    assert len(set(iris.values())) == 1
    # named as most articles name it (here a tie: the longest), with its place and year
    assert iris["a#0"].endswith(
        "/event/24th-meeting-of-the-council-of-heads-of-state-of-the-sco-astana-2024")


def test_each_years_sco_summit_is_its_own_event():
    iris = resolve(summary("a#0", "SCO summit", date=JULY_2024),
                   summary("b#0", "SCO summit", date=JULY_2025))
    assert iris["a#0"] != iris["b#0"]
    assert iris["a#0"].endswith("/event/sco-summit-2024")


def test_a_summit_without_a_place_joins_neither_of_two_summits_of_its_year():
    iris = resolve(summary("a#0", "SCO summit in Astana", date=JULY_2024),
                   summary("b#0", "SCO summit in Tianjin", date=JULY_2024),
                   summary("c#0", "SCO summit", date=JULY_2024))
    assert len(set(iris.values())) == 3


def test_an_undated_story_joins_the_one_summit_it_can_mean():
    one = resolve(summary("a#0", "SCO summit in Astana", date=JULY_2024),
                  summary("b#0", "Astana SCO Summit", date=None))
    assert one["a#0"] == one["b#0"]
    two = resolve(summary("a#0", "SCO summit in Astana", date=JULY_2024),
                  summary("c#0", "SCO summit in Astana", date=dt.date(2017, 6, 9)),
                  summary("b#0", "Astana SCO Summit", date=None))
    assert len(set(two.values())) == 3


def test_other_events_still_join_by_their_words():
    iris = resolve(summary("a#0", "Cold War", date=JULY_2024),
                   summary("b#0", "Cold War", date=JULY_2025))
    assert iris["a#0"] == iris["b#0"]


# -- inside an article (the real pipeline) --------------------------------------


def events_of(nlp, text: str, date: dt.date | None = None) -> list[set[str]]:
    [extraction] = extract([Article("test.txt", 0, text, date=date)], nlp)
    return [{e.name, *e.aliases} for e in extraction.entities if e.type is EntityType.EVENT]


@pytest.mark.slow
def test_an_article_naming_its_summit_three_ways_has_one_event(nlp):
    events = events_of(nlp, (
        "The 24th Meeting of the Council of Heads of State of the SCO opened in Astana. "
        "Xi Jinping attended the SCO summit. Leaders praised the Astana SCO Summit."
    ))
    assert len(events) == 1
    assert {"24th Meeting of the Council of Heads of State of the SCO", "SCO summit",
            "Astana SCO Summit"} <= events[0]


@pytest.mark.slow
def test_an_article_keeps_two_summits_and_the_online_one_apart(nlp):
    events = events_of(nlp, (
        "The SCO summit in Astana adopted the declaration. The next SCO summit in Tianjin "
        "will follow. India hosted an online meeting of the SCO Heads of State Council."
    ))
    assert len(events) == 3


def test_the_shipped_gazetteer_gives_levels_that_gatherings_json_knows():
    from sco_graph.knowledge.gathering_words import default_gathering_words
    from sco_graph.knowledge.gazetteer import default_gazetteer

    gazetteer = default_gazetteer()
    levels = set(default_gathering_words().levels.values())
    bodies = [e for e in gazetteer if e.gathering is not None]
    assert {e.id for e in bodies} >= {"sco_chs", "sco_cfm", "csto_csc"}
    for body in bodies:
        assert body.gathering in levels, body.id
        assert gazetteer[body.part_of].type is ORG, body.id


def test_groups_of_one_gathering_leave_out_names_that_could_be_two():
    from sco_graph.extract.gatherings import one_gathering_groups

    def groups(**names: str) -> list[list[str]]:
        readings = {key: READER.read(name) for key, name in names.items()}
        return one_gathering_groups(readings, GAZETTEER)

    assert groups(a="SCO summit in Astana", b="SCO summit", c="24th SCO summit",
                  d="CSTO summit") == [["a", "b", "c"]]
    assert groups(a="SCO summit in Astana", b="SCO summit in Tianjin", c="SCO summit") == []
    assert groups(a="24th SCO summit in Astana", b="CSTO summit",
                  c="Astana SCO Summit", d="CSTO summit in Astana") == [["a", "c"], ["b", "d"]]
    # "SCO summit 2025" could be the 24th (its year unknown) or the 25th: it links
    # two summits that cannot be one, so nothing is grouped
    assert groups(a="24th SCO summit", b="25th SCO summit", c="SCO summit 2025") == []
