"""Time expressions resolved against the article's date (sco_graph/dates.py)."""

from __future__ import annotations

import calendar
import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sco_graph.errors import DataError
from sco_graph.extract.dates import (
    TimeValue,
    find_time_expressions,
    resolve,
    validity_period,
)
from sco_graph.knowledge.time_words import load_time_words

D = dt.date
ANCHOR = D(2024, 7, 4)  # a Thursday


def interval(phrase: str, anchor: dt.date | None = ANCHOR) -> tuple[object, ...] | None:
    value = resolve(phrase, anchor)
    if value is None:
        return None
    return (value.start, value.end, value.granularity)


def test_anchor_is_a_thursday() -> None:
    assert ANCHOR.strftime("%A") == "Thursday"


# -- conventions, one test each ------------------------------------------------


def test_bare_weekday_is_the_latest_on_or_before_the_anchor() -> None:
    assert interval("on Tuesday") == (D(2024, 7, 2), D(2024, 7, 2), "day")
    assert interval("Tuesday") == (D(2024, 7, 2), D(2024, 7, 2), "day")
    assert interval("on Thursday") == (ANCHOR, ANCHOR, "day")
    assert interval("on Friday") == (D(2024, 6, 28), D(2024, 6, 28), "day")
    assert interval("Tuesday evening") == (D(2024, 7, 2), D(2024, 7, 2), "day")
    value = resolve("on Tuesday", ANCHOR)
    assert value is not None and value.relative and value.confidence == 0.8


def test_last_next_and_this_weekday() -> None:
    assert interval("last Thursday") == (D(2024, 6, 27), D(2024, 6, 27), "day")
    assert interval("last Tuesday") == (D(2024, 7, 2), D(2024, 7, 2), "day")
    assert interval("next Tuesday") == (D(2024, 7, 9), D(2024, 7, 9), "day")
    assert interval("next Thursday") == (D(2024, 7, 11), D(2024, 7, 11), "day")
    assert interval("this Monday") == (D(2024, 7, 1), D(2024, 7, 1), "day")
    assert interval("this Sunday") == (D(2024, 7, 7), D(2024, 7, 7), "day")
    assert interval("Tuesday next week") == (D(2024, 7, 9), D(2024, 7, 9), "day")
    assert interval("on Tuesday of last week") == (D(2024, 6, 25), D(2024, 6, 25), "day")


def test_relative_day_words() -> None:
    assert interval("today") == (ANCHOR, ANCHOR, "day")
    assert interval("Today") == (ANCHOR, ANCHOR, "day")
    assert interval("tomorrow") == (D(2024, 7, 5), D(2024, 7, 5), "day")
    assert interval("yesterday") == (D(2024, 7, 3), D(2024, 7, 3), "day")
    assert interval("the day before yesterday") == (D(2024, 7, 2), D(2024, 7, 2), "day")
    assert interval("last night") == (D(2024, 7, 3), D(2024, 7, 3), "day")
    assert interval("earlier today") == (ANCHOR, ANCHOR, "day")
    assert interval("as of today") == (ANCHOR, ANCHOR, "day")


def test_last_this_next_unit_is_the_whole_calendar_unit() -> None:
    assert interval("last year") == (D(2023, 1, 1), D(2023, 12, 31), "year")
    assert interval("this year") == (D(2024, 1, 1), D(2024, 12, 31), "year")
    assert interval("this year's") == (D(2024, 1, 1), D(2024, 12, 31), "year")
    assert interval("the current year") == (D(2024, 1, 1), D(2024, 12, 31), "year")
    assert interval("next year") == (D(2025, 1, 1), D(2025, 12, 31), "year")
    assert interval("last month") == (D(2024, 6, 1), D(2024, 6, 30), "month")
    assert interval("this week") == (D(2024, 7, 1), D(2024, 7, 7), "week")
    assert interval("last week") == (D(2024, 6, 24), D(2024, 6, 30), "week")
    assert interval("next quarter") == (D(2024, 10, 1), D(2024, 12, 31), "quarter")
    assert interval("this decade") == (D(2020, 1, 1), D(2029, 12, 31), "decade")
    assert interval("last month", D(2024, 1, 15)) == (D(2023, 12, 1), D(2023, 12, 31), "month")


def test_rolling_periods_start_or_end_at_the_anchor() -> None:
    assert interval("in the next three years") == (ANCHOR, D(2027, 7, 4), "range")
    assert interval("the next five years") == (ANCHOR, D(2029, 7, 4), "range")
    assert interval("in the coming two months") == (ANCHOR, D(2024, 9, 4), "range")
    assert interval("within a year") == (ANCHOR, D(2025, 7, 4), "range")
    assert interval("within ten days") == (ANCHOR, D(2024, 7, 14), "range")
    assert interval("the past three decades") == (D(1994, 7, 4), ANCHOR, "range")
    assert interval("over the past year") == (D(2023, 7, 4), ANCHOR, "range")
    assert interval("the last two weeks") == (D(2024, 6, 20), ANCHOR, "range")
    assert interval("in the past 5 years") == (D(2019, 7, 4), ANCHOR, "range")


def test_rolling_periods_fall_back_to_the_last_day_of_a_short_month() -> None:
    assert interval("the next year", D(2024, 2, 29)) == (D(2024, 2, 29), D(2025, 2, 28), "range")
    assert interval("the next month", D(2024, 1, 31)) == (D(2024, 1, 31), D(2024, 2, 29), "range")


def test_units_ago_and_from_now_are_the_unit_holding_the_moved_anchor() -> None:
    assert interval("23 years ago") == (D(2001, 1, 1), D(2001, 12, 31), "year")
    assert interval("twenty-five years ago") == (D(1999, 1, 1), D(1999, 12, 31), "year")
    assert interval("a month ago") == (D(2024, 6, 1), D(2024, 6, 30), "month")
    assert interval("two weeks ago") == (D(2024, 6, 17), D(2024, 6, 23), "week")
    assert interval("in two days") == (D(2024, 7, 6), D(2024, 7, 6), "day")
    assert interval("three days from now") == (D(2024, 7, 7), D(2024, 7, 7), "day")


def test_earlier_and_later_this_unit() -> None:
    assert interval("earlier this month") == (D(2024, 7, 1), ANCHOR, "range")
    assert interval("Earlier this month") == (D(2024, 7, 1), ANCHOR, "range")
    assert interval("earlier this week") == (D(2024, 7, 1), ANCHOR, "range")
    assert interval("earlier this year") == (D(2024, 1, 1), ANCHOR, "range")
    assert interval("later this year") == (ANCHOR, D(2024, 12, 31), "range")


def test_this_season_is_the_meteorological_season_of_the_anchors_year() -> None:
    assert interval("this fall") == (D(2024, 9, 1), D(2024, 11, 30), "season")
    assert interval("this autumn") == (D(2024, 9, 1), D(2024, 11, 30), "season")
    assert interval("this spring") == (D(2024, 3, 1), D(2024, 5, 31), "season")
    assert interval("in the summer") == (D(2024, 6, 1), D(2024, 8, 31), "season")
    # winter starts in December: the coming one in July, the current one in January
    assert interval("this winter") == (D(2024, 12, 1), D(2025, 2, 28), "season")
    assert interval("this winter", D(2024, 1, 15)) == (D(2023, 12, 1), D(2024, 2, 29), "season")


def test_last_and_next_season() -> None:
    assert interval("last fall") == (D(2023, 9, 1), D(2023, 11, 30), "season")
    assert interval("last spring") == (D(2024, 3, 1), D(2024, 5, 31), "season")
    assert interval("next spring") == (D(2025, 3, 1), D(2025, 5, 31), "season")
    assert interval("next summer") == (D(2025, 6, 1), D(2025, 8, 31), "season")
    assert interval("the summer of last year") == (D(2023, 6, 1), D(2023, 8, 31), "season")


def test_season_with_a_year_is_absolute_and_starts_in_that_year() -> None:
    for anchor in (ANCHOR, None):
        assert interval("in spring 2024", anchor) == (D(2024, 3, 1), D(2024, 5, 31), "season")
        assert interval("the autumn of 2019", anchor) == (D(2019, 9, 1), D(2019, 11, 30), "season")
        assert interval("winter 2024", anchor) == (D(2024, 12, 1), D(2025, 2, 28), "season")
        assert interval("winter 2023-24", anchor) == (D(2023, 12, 1), D(2024, 2, 29), "season")
    value = resolve("in spring 2024", None)
    assert value is not None and not value.relative
    assert interval("summer 2023-24") is None  # only a season across New Year spans two years


def test_month_with_a_relative_year() -> None:
    assert interval("November last year") == (D(2023, 11, 1), D(2023, 11, 30), "month")
    assert interval("in March next year") == (D(2025, 3, 1), D(2025, 3, 31), "month")
    assert interval("last November") == (D(2023, 11, 1), D(2023, 11, 30), "month")
    assert interval("last June") == (D(2024, 6, 1), D(2024, 6, 30), "month")
    assert interval("last July") == (D(2023, 7, 1), D(2023, 7, 31), "month")
    assert interval("next November") == (D(2024, 11, 1), D(2024, 11, 30), "month")
    assert interval("next March") == (D(2025, 3, 1), D(2025, 3, 31), "month")
    assert interval("July 4 last year") == (D(2023, 7, 4), D(2023, 7, 4), "day")


def test_month_or_day_without_a_year_is_the_occurrence_nearest_the_anchor() -> None:
    assert interval("July 4") == (ANCHOR, ANCHOR, "day")
    assert interval("on 30 December", D(2024, 1, 2)) == (D(2023, 12, 30), D(2023, 12, 30), "day")
    assert interval("in November") == (D(2024, 11, 1), D(2024, 11, 30), "month")
    assert interval("in January", D(2024, 11, 20)) == (D(2025, 1, 1), D(2025, 1, 31), "month")
    assert interval("February 29", D(2025, 6, 1)) == (D(2024, 2, 29), D(2024, 2, 29), "day")
    assert interval("February 29", D(2026, 6, 1)) is None  # no leap year near enough
    value = resolve("July 4", ANCHOR)
    assert value is not None and value.relative and value.confidence == 0.7


def test_absolute_dates_need_no_anchor() -> None:
    cases = {
        "on 1 January 2022": (D(2022, 1, 1), D(2022, 1, 1), "day"),
        "July 4, 2024": (D(2024, 7, 4), D(2024, 7, 4), "day"),
        "the 4th of July 2024": (D(2024, 7, 4), D(2024, 7, 4), "day"),
        "Jan. 5, 2024": (D(2024, 1, 5), D(2024, 1, 5), "day"),
        "Tuesday, 2 July 2024": (D(2024, 7, 2), D(2024, 7, 2), "day"),
        "2024-07-04": (D(2024, 7, 4), D(2024, 7, 4), "day"),
        "04.07.2024": (D(2024, 7, 4), D(2024, 7, 4), "day"),  # day.month.year
        "In April 1996": (D(1996, 4, 1), D(1996, 4, 30), "month"),
        "2024-07": (D(2024, 7, 1), D(2024, 7, 31), "month"),
        "in 2023": (D(2023, 1, 1), D(2023, 12, 31), "year"),
        "in the year 2024": (D(2024, 1, 1), D(2024, 12, 31), "year"),
        "the 1990s": (D(1990, 1, 1), D(1999, 12, 31), "decade"),
        "Q3 2023": (D(2023, 7, 1), D(2023, 9, 30), "quarter"),
        "the first quarter of 2024": (D(2024, 1, 1), D(2024, 3, 31), "quarter"),
        "the second half of 2023": (D(2023, 7, 1), D(2023, 12, 31), "half"),
    }
    for phrase, expected in cases.items():
        for anchor in (None, ANCHOR, D(1950, 1, 1)):
            value = resolve(phrase, anchor)
            assert value is not None, phrase
            assert (value.start, value.end, value.granularity) == expected, phrase
            assert not value.relative and value.confidence == 1.0, phrase


def test_quarter_of_a_relative_year() -> None:
    assert interval("the second half of last year") == (D(2023, 7, 1), D(2023, 12, 31), "half")
    assert interval("Q1 next year") == (D(2025, 1, 1), D(2025, 3, 31), "quarter")


def test_prepositions_open_one_side() -> None:
    assert interval("since 1 January 2022") == (D(2022, 1, 1), None, "day")
    assert interval("from 2020") == (D(2020, 1, 1), None, "year")
    assert interval("until 2035") == (None, D(2035, 12, 31), "year")
    assert interval("by the end of 2025") == (None, D(2025, 12, 31), "range")
    assert interval("before 2020") == (None, D(2019, 12, 31), "year")
    assert interval("after 2020") == (D(2021, 1, 1), None, "year")
    assert interval("until now") == (None, ANCHOR, "day")
    assert interval("since last year") == (D(2023, 1, 1), None, "year")


def test_ranges_run_from_the_first_start_to_the_last_end() -> None:
    assert interval("from 2024 to 2029") == (D(2024, 1, 1), D(2029, 12, 31), "range")
    assert interval("between 2020 and 2022") == (D(2020, 1, 1), D(2022, 12, 31), "range")
    assert interval("3-4 July 2024") == (D(2024, 7, 3), D(2024, 7, 4), "range")
    assert interval("July 3–4, 2024") == (D(2024, 7, 3), D(2024, 7, 4), "range")
    assert interval("January to March 2024") == (D(2024, 1, 1), D(2024, 3, 31), "range")
    assert interval("from 30 June to 2 July 2024") == (D(2024, 6, 30), D(2024, 7, 2), "range")
    assert interval("December-February") == (D(2023, 12, 1), D(2024, 2, 29), "range")
    assert interval("from 2029 to 2024") is None
    assert interval("2029-2024") is None


def test_year_ranges() -> None:
    assert interval("2025-2027", None) == (D(2025, 1, 1), D(2027, 12, 31), "range")
    assert interval("2025–2027", None) == (D(2025, 1, 1), D(2027, 12, 31), "range")
    assert interval("2025 - 2027", None) == (D(2025, 1, 1), D(2027, 12, 31), "range")
    assert interval("for 2024-25", None) == (D(2024, 1, 1), D(2025, 12, 31), "range")
    assert interval("2024/25", None) == (D(2024, 1, 1), D(2025, 12, 31), "range")
    assert interval("for 2024-25 period", None) == (D(2024, 1, 1), D(2025, 12, 31), "range")
    assert interval("2011-12", None) == (D(2011, 1, 1), D(2012, 12, 31), "range")


def test_thirds_of_a_period() -> None:
    assert interval("early 2024", None) == (D(2024, 1, 1), D(2024, 4, 30), "range")
    assert interval("mid-2024", None) == (D(2024, 5, 1), D(2024, 8, 31), "range")
    assert interval("late 2023", None) == (D(2023, 9, 1), D(2023, 12, 31), "range")
    assert interval("the beginning of 2022", None) == (D(2022, 1, 1), D(2022, 4, 30), "range")
    assert interval("early July 2024", None) == (D(2024, 7, 1), D(2024, 7, 10), "range")
    assert interval("the end of the year") == (D(2024, 9, 1), D(2024, 12, 31), "range")
    value = resolve("early 2024", None)
    assert value is not None and value.confidence == 0.6


@pytest.mark.parametrize(
    "phrase",
    ["February 30, 2024", "31 April 2024", "2024-13-01", "2024-02-30", "32.01.2024",
     "Q5 2024", "the fifth quarter of 2024", "on 0 May 2024", "in 0999", "in 3000"],
)
def test_impossible_dates_are_none(phrase: str) -> None:
    assert resolve(phrase, ANCHOR) is None


@pytest.mark.parametrize(
    "phrase",
    ["three years", "a century", "the year", "ten-year", "the turn of the century", "years",
     "2024-07-06 04.07.2024", "", "   ", "Kazakhstan", "the coming years", "0 years ago",
     "the SCO summit", "in the year of Kazakhstan's chairmanship"],
)
def test_durations_and_other_text_are_none(phrase: str) -> None:
    assert resolve(phrase, ANCHOR) is None


@pytest.mark.parametrize(
    "phrase",
    ["on Tuesday", "today", "tomorrow", "yesterday", "last year", "this fall",
     "November last year", "earlier this month", "in the next three years", "July 4",
     "in November", "23 years ago", "the end of the year", "until now", "December-February"],
)
def test_relative_phrases_without_an_anchor_are_none(phrase: str) -> None:
    assert resolve(phrase, ANCHOR) is not None
    assert resolve(phrase, None) is None


def test_value_keeps_the_phrase_as_given() -> None:
    value = resolve("  On Tuesday, ", ANCHOR)
    assert value == TimeValue("  On Tuesday, ", D(2024, 7, 2), D(2024, 7, 2), "day", True, 0.8)


def test_odd_arguments_give_none() -> None:
    assert resolve(None, ANCHOR) is None  # type: ignore[arg-type]
    assert resolve(2024, ANCHOR) is None  # type: ignore[arg-type]
    assert resolve("today", "2024-07-04") is None  # type: ignore[arg-type]
    assert resolve("x" * 500, ANCHOR) is None
    assert resolve("today", dt.datetime(2024, 7, 4, 23, 59)) == resolve("today", ANCHOR)
    assert resolve("tomorrow", D.max) is None  # past the calendar's end
    assert resolve("yesterday", D.min) is None


# -- validity periods -------------------------------------------------------------


def test_validity_period_of_year_ranges() -> None:
    assert validity_period("for 2024-2029") == TimeValue(
        "for 2024-2029", D(2024, 1, 1), D(2029, 12, 31), "range"
    )
    cases = {
        "for 2024-25": (D(2024, 1, 1), D(2025, 12, 31)),
        "until 2035": (None, D(2035, 12, 31)),
        "2025–2027": (D(2025, 1, 1), D(2027, 12, 31)),
        "for the period 2021–2025": (D(2021, 1, 1), D(2025, 12, 31)),
        "for the period up to 2030": (None, D(2030, 12, 31)),
        "the 2024-2025 period": (D(2024, 1, 1), D(2025, 12, 31)),
        "from 2024 to 2029": (D(2024, 1, 1), D(2029, 12, 31)),
        "for 2024": (D(2024, 1, 1), D(2024, 12, 31)),
    }
    for phrase, expected in cases.items():
        value = validity_period(phrase)
        assert value is not None, phrase
        assert (value.start, value.end) == expected, phrase
        assert not value.relative


def test_validity_period_inside_a_document_name() -> None:
    value = validity_period("SCO Anti-Drug Strategy for 2024-2029")
    assert value == TimeValue("for 2024-2029", D(2024, 1, 1), D(2029, 12, 31), "range")
    value = validity_period("Development Strategy of the SCO until 2035")
    assert value is not None and (value.phrase, value.start, value.end) == (
        "until 2035", None, D(2035, 12, 31)
    )
    value = validity_period("Program of Cooperation in Countering Terrorism for 2025-2027")
    assert value is not None and (value.start, value.end) == (D(2025, 1, 1), D(2027, 12, 31))
    # the document's own period comes first; a later one belongs to something else
    value = validity_period("Action Plan for 2023-2027 to implement the Strategy until 2035")
    assert value is not None and (value.start, value.end) == (D(2023, 1, 1), D(2027, 12, 31))


@pytest.mark.parametrize(
    "phrase", ["Astana Declaration", "in April 1996", "last year", "since 1 January 2022",
               "3-4 July 2024", "", "early 2024"],
)
def test_no_validity_period(phrase: str) -> None:
    assert validity_period(phrase) is None


# -- scanner -------------------------------------------------------------------------


def spans(text: str, anchor: dt.date | None = ANCHOR) -> list[tuple[str, object, object]]:
    return [(text[s:e], v.start, v.end) for s, e, v in find_time_expressions(text, anchor)]


def test_scanner_finds_expressions_with_their_prepositions() -> None:
    text = (
        "Xi Jinping here on Thursday called for training 1,000 officials in the next three "
        "years. The agreement applies since 1 January 2022 and the strategy until 2035. "
        "Tokayev visited Moscow November last year and will return this fall."
    )
    assert spans(text) == [
        ("on Thursday", ANCHOR, ANCHOR),
        ("in the next three years", ANCHOR, D(2027, 7, 4)),
        ("since 1 January 2022", D(2022, 1, 1), None),
        ("until 2035", None, D(2035, 12, 31)),
        ("November last year", D(2023, 11, 1), D(2023, 11, 30)),
        ("this fall", D(2024, 9, 1), D(2024, 11, 30)),
    ]


def test_scanner_offsets_point_into_the_text() -> None:
    text = "ASTANA. 04.07.2024, 13:49 Today, the Astana Declaration was signed."
    found = find_time_expressions(text, D(2024, 7, 6))
    assert [(s, e) for s, e, _ in found] == [(8, 18), (26, 31)]
    assert [v.phrase for _, _, v in found] == ["04.07.2024", "Today"]
    assert [v.start for _, _, v in found] == [D(2024, 7, 4), D(2024, 7, 6)]


def test_scanner_without_anchor_keeps_only_absolute_expressions() -> None:
    text = "Last year the SCO adopted the Anti-Drug Strategy for 2024-2029 on 4 July 2024."
    assert spans(text, None) == [
        ("for 2024-2029", D(2024, 1, 1), D(2029, 12, 31)),
        ("on 4 July 2024", D(2024, 7, 4), D(2024, 7, 4)),
    ]


def test_scanner_needs_context_for_words_that_are_mostly_something_else() -> None:
    text = (
        "They may agree. Prices fall. It is now a member. 1500 people came; 2000 delegates "
        "too. Troops march. In May the leaders met in spring, and until now in 1500."
    )
    assert spans(text) == [
        ("2000", D(2000, 1, 1), D(2000, 12, 31)),  # a bare year in the plausible window
        ("In May", D(2024, 5, 1), D(2024, 5, 31)),
        ("in spring", D(2024, 3, 1), D(2024, 5, 31)),
        ("until now", None, ANCHOR),
        ("in 1500", D(1500, 1, 1), D(1500, 12, 31)),
    ]


def test_scanner_reads_ranges_and_dates_across_commas_but_not_lines() -> None:
    text = "The summit on 3-4 July 2024 follows the one on Tuesday, July 2,\n2023 report."
    assert spans(text) == [
        ("on 3-4 July 2024", D(2024, 7, 3), D(2024, 7, 4)),
        ("on Tuesday, July 2", D(2024, 7, 2), D(2024, 7, 2)),
        ("2023", D(2023, 1, 1), D(2023, 12, 31)),
    ]


def test_scanner_stops_before_a_possessive() -> None:
    assert spans("today's meeting of this year's council") == [
        ("today", ANCHOR, ANCHOR),
        ("this year", D(2024, 1, 1), D(2024, 12, 31)),
    ]


# -- the words file --------------------------------------------------------------------


def test_shipped_time_words_load() -> None:
    words = load_time_words()
    assert sorted(set(words.months.values())) == list(range(1, 13))
    assert words.months["sept"] == 9
    assert words.seasons["fall"] == words.seasons["autumn"] == (9, 3)
    assert words.seasons["winter"] == (12, 3)
    assert words.numbers["three"] == 3
    assert words.prepositions["since"] == "since"
    assert "may" in words.ambiguous


def _write(tmp_path: Path, *records: dict[str, object]) -> tuple[Path, int]:
    """A minimal valid words file with `records` at its end, and the first one's line."""
    lines = [json.dumps({"kind": "month", "value": n, "words": [calendar.month_name[n].lower()]})
             for n in range(1, 13)]
    lines += [json.dumps({"kind": "weekday", "value": n, "words": [calendar.day_name[n].lower()]})
              for n in range(7)]
    lines += [json.dumps({"kind": k, "value": v, "words": [w]}) for k, v, w in (
        ("unit", "year", "year"), ("number", 3, "three"), ("preposition", "at", "in"))]
    first = len(lines) + 1
    lines += [json.dumps(record) for record in records]
    path = tmp_path / "time_words.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, first


def test_a_minimal_words_file_loads(tmp_path: Path) -> None:
    path, _ = _write(tmp_path)
    words = load_time_words(path)
    assert words.months["june"] == 6 and words.units == {"year": "year"}


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"kind": "colour", "words": ["red"]}, "kind 'colour' is not one of"),
        ({"kind": "month", "value": 13, "words": ["smarch"]},
         "month value 13 must be a whole number 1-12"),
        ({"kind": "month", "value": 7, "words": ["june"]},
         "word 'june' already has the value 6"),
        ({"kind": "unit", "value": "fortnight", "words": ["fortnight"]},
         "unit value 'fortnight' is not one of"),
        ({"kind": "number", "value": 2, "words": ["Two"]}, "word 'Two' must be lower case"),
        ({"kind": "number", "value": 2, "words": []}, "field 'words' must be a non-empty list"),
        ({"kind": "season", "value": "wet", "months": [11, 1], "words": ["wet season"]},
         "a season needs a name and a list of consecutive months"),
        ({"kind": "weekday", "value": 1, "words": ["tue"], "colour": "red"},
         "unknown field(s) colour for weekday"),
        ({"kind": "relative_day", "value": 0, "words": ["now"], "bare": "no"},
         "field 'bare' must be true or false"),
    ],
)
def test_malformed_words_file_is_a_data_error_naming_the_line(
    tmp_path: Path, record: dict[str, object], message: str
) -> None:
    path, line = _write(tmp_path, record)
    with pytest.raises(DataError) as caught:
        load_time_words(path)
    assert str(caught.value).startswith(f"{path}:{line}: {message}")


def test_words_file_missing_a_month_is_a_data_error(tmp_path: Path) -> None:
    path, _ = _write(tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(line for line in lines if "december" not in line), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_time_words(path)
    assert str(caught.value) == f"{path}: the month words do not name all 12 months"


# -- properties ------------------------------------------------------------------------

_words = load_time_words()
_any_anchor = st.dates(min_value=D(1, 1, 1), max_value=D(9999, 12, 31))
_news_anchor = st.dates(min_value=D(1900, 1, 1), max_value=D(2100, 12, 31))
_prepositions = st.sampled_from(["", *sorted(_words.prepositions), "from", "between"])
_piece = st.one_of(
    st.sampled_from(sorted(_words.months)),
    st.sampled_from(sorted(_words.weekdays)),
    st.sampled_from(sorted(_words.seasons)),
    st.sampled_from(sorted(_words.relative_days)),
    st.sampled_from(sorted([*_words.units, *_words.unit_plurals])),
    st.sampled_from(sorted(_words.numbers)),
    st.sampled_from(sorted(_words.ordinals)),
    st.sampled_from(sorted(_words.modifiers)),
    st.sampled_from(sorted(_words.parts)),
    st.sampled_from(["the", "of", "ago", "to", "and", "-", ",", "q2", "period", "1990s"]),
    st.integers(min_value=0, max_value=40).map(str),
    st.integers(min_value=990, max_value=3010).map(str),
    st.builds(lambda a, b: f"{a}-{b:02d}", st.integers(1990, 2030), st.integers(0, 99)),
)
_random_phrases = st.builds(
    lambda prep, pieces: " ".join([prep, *pieces]).strip(),
    _prepositions,
    st.lists(_piece, min_size=1, max_size=5),
)
_sample = st.sampled_from
_unit_words = sorted([*_words.units, *_words.unit_plurals])
# phrases of the shapes the press writes, with their words drawn at random
_shaped_phrases = st.one_of(
    st.builds("{} {} {}".format, _prepositions, _sample(sorted(_words.modifiers)),
              _sample([*_unit_words, *sorted(_words.weekdays), *sorted(_words.seasons)])),
    st.builds("{} the {} {} {}".format, _prepositions, _sample(sorted(_words.modifiers)),
              _sample(sorted(_words.numbers)), _sample(_unit_words)),
    st.builds("{} {} ago".format, st.integers(0, 40), _sample(_unit_words)),
    st.builds("{} {} {}".format, _sample(sorted(_words.months)), st.integers(0, 32),
              _sample(["", "last year", "this year", "next year", "2024", "1999"])),
    st.builds("{} {} {}".format, _sample(sorted(_words.parts)), _sample(["", "the"]),
              _sample(["2024", "July 2024", "spring 2023", "year", "this month", "1990s"])),
    st.builds("{} {} to {}".format, _prepositions, _piece, _piece),
)
_phrases = st.one_of(_random_phrases, _shaped_phrases)


@settings(max_examples=400, deadline=None)
@given(phrase=_phrases, anchor=_any_anchor)
def test_resolve_never_raises_and_keeps_start_before_end(phrase: str, anchor: dt.date) -> None:
    value = resolve(phrase, anchor)
    if value is None:
        return
    assert value.phrase == phrase
    assert value.start is not None or value.end is not None
    if value.start is not None and value.end is not None:
        assert value.start <= value.end
    assert 0 < value.confidence <= 1
    # a value that did not need the anchor is the same without it, and one that did is None
    without = resolve(phrase, None)
    assert without == (None if value.relative else value)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=80), anchor=st.one_of(st.none(), _any_anchor))
def test_arbitrary_text_never_raises(text: str, anchor: dt.date | None) -> None:
    resolve(text, anchor)
    validity_period(text)
    previous_end = 0
    for start, end, value in find_time_expressions(text, anchor):
        assert previous_end <= start < end <= len(text)
        assert value.phrase == text[start:end]
        previous_end = end


_absolute = st.one_of(
    st.dates(min_value=D(1000, 1, 1), max_value=D(2999, 12, 31)).flatmap(
        lambda d: st.sampled_from([
            d.isoformat(), d.strftime("%d.%m.%Y"), f"{d.day} {d:%B %Y}",
            f"{d:%B} {d.day}, {d.year}", f"on {d.day} {d:%B %Y}", f"since {d:%B %Y}",
            f"until {d.year}", f"in spring {d.year}",
        ])
    ),
    st.builds(lambda y, n: f"for {y}-{y + n}", st.integers(1000, 2990), st.integers(0, 9)),
    st.builds(lambda d, m, y: f"{d} {m} {y}", st.integers(0, 32),
              st.sampled_from(sorted(_words.months)), st.integers(990, 3010)),
)


@settings(max_examples=300, deadline=None)
@given(phrase=_absolute, first=_news_anchor, second=_news_anchor)
def test_absolute_phrases_do_not_depend_on_the_anchor(
    phrase: str, first: dt.date, second: dt.date
) -> None:
    value = resolve(phrase, first)
    assert value == resolve(phrase, second) == resolve(phrase, None)
    assert value is None or not value.relative


@settings(max_examples=200, deadline=None)
@given(day=st.dates(min_value=D(1000, 1, 1), max_value=D(2999, 12, 31)))
def test_written_dates_read_back_as_that_day(day: dt.date) -> None:
    for phrase in (day.isoformat(), day.strftime("%d.%m.%Y"), f"{day.day} {day:%B %Y}",
                   f"{day:%B} {day.day}, {day.year}", f"{day:%b}. {day.day}, {day.year}"):
        value = resolve(phrase, None)
        assert value is not None, phrase
        assert (value.start, value.end, value.granularity) == (day, day, "day"), phrase


@settings(max_examples=200, deadline=None)
@given(anchor=_news_anchor, weekday=st.sampled_from(sorted(_words.weekdays)))
def test_weekdays_land_on_their_day_within_a_week(anchor: dt.date, weekday: str) -> None:
    bare, last, nxt = (resolve(p, anchor) for p in (weekday, f"last {weekday}", f"next {weekday}"))
    assert bare and last and nxt and bare.start and last.start and nxt.start
    wanted = _words.weekdays[weekday]
    assert bare.start.weekday() == last.start.weekday() == nxt.start.weekday() == wanted
    assert 0 <= (anchor - bare.start).days <= 6
    assert 1 <= (anchor - last.start).days <= 7
    assert 1 <= (nxt.start - anchor).days <= 7
