"""The gazetteer: known entities, their aliases and Wikidata ids, from data/.

`sco_graph/data/gazetteer.jsonl` holds one known entity per line (see sco_graph/data/README.md
for the fields). This module loads and checks it, answers look-ups by
normalised name, and compiles it into spaCy entity-ruler patterns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from sco_graph.errors import DataError
from sco_graph.jsonl import read_jsonl
from sco_graph.names import normalise
from sco_graph.resources import data_file
from sco_graph.types import EntityType

GAZETTEER_FILE = "gazetteer.jsonl"

_WIKIDATA_ID = re.compile(r"^Q[1-9][0-9]*$")
_ENTRY_ID = re.compile(r"^[a-z0-9][a-z0-9_]*$")
_KNOWN_FIELDS = {
    "id", "type", "name", "aliases", "wikidata", "source", "demonyms", "capital",
    "part_of", "memberships", "roles", "case_sensitive", "note", "gathering",
}


@dataclass(frozen=True, slots=True)
class Membership:
    """Background knowledge: `of` (an entry id) counts the entry with this status."""

    of: str
    status: str  # "member", "observer", "dialogue partner", "acceding", ...
    since: str | None = None


@dataclass(frozen=True, slots=True)
class Role:
    """Background knowledge: the person holds `role` in `of` (an entry id)."""

    role: str
    of: str
    start: str | None = None
    end: str | None = None


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    id: str
    type: EntityType
    name: str
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    source: str = ""
    demonyms: tuple[str, ...] = ()  # "Kazakh", "Russian": adjectives naming a country
    capital: str | None = None  # entry id of the capital city
    part_of: str | None = None  # entry id of the body or country this is part of
    gathering: str | None = None  # bodies: the level their meetings are ("heads of state")
    memberships: tuple[Membership, ...] = ()
    roles: tuple[Role, ...] = ()
    case_sensitive: tuple[str, ...] = field(default=())  # aliases matched by exact case
    where: str = field(default=GAZETTEER_FILE, compare=False)  # "path:line", for errors

    @property
    def names(self) -> tuple[str, ...]:
        """The canonical name followed by every alias."""
        return (self.name, *self.aliases)


class Gazetteer:
    """Known entities by id and by normalised name."""

    def __init__(self, entries: Iterable[GazetteerEntry]) -> None:
        self._entries: dict[str, GazetteerEntry] = {}
        self._by_name: dict[str, list[GazetteerEntry]] = {}
        self._by_demonym: dict[str, GazetteerEntry] = {}
        for entry in entries:
            if entry.id in self._entries:
                raise DataError(entry.where, f"entry id {entry.id!r} is used twice")
            self._entries[entry.id] = entry
            for name in entry.names:
                bucket = self._by_name.setdefault(normalise(name), [])
                if entry not in bucket:
                    bucket.append(entry)
            for demonym in entry.demonyms:
                other = self._by_demonym.get(normalise(demonym))
                if other is not None and other.id != entry.id:
                    raise DataError(
                        entry.where, f"demonym {demonym!r} already names entry {other.id!r}"
                    )
                self._by_demonym[normalise(demonym)] = entry
        self._check_references()

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[GazetteerEntry]:
        return iter(self._entries.values())

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._entries

    def get(self, entry_id: str) -> GazetteerEntry | None:
        return self._entries.get(entry_id)

    def __getitem__(self, entry_id: str) -> GazetteerEntry:
        return self._entries[entry_id]

    def lookup(self, name: str, type: EntityType | None = None) -> list[GazetteerEntry]:
        """Entries one of whose names normalises like `name` (of `type`, if given)."""
        found = self._by_name.get(normalise(name), [])
        return [entry for entry in found if type is None or entry.type is type]

    def is_within(self, entry_id: str, other_id: str) -> bool:
        """Whether one entry is the other or lies in it by `part_of` (Astana in
        Kazakhstan, the RATS Executive Committee in the SCO)."""
        seen: set[str] = set()
        current: str | None = entry_id
        while current is not None and current not in seen:
            if current == other_id:
                return True
            seen.add(current)
            entry = self._entries.get(current)
            current = entry.part_of if entry is not None else None
        return False

    def country_of_demonym(self, word: str) -> GazetteerEntry | None:
        """The country an adjective such as "Kazakh" or "Russian" names."""
        return self._by_demonym.get(normalise(word))

    def _check_references(self) -> None:
        for entry in self:
            targets = [entry.capital, entry.part_of]
            targets += [membership.of for membership in entry.memberships]
            targets += [role.of for role in entry.roles]
            for target in targets:
                if target is not None and target not in self._entries:
                    raise DataError(
                        entry.where, f"entry {entry.id!r} refers to unknown entry {target!r}"
                    )


def parse_entry(record: dict[str, Any], where: str) -> GazetteerEntry:
    """Check one gazetteer record and turn it into an entry (DataError if malformed)."""
    unknown = set(record) - _KNOWN_FIELDS
    if unknown:
        raise DataError(where, f"unknown field(s) {', '.join(sorted(unknown))}")
    for required in ("id", "type", "name"):
        if not isinstance(record.get(required), str) or not record[required].strip():
            raise DataError(where, f"field {required!r} must be a non-empty string")
    if not _ENTRY_ID.match(record["id"]):
        raise DataError(where, f"id {record['id']!r} must be lower-case letters, digits and _")
    try:
        entity_type = EntityType(record["type"])
    except ValueError:
        valid = ", ".join(t.value for t in EntityType)
        raise DataError(where, f"type {record['type']!r} is not one of {valid}") from None
    wikidata = record.get("wikidata")
    if wikidata is not None and not (isinstance(wikidata, str) and _WIKIDATA_ID.match(wikidata)):
        raise DataError(where, f"wikidata {wikidata!r} is not an id like 'Q232'")
    return GazetteerEntry(
        id=record["id"],
        type=entity_type,
        name=record["name"].strip(),
        aliases=_strings(record, "aliases", where),
        wikidata=wikidata,
        source=str(record.get("source", "")),
        demonyms=_strings(record, "demonyms", where),
        capital=record.get("capital"),
        part_of=record.get("part_of"),
        gathering=record.get("gathering"),
        memberships=tuple(_record(Membership, m, "memberships", where)
                          for m in record.get("memberships", ())),
        roles=tuple(_record(Role, r, "roles", where) for r in record.get("roles", ())),
        case_sensitive=_strings(record, "case_sensitive", where),
        where=where,
    )


def _record(kind: type, value: Any, key: str, where: str) -> Any:
    """A Membership or Role from its JSON object, or a DataError saying what is wrong."""
    if not isinstance(value, dict):
        raise DataError(where, f"each item of {key!r} must be a JSON object")
    try:
        return kind(**value)
    except TypeError:
        fields = ", ".join(kind.__dataclass_fields__)
        raise DataError(where, f"an item of {key!r} must have the fields {fields}") from None


def _strings(record: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    values = record.get(key, [])
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise DataError(where, f"field {key!r} must be a list of non-empty strings")
    return tuple(v.strip() for v in values)


def read_gazetteer(path: Path) -> Gazetteer:
    """Load and check a gazetteer file."""
    return Gazetteer(parse_entry(record, f"{path}:{n}") for n, record in read_jsonl(path))


@cache
def default_gazetteer() -> Gazetteer:
    """The gazetteer shipped in data/ (loaded once per process)."""
    return read_gazetteer(data_file(GAZETTEER_FILE))


def is_acronym(alias: str) -> bool:
    """Aliases such as "SCO", "CIS" or "ECO" are matched with their exact case,
    so "eco-tourism" or "un-" never match them."""
    letters = [ch for ch in alias if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters) and len(alias) <= 8
