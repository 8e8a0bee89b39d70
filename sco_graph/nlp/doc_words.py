"""A Doc's words as plain strings, read once, so that rules look only at the tokens
their trigger words pick.

Every attribute read through a `Token` builds a Python object and looks a string
up; a rule that walks every token of every story for its few trigger words pays
that on all of them (it was most of the time the rules took). Here each distinct
word of the story is looked up once, and the rules visit only the tokens whose
word or lemma is one of theirs.
"""

from __future__ import annotations

from collections.abc import Callable, Set
from functools import cached_property

from spacy.attrs import DEP, HEAD, LEMMA, LOWER, POS
from spacy.tokens import Doc, Token


class DocWords:
    """The lower-case forms, lower-cased lemmas, coarse tags, dependency labels and heads
    of one Doc's tokens."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc

    @cached_property
    def lowers(self) -> list[str]:
        return self._strings(LOWER, str)

    @cached_property
    def lemmas(self) -> list[str]:
        return self._strings(LEMMA, str.lower)

    @cached_property
    def pos(self) -> list[str]:
        return self._strings(POS, str)

    @cached_property
    def deps(self) -> list[str]:
        return self._strings(DEP, str)

    @cached_property
    def heads(self) -> list[int]:
        """Each token's head, by index (a root is its own head)."""
        offsets = self.doc.to_array([HEAD]).astype("int64").tolist()
        return [i + offset for i, offset in enumerate(offsets)]

    def _strings(self, attr: int, fold: Callable[[str], str]) -> list[str]:
        ids = self.doc.to_array([attr]).tolist()
        strings = self.doc.vocab.strings
        folded = {id_: fold(strings[id_]) for id_ in set(ids)}
        return [folded[id_] for id_ in ids]

    def tokens_with(self, *, lemmas: Set[str] = frozenset(), words: Set[str] = frozenset(),
                    pos: Set[str] | None = None) -> list[Token]:
        """The tokens whose lemma is among `lemmas` or whose lower-case form is among
        `words` (and, given `pos`, whose coarse tag is among those), in text order."""
        doc = self.doc
        tags = self.pos if pos is not None else None
        return [doc[i] for i, (lower, lemma) in enumerate(zip(self.lowers, self.lemmas,
                                                                strict=True))
                if (lemma in lemmas or lower in words) and (tags is None or tags[i] in pos)]
