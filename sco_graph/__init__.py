"""sco-graph: press texts about the Shanghai Cooperation Organisation -> a knowledge graph.

The library API a notebook uses; the `sco-graph` command calls the same functions.

    import sco_graph
    result = sco_graph.build(["data/corpus"], "build")
    graph = result.graph                      # a KnowledgeGraph
    rows = sco_graph.run_query(graph, "SELECT ?p WHERE { ?p a sco:Person }")
    print(rows)                               # the table `sco-graph query` prints
    rows.to_dataframe()                       # pandas, with the [notebook] extra
    sco_graph.saved_query(graph, "proposals", actor="country:kazakhstan")
    print(sco_graph.saved_queries())          # the saved queries, as `query --list`
    view = sco_graph.show(graph, "Tokayev")   # what the graph says about one entity
    sco_graph.push_graph(graph, "http://127.0.0.1:7878/store")  # into a SPARQL store
    sco_graph.viz(graph, "graph.html")        # the interactive picture, one offline page

Queries may use the prefixes of `sco_graph.PREFIXES` (`sco:`, `person:`,
`country:`, `rdfs:`, ...) without declaring them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = [
    "PREFIXES",
    "KnowledgeGraph",
    "Row",
    "Rows",
    "build",
    "corpus_dir",
    "data_dir",
    "evaluate",
    "export_graph",
    "extract",
    "graph_stats",
    "load_graph",
    "project",
    "push_graph",
    "run_query",
    "saved_queries",
    "saved_query",
    "show",
    "viz",
]

# Imported on first use, so `import sco_graph` (and `sco-graph --help`) stay fast:
# loading spaCy and the model takes seconds.
_LAZY = {
    "KnowledgeGraph": "sco_graph.graph.store",
    "Row": "sco_graph.query.results",
    "Rows": "sco_graph.query.results",
    "corpus_dir": "sco_graph.resources",
    "data_dir": "sco_graph.resources",
    "project": "sco_graph.graph.projection",
    "saved_queries": "sco_graph.query.results",
    "saved_query": "sco_graph.query.results",
    "build": "sco_graph.pipeline",
    "evaluate": "sco_graph.evaluate.run",
    "export_graph": "sco_graph.export.formats",
    "extract": "sco_graph.extract.article",
    "graph_stats": "sco_graph.query.stats",
    "load_graph": "sco_graph.graph.store",
    "push_graph": "sco_graph.export.push",
    "run_query": "sco_graph.query.results",
    "show": "sco_graph.query.entity_view",
    "viz": "sco_graph.export.picture",
}
# Public names that differ from their name in the module.
_RENAMED = {"PREFIXES": ("sco_graph.graph.vocab", "ALL_PREFIXES")}

if TYPE_CHECKING:
    from sco_graph.evaluate.run import evaluate
    from sco_graph.export.formats import export_graph
    from sco_graph.export.picture import viz
    from sco_graph.export.push import push_graph
    from sco_graph.extract.article import extract
    from sco_graph.graph.projection import project
    from sco_graph.graph.store import KnowledgeGraph, load_graph
    from sco_graph.graph.vocab import ALL_PREFIXES as PREFIXES
    from sco_graph.pipeline import build
    from sco_graph.query.entity_view import show
    from sco_graph.query.results import Row, Rows, run_query, saved_queries, saved_query
    from sco_graph.query.stats import graph_stats
    from sco_graph.resources import corpus_dir, data_dir


def __getattr__(name: str) -> Any:
    if name in _LAZY or name in _RENAMED:
        import importlib

        module, attribute = _RENAMED.get(name, (_LAZY.get(name, ""), name))
        return getattr(importlib.import_module(module), attribute)
    raise AttributeError(f"module 'sco_graph' has no attribute {name!r}")
