"""People named with initials ("A.B. Surname", "K. P. Oli", "M Surname") and
titled people in run-on lists with no commas (a scraped table): each person
with the title before the name, a title word starting the next item."""

from __future__ import annotations

import datetime as dt

import pytest

from sco_graph.extract.article import extract
from sco_graph.types import Article, EntityType

pytestmark = pytest.mark.slow

RUN_ON = (
    "The meeting was attended by the heads of government:\n\n"
    "Vice President of Laos X.Y. Somsavat Prime Minister of Nepal K. P. Oli "
    "Premier of the State Council of China Li Qiang "
    "Chairman of the Government of Russia D.A. Medvedev\n\n"
    "The talks ended on Tuesday."
)


def extraction(nlp, text: str):
    [found] = extract([Article("t.txt", 0, text, None, dt.date(2025, 7, 1))], nlp)
    return found


def posts(nlp, text: str) -> set[tuple[str, str, str, str | None]]:
    found = extraction(nlp, text)
    names = {e.key: e.name for e in found.entities}
    return {(names[f.subject], f.predicate.value, names[f.object], f.role)
            for f in found.facts if f.predicate.value == "holdsPosition"}


def test_each_person_of_a_run_on_list_holds_the_post_before_the_name(nlp):
    assert posts(nlp, RUN_ON) == {
        ("X.Y. Somsavat", "holdsPosition", "Laos", "Vice President"),
        ("K. P. Oli", "holdsPosition", "Nepal", "Prime Minister"),
        ("Li Qiang", "holdsPosition", "State Council of China", "Premier"),
        ("Dmitry Medvedev", "holdsPosition", "Government of Russia", "Chairman"),
    }


def test_the_body_of_a_post_in_a_run_on_list_is_part_of_its_country(nlp):
    found = extraction(nlp, RUN_ON)
    names = {e.key: e.name for e in found.entities}
    assert {(names[f.subject], names[f.object]) for f in found.facts
            if f.predicate.value == "partOf"} == {
        ("State Council of China", "China"), ("Government of Russia", "Russia"),
    }


def test_initials_are_part_of_the_name_and_a_known_person_keeps_the_form(nlp):
    people = {e.name: e.aliases for e in extraction(nlp, RUN_ON).entities
              if e.type is EntityType.PERSON}
    assert set(people) == {"X.Y. Somsavat", "K. P. Oli", "Li Qiang", "Dmitry Medvedev"}
    # the gazetteer knows him under his full name; the text's form is an alias
    assert "D.A. Medvedev" in people["Dmitry Medvedev"]


def test_names_with_initials_without_a_title(nlp):
    people = {e.name: e for e in extraction(
        nlp, "S.A. Medvedev, V.K. Petrov and the U.S. Congress welcomed Ms Leila Farouk Khan "
             "and Y.Batbold in Ulaanbaatar.",
    ).entities if e.type is EntityType.PERSON}
    # initials that do not agree with the known Dmitry Medvedev name another person
    assert set(people) == {"S.A. Medvedev", "V.K. Petrov", "Leila Farouk Khan", "Y.Batbold"}
    assert "Ms Leila Farouk Khan" in people["Leila Farouk Khan"].aliases
    assert not people["S.A. Medvedev"].known


def test_a_lone_capital_initial_and_spaced_initials_after_titles(nlp):
    assert posts(nlp, "Deputy Prime Minister of Mongolia Y.Batbold First Vice President of Iran "
                      "E. Rostami met Vice President of India M Suresh Rao.") == {
        ("Y.Batbold", "holdsPosition", "Mongolia", "Deputy Prime Minister"),
        ("E. Rostami", "holdsPosition", "Iran", "First Vice President"),
        ("M Suresh Rao", "holdsPosition", "India", "Vice President"),
    }


def test_a_run_on_list_under_attended_by_takes_part_with_the_countries(nlp):
    found = extraction(nlp, RUN_ON.replace("The meeting", "The SCO meeting in Bishkek"))
    names = {e.key: e.name for e in found.entities}
    assert {names[f.subject] for f in found.facts if f.predicate.value == "participatedIn"
            and names[f.object] == "SCO meeting in Bishkek"} == {
        "X.Y. Somsavat", "K. P. Oli", "Li Qiang", "Dmitry Medvedev",
        # a post of the country's government or state council is a post of the country
        "Laos", "Nepal", "China", "Russia",
    }


def test_the_post_is_in_the_whole_body_a_title_names(nlp):
    # "SCO Business Council" holds "SCO": the post is in the council, not the SCO
    assert posts(nlp, "Chairman of the SCO Business Council A.B. Tursunov met SCO Secretary "
                      "General Zhang Ming.") == {
        ("A.B. Tursunov", "holdsPosition", "SCO Business Council", "Chairman"),
        ("Zhang Ming", "holdsPosition", "Shanghai Cooperation Organisation", "Secretary General"),
    }


def test_a_plural_noun_after_a_title_word_names_no_one(nlp):
    found = extraction(nlp, "They spoke for the peoples of the SCO Member States.")
    assert [e.name for e in found.entities if e.type is EntityType.PERSON] == []


def test_a_middle_initial_keeps_the_given_name(nlp):
    people = [e.name for e in extraction(
        nlp, "Ram N. Singh visited Astana, where A.B. Tursunov met him.").entities
        if e.type is EntityType.PERSON]
    assert people == ["Ram N. Singh", "A.B. Tursunov"]
