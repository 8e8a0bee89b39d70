"""Word lists that drive the entity layer, loaded from sco_graph/data/lexicon.json.

Names that no gazetteer can list — "the SCO Anti-Drug Strategy for
2024-2029", "the 24th Meeting of the Council of Heads of State" — are found by
their shape: a head word ("strategy", "meeting") with the modifiers around it.
Which words are heads, which modifiers are not part of a name, which
prepositions continue a name: all of it is here, as data.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sco_graph.errors import DataError
from sco_graph.resources import data_file

LEXICON_FILE = "lexicon.json"


@dataclass(frozen=True)
class Lexicon:
    document_heads: frozenset[str]  # "strategy", "declaration": a named one is a Document
    event_heads: frozenset[str]  # "summit", "meeting", "floods": a named one is an Event
    disaster_heads: frozenset[str]  # events that are named by where they happened
    initiative_heads: frozenset[str]  # "initiative", "project", "centre" (when proposed)
    weak_initiative_heads: frozenset[str]  # "system", "station": initiatives only by name
    initiative_triggers: frozenset[str]  # words followed by a quoted initiative title
    establish_triggers: frozenset[str]  # "establishment of X": X is an initiative
    name_prepositions: frozenset[str]  # prepositions that continue a name ("of", "on")
    non_name_modifiers: frozenset[str]  # "upcoming", "current": not part of a name
    generic_names: frozenset[str]  # "meeting", "the strategy": never a name on their own
    person_titles: frozenset[str]  # "president", "minister": titles, not names
    organization_suffixes: frozenset[str]  # "press service", "ministry": heads of bodies
    pronouns: frozenset[str]  # "its implementation": a name with one refers, it does not name
    place_concept_heads: frozenset[str]  # "spirit" in "Shanghai spirit": no place is meant
    act_nouns: frozenset[str]  # "the decision to admit Iran": "to admit" is not a name's part
    name_particles: frozenset[str]  # "da" in "Lula da Silva", "von der" in "von der Leyen"
    capitalised_document_heads: frozenset[str]  # "the Astana Act": a law; "a terror act": not
    quote_pairs: tuple[tuple[str, str], ...]
    spelling_folds: tuple[tuple[re.Pattern[str], str], ...] = ()  # "programme" -> "program"

    @property
    def opening_quotes(self) -> dict[str, str]:
        return dict(self.quote_pairs)


def read_lexicon(path: Path) -> Lexicon:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise DataError(str(path), f"not valid JSON ({error.msg} at line {error.lineno})") from None
    fields = [name for name in Lexicon.__dataclass_fields__
              if name not in {"quote_pairs", "spelling_folds"}]
    missing = [name for name in [*fields, "quote_pairs"] if name not in raw]
    if missing:
        raise DataError(str(path), f"missing word list(s): {', '.join(missing)}")
    lists: dict[str, frozenset[str]] = {}
    for name in fields:
        words = raw[name]
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise DataError(str(path), f"{name!r} must be a list of strings")
        lists[name] = frozenset(w.casefold() for w in words)
    pairs = tuple((str(a), str(b)) for a, b in raw["quote_pairs"])
    try:
        folds = tuple((re.compile(a), str(b)) for a, b in raw.get("spelling_folds", []))
    except (re.error, TypeError, ValueError) as error:
        raise DataError(
            str(path), f"'spelling_folds' must be [regex, replacement] pairs ({error})"
        ) from None
    return Lexicon(**lists, quote_pairs=pairs, spelling_folds=folds)


@cache
def default_lexicon() -> Lexicon:
    return read_lexicon(data_file(LEXICON_FILE))
