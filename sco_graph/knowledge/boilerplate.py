"""The reading rules of sco_graph/data/boilerplate.jsonl, checked when loaded.

A rule drops a line of page furniture (photo credits, share buttons), cuts a
prefix off a line, or reads a date (of a file, of a feed's story); datelines
are read, not cut (knowledge/datelines.py). Each names what it applies to; a
malformed rule is a DataError naming the file and line. read/segment.py
applies them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from sco_graph.errors import DataError
from sco_graph.jsonl import read_jsonl
from sco_graph.resources import data_file

RULES_FILE = "boilerplate.jsonl"

LINE, PREFIX, FILE_DATE, STORY_DATE = "line", "prefix", "file-date", "story-date"
RULE_KINDS = (LINE, PREFIX, FILE_DATE, STORY_DATE)
_DATE_GROUPS = ("year", "month", "day")
_RULE_FIELDS = {"name", "applies_to", "pattern", "note"}


@dataclass(frozen=True, slots=True)
class Rule:
    """One reading rule from sco_graph/data/boilerplate.jsonl."""

    name: str
    applies_to: str  # one of RULE_KINDS
    pattern: re.Pattern[str]
    note: str = ""


@dataclass(frozen=True, slots=True)
class ReadingRules:
    """The reading rules, grouped by what they apply to, each list in file order."""

    drop_lines: tuple[Rule, ...] = ()
    strip: tuple[Rule, ...] = ()
    file_dates: tuple[Rule, ...] = ()
    story_dates: tuple[Rule, ...] = ()

    @classmethod
    def load(cls, path: Path | None = None) -> ReadingRules:
        """The rules of `path` (default: sco_graph/data/boilerplate.jsonl), parsed once per file."""
        return _load_rules(path if path is not None else data_file(RULES_FILE))

    @classmethod
    def from_records(cls, records: Iterable[tuple[str, dict[str, Any]]]) -> ReadingRules:
        """Build rules from (where, record) pairs; DataError names `where` on a bad one."""
        by_kind: dict[str, list[Rule]] = {kind: [] for kind in RULE_KINDS}
        names: set[str] = set()
        for where, record in records:
            rule = _parse_rule(where, record)
            if rule.name in names:
                raise DataError(where, f"rule name {rule.name!r} is used twice")
            names.add(rule.name)
            by_kind[rule.applies_to].append(rule)
        return cls(
            drop_lines=tuple(by_kind[LINE]),
            strip=tuple(by_kind[PREFIX]),
            file_dates=tuple(by_kind[FILE_DATE]),
            story_dates=tuple(by_kind[STORY_DATE]),
        )

    def boilerplate(self, line: str) -> str | None:
        """The name of the line rule that drops this (collapsed) line, or None."""
        for rule in self.drop_lines:
            if rule.pattern.fullmatch(line):
                return rule.name
        return None

    def strip_prefixes(self, line: str) -> str:
        """The line without the prefixes the prefix rules cut off."""
        for rule in self.strip:
            match = rule.pattern.match(line)
            if match and match.end() > 0:
                line = line[match.end():].lstrip()
        return line

    def file_date(self, text: str) -> tuple[dt.date | None, str]:
        """The date a file-date marker at the start of `text` gives, and the text after it."""
        for rule in self.file_dates:
            match = rule.pattern.match(text)
            if match and (date := _date_of(match)) is not None:
                return date, text[match.end():]
        return None, text

    def story_date(self, line: str) -> dt.date | None:
        """The date of a (collapsed) line that is wholly a feed date line, else None."""
        for rule in self.story_dates:
            match = rule.pattern.fullmatch(line)
            if match and (date := _date_of(match)) is not None:
                return date
        return None


def _parse_rule(where: str, record: dict[str, Any]) -> Rule:
    unknown = sorted(set(record) - _RULE_FIELDS)
    if unknown:
        raise DataError(where, f"unknown field(s) {', '.join(unknown)} in a reading rule")
    name = record.get("name")
    if not isinstance(name, str) or not name.strip():
        raise DataError(where, 'a reading rule needs a non-empty "name"')
    kind = record.get("applies_to")
    if kind not in RULE_KINDS:
        raise DataError(
            where, f'rule {name!r}: "applies_to" must be one of {", ".join(RULE_KINDS)}, '
            f"not {kind!r}"
        )
    source = record.get("pattern")
    if not isinstance(source, str) or not source:
        raise DataError(where, f'rule {name!r}: "pattern" must be a non-empty string')
    try:
        pattern = re.compile(source)
    except re.error as error:
        raise DataError(where, f"rule {name!r}: pattern does not compile ({error})") from None
    if kind in (FILE_DATE, STORY_DATE) and not set(_DATE_GROUPS) <= set(pattern.groupindex):
        raise DataError(
            where, f"rule {name!r}: a date pattern needs the named groups year, month and day"
        )
    note = record.get("note", "")
    if not isinstance(note, str):
        raise DataError(where, f'rule {name!r}: "note" must be a string')
    return Rule(name=name, applies_to=kind, pattern=pattern, note=note)


@cache
def _load_rules(path: Path) -> ReadingRules:
    if not path.is_file():
        raise DataError(str(path), "reading rules file is missing")
    return ReadingRules.from_records(
        (f"{path}:{number}", record) for number, record in read_jsonl(path)
    )

def _date_of(match: re.Match[str]) -> dt.date | None:
    try:
        return dt.date(*(int(match.group(group)) for group in _DATE_GROUPS))
    except ValueError:
        return None  # "31.02.2024" is not a date, so the line is not a date line
