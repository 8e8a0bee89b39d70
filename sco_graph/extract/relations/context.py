"""What every relation rule needs to know about the article it reads.

Which entity each token belongs to; who the story is about (its most
mentioned person, event and organisation, to which "the Head of State", "he",
"the summit" and "the Organization" refer); who is speaking in a sentence
("..., said Tokayev", "the Kazakh President noted", a quote that goes on);
and how to record a fact with its evidence, once, and only when the types
of its two ends fit the relation (FORMAT.md's table).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Set
from dataclasses import dataclass, field
from functools import cached_property

from spacy.tokens import Doc, Span, Token

from sco_graph.extract.relations.assertion import Assertions
from sco_graph.knowledge.gazetteer import Gazetteer, default_gazetteer
from sco_graph.knowledge.relation_words import RelationWords, default_words
from sco_graph.nlp import span_keys
from sco_graph.nlp.doc_words import DocWords
from sco_graph.types import Article, Entity, EntityType, Evidence, Fact, Predicate

PERSON, COUNTRY, ORG = EntityType.PERSON, EntityType.COUNTRY, EntityType.ORGANIZATION
DOC, INIT, EVENT = EntityType.DOCUMENT, EntityType.INITIATIVE, EntityType.EVENT
PLACE = EntityType.PLACE

SIGNATURES: dict[Predicate, tuple[frozenset[EntityType], frozenset[EntityType]]] = {
    Predicate.HOLDS_POSITION: (frozenset({PERSON}), frozenset({COUNTRY, ORG})),
    Predicate.MEMBER_OF: (frozenset({COUNTRY}), frozenset({ORG})),
    Predicate.CHAIRS: (frozenset({COUNTRY, PERSON}), frozenset({ORG})),
    Predicate.PROPOSED: (frozenset({PERSON, COUNTRY, ORG}), frozenset({DOC, INIT, EVENT})),
    Predicate.SUPPORTS: (frozenset({PERSON, COUNTRY, ORG}), frozenset({DOC, INIT, ORG})),
    # an initiative adopted as an instrument counts (sco_graph/ontologies/sco.ttl, sco:adopted)
    Predicate.ADOPTED: (frozenset({PERSON, COUNTRY, ORG, EVENT}), frozenset({DOC, INIT})),
    Predicate.PARTICIPATED_IN: (frozenset({PERSON, COUNTRY, ORG}), frozenset({EVENT})),
    Predicate.HELD_IN: (frozenset({EVENT}), frozenset({PLACE, COUNTRY})),
    Predicate.PART_OF: (frozenset({ORG, PLACE}), frozenset({ORG, PLACE, COUNTRY})),
    Predicate.MET: (frozenset({PERSON}), frozenset({PERSON})),
}
"""Which types may stand at each end of each relation (../shared/gold/FORMAT.md)."""



@dataclass
class ArticleContext:
    doc: Doc
    article: Article
    entities: tuple[Entity, ...]
    gazetteer: Gazetteer = field(default_factory=default_gazetteer)
    words: RelationWords = field(default_factory=default_words)
    facts: dict[tuple, Fact] = field(default_factory=dict)
    titles: dict[str, dict[str, str]] = field(default_factory=dict)  # person -> titles used

    # -- words -----------------------------------------------------------------

    @cached_property
    def words_of_doc(self) -> DocWords:
        return DocWords(self.doc)

    @property
    def lemmas(self) -> list[str]:
        """Each token's lemma, lower-cased."""
        return self.words_of_doc.lemmas

    def tokens_with(self, *, lemmas: Set[str] = frozenset(),
                    words: Set[str] = frozenset()) -> list[Token]:
        """The tokens whose lemma is among `lemmas` or whose lower-case form is among
        `words`, in text order: the only ones a rule triggered by those words reads."""
        return self.words_of_doc.tokens_with(lemmas=lemmas, words=words)

    @cached_property
    def text(self) -> str:
        return self.doc.text  # spaCy joins every token's text on each call

    def sentence_text(self, sent: Span) -> str:
        """`sent.text`, without joining its tokens' texts again."""
        return self.text[sent.start_char : sent.end_char]

    # -- entities --------------------------------------------------------------

    @cached_property
    def by_key(self) -> dict[str, Entity]:
        return {e.key: e for e in self.entities}

    @cached_property
    def token_entity(self) -> dict[int, str]:
        """Token index -> key of the entity a mention there belongs to (innermost wins)."""
        spans = []
        for entity in self.entities:
            for mention in entity.mentions:
                span = self.doc.char_span(mention.start, mention.end, alignment_mode="expand")
                if span is not None:
                    spans.append((len(span), span, entity.key))
        owner: dict[int, str] = {}
        for _, span, key in sorted(spans, key=lambda item: -item[0]):
            for token in span:
                owner[token.i] = key
        return owner

    @cached_property
    def mention_spans(self) -> dict[str, list[Span]]:
        found: dict[str, list[Span]] = {}
        for entity in self.entities:
            for mention in entity.mentions:
                span = self.doc.char_span(mention.start, mention.end, alignment_mode="expand")
                if span is not None:
                    found.setdefault(entity.key, []).append(span)
        return found

    def type_of(self, key: str) -> EntityType:
        return self.by_key[key].type

    @cached_property
    def outer_entity(self) -> dict[int, str]:
        """Token index -> key of the longest mention covering it (the whole name)."""
        owner: dict[int, str] = {}
        for key, spans in self.mention_spans.items():
            for span in spans:
                for token in span:
                    current = owner.get(token.i)
                    if current is None or len(span) > self._longest(current, token.i):
                        owner[token.i] = key
        return owner

    def _longest(self, key: str, index: int) -> int:
        return max((len(s) for s in self.mention_spans[key] if s.start <= index < s.end),
                   default=0)

    def entity_at(self, token: Token) -> str | None:
        return self.token_entity.get(token.i)

    def outer_entities_in(self, tokens: Iterable[Token], *types: EntityType) -> list[str]:
        """Like `entities_in`, but a name inside a longer name does not count:
        "the establishment of four SCO centers" is about the centres, not the SCO."""
        seen: dict[str, None] = {}
        for token in sorted(tokens, key=lambda t: t.i):
            key = self.outer_entity.get(token.i)
            if key is not None and (not types or self.type_of(key) in types):
                seen.setdefault(key, None)
        return list(seen)

    def entities_in(self, tokens: Iterable[Token], *types: EntityType) -> list[str]:
        """Keys of the entities mentioned in `tokens`, in text order, each once."""
        seen: dict[str, None] = {}
        for token in sorted(tokens, key=lambda t: t.i):
            key = self.token_entity.get(token.i)
            if key is not None and (not types or self.type_of(key) in types):
                seen.setdefault(key, None)
        return list(seen)

    def most_mentioned(self, entity_type: EntityType, head: str | None = None) -> str | None:
        """The entity of a type the story names most (first named on a tie)."""
        ranked = [
            (len(e.mentions), -e.mentions[0].start, e.key) for e in self.entities
            if e.type is entity_type and (head is None or head in e.name.casefold()
                                          or any(head in a.casefold() for a in e.aliases))
        ]
        return max(ranked)[2] if ranked else None

    @cached_property
    def main_person(self) -> str | None:
        return self.most_mentioned(PERSON)

    def main_event(self, word: str | None = None) -> str | None:
        """The story's event "the summit" / "the meeting" / "the event" refers to."""
        if word and word not in self.words.generic_event_nouns:
            found = self.most_mentioned(EVENT, word)
            if found is not None:
                return found
        for kind in self.words.ranked["main_event_kinds_ranked"]:
            found = self.most_mentioned(EVENT, kind)
            if found is not None:
                return found
        return self.most_mentioned(EVENT)

    def events_in(self, tokens: list[Token]) -> list[str]:
        """The event a phrase names, or the story's event its "the summit" stands for."""
        found = self.entities_in(tokens, EVENT)
        if found:
            return found[:1]
        for token in tokens:
            if token.lower_ in self.words.event_anaphors and self.entity_at(token) is None:
                key = self.main_event(token.lower_)
                if key is not None:
                    return [key]
        return []

    # -- who speaks ------------------------------------------------------------

    def referent(self, token: Token) -> str | None:
        """The person "he", "the President", "the Head of State" or "the Kazakh
        leader" stands for: the person the story itself gave that title ("Head of
        State Tokayev"); else, for "the Kazakh ...", the one person of the story
        holding a post in Kazakhstan; else the story's most mentioned person."""
        if token.lower_ in self.words.main_person_pronouns:
            return self.main_person
        subtree = [t for t in token.subtree if t.pos_ not in {"DET", "PUNCT"}]
        if not subtree:
            return None
        words = [t.lower_ for t in subtree]
        title = self.doc[subtree[0].i : subtree[-1].i + 1].text
        country = self.gazetteer.country_of_demonym(words[0])
        bare = words[1:] if country is not None else words
        if " ".join(bare) not in self.words.speaker_titles:
            return None
        who = self.titled.get(" ".join(words))
        if who is None and country is not None:
            holders = {p for p in self._people if self.country_of(p) == country.id}
            who = holders.pop() if len(holders) == 1 else None
        if who is None and country is None:
            who = self.main_person
        if who is not None:  # the story names its person so: an alias
            self.titles.setdefault(who, {})[title.casefold()] = title
        return who

    @cached_property
    def titled(self) -> dict[str, str]:
        """Titles the story gives its people by name ("Head of State Tokayev"),
        folded, -> the person; a title given to two people is left out."""
        found: dict[str, set[str]] = {}
        for title, name in zip(self.doc.spans.get(span_keys.TITLES, []),
                               self.doc.spans.get(span_keys.TITLED_PEOPLE, []), strict=False):
            person = self.entity_at(name[0])
            words = " ".join(t.lower_ for t in title if t.pos_ not in {"DET", "PUNCT"})
            if person is not None and words:
                found.setdefault(words, set()).add(person)
        return {words: people.pop() for words, people in found.items() if len(people) == 1}

    @cached_property
    def _people(self) -> list[str]:
        return [e.key for e in self.entities if e.type is PERSON]

    def persons_of(self, token: Token) -> list[str]:
        """The people a subject token stands for (with its conjuncts)."""
        found = []
        if token.tag_ in {"WP", "WDT"} and token.head.dep_ == "relcl":
            token = token.head.head  # "Putin, who arrived": the noun the clause is about
        for item in [token, *token.conjuncts]:
            key = self.entity_at(item)
            if key is not None and self.type_of(key) is PERSON:
                found.append(key)
            elif (who := self.referent(item)) is not None:
                found.append(who)
            elif item.lower_ in self.words.speaker_titles:
                # "Head of State Kassym-Jomart Tokayev has initiated ...": the title heads it
                found.extend(self.entities_in(item.subtree, PERSON)[:1])
        return list(dict.fromkeys(found))

    @cached_property
    def speakers(self) -> dict[int, str]:
        """Sentence start -> the person speaking in it; a paragraph's attribution
        ("..., said Tokayev") covers its other sentences too."""
        by_sentence: dict[int, str] = {}
        paragraph: list[Span] = []
        for sent in self.doc.sents:
            if paragraph and "\n" in self.doc[sent.start - 1].text:
                self._attribute(paragraph, by_sentence)
                paragraph = []
            paragraph.append(sent)
        if paragraph:
            self._attribute(paragraph, by_sentence)
        return by_sentence

    def _attribute(self, paragraph: list[Span], out: dict[int, str]) -> None:
        found = {sent.start: self._speaker_in(sent) for sent in paragraph}
        default = next((who for who in found.values() if who), None)
        for sent in paragraph:
            who = found[sent.start] or default
            if who:
                out[sent.start] = who

    def _speaker_in(self, sent: Span) -> str | None:
        lemmas = self.lemmas
        for i in range(sent.start, sent.end):
            if lemmas[i] not in self.words.speech_verbs:
                continue
            token = self.doc[i]
            if token.pos_ != "VERB":
                continue
            for child in token.children:
                if child.dep_ in {"nsubj", "nsubjpass"}:
                    people = self.persons_of(child)
                    if people:
                        return people[0]
        # "According to the President", "In his words", "As Kassym-Jomart Tokayev noted"
        lowered = self.sentence_text(sent).casefold()
        if lowered.startswith(("according to", "in his words", "in her words")):
            for token in sent[:6]:
                people = self.persons_of(token)
                if people:
                    return people[0]
        return None

    def speaker(self, sent: Span) -> str | None:
        return self.speakers.get(sent.start)

    def country_of(self, person: str | None) -> str | None:
        """The country a person holds a post in, as this story or the gazetteer says."""
        if person is None:
            return None
        for fact in self.facts.values():
            if fact.predicate is Predicate.HOLDS_POSITION and fact.subject == person and (
                self.type_of(fact.object) is COUNTRY
            ):
                return fact.object
        entry = self.gazetteer.get(person)
        if entry is not None:
            for role in entry.roles:
                if role.of in self.by_key and self.type_of(role.of) is COUNTRY:
                    return role.of
        return None

    def first_person(self, token: Token) -> bool:
        return token.lower_ in self.words.first_person_pronouns

    # -- assertions ------------------------------------------------------------

    @cached_property
    def assertions(self) -> Assertions:
        return Assertions(self.doc, self.words, self.words_of_doc)

    def asserted(self, token: Token, predicate: Predicate | None = None) -> bool:
        """False for negated, questioned, conditional or hedged statements (and future
        ones, for the relations a plan does not state): see assertion.py."""
        return self.assertions.holds(token, predicate)

    # -- facts -----------------------------------------------------------------

    def add(
        self,
        subject: str | None,
        predicate: Predicate,
        obj: str | None,
        where: Span,
        rule: str,
        confidence: float,
        role: str | None = None,
        status: str | None = None,
        valid_from: dt.date | None = None,
        valid_until: dt.date | None = None,
        trigger: Token | None = None,
    ) -> None:
        """Record a fact once; silently skip it when its ends do not fit the relation,
        or when the statement around `trigger` does not assert it (assertion.py)."""
        if subject is None or obj is None or subject == obj:
            return
        if trigger is not None and not self.asserted(trigger, predicate):
            return
        if subject not in self.by_key or obj not in self.by_key:
            return
        allowed_s, allowed_o = SIGNATURES[predicate]
        if self.type_of(subject) not in allowed_s or self.type_of(obj) not in allowed_o:
            return
        if predicate is Predicate.MET and obj < subject:
            subject, obj = obj, subject
        # a post held for a stated period is a fact of its own, beside the undated one
        key = (subject, predicate, obj, valid_from, valid_until)
        if key in self.facts and self.facts[key].evidence.confidence >= confidence:
            return
        sent = where.sent if where.sent is not None else where
        text = self.sentence_text(sent)
        evidence = Evidence(
            article=self.article.key,
            sentence=text.strip(),
            start=sent.start_char + (len(text) - len(text.lstrip())),
            end=sent.end_char - (len(text) - len(text.rstrip())),
            rule=rule,
            confidence=confidence,
        )
        self.facts[key] = Fact(subject, predicate, obj, evidence, role=role, status=status,
                               valid_from=valid_from, valid_until=valid_until)

    def counts(self) -> Counter:
        return Counter(f.predicate for f in self.facts.values())
