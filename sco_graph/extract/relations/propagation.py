"""Facts that follow from other facts of the same story.

A country takes part in an event where a person holding one of its posts
does (../shared/gold/FORMAT.md: "Tokayev attended the summit" gives both
Tokayev and Kazakhstan `participatedIn` the summit). The post is the one the
story states (`holdsPosition`), else the one the gazetteer knows for that
person, in a country the story names. Only countries: an official of an
organisation does not make the organisation a participant.
"""

from __future__ import annotations

from sco_graph.extract.relations.context import COUNTRY, PERSON, ArticleContext
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
