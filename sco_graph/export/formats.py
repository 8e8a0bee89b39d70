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
import string
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter
from networkx.readwrite.graphml import GraphMLWriter

from sco_graph.atomic import StagedFiles, staged_files
from sco_graph.errors import GraphFormatError, OutputError
from sco_graph.graph.projection import EDGE_ATTRIBUTES, NODE_ATTRIBUTES, project
from sco_graph.graph.store import CANONICAL_FILE, RDF_FORMATS, KnowledgeGraph, load_graph
from sco_graph.graph.vocab import ALL_PREFIXES

Exporter = Callable[[KnowledgeGraph, Path, StagedFiles], Path]
"""(graph, path, files): stage the format's file(s) for `path` in `files`."""


def _rdf(fmt: str) -> Exporter:
    def write(graph: KnowledgeGraph, path: Path, files: StagedFiles) -> Path:
        return files.write(path, graph.serialize(fmt))

    write.__doc__ = f"Write the graph as {RDF_FORMATS[fmt]} with rdflib."
    return write


def write_graphml(graph: KnowledgeGraph, path: Path, files: StagedFiles) -> Path:
    """The projection as GraphML (typed keys; opens in Gephi, Cytoscape, yEd).

    Valid against the GraphML schema (graphml.xsd): node and edge ids are XML
    NMTOKENs made from the IRIs (`graphml_id`), each node and edge keeping its
    whole IRI in its `iri` attribute. An attribute without a value (None, "") is
    left out rather than written as an empty `<data/>` (which a typed reader
    cannot read as an int or a double), and booleans are `true` / `false` as XML
    Schema spells them."""
    # The plain-XML writer: its output does not depend on whether lxml is installed.
    writer = _GraphMLWriter(encoding="utf-8", prettyprint=True)
    writer.add_graph_element(_for_graphml(project(graph)))
    buffer = io.BytesIO()
    writer.dump(buffer)
    return files.write(path, buffer.getvalue())


_NMTOKEN_SAFE = frozenset(string.ascii_letters + string.digits + ".-:")
# Longest namespace first, so that an IRI gets the most specific prefix.
_NAMESPACES = sorted(((str(ns), prefix) for prefix, ns in ALL_PREFIXES.items()),
                     key=lambda pair: (-len(pair[0]), pair[1]))


def graphml_id(iri: str) -> str:
    """The GraphML id of an IRI: an XML NMTOKEN (the type graphml.xsd gives ids), one
    per IRI and always the same for it.

    An IRI in a namespace of ALL_PREFIXES whose rest is letters, digits, ".", "-"
    and ":" is written as a compact IRI; any other is written whole after a "_",
    each character outside those as "_" and its UTF-8 bytes in hex.

    >>> graphml_id("https://w3id.org/sco-graph/person/xi-jinping")
    'person:xi-jinping'
    >>> graphml_id("http://example.org/a b")
    '_http:_2f_2fexample.org_2fa_20b'
    """
    for namespace, prefix in _NAMESPACES:
        rest = iri[len(namespace):]
        if iri.startswith(namespace) and rest and set(rest) <= _NMTOKEN_SAFE:
            return f"{prefix}:{rest}"
    escaped = "".join(
        char if char in _NMTOKEN_SAFE else "".join(f"_{b:02x}" for b in char.encode("utf-8"))
        for char in iri
    )
    return f"_{escaped}"


def _for_graphml(projection: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The projection as GraphML wants it, in one copy: `graphml_id`s for nodes and edge
    keys (each edge given its IRI, its key in the projection, as the `iri` attribute),
    and no attribute whose value is None or "" (see `write_graphml`)."""

    def kept(data: dict[str, Any]) -> dict[str, Any]:
        return {key: value for key, value in data.items() if value is not None and value != ""}

    copy = projection.__class__()
    copy.graph.update(kept(projection.graph))
    copy.add_nodes_from((graphml_id(node), kept(data))
                        for node, data in projection.nodes(data=True))
    copy.add_edges_from(
        (graphml_id(source), graphml_id(target), graphml_id(key), {**kept(data), "iri": key})
        for source, target, key, data in projection.edges(keys=True, data=True)
    )
    return copy


class _GraphMLWriter(GraphMLWriter):
    """networkx's GraphML writer with booleans written `true` / `false` (it writes
    Python's `True`, which is not an `xs:boolean`)."""

    def add_data(self, name: str, element_type: type, value: object, scope: str = "all",
                 default: object = None) -> Any:
        if element_type is bool:
            value = "true" if str(value).lower() in ("true", "1") else "false"
        return super().add_data(name, element_type, value, scope, default)


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
    projection = project(graph)
    nodes = io.StringIO(newline="")
    writer = csv.writer(nodes, lineterminator="\n")
    columns = [name for name in NODE_ATTRIBUTES if name != "iri"]
    writer.writerow(["id", *columns])
    for node, data in projection.nodes(data=True):
        writer.writerow([node, *(data[name] for name in columns)])
    files.write(folder / "nodes.csv", nodes.getvalue().encode("utf-8"))
    edges = io.StringIO(newline="")
    writer = csv.writer(edges, lineterminator="\n")
    writer.writerow(["source", "target", "key", *EDGE_ATTRIBUTES])
    for source, target, key, data in projection.edges(keys=True, data=True):
        writer.writerow([source, target, key, *(data[name] for name in EDGE_ATTRIBUTES)])
    files.write(folder / "edges.csv", edges.getvalue().encode("utf-8"))
    return folder


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
