"""The words of sco_graph/data/gatherings.json: the levels of a gathering and generic words.

`levels` maps each level (heads of state, foreign ministers, ...) to the
phrases that name it; `generic_words` are the words an event name may have
without saying which gathering it is. Checked when loaded.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sco_graph.errors import DataError
from sco_graph.names import normalise
from sco_graph.resources import data_file

GATHERINGS_FILE = "gatherings.json"


@dataclass(frozen=True)
class GatheringWords:
    """sco_graph/data/gatherings.json: level phrases (normalised) and generic words."""

    levels: dict[str, str]  # phrase -> level
    generic_words: frozenset[str]


def read_gathering_words(path: Path) -> GatheringWords:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise DataError(str(path), f"not valid JSON ({error.msg} at line {error.lineno})") from None
    levels = raw.get("levels")
    generic = raw.get("generic_words")
    if not isinstance(levels, dict) or not all(
        isinstance(phrases, list) and all(isinstance(p, str) for p in phrases)
        for phrases in levels.values()
    ):
        raise DataError(str(path), "'levels' must map each level to a list of phrases")
    if not isinstance(generic, list) or not all(isinstance(w, str) for w in generic):
        raise DataError(str(path), "'generic_words' must be a list of strings")
    by_phrase = {normalise(phrase): level
                 for level, phrases in levels.items() for phrase in phrases}
    return GatheringWords(by_phrase, frozenset(normalise(w) for w in generic))


@cache
def default_gathering_words() -> GatheringWords:
    return read_gathering_words(data_file(GATHERINGS_FILE))
