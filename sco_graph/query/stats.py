"""The `stats` report: counts by type and the most mentioned entities."""

from __future__ import annotations

from pathlib import Path

from sco_graph.graph.store import KnowledgeGraph, load_graph
from sco_graph.query.tables import text_table


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
        text_table(["type", "entities"], rows).rstrip("\n"),
        "",
        f"Top {top} entities by mentions:",
        text_table(
            ["entity", "type", "mentions"],
            [[e.label, e.type, str(e.mentions)] for e in loaded.top_entities(top)],
        ).rstrip("\n"),
    ]
    return "\n".join(lines) + "\n"
