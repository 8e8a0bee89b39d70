"""The rule families on made-up sentences of the general shapes they read, with names
the corpus does not use: each sentence gives exactly the facts it states."""

from __future__ import annotations

import pytest
from builders import facts_of, undirected

pytestmark = pytest.mark.slow

SCO = "Shanghai Cooperation Organisation"

CASES = [
    # a list right before "as STATUS", each list its own status
    ("The SCO counts Laos and Fiji among its members, with Nepal and Peru as observers, "
     "and Qatar, Oman and Chile as partner countries.",
     {(c, "memberOf", SCO) for c in ("Laos", "Fiji", "Nepal", "Peru", "Qatar", "Oman", "Chile")}),
    # an event in a city the story places in a country is held in both
    ("The SCO summit took place in Karakol, Kyrgyzstan.",
     {("SCO summit", "heldIn", "Karakol"), ("SCO summit", "heldIn", "Kyrgyzstan"),
      ("Karakol", "partOf", "Kyrgyzstan")}),
    # talks: the subject's people with the people the talks were with, not with a clause
    # hanging on the subject
    ("President of Laos Thongloun Sisoulith, accompanied by Foreign Minister Saleumxay "
     "Kommasith, held talks with Nepalese Prime Minister Ram Poudel.",
     {("Thongloun Sisoulith", "met", "Ram Poudel"),
      ("Thongloun Sisoulith", "holdsPosition", "Laos")}),
    # a meeting at which a document was adopted adopts it
    ("The SCO adopted the Bishkek Declaration as a result of the SCO summit.",
     {("SCO summit", "adopted", "Bishkek Declaration"),
      (SCO, "adopted", "Bishkek Declaration")}),
    # "as the Chair": the state named before "as"
    ("Ministers thanked Laos for its productive work as the Chair of the SCO.",
     {("Laos", "chairs", SCO)}),
]


@pytest.mark.parametrize(("text", "facts"), CASES)
def test_the_sentence_gives_exactly_its_facts(nlp, text, facts) -> None:
    assert facts_of(nlp, text) == {undirected(f) for f in facts}
