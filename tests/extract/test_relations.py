"""Relations with evidence: each kind on the corpus and on new sentences of the
same kinds about other people, countries and documents; negative cases."""

from __future__ import annotations

import pytest

from sco_graph.extract.article import extract
from sco_graph.types import Article, ArticleExtraction, Predicate

pytestmark = pytest.mark.slow


def triples(extraction: ArticleExtraction) -> set[tuple[str, str, str]]:
    """(subject name, predicate, object name) of every fact."""
    names = {e.key: e.name for e in extraction.entities}
    return {(names[f.subject], f.predicate.value, names[f.object]) for f in extraction.facts}


def read(nlp, text: str) -> ArticleExtraction:
    [extraction] = extract([Article("new.txt", 0, text)], nlp)
    return extraction


FAS = "001_379da171dd1113d9.txt#0"  # Tokayev meets the SCO foreign ministers
FEED = "004_9f71f0bf7ef8b156.txt#"


@pytest.mark.parametrize(("key", "fact"), [
    (FAS, ("Sergey Lavrov", "holdsPosition", "Russia")),
    (FAS, ("Murat Nurtleu", "holdsPosition", "Kazakhstan")),
    (FAS, ("Ruslan Mirzaev", "holdsPosition", "SCO RATS Executive Committee")),
    (FAS, ("Belarus", "memberOf", "Shanghai Cooperation Organisation")),
    (FAS, ("Kazakhstan", "chairs", "Shanghai Cooperation Organisation")),
    (FAS, ("Kazakhstan", "proposed", "Year of Ecology in the SCO countries")),
    (FAS, ("Sergey Lavrov", "participatedIn", "meeting of the Foreign Ministers’ Council")),
    (FAS, ("Kassym-Jomart Tokayev", "met", "Wang Yi")),
    (FAS, ("SCO Council of Foreign Ministers", "partOf", "Shanghai Cooperation Organisation")),
    (FAS, ("Government of Kazakhstan", "partOf", "Kazakhstan")),
    ("000_36e8ee55338207d0.txt#0", ("Xi Jinping", "proposed", "Global Security Initiative")),
    ("000_36e8ee55338207d0.txt#0",
     ("Kassym-Jomart Tokayev", "supports", "Global Development Initiative")),
    ("003_40421d8e319eeb75.txt#0",
     ("Kassym-Jomart Tokayev", "proposed", "SCO Anti-Drug Strategy for 2024-2029")),
    (FEED + "5", ("Shanghai Cooperation Organization summit in Astana", "adopted",
                  "SCO Anti-Drug Strategy for 2024-2029")),
    (FEED + "5", ("Qingdao", "partOf", "China")),
    (FEED + "7", ("Iran", "participatedIn",
                  "24th Summit of the Heads of State of the Shanghai Cooperation Organization")),
    (FEED + "7", ("24th Summit of the Heads of State of the Shanghai Cooperation Organization",
                  "heldIn", "Astana")),
    (FEED + "8", ("Kassym-Jomart Tokayev", "met", "Vladimir Putin")),
    (FEED + "8", ("Vladimir Putin", "holdsPosition", "Russia")),
    (FEED + "6", ("Belarus", "memberOf", "Shanghai Cooperation Organisation")),
])
def test_relations_of_the_corpus(corpus, key, fact):
    assert fact in triples(corpus[key])


def test_posts_carry_their_role(corpus):
    roles = {(f.subject, f.object): f.role for f in corpus[FAS].facts
             if f.predicate is Predicate.HOLDS_POSITION}
    names = {e.key: e.name for e in corpus[FAS].entities}
    by_name = {(names[s], names[o]): r for (s, o), r in roles.items()}
    assert by_name[("Sergey Lavrov", "Russia")] == "Minister of Foreign Affairs"
    assert by_name[("Zhang Ming", "Shanghai Cooperation Organisation")] == "Secretary General"


def test_membership_status(corpus):
    [joining] = [f for f in corpus[FAS].facts if f.predicate is Predicate.MEMBER_OF]
    assert joining.status == "acceding"  # "Belarus, which will join the SCO soon"
    [joined] = [f for f in corpus[FEED + "6"].facts if f.predicate is Predicate.MEMBER_OF]
    assert joined.status == "member"  # "Belarus officially joins SCO"


def test_every_fact_has_its_sentence_as_evidence(corpus):
    for extraction in corpus.values():
        text = extraction.article.text
        for fact in extraction.facts:
            evidence = fact.evidence
            assert evidence.article == extraction.article.key
            assert text[evidence.start:evidence.end] == evidence.sentence
            assert 0.0 <= evidence.confidence <= 1.0
            assert evidence.rule


def test_posts_in_new_titles(nlp):
    found = triples(read(nlp, "Minister of Foreign Affairs of Kyrgyzstan Jeenbek Kulubaev met "
                              "Chinese President Xi Jinping in Beijing on Monday."))
    assert ("Jeenbek Kulubaev", "holdsPosition", "Kyrgyzstan") in found
    assert ("Xi Jinping", "holdsPosition", "China") in found
    assert ("Jeenbek Kulubaev", "met", "Xi Jinping") in found or (
        "Xi Jinping", "met", "Jeenbek Kulubaev") in found


def test_proposal_by_a_country(nlp):
    found = triples(read(nlp, "Uzbekistan proposes to adopt the SCO Digital Economy Strategy "
                              "for 2026-2030."))
    assert ("Uzbekistan", "proposed", "SCO Digital Economy Strategy for 2026-2030") in found


def test_joining_attending_and_place(nlp):
    found = triples(read(nlp, "Mongolia, which will join the SCO soon, attended the SCO Summit "
                              "in Bishkek."))
    assert ("Mongolia", "memberOf", "Shanghai Cooperation Organisation") in found
    assert ("Mongolia", "participatedIn", "SCO Summit in Bishkek") in found
    assert ("SCO Summit in Bishkek", "heldIn", "Bishkek") in found


def test_chairing_and_support(nlp):
    found = triples(read(nlp, "India, which is currently chairing the SCO, supports the New "
                              "Delhi Declaration."))
    assert ("India", "chairs", "Shanghai Cooperation Organisation") in found
    assert ("India", "supports", "New Delhi Declaration") in found


def test_adoption_at_a_summit(nlp):
    found = triples(read(nlp, "The Tianjin Declaration was signed following the SCO summit "
                              "in Tianjin."))
    assert ("SCO summit in Tianjin", "adopted", "Tianjin Declaration") in found
    assert ("SCO summit in Tianjin", "heldIn", "Tianjin") in found


def test_assuming_the_presidency(nlp):
    found = triples(read(nlp, "Kyrgyzstan will assume the rotating presidency of the SCO for "
                              "2025-2026."))
    assert ("Kyrgyzstan", "chairs", "Shanghai Cooperation Organisation") in found


@pytest.mark.parametrize("text", [
    "Iran did not join the SCO.",
    "If there are no objections, Belarus will join the SCO.",
    "Will Turkey join the SCO?",
    "Kazakhstan never proposed the SCO Digital Economy Strategy for 2026-2030.",
])
def test_negations_questions_and_hypotheticals_give_no_facts(nlp, text):
    predicates = {f.predicate for f in read(nlp, text).facts}
    assert not predicates & {Predicate.MEMBER_OF, Predicate.PROPOSED}


def test_corpus_graph_conforms_to_the_shapes(corpus):
    from sco_graph.graph.store import KnowledgeGraph

    graph = KnowledgeGraph()
    for extraction in corpus.values():
        graph.add_article(extraction)
    assert graph.validate() == ()
    assert graph.summary().facts > 100


def test_the_story_date_dates_the_summit_it_reports_not_history(nlp):
    import datetime as dt

    text = ("Xi on Thursday warned of the Cold War mentality at the SCO Summit in Astana.")
    [extraction] = extract([Article("t.txt", 0, text, date=dt.date(2024, 7, 5))], nlp)
    names = {e.key: e.name for e in extraction.entities}
    dated = {names[key]: (t.first_day, t.text) for t in extraction.times for key in t.dates}
    assert dated == {"SCO Summit in Astana": (dt.date(2024, 7, 4), "on Thursday")}


def test_a_post_keeps_the_period_the_text_gives(nlp):
    import datetime as dt

    text = ("Zhang Ming of China has been SCO Secretary-General since 1 January 2022. "
            "Kazakhstan's Nurlan Yermekbayev becomes the new Secretary General of the SCO "
            "for 2025-2027.")
    [extraction] = extract([Article("t.txt", 0, text, date=dt.date(2024, 7, 4))], nlp)
    names = {e.key: e.name for e in extraction.entities}
    posts = {names[f.subject]: (names[f.object], f.valid_from, f.valid_until)
             for f in extraction.facts if f.predicate is Predicate.HOLDS_POSITION}
    assert posts["Zhang Ming"] == ("Shanghai Cooperation Organisation", dt.date(2022, 1, 1), None)
    assert posts["Nurlan Yermekbayev"] == (
        "Shanghai Cooperation Organisation", dt.date(2025, 1, 1), dt.date(2027, 12, 31)
    )


def test_post_periods_reach_the_graph(nlp):
    import datetime as dt

    from rdflib import Literal

    from sco_graph.graph.store import KnowledgeGraph
    from sco_graph.graph.vocab import XSD

    text = "Nurlan Yermekbayev was appointed Secretary General of the SCO for 2025-2027."
    graph = KnowledgeGraph()
    graph.add_article(extract([Article("t.txt", 0, text, date=dt.date(2024, 7, 4))], nlp)
                      .__next__())
    rows = list(graph.query(
        "SELECT ?from ?until WHERE { ?post a org:Membership ; org:member/rdfs:label "
        "'Nurlan Yermekbayev' ; sco:startDate ?from ; sco:endDate ?until }"
    ))
    assert rows == [(Literal("2025-01-01", datatype=XSD.date),
                     Literal("2027-12-31", datatype=XSD.date))]


def test_titles_the_story_gives_its_person_become_aliases(corpus):
    [tokayev] = [e for e in corpus[FEED + "8"].entities if e.name == "Kassym-Jomart Tokayev"]
    assert {"Head of State", "Kazakh President"} <= set(tokayev.aliases)
    [putin] = [e for e in corpus[FEED + "8"].entities if e.name == "Vladimir Putin"]
    assert "Head of State" not in putin.aliases and "Kazakh President" not in putin.aliases


def test_a_title_of_another_country_is_not_the_main_persons(nlp):
    text = ("Russian President Vladimir Putin met Kazakh President Kassym-Jomart Tokayev. "
            "Putin spoke about trade. Putin thanked the hosts. The Kazakh President said the "
            "SCO Anti-Drug Strategy for 2024-2029 must be adopted.")
    extraction = read(nlp, text)
    by_name = {e.name: e for e in extraction.entities}
    assert "Kazakh President" in by_name["Kassym-Jomart Tokayev"].aliases
    assert "Kazakh President" not in by_name["Vladimir Putin"].aliases
