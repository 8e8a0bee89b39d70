"""The one assertion filter: which statements of an article give facts at all.

Every relation rule asks this before it records a fact (`ArticleContext.add`
does, given the rule's trigger). A statement gives no fact when it is:

- negated: "Belarus did not join", "no agreement was signed";
- a question, or under a condition: "If there are no objections, ...";
- hedged: "may sign", "could become", "plans to join", "is expected to adopt",
  "hopes to become" (a modal of possibility, or a verb of intention or
  expectation governing the trigger);
- in the future, for the relations where a future statement is only a plan:
  "will adopt", "is going to sign". A scheduled attendance ("X will attend the
  meeting on 4 July") is a fact (../shared/gold/FORMAT.md), and so are the
  other relations listed as `future_facts` in the data.

The words are data: `negations`, `hypothetical_markers`, `hedge_modals`,
`hedge_verbs`, `hedge_adjectives`, `future_markers` and `future_facts` in
sco_graph/data/relation_words.json.
"""

from __future__ import annotations

from functools import cached_property

from spacy.tokens import Doc, Token

from sco_graph.knowledge.relation_words import RelationWords
from sco_graph.nlp.doc_words import DocWords
from sco_graph.types import Predicate


class Assertions:
    """Answers "does this token's statement assert a fact of this relation?" for one Doc."""

    def __init__(self, doc: Doc, words: RelationWords, read: DocWords | None = None) -> None:
        """`read`: the Doc's words, when the caller has them already."""
        self.doc = doc
        self.words = words
        self.read = read if read is not None else DocWords(doc)

    def holds(self, token: Token, predicate: Predicate | None = None) -> bool:
        """False for a negated, questioned, conditional or hedged statement, and for a
        future one where `predicate` is not among the relations a plan states."""
        if token.i in self._blocked:
            return False
        if predicate is None or predicate.value.casefold() in self.words.future_facts:
            return True
        return token.i not in self._future

    @cached_property
    def _blocked(self) -> frozenset[int]:
        words = self.words
        doc = self.doc
        blocked: set[int] = set()
        for sent in doc.sents:
            if sent.text.rstrip().endswith("?"):
                blocked.update(range(sent.start, sent.end))
        negated = self._negated_or_hedged()
        for i in sorted(negated):
            blocked.update(t.i for t in doc[i].subtree)
        read = self.read
        for token in read.tokens_with(lemmas=words.hedge_verbs, pos={"VERB"}):
            if token.i not in negated:
                # "plans to join", "hopes that X becomes": what is hoped for is not a fact
                for child in token.children:
                    if child.dep_ in {"xcomp", "ccomp"}:
                        blocked.update(t.i for t in child.subtree)
        for token in read.tokens_with(words=words.hedge_adjectives):
            hedge_verb = read.lemmas[token.i] in words.hedge_verbs and token.pos_ == "VERB"
            if token.i not in negated and not hedge_verb and token.dep_ in {"acomp", "amod"}:
                # "is expected to adopt", "likely to sign"
                for child in [*token.children, *token.head.children]:
                    if child.dep_ in {"xcomp", "ccomp"}:
                        blocked.update(t.i for t in child.subtree)
        return frozenset(blocked)

    def _negated_or_hedged(self) -> set[int]:
        """The tokens with a child that negates or hedges them: "not", "never", a
        modal of possibility, a mark of condition ("if"), or a conditional clause."""
        words = self.words
        read = self.read
        heads, deps, lowers = read.heads, read.deps, read.lowers
        found: set[int] = set()
        for i, (head, dep, lower) in enumerate(zip(heads, deps, lowers, strict=True)):
            if head == i:
                continue  # a root is nobody's child
            if (dep == "neg" or lower in words.negations
                    or (dep == "aux" and lower in words.hedge_modals)):
                found.add(head)
            if dep == "mark" and lower in words.hypothetical_markers:
                found.add(head)
                if deps[head] == "advcl" and heads[head] != head:
                    found.add(heads[head])  # "If X, ... signs": the clause's head
        return found

    @cached_property
    def _future(self) -> frozenset[int]:
        """Tokens of clauses in the future: "will sign", "is going to adopt"."""
        words = self.words
        future: set[int] = set()
        for token in self.doc:
            if token.pos_ not in {"VERB", "AUX"}:
                continue
            markers = [c for c in token.children if c.dep_ in {"aux", "auxpass"}]
            if any(m.lower_ in words.future_markers for m in markers) or (
                token.head.lower_ == "going" and token.dep_ == "xcomp"
            ):
                future.update(t.i for t in token.subtree)
        return frozenset(future)
