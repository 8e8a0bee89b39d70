"""Datelines (sco_graph.read.segment with sco_graph/data/datelines.jsonl): each shape in
made-up stories, the date it gives and how it ranks against feed and file dates."""

from __future__ import annotations

import datetime as dt

import pytest

from sco_graph.read.segment import split_articles
from sco_graph.types import Article, SourceText


def story(text: str) -> Article:
    (article,) = split_articles(SourceText("t.txt", "t.txt", text))
    return article


def spans(article: Article) -> tuple[str, str | None]:
    dateline = article.dateline
    assert dateline is not None
    for span in (dateline.span, dateline.place, dateline.agency):
        if span is not None:
            assert article.text[span.start:span.end] == span.text
    return dateline.place.text, dateline.agency.text if dateline.agency else None


@pytest.mark.parametrize(
    ("lead", "dateline", "place", "agency", "date"),
    [
        ("ULAANBAATAR, September 3, 2024 - Mongolia hosted the talks.",
         "ULAANBAATAR, September 3, 2024 -", "ULAANBAATAR", None, dt.date(2024, 9, 3)),
        ("Dushanbe, Oct. 5, 2023 (Khovar) - Tajikistan hosted the talks.",
         "Dushanbe, Oct. 5, 2023 (Khovar) -", "Dushanbe", "Khovar", dt.date(2023, 10, 5)),
        ("BISHKEK, 12 March 2025 (AKIpress) - Kyrgyzstan hosted the talks.",
         "BISHKEK, 12 March 2025 (AKIpress) -", "BISHKEK", "AKIpress", dt.date(2025, 3, 12)),
        ("NOVOSIBIRSK, June 2, 2025. /Interfax/. Russia hosted the talks.",
         "NOVOSIBIRSK, June 2, 2025. /Interfax/.", "NOVOSIBIRSK", "Interfax",
         dt.date(2025, 6, 2)),
    ],
)
def test_a_dateline_with_its_year_dates_an_undated_story(
    lead: str, dateline: str, place: str, agency: str | None, date: dt.date
) -> None:
    article = story(f"Talks held\n\n{lead}\n")
    assert article.text == f"Talks held\n\n{dateline}\n\n{lead[len(dateline):].lstrip()}"
    assert article.title == "Talks held"
    assert spans(article) == (place, agency)
    assert article.dateline is not None and article.dateline.date == date
    assert article.date == date


@pytest.mark.parametrize(
    ("lead", "place", "agency"),
    [
        ("YEREVAN, Dec. 31 (Armenpress) -- Armenia hosted the talks.", "YEREVAN", "Armenpress"),
        ("Kathmandu, 31 December (Reuters) - Nepal hosted the talks.", "Kathmandu", "Reuters"),
        ("SHYMKENT, December 31. /UzA/. Kazakhstan hosted the talks.", "SHYMKENT", "UzA"),
    ],
)
def test_a_year_less_dateline_takes_the_feed_year_nearest_its_day(
    lead: str, place: str, agency: str
) -> None:
    feed = f"02.01.2025, 10:15\nTalks held at the turn of the year\n{lead}\n"
    article = story(feed)
    assert spans(article) == (place, agency)
    assert article.dateline is not None and article.dateline.date == dt.date(2024, 12, 31)
    assert article.date == dt.date(2025, 1, 2)  # published on the feed's day


def test_a_year_less_dateline_without_a_feed_date_gives_no_date() -> None:
    article = story("Talks held\n\nYEREVAN, Dec. 31 (Armenpress) -- Armenia hosted the talks.\n")
    assert spans(article) == ("YEREVAN", "Armenpress")
    assert article.dateline is not None and article.dateline.date is None
    assert article.date is None


def test_the_file_date_wins_over_a_whole_dateline_date() -> None:
    article = story(" date 2024-07-05\nTalks held\n\n"
                    "ALMATY, July 4, 2024 (Interfax) - Kazakhstan hosted the talks.\n")
    assert article.dateline is not None and article.dateline.date == dt.date(2024, 7, 4)
    assert article.date == dt.date(2024, 7, 5)


@pytest.mark.parametrize(
    ("lead", "place", "agency"),
    [
        ("KATHMANDU (AFP) - Nepal hosted the talks.", "KATHMANDU", "AFP"),
        ("Ankara (Anadolu Agency) - Turkey hosted the talks.", "Ankara", "Anadolu Agency"),
        ("SHYMKENT. KABAR Kazakhstan hosted the talks.", "SHYMKENT", "KABAR"),
        ("NEW DELHI. KABAR - India hosted the talks.", "NEW DELHI", "KABAR"),
        ("Baku. AZERTAC - Azerbaijan hosted the talks.", "Baku", "AZERTAC"),
    ],
)
def test_a_dateline_without_a_day_gives_a_place_and_no_date(
    lead: str, place: str, agency: str
) -> None:
    article = story(f"Talks held\n\n{lead}\n")
    assert spans(article) == (place, agency)
    assert article.dateline is not None and article.dateline.date is None
    assert article.date is None


def test_a_story_that_opens_with_its_dateline_takes_its_title_from_the_lead() -> None:
    article = story("KATHMANDU (AFP) - Nepal hosted the talks. They went well.\n")
    assert article.text.startswith("KATHMANDU (AFP) -\n\nNepal hosted the talks.")
    assert article.title == "Nepal hosted the talks."
    assert article.dateline is not None and article.dateline.span.start == 0


def test_only_the_opening_paragraphs_hold_a_dateline() -> None:
    late = "\n\n".join(f"Paragraph number {n} of the story." for n in range(6))
    article = story(f"{late}\n\nKATHMANDU (AFP) - Nepal hosted the talks.\n")
    assert article.dateline is None
    assert article.text.endswith("KATHMANDU (AFP) - Nepal hosted the talks.")


def test_the_first_dateline_is_the_story_s() -> None:
    article = story("Talks held\n\nBISHKEK (AKIpress) - One.\n\nBAKU (AFP) - Two.\n")
    assert spans(article) == ("BISHKEK", "AKIpress")
    assert article.text.endswith("BAKU (AFP) - Two.")


@pytest.mark.parametrize(
    "lead",
    [
        "Talks were held in BISHKEK. KABAR reported it.",
        "The SCO. It grows.",
        "Bishkek. Kabar reported the talks.",  # a title-case place needs the dash
        "BISHKEK, 12 March - a date alone is no dateline shape.",
    ],
)
def test_prose_is_not_a_dateline(lead: str) -> None:
    assert story(f"Talks held\n\n{lead}\n").dateline is None
