"""Reading, NLP and extraction in several processes (`build --workers N`).

The parent reads and splits the inputs (cheap) and hands stories to the
workers in chunks; each worker loads the pipeline once and sends back plain
`ArticleExtraction`s. Results come back in input order, with a bounded number
of chunks in flight, so memory does not grow with the corpus and the graph is
the one a single process builds, byte for byte: a story's extraction does not
depend on which batch it was read in.

Workers are started with "spawn": the parent holds an open Oxigraph store,
whose threads a forked child would not have.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice

from sco_graph.extract.article import extract
from sco_graph.nlp.model import load_pipeline
from sco_graph.types import Article, ArticleExtraction

CHUNK = 16
"""Stories per task: enough to fill `nlp.pipe` batches, few enough to keep order cheap."""


def parallel_extractions(
    stories: Iterable[Article], model: str | None, workers: int
) -> Iterator[ArticleExtraction]:
    """The extraction of every story, in input order, made by `workers` processes."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start,
                             initargs=(model,)) as pool:
        pending: deque[Future[list[ArticleExtraction]]] = deque()
        chunks = _chunks(stories)
        for chunk in islice(chunks, 2 * workers):
            pending.append(pool.submit(_extract_chunk, chunk))
        while pending:
            done = pending.popleft().result()
            chunk = next(chunks, None)
            if chunk is not None:
                pending.append(pool.submit(_extract_chunk, chunk))
            yield from done


def _chunks(stories: Iterable[Article]) -> Iterator[list[Article]]:
    iterator = iter(stories)
    while chunk := list(islice(iterator, CHUNK)):
        yield chunk


_model: str | None = None


def _start(model: str | None) -> None:
    global _model
    _model = model
    load_pipeline(model)


def _extract_chunk(stories: list[Article]) -> list[ArticleExtraction]:
    return list(extract(stories, load_pipeline(_model)))
