"""The patterns of sco_graph/data/relation_patterns/: each example states exactly its facts,
and a malformed pattern file is one error naming the file and line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from builders import facts_of, undirected

from sco_graph.errors import DataError
from sco_graph.knowledge.relation_patterns import default_patterns, read_patterns
from sco_graph.knowledge.relation_words import default_words

EXAMPLES = [
    pytest.param(pattern.id, example.text, example.facts, id=f"{pattern.id}-{n}")
    for pattern in default_patterns()
    for n, example in enumerate(pattern.examples)
]


def test_every_pattern_has_an_example() -> None:
    assert [p.id for p in default_patterns() if not p.examples] == []


@pytest.mark.slow
@pytest.mark.parametrize(("pattern", "text", "facts"), EXAMPLES)
def test_each_example_states_exactly_its_facts(nlp, pattern, text, facts) -> None:
    assert facts_of(nlp, text) == {undirected(f) for f in facts}


@pytest.mark.slow
def test_the_patterns_match_again_in_a_later_memory_zone(nlp) -> None:
    _, text, facts = EXAMPLES[0].values
    for _ in range(2):  # each extract() reads its batch in a memory zone of its own
        assert facts_of(nlp, text) == {undirected(f) for f in facts}


# -- malformed files ----------------------------------------------------------------------------

GOOD = {
    "id": "p", "relation": "memberOf",
    "pattern": [{"RIGHT_ID": "trigger", "RIGHT_ATTRS": {"LEMMA": "join"}},
                {"LEFT_ID": "trigger", "REL_OP": ">", "RIGHT_ID": "subject",
                 "RIGHT_ATTRS": {"DEP": "nsubj"}}],
    "object_from": "main-organisation",
}


def write(tmp_path: Path, *records: object) -> Path:
    folder = tmp_path / "patterns"
    folder.mkdir()
    lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
    (folder / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_a_good_file_loads(tmp_path: Path) -> None:
    (pattern,) = read_patterns(write(tmp_path, GOOD), default_words())
    assert (pattern.id, pattern.predicate.value, pattern.nodes) == ("p", "memberOf",
                                                                     ["trigger", "subject"])


def test_word_lists_are_spelled_out(tmp_path: Path) -> None:
    record = json.loads(json.dumps(GOOD))
    record["pattern"][0]["RIGHT_ATTRS"] = {"LEMMA": {"IN": "@join_verbs"}}
    (pattern,) = read_patterns(write(tmp_path, record), default_words())
    assert pattern.pattern[0]["RIGHT_ATTRS"]["LEMMA"]["IN"] == sorted(default_words().join_verbs)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"relation": "owns"}, "relation 'owns' is not one of"),
        ({"pattern": []}, '"pattern" must be a list of nodes'),
        ({"object_from": None}, "give the object as a node or as object_from"),
        ({"object_from": "anywhere"}, "object_from 'anywhere' is not one of"),
        ({"status": "friend"}, "status 'friend' is not a known status"),
        ({"colour": "red"}, "unknown field(s) colour"),
        ({"examples": [{"text": "x"}]}, "an example is"),
        ({"pattern": [{"RIGHT_ID": "trigger", "RIGHT_ATTRS": {"LEMMA": {"IN": "@nothing"}}}]},
         "no word list 'nothing'"),
        ({"pattern": [{"RIGHT_ID": "trigger", "RIGHT_ATTRS": {}},
                      {"LEFT_ID": "nowhere", "REL_OP": ">", "RIGHT_ID": "subject",
                       "RIGHT_ATTRS": {}}]}, "not a DependencyMatcher pattern"),
        ({"pattern": [{"RIGHT_ID": "verb", "RIGHT_ATTRS": {}}], "object_from": None},
         'no node is named "trigger"'),
        ({"subject_types": ["Planet"]}, "types must be a list of"),
    ],
)
def test_a_malformed_pattern_names_file_and_line(tmp_path: Path, change, message) -> None:
    record = {**GOOD, **change}
    record = {k: v for k, v in record.items() if v is not None}
    folder = write(tmp_path, GOOD | {"id": "first"}, record)
    with pytest.raises(DataError) as caught:
        read_patterns(folder, default_words())
    assert str(caught.value).startswith(f"{folder / 'a.jsonl'}:2: ")
    assert message in str(caught.value)


def test_a_line_that_is_not_json_is_named(tmp_path: Path) -> None:
    folder = write(tmp_path, GOOD, "{not json")
    with pytest.raises(DataError, match=r"a\.jsonl:2: not valid JSON"):
        read_patterns(folder, default_words())


def test_an_id_used_twice_is_named(tmp_path: Path) -> None:
    folder = write(tmp_path, GOOD, GOOD)
    with pytest.raises(DataError, match=r"a\.jsonl:2: pattern id 'p' is used twice"):
        read_patterns(folder, default_words())
