"""holdsPosition: who holds which post, from the way the press titles people.

- A title before a name: "Minister of Foreign Affairs of Russia Sergey Lavrov",
  "Russian President Vladimir Putin", "SCO Secretary General Zhang Ming",
  "Director of the Executive Committee of the SCO RATS Ruslan Mirzaev" (the
  `sco_titles` component pairs each title with its name).
- A title without a name for the person the story is about: "the Kazakh
  President said" — only where the gazetteer knows that person in that post.
- A post taken or held: "Nurlan Yermekbayev appointed Secretary General of
  the SCO", "Zhang Ming of China has been SCO Secretary-General since ...".

The role is the title without the country or body it names.
"""

from __future__ import annotations

import datetime as dt
import re

from spacy.tokens import Span, Token

from sco_graph.extract.dates import find_time_expressions
from sco_graph.extract.relations.context import COUNTRY, ORG, PERSON, ArticleContext
from sco_graph.nlp import span_keys
from sco_graph.types import Predicate

_DASHES = {"-", "–", "—"}


def extract_posts(ctx: ArticleContext) -> None:
    titles = ctx.doc.spans.get(span_keys.TITLES, [])
    people = ctx.doc.spans.get(span_keys.TITLED_PEOPLE, [])
    for title, name in zip(titles, people, strict=False):
        person = ctx.entity_at(name[0])
        if person is not None and ctx.type_of(person) is PERSON:
            _from_title(ctx, person, title, name)
    _titles_without_names(ctx)
    _appointments(ctx)


def _from_title(ctx: ArticleContext, person: str, title: Span, name: Span) -> None:
    holder = _holder_in(ctx, title)
    if holder is None:
        return
    key, start = holder
    role = _role(ctx, title, start)
    if role:
        ctx.add(person, Predicate.HOLDS_POSITION, key, name, "post:title-before-name", 0.9,
                role=role)


def _holder_in(ctx: ArticleContext, title: Span) -> tuple[str, int] | None:
    """The country or body a title names: "of Russia", "Russian", "SCO"; the whole
    body where a name holds another ("Chairman of the SCO Business Council")."""
    for token in title:
        for key in (ctx.outer_entity.get(token.i), ctx.entity_at(token)):
            if key is not None and ctx.type_of(key) in {COUNTRY, ORG}:
                return key, token.i
        country = _country_of_demonym(ctx, token)
        if country is not None:
            return country, token.i
    return None


def _country_of_demonym(ctx: ArticleContext, token: Token) -> str | None:
    entry = ctx.gazetteer.country_of_demonym(token.text) if token.is_title else None
    if entry is not None and entry.id in ctx.by_key:
        return entry.id
    return None


def _role(ctx: ArticleContext, title: Span, holder_start: int) -> str:
    """The title's words without the holder: "Minister of Foreign Affairs"."""
    words = []
    for token in title:
        if token.i >= holder_start and ctx.entity_at(token) is not None:
            break
        if token.i == holder_start:
            break
        words.append(token)
    if holder_start == title.start:  # "Russian President", "SCO Secretary General"
        words = [t for t in title if t.i > holder_start and ctx.entity_at(t) is None]
    while words and (words[-1].lower_ in {"of", "the", "for"} or words[-1].text in _DASHES):
        words.pop()
    while words and (words[0].lower_ in {"the"} or words[0].text in {"'s", "’s"}):
        words.pop(0)
    if not words:
        return ""
    # the words as written ("Secretary-General"), dashes between two posts spaced evenly
    text = ctx.doc[words[0].i : words[-1].i + 1].text
    text = re.sub(r"\s*[–—]\s*|\s+-\s*|\s*-\s+", " - ", text)
    return " ".join(text.split())


def _titles_without_names(ctx: ArticleContext) -> None:
    """"the Kazakh President said": the story's main person, when the gazetteer
    knows them in that country's post."""
    person = ctx.main_person
    entry = ctx.gazetteer.get(person) if person else None
    if entry is None:
        return
    posts = {(role.of, role.role.casefold()) for role in entry.roles}
    for token in ctx.doc:
        country = _country_of_demonym(ctx, token)
        if country is None or token.i + 1 >= len(ctx.doc):
            continue
        title = ctx.doc[token.i + 1]
        if title.lower_ not in ctx.words.speaker_titles or ctx.entity_at(title) is not None:
            continue
        for of, role in posts:
            generic = title.lower_ in ctx.words.generic_leader_titles
            if of == country and (title.lower_ in role or generic):
                ctx.add(person, Predicate.HOLDS_POSITION, country, title.sent,
                        "post:title-of-main-person", 0.7, role=role.title())


def _appointments(ctx: ArticleContext) -> None:
    """"X appointed Secretary General of the SCO", "X has been SCO Secretary-General"."""
    for token in ctx.tokens_with(lemmas=ctx.words.appointment_verbs):
        if token.pos_ not in {"VERB", "AUX"}:
            continue
        subjects = [c for c in token.children if c.dep_ in {"nsubj", "nsubjpass"}]
        if not subjects:
            continue
        people = ctx.persons_of(subjects[0])
        if not people:
            continue
        complements = [c for c in token.children if c.dep_ in {"attr", "oprd", "dobj", "xcomp",
                                                                  "acomp", "prep"}]
        for complement in complements:
            tokens = list(complement.subtree)
            if not any(t.lower_ in ctx.words.post_words for t in tokens):
                continue
            holders = ctx.entities_in(tokens, ORG, COUNTRY)
            confidence = 0.8
            phrase = f" {' '.join(t.lower_ for t in tokens)} "
            if not holders and any(f" {post} " in phrase for post in ctx.words.organisation_posts):
                # "X becomes the new Secretary General": a post only an organisation has,
                # so the story's organisation
                main = ctx.most_mentioned(ORG)
                holders, confidence = ([main], 0.6) if main else ([], confidence)
            if not holders or not ctx.asserted(token):
                continue
            role = " ".join(t.text for t in tokens if ctx.entity_at(t) is None and t.is_title
                            and t.lower_ not in {"the"})
            start, end = _period(ctx, token)
            for person in people:
                ctx.add(person, Predicate.HOLDS_POSITION, holders[0], token.sent,
                        "post:appointed", confidence, role=role or None, valid_from=start,
                        valid_until=end)


def _period(ctx: ArticleContext, verb: Token) -> tuple[dt.date | None, dt.date | None]:
    """The period a post is held for, where the clause gives one: "for 2025-2027",
    "since 1 January 2022" (read against the article's date)."""
    clause = ctx.doc[verb.left_edge.i : verb.right_edge.i + 1].text
    for _, _, value in find_time_expressions(clause, ctx.article.date):
        if value.phrase.lower().startswith("since"):
            return value.start, None  # held since then, and still
        if value.granularity != "day":  # a term ("for 2025-2027"), not the day it was said
            return value.start, value.end
    return None, None
