"""The time expressions of an article, as plain data, and the dates they give things.

`time_mentions` scans an article's text with `dates.find_time_expressions`
(spaCy's DATE entities do not survive our entity layer, and the scanner reads
titles and texts the same way), resolves each phrase against the article's
date, and says which Event each one dates:

- a time expression dates an Event mentioned in the same sentence; when a
  sentence has several of either, the closest pairs are matched first, each
  expression and each event used once in that sentence ("Tokayev met Putin on Wednesday ahead
  of the SCO summit tomorrow": the summit is "tomorrow");
- an expression inside the mention of a non-event ("the SCO Anti-Drug
  Strategy for 2024-2029") is part of that name, not a date of anything;
- only a bounded interval of at most a year dates an event: "since 2022",
  "until 2035" or "for 2024-2029" are periods, not the day of a meeting.

Relative phrases ("today", "on Thursday", "last year") need the article's
date; in an undated article they are not read at all (the scanner returns
only what it can resolve).

`document_period` reads a document's validity period from one of its names.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import replace

from sco_graph.extract.dates import TimeValue, find_time_expressions, validity_period
from sco_graph.types import Article, ArticleExtraction, Entity, EntityType, TimeMention

MAX_EVENT_DAYS = 366
"""The longest interval that can be an event's date (a year); longer ones are periods."""


def time_mentions(
    article: Article,
    sentences: Sequence[tuple[int, int]] = (),
    entities: Sequence[Entity] = (),
) -> tuple[TimeMention, ...]:
    """Every time expression of the article, resolved, with the events it dates.

    `sentences` are the (start, end) offsets of the article's sentences and
    `entities` its entities (as in `ArticleExtraction`).

    >>> import datetime as dt
    >>> story = Article("a.txt", 0, "The summit opens today.", date=dt.date(2024, 7, 4))
    >>> [(t.text, t.first_day.isoformat()) for t in time_mentions(story)]
    [('today', '2024-07-04')]
    """
    found = find_time_expressions(article.text, article.date)
    if not found:
        return ()
    starts = [start for start, _ in sentences]
    mentions = [_mention(start, end, value, _sentence_of(start, starts, sentences))
                for start, end, value in found]
    links = _links(mentions, entities)
    return tuple(
        replace(mention, dates=tuple(sorted(links.get(index, ()))))
        for index, mention in enumerate(mentions)
    )


def with_times(extraction: ArticleExtraction) -> ArticleExtraction:
    """The extraction with its article's time expressions attached."""
    times = time_mentions(extraction.article, extraction.sentences, extraction.entities)
    return replace(extraction, times=times)


def document_period(name: str) -> tuple[dt.date | None, dt.date | None] | None:
    """The validity period a document's name states ("for 2024-2029"), as (first, last day).

    The graph store is handed this function; it applies it to the names an
    entity has across articles (the store itself reads no text).
    """
    value = validity_period(name)
    return (value.start, value.end) if value is not None else None


def can_date_an_event(mention: TimeMention) -> bool:
    """True for a bounded interval of at most `MAX_EVENT_DAYS` days."""
    if mention.first_day is None or mention.last_day is None:
        return False
    return (mention.last_day - mention.first_day).days < MAX_EVENT_DAYS


# -- helpers -----------------------------------------------------------------


def _mention(start: int, end: int, value: TimeValue, sentence: int) -> TimeMention:
    return TimeMention(
        text=value.phrase,
        start=start,
        end=end,
        sentence=sentence,
        first_day=value.start,
        last_day=value.end,
        granularity=value.granularity,
        relative=value.relative,
        confidence=value.confidence,
    )


def _sentence_of(offset: int, starts: list[int], sentences: Sequence[tuple[int, int]]) -> int:
    index = bisect_right(starts, offset) - 1
    if index < 0 or offset >= sentences[index][1]:
        return -1
    return index


def _links(
    mentions: Sequence[TimeMention], entities: Sequence[Entity]
) -> dict[int, set[str]]:
    """Time mention index -> keys of the events it dates (see the module's rules)."""
    names = [
        (m.start, m.end) for e in entities if e.type is not EntityType.EVENT for m in e.mentions
    ]
    events_by_sentence: dict[int, list[tuple[str, int, int]]] = {}
    for entity in entities:
        if entity.type is EntityType.EVENT:
            for m in entity.mentions:
                # the model's own EVENTs are mostly history ("the Cold War mentality"): the
                # story's weekday does not date them; meetings, summits and disasters it reports
                # are found by the domain layer
                if not m.rule.startswith("model:"):
                    events_by_sentence.setdefault(m.sentence, []).append(
                        (entity.key, m.start, m.end)
                    )
    pairs: list[tuple[int, int, str, int]] = []  # distance, time index, event key, event start
    for index, time in enumerate(mentions):
        if time.sentence < 0 or not can_date_an_event(time):
            continue
        if any(start < time.end and time.start < end for start, end in names):
            continue
        for key, start, end in events_by_sentence.get(time.sentence, ()):
            distance = max(0, start - time.end, time.start - end)
            pairs.append((distance, index, key, start))
    links: dict[int, set[str]] = {}
    used_events: set[tuple[int, str]] = set()  # (sentence, event key)
    for _, index, key, _ in sorted(pairs):
        sentence = mentions[index].sentence
        if index in links or (sentence, key) in used_events:
            continue
        links[index] = {key}
        used_events.add((sentence, key))
    return links
