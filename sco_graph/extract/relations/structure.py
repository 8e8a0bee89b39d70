"""partOf: organs of bodies, bodies of states, cities of countries.

- What the gazetteer knows, when the story names both ends: the SCO Council
  of Foreign Ministers is an organ of the SCO. Only for bodies: that Almaty is
  in Kazakhstan is true, but a story that names both does not say it.
- What a name says: "the UN Security Council", "the SCO Youth Council", "the
  Government of Kazakhstan" name the body they belong to.
- What the text says of a place: "Qingdao City of the People's Republic of China".
"""

from __future__ import annotations

from sco_graph.extract.relations.context import COUNTRY, ORG, PLACE, ArticleContext
from sco_graph.types import Predicate


def extract_part_of(ctx: ArticleContext) -> None:
    _known_structure(ctx)
    _names_that_say_so(ctx)
    _place_of_country(ctx)


def _known_structure(ctx: ArticleContext) -> None:
    for entity in ctx.entities:
        entry = ctx.gazetteer.get(entity.key) if entity.known else None
        if entry is None or entry.part_of is None or entry.part_of not in ctx.by_key:
            continue
        if entity.type is not ORG:
            continue
        spans = ctx.mention_spans.get(entity.key)
        if spans:
            ctx.add(entity.key, Predicate.PART_OF, entry.part_of, spans[0], "part-of:gazetteer",
                    0.9)


def _names_that_say_so(ctx: ArticleContext) -> None:
    """An organisation whose name holds another body ("UN Security Council") or
    "of <country>" ("Government of Kazakhstan") is part of it."""
    for key, spans in ctx.mention_spans.items():
        if ctx.type_of(key) is not ORG:
            continue
        entry = ctx.gazetteer.get(key)
        if entry is not None and entry.part_of is not None:
            continue  # the gazetteer knows exactly which body it belongs to
        for span in spans:
            inner = [k for k in ctx.entities_in(span, ORG, COUNTRY) if k != key]
            for other in inner:
                first = min(t.i for t in span if ctx.entity_at(t) == other)
                before = ctx.doc[first - 1] if first > span.start else None
                prefix = first == span.start
                of_country = ctx.type_of(other) is COUNTRY and before is not None and (
                    before.lower_ in {"of", "the"}
                )
                if (ctx.type_of(other) is ORG and (prefix or before is not None)) or of_country:
                    ctx.add(key, Predicate.PART_OF, other, span, "part-of:name", 0.7)


def _place_of_country(ctx: ArticleContext) -> None:
    """"Qingdao City of the People's Republic of China"."""
    for key, spans in ctx.mention_spans.items():
        if ctx.type_of(key) is not PLACE:
            continue
        for span in spans:
            j = span.end
            if j < len(ctx.doc) and ctx.doc[j].lower_ in ctx.words.city_nouns:
                j += 1
            if j < len(ctx.doc) and ctx.doc[j].lower_ == "of":
                j += 1
                while j < len(ctx.doc) and ctx.doc[j].pos_ == "DET":
                    j += 1
                if j < len(ctx.doc):
                    country = ctx.entity_at(ctx.doc[j])
                    if country is not None and ctx.type_of(country) is COUNTRY:
                        ctx.add(key, Predicate.PART_OF, country, span, "part-of:place-of", 0.8)
