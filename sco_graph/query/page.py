"""The query page `sco-graph serve` shows people at `/`, and what the page reads.

- `/`: the page (`assets/index.html`): a query editor, the saved queries to
  pick from with their parameters as inputs, a Run button, the results as a
  table, download links;
- `/assets/NAME`: its script and style, from `assets/` in the package: the
  page loads nothing from anywhere else, so it works offline;
- `/queries`: the saved queries (name, title, description, SPARQL,
  parameters) and the predeclared prefixes, as JSON (`saved_queries_document`);
- `/queries/NAME?PARAM=VALUE&...`: the answer to a saved query with its
  parameters bound (rdflib's initBindings, as `sco-graph query --param` binds
  them; the endpoint answers it), so a value typed into the page never
  becomes query text.

Every page answer carries `PAGE_HEADERS`: a Content-Security-Policy that lets
the page run scripts and load styles from this server only (no inline script,
no other origin), fetch from it only, and not be framed by another site.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

from sco_graph.query.saved_queries import list_queries

PAGE_PATH = "/"
QUERIES_PATH = "/queries"
ASSETS_PATH = "/assets/"

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)
"""Scripts, styles and fetches from this server only; no inline code; no framing."""

PAGE_HEADERS: tuple[tuple[str, str], ...] = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("Cache-Control", "no-cache"),
)
"""The headers of every answer the page itself reads (the page, its assets, `/queries`)."""

_PAGE_FILE = "index.html"
_CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
}


@dataclass(frozen=True)
class Asset:
    """One file the page is made of."""

    content_type: str
    body: bytes


def page() -> Asset:
    """The page itself."""
    return _files()[_PAGE_FILE]


def asset(name: str) -> Asset | None:
    """The script, style or icon called `name` (`page.js`), or None when there is none.

    Only the files of `assets/` are served, looked up by exact name, so no
    path can reach anything else.
    """
    return _files().get(name) if name != _PAGE_FILE else None


def is_page_path(path: str) -> bool:
    """Whether `path` is one of the page's (which answer GET only)."""
    return path in (PAGE_PATH, QUERIES_PATH) or path.startswith((f"{QUERIES_PATH}/", ASSETS_PATH))


def saved_queries_document(prefixes: Mapping[str, str]) -> bytes:
    """The saved queries and the predeclared `prefixes`, as the page reads them (JSON).

    >>> doc = json.loads(saved_queries_document({"sco": "https://w3id.org/sco-graph/ontology#"}))
    >>> doc["queries"][0]["name"], doc["queries"][0]["params"][0]["name"]
    ('co-mentions', 'type1')
    """
    queries = [
        {
            "name": query.name,
            "title": query.title,
            "description": query.description,
            "sparql": query.sparql,
            "params": [
                {
                    "name": param.name,
                    "kind": param.kind,
                    "meaning": param.meaning,
                    "required": param.required,
                }
                for param in query.params
            ],
        }
        for query in list_queries()
    ]
    document = {"prefixes": dict(sorted(prefixes.items())), "queries": queries}
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


@cache
def _files() -> dict[str, Asset]:
    folder = resources.files("sco_graph.query") / "assets"
    files = {}
    for item in folder.iterdir():
        suffix = item.name[item.name.rfind(".") :]
        if suffix in _CONTENT_TYPES:
            files[item.name] = Asset(_CONTENT_TYPES[suffix], item.read_bytes())
    return files
