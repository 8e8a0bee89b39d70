"""Text tables, the view every read command prints (CSV and JSON keep values whole)."""

from __future__ import annotations

from rdflib import URIRef

from sco_graph.graph.vocab import INSTANCE_PREFIXES, PREFIXES

MAX_CELL = 70
"""Widest cell of a text table; longer values end in "…" (csv and json keep them whole)."""


def fit_cell(text: str) -> str:
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def show_term(value: object, instances: bool = True) -> str:
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


def text_table(names: list[str], rows: list[list[str]]) -> str:
    cells = [[fit_cell(c.replace("\n", " ")) for c in row] for row in rows]
    widths = [max([len(n), *(len(r[i]) for r in cells)]) for i, n in enumerate(names)]
    line = "  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True))
    rule = "  ".join("-" * w for w in widths)
    body = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    return "\n".join([line.rstrip(), rule, *body]) + "\n" + f"({len(rows)} rows)\n"
