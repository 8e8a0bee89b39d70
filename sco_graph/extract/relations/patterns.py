"""The pattern engine: every pattern of sco_graph/data/relation_patterns/ run over an article.

The patterns are data (knowledge/relation_patterns.py says their format);
this module only runs them with one `TreeMatcher` (spaCy's `DependencyMatcher`,
its token step vectorised: tree_matcher.py) and maps the matched nodes to facts:

- `trigger`: the assertion filter (assertion.py) must let its statement through;
- `subject` and `object`: each expanded to every entity it stands for
  (arguments.py), keeping the types the relation allows at that end;
- an argument without a node comes from the story (`subject_from`,
  `object_from`): the organisation or event the sentence names, else the
  story's own; or the items of the list under a heading line;
- `status`: the membership status its phrase names ("observer states" ->
  observer; "guest members" names none, and gives no fact).
"""

from __future__ import annotations

from functools import cache

from spacy.strings import get_string_id
from spacy.tokens import Span, Token
from spacy.vocab import Vocab

from sco_graph.extract.relations.arguments import entities_of, items_after_heading, status_of
from sco_graph.extract.relations.context import ORG, PERSON, SIGNATURES, ArticleContext
from sco_graph.extract.relations.tree_matcher import TreeMatcher
from sco_graph.knowledge.relation_patterns import RelationPattern, default_patterns
from sco_graph.types import EntityType, Predicate


def extract_patterns(ctx: ArticleContext) -> None:
    """Add the facts every pattern finds in the article."""
    patterns, matcher = _matcher(ctx.doc.vocab)
    for match_id, token_ids in sorted(matcher(ctx.doc), key=lambda m: (m[1], m[0])):
        pattern = patterns[match_id]
        nodes = {name: ctx.doc[i] for name, i in zip(pattern.nodes, token_ids, strict=True)}
        _apply(ctx, pattern, nodes)


def _apply(ctx: ArticleContext, pattern: RelationPattern, nodes: dict[str, Token]) -> None:
    trigger = nodes.get("trigger") or nodes["subject"]
    predicate = pattern.predicate
    if not ctx.asserted(trigger, predicate):
        return
    status = pattern.status
    if "status" in nodes:
        status = status_of(ctx, nodes["status"])
        if status is None:
            return
    subject_types, object_types = SIGNATURES[predicate]
    subject_types &= pattern.subject_types or subject_types
    object_types &= pattern.object_types or object_types
    subjects = _end(ctx, pattern, nodes, "subject", subject_types)
    objects = _end(ctx, pattern, nodes, "object", object_types)
    if predicate is Predicate.MEMBER_OF and status is None:
        status = "member"
    for subject in subjects:
        for obj in objects:
            if subject != obj:
                ctx.add(subject, predicate, obj, trigger.sent, f"pattern:{pattern.id}",
                        pattern.confidence, status=status, trigger=trigger)


def _end(
    ctx: ArticleContext,
    pattern: RelationPattern,
    nodes: dict[str, Token],
    end: str,
    types: frozenset[EntityType],
) -> list[str]:
    if end in nodes:
        return entities_of(ctx, nodes[end], types)
    source = pattern.subject_from if end == "subject" else pattern.object_from
    trigger = nodes.get("trigger") or nodes["subject"]
    if source == "main-organisation":
        return _organisation_near(ctx, nodes)
    if source == "main-event":
        return _event_near(ctx, trigger)
    if source == "subject-list" and "subject" in nodes:
        return entities_of(ctx, nodes["subject"], types)
    if source == "demonym":
        found = []
        for child in trigger.children:
            entry = ctx.gazetteer.country_of_demonym(child.lower_) if child.dep_ in {
                "amod", "compound"} else None
            if entry is not None and entry.id in ctx.by_key:
                found.append(entry.id)
        return found
    if source == "heading-items":
        found: list[str] = []
        for item in items_after_heading(trigger.sent, ctx.words):
            found += _item_entities(ctx, item, types)
        return found
    return []


def _item_entities(ctx: ArticleContext, item: Span, types: frozenset[EntityType]) -> list[str]:
    """The entities one list item is about: its people where it names people ("Secretary
    General of the SCO Zhang Wei": the person, not the body of the post), else every
    entity of `types` it names."""
    named = ctx.outer_entities_in(item, *types)
    people = [k for k in named if ctx.type_of(k) is PERSON]
    return people or named


def _organisation_near(ctx: ArticleContext, nodes: dict[str, Token]) -> list[str]:
    """The organisation a status or a membership sentence is about: the one the status
    phrase names ("SCO member states", "members of the Organization", "its members": the
    clause's subject), else of the organisations the sentence names outside its lists the
    one the story names most, else the story's most mentioned organisation."""
    listed = {t.i for t in nodes["subject"].subtree} if "subject" in nodes else set()
    for name in ("status", "trigger"):
        if name not in nodes:
            continue
        node = nodes[name]
        named = ctx.outer_entities_in([t for t in node.subtree if t.i not in listed], ORG)
        for child in node.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                named += [k for pobj in child.children if pobj.dep_ == "pobj"
                          for k in entities_of(ctx, pobj, {ORG})]
            if child.dep_ == "poss" and child.lower_ in {"its", "their"}:
                named += [k for s in node.head.children if s.dep_ == "nsubj"
                          for k in entities_of(ctx, s, {ORG})]
        if named:
            return named[:1]
    sent = (nodes.get("trigger") or nodes["subject"]).sent
    around = ctx.outer_entities_in([t for t in sent if t.i not in listed], ORG)
    if around:
        mentions = {e.key: len(e.mentions) for e in ctx.entities}
        return [max(around, key=lambda k: (mentions.get(k, 0), -around.index(k)))]
    main = ctx.most_mentioned(ORG)
    return [main] if main else []


def _event_near(ctx: ArticleContext, trigger: Token) -> list[str]:
    found = ctx.events_in(list(trigger.sent))
    if found:
        return found
    main = ctx.main_event()
    return [main] if main else []


def prepare_patterns(vocab: Vocab) -> None:
    """Build the matcher now: built inside an `nlp.memory_zone`, its strings would be
    dropped from the vocabulary with the zone's Docs."""
    _matcher(vocab)


@cache
def _matcher(vocab: Vocab) -> tuple[dict[int, RelationPattern], TreeMatcher]:
    """The patterns by the hash of their id and one matcher for all of them, built once
    per vocabulary."""
    patterns = {get_string_id(p.id): p for p in default_patterns()}
    matcher = TreeMatcher(vocab)
    for pattern in patterns.values():
        matcher.add(pattern.id, [pattern.pattern])
    return patterns, matcher
