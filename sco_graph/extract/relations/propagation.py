"""Facts that follow from other facts of the same story.

An event held in a place the story puts in a country ("the summit in Ufa,
Russia") is held in that country too.

A country takes part in an event where a person holding one of its posts
does (../shared/gold/FORMAT.md: "Tokayev attended the summit" gives both
Tokayev and Kazakhstan `participatedIn` the summit). The post is the one the
story states (`holdsPosition`), else the one the gazetteer knows for that
person, in a country the story names. Only countries: an official of an
organisation does not make the organisation a participant.
"""

from __future__ import annotations

from sco_graph.extract.relations.context import COUNTRY, PERSON, PLACE, ArticleContext
from sco_graph.types import Predicate


def propagate_participation(ctx: ArticleContext) -> None:
    for fact in list(ctx.facts.values()):
        if fact.predicate is not Predicate.PARTICIPATED_IN or ctx.type_of(fact.subject) is not \
                PERSON:
            continue
        country = ctx.country_of(fact.subject)
        if country is None or ctx.type_of(country) is not COUNTRY:
            continue
        sentence = ctx.doc.char_span(fact.evidence.start, fact.evidence.end,
                                     alignment_mode="expand")
        if sentence is None:
            continue
        ctx.add(country, Predicate.PARTICIPATED_IN, fact.object, sentence,
                "participation:post-holder", round(fact.evidence.confidence * 0.9, 4))


def propagate_location(ctx: ArticleContext) -> None:
    """heldIn a city the story places in a country: heldIn that country too."""
    country_of_place = {
        f.subject: f.object for f in ctx.facts.values()
        if f.predicate is Predicate.PART_OF and ctx.type_of(f.subject) is PLACE
        and ctx.type_of(f.object) is COUNTRY
    }
    for fact in list(ctx.facts.values()):
        if fact.predicate is not Predicate.HELD_IN or fact.object not in country_of_place:
            continue
        sentence = ctx.doc.char_span(fact.evidence.start, fact.evidence.end,
                                     alignment_mode="expand")
        if sentence is not None:
            ctx.add(fact.subject, Predicate.HELD_IN, country_of_place[fact.object], sentence,
                    "held-in:country-of-place", round(fact.evidence.confidence * 0.9, 4))
