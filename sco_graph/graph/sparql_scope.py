"""What a SPARQL query may reach: the graphs of the dataset it runs on, nothing else.

rdflib evaluates `SERVICE <iri>` by sending the pattern to that endpoint, and
`FROM <iri>` / `FROM NAMED <iri>` naming a graph the dataset does not have by
loading the IRI (over HTTP, or a local file for `file:`). Both are refused
before evaluation, found in the parsed algebra (sub-queries and `FILTER EXISTS`
included), never by a regex on the text. The endpoint (`query/guard.py`) and
`KnowledgeGraph.query` (so `sco-graph query` and `run_query`) share this check.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from rdflib import URIRef
from rdflib.plugins.sparql.algebra import traverse
from rdflib.plugins.sparql.parserutils import CompValue

from sco_graph.errors import QueryRefusedError


def refuse_outside(
    algebra: CompValue, known_graphs: Collection[URIRef], who: str = "sco-graph"
) -> None:
    """Raise `QueryRefusedError` when the query's algebra has a SERVICE, or a FROM /
    FROM NAMED naming a graph not among `known_graphs`; `who` is named as refusing."""
    services = service_iris(algebra)
    if services:
        raise QueryRefusedError(
            f"SERVICE <{services[0]}> is refused: {who} does not query other endpoints"
        )
    # Attribute access, because CompValue.get(key) gives the key itself when it is
    # missing (attributes give None).
    for clause in algebra.datasetClause or ():
        if "default" in clause:
            keyword, iri = "FROM", clause["default"]
        else:
            keyword, iri = "FROM NAMED", clause["named"]
        if iri not in known_graphs:
            raise QueryRefusedError(
                f"{keyword} <{iri}> is not a graph of this dataset; "
                f"{who} does not load graphs from elsewhere"
            )


def service_iris(algebra: CompValue) -> list[str]:
    """The endpoints of every SERVICE clause in the algebra."""
    found: list[str] = []

    def visit(node: Any) -> None:
        if isinstance(node, CompValue) and node.name == "ServiceGraphPattern":
            found.append(str(node["term"]))

    traverse(algebra, visitPre=visit)
    return found
