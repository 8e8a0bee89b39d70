"""Names that no list can hold: documents, events, initiatives, bodies.

"the SCO Anti-Drug Strategy for 2024-2029", "the program for cooperation in
the fight against terrorism, separatism and extremism for 2025-2027", "the 24th
Meeting of the Council of Heads of State of the SCO", "the project "Spiritual
Relics of the SCO States"": each is a head word (strategy, programme, meeting,
project — from sco_graph/data/lexicon.json) with modifiers before it and a chain of
prepositional phrases after it. The small statistical parser often attaches
those phrases to the verb instead, so the chain is read from the surface:
tags and capitalisation, not the dependency tree.

The component writes candidate spans to `doc.spans["sco_names"]`, labelled
with our entity types; `sco_entities` decides between them and the others.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from sco_graph.knowledge.lexicon import Lexicon, default_lexicon
from sco_graph.knowledge.time_words import load_time_words, normalise_phrase
from sco_graph.nlp import span_keys
from sco_graph.nlp.doc_words import DocWords
from sco_graph.types import EntityType

_MAX_NAME_TOKENS = 45
_CONNECTORS = {"of", "the", "and", "for", "on", "in", "&"}
_HYPHENS = {"-", "–", "‑"}
_POSSESSIVE = {"'s", "’s", "'", "’"}
_PLACE_LABELS = {"GPE", "LOC", "FAC"}
_BRACKETS = {"(": ")", "[": "]"}
_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)")
_MAX_INSERTION = 4  # words in "(Prime Ministers)", "[coronavirus]"


class NameChunker:
    def __init__(self, lexicon: Lexicon) -> None:
        self.months = frozenset(load_time_words().months)
        self.lexicon = lexicon
        suffixes = lexicon.organization_suffixes
        # every word `_head_label` can take as a head (the last word of a two-word suffix)
        self._head_words = frozenset().union(
            lexicon.document_heads, lexicon.capitalised_document_heads, lexicon.event_heads,
            lexicon.initiative_heads, suffixes, (suffix.split()[-1] for suffix in suffixes),
        )

    def __call__(self, doc: Doc) -> Doc:
        spans = list(self.find(doc))
        doc.spans[span_keys.NAMES] = sorted(set(spans), key=lambda s: (s.start, s.end, s.label_))
        return doc

    def find(self, doc: Doc) -> Iterator[Span]:
        words = DocWords(doc)
        yield from self._quoted_titles(doc, words)
        yield from self._distributed_initiatives(words)
        heads = words.tokens_with(lemmas=self._head_words, words=self._head_words,
                                  pos={"NOUN", "PROPN"})
        for token in heads:
            label = self._head_label(token)
            if label is None:
                continue
            span = self._expand(token, label)
            if span is None:
                continue
            if label is EntityType.EVENT:
                yield from self._body_inside_event(span, token)
            yield span

    # -- heads -----------------------------------------------------------------

    def _head_label(self, token: Token) -> EntityType | None:
        word = token.lower_
        lemma = token.lemma_.lower()
        lex = self.lexicon
        if token.pos_ not in {"NOUN", "PROPN"}:
            return None
        if self._is_established(token):
            return EntityType.INITIATIVE
        if word in lex.document_heads or lemma in lex.document_heads:
            return EntityType.DOCUMENT
        if word in lex.capitalised_document_heads and token.is_title:
            return EntityType.DOCUMENT  # "the Bishkek Act", not "a terror act"
        if word in lex.event_heads or lemma in lex.event_heads:
            return EntityType.EVENT
        body = (word in lex.organization_suffixes or lemma in lex.organization_suffixes
                or self._bigram(token) in lex.organization_suffixes)
        if (word in lex.initiative_heads or lemma in lex.initiative_heads) and not body:
            return EntityType.INITIATIVE
        if (word in lex.organization_suffixes or lemma in lex.organization_suffixes
                or self._bigram(token) in lex.organization_suffixes):
            return EntityType.ORGANIZATION
        return None

    def _bigram(self, token: Token) -> str:
        if token.i == 0:
            return token.lower_
        return f"{token.doc[token.i - 1].lower_} {token.lower_}"

    def _is_established(self, head: Token) -> bool:
        """True for the head of "the establishment of four SCO centers ...": a body
        or project that someone wants to create is an initiative, not a body yet."""
        lex = self.lexicon
        if head.lower_ not in lex.organization_suffixes | lex.initiative_heads and (
            head.lemma_.lower() not in lex.organization_suffixes | lex.initiative_heads
        ):
            return False
        return follows_establishment(head.doc, self._left_edge(head), self.lexicon)

    # -- span building ---------------------------------------------------------

    def _expand(self, head: Token, label: EntityType) -> Span | None:
        doc = head.doc
        start = self._left_edge(head)
        end = self._right_edge(head, label)
        while end > head.i + 1 and doc[end - 1].lower_ in _CONNECTORS | {",", "-"}:
            end -= 1
        span = Span(doc, start, end, label=label.value, span_id=f"names:{label.value.lower()}")
        if not self._is_named(span, head, label):
            return None
        return span

    def _left_edge(self, head: Token) -> int:
        doc = head.doc
        sent_start = head.sent.start
        i = head.i
        while i - 1 >= sent_start:
            prev = doc[i - 1]
            if prev.text in _POSSESSIVE and i - 2 >= sent_start:
                owner = doc[i - 2]
                if owner.pos_ == "PROPN" and owner.ent_type_ not in {"DATE", "TIME"}:
                    i -= 1
                    continue
                break
            if prev.text == ")" and i - 4 >= sent_start and doc[i - 3].text == "(" and (
                doc[i - 2].is_upper and doc[i - 4].pos_ == "PROPN"
            ):
                i -= 3  # "the Eurasian Economic Union (EAEU) summit": the acronym is named too
                continue
            if prev.text in _HYPHENS and i - 2 >= sent_start and not prev.whitespace_:
                i -= 1
                continue
            if prev.lower_ in self.lexicon.person_titles and (prev.is_title or prev.is_upper):
                break  # "Director of the Executive Committee": the post is not the body
            if prev.lower_ in _CONNECTORS and self._title_run_continues(prev):
                i -= 1
                continue
            if prev.pos_ in {"ADJ", "NOUN", "PROPN", "NUM"} and prev.ent_type_ not in {
                "DATE", "TIME", "CARDINAL", "PERCENT", "MONEY", "QUANTITY"
            } and not self._is_title_word(prev) and "\n" not in prev.text:
                i -= 1
                continue
            if prev.ent_type_ == "DATE" and i < len(doc) and doc[i].text in _HYPHENS:
                i -= 1  # "ten-year development strategy": kept as said, dropped from the name
                continue
            if is_ordinal(prev) or (prev.tag_ == "VBN" and prev.dep_ == "amod"):
                i -= 1
                continue
            break
        while i < head.i and (doc[i].lower_ in _CONNECTORS or doc[i].text in _HYPHENS):
            i += 1
        return i

    def _title_run_continues(self, connector: Token) -> bool:
        """`of`/`the` inside a capitalised name ("Spiritual Shrines of the SCO"), but
        not "the" or "and" joining two names ("in Almaty the UN Centre", "SCO and the
        Conference")."""
        doc = connector.doc
        before_word = doc[connector.i - 1] if connector.i > connector.sent.start else None
        after_word = doc[connector.i + 1] if connector.i + 1 < len(doc) else None
        if connector.lower_ == "the" and (before_word is None or before_word.lower_ not in {
            "of", "for", "on", "in"
        }):
            return False
        if before_word is not None and before_word.ent_type_ in _PLACE_LABELS and (
            connector.lower_ in {"for", "in", "on"}
        ):
            return False
        if connector.lower_ in {"and", "&"} and not (
            before_word is not None and after_word is not None
            and before_word.is_title and after_word.is_title and after_word.pos_ != "DET"
        ):
            return False
        j = connector.i - 1
        while j >= connector.sent.start and doc[j].lower_ in _CONNECTORS:
            j -= 1
        if j < connector.sent.start:
            return False
        before = doc[j]
        after = doc[connector.i + 1] if connector.i + 1 < len(doc) else None
        return bool(before.is_title or before.is_upper) and before.pos_ == "PROPN" and bool(
            after is not None and (after.is_title or after.is_upper or after.lower_ in _CONNECTORS)
        )

    def _right_edge(self, head: Token, label: EntityType) -> int:
        doc = head.doc
        sent_end = head.sent.end
        end = head.i + 1
        # a trailing name word after the head: "Year of Ecology", "Meeting in Astana"
        while end < sent_end and end - head.i < _MAX_NAME_TOKENS:
            prep = doc[end]
            if prep.lower_ == "to" and label is EntityType.INITIATIVE and end + 1 < sent_end and (
                doc[end + 1].tag_ == "VB" and self._is_established(head)
            ):
                # "four SCO centers to combat security challenges and threats"
                end = noun_phrase_end(doc, end + 2, sent_end)
                continue
            if prep.lower_ == "to" and label is EntityType.DOCUMENT and self._purpose_of_name(
                head, prep, end
            ):
                # "the memorandum of commitment to gain full membership status"
                end = noun_phrase_end(doc, end + 2, sent_end, heads=self._heads_of(label))
                continue
            if prep.lower_ == "to" and label is EntityType.DOCUMENT:
                named = [t for t in doc[end + 1 : min(end + 3, sent_end)] if t.pos_ != "DET"]
                if named and named[0].pos_ == "PROPN" and named[0].is_title | named[0].is_upper:
                    # "the bill on the accession of Laos to the SCO": whom it joins is named
                    end = noun_phrase_end(doc, end + 1, sent_end, heads=self._heads_of(label))
                    continue
            if prep.lower_ not in self.lexicon.name_prepositions or prep.lower_ == "to":
                break
            if prep.lower_ == "in" and label is not EntityType.EVENT and self._place_follows(prep):
                break
            if prep.lower_ == "in" and end + 1 < sent_end and doc[end + 1].like_num:
                break  # "the SCO Tourism and Cultural Capital in 2024-2025": a time, not a name
            following = [t for t in doc[end + 1 : min(end + 3, sent_end)] if t.pos_ != "DET"]
            if label is EntityType.ORGANIZATION and following and (
                following[0].is_lower or following[0].ent_type_ in {"DATE", "TIME"}
                or normalise_phrase(following[0].text) in self.months
            ):
                # "the Foreign Ministry in a statement", "the Council on Nov. 22": a body's
                # name goes on in capitals, and never into a date
                break
            np_end = noun_phrase_end(doc, end + 1, sent_end, between=prep.lower_ == "between",
                                     heads=self._heads_of(label))
            if np_end == end + 1:
                break
            end = np_end
        return end

    def _purpose_of_name(self, head: Token, to: Token, end: int) -> bool:
        """"to VERB ..." right after a document's name continues it: "a program to
        develop cooperation", "a memorandum on the commitment to becoming a member"
        (not an auxiliary: "the plan to be adopted")."""
        doc = head.doc
        if to.i + 1 >= head.sent.end:
            return False
        verb = doc[to.i + 1]
        if verb.tag_ not in {"VB", "VBG"} or verb.lemma_.lower() in {"be", "have", "do"}:
            return False
        if doc[to.i - 1].lower_ in self.lexicon.act_nouns:
            return False  # "the decision to admit Iran": what was decided
        if verb.head == to or head.i <= verb.head.i < end:
            return True
        # the small parser hangs "to develop" on the clause's verb; a name in lower
        # case ("a program") is a description that goes on, a capitalised one
        # ("the SCO Charter") is complete
        return head.is_lower

    def _heads_of(self, label: EntityType) -> frozenset[str]:
        if label is EntityType.DOCUMENT:
            return self.lexicon.document_heads
        if label is EntityType.EVENT:
            return self.lexicon.event_heads
        return frozenset()

    def _place_follows(self, prep: Token) -> bool:
        """"in Astana", "in the Uzbek capital Tashkent": where, not what."""
        doc = prep.doc
        j = prep.i + 1
        while j < len(doc) and (doc[j].pos_ == "DET" or doc[j].ent_type_ == "NORP" or (
            doc[j].is_lower and doc[j].lower_ in self.lexicon.generic_names
            and j + 1 < len(doc) and doc[j + 1].ent_type_ in _PLACE_LABELS
        )):
            j += 1
        return j < len(doc) and doc[j].ent_type_ in _PLACE_LABELS

    # -- filters ---------------------------------------------------------------

    def _is_title_word(self, token: Token) -> bool:
        return token.lower_ in self.lexicon.person_titles

    def _is_named(self, span: Span, head: Token, label: EntityType) -> bool:
        lex = self.lexicon
        words = [t for t in span if not t.is_punct]
        key = " ".join(t.lower_ for t in words if t.lower_ not in lex.non_name_modifiers)
        if not key or key in lex.generic_names:
            return False
        before = [t for t in span if t.i < head.i]
        after = [t for t in span if t.i > head.i]
        sentence_initial = span.start == head.sent.start
        proper_before = any(
            (t.pos_ == "PROPN" or (t.is_upper and len(t) > 1))
            and not (sentence_initial and t.i == span.start)
            for t in before
        )
        capitalised_head = (head.is_title or head.is_upper) and not (
            sentence_initial and head.i == span.start
        )
        compound_before = any(
            t.pos_ in {"NOUN", "PROPN"} or t.text in _HYPHENS
            for t in before if t.lower_ not in lex.non_name_modifiers
        )
        has_topic = any(t.pos_ in {"NOUN", "PROPN", "NUM"} or t.tag_ == "VBG" for t in after)
        plural = head.tag_ in {"NNS", "NNPS"}
        if label is EntityType.DOCUMENT:
            if plural and not (capitalised_head and proper_before):
                return False
            return proper_before or capitalised_head or has_topic or compound_before
        if label is EntityType.EVENT:
            if head.lower_ in lex.disaster_heads or head.lemma_.lower() in lex.disaster_heads:
                return compound_before or self._mentions_place(after)
            if plural:
                return False
            names_body = any(t.pos_ == "PROPN" or t.ent_type_ in {"ORG", "GPE"} for t in after)
            ordinal = any(is_ordinal(t) for t in before)
            return proper_before or names_body or (ordinal and capitalised_head) or (
                compound_before and any(t.pos_ == "NOUN" for t in before)
            )
        if label is EntityType.INITIATIVE:
            if self._is_established(head):
                return proper_before or capitalised_head or compound_before
            if {head.lower_, head.lemma_.lower()} & lex.weak_initiative_heads:
                return capitalised_head and proper_before
            named_before = len(before) >= 2 and before[-1].is_title and proper_before
            return bool(
                (capitalised_head and (proper_before or has_topic)) or named_before
                or (proper_before and has_topic)
            )
        if label is EntityType.ORGANIZATION:
            if self._bigram(head) == "press service":
                return any(t.pos_ == "PROPN" for t in before)
            return capitalised_head and (proper_before or has_topic) and not plural
        return False

    def _mentions_place(self, tokens: list[Token]) -> bool:
        return any(t.ent_type_ in _PLACE_LABELS for t in tokens)

    # -- special constructions ---------------------------------------------------

    def _quoted_titles(self, doc: Doc, words: DocWords) -> Iterator[Span]:
        """A quoted title after "initiative", "project", "festival": «On Global Unity»."""
        openers = self.lexicon.opening_quotes
        for token in words.tokens_with(words=self.lexicon.initiative_triggers):
            j = token.i + 1
            if j < len(doc) and doc[j].text == ":":
                j += 1
            if j >= len(doc) or doc[j].text not in openers:
                continue
            closer = openers[doc[j].text]
            k = j + 1
            while k < len(doc) and k - j <= _MAX_NAME_TOKENS and doc[k].text != closer:
                if "\n" in doc[k].text:
                    break
                k += 1
            if k >= len(doc) or doc[k].text != closer or k == j + 1:
                continue
            end = k
            while end > j + 1 and doc[end - 1].is_punct:
                end -= 1
            if end > j + 1:
                yield Span(doc, j + 1, end, label=EntityType.INITIATIVE.value,
                           span_id="names:quoted")

    def _distributed_initiatives(self, words: DocWords) -> Iterator[Span]:
        """"initiatives ... on global development, global security and ...": each
        conjunct names an initiative of its own ("Global Development Initiative")."""
        doc = words.doc
        for token in words.tokens_with(words={"initiatives"}):
            on = next((c for c in token.children if c.dep_ == "prep" and c.lower_ == "on"), None)
            if on is None:
                continue
            first = next((c for c in on.children if c.dep_ == "pobj"), None)
            if first is None:
                continue
            conjuncts = [first, *[t for t in first.subtree if t.dep_ == "conj"]]
            if len(conjuncts) < 2:
                continue
            for noun in conjuncts:
                left = min((c.i for c in noun.children if c.dep_ in {"amod", "compound"}),
                           default=noun.i)
                yield Span(
                    doc, left, noun.i + 1, label=EntityType.INITIATIVE.value,
                    span_id="names:distributive",
                )

    def _body_inside_event(self, event: Span, head: Token) -> Iterator[Span]:
        """"the SCO youth council meeting": the body meeting is named inside it."""
        doc = event.doc
        for i in range(head.i - 1, event.start, -1):
            word = doc[i]
            if word.lower_ in self.lexicon.organization_suffixes and i > event.start:
                start = event.start
                while start < i and doc[start].lower_ in self.lexicon.non_name_modifiers:
                    start += 1
                if any(t.pos_ == "PROPN" or t.is_upper for t in doc[start:i]):
                    yield Span(
                        doc, start, i + 1, label=EntityType.ORGANIZATION.value,
                        span_id="names:body-in-event",
                    )
                return


def noun_phrase_end(
    doc: Doc, start: int, limit: int, between: bool = False,
    heads: frozenset[str] = frozenset(),
) -> int:
    """End of the noun phrase that starts at `start` inside a name (== start if none).

    Determiners first, then adjectives, nouns, numbers, gerunds ("in countering
    terrorism"), possessives ("its"), hyphens, and coordination with further
    nouns ("terrorism, separatism and extremism"). It stops at verbs, clauses
    and at "and the ...", which starts a new phrase — except after "between"
    ("between the SCO Secretariat and the ... Center").
    """
    i = start
    seen_content = False
    # a person the title reader found ("... of Russia D.A. Medvedev") ends the phrase
    titled = {span.start for span in doc.spans.get(span_keys.TITLED_PEOPLE, [])}
    while i < limit:
        token = doc[i]
        if "\n" in token.text:
            break
        if token.ent_type_ == "PERSON" or i in titled:
            break  # "Director of the Executive Committee of the SCO RATS Ruslan Mirzaev"
        if token.ent_type_ in {"DATE", "TIME"} and token.is_alpha:
            break  # "on Tuesday" is when, not what
        after_gerund = i > start and doc[i - 1].tag_ == "VBG"
        if token.pos_ == "DET" and (not seen_content or after_gerund or (
            between and doc[i - 1].lower_ in {"and", "&"}
        )):
            i += 1  # "on fighting the epidemics": a gerund's object has its determiner
            continue
        if token.tag_ == "PRP$" or (token.tag_ == "PRP" and after_gerund):
            i += 1
            continue
        inserted = bracketed_end(doc, i, limit)
        if inserted is not None and seen_content and _name_goes_on(doc, inserted, limit):
            i = inserted  # "the [coronavirus] epidemics", "central (national) banks"
            continue
        if seen_content and _noun_read_as_verb(doc, i, limit):
            i += 1  # "the SCO member states’ cooperation": "states" is no verb here
            continue
        if token.pos_ in {"ADJ", "NOUN", "PROPN", "NUM"} or token.tag_ == "VBG" or (
            token.pos_ == "VERB" and token.is_title
        ) or (token.tag_ == "VBN" and i + 1 < limit and doc[i + 1].pos_ == "NOUN"):
            seen_content = True
            i += 1
            continue
        if token.text in _HYPHENS | {"/"} and seen_content and i + 1 < limit and (
            doc[i + 1].pos_ in {"NUM", "NOUN", "PROPN", "ADJ"}
        ):
            i += 1
            continue
        if token.text in _POSSESSIVE and seen_content:
            i += 1
            continue
        if token.lower_ in {",", "and", "or", "&"} and seen_content and i + 1 < limit:
            following = doc[i + 1]
            if following.lower_ in {"and", "or"} and i + 2 < limit:
                following = doc[i + 2]
            continues = following.pos_ in {"ADJ", "NOUN", "PROPN"} or following.tag_ in {
                "VBG", "PRP$"
            }
            if token.lower_ == "," and not _list_goes_on(doc, i + 1, limit):
                break  # "on Tuesday, Kazinform learned": the comma ends the name
            if heads and _names_another(doc, i + 1, limit, heads):
                break  # "the plan on ..., environmental protection agreement and ...": a list
            if continues or (between and following.pos_ == "DET" and token.lower_ != ","):
                i += 1
                continue
        break
    return i if seen_content else start


def is_ordinal(token: Token) -> bool:
    """"23rd", "10th" (the small model sometimes labels them DATE), "fifth"."""
    return token.ent_type_ == "ORDINAL" or bool(_ORDINAL.fullmatch(token.lower_))


def bracketed_end(doc: Doc, start: int, limit: int) -> int | None:
    """After a short insertion in brackets or parentheses that starts at `start`
    ("[coronavirus]", "(SCO)", "(Prime Ministers)"): the index after its closing
    bracket; None if `start` opens none, or the insertion is long or spans lines."""
    closer = _BRACKETS.get(doc[start].text)
    if closer is None:
        return None
    for j in range(start + 1, min(limit, start + _MAX_INSERTION + 2)):
        token = doc[j]
        if "\n" in token.text or token.text in _BRACKETS:
            return None
        if token.text == closer:
            return j + 1 if j > start + 1 else None
        if token.is_punct and token.text not in _HYPHENS:
            return None
    return None


def _name_goes_on(doc: Doc, i: int, limit: int) -> bool:
    """After an insertion in brackets: does the name go on ("(SCO) member states",
    "(CHG) of the member states")? A trailing one ("the Organisation (SCO)") is
    left out of the span; the entity keeps the form with it as an alias."""
    if i >= limit:
        return False
    token = doc[i]
    if token.pos_ in {"NOUN", "PROPN", "ADJ"} and "\n" not in token.text:
        return True
    return token.lower_ in {"of", "on", "for"} and i + 1 < limit and not doc[i + 1].is_punct


def _noun_read_as_verb(doc: Doc, i: int, limit: int) -> bool:
    """A plural noun the small model tags as a verb inside a name: "member states’
    cooperation", "of the SCO member states;" (a noun before it, and a possessive
    mark, punctuation or the end of the sentence after it)."""
    token = doc[i]
    if token.tag_ != "VBZ" or not token.lower_.endswith("s") or i == 0:
        return False
    if doc[i - 1].pos_ not in {"NOUN", "PROPN"}:
        return False
    if i + 1 >= limit:
        return True
    following = doc[i + 1]
    return following.text in _POSSESSIVE or (following.is_punct and following.text not in _HYPHENS)


def follows_establishment(doc: Doc, start: int, lexicon: Lexicon) -> bool:
    """Does the name starting at `start` follow "the establishment of", "set up",
    "create"...? Then it names something to be created: an initiative."""
    sent_start = doc[start].sent.start if start < len(doc) else start
    window = [t for t in doc[max(start - 3, sent_start):start] if t.pos_ not in {"DET", "NUM"}]
    words = [t.lower_ for t in window]
    if not words:
        return False
    if words[-1] in {"of", "up"} and len(words) >= 2:
        return words[-2] in lexicon.establish_triggers
    return words[-1] in lexicon.establish_triggers


def _list_goes_on(doc: Doc, start: int, limit: int) -> bool:
    """After a comma inside a name: does a coordinated list go on ("Terrorism,
    Separatism and Extremism")? Only if "and"/"or" comes before any verb."""
    for token in doc[start : min(limit, start + 8)]:
        if token.lower_ in {"and", "or"}:
            return True
        if token.pos_ in {"VERB", "AUX"} or (token.is_punct and token.text not in {",", "-"}):
            return False
    return False


def _names_another(doc: Doc, start: int, limit: int, heads: frozenset[str]) -> bool:
    """Does the next conjunct have a head word of its own (a second document)?"""
    for token in doc[start : min(limit, start + 8)]:
        if token.lower_ in {",", "and", "or"} and token.i > start:
            return False
        if token.lower_ in heads or token.lemma_.lower() in heads:
            return True
    return False


@Language.factory(
    "sco_name_chunker",
    assigns=["doc.spans"],
    requires=["token.pos", "token.tag", "token.lemma", "token.dep", "doc.ents"],
)
def make_name_chunker(nlp: Language, name: str) -> NameChunker:
    return NameChunker(default_lexicon())
