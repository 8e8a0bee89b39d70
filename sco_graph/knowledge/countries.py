"""Is this name a sovereign state? The gazetteer knows the region; pycountry
(ISO 3166) knows the rest of the world, so "Chile" is a Country, not a Place,
even though no one listed it."""

from __future__ import annotations

from functools import cache

import pycountry

from sco_graph.knowledge.gazetteer import Gazetteer, default_gazetteer
from sco_graph.names import normalise
from sco_graph.types import EntityType


class CountryNames:
    def __init__(self, gazetteer: Gazetteer) -> None:
        names: set[str] = set()
        for country in pycountry.countries:
            for attribute in ("name", "common_name", "official_name"):
                value = getattr(country, attribute, None)
                if value:
                    names.add(normalise(value))
        for entry in gazetteer:
            if entry.type is EntityType.COUNTRY:
                names.update(normalise(name) for name in entry.names)
            else:
                names.difference_update(normalise(name) for name in entry.names)
        self._names = frozenset(names)

    def is_country(self, name: str) -> bool:
        return normalise(name) in self._names


@cache
def default_country_names() -> CountryNames:
    return CountryNames(default_gazetteer())
