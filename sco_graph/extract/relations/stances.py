"""What actors say about documents and initiatives: proposed, supports, adopted.

- proposed: "Kazakhstan proposes to adopt the SCO Anti-Drug Strategy",
  "Tokayev has initiated adopting ...", "China proposes that ... hold the SCO
  Political Parties Forum", "Kazakhstan sets an initiative «...»", and the
  owner of an initiative: "Kazakhstan's initiative to set up X", "the
  initiatives of President Xi Jinping on ...", "On our initiative, 2024 was
  proclaimed the Year of Ecology". A state's proposal said as "we"/"our" is
  the speaker's country's.
- supports: "Kazakhstan supports the establishment of ...", "we positively
  assess the initiatives of ...", and what a speaker calls for: "the need to
  adopt X", "the importance of adopting X", "it is important to implement X".
- adopted: "the Astana Declaration was signed following the SCO summit",
  "the summit has issued X", "They signed ... X", and every item of a list
  introduced by "The following decisions have been signed by the Heads of State:".
  Signed by the leaders at a summit, a document is adopted by the summit.
"""

from __future__ import annotations

from spacy.tokens import Token

from sco_graph.extract.relations.arguments import entities_of, items_after_heading
from sco_graph.extract.relations.context import (
    COUNTRY,
    DOC,
    EVENT,
    INIT,
    ORG,
    PERSON,
    ArticleContext,
)
from sco_graph.types import Predicate

_SUBJECTS = {"nsubj", "nsubjpass", "csubj"}
_ADOPTERS = frozenset({PERSON, COUNTRY, ORG, EVENT})


def extract_stances(ctx: ArticleContext) -> None:
    words = ctx.words
    proposing: set[int] = set()
    verbs = words.propose_verbs | words.support_verbs | words.adopt_verbs
    for token in ctx.tokens_with(lemmas=verbs, words=words.propose_nouns):
        if not ctx.asserted(token):
            continue
        lemma = ctx.lemmas[token.i]
        if token.pos_ == "VERB" and lemma in words.propose_verbs and _is_proposal(ctx, token):
            if _proposal(ctx, token):
                proposing.add(token.sent.start)
        elif (token.lower_ in words.propose_nouns and token.pos_ == "NOUN"
              and _owned_initiative(ctx, token)):
            proposing.add(token.sent.start)
        if token.pos_ == "VERB" and lemma in words.support_verbs:
            _support(ctx, token)
        if token.pos_ == "VERB" and lemma in words.adopt_verbs:
            _adoption(ctx, token)
    for token in ctx.tokens_with(lemmas=words.advocacy_verbs, words=words.advocacy_nouns):
        if token.sent.start in proposing or not ctx.asserted(token):
            continue
        if token.lower_ in words.advocacy_nouns or (
            ctx.lemmas[token.i] in words.advocacy_verbs and token.pos_ == "VERB"
        ):
            _advocacy(ctx, token)


def _is_proposal(ctx: ArticleContext, verb: Token) -> bool:
    """"set", "put", "launch" only propose with "an initiative" / "forward"."""
    if verb.lemma_.lower() in ctx.words.proposal_verbs_alone:
        return True
    return any(c.lower_ in ctx.words.propose_particles or c.lower_ in ctx.words.propose_nouns
               for c in verb.children)


def _actors(ctx: ArticleContext, token: Token, *, country_for_we: bool) -> list[str]:
    """Who a subject or possessor token stands for: named entities, "he" and
    titles for the story's person, "we"/"our" for the speaker (or their country)."""
    if ctx.first_person(token):
        speaker = ctx.speaker(token.sent) or ctx.main_person
        if country_for_we:
            country = ctx.country_of(speaker)
            return [country] if country else []
        return [speaker] if speaker else []
    found = [k for k in [ctx.entity_at(t) for t in [token, *token.conjuncts]]
             if k and ctx.type_of(k) in {PERSON, COUNTRY, ORG}]
    if found:
        return found
    return ctx.persons_of(token)


def _subject_of(verb: Token) -> Token | None:
    node = verb
    while True:
        subjects = [c for c in node.children if c.dep_ in _SUBJECTS]
        if subjects:
            return subjects[0]
        if node.dep_ in {"xcomp", "conj", "advcl", "ccomp"} and node.head is not node:
            node = node.head
            continue
        return None


def _objects(ctx: ArticleContext, verb: Token, *types) -> list[str]:
    tokens = [t for c in verb.children if c.dep_ not in _SUBJECTS | {"punct", "advcl"}
              for t in c.subtree]
    return ctx.outer_entities_in(tokens, *types)


def _proposal(ctx: ArticleContext, verb: Token) -> bool:
    subject = _subject_of(verb)
    if subject is None:
        return False
    actors = _actors(ctx, subject, country_for_we=True)
    targets = _objects(ctx, verb, DOC, INIT, EVENT)
    for actor in actors:
        for target in targets:
            ctx.add(actor, Predicate.PROPOSED, target, verb.sent, "proposed:verb", 0.85)
    return bool(actors and targets)


def _owned_initiative(ctx: ArticleContext, noun: Token) -> bool:
    """"Kazakhstan's initiative to ...", "initiatives of President Xi on ...",
    "On our initiative, ... was proclaimed the Year of Ecology"."""
    owners: list[str] = []
    for child in noun.children:
        if child.dep_ == "poss":
            owners += _actors(ctx, child, country_for_we=True)
        if child.dep_ == "prep" and child.lower_ == "of":
            owners += [k for k in ctx.entities_in(child.subtree, PERSON, COUNTRY, ORG)]
    if not owners:
        return False
    targets = [k for k in ctx.entities_in(noun.subtree, DOC, INIT, EVENT) if k not in owners]
    if not targets and noun.head.dep_ == "prep" and noun.head.lower_ == "on":
        clause = noun.head.head  # "On our initiative, <clause>"
        targets = ctx.entities_in(clause.subtree, DOC, INIT, EVENT)
    for owner in owners[:1]:
        for target in targets:
            ctx.add(owner, Predicate.PROPOSED, target, noun.sent, "proposed:owner", 0.75)
    return bool(targets)


def _support(ctx: ArticleContext, verb: Token) -> None:
    subject = _subject_of(verb)
    if subject is None:
        return
    actors = _actors(ctx, subject, country_for_we=False)
    for actor in actors:
        for target in _objects(ctx, verb, DOC, INIT, ORG):
            ctx.add(actor, Predicate.SUPPORTS, target, verb.sent, "supports:verb", 0.8)


def _advocacy(ctx: ArticleContext, token: Token) -> None:
    """What a speaker calls for: "the need to adopt X", "importance of adopting X"."""
    speaker = ctx.speaker(token.sent)
    if speaker is None or (token.pos_ == "VERB" and token.tag_ not in {"VB", "VBG"}):
        # "the need to adopt X", "adopting X" call for it; "X was adopted" reports it
        return
    tokens = [t for t in token.subtree if t.i != token.i] if token.pos_ != "VERB" else [
        t for c in token.children if c.dep_ not in _SUBJECTS for t in c.subtree
    ]
    for target in ctx.entities_in(tokens, DOC, INIT):
        ctx.add(speaker, Predicate.SUPPORTS, target, token.sent, "supports:advocacy", 0.6)


def _adoption(ctx: ArticleContext, verb: Token) -> None:
    """Who adopted what: the subject ("the summit", "Laos and Nepal", "the leaders" for
    the story's event), the agent of a passive, and the meeting it happened at; what: the
    object, the passive subject, and the items of a list under a heading line."""
    agents: list[str] = []
    for child in verb.children:
        if child.dep_ == "nsubj":
            found = entities_of(ctx, child, _ADOPTERS)
            if not found and child.lower_ in ctx.words.collective_subjects:
                event = ctx.main_event(child.lower_)
                found = [event] if event else []
            agents += found
        if child.dep_ == "agent":
            agents += [k for pobj in child.children if pobj.dep_ == "pobj"
                       for k in entities_of(ctx, pobj, {ORG, COUNTRY, EVENT})]
        if child.dep_ == "prep" and (child.lower_ in ctx.words.occasion_prepositions or any(
            t.lower_ in ctx.words.occasion_nouns for t in child.children if t.dep_ == "pobj"
        )):
            # "at the summit", "following the meeting", "as a result of the summit"
            agents += ctx.entities_in(child.subtree, EVENT)
    passive = any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children)
    if not agents and (passive or any(c.dep_ == "agent" for c in verb.children)):
        event = ctx.main_event("summit")
        agents = [event] if event else []
    if not agents:
        return
    documents = ctx.outer_entities_in(
        [t for c in verb.children if c.dep_ in {"dobj", "nsubjpass", "attr", "conj"}
         for t in c.subtree], DOC, INIT
    )
    for agent in dict.fromkeys(agents):
        for document in documents:
            ctx.add(agent, Predicate.ADOPTED, document, verb.sent, "adopted:verb", 0.8,
                    trigger=verb)
        for item in items_after_heading(verb.sent, ctx.words):
            for document in ctx.outer_entities_in(item, DOC, INIT):
                ctx.add(agent, Predicate.ADOPTED, document, item, "adopted:list", 0.75,
                        trigger=verb)
