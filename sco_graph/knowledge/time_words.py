"""The time words of sco_graph/data/time_words.jsonl, checked when loaded.

Each line is one kind of word (month, weekday, season, relative day, unit,
number, ordinal, modifier, preposition, part, daypart, filler) with its
words and value; a malformed line is a DataError naming the file and line.
The grammar that reads time expressions is in extract/dates.py.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

from sco_graph.errors import DataError
from sco_graph.jsonl import read_jsonl
from sco_graph.resources import data_file

TIME_WORDS_FILE = "time_words.jsonl"

UNITS = ("day", "week", "month", "quarter", "year", "decade")


@dataclass(frozen=True)
class TimeWords:
    """Every word the grammar knows, by kind (see sco_graph/data/time_words.jsonl)."""

    months: dict[str, int]
    ambiguous: frozenset[str]  # words that are also ordinary English ("may")
    weekdays: dict[str, int]
    seasons: dict[str, tuple[int, int]]  # word -> (first month, number of months)
    relative_days: dict[str, int]  # word -> days after the anchor
    need_preposition: frozenset[str]  # relative-day words too common alone ("now")
    units: dict[str, str]  # singular word -> unit
    unit_plurals: dict[str, str]  # plural word -> unit
    numbers: dict[str, int]
    ordinals: dict[str, int]
    modifiers: dict[str, str]  # word -> last | this | next | past
    prepositions: dict[str, str]  # word -> at | since | until | before | after
    parts: dict[str, str]  # word -> early | mid | late | earlier | later
    dayparts: frozenset[str]
    fillers_before: frozenset[str]
    fillers_after: frozenset[str]

    def vocabulary(self) -> frozenset[str]:
        """Every single word of every phrase, for the scanner."""
        tables: list[Iterable[str]] = [
            self.months, self.weekdays, self.seasons, self.relative_days, self.units,
            self.unit_plurals, self.numbers, self.ordinals, self.modifiers,
            self.prepositions, self.parts, self.dayparts, self.fillers_before,
            self.fillers_after,
        ]
        return frozenset(word for table in tables for phrase in table for word in phrase.split())


_ROLES = {
    "modifier": {"last", "this", "next", "past"},
    "preposition": {"at", "since", "until", "before", "after"},
    "part": {"early", "mid", "late", "earlier", "later"},
    "filler": {"before", "after"},
    "unit": set(UNITS),
}
_INT_RANGES = {
    "month": (1, 12),
    "weekday": (0, 6),
    "relative_day": (-7, 7),
    "number": (0, 999),
    "ordinal": (1, 12),
}
_FIELDS = {
    "month": {"value", "ambiguous"},
    "weekday": {"value"},
    "season": {"value", "months"},
    "relative_day": {"value", "bare"},
    "unit": {"value", "plurals"},
    "number": {"value"},
    "ordinal": {"value"},
    "modifier": {"value"},
    "preposition": {"value"},
    "part": {"value"},
    "daypart": set(),
    "filler": {"value"},
}


def load_time_words(path: Path | None = None) -> TimeWords:
    """Read and check the time words file (DataError naming the line if malformed)."""
    source = path if path is not None else data_file(TIME_WORDS_FILE)
    tables: dict[str, dict[str, Any]] = {kind: {} for kind in _FIELDS}
    tables["unit_plural"] = {}
    ambiguous: set[str] = set()
    need_preposition: set[str] = set()
    for number, record in read_jsonl(source):
        where = f"{source}:{number}"
        kind = record.get("kind")
        if kind not in _FIELDS:
            raise DataError(where, f"kind {kind!r} is not one of {', '.join(sorted(_FIELDS))}")
        unknown = set(record) - _FIELDS[kind] - {"kind", "words", "note"}
        if unknown:
            raise DataError(where, f"unknown field(s) {', '.join(sorted(unknown))} for {kind}")
        words = _words(record, "words", where)
        value = _value(kind, record, where)
        for word in words:
            _put(tables[kind], word, value, where)
        if kind == "unit":
            for word in _words(record, "plurals", where, required=False):
                _put(tables["unit_plural"], word, value, where)
        if kind == "month" and _flag(record, "ambiguous", False, where):
            ambiguous.update(words)
        if kind == "relative_day" and not _flag(record, "bare", True, where):
            need_preposition.update(words)
    for kind in ("month", "weekday", "unit", "number", "preposition"):
        if not tables[kind]:
            raise DataError(str(source), f"no {kind} words")
    for kind, size in (("month", 12), ("weekday", 7)):
        missing = set(range(*_span_of(kind))) - set(tables[kind].values())
        if len(set(tables[kind].values())) != size or missing:
            raise DataError(str(source), f"the {kind} words do not name all {size} {kind}s")
    return TimeWords(
        months=tables["month"],
        ambiguous=frozenset(ambiguous),
        weekdays=tables["weekday"],
        seasons=tables["season"],
        relative_days=tables["relative_day"],
        need_preposition=frozenset(need_preposition),
        units=tables["unit"],
        unit_plurals=tables["unit_plural"],
        numbers=tables["number"],
        ordinals=tables["ordinal"],
        modifiers=tables["modifier"],
        prepositions=tables["preposition"],
        parts=tables["part"],
        dayparts=frozenset(tables["daypart"]),
        fillers_before=frozenset(w for w, v in tables["filler"].items() if v == "before"),
        fillers_after=frozenset(w for w, v in tables["filler"].items() if v == "after"),
    )


def _span_of(kind: str) -> tuple[int, int]:
    low, high = _INT_RANGES[kind]
    return low, high + 1


def _words(record: dict[str, Any], key: str, where: str, required: bool = True) -> list[str]:
    words = record.get(key)
    if words is None and not required:
        return []
    if not isinstance(words, list) or not words or not all(isinstance(w, str) for w in words):
        raise DataError(where, f"field {key!r} must be a non-empty list of strings")
    for word in words:
        if not word or word != normalise_phrase(word) or word != word.lower():
            raise DataError(where, f"word {word!r} must be lower case, single-spaced, trimmed")
    return words


def _flag(record: dict[str, Any], key: str, default: bool, where: str) -> bool:
    value = record.get(key, default)
    if not isinstance(value, bool):
        raise DataError(where, f"field {key!r} must be true or false")
    return value


def _value(kind: str, record: dict[str, Any], where: str) -> Any:
    value = record.get("value")
    if kind == "daypart":
        return True
    if kind == "season":
        months = record.get("months")
        if (
            not isinstance(value, str)
            or not isinstance(months, list)
            or not 1 <= len(months) <= 12
            or not all(isinstance(m, int) and not isinstance(m, bool) and 1 <= m <= 12
                       for m in months)
            or any(b != a % 12 + 1 for a, b in pairwise(months))
        ):
            raise DataError(where, "a season needs a name and a list of consecutive months 1-12")
        return (months[0], len(months))
    if kind in _INT_RANGES:
        low, high = _INT_RANGES[kind]
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise DataError(where, f"{kind} value {value!r} must be a whole number {low}-{high}")
        return value
    if value not in _ROLES[kind]:
        raise DataError(where, f"{kind} value {value!r} is not one of "
                               f"{', '.join(sorted(_ROLES[kind]))}")
    return value


def _put(table: dict[str, Any], word: str, value: Any, where: str) -> None:
    if table.get(word, value) != value:
        raise DataError(where, f"word {word!r} already has the value {table[word]!r}")
    table[word] = value


_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")
_QUOTES = dict.fromkeys(map(ord, "\u2018\u2019\u02bc`"), "'")


def normalise_phrase(phrase: str) -> str:
    """A time phrase in the one spelling the words file uses (case, dashes, quotes, spaces)."""
    text = unicodedata.normalize("NFKC", phrase).translate(_DASHES).translate(_QUOTES).lower()
    text = re.sub(r"\s+", " ", text).strip(" ,;:!?()[]{}\"'")
    text = re.sub(r"'s$", "", text)  # "this year's"
    text = re.sub(r"(?<=[a-z])\.(?=[ ,]|$)", "", text)  # "Jan." and a closing full stop
    text = re.sub(r" ?- ?", "-", text)
    text = re.sub(r" ?, ?", ", ", text)
    return text.strip(" ,;:.")
