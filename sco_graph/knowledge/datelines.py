"""The dateline shapes of sco_graph/data/datelines.jsonl, checked when loaded.

A dateline opens a wire story's body and says where it was filed, often when
and through which agency: "MINSK, Nov. 30 (Xinhua) --", "ASTANA. KAZINFORM",
"MOSCOW, July 3. /TASS/.". Each shape is a regular expression built from
named parts (`{name}`, `{month}`, ...) with the groups `place` (required),
`agency`, `month`, `day` and `year`. A malformed record is a DataError naming
the file and line. read/segment.py applies the shapes; extract/ turns the
place and the agency into mentions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from sco_graph.errors import DataError
from sco_graph.jsonl import read_jsonl
from sco_graph.knowledge.time_words import load_time_words
from sco_graph.resources import data_file

DATELINES_FILE = "datelines.jsonl"

GROUPS = ("place", "agency", "month", "day", "year")
_PART_FIELDS = {"part", "pattern", "note"}
_SHAPE_FIELDS = {"name", "shape", "note"}
_PART_NAME = re.compile(r"^[a-z][a-z_]*$")
_REFERENCE = re.compile(r"\{([a-z][a-z_]*)\}")
# a dateline is followed by the story's first words or by nothing
_END = r"(?=\s|$)"


@dataclass(frozen=True, slots=True)
class DatelineShape:
    """One dateline shape: its name and its compiled (expanded) pattern."""

    name: str
    pattern: re.Pattern[str]
    note: str = ""


@dataclass(frozen=True, slots=True)
class DatelineReading:
    """What a dateline at the start of a paragraph says; offsets are in the paragraph."""

    shape: str
    end: int  # the dateline is paragraph[:end]
    place: tuple[int, int]
    agency: tuple[int, int] | None = None
    month: int | None = None
    day: int | None = None
    year: int | None = None

    def date(self, reference: dt.date | None = None) -> dt.date | None:
        """The day the dateline gives. Without a year, the year is the one that
        puts the day nearest to `reference` (the feed's or file's date: "Dec. 31"
        in a story of 2 January is last year's); without a reference, None."""
        if self.month is None or self.day is None:
            return None
        if self.year is not None:
            return _day(self.year, self.month, self.day)
        if reference is None:
            return None
        days = [_day(year, self.month, self.day)
                for year in (reference.year - 1, reference.year, reference.year + 1)]
        known = [day for day in days if day is not None]
        return min(known, key=lambda day: abs(day - reference)) if known else None


@dataclass(frozen=True, slots=True)
class DatelineShapes:
    """The dateline shapes, in file order (the first that matches reads the dateline)."""

    shapes: tuple[DatelineShape, ...] = ()
    months: Mapping[str, int] | None = None  # month word -> 1-12

    @classmethod
    def load(cls, path: Path | None = None) -> DatelineShapes:
        """The shapes of `path` (default: sco_graph/data/datelines.jsonl), parsed once per file."""
        return _load(path if path is not None else data_file(DATELINES_FILE))

    @classmethod
    def from_records(cls, records: Iterable[tuple[str, dict[str, Any]]]) -> DatelineShapes:
        """Build shapes from (where, record) pairs; DataError names `where` on a bad one."""
        parts: dict[str, str] = {}
        shapes: list[DatelineShape] = []
        for where, record in records:
            if "part" in record:
                name, pattern = _parse_part(where, record, parts)
                parts[name] = pattern
            elif "name" in record:
                shape = _parse_shape(where, record, parts)
                if any(shape.name == other.name for other in shapes):
                    raise DataError(where, f"dateline shape {shape.name!r} is named twice")
                shapes.append(shape)
            else:
                raise DataError(where, 'a dateline record needs "part" or "name"')
        return cls(shapes=tuple(shapes), months=load_time_words().months)

    def read(self, paragraph: str) -> DatelineReading | None:
        """The dateline at the start of `paragraph`, or None."""
        for shape in self.shapes:
            match = shape.pattern.match(paragraph)
            if match is None or not match.group("place"):
                continue
            groups = match.groupdict()
            agency = match.span("agency") if groups.get("agency") else None
            month = self._month(groups.get("month"))
            return DatelineReading(
                shape=shape.name,
                end=len(paragraph[: match.end()].rstrip()),
                place=match.span("place"),
                agency=agency,
                month=month,
                day=int(groups["day"]) if groups.get("day") and month else None,
                year=int(groups["year"]) if groups.get("year") and month else None,
            )
        return None

    def _month(self, word: str | None) -> int | None:
        if not word or self.months is None:
            return None
        return self.months.get(word.lower().rstrip("."))


def _parse_part(where: str, record: dict[str, Any], parts: dict[str, str]) -> tuple[str, str]:
    unknown = sorted(set(record) - _PART_FIELDS)
    if unknown:
        raise DataError(where, f"unknown field(s) {', '.join(unknown)} in a dateline part")
    name = record.get("part")
    if not isinstance(name, str) or not _PART_NAME.match(name):
        raise DataError(where, 'a dateline part needs a "part" name of lower-case letters and _')
    if name in parts:
        raise DataError(where, f"dateline part {name!r} is defined twice")
    source = record.get("pattern")
    if not isinstance(source, str) or not source:
        raise DataError(where, f'part {name!r}: "pattern" must be a non-empty string')
    pattern = _compile(where, f"part {name!r}", _expand(where, f"part {name!r}", source, parts))
    if pattern.groups:
        raise DataError(where, f"part {name!r}: a part has no groups of its own; use (?:...)")
    _check_note(where, f"part {name!r}", record)
    return name, pattern.pattern


def _parse_shape(where: str, record: dict[str, Any], parts: dict[str, str]) -> DatelineShape:
    unknown = sorted(set(record) - _SHAPE_FIELDS)
    if unknown:
        raise DataError(where, f"unknown field(s) {', '.join(unknown)} in a dateline shape")
    name = record.get("name")
    if not isinstance(name, str) or not name.strip():
        raise DataError(where, 'a dateline shape needs a non-empty "name"')
    what = f"shape {name!r}"
    source = record.get("shape")
    if not isinstance(source, str) or not source:
        raise DataError(where, f'{what}: "shape" must be a non-empty string')
    pattern = _compile(where, what, _expand(where, what, source, parts) + _END)
    groups = set(pattern.groupindex)
    if "place" not in groups:
        raise DataError(where, f"{what}: a dateline needs the named group place")
    strange = sorted(groups - set(GROUPS))
    if strange:
        raise DataError(where, f"{what}: unknown group(s) {', '.join(strange)} "
                        f"(a dateline reads {', '.join(GROUPS)})")
    if ("day" in groups) != ("month" in groups) or ("year" in groups and "day" not in groups):
        raise DataError(where, f"{what}: day and month go together, and year needs them")
    _check_note(where, what, record)
    return DatelineShape(name=name, pattern=pattern, note=record.get("note", ""))


def _expand(where: str, what: str, source: str, parts: dict[str, str]) -> str:
    def part(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in parts:
            raise DataError(where, f"{what}: unknown part {{{name}}} (parts are defined above "
                            "the shapes that use them)")
        return f"(?:{parts[name]})"

    return _REFERENCE.sub(part, source)


def _compile(where: str, what: str, source: str) -> re.Pattern[str]:
    try:
        return re.compile(source)
    except re.error as error:
        raise DataError(where, f"{what}: pattern does not compile ({error})") from None


def _check_note(where: str, what: str, record: dict[str, Any]) -> None:
    if not isinstance(record.get("note", ""), str):
        raise DataError(where, f'{what}: "note" must be a string')


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None  # "Feb. 30" is no day


@cache
def _load(path: Path) -> DatelineShapes:
    if not path.is_file():
        raise DataError(str(path), "dateline shapes file is missing")
    return DatelineShapes.from_records(
        (f"{path}:{number}", record) for number, record in read_jsonl(path)
    )
