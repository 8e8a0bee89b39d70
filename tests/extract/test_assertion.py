"""The one assertion filter, relation by relation: what a statement that is negated, hedged,
conditional, questioned or only planned gives (nothing), and what a scheduled attendance gives."""

from __future__ import annotations

import pytest
from builders import facts_of

SCO = "Shanghai Cooperation Organisation"
DECLARATION = "Bishkek Declaration"

CASES = [
    # memberOf
    ("Laos joined the SCO in 2020.", {("Laos", "memberOf", SCO)}),
    ("Laos did not join the SCO.", set()),
    ("Laos plans to join the SCO.", set()),
    ("Laos hopes to become a full member of the SCO.", set()),
    ("Laos may become an observer state of the SCO.", set()),
    ("If the talks succeed, Laos will join the SCO.", set()),
    ("Will Laos join the SCO?", set()),
    # adopted
    ("The SCO summit adopted the Bishkek Declaration.", {("SCO summit", "adopted", DECLARATION)}),
    ("The SCO summit did not adopt the Bishkek Declaration.", set()),
    ("The SCO summit is expected to adopt the Bishkek Declaration.", set()),
    ("The SCO summit may adopt the Bishkek Declaration.", set()),
    ("The SCO summit will adopt the Bishkek Declaration.", set()),
    # participatedIn: a scheduled attendance is a fact
    ("Prime Minister of Nepal Ram Chandra Poudel will attend the SCO summit.",
     {("Ram Chandra Poudel", "participatedIn", "SCO summit"),
      ("Nepal", "participatedIn", "SCO summit"),
      ("Ram Chandra Poudel", "holdsPosition", "Nepal")}),
    ("Prime Minister of Nepal Ram Chandra Poudel did not attend the SCO summit.",
     {("Ram Chandra Poudel", "holdsPosition", "Nepal")}),
    ("Prime Minister of Nepal Ram Chandra Poudel might attend the SCO summit.",
     {("Ram Chandra Poudel", "holdsPosition", "Nepal")}),
]


@pytest.mark.slow
@pytest.mark.parametrize(("text", "facts"), CASES)
def test_the_statement_gives_exactly_these_facts(nlp, text, facts) -> None:
    assert facts_of(nlp, text) == facts


@pytest.mark.slow
def test_a_word_that_both_negates_and_marks_a_condition_blocks_the_main_clause(nlp) -> None:
    """Word lists are data: a marker of condition also listed among the negations still
    makes the main clause conditional, not only its own clause negated."""
    from dataclasses import replace

    from sco_graph.extract.relations.assertion import Assertions
    from sco_graph.knowledge.relation_words import default_words

    words = default_words()
    assert "if" in words.hypothetical_markers and "if" not in words.negations
    both = replace(words, lists={**words.lists, "negations": words.negations | {"if"}})
    doc = nlp("If the talks succeed, Laos will join the SCO.")
    join = next(token for token in doc if token.lemma_ == "join")
    assert join.dep_ == "ROOT"  # the shape this test is about: the condition hangs on it
    assert not Assertions(doc, words).holds(join)
    assert not Assertions(doc, both).holds(join)
    plain = nlp("Laos will join the SCO.")
    assert Assertions(plain, both).holds(next(t for t in plain if t.lemma_ == "join"))
