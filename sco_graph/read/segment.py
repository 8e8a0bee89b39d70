"""Splitting a source text into news stories, without the page furniture.

A file is one story, or a dated feed of several (a line such as
`04.07.2024, 13:49 6031` followed by a headline starts each story). Every
story becomes an `Article` whose text is its title or lead followed by its
paragraphs, one paragraph per "\\n\\n", so later stages may treat each
paragraph break as a sentence break.

What is boilerplate (photo credits, share buttons) and what a date looks like
are data: the rules in `sco_graph/data/boilerplate.jsonl`, loaded once by
`ReadingRules.load()`. This module only applies them and knows the shape of
a text: lines, blank-line blocks, hard wrapping, repeated paragraphs.

Datelines ("MINSK, Nov. 30 (Xinhua) --", shapes in `sco_graph/data/datelines.jsonl`)
are looked for at the start of a story's first paragraphs; the first found
is the story's `Article.dateline`. It stays in the text as a paragraph of its
own (cut from the lead it opened): the offsets of its place and agency are
then offsets in `Article.text`, like every mention's, and a paragraph break is
a sentence break, so no fact or time expression of the lead reads it.

The story's date is its publication date, as the gold's `date`: the feed's
date line, else the file's date marker, else the dateline's date when the
dateline gives a whole one (a wire story filed "Nov. 30" is often published
on 1 December, so a feed or file date wins). A dateline without a year takes
the year of the feed's or file's date; without one it gives no date.
"""

from __future__ import annotations

import datetime as dt
import re

from sco_graph.knowledge.boilerplate import ReadingRules
from sco_graph.knowledge.datelines import DatelineReading, DatelineShapes
from sco_graph.types import Article, Dateline, Problem, SourceText, TextSpan

# A feed headline is one sentence of at most this many characters; longer
# lines after a date are a story's body, not the start of a new story.
HEADLINE_MAX_CHARS = 200
# Lines of a hard-wrapped text fill the column: only lines at least this share
# of its width vote on whether a text is wrapped (see _wrap_width).
_FULL_LINE_SHARE = 0.6
# Nobody wraps prose narrower than this; shorter lines are headlines or captions.
_MIN_WRAP_WIDTH = 40
_WRAP_WIDTH_PERCENTILE = 0.9

_TERMINAL = ".!?…:;"
_CLOSERS = "\"'”’»)]"
_BULLET = re.compile(r"^(?:[-–—•*·▪] |\d{1,3}[.)] )")
# Sentence end: terminal punctuation, closing quotes, a space, then what may
# open a sentence (a capital, a digit, an opening quote or bracket).
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?= [\"'“‘«(\[]*[A-ZА-ЯЁ0-9])")
# Words a period follows without ending the sentence: titles, "No. 5", single
# initials ("J. Smith", the "S" of "U.S.") are handled by _ends_sentence_at.
_ABBREVIATIONS = frozenset((
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "capt", "cmdr", "adm",
    "gov", "sen", "rep", "st", "jr", "sr", "no", "nos", "art", "vol", "fig", "approx",
    "dept", "est", "inc", "ltd", "co", "corp", "vs", "e.g", "i.e", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
))
_LAST_WORD = re.compile(r"(\S+)$")
# A dateline opens the body: a headline, a byline or time stamp and a photo
# caption may stand before it, so it is looked for in this many first paragraphs.
DATELINE_PARAGRAPHS = 5
_PARAGRAPH_BREAK = "\n\n"


def split_articles(
    source: SourceText,
    rules: ReadingRules | None = None,
    datelines: DatelineShapes | None = None,
) -> list[Article]:
    """The stories of a source text, in file order, without boilerplate.

    A text that is empty once cleaned gives no article (the caller reports it).
    """
    rules = rules if rules is not None else ReadingRules.load()
    datelines = datelines if datelines is not None else DatelineShapes.load()
    file_date, text = rules.file_date(source.text)
    lines = _clean_lines(text, rules)
    stories = _split_stories(lines, file_date, rules)
    wrap_width = _wrap_width([block for _, body in stories for block in _blocks(body)])
    articles: list[Article] = []
    for date, body in stories:
        paragraphs = _unique(_paragraphs(_blocks(body), wrap_width))
        if not paragraphs:
            continue
        paragraphs, dateline = _dateline(paragraphs, datelines, date)
        lead = paragraphs[1] if dateline and dateline.span.start == 0 and len(paragraphs) > 1 \
            else paragraphs[0]
        articles.append(
            Article(
                source=source.name,
                index=len(articles),
                text=_PARAGRAPH_BREAK.join(paragraphs),
                title=first_sentence(lead),
                date=date or (dateline.date if dateline else None),
                dateline=dateline,
            )
        )
    return articles


def stories_of(
    source: SourceText, max_length: int | None = None,
) -> tuple[list[Article], list[Problem]]:
    """The stories of a source text (`split_articles`) and what to tell about it: the
    warnings it was read with, that no text is left once boilerplate is gone, and
    each story longer than the model takes at once (`max_length`: read in parts)."""
    problems = [Problem(source.path, warning, fatal=False) for warning in source.warnings]
    stories = split_articles(source)
    if not stories:
        problems.append(Problem(source.path, "no text left after removing boilerplate"))
    for story in stories:
        if max_length is not None and len(story.text) > max_length:
            problems.append(Problem(
                source.path,
                f"story {story.index} has {len(story.text):,} characters, more than the "
                f"model takes at once ({max_length:,}): read in parts",
                fatal=False,
            ))
    return stories, problems


def _dateline(
    paragraphs: list[str], shapes: DatelineShapes, reference: dt.date | None
) -> tuple[list[str], Dateline | None]:
    """The paragraphs with the story's dateline made a paragraph of its own, and
    the dateline (offsets in the paragraphs joined by paragraph breaks)."""
    offset = 0
    for number, paragraph in enumerate(paragraphs[:DATELINE_PARAGRAPHS]):
        reading = shapes.read(paragraph)
        if reading is not None:
            rest = paragraph[reading.end:].lstrip()
            parts = [paragraph[: reading.end], *([rest] if rest else [])]
            return (
                [*paragraphs[:number], *parts, *paragraphs[number + 1:]],
                _made_dateline(paragraph, reading, offset, reference),
            )
        offset += len(paragraph) + len(_PARAGRAPH_BREAK)
    return paragraphs, None


def _made_dateline(
    paragraph: str, reading: DatelineReading, offset: int, reference: dt.date | None
) -> Dateline:
    def span(start: int, end: int) -> TextSpan:
        return TextSpan(paragraph[start:end], offset + start, offset + end)

    return Dateline(
        span=span(0, reading.end),
        place=span(*reading.place),
        agency=span(*reading.agency) if reading.agency else None,
        date=reading.date(reference),
    )


def first_sentence(paragraph: str) -> str:
    """The first sentence of a paragraph (all of it when it is one sentence).

    >>> first_sentence("ASTANA is the capital. It lies on the Ishim.")
    'ASTANA is the capital.'
    >>> first_sentence("Mr. Wang met J. Smith in the U.S. capital")
    'Mr. Wang met J. Smith in the U.S. capital'
    """
    for match in _SENTENCE_END.finditer(paragraph):
        if _ends_sentence_at(paragraph, match):
            return paragraph[: match.end()]
    return paragraph


def is_headline(line: str) -> bool:
    """A line that reads as a headline: short, one sentence, not a list item."""
    return (
        0 < len(line) <= HEADLINE_MAX_CHARS
        and not _BULLET.match(line)
        and not line.endswith(":")
        and first_sentence(line) == line
    )


def _ends_sentence_at(text: str, match: re.Match[str]) -> bool:
    if text[match.start()] != ".":
        return True
    word = _LAST_WORD.search(text[: match.start()])
    if word is None:
        return True
    token = word.group(1).lstrip("\"'“‘«([")
    if len(token) == 1 and token.isupper():
        return False  # an initial, or the end of "U.S"
    return token.casefold() not in _ABBREVIATIONS


def _clean_lines(text: str, rules: ReadingRules) -> list[str]:
    """Collapsed lines, "" for a blank line; boilerplate lines are left out."""
    lines = []
    for raw in text.split("\n"):
        line = " ".join(raw.split())
        if not line:
            lines.append("")
            continue
        line = rules.strip_prefixes(line)
        if line and rules.boilerplate(line) is None:
            lines.append(line)
    return lines


def _split_stories(
    lines: list[str], file_date: dt.date | None, rules: ReadingRules
) -> list[tuple[dt.date | None, list[str]]]:
    """(date, lines) per story: a feed date line followed by a headline starts one."""
    starts: list[tuple[int, dt.date]] = []
    for number, line in enumerate(lines):
        date = rules.story_date(line) if line else None
        if date is None:
            continue
        following = next((later for later in lines[number + 1:] if later), None)
        if following and is_headline(following) and rules.story_date(following) is None:
            starts.append((number, date))
    if not starts:
        return [(file_date, lines)]
    # Text before the first dated story is kept (as a story dated by the file):
    # dropping it would lose whatever the rules do not know to be boilerplate.
    stories = [(file_date, lines[: starts[0][0]])]
    ends = [number for number, _ in starts[1:]] + [len(lines)]
    for (number, date), end in zip(starts, ends, strict=True):
        stories.append((date, lines[number + 1: end]))
    return stories


def _blocks(lines: list[str]) -> list[list[str]]:
    """Runs of non-blank lines."""
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return [block for block in blocks if block]


def _wrap_width(blocks: list[list[str]]) -> int | None:
    """The column a hard-wrapped text is wrapped at, or None when it is not wrapped.

    Only lines that fill the column and have another line of the same block
    after them vote: in a hard-wrapped text most of them stop mid-sentence,
    in a one-paragraph-per-line text they are paragraphs and end a sentence.
    Short lines (headlines, captions, ends of paragraphs) say nothing.
    """
    lengths = sorted(len(line) for block in blocks if len(block) > 1 for line in block)
    if not lengths:
        return None
    width = lengths[min(len(lengths) - 1, int(len(lengths) * _WRAP_WIDTH_PERCENTILE))]
    full = max(_FULL_LINE_SHARE * width, _MIN_WRAP_WIDTH)
    voters = [line for block in blocks for line in block[:-1] if len(line) >= full]
    wrapped = [line for line in voters if _ends_mid_sentence(line)]
    return width if len(wrapped) >= 2 and 2 * len(wrapped) > len(voters) else None


def _ends_mid_sentence(line: str) -> bool:
    return line.rstrip(_CLOSERS)[-1:] not in _TERMINAL or line[-1:] == ","


def _paragraphs(blocks: list[list[str]], wrap_width: int | None) -> list[str]:
    """One paragraph per line, or per wrapped paragraph when the text is hard-wrapped."""
    if wrap_width is None:
        return [line for block in blocks for line in block]
    paragraphs: list[str] = []
    for block in blocks:
        current = [block[0]]
        for line in block[1:]:
            if _BULLET.match(line) or _ended_on_purpose(current[-1], line, wrap_width):
                paragraphs.append(_join(current))
                current = []
            current.append(line)
        paragraphs.append(_join(current))
    return paragraphs


def _ended_on_purpose(line: str, following: str, width: int) -> bool:
    """True when the next line's first word would have fitted: the writer broke the line."""
    return len(line) + 1 + len(following.split(" ", 1)[0]) <= width


def _join(lines: list[str]) -> str:
    text = lines[0]
    for line in lines[1:]:
        # "Anti-" at a line end and "Drug" on the next: the hyphen is the word's.
        glue = "" if len(text) > 1 and text[-1] == "-" and text[-2].isalpha() else " "
        text += glue + line
    return text


def _unique(paragraphs: list[str]) -> list[str]:
    """Paragraphs without repeats; case and runs of spaces do not make a paragraph new."""
    seen: set[str] = set()
    kept = []
    for paragraph in paragraphs:
        key = " ".join(paragraph.casefold().split())
        if key not in seen:
            seen.add(key)
            kept.append(paragraph)
    return kept
