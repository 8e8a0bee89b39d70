"""The tree matcher (extract/relations/tree_matcher.py) finds what spaCy's
DependencyMatcher finds: the same matches, for the project's patterns and others."""

from __future__ import annotations

import pytest
from conftest import CORPUS
from spacy.matcher import DependencyMatcher

from sco_graph.extract.relations.tree_matcher import TreeMatcher
from sco_graph.knowledge.relation_patterns import default_patterns
from sco_graph.read.reader import read_source

SENTENCES = [
    "Uzbek President Shavkat Mirziyoyev met Chinese Premier Li Qiang in Tashkent on Monday.",
    "The ministers held talks with their Iranian counterpart and signed a road map.",
    "Belarus became a full member of the organisation, while Laos joined as a dialogue partner.",
    "At the meeting in Bishkek, Japarov and Rahmon discussed water, energy and transport.",
    "The council adopted the programme that the secretary general had proposed.",
    "",
]

# Equality, IN and NOT_IN on each supported attribute, and trees of several depths.
EXTRA_PATTERNS = {
    "verb-with-subject": [
        {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"POS": {"IN": ["VERB", "AUX"]}}},
        {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "subject",
         "RIGHT_ATTRS": {"DEP": {"IN": ["nsubj", "nsubjpass"]}}},
    ],
    "noun-not-subject": [
        {"RIGHT_ID": "head", "RIGHT_ATTRS": {"TAG": "NN", "DEP": {"NOT_IN": ["nsubj"]}}},
        {"LEFT_ID": "head", "REL_OP": ">>", "RIGHT_ID": "word",
         "RIGHT_ATTRS": {"LOWER": {"IN": ["the", "their", "a"]}}},
    ],
    "in-a-city": [
        {"RIGHT_ID": "prep", "RIGHT_ATTRS": {"ORTH": "in", "DEP": "prep"}},
        {"LEFT_ID": "prep", "REL_OP": ">", "RIGHT_ID": "city", "RIGHT_ATTRS": {"POS": "PROPN"}},
    ],
}


def _matches(matcher: DependencyMatcher, doc) -> list[tuple[int, tuple[int, ...]]]:
    return sorted((key, tuple(nodes)) for key, nodes in matcher(doc))


def _pair(vocab, patterns: dict[str, list[dict]]) -> tuple[DependencyMatcher, TreeMatcher]:
    spacy_matcher, tree_matcher = DependencyMatcher(vocab), TreeMatcher(vocab)
    for name, nodes in patterns.items():
        spacy_matcher.add(name, [nodes])
        tree_matcher.add(name, [nodes])
    return spacy_matcher, tree_matcher


@pytest.mark.parametrize("which", ["project", "extra"])
def test_the_tree_matcher_finds_what_spacy_finds(nlp, which: str) -> None:
    patterns = ({p.id: p.pattern for p in default_patterns()} if which == "project"
                else EXTRA_PATTERNS)
    spacy_matcher, tree_matcher = _pair(nlp.vocab, patterns)
    texts = [*SENTENCES, *(read_source(path).text for path in sorted(CORPUS.glob("*.txt")))]
    found = 0
    for doc in nlp.pipe(texts):
        expected = _matches(spacy_matcher, doc)
        assert _matches(tree_matcher, doc) == expected, doc.text[:80]
        found += len(expected)
    assert found > 20  # the comparison is not between two empty lists


def test_a_node_it_cannot_compile_falls_back_to_spacy(nlp) -> None:
    patterns = {"titled-subject": [
        {"RIGHT_ID": "verb", "RIGHT_ATTRS": {"POS": "VERB"}},
        {"LEFT_ID": "verb", "REL_OP": ">", "RIGHT_ID": "subject",
         "RIGHT_ATTRS": {"IS_TITLE": True, "DEP": "nsubj"}},
    ]}
    spacy_matcher, tree_matcher = _pair(nlp.vocab, patterns)
    doc = nlp(SENTENCES[0] + " Ministers met. officials met.")
    assert _matches(tree_matcher, doc) == _matches(spacy_matcher, doc) != []


def test_patterns_added_later_are_matched_too(nlp) -> None:
    tree_matcher = TreeMatcher(nlp.vocab)
    doc = nlp(SENTENCES[2])
    tree_matcher.add("in-a-city", [EXTRA_PATTERNS["in-a-city"]])
    first = tree_matcher(doc)
    tree_matcher.add("verb-with-subject", [EXTRA_PATTERNS["verb-with-subject"]])
    spacy_matcher, _ = _pair(nlp.vocab, {k: EXTRA_PATTERNS[k]
                                         for k in ("in-a-city", "verb-with-subject")})
    assert len(tree_matcher(doc)) > len(first)
    assert _matches(tree_matcher, doc) == _matches(spacy_matcher, doc)
