"""Where the reference data (data/) and the ontology (ontologies/) live.

Domain knowledge is data, not code: the gazetteer, the patterns and the
reading rules are files under `data/`, the ontology and SHACL shapes under
`ontologies/`. Both sit at the top of the source tree, next to the package
(the README installs it editable). `SCO_GRAPH_DATA` / `SCO_GRAPH_ONTOLOGIES`
point elsewhere, for a user who keeps their own copy.
"""

from __future__ import annotations

import os
from pathlib import Path

from sco_graph.errors import DataError

_SOURCE_TREE = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """The folder of reference data files (gazetteer, patterns, rules)."""
    return _folder("SCO_GRAPH_DATA", _SOURCE_TREE / "data")


def ontology_dir() -> Path:
    """The folder holding sco.ttl and shapes.ttl."""
    return _folder("SCO_GRAPH_ONTOLOGIES", _SOURCE_TREE / "ontologies")


def data_file(name: str) -> Path:
    """A file under data/, or a DataError naming where it was looked for."""
    path = data_dir() / name
    if not path.is_file():
        raise DataError(str(path), "reference data file is missing")
    return path


def ontology_file(name: str) -> Path:
    """A file under ontologies/, or a DataError naming where it was looked for."""
    path = ontology_dir() / name
    if not path.is_file():
        raise DataError(str(path), "ontology file is missing")
    return path


def _folder(variable: str, default: Path) -> Path:
    override = os.environ.get(variable)
    return Path(override) if override else default
