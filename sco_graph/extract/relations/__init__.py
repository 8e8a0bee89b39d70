"""The relation stage: facts between the entities of one article, with evidence.

Each family of relations has its module; they share an `ArticleContext`
(which entity each token belongs to, who the story is about, who speaks).
Posts run first, so "we" can be resolved to the speaker's country; the
patterns of sco_graph/data/relation_patterns/ run after the rule families, and facts
that follow from others (a post holder's country takes part too) come last.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc

from sco_graph.extract.relations.context import ArticleContext
from sco_graph.extract.relations.events import extract_meetings
from sco_graph.extract.relations.membership import extract_membership
from sco_graph.extract.relations.patterns import extract_patterns
from sco_graph.extract.relations.posts import extract_posts
from sco_graph.extract.relations.propagation import (
    propagate_location,
    propagate_participation,
)
from sco_graph.extract.relations.stances import extract_stances
from sco_graph.extract.relations.structure import extract_part_of
from sco_graph.types import Article, Entity, Fact

RULE_FAMILIES = (extract_posts, extract_part_of, extract_membership, extract_meetings,
                 extract_stances, extract_patterns, propagate_participation,
                 propagate_location)


def extract_facts(doc: Doc, article: Article, entities: tuple[Entity, ...]) -> tuple[Fact, ...]:
    """Every fact the article states about its entities, each with its evidence."""
    return extract_relations(doc, article, entities)[1]


def extract_relations(
    doc: Doc, article: Article, entities: tuple[Entity, ...]
) -> tuple[tuple[Entity, ...], tuple[Fact, ...]]:
    """The facts, and the entities with the titles the story uses for its person
    ("the Head of State", "the Kazakh President") added to that person's aliases."""
    context = ArticleContext(doc, article, entities)
    for family in RULE_FAMILIES:
        family(context)
    facts = tuple(sorted(context.facts.values(),
                         key=lambda f: (f.evidence.start, f.predicate, f.subject, f.object)))
    named = tuple(
        replace(e, aliases=tuple(dict.fromkeys([*e.aliases, *context.titles[e.key].values()])))
        if e.key in context.titles else e
        for e in entities
    )
    return named, facts
