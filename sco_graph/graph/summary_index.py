"""What resolution reads of each article, kept beside the store.

Resolving an update's new stories against the saved ones needs each saved
article's `EntitySummary` records. Read out of RDF they cost a walk over every
article graph of the store (most of an update's time at a thousand stories);
kept here they cost a file read. The store keeps the index as it writes and
drops articles, saves it in its folder when it closes, and reads it back when it
opens; an index it cannot trust (a store written by an older version, a file
that does not match the store's articles) is not used, and the summaries are read
from the store's graphs as before.

The index records the store's files (names and sizes) as they were when it was
written, with the store closed: any writer that changes the store afterwards (another
program, an older version) adds or grows a file, and the index is not trusted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

from sco_graph.atomic import atomic_write
from sco_graph.types import EntitySummary, EntityType

INDEX_FILE = "sco-graph-summaries.jsonl"
_FORMAT = {"format": "sco-graph entity summaries", "version": 2}
_OWN_FILES = {"LOCK", "LOG"}  # and the older info logs, LOG.old.*


class SummaryIndex:
    """Article key -> its entity summaries (one JSON line each); or unknown."""

    def __init__(self, lines: dict[str, str] | None) -> None:
        self._lines = lines

    @classmethod
    def empty(cls) -> SummaryIndex:
        return cls({})

    @classmethod
    def unknown(cls) -> SummaryIndex:
        return cls(None)

    @classmethod
    def read(cls, folder: Path) -> SummaryIndex:
        """The index saved in the store folder `folder` (read before the store is opened);
        unknown when there is none, it is not ours, or the store changed since."""
        try:
            with (folder / INDEX_FILE).open(encoding="utf-8") as handle:
                if json.loads(next(handle, "null")) != _header(folder):
                    return cls.unknown()
                lines: dict[str, str] = {}
                for line in handle:
                    record = json.loads(line)
                    key = record["article"]
                    for row in record["summaries"]:  # each read once here: a bad one is seen
                        _summary(key, row)
                    lines[key] = line.rstrip("\n")
        except (OSError, ValueError, KeyError, TypeError):
            return cls.unknown()
        return cls(lines)

    def write(self, folder: Path) -> None:
        """Save the index in the folder of a closed store (atomically); an unknown one
        removes the file."""
        if self._lines is None:
            (folder / INDEX_FILE).unlink(missing_ok=True)
            return
        header = _header(folder)
        with atomic_write(folder / INDEX_FILE) as handle:
            handle.write(json.dumps(header) + "\n")
            for key in sorted(self._lines):
                handle.write(self._lines[key] + "\n")

    @property
    def known(self) -> bool:
        return self._lines is not None

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

    def copy(self) -> SummaryIndex:
        return SummaryIndex(dict(self._lines) if self._lines is not None else None)

    def forget(self) -> None:
        """Statements came in that the index does not follow: it is unknown from now."""
        self._lines = None

    def summaries(self, key: str) -> list[EntitySummary]:
        """The summaries of an article the index holds (KeyError when it holds none)."""
        if self._lines is None:
            raise KeyError(key)
        return [_summary(key, row) for row in json.loads(self._lines[key])["summaries"]]


def _header(folder: Path) -> dict[str, object]:
    """The index's first line: its format, and the store's files as they are now."""
    return {**_FORMAT, "store": store_fingerprint(folder)}


def store_fingerprint(folder: Path) -> str:
    """The names and sizes of the store's own files in `folder` (not the files sco-graph
    keeps beside them, `sco-graph-*`, nor RocksDB's lock and logs), hashed."""
    files = sorted(
        f"{path.name} {path.stat().st_size}" for path in folder.iterdir()
        if path.is_file() and path.name not in _OWN_FILES
        and not path.name.startswith(("sco-graph-", ".sco-graph-", "LOG."))
    )
    return hashlib.sha1("\n".join(files).encode()).hexdigest()


def _row(summary: EntitySummary) -> list:
    return [summary.iri, summary.type.value, summary.name, list(summary.forms),
            summary.wikidata, summary.mentions,
            summary.date.isoformat() if summary.date is not None else None]


def _summary(key: str, row: list) -> EntitySummary:
    iri, kind, name, forms, wikidata, mentions, date = row
    return EntitySummary(article=key, iri=iri, type=EntityType(kind), name=name,
                         forms=tuple(forms), wikidata=wikidata, mentions=mentions,
                         date=dt.date.fromisoformat(date) if date is not None else None)
