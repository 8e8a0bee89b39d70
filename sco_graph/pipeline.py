"""The main job: from files of press texts to a graph on disk.

read (reader) -> split into stories (segment) -> entities and facts (extract)
-> graph (graph, with provisional IRIs) -> corpus-wide identities (resolve)
-> files (export).

Resolution runs once, over every article in the graph, after they are all in
(see sco_graph.resolve.identity for why). An update (`update=GRAPH_DIR`) starts from
the saved graph instead of an empty one: the articles read now replace their
own earlier graphs, the stories a re-read file no longer has are dropped, and
with `prune` so are the articles of files gone from the folders read now (the
build folder's sources.json says where each file was read from); then the whole
graph is resolved again. So the result is the graph a build from scratch over
the same articles gives, byte for byte.
"""

from __future__ import annotations

import contextlib
import pickle
import shutil
import tempfile
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import click
from spacy.language import Language

from sco_graph.dask_engine import dask_extractions
from sco_graph.errors import EngineError, GraphFormatError, NothingReadError
from sco_graph.export.formats import write_all
from sco_graph.extract.article import extract
from sco_graph.extract.timeline import document_period
from sco_graph.graph.store import (
    CANONICAL_FILE,
    STORE_FOLDER,
    KnowledgeGraph,
    Summary,
    summaries_of,
)
from sco_graph.nlp.model import load_pipeline
from sco_graph.read.locations import (
    LOCATIONS_FILE,
    Pruning,
    kept_locations,
    locations_json,
    locations_of,
    read_locations,
)
from sco_graph.read.reader import check_inputs, iter_sources, shown
from sco_graph.read.segment import stories_of
from sco_graph.resolve.identity import Resolver, provisional_iris
from sco_graph.types import Article, ArticleExtraction, Problem
from sco_graph.workers import parallel_extractions

ALWAYS_WRITTEN = ("ttl", "graphml")
"""Formats every build writes next to the canonical graph.trig."""


@dataclass
class BuildResult:
    graph: KnowledgeGraph
    articles: int
    sources: int
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # keys of articles an update dropped
    kept: int = 0  # articles an update kept from the saved graph without reading them
    resolved: int = 0  # articles whose entities resolution gave other IRIs

    @property
    def skipped(self) -> int:
        """Inputs that could not be read (warnings about inputs read anyway not counted)."""
        return sum(1 for problem in self.problems if problem.fatal)

    def summary(self) -> str:
        """A few lines a person reads after a build."""
        counts: Summary = self.graph.summary()
        by_type = ", ".join(f"{name} {n}" for name, n in counts.entities.items() if n)
        lines = [
            f"Read {self.articles} articles from {self.sources} files"
            + (f" ({self.skipped} skipped)" if self.skipped else ""),
        ]
        if self.kept or self.removed:
            lines.append(f"Kept {self.kept} articles of the saved graph, "
                         f"removed {len(self.removed)}")
        lines += [
            f"Entities: {sum(counts.entities.values())} ({by_type or 'none'})",
            f"Facts: {counts.facts}",
            f"Triples: {counts.triples}",
        ]
        if self.files:
            lines.append("Wrote " + ", ".join(str(f) for f in self.files))
        return "\n".join(lines)


def read_articles(
    paths: Sequence[str | Path], glob: str, problems: list[Problem], sources: list[str],
    max_length: int | None = None, *, follow_symlinks: bool = False,
) -> Iterator[Article]:
    """Every story of every readable input; unreadable inputs go to `problems`, and so
    (as warnings) do files read with a caveat (encoding, bad bytes), links left out
    and a story longer than the model takes at once: it is read in parts."""
    for item in iter_sources(paths, glob, follow_symlinks=follow_symlinks):
        if isinstance(item, Problem):
            problems.append(item)
            continue
        sources.append(item.path)
        stories, found = stories_of(item, max_length)
        problems.extend(found)
        yield from stories


def build(
    paths: Sequence[str | Path],
    out: str | Path | None = None,
    *,
    glob: str = "*.txt",
    model: str | None = None,
    formats: Iterable[str] = (),
    progress: bool = False,
    update: str | Path | None = None,
    prune: bool = False,
    follow_symlinks: bool = False,
    workers: int = 1,
    engine: str = "local",
    scheduler: str | None = None,
) -> BuildResult:
    """Build the graph of `paths` (files, folders, "-" for stdin); write it to `out`.

    `out` gets graph.trig (every article's named graph: what `update` and
    `load` read), graph.ttl, graph.graphml and any extra `formats`.

    With `update`, a build folder: start from its graph.trig (an empty graph
    when there is none yet) and add the articles of `paths` to it (see the
    module's docstring); `prune` also drops the articles of files not among
    `paths`. `out` defaults to the same folder then.

    With `workers` > 1, NLP and extraction run in that many processes (the graph
    is the same).

    `engine` "dask" reads the inputs and extracts their stories on a Dask
    cluster instead (the one at the address `scheduler`, else a local one); the
    graph is the same.

    Nothing is written when a PATH does not exist (InputError, raised before
    anything is read) or when the inputs give no story at all
    (NothingReadError): a mistyped path never replaces a graph with an empty one.
    """
    check_inputs(paths)
    problems: list[Problem] = []
    sources: list[str] = []
    extractions = _extractions(paths, glob=glob, model=model, follow_symlinks=follow_symlinks,
                               workers=workers, engine=engine, scheduler=scheduler,
                               progress=progress, problems=problems, sources=sources)
    target = Path(out) if out is not None else Path(update) if update is not None else None
    saved_locations = read_locations(update) if update is not None else {}
    pruning = Pruning.of(paths, saved_locations) if prune else None
    with _store_for(target, update) as (graph, commit):
        growth = grow(graph, extractions, sources=sources, unreadable=problems, prune=pruning)
        if growth.read == 0:
            given = ", ".join(shown(path) for path in paths)
            unread = [problem for problem in problems if problem.fatal]
            why = ""
            if unread:
                more = f", and {len(unread) - 1} more" if len(unread) > 1 else ""
                why = f" ({unread[0].path}: {unread[0].message}{more})"
            raise NothingReadError(given,
                                   f"no story to build a graph from{why}: nothing written")
        result = BuildResult(graph, growth.read, len(sources), problems,
                             removed=list(growth.removed), kept=growth.kept,
                             resolved=growth.resolved)
        if target is not None:
            names = {_source_of(key) for key in graph.article_keys()}
            locations = kept_locations(saved_locations, locations_of(sources), names)
            result.files = write_outputs(graph, target, [*ALWAYS_WRITTEN, *formats],
                                         extra={LOCATIONS_FILE: locations_json(locations)})
            result.graph = commit()
            result.files.insert(0, target / STORE_FOLDER)
    return result


ENGINES = ("local", "dask")


def _extractions(
    paths: Sequence[str | Path], *, glob: str, model: str | None, follow_symlinks: bool,
    workers: int, engine: str, scheduler: str | None, progress: bool,
    problems: list[Problem], sources: list[str],
) -> Iterator[ArticleExtraction]:
    """The stream of extractions a build adds to its graph: made on this machine ("local",
    the model loaded here and now; in `workers` processes) or on a Dask cluster (the
    same stream)."""
    if engine == "dask":
        if workers > 1:
            raise EngineError("workers are for the local engine: a Dask cluster has its own")
        extractions = dask_extractions(paths, glob=glob, model=model,
                                       follow_symlinks=follow_symlinks, scheduler=scheduler,
                                       problems=problems, sources=sources)
        return _with_progress(extractions, _input_size(paths, glob)) if progress else extractions
    if engine != "local":
        raise EngineError(f"unknown engine {engine!r}: choose one of {', '.join(ENGINES)}")
    if scheduler is not None:
        raise EngineError(f"a scheduler ({scheduler}) is for the dask engine, not {engine!r}")
    nlp = load_pipeline(model)
    stories = read_articles(paths, glob, problems, sources, nlp.max_length,
                            follow_symlinks=follow_symlinks)
    if workers > 1:
        extractions = parallel_extractions(stories, model, workers)
        return _with_progress(extractions, _input_size(paths, glob)) if progress else extractions
    if progress:
        return _extracted_with_progress(stories, nlp, _input_size(paths, glob))
    return extract(stories, nlp)


@contextmanager
def _store_for(
    out: Path | None, update: str | Path | None,
) -> Iterator[tuple[KnowledgeGraph, Callable[[], KnowledgeGraph]]]:
    """The graph a build fills, and the function that makes it `out`'s store.

    The graph is an Oxigraph store in a new folder beside `out` (a copy of the
    saved one with `update`); `commit` puts it in place of `out`'s store once
    every export is written, and returns it opened from there. Until then the
    saved store is untouched, and a build that fails leaves no trace of its own.
    Without `out`, it is in memory.
    """
    if out is None:
        graph = saved_graph(update) if update is not None else new_graph()
        yield graph, lambda: graph
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}-store-", dir=out.parent))
    location = work / STORE_FOLDER
    try:
        graph = _working_copy(update, location) if update is not None else KnowledgeGraph(
            location, document_period=document_period)

        def commit() -> KnowledgeGraph:
            graph.close()
            final = out / STORE_FOLDER
            if final.exists():
                final.rename(work / "old")
            location.rename(final)
            return KnowledgeGraph.load(out, document_period=document_period)

        yield graph, commit
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _working_copy(update: str | Path, location: Path) -> KnowledgeGraph:
    """A writable copy, at `location`, of the graph saved in the build folder `update`
    (its store, else its graph file; empty when it has neither)."""
    folder = Path(update)
    if (folder / STORE_FOLDER).is_dir():
        KnowledgeGraph.load(folder).copy_to(location)
        return KnowledgeGraph(location, document_period=document_period)
    graph = KnowledgeGraph(location, document_period=document_period)
    saved = saved_graph(folder)
    if len(saved):
        graph.add_quads(saved.quads())
    return graph


@dataclass(frozen=True)
class Growth:
    """What `grow` did to a graph."""

    read: int  # articles added (or replaced)
    removed: tuple[str, ...]  # keys of the saved articles dropped
    kept: int  # saved articles kept as they were
    resolved: int  # articles whose entities resolution moved to other IRIs


def grow(
    graph: KnowledgeGraph,
    extractions: Iterable[ArticleExtraction],
    *,
    sources: Collection[str] = (),
    unreadable: Collection[Problem] = (),
    prune: Pruning | None = None,
) -> Growth:
    """Add articles to a graph (new or loaded), drop the stale ones, resolve again.

    `sources` are the paths (or file names) of the inputs read and `unreadable`
    the problems of those that could not be; both are looked at only once
    `extractions` is exhausted, so they may fill up while it is read. A saved
    article is dropped when its file was read again without it, and, with
    `prune`, when its file was inside a path given now but was not read (it is
    gone): an input that could not be read this time keeps its articles, and so
    does a file from another folder.

    Each new article is resolved before it is written, so it is written once,
    with its final IRIs: the extractions wait in a spool file (plain records, no
    Doc) while resolution reads their entity summaries, with those of the saved
    articles kept. Only a saved article whose entities resolution now moves
    elsewhere is rewritten.
    """
    before = set(graph.article_keys())
    resolver = Resolver()
    with _Spool() as spool:
        read: dict[str, int] = {}  # key -> position in the spool of its last reading
        for extraction in extractions:
            key = extraction.article.key
            if key in read:  # one story read twice (two files of one name): the last counts
                resolver = None
            elif resolver is not None:
                resolver.add_all(summaries_of(extraction, provisional_iris(extraction)))
            read[key] = spool.append(extraction)
        names = {Path(source).name for source in sources}
        failed = {Path(problem.path).name for problem in unreadable if problem.fatal}
        removed = _stale(before - set(read), names, failed, prune)
        kept = before - set(read) - set(removed)
        if resolver is None:
            resolver = Resolver()
            for position, extraction in enumerate(spool):
                if read[extraction.article.key] == position:
                    resolver.add_all(summaries_of(extraction, provisional_iris(extraction)))
        resolution = resolver.add_all(graph.entity_summaries(kept)).resolve()
        for key in removed:
            graph.remove_article(key)
        moves = resolution.changes()
        resolved = sum(graph.reassign(key, moves[key]) for key in sorted(kept & moves.keys()))
        for position, extraction in enumerate(spool):
            key = extraction.article.key
            if read[key] != position:
                continue
            provisional = provisional_iris(extraction)
            final = {entity: resolution.iris[(key, str(iri))]
                     for entity, iri in provisional.items()}
            resolved += final != provisional
            graph.add_article(extraction, final)
    return Growth(len(read), tuple(removed), len(kept), resolved)


class _Spool:
    """Extractions on disk, in the order they came, read back one at a time."""

    def __enter__(self) -> _Spool:
        self._file = tempfile.TemporaryFile(prefix="sco-graph-spool-")
        self._count = 0
        return self

    def __exit__(self, *_exc: object) -> None:
        self._file.close()

    def append(self, extraction: ArticleExtraction) -> int:
        """Store one extraction; its position."""
        pickle.dump(extraction, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self._count += 1
        return self._count - 1

    def __iter__(self) -> Iterator[ArticleExtraction]:
        self._file.flush()
        self._file.seek(0)
        for _ in range(self._count):
            yield pickle.load(self._file)
        self._file.seek(0, 2)


def saved_graph(folder: str | Path) -> KnowledgeGraph:
    """The graph a build wrote into `folder` (its store, else its graph.trig), read-only;
    an empty one when it has none yet."""
    folder = Path(folder)
    if (folder / STORE_FOLDER).is_dir():
        return KnowledgeGraph.load(folder, document_period=document_period)
    if (folder / CANONICAL_FILE).is_file():
        return KnowledgeGraph.load(folder / CANONICAL_FILE, document_period=document_period)
    if folder.exists() and not folder.is_dir():
        raise GraphFormatError(f"{folder}: --update needs a build folder, not a file")
    return new_graph()


def new_graph() -> KnowledgeGraph:
    """An empty graph that states documents' validity periods (read from their names)."""
    return KnowledgeGraph(document_period=document_period)


def _stale(unread: set[str], read: set[str], unreadable: set[str],
           prune: Pruning | None) -> list[str]:
    """Saved articles to drop: the stories a re-read file no longer has, and with
    `prune` every article of a file gone from the paths given (a file that is there
    but cannot be read this time keeps its articles)."""
    return sorted(
        key for key in unread
        if _source_of(key) in read or (
            prune is not None and _source_of(key) not in unreadable
            and prune.covers(_source_of(key)))
    )


def _source_of(key: str) -> str:
    return key.rsplit("#", 1)[0]


def write_outputs(graph: KnowledgeGraph, out: Path, formats: Iterable[str],
                  extra: Mapping[str, bytes] | None = None) -> list[Path]:
    """graph.trig plus one file per format (a folder for csv), and the `extra` files
    (name -> bytes), replaced as one set: all are written to temporary files first,
    then renamed (see `export.formats.write_all`)."""
    return write_all(graph, out, formats, extra)


Story = TypeVar("Story", Article, ArticleExtraction)


class _Progress:
    """A bar on stderr: stories done, stories/s, and the time left from the bytes of
    input still to read."""

    def __init__(self, total: int) -> None:
        self.stories = 0
        self._started = time.monotonic()
        self._bar = click.progressbar(
            length=max(total, 1), label="Reading", show_eta=True, show_percent=True,
            item_show_func=self._shown, file=click.get_text_stream("stderr"))

    def _shown(self, _item: object) -> str:
        rate = self.stories / max(time.monotonic() - self._started, 1e-9)
        return f"{self.stories:,} stories, {rate:.1f}/s"

    def read(self, text: str) -> None:
        """Count `text` (a story, or a part of a long one) as read."""
        self._bar.update(len(text.encode("utf-8", "surrogatepass")), text)

    def done(self) -> None:
        """Count one more story done."""
        self.stories += 1
        self._bar.render_progress()

    def __enter__(self) -> _Progress:
        self._bar.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._bar.__exit__(*exc)


def _with_progress(items: Iterable[Story], total: int) -> Iterator[Story]:
    """The extractions (or stories) as they come, each counted when it does."""
    with _Progress(total) as progress:
        for item in items:
            progress.read(item.text if isinstance(item, Article) else item.article.text)
            progress.done()
            yield item


def _extracted_with_progress(stories: Iterable[Article], nlp: Language,
                             total: int) -> Iterator[ArticleExtraction]:
    """`extract` with the bar moving as the model reads, part by part within a long
    story, not only when a story is done."""
    with _Progress(total) as progress:
        for extraction in extract(stories, nlp, on_read=progress.read):
            progress.done()
            yield extraction


def _input_size(paths: Sequence[str | Path], glob: str) -> int:
    """Bytes of the files the inputs name (for the time left; stdin counts as 0)."""
    total = 0
    for given in paths:
        path = Path(given)
        if str(given) == "-" or not path.exists():
            continue
        files = [path] if path.is_file() else path.rglob(glob)
        for file in files:
            with contextlib.suppress(OSError):
                total += file.stat().st_size
    return total
