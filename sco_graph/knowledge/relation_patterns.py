"""The relation patterns of sco_graph/data/relation_patterns/*.jsonl, checked when loaded.

One file per relation family, one pattern a line. A pattern is a spaCy
`DependencyMatcher` pattern (a list of nodes: `RIGHT_ID`, `RIGHT_ATTRS`, and
`LEFT_ID` / `REL_OP` for every node but the first) whose node names say what
each matched token is:

- `trigger`: the word that signals the relation; the assertion filter reads
  the statement around it (without one, the subject is the trigger: "Ufa,
  Russia" has no word but the names);
- `subject`, `object`: the head of each argument, expanded to every entity it
  stands for (extract/relations/arguments.py);
- `status`: the noun phrase giving a membership status ("observer states").

Fields of a line:

- `id`: unique name; facts record it as their rule, `pattern:<id>`;
- `relation`: a predicate of ../shared/gold/FORMAT.md (`memberOf`, ...);
- `pattern`: the DependencyMatcher pattern;
- `subject_from` / `object_from`, where an argument has no node:
  `main-organisation` (the organisation the status phrase or the sentence
  names, else the story's), `main-event` (the event the sentence names, else
  the story's), `heading-items` (the entities of the lines of the list under
  the trigger's sentence, which ends in ":"), `demonym` (the country a
  demonym on the trigger names, "the Kyrgyz capital", when the story names
  that country), `subject-list` (the other members of the subject's own list:
  "A and B discussed ... at a meeting" gives A met B);
- `status`: a fixed membership status ("member", "acceding");
- `subject_types` / `object_types`: entity types narrower than the relation
  allows at that end ("Person": a delegation is its people, not the bodies
  named in their titles);
- `confidence`: 0-1, default 0.75;
- `examples`: made-up sentences, each with the complete set of facts it
  states as `[subject, relation, object]` by entity name; the tests run them;
- `note`: free text.

In `RIGHT_ATTRS`, `{"IN": "@list_name"}` stands for a word list of
sco_graph/data/relation_words.json, so one list of trigger words serves many patterns.
A malformed line is a DataError naming the file and line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from spacy.matcher import DependencyMatcher
from spacy.vocab import Vocab

from sco_graph.errors import DataError
from sco_graph.knowledge.relation_words import RelationWords, default_words
from sco_graph.resources import data_dir
from sco_graph.types import EntityType, Predicate

PATTERNS_FOLDER = "relation_patterns"
NODE_NAMES = frozenset({"trigger", "subject", "object", "status"})
SOURCES = frozenset({"main-organisation", "main-event", "heading-items", "demonym",
                     "subject-list"})
_FIELDS = frozenset({"id", "relation", "pattern", "subject_from", "object_from", "status",
                     "subject_types", "object_types", "confidence", "examples", "note"})


@dataclass(frozen=True)
class Example:
    text: str
    facts: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class RelationPattern:
    id: str
    predicate: Predicate
    pattern: list[dict[str, Any]]
    subject_from: str | None = None
    object_from: str | None = None
    status: str | None = None
    subject_types: frozenset[EntityType] | None = None  # narrower than the relation allows
    object_types: frozenset[EntityType] | None = None
    confidence: float = 0.75
    examples: tuple[Example, ...] = ()
    where: str = ""  # file:line

    @property
    def nodes(self) -> list[str]:
        return [node["RIGHT_ID"] for node in self.pattern]


def read_patterns(folder: Path, words: RelationWords) -> tuple[RelationPattern, ...]:
    """Every pattern of the folder's *.jsonl files, in file and line order."""
    if not folder.is_dir():
        raise DataError(str(folder), "relation patterns folder is missing")
    found: list[RelationPattern] = []
    ids: dict[str, str] = {}
    for path in sorted(folder.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            pattern = _parse(where, line, words)
            if pattern.id in ids:
                raise DataError(where, f"pattern id {pattern.id!r} is used twice "
                                       f"(first at {ids[pattern.id]})")
            ids[pattern.id] = where
            found.append(pattern)
    return tuple(found)


@cache
def default_patterns() -> tuple[RelationPattern, ...]:
    return read_patterns(data_dir() / PATTERNS_FOLDER, default_words())


def _parse(where: str, line: str, words: RelationWords) -> RelationPattern:
    try:
        raw = json.loads(line)
    except json.JSONDecodeError as error:
        raise DataError(where, f"not valid JSON ({error.msg})") from None
    if not isinstance(raw, dict):
        raise DataError(where, "a pattern must be a JSON object")
    unknown = set(raw) - _FIELDS
    if unknown:
        raise DataError(where, f"unknown field(s) {', '.join(sorted(unknown))}")
    ident = raw.get("id")
    if not isinstance(ident, str) or not ident:
        raise DataError(where, '"id" must be a non-empty string')
    try:
        predicate = Predicate(raw.get("relation"))
    except ValueError:
        raise DataError(where, f"pattern {ident!r}: relation {raw.get('relation')!r} is not "
                               f"one of {', '.join(p.value for p in Predicate)}") from None
    nodes = raw.get("pattern")
    if not isinstance(nodes, list) or not nodes or not all(isinstance(n, dict) for n in nodes):
        raise DataError(where, f"pattern {ident!r}: \"pattern\" must be a list of nodes")
    nodes = [_expand_lists(where, node, words) for node in nodes]
    names = [node.get("RIGHT_ID") for node in nodes]
    if "trigger" not in names and "subject" not in names:
        raise DataError(where, f"pattern {ident!r}: no node is named \"trigger\" "
                               "(or \"subject\", which then is the trigger)")
    for end in ("subject", "object"):
        source = raw.get(f"{end}_from")
        if source is not None and source not in SOURCES:
            raise DataError(where, f"pattern {ident!r}: {end}_from {source!r} is not one of "
                                   f"{', '.join(sorted(SOURCES))}")
        if (end in names) == (source is not None):
            raise DataError(where, f"pattern {ident!r}: give the {end} as a node or as "
                                   f"{end}_from, not both or neither")
    try:
        DependencyMatcher(Vocab()).add(ident, [nodes])
    except (ValueError, KeyError, TypeError) as error:
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise DataError(where, f"pattern {ident!r}: not a DependencyMatcher pattern "
                               f"({message})") from None
    confidence = raw.get("confidence", 0.75)
    if not isinstance(confidence, int | float) or not 0 < confidence <= 1:
        raise DataError(where, f"pattern {ident!r}: confidence must be in (0, 1]")
    status = raw.get("status")
    if status is not None and status not in set(words.statuses.values()) | {"acceding"}:
        raise DataError(where, f"pattern {ident!r}: status {status!r} is not a known status")
    narrowed = {end: _types(where, ident, raw.get(f"{end}_types"))
                for end in ("subject", "object")}
    return RelationPattern(
        id=ident,
        subject_types=narrowed["subject"],
        object_types=narrowed["object"],
        predicate=predicate,
        pattern=nodes,
        subject_from=raw.get("subject_from"),
        object_from=raw.get("object_from"),
        status=status,
        confidence=float(confidence),
        examples=_examples(where, ident, raw.get("examples", [])),
        where=where,
    )


def _types(where: str, ident: str, raw: Any) -> frozenset[EntityType] | None:
    if raw is None:
        return None
    try:
        return frozenset(EntityType(name) for name in raw)
    except (TypeError, ValueError):
        raise DataError(where, f"pattern {ident!r}: types must be a list of "
                               f"{', '.join(t.value for t in EntityType)}") from None


def _expand_lists(where: str, node: dict[str, Any], words: RelationWords) -> dict[str, Any]:
    """`{"IN": "@name"}` -> the word list `name` of relation_words.json, sorted."""
    attrs = node.get("RIGHT_ATTRS")
    if not isinstance(attrs, dict):
        return node
    expanded: dict[str, Any] = {}
    for attr, value in attrs.items():
        if isinstance(value, dict):
            value = dict(value)
            for op, operand in value.items():
                if isinstance(operand, str) and operand.startswith("@"):
                    name = operand[1:]
                    if name not in words.lists:
                        raise DataError(where, f"no word list {name!r} in relation_words.json")
                    value[op] = sorted(words.lists[name])
        expanded[attr] = value
    return {**node, "RIGHT_ATTRS": expanded}


def _examples(where: str, ident: str, raw: Any) -> tuple[Example, ...]:
    if not isinstance(raw, list):
        raise DataError(where, f"pattern {ident!r}: \"examples\" must be a list")
    examples = []
    for item in raw:
        facts = item.get("facts") if isinstance(item, dict) else None
        if (not isinstance(item, dict) or not isinstance(item.get("text"), str)
                or not isinstance(facts, list)
                or not all(isinstance(f, list) and len(f) == 3 for f in facts)):
            raise DataError(where, f"pattern {ident!r}: an example is "
                                   '{"text": "...", "facts": [[subject, relation, object], ...]}')
        examples.append(Example(item["text"], tuple(tuple(f) for f in facts)))
    return tuple(examples)
