"""What the mention sets of each entity say of it, summed over articles, and kept
beside the store.

An entity's description (label, type, aliases, Wikidata id, the facts it is the
subject of, an event's dates) is made from its tally. In a build the tallies are
summed as stories are written. An update used to read the tally of every entity a
new story mentions back from all its mention sets in the store: for a country or
the SCO, a walk over most of the corpus for each update. Tallies are additive, so
the store saves them when it closes (`TallyIndex`, one JSON line an entity) and an
update describes an entity from its saved tally, plus what the new stories say,
minus what the stories they replace said.

The file is trusted like the summary index (see `sidecar`): not when the store
changed since it was written.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from rdflib import URIRef
from rdflib.term import Node
from rdflib.util import from_n3

from sco_graph.graph.sidecar import Sidecar
from sco_graph.types import EntityType

if TYPE_CHECKING:
    from sco_graph.graph.store import _Naming

TALLY_FILE = "sco-graph-tallies.jsonl"

DateKey = tuple[str, int, int]
"""(article key, start, end) of a time expression that dates the entity."""
DateValue = tuple[dt.date | None, dt.date | None, float]
"""(first day, last day, confidence) of that time expression."""


@dataclass
class Tally:
    """What the mention sets of one entity say of it, summed over articles."""

    mention_sets: int = 0
    total: int = 0  # mentions
    names: Counter[str] = field(default_factory=Counter)  # name -> mention sets giving it
    name_mentions: Counter[str] = field(default_factory=Counter)
    types: Counter[EntityType] = field(default_factory=Counter)
    type_mentions: Counter[EntityType] = field(default_factory=Counter)
    items: Counter[str] = field(default_factory=Counter)  # Wikidata id -> mention sets
    forms: Counter[str] = field(default_factory=Counter)  # alias -> mention sets giving it
    uses: Counter[str] = field(default_factory=Counter)  # mention text -> mentions
    use_articles: Counter[str] = field(default_factory=Counter)  # mention text -> articles
    dates: dict[DateKey, DateValue] = field(default_factory=dict)
    facts: Counter[tuple[URIRef, Node]] = field(default_factory=Counter)  # (prop, object)

    def add(self, naming: _Naming) -> None:
        """Count one mention set of the entity."""
        self.mention_sets += 1
        self.total += naming.count
        for name in naming.names:
            self.names[name] += 1
            self.name_mentions[name] += naming.count
        for entity_type in naming.types:
            self.types[entity_type] += 1
            self.type_mentions[entity_type] += naming.count
        self.items.update(naming.items)
        self.forms.update(naming.forms)
        for text, count in naming.uses:
            self.uses[text] += count
            self.use_articles[text] += 1

    def combined(self, more: Tally | None = None, less: Tally | None = None) -> Tally:
        """A new tally: this one minus `less` (what stories taken out said), plus `more`.
        Taken off before `more` comes in: a story read again dates the entity again,
        under the same key."""
        result = Tally()
        for sign, tally in ((1, self), (-1, less), (1, more)):
            if tally is None:
                continue
            result.mention_sets += sign * tally.mention_sets
            result.total += sign * tally.total
            for name in _COUNTERS:
                mine: Counter[Any] = getattr(result, name)
                for key, count in getattr(tally, name).items():
                    mine[key] += sign * count
            if sign > 0:
                result.dates.update(tally.dates)
            else:
                for key in tally.dates:
                    result.dates.pop(key, None)
        for name in _COUNTERS:  # nothing said zero times (or less, from a stale file)
            counter: Counter[Any] = getattr(result, name)
            for key in [key for key, count in counter.items() if count <= 0]:
                del counter[key]
        return result


# Counters keyed by plain strings, saved as they are; types and facts are keyed by terms.
_TEXT_COUNTERS = ("names", "name_mentions", "items", "forms", "uses", "use_articles")
_COUNTERS = (*_TEXT_COUNTERS, "types", "type_mentions", "facts")


class TallyIndex(Sidecar):
    """Entity IRI -> its tally, as saved with the store; or unknown. Tallies are held as
    their JSON lines (a tenth of the memory of the counters) and read when asked for."""

    FILE = TALLY_FILE
    FORMAT: ClassVar[dict[str, object]] = {"format": "sco-graph entity tallies", "version": 1}

    @classmethod
    def _checked_key(cls, record: object) -> str:
        return str(_decoded(record)[0])  # type: ignore[arg-type]

    def get(self, entity: URIRef) -> Tally | None:
        """The entity's saved tally (empty when the index has none of it); None when the
        index is unknown."""
        if self._lines is None:
            return None
        line = self._lines.get(str(entity))
        return _decoded(json.loads(line))[1] if line is not None else Tally()

    def put(self, entity: URIRef, tally: Tally) -> None:
        if self._lines is not None:
            if tally.mention_sets:
                self._lines[str(entity)] = json.dumps(_encoded(entity, tally),
                                                      ensure_ascii=False)
            else:
                self._lines.pop(str(entity), None)


def _encoded(entity: URIRef, tally: Tally) -> dict[str, Any]:
    return {
        "entity": str(entity),
        "mention_sets": tally.mention_sets,
        "total": tally.total,
        **{name: _pairs(getattr(tally, name)) for name in _TEXT_COUNTERS},
        "types": _pairs({t.value: n for t, n in tally.types.items()}),
        "type_mentions": _pairs({t.value: n for t, n in tally.type_mentions.items()}),
        "facts": sorted([prop.n3(), obj.n3(), count]
                        for (prop, obj), count in tally.facts.items()),
        "dates": sorted([*key, _day(first), _day(last), confidence]
                        for key, (first, last, confidence) in tally.dates.items()),
    }


def _decoded(record: dict[str, Any]) -> tuple[URIRef, Tally]:
    tally = Tally(mention_sets=int(record["mention_sets"]), total=int(record["total"]))
    for name in _TEXT_COUNTERS:
        getattr(tally, name).update(dict(record[name]))
    tally.types.update({EntityType(t): n for t, n in record["types"]})
    tally.type_mentions.update({EntityType(t): n for t, n in record["type_mentions"]})
    for prop, obj, count in record["facts"]:
        prop_term, obj_term = from_n3(prop), from_n3(obj)
        if not isinstance(prop_term, URIRef) or not isinstance(obj_term, Node):
            raise ValueError(f"not a fact's property and object: {prop} {obj}")
        tally.facts[(prop_term, obj_term)] = int(count)
    for key, start, end, first, last, confidence in record["dates"]:
        tally.dates[(str(key), int(start), int(end))] = (_date(first), _date(last),
                                                         float(confidence))
    return URIRef(record["entity"]), tally


def _pairs(counter: dict[Any, int]) -> list[list[Any]]:
    return sorted([key, count] for key, count in counter.items())


def _day(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text is not None else None
