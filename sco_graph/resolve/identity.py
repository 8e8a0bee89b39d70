"""Cross-document resolution: one IRI per thing, however each article names it.

Each article's extraction decides which of its mentions are one thing ("Kassym-
Jomart Tokayev", "Tokayev", "the Kazakh President" in a story about him). This
stage decides which things of different articles are one, and mints the IRI of
each from the canonical name it chooses (`iri.mint`).

What it reads. One `EntitySummary` per (article, entity): type, canonical name,
every alias and mention text, Wikidata id, mention count. The same summaries
come from fresh extractions and from the mention sets of a saved graph
(`KnowledgeGraph.entity_summaries`), so a graph can be resolved again after an
update without its texts.

Why two passes. A build adds every article to the graph with a provisional
IRI (its type and name: for a known entity, the gazetteer's), resolves once
over all summaries, and rewrites only the articles whose entities moved
(`KnowledgeGraph.reassign`). An incremental resolver would have to undo
decisions when a later article makes a name ambiguous ("Tokayev" once only
Kassym-Jomart, then a second Tokayev arrives); resolving the whole set at
once makes the answer a function of the set of articles, so it cannot depend
on the order they are read in, and `build --update` equals a build from
scratch. The graph itself is the spool between the passes: no Doc and no
article text is kept, only small summaries.

Units. Summaries are pooled into units: a known entity (its canonical name is
a gazetteer entry's) is one unit per entry and type: the extraction types a
centre "to be set up" as an Initiative and the opened centre as an
Organization, two things, and resolution keeps them two; an entity with a
Wikidata id the gazetteer does not name is one unit per id; any other is one
unit per (type, normalised name), so "Secretary-General" and "Secretary
General" are one from the start (`names.normalise`).

Links. Names are compared by their content words: case-folded, without
accents, function words ("of", "the", "for", ...), British spellings
("Programme" is "Program") and, for people, titles ("President Tokayev" is
"Tokayev"; the titles are the lexicon's `person_titles`). Numbers are words
too, so "for 2025-2027" never meets "for 2022-2024".

1. Unknown units whose names have the same words are one name, in any
   order: "Anti-Drug Strategy of SCO for 2024-2029" / "SCO Anti-Drug
   Strategy for 2024-2029", "President Tokayev" / "Tokayev".
2. Then an unknown unit joins the one cluster its name can only mean, and
   stays alone when it could mean several. It could mean a cluster that has
   (a) a name with the same words (an extraction's, or the gazetteer's name
   or alias of a known entity), (b) an alias or mention text with the same
   words, or, for people, documents and initiatives only, (c) a name that
   holds all of its words and more, with the same head word (a person's
   surname, a document's head noun): "the anti-drug strategy" joins "SCO
   Anti-Drug Strategy for 2024-2029", a bare surname joins a full name.
   Organisations, events and places never join by fewer words ("Security
   Council" is any of several, the "SCO summit" of one year is not
   another's, "Moscow" is not "Moscow region"). All three kinds count
   together: "Yermekbayev" joins Nurlan Yermekbayev only when no other
   Yermekbayev is in the corpus.

"The text links them" means an article's extraction put both names on one
entity (an alias, kind (b)): then that alias names the entity in every
article, as long as no other entity uses it ("Xi", said of "Xi Jinping" in
one story, is Xi Jinping in another; "Xi" is not his last word, so without
that link it would stay alone). What the extraction kept apart stays apart:
two units one article names as two entities never join, and neither do two
gazetteer entries or two Wikidata ids ("SCO Council of Foreign Ministers" is
not "SCO"). Names with a pronoun ("the action plan for its implementation")
mean something different in each story and join nothing.

Scale and order. Units are found through hash indexes (by word set, and by
word for kind (c), intersecting the rarest word's list first), never by
comparing all pairs. Each round proposes joins for all units against the
clusters the round started with and makes them in one fixed order: the
surest first ((a) before (b) before (c), to a gazetteer or Wikidata entity
before another), then by the units' keys; rounds repeat until nothing
changes. Nothing depends on the order the summaries came in, so neither does
the result.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from rdflib import URIRef

from sco_graph.extract.gatherings import (
    Gathering,
    GatheringReader,
    all_compatible,
    one_gathering_groups,
)
from sco_graph.graph.iri import mint
from sco_graph.graph.store import EntityDetails, KnowledgeGraph, entity_iri, summaries_of
from sco_graph.graph.vocab import shorten
from sco_graph.knowledge.gazetteer import Gazetteer, GazetteerEntry, default_gazetteer
from sco_graph.knowledge.lexicon import Lexicon, default_lexicon
from sco_graph.names import normalise
from sco_graph.types import ArticleExtraction, EntitySummary, EntityType

SHORT_NAME_TYPES = frozenset({EntityType.PERSON, EntityType.DOCUMENT, EntityType.INITIATIVE})
"""Types whose shorter name may join a longer one ("Tokayev", "the anti-drug strategy")."""

SURNAME_LAST_TYPES = frozenset({EntityType.PERSON, EntityType.COUNTRY, EntityType.PLACE})
"""Types whose head word is their last word (a surname); others' stands before a preposition."""

_TYPES = list(EntityType)

# How a name matches a cluster, surest first.
_NAME = 0  # the same words as a name of it (an extraction's or the gazetteer's)
_FORM = 1  # the same words as an alias or mention text of it
_FEWER = 2  # fewer words than one of its names, with the same head word

# Grammar, not entities: the words that carry no identity in a name.
_DETERMINERS = frozenset({"the", "a", "an", "and", "s"})

Key = tuple[str, str, str]
"""A unit: ("known", gazetteer id, type), ("wikidata", Q-id, ""), ("gathering",
host level qualifiers year number place, "") or ("name", type, normalised name)."""


@dataclass
class _Unit:
    key: Key
    entry: GazetteerEntry | None
    norm: str  # normalised name
    names: Counter[str] = field(default_factory=Counter)  # name -> summaries giving it
    name_mentions: Counter[str] = field(default_factory=Counter)
    types: Counter[EntityType] = field(default_factory=Counter)
    type_mentions: Counter[EntityType] = field(default_factory=Counter)
    forms: set[str] = field(default_factory=set)
    articles: set[int] = field(default_factory=set)
    gathering: Gathering | None = None  # with its year, for a gathering's units

    @property
    def anchor(self) -> str | None:
        """What no other unit of a cluster may have: its gazetteer entry or Wikidata id."""
        return " ".join(self.key) if self.key[0] in {"known", "wikidata"} else None

    def type(self) -> EntityType:
        return min(self.types, key=lambda t: (-self.types[t], -self.type_mentions[t],
                                              _TYPES.index(t)))


@dataclass(frozen=True)
class Resolution:
    """The IRI of every (article, entity) resolution saw."""

    iris: Mapping[tuple[str, str], URIRef]  # (article key, IRI it uses now) -> IRI

    def changes(self) -> dict[str, dict[URIRef, URIRef]]:
        """Article key -> {IRI now: resolved IRI}, for the entities that move."""
        moves: dict[str, dict[URIRef, URIRef]] = defaultdict(dict)
        for (article, now), iri in sorted(self.iris.items()):
            if str(now) != str(iri):
                moves[article][URIRef(now)] = iri
        return dict(moves)


class Resolver:
    """Collects entity summaries, then resolves them all at once."""

    def __init__(self, gazetteer: Gazetteer | None = None, lexicon: Lexicon | None = None) -> None:
        self._gazetteer = gazetteer if gazetteer is not None else default_gazetteer()
        lexicon = lexicon if lexicon is not None else default_lexicon()
        self._prepositions = lexicon.name_prepositions
        self._pronouns = lexicon.pronouns
        self._spelling_folds = lexicon.spelling_folds
        self._function_words = _DETERMINERS | lexicon.name_prepositions
        # A title is not part of a person's name: "President Tokayev" is "Tokayev".
        titles = {word for title in lexicon.person_titles for word in normalise(title).split()}
        self._person_skip = self._function_words | titles
        self._units: dict[Key, _Unit] = {}
        self._articles: dict[str, int] = {}
        self._sightings: dict[tuple[str, str], Key] = {}
        self._known_cache: dict[tuple[str, EntityType], GazetteerEntry | None] = {}
        self._gatherings = GatheringReader(self._gazetteer)

    # -- collecting ---------------------------------------------------------

    def add(self, summary: EntitySummary) -> None:
        """One article's naming of one entity."""
        entry = self.known_entry(summary.name, summary.type)
        gathering = None
        if entry is not None:
            key: Key = ("known", entry.id, summary.type.value)
        elif summary.wikidata:
            key = ("wikidata", summary.wikidata, "")
        elif (gathering := self._gathering(summary)) is not None:
            key = ("gathering", _gathering_key(gathering), "")
        else:
            key = ("name", summary.type.value, normalise(summary.name) or summary.name)
        unit = self._units.get(key)
        if unit is None:
            unit = _Unit(key, entry, normalise(summary.name), gathering=gathering)
            self._units[key] = unit
        unit.names[summary.name] += 1
        unit.name_mentions[summary.name] += summary.mentions
        unit.types[summary.type] += 1
        unit.type_mentions[summary.type] += summary.mentions
        unit.forms.update(summary.forms)
        unit.articles.add(self._articles.setdefault(summary.article, len(self._articles)))
        self._sightings[(summary.article, summary.iri)] = key

    def add_all(self, summaries: Iterable[EntitySummary]) -> Resolver:
        for summary in summaries:
            self.add(summary)
        return self

    def _gathering(self, summary: EntitySummary) -> Gathering | None:
        """The gathering an event summary names, with its year (the year its name
        gives, else the summary's date's, else none)."""
        if summary.type is not EntityType.EVENT:
            return None
        reading = self._gatherings.read_all([summary.name, *summary.forms])
        if reading is None:
            return None
        return replace(reading, year=reading.year or (summary.date.year if summary.date else None))

    def known_entry(self, name: str, entity_type: EntityType) -> GazetteerEntry | None:
        """The gazetteer entry whose canonical name `name` is (of `entity_type` if
        several are), else None."""
        cache_key = (normalise(name), entity_type)
        if cache_key not in self._known_cache:
            found = [e for e in self._gazetteer.lookup(name) if normalise(e.name) == cache_key[0]]
            if len(found) > 1:
                found = [e for e in found if e.type is entity_type]
            self._known_cache[cache_key] = found[0] if len(found) == 1 else None
        return self._known_cache[cache_key]

    # -- resolving ----------------------------------------------------------

    def resolve(self) -> Resolution:
        """The IRI of every summary added (see the module's rules)."""
        keys = sorted(self._units)
        index = {key: i for i, key in enumerate(keys)}
        units = [self._units[key] for key in keys]
        clusters = _Clusters(units)
        by_words, by_word, names = self._indexes(units)
        self._join_gatherings(units, clusters)
        sources = [i for i, u in enumerate(units)
                   if u.anchor is None and u.gathering is None and not self._anaphoric(u.norm)]
        # Names of the same words are one name ("President Tokayev", "Tokayev").
        for i in sources:
            for j, tier in sorted(by_words.get((units[i].type(), self._words(units[i])),
                                               {}).items()):
                if tier == _NAME and units[j].anchor is None:
                    clusters.union(i, j)
        changed = True
        while changed:
            changed = False
            proposals = []
            for i in sources:
                targets = self._candidates(units[i], by_words, by_word, names, clusters)
                targets.pop(clusters.find(i), None)
                if len(targets) == 1:
                    [(target, tier)] = targets.items()
                    proposals.append((tier, not clusters.anchored(target), i, target))
            # The surest links first (by a name, to a gazetteer or Wikidata entity):
            # when two names one article keeps apart both want one cluster, only one
            # can join it, and it should not be the one that comes first by chance.
            for _, _, i, target in sorted(proposals):
                changed |= clusters.union(i, target)
        iris = {root: self._iri([units[i] for i in members])
                for root, members in clusters.members().items()}
        return Resolution({
            sighting: iris[clusters.find(index[key])]
            for sighting, key in self._sightings.items()
        })

    def _join_gatherings(self, units: list[_Unit], clusters: _Clusters) -> None:
        """Gatherings of one host, level, qualifiers and year join when they can only
        be one (`one_gathering_groups`): "the SCO summit" and "the SCO summit in
        Astana" of 2024 do; with a second 2024 summit elsewhere, none of the three.
        Then a gathering no date places (a story without a date) joins the one
        gathering of any year it can be, and stays alone if it could be two."""
        buckets: dict[tuple, dict[int, Gathering]] = defaultdict(dict)
        for i, unit in enumerate(units):
            if unit.gathering is not None:
                buckets[(unit.gathering.kind(), unit.gathering.year)][i] = unit.gathering
        for readings in buckets.values():
            for members in one_gathering_groups(readings, self._gazetteer):
                for i in members[1:]:
                    clusters.union(members[0], i)
        dated: dict[tuple, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
        for (kind, year), readings in buckets.items():
            if year is not None:
                for i in readings:
                    dated[kind][clusters.find(i)].append(i)
        for (kind, year), readings in sorted(buckets.items(), key=repr):
            if year is not None or not all_compatible(readings.values(), self._gazetteer):
                continue
            fits = [root for root, cluster in sorted(dated[kind].items())
                    if all_compatible([*readings.values(), *(units[i].gathering for i in cluster)],
                                      self._gazetteer)]
            if len(fits) == 1:
                for i in readings:
                    clusters.union(fits[0], i)

    def _indexes(self, units: list[_Unit]):
        """By words: (type, content words) -> {unit: how (_NAME or _FORM)}; by word:
        (type, word) -> names of short-name types; names: (unit, words, head)."""
        by_words: dict[tuple[EntityType, frozenset[str]], dict[int, int]] = defaultdict(dict)
        by_word: dict[tuple[EntityType, str], set[int]] = defaultdict(set)
        names: list[tuple[int, frozenset[str], str]] = []
        for i, unit in enumerate(units):
            if unit.gathering is not None:  # known by what its names say, not their words
                continue
            types = set(unit.types)
            spellings = {text: _FORM for text in unit.forms}
            spellings.update((text, _NAME) for text in unit.names)
            if unit.entry is not None:
                spellings.update((text, _NAME) for text in unit.entry.names)
            for text, tier in spellings.items():
                if self._anaphoric(normalise(text)):
                    continue
                for t in types:
                    words = self._content(text, t)
                    if words:
                        known = by_words[(t, words)].get(i, tier)
                        by_words[(t, words)][i] = min(known, tier)
            for text in unit.names:
                if self._anaphoric(normalise(text)):
                    continue
                for t in types & SHORT_NAME_TYPES:
                    words = self._content(text, t)
                    if not words:
                        continue
                    name_id = len(names)
                    names.append((i, words, self._head(text, t)))
                    for word in words:
                        by_word[(t, word)].add(name_id)
        return by_words, by_word, names

    def _candidates(self, unit: _Unit, by_words, by_word, names,
                    clusters: _Clusters) -> dict[int, int]:
        """The clusters this unit's name could mean (its own among them), each with
        the surest way it matches: _NAME, _FORM or _FEWER."""
        entity_type = unit.type()
        words = self._words(unit)
        if not words:
            return {}
        found: dict[int, int] = {}
        for j, tier in by_words.get((entity_type, words), {}).items():
            root = clusters.find(j)
            found[root] = min(found.get(root, tier), tier)
        if entity_type in SHORT_NAME_TYPES and any(not w.isdigit() for w in words):
            postings = sorted((by_word.get((entity_type, w), set()) for w in words), key=len)
            common = set(postings[0]).intersection(*postings[1:])
            head = self._head(unit.norm, entity_type)
            for n in common:
                j, longer, other_head = names[n]
                if longer > words and other_head == head:
                    root = clusters.find(j)
                    found[root] = min(found.get(root, _FEWER), _FEWER)
        return found

    def _iri(self, members: list[_Unit]) -> URIRef:
        """A cluster's IRI: the gazetteer's name for a known entity (with the type the
        articles give it), else the name most articles give (then most mentions, then
        the longest, then code-point order)."""
        for unit in members:
            if unit.entry is not None:
                return mint(unit.type().value.lower(), unit.entry.name)
        gatherings = [u.gathering for u in members if u.gathering is not None]
        names: Counter[str] = Counter()
        mentions: Counter[str] = Counter()
        types: Counter[EntityType] = Counter()
        type_mentions: Counter[EntityType] = Counter()
        for unit in members:
            names.update(unit.names)
            mentions.update(unit.name_mentions)
            types.update(unit.types)
            type_mentions.update(unit.type_mentions)
        name = min(names, key=lambda n: (-names[n], -mentions[n], -len(n), n))
        kind = min(types, key=lambda t: (-types[t], -type_mentions[t], _TYPES.index(t)))
        if gatherings:
            name = self._dated_name(name, gatherings)
        return mint(kind.value.lower(), name)

    def _dated_name(self, name: str, gatherings: list[Gathering]) -> str:
        """A gathering's name with its place and year, so that each year's "SCO
        summit" has an IRI of its own: "SCO summit Astana 2024"."""
        words = set(normalise(name).split())
        extra = []
        combined = gatherings[0]
        for other in gatherings[1:]:
            combined = combined.completed(other, self._gazetteer)
        if combined.place is not None:
            place = self._gazetteer[combined.place].name
            if not set(normalise(place).split()) <= words:
                extra.append(place)
        if combined.year is not None and str(combined.year) not in words:
            extra.append(str(combined.year))
        return " ".join([name, *extra])

    # -- words --------------------------------------------------------------

    def _words(self, unit: _Unit) -> frozenset[str]:
        return self._content(unit.norm, unit.type())

    def _content(self, text: str, entity_type: EntityType) -> frozenset[str]:
        """The words that identify a name, folded (see the module's docstring)."""
        skip = self._person_skip if entity_type is EntityType.PERSON else self._function_words
        return frozenset(self._fold(w) for w in normalise(text).split() if w not in skip)

    def _head(self, text: str, entity_type: EntityType) -> str:
        """A person's surname; a document's head noun (before its first preposition)."""
        skip = self._person_skip if entity_type is EntityType.PERSON else self._function_words
        words = normalise(text).split()
        content = [w for w in words if w not in skip]
        if not content:
            return ""
        if entity_type not in SURNAME_LAST_TYPES:
            for i, word in enumerate(words):
                if i > 0 and word in self._prepositions:
                    if words[i - 1] not in self._function_words:
                        return self._fold(words[i - 1])
                    break
        return self._fold(content[-1])

    def _fold(self, word: str) -> str:
        """Accents dropped, British spellings folded ("programme" -> "program")."""
        word = "".join(ch for ch in unicodedata.normalize("NFKD", word)
                       if not unicodedata.combining(ch))
        for pattern, replacement in self._spelling_folds:
            word = pattern.sub(replacement, word)
        return word

    def _anaphoric(self, normalised: str) -> bool:
        return not self._pronouns.isdisjoint(normalised.split())


def _gathering_key(gathering: Gathering) -> str:
    host, level, qualifiers = gathering.kind()
    return "|".join([host, level, " ".join(qualifiers), str(gathering.year),
                     str(gathering.ordinal or ""), gathering.place or ""])


class _Clusters:
    """Union-find over units; a cluster holds at most one anchor and no two units that
    one article names as two entities."""

    def __init__(self, units: list[_Unit]) -> None:
        self._parent = list(range(len(units)))
        self._anchor = [u.anchor for u in units]
        self._articles = [set(u.articles) for u in units]

    def anchored(self, i: int) -> bool:
        return self._anchor[self.find(i)] is not None

    def find(self, i: int) -> int:
        while self._parent[i] != i:
            self._parent[i] = self._parent[self._parent[i]]
            i = self._parent[i]
        return i

    def union(self, i: int, j: int) -> bool:
        a, b = self.find(i), self.find(j)
        if a == b:
            return False
        if self._anchor[a] and self._anchor[b] and self._anchor[a] != self._anchor[b]:
            return False
        small, large = sorted((a, b), key=lambda r: (len(self._articles[r]), r))
        if not self._articles[small].isdisjoint(self._articles[large]):
            return False
        root, child = min(a, b), max(a, b)  # the root does not depend on set sizes
        merged = self._articles[large]
        merged.update(self._articles[small])
        self._articles[root], self._articles[child] = merged, set()
        self._anchor[root] = self._anchor[a] or self._anchor[b]
        self._parent[child] = root
        return True

    def members(self) -> dict[int, list[int]]:
        groups: dict[int, list[int]] = defaultdict(list)
        for i in range(len(self._parent)):
            groups[self.find(i)].append(i)
        return groups


# -- the pipeline's entry points ------------------------------------------------


def provisional_iris(extraction: ArticleExtraction) -> dict[str, URIRef]:
    """The IRIs an article's entities get before resolution: type and name (for a
    known entity, its gazetteer name: already its final IRI)."""
    return {entity.key: entity_iri(entity) for entity in extraction.entities}


def resolve_graph(graph: KnowledgeGraph, gazetteer: Gazetteer | None = None) -> int:
    """Resolve every entity of a graph and rewrite the articles whose entities move;
    returns how many articles were rewritten."""
    resolution = Resolver(gazetteer).add_all(graph.entity_summaries()).resolve()
    return sum(graph.reassign(key, moves) for key, moves in resolution.changes().items())


def resolve_extractions(
    extractions: Iterable[ArticleExtraction], gazetteer: Gazetteer | None = None
) -> dict[str, dict[str, URIRef]]:
    """Article key -> entity key -> resolved IRI, for extractions held in memory."""
    resolver = Resolver(gazetteer)
    provisional: dict[str, dict[str, URIRef]] = {}
    for extraction in extractions:
        iris = provisional_iris(extraction)
        provisional[extraction.article.key] = iris
        resolver.add_all(summaries_of(extraction, iris))
    resolution = resolver.resolve()
    return {
        key: {entity: resolution.iris[(key, str(iri))] for entity, iri in iris.items()}
        for key, iris in provisional.items()
    }


def entity_report(details: Iterable[EntityDetails], detailed: bool) -> str:
    """`sco-graph entities` output: one line per entity, or (`detailed`) each entity
    with its type, IRI, Wikidata id, names with their mentions and its articles."""
    details = list(details)
    if not detailed:
        rows = [("type", "entity", "mentions", "articles", "wikidata", "iri")]
        rows += [(d.type, _clip(d.label), str(d.mentions), str(len(d.articles)),
                  d.wikidata or "", _short(d.iri)) for d in details]
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
        lines = ["  ".join([*(c.ljust(w) for c, w in zip(row, widths, strict=False)), row[-1]])
                 for row in rows]
        return "\n".join(lines) + f"\n({len(details)} entities)\n"
    blocks = []
    for d in details:
        lines = [
            d.label,
            f"  type: {d.type}",
            f"  IRI: {d.iri}",
            f"  Wikidata: {d.wikidata or '(not linked)'}",
            f"  mentions: {d.mentions} in {len(d.articles)} article"
            + ("" if len(d.articles) == 1 else "s"),
        ]
        if d.start is not None or d.end is not None:
            first = d.start.isoformat() if d.start else "…"
            last = d.end.isoformat() if d.end else "…"
            lines.append(f"  dates: {first} to {last}")
        lines.append("  names (mentions):")
        lines += [f"    {count:>5}  {name}" for name, count in d.names if count]
        also = [name for name, count in d.names if not count]
        if also:  # "President Tokayev": a titled form of a mention, not a mention itself
            lines.append("  also called: " + "; ".join(also))
        lines.append("  articles (mentions):")
        lines += [f"    {count:>5}  {key}" for key, count in d.articles]
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def _clip(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _short(iri: str) -> str:
    return shorten(iri)
