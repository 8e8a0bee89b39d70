"""The main job: from files of press texts to a graph on disk.

read (reader) -> split into stories (segment) -> entities and facts (extract)
-> corpus-wide identities (resolve) -> graph (graph) -> files (export).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import click

from sco_graph.export import export
from sco_graph.extract import extract
from sco_graph.graph import KnowledgeGraph, Summary
from sco_graph.nlp import load_pipeline
from sco_graph.reader import iter_sources
from sco_graph.segment import split_articles
from sco_graph.types import Article, ArticleExtraction, Problem

ALWAYS_WRITTEN = ("ttl", "graphml")
"""Formats every build writes next to the canonical graph.trig."""


@dataclass
class BuildResult:
    graph: KnowledgeGraph
    articles: int
    sources: int
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    def summary(self) -> str:
        """A few lines a person reads after a build."""
        counts: Summary = self.graph.summary()
        by_type = ", ".join(f"{name} {n}" for name, n in counts.entities.items() if n)
        lines = [
            f"Read {self.articles} articles from {self.sources} files"
            + (f" ({len(self.problems)} skipped)" if self.problems else ""),
            f"Entities: {sum(counts.entities.values())} ({by_type or 'none'})",
            f"Facts: {counts.facts}",
            f"Triples: {counts.triples}",
        ]
        if self.files:
            lines.append("Wrote " + ", ".join(str(f) for f in self.files))
        return "\n".join(lines)


def read_articles(
    paths: Sequence[str | Path], glob: str, problems: list[Problem], sources: list[str]
) -> Iterator[Article]:
    """Every story of every readable input; unreadable inputs go to `problems`."""
    for item in iter_sources(paths, glob):
        if isinstance(item, Problem):
            problems.append(item)
            continue
        sources.append(item.path)
        stories = split_articles(item)
        if not stories:
            problems.append(Problem(item.path, "no text left after removing boilerplate"))
        yield from stories


def build(
    paths: Sequence[str | Path],
    out: str | Path | None = None,
    *,
    glob: str = "*.txt",
    model: str | None = None,
    formats: Iterable[str] = (),
    progress: bool = False,
) -> BuildResult:
    """Build the graph of `paths` (files, folders, "-" for stdin); write it to `out`.

    `out` gets graph.trig (every article's named graph: what `--update` and
    `load` read), graph.ttl, graph.graphml and any extra `formats`.
    """
    problems: list[Problem] = []
    sources: list[str] = []
    nlp = load_pipeline(model)
    graph = KnowledgeGraph()
    extractions = extract(read_articles(paths, glob, problems, sources), nlp)
    count = _add_all(graph, extractions, progress)
    result = BuildResult(graph, count, len(sources), problems)
    if out is not None:
        result.files = write_outputs(graph, Path(out), [*ALWAYS_WRITTEN, *formats])
    return result


def write_outputs(graph: KnowledgeGraph, out: Path, formats: Iterable[str]) -> list[Path]:
    """graph.trig plus one file per format (a folder for csv), each written atomically."""
    out.mkdir(parents=True, exist_ok=True)
    files = [graph.save(out)]
    for fmt in dict.fromkeys(formats):
        if fmt == "trig":
            continue
        target = out / ("csv" if fmt == "csv" else f"graph.{fmt}")
        export(graph, fmt, target)
        files.append(target)
    return files


def _add_all(graph: KnowledgeGraph, extractions: Iterable[ArticleExtraction],
             progress: bool) -> int:
    count = 0
    bar = (click.progressbar(extractions, label="Reading articles", show_pos=True,
                             file=click.get_text_stream("stderr"))
           if progress else nullcontext(extractions))
    with bar as items:
        for extraction in items:
            graph.add_article(extraction)
            count += 1
    return count
