"""Time expressions of press texts, resolved to intervals of calendar dates.

A news story says "on Tuesday", "last year", "this fall", "November last
year", "in the next three years", "since 1 January 2022", "for 2024-2029".
`resolve` turns one such phrase (a spaCy DATE entity's text, or any span)
into a `TimeValue`: an inclusive interval of dates with its granularity.
Relative phrases are read against the article's publication date (the
*anchor*) and give None without one; absolute phrases never look at it.
`validity_period` reads the year range a document's name or text gives it,
and `find_time_expressions` is a regex scanner over plain text for titles and
texts that did not go through spaCy. None of them raises on odd input: what
cannot be read, or names an impossible date (30 February), is None.

The words (months, weekdays, seasons, "yesterday", "last", "three", "since",
...) are data, in `sco_graph/data/time_words.jsonl`; this module holds only the English
grammar around them.

Conventions (each one is a test in tests/test_dates.py):

- Weekdays: a bare "Tuesday"/"on Tuesday" is the latest Tuesday on or before
  the anchor, because news reports what happened: on a Thursday, "on
  Thursday" is the anchor itself. "last Tuesday" is the latest Tuesday
  strictly before the anchor, "next Tuesday" the first one strictly after,
  "this Tuesday" the Tuesday of the anchor's week (weeks run Monday to
  Sunday, as ISO 8601), "Tuesday next week" the Tuesday of the next week.
- Calendar units: "last/this/next year|month|week|quarter|decade" is the
  whole calendar unit before, containing or after the anchor's ("last year"
  on 2024-07-04 is 2023-01-01..2023-12-31).
- Rolling periods: "the past three years", "the last year", "past year" end
  at the anchor and start that long before it; "the next three years",
  "the coming year", "within three years" start at the anchor ("in the next
  three years" on 2024-07-04 is 2024-07-04..2027-07-04). A month or year
  added to the 29th-31st that does not exist falls back to the month's last
  day (2024-02-29 plus one year is 2025-02-28).
- "N units ago" / "in N units" / "N units from now" is the calendar unit
  that holds the anchor moved by N units ("23 years ago" on 2024-07-04 is
  the year 2001).
- "earlier this month" runs from the first day of the anchor's month to the
  anchor; "later this year" from the anchor to the year's last day.
- Seasons are northern-hemisphere meteorological seasons: spring March-May,
  summer June-August, autumn (fall) September-November, winter
  December-February. "spring 2024" and "the winter of 2024" are the season
  that *starts* in 2024 (winter 2024 is 2024-12-01..2025-02-28); "winter
  2023-24" is the one from December 2023. "this fall" and a bare "fall" are
  the season that starts in the anchor's year, except that "this winter" in
  January or February is the winter the anchor is in. "last fall" is the
  latest one that ended before the anchor, "next fall" the first that starts
  after it.
- A month or a day without a year ("in November", "July 4") is the
  occurrence nearest the anchor (the earlier one on a tie), so a story of 2
  January says "on 30 December" of the year before. "November last year"
  is November of the anchor's year minus one; "last November" the latest
  November in a month before the anchor's month; "next November" the first
  one in a month after it.
- "early/mid/late X", "the beginning/middle/end of X" are the first, middle
  and last third of X, counted in whole months where X is made of months
  ("early 2024" is January-April) and in days otherwise.
- Year ranges: "2024-2029", "2024-25", "2024/25", "for the period
  2021-2025" run from 1 January of the first year to 31 December of the
  last. A hyphenated pair "2024-07" whose second number is not a later year
  of the same century is the ISO month (July 2024); "2011-12" is a range.
- Prepositions: "since X"/"from X" keep X's start and leave the end open
  (None); "until X", "by X", "up to X" keep X's end and leave the start
  open; "before X" ends the day before X starts, "after X" starts the day
  after X ends; "on", "in", "for", "during", ... change nothing.
- Ranges "from X to Y", "between X and Y", "X-Y", "3-4 July 2024",
  "July 3-4, 2024", "January to March 2024" run from X's start to Y's end; a
  side without a year takes the other side's.
- "dd.mm.yyyy" (the feed files' date lines) is day.month.year; slashed
  dates other than "yyyy/mm/dd" are ambiguous (US or European) and not read.
- Years are read from 1000 to 2999.

`relative` is True when the value needed the anchor. `confidence` says how
much the value rests on a convention rather than on the text: 1.0 for a date
the text spells out, down to 0.6 for "early 2024".
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import cache

from sco_graph.knowledge.time_words import TimeWords, load_time_words, normalise_phrase

MIN_YEAR = 1000
MAX_YEAR = 2999

# A four-digit number alone in running text is often a count ("1500 people");
# the scanner takes it for a year only in this window unless a preposition
# ("in 1500") says it is one.
_SCAN_YEARS = range(1900, 2101)
# No time expression is longer; longer input is not one, and is not parsed.
_MAX_PHRASE = 120
_MAX_SCAN_TOKENS = 12

# Granularities a third of ("early 2024") or a validity period can be taken of.
_DIVISIBLE = frozenset({"week", "month", "season", "quarter", "half", "year", "decade"})

_EXACT = 1.0
_SEASON = 0.9
_CALENDAR = 0.9
_RELATIVE_DAY = 0.95
_ROLLING = 0.85
_WEEKDAY = 0.8
_SHIFTED = 0.8  # "three years ago", "in two weeks"
_NEAREST = 0.7  # a month or day without its year
_BARE_SEASON = 0.7
_THIRD = 0.6


@dataclass(frozen=True, slots=True)
class TimeValue:
    """A time expression read as an inclusive interval of dates.

    `start`/`end` are None when the phrase leaves that side open ("since
    2022", "until 2035"). `granularity` is "day", "week", "month", "season",
    "quarter", "half", "year", "decade", or "range" for any other interval.
    """

    phrase: str  # the text as it was given
    start: dt.date | None
    end: dt.date | None
    granularity: str
    relative: bool = False  # True when the value was read against the anchor
    confidence: float = 1.0


# --------------------------------------------------------------------------
# Public API


def resolve(phrase: str, anchor: dt.date | None) -> TimeValue | None:
    """Read a time expression against the article's date (see the module's conventions).

    >>> resolve("last year", dt.date(2024, 7, 4))
    TimeValue(phrase='last year', start=datetime.date(2023, 1, 1), \
end=datetime.date(2023, 12, 31), granularity='year', relative=True, confidence=0.9)
    >>> resolve("last year", None) is None
    True
    """
    return _resolve(phrase, anchor, strict=False)


def validity_period(phrase: str) -> TimeValue | None:
    """The whole years a document is for: "for 2024-2029", "until 2035", "2024-25".

    `phrase` is the expression itself or a text holding it, such as a
    document's name ("SCO Anti-Drug Strategy for 2024-2029"): the first year
    expression in it counts. Only absolute expressions made of whole years
    qualify (start on 1 January, end on 31 December, either may be open).
    """
    if not isinstance(phrase, str):
        return None
    whole = _resolve(phrase, None, strict=False)
    if _is_validity(whole):
        return whole
    for _start, _end, value in find_time_expressions(phrase, None):
        if _is_validity(value):
            return value
    return None


def find_time_expressions(
    text: str, anchor: dt.date | None
) -> list[tuple[int, int, TimeValue]]:
    """Every time expression of a plain text as (start, end, value), in text order.

    A fallback for texts that have not been through spaCy: runs of time
    words are cut into the longest phrases `resolve` reads, with a
    preposition before them kept in the phrase ("since 1 January 2022").
    Words that are mostly something else need more context than in
    `resolve`: a bare month or season needs a preposition ("in March", not
    "march"), "May" and "March" need their capital, "now" a preposition, and
    a bare four-digit number counts as a year from 1900 to 2100 only.
    """
    if not isinstance(text, str):
        return []
    grammar = _grammar()
    found: list[tuple[int, int, TimeValue]] = []
    # The phrases tried overlap ("on 4 July 2024", "4 July 2024", "July 2024"): their
    # parts are parsed once for the whole text, not once per phrase.
    memo: dict[tuple[str, bool, bool, bool], _Span | None] = {}
    for run in _runs(text, grammar):
        i = 0
        while i < len(run):
            if run[i][2]:  # punctuation does not start an expression
                i += 1
                continue
            hit = None
            for j in range(min(len(run), i + _MAX_SCAN_TOKENS) - 1, i - 1, -1):
                if run[j][2]:
                    continue
                start, end = run[i][0], run[j][1]
                value = _resolve(text[start:end], anchor, strict=True, memo=memo)
                if value is not None:
                    hit = (j, start, end, value)
                    break
            if hit is None:
                i += 1
                continue
            j, start, end, value = hit
            found.append((start, end, value))
            i = j + 1
    return found


# --------------------------------------------------------------------------
# Parsing


@dataclass(frozen=True, slots=True)
class _Span:
    start: dt.date | None
    end: dt.date | None
    grain: str
    relative: bool = False
    confidence: float = _EXACT


@dataclass(frozen=True)
class _Ctx:
    anchor: dt.date | None
    strict: bool  # scanner mode: ambiguous words need context
    ranges: bool = True  # "X to Y" may be tried; off inside a side, so parsing stays linear
    memo: dict[tuple[str, bool, bool, bool], _Span | None] = field(default_factory=dict)


_Handler = Callable[[re.Match[str], _Ctx, bool], _Span | None]



def _resolve(phrase: object, anchor: object, strict: bool,
             memo: dict[tuple[str, bool, bool, bool], _Span | None] | None = None,
             ) -> TimeValue | None:
    if not isinstance(phrase, str):
        return None
    if isinstance(anchor, dt.datetime):
        anchor = anchor.date()
    if anchor is not None and not isinstance(anchor, dt.date):
        return None
    text = normalise_phrase(phrase)
    if not text or len(text) > _MAX_PHRASE:
        return None
    try:
        span = _grammar().parse(text, _Ctx(anchor, strict, memo={} if memo is None else memo))
    except (ValueError, OverflowError):  # date arithmetic past year 1 or 9999
        return None
    if span is None or (span.start is None and span.end is None):
        return None
    if span.start is not None and span.end is not None and span.start > span.end:
        return None
    return TimeValue(phrase, span.start, span.end, span.grain, span.relative, span.confidence)


def _is_validity(value: TimeValue | None) -> bool:
    if value is None or value.relative or value.granularity not in {"year", "range", "decade"}:
        return False
    starts_year = value.start is None or (value.start.month, value.start.day) == (1, 1)
    ends_year = value.end is None or (value.end.month, value.end.day) == (12, 31)
    return starts_year and ends_year


@cache
def _grammar() -> _Grammar:
    return _Grammar(load_time_words())


def _alt(words: Iterable[str]) -> str:
    ordered = sorted(set(words), key=lambda word: (-len(word), word))
    if not ordered:
        return "(?!)"
    return "(?:" + "|".join(re.escape(word) for word in ordered) + ")"


class _Grammar:
    """The English grammar of time expressions over the words of a TimeWords."""

    def __init__(self, words: TimeWords) -> None:
        self.w = words
        self.vocabulary = words.vocabulary() | _GRAMMAR_WORDS
        roles = words.modifiers
        number_word = _alt(words.numbers)
        self._slots = {
            "M": _alt(words.months),
            "WD": _alt(words.weekdays),
            "S": _alt(words.seasons),
            "RD": _alt(words.relative_days),
            "USG": _alt(words.units),
            "UANY": _alt([*words.units, *words.unit_plurals]),
            "N": rf"(?:\d{{1,3}}|{number_word}(?:[- ]{number_word})?)",
            "ORD": _alt(words.ordinals),
            "MOD": _alt(w for w, r in roles.items() if r in {"last", "this", "next"}),
            "THIS": _alt(w for w, r in roles.items() if r == "this"),
            "ROLL": _alt(w for w, r in roles.items() if r in {"last", "next", "past"}),
            "PAST": _alt(w for w, r in roles.items() if r == "past"),
            "NEXT": _alt(w for w, r in roles.items() if r == "next"),
            "PART": _alt(w for w, r in words.parts.items() if r in {"early", "mid", "late"}),
            "EARLIER": _alt(w for w, r in words.parts.items() if r in {"earlier", "later"}),
            "DP": _alt(words.dayparts),
            "FB": _alt(words.fillers_before),
            "FA": _alt(words.fillers_after),
            "DAY": r"(\d{1,2})(?:st|nd|rd|th)?",
        }
        # one leading preposition or filler and its space
        self._peel = re.compile("(" + _alt([*words.prepositions, *words.fillers_before]) + ") ")
        rules: list[tuple[str, _Handler]] = [
            (r"(\d{4})-(\d{1,2})-(\d{1,2})", self._iso_day),
            (r"(\d{4})/(\d{1,2})/(\d{1,2})", self._iso_day),
            (r"(\d{1,2})\.(\d{1,2})\.(\d{4})", self._dotted_day),
            (r"(<RD>)(?: <DP>)?", self._relative_day),
            (r"(?:(<MOD>) )?(<WD>)(?: <DP>)?", self._weekday),
            (r"(<WD>)(?: <DP>)?,? (?:of )?(<MOD>) week", self._weekday_of_week),
            (r"(?:<WD>,? )?(?:the )?<DAY> (?:of )?(<M>)(?:,? (.+))?", self._day_month),
            (r"(?:<WD>,? )?(<M>) (?:the )?<DAY>(?:,? (.+))?", self._month_day),
            (r"(<M>),? (?:of )?(.+)", self._month_of_year),
            (r"(<MOD>) (<M>)", self._modified_month),
            (r"(<M>)", self._bare_month),
            (r"(?:the )?(<S>),? (?:of )?(\d{4})[-/](\d{4}|\d{2})", self._season_across),
            (r"(?:the )?(<S>),? (?:of )?(.+)", self._season_of_year),
            (r"(<MOD>) (<S>)", self._modified_season),
            (r"(?:the )?(<S>)", self._bare_season),
            (r"(?:the )?(?:<FB> )?(\d{4})[-/](\d{4}|\d{2})(?: <FA>)?", self._year_range),
            (r"(\d{4})-(\d{2})", self._iso_month),
            (r"(?:<FB> )?(\d{4})(?: <FA>)?", self._year),
            (r"(?:the )?(\d{3}0)s", self._decade),
            (r"q([1-4])[ -]?(.+)", self._quarter),
            (r"(?:the )?(<ORD>) quarter,? (?:of )?(.+)", self._quarter),
            (r"h([12])[ -]?(.+)", self._half),
            (r"(?:the )?(<ORD>) half,? (?:of )?(.+)", self._half),
            (r"(<MOD>) (<USG>)", self._calendar_unit),
            (r"the (<THIS>) (<USG>)", self._calendar_unit),
            (r"(?:the )?(<ROLL>) (<N>) (<UANY>)", self._rolling),
            (r"the (<ROLL>) ()(<USG>)", self._rolling),
            (r"(<PAST>) ()(<USG>)", self._rolling),
            (r"within (?:the (?:<NEXT>) )?(<N>) (<UANY>)", self._within),
            (r"(<N>) (<UANY>) ago", self._ago),
            (r"(<N>) (<UANY>) from now", self._from_now),
            (r"in (<N>) (<UANY>)(?: time)?", self._from_now),
            (r"(<EARLIER>) (?:(<THIS>) (<USG>)|(<RD>))", self._earlier_later),
            (r"(<PART>)[ -](.+)", self._third),
            (r"(?:from |between )?(<M>) <DAY>(?:-| to | and )<DAY>(?:, (.+)| (\d{4}))?",
             self._month_day_range),
            (r"(?:(from|between) )?(.+)", self._range),
        ]
        self._rules = [(re.compile(self._expand(p)), handler) for p, handler in rules]
        # a side of a range that can borrow the other side's year ("January to March 2024")
        self._borrows_year = re.compile(self._expand(r"\b(?:<M>|<S>)\b"))

    def _expand(self, template: str) -> str:
        return re.sub(r"<([A-Z]+)>", lambda m: self._slots[m.group(1)], template)

    # -- driving

    def parse(self, text: str, ctx: _Ctx) -> _Span | None:
        """The value of a whole normalised phrase, prepositions included."""
        role = "at"
        has_preposition = False
        for _ in range(4):
            span = self.core(text, ctx, has_preposition)
            if span is not None:
                return _apply(role, span)
            m = self._peel.match(text)
            if m is None:
                return None
            word = m.group(1)
            text = text[m.end():]
            if word in self.w.prepositions:
                has_preposition = True
                if self.w.prepositions[word] != "at":
                    role = self.w.prepositions[word]
        return None

    def core(self, text: str, ctx: _Ctx, has_preposition: bool = False) -> _Span | None:
        """The value of a phrase without a leading preposition."""
        key = (text, ctx.strict, ctx.ranges, has_preposition)
        if key in ctx.memo:
            return ctx.memo[key]
        span = None
        for pattern, handler in self._rules:
            m = pattern.fullmatch(text)
            if m is not None:
                span = handler(m, ctx, has_preposition)
                if span is not None:
                    break
        ctx.memo[key] = span
        return span

    def _inner(self, text: str, ctx: _Ctx) -> _Span | None:
        return self.core(text, replace(ctx, strict=False, ranges=False))

    def _year_of(self, text: str, ctx: _Ctx) -> _Span | None:
        """A sub-phrase that names one calendar year ("2023", "last year")."""
        span = self._inner(text, ctx)
        return span if span is not None and span.grain == "year" else None

    # -- days

    def _iso_day(self, m: re.Match[str], ctx: _Ctx, hp: bool) -> _Span | None:
        return _day(_date(int(m[1]), int(m[2]), int(m[3])))

    def _dotted_day(self, m: re.Match[str], ctx: _Ctx, hp: bool) -> _Span | None:
        return _day(_date(int(m[3]), int(m[2]), int(m[1])))

    def _relative_day(self, m: re.Match[str], ctx: _Ctx, hp: bool) -> _Span | None:
        if ctx.strict and not hp and m[1] in self.w.need_preposition:
            return None
        return self._day_from_anchor(m[1], ctx)

    def _day_from_anchor(self, word: str, ctx: _Ctx) -> _Span | None:
        if ctx.anchor is None:
            return None
        day = ctx.anchor + dt.timedelta(days=self.w.relative_days[word])
        return _Span(day, day, "day", True, _RELATIVE_DAY)

    def _weekday(self, m: re.Match[str], ctx: _Ctx, hp: bool) -> _Span | None:
        anchor = ctx.anchor
        if anchor is None:
            return None
        role = self.w.modifiers[m[1]] if m[1] else None
        wanted = self.w.weekdays[m[2]]
        if role == "this":
            day = _monday(anchor) + dt.timedelta(days=wanted)
        elif role == "next":
            day = anchor + dt.timedelta(days=(wanted - anchor.weekday()) % 7 or 7)
        elif role == "last":
            day = anchor - dt.timedelta(days=(anchor.weekday() - wanted) % 7 or 7)
        else:  # news reports the past: the latest such day, the anchor included
            day = anchor - dt.timedelta(days=(anchor.weekday() - wanted) % 7)
        return _Span(day, day, "day", True, _WEEKDAY)

    def _weekday_of_week(self, m: re.Match[str], ctx: _Ctx, hp: bool) -> _Span | None:
        if ctx.anchor is None:
            return None
        shift = _SHIFTS[self.w.modifiers[m[2]]]
        day = _monday(ctx.anchor) + dt.timedelta(days=7 * shift + self.w.weekdays[m[1]])
        return _Span(day, day, "day", True, _WEEKDAY)

    def _day_month(self, m: re.Match[str], ctx: _Ctx, hp: bool) -> _Span | None:
        return self._dated(int(m[1]), self.w.months[m[2]], m[3], ctx)

    def _month_day(self, m: re.Match[str], ctx: _Ctx, hp: bool) -> _Span | None:
        return self._dated(int(m[2]), self.w.months[m[1]], m[3], ctx)

    def _dated(self, day: int, month: int, year_text: str | None, ctx: _Ctx) -> _Span | None:
        if year_text is None:
            return _nearest(ctx.anchor, lambda y: _day(_date(y, month, day)))
        year = self._year_of(year_text, ctx)
        if year is None or year.start is None:
            return None
        return _mark(_day(_date(year.start.year, month, day)), year)

    # -- months and seasons

    def _month_of_year(self, m: re.Match[str], ctx: _Ctx, hp: bool) -> _Span | None:
        year = self._year_of(m[2], ctx)
        if year is None or year.start is None:
            return None
        return _mark(_month(year.start.year, self.w.months[m[1]]), year)

    def _modified_month(self, m: re.Match[str], ctx: _Ctx, hp: bool) -> _Span | None:
        if ctx.anchor is None:
            return None
        role, month, anchor = self.w.modifiers[m[1]], self.w.months[m[2]], ctx.anchor
        year = anchor.year
        if role == "last" and month >= anchor.month:
            year -= 1
        elif role == "next" and month <= anchor.month:
            year += 1
        return _relative(_month(year, month), _CALENDAR)

    def _bare_month(self, m: re.Match[str], ctx: _Ctx, hp: bool) -> _Span | None:
        if ctx.strict and not hp:
            return None
        month = self.w.months[m[1]]
        return _nearest(ctx.anchor, lambda y: _month(y, month))

    def _season_across(self, m: re.Match[str], ctx: _Ctx, hp: bool) -> _Span | None:
        first, count = self.w.seasons[m[1]]
        year, second = int(m[2]), int(m[3])
        if first + count - 1 <= 12 or second not in {year + 1, (year + 1) % 100}:
            return None  # only a season that crosses New Year spans two years
        return _season(first, count, year)

    def _season_of_year(self, m: re.Match[str], ctx: _Ctx, hp: bool) -> _Span | None:
        year = self._year_of(m[2], ctx)
        if year is None or year.start is None:
            return None
        first, count = self.w.seasons[m[1]]
        return _mark(_season(first, count, year.start.year), year)

    def _modified_season(self, m: re.Match[str], ctx: _Ctx, hp: bool) -> _Span | None:
        return self._season_near(m[2], self.w.modifiers[m[1]], ctx, _SEASON)

    def _bare_season(self, m: re.Match[str], ctx: _Ctx, hp: bool) -> _Span | None:
        if ctx.strict and not hp:
            return None
        return self._season_near(m[1], "this", ctx, _BARE_SEASON)

    def _season_near(self, word: str, role: str, ctx: _Ctx, confidence: float) -> _Span | None:
        anchor = ctx.anchor
        if anchor is None:
            return None
        first, count = self.w.seasons[word]
        years = range(anchor.year - 2, anchor.year + 2)
        occurrences = [s for s in (_season(first, count, y) for y in years) if s is not None]
        chosen = None
        if role == "last":
            chosen = max((s for s in occurrences if _end(s) < anchor), key=_end, default=None)
        elif role == "next":
            chosen = min((s for s in occurrences if _start(s) > anchor), key=_start, default=None)
        else:  # this: the one the anchor is in, else the one starting in its year
            chosen = next((s for s in occurrences if _start(s) <= anchor <= _end(s)), None)
            if chosen is None:
                chosen = next((s for s in occurrences if _start(s).year == anchor.year), None)
        return _relative(chosen, confidence)

    # -- years, decades, quarters

    def _year_range(self, m: re.Match[str], ctx: _Ctx, hp: bool) -> _Span | None:
        first, second = int(m[1]), m[2]
        last = first // 100 * 100 + int(second) if len(second) == 2 else int(second)
        if last <= first or (ctx.strict and not hp and first not in _SCAN_YEARS):
            return None
        start, end = _year(first), _year(last)
        if start is None or end is None:
            return None
        return _Span(start.start, end.end, "range")

    def _iso_month(self, m: re.Match[str], ctx: _Ctx, hp: bool) -> _Span | None:
        return _month(int(m[1]), int(m[2]))

    def _year(self, m: re.Match[str], ctx: _Ctx, hp: bool) -> _Span | None:
        year = int(m[1])
        if ctx.strict and not hp and year not in _SCAN_YEARS:
            return None
        return _year(year)

    def _decade(self, m: re.Match[str], ctx: _Ctx, hp: bool) -> _Span | None:
        first = int(m[1])
        start, end = _date(first, 1, 1), _date(first + 9, 12, 31)
        return _Span(start, end, "decade") if start and end else None

    def _quarter(self, m: re.Match[str], ctx: _Ctx, hp: bool) -> _Span | None:
        return self._part_of_year(m, ctx, 4, "quarter")

    def _half(self, m: re.Match[str], ctx: _Ctx, hp: bool) -> _Span | None:
        return self._part_of_year(m, ctx, 2, "half")

    def _part_of_year(self, m: re.Match[str], ctx: _Ctx, parts: int, grain: str) -> _Span | None:
        index = int(m[1]) if m[1].isdigit() else self.w.ordinals[m[1]]
        year = self._year_of(m[2], ctx)
        if year is None or year.start is None or not 1 <= index <= parts:
            return None
        size = 12 // parts
        first = _month(year.start.year, (index - 1) * size + 1)
        last = _month(year.start.year, index * size)
        if first is None or last is None:
            return None
        return _mark(_Span(first.start, last.end, grain), year)

    # -- units around the anchor

    def _calendar_unit(self, m: re.Match[str], ctx: _Ctx, hp: bool) -> _Span | None:
        if ctx.anchor is None:
            return None
        unit = self.w.units[m[2]]
        moved = _shift(ctx.anchor, unit, _SHIFTS[self.w.modifiers[m[1]]])
        return _relative(_unit_span(moved, unit), _CALENDAR)

    def _rolling(self, m: re.Match[str], ctx: _Ctx, hp: bool) -> _Span | None:
        anchor = ctx.anchor
        count = self._number(m[2]) if m[2] else 1
        if anchor is None or count is None or count < 1:
            return None
        unit = self._unit(m[3])
        if self.w.modifiers[m[1]] == "next":
            return _Span(anchor, _shift(anchor, unit, count), "range", True, _ROLLING)
        return _Span(_shift(anchor, unit, -count), anchor, "range", True, _ROLLING)

    def _within(self, m: re.Match[str], ctx: _Ctx, hp: bool) -> _Span | None:
        count = self._number(m[1])
        if ctx.anchor is None or count is None or count < 1:
            return None
        end = _shift(ctx.anchor, self._unit(m[2]), count)
        return _Span(ctx.anchor, end, "range", True, _ROLLING)

    def _ago(self, m: re.Match[str], ctx: _Ctx, hp: bool) -> _Span | None:
        return self._shifted(m, ctx, -1)

    def _from_now(self, m: re.Match[str], ctx: _Ctx, hp: bool) -> _Span | None:
        return self._shifted(m, ctx, 1)

    def _shifted(self, m: re.Match[str], ctx: _Ctx, sign: int) -> _Span | None:
        count = self._number(m[1])
        if ctx.anchor is None or count is None or count < 1:
            return None
        unit = self._unit(m[2])
        return _relative(_unit_span(_shift(ctx.anchor, unit, sign * count), unit), _SHIFTED)

    def _earlier_later(self, m: re.Match[str], ctx: _Ctx, hp: bool) -> _Span | None:
        anchor = ctx.anchor
        if anchor is None:
            return None
        if m[4] is not None:  # "earlier today": the day itself
            return self._day_from_anchor(m[4], ctx)
        whole = _unit_span(anchor, self.w.units[m[3]])
        if self.w.parts[m[1]] == "earlier":
            return _Span(whole.start, anchor, "range", True, _CALENDAR)
        return _Span(anchor, whole.end, "range", True, _CALENDAR)

    def _third(self, m: re.Match[str], ctx: _Ctx, hp: bool) -> _Span | None:
        rest = m[2]
        bare_unit = re.fullmatch(r"the (\w+)", rest)
        if bare_unit and bare_unit[1] in self.w.units:
            # "the end of the year": the anchor's year
            if ctx.anchor is None:
                return None
            whole: _Span | None = _relative(
                _unit_span(ctx.anchor, self.w.units[bare_unit[1]]), _CALENDAR
            )
        else:
            whole = self._inner(rest, ctx)
        if whole is None or whole.grain not in _DIVISIBLE:
            return None
        return _third_of(whole, ("early", "mid", "late").index(self.w.parts[m[1]]))

    # -- ranges

    def _month_day_range(self, m: re.Match[str], ctx: _Ctx, hp: bool) -> _Span | None:
        year = m[4] or m[5]
        tail = f", {year}" if year else ""
        left = self._inner(f"{m[1]} {m[2]}{tail}", ctx)
        right = self._inner(f"{m[1]} {m[3]}{tail}", ctx)
        return _join(left, right)

    def _range(self, m: re.Match[str], ctx: _Ctx, hp: bool) -> _Span | None:
        if not ctx.ranges:
            return None
        prefix, body = m[1], m[2]
        for connector in re.finditer(r"-| (?:to|until|till|through|and) ", body):
            if connector.group().strip() == "and" and prefix != "between":
                continue
            left_text, right_text = body[: connector.start()], body[connector.end():]
            if not left_text or not right_text:
                continue
            right = self._inner(right_text, ctx)
            if right is None or right.start is None:
                continue
            left = self._left_side(left_text, right_text, right, ctx)
            joined = _join(left, right)
            if joined is not None:
                return joined
        return None

    def _left_side(self, left: str, right_text: str, right: _Span, ctx: _Ctx) -> _Span | None:
        """The first side of a range, completed from the second where it lacks the year."""
        assert right.start is not None
        if re.fullmatch(r"\d{1,2}(?:st|nd|rd|th)?", left):  # "3-4 July 2024"
            day = int(left.rstrip("stndrh"))
            return _mark(_day(_date(right.start.year, right.start.month, day)), right)
        if re.search(r"\d{4}", left) or not self._borrows_year.search(left):
            return self._inner(left, ctx)
        explicit = re.search(r"\b\d{4}\b", right_text)
        year = int(explicit[0]) if explicit else right.start.year
        completed = self._inner(f"{left} {year}", ctx)
        if completed is not None and completed.start is not None and completed.start > right.start:
            completed = self._inner(f"{left} {year - 1}", ctx)
        return _mark(completed, right) if completed is not None else None

    # -- words

    def _number(self, text: str) -> int | None:
        if text.isdigit():
            return int(text)
        words = re.split(r"[- ]", text)
        values = [self.w.numbers.get(word) for word in words]
        if None in values:
            return None
        if len(values) == 1:
            return values[0]
        tens, ones = values
        if tens is not None and ones is not None and tens >= 20 and tens % 10 == 0 and ones < 10:
            return tens + ones
        return None

    def _unit(self, word: str) -> str:
        return self.w.units.get(word) or self.w.unit_plurals[word]


# Words of the grammar itself (not of the domain), for the scanner's runs.
_GRAMMAR_WORDS = frozenset(
    {"the", "of", "ago", "from", "now", "to", "and", "between", "until", "till", "through",
     "within", "in", "time", "week", "quarter", "half", "q1", "q2", "q3", "q4", "h1", "h2"}
)
_SHIFTS = {"last": -1, "this": 0, "next": 1, "past": -1}


# --------------------------------------------------------------------------
# Date arithmetic


def _date(year: int, month: int, day: int) -> dt.date | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _day(day: dt.date | None) -> _Span | None:
    return _Span(day, day, "day") if day is not None else None


def _month(year: int, month: int) -> _Span | None:
    if not 1 <= month <= 12:
        return None
    start = _date(year, month, 1)
    if start is None:
        return None
    return _Span(start, start.replace(day=calendar.monthrange(year, month)[1]), "month")


def _year(year: int) -> _Span | None:
    start = _date(year, 1, 1)
    return _Span(start, dt.date(year, 12, 31), "year") if start is not None else None


def _season(first: int, count: int, year: int) -> _Span | None:
    start = _month(year, first)
    last_year, last_month = divmod(first - 1 + count - 1, 12)
    end = _month(year + last_year, last_month + 1)
    if start is None or end is None:
        return None
    return _Span(start.start, end.end, "season", confidence=_SEASON)


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _add_months(day: dt.date, months: int) -> dt.date:
    years, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month_index + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _shift(day: dt.date, unit: str, count: int) -> dt.date:
    if unit == "day":
        return day + dt.timedelta(days=count)
    if unit == "week":
        return day + dt.timedelta(weeks=count)
    months = {"month": 1, "quarter": 3, "year": 12, "decade": 120}[unit]
    return _add_months(day, months * count)


def _unit_span(day: dt.date, unit: str) -> _Span:
    """The calendar unit (Monday-Sunday week, month, quarter, ...) that holds `day`."""
    if unit == "day":
        return _Span(day, day, "day")
    if unit == "week":
        return _Span(_monday(day), _monday(day) + dt.timedelta(days=6), "week")
    if unit == "decade":
        first = day.year - day.year % 10
        return _Span(dt.date(first, 1, 1), dt.date(first + 9, 12, 31), "decade")
    size = {"month": 1, "quarter": 3, "year": 12}[unit]
    first_month = (day.month - 1) // size * size + 1
    start = dt.date(day.year, first_month, 1)
    end = _add_months(start, size) - dt.timedelta(days=1)
    return _Span(start, end, unit)


def _start(span: _Span) -> dt.date:
    assert span.start is not None
    return span.start


def _end(span: _Span) -> dt.date:
    assert span.end is not None
    return span.end


def _nearest(anchor: dt.date | None, make: Callable[[int], _Span | None]) -> _Span | None:
    """Of the occurrences in the anchor's year and the years around it, the nearest."""
    if anchor is None:
        return None
    best: tuple[int, dt.date] | None = None
    chosen = None
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        span = make(year)
        if span is None:
            continue
        start, end = _start(span), _end(span)
        distance = 0 if start <= anchor <= end else min(
            abs((start - anchor).days), abs((end - anchor).days)
        )
        if best is None or (distance, start) < best:
            best, chosen = (distance, start), span
    return _relative(chosen, _NEAREST)


def _third_of(whole: _Span, index: int) -> _Span | None:
    start, end = _start(whole), _end(whole)
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    whole_months = start.day == 1 and end == _add_months(start, months) - dt.timedelta(days=1)
    if whole_months and months >= 3:
        sizes = [months // 3, months - 2 * (months // 3), months // 3]
        first = _add_months(start, sum(sizes[:index]))
        last = _add_months(first, sizes[index]) - dt.timedelta(days=1)
    else:
        days = (end - start).days + 1
        sizes = [days // 3, days - 2 * (days // 3), days // 3]
        first = start + dt.timedelta(days=sum(sizes[:index]))
        last = first + dt.timedelta(days=sizes[index] - 1)
    return _Span(first, last, "range", whole.relative, min(whole.confidence, _THIRD))


def _relative(span: _Span | None, confidence: float) -> _Span | None:
    if span is None:
        return None
    return replace(span, relative=True, confidence=min(span.confidence, confidence))


def _mark(span: _Span | None, source: _Span) -> _Span | None:
    """`span` read with the help of `source`: relative and as sure as the less sure."""
    if span is None:
        return None
    return replace(
        span,
        relative=span.relative or source.relative,
        confidence=min(span.confidence, source.confidence),
    )


def _join(left: _Span | None, right: _Span | None) -> _Span | None:
    if left is None or right is None or left.start is None or right.end is None:
        return None
    if left.start > right.end:
        return None
    return _Span(
        left.start, right.end, "range",
        left.relative or right.relative, min(left.confidence, right.confidence),
    )


def _apply(role: str, span: _Span) -> _Span:
    """What a preposition does to the interval it introduces."""
    if role == "since":
        return replace(span, end=None)
    if role == "until":
        return replace(span, start=None)
    if role == "before" and span.start is not None:
        return replace(span, start=None, end=span.start - dt.timedelta(days=1))
    if role == "after" and span.end is not None:
        return replace(span, start=span.end + dt.timedelta(days=1), end=None)
    return span


# --------------------------------------------------------------------------
# The scanner's tokens

_TOKEN = re.compile(
    r"\d{1,4}(?:[./\-\u2010-\u2015]\d{1,4})*(?:st|nd|rd|th|s)?\b"
    r"|[^\W\d_][^\W_]*(?:[\-\u2010\u2011][^\W_]+)*"
    r"|[,\-\u2013\u2014]"
)
_GAP = re.compile(r"[ \t\u00a0]*")


def _runs(text: str, grammar: _Grammar) -> list[list[tuple[int, int, bool]]]:
    """Runs of adjacent time words on one line: (start, end, is punctuation) each."""
    runs: list[list[tuple[int, int, bool]]] = []
    current: list[tuple[int, int, bool]] = []
    for m in _TOKEN.finditer(text):
        token = m.group()
        punctuation = not token[0].isalnum()
        joined = bool(current) and _GAP.fullmatch(text, current[-1][1], m.start()) is not None
        if not _is_time_token(token, grammar):
            if current:
                runs.append(current)
            current = []
            continue
        if current and not joined:
            runs.append(current)
            current = []
        current.append((m.start(), m.end(), punctuation))
    if current:
        runs.append(current)
    return runs


def _is_time_token(token: str, grammar: _Grammar) -> bool:
    if token[0].isdigit() or not token[0].isalnum():
        return True
    lower = token.lower()
    if lower in grammar.w.ambiguous and not token[0].isupper():
        return False
    parts = re.split(r"[\-\u2010\u2011]", lower)
    return all(part in grammar.vocabulary or part.isdigit() for part in parts)
