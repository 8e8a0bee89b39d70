"""Library functions behind the read-side CLI commands (export, query, stats).

A notebook calls these, or works with `KnowledgeGraph` directly.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from rdflib import URIRef
from rdflib.query import Result

from sco_graph.export import export
from sco_graph.graph import KnowledgeGraph
from sco_graph.vocab import INSTANCE_PREFIXES, PREFIXES


def load_graph(path: str | Path) -> KnowledgeGraph:
    """A build folder or an RDF file (Turtle, N-Triples, JSON-LD, TriG, N-Quads)."""
    return KnowledgeGraph.load(path)


def export_graph(graph: str | Path | KnowledgeGraph, fmt: str, output: str | Path) -> Path:
    """Write a graph in another format; returns what was written."""
    loaded = graph if isinstance(graph, KnowledgeGraph) else load_graph(graph)
    export(loaded, fmt, Path(output))
    return Path(output)


def run_query(graph: str | Path | KnowledgeGraph, sparql: str, fmt: str = "table") -> str:
    """Run SPARQL and render the result as a text table, CSV or SPARQL JSON."""
    loaded = graph if isinstance(graph, KnowledgeGraph) else load_graph(graph)
    return format_result(loaded.query(sparql), fmt)


def format_result(result: Result, fmt: str = "table") -> str:
    if result.type == "ASK":
        return json.dumps({"boolean": bool(result.askAnswer)}) + "\n" if fmt == "json" else (
            f"{str(bool(result.askAnswer)).lower()}\n"
        )
    if result.type in {"CONSTRUCT", "DESCRIBE"}:
        return result.serialize(format="turtle").decode("utf-8")
    if fmt == "json":
        return result.serialize(format="json").decode("utf-8") + "\n"
    names = [str(v) for v in result.vars]
    # csv keeps our own IRIs whole (they are keys a script joins on); tables shorten them
    rows = [[_show(row[v], instances=fmt != "csv") for v in result.vars] for row in result]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(names)
        writer.writerows(rows)
        return buffer.getvalue()
    return _table(names, rows)


def graph_stats(graph: str | Path | KnowledgeGraph, top: int = 10) -> str:
    """Counts by type and the most mentioned entities, as text."""
    loaded = graph if isinstance(graph, KnowledgeGraph) else load_graph(graph)
    summary = loaded.summary()
    rows = [[name, str(n)] for name, n in summary.entities.items()]
    lines = [
        f"Articles: {summary.articles}",
        f"Facts: {summary.facts}",
        f"Triples: {summary.triples}",
        "",
        _table(["type", "entities"], rows).rstrip("\n"),
        "",
        f"Top {top} entities by mentions:",
        _table(
            ["entity", "type", "mentions"],
            [[e.label, e.type, str(e.mentions)] for e in loaded.top_entities(top)],
        ).rstrip("\n"),
    ]
    return "\n".join(lines) + "\n"


def _fit(text: str) -> str:
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def _show(value: object, instances: bool = True) -> str:
    if value is None:
        return ""
    if isinstance(value, URIRef):
        # the longest namespace wins: person:xi-jinping, not a prefix of the base
        known = {**PREFIXES, **INSTANCE_PREFIXES} if instances else PREFIXES
        spaces = sorted(known.items(), key=lambda p: -len(str(p[1])))
        for prefix, namespace in spaces:
            if str(value).startswith(str(namespace)):
                return f"{prefix}:{str(value)[len(str(namespace)):]}"
        return str(value)
    return str(value)


MAX_CELL = 70
"""Widest cell of a text table; longer values end in "…" (csv and json keep them whole)."""


def _table(names: list[str], rows: list[list[str]]) -> str:
    cells = [[_fit(c.replace("\n", " ")) for c in row] for row in rows]
    widths = [max([len(n), *(len(r[i]) for r in cells)]) for i, n in enumerate(names)]
    line = "  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True))
    rule = "  ".join("-" * w for w in widths)
    body = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    return "\n".join([line.rstrip(), rule, *body]) + "\n" + f"({len(rows)} rows)\n"
