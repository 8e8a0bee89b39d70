"""One argument, all the entities it stands for: the mechanism every relation shares.

A rule finds one token for a subject or an object (the head of "China, India
and Russia", of "the presidents of Laos and Nepal", of "the summit"). This
module expands it to every entity the text means there:

- coordination and apposition: "China, India and Russia", "eight members --
  China, India, ...", "its members, Iran and Belarus";
- "such as": "observer countries such as Laos and Nepal";
- a list after a dash, a colon or in brackets that the parser left unattached:
  "full members -- A, B, C", "observers (A, B, C)";
- a group named by the states it comes from: "the presidents of A, B and C",
  "representatives of A and B", "the heads of state of A and B" stand for A,
  B and C where a relation takes countries;
- a word standing for the story's organisation or event ("the bloc", "the
  summit") and titles or pronouns standing for its person ("the Kazakh
  President", "he").

`items_after_heading` gives the lines of a list laid out one item a line
under a heading line that ends in a colon ("The following documents were
signed:", "attended by:").

The words (group nouns, anaphors) are data: sco_graph/data/relation_words.json.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.tokens import Span, Token

from sco_graph.extract.relations.context import (
    COUNTRY,
    DOC,
    EVENT,
    INIT,
    ORG,
    PERSON,
    ArticleContext,
)
from sco_graph.knowledge.relation_words import RelationWords
from sco_graph.nlp import span_keys
from sco_graph.types import EntityType

_LIST_OPENERS = {"-", "--", "—", "–", ":", "("}
_LIST_CLOSERS = {")", ";"}
_FINITE = {"VBD", "VBZ", "VBP", "MD"}
_COORDINATION = {"conj", "appos"}


def entities_of(
    ctx: ArticleContext, token: Token, types: Iterable[EntityType]
) -> list[str]:
    """Every entity of `types` that the argument headed by `token` stands for, in text order."""
    wanted = frozenset(types)
    found: list[str] = []
    for head in coordinated(token):
        found += _entities_at(ctx, head, wanted)
    if not found or _ends_in_list_opener(token):
        found += listed_after(ctx, token, wanted)
    return list(dict.fromkeys(found))


def coordinated(token: Token) -> list[Token]:
    """The token, its conjuncts and appositions, and the items of its "such as"."""
    seen: dict[int, Token] = {}
    todo = [token]
    while todo:
        current = todo.pop()
        if current.i in seen:
            continue
        seen[current.i] = current
        for child in current.children:
            if child.dep_ in _COORDINATION:
                todo.append(child)
            elif child.dep_ == "prep" and child.lower_ == "as" and any(
                g.lower_ == "such" for g in child.children
            ):
                todo.extend(g for g in child.children if g.dep_ == "pobj")
    return sorted(seen.values(), key=lambda t: t.i)


def listed_after(ctx: ArticleContext, token: Token, types: frozenset[EntityType]) -> list[str]:
    """The entities of a list that follows `token`'s phrase after a dash, colon or bracket,
    up to the bracket's end, a semicolon or a finite verb (the parser often leaves such
    lists unattached, so this reads the tokens, not the tree)."""
    doc = token.doc
    sent = token.sent
    openers = [i for i in (token.i + 1, token.right_edge.i + 1)
               if i < sent.end and doc[i].text in _LIST_OPENERS]
    if not openers:
        return []
    start = openers[0]
    found: list[str] = []
    for current in doc[start + 1 : sent.end]:
        if current.text in _LIST_CLOSERS or current.tag_ in _FINITE:
            break
        key = ctx.outer_entity.get(current.i)
        if key is not None and ctx.type_of(key) in types:
            found.append(key)
    return found


def items_after_heading(sentence: Span, words: RelationWords) -> list[Span]:
    """The items of a list laid out one a line under `sentence`, when it ends in ":".

    An item is a line of its own: bulleted, or ending in ";" or ",", or a short
    line without a finite verb of its own, or a run of titled people. The list
    ends at the first line that is none of these, or at the next heading.
    """
    if not sentence.text.rstrip().endswith(":"):
        following = _next_sentence(sentence)
        if following is None or not _is_pointer_heading(following, words):
            return []
        sentence = following
    doc = sentence.doc
    items: list[Span] = []
    for line in _lines_after(sentence):
        text = line.text.strip()
        bulleted = text[:1] in {"-", "–", "—", "•", "*", "·"} or text[:2].rstrip(".)").isdigit()
        if bulleted or text.endswith((";", ",")) or (
            (len(line) <= 40 or _is_titled_run(line)) and not _is_clause(line)
        ):
            items.append(line)
            if text.endswith(":"):
                break
            continue
        break
    return [item for item in items if item.end <= len(doc)]


def _next_sentence(sentence: Span) -> Span | None:
    doc = sentence.doc
    return doc[sentence.end].sent if sentence.end < len(doc) else None


def _is_pointer_heading(sentence: Span, words: RelationWords) -> bool:
    """A short line that only points to the list below it and back to the sentence
    before: "These are:", "They include:", "Among them:"."""
    tokens = [t for t in sentence if not t.is_punct and not t.is_space]
    return (sentence.text.rstrip().endswith(":") and 0 < len(tokens) <= 4
            and tokens[0].lower_ in words.list_pointers)


def _lines_after(sentence: Span) -> Iterator[Span]:
    """The lines after `sentence`, one span each (sentences broken at line ends)."""
    doc = sentence.doc
    start = sentence.end
    i = start
    while i < len(doc):
        if "\n" in doc[i].whitespace_ or doc[i].is_space or i == len(doc) - 1:
            end = i + 1
            line = doc[start:end]
            if line.text.strip():
                yield _trimmed(line)
            start = end
        i += 1


def _trimmed(line: Span) -> Span:
    start, end = line.start, line.end
    doc = line.doc
    while start < end and doc[start].is_space:
        start += 1
    while end > start and doc[end - 1].is_space:
        end -= 1
    return doc[start:end]


def _is_titled_run(line: Span) -> bool:
    """A long line that is a run of titled people with no commas (a scraped table:
    "Vice President of X A.B. Name Prime Minister of Y C. Name ..."): it opens with
    a title and names two people or more."""
    titles = [t for t in line.doc.spans.get(span_keys.TITLES, [])
              if line.start <= t.start and t.end <= line.end]
    return len(titles) >= 2 and titles[0].start == line.start


def _is_clause(line: Span) -> bool:
    """A line with a verb that has its own subject: a sentence, not a list item."""
    return any(
        t.pos_ in {"VERB", "AUX"} and t.tag_ in _FINITE
        and any(c.dep_ in {"nsubj", "nsubjpass", "expl"} for c in t.children)
        for t in line
    )


def _ends_in_list_opener(token: Token) -> bool:
    nxt = token.i + 1
    return nxt < len(token.doc) and token.doc[nxt].text in _LIST_OPENERS


def _entities_at(ctx: ArticleContext, head: Token, types: frozenset[EntityType]) -> list[str]:
    outer = ctx.outer_entity.get(head.i)
    if outer is not None and ctx.type_of(outer) in types:
        return [outer]
    inner = ctx.entity_at(head)
    if inner is not None and ctx.type_of(inner) in types:
        return [inner]
    if outer is not None or inner is not None:
        return []
    lower = head.lower_
    words = ctx.words
    if head.lemma_.lower() in words.group_nouns and types & {COUNTRY, ORG}:
        members = [k for source in _sources_of(head) for k in
                   entities_of(ctx, source, types & {COUNTRY, ORG})]
        if members:
            return members
    if types & {DOC, INIT} and lower in words.document_anaphors:
        kind = None if lower in words.generic_document_nouns else lower
        main = ctx.most_mentioned(DOC, kind) or ctx.most_mentioned(DOC)
        return [main] if main and ctx.type_of(main) in types else []
    if ORG in types and lower in words.organization_anaphors:
        main = ctx.most_mentioned(ORG)
        return [main] if main else []
    if EVENT in types and lower in words.event_anaphors:
        main = ctx.main_event(lower)
        return [main] if main else []
    if PERSON in types:
        return ctx.persons_of(head)
    return []


def _sources_of(group: Token) -> list[Token]:
    """"presidents of A", "heads of state of A", "officials from A": the A tokens."""
    sources: list[Token] = []
    for child in group.children:
        if child.dep_ == "prep" and child.lower_ in {"of", "from"}:
            for pobj in (c for c in child.children if c.dep_ == "pobj"):
                deeper = _sources_of(pobj)
                sources += deeper or [pobj]
    return sources


def status_of(ctx: ArticleContext, noun: Token) -> str | None:
    """The membership status a noun phrase names: its head with its compounds and
    modifiers ("full members", "SCO observer states", "dialogue partners")."""
    words = [t for t in noun.subtree
             if (t.i <= noun.i and t.dep_ in {"compound", "amod", "nmod"}) or t.i == noun.i]
    lemmas = " ".join(t.lemma_.lower() for t in sorted(words, key=lambda t: t.i))
    lowers = " ".join(t.lower_ for t in sorted(words, key=lambda t: t.i))
    if any(w in ctx.words.not_statuses for w in lemmas.split()):
        return None
    for phrase in sorted(ctx.words.statuses, key=lambda p: (-len(p), p)):
        for text in (lemmas, lowers):
            if f" {phrase} " in f" {text} ":
                return ctx.words.statuses[phrase]
    return None


def listed_before(ctx: ArticleContext, token: Token, types: frozenset[EntityType]) -> list[str]:
    """The entities of the list that ends right before `token`: "Laos, Nepal and Peru as
    observers" (names, commas, "and", "the"; a word of any other kind ends the list)."""
    found: list[str] = []
    i = token.i - 1
    sent_start = token.sent.start
    while i >= sent_start:
        current = token.doc[i]
        key = ctx.outer_entity.get(i)
        if key is not None and ctx.type_of(key) in types:
            found.append(key)
            i = min(s.start for s in ctx.mention_spans[key] if s.start <= i < s.end) - 1
            continue
        if (current.is_punct and current.text in {",", "(", ")"}) or current.lower_ in {
            "and", "the", "as", "well"
        }:
            i -= 1
            continue
        break
    return list(dict.fromkeys(reversed(found)))
