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
    "KnowledgeGraph": "sco_graph.graph",
    "build": "sco_graph.pipeline",
    "evaluate": "sco_graph.evaluate",
    "export_graph": "sco_graph.api",
    "extract": "sco_graph.extract",
    "graph_stats": "sco_graph.api",
    "load_graph": "sco_graph.api",
    "run_query": "sco_graph.api",
}

if TYPE_CHECKING:
    from sco_graph.api import export_graph, graph_stats, load_graph, run_query
    from sco_graph.evaluate import evaluate
    from sco_graph.extract import extract
    from sco_graph.graph import KnowledgeGraph
    from sco_graph.pipeline import build


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'sco_graph' has no attribute {name!r}")
