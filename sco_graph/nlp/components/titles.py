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

Initials are part of a name ("D.A. Medvedev", "K. P. Oli", "M Suresh Rao",
"Y.Batbold"), not acronyms. In a run-on list with no commas (a scraped
table: "Vice President of Laos X.Y. Somsavat Prime Minister of Nepal K. P.
Oli ..."), a title word after a name starts the next item: the title stops
before it, with the ordinary words that lead into it ("Prime", "First Vice",
"Acting").
"""

from __future__ import annotations

import re
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
# "A.", "A.N.", "M" (a lone capital); "Y.Batbold" is a name word as it stands
_INITIALS = re.compile(r"(?:[A-Z]\.)+|[A-Z]")
_INITIALLED_NAME = re.compile(r"(?:[A-Z]\.)+[A-Z][a-z]{2,}")


class TitleReader:
    def __init__(self, nlp: Language, lexicon: Lexicon) -> None:
        self.nlp = nlp
        self.lexicon = lexicon

    @cached_property
    def _common_words(self) -> frozenset[str]:
        return common_words(self.nlp)

    @cached_property
    def _title_parts(self) -> frozenset[str]:
        """The words of the titles of several words: "prime", "vice", "crown"."""
        return frozenset(w for title in self.lexicon.person_titles for w in title.split()
                         if " " in title)

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
        floor = 0  # where the last name ended: the next title starts after it
        failed = 0  # the end of a title with no name: a title word inside it starts afresh
        while i < len(doc):
            if not self._is_title_word(doc[i]):
                i += 1
                continue
            if i < failed:
                floor = i  # "Director of the ... Structure | Chairman of the ... Council X"
            start = max(self._title_start(doc[i], known), floor)
            end = self._title_end(doc, i, known)
            name = self._name_after(doc, start, end, known)
            if name is not None:
                title = Span(doc, start, name.start)
                yield title, name
                i = floor = name.end
            else:
                failed = max(failed, end)
                i += 1

    def _is_title_word(self, token: Token) -> bool:
        return token.lower_ in self.lexicon.person_titles and (token.is_title or token.is_upper)

    def _title_start(self, token: Token, known: set[int]) -> int:
        """Take in what stands before the title word: "SCO", "Russian", "Kazakhstan's";
        not a name before it ("... T. R. Vongsa Acting Secretary")."""
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
        names = [t.i for t in doc[i : token.i]
                 if is_initial(t) or (t.ent_type_ == "PERSON" and t.i not in known)]
        if names:
            i = names[-1] + 1
            while i < token.i and not self._leads_into_title(doc[i], known):
                i += 1  # the surname after the initials
        return i

    def _title_end(self, doc: Doc, i: int, known: set[int]) -> int:
        """Extend over title words, joiners and capitalised objects ("of Foreign Affairs"),
        up to the next item of a run-on list."""
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
            if self._is_title_word(token):
                next_item = self._next_item_start(doc, i, end, known)
                if next_item is not None:
                    end = next_item
                    break
            if self._is_title_word(token) or token.is_title or token.is_upper:
                end += 1
                continue
            break
        while end > i + 1 and (doc[end - 1].lower_ in _JOINERS or doc[end - 1].is_space):
            end -= 1
        return end

    def _next_item_start(self, doc: Doc, first: int, j: int, known: set[int]) -> int | None:
        """Where the title word at `j` starts a new titled person, after a name that
        ends the title begun at `first`: "... of Laos X.Y. Somsavat | Prime Minister
        of ...". The new item takes in the ordinary capitalised words, acronyms and
        known names right before its title word ("Prime", "First Vice", "SCO");
        a name must stand between that and the first title's words."""
        k = j
        while k - 1 > first and self._leads_into_title(doc[k - 1], known):
            k -= 1
        m = k
        while m - 1 > first and self._may_be_in_name(doc[m - 1], known):
            m -= 1
        tail = doc[m:k]
        if not len(tail) or m - 1 < first or not self._is_boundary(doc[m - 1], known):
            return None
        if is_initial(tail[-1]):
            return None  # a name does not end with an initial
        if any(is_initial(t) or t.ent_type_ == "PERSON" or t.lower_ not in self._common_words
               for t in tail):
            return k
        return None

    def _leads_into_title(self, token: Token, known: set[int]) -> bool:
        if is_initial(token) or token.ent_type_ == "PERSON":
            return False
        if self._is_title_word(token) or token.i in known or token.ent_type_ == "NORP":
            return True
        if token.is_upper and len(token) > 1:
            return True  # "SCO Secretary General"
        return token.is_title and (
            token.lower_ in self._common_words or token.lower_ in self._title_parts
        )

    def _is_boundary(self, token: Token, known: set[int]) -> bool:
        """What stands before a name inside a title: a known country or body, a
        place, a title word, a joiner, an acronym."""
        return (token.i in known or token.ent_type_ in {"GPE", "NORP"}
                or self._is_title_word(token) or token.lower_ in _JOINERS
                or (token.is_upper and len(token) > 1 and not is_initial(token)))

    def _name_after(self, doc: Doc, start: int, end: int, known: set[int]) -> Span | None:
        """The name at the end of a title run: its trailing capitalised words that
        are neither title words nor part of a known country or body."""
        run: list[Token] = []
        for token in reversed([t for t in doc[start:end] if not t.is_space]):
            if self._may_be_in_name(token, known) or self._inner_hyphen(token):
                run.insert(0, token)
                continue
            break
        while run and run[0].ent_type_ != "PERSON" and not is_initial(run[0]) and (
            self._ordinary(run[0], alone=len(run) == 1) or run[0].text in _DASHES
        ) and not (len(run) == 2 and self._after_holder(run[0], known)):
            run = run[1:]  # "Economic Diplomacy Mahdi Safari" -> "Mahdi Safari"
        while run and is_initial(run[-1]):
            run = run[:-1]  # initials start a name, they do not end one
        if not run or len(run) > _MAX_NAME + 2:
            return None
        if not any(self._is_title_word(t) for t in doc[start : run[0].i]):
            return None
        return Span(doc, run[0].i, run[-1].i + 1, label=EntityType.PERSON.value,
                    span_id="names:titled-person")

    def _ordinary(self, token: Token, alone: bool) -> bool:
        """An ordinary English word; alone, its plural too ("SCO Member States" names
        no one)."""
        word = token.lower_
        return word in self._common_words or (
            alone and word.endswith("s") and word[:-1] in self._common_words
        )

    def _after_holder(self, token: Token, known: set[int]) -> bool:
        """Right after the country or body of the title: "of China Li Qiang" keeps "Li"."""
        if token.i == 0:
            return False
        prev = token.doc[token.i - 1]
        return prev.i in known or prev.ent_type_ in {"GPE", "NORP"}

    def _may_be_in_name(self, token: Token, known: set[int]) -> bool:
        if token.i in known or token.ent_type_ in {"GPE", "NORP", "DATE"}:
            return False
        if is_initial(token):
            return True  # "D.A." of "D.A. Medvedev", "M" of "M Suresh Rao"
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


def is_initial(token: Token) -> bool:
    """"A.", "A.N.", or a lone capital followed by a capitalised word ("M Suresh")."""
    if not _INITIALS.fullmatch(token.text):
        return False
    if token.text.endswith("."):
        return True
    doc = token.doc
    following = doc[token.i + 1] if token.i + 1 < len(doc) else None
    return bool(token.whitespace_) and following is not None and following.is_title and (
        len(following) > 1
    )


def is_initialled_name(token: Token) -> bool:
    """A name written with its initials in one word: "Y.Batbold"."""
    return _INITIALLED_NAME.fullmatch(token.text) is not None


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
