"""Files the store keeps beside its own in its folder: one JSON line per key, trusted
only while the store is as it was when they were written.

The summary index and the entity tallies are such files. Each records the store's
files (names and sizes) as they were when it was written, with the store closed: any
writer that changes the store afterwards (another program, an older version) adds or
grows a file, and the sidecar is not used. A sidecar that is not used is *unknown*,
and the store falls back to reading its graphs.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import ClassVar, Self

from sco_graph.atomic import atomic_write

_OWN_FILES = {"LOCK", "LOG"}  # RocksDB's, changed by any open; and the older logs, LOG.old.*
_PREFIX = "sco-graph-"


class Sidecar:
    """Key -> its JSON line, as saved beside the store; or unknown (None)."""

    FILE: ClassVar[str]  # a name starting with `sco-graph-`
    FORMAT: ClassVar[dict[str, object]]  # the file's first line, with the fingerprint

    def __init__(self, lines: dict[str, str] | None) -> None:
        self._lines = lines

    @classmethod
    def empty(cls) -> Self:
        return cls({})

    @classmethod
    def unknown(cls) -> Self:
        return cls(None)

    @classmethod
    def read(cls, folder: Path) -> Self:
        """The file saved in the store folder `folder` (read before the store is opened);
        unknown when there is none, it is not ours, a line is unreadable, or the store
        changed since."""
        try:
            with (folder / cls.FILE).open(encoding="utf-8") as handle:
                if json.loads(next(handle, "null")) != cls._header(folder):
                    return cls.unknown()
                lines: dict[str, str] = {}
                for line in handle:  # each read once here: a bad one is seen now
                    lines[cls._checked_key(json.loads(line))] = line.rstrip("\n")
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return cls.unknown()
        return cls(lines)

    @classmethod
    def _checked_key(cls, record: object) -> str:
        """The key of a line's record, once its contents are read (raising if they
        cannot be)."""
        raise NotImplementedError

    @classmethod
    def _header(cls, folder: Path) -> dict[str, object]:
        return {**cls.FORMAT, "store": store_fingerprint(folder)}

    def write(self, folder: Path) -> None:
        """Save the file in the folder of a closed store (atomically); an unknown one
        removes it."""
        if self._lines is None:
            (folder / self.FILE).unlink(missing_ok=True)
            return
        header = self._header(folder)
        with atomic_write(folder / self.FILE) as handle:
            handle.write(json.dumps(header) + "\n")
            for key in sorted(self._lines):
                handle.write(self._lines[key] + "\n")

    @property
    def known(self) -> bool:
        return self._lines is not None

    def copy(self) -> Self:
        return type(self)(dict(self._lines) if self._lines is not None else None)

    def forget(self) -> None:
        """Statements came in that the file does not follow: it is unknown from now."""
        self._lines = None


def store_fingerprint(folder: Path) -> str:
    """The names and sizes of the store's own files in `folder` (not the files sco-graph
    keeps beside them, `sco-graph-*`, nor RocksDB's lock and logs), hashed."""
    files = sorted(
        f"{path.name} {path.stat().st_size}" for path in folder.iterdir()
        if path.is_file() and path.name not in _OWN_FILES
        and not path.name.startswith((_PREFIX, f".{_PREFIX}", "LOG."))
    )
    return hashlib.sha1("\n".join(files).encode()).hexdigest()
