"""The plain data that flows between the stages of the pipeline.

Every stage takes and returns these frozen dataclasses, never spaCy objects,
so a `Doc` never outlives the article it was made for and any stage can be
tested, cached or replaced on its own.

    read -> SourceText -> segment -> Article -> nlp + entities + relations
         -> ArticleExtraction -> resolve -> graph
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class EntityType(StrEnum):
    """The seven entity types of the gold format (../shared/gold/FORMAT.md)."""

    PERSON = "Person"
    COUNTRY = "Country"
    ORGANIZATION = "Organization"
    DOCUMENT = "Document"
    INITIATIVE = "Initiative"
    EVENT = "Event"
    PLACE = "Place"


class Predicate(StrEnum):
    """The ten relations of the gold format."""

    HOLDS_POSITION = "holdsPosition"
    MEMBER_OF = "memberOf"
    CHAIRS = "chairs"
    PROPOSED = "proposed"
    SUPPORTS = "supports"
    ADOPTED = "adopted"
    PARTICIPATED_IN = "participatedIn"
    HELD_IN = "heldIn"
    PART_OF = "partOf"
    MET = "met"


@dataclass(frozen=True, slots=True)
class SourceText:
    """One input file, decoded and normalised (newlines, control characters)."""

    name: str  # file name as the user knows it (used as the gold `source`)
    path: str  # full path, or "<stdin>" (escaped: one printable line, see reader.shown)
    text: str
    warnings: tuple[str, ...] = ()  # read anyway, but not quite as it was (encoding, bytes)


@dataclass(frozen=True, slots=True)
class TextSpan:
    """A stretch of an article's text, as written, with its character offsets."""

    text: str
    start: int  # character offsets in Article.text
    end: int


@dataclass(frozen=True, slots=True)
class Dateline:
    """Where (and when, through which agency) a wire story was filed:
    "MINSK, Nov. 30 (Xinhua) --". It stays in Article.text as a paragraph of
    its own, so the offsets of its place and agency point into the text."""

    span: TextSpan  # the whole dateline
    place: TextSpan  # "MINSK"
    agency: TextSpan | None = None  # "Xinhua", "KAZINFORM", "TASS"
    date: dt.date | None = None  # the day it gives (a year-less one takes the feed's year)


@dataclass(frozen=True, slots=True)
class Article:
    """One news story: a whole file, or one dated story of a feed file."""

    source: str  # file name of the text it came from
    index: int  # 0-based position of the story inside that file
    # cleaned story text: paragraphs separated by "\n\n", the title first (after
    # the dateline when the story opens with one)
    text: str
    title: str | None = None
    # publication date: the feed's or file's date, else the dateline's (read/segment.py)
    date: dt.date | None = None
    dateline: Dateline | None = None

    @property
    def key(self) -> str:
        """A stable identifier of the story: `source#index`."""
        return f"{self.source}#{self.index}"


@dataclass(frozen=True, slots=True)
class Mention:
    """One surface form of an entity in an article's text."""

    text: str
    start: int  # character offsets in Article.text
    end: int
    sentence: int  # index of the sentence in the article
    rule: str  # what found it: "gazetteer", "pattern:<name>", "model:<LABEL>", ...


@dataclass(frozen=True, slots=True)
class Entity:
    """A thing one article names, with every way the article names it."""

    key: str  # unique inside the article; the gazetteer id when it is known
    type: EntityType
    name: str  # canonical name
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None  # "Q…" from the gazetteer, never guessed
    mentions: tuple[Mention, ...] = ()
    known: bool = False  # True when the entity comes from the gazetteer


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a fact was read: the sentence, its offsets, and how sure we are."""

    article: str  # Article.key
    sentence: str
    start: int  # offsets of the sentence in Article.text
    end: int
    rule: str  # the rule or component that produced the fact
    confidence: float  # in [0, 1]


@dataclass(frozen=True, slots=True)
class Fact:
    """A relation between two entities of one article (keys of Entity)."""

    subject: str
    predicate: Predicate
    object: str
    evidence: Evidence
    role: str | None = None  # holdsPosition: the post ("President", ...)
    status: str | None = None  # memberOf: "member", "observer", ...
    valid_from: dt.date | None = None  # holdsPosition: the post's period, where the text
    valid_until: dt.date | None = None  # gives it ("for 2025-2027", "since 1 January 2022")


@dataclass(frozen=True, slots=True)
class TimeMention:
    """A time expression of an article, read against the article's date (extract/timeline.py)."""

    text: str  # the phrase as the text writes it ("on Thursday", "for 2024-2029")
    start: int  # character offsets in Article.text
    end: int
    sentence: int  # index of its sentence in ArticleExtraction.sentences, -1 if none
    first_day: dt.date | None  # the interval it names; None where the phrase leaves it open
    last_day: dt.date | None
    granularity: str  # "day", "month", "year", "range", ... (sco_graph.extract.dates.TimeValue)
    relative: bool = False  # True when it was read against the article's date
    confidence: float = 1.0
    dates: tuple[str, ...] = ()  # keys of the Event entities it gives the date of


@dataclass(frozen=True, slots=True)
class ArticleExtraction:
    """Everything the pipeline learnt from one article."""

    article: Article
    entities: tuple[Entity, ...] = ()
    facts: tuple[Fact, ...] = ()
    sentences: tuple[tuple[int, int], ...] = field(default=())  # sentence offsets
    times: tuple[TimeMention, ...] = ()  # time expressions of the text (sco_graph.extract.timeline)


@dataclass(frozen=True, slots=True)
class Problem:
    """An input that was skipped or only partly read, and why."""

    path: str
    message: str
    fatal: bool = True  # False: a warning, the file was still processed


@dataclass(frozen=True, slots=True)
class EntitySummary:
    """How one article names one entity: what cross-document resolution reads.

    The same record comes from an extraction and from an article's mention set
    in a saved graph, so a graph can be resolved again without its texts.
    """

    article: str  # Article.key
    iri: str  # the IRI the article uses for the entity now
    type: EntityType
    name: str  # the canonical name the article's extraction gave
    forms: tuple[str, ...] = ()  # every alias and mention text, sorted
    wikidata: str | None = None
    mentions: int = 0
    # When the article places it: an event's date where the text gives one, else
    # the article's (resolution tells one year's SCO summit from the next by it).
    date: dt.date | None = None
