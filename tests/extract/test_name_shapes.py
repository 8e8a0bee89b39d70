"""Names of documents, events and organs by their general shape: their full
extent (through brackets, gerunds, "to VERB", "member states’"), the forms the
text gives them as aliases, and organs kept with the organisation named."""

from __future__ import annotations

import pytest

from sco_graph.extract.article import extract
from sco_graph.types import Article, EntityType

pytestmark = pytest.mark.slow


def entities(nlp, text: str):
    [extraction] = extract([Article("test.txt", 0, text)], nlp)
    return extraction.entities


def names(nlp, text: str) -> dict[str, EntityType]:
    return {n: e.type for e in entities(nlp, text) for n in (e.name, *e.aliases)}


def test_a_possessive_plural_stays_inside_a_document_name(nlp):
    found = names(nlp, "- Concept of the CIS member states’ cooperation in sport;")
    assert found["Concept of the CIS member states’ cooperation in sport"] is EntityType.DOCUMENT


def test_a_gerund_object_and_a_bracketed_insertion_stay_inside(nlp):
    found = names(nlp, "The ministers adopted a plan on countering the [drug] trafficking.")
    assert found["plan on countering the [drug] trafficking"] is EntityType.DOCUMENT
    assert found["plan on countering the trafficking"] is EntityType.DOCUMENT


def test_a_purpose_clause_continues_a_lower_case_document_name(nlp):
    found = names(nlp, "Mongolia signed a memorandum of intent to gain observer status.")
    assert found["memorandum of intent to gain observer status"] is EntityType.DOCUMENT


def test_what_was_decided_is_no_part_of_a_name(nlp):
    found = names(nlp, "Iran welcomed the bold decision to expand the bloc.")
    assert not any(name.startswith("decision") for name in found)


def test_a_parenthetical_inside_a_name_and_after_it(nlp):
    found = names(
        nlp,
        "The 12th meeting of the Council of Heads of Government (Prime Ministers) of the "
        "Eurasian Economic Union (EAEU) opened in Minsk.",
    )
    full = ("12th meeting of the Council of Heads of Government (Prime Ministers) of the "
            "Eurasian Economic Union")
    assert found[full] is EntityType.EVENT
    assert found[f"{full} (EAEU)"] is EntityType.EVENT
    assert found[full.replace(" (Prime Ministers)", "")] is EntityType.EVENT


def test_leading_words_before_an_ordinal_are_not_the_name(nlp):
    [event] = [e for e in entities(
        nlp, "All eyes are on the long-awaited 7th summit of the Organization of Turkic States."
    ) if e.type is EntityType.EVENT]
    assert event.name == "7th summit of the Organization of Turkic States"


def test_an_event_keeps_its_name_without_the_place(nlp):
    found = names(nlp, "The 15th CICA ministerial meeting in Baku was postponed.")
    assert found["15th CICA ministerial meeting"] is EntityType.EVENT


def test_a_document_stops_before_where_it_was_signed(nlp):
    found = names(nlp, "Laos signed a memorandum of understanding in the Kazakh capital Astana.")
    assert found["memorandum of understanding"] is EntityType.DOCUMENT
    assert found["Astana"] is EntityType.PLACE


def test_a_plan_named_after_the_known_strategy_it_implements(nlp):
    found = names(
        nlp, "They endorsed the action plan for the implementation of the SCO Anti-Drug Strategy."
    )
    assert found["action plan for the implementation of the SCO Anti-Drug Strategy"] is (
        EntityType.DOCUMENT
    )


def test_an_organ_of_another_organisation_is_another_entity(nlp):
    found = entities(
        nlp,
        "The CSTO Council of Foreign Ministers met in Yerevan, and the Council of Foreign "
        "Ministers of the CIS met in Minsk.",
    )
    organs = {e.name: e for e in found if "Council" in e.name}
    assert "SCO Council of Foreign Ministers" not in organs
    assert "CSTO Council of Foreign Ministers" in organs
    assert "CIS Council of Foreign Ministers" in organs


def test_an_organ_named_alone_is_still_the_known_one(nlp):
    found = names(nlp, "The SCO Council of Foreign Ministers met in Astana.")
    assert found["SCO Council of Foreign Ministers"] is EntityType.ORGANIZATION


def test_an_organ_of_an_unknown_organisation_keeps_its_head(nlp):
    found = names(nlp, "The Council of Heads of Government of the Eurasian Economic Union met.")
    assert found["Council of Heads of Government of the Eurasian Economic Union"] is (
        EntityType.ORGANIZATION
    )


def test_an_organisation_with_its_acronym_in_brackets_opens_an_event_name(nlp):
    found = names(nlp, "The leaders met at the Collective Security Treaty Organization (CSTO) "
                       "summit in Minsk.")
    assert found["Collective Security Treaty Organization (CSTO) summit in Minsk"] is (
        EntityType.EVENT)


def test_an_acronym_defined_in_brackets_is_the_name_and_its_later_uses_too(nlp):
    [extraction] = extract([Article("test.txt", 0,
        "Laos signed a memorandum of understanding (MoU) with the bloc. "
        "The MoU was signed by Foreign Minister Saleumxay Kommasith.")], nlp)
    [memo] = [e for e in extraction.entities if e.type is EntityType.DOCUMENT]
    assert memo.name == "memorandum of understanding"
    assert [m.text for m in memo.mentions] == ["memorandum of understanding", "MoU", "MoU"]
    assert not any(e.name == "MoU" for e in extraction.entities if e is not memo)


def test_the_portfolio_of_a_minister_is_no_organisation(nlp):
    found = names(nlp, "Energy and Natural Resources Minister Alparslan Bayraktar met the "
                       "Deputy Foreign Minister for African Affairs Hamdi Sanad Loza.")
    assert {name for name, kind in found.items() if kind is EntityType.ORGANIZATION} == set()


def test_a_body_before_a_title_is_still_a_body(nlp):
    found = names(nlp, "National Security Organization Director Jan Kowalski met the press.")
    assert found["National Security Organization"] is EntityType.ORGANIZATION


def test_a_body_name_stops_before_lower_case_words_and_dates(nlp):
    found = names(nlp, "The treaty was ratified by the Senate of the Republic on Nov. 22, "
                       "the Laotian Foreign Ministry said in a statement on Friday.")
    assert "Senate of the Republic" in found
    assert not any(" on " in name or " in a statement" in name for name in found)


def test_a_one_word_name_joins_the_one_person_with_that_given_or_family_name():
    import spacy
    from spacy.tokens import Span

    from sco_graph.extract.entities import extract_entities
    from sco_graph.nlp import span_keys

    doc = spacy.blank("en")("Wang Lijun met Hari Adhikari and Li Wei . Wang and Li spoke .")
    for token in doc:
        token.is_sent_start = token.i in {0, 9}
    people = [(0, 2), (3, 5), (6, 8), (9, 10), (11, 12)]
    doc.spans[span_keys.ENTITIES] = [Span(doc, s, e, label="Person") for s, e in people]
    found = {e.name: [m.text for m in e.mentions] for e in extract_entities(doc)}
    assert found == {"Wang Lijun": ["Wang Lijun", "Wang"], "Hari Adhikari": ["Hari Adhikari"],
                     "Li Wei": ["Li Wei", "Li"]}


def test_a_bill_is_a_document(nlp):
    found = names(nlp, "The Mongolian parliament approved a bill on the ratification of the "
                       "memorandum on Tuesday.")
    assert found["bill on the ratification of the memorandum"] is EntityType.DOCUMENT


def test_a_status_in_capitals_is_no_organisation(nlp):
    found = names(nlp, "Laos takes part in the summit as an Observer State.")
    assert "Observer State" not in found


def test_a_bank_is_a_body_unless_it_is_still_to_be_set_up(nlp):
    found = names(nlp, "The members elected the Development Bank of Laos as the Chair. "
                       "They also discussed the establishment of the Eurasian Water Bank.")
    assert found["Development Bank of Laos"] is EntityType.ORGANIZATION
    assert found["Eurasian Water Bank"] is EntityType.INITIATIVE


def test_a_known_body_founded_long_ago_stays_a_body(nlp):
    [extraction] = extract([Article("test.txt", 0,
        "The order has been built since the founding of the United Nations.")], nlp)
    assert [(e.name, e.type) for e in extraction.entities] == [
        ("United Nations", EntityType.ORGANIZATION)]


def test_a_capitalised_act_is_a_law(nlp):
    found = names(nlp, "The leaders signed the Bishkek Act on regional security.")
    assert found["Bishkek Act on regional security"] is EntityType.DOCUMENT


def test_a_document_name_goes_on_to_the_body_it_names(nlp):
    found = names(nlp, "The parliament approved the bill on the accession of Laos to the SCO.")
    assert found["bill on the accession of Laos to the SCO"] is EntityType.DOCUMENT


def test_a_given_name_joins_the_known_person_the_story_calls_by_surname(nlp):
    [extraction] = extract([Article("test.txt", 0,
        "The SCO adopted the Moscow declaration, Russian President Vladimir said. "
        "Putin added that the package was ready.")], nlp)
    people = {e.name: sorted(m.text for m in e.mentions) for e in extraction.entities
              if e.type is EntityType.PERSON}
    assert people == {"Vladimir Putin": ["Putin", "Vladimir"]}


def test_a_person_name_goes_on_through_its_particles(nlp):
    found = names(nlp, "Brazilian President Luiz Inacio Lula da Silva met Ursula von der Leyen.")
    assert found["Luiz Inacio Lula da Silva"] is EntityType.PERSON
    assert found["Ursula von der Leyen"] is EntityType.PERSON


def test_a_gathering_named_without_its_host_is_the_story_s_one(nlp):
    [extraction] = extract([Article("test.txt", 0,
        "Leaders posed for a photo at the Shanghai Cooperation Organization (SCO) summit in "
        "Bishkek, Kyrgyzstan. Laos combined its attendance at the summit in Kyrgyzstan with "
        "visits.")], nlp)
    events = [sorted(m.text for m in e.mentions) for e in extraction.entities
              if e.type is EntityType.EVENT]
    assert events == [["Shanghai Cooperation Organization (SCO) summit in Bishkek",
                       "summit in Kyrgyzstan"]]
