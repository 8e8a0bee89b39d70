"""Scoring predictions against gold: the rules of FORMAT.md, checked by hand."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import GOLD, PRED, art, ent, rel, scored
from hypothesis import given, settings
from hypothesis import strategies as st

from sco_graph.errors import GoldFormatError
from sco_graph.evaluate.gold import (
    ENTITY_TYPES,
    PREDICATES,
    GoldArticle,
    GoldEntity,
    GoldRelation,
    load_gold,
)
from sco_graph.evaluate.scoring import Counts, Linking, score

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "gold" / "seeds.jsonl"


def test_worked_example_exact_numbers(tmp_path: Path) -> None:
    s = scored(tmp_path, [GOLD], [PRED])
    # Entities: Xi, Putin, China match (tp 3); "Astana" as a Country is extra (fp 1);
    # gold SCO and Astana (a Place) are missed (fn 2).
    # P = 3/4 = 0.75, R = 3/5 = 0.6, F1 = 2*3 / (2*3 + 1 + 2) = 6/9.
    assert s.entities == Counts(tp=3, fp=1, fn=2)
    assert (s.entities.precision, s.entities.recall) == (0.75, 0.6)
    assert s.entities.f1 == pytest.approx(2 / 3)
    # Relations: met and holdsPosition match; Putin holdsPosition "Astana" is extra;
    # China memberOf SCO is missed (SCO was not found). P = R = F1 = 2/3.
    assert s.relations == Counts(tp=2, fp=1, fn=1)
    assert s.relations.precision == s.relations.recall == s.relations.f1 == pytest.approx(2 / 3)
    # Per type: recall by gold type, precision by predicted type.
    assert s.entities_by_type == {
        "Person": Counts(2, 0, 0), "Country": Counts(1, 1, 0), "Organization": Counts(0, 0, 1),
        "Document": Counts(), "Initiative": Counts(), "Event": Counts(), "Place": Counts(0, 0, 1),
    }
    assert s.entities_by_type["Country"].precision == 0.5
    assert s.entities_by_type["Country"].recall == 1.0
    assert s.entities_by_type["Place"].recall == 0.0
    assert s.relations_by_predicate["met"] == Counts(1, 0, 0)
    assert s.relations_by_predicate["holdsPosition"] == Counts(1, 1, 0)
    assert s.relations_by_predicate["memberOf"] == Counts(0, 0, 1)
    assert s.relations_by_predicate["chairs"] == Counts()
    [article] = s.articles
    assert [(g.id, p.id) for g, p in article.entity_matches] == [
        ("xi", "p1"), ("putin", "p2"), ("china", "p3")]
    assert [m.id for m in article.missed_entities] == ["sco", "astana"]
    assert [e.id for e in article.extra_entities] == ["p4"]
    assert article.missed_relations == (GoldRelation("china", "memberOf", "sco"),)
    assert article.extra_relations == (GoldRelation("p2", "holdsPosition", "p4"),)


def test_zero_denominators_give_zero() -> None:
    assert (Counts().precision, Counts().recall, Counts().f1) == (0.0, 0.0, 0.0)
    assert Counts(tp=0, fp=3).precision == 0.0 and Counts(tp=0, fp=3).recall == 0.0
    assert Counts(tp=0, fn=2).f1 == 0.0
    assert Linking().accuracy == 0.0
    assert Counts(1, 2, 3) + Counts(10, 20, 30) == Counts(11, 22, 33)


def test_aliases_on_either_side_match(tmp_path: Path) -> None:
    gold = art([ent("sco", "Organization", "Shanghai Cooperation Organisation", "SCO"),
                ent("tok", "Person", "Kassym-Jomart Tokayev", "Tokayev"),
                ent("un", "Organization", "United Nations")])
    pred = art([ent("a", "Organization", "SCO"),  # pred name = gold alias
                ent("b", "Person", "President Tokayev", "Kassym-Jomart Tokayev"),  # alias = name
                ent("c", "Organization", "United")])  # a part of a name is not the name
    s = scored(tmp_path, [gold], [pred])
    assert [(g.id, p.id) for g, p in s.articles[0].entity_matches] == [("sco", "a"), ("tok", "b")]
    assert s.entities == Counts(tp=2, fp=1, fn=1)


def test_normalisation_of_the_case_and_punctuation(tmp_path: Path) -> None:
    gold = art([ent("decl", "Document", "The Astana Declaration"),
                ent("drugs", "Document", "SCO Anti-Drug Strategy 2024–2029"),
                ent("cfm", "Organization", "Foreign Ministers’ Council"),
                ent("sco", "Organization", "SCO")])
    pred = art([ent("a", "Document", "astana declaration"),
                ent("b", "Document", "SCO anti drug strategy (2024-2029)"),
                ent("c", "Organization", "the FOREIGN MINISTERS' COUNCIL"),
                ent("d", "Organization", "S.C.O.")])  # "s c o" is not "sco"
    s = scored(tmp_path, [gold], [pred])
    assert [(g.id, p.id) for g, p in s.articles[0].entity_matches] == [
        ("decl", "a"), ("drugs", "b"), ("cfm", "c")]
    assert s.entities == Counts(tp=3, fp=1, fn=1)


def test_types_list_counts_under_the_type_that_matched(tmp_path: Path) -> None:
    bri = ent("bri", ["Initiative", "Document"], "Belt and Road Initiative", "BRI")
    gold = [art([bri], article=0), art([bri], article=1), art([bri], article=2),
            art([bri], article=3)]
    pred = [art([ent("x", "Document", "BRI")], article=0),
            art([ent("x", "Initiative", "Belt and Road Initiative")], article=1),
            art([ent("x", "Organization", "BRI")], article=2),
            art([], article=3)]
    s = scored(tmp_path, gold, pred)
    # 0: Document matches; 1: Initiative matches; 2: wrong type, a miss and an extra;
    # 3: a miss. Misses count under the first listed type (Initiative).
    assert s.entities == Counts(tp=2, fp=1, fn=2)
    assert s.entities_by_type["Document"] == Counts(tp=1)
    assert s.entities_by_type["Initiative"] == Counts(tp=1, fn=2)
    assert s.entities_by_type["Organization"] == Counts(fp=1)


def test_matching_is_maximum_where_greedy_would_lose_one(tmp_path: Path) -> None:
    # Gold "Li" (also "Premier Li") could take either prediction; taken greedily in file
    # order it would take "Li Qiang" (first, via its alias "Li") and leave gold "Li Qiang"
    # with nothing. The maximum matching pairs both.
    gold = art([ent("g1", "Person", "Li", "Premier Li"), ent("g2", "Person", "Li Qiang")])
    pred = art([ent("p1", "Person", "Li Qiang", "Li"), ent("p2", "Person", "Premier Li")])
    s = scored(tmp_path, [gold], [pred])
    assert [(g.id, p.id) for g, p in s.articles[0].entity_matches] == [("g1", "p2"), ("g2", "p1")]
    assert s.entities == Counts(tp=2, fp=0, fn=0)


def test_each_entity_matches_at_most_once(tmp_path: Path) -> None:
    gold = art([ent("xi", "Person", "Xi Jinping", "Xi")])
    pred = art([ent("p1", "Person", "Xi"), ent("p2", "Person", "Xi Jinping")])
    s = scored(tmp_path, [gold], [pred])
    # Ties go to the earlier prediction; the duplicate is an extra.
    assert [(g.id, p.id) for g, p in s.articles[0].entity_matches] == [("xi", "p1")]
    assert s.entities == Counts(tp=1, fp=1, fn=0)


def test_met_matches_in_either_direction_other_predicates_do_not(tmp_path: Path) -> None:
    entities = [ent("xi", "Person", "Xi"), ent("putin", "Person", "Putin"),
                ent("china", "Country", "China"), ent("sco", "Organization", "SCO")]
    gold = art(entities, [rel("xi", "met", "putin"), rel("china", "memberOf", "sco")])
    pred = art(entities, [rel("putin", "met", "xi"), rel("sco", "memberOf", "china")])
    s = scored(tmp_path, [gold], [pred])
    assert s.relations == Counts(tp=1, fp=1, fn=1)
    assert s.relations_by_predicate["met"] == Counts(tp=1)
    assert s.relations_by_predicate["memberOf"] == Counts(fp=1, fn=1)


def test_a_relation_matches_at_most_once(tmp_path: Path) -> None:
    # Hand-built predictions may hold the same meeting twice; only one counts.
    people = (GoldEntity("xi", ("Person",), "Xi"), GoldEntity("pu", ("Person",), "Putin"))
    gold = [GoldArticle("a.txt", 0, None, None, people, (GoldRelation("xi", "met", "pu"),))]
    pred = [GoldArticle("a.txt", 0, None, None, gold[0].entities,
                        (GoldRelation("pu", "met", "xi"), GoldRelation("xi", "met", "pu")))]
    s = score(gold, pred)
    assert s.relations == Counts(tp=1, fp=1, fn=0)
    assert s.articles[0].relation_matches == ((GoldRelation("xi", "met", "pu"),
                                               GoldRelation("pu", "met", "xi")),)


def test_relation_through_an_unmatched_entity_does_not_count(tmp_path: Path) -> None:
    gold = art([ent("xi", "Person", "Xi"), ent("summit", "Event", "SCO summit")],
               [rel("xi", "participatedIn", "summit")])
    # The summit is predicted as a Place, so it matches nothing, and neither does the relation
    # that leads to it, though its names are the same.
    pred = art([ent("a", "Person", "Xi"), ent("b", "Place", "SCO summit")],
               [rel("a", "participatedIn", "b")])
    s = scored(tmp_path, [gold], [pred])
    assert s.entities == Counts(tp=1, fp=1, fn=1)
    assert s.relations == Counts(tp=0, fp=1, fn=1)


def test_entity_choice_prefers_the_one_with_the_relations(tmp_path: Path) -> None:
    # The pipeline split Xi in two; the earlier one has no relations. Both choices give one
    # entity match; only "Xi" gives the relation too.
    gold = art([ent("xi", "Person", "Xi Jinping", "Xi"), ent("putin", "Person", "Putin")],
               [rel("xi", "met", "putin")])
    pred = art([ent("p1", "Person", "Xi Jinping"), ent("p2", "Person", "Xi"),
                ent("p3", "Person", "Putin")], [rel("p3", "met", "p2")])
    s = scored(tmp_path, [gold], [pred])
    assert [(g.id, p.id) for g, p in s.articles[0].entity_matches] == [
        ("xi", "p2"), ("putin", "p3")]
    assert (s.entities, s.relations) == (Counts(2, 1, 0), Counts(1, 0, 0))


def test_entity_choice_swaps_partners_for_relations(tmp_path: Path) -> None:
    # In file order g1 would take p1 and g2 p2; the only predicted relation needs the swap.
    gold = art([ent("g1", "Person", "Li"), ent("g2", "Person", "Li"), ent("w", "Person", "Wang")],
               [rel("g1", "met", "w")])
    pred = art([ent("p1", "Person", "Li"), ent("p2", "Person", "Li"), ent("q", "Person", "Wang")],
               [rel("q", "met", "p2")])
    s = scored(tmp_path, [gold], [pred])
    assert [(g.id, p.id) for g, p in s.articles[0].entity_matches] == [
        ("g1", "p2"), ("g2", "p1"), ("w", "q")]
    assert s.relations == Counts(1, 0, 0)


def test_entity_choice_hands_a_partner_to_an_unmatched_gold_entity(tmp_path: Path) -> None:
    # One "Li" predicted for two gold Li's: it goes to the one whose relation it carries.
    gold = art([ent("hui", "Person", "Li Hui", "Li"), ent("qiang", "Person", "Li Qiang", "Li"),
                ent("wang", "Person", "Wang Yi")], [rel("qiang", "met", "wang")])
    pred = art([ent("li", "Person", "Li"), ent("wang", "Person", "Wang Yi")],
               [rel("li", "met", "wang")])
    s = scored(tmp_path, [gold], [pred])
    assert [(g.id, p.id) for g, p in s.articles[0].entity_matches] == [
        ("qiang", "li"), ("wang", "wang")]
    assert (s.entities, s.relations) == (Counts(2, 0, 1), Counts(1, 0, 0))


def test_wikidata_linking_accuracy(tmp_path: Path) -> None:
    gold = art([ent("xi", "Person", "Xi", wikidata="Q15031"),
                ent("putin", "Person", "Putin", wikidata="Q7747"),
                ent("china", "Country", "China", wikidata="Q148"),
                ent("sco", "Organization", "SCO"),
                ent("un", "Organization", "UN", wikidata="Q1065")])
    pred = art([ent("a", "Person", "Xi", wikidata="Q15031"),  # right
                ent("b", "Person", "Putin", wikidata="Q1"),  # wrong
                ent("c", "Country", "China"),  # no id: wrong
                ent("d", "Organization", "SCO", wikidata="Q485207")])  # gold has none: not counted
    # The UN is not matched, so its id is not counted either: 1 right of 3.
    s = scored(tmp_path, [gold], [pred])
    assert s.linking == Linking(correct=1, total=3)
    assert s.linking.accuracy == pytest.approx(1 / 3)
    assert [(g.id, p.id) for g, p in s.articles[0].wrong_links] == [("putin", "b"), ("china", "c")]


def test_missing_and_unexpected_articles(tmp_path: Path) -> None:
    one = art([ent("xi", "Person", "Xi")], article=0)
    two = art([ent("sco", "Organization", "SCO"), ent("kz", "Country", "Kazakhstan")],
              [rel("kz", "memberOf", "sco")], article=1)
    other = art([ent("x", "Person", "Someone")], source="b.txt")
    s = scored(tmp_path, [one, two], [other, one])
    # a.txt#1 has no prediction: its 2 entities and 1 relation are missed. b.txt#0 is not in
    # the gold file: ignored, its entity is not an extra.
    assert s.entities == Counts(tp=1, fp=0, fn=2)
    assert s.relations == Counts(tp=0, fp=0, fn=1)
    assert s.unpredicted == ("a.txt#1",)
    assert s.unscored == ("b.txt#0",)
    assert [a.key for a in s.articles] == ["a.txt#0", "a.txt#1"]
    assert s.entities == s.articles[0].entities + s.articles[1].entities


def test_duplicate_articles_in_hand_built_input_are_refused() -> None:
    article = GoldArticle("a.txt", 0, None, None)
    with pytest.raises(GoldFormatError, match=r"^predictions: article a.txt#0 is given twice$"):
        score([article], [article, article])
    with pytest.raises(GoldFormatError, match=r"^gold: article a.txt#0 is given twice$"):
        score([article, article], [article])


def test_seeds_scored_against_themselves_are_perfect() -> None:
    if not SEEDS.is_file():
        pytest.skip(f"{SEEDS} is absent")
    gold = load_gold(SEEDS)
    s = score(gold, gold)
    entities = sum(len(a.entities) for a in gold)
    relations = sum(len(a.relations) for a in gold)
    linked = sum(1 for a in gold for e in a.entities if e.wikidata)
    assert (entities, relations) == (237, 192)
    assert s.entities == Counts(tp=entities, fp=0, fn=0)
    assert s.relations == Counts(tp=relations, fp=0, fn=0)
    assert s.linking == Linking(correct=linked, total=linked)
    for counts in [*s.entities_by_type.values(), *s.relations_by_predicate.values()]:
        assert counts.fp == counts.fn == 0
    assert all(c.f1 == 1.0 for c in s.relations_by_predicate.values())
    assert all(c.f1 == 1.0 for c in s.entities_by_type.values())


# --- properties ---------------------------------------------------------------

# Few, colliding names, so that entities compete for partners.
NAMES = st.sampled_from(["Xi", "xi", "The Xi", "Xi Jinping", "SCO", "S.C.O.", "Astana"])


@st.composite
def articles(draw: st.DrawFn, source: str = "s.txt") -> list[GoldArticle]:
    out = []
    for index in draw(st.lists(st.integers(0, 3), max_size=3, unique=True)):
        n = draw(st.integers(0, 6))
        entities = tuple(
            GoldEntity(
                f"e{i}",
                tuple(draw(st.lists(st.sampled_from(ENTITY_TYPES[:3]), min_size=1, max_size=2,
                                    unique=True))),
                draw(NAMES), tuple(draw(st.lists(NAMES, max_size=2))),
                draw(st.sampled_from([None, "Q1", "Q2"])),
            )
            for i in range(n)
        )
        triples = draw(st.lists(
            st.tuples(st.integers(0, max(n - 1, 0)), st.sampled_from(PREDICATES),
                      st.integers(0, max(n - 1, 0))),
            max_size=6 if n else 0,
            unique_by=lambda t: (t[1], min(t[0], t[2]), max(t[0], t[2])),
        ))
        relations = tuple(GoldRelation(f"e{s}", p, f"e{o}") for s, p, o in triples)
        out.append(GoldArticle(source, index, None, None, entities, relations))
    return out


@settings(max_examples=150, deadline=None)
@given(articles())
def test_gold_scored_against_itself_is_perfect(gold: list[GoldArticle]) -> None:
    s = score(gold, gold)
    n_entities = sum(len(a.entities) for a in gold)
    n_relations = sum(len(a.relations) for a in gold)
    assert s.entities == Counts(tp=n_entities)
    assert s.relations == Counts(tp=n_relations)
    assert s.entities.f1 == (1.0 if n_entities else 0.0)
    assert s.relations.f1 == (1.0 if n_relations else 0.0)
    assert s.linking.correct == s.linking.total
    for article in s.articles:
        assert all(g == p for g, p in article.entity_matches)


@settings(max_examples=150, deadline=None)
@given(articles(), articles())
def test_scores_are_ratios_of_consistent_counts(
    gold: list[GoldArticle], pred: list[GoldArticle]
) -> None:
    s = score(gold, pred)
    paired = {a.key for a in gold} & {a.key for a in pred}
    n_gold = sum(len(a.entities) for a in gold)
    n_pred = sum(len(a.entities) for a in pred if a.key in paired)
    assert s.entities.tp + s.entities.fn == n_gold
    assert s.entities.tp + s.entities.fp == n_pred
    assert s.relations.tp + s.relations.fn == sum(len(a.relations) for a in gold)
    assert sum(s.entities_by_type.values(), Counts()) == s.entities
    assert sum(s.relations_by_predicate.values(), Counts()) == s.relations
    for counts in [s.entities, s.relations, *s.entities_by_type.values()]:
        for value in (counts.precision, counts.recall, counts.f1):
            assert 0.0 <= value <= 1.0
    assert 0.0 <= s.linking.accuracy <= 1.0
    assert s.unscored == tuple(a.key for a in pred if a.key not in paired)
    # The same input gives the same answer.
    assert score(gold, pred) == s
