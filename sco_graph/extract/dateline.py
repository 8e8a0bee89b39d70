"""The dateline's place and agency as mentions of the story.

read/segment.py finds a story's dateline ("MINSK, Nov. 30 (Xinhua) --") and
keeps it in the text as a paragraph of its own (`Article.dateline`). Here its
place becomes a mention of a Place, or of a Country where the gazetteer says
the name is one, joined to the gazetteer's entity ("ALMATY" is Almaty) or,
for a place the gazetteer does not know, to a Place named in title case
("PANAJI" is Panaji); and its agency becomes a mention of an Organization
when the gazetteer knows the agency (an unknown one is not made up). The
entity layer leaves the dateline's characters to this module, so each is
mentioned once.

A dateline gives no fact: where a story was filed is not where its event was
held, so facts whose evidence lies in the dateline are dropped.
"""

from __future__ import annotations

from dataclasses import replace

from sco_graph.graph.iri import slug
from sco_graph.knowledge.gazetteer import Gazetteer, GazetteerEntry, default_gazetteer
from sco_graph.names import normalise
from sco_graph.types import Dateline, Entity, EntityType, Fact, Mention, TextSpan

RULE = "dateline"
_PLACES = (EntityType.PLACE, EntityType.COUNTRY)


def local_dateline(dateline: Dateline | None, offset: int, length: int) -> Dateline | None:
    """The dateline with offsets into a part of the text (`offset`, `length`
    characters), or None when it is not wholly inside that part."""
    if dateline is None:
        return None
    if not (offset <= dateline.span.start and dateline.span.end <= offset + length):
        return None

    def move(span: TextSpan) -> TextSpan:
        return replace(span, start=span.start - offset, end=span.end - offset)

    return replace(dateline, span=move(dateline.span), place=move(dateline.place),
                   agency=move(dateline.agency) if dateline.agency else None)


def without_dateline_facts(facts: tuple[Fact, ...], dateline: Dateline | None) -> tuple[Fact, ...]:
    """The facts whose evidence does not touch the dateline."""
    if dateline is None:
        return facts
    span = dateline.span
    return tuple(f for f in facts
                 if not (f.evidence.start < span.end and span.start < f.evidence.end))


def with_dateline(
    entities: tuple[Entity, ...],
    dateline: Dateline | None,
    sentences: tuple[tuple[int, int], ...],
    gazetteer: Gazetteer | None = None,
) -> tuple[Entity, ...]:
    """The entities with the dateline's place (and known agency) mentioned."""
    if dateline is None:
        return entities
    gazetteer = gazetteer or default_gazetteer()
    found = list(entities)
    place = dateline.place
    entry = _one([e for kind in _PLACES for e in gazetteer.lookup(place.text, kind)])
    if entry is not None:
        found = _mention_known(found, entry, _mention(place, sentences))
    else:
        found = _mention_place(found, _place_name(place.text), _mention(place, sentences))
    agency = dateline.agency
    if agency is not None:
        known = _one(gazetteer.lookup(agency.text, EntityType.ORGANIZATION))
        if known is not None:
            found = _mention_known(found, known, _mention(agency, sentences))
    return tuple(sorted(found, key=lambda e: (e.mentions[0].start, e.key)))


def _one(entries: list[GazetteerEntry]) -> GazetteerEntry | None:
    """The entry a name means; a name of two entries of the first type found means neither."""
    if not entries:
        return None
    first = [e for e in entries if e.type is entries[0].type]
    return first[0] if len(first) == 1 else None


def _mention(span: TextSpan, sentences: tuple[tuple[int, int], ...]) -> Mention:
    sentence = next((n for n, (start, end) in enumerate(sentences)
                     if start <= span.start < max(end, start + 1)), 0)
    return Mention(text=span.text, start=span.start, end=span.end, sentence=sentence, rule=RULE)


def _place_name(text: str) -> str:
    """"PANAJI" -> "Panaji", "NEW DELHI" -> "New Delhi"; a name in title case stays."""
    return text.title() if text.isupper() else text


def _mention_known(found: list[Entity], entry: GazetteerEntry, mention: Mention) -> list[Entity]:
    for index, entity in enumerate(found):
        if entity.key == entry.id:
            found[index] = _joined(entity, mention)
            return found
    return [*found, Entity(key=entry.id, type=entry.type, name=entry.name,
                           aliases=_alias(entry.name, mention.text), wikidata=entry.wikidata,
                           mentions=(mention,), known=True)]


def _mention_place(found: list[Entity], name: str, mention: Mention) -> list[Entity]:
    key = normalise(name)
    for index, entity in enumerate(found):
        if entity.type in _PLACES and key in {normalise(n) for n in (entity.name, *entity.aliases)}:
            found[index] = _joined(entity, mention)
            return found
    return [*found, Entity(key=f"{EntityType.PLACE.value.lower()}:{slug(name)}",
                           type=EntityType.PLACE, name=name, mentions=(mention,))]


def _joined(entity: Entity, mention: Mention) -> Entity:
    aliases = entity.aliases
    if all(normalise(mention.text) != normalise(n) for n in (entity.name, *aliases)):
        aliases = (*aliases, mention.text)
    mentions = tuple(sorted((*entity.mentions, mention), key=lambda m: m.start))
    return replace(entity, aliases=aliases, mentions=mentions)


def _alias(name: str, text: str) -> tuple[str, ...]:
    return () if normalise(name) == normalise(text) else (text,)
