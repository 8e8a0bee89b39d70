"""Trigger words of the relation rules, loaded from sco_graph/data/relation_words.json."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sco_graph.errors import DataError
from sco_graph.resources import data_file

WORDS_FILE = "relation_words.json"


@dataclass(frozen=True)
class RelationWords:
    lists: dict[str, frozenset[str]]
    statuses: dict[str, str]  # "observer" -> "observer", "dialogue partners" -> ...
    ranked: dict[str, tuple[str, ...]]  # every list in file order, for those whose order counts

    def __getattr__(self, name: str) -> frozenset[str]:
        try:
            return self.lists[name]
        except KeyError:
            raise AttributeError(f"{WORDS_FILE} has no word list {name!r}") from None


def read_words(path: Path) -> RelationWords:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise DataError(str(path), f"not valid JSON ({error.msg} at line {error.lineno})") from None
    lists: dict[str, frozenset[str]] = {}
    ranked: dict[str, tuple[str, ...]] = {}
    for name, words in raw.items():
        if name.startswith("_") or name == "statuses":
            continue
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise DataError(str(path), f"{name!r} must be a list of strings")
        lists[name] = frozenset(w.casefold() for w in words)
        ranked[name] = tuple(w.casefold() for w in words)
    statuses = raw.get("statuses", {})
    if not isinstance(statuses, dict):
        raise DataError(str(path), "'statuses' must map words to a status")
    return RelationWords(lists, {k.casefold(): str(v) for k, v in statuses.items()}, ranked)


@cache
def default_words() -> RelationWords:
    return read_words(data_file(WORDS_FILE))
