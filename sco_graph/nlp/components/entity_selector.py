"""One decision per stretch of text: which entity, of which type.

Three layers propose entities: the gazetteer (known names, `sco_gazetteer`),
the name chunker (documents, events, initiatives, bodies, `sco_names`) and the
statistical NER (`doc.ents`). Where they overlap, the longer span wins, and on
equal spans the gazetteer beats the chunker beats the model; the model's
labels are mapped to our types with the gazetteer's knowledge (it tags
"Kassym-Jomart Tokayev" as ORG and "Akorda" as PERSON on this corpus).

Names inside a longer name are kept as mentions of their own where they are
real references: the body in "the 24th Meeting of the Council of Heads of
State of the SCO", the place in "the SCO Summit in Astana" — but not the city
in "the Astana Declaration".

Result: `doc.spans["sco_entities"]` (top-level and nested, labelled with our
types, `kb_id_` = gazetteer id where known) and `doc.ents` (top level only).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from sco_graph.knowledge.common_words import common_words
from sco_graph.knowledge.countries import CountryNames, default_country_names
from sco_graph.knowledge.gazetteer import Gazetteer, default_gazetteer
from sco_graph.knowledge.lexicon import Lexicon, default_lexicon
from sco_graph.names import normalise
from sco_graph.nlp import span_keys
from sco_graph.nlp.components.name_chunker import follows_establishment
from sco_graph.nlp.components.titles import is_initial, is_initialled_name
from sco_graph.types import EntityType

TOP_LEVEL_ATTR = "sco_top_level"

_MODEL_TYPES = {
    "PERSON": EntityType.PERSON,
    "ORG": EntityType.ORGANIZATION,
    "LOC": EntityType.PLACE,
    "FAC": EntityType.PLACE,
    "EVENT": EntityType.EVENT,
    "LAW": EntityType.DOCUMENT,
}
_PRIORITY = {"gazetteer": 3, "names": 2, "model": 1}
# what a name may contain and still mention on its own (see module docstring)
_NESTED_ALLOWED = {
    EntityType.EVENT: {EntityType.ORGANIZATION, EntityType.PLACE, EntityType.COUNTRY},
    EntityType.DOCUMENT: {EntityType.ORGANIZATION, EntityType.COUNTRY},
    EntityType.INITIATIVE: {EntityType.ORGANIZATION},
    EntityType.ORGANIZATION: {EntityType.ORGANIZATION, EntityType.COUNTRY},
}


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    type: EntityType
    source: str  # "gazetteer", "names", "model"
    kb_id: str = ""
    rule: str = ""  # the rule that proposed it, kept as the span's id for provenance

    @property
    def rank(self) -> tuple[int, int]:
        return (self.end - self.start, _PRIORITY[self.source])


class EntitySelector:
    def __init__(self, gazetteer: Gazetteer, lexicon: Lexicon, countries: CountryNames,
                 ordinary_words: frozenset[str] = frozenset()) -> None:
        self.gazetteer = gazetteer
        self.lexicon = lexicon
        self.countries = countries
        self.ordinary_words = ordinary_words

    def __call__(self, doc: Doc) -> Doc:
        candidates = self._candidates(doc)
        domain = [c for c in candidates if c.source != "model"]
        top = self._select(domain)
        taken = {i for c in top for i in range(c.start, c.end)}
        # the model only fills the gaps the domain layer left
        gaps = [c for c in candidates if c.source == "model"
                and not taken & set(range(c.start, c.end))]
        top = sorted([*top, *self._select(gaps)], key=lambda c: c.start)
        nested: list[Candidate] = []
        for parent in top:
            allowed = _NESTED_ALLOWED.get(parent.type, set())
            inside = [
                c for c in candidates
                if parent.start <= c.start and c.end <= parent.end
                and (c.end - c.start) < (parent.end - parent.start) and c.type in allowed
                and (c.source != "model" or c.rule in {"model:GPE", "model:LOC"})
            ]
            nested.extend(self._select(inside))
        spans = [self._span(doc, c) for c in top]
        doc.ents = filter_spans(spans)
        group = [*spans, *(self._span(doc, c) for c in nested)]
        doc.spans[span_keys.ENTITIES] = sorted(group, key=lambda s: (s.start, -s.end))
        doc.spans[span_keys.ENTITIES].attrs[TOP_LEVEL_ATTR] = [(s.start, s.end) for s in doc.ents]
        return doc

    # -- proposals ---------------------------------------------------------------

    def _candidates(self, doc: Doc) -> list[Candidate]:
        found: list[Candidate] = []
        for span in doc.spans.get(span_keys.GAZETTEER, []):
            entry = self.gazetteer.get(span.id_ or span.kb_id_)
            if entry is not None:
                kind = entry.type
                if kind is EntityType.ORGANIZATION and any(
                    t.lower_ in self.lexicon.initiative_heads for t in span
                ) and follows_establishment(doc, span.start, self.lexicon):
                    # a centre someone proposes to set up; not "since the founding of the UN"
                    kind = EntityType.INITIATIVE
                found.append(
                    Candidate(span.start, span.end, kind, "gazetteer", entry.id, "gazetteer")
                )
        named = [*doc.spans.get(span_keys.NAMES, []), *doc.spans.get(span_keys.TITLED_PEOPLE, [])]
        for span in named:
            found.append(
                Candidate(span.start, span.end, EntityType(span.label_), "names", "", span.id_)
            )
        found.extend(self._demonyms_in_titles(doc))
        found.extend(self._initialled_names(doc, found))
        for ent in doc.ents:
            candidate = self._from_model(ent)
            if candidate is not None:
                found.append(candidate)
        found = [c for c in found if not self._names_a_concept(doc, c)]
        found = [self._with_name_particles(doc, c) for c in found]
        known = [c for c in found if c.source == "gazetteer"]
        found = [self._known_by_initials(doc, c, known) for c in found]
        # an organ read inside a name that names another organisation is that
        # organisation's organ: "the CSTO Council of Foreign Ministers" is not
        # the SCO's, though "Council of Foreign Ministers" alone names the SCO's
        foreign = {k for k in known if self._organ_of_another(doc, k, known)}
        found = [c for c in found if c not in foreign]
        known = [k for k in known if k not in foreign]
        # a chunked name that only adds words around a known name of its kind
        # ("SCO RATS Council on SCO RATS activities") is the known name; one with
        # a head word of its own before it ("action plan for the implementation of
        # the X strategy") is another name
        found = [c for c in found if c.source != "names" or self._initialled(doc, c) or not any(
            k.type is c.type and (k.end == c.end or k.start == c.start)
            and not (k.end == c.end and self._own_head_before(doc, c, k, known))
            and not any(f.start == k.end and f.end == c.end for f in foreign)
            for k in known
        )]
        return sorted(set(found), key=lambda c: (c.start, c.end, c.type, c.source, c.kb_id))

    def _initialled(self, doc: Doc, candidate: Candidate) -> bool:
        """A person named with initials the known name does not share ("S.A. Medvedev"
        beside a known Dmitry Medvedev): another person."""
        return candidate.type is EntityType.PERSON and is_initial(doc[candidate.start])

    def _known_by_initials(self, doc: Doc, candidate: Candidate,
                           known: list[Candidate]) -> Candidate:
        """"D.A. Medvedev" where the gazetteer knows Dmitry Medvedev under "Medvedev": the
        longer form is that person when the initials before the known surname agree
        with the known name's first names. The text's form stays the mention."""
        if candidate.source != "names" or candidate.type is not EntityType.PERSON:
            return candidate
        for k in known:
            if k.type is not EntityType.PERSON or k.end != candidate.end or (
                k.start <= candidate.start
            ):
                continue
            entry = self.gazetteer.get(k.kb_id)
            given = entry.name.split()[:-1] if entry is not None else []
            letters = "".join(ch for t in doc[candidate.start : k.start] for ch in t.text
                              if ch.isalpha())
            if given and letters.isupper() and letters[0] == given[0][0].upper():
                return Candidate(candidate.start, candidate.end, candidate.type, "gazetteer",
                                 k.kb_id, candidate.rule)
        return candidate

    def _organ_of_another(self, doc: Doc, organ: Candidate, known: list[Candidate]) -> bool:
        """Is this known organ read in words that belong to another organisation's
        organ? A name of organisation right before or after it ("CSTO Council of
        Foreign Ministers", "Council of Foreign Ministers of the CIS") that it is
        not part of, or a longer known organ around it that it is not."""
        entry = self.gazetteer.get(organ.kb_id)
        if entry is None or entry.part_of is None:
            return False
        for other in known:
            if other == organ or other.type is not EntityType.ORGANIZATION:
                continue
            if self.gazetteer.is_within(organ.kb_id, other.kb_id) or self.gazetteer.is_within(
                other.kb_id, organ.kb_id
            ):
                continue
            if other.start <= organ.start and organ.end <= other.end:
                return True  # "Council of Foreign Ministers" inside the CIS's council
            if (other.end <= organ.start or organ.end <= other.start) and self._attached(
                doc, organ, other
            ):
                return True
        return False

    def _attached(self, doc: Doc, organ: Candidate, other: Candidate) -> bool:
        """`other` names the organisation of `organ`: right before it, or after it
        across "of (the)"."""
        if other.end == organ.start:
            return True
        if other.start > organ.end and doc[organ.end].lower_ == "of":
            # read word by word: the first other word ends it (the gap may be the story)
            return all(doc[i].lower_ in {"of", "the"} for i in range(organ.end + 1, other.start))
        return False

    def _own_head_before(self, doc: Doc, chunk: Candidate, known: Candidate,
                         all_known: list[Candidate]) -> bool:
        """Does the chunked name have a head word of its type before the known name
        it ends with, outside every known name ("Council of Heads of Government of
        the EAEU", "action plan for the implementation of the X strategy")?"""
        heads = {
            EntityType.DOCUMENT: self.lexicon.document_heads,
            EntityType.EVENT: self.lexicon.event_heads,
            EntityType.INITIATIVE: self.lexicon.initiative_heads,
            EntityType.ORGANIZATION: self.lexicon.organization_suffixes,
        }.get(chunk.type, frozenset())
        inside_known = {i for k in all_known for i in range(k.start, k.end)}
        return any(
            doc[i].lower_ in heads or doc[i].lemma_.lower() in heads
            for i in range(chunk.start, known.start) if i not in inside_known
        )

    def _names_a_concept(self, doc: Doc, candidate: Candidate) -> bool:
        """"the Shanghai spirit", "30 billion US dollars": a place name before such
        a noun is part of a concept's name; the text does not mention the place."""
        places = {EntityType.PLACE, EntityType.COUNTRY}
        if candidate.type not in places or candidate.end >= len(doc):
            return False
        following = doc[candidate.end]
        return following.is_lower and following.lower_ in self.lexicon.place_concept_heads

    def _from_model(self, ent: Span) -> Candidate | None:
        start, end = ent.start, ent.end
        doc = ent.doc
        while start < end and (doc[start].pos_ in {"DET", "ADP"} or doc[start].is_punct
                               or doc[start].is_space):
            start += 1
        while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space
                               or doc[end - 1].text in {"'s", "’s"}):
            end -= 1
        while start < end and doc[start].lower_ in self.lexicon.person_titles:
            start += 1
        if start >= end or doc[start].tag_ == "IN":
            return None  # "(Minister) of Foreign Affairs": a fragment of a title, not a body
        span = doc[start:end]
        key = normalise(span.text)
        if not key or key in self.lexicon.generic_names or span.text.islower():
            return None
        if self.gazetteer.country_of_demonym(span.text) is not None:
            return None  # "Kazakh" in "the Kazakh leader" is an adjective, not a body
        if ent.label_ == "GPE":
            is_country = self.countries.is_country(span.text)
            kind = EntityType.COUNTRY if is_country else EntityType.PLACE
            return Candidate(start, end, kind, "model", "", f"model:{ent.label_}")
        kind = _MODEL_TYPES.get(ent.label_)
        if kind is None:
            return None
        if kind is EntityType.EVENT and not any(
            t.lower_ in self.lexicon.event_heads or t.lower_ in self.lexicon.disaster_heads
            for t in span
        ):
            return None  # "World War II", "the Cold War": history, not a meeting the story reports
        if kind is EntityType.ORGANIZATION and self._portfolio_of_a_title(doc, start, end):
            return None  # "External Affairs (Minister)", "(Minister for) African Affairs"
        if kind is EntityType.PERSON and (len(span) == 1 and not span[0].is_title):
            return None
        if len(span) == 1 and kind in {EntityType.PERSON, EntityType.ORGANIZATION} and (
            span[0].lower_ in self.ordinary_words and not span[0].is_upper
        ):
            return None  # "Extraordinary" (in "Envoy Extraordinary") is a word, not a name
        if kind is EntityType.PERSON and any(
            self.gazetteer.country_of_demonym(t.text) is not None for t in span
        ):
            return None  # "Speaks Kazakh, Russian, English": languages, not a name
        return Candidate(start, end, kind, "model", "", f"model:{ent.label_}")

    def _portfolio_of_a_title(self, doc: Doc, start: int, end: int) -> bool:
        """A name that is the portfolio of a post, not a body: right before a title word
        ("Energy and Natural Resources Minister"), or after "Minister for"/"Minister of"."""
        titles = self.lexicon.person_titles
        if doc[end - 1].lower_ in self.lexicon.organization_suffixes:
            return False  # "the National Security Committee Chairman": a body and its post
        after = doc[end] if end < len(doc) else None
        if after is not None and after.lower_ in titles and (after.is_title or after.is_upper):
            return True
        return start >= 2 and doc[start - 1].lower_ in {"for", "of"} and (
            doc[start - 2].lower_ in titles and doc[start - 2].is_title
        )

    def _initialled_names(self, doc: Doc, found: list[Candidate]) -> list[Candidate]:
        """"V.K. Petrov", "T. R. Vongsa", "Y.Batbold": initials before a capitalised word that is
        neither an ordinary word, a title word nor part of a known name are a
        person's name, titled or not ("U.S. Congress" is not)."""
        known = {i for c in found if c.source == "gazetteer" and c.type is not EntityType.PERSON
                 for i in range(c.start, c.end)}
        people = []
        i = 0
        while i < len(doc):
            if is_initialled_name(doc[i]) and i not in known:
                people.append(Candidate(i, i + 1, EntityType.PERSON, "names", "",
                                        "names:initials"))
            if not is_initial(doc[i]) or i in known:
                i += 1
                continue
            end = i
            while end < len(doc) and is_initial(doc[end]) and end not in known:
                end += 1
            surname = doc[end] if end < len(doc) else None
            if surname is not None and surname.is_title and surname.is_alpha and (
                len(surname) > 1 and surname.lower_ not in self.ordinary_words
                and surname.lower_ not in self.lexicon.person_titles and end not in known
            ):
                start = i
                while start > 0 and self._given_name(doc[start - 1], known):
                    start -= 1  # "George W. Bush": the given name before a middle initial
                people.append(Candidate(start, end + 1, EntityType.PERSON, "names", "",
                                        "names:initials"))
            i = end + 1
        return people

    def _given_name(self, token: Token, known: set[int]) -> bool:
        if token.i in known or not (token.is_title and token.is_alpha and len(token) > 1):
            return False
        if token.lower_ in self.lexicon.person_titles:
            return False
        return token.ent_type_ == "PERSON" or (
            token.pos_ == "PROPN" and token.lower_ not in self.ordinary_words
        )

    def _demonyms_in_titles(self, doc: Doc) -> list[Candidate]:
        """"Chinese President Xi Jinping", "the Kazakh leader": the adjective names
        the country whose post it is, so the story mentions that country."""
        found = []
        for token in doc[:-1]:
            entry = self.gazetteer.country_of_demonym(token.text) if token.is_title else None
            if entry is None:
                continue
            following = doc[token.i + 1]
            if following.lower_ in self.lexicon.person_titles or following.lower_ in {
                "counterpart", "counterparts"
            }:
                found.append(Candidate(token.i, token.i + 1, EntityType.COUNTRY, "gazetteer",
                                       entry.id, "gazetteer:demonym-in-title"))
        return found

    # -- decisions ---------------------------------------------------------------

    def _with_name_particles(self, doc: Doc, candidate: Candidate) -> Candidate:
        """A person's name goes on through a particle and the capitalised name after it:
        "Luiz Inacio Lula da Silva", "Ursula von der Leyen", "Mohammed bin Salman"."""
        if candidate.type is not EntityType.PERSON or candidate.source == "gazetteer":
            return candidate
        end = candidate.end
        while end - 1 > candidate.start and doc[end - 1].lower_ in self.lexicon.name_particles:
            end -= 1  # "Ursula von der": the model stopped inside the particles
        while end < len(doc) and doc[end].lower_ in self.lexicon.name_particles:
            after = end + 1
            while after < len(doc) and doc[after].lower_ in self.lexicon.name_particles:
                after += 1
            if after < len(doc) and doc[after].is_title and doc[after].is_alpha and (
                doc[after].lower_ not in self.lexicon.person_titles
            ):
                end = after + 1
            else:
                break
        if end == candidate.end:
            return candidate
        return Candidate(candidate.start, end, candidate.type, candidate.source,
                         candidate.kb_id, candidate.rule)

    def _select(self, candidates: list[Candidate]) -> list[Candidate]:
        """Greedy by (length, priority): a longer name holds the shorter ones."""
        chosen: list[Candidate] = []
        taken: set[int] = set()
        for candidate in sorted(candidates, key=lambda c: (-c.rank[0], -c.rank[1], c.start)):
            tokens = set(range(candidate.start, candidate.end))
            if tokens & taken:
                continue
            chosen.append(candidate)
            taken |= tokens
        return sorted(chosen, key=lambda c: c.start)

    def _span(self, doc: Doc, candidate: Candidate) -> Span:
        return Span(doc, candidate.start, candidate.end, label=candidate.type.value,
                    kb_id=candidate.kb_id, span_id=candidate.rule)


@Language.factory(
    "sco_entities",
    assigns=["doc.ents", "doc.spans"],
    requires=["doc.spans"],
)
def make_entity_selector(nlp: Language, name: str) -> EntitySelector:
    return EntitySelector(default_gazetteer(), default_lexicon(), default_country_names(),
                          common_words(nlp))
