"""The interactive picture: the graph as one self-contained HTML page.

`write_viz` inlines everything the page needs (the data, our script and
style, and the vis-network drawing library from `export/assets/viz/`) into one
file, so it opens from a disk, a mail attachment or an offline laptop and
never asks the network for anything.

The overview draws the `overview` most connected entities (those that share
facts with the most others) and names about thirty of them; the search box
finds every entity, drawn or not. A click on an entity opens its entity view,
the one `sco-graph show` prints (`sco_graph.query.entity_view`), computed here
and embedded in the page.

The data travels as JSON inside `<script type="application/json">`, with
`<`, `>` and `&` escaped so that no label from a press text can end the
script element; the page's code reads it with `JSON.parse` and puts every
text into the page through `textContent`, never as HTML.

The same graph gives the same bytes: the projection is sorted and nothing
here depends on time or chance (the layout's random seed is fixed in the
page's code).
"""

from __future__ import annotations

import html
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

from sco_graph.atomic import atomic_write
from sco_graph.graph.projection import project
from sco_graph.graph.store import KnowledgeGraph, article_iri, load_graph
from sco_graph.query.entity_view import GROUPS, EntityView, every_view
from sco_graph.types import EntityType

DEFAULT_TITLE = "SCO knowledge graph"

ARTICLE = "Article"
"""The type of article nodes (hidden at first when the graph has facts)."""

TYPE_COLOURS: dict[str, str] = {
    EntityType.PERSON.value: "#4e79a7",
    EntityType.COUNTRY.value: "#e15759",
    EntityType.ORGANIZATION.value: "#f28e2b",
    EntityType.DOCUMENT.value: "#59a1a0",
    EntityType.INITIATIVE.value: "#59a14f",
    EntityType.EVENT.value: "#d4a922",
    EntityType.PLACE.value: "#b07aa1",
    ARTICLE: "#9c9590",
}
"""Node colour of each type, in legend order (Tableau 10, told apart by most readers)."""

OTHER_COLOUR = "#c7c7c7"  # a node of no known type (an edge end a hand-edited graph left bare)

OVERVIEW = 300
"""How many entities the overview draws at most, the most connected first; a bigger
graph is drawn in part (the page says so) and its search box still finds every entity."""

MENTIONS = "mentions"  # the predicate of an article -> entity edge

_ALIASES = """
SELECT DISTINCT ?entity ?alias WHERE { ?entity skos:altLabel ?alias }
"""

_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
_SOURCE_MAP = re.compile(r"\n//# sourceMappingURL=\S*\s*$")
_SCRIPT_END = re.compile(r"</script|<!--", re.IGNORECASE)
# Escaped inside JSON strings (the only place they can occur), so the text
# cannot close the <script> element or be read as a line break by old parsers.
_JSON_ESCAPES = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def viz_data(graph: KnowledgeGraph, *, overview: int = OVERVIEW) -> dict[str, Any]:
    """What the page shows, as plain JSON values.

    - `types`: `{"name", "colour", "count"}` for each type that occurs, in
      legend order (entity types, then Article, then any other);
    - `relations`: `{"name", "count"}` (facts) for each relation that occurs,
      in the order of the entity view's groups;
    - `nodes`: `{"id" (IRI), "label", "type", "mentions", "links", "wikidata",
      "aliases", "date", "source", "view"}`, entities and articles; `links`
      counts the other entities it shares a fact with (the overview's ranking);
      `view` is an entity's view (`sco-graph show`): a list of groups
      `{"title", "lines"}`, each line `{"text", "other", "date", "story",
      "article", "sentence"}` (empty for an article or an entity without facts);
    - `edges`: one per fact and one per (article, entity) mention set:
      `{"id", "from", "to", "predicate", "role", "status", "confidence",
      "article", "sentence", "rule", "count"}`; the id of a fact is its IRI.
      Mention edges have the predicate "mentions", no id ("") and no
      sentence (-1);
    - `sentences`: every evidence sentence once, sorted;
    - `overview`: how many entities the overview draws at most.

    Nodes are referred to by their index in `nodes` ("from", "to", "other",
    "article"; -1 when the graph does not describe the article) and sentences by
    their index in `sentences`, so that a big graph makes a page of a
    reasonable size.

    >>> data = viz_data(KnowledgeGraph())
    >>> data["nodes"], data["edges"], data["sentences"], data["overview"]
    ([], [], [], 300)
    """
    projection = project(graph)
    aliases: dict[str, list[str]] = {}
    for entity, alias in graph.query(_ALIASES):
        aliases.setdefault(str(entity), []).append(str(alias))
    articles = {key: str(article_iri(key)) for key in graph.article_keys()}
    views = every_view(graph)

    facts = [
        (source, target, key, edge)
        for source, target, key, edge in projection.edges(keys=True, data=True)
        if edge["predicate"] != MENTIONS
    ]
    neighbours: dict[str, set[str]] = {}
    for source, target, _, _ in facts:
        if source != target:
            neighbours.setdefault(source, set()).add(target)
            neighbours.setdefault(target, set()).add(source)
    sentences = _Sentences(
        [edge["sentence"] for *_, edge in facts]
        + [line.sentence for view in views for group in view.groups for line in group.lines]
    )

    index = {iri: i for i, iri in enumerate(projection.nodes)}
    view_of = {view.iri: view for view in views}
    nodes = []
    for iri, node in projection.nodes(data=True):
        view = view_of.get(iri)
        nodes.append(
            {
                "id": iri,
                "label": node["label"],
                "type": node["type"] or "Other",
                "mentions": node["mentions"],
                "links": len(neighbours.get(iri, ())),
                "wikidata": node["wikidata"],
                "aliases": sorted(aliases.get(iri, [])),
                "date": node["date"],
                "source": node["source"],
                "view": _view(view, index, sentences) if view else [],
            }
        )
    edges = []
    for source, target, key, edge in projection.edges(keys=True, data=True):
        fact = edge["predicate"] != MENTIONS
        edges.append(
            {
                "id": key if fact else "",
                "from": index[source],
                "to": index[target],
                "predicate": edge["predicate"],
                "role": edge["role"],
                "status": edge["status"],
                "confidence": edge["confidence"],
                "article": index.get(articles.get(edge["article"], ""), -1),
                "sentence": sentences.index(edge["sentence"]) if fact else -1,
                "rule": edge["rule"],
                "count": edge["count"],
            }
        )
    return {
        "types": _types(nodes),
        "relations": _relations(facts),
        "nodes": nodes,
        "edges": edges,
        "sentences": sentences.texts,
        "overview": overview,
    }


def viz(
    graph: str | Path | KnowledgeGraph, path: str | Path = "graph.html", *,
    title: str = DEFAULT_TITLE, overview: int = OVERVIEW,
) -> Path:
    """The picture of `graph` (a KnowledgeGraph, a build folder or an RDF file) as
    one HTML page at `path`: `sco-graph viz` and `sco_graph.viz`; return the path.

    >>> sco_graph.viz("build", "graph.html")  # doctest: +SKIP
    PosixPath('graph.html')
    """
    kg = graph if isinstance(graph, KnowledgeGraph) else load_graph(graph)
    return write_viz(kg, path, title=title, overview=overview)


def write_viz(
    graph: KnowledgeGraph, path: str | Path, *, title: str = DEFAULT_TITLE,
    overview: int = OVERVIEW,
) -> Path:
    """Write the graph as one HTML page that needs no network; return the path.
    The overview draws the `overview` most connected entities at most.

    >>> write_viz(load_graph("build"), "graph.html")  # doctest: +SKIP
    PosixPath('graph.html')
    """
    page = render_viz(graph, title=title, overview=overview)
    with atomic_write(path) as handle:
        handle.write(page)
    return Path(path)


def render_viz(
    graph: KnowledgeGraph, *, title: str = DEFAULT_TITLE, overview: int = OVERVIEW
) -> str:
    """The HTML page `write_viz` writes, as text."""
    parts = {
        "title": html.escape(title),
        "css": _resource("viz.css"),
        "data": script_json(viz_data(graph, overview=overview)),
        "library": _inline_script(_SOURCE_MAP.sub("\n", _resource("vis-network.min.js"))),
        "app": _inline_script(_resource("viz.js")),
    }
    # One pass over the template only: a "{{" inside the inlined parts stays as it is.
    return _PLACEHOLDER.sub(lambda match: parts[match.group(1)], _resource("viz.html"))


def script_json(data: Any) -> str:
    r"""`data` as JSON that is safe inside a `<script>` element.

    >>> script_json({"label": "</script>"})
    '{"label":"\\u003c/script\\u003e"}'
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.translate(_JSON_ESCAPES)


class _Sentences:
    """Each evidence sentence once, sorted (the same graph, the same table)."""

    def __init__(self, texts: list[str]) -> None:
        self.texts = sorted(set(texts))
        self._index = {text: i for i, text in enumerate(self.texts)}

    def index(self, text: str) -> int:
        return self._index[text]


def _view(
    view: EntityView, index: dict[str, int], sentences: _Sentences
) -> list[dict[str, Any]]:
    return [
        {
            "title": group.title,
            "lines": [
                {
                    "text": line.text,
                    "other": index.get(line.other, -1),
                    "date": line.date.isoformat() if line.date else "",
                    "story": line.story,
                    "article": index.get(str(article_iri(line.story)), -1),
                    "sentence": sentences.index(line.sentence),
                }
                for line in group.lines
            ],
        }
        for group in view.groups
    ]


def _relations(facts: list[tuple[str, str, str, dict[str, Any]]]) -> list[dict[str, Any]]:
    counts: dict[str, int] = {}
    for *_, edge in facts:
        counts[edge["predicate"]] = counts.get(edge["predicate"], 0) + 1
    order = [p.value for _, predicates in GROUPS for p in predicates]
    present = sorted(counts, key=lambda p: (order.index(p), p) if p in order else (len(order), p))
    return [{"name": p, "count": counts[p]} for p in present]


def _types(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    counts: dict[str, int] = {}
    for node in nodes:
        counts[node["type"]] = counts.get(node["type"], 0) + 1
    order = list(TYPE_COLOURS)
    present = sorted(
        counts, key=lambda t: (order.index(t), t) if t in TYPE_COLOURS else (len(order), t)
    )
    return [
        {"name": t, "colour": TYPE_COLOURS.get(t, OTHER_COLOUR), "count": counts[t]}
        for t in present
    ]


def _resource(name: str) -> str:
    # Not sco_graph.resources: that module finds the data tree; these files ship in the package.
    asset = resources.files("sco_graph.export") / "assets" / "viz" / name
    return asset.read_text(encoding="utf-8")


def _inline_script(code: str) -> str:
    """Code that can sit between <script> and </script> as it is."""
    found = _SCRIPT_END.search(code)
    if found:  # a packaging mistake, not a user's: the page would break
        raise ValueError(f"script cannot be inlined: it contains {found.group(0)!r}")
    return code
