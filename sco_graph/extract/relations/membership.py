"""memberOf and chairs: who belongs to an organisation, and who presides over it.

- memberOf: "Belarus, which will join the SCO soon" (acceding), "Belarus
  officially joins SCO, becoming its 10th member state" (member), "the
  accession of Belarus to the SCO" (acceding), "welcomed Belarus ... as a
  member state", "accepted as a full member of the organization".
- chairs: "Kazakhstan, which is currently chairing the SCO", "Kazakhstan's
  chairmanship in the SCO", "China will assume the rotating presidency of the
  SCO", "thanked Kazakhstan for the productive work as the Chair", "Being the
  SCO presiding country, Kazakhstan ...", "hands over the presidency to China".
"the Organization" is the story's most mentioned organisation.
"""

from __future__ import annotations

from spacy.tokens import Token

from sco_graph.extract.relations.arguments import listed_before, status_of
from sco_graph.extract.relations.context import COUNTRY, ORG, ArticleContext
from sco_graph.types import Predicate


def extract_membership(ctx: ArticleContext) -> None:
    words = ctx.words
    for token in ctx.tokens_with(lemmas=words.join_verbs | words.chair_words,
                                 words=words.accession_nouns | words.chair_words | {"as"}):
        if not ctx.asserted(token):
            continue
        lemma = ctx.lemmas[token.i]
        if lemma in words.join_verbs and token.pos_ == "VERB":
            _joins(ctx, token)
        elif token.lower_ in words.accession_nouns:
            _accession(ctx, token)
        elif token.lower_ == "as" and token.i + 2 < len(ctx.doc):
            _as_member(ctx, token)
        if lemma in words.chair_words or token.lower_ in words.chair_words:
            _chairs(ctx, token)


def _organisations(ctx: ArticleContext, tokens: list[Token]) -> list[str]:
    found = ctx.entities_in(tokens, ORG)
    if found:
        return found
    if any(t.lower_ in ctx.words.organization_anaphors for t in tokens):
        main = ctx.most_mentioned(ORG)
        return [main] if main else []
    return []


def _country_subject(ctx: ArticleContext, verb: Token) -> list[str]:
    """The states a verb is about: its subject, or the noun a relative clause
    ("Belarus, which will join") or participle ("Belarus ... becoming") hangs on."""
    for child in verb.children:
        if child.dep_ in {"nsubj", "nsubjpass"}:
            if child.tag_ in {"WDT", "WP"} and verb.dep_ == "relcl":
                key = ctx.entity_at(verb.head)
                return [key] if key and ctx.type_of(key) is COUNTRY else []
            found = ctx.entities_in(child.subtree, COUNTRY)
            if found:
                return found
    if verb.dep_ == "relcl":
        key = ctx.entity_at(verb.head)
        return [key] if key and ctx.type_of(key) is COUNTRY else []
    return []


def _joins(ctx: ArticleContext, verb: Token) -> None:
    countries = _country_subject(ctx, verb)
    orgs = _organisations(ctx, [t for c in verb.children if c.dep_ in {"dobj", "prep"}
                                for t in c.subtree])
    if not countries or not orgs:
        return
    future = any(c.lower_ in ctx.words.acceding_markers for c in verb.children) or any(
        t.lower_ in ctx.words.acceding_markers for t in verb.subtree
    )
    status = "acceding" if future else "member"
    for country in countries:
        ctx.add(country, Predicate.MEMBER_OF, orgs[0], verb.sent, "member:join", 0.8,
                status=status)


def _accession(ctx: ArticleContext, noun: Token) -> None:
    """"the accession of Belarus to the SCO", "Belarus' accession to the SCO"."""
    window = list(noun.subtree) + list(ctx.doc[noun.i + 1 : min(noun.i + 8, noun.sent.end)])
    countries = ctx.entities_in(window, COUNTRY)
    orgs = _organisations(ctx, window)
    for country in countries[:1]:
        if orgs:
            ctx.add(country, Predicate.MEMBER_OF, orgs[0], noun.sent, "member:accession", 0.7,
                    status="acceding")


def _as_member(ctx: ArticleContext, word: Token) -> None:
    """"Laos, Nepal and Peru as observers" (every state of the list right before "as"),
    else the last state named before "as": "welcomed Belarus ... as a member state"."""
    statuses = [status_of(ctx, pobj) for pobj in word.children if pobj.dep_ == "pobj"]
    status = next((s for s in statuses if s), None)
    if status is None:
        return
    sent = word.sent
    countries = listed_before(ctx, word, frozenset({COUNTRY}))
    if not countries:
        countries = ctx.entities_in(ctx.doc[sent.start : word.i], COUNTRY)[-1:]
    orgs = _organisations(ctx, list(sent))
    for country in countries:
        for org in orgs[:1]:
            ctx.add(country, Predicate.MEMBER_OF, org, sent, "member:as-member", 0.75,
                    status=status, trigger=word)


def _chairs(ctx: ArticleContext, word: Token) -> None:
    sent = word.sent
    chairs: list[str] = []
    # whose chairmanship: "Kazakhstan's", "its" (the state named before), "our"
    for child in word.children:
        if child.dep_ == "poss":
            key = ctx.entity_at(child)
            if key and ctx.type_of(key) is COUNTRY:
                chairs.append(key)
            elif child.lower_ in ctx.words.possessive_pronouns:
                before = ctx.entities_in(ctx.doc[sent.start : word.i], COUNTRY)
                if child.lower_ in ctx.words.first_person_pronouns:
                    country = ctx.country_of(ctx.speaker(sent) or ctx.main_person)
                    before = [country] if country else []
                chairs += (before if child.lower_ in ctx.words.first_person_pronouns
                           else before[-1:])
    head = word
    while head.dep_ in {"dobj", "attr", "pobj", "prep", "amod", "compound", "acl", "relcl",
                        "advcl", "xcomp"} and head.head is not head and not chairs:
        head = head.head
        chairs += _country_subject(ctx, head) if head.pos_ in {"VERB", "AUX"} else []
        key = ctx.entity_at(head)
        if key and ctx.type_of(key) is COUNTRY:
            chairs.append(key)
    as_word = next((t for t in reversed(ctx.doc[max(sent.start, word.i - 2) : word.i])
                    if t.lower_ == "as"), None)
    if not chairs and as_word is not None:
        # "thanked Laos for its work as the Chair": the state named before "as"
        chairs = (listed_before(ctx, as_word, frozenset({COUNTRY}))
                  or ctx.entities_in(ctx.doc[sent.start : as_word.i], COUNTRY)[-1:])
    orgs = _organisations(ctx, list(word.subtree)) or _organisations(
        ctx, [t for t in word.head.subtree if t.dep_ == "compound" or t.i == word.head.i]
    )
    if not orgs and word.pos_ in {"NOUN", "PROPN"}:
        main = ctx.most_mentioned(ORG)
        orgs = [main] if main else []
    receivers = []  # "Laos hands over the chairmanship to Nepal": both have chaired it
    for child in word.head.children:
        if child.dep_ in {"prep", "dative"} and child.lower_ == "to":
            receivers += ctx.entities_in(child.subtree, COUNTRY)
    for country in dict.fromkeys([*chairs, *receivers]):
        for org in orgs[:1]:
            ctx.add(country, Predicate.CHAIRS, org, sent, "chairs:word", 0.75, trigger=word)
