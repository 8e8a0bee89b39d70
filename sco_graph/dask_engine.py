"""Reading, NLP and extraction on a Dask cluster; the driver keeps the order.

`dask_extractions` is the local stream (`pipeline.read_articles` through
`extract.article.extract`) with the work done by Dask workers: the driver
lists the inputs (and reads stdin), sends them to the cluster in chunks of a
few files, and for each input, in input order, adds its path to `sources`
and its problems to `problems` and yields its extractions. So the graph the
driver builds from them is the one a single process builds. At most
`CHUNKS_PER_THREAD` chunks per worker thread are on the cluster at a time:
results never pile up, however many files there are.

A worker process loads the spaCy pipeline once (`load_pipeline` keeps it per
process) and works on one chunk at a time (a spaCy pipeline is not made for
several threads: the threads of one worker take turns). An error of ours on a
worker (a model that is not installed there) comes back as a value and is
raised in the driver as itself.

Workers read the files at the paths the driver lists, a relative path from
the driver's working folder: on a cluster of several machines the inputs
sit on a file system every worker sees at the same path. Without a
scheduler address a `LocalCluster` is started (one single-threaded worker
per core) and closed at the end.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from spacy.language import Language

from sco_graph.errors import EngineError, ScoGraphError
from sco_graph.extract.article import extract
from sco_graph.nlp.model import load_pipeline
from sco_graph.read.reader import STDIN, list_inputs, read_input, shown
from sco_graph.read.segment import stories_of
from sco_graph.types import ArticleExtraction, Problem, SourceText

if TYPE_CHECKING:
    from distributed import Client, Future

CHUNK_BYTES = 16_384
"""Most bytes of input in one task (a chunk has at least one input): about a second of
a worker's time, against the few milliseconds a task costs the cluster."""

CHUNK_FILES = 64
"""Most inputs in one task (many small files)."""

LOOPBACK_ANY_PORT = "127.0.0.1:0"
"""Where a local cluster's scheduler serves HTTP (health, a dashboard with bokeh)."""

WORKERS_TIMEOUT = 120.0
"""Seconds to wait for a scheduler's first worker."""

CHUNKS_PER_THREAD = 2
"""Tasks on the cluster per worker thread: one at work, one waiting to start."""

Item = Path | SourceText | Problem
"""What a task is given for one input: a file to read, stdin's text (read by the
driver), or a Problem the listing found (passed through, to keep its place)."""


@dataclass(frozen=True, slots=True)
class Extracted:
    """What a worker made of one input."""

    source: str | None  # the path read (`sources`), None when nothing was read
    problems: tuple[Problem, ...]
    extractions: tuple[ArticleExtraction, ...]


def dask_extractions(
    paths: Sequence[str | Path],
    *,
    glob: str,
    model: str | None,
    follow_symlinks: bool,
    scheduler: str | None,
    problems: list[Problem],
    sources: list[str],
) -> Iterator[ArticleExtraction]:
    """The extractions of every story of `paths`, made on a Dask cluster (the one at
    `scheduler`, else a local one): the same, in the same order, with the same
    `problems` and `sources` filled in, as the local stream."""
    inputs = _inputs(paths, glob, follow_symlinks)
    with _client(scheduler) as client:
        for done in _in_order(client, _chunks(inputs), model):
            for extracted in done:
                if extracted.source is not None:
                    sources.append(extracted.source)
                problems.extend(extracted.problems)
                yield from extracted.extractions


_ONE_AT_A_TIME = threading.Lock()  # per worker process


def extract_chunk(items: Sequence[Item], model: str | None,
                  cwd: Path) -> list[Extracted] | ScoGraphError:
    """A worker's task: read, split, NLP and extraction of a few inputs (relative
    paths from `cwd`), in order; an error of ours is returned, not raised."""
    with _ONE_AT_A_TIME:
        try:
            nlp = load_pipeline(model)
            return [_extracted(item, nlp, cwd) for item in items]
        except ScoGraphError as error:
            return error


def _extracted(item: Item, nlp: Language, cwd: Path) -> Extracted:
    source = item if isinstance(item, SourceText | Problem) else read_input(item, cwd=cwd)
    if isinstance(source, Problem):
        return Extracted(None, (source,), ())
    stories, problems = stories_of(source, nlp.max_length)
    return Extracted(source.path, tuple(problems), tuple(extract(stories, nlp)))


def _inputs(paths: Sequence[str | Path], glob: str, follow_symlinks: bool) -> Iterator[Item]:
    """The inputs, listed in the driver; stdin is read here (a worker has none)."""
    for item in list_inputs(paths, glob, follow_symlinks=follow_symlinks):
        yield read_input(STDIN) if item == STDIN else item


def _chunks(items: Iterable[Item]) -> Iterator[list[Item]]:
    """The inputs in chunks of at most `CHUNK_FILES` inputs and `CHUNK_BYTES` bytes."""
    chunk: list[Item] = []
    size = 0
    for item in items:
        length = _size(item)
        if chunk and (len(chunk) == CHUNK_FILES or size + length > CHUNK_BYTES):
            yield chunk
            chunk, size = [], 0
        chunk.append(item)
        size += length
    if chunk:
        yield chunk


def _size(item: Item) -> int:
    if isinstance(item, SourceText):
        return len(item.text)
    if isinstance(item, Problem):
        return 0
    try:
        return item.stat().st_size
    except OSError:  # the worker says what is wrong with it
        return 0


def _in_order(client: Client, chunks: Iterable[list[Item]],
              model: str | None) -> Iterator[list[Extracted]]:
    """Each chunk's results, in the order of `chunks`, with at most `CHUNKS_PER_THREAD`
    chunks per worker thread submitted and not yet taken."""
    cwd = Path.cwd()
    pending: deque[tuple[Future, str]] = deque()
    for chunk in chunks:
        future = client.submit(extract_chunk, chunk, model, cwd, pure=False)
        pending.append((future, _name(chunk[0])))
        while len(pending) >= _window(client):
            yield _result(*pending.popleft())
    while pending:
        yield _result(*pending.popleft())


def _window(client: Client) -> int:
    """Chunks to keep on the cluster, as it grows or shrinks."""
    threads = sum(client.nthreads().values())
    return CHUNKS_PER_THREAD * max(threads, 1)


def _name(item: Item) -> str:
    return shown(item) if isinstance(item, Path) else item.path


def _result(future: Future, first: str) -> list[Extracted]:
    """A chunk's results (`first` names its first input); an error of ours the worker
    returned is raised here."""
    try:
        outcome = future.result()
    except _distributed().KilledWorker as error:
        raise EngineError(
            f"{first}: Dask workers died working on it or on the files sent with it "
            f"({error}); see the workers' logs (out of memory?)"
        ) from None
    finally:
        future.release()
    if isinstance(outcome, ScoGraphError):
        raise outcome
    return outcome


@contextmanager
def _client(scheduler: str | None) -> Iterator[Client]:
    """A client of the scheduler at `scheduler`, or of a local cluster started (and
    closed) here."""
    distributed = _distributed()
    if scheduler is None:
        # One worker per core (dask.system.CPU_COUNT), each with one thread. Its HTTP
        # server (a dashboard when bokeh is installed) on a free port of this machine
        # only; its warnings (a worker slow to stop) are not the user's business.
        with distributed.LocalCluster(threads_per_worker=1, dashboard_address=LOOPBACK_ANY_PORT,
                                      silence_logs=logging.ERROR) as cluster, \
                distributed.Client(cluster, set_as_default=False) as client:
            yield client
        return
    try:
        distributed.comm.resolve_address(scheduler)  # a bad scheme, an unknown host
        client = distributed.Client(scheduler, set_as_default=False)
    except (OSError, ValueError, TypeError) as error:  # a time-out is an OSError
        cause = str(error)
    else:
        with client:
            _wait_for_workers(client, scheduler)
            yield client
        return
    # raised here, not in the handler: the error does not keep the half-made client alive
    raise EngineError(
        f"Dask scheduler {scheduler}: cannot be reached ({cause}); start one there "
        "with 'dask scheduler' and give the address it prints (tcp://HOST:8786)"
    )


def _wait_for_workers(client: Client, scheduler: str) -> None:
    """Wait `WORKERS_TIMEOUT` seconds at most for a first worker: a scheduler without
    workers would keep the build waiting for ever."""
    try:
        client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
    except TimeoutError:
        pass
    else:
        return
    raise EngineError(
        f"Dask scheduler {scheduler}: no worker joined it in {WORKERS_TIMEOUT:g} s; "
        f"start workers with 'dask worker {scheduler}' (sco-graph and its model installed)"
    )


def _distributed() -> ModuleType:
    # Imported here: dask is an extra (sco-graph[dask]), not needed for a local build.
    try:
        import distributed
    except ImportError:
        raise EngineError(
            "the Dask engine needs dask and distributed: pip install 'sco-graph[dask]'"
        ) from None
    return distributed
