"""The `sco-graph` command line: a thin layer over the library.

Each command opens its inputs, calls one library function and prints the
result; errors from the library (`ScoGraphError`) become one line on stderr
and the error's exit code.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from sco_graph.errors import ScoGraphError

F = TypeVar("F", bound=Callable[..., Any])

EXPORT_FORMATS = ["ttl", "nt", "jsonld", "trig", "nq", "graphml", "gexf", "csv"]
EXIT_SKIPPED = 2  # the build finished, but some inputs were skipped


def _friendly_errors(command: F) -> F:
    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ScoGraphError as error:
            click.echo(f"Error: {error}", err=True)
            sys.exit(error.exit_code)

    return run  # type: ignore[return-value]


@click.group()
@click.version_option(package_name="sco-graph")
def main() -> None:
    """Turn press texts about the SCO into a knowledge graph with evidence."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--out", "-o", "out", type=click.Path(file_okay=False, path_type=Path),
              default=Path("build"), show_default=True, help="Folder for the graph files.")
@click.option("--glob", default="*.txt", show_default=True, help="Files to read in folders.")
@click.option("--model", default=None, help="spaCy pipeline to use (default: en_core_web_sm).")
@click.option("--format", "formats", multiple=True, type=click.Choice(EXPORT_FORMATS),
              help="Extra export formats (graph.trig, graph.ttl, graph.graphml always).")
@click.option("--quiet", "-q", is_flag=True, help="No summary.")
@_friendly_errors
def build(paths: tuple[str, ...], out: Path, glob: str, model: str | None,
          formats: tuple[str, ...], quiet: bool) -> None:
    """Build the graph of PATHS (files, folders, or - for stdin) into --out.

    Example: sco-graph build data/corpus --out build
    """
    from sco_graph.pipeline import build as build_graph

    result = build_graph(list(paths), out, glob=glob, model=model, formats=formats,
                         progress=sys.stderr.isatty() and not quiet)
    for problem in result.problems:
        click.echo(f"Warning: {problem.path}: {problem.message}", err=True)
    if not quiet:
        click.echo(result.summary())
    if result.problems:
        sys.exit(EXIT_SKIPPED)


@main.command()
@click.argument("graph")
@click.option("--format", "-f", "fmt", type=click.Choice(EXPORT_FORMATS), required=True)
@click.option("--output", "-o", type=click.Path(path_type=Path), required=True,
              help="File to write (a folder for csv).")
@_friendly_errors
def export(graph: str, fmt: str, output: Path) -> None:
    """Write GRAPH (a build folder or an RDF file) in another format.

    Example: sco-graph export build --format gexf -o sco.gexf
    """
    from sco_graph.api import export_graph

    written = export_graph(graph, fmt, output)
    click.echo(f"Wrote {written}")


@main.command()
@click.argument("graph")
@click.argument("sparql", required=False)
@click.option("--file", "-f", "query_file", type=click.Path(exists=True, dir_okay=False,
              path_type=Path), help="Read the query from a .rq file.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True)
@_friendly_errors
def query(graph: str, sparql: str | None, query_file: Path | None, fmt: str) -> None:
    """Run a SPARQL query on GRAPH.

    Example: sco-graph query build 'SELECT ?s WHERE { ?s a sco:Person }'
    """
    from sco_graph.api import run_query

    if (sparql is None) == (query_file is None):
        raise click.UsageError("give the query as an argument or with --file, not both")
    text = sparql if sparql is not None else query_file.read_text(encoding="utf-8")
    click.echo(run_query(graph, text, fmt), nl=False)


@main.command()
@click.argument("graph")
@click.option("--top", default=10, show_default=True, help="How many top entities to list.")
@_friendly_errors
def stats(graph: str, top: int) -> None:
    """Counts by type and the most mentioned entities of GRAPH.

    Example: sco-graph stats build
    """
    from sco_graph.api import graph_stats

    click.echo(graph_stats(graph, top))


@main.command()
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--texts", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=Path("data/corpus"), show_default=True,
              help="Folder holding the texts the gold file names.")
@click.option("--predictions", type=click.Path(dir_okay=False, path_type=Path),
              help="Write what the pipeline found, in the gold format.")
@click.option("--misses", is_flag=True, help="List what was missed and what was extra.")
@click.option("--baseline", is_flag=True, help="Also score plain spaCy NER.")
@click.option("--model", default=None, help="spaCy pipeline to use.")
@_friendly_errors
def evaluate(gold: Path, texts: Path, predictions: Path | None, misses: bool,
             baseline: bool, model: str | None) -> None:
    """Score the pipeline against a GOLD annotation file.

    Example: sco-graph evaluate ../shared/gold/seeds.jsonl --baseline
    """
    from sco_graph.evaluate import evaluate as run_evaluation
    from sco_graph.gold import write_gold
    from sco_graph.scoring import format_misses, format_report

    result = run_evaluation(gold, texts, model=model, baseline=baseline)
    for problem in result.problems:
        click.echo(f"Warning: {problem.path}: {problem.message}", err=True)
    if misses:
        click.echo(format_misses(result.scores))
    click.echo(format_report(result.scores, result.baseline), nl=False)
    if predictions is not None:
        write_gold(result.predictions, predictions)
        click.echo(f"Predictions written to {predictions}")
