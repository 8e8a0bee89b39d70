"""What the graph says about one entity: `sco-graph show GRAPH NAME`, `sco_graph.show`.

    view = show(graph, "Tokayev")
    view.label, view.type          # 'Kassym-Jomart Tokayev', 'Person'
    for group in view.groups:      # Posts, Memberships, Meetings, Proposed, ...
        for line in group.lines:   # line.text, line.date, line.story, line.sentence
            ...
    print(format_view(view))       # what `sco-graph show` prints

Every fact the entity is one end of, read from the graph with one SPARQL query
(the entity bound as a parameter, never pasted into the text), grouped by what
it says: posts, memberships and statuses, meetings, what it proposed,
supported or adopted (or was proposed, supported, adopted by), events it
attended (or who attended it), places (held in, part of). Each line carries the
article's date, the story (article key) and the evidence sentence.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from rdflib import URIRef

from sco_graph.errors import EntityError
from sco_graph.graph.store import EntityDetails, KnowledgeGraph, load_graph
from sco_graph.graph.vocab import predicate_of
from sco_graph.query.results import Rows, run_query
from sco_graph.query.tables import show_term
from sco_graph.types import Predicate

__all__ = [
    "EntityView", "ViewGroup", "ViewLine", "every_view", "format_view", "show", "view_json",
]


@dataclass(frozen=True, slots=True)
class ViewLine:
    """One fact about the entity, as a line of its view."""

    relation: str  # the predicate's name: "holdsPosition", "met", ...
    inverse: bool  # True when the entity is the fact's object ("adopted by")
    text: str  # "President of Kazakhstan", "proposed by Kazakhstan"
    other: str  # IRI of the other end
    other_label: str
    detail: str | None  # the role of a post, the status of a membership
    start: dt.date | None  # a post's period, where the text gives it
    end: dt.date | None
    date: dt.date | None  # the article's date
    story: str  # the article key, "001_a.txt#0"
    sentence: str  # the evidence sentence


@dataclass(frozen=True, slots=True)
class ViewGroup:
    title: str  # "Posts", "Meetings", ...
    lines: tuple[ViewLine, ...]


@dataclass(frozen=True, slots=True)
class EntityView:
    """Everything the graph says about one entity, grouped (empty groups left out)."""

    iri: str
    label: str
    type: str
    wikidata: str | None
    groups: tuple[ViewGroup, ...]

    def __str__(self) -> str:
        """The view as `sco-graph show` prints it."""
        return format_view(self)


# The groups in the order they are shown, and the relations each gathers.
GROUPS: tuple[tuple[str, tuple[Predicate, ...]], ...] = (
    ("Posts", (Predicate.HOLDS_POSITION,)),
    ("Memberships", (Predicate.MEMBER_OF, Predicate.CHAIRS)),
    ("Meetings", (Predicate.MET,)),
    ("Proposed", (Predicate.PROPOSED,)),
    ("Supported", (Predicate.SUPPORTS,)),
    ("Adopted", (Predicate.ADOPTED,)),
    ("Events attended", (Predicate.PARTICIPATED_IN,)),
    ("Places", (Predicate.HELD_IN, Predicate.PART_OF)),
)

# How a line reads, from the entity's side: (as subject, as object).
_PHRASES = {
    Predicate.HOLDS_POSITION: ("{role} of {other}", "{other}: {role}"),
    Predicate.MEMBER_OF: ("member of {other}", "has member {other}"),
    Predicate.CHAIRS: ("chairs {other}", "chaired by {other}"),
    Predicate.MET: ("met {other}", "met {other}"),
    Predicate.PROPOSED: ("proposed {other}", "proposed by {other}"),
    Predicate.SUPPORTS: ("supports {other}", "supported by {other}"),
    Predicate.ADOPTED: ("adopted {other}", "adopted by {other}"),
    Predicate.PARTICIPATED_IN: ("attended {other}", "attended by {other}"),
    Predicate.HELD_IN: ("held in {other}", "place of {other}"),
    Predicate.PART_OF: ("part of {other}", "has part {other}"),
}

_COLUMNS = "?predicate ?inverse ?other ?otherLabel ?role ?status ?start ?end ?date ?story ?sentence"
_FACTS = """
WHERE {
  { ?fact rdf:subject ?entity ; rdf:object ?other . BIND (false AS ?inverse) }
  UNION
  { ?fact rdf:object ?entity ; rdf:subject ?other . BIND (true AS ?inverse) }
  ?fact a sco:Fact ;
        rdf:predicate ?predicate ;
        sco:sentence ?sentence ;
        prov:wasDerivedFrom ?article .
  ?article sco:articleKey ?story .
  OPTIONAL { ?article dcterms:date ?date }
  OPTIONAL { ?other rdfs:label ?otherLabel }
  OPTIONAL { ?fact sco:role ?role }
  OPTIONAL { ?fact sco:status ?status }
  OPTIONAL { ?post a org:Membership ; prov:wasDerivedFrom ?fact .
             OPTIONAL { ?post sco:startDate ?start }
             OPTIONAL { ?post sco:endDate ?end } }
}
"""
FACTS_OF_ENTITY = f"SELECT {_COLUMNS}{_FACTS}"
"""Every fact `?entity` (a parameter) is one end of, seen from its side."""
FACTS_OF_EVERY_ENTITY = f"SELECT ?entity {_COLUMNS}{_FACTS}"
"""The same for every entity at once (the picture's side panel)."""

MAX_SENTENCE = 94
"""Longest evidence sentence of the text view (a line of 100 columns); JSON keeps them whole."""


def show(graph: str | Path | KnowledgeGraph, name: str) -> EntityView:
    """Everything `graph` says about the one entity `name` names (a label, an alias,
    or its IRI: full, `person:xi-jinping`); an `EntityError` listing the candidates
    when it names none or several."""
    kg = graph if isinstance(graph, KnowledgeGraph) else load_graph(graph)
    entity = _the_entity(kg, name)
    rows = run_query(kg, FACTS_OF_ENTITY, entity=entity.iri)
    assert isinstance(rows, Rows)
    return _view(entity, rows)


def every_view(graph: KnowledgeGraph) -> list[EntityView]:
    """The view of every entity, in the order of `graph.entities()`; one query for
    them all (the picture embeds them, so that its side panel works offline)."""
    rows = run_query(graph, FACTS_OF_EVERY_ENTITY)
    assert isinstance(rows, Rows)
    by_entity: dict[str, list[Any]] = {}
    for row in rows:
        by_entity.setdefault(str(row.entity), []).append(row)
    return [_view(entity, by_entity.get(entity.iri, [])) for entity in graph.entities()]


def _view(entity: EntityDetails, rows: Iterable[Any]) -> EntityView:
    lines: dict[Predicate, list[ViewLine]] = {}
    for row in rows:
        predicate = predicate_of(URIRef(row.predicate))
        if predicate is not None:
            lines.setdefault(predicate, []).append(_line(predicate, row))
    groups = []
    for title, predicates in GROUPS:
        found = sorted((line for p in predicates for line in lines.get(p, [])), key=_order)
        if found:
            groups.append(ViewGroup(title, tuple(found)))
    return EntityView(entity.iri, entity.label, entity.type, entity.wikidata, tuple(groups))


def format_view(view: EntityView) -> str:
    """The view as `sco-graph show` prints it: a heading, then each group with its
    lines (date, story, what it says), each with its evidence sentence below it (cut
    to MAX_SENTENCE; once for lines in a row read from the same sentence)."""
    heading = f"{view.label} ({view.type}, {_short(view.iri)}"
    heading += f", Wikidata {view.wikidata})" if view.wikidata else ")"
    out = [heading]
    if not view.groups:
        out.append("  no facts state anything about it")
    for group in view.groups:
        out += ["", f"{group.title} ({len(group.lines)})"]
        for index, line in enumerate(group.lines):
            date = line.date.isoformat() if line.date else "no date".ljust(10)
            out.append(f"  {date}  {line.story}  {line.text}")
            following = group.lines[index + 1] if index + 1 < len(group.lines) else None
            # lines read from one sentence share it, printed once below the last of them
            if following is None or (following.story, following.sentence) != (
                line.story, line.sentence
            ):
                out.append(f"      {_cut(line.sentence)}")
    return "\n".join(out) + "\n"


def _cut(sentence: str) -> str:
    return sentence if len(sentence) <= MAX_SENTENCE else sentence[: MAX_SENTENCE - 1] + "…"


def view_json(view: EntityView) -> str:
    """The view as JSON (`sco-graph show --format json`): dates as YYYY-MM-DD."""
    return json.dumps(asdict(view), default=_json_value, ensure_ascii=False, indent=2) + "\n"


def _the_entity(graph: KnowledgeGraph, name: str) -> EntityDetails:
    found = graph.entities(name)
    if len(found) == 1:
        return found[0]
    if found:
        raise EntityError(name, f"names {len(found)} entities: {_listed(found)}; "
                                f"give one of these IRIs instead")
    key = name.strip().casefold()
    near = [d for d in graph.entities()
            if any(key in n.casefold() for n, _ in d.names) or key in d.iri.casefold()]
    if near:
        raise EntityError(name, f"no entity has this name; did you mean {_listed(near)}?")
    raise EntityError(name, "no entity has this name; `sco-graph entities GRAPH` lists them")


def _listed(details: list[EntityDetails], most: int = 8) -> str:
    shown = [f"{d.label} ({d.type}, {_short(d.iri)})" for d in details[:most]]
    if len(details) > most:
        shown.append(f"and {len(details) - most} more")
    return "; ".join(shown)


def _line(predicate: Predicate, row: Any) -> ViewLine:
    other = row.otherLabel or _short(row.other)
    detail = row.role if predicate == Predicate.HOLDS_POSITION else row.status
    phrase = _PHRASES[predicate][1 if row.inverse else 0]
    if predicate == Predicate.HOLDS_POSITION:
        text = phrase.format(role=row.role or "post", other=other)
    else:
        # "member of X" says the status "member"; any other status is shown
        shown = row.status if row.status and row.status != "member" else None
        text = phrase.format(other=other) + (f" ({shown})" if shown else "")
    if row.start or row.end:
        first = row.start.isoformat() if row.start else "…"
        last = row.end.isoformat() if row.end else "…"
        text += f", {first} to {last}"
    return ViewLine(
        relation=predicate.value, inverse=bool(row.inverse), text=text, other=row.other,
        other_label=row.otherLabel or "", detail=detail, start=row.start, end=row.end,
        date=row.date, story=row.story, sentence=row.sentence,
    )


def _order(line: ViewLine) -> tuple[Any, ...]:
    # by date (undated last), then story, then what it says
    return (line.date is None, line.date or dt.date.min, line.story, line.text, line.sentence)


def _short(iri: str) -> str:
    return show_term(URIRef(iri))


def _json_value(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")
