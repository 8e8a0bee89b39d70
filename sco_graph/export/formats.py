"""Exporters: one function per format, in one registry, every file written atomically.

    export(graph, "graphml", Path("build/graph.graphml"))

RDF formats are written by rdflib through `KnowledgeGraph.serialize`
(canonical: sorted, so the same graph gives the same bytes); ttl, nt and
jsonld are the flattened union, trig and nq keep one named graph per
article. graphml, gexf and csv are the NetworkX projection (`project.py`),
written by networkx's own writers; csv writes `nodes.csv` and `edges.csv`
into the folder it is given.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

from networkx.readwrite.gexf import GEXFWriter

from sco_graph.atomic import StagedFiles, staged_files
from sco_graph.errors import GraphFormatError, OutputError
from sco_graph.export import graphml
from sco_graph.graph.projection import EDGE_ATTRIBUTES, NODE_ATTRIBUTES, project, projected
from sco_graph.graph.store import CANONICAL_FILE, RDF_FORMATS, KnowledgeGraph, load_graph

Exporter = Callable[[KnowledgeGraph, Path, StagedFiles], Path]
"""(graph, path, files): stage the format's file(s) for `path` in `files`."""


def _rdf(fmt: str) -> Exporter:
    def write(graph: KnowledgeGraph, path: Path, files: StagedFiles) -> Path:
        with files.open(path) as handle:
            graph.write(fmt, handle)
        return path

    write.__doc__ = f"Write the graph as {RDF_FORMATS[fmt]} with rdflib."
    return write


def write_graphml(graph: KnowledgeGraph, path: Path, files: StagedFiles) -> Path:
    """The projection as GraphML (typed keys; opens in Gephi, Cytoscape, yEd), streamed
    element by element (`export/graphml.py`).

    Valid against the GraphML schema (graphml.xsd): node and edge ids are XML
    NMTOKENs made from the IRIs (`graphml_id`), each node and edge keeping its
    whole IRI in its `iri` attribute. An attribute without a value (None, "") is
    left out rather than written as an empty `<data/>` (which a typed reader
    cannot read as an int or a double)."""
    with files.open(path) as handle:
        graphml.write_graphml(projected(graph), handle)
    return path


def write_gexf(graph: KnowledgeGraph, path: Path, files: StagedFiles) -> Path:
    """The projection as GEXF 1.2 (Gephi's own format), valid against its schema."""
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    writer.add_graph(project(graph))
    # networkx stamps today's date into <meta>; the attribute is optional, and
    # without it the same graph gives the same bytes on any day.
    for meta in writer.xml.iter("meta"):
        meta.attrib.pop("lastmodifieddate", None)
    # networkx writes <graph name="">, an attribute the GEXF 1.2 schema does not have.
    for element in writer.xml.iter("graph"):
        element.attrib.pop("name", None)
    buffer = io.BytesIO()
    writer.write(buffer)
    return files.write(path, buffer.getvalue())


def write_csv(graph: KnowledgeGraph, folder: Path, files: StagedFiles) -> Path:
    """The projection as `nodes.csv` and `edges.csv` in `folder` (created if missing)."""
    parts = projected(graph)
    columns = [name for name in NODE_ATTRIBUTES if name != "iri"]
    with files.open(folder / "nodes.csv") as handle, _csv_writer(handle) as writer:
        writer.writerow(["id", *columns])
        for iri, values in parts.nodes:
            data = dict(zip(NODE_ATTRIBUTES, values, strict=True))
            writer.writerow([iri, *(data[name] for name in columns)])
    with files.open(folder / "edges.csv") as handle, _csv_writer(handle) as writer:
        writer.writerow(["source", "target", "key", *EDGE_ATTRIBUTES])
        for source, target, key, values in parts.edges:
            writer.writerow([source, target, key, *values])
    return folder


@contextlib.contextmanager
def _csv_writer(handle: BinaryIO) -> Iterator[Any]:
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
    try:
        yield csv.writer(text, lineterminator="\n")
    finally:
        text.flush()
        text.detach()  # the staged file closes the handle itself


EXPORTERS: dict[str, Exporter] = {
    **{fmt: _rdf(fmt) for fmt in RDF_FORMATS},
    "graphml": write_graphml,
    "gexf": write_gexf,
    "csv": write_csv,
}
"""Format name -> exporter(graph, path) -> what was written."""

FILE_NAMES: dict[str, str] = {
    **{fmt: f"graph.{fmt}" for fmt in EXPORTERS},
    "csv": "csv",
}
"""The name a build gives each format's output inside its folder."""


def export(graph: KnowledgeGraph, fmt: str, path: str | Path) -> Path:
    """Write `graph` in format `fmt` to `path` (a folder for csv); return the path.

    Nothing is replaced unless every file of the format is written (`OutputError`
    otherwise: a full disk, a term no writer can write)."""
    exporter = _exporter(fmt)
    graph.check_writable()
    with _writing(Path(path)), staged_files() as files:
        return exporter(graph, Path(path), files)


def write_all(graph: KnowledgeGraph, out: Path, formats: Iterable[str],
              extra: Mapping[str, bytes] | None = None) -> list[Path]:
    """graph.trig plus one file per format (a folder for csv) in `out`, and the `extra`
    files (name -> bytes), as one set: every file is written to a temporary file first
    and the old ones are replaced only when all are written, so a failure
    (`OutputError`) leaves the whole earlier set."""
    exporters = {fmt: _exporter(fmt) for fmt in dict.fromkeys(formats) if fmt != "trig"}
    # Written together, these read the store once.
    streamed = ["trig", *(fmt for fmt in exporters if fmt in {"ttl", "nq"})]
    graph.check_writable()
    with _writing(out), staged_files() as files:
        with contextlib.ExitStack() as stack:
            graph.write_many({fmt: stack.enter_context(files.open(out / FILE_NAMES[fmt]))
                              for fmt in streamed})
        written = [out / CANONICAL_FILE]
        for fmt, exporter in exporters.items():
            written.append(out / FILE_NAMES[fmt] if fmt in streamed
                           else exporter(graph, out / FILE_NAMES[fmt], files))
        for name, data in (extra or {}).items():
            written.append(files.write(out / name, data))
    return written


def _exporter(fmt: str) -> Exporter:
    exporter = EXPORTERS.get(fmt)
    if exporter is None:
        raise GraphFormatError(
            f"unknown export format {fmt!r} (valid: {', '.join(sorted(EXPORTERS))})"
        )
    return exporter


class _writing:
    """Turns an OSError while writing (a full disk, no permission) into one OutputError."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type | None, error: BaseException | None, _tb: object) -> bool:
        if isinstance(error, OSError):
            cause = error.strerror or errno.errorcode.get(error.errno or 0, "") or str(error)
            where = error.filename or self.target
            raise OutputError(
                f"{where}: cannot write ({cause}); the earlier files are left as they were"
            ) from None
        return False


__all__ = ["EXPORTERS", "FILE_NAMES", "export", "write_all", "write_csv", "write_gexf",
           "write_graphml"]


def export_graph(graph: str | Path | KnowledgeGraph, fmt: str, output: str | Path) -> Path:
    """Write a graph in another format; returns what was written."""
    loaded = graph if isinstance(graph, KnowledgeGraph) else load_graph(graph)
    export(loaded, fmt, Path(output))
    return Path(output)
