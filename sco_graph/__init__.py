"""sco-graph: press texts about the Shanghai Cooperation Organisation -> a knowledge graph.

The library API a notebook uses; the `sco-graph` command calls the same functions.

    import sco_graph
    result = sco_graph.build(["data/corpus"], "build")
    graph = result.graph                      # a KnowledgeGraph
    print(sco_graph.run_query(graph, "SELECT ?p WHERE { ?p a sco:Person }"))
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = [
    "KnowledgeGraph",
    "build",
    "evaluate",
    "export_graph",
    "extract",
    "graph_stats",
    "load_graph",
    "run_query",
]

# Imported on first use, so `import sco_graph` (and `sco-graph --help`) stay fast:
# loading spaCy and the model takes seconds.
_LAZY = {
    "KnowledgeGraph": "sco_graph.graph.store",
    "build": "sco_graph.pipeline",
    "evaluate": "sco_graph.evaluate.run",
    "export_graph": "sco_graph.export.formats",
    "extract": "sco_graph.extract.article",
    "graph_stats": "sco_graph.query.stats",
    "load_graph": "sco_graph.graph.store",
    "run_query": "sco_graph.query.results",
}

if TYPE_CHECKING:
    from sco_graph.evaluate.run import evaluate
    from sco_graph.export.formats import export_graph
    from sco_graph.extract.article import extract
    from sco_graph.graph.store import KnowledgeGraph, load_graph
    from sco_graph.pipeline import build
    from sco_graph.query.results import run_query
    from sco_graph.query.stats import graph_stats


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'sco_graph' has no attribute {name!r}")
