"""spaCy's `DependencyMatcher`, with its token step done by array comparisons.

The dependency matcher first finds, for every node of every pattern, the tokens
whose attributes fit the node, and the root of each token's tree. spaCy does
that with a token `Matcher` (one single-token pattern per node, each attribute
test a Python call per token) and walks each matched token's ancestors: on news
stories that was most of the matcher's time, and the matcher about a sixth of a
build's. Here the attributes of the whole Doc are read once into arrays, each
node's test is a vectorised comparison, and the roots come from the head array.
Nodes with the same attributes (many patterns have a node `{"DEP": "nsubj"}`) are
tested once. The matching of trees itself is spaCy's, unchanged, except that a
pattern is not tried in a sentence where one of its nodes fits no token (spaCy
tries it, and finds nothing), so the matches are the same (tested against
spaCy's matcher on the bundled corpus).

A node using anything else than equality, `IN` or `NOT_IN` on the attributes of
`_ATTRIBUTES` falls back to spaCy's own step for the whole matcher.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import numpy as np
from spacy.attrs import DEP, HEAD, LEMMA, LOWER, NORM, ORTH, POS, TAG
from spacy.matcher import DependencyMatcher
from spacy.strings import get_string_id
from spacy.symbols import IDS
from spacy.tokens import Doc

_ATTRIBUTES = {"ORTH": ORTH, "TEXT": ORTH, "LOWER": LOWER, "NORM": NORM, "LEMMA": LEMMA,
               "POS": POS, "TAG": TAG, "DEP": DEP}
_COLUMNS = (*dict.fromkeys(_ATTRIBUTES.values()), HEAD)
_COLUMN = {attr: i for i, attr in enumerate(_COLUMNS)}

Test = Callable[[np.ndarray], np.ndarray]
"""Given the Doc's attribute columns, the mask of the tokens a node fits."""


class TreeMatcher(DependencyMatcher):
    """A `DependencyMatcher` that finds each node's tokens by array comparisons."""

    def add(self, key: str, patterns: list, *, on_match: Any = None) -> None:
        super().add(key, patterns, on_match=on_match)
        self._tests: list[tuple[Test, list[int]]] | bool | None = False  # compiled when called

    def remove(self, key: str) -> None:
        super().remove(key)
        self._tests = False

    def _get_keys_to_position_maps(self, doc: Doc) -> Any:
        if getattr(self, "_tests", False) is False:  # none added yet, or changed since
            self._tests = _node_tests(self)
        tests = self._tests
        if tests is None:
            return super()._get_keys_to_position_maps(doc)
        columns = doc.to_array(list(_COLUMNS)).reshape(len(doc), len(_COLUMNS))
        roots = _roots(columns[:, _COLUMN[HEAD]])
        maps: defaultdict[int, defaultdict[int, list[int]]] = defaultdict(
            lambda: defaultdict(list))
        for test, keys in tests:
            for position in np.flatnonzero(test(columns)).tolist():
                fits = maps[roots[position]]
                for key in keys:
                    fits[key].append(position)
        return maps

    def __call__(self, doclike: Any) -> list[tuple[int, list[int]]]:
        if not isinstance(doclike, Doc):
            return super().__call__(doclike)
        doc = doclike
        matched_key_trees = []
        keys_to_position_maps = self._get_keys_to_position_maps(doc)
        cache: dict = {}
        for key in self._patterns:
            for tree, tokens_to_key in zip(self._tree[key], self._tokens_to_key[key],
                                           strict=True):
                for keys_to_position in keys_to_position_maps.values():
                    if not all(keys_to_position.get(node) for node in tokens_to_key):
                        continue  # a node fits no token of this sentence: no match here
                    for matched_tree in self._get_matches(cache, doc, tree, tokens_to_key,
                                                          keys_to_position):
                        matched_key_trees.append((key, matched_tree))
        for i, (match_id, _nodes) in enumerate(matched_key_trees):
            on_match = self._callbacks.get(match_id)
            if on_match is not None:
                on_match(self, doc, i, matched_key_trees)
        return matched_key_trees


def _node_tests(matcher: DependencyMatcher) -> list[tuple[Test, list[int]]] | None:
    """Each distinct node test with the inner keys of the nodes it serves, or None when
    one cannot be compiled."""
    tests: dict[str, tuple[Test, list[int]]] = {}
    for key, patterns in matcher._patterns.items():
        for nodes, keys in zip(patterns, matcher._tokens_to_key[key], strict=True):
            for (spec,), inner in zip(nodes, keys, strict=True):
                same = json.dumps(spec, sort_keys=True, default=repr)
                if same not in tests:
                    test = _compiled(spec)
                    if test is None:
                        return None
                    tests[same] = (test, [])
                tests[same][1].append(inner)
    return list(tests.values())


def _compiled(spec: dict[str, Any]) -> Test | None:
    """A node's attribute tests as one mask function, or None if one is not supported."""
    checks: list[Test] = []
    for name, wanted in spec.items():
        attr = _ATTRIBUTES.get(name)
        if attr is None:
            return None
        column = _COLUMN[attr]
        if isinstance(wanted, dict):
            if set(wanted) - {"IN", "NOT_IN"}:
                return None
            for operator, values in wanted.items():
                ids = np.array([_id(name, v) for v in values], dtype=np.uint64)
                checks.append(_member(column, ids, operator == "NOT_IN"))
        elif isinstance(wanted, str):
            checks.append(_equal(column, _id(name, wanted)))
        else:
            return None

    def test(columns: np.ndarray) -> np.ndarray:
        mask = np.ones(len(columns), dtype=bool)
        for check in checks:
            mask &= check(columns)
        return mask

    return test


def _member(column: int, ids: np.ndarray, negated: bool) -> Test:
    return lambda columns: np.isin(columns[:, column], ids, invert=negated)


def _equal(column: int, value: int) -> Test:
    wanted = np.uint64(value)
    return lambda columns: columns[:, column] == wanted


def _id(name: str, value: str) -> int:
    """The integer an attribute holds for `value`: a part of speech is a symbol, any
    other attribute the hash of its string."""
    if name == "POS":
        return IDS[value]
    return get_string_id(value)


def _roots(heads: np.ndarray) -> list[int]:
    """The root of each token's tree, from the relative heads (a root is its own head)."""
    parents = np.arange(len(heads), dtype=np.int64) + heads.astype(np.int64)
    while True:
        grandparents = parents[parents]
        if np.array_equal(grandparents, parents):
            return parents.tolist()
        parents = grandparents
