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

import csv
import io
from collections.abc import Callable
from pathlib import Path

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

from sco_graph.atomic import atomic_write, write_bytes
from sco_graph.errors import GraphFormatError
from sco_graph.graph.projection import EDGE_ATTRIBUTES, NODE_ATTRIBUTES, project
from sco_graph.graph.store import RDF_FORMATS, KnowledgeGraph, load_graph

Exporter = Callable[[KnowledgeGraph, Path], Path]


def _rdf(fmt: str) -> Exporter:
    def write(graph: KnowledgeGraph, path: Path) -> Path:
        return write_bytes(path, graph.serialize(fmt))

    write.__doc__ = f"Write the graph as {RDF_FORMATS[fmt]} with rdflib."
    return write


def write_graphml(graph: KnowledgeGraph, path: Path) -> Path:
    """The projection as GraphML (typed keys; opens in Gephi, Cytoscape, yEd)."""
    buffer = io.BytesIO()
    # The plain-XML writer: its output does not depend on whether lxml is installed.
    nx.write_graphml_xml(project(graph), buffer, encoding="utf-8", prettyprint=True)
    return write_bytes(path, buffer.getvalue())


def write_gexf(graph: KnowledgeGraph, path: Path) -> Path:
    """The projection as GEXF 1.2 (Gephi's own format)."""
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    writer.add_graph(project(graph))
    # networkx stamps today's date into <meta>; the attribute is optional, and
    # without it the same graph gives the same bytes on any day.
    for meta in writer.xml.iter("meta"):
        meta.attrib.pop("lastmodifieddate", None)
    buffer = io.BytesIO()
    writer.write(buffer)
    return write_bytes(path, buffer.getvalue())


def write_csv(graph: KnowledgeGraph, folder: Path) -> Path:
    """The projection as `nodes.csv` and `edges.csv` in `folder` (created if missing)."""
    projection = project(graph)
    folder.mkdir(parents=True, exist_ok=True)
    with atomic_write(folder / "nodes.csv") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        columns = [name for name in NODE_ATTRIBUTES if name != "iri"]
        writer.writerow(["id", *columns])
        for node, data in projection.nodes(data=True):
            writer.writerow([node, *(data[name] for name in columns)])
    with atomic_write(folder / "edges.csv") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["source", "target", "key", *EDGE_ATTRIBUTES])
        for source, target, key, data in projection.edges(keys=True, data=True):
            writer.writerow([source, target, key, *(data[name] for name in EDGE_ATTRIBUTES)])
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
    """Write `graph` in format `fmt` to `path` (a folder for csv); return the path."""
    exporter = EXPORTERS.get(fmt)
    if exporter is None:
        raise GraphFormatError(
            f"unknown export format {fmt!r} (valid: {', '.join(sorted(EXPORTERS))})"
        )
    return exporter(graph, Path(path))


__all__ = ["EXPORTERS", "FILE_NAMES", "export", "write_csv", "write_gexf", "write_graphml"]


def export_graph(graph: str | Path | KnowledgeGraph, fmt: str, output: str | Path) -> Path:
    """Write a graph in another format; returns what was written."""
    loaded = graph if isinstance(graph, KnowledgeGraph) else load_graph(graph)
    export(loaded, fmt, Path(output))
    return Path(output)
