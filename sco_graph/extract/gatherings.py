"""Which gathering an event's name means: whose, who meets, where, which one.

The press names one summit many ways: "the SCO summit", "the 24th Meeting of
the Council of Heads of State of the SCO", "the Astana SCO Summit", "the SCO
summit in the Kazakh capital". Their words differ, but each says the same few
things: whose gathering it is (the SCO: its host), who meets (heads of state:
its level), and perhaps where, which number and which year. Any other word
("online", "extraordinary", "defence") sets it apart from the regular one.

`GatheringReader.read` reads these from a name with the gazetteer
(organisations, their bodies, places) and sco_graph/data/gatherings.json (the phrases
that give a level, the words that tell nothing). `Gathering.compatible` says
whether two readings can be one gathering: the same host, level and
qualifiers, and the same place, number and year wherever both give one (a
city is compatible with its country).

Entity extraction joins an article's event names that can only be one
gathering; resolution keys gatherings by year across articles, because an
SCO summit happens every year and its name alone is never its identity.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TypeVar

from sco_graph.knowledge.gathering_words import GatheringWords, default_gathering_words
from sco_graph.knowledge.gazetteer import Gazetteer, GazetteerEntry, default_gazetteer
from sco_graph.names import normalise
from sco_graph.types import EntityType

_ORDINAL = re.compile(r"^([1-9][0-9]{0,2})(?:st|nd|rd|th)$")
_YEAR = re.compile(r"^(?:19|20)[0-9]{2}$")
_LONGEST_PHRASE = 12  # words: longer than any gazetteer name or level phrase
_PLACES = frozenset({EntityType.PLACE, EntityType.COUNTRY})

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class Gathering:
    """What an event's name says about which gathering it is."""

    host: str  # gazetteer id of the organisation whose gathering it is ("sco")
    level: str  # who meets: "heads of state", ..., or "body:<id>" for a body's own meeting
    place: str | None = None  # gazetteer id of a place or country
    ordinal: int | None = None  # "24th"
    year: int | None = None
    qualifiers: frozenset[str] = field(default_factory=frozenset)  # "online", "extraordinary"

    def compatible(self, other: Gathering, gazetteer: Gazetteer) -> bool:
        """Whether the two can be one gathering."""
        return (
            self.host == other.host
            and self.level == other.level
            and self.qualifiers == other.qualifiers
            and _agree(self.ordinal, other.ordinal)
            and _agree(self.year, other.year)
            and (self.place is None or other.place is None
                 or gazetteer.is_within(self.place, other.place)
                 or gazetteer.is_within(other.place, self.place))
        )

    def completed(self, other: Gathering, gazetteer: Gazetteer) -> Gathering:
        """This reading with what `other` (compatible) adds: a place, a number, a year;
        of a country and its city, the city."""
        place = self.place
        if place is None or (other.place is not None and gazetteer.is_within(other.place, place)):
            place = other.place
        return replace(self, place=place, ordinal=self.ordinal or other.ordinal,
                       year=self.year or other.year)

    def kind(self) -> tuple[str, str, tuple[str, ...]]:
        """Host, level and qualifiers: what two readings must share to be one."""
        return (self.host, self.level, tuple(sorted(self.qualifiers)))


class GatheringReader:
    """Reads gatherings from event names (see the module's docstring)."""

    def __init__(self, gazetteer: Gazetteer | None = None,
                 words: GatheringWords | None = None) -> None:
        self.gazetteer = gazetteer if gazetteer is not None else default_gazetteer()
        self._words = words if words is not None else default_gathering_words()

    def read(self, name: str, default_host: str | None = None) -> Gathering | None:
        """The gathering `name` means, or None when it names no host and level or
        contradicts itself (two hosts, two places, two levels). `default_host` is
        the host of a name that names none ("the summit in Ufa", in a story about
        one organisation's gatherings)."""
        words = normalise(name).split()
        hosts: set[str] = set()
        levels: set[str] = set()
        places: set[str] = set()
        ordinals: set[int] = set()
        years: set[int] = set()
        qualifiers: set[str] = set()
        i = 0
        while i < len(words):
            for n in range(min(_LONGEST_PHRASE, len(words) - i), 0, -1):
                phrase = " ".join(words[i : i + n])
                if phrase in self._words.levels:
                    levels.add(self._words.levels[phrase])
                    break
                if self._known(phrase, hosts, levels, places):
                    break
                if n == 1:
                    word = words[i]
                    if match := _ORDINAL.match(word):
                        ordinals.add(int(match.group(1)))
                    elif _YEAR.match(word):
                        years.add(int(word))
                    elif word not in self._words.generic_words:
                        qualifiers.add(word)
            i += n
        if not hosts and default_host is not None:
            hosts.add(default_host)
        if len(hosts) != 1 or len(levels) != 1 or len(places) > 1 or len(ordinals) > 1 \
                or len(years) > 1:
            return None
        return Gathering(
            host=hosts.pop(), level=levels.pop(),
            place=places.pop() if places else None,
            ordinal=ordinals.pop() if ordinals else None,
            year=years.pop() if years else None,
            qualifiers=frozenset(qualifiers),
        )

    def read_all(self, names: Iterable[str], default_host: str | None = None) -> Gathering | None:
        """One reading of several names of one thing; None if any reads as no
        gathering or two disagree."""
        combined: Gathering | None = None
        for name in sorted(set(names)):
            reading = self.read(name, default_host)
            if reading is None:
                continue
            if combined is None:
                combined = reading
            elif combined.compatible(reading, self.gazetteer):
                combined = combined.completed(reading, self.gazetteer)
            else:
                return None
        return combined

    def _known(self, phrase: str, hosts: set[str], levels: set[str], places: set[str]) -> bool:
        """Record what a gazetteer name inside an event name says; False if it is none."""
        entries = self.gazetteer.lookup(phrase)
        organisations = [e for e in entries if e.type is EntityType.ORGANIZATION]
        if organisations:
            readings = {self._host_and_level(e) for e in organisations}
            if len(readings) != 1:
                return False
            [(host, level)] = readings
            hosts.add(host)
            if level is not None:
                levels.add(level)
            return True
        located = {e.id for e in entries if e.type in _PLACES}
        if len(located) == 1:
            places.update(located)
            return True
        return False

    def _host_and_level(self, entry: GazetteerEntry) -> tuple[str, str | None]:
        parent = self.gazetteer.get(entry.part_of) if entry.part_of else None
        if parent is None or parent.type is not EntityType.ORGANIZATION:
            return entry.id, None
        # A body of an organisation: its meetings are the organisation's gatherings
        # at the body's level, or the body's own ("the SCO Youth Council meeting").
        return parent.id, entry.gathering or f"body:{entry.id}"


def all_compatible(readings: Iterable[Gathering], gazetteer: Gazetteer) -> bool:
    """Whether every two of these readings can be one gathering."""
    readings = list(readings)
    return all(a.compatible(b, gazetteer)
               for i, a in enumerate(readings) for b in readings[i + 1 :])


def one_gathering_groups(
    readings: Mapping[K, Gathering], gazetteer: Gazetteer
) -> list[list[K]]:
    """The keys whose readings are one gathering, in groups of two or more: each
    group of readings linked by compatibility in which every two are compatible.
    "The SCO summit" between "the summit in Astana" and "the summit in Tianjin"
    links a group that cannot be one, so none of the three is grouped."""
    keys = sorted(readings, key=repr)
    parent = {key: key for key in keys}

    def root(key: K) -> K:
        while parent[key] != key:
            key = parent[key]
        return key

    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            if readings[a].compatible(readings[b], gazetteer):
                parent[root(b)] = root(a)
    linked: dict[K, list[K]] = {}
    for key in keys:
        linked.setdefault(root(key), []).append(key)
    return [group for group in linked.values()
            if len(group) > 1 and all_compatible((readings[k] for k in group), gazetteer)]


def _agree(a: int | None, b: int | None) -> bool:
    return a is None or b is None or a == b
