"""The knowledge graph: the one module through which the graph is built and read.

A `KnowledgeGraph` is an Oxigraph store (pyoxigraph: in memory, or on disk
in a build folder's graph.oxigraph/), written in Oxigraph's own terms and read
through rdflib's API where that serves (oxrdflib), laid out as
sco_graph/ontologies/sco.ttl describes:

- one named graph per article, named by the article's IRI, holding everything
  read from it: the article node, one `sco:MentionSet` per entity it mentions
  (with a `sco:FormCount` per surface form it uses), one `sco:Fact` (with its
  evidence) per relation read, one `org:Membership` per post and one
  `sco:TimeExpression` per time phrase: only nodes of its own, so no triple is
  in two article graphs. Re-adding an article replaces
  its graph; removing it drops the graph; `reassign` rewrites it with other
  entity IRIs (what cross-document resolution decides, sco_graph.resolve.identity).
- one shared graph, `ENTITIES_GRAPH`, with one description per entity (type,
  label, altLabels, form counts, owl:sameAs, mention count, a document's
  validity, an event's date, and the relation triples it is the subject of,
  each once) and the labels of roles. Queries see the union of all graphs,
  which Oxigraph does not deduplicate: stating each triple in one graph only
  keeps that union a set. It is a function of
  the article graphs alone, recomputed for the entities an article touches,
  so the result does not depend on the order articles arrive.

An article's graph is written from one plain record and can be read back
into the same record, so a saved graph can be resolved and rewritten without
its texts (`entity_summaries`, `reassign`).

Nothing outside this module touches the store, so it can change without
touching callers. Writes wait in memory and go to the store in large batches
(its bulk loader while the store is new); entity descriptions are made from
tallies of what was written, not read back. Serialisations are canonical
(graphs in IRI order, each sorted; no blank nodes minted here), so building
the same graph twice, in any order, gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import io
import json
import queue
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO

import pyoxigraph as ox
from oxrdflib.store import OxigraphStore
from rdflib import BNode, ConjunctiveGraph, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import NamespaceManager
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.query import Result
from rdflib.term import Node, Variable

from sco_graph.atomic import write_bytes
from sco_graph.errors import GraphFormatError, QueryError, UnwritableTermError
from sco_graph.graph.iri import BASE, mint, slug
from sco_graph.graph.sidecar import Sidecar
from sco_graph.graph.sparql_scope import refuse_outside
from sco_graph.graph.summary_index import SummaryIndex
from sco_graph.graph.tallies import Tally, TallyIndex
from sco_graph.graph.vocab import (
    ALL_PREFIXES,
    DCTERMS,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SCO,
    SKOS,
    WD,
    XSD,
    class_of,
    predicate_of,
    property_of,
    type_of,
)
from sco_graph.names import normalise
from sco_graph.resources import ontology_file
from sco_graph.types import ArticleExtraction, Entity, EntitySummary, EntityType, Predicate

ENTITIES_GRAPH = mint("graph", "entities")
"""Name of the shared graph of entity and role descriptions."""

CANONICAL_FILE = "graph.trig"
"""The build folder's graph as one file: every named graph, in TriG."""

STORE_FOLDER = "graph.oxigraph"
"""The build folder's store (Oxigraph, on disk): what every command opens."""

RDF_FORMATS: dict[str, str] = {
    "ttl": "turtle",
    "nt": "nt",
    "jsonld": "json-ld",
    "trig": "trig",
    "nq": "nquads",
}
"""Our RDF format names -> rdflib's. trig and nq keep the named graphs."""

_EXTENSIONS: dict[str, str] = {
    ".ttl": "ttl",
    ".turtle": "ttl",
    ".nt": "nt",
    ".jsonld": "jsonld",
    ".json": "jsonld",
    ".trig": "trig",
    ".nq": "nq",
}
# Looked for in this order in a build folder: named graphs first.
_FOLDER_FILES = ("graph.trig", "graph.nq", "graph.ttl", "graph.nt", "graph.jsonld")
_QUAD_FORMATS = frozenset({"trig", "nq"})
_OX_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "trig": ox.RdfFormat.TRIG,
    "nq": ox.RdfFormat.N_QUADS,
}
_WRITE_BATCH = 100_000  # quads kept in memory before they go to the store at once
_WIKIDATA_ID = re.compile(r"^Q[1-9][0-9]*$")
_TYPE_ORDER = {t: i for i, t in enumerate(EntityType)}

PeriodOf = Callable[[str], tuple[dt.date | None, dt.date | None] | None]
"""Reads the period a name states (a document's "for 2024-2029"), or None."""


def entity_iri(entity: Entity) -> URIRef:
    """The IRI an entity gets when no resolution says otherwise: its type and name.

    >>> from sco_graph.types import Entity, EntityType
    >>> str(entity_iri(Entity("kz", EntityType.COUNTRY, "Kazakhstan")))
    'https://w3id.org/sco-graph/country/kazakhstan'
    """
    return mint(entity.type.value.lower(), entity.name)


def summaries_of(
    extraction: ArticleExtraction, iris: Mapping[str, URIRef] | None = None
) -> list[EntitySummary]:
    """What resolution reads of an extraction given these IRIs: exactly what
    `KnowledgeGraph.entity_summaries` reads back once it is added with them."""
    record = _record_of(extraction, _identities(extraction, iris))
    return _summaries(record.key, record.date, record.namings, record.times)


def article_iri(key: str) -> URIRef:
    """The IRI of an article (and of its named graph), from `Article.key`."""
    return mint("article", key)


def role_iri(role: str) -> URIRef:
    """The IRI of the org:Role of a post named `role`."""
    return mint("role", role)


@dataclass(frozen=True, slots=True)
class Summary:
    """Counts for a build summary."""

    articles: int
    entities: dict[str, int]  # by type name, every type present, in EntityType order
    facts: int
    triples: int  # distinct triples of the flattened graph


@dataclass(frozen=True, slots=True)
class EntityCount:
    """An entity and how often the corpus mentions it."""

    iri: str
    label: str
    type: str
    mentions: int


@dataclass(frozen=True, slots=True)
class EntityDetails:
    """Everything the graph says about who an entity is, for `sco-graph entities`."""

    iri: str
    label: str
    type: str  # the entity type's name, "" when untyped
    wikidata: str | None  # "Q232"
    mentions: int
    start: dt.date | None  # a document's validity, an event's date
    end: dt.date | None
    names: tuple[tuple[str, int], ...]  # the label and every alias, with the mentions using it
    articles: tuple[tuple[str, int], ...]  # key of each article naming it, with its mentions


@dataclass(frozen=True, slots=True)
class Violation:
    """One SHACL result: which node, which property, what is wrong."""

    focus: str
    path: str  # "" for a node-level constraint
    message: str
    shape: str  # IRI of the shape or SPARQL constraint violated, "" when anonymous


class KnowledgeGraph:
    """The corpus graph: articles added and removed one at a time, read by SPARQL."""

    def __init__(
        self, location: str | Path | None = None, *, document_period: PeriodOf | None = None,
        read_only: bool = False,
    ) -> None:
        """An Oxigraph store: in memory, or on disk in the folder `location` (created
        when missing; `read_only` opens an existing one for reading, so that several
        readers can share it). `document_period` reads a document's validity period
        from one of its names (the extract stage's `document_period`): the store
        applies it to the names an entity has across articles, and states no period
        without it."""
        # A saved summary index is read before the store is opened (opening it to write
        # may change its files, which the index checks it was written with).
        on_disk = location is not None and Path(location).is_dir()
        saved = SummaryIndex.read(Path(location)) if on_disk else SummaryIndex.unknown()
        saved_tallies = TallyIndex.read(Path(location)) if on_disk else TallyIndex.unknown()
        if location is None:
            self._ox = ox.Store()
        elif read_only:
            try:
                self._ox = ox.Store.read_only(str(location))
            except OSError as error:
                raise GraphFormatError(f"{location}: the graph store cannot be opened "
                                       f"({_one_line(error)})") from None
        else:
            self._ox = ox.Store(str(location))
        self.location = Path(location) if location is not None else None
        self._read_only = read_only
        self._ds = _new_dataset(self._ox)
        self._document_period = document_period
        # Entities and roles whose description is stale; recomputed on the next read.
        self._dirty_entities: set[URIRef] = set()
        self._dirty_roles: set[URIRef] = set()
        # What the articles written since the last refresh say of each entity, so that
        # a description is made from memory, not read back (see `_refresh`).
        self._tallies: dict[URIRef, Tally] = {}
        # What the stored articles dropped since the last refresh said of each entity.
        self._dropped: dict[URIRef, Tally] = {}
        self._written: set[URIRef] = set()
        self._pending: list[Any] = []  # quads not yet in the store (see `_flush`)
        self._unchecked = False  # True once statements came in unchecked (`check_writable`)
        # A store that starts empty is filled by Oxigraph's bulk loader: several times
        # faster, and nobody reads it before the build is done.
        self._bulk = not read_only and not any(True for _ in self._ox.named_graphs())
        # What resolution reads of each article, kept as articles come and go (see
        # summary_index): a new store's starts empty, a saved one's is read back.
        # A saved index is checked against the store's articles when first used; a
        # writable store's file goes until `close` writes it again, so that a process
        # that dies with the store changed leaves no index that would not match it.
        new = self.location is None or self._bulk
        self._index = SummaryIndex.empty() if new else saved
        self._index_trusted: bool | None = True if new else None
        # Every entity's tally as of the last refresh (see tallies): kept like the index.
        self._saved_tallies = TallyIndex.empty() if new else saved_tallies
        if not new and not read_only:
            SummaryIndex.unknown().write(self.location)
            TallyIndex.unknown().write(self.location)

    # -- building ---------------------------------------------------------

    def add_article(
        self, extraction: ArticleExtraction, iris: Mapping[str, URIRef] | None = None
    ) -> URIRef:
        """Add (or replace) one article's named graph; return the article IRI.

        `iris` maps each entity key of the extraction to its corpus-wide IRI
        (the resolver's answer); it must cover every entity. Without it, each
        entity gets `entity_iri(entity)`: its type and normalised name.
        """
        identities = _identities(extraction, iris)
        return self._write(_record_of(extraction, identities))

    def reassign(self, key: str, iris: Mapping[URIRef, URIRef]) -> bool:
        """Give the entities of one article new IRIs (`iris`: old -> new, others kept).

        The article's graph is rewritten as if it had been added with the new
        IRIs (mention sets, facts, posts and time expressions follow). False
        when the article is not there or nothing changes.
        """
        self._flush()
        record = _read_record(self._ds.get_context(article_iri(key)), article_iri(key))
        if record is None:
            return False
        renamed = _renamed(record, iris)
        if renamed == record:
            return False
        self._write(renamed)
        return True

    def _write(self, record: _ArticleRecord) -> URIRef:
        iri = article_iri(record.key)
        try:
            triples = _record_triples(record)
            graph = _ox_term(iri)
            quads = [ox.Quad(_ox_term(s), _ox_term(p), _ox_term(o), graph) for s, p, o in triples]
        except UnwritableTermError as error:
            raise UnwritableTermError(f"story {record.key}: {error}; nothing written") from None
        except ValueError:  # Oxigraph refuses an IRI that is not one
            bad = next(t for triple in _record_triples(record) for t in triple
                       if isinstance(t, URIRef) and _unwritable(t) is not None)
            raise UnwritableTermError(f"story {record.key}: invalid IRI {_escaped(bad)}: "
                                      "no writer can write it; nothing written") from None
        self._drop(iri)
        self._pending.extend(quads)
        if len(self._pending) >= _WRITE_BATCH:
            self._flush()
        self._written.add(iri)
        namings = sorted(record.namings, key=lambda n: str(n.entity))  # as read back
        self._index.put(record.key, _summaries(record.key, record.date, namings, record.times))
        for naming in record.namings:
            self._dirty_entities.add(naming.entity)
            self._tallies.setdefault(naming.entity, Tally()).add(naming)
        for fact in record.facts:  # a fact's subject is one of the article's entities
            self._tallies.setdefault(fact.subject, Tally()).facts[
                (property_of(fact.predicate), fact.object)] += 1
        for time in record.times:
            for entity in time.dates:
                self._tallies.setdefault(entity, Tally()).dates[(record.key, time.start,
                                                                  time.end)] = (
                    time.first_day, time.last_day, time.confidence)
        self._dirty_roles.update(_rdf_term(o) for _, p, o in triples if p == _OX_ORG_role)
        return iri

    def _flush(self) -> None:
        """Write the quads waiting in memory, in one go (many articles' worth at a time
        is what makes writing to Oxigraph fast)."""
        if self._pending:
            self._add_quads(self._pending)
            self._pending = []

    def _add_quads(self, quads: Iterable[Any]) -> None:
        """Add quads to the store: a new store through the bulk loader. A transaction
        (`extend`) keeps RocksDB's write buffers for the life of the store, about 0.7 MB
        per 1,000 quads written; the bulk loader writes files and holds ~150 MB."""
        if self._bulk:
            self._ox.bulk_extend(quads)
        else:
            self._ox.extend(quads)

    def remove_article(self, key: str) -> bool:
        """Drop an article and everything read from it; False when it was not there."""
        self._flush()
        iri = article_iri(key)
        present = (iri, RDF.type, SCO.Article) in self._ds.get_context(iri)
        self._drop(iri)
        self._index.drop(key)
        return present

    def article_keys(self) -> list[str]:
        """Keys (`source#index`) of the articles in the graph, sorted."""
        self._flush()
        return sorted({str(key) for key in self._ds.objects(None, SCO.articleKey)})

    def entity_summaries(self, keys: Iterable[str] | None = None) -> Iterator[EntitySummary]:
        """How each article (of `keys`, default all) names each entity (one per mention
        set), article by article: what cross-document resolution reads of a saved graph."""
        self._flush()
        wanted = sorted(keys) if keys is not None else self.article_keys()
        if self._indexed():
            for key in wanted:
                if key in self._index:
                    yield from self._index.summaries(key)
            return
        for key in wanted:
            graph = self._ds.get_context(article_iri(key))
            date = _day(graph.value(article_iri(key), DCTERMS.date))
            yield from _summaries(key, date, _read_namings(graph), _read_times(graph))

    def _indexed(self) -> bool:
        """Can the summary index stand for the store's graphs? Once per opening, its
        articles are checked against the store's; after that it follows every write."""
        if not self._index.known:
            return False
        if self._index_trusted is None:
            self._index_trusted = self._index.keys() == set(self.article_keys())
        return self._index_trusted

    def rebuild_entities(self) -> None:
        """Recompute the whole entities graph from the article graphs."""
        self._ox.remove_graph(_ox_term(ENTITIES_GRAPH))
        self._tallies.clear()
        self._dropped.clear()
        self._saved_tallies = TallyIndex.empty()  # every entity is described afresh
        self._dirty_entities = {
            e for e in self._ds.objects(None, SCO.entity) if isinstance(e, URIRef)
        }
        self._dirty_roles = {r for r in self._ds.objects(None, ORG.role) if isinstance(r, URIRef)}
        self._refresh()

    def _drop(self, graph_iri: URIRef) -> None:
        """Remove a named graph, marking what it described for recomputation."""
        name = _ox_term(graph_iri)
        if graph_iri in self._written:
            self._flush()
        elif not self._ox.contains_named_graph(name):
            return
        entities = {_rdf_term(q.object) for q in self._ox.quads_for_pattern(
            None, _ox_term(SCO.entity), None, name)}
        if graph_iri in self._written:  # its tallies would count it twice: read back instead
            for entity in entities:
                self._tallies.pop(entity, None)
        elif self._saved_tallies.known:  # a saved story: what it said comes off its tallies
            for entity, tally in _article_tallies(self._ds.get_context(graph_iri),
                                                  graph_iri).items():
                self._dropped[entity] = self._dropped.get(entity, Tally()).combined(tally)
        self._dirty_entities.update(e for e in entities if isinstance(e, URIRef))
        self._dirty_roles.update(
            r for q in self._ox.quads_for_pattern(None, _ox_term(ORG.role), None, name)
            if isinstance(r := _rdf_term(q.object), URIRef)
        )
        self._ox.remove_graph(name)

    def _refresh(self) -> None:
        """Bring the entities graph up to date with the article graphs.

        An entity's description is made from the tallies of the articles written
        since the last refresh when they are all its mention sets (always, in a
        build from scratch), else from every mention set of it in the store."""
        self._flush()
        if not self._dirty_entities and not self._dirty_roles:
            return
        shared = _ox_term(ENTITIES_GRAPH)
        for node in sorted(self._dirty_entities | self._dirty_roles):
            old = list(self._ox.quads_for_pattern(_ox_term(node), None, None, shared))
            for quad in old:
                if quad.predicate == _ox_term(SCO.formCount):
                    for inner in list(self._ox.quads_for_pattern(quad.object, None, None,
                                                                 shared)):
                        self._ox.remove(inner)
                self._ox.remove(quad)
        triples: list[tuple[Node, Node, Node]] = []
        for entity in sorted(self._dirty_entities):
            tally = self._current_tally(entity)
            self._saved_tallies.put(entity, tally)
            triples.extend(self._description(entity, tally))
        for role in sorted(self._dirty_roles):
            triples.extend(self._describe_role(role))
        self._add_quads(ox.Quad(_ox_term(s), _ox_term(p), _ox_term(o), shared)
                        for s, p, o in triples)
        self._dirty_entities.clear()
        self._dirty_roles.clear()
        self._tallies.clear()
        self._dropped.clear()
        self._written.clear()

    def _current_tally(self, entity: URIRef) -> Tally:
        """The entity's tally over every article in the store: from the articles written
        since the last refresh when they are all its mention sets (a build), else its
        saved tally with those added and the dropped stories' taken off (an update),
        else read from every mention set of it in the store. A tally is used only when
        its counts of mention sets, facts and dates are the store's."""
        fresh = self._tallies.get(entity)
        stored = self._stored_counts(entity)
        if fresh is not None and _counts(fresh) == stored:
            return fresh
        saved = self._saved_tallies.get(entity)
        if saved is not None:
            combined = saved.combined(fresh, self._dropped.get(entity))
            if _counts(combined) == stored:
                return combined
        return self._stored_tally(entity)

    def _stored_counts(self, entity: URIRef) -> tuple[int, int, int]:
        """How many mention sets, facts (as subject) and dating time expressions of the
        entity the store holds."""
        node = _ox_term(entity)
        return tuple(sum(1 for _ in self._ox.quads_for_pattern(None, _ox_term(p), node, None))
                     for p in (SCO.entity, RDF.subject, SCO.dateOf))  # type: ignore[return-value]

    def _stored_tally(self, entity: URIRef) -> Tally:
        """What every article's mention set of the entity says of it, read from the store."""
        tally = Tally()
        view = _StoreView(self._ox)
        for mention_set in set(view.subjects(SCO.entity, entity)):
            tally.add(_naming_at(view, mention_set))
        for fact in set(view.subjects(RDF.subject, entity)):
            prop, obj = view.value(fact, RDF.predicate), view.value(fact, RDF.object)
            if isinstance(prop, URIRef) and obj is not None:
                tally.facts[(prop, obj)] += 1
        for quad in self._ox.quads_for_pattern(None, _ox_term(SCO.dateOf), _ox_term(entity),
                                               None):
            time, article = _rdf_term(quad.subject), _rdf_term(quad.graph_name)
            # Keyed as a build keys it, so that a saved tally can lose a dropped story's.
            key = (str(view.value(article, SCO.articleKey)),
                   _integer(view.value(time, SCO.phraseStart)),
                   _integer(view.value(time, SCO.phraseEnd)))
            tally.dates[key] = (
                _day(view.value(time, SCO.startDate)), _day(view.value(time, SCO.endDate)),
                _float(view.value(time, SCO.confidence)))
        return tally

    def _description(self, entity: URIRef, tally: Tally) -> list[tuple[Node, Node, Node]]:
        """The entity's one description, from every article's mention set of it."""
        if not tally.mention_sets:
            return []
        names, name_mentions, forms = tally.names, tally.name_mentions, tally.forms
        types, type_mentions, items = tally.types, tally.type_mentions, tally.items
        uses, use_articles = tally.uses, tally.use_articles
        # The rules are spelled out in sco.ttl (sco:name, sco:entityType).
        label = _label(entity, names, name_mentions)
        triples: list[tuple[Node, Node, Node]] = [
            (entity, RDFS.label, Literal(label)),
            (entity, SCO.mentionCount, Literal(tally.total, datatype=XSD.integer)),
        ]
        best = None
        if types:
            best = min(types, key=lambda t: (-types[t], -type_mentions[t], _TYPE_ORDER[t]))
            triples.append((entity, RDF.type, class_of(best)))
        if items:
            item = min(items, key=lambda i: (-items[i], i))
            triples.append((entity, OWL.sameAs, WD[item]))
        for alias in sorted((set(forms) | set(names)) - {label}):
            triples.append((entity, SKOS.altLabel, Literal(alias)))
        # What the articles state of it as a subject, once whatever their number.
        triples += [(entity, prop, obj) for prop, obj in sorted(tally.facts)]
        for text in sorted(uses):
            node = mint("name", f"{_local_part(entity)} {_digest([text])}")
            triples += [
                (entity, SCO.formCount, node),
                (node, RDF.type, SCO.FormCount),
                (node, SCO.form, Literal(text)),
                (node, SCO.mentionCount, Literal(uses[text], datatype=XSD.integer)),
                (node, SCO.articleCount, Literal(use_articles[text], datatype=XSD.integer)),
            ]
        period = None
        if best is EntityType.DOCUMENT:
            ordered = sorted(names, key=lambda n: (-names[n], -name_mentions[n], -len(n), n))
            if self._document_period is not None:
                period = next(
                    (p for n in [label, *ordered, *sorted(forms)]
                     if (p := self._document_period(n)) is not None),
                    None,
                )
        elif best is EntityType.EVENT:
            period = event_date(tally.dates.values())
        if period is not None:
            first, last = period
            if first is not None:
                triples.append((entity, SCO.startDate, _date(first)))
            if last is not None:
                triples.append((entity, SCO.endDate, _date(last)))
        return triples

    def _describe_role(self, role: URIRef) -> list[tuple[Node, Node, Node]]:
        """A role's one label: the spelling most facts of its posts use."""
        spellings: Counter[str] = Counter()
        view = _StoreView(self._ox)
        for post in set(view.subjects(ORG.role, role)):
            for fact in set(view.objects(post, PROV.wasDerivedFrom)):
                spellings.update({str(r) for r in view.objects(fact, SCO.role)})
        if not spellings:
            return []
        label = min(spellings, key=lambda s: (-spellings[s], s))
        return [(role, RDF.type, ORG.Role), (role, RDFS.label, Literal(label))]

    # -- reading ----------------------------------------------------------

    def query(self, sparql: str, bindings: Mapping[str, Any] | None = None) -> Result:
        """Run SPARQL over the union of all graphs (Oxigraph's engine); the prefixes of
        ALL_PREFIXES (`sco:`, `person:`, `rdfs:`, ...) are pre-declared.

        `bindings` give variables a value before the query runs: pass a `URIRef`
        for an IRI, any other value becomes a literal. The value replaces the
        variable everywhere in the query, sub-queries and FILTERs included
        (Oxigraph's substitutions), never as pasted text. A SELECT must project
        a bound variable for that; a variable it does not project is bound by a
        VALUES clause joined to the whole query, which a FILTER does not see.
        """
        self._refresh()
        self._check_query(sparql)
        return self.evaluate(sparql, bindings)

    def plain_rows(self, sparql: str) -> list[dict[str, Any]]:
        """The rows of a SELECT as plain Python values, for readers that want values, not
        RDF terms: an IRI or a literal's lexical form as `str`, an integer, decimal or
        double literal as a number, None where unbound. Rows come in a fixed order (by
        the N-Triples form of their terms), the same on every store. Skipping rdflib's
        terms makes reading many rows several times faster.
        """
        names, solutions = self._solutions(sparql)
        rows = list(solutions)
        rows.sort(key=lambda terms: tuple("" if t is None else str(t) for t in terms))
        return [dict(zip(names, map(_plain, terms), strict=True)) for terms in rows]

    def iter_plain_rows(self, sparql: str) -> Iterator[dict[str, Any]]:
        """The rows of `plain_rows`, one at a time in the engine's order (no fixed order),
        for a reader that makes its own order and would rather not hold every row (the
        NetworkX projection of a large graph)."""
        names, solutions = self._solutions(sparql)
        for terms in solutions:
            yield dict(zip(names, map(_plain, terms), strict=True))

    def _solutions(self, sparql: str) -> tuple[list[str], Iterator[list[Any]]]:
        """A SELECT's variable names and its rows of Oxigraph terms; an error in parsing or
        evaluating is a `QueryError`, raised when it happens."""
        self._refresh()
        self._check_query(sparql)
        try:
            answer = self._ox.query(sparql, prefixes=dict(ALL_PREFIXES),
                                    use_default_graph_as_union=True)
        except Exception as error:  # Oxigraph raises several kinds for a query it cannot run
            raise QueryError(_query_message(error)) from None
        if not isinstance(answer, ox.QuerySolutions):
            raise QueryError("plain rows are the rows of a SELECT query")

        def rows() -> Iterator[list[Any]]:
            try:
                for solution in answer:
                    yield list(solution)
            except Exception as error:  # an error met while evaluating
                raise QueryError(_query_message(error)) from None

        return [variable.value for variable in answer.variables], rows()

    def evaluate(
        self,
        sparql: str,
        bindings: Mapping[str, Any] | None = None,
        *,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        prefixes: Mapping[str, str] | None = None,
        selected: frozenset[str] | None = None,
        max_rows: int | None = None,
        on_row: Callable[[int], None] | None = None,
    ) -> Result:
        """Run a query already checked (see `query`) and read its answer into an rdflib
        Result.

        `default_graphs` / `named_graphs` (the SPARQL protocol's `default-graph-uri`
        and `named-graph-uri`) replace the query's own dataset when given;
        `prefixes` replace ALL_PREFIXES. `selected` names the variables a SELECT
        projects when the caller has parsed it already (else, when there are
        bindings, it is parsed here to tell them). At most `max_rows` rows or triples are
        read (so a caller can tell "more than a limit" without reading them all),
        and `on_row(n)` is called after each, for a caller that stops a long read
        by raising.
        """
        self._refresh()
        given = {
            name: value if isinstance(value, Node) else Literal(value)
            for name, value in (bindings or {}).items()
        }
        substituted, joined = _split_bindings(sparql, given, prefixes, selected)
        text = sparql + _values_clause(joined) if joined else sparql
        options: dict[str, Any] = {
            "prefixes": dict(ALL_PREFIXES if prefixes is None else prefixes),
            "substitutions": {ox.Variable(name): _ox_term(value)
                              for name, value in substituted.items()},
        }
        if default_graphs or named_graphs:
            options["default_graph"] = [ox.NamedNode(iri) for iri in default_graphs]
            options["named_graphs"] = [ox.NamedNode(iri) for iri in named_graphs]
        else:
            options["use_default_graph_as_union"] = True
        try:
            return _result_of(self._ox.query(text, **options), max_rows, on_row)
        except QueryError:
            raise
        except Exception as error:  # Oxigraph raises several kinds for a query it cannot run
            raise QueryError(_query_message(error)) from None

    @classmethod
    def from_rdflib(cls, graph: Graph) -> KnowledgeGraph:
        """An in-memory graph holding the statements of an rdflib Graph or Dataset, named
        graphs kept (a plain Graph's triples go to the default graph)."""
        copy = cls()
        copy.add_quads(_rdflib_quads(graph))
        return copy

    def in_memory(self) -> KnowledgeGraph:
        """A copy of the whole graph in an in-memory store: faster to query than the
        store on disk, and safe to share with forked processes (the endpoint's)."""
        self._refresh()
        copy = KnowledgeGraph(document_period=self._document_period)
        copy._ox.bulk_extend(self._ox.quads_for_pattern(None, None, None, None))
        copy._bulk = False
        copy._unchecked = self._unchecked
        copy._index = self._index.copy() if self._indexed() else SummaryIndex.unknown()
        copy._saved_tallies = self._saved_tallies.copy()
        return copy

    def _check_query(self, sparql: str) -> None:
        """Parse the query (a syntax error or an unknown prefix is a `QueryError` naming
        where it is) and refuse SERVICE and a FROM of a graph not in the dataset before
        evaluation (`sparql_scope`, the endpoint's check)."""
        try:
            algebra = _algebra(sparql, _declared(None))
        except Exception as error:  # pyparsing and rdflib's translation raise many kinds
            raise QueryError(_query_message(error)) from None
        names = {_rdf_term(name) for name in self._ox.named_graphs()}
        refuse_outside(algebra, {name for name in names if isinstance(name, URIRef)})

    def article_graph(self, key: str) -> Graph:
        """A copy of one article's named graph (empty when the article is not there)."""
        self._flush()
        return _sorted_graph(self._ds.get_context(article_iri(key)).triples((None, None, None)))

    def graph_names(self) -> list[URIRef]:
        """The names of the named graphs: every article's, then the entities graph."""
        self._refresh()
        names = {g.identifier for g in self._ds.graphs() if isinstance(g.identifier, URIRef)}
        names.discard(DATASET_DEFAULT_GRAPH_ID)
        return sorted(names, key=lambda n: (n == ENTITIES_GRAPH, str(n)))

    def named_graph(self, name: URIRef) -> Graph:
        """A copy of one named graph (empty when there is none of that name)."""
        self._refresh()
        return _sorted_graph(self._ds.get_context(name).triples((None, None, None)))

    def union_graph(self) -> Graph:
        """A copy of all graphs flattened into one, its triples inserted in sorted order."""
        self._refresh()
        return _sorted_graph(self._ds.triples((None, None, None)))

    def dataset(self) -> Dataset:
        """A copy of the dataset (named graphs kept, default graph = their union), for readers
        such as the SPARQL endpoint; changing it does not change the graph."""
        return self._sorted_dataset()

    def quads(self) -> Iterator[tuple[Node, Node, Node, URIRef | None]]:
        """Every (s, p, o, graph name) of the dataset; None for the default graph."""
        self._refresh()
        for s, p, o, graph in self._ds.quads((None, None, None, None)):
            name = graph.identifier if isinstance(graph, Graph) else graph
            s, p, o = _canonical((s, p, o))
            yield s, p, o, None if name in (None, DATASET_DEFAULT_GRAPH_ID) else name

    def summary(self) -> Summary:
        """Articles, entities by type, facts and distinct triples."""
        self._refresh()
        entities = {t.value: len(set(self._ds.subjects(RDF.type, class_of(t)))) for t in EntityType}
        return Summary(
            articles=len(self.article_keys()),
            entities=entities,
            facts=len(set(self._ds.subjects(RDF.type, SCO.Fact))),
            triples=len(self._ds),
        )

    def top_entities(self, limit: int = 10) -> list[EntityCount]:
        """The most mentioned entities, most first (ties by label, then IRI)."""
        self._refresh()
        found = []
        for entity_type in EntityType:
            for entity in set(self._ds.subjects(RDF.type, class_of(entity_type))):
                label = self._ds.value(entity, RDFS.label)
                found.append(
                    EntityCount(
                        iri=str(entity),
                        label=str(label) if label is not None else str(entity),
                        type=entity_type.value,
                        mentions=_integer(self._ds.value(entity, SCO.mentionCount)),
                    )
                )
        found.sort(key=lambda e: (-e.mentions, e.label, e.iri))
        return found[:limit]

    def entities(self, name: str | None = None) -> list[EntityDetails]:
        """Every entity, by type and label; with `name`, those whose label or an alias
        normalises like it, or whose IRI it is (full, `person:xi-jinping` or
        `person/xi-jinping`)."""
        self._refresh()
        found = []
        for entity_type in EntityType:
            for entity in set(self._ds.subjects(RDF.type, class_of(entity_type))):
                if isinstance(entity, URIRef) and (name is None or self._named(entity, name)):
                    found.append(self._details(entity, entity_type))
        found.sort(key=lambda d: (_TYPE_ORDER[EntityType(d.type)], d.label.casefold(), d.iri))
        return found

    def _named(self, entity: URIRef, name: str) -> bool:
        local = _local_part(entity)
        if name.strip() in {str(entity), local, local.replace("/", ":", 1)}:
            return True
        key = normalise(name)
        labels = [*self._ds.objects(entity, RDFS.label), *self._ds.objects(entity, SKOS.altLabel)]
        return any(normalise(str(label)) == key for label in labels)

    def _details(self, entity: URIRef, entity_type: EntityType) -> EntityDetails:
        label = str(self._ds.value(entity, RDFS.label) or entity)
        uses = {
            str(self._ds.value(node, SCO.form)): _integer(self._ds.value(node, SCO.mentionCount))
            for node in self._ds.objects(entity, SCO.formCount)
        }
        aliases = {str(a) for a in self._ds.objects(entity, SKOS.altLabel)}
        names = sorted({label, *aliases}, key=lambda n: (-uses.get(n, 0), n != label, n))
        articles = []
        for mention_set in set(self._ds.subjects(SCO.entity, entity)):
            key = self._ds.value(self._ds.value(mention_set, SCO.article), SCO.articleKey)
            if key is not None:
                articles.append((str(key), _integer(self._ds.value(mention_set, SCO.mentionCount))))
        item = self._ds.value(entity, OWL.sameAs)
        return EntityDetails(
            iri=str(entity),
            label=label,
            type=entity_type.value,
            wikidata=str(item)[len(str(WD)):] if item is not None else None,
            mentions=_integer(self._ds.value(entity, SCO.mentionCount)),
            start=_day(self._ds.value(entity, SCO.startDate)),
            end=_day(self._ds.value(entity, SCO.endDate)),
            names=tuple((n, uses.get(n, 0)) for n in names),
            articles=tuple(sorted(articles)),
        )

    def validate(self) -> tuple[Violation, ...]:
        """Check the flattened graph against the SHACL shapes; () when it conforms."""
        return validate_graph(self.union_graph())

    def __len__(self) -> int:
        """Distinct triples of the flattened graph."""
        self._refresh()
        return len(self._ds)

    # -- files ------------------------------------------------------------

    def serialize(self, fmt: str) -> bytes:
        """The graph in one of `RDF_FORMATS`, canonical: same graph, same bytes (see
        `write`)."""
        buffer = io.BytesIO()
        self.write(fmt, buffer)
        return buffer.getvalue()

    def write(self, fmt: str, stream: BinaryIO) -> None:
        """Write the graph to `stream` in one of `RDF_FORMATS`, canonical: same graph,
        same bytes, however it was built.

        ttl, nt and jsonld hold the flattened union (each triple once), trig and
        nq keep the named graphs. Graphs come in IRI order, the default graph
        last, triples sorted by subject, predicate and object. Oxigraph's writers
        stream from the store; N-Triples lines are sorted as a whole (the same
        triples give the same file whichever graphs they were in); JSON-LD is
        rdflib's, made in memory, its arrays sorted."""
        if fmt not in RDF_FORMATS:
            raise GraphFormatError(
                f"unknown RDF format {fmt!r} (valid: {', '.join(sorted(RDF_FORMATS))})"
            )
        self._refresh()
        if fmt == "jsonld":
            union = self.union_graph()
            stream.write(_canonical_jsonld(union.serialize(
                format="json-ld", encoding="utf-8", context=_used_prefixes(union), indent=2
            )))
            return
        if fmt == "nt":  # one line a triple: sorted, whatever graphs the triples were in
            lines = io.BytesIO()
            ox.serialize(self._ordered_triples(), lines, format=ox.RdfFormat.N_TRIPLES)
            stream.write(_sorted_lines(lines.getvalue()))
            return
        self._serialize(fmt, self._ordered_quads(), stream)

    def write_many(self, streams: Mapping[str, BinaryIO]) -> None:
        """Write the graph in several of the streamed formats (trig, nq, ttl) at once,
        reading the store once: each writer runs in a thread of its own, fed each
        graph's sorted quads in turn. The bytes are those `write` gives."""
        for fmt in streams:
            if fmt not in _STREAMED:
                raise GraphFormatError(f"{fmt!r} cannot be written with others "
                                       f"(valid: {', '.join(sorted(_STREAMED))})")
        self._refresh()
        if len(streams) <= 1:
            for fmt, stream in streams.items():
                self.write(fmt, stream)
            return
        feeds: dict[str, queue.Queue[list[Any] | None]] = {
            fmt: queue.Queue(maxsize=4) for fmt in streams}
        failures: list[BaseException] = []

        def writer(fmt: str, stream: BinaryIO) -> None:
            batches = iter(feeds[fmt].get, None)
            try:
                self._serialize(fmt, _flattened(batches), stream)
            except BaseException as error:  # re-raised by the reading thread
                failures.append(error)
                for _ in batches:  # keep taking, so that the reader is never blocked
                    pass

        threads = [threading.Thread(target=writer, args=(fmt, stream), daemon=True)
                   for fmt, stream in streams.items()]
        for thread in threads:
            thread.start()
        try:
            for batch in self._graph_batches():
                for feed in feeds.values():
                    feed.put(batch)
        finally:
            for feed in feeds.values():
                feed.put(None)
            for thread in threads:
                thread.join()
        if failures:
            raise failures[0]

    def _serialize(self, fmt: str, quads: Iterable[Any], stream: BinaryIO) -> None:
        prefixes = dict(ALL_PREFIXES) if fmt in {"ttl", "trig"} else None
        items = quads if fmt in _QUAD_FORMATS else _distinct_triples(quads)
        ox.serialize(items, stream, format=_OX_FORMATS[fmt], prefixes=prefixes)

    def _graph_batches(self) -> Iterator[list[Any]]:
        """Each graph's quads, sorted: graphs in IRI order, the default graph last. Each
        graph is read once and sorted here (Oxigraph's ORDER BY over a store on disk is
        far slower)."""
        names = sorted(self._ox.named_graphs(), key=lambda g: g.value)
        for name in [*names, ox.DefaultGraph()]:
            yield sorted(self._ox.quads_for_pattern(None, None, None, name), key=_ox_order)

    def _ordered_quads(self) -> Iterator[Any]:
        return _flattened(self._graph_batches())

    def _ordered_triples(self) -> Iterator[Any]:
        return _distinct_triples(self._ordered_quads())

    def check_writable(self) -> None:
        """Raise `UnwritableTermError`, naming the term and its story, when a term would
        make a writer fail or write a file that does not parse again: an IRI that is not
        an absolute IRI (a space, a control character, `<>"{}|^`\\`), or a character XML
        cannot hold (C0 controls but tab and line breaks, U+FFFE, U+FFFF, a lone surrogate)
        in a literal, a language tag or a datatype.

        Only a graph read from a file is scanned: an article's terms are checked as
        it is written (`add_article` raises the same error), and a build folder's
        store holds only what was written so."""
        if not self._unchecked:
            return
        stories = {article_iri(key): key for key in self.article_keys()}
        found = [
            (name not in stories, stories.get(name) or str(name or ""), _escaped(term), why)
            for s, p, o, name in self.quads()
            for term in (s, p, o)
            if (why := _unwritable(term)) is not None
        ]
        if found:  # the first in a fixed order: stories by key, then the other graphs
            _other, where, term, why = min(found)
            where = (f"story {where}" if not _other
                     else f"graph <{where}>" if where else "the graph")
            raise UnwritableTermError(
                f"{where}: {why} {term}: no writer can write it; nothing written"
            )

    def save(self, folder: str | Path) -> Path:
        """Write the canonical form (all named graphs, TriG) into `folder`; return the file."""
        return write_bytes(Path(folder) / CANONICAL_FILE, self.serialize("trig"))

    @classmethod
    def load(
        cls, path: str | Path, *, document_period: PeriodOf | None = None,
    ) -> KnowledgeGraph:
        """Open a build folder's store, or read an RDF file (.ttl, .nt, .jsonld, .trig, .nq)
        into memory.

        A folder is opened read-only through its store (graph.oxigraph), else read
        from its graph.trig (else graph.nq, graph.ttl, graph.nt, graph.jsonld).
        Flat formats (Turtle, N-Triples, JSON-LD) have no named graphs: their
        triples go to the default graph, where they can be queried but not
        replaced article by article.
        """
        folder = Path(path)
        if (folder / STORE_FOLDER).is_dir():
            return cls(folder / STORE_FOLDER, document_period=document_period, read_only=True)
        file = _graph_file(folder)
        fmt = _EXTENSIONS.get(file.suffix.lower())
        if fmt is None:
            raise GraphFormatError(
                f"{file}: unknown graph file extension {file.suffix!r} "
                f"(expected one of {', '.join(sorted(_EXTENSIONS))})"
            )
        graph = cls(document_period=document_period)
        graph._unchecked = True
        graph._index.forget()
        graph._saved_tallies.forget()
        if fmt == "jsonld":
            _refuse_remote_contexts(file)
        try:
            graph._ox.bulk_load(path=str(file), format=_OX_FORMATS[fmt],
                                to_graph=None if fmt in _QUAD_FORMATS else ox.DefaultGraph())
        except (SyntaxError, ValueError) as error:
            raise GraphFormatError(f"{file}: not valid {fmt} ({_one_line(error)})") from None
        except OSError as error:
            raise GraphFormatError(f"{file}: cannot be read ({_one_line(error)})") from None
        return graph

    def add_quads(self, quads: Iterable[tuple[Node, Node, Node, URIRef | None]]) -> None:
        """Add (s, p, o, graph name) statements as they are (None: the default graph), such
        as the `quads()` of another graph."""
        self._flush()
        self._ox.extend(
            ox.Quad(_ox_term(s), _ox_term(p), _ox_term(o),
                    ox.DefaultGraph() if g is None else _ox_term(g))
            for s, p, o, g in quads)
        self._bulk = False
        self._unchecked = True
        self._index.forget()
        self._saved_tallies.forget()

    def copy_to(self, location: str | Path) -> None:
        """Write a copy of the store into the new folder `location` (a cheap checkpoint
        of an on-disk store: its files are shared until either changes)."""
        if not self._read_only:
            self._refresh()
            self._ox.flush()
        self._ox.backup(str(location))
        (self._index if self._indexed() else SummaryIndex.unknown()).write(Path(location))
        self._saved_tallies.write(Path(location))

    def close(self) -> None:
        """Write everything to disk and let go of the store's files."""
        self._refresh()
        writable = self.location is not None and not self._read_only
        sidecars: tuple[Sidecar, ...] = ()
        if writable:
            self._ox.flush()
            # Compacting the written files makes the reads of later queries 2-3x faster
            # (measured at 10,000 stories: 16 s, against a 53-minute build).
            self._ox.optimize()
            index = self._index if self._indexed() else SummaryIndex.unknown()
            sidecars = (index, self._saved_tallies)
        del self._ds
        del self._ox
        if self.location is not None:
            gc.collect()  # rdflib's dataset holds the store in reference cycles: free its lock
            for sidecar in sidecars:
                sidecar.write(self.location)  # with the store closed: its files are final

    def _sorted_dataset(self) -> Dataset:
        """A copy of the dataset with graphs and triples inserted in sorted order."""
        by_graph: dict[URIRef | None, set[tuple[Node, Node, Node]]] = defaultdict(set)
        for s, p, o, name in self.quads():
            by_graph[name].add(_canonical((s, p, o)))
        copy = _new_dataset()
        for name in sorted(by_graph, key=lambda n: (n is None, str(n))):
            graph = copy.default_graph if name is None else copy.graph(name)
            graph.addN((s, p, o, graph) for s, p, o in sorted(by_graph[name], key=_sort_key))
        return copy


def validate_graph(data: Graph) -> tuple[Violation, ...]:
    """Check a graph against sco_graph/ontologies/shapes.ttl; () or the sorted violations."""
    import pyshacl  # slow to import; only validation needs it

    shapes = Graph().parse(ontology_file("shapes.ttl"), format="turtle")
    conforms, report, _ = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", allow_warnings=True
    )
    if conforms:
        return ()
    sh = "http://www.w3.org/ns/shacl#"
    violations = set()
    for result in report.subjects(RDF.type, URIRef(sh + "ValidationResult")):
        # A SPARQL constraint is named by sh:sourceConstraint, any other by its shape.
        shape = report.value(result, URIRef(sh + "sourceConstraint"))
        if not isinstance(shape, URIRef):
            shape = report.value(result, URIRef(sh + "sourceShape"))
        violations.add(
            Violation(
                focus=str(report.value(result, URIRef(sh + "focusNode"))),
                path=_node_text(report.value(result, URIRef(sh + "resultPath"))),
                message=str(report.value(result, URIRef(sh + "resultMessage")) or ""),
                shape=str(shape) if isinstance(shape, URIRef) else "",
            )
        )
    return tuple(sorted(violations, key=lambda v: (v.focus, v.path, v.shape, v.message)))


# -- an article's graph as plain records ------------------------------------
#
# An article's named graph is written from, and read back into, one
# `_ArticleRecord`: the extraction with its entities resolved to IRIs. Reading
# back is what lets `reassign` give an article's entities new IRIs without its
# text, and `entity_summaries` feed resolution from a saved graph; the tests
# check that writing a record and reading it back gives the same record.


@dataclass(frozen=True, slots=True)
class _Naming:
    """One mention set: how one article names one entity."""

    entity: URIRef
    names: frozenset[str]
    types: frozenset[EntityType]
    items: frozenset[str]  # Wikidata ids
    count: int
    forms: frozenset[str]  # aliases and mention texts
    uses: tuple[tuple[str, int], ...]  # (mention text, how many mentions use it), sorted


@dataclass(frozen=True, slots=True)
class _FactRow:
    subject: URIRef
    predicate: Predicate
    object: URIRef
    sentence: str
    start: int
    end: int
    rule: str
    confidence: float
    role: str | None
    status: str | None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None


@dataclass(frozen=True, slots=True)
class _TimeRow:
    phrase: str
    start: int
    end: int
    first_day: dt.date | None
    last_day: dt.date | None
    granularity: str
    relative: bool
    confidence: float
    dates: frozenset[URIRef]  # the events it gives the date of


@dataclass(frozen=True, slots=True)
class _ArticleRecord:
    key: str
    source: str
    index: int
    title: str | None
    date: dt.date | None
    namings: tuple[_Naming, ...]  # sorted by entity IRI
    facts: tuple[_FactRow, ...]  # sorted, no repeats
    times: tuple[_TimeRow, ...]  # sorted by offsets


def _identities(
    extraction: ArticleExtraction, iris: Mapping[str, URIRef] | None
) -> dict[str, URIRef]:
    """Entity key -> IRI for every entity of the article."""
    key = extraction.article.key
    identities: dict[str, URIRef] = {}
    for entity in extraction.entities:
        if entity.key in identities:
            raise ValueError(f"article {key}: entity key {entity.key!r} is used twice")
        if iris is None:
            identities[entity.key] = entity_iri(entity)
        elif entity.key in iris:
            identities[entity.key] = URIRef(iris[entity.key])
        else:
            raise ValueError(f"article {key}: no IRI given for entity {entity.key!r}")
    return identities


def _record_of(
    extraction: ArticleExtraction, identities: Mapping[str, URIRef]
) -> _ArticleRecord:
    """The extraction with its entity keys replaced by IRIs; checks what it refers to."""
    article = extraction.article
    key = article.key
    namings: dict[URIRef, _Naming] = {}
    for entity in extraction.entities:
        if entity.wikidata is not None and not _WIKIDATA_ID.match(entity.wikidata):
            raise ValueError(f"article {key}: entity {entity.key!r} has Wikidata id "
                             f"{entity.wikidata!r}")
        naming = _naming_of(identities[entity.key], entity)
        known = namings.get(naming.entity)
        namings[naming.entity] = naming if known is None else _merged(known, naming)
    facts = set()
    for fact in extraction.facts:
        for end in (fact.subject, fact.object):
            if end not in identities:
                raise ValueError(
                    f"article {key}: fact {fact.predicate} names unknown entity {end!r}"
                )
        evidence = fact.evidence
        if evidence.article != key:
            raise ValueError(f"article {key}: fact evidence names article {evidence.article!r}")
        facts.add(_FactRow(
            subject=identities[fact.subject],
            predicate=Predicate(fact.predicate),
            object=identities[fact.object],
            sentence=evidence.sentence,
            start=evidence.start,
            end=evidence.end,
            rule=evidence.rule,
            confidence=float(evidence.confidence),
            role=fact.role or None,
            status=fact.status or None,
            valid_from=fact.valid_from,
            valid_until=fact.valid_until,
        ))
    times = set()
    for time in extraction.times:
        unknown = [k for k in time.dates if k not in identities]
        if unknown:
            raise ValueError(f"article {key}: time expression {time.text!r} dates unknown "
                             f"entity {unknown[0]!r}")
        times.add(_TimeRow(
            phrase=time.text,
            start=time.start,
            end=time.end,
            first_day=time.first_day,
            last_day=time.last_day,
            granularity=time.granularity,
            relative=time.relative,
            confidence=float(time.confidence),
            dates=frozenset(identities[k] for k in time.dates),
        ))
    return _ArticleRecord(
        key=key,
        source=article.source,
        index=article.index,
        title=article.title or None,
        date=article.date,
        namings=tuple(sorted(namings.values(), key=lambda n: str(n.entity))),
        facts=tuple(sorted(facts, key=_fact_order)),
        times=tuple(sorted(times, key=_time_order)),
    )


def _naming_of(iri: URIRef, entity: Entity) -> _Naming:
    uses = Counter(m.text for m in entity.mentions)
    return _Naming(
        entity=iri,
        names=frozenset({entity.name}),
        types=frozenset({entity.type}),
        items=frozenset({entity.wikidata} if entity.wikidata else ()),
        count=len(entity.mentions),
        forms=frozenset(entity.aliases) | frozenset(uses),
        uses=tuple(sorted(uses.items())),
    )


def _merged(a: _Naming, b: _Naming) -> _Naming:
    """Two namings of one entity in one article, as one."""
    uses = Counter(dict(a.uses))
    uses.update(dict(b.uses))
    return _Naming(
        entity=a.entity,
        names=a.names | b.names,
        types=a.types | b.types,
        items=a.items | b.items,
        count=a.count + b.count,
        forms=a.forms | b.forms,
        uses=tuple(sorted(uses.items())),
    )


def _renamed(record: _ArticleRecord, mapping: Mapping[URIRef, URIRef]) -> _ArticleRecord:
    """The record with entity IRIs replaced as `mapping` says (others kept)."""

    def new(iri: URIRef) -> URIRef:
        return URIRef(mapping.get(iri, iri))

    namings: dict[URIRef, _Naming] = {}
    for naming in record.namings:
        moved = replace(naming, entity=new(naming.entity))
        known = namings.get(moved.entity)
        namings[moved.entity] = moved if known is None else _merged(known, moved)
    facts = {replace(f, subject=new(f.subject), object=new(f.object)) for f in record.facts}
    times = {replace(t, dates=frozenset(new(d) for d in t.dates)) for t in record.times}
    return replace(
        record,
        namings=tuple(sorted(namings.values(), key=lambda n: str(n.entity))),
        facts=tuple(sorted(facts, key=_fact_order)),
        times=tuple(sorted(times, key=_time_order)),
    )


def _fact_order(fact: _FactRow) -> tuple:
    return (str(fact.subject), fact.predicate.value, str(fact.object), fact.start, fact.end,
            fact.rule, fact.confidence, fact.sentence, fact.role or "", fact.status or "")


def _time_order(time: _TimeRow) -> tuple:
    return (time.start, time.end, time.phrase)


# The vocabulary as Oxigraph terms, made once (an article's graph is written in them).
_OX_DCTERMS_date = ox.NamedNode(str(DCTERMS.date))
_OX_DCTERMS_source = ox.NamedNode(str(DCTERMS.source))
_OX_DCTERMS_title = ox.NamedNode(str(DCTERMS.title))
_OX_ORG_Membership = ox.NamedNode(str(ORG.Membership))
_OX_ORG_member = ox.NamedNode(str(ORG.member))
_OX_ORG_organization = ox.NamedNode(str(ORG.organization))
_OX_ORG_role = ox.NamedNode(str(ORG.role))
_OX_PROV_wasDerivedFrom = ox.NamedNode(str(PROV.wasDerivedFrom))
_OX_RDF_object = ox.NamedNode(str(RDF.object))
_OX_RDF_predicate = ox.NamedNode(str(RDF.predicate))
_OX_RDF_subject = ox.NamedNode(str(RDF.subject))
_OX_RDF_type = ox.NamedNode(str(RDF.type))
_OX_SCO_Article = ox.NamedNode(str(SCO.Article))
_OX_SCO_Fact = ox.NamedNode(str(SCO.Fact))
_OX_SCO_FormCount = ox.NamedNode(str(SCO.FormCount))
_OX_SCO_MentionSet = ox.NamedNode(str(SCO.MentionSet))
_OX_SCO_TimeExpression = ox.NamedNode(str(SCO.TimeExpression))
_OX_SCO_article = ox.NamedNode(str(SCO.article))
_OX_SCO_articleKey = ox.NamedNode(str(SCO.articleKey))
_OX_SCO_confidence = ox.NamedNode(str(SCO.confidence))
_OX_SCO_dateOf = ox.NamedNode(str(SCO.dateOf))
_OX_SCO_endDate = ox.NamedNode(str(SCO.endDate))
_OX_SCO_entity = ox.NamedNode(str(SCO.entity))
_OX_SCO_entityType = ox.NamedNode(str(SCO.entityType))
_OX_SCO_form = ox.NamedNode(str(SCO.form))
_OX_SCO_formCount = ox.NamedNode(str(SCO.formCount))
_OX_SCO_granularity = ox.NamedNode(str(SCO.granularity))
_OX_SCO_mentionCount = ox.NamedNode(str(SCO.mentionCount))
_OX_SCO_mentions = ox.NamedNode(str(SCO.mentions))
_OX_SCO_name = ox.NamedNode(str(SCO.name))
_OX_SCO_phrase = ox.NamedNode(str(SCO.phrase))
_OX_SCO_phraseEnd = ox.NamedNode(str(SCO.phraseEnd))
_OX_SCO_phraseStart = ox.NamedNode(str(SCO.phraseStart))
_OX_SCO_position = ox.NamedNode(str(SCO.position))
_OX_SCO_relative = ox.NamedNode(str(SCO.relative))
_OX_SCO_role = ox.NamedNode(str(SCO.role))
_OX_SCO_rule = ox.NamedNode(str(SCO.rule))
_OX_SCO_sentence = ox.NamedNode(str(SCO.sentence))
_OX_SCO_sentenceEnd = ox.NamedNode(str(SCO.sentenceEnd))
_OX_SCO_sentenceStart = ox.NamedNode(str(SCO.sentenceStart))
_OX_SCO_startDate = ox.NamedNode(str(SCO.startDate))
_OX_SCO_status = ox.NamedNode(str(SCO.status))
_OX_SCO_surfaceForm = ox.NamedNode(str(SCO.surfaceForm))
_OX_SCO_wikidataItem = ox.NamedNode(str(SCO.wikidataItem))


def _ox_mint(kind: str, name: str) -> Any:
    return ox.NamedNode(mint(kind, name))


def _record_triples(record: _ArticleRecord) -> list[tuple[Node, Node, Node]]:
    iri = ox.NamedNode(article_iri(record.key))
    triples: list[tuple[Node, Node, Node]] = [
        (iri, _OX_RDF_type, _OX_SCO_Article),
        (iri, _OX_SCO_articleKey, _ox_text(record.key)),
        (iri, _OX_DCTERMS_source, _ox_text(record.source)),
        (iri, _OX_SCO_position, _ox_integer(record.index)),
    ]
    if record.title:
        triples.append((iri, _OX_DCTERMS_title, _ox_text(record.title)))
    if record.date is not None:
        triples.append((iri, _OX_DCTERMS_date, _ox_date(record.date)))
    for naming in record.namings:
        triples.append((iri, _OX_SCO_mentions, naming.entity))
        triples.extend(_mention_set(record.key, iri, naming))
    for fact in record.facts:
        triples.extend(_fact_triples(record.key, iri, fact))
    for time in record.times:
        triples.extend(_time_triples(record.key, iri, time))
    return triples


def _mention_set(key: str, article: URIRef, naming: _Naming) -> list[tuple[Node, Node, Node]]:
    """How the article names one entity (several local entities may share an IRI)."""
    local = _local_part(naming.entity)
    node = _ox_mint("mentions", f"{key} {local}")
    triples: list[tuple[Node, Node, Node]] = [
        (node, _OX_RDF_type, _OX_SCO_MentionSet),
        (node, _OX_SCO_article, article),
        (node, _OX_SCO_entity, naming.entity),
        (node, _OX_SCO_mentionCount, _ox_integer(naming.count)),
    ]
    triples += [(node, _OX_SCO_name, _ox_text(name)) for name in naming.names]
    triples += [(node, _OX_SCO_entityType, class_of(t)) for t in naming.types]
    triples += [(node, _OX_SCO_wikidataItem, ox.NamedNode(WD[item])) for item in naming.items]
    triples += [(node, _OX_SCO_surfaceForm, _ox_text(form)) for form in naming.forms]
    for text, count in naming.uses:
        # A digest, not the text: "person/x" + "y z" and "person/x-y" + "z" slug alike.
        use = _ox_mint("form", f"{key} {_digest([local, text])}")
        triples += [
            (node, _OX_SCO_formCount, use),
            (use, _OX_RDF_type, _OX_SCO_FormCount),
            (use, _OX_SCO_form, _ox_text(text)),
            (use, _OX_SCO_mentionCount, _ox_integer(count)),
        ]
    return triples


def _fact_triples(key: str, article: URIRef, fact: _FactRow) -> list[tuple[Node, Node, Node]]:
    subject, obj = fact.subject, fact.object
    prop = property_of(fact.predicate)
    name = _fact_name(key, prop, fact)
    node = _ox_mint("fact", name)
    # The fact itself, (subject, prop, obj), is stated once, in the subject's
    # description (`_description`): in every article's graph it would be in the
    # union once per article, and Oxigraph's union is not a set (it counts twice).
    triples: list[tuple[Node, Node, Node]] = [
        (node, _OX_RDF_type, _OX_SCO_Fact),
        (node, _OX_RDF_subject, subject),
        (node, _OX_RDF_predicate, prop),
        (node, _OX_RDF_object, obj),
        (node, _OX_PROV_wasDerivedFrom, article),
        (node, _OX_SCO_sentence, _ox_text(fact.sentence)),
        (node, _OX_SCO_sentenceStart, _ox_integer(fact.start)),
        (node, _OX_SCO_sentenceEnd, _ox_integer(fact.end)),
        (node, _OX_SCO_rule, _ox_text(fact.rule)),
        (node, _OX_SCO_confidence, _ox_decimal(fact.confidence)),
    ]
    if fact.status:
        triples.append((node, _OX_SCO_status, _ox_text(fact.status)))
    if fact.role:
        triples.append((node, _OX_SCO_role, _ox_text(fact.role)))
    if fact.predicate == Predicate.HOLDS_POSITION:
        post = _ox_mint("post", name)
        triples += [
            (post, _OX_RDF_type, _OX_ORG_Membership),
            (post, _OX_ORG_member, subject),
            (post, _OX_ORG_organization, obj),
            (post, _OX_PROV_wasDerivedFrom, node),
        ]
        if fact.role:
            triples.append((post, _OX_ORG_role, ox.NamedNode(role_iri(fact.role))))
        if fact.valid_from is not None:
            triples.append((post, _OX_SCO_startDate, _ox_date(fact.valid_from)))
        if fact.valid_until is not None:
            triples.append((post, _OX_SCO_endDate, _ox_date(fact.valid_until)))
    return triples


def _fact_name(key: str, prop: URIRef, fact: _FactRow) -> str:
    """A name for minting the fact's IRI: its article, predicate and a digest of the rest.

    Two identical facts get one IRI (they are the same statement); any
    difference, even in confidence, gives two.
    """
    content = [str(fact.subject), str(prop), str(fact.object), fact.role, fact.status]
    if fact.valid_from is not None or fact.valid_until is not None:
        content += [str(fact.valid_from), str(fact.valid_until)]
    content += [fact.sentence, fact.start, fact.end, fact.rule, repr(float(fact.confidence))]
    return f"{key} {fact.predicate} {_digest(content)}"


def _time_triples(key: str, article: URIRef, time: _TimeRow) -> list[tuple[Node, Node, Node]]:
    node = _ox_mint("time", f"{key} {time.start} {time.end}")
    triples: list[tuple[Node, Node, Node]] = [
        (node, _OX_RDF_type, _OX_SCO_TimeExpression),
        (node, _OX_SCO_article, article),
        (node, _OX_SCO_phrase, _ox_text(time.phrase)),
        (node, _OX_SCO_phraseStart, _ox_integer(time.start)),
        (node, _OX_SCO_phraseEnd, _ox_integer(time.end)),
        (node, _OX_SCO_granularity, _ox_text(time.granularity)),
        (node, _OX_SCO_relative, _ox_boolean(time.relative)),
        (node, _OX_SCO_confidence, _ox_decimal(time.confidence)),
    ]
    if time.first_day is not None:
        triples.append((node, _OX_SCO_startDate, _ox_date(time.first_day)))
    if time.last_day is not None:
        triples.append((node, _OX_SCO_endDate, _ox_date(time.last_day)))
    triples += [(node, _OX_SCO_dateOf, event) for event in time.dates]
    return triples


def _read_record(graph: Graph, iri: URIRef) -> _ArticleRecord | None:
    """The record an article's named graph was written from (None when it is not there)."""
    key = graph.value(iri, SCO.articleKey)
    if key is None:
        return None
    facts = set()
    for node in set(graph.subjects(RDF.type, SCO.Fact)):
        role, status = graph.value(node, SCO.role), graph.value(node, SCO.status)
        post = graph.value(predicate=PROV.wasDerivedFrom, object=node)
        facts.add(_FactRow(
            subject=URIRef(graph.value(node, RDF.subject)),
            predicate=predicate_of(URIRef(graph.value(node, RDF.predicate))),
            object=URIRef(graph.value(node, RDF.object)),
            sentence=str(graph.value(node, SCO.sentence)),
            start=_integer(graph.value(node, SCO.sentenceStart)),
            end=_integer(graph.value(node, SCO.sentenceEnd)),
            rule=str(graph.value(node, SCO.rule)),
            confidence=_float(graph.value(node, SCO.confidence)),
            role=str(role) if role is not None else None,
            status=str(status) if status is not None else None,
            valid_from=_day(graph.value(post, SCO.startDate)) if post is not None else None,
            valid_until=_day(graph.value(post, SCO.endDate)) if post is not None else None,
        ))
    title = graph.value(iri, DCTERMS.title)
    return _ArticleRecord(
        key=str(key),
        source=str(graph.value(iri, DCTERMS.source)),
        index=_integer(graph.value(iri, SCO.position)),
        title=str(title) if title is not None else None,
        date=_day(graph.value(iri, DCTERMS.date)),
        namings=_read_namings(graph),
        facts=tuple(sorted(facts, key=_fact_order)),
        times=_read_times(graph),
    )


def _read_times(graph: Graph) -> tuple[_TimeRow, ...]:
    """The time expressions of an article's named graph, in text order."""
    times = set()
    for node in set(graph.subjects(RDF.type, SCO.TimeExpression)):
        times.add(_TimeRow(
            phrase=str(graph.value(node, SCO.phrase)),
            start=_integer(graph.value(node, SCO.phraseStart)),
            end=_integer(graph.value(node, SCO.phraseEnd)),
            first_day=_day(graph.value(node, SCO.startDate)),
            last_day=_day(graph.value(node, SCO.endDate)),
            granularity=str(graph.value(node, SCO.granularity)),
            relative=_boolean(graph.value(node, SCO.relative)),
            confidence=_float(graph.value(node, SCO.confidence)),
            dates=frozenset(URIRef(e) for e in graph.objects(node, SCO.dateOf)),
        ))
    return tuple(sorted(times, key=_time_order))


def _read_namings(graph: Graph) -> tuple[_Naming, ...]:
    """The mention sets of an article's named graph, sorted by entity IRI."""
    namings = [_naming_at(graph, node) for node in set(graph.subjects(RDF.type, SCO.MentionSet))]
    return tuple(sorted(namings, key=lambda n: str(n.entity)))


def _article_tallies(graph: Graph, iri: URIRef) -> dict[URIRef, Tally]:
    """What one stored article's graph says of each entity it names: the tallies its
    mention sets, facts and time expressions add (see `Tally`)."""
    tallies: dict[URIRef, Tally] = defaultdict(Tally)
    for naming in _read_namings(graph):
        tallies[naming.entity].add(naming)
    for fact, subject in graph.subject_objects(RDF.subject):
        prop, obj = graph.value(fact, RDF.predicate), graph.value(fact, RDF.object)
        if isinstance(subject, URIRef) and isinstance(prop, URIRef) and obj is not None:
            tallies[subject].facts[(prop, obj)] += 1
    key = str(graph.value(iri, SCO.articleKey))
    for time in _read_times(graph):
        for entity in time.dates:
            tallies[entity].dates[(key, time.start, time.end)] = (
                time.first_day, time.last_day, time.confidence)
    return tallies


def _counts(tally: Tally) -> tuple[int, int, int]:
    """A tally's mention sets, facts and dating time expressions (see `_stored_counts`)."""
    return tally.mention_sets, sum(tally.facts.values()), len(tally.dates)


def _naming_at(graph: Graph | _StoreView, node: Node) -> _Naming:
    """The naming a mention set node records (`graph`: its article's graph, or all)."""
    uses = []
    for use in set(graph.objects(node, SCO.formCount)):
        uses.append((str(graph.value(use, SCO.form)),
                     _integer(graph.value(use, SCO.mentionCount))))
    types = {type_of(c) for c in graph.objects(node, SCO.entityType) if isinstance(c, URIRef)}
    return _Naming(
        entity=URIRef(graph.value(node, SCO.entity)),
        names=frozenset(str(n) for n in graph.objects(node, SCO.name)),
        types=frozenset(t for t in types if t is not None),
        items=frozenset(str(i)[len(str(WD)):] for i in graph.objects(node, SCO.wikidataItem)),
        count=_integer(graph.value(node, SCO.mentionCount)),
        forms=frozenset(str(f) for f in graph.objects(node, SCO.surfaceForm)),
        uses=tuple(sorted(uses)),
    )


def _summaries(key: str, date: dt.date | None, namings: Iterable[_Naming],
               times: Iterable[_TimeRow]) -> list[EntitySummary]:
    """What resolution reads of an article's namings: each with the first date the
    text gives its entity, else the article's date."""
    first_days: dict[URIRef, dt.date] = {}
    for time in times:
        for entity in time.dates if time.first_day is not None else ():
            first_days[entity] = min(first_days.get(entity, time.first_day), time.first_day)
    return [_summary_of(key, naming, first_days.get(naming.entity, date)) for naming in namings]


def _summary_of(key: str, naming: _Naming, date: dt.date | None) -> EntitySummary:
    """What resolution reads of one naming (one name and type: the longest and first
    where several local entities shared the IRI)."""
    name = min(naming.names, key=lambda n: (-len(n), n)) if naming.names else ""
    kind = min(naming.types, key=lambda t: _TYPE_ORDER[t]) if naming.types else EntityType.PLACE
    return EntitySummary(
        article=key,
        iri=str(naming.entity),
        type=kind,
        name=name,
        forms=tuple(sorted(naming.forms)),
        wikidata=min(naming.items) if naming.items else None,
        mentions=naming.count,
        date=date,
    )


def _digest(content: list) -> str:
    return hashlib.sha1(json.dumps(content, ensure_ascii=False).encode("utf-8")).hexdigest()[:16]


def _local_part(iri: URIRef) -> str:
    """`person/xi-jinping` for a minted IRI, the whole IRI otherwise."""
    text = str(iri)
    return text[len(BASE) :] if text.startswith(BASE) else text


def _date(value: dt.date) -> Literal:
    return Literal(value.isoformat(), datatype=XSD.date)


def _decimal(value: float) -> Literal:
    return Literal(_decimal_text(Decimal(repr(float(value)))), datatype=XSD.decimal)


def _decimal_text(value: Decimal) -> str:
    """XSD 1.0 canonical decimal: "0.9", "1.0", never "1E-7" (not an xsd:decimal)."""
    text = format(value.normalize(), "f")
    return text if "." in text else f"{text}.0"


def _integer(value: Node | None) -> int:
    if isinstance(value, Literal):
        number = value.toPython()
        if isinstance(number, int):
            return number
    return 0


def _float(value: Node | None) -> float:
    if isinstance(value, Literal):
        number = value.toPython()
        if isinstance(number, (int, float, Decimal)) and not isinstance(number, bool):
            return float(number)
    return 0.0


def _day(value: Node | None) -> dt.date | None:
    if isinstance(value, Literal):
        day = value.toPython()
        if isinstance(day, dt.date) and not isinstance(day, dt.datetime):
            return day
    return None


def _boolean(value: Node | None) -> bool:
    return isinstance(value, Literal) and value.toPython() is True


def _label(entity: URIRef, names: Counter[str], name_mentions: Counter[str]) -> str:
    """The entity's rdfs:label (the rule is in sco.ttl, at sco:name)."""
    text = str(entity)
    segment = text.rsplit("/", 1)[-1] if text.startswith(BASE) else None
    minted = [name for name in names if slug(name) == segment]
    return min(minted or names, key=lambda n: (-names[n], -name_mentions[n], -len(n), n))


# -- canonical serialisation ----------------------------------------------


_STREAMED = frozenset({"trig", "nq", "ttl"})


def _flattened(batches: Iterable[list[Any]]) -> Iterator[Any]:
    for batch in batches:
        yield from batch


def _distinct_triples(quads: Iterable[Any]) -> Iterator[Any]:
    """The triples of the quads, each once, in their order. Only an entity's triples can
    be in several graphs (a fact two stories state, its description); the nodes an
    article mints for itself (mention sets, facts, posts, time expressions) are in its
    graph alone, so only the others need remembering."""
    seen: set[tuple[str, str, str]] = set()
    for quad in quads:
        subject = quad.subject
        if isinstance(subject, ox.NamedNode) and subject.value.startswith(_ARTICLE_LOCAL):
            yield ox.Triple(subject, quad.predicate, quad.object)
            continue
        key = _ox_order(quad)
        if key not in seen:
            seen.add(key)
            yield ox.Triple(subject, quad.predicate, quad.object)


# Kinds of node that one article's graph mints for itself alone.
_ARTICLE_LOCAL = tuple(str(mint(kind, "x"))[:-1]
                       for kind in ("article", "mentions", "form", "fact", "post", "time"))


def _ox_order(quad: Any) -> tuple[str, str, str]:
    return (str(quad.subject), str(quad.predicate), str(quad.object))


def _new_dataset(store: ox.Store | None = None) -> Dataset:
    """An rdflib Dataset over an Oxigraph store (a new in-memory one without `store`):
    rdflib's API and SPARQL results, Oxigraph's indexes and query engine."""
    backend = OxigraphStore(store=store) if store is not None else "default"
    dataset = Dataset(store=backend, default_union=True)
    dataset.namespace_manager = NamespaceManager(dataset, bind_namespaces="none")
    for prefix, namespace in ALL_PREFIXES.items():
        dataset.bind(prefix, namespace)
    return dataset


class _StoreView:
    """rdflib's `subjects`, `objects` and `value` over all the graphs of an Oxigraph store,
    read from the store itself: the same answers without rdflib's machinery around each
    statement (what an update pays for every entity a new story mentions)."""

    def __init__(self, store: ox.Store) -> None:
        self._ox = store

    def subjects(self, predicate: Node, obj: Node) -> Iterator[Node]:
        for quad in self._ox.quads_for_pattern(None, _ox_term(predicate), _ox_term(obj), None):
            yield _rdf_term(quad.subject)

    def objects(self, subject: Node, predicate: Node) -> Iterator[Node]:
        if isinstance(subject, Literal):  # a hand-edited graph's literal where a node was due
            return
        for quad in self._ox.quads_for_pattern(_ox_term(subject), _ox_term(predicate), None,
                                               None):
            yield _rdf_term(quad.object)

    def value(self, subject: Node, predicate: Node) -> Node | None:
        return next(self.objects(subject, predicate), None)


_OX_NODES: dict[str, ox.NamedNode] = {}
_OX_TYPES = frozenset({ox.NamedNode, ox.Literal, ox.BlankNode})


def _ox_term(term: Any) -> Any:
    """The Oxigraph term of an rdflib term (ValueError for an IRI that is not one)."""
    if type(term) in _OX_TYPES:
        return term
    if isinstance(term, URIRef):
        key = str(term)  # rdflib's own hash of a URIRef is slow
        node = _OX_NODES.get(key)
        if node is None:
            node = ox.NamedNode(key)
            if len(_OX_NODES) < 100_000:  # predicates, classes and entities, mostly
                _OX_NODES[key] = node
        return node
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=_ox_term(term.datatype))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise ValueError(f"not an RDF term: {term!r}")


_NUMBERS: dict[str, Callable[[str], Any]] = {
    **{str(XSD[name]): int for name in (
        "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
        "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt",
        "unsignedShort", "unsignedByte")},
    **{str(XSD[name]): float for name in ("decimal", "double", "float")},
}


def _plain(term: Any) -> Any:
    """The plain value of an Oxigraph term (see `KnowledgeGraph.plain_rows`)."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        number = _NUMBERS.get(term.datatype.value)
        if number is not None:
            try:
                return number(term.value)
            except ValueError:  # an ill-typed literal: its text, as rdflib gives it
                return term.value
        return term.value
    return term.value


def _rdf_term(term: Any) -> Node:
    """The rdflib term of an Oxigraph term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise ValueError(f"not an RDF term: {term!r}")


_XSD_STRING = str(XSD.string)
_OX_INTEGER = ox.NamedNode(str(XSD.integer))
_OX_DATE = ox.NamedNode(str(XSD.date))
_OX_DECIMAL = ox.NamedNode(str(XSD.decimal))
_OX_BOOLEAN = ox.NamedNode(str(XSD.boolean))


# Literals of an article's graph are made for Oxigraph at once: building rdflib
# Literals first (which parse their own values) cost more than all the rest.
def _ox_text(text: str) -> Any:
    if _NOT_XML.search(text):
        raise UnwritableTermError(
            f"control character in the literal {_escaped(Literal(text))}: "
            "no writer can write it")
    return ox.Literal(text)


def _ox_integer(number: int) -> Any:
    return ox.Literal(str(number), datatype=_OX_INTEGER)


def _ox_date(day: dt.date) -> Any:
    return ox.Literal(day.isoformat(), datatype=_OX_DATE)


def _ox_decimal(value: float) -> Any:
    return ox.Literal(_decimal_text(Decimal(repr(float(value)))), datatype=_OX_DECIMAL)


def _ox_boolean(value: bool) -> Any:
    return ox.Literal("true" if value else "false", datatype=_OX_BOOLEAN)


def _sorted_graph(triples: Iterable[tuple[Node, Node, Node]]) -> Graph:
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in ALL_PREFIXES.items():
        graph.bind(prefix, namespace)
    for triple in sorted({_canonical(t) for t in triples}, key=_sort_key):
        graph.add(triple)
    return graph


def _canonical(triple: tuple[Node, Node, Node]) -> tuple[Node, Node, Node]:
    """One spelling per literal, whatever reads it: `"x"` for the `"x"^^xsd:string`
    rdflib makes of Oxigraph's plain strings (numbers keep Oxigraph's canonical
    spelling, the one every export writes: the decimal 1.0 is `"1"`)."""
    s, p, o = triple
    if isinstance(o, Literal) and o.datatype == XSD.string:
        o = Literal(str(o))
    return s, p, o


_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>\"{}|^`\\\x7f-\x9f]*$")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _unwritable(term: Node) -> str | None:
    """Why a writer cannot write `term`, or None."""
    if isinstance(term, URIRef):
        return None if _IRI.match(str(term)) else "invalid IRI"
    if isinstance(term, Literal):
        if _NOT_XML.search(str(term)) or _NOT_XML.search(term.language or ""):
            return "control character in the literal"
        if term.datatype is not None and not _IRI.match(str(term.datatype)):
            return "invalid datatype IRI in the literal"
    return None


def _escaped(term: Node, limit: int = 80) -> str:
    """The term on one line, its control characters escaped (\\x01), cut at `limit`."""
    text = term.n3() if isinstance(term, Literal) else f"<{term}>"
    shown = text.encode("unicode_escape", "backslashreplace").decode("ascii")
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def _sort_key(triple: tuple[Node, Node, Node]) -> tuple[str, ...]:
    return tuple(term.n3() for term in triple)


def _canonical_jsonld(data: bytes) -> bytes:
    """rdflib's JSON-LD with every array sorted: its node order follows a hash-ordered set.

    JSON-LD arrays without `@list` are unordered sets, so sorting changes nothing
    a reader sees."""

    def ordered(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: ordered(item) for key, item in value.items()}
        if isinstance(value, list):
            items = [ordered(item) for item in value]
            return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
        return value

    document = ordered(json.loads(data))
    return (json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode()


def _sorted_lines(data: bytes) -> bytes:
    return b"".join(sorted(set(data.splitlines(keepends=True)) - {b"\n"}))


def _used_prefixes(graph: Graph) -> dict[str, str]:
    """The JSON-LD context: our prefixes that the graph's IRIs use."""
    used = {str(term) for triple in graph for term in triple if isinstance(term, URIRef)}
    prefixes = ALL_PREFIXES
    return {
        prefix: namespace
        for prefix, namespace in sorted(prefixes.items())
        if any(iri.startswith(namespace) for iri in used)
    }


# -- files and messages ----------------------------------------------------


_GRAPH_FIX = "give a folder written by `sco-graph build TEXTS --out FOLDER`, or an RDF file"


def _graph_file(path: Path) -> Path:
    if path.is_dir():
        for name in _FOLDER_FILES:
            if (path / name).is_file():
                return path / name
        raise GraphFormatError(
            f"{path}: no graph file in this folder (expected one of {', '.join(_FOLDER_FILES)}); "
            f"{_GRAPH_FIX}"
        )
    if not path.is_file():
        raise GraphFormatError(f"{path}: no such file or folder; {_GRAPH_FIX}")
    return path


def _refuse_remote_contexts(file: Path) -> None:
    """A JSON-LD file may only carry its `@context` inline: rdflib would fetch a context
    given by IRI (`"@context": "https://…"`, in a list, or through `@import`) over the
    network or from a local file. Raise `GraphFormatError` before parsing."""
    try:
        document = json.loads(file.read_bytes())
    except ValueError as error:
        raise GraphFormatError(f"{file}: not valid jsonld ({_one_line(error)})") from None
    except OSError as error:
        raise GraphFormatError(f"{file}: cannot be read ({error.strerror})") from None

    def remote(value: Any) -> str | None:
        if isinstance(value, str):
            return value
        if isinstance(value, list):
            return next((found for item in value if (found := remote(item))), None)
        if isinstance(value, dict) and isinstance(value.get("@import"), str):
            return value["@import"]
        return None

    stack = [document]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            if "@context" in value and (iri := remote(value["@context"])) is not None:
                raise GraphFormatError(
                    f"{file}: remote contexts are disabled (\"@context\": {iri!r}); "
                    "put the context in the file"
                )
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)


_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _values_clause(bindings: Mapping[str, Node]) -> str:
    """`VALUES (?a ?b) { (<iri> "text") }` for the bindings (names and IRIs checked by
    `_split_bindings`), terms written by rdflib's N3 writer, which escapes literals."""
    names = sorted(bindings)
    variables = " ".join(f"?{name}" for name in names)
    terms = " ".join(bindings[name].n3() for name in names)
    return f"\nVALUES ({variables}) {{ ({terms}) }}\n"


def _rdflib_quads(graph: Graph) -> Iterator[tuple[Node, Node, Node, URIRef | None]]:
    if not isinstance(graph, Dataset | ConjunctiveGraph):
        for s, p, o in graph:
            yield s, p, o, None
        return
    for s, p, o, context in graph.quads((None, None, None, None)):
        name = context.identifier if isinstance(context, Graph) else context
        yield s, p, o, None if name in (None, DATASET_DEFAULT_GRAPH_ID) else name


def _split_bindings(
    sparql: str, bindings: Mapping[str, Node], prefixes: Mapping[str, str] | None,
    selected: frozenset[str] | None = None,
) -> tuple[dict[str, Node], dict[str, Node]]:
    """The bindings Oxigraph can substitute, and those a VALUES clause must bind: a
    SELECT's variables that it does not project (Oxigraph substitutes only those)."""
    for name in bindings:
        if not _VARIABLE.match(name):
            raise QueryError(f"cannot bind {name!r}: not a SPARQL variable name")
        if isinstance(bindings[name], URIRef) and _unwritable(bindings[name]) is not None:
            raise QueryError(f"cannot bind ?{name}: {bindings[name]!r} is not a valid IRI")
    if not bindings:
        return {}, {}
    try:
        projected = selected if selected is not None else _projection(sparql, prefixes)
    except Exception as error:  # as in _check_query
        raise QueryError(_query_message(error)) from None
    if projected is None:
        return dict(bindings), {}
    substituted = {name: value for name, value in bindings.items() if name in projected}
    joined = {name: value for name, value in bindings.items() if name not in projected}
    return substituted, joined


@lru_cache(maxsize=256)
def _algebra(sparql: str, prefixes: tuple[tuple[str, str], ...]) -> Any:
    """The parsed query: kept for the texts asked most recently, as a saved query asked
    again (check and bindings read the same parse)."""
    return translateQuery(parseQuery(sparql), initNs=dict(prefixes)).algebra


def _declared(prefixes: Mapping[str, str] | None) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((ALL_PREFIXES if prefixes is None else prefixes).items()))


def _projection(sparql: str, prefixes: Mapping[str, str] | None) -> frozenset[str] | None:
    """The variables a SELECT projects; None for another form."""
    algebra = _algebra(sparql, _declared(prefixes))
    if algebra.name != "SelectQuery":
        return None
    return frozenset(str(variable) for variable in algebra.PV)


def _result_of(
    answer: Any, max_rows: int | None = None, on_row: Callable[[int], None] | None = None
) -> Result:
    """An rdflib Result of an Oxigraph answer, its rows (at most `max_rows`) read now, so
    that an error in evaluation is raised here."""
    def drawn(items: Iterable[Any], size: Callable[[int], int]) -> Iterator[Any]:
        for count, item in enumerate(items, start=1):
            yield item
            if on_row is not None:
                on_row(count)
            if max_rows is not None and size(count) >= max_rows:
                return

    if isinstance(answer, ox.QueryBoolean):
        result = Result("ASK")
        result.askAnswer = bool(answer)
    elif isinstance(answer, ox.QuerySolutions):
        result = Result("SELECT")
        variables = [Variable(v.value) for v in answer.variables]
        result.vars = variables
        # Rows repeat terms (the same entity, label, article or rule in many rows), and
        # making an rdflib term costs more than finding it again.
        made: dict[Any, Node] = {}

        def term(value: Any) -> Node:
            found = made.get(value)
            if found is None:
                found = made[value] = _rdf_term(value)
            return found

        result.bindings = [
            {var: term(value) for var, value in zip(variables, row, strict=True)
             if value is not None}
            for row in drawn(answer, lambda count: count)
        ]
    else:
        result = Result("CONSTRUCT")
        graph = Graph(bind_namespaces="none")
        for prefix, namespace in ALL_PREFIXES.items():
            graph.bind(prefix, namespace)
        # A CONSTRUCT may repeat a triple; the limit counts distinct ones.
        for triple in drawn(answer, lambda _: len(graph)):
            graph.add((_rdf_term(triple.subject), _rdf_term(triple.predicate),
                       _rdf_term(triple.object)))
        result.graph = graph
    return result


def _query_message(error: Exception) -> str:
    """One line that says what is wrong with a query, without a traceback."""
    lineno, col = getattr(error, "lineno", None), getattr(error, "col", None)
    if type(error).__name__ == "ParseException" and lineno is not None:
        what = str(error).split("  (at char")[0]
        return f"SPARQL syntax error at line {lineno}, column {col}: {_one_line(what)}"
    if isinstance(error, SyntaxError):  # pyoxigraph
        return f"SPARQL syntax error: {_one_line(error)}"
    return f"SPARQL query failed: {_one_line(error)}"


def _one_line(error: object) -> str:
    text = " ".join(str(error).split())
    return text or type(error).__name__


def _node_text(node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, URIRef):
        return str(node)
    return node.n3()


def load_graph(path: str | Path) -> KnowledgeGraph:
    """A build folder or an RDF file (Turtle, N-Triples, JSON-LD, TriG, N-Quads)."""
    return KnowledgeGraph.load(path)


def event_date(
    values: Iterable[tuple[dt.date | None, dt.date | None, float]],
) -> tuple[dt.date | None, dt.date | None] | None:
    """The one date of an event from the (first day, last day, confidence) of the
    expressions that date it, over all articles: the interval most expressions give,
    then the one with the highest total confidence, then the earliest."""
    votes: Counter[tuple[dt.date | None, dt.date | None]] = Counter()
    weight: Counter[tuple[dt.date | None, dt.date | None]] = Counter()
    for first, last, confidence in values:
        votes[(first, last)] += 1
        weight[(first, last)] += confidence
    if not votes:
        return None
    return min(votes, key=lambda v: (-votes[v], -weight[v], _date_key(v[0]), _date_key(v[1])))


def _date_key(day: dt.date | None) -> dt.date:
    return day if day is not None else dt.date.max
