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
