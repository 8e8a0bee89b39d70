"""Run SPARQL on a graph and render the result: a text table, CSV or SPARQL JSON."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from rdflib.query import Result

from sco_graph.graph.store import KnowledgeGraph, load_graph
from sco_graph.query.tables import show_term, text_table


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
    rows = [[show_term(row[v], instances=fmt != "csv") for v in result.vars] for row in result]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(names)
        writer.writerows(rows)
        return buffer.getvalue()
    return text_table(names, rows)
