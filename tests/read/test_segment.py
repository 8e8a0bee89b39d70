"""Splitting sources into stories and dropping boilerplate (sco_graph.read.segment)."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path

import pytest
from conftest import CORPUS
from hypothesis import given
from hypothesis import strategies as st

from sco_graph.errors import DataError
from sco_graph.read.reader import read_source
from sco_graph.read.segment import ReadingRules, first_sentence, is_headline, split_articles
from sco_graph.resources import data_dir
from sco_graph.types import Article, SourceText

RULES = ReadingRules.load()


def split(text: str, name: str = "t.txt") -> list[Article]:
    return split_articles(SourceText(name=name, path=name, text=text), RULES)


def paragraphs(article: Article) -> list[str]:
    return article.text.split("\n\n")


def corpus(name: str) -> list[Article]:
    return split_articles(read_source(CORPUS / name))


# --- the bundled corpus -----------------------------------------------------

FEED = "004_9f71f0bf7ef8b156.txt"
FEED_STORIES = [
    (dt.date(2024, 7, 4), "President Tokayev sums up Kazakhstan’s SCO chairmanship results"),
    (
        dt.date(2024, 7, 5),
        "Xi calls for building common home of solidarity, prosperity and fairness",
    ),
    (dt.date(2024, 7, 5), "Xi warns SCO members of real threat from Cold War mentality"),
    (dt.date(2024, 7, 4), "Kazakhstan hands over SCO presidency to China for 2024-25 period"),
    (dt.date(2024, 7, 4), "Nurlan Yermekbayev appointed Secretary General of the SCO"),
    (
        dt.date(2024, 7, 4),
        "SCO members sign key documents on cooperation, including Astana Declaration",
    ),
    (dt.date(2024, 7, 4), "Belarus officially joins SCO, becoming its 10th member state"),
    (dt.date(2024, 7, 4), "SCO summit begins in Astana"),
    (dt.date(2024, 7, 3), "Head of State Tokayev, Russian President Putin hold talks in Astana"),
]


@pytest.mark.parametrize(
    ("name", "count"),
    [
        ("000_36e8ee55338207d0.txt", 1),
        ("001_379da171dd1113d9.txt", 1),
        ("002_087525200bfdace2.txt", 1),
        ("003_40421d8e319eeb75.txt", 1),
        (FEED, 9),
    ],
)
def test_stories_per_corpus_file(name: str, count: int) -> None:
    articles = corpus(name)
    assert [article.index for article in articles] == list(range(count))
    assert {article.source for article in articles} == {name}


def test_feed_stories_have_their_own_dates_and_titles() -> None:
    articles = corpus(FEED)
    assert [(article.date, article.title) for article in articles] == FEED_STORIES
    for article in articles:
        assert article.text.startswith(article.title + "\n\n")
        assert "04.07.2024" not in article.text and "6031" not in article.text


def test_feed_story_keeps_every_line_a_paragraph() -> None:
    documents = corpus(FEED)[5]
    assert paragraphs(documents)[3:6] == [
        "The following decisions have been signed by the Heads of State:",
        "- To approve the SCO initiative on world unity for just peace, harmony and development;",
        "- On the draft SCO development strategy until 2035;",
    ]
    assert len(paragraphs(documents)) == 27


def test_single_story_dates_come_from_the_file_marker() -> None:
    assert [article.date for article in corpus("000_36e8ee55338207d0.txt")] == [
        dt.date(2025, 9, 1)
    ]
    assert [article.date for article in corpus("003_40421d8e319eeb75.txt")] == [
        dt.date(2023, 7, 4)
    ]
    assert corpus("001_379da171dd1113d9.txt")[0].date is None
    assert corpus("002_087525200bfdace2.txt")[0].date is None


def test_headline_on_the_marker_line_is_the_title() -> None:
    (article,) = corpus("000_36e8ee55338207d0.txt")
    assert article.title == (
        "Kassym-Jomart Tokayev named strengthening strategic partnership and mutual "
        "support within the SCO as the first priority."
    )
    assert article.text.startswith(article.title + "\n\nAmid escalating geopolitical")
    assert "date 2025" not in article.text


def test_long_lead_gives_its_first_sentence_and_its_dateline_a_paragraph() -> None:
    (article,) = corpus("003_40421d8e319eeb75.txt")
    assert article.title == (
        "Head of State Kassym-Jomart Tokayev has initiated adopting the SCO’s Anti-Drug "
        "Strategy for 2024-2029 and the Action Program on its implementation."
    )
    assert article.text.startswith(
        "ASTANA. KAZINFORM\n\n" + article.title + " All these measures will help"
    )
    assert article.dateline is not None
    assert (article.dateline.place.text, article.dateline.place.start) == ("ASTANA", 0)
    assert article.date == dt.date(2023, 7, 4)  # the file's date; the dateline gives none
    assert len(paragraphs(article)) == 6


def test_boilerplate_lines_are_dropped_from_the_corpus() -> None:
    texts = {name: corpus(name)[0].text for name in ("001_379da171dd1113d9.txt",
                                                      "002_087525200bfdace2.txt")}
    for text in texts.values():
        assert "Photo credit" not in text
        assert "Currently reading" not in text
    assert texts["002_087525200bfdace2.txt"].endswith("and cultural cooperation.")


def test_repeated_paragraphs_in_001_are_kept_once() -> None:
    (article,) = corpus("001_379da171dd1113d9.txt")
    title = (
        "Culture, ecology and fight against crime – President Tokayev meets SCO foreign ministers"
    )
    assert article.title == title
    found = paragraphs(article)
    assert found[0] == title and found.count(title) == 1
    # The lead is repeated with only "News"/"news" differing.
    assert found[1] == (
        "President Kassym-Jomart Tokayev has held a meeting with the ministers of foreign "
        "affairs of the Shanghai Cooperation Organization member states, Kazinform News "
        "Agency learned from the Akorda press service."
    )
    assert sum("learned from the Akorda press service" in p for p in found) == 1
    assert found[2].startswith("On behalf of Kazakhstan")


def test_captions_are_content() -> None:
    found = paragraphs(corpus("001_379da171dd1113d9.txt")[0])
    assert "President Kassym-Jomart Tokayev" in found
    assert found.count("SCO Ministerial Meeting in Astana") == 1
    assert "Kazakh President" in paragraphs(corpus("002_087525200bfdace2.txt")[0])


# --- dates and feeds ----------------------------------------------------------


def test_marker_with_text_on_its_line() -> None:
    (article,) = split(" date 2024-07-04 Tokayev meets Putin\n\nThey met in Astana.\n")
    assert article == Article(
        source="t.txt",
        index=0,
        text="Tokayev meets Putin\n\nThey met in Astana.",
        title="Tokayev meets Putin",
        date=dt.date(2024, 7, 4),
    )


def test_marker_alone_on_its_line() -> None:
    (article,) = split("date 2024-07-04\nTokayev meets Putin\n")
    assert (article.date, article.text) == (dt.date(2024, 7, 4), "Tokayev meets Putin")


def test_invalid_marker_date_is_left_as_text() -> None:
    (article,) = split(" date 2024-02-30 Tokayev meets Putin\n")
    assert article.date is None
    assert article.title == "date 2024-02-30 Tokayev meets Putin"


def test_feed_lines_start_stories_dated_by_their_own_line() -> None:
    text = (
        " date 2024-07-06 04.07.2024, 13:49 6031\nSummit opens\nLeaders arrive.\n"
        "05.07.2024\nXi speaks\nXi said so.\nHe left.\n"
        "2024-07-03 09:15\nTalks held\nThey talked.\n"
    )
    articles = split(text)
    assert [(a.index, a.date, a.title, a.text) for a in articles] == [
        (0, dt.date(2024, 7, 4), "Summit opens", "Summit opens\n\nLeaders arrive."),
        (1, dt.date(2024, 7, 5), "Xi speaks", "Xi speaks\n\nXi said so.\n\nHe left."),
        (2, dt.date(2024, 7, 3), "Talks held", "Talks held\n\nThey talked."),
    ]


def test_feed_with_blank_lines_between_date_and_headline() -> None:
    articles = split("04.07.2024\n\nSummit opens\n\nLeaders arrive.\n\n05.07.2024\n\nXi speaks\n")
    assert [(a.date, a.title) for a in articles] == [
        (dt.date(2024, 7, 4), "Summit opens"),
        (dt.date(2024, 7, 5), "Xi speaks"),
    ]


def test_date_line_before_a_long_paragraph_does_not_start_a_story() -> None:
    body = "The leaders met. " * 20
    (article,) = split(f"Summit opens\n04.07.2024\n{body.strip()}\n")
    assert paragraphs(article) == ["Summit opens", "04.07.2024", body.strip()]


def test_impossible_date_line_does_not_start_a_story() -> None:
    (article,) = split("Summit opens\n31.02.2024\nXi speaks\n")
    assert paragraphs(article) == ["Summit opens", "31.02.2024", "Xi speaks"]


def test_text_before_the_first_dated_story_is_its_own_story() -> None:
    articles = split(" date 2024-07-06 Kazinform feed\n04.07.2024\nSummit opens\nBody.\n")
    assert [(a.index, a.date, a.text) for a in articles] == [
        (0, dt.date(2024, 7, 6), "Kazinform feed"),
        (1, dt.date(2024, 7, 4), "Summit opens\n\nBody."),
    ]


# --- titles -------------------------------------------------------------------


def test_title_is_the_first_sentence_of_a_lead() -> None:
    (article,) = split(
        "Mr. Zhang met Dr. J. Smith in the U.S. capital on Jan. 5 2024. They spoke.\n"
    )
    assert article.title == "Mr. Zhang met Dr. J. Smith in the U.S. capital on Jan. 5 2024."


@pytest.mark.parametrize(
    ("paragraph", "sentence"),
    [
        ("SCO summit begins in Astana", "SCO summit begins in Astana"),
        ("Xi spoke. He left.", "Xi spoke."),
        ("“We agree,” he said. They left.", "“We agree,” he said."),
        ("Is it over? No. It goes on.", "Is it over?"),
        ("He said “it is done.” Then left.", "He said “it is done.”"),
        ("The rate rose by 2.5 percent. Next.", "The rate rose by 2.5 percent."),
    ],
)
def test_first_sentence(paragraph: str, sentence: str) -> None:
    assert first_sentence(paragraph) == sentence


def test_is_headline() -> None:
    assert is_headline("Xi warns SCO members of real threat from Cold War mentality")
    assert not is_headline("Xi spoke. He left.")
    assert not is_headline("- On the SCO Secretary General;")
    assert not is_headline("The heads of state also adopted statements:")
    assert not is_headline("word " * 50)


# --- boilerplate rules --------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "Photo credit:",
        "Photo credit: Akorda",
        "Photo: Kazinform",
        "Currently reading",
        "Read also",
        "Read also: Tokayev meets Putin in Astana",
        "READ MORE:",
        "Share",
        "Share on Facebook",
        "Print",
        "Subscribe to our Telegram channel and stay up to date",
        "Follow us on X",
        "© 2024 Kazinform. All rights reserved.",
        "Copyright 2024 Xinhua",
        "All rights reserved.",
        "Advertisement",
        "Tags: SCO, Kazakhstan",
    ],
)
def test_boilerplate_line_is_dropped(line: str) -> None:
    assert RULES.boilerplate(line) is not None
    (article,) = split(f"Tokayev meets Putin\n\n{line}\n\nThey met.\n")
    assert paragraphs(article) == ["Tokayev meets Putin", "They met."]


@pytest.mark.parametrize(
    "line",
    [
        "Share prices rose after the summit.",
        "Read more broadly, the declaration covers trade.",
        "Copyright protection was on the agenda.",
        "The photo: a symbol of unity, he said.",
        "Printing of the documents took a day.",
        "Subscribers to the programme met in Astana.",
    ],
)
def test_content_that_looks_like_boilerplate_is_kept(line: str) -> None:
    assert RULES.boilerplate(line) is None


@pytest.mark.parametrize(
    ("line", "rest"),
    [
        ("ASTANA. KAZINFORM Head of State spoke.", "Head of State spoke."),
        ("ASTANA. KAZINFORM - The President spoke.", "The President spoke."),
        ("ASTANA. KAZINFORM SCO members met.", "SCO members met."),
        ("BEIJING, July 4 (Xinhua) -- Chinese President Xi spoke.", "Chinese President Xi spoke."),
        ("ASTANA (Reuters) - The summit opened.", "The summit opened."),
        ("MOSCOW, July 3. /TASS/. Lavrov said.", "Lavrov said."),
        ("SCO members met in ASTANA. KAZINFORM reports.", None),
        ("The SCO. It grows.", None),
    ],
)
def test_a_dateline_becomes_a_paragraph_of_its_own(line: str, rest: str | None) -> None:
    (article,) = split("Headline of the story\n\n" + line + "\n")
    if rest is None:
        assert article.dateline is None
        assert paragraphs(article)[1] == line
    else:
        assert article.dateline is not None
        assert paragraphs(article)[1:] == [line[: -len(rest)].rstrip(), rest]


def test_a_source_of_only_boilerplate_gives_no_article() -> None:
    assert split("Photo credit: Akorda\n\nCurrently reading\n") == []
    assert split(" date 2024-07-04\n\n  \n") == []


# --- paragraphs ---------------------------------------------------------------


def test_repeats_differing_in_case_and_spacing_are_kept_once() -> None:
    (article,) = split("Title here\n\nThe  SCO met.\nthe sco met.\n\nTitle Here\nOther.\n")
    assert paragraphs(article) == ["Title here", "The SCO met.", "Other."]


def test_paragraph_spacing_is_collapsed() -> None:
    (article,) = split("  Title\there  \n\n\n\n  Body   text.  \n")
    assert article.text == "Title here\n\nBody text."


LEAD = (
    "President Kassym-Jomart Tokayev has held a meeting with the ministers of foreign "
    "affairs of the Shanghai Cooperation Organization member states, Kazinform News "
    "Agency learned from the Akorda press service. The meeting took place in Astana."
)
SECOND = (
    "The Head of State believes that it is high time to collectively promote the ideals "
    "and values of a peaceful and harmonious development for the benefit of humankind."
)


def test_hard_wrapped_blocks_become_one_paragraph_each() -> None:
    text = "\n\n".join(
        ["Tokayev meets SCO ministers", textwrap.fill(LEAD, 72), textwrap.fill(SECOND, 72)]
    )
    (article,) = split(text + "\n")
    assert paragraphs(article) == ["Tokayev meets SCO ministers", LEAD, SECOND]


def test_hard_wrapped_text_keeps_headline_list_items_and_hyphenated_words() -> None:
    text = (
        "Tokayev backs SCO Anti-Drug Strategy\n"
        "President Kassym-Jomart Tokayev has called on the member states to adopt\n"
        "the SCO Anti-Drug Strategy for 2024-2029 and its action programme, anti-\n"
        "drug cooperation being one of the priorities of Kazakhstan's chairman-\n"
        "ship of the Shanghai Cooperation Organization this year.\n"
        "The strategy sets out:\n"
        "- joint operations against drug trafficking across the region;\n"
        "- training of the officers of the competent agencies of the states.\n"
    )
    (article,) = split(text)
    assert paragraphs(article) == [
        "Tokayev backs SCO Anti-Drug Strategy",
        "President Kassym-Jomart Tokayev has called on the member states to adopt "
        "the SCO Anti-Drug Strategy for 2024-2029 and its action programme, anti-"
        "drug cooperation being one of the priorities of Kazakhstan's chairman-"
        "ship of the Shanghai Cooperation Organization this year.",
        "The strategy sets out:",
        "- joint operations against drug trafficking across the region;",
        "- training of the officers of the competent agencies of the states.",
    ]


def test_one_paragraph_per_line_stays_one_paragraph_per_line() -> None:
    text = "Tokayev meets SCO ministers\nCaption of a photo\n" + LEAD + "\n" + SECOND + "\n"
    (article,) = split(text)
    assert paragraphs(article) == [
        "Tokayev meets SCO ministers", "Caption of a photo", LEAD, SECOND
    ]


def test_short_lines_without_final_stops_are_not_taken_for_wrapping() -> None:
    (article,) = split("Tokayev meets Putin\nAkorda photo\n\nThey met.\nThey talked.\n")
    assert paragraphs(article) == [
        "Tokayev meets Putin", "Akorda photo", "They met.", "They talked."
    ]


# --- the rule file --------------------------------------------------------------


def write_rules(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "rules.jsonl"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def rule(**fields: str) -> str:
    return json.dumps({"name": "r", "applies_to": "line", "pattern": "x", **fields})


def test_rules_are_loaded_once() -> None:
    assert ReadingRules.load() is ReadingRules.load()
    assert ReadingRules.load(data_dir() / "boilerplate.jsonl") is ReadingRules.load()


def test_rules_from_another_file(tmp_path: Path) -> None:
    path = write_rules(tmp_path, "// only one rule", rule(pattern="(?i)nothing to see"))
    rules = ReadingRules.load(path)
    (article,) = split_articles(SourceText("a", "a", "Title\nNothing to see\nBody.\n"), rules)
    assert article.text == "Title\n\nBody."


@pytest.mark.parametrize(
    ("lines", "cause"),
    [
        ((rule(), "{not json"),
         "not valid JSON (Expecting property name enclosed in double quotes)"),
        ((rule(pattern="(unclosed"),), "rule 'r': pattern does not compile "
         "(missing ), unterminated subpattern at position 0)"),
        ((rule(applies_to="word"),), "rule 'r': \"applies_to\" must be one of line, prefix, "
         "file-date, story-date, not 'word'"),
        ((rule(applies_to="story-date", pattern=r"\d+"),),
         "rule 'r': a date pattern needs the named groups year, month and day"),
        ((rule(), rule()), "rule name 'r' is used twice"),
        ((rule(flags="i"),), "unknown field(s) flags in a reading rule"),
        ((rule(name=""),), 'a reading rule needs a non-empty "name"'),
        ((rule(pattern=""),), "rule 'r': \"pattern\" must be a non-empty string"),
    ],
)
def test_malformed_rule_file_names_file_and_line(
    tmp_path: Path, lines: tuple[str, ...], cause: str
) -> None:
    path = write_rules(tmp_path, *lines)
    with pytest.raises(DataError) as caught:
        ReadingRules.load(path)
    assert str(caught.value) == f"{path}:{len(lines)}: {cause}"


def test_missing_rule_file(tmp_path: Path) -> None:
    with pytest.raises(DataError) as caught:
        ReadingRules.load(tmp_path / "none.jsonl")
    assert str(caught.value) == f"{tmp_path / 'none.jsonl'}: reading rules file is missing"


# --- properties -----------------------------------------------------------------

_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12)
_LINE = st.lists(_WORD, min_size=1, max_size=30).map(" ".join)
_END = st.sampled_from(["", ".", "!", "?", ",", ":"])


@given(st.lists(st.tuples(_LINE, _END), min_size=1, max_size=12), st.booleans())
def test_splitting_never_loses_a_paragraph(lines: list[tuple[str, str]], blank: bool) -> None:
    text = ("\n\n" if blank else "\n").join(line + end for line, end in lines)
    articles = split(text)
    assert len(articles) == 1
    (article,) = articles
    flat = " ".join(article.text.split())
    for line, end in lines:
        assert line + end in flat
    assert article.title is not None and article.text.startswith(article.title)
    assert all(p and p == p.strip() for p in paragraphs(article))


@given(st.text(max_size=400))
def test_any_text_gives_articles_whose_titles_open_their_texts(text: str) -> None:
    for number, article in enumerate(split(text)):
        assert article.index == number
        assert article.title and article.text.startswith(article.title)
        assert "\n\n\n" not in article.text and article.text == article.text.strip()
        assert all(paragraphs(article))
