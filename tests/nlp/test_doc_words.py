"""DocWords: the tokens a rule's trigger words pick are the ones a scan of every token
would have picked."""

from __future__ import annotations

import pytest

from sco_graph.nlp.doc_words import DocWords

STORY = ("Mongolia proposed the Green Belt Programme, and the ministers were adopting it. "
         "PRESIDENT Ortega Proposes talks; he has proposed them before.\n\nThey met in Ulan-Ude.")


@pytest.fixture(scope="module")
def doc(nlp):
    return nlp(STORY)


def test_the_words_are_the_tokens_own(doc):
    words = DocWords(doc)
    assert words.lowers == [t.lower_ for t in doc]
    assert words.lemmas == [t.lemma_.lower() for t in doc]
    assert words.pos == [t.pos_ for t in doc]


@pytest.mark.parametrize(("lemmas", "forms", "pos"), [
    ({"propose"}, set(), None),
    ({"propose", "adopt"}, set(), {"VERB"}),
    (set(), {"programme", "talks"}, None),
    ({"meet"}, {"ministers"}, {"NOUN"}),
    (set(), set(), None),
])
def test_tokens_with_picks_what_a_scan_of_every_token_picks(doc, lemmas, forms, pos):
    picked = DocWords(doc).tokens_with(lemmas=lemmas, words=forms, pos=pos)
    scanned = [t for t in doc if (t.lemma_.lower() in lemmas or t.lower_ in forms)
               and (pos is None or t.pos_ in pos)]
    assert [t.i for t in picked] == [t.i for t in scanned]
    assert scanned or not (lemmas or forms)  # the cases do pick tokens
