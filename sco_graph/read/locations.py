"""Where each story's file was read from, kept beside a build, so that `--prune`
drops only the stories of files gone from the folders read again.

A story is keyed by its file's name (`Article.key`); the build folder's
`sources.json` maps each file name in the graph to the absolute path it was
last read from:

    {"files": {"a.txt": "/home/me/news/2024/a.txt", ...}}

It is build bookkeeping, not part of the graph: no export carries it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sco_graph.errors import GraphFormatError
from sco_graph.read.reader import STDIN, STDIN_NAME

LOCATIONS_FILE = "sources.json"


def read_locations(folder: str | Path) -> dict[str, str]:
    """The file name -> path map a build wrote into `folder` ({} when it wrote none:
    a folder from before it was kept, or no build yet)."""
    path = Path(folder) / LOCATIONS_FILE
    if not path.is_file():
        return {}
    try:
        files = json.loads(path.read_text(encoding="utf-8"))["files"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise GraphFormatError(f"{path}: not a sources file written by sco-graph "
                               f"({type(error).__name__}: {error})") from None
    if not isinstance(files, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
        raise GraphFormatError(f"{path}: not a sources file written by sco-graph")
    return dict(files)


def locations_json(locations: Mapping[str, str]) -> bytes:
    """The bytes of a sources file (sorted, so the same map gives the same bytes)."""
    text = json.dumps({"files": dict(sorted(locations.items()))}, ensure_ascii=False, indent=1)
    return (text + "\n").encode("utf-8", "surrogateescape")


def locations_of(sources: Iterable[str]) -> dict[str, str]:
    """File name -> absolute path of the files a run read (`sources`, as given)."""
    return {Path(source).name: os.path.abspath(source)
            for source in sources if source != STDIN_NAME}


@dataclass(frozen=True)
class Pruning:
    """What `--prune` may drop: the stories of a file that was inside a folder read this
    time (or was named itself) and was not read (it is gone, or no longer matches).
    A story whose file was elsewhere, or whose place is not known, is kept."""

    roots: tuple[str, ...]  # absolute paths of the PATHS given
    locations: Mapping[str, str]  # file name -> path it was read from before

    @classmethod
    def of(cls, paths: Sequence[str | Path], locations: Mapping[str, str]) -> Pruning:
        return cls(tuple(os.path.abspath(p) for p in paths if str(p) != STDIN), locations)

    def covers(self, name: str) -> bool:
        """Whether the file `name` was read from inside the paths given now."""
        location = self.locations.get(name)
        return location is not None and any(
            location == root or location.startswith(root.rstrip(os.sep) + os.sep)
            for root in self.roots)


def kept_locations(before: Mapping[str, str], read: Mapping[str, str],
                   names: Collection[str]) -> dict[str, str]:
    """The map to save after a run: this run's paths, and the earlier ones of the files
    whose stories the graph still has (`names`)."""
    return {**{n: p for n, p in before.items() if n in names}, **read}
