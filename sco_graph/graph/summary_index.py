"""What resolution reads of each article, kept beside the store.

Resolving an update's new stories against the saved ones needs each saved
article's `EntitySummary` records. Read out of RDF they cost a walk over every
article graph of the store (most of an update's time at a thousand stories);
kept here they cost a file read. The store keeps the index as it writes and
drops articles, saves it in its folder when it closes, and reads it back when it
opens; an index it cannot trust (a store written by an older version, a file
that does not match the store's articles) is not used, and the summaries are read
from the store's graphs as before.

The index is trusted only while the store's files are as they were when it was
written (see `sidecar`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import ClassVar

from sco_graph.graph.sidecar import Sidecar
from sco_graph.types import EntitySummary, EntityType

INDEX_FILE = "sco-graph-summaries.jsonl"


class SummaryIndex(Sidecar):
    """Article key -> its entity summaries (one JSON line each); or unknown."""

    FILE = INDEX_FILE
    FORMAT: ClassVar[dict[str, object]] = {"format": "sco-graph entity summaries", "version": 2}

    @classmethod
    def _checked_key(cls, record: object) -> str:
        key = record["article"]  # type: ignore[index]
        for row in record["summaries"]:  # type: ignore[index]
            _summary(key, row)
        return key

    def __contains__(self, key: str) -> bool:
        return self._lines is not None and key in self._lines

    def keys(self) -> set[str]:
        return set(self._lines or ())

    def put(self, key: str, summaries: Iterable[EntitySummary]) -> None:
        if self._lines is not None:
            rows = [_row(summary) for summary in summaries]
            self._lines[key] = json.dumps({"article": key, "summaries": rows},
                                          ensure_ascii=False)

    def drop(self, key: str) -> None:
        if self._lines is not None:
            self._lines.pop(key, None)

    def summaries(self, key: str) -> list[EntitySummary]:
        """The summaries of an article the index holds (KeyError when it holds none)."""
        if self._lines is None:
            raise KeyError(key)
        return [_summary(key, row) for row in json.loads(self._lines[key])["summaries"]]


def _row(summary: EntitySummary) -> list:
    return [summary.iri, summary.type.value, summary.name, list(summary.forms),
            summary.wikidata, summary.mentions,
            summary.date.isoformat() if summary.date is not None else None]


def _summary(key: str, row: list) -> EntitySummary:
    iri, kind, name, forms, wikidata, mentions, date = row
    return EntitySummary(article=key, iri=iri, type=EntityType(kind), name=name,
                         forms=tuple(forms), wikidata=wikidata, mentions=mentions,
                         date=dt.date.fromisoformat(date) if date is not None else None)
