"""People named after their post: "Minister of Foreign Affairs of Russia Sergey
Lavrov", "SCO Secretary General Zhang Ming", "Deputy Foreign Minister for
Economic Diplomacy Mahdi Safari", "Russian President Vladimir Putin".

The small statistical model reads such lists badly (it tags "Russia Sergey
Lavrov" as one organisation). Here a title is a run of title words (from
sco_graph/data/lexicon.json) with its prepositional objects; the name is the run of
capitalised words after it, starting at the first word that is not an
ordinary English word, so "Economic Diplomacy Mahdi Safari" yields "Mahdi
Safari". Titled names go to `doc.spans["sco_titled_people"]`, the title
before each to `doc.spans["sco_titles"]` (same order), for the relation stage.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from sco_graph.knowledge.common_words import common_words
from sco_graph.knowledge.lexicon import Lexicon, default_lexicon
from sco_graph.nlp import span_keys
from sco_graph.types import EntityType

_MAX_NAME = 4
_MAX_TITLE = 16
_JOINERS = {"of", "for", "the", "-", "–", "—"}
_DASHES = {"-", "–", "—"}


class TitleReader:
    def __init__(self, nlp: Language, lexicon: Lexicon) -> None:
        self.nlp = nlp
        self.lexicon = lexicon

    @cached_property
    def _common_words(self) -> frozenset[str]:
        return common_words(self.nlp)

    def __call__(self, doc: Doc) -> Doc:
        people, titles = [], []
        for title, name in self.find(doc, _known_tokens(doc)):
            titles.append(title)
            people.append(name)
        doc.spans[span_keys.TITLED_PEOPLE] = people
        doc.spans[span_keys.TITLES] = titles
        return doc

    def find(self, doc: Doc, known: set[int]) -> Iterator[tuple[Span, Span]]:
        i = 0
        while i < len(doc):
            if not self._is_title_word(doc[i]):
                i += 1
                continue
            start = self._title_start(doc[i])
            end = self._title_end(doc, i)
            name = self._name_after(doc, start, end, known)
            if name is not None:
                title = Span(doc, start, name.start)
                yield title, name
                i = name.end
            else:
                i = end if end > i else i + 1

    def _is_title_word(self, token: Token) -> bool:
        return token.lower_ in self.lexicon.person_titles and (token.is_title or token.is_upper)

    def _title_start(self, token: Token) -> int:
        """Take in what stands before the title word: "SCO", "Russian", "Kazakhstan's"."""
        doc = token.doc
        i = token.i
        while i - 1 >= token.sent.start:
            prev = doc[i - 1]
            if prev.text in {"'s", "’s"} or ((prev.is_title or prev.is_upper) and prev.pos_ in {
                "PROPN", "ADJ", "NOUN"
            }):
                i -= 1
                continue
            break
        return i

    def _title_end(self, doc: Doc, i: int) -> int:
        """Extend over title words, joiners and capitalised objects ("of Foreign Affairs")."""
        end = i + 1
        limit = min(len(doc), i + _MAX_TITLE)
        while end < limit:
            token = doc[end]
            if "\n" in token.text:
                break
            if token.is_space:
                end += 1
                continue
            if token.lower_ in _JOINERS or token.text.startswith(tuple(_DASHES)):
                end += 1
                continue
            if self._is_title_word(token) or token.is_title or token.is_upper:
                end += 1
                continue
            break
        while end > i + 1 and (doc[end - 1].lower_ in _JOINERS or doc[end - 1].is_space):
            end -= 1
        return end

    def _name_after(self, doc: Doc, start: int, end: int, known: set[int]) -> Span | None:
        """The name at the end of a title run: its trailing capitalised words that
        are neither title words nor part of a known country or body."""
        run: list[Token] = []
        for token in reversed([t for t in doc[start:end] if not t.is_space]):
            if self._may_be_in_name(token, known) or self._inner_hyphen(token):
                run.insert(0, token)
                continue
            break
        while run and run[0].ent_type_ != "PERSON" and (
            run[0].lower_ in self._common_words or run[0].text in _DASHES
        ):
            run = run[1:]  # "Economic Diplomacy Mahdi Safari" -> "Mahdi Safari"
        if not run or len(run) > _MAX_NAME + 2:
            return None
        if not any(self._is_title_word(t) for t in doc[start : run[0].i]):
            return None
        return Span(doc, run[0].i, run[-1].i + 1, label=EntityType.PERSON.value,
                    span_id="names:titled-person")

    def _may_be_in_name(self, token: Token, known: set[int]) -> bool:
        if token.i in known or token.ent_type_ in {"GPE", "NORP", "DATE"}:
            return False
        if token.is_upper and len(token) > 1:
            return False  # acronyms are bodies, not people
        return token.is_title and not self._is_title_word(token) and token.lower_ not in _JOINERS

    def _inner_hyphen(self, token: Token) -> bool:
        """The hyphen of "Kassym-Jomart", written without spaces."""
        doc = token.doc
        return (
            token.text in _DASHES and not token.whitespace_ and token.i > 0
            and not doc[token.i - 1].whitespace_
        )


def _known_tokens(doc: Doc) -> set[int]:
    """Tokens inside gazetteer names of countries, bodies and places."""
    known: set[int] = set()
    for span in doc.spans.get(span_keys.GAZETTEER, []):
        if span.label_ != EntityType.PERSON.value:
            known.update(range(span.start, span.end))
    return known


@Language.factory(
    "sco_titles", assigns=["doc.spans"], requires=["token.pos", "token.is_sent_start", "doc.ents"]
)
def make_title_reader(nlp: Language, name: str) -> TitleReader:
    return TitleReader(nlp, default_lexicon())
