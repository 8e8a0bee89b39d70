"""The relation stage: facts between the entities of one article, with evidence.

(Issue 4 fills this module; until then an article yields no facts.)
"""

from __future__ import annotations

from spacy.tokens import Doc

from sco_graph.types import Article, Entity, Fact


def extract_facts(doc: Doc, article: Article, entities: tuple[Entity, ...]) -> tuple[Fact, ...]:
    return ()
