"""Where the reference data and the ontology live: inside the package.

Domain knowledge is data, not code: the gazetteer, the patterns and the
reading rules are files under `sco_graph/data/`, the ontology and SHACL shapes
under `sco_graph/ontologies/`. They ship in the wheel as package data and are
found with `importlib.resources`, so an installed sco-graph works from any
folder, and an editable install reads the files of the source tree.
`SCO_GRAPH_DATA` / `SCO_GRAPH_ONTOLOGIES` point elsewhere, for a user who
keeps their own copy.

The example corpus is not package data: it is `data/corpus` of a source
checkout (`corpus_dir`), absent from an installed wheel.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

from sco_graph.errors import DataError

DATA_VARIABLE = "SCO_GRAPH_DATA"
ONTOLOGIES_VARIABLE = "SCO_GRAPH_ONTOLOGIES"


def data_dir() -> Path:
    """The folder of reference data files (gazetteer, patterns, rules)."""
    return _folder(DATA_VARIABLE, "data")


def ontology_dir() -> Path:
    """The folder holding sco.ttl and shapes.ttl."""
    return _folder(ONTOLOGIES_VARIABLE, "ontologies")


def data_file(name: str) -> Path:
    """A file of the reference data, or a DataError naming where it was looked for."""
    return _file(data_dir() / name, DATA_VARIABLE, "reference data file")


def ontology_file(name: str) -> Path:
    """A file of the ontologies, or a DataError naming where it was looked for."""
    return _file(ontology_dir() / name, ONTOLOGIES_VARIABLE, "ontology file")


def corpus_dir() -> Path | None:
    """The example corpus, `data/corpus` of the source checkout this package runs
    from (an editable install); None for an installed wheel, which has none."""
    folder = Path(__file__).resolve().parent.parent / "data" / "corpus"
    return folder if folder.is_dir() else None


def _folder(variable: str, name: str) -> Path:
    override = os.environ.get(variable)
    if override:
        return Path(override)
    # An installed or editable package is a folder on disk: files() gives a Path.
    return Path(str(files("sco_graph").joinpath(name)))


def _file(path: Path, variable: str, what: str) -> Path:
    if path.is_file():
        return path
    if os.environ.get(variable):
        fix = f"{variable} points at {path.parent}: set it to a folder that has it, or unset it"
    else:
        fix = "the installation is incomplete: reinstall sco-graph"
    raise DataError(str(path), f"{what} is missing; {fix}")
