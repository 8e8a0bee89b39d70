"""From a processed Doc to the entities of one article, with their aliases.

Mentions of one thing inside a story become one `Entity`: by gazetteer id
where the name is known ("Kassym-Jomart Tokayev", "Tokayev"); otherwise by
normalised name, then a shorter mention joins a longer one of the same type
when its words are a subset with the same head ("SCO summit" joins "SCO
Summit in Astana"; "Yermekbayev" joins "Nurlan Yermekbayev") — and only when
exactly one longer mention fits, so two people sharing a surname stay apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from sco_graph.extract.gatherings import GatheringReader, one_gathering_groups
from sco_graph.graph.iri import slug
from sco_graph.knowledge.gazetteer import Gazetteer, default_gazetteer
from sco_graph.knowledge.lexicon import Lexicon, default_lexicon
from sco_graph.names import normalise
from sco_graph.nlp import span_keys
from sco_graph.nlp.components.name_chunker import bracketed_end, is_ordinal
from sco_graph.types import Entity, EntityType, Mention

_BRACKETED = re.compile(r"\s*[(\[][^()\[\]]*[)\]]")
_STOP = {"the", "a", "an", "of", "for", "on", "in", "and", "to", "s", "its", "their"}


@dataclass
class _Group:
    type: EntityType
    known_id: str | None
    mentions: list[tuple[Mention, Span]] = field(default_factory=list)

    def words(self) -> set[str]:
        return set().union(*(_content_words(span.text) for _, span in self.mentions))

    def head(self, prepositions: frozenset[str]) -> str:
        return _head_word(self.longest()[1].text, self.type, prepositions)

    def longest(self) -> tuple[Mention, Span]:
        return max(self.mentions, key=lambda pair: (len(pair[1]), -pair[0].start))


def sentence_offsets(doc: Doc) -> tuple[tuple[int, int], ...]:
    """Character offsets (start, end) of each sentence, whitespace trimmed."""
    offsets = []
    for sent in doc.sents:
        text = sent.text
        start = sent.start_char + (len(text) - len(text.lstrip()))
        end = sent.end_char - (len(text) - len(text.rstrip()))
        offsets.append((start, max(start, end)))
    return tuple(offsets)


def extract_entities(
    doc: Doc,
    gazetteer: Gazetteer | None = None,
    lexicon: Lexicon | None = None,
    outside: tuple[int, int] | None = None,
) -> tuple[Entity, ...]:
    """The entities of one article's Doc (after the `sco_entities` component),
    leaving out the names in the character range `outside` (the dateline, whose
    place and agency extract/dateline.py reads)."""
    gazetteer = gazetteer or default_gazetteer()
    lexicon = lexicon or default_lexicon()
    sentence_of = {}
    for index, sent in enumerate(doc.sents):
        for token in sent:
            sentence_of[token.i] = index
    groups: dict[str, _Group] = {}
    for span in doc.spans.get(span_keys.ENTITIES, []):
        if outside is not None and span.start_char < outside[1] and outside[0] < span.end_char:
            continue
        entity_type = EntityType(span.label_)
        mention = Mention(
            text=span.text,
            start=span.start_char,
            end=span.end_char,
            sentence=sentence_of.get(span.start, 0),
            rule=span.id_ or "model",
        )
        known = span.kb_id_ or None
        key = known or f"{entity_type.value.lower()}:{_name_key(span.text, lexicon)}"
        group = groups.setdefault(key, _Group(entity_type, known))
        group.mentions.append((mention, span))
    _merge_acronyms(groups, sentence_of)
    _merge_subsets(groups, lexicon.name_prepositions, gazetteer)
    _merge_gatherings(groups, GatheringReader(gazetteer))
    titled = _titled_forms(doc)
    entities = [_entity(key, group, gazetteer, lexicon, titled) for key, group in groups.items()]
    return tuple(sorted(entities, key=lambda e: (e.mentions[0].start, e.key)))


def _merge_acronyms(groups: dict[str, _Group], sentence_of: dict[int, int]) -> None:
    """An acronym the text defines in brackets right after a name ("memorandum of
    understanding (MoU)", "Council of Heads of Government (CHG)") is that name: its
    mentions join the name's entity, and so does every later use of it ("The MoU was
    signed"). Only acronyms of unknown names whose capitals are the initials of the
    name's words, in order."""
    by_text: dict[str, str] = {}
    for key, group in groups.items():
        if group.known_id is None:
            for _, span in group.mentions:
                if len(span) == 1:
                    by_text.setdefault(span.text, key)
    for key in list(groups):
        group = groups.get(key)
        for _, span in list(group.mentions) if group is not None else []:
            other = by_text.get(_defined_acronym(span) or "")
            if other is not None and other != key and other in groups:
                group.mentions.extend(groups.pop(other).mentions)
    taken = {i for g in groups.values() for _, s in g.mentions for i in range(s.start, s.end)}
    for group in groups.values():
        if group.known_id is not None:
            continue
        for _, span in list(group.mentions):
            acronym = _defined_acronym(span)
            if acronym is None:
                continue
            for token in span.doc[span.end + 3 :]:
                if token.text == acronym and token.i not in taken:
                    use = span.doc[token.i : token.i + 1]
                    group.mentions.append((Mention(use.text, use.start_char, use.end_char,
                                                   sentence_of.get(token.i, 0), "acronym"), use))
                    taken.add(token.i)


def _defined_acronym(span: Span) -> str | None:
    """The acronym in brackets right after a name that abbreviates it: "(MoU)"."""
    doc = span.doc
    if span.end + 2 >= len(doc) or doc[span.end].text != "(" or doc[span.end + 2].text != ")":
        return None
    acronym = doc[span.end + 1].text
    return acronym if _abbreviates(acronym, span.text) else None


def _abbreviates(acronym: str, name: str) -> bool:
    capitals = [c.lower() for c in acronym if c.isupper()]
    initials = [w[0].lower() for w in re.findall(r"\w+", name)]
    if len(capitals) < 2:
        return False
    i = 0
    for initial in initials:
        if i < len(capitals) and initial == capitals[i]:
            i += 1
    return i == len(capitals)


def _merge_subsets(
    groups: dict[str, _Group], prepositions: frozenset[str], gazetteer: Gazetteer
) -> None:
    """Shorter unknown names join the one longer name of the same type that
    contains their words and shares their head word. A known entity's words are
    those of its known name too: "Vladimir" joins the Vladimir Putin the story
    only calls "Putin"."""

    def words_of(group: _Group) -> set[str]:
        entry = gazetteer.get(group.known_id) if group.known_id else None
        return group.words() | (_content_words(entry.name) if entry is not None else set())

    keys = sorted(groups, key=lambda k: len(groups[k].words()))
    for key in keys:
        group = groups[key]
        if group.known_id is not None:
            continue
        words, head = group.words(), group.head(prepositions)
        # a person named by one word ("Zhang", "Shehbaz") may be the given or the family
        # name of the one person the story names in full
        one_name = group.type is EntityType.PERSON and len(words) == 1
        targets = [
            other_key for other_key, other in groups.items()
            if other_key != key and other.type is group.type
            and (other.head(prepositions) == head or one_name)
            and (words < words_of(other) or (words == words_of(other) and key < other_key))
        ]
        if len(targets) == 1:
            groups[targets[0]].mentions.extend(group.mentions)
            del groups[key]


def _merge_gatherings(groups: dict[str, _Group], reader: GatheringReader) -> None:
    """Event names that can only be one gathering become one event: "the SCO
    summit", "the 24th Meeting of the Council of Heads of State of the SCO" and
    "the Astana SCO Summit" (sco_graph.extract.gatherings). Names that could be either of
    two gatherings that cannot be one ("the SCO summit", with "the summit in
    Astana" and "the summit in Tianjin") join neither."""
    readings = {}
    unread = []
    for key, group in groups.items():
        if group.type is EntityType.EVENT and group.known_id is None:
            reading = reader.read_all(span.text for _, span in group.mentions)
            if reading is not None:
                readings[key] = reading
            else:
                unread.append(key)
    hosts = {reading.host for reading in readings.values()}
    if len(hosts) == 1:
        # "the summit in Russia" in a story whose gatherings are all one body's is that
        # body's: it joins the one it can only be
        [host] = hosts
        for key in unread:
            reading = reader.read_all((span.text for _, span in groups[key].mentions), host)
            if reading is not None:
                readings[key] = reading
    for members in one_gathering_groups(readings, reader.gazetteer):
        target = max(members, key=lambda k: (len(groups[k].longest()[1]), k))
        for key in members:
            if key != target:
                groups[target].mentions.extend(groups.pop(key).mentions)


def _titled_forms(doc: Doc) -> dict[tuple[int, int], str]:
    """(start, end) of a titled name -> the name with its title: "President Tokayev",
    "Chinese President Xi Jinping" (the forms the press uses for a person)."""
    forms = {}
    titles = doc.spans.get(span_keys.TITLES, [])
    people = doc.spans.get(span_keys.TITLED_PEOPLE, [])
    for title, name in zip(titles, people, strict=False):
        if title.end == name.start:
            forms[(name.start_char, name.end_char)] = doc[title.start : name.end].text
    return forms


def _entity(
    key: str, group: _Group, gazetteer: Gazetteer, lexicon: Lexicon,
    titled: dict[tuple[int, int], str] | None = None,
) -> Entity:
    mentions = sorted((m for m, _ in group.mentions), key=lambda m: m.start)
    entry = gazetteer.get(group.known_id) if group.known_id else None
    surface = _unique(_strip_determiners(m.text) for m in mentions)
    if entry is not None:
        name = entry.name
        wikidata = entry.wikidata
    else:
        _, longest = group.longest()
        name = _canonical(longest, lexicon)
        if longest.id_ == "names:distributive":
            name = f"{name.title()} Initiative"
        wikidata = None
        key = f"{group.type.value.lower()}:{slug(name)}"
    variants = [*surface, *(_canonical(span, lexicon) for _, span in group.mentions)]
    if group.type is not EntityType.PERSON:
        variants += _other_forms([span for _, span in group.mentions], lexicon)
    if group.type is EntityType.PERSON and titled:
        variants += [titled[(m.start, m.end)] for m in mentions if (m.start, m.end) in titled]
    aliases = tuple(a for a in _unique(variants) if normalise(a) != normalise(name))
    return Entity(
        key=key,
        type=group.type,
        name=name,
        aliases=aliases,
        wikidata=wikidata,
        mentions=tuple(mentions),
        known=entry is not None,
    )


def _other_forms(spans: list[Span], lexicon: Lexicon) -> list[str]:
    """The other forms the text gives a name: with the acronym or gloss in brackets
    that follows it ("... Organization (SCO)"), without one inside it, and an
    event's name without its trailing "in PLACE" ("the 19th meeting in Goa")."""
    forms = []
    for span in spans:
        doc = span.doc
        closing = bracketed_end(doc, span.end, len(doc)) if span.end < len(doc) else None
        if closing is not None:
            longer = doc[span.start : closing]
            forms += [_strip_determiners(longer.text), _canonical(longer, lexicon)]
        for text in (_strip_determiners(span.text), _canonical(span, lexicon)):
            if "(" in text or "[" in text:
                forms.append(" ".join(_BRACKETED.sub(" ", text).split()))
        if span.label_ == EntityType.EVENT.value:
            forms += _without_place(span, lexicon)
    return forms


def _without_place(span: Span, lexicon: Lexicon) -> list[str]:
    """"SCO summit in Astana" -> "SCO summit" (a place ends the name)."""
    doc = span.doc
    places = {
        i for s in doc.spans.get(span_keys.ENTITIES, [])
        if s.label_ in {EntityType.PLACE.value, EntityType.COUNTRY.value}
        for i in range(s.start, s.end)
    }
    for i in range(span.end - 1, span.start, -1):
        if doc[i].lower_ in {"in", "at"}:
            rest = [t for t in doc[i + 1 : span.end] if t.pos_ != "DET" and not t.is_punct]
            if rest and all(t.i in places for t in rest) and i - 1 > span.start:
                shorter = doc[span.start : i]
                return [_strip_determiners(shorter.text), _canonical(shorter, lexicon)]
            return []
    return []


def _canonical(span: Span, lexicon: Lexicon) -> str:
    """The name without what is not part of it: "the upcoming SCO Summit" ->
    "SCO Summit"; "four SCO centers" -> "SCO centers"."""
    tokens = list(span)
    ordinal = next((i for i, t in enumerate(tokens) if is_ordinal(t)), None)
    if ordinal is not None and all(t.is_lower or t.is_punct for t in tokens[:ordinal]):
        tokens = tokens[ordinal:]  # "the anticipated 23rd meeting": the number starts the name
    while tokens and (
        tokens[0].lower_ in lexicon.non_name_modifiers
        or (tokens[0].pos_ in {"DET", "NUM"} and tokens[0].ent_type_ != "ORDINAL")
        or tokens[0].ent_type_ == "DATE"
        or tokens[0].is_punct
    ):
        tokens = tokens[1:]
    # "Spiritual Shrines of the SCO project": the project is called by its name
    if (len(tokens) > 2 and tokens[-1].is_lower
            and tokens[-1].lower_ in lexicon.initiative_triggers
            and (tokens[-2].is_title or tokens[-2].is_upper)):
        tokens = tokens[:-1]
    if not tokens:
        return _strip_determiners(span.text)
    return span.doc[tokens[0].i : tokens[-1].i + 1].text


def _strip_determiners(text: str) -> str:
    words = text.split()
    while words and words[0].lower() in {"the", "a", "an"}:
        words = words[1:]
    return " ".join(words) if words else text


def _name_key(text: str, lexicon: Lexicon) -> str:
    words = [w for w in normalise(text).split() if w not in lexicon.non_name_modifiers]
    return "-".join(words) or slug(text)


def _content_words(text: str) -> set[str]:
    return {w for w in normalise(text).split() if w not in _STOP}


def _head_word(text: str, entity_type: EntityType, prepositions: frozenset[str]) -> str:
    """The word a name is about: a person's surname, a document's head noun."""
    words = [w for w in normalise(text).split() if w not in _STOP]
    if not words:
        return ""
    if entity_type in {EntityType.PERSON, EntityType.COUNTRY, EntityType.PLACE}:
        return words[-1]
    # "Programme of Cooperation in ...": the head stands before the first preposition
    raw = normalise(text).split()
    for index, word in enumerate(raw):
        if word in prepositions and index > 0:
            return raw[index - 1]
    return words[-1]


def _unique(items) -> list[str]:
    seen: dict[str, str] = {}
    for item in items:
        if item and normalise(item) not in seen:
            seen[normalise(item)] = item
    return list(seen.values())
