"""Meetings: participatedIn, heldIn and met.

- participatedIn: "X attended / took part in / joined / addressed E", "Xi made
  the remarks when attending E", lists ("Presidents of Kazakhstan, Iran, ...
  are taking part in the event"; "Those attending the meeting are A, B, C"),
  "X said at E". "the event", "the summit", "the meeting" are the story's
  event of that kind.
- heldIn: "the SCO Summit in Astana", "E kicked off in Astana", "the country
  is preparing to host E", "arrived in Astana for E", "floods which hit K".
- met: "X met (with) Y", "X received Y", "X and Y held talks", and the story's
  person meeting everyone in an attendance list they held a meeting with.
"""

from __future__ import annotations

from itertools import combinations

from spacy.tokens import Span, Token

from sco_graph.extract.relations.arguments import entities_of
from sco_graph.extract.relations.context import COUNTRY, EVENT, ORG, PERSON, PLACE, ArticleContext
from sco_graph.knowledge.relation_words import RelationWords
from sco_graph.types import Predicate

_SUBJECTS = {"nsubj", "nsubjpass"}


def extract_meetings(ctx: ArticleContext) -> None:
    _held_in_names(ctx)
    words = ctx.words
    triggers = (words.participate_verbs | words.take_part_verbs | words.speech_verbs
                | words.host_verbs | words.held_verbs | words.travel_verbs | words.meet_verbs
                | words.meeting_nouns)
    for token in ctx.tokens_with(lemmas=triggers):
        if not ctx.asserted(token):
            continue
        lemma = ctx.lemmas[token.i]
        participates = lemma in words.participate_verbs and token.pos_ == "VERB"
        if participates or _takes_part(token, words):
            _participation(ctx, token)
        if lemma in words.speech_verbs and token.pos_ == "VERB":
            _spoke_at(ctx, token)
        if lemma in words.host_verbs and token.pos_ == "VERB":
            _hosting(ctx, token)
        if lemma in words.held_verbs or lemma in words.travel_verbs:
            _held_where(ctx, token)
        if lemma in words.meet_verbs and token.pos_ == "VERB":
            _meeting(ctx, token)
        if lemma in words.meeting_nouns and token.head.lemma_.lower() in words.talk_verbs:
            _talks(ctx, token.head)


def _takes_part(token: Token, words: RelationWords) -> bool:
    return token.lemma_.lower() in words.take_part_verbs and any(
        c.lower_ in words.take_part_nouns for c in token.children
    )


def _participants(ctx: ArticleContext, verb: Token) -> list[str]:
    """Who takes part: the subject (or the governing verb's subject for
    "when attending"), its conjuncts and the bodies or states it lists."""
    subjects = [c for c in verb.children if c.dep_ in _SUBJECTS]
    if not subjects and verb.dep_ in {"advcl", "xcomp", "conj", "pcomp", "acl"}:
        head = verb.head
        if verb.dep_ == "xcomp":  # "welcomed Belarus to attend": Belarus attends
            objects = [c for c in head.children if c.dep_ == "dobj"]
            if objects:
                return ctx.entities_in(objects[0].subtree, PERSON, COUNTRY, ORG)
        subjects = [c for c in head.children if c.dep_ in _SUBJECTS]
    found: list[str] = []
    for subject in subjects:
        tokens = list(subject.subtree)
        people = ctx.persons_of(subject)
        listed = ctx.entities_in(tokens, PERSON, COUNTRY, ORG)
        persons = [k for k in listed if ctx.type_of(k) is PERSON]
        if people:
            found.extend(people)
        elif persons and subject.lower_ in ctx.words.attendance_groups:
            found.extend(persons)
        else:
            found.extend(k for k in listed if _not_inside_title(ctx, k, tokens)
                         and not _names_a_post(ctx, k))
    return list(dict.fromkeys(found))


def _not_inside_title(ctx: ArticleContext, key: str, tokens: list[Token]) -> bool:
    """"Minister of Foreign Affairs of Russia Sergey Lavrov": Russia names the
    minister's post, the minister is who takes part."""
    if ctx.type_of(key) is PERSON:
        return True
    return not any(ctx.type_of(k) is PERSON for k in ctx.entities_in(tokens, PERSON))


def _names_a_post(ctx: ArticleContext, key: str) -> bool:
    """"SCO Secretary-General", "Director of the SCO RATS Executive Committee":
    the body names an official's post; the official is who takes part."""
    if ctx.type_of(key) is not ORG:
        return False
    for span in ctx.mention_spans.get(key, []):
        after = ctx.doc[span.end] if span.end < len(ctx.doc) else None
        before = [t for t in ctx.doc[max(span.start - 3, 0) : span.start] if t.pos_ != "DET"]
        if after is not None and after.lower_ in ctx.words.post_words:
            return True
        if len(before) >= 2 and before[-1].lower_ == "of" and (
            before[-2].lower_ in ctx.words.post_words
        ):
            return True
    return False


def _participation(ctx: ArticleContext, verb: Token) -> None:
    objects = [t for c in verb.children if c.dep_ in {"dobj", "prep", "attr", "dative", "prt"}
               for t in c.subtree]
    events = ctx.events_in(objects)
    subjects = _participants(ctx, verb)
    if not events or not subjects:
        # "Those attending the meeting are A, B, C"
        if verb.dep_ == "acl" and verb.head.lower_ in ctx.words.attendance_groups:
            _attendance_list(ctx, verb)
        return
    for who in subjects:
        ctx.add(who, Predicate.PARTICIPATED_IN, events[0], verb.sent, "event:participation", 0.8)


def _attendance_list(ctx: ArticleContext, verb: Token) -> None:
    events = ctx.events_in(list(verb.subtree))
    if not events:
        return
    clause = verb.head.head
    listed = [t for c in clause.children if c.dep_ in {"attr", "acomp", "dobj"}
              for t in c.subtree]
    people = ctx.entities_in(listed, PERSON)
    for person in people:
        ctx.add(person, Predicate.PARTICIPATED_IN, events[0], verb.sent, "event:attendance-list",
                0.8)
    host = ctx.main_person
    if host is not None and _hosted_meeting(ctx, host):
        for person in people:
            ctx.add(host, Predicate.MET, person, verb.sent, "met:attendance-list", 0.6)


def _hosted_meeting(ctx: ArticleContext, person: str) -> bool:
    """Did the story's person hold a meeting with, or meet, a group?"""
    for token in ctx.tokens_with(lemmas={"meet", "hold"}):
        if token.pos_ == "VERB":
            subjects = [c for c in token.children if c.dep_ == "nsubj"]
            if subjects and person in ctx.persons_of(subjects[0]):
                return True
    return False


def _spoke_at(ctx: ArticleContext, verb: Token) -> None:
    """"Tokayev said at the online meeting of the SCO Heads of State Council"."""
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ == "at":
            events = ctx.events_in(list(prep.subtree))
            speakers = [k for c in verb.children if c.dep_ in _SUBJECTS
                        for k in ctx.persons_of(c)]
            for who in speakers:
                if events:
                    ctx.add(who, Predicate.PARTICIPATED_IN, events[0], verb.sent,
                            "event:spoke-at", 0.8)


def _hosting(ctx: ArticleContext, verb: Token) -> None:
    events = ctx.events_in([t for c in verb.children if c.dep_ == "dobj" for t in c.subtree])
    if not events:
        return
    head = verb
    while head.dep_ in {"xcomp", "advcl", "conj"} and not any(
        c.dep_ in _SUBJECTS for c in head.children
    ):
        head = head.head
    for subject in (c for c in head.children if c.dep_ in _SUBJECTS):
        places = ctx.entities_in(subject.subtree, COUNTRY, PLACE)
        if not places and subject.lower_ in ctx.words.country_anaphors:
            country = ctx.most_mentioned(COUNTRY)
            places = [country] if country else []
        for place in places:
            ctx.add(events[0], Predicate.HELD_IN, place, verb.sent, "event:host", 0.7)


def _held_where(ctx: ArticleContext, verb: Token) -> None:
    """"E kicked off in Astana", "arrived in Astana for E", "floods which hit K"."""
    places: list[str] = []
    events: list[str] = []
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ == "in":
            objects = [c for c in child.children if c.dep_ == "pobj"]
            places += [k for k in (ctx.outer_entity.get(o.i) for o in objects)
                       if k and ctx.type_of(k) in {PLACE, COUNTRY}]
        if child.dep_ == "prep" and child.lower_ == "for":
            events += ctx.events_in(list(child.subtree))
        if child.dep_ == "dobj" and verb.lemma_.lower() == "hit":
            places += ctx.entities_in(child.subtree, PLACE, COUNTRY)
        if child.dep_ in _SUBJECTS:
            events += ctx.entities_in(child.subtree, EVENT)
    if verb.dep_ == "relcl" and ctx.entity_at(verb.head) is not None:
        events += [k for k in [ctx.entity_at(verb.head)] if k and ctx.type_of(k) is EVENT]
    if events and places:
        ctx.add(events[0], Predicate.HELD_IN, places[0], verb.sent, "event:held-in", 0.75)


def _held_in_names(ctx: ArticleContext) -> None:
    """"the SCO Summit in Astana", "terror act in Moscow region"."""
    for key, spans in ctx.mention_spans.items():
        if ctx.type_of(key) is not EVENT:
            continue
        for span in spans:
            for token in span:
                if token.lower_ == "in":
                    places = ctx.entities_in(ctx.doc[token.i + 1 : span.end], PLACE, COUNTRY)
                    if places:
                        ctx.add(key, Predicate.HELD_IN, places[0], span, "event:name", 0.85)


def _meeting(ctx: ArticleContext, verb: Token) -> None:
    """"A met (with) B", "A received B and C"."""
    subjects = [k for c in verb.children if c.dep_ in _SUBJECTS
                for k in entities_of(ctx, c, {PERSON})]
    objects: list[str] = []
    for child in verb.children:
        if child.dep_ == "dobj":
            objects += entities_of(ctx, child, {PERSON})
        elif child.dep_ == "prep" and child.lower_ == "with":
            objects += [k for pobj in child.children if pobj.dep_ == "pobj"
                        for k in entities_of(ctx, pobj, {PERSON})]
    for a in subjects:
        for b in objects:
            ctx.add(a, Predicate.MET, b, verb.sent, "met:verb", 0.85, trigger=verb)


def _talks(ctx: ArticleContext, hold: Token) -> None:
    """"A and B held talks", "A held talks with B": the people of the subject (not of a
    clause hanging on it: "A, accompanied by C, held talks with B"), each with the people
    the talks were with, or with one another when the talks name nobody else."""
    subjects = [k for c in hold.children if c.dep_ in _SUBJECTS
                for k in entities_of(ctx, c, {PERSON})]
    partners = [k for talks in hold.children if talks.lemma_.lower() in ctx.words.meeting_nouns
                for prep in talks.children if prep.dep_ == "prep" and prep.lower_ == "with"
                for pobj in prep.children if pobj.dep_ == "pobj"
                for k in entities_of(ctx, pobj, {PERSON})]
    partners += [k for prep in hold.children if prep.dep_ == "prep" and prep.lower_ == "with"
                 for pobj in prep.children if pobj.dep_ == "pobj"
                 for k in entities_of(ctx, pobj, {PERSON})]
    sent: Span = hold.sent
    pairs = [(a, b) for a in subjects for b in partners] if partners else list(
        combinations(dict.fromkeys(subjects), 2))
    for a, b in pairs:
        ctx.add(a, Predicate.MET, b, sent, "met:talks", 0.8, trigger=hold)
