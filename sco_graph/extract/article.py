"""The extraction stage: articles in, plain `ArticleExtraction`s out.

Articles stream through spaCy in batches (`nlp.pipe`); each Doc is turned
into plain data at once and dropped, so memory stays flat however many
articles come. An article longer than `PART_LENGTH` (or the pipeline's
`max_length`, if lower) is cut at paragraph breaks (else sentence ends), its
parts processed one after another and put back together, with offsets into
the whole article's text: memory stays flat however long an article is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc

from sco_graph.extract.dateline import local_dateline, with_dateline, without_dateline_facts
from sco_graph.extract.entities import extract_entities, sentence_offsets
from sco_graph.extract.relations import extract_relations
from sco_graph.extract.relations.patterns import prepare_patterns
from sco_graph.extract.timeline import with_times
from sco_graph.nlp.model import BATCH_SIZE, load_pipeline
from sco_graph.types import Article, ArticleExtraction, Entity, Fact, Mention


def extract(
    articles: Iterable[Article],
    nlp: Language | None = None,
    batch_size: int = BATCH_SIZE,
    on_read: Callable[[str], None] | None = None,
) -> Iterator[ArticleExtraction]:
    """What each article says: its entities and facts, in input order.

    `on_read(text)` is called with each text the model has read: a whole article,
    or a part of a long one, so that progress shows within a long article too.
    """
    nlp = nlp or load_pipeline()
    prepare_patterns(nlp.vocab)
    pending: list[ArticleExtraction] = []
    for doc, (article, offset, last) in _docs(nlp, _texts(articles, nlp.max_length), batch_size):
        result = _extraction(doc, article, offset)
        if on_read is not None:
            on_read(doc.text)
        if last and not pending:
            yield with_times(result)
            continue
        pending.append(result)
        if last:
            yield with_times(_join(article, pending))
            pending = []


PART_LENGTH = 10_000
"""Most characters the model reads at once. A longer story is read in parts, cut at a
paragraph break (else a line break, a sentence end, a space): spaCy's memory grows
with the length of a Doc (a story of 1 MB read whole took 3 to 6 GB), so the peak
stays about the same however long a story is (`benchmarks/long_story.py`). Stories
of the bundled corpus are all shorter: each is still read whole."""

BATCH_CHARACTERS = 50_000
"""Most characters in one batch of `nlp.pipe` (a batch holds its Docs at once): the
parts of a long story, or long stories, make smaller batches than `BATCH_SIZE`."""


def _docs(nlp: Language, texts: Iterable[tuple[str, tuple]],
          batch_size: int) -> Iterator[tuple[Doc, tuple]]:
    """`nlp.pipe` over `texts` in batches of at most `batch_size` texts and at most
    `BATCH_CHARACTERS` characters (a batch has at least one text)."""
    batch: list[tuple[str, tuple]] = []
    size = 0
    for item in texts:
        if batch and (len(batch) == batch_size or size + len(item[0]) > BATCH_CHARACTERS):
            yield from _piped(nlp, batch, batch_size)
            batch, size = [], 0
        batch.append(item)
        size += len(item[0])
    if batch:
        yield from _piped(nlp, batch, batch_size)


def _piped(nlp: Language, batch: list[tuple[str, tuple]],
           batch_size: int) -> Iterator[tuple[Doc, tuple]]:
    """One batch through `nlp.pipe` inside a memory zone: the strings and lexemes its
    Docs added to the vocabulary are freed once the batch has been read (each Doc is
    turned into plain data before the next), so years of news do not grow the vocab."""
    with nlp.memory_zone():
        yield from nlp.pipe(batch, as_tuples=True, batch_size=batch_size)

_CUTS = ("\n\n", "\n", ". ", "! ", "? ", "; ", " ")


def _texts(articles: Iterable[Article], limit: int) -> Iterator[tuple[str, tuple]]:
    limit = min(limit, PART_LENGTH)
    for article in articles:
        parts = list(_parts(article.text, limit))
        for number, (offset, text) in enumerate(parts):
            yield text, (article, offset, number == len(parts) - 1)


def _parts(text: str, limit: int) -> Iterator[tuple[int, str]]:
    """Slices of at most `limit` characters, each cut after the last paragraph break
    of its second half where there is one (else a line break, a sentence end, a space;
    else anywhere), with the offset of each in `text`."""
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = limit
        for separator in _CUTS:
            found = window.rfind(separator, limit // 2)
            if found > 0:
                cut = found + len(separator)
                break
        yield start, text[start : start + cut]
        start += cut
    yield start, text[start:]


def _extraction(doc: Doc, article: Article, offset: int) -> ArticleExtraction:
    # the dateline's place and agency are read from the article's dateline, not the model
    dateline = local_dateline(article.dateline, offset, len(doc.text))
    outside = (dateline.span.start, dateline.span.end) if dateline else None
    entities = extract_entities(doc, outside=outside)
    sentences = sentence_offsets(doc)
    entities, facts = extract_relations(doc, article, entities)
    facts = without_dateline_facts(facts, dateline)
    entities = with_dateline(entities, dateline, sentences)
    result = ArticleExtraction(article=article, entities=entities, facts=facts,
                               sentences=sentences)
    return _shift(result, offset) if offset else result


def _shift(result: ArticleExtraction, offset: int) -> ArticleExtraction:
    def move(mention: Mention) -> Mention:
        return replace(mention, start=mention.start + offset, end=mention.end + offset)

    entities = tuple(
        replace(e, mentions=tuple(move(m) for m in e.mentions)) for e in result.entities
    )
    facts = tuple(
        replace(f, evidence=replace(f.evidence, start=f.evidence.start + offset,
                                    end=f.evidence.end + offset))
        for f in result.facts
    )
    sentences = tuple((s + offset, e + offset) for s, e in result.sentences)
    return replace(result, entities=entities, facts=facts, sentences=sentences)


def _join(article: Article, parts: list[ArticleExtraction]) -> ArticleExtraction:
    """Put the parts of a long article back together: one entity per key,
    sentence numbers counted over the whole article."""
    by_key: dict[str, Entity] = {}
    facts: list[Fact] = []
    sentences: list[tuple[int, int]] = []
    for part in parts:
        base = len(sentences)
        for entity in part.entities:
            mentions = tuple(replace(m, sentence=m.sentence + base) for m in entity.mentions)
            known = by_key.get(entity.key)
            if known is None:
                by_key[entity.key] = replace(entity, mentions=mentions)
                continue
            aliases = tuple(dict.fromkeys([*known.aliases, *entity.aliases]))
            by_key[entity.key] = replace(known, aliases=aliases,
                                         mentions=known.mentions + mentions)
        facts.extend(part.facts)
        sentences.extend(part.sentences)
    entities = tuple(sorted(by_key.values(), key=lambda e: (e.mentions[0].start, e.key)))
    return ArticleExtraction(article=article, entities=entities, facts=tuple(facts),
                             sentences=tuple(sentences))
