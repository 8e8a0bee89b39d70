"""Text tables, the view every read command prints (CSV and JSON keep values whole)."""

from __future__ import annotations

from rdflib import URIRef

from sco_graph.graph.vocab import ALL_PREFIXES, PREFIXES, shorten

MAX_CELL = 70
"""Widest cell of a text table; longer values end in "…" (csv and json keep them whole)."""


def fit_cell(text: str) -> str:
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def show_term(value: object, instances: bool = True) -> str:
    """A term as a table shows it: an IRI shortened with ALL_PREFIXES (`person:xi-jinping`),
    so it can be typed back into a query; with `instances=False` only the vocabularies'
    IRIs are shortened (CSV keeps our own IRIs whole: they are keys a script joins on).

    >>> show_term(URIRef("https://w3id.org/sco-graph/person/xi-jinping"))
    'person:xi-jinping'
    """
    if value is None:
        return ""
    if isinstance(value, URIRef):
        return shorten(value, ALL_PREFIXES if instances else PREFIXES)
    return str(value)


def text_table(names: list[str], rows: list[list[str]]) -> str:
    cells = [[fit_cell(c.replace("\n", " ")) for c in row] for row in rows]
    widths = [max([len(n), *(len(r[i]) for r in cells)]) for i, n in enumerate(names)]
    line = "  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True))
    rule = "  ".join("-" * w for w in widths)
    body = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    return "\n".join([line.rstrip(), rule, *body]) + "\n" + f"({len(rows)} rows)\n"
