"""The `sco-graph` command line: a thin layer over the library.

Each command opens its inputs, calls one library function and prints the
result; errors from the library (`ScoGraphError`) become one line on stderr
and the error's exit code.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from sco_graph.errors import PARTIAL_EXIT_CODE, ScoGraphError

F = TypeVar("F", bound=Callable[..., Any])

EXPORT_FORMATS = ["ttl", "nt", "jsonld", "trig", "nq", "graphml", "gexf", "csv"]
EXIT_SKIPPED = PARTIAL_EXIT_CODE  # the build finished, but some inputs were skipped

EXIT_CODES = f"""\b
Exit codes:
  0  done
  1  an output cannot be written, nothing replaced (E019, E020); no such entity
     (E008); other error (e.g. cannot listen)
  2  usage error (a wrong option or argument; E009: a texts folder to give)
  3  the spaCy model is not installed (E002)
  4  a file of reference data (sco_graph/data/) is malformed (E003)
  5  a graph file cannot be read; unknown format (E004)
  6  a SPARQL query cannot be run (E005, E011-E018)
  7  a gold file is malformed (E006)
  8  an input does not exist, or the inputs give no story: nothing written (E001, E007)
  {PARTIAL_EXIT_CODE}  build finished, but some inputs were skipped (named on stderr)
  10 push: the store cannot be reached, refuses a graph, or its URL is bad (E021)
  11 the Dask scheduler cannot be reached; the dask extra is not installed (E022)
"""


def _friendly_errors(command: F) -> F:
    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ScoGraphError as error:
            # One line whatever the message holds (a file name with a newline or with
            # bytes that are not UTF-8).
            message = " ".join(str(error).splitlines())
            message = message.encode("utf-8", "backslashreplace").decode("utf-8")
            click.echo(f"Error: {message}", err=True)
            sys.exit(error.exit_code)

    return run  # type: ignore[return-value]


@click.group(epilog=EXIT_CODES)
@click.version_option(package_name="sco-graph")
def main() -> None:
    """Turn press texts about the SCO into a knowledge graph with evidence.

    Errors are one line on stderr, "Error: ...", warnings "Warning: FILE: ...".
    """
    # rdflib logs a warning per odd IRI it reads; the error that names it is enough.
    logging.getLogger("rdflib").setLevel(logging.ERROR)


@main.command(epilog=EXIT_CODES)
@click.argument("paths", nargs=-1, required=True)
@click.option("--out", "-o", "out", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Folder for the graph files (default: build, or "
                                 "GRAPH_DIR with --update).")
@click.option("--update", "update", metavar="GRAPH_DIR",
              type=click.Path(file_okay=False, path_type=Path),
              help="Add PATHS to the graph saved in GRAPH_DIR: articles read again replace "
                   "their earlier facts, entities already there are reused.")
@click.option("--prune", is_flag=True,
              help="With --update: drop the articles of files gone from the folders "
                   "(or files) in PATHS; files read from elsewhere are kept.")
@click.option("--glob", default="*.txt", show_default=True, help="Files to read in folders.")
@click.option("--model", default=None, help="spaCy pipeline to use (default: en_core_web_sm).")
@click.option("--format", "formats", multiple=True, type=click.Choice(EXPORT_FORMATS),
              help="Extra export formats (graph.trig, graph.ttl, graph.graphml always).")
@click.option("--follow-symlinks", is_flag=True,
              help="Read symbolic links in folders that lead out of the folder "
                   "(skipped with a warning otherwise).")
@click.option("--workers", "-w", type=click.IntRange(min=1), default=1, show_default=True,
              help="Processes for NLP and extraction (the graph is the same for any number).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local",
              show_default=True, help="Where reading, NLP and extraction run: this machine "
                                      "(with --workers), or a Dask cluster "
                                      "(pip install 'sco-graph[dask]').")
@click.option("--scheduler", metavar="ADDRESS", default=None,
              help="With --engine dask: the Dask scheduler (tcp://HOST:8786); without it a "
                   "local cluster is started, one worker per core.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar, no summary.")
@_friendly_errors
def build(paths: tuple[str, ...], out: Path | None, update: Path | None, prune: bool,
          glob: str, model: str | None, formats: tuple[str, ...], follow_symlinks: bool,
          workers: int, engine: str, scheduler: str | None, quiet: bool) -> None:
    """Build the graph of PATHS (files, folders, or - for stdin) into --out.

    A PATH that does not exist, or inputs without a single story, are an error
    and leave --out as it was; files that cannot be read are skipped and named
    (exit code 9). Files not in UTF-8 are read with a warning naming the encoding.
    Every output file is replaced atomically.

    Example: sco-graph build data/corpus --out build

    Example: sco-graph build --update build new-texts/ --prune

    Example: sco-graph build archive/ --engine dask --scheduler tcp://10.0.0.5:8786
    """
    from sco_graph.pipeline import build as build_graph

    if prune and update is None:
        raise click.UsageError("--prune drops articles from an existing graph: add --update")
    if scheduler is not None and engine != "dask":
        raise click.UsageError("--scheduler is the address of a Dask scheduler: add --engine dask")
    if workers > 1 and engine == "dask":
        raise click.UsageError("--workers is for the local engine: a Dask cluster has its own "
                               "workers")
    out = out or update or Path("build")
    result = build_graph(list(paths), out, glob=glob, model=model, formats=formats,
                         progress=sys.stderr.isatty() and not quiet, update=update,
                         prune=prune, follow_symlinks=follow_symlinks, workers=workers,
                         engine=engine, scheduler=scheduler)
    for problem in result.problems:
        click.echo(f"Warning: {problem.path}: {problem.message}", err=True)
    if not quiet:
        click.echo(result.summary())
    if result.skipped:
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
    from sco_graph.export.formats import export_graph

    written = export_graph(graph, fmt, output)
    click.echo(f"Wrote {written}")


@main.command()
@click.argument("graph", required=False)
@click.argument("sparql", required=False)
@click.option("--file", "-f", "query_file", type=click.Path(exists=True, dir_okay=False,
              path_type=Path), help="Read the query from a .rq file.")
@click.option("--name", "-n", "saved", metavar="NAME",
              help="Run the saved query NAME (see --list).")
@click.option("--param", "-p", "params", multiple=True, metavar="KEY=VALUE",
              help="A value for the variable ?KEY, bound before the query runs (never pasted "
                   "into it); repeatable. IRIs as <…>, http…, sco:Person, person:xi-jinping "
                   "or person/xi-jinping; digits and YYYY-MM-DD as numbers and dates.")
@click.option("--list", "list_saved", is_flag=True,
              help="List the saved queries (with --name: one query's description, then its "
                   "SPARQL); needs no GRAPH.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True)
@_friendly_errors
def query(graph: str | None, sparql: str | None, query_file: Path | None, saved: str | None,
          params: tuple[str, ...], list_saved: bool, fmt: str) -> None:
    """Run a SPARQL query, or a saved one (--name), on GRAPH.

    The prefixes sco:, person:, country:, organization:, rdfs:, skos:, prov:, xsd:, wd:
    and the others the README lists are declared.

    Example: sco-graph query build 'SELECT ?s WHERE { ?s a sco:Person }'

    Example: sco-graph query build --name proposals --param actor=country:kazakhstan

    Example: sco-graph query --list --name proposals
    """
    if list_saved:
        from sco_graph.query.saved_queries import format_list

        click.echo(format_list(saved), nl=False)
        return
    if graph is None:
        raise click.UsageError("missing GRAPH: give a build folder or an RDF file before the "
                               "query (only --list needs none)")
    from sco_graph.query.results import render, run_query, saved_query
    from sco_graph.query.saved_queries import parse_params

    values = parse_params(params)
    given = [what for what, value in (("the SPARQL argument", sparql),
                                       ("--file", query_file), ("--name", saved))
             if value is not None]
    if len(given) > 1:
        both = "both" if len(given) == 2 else "all"
        raise click.UsageError(f"{' and '.join(given)} {both} give a query: keep one of them")
    if not given:
        raise click.UsageError("no query: give SPARQL after GRAPH, --file FILE.rq, or --name "
                               "NAME (see query --list)")
    if saved is not None:
        click.echo(render(saved_query(graph, saved, **values), fmt), nl=False)
        return
    text = sparql if sparql is not None else query_file.read_text(encoding="utf-8")
    click.echo(render(run_query(graph, text, **values), fmt), nl=False)


def _origin(value: str) -> str:
    """A --cors value: `*` or scheme://host[:port], as a browser sends in Origin."""
    from urllib.parse import urlsplit

    if value == "*":
        return value
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/") \
            or parts.query or parts.fragment:
        raise click.BadParameter(
            f"{value!r} is not an origin; give scheme://host[:port], e.g. https://yasgui.example, "
            "or *"
        )
    return f"{parts.scheme}://{parts.netloc}"


@main.command()
@click.argument("graph")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; loopback unless told otherwise.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on; 0 picks a free one.")
@click.option("--timeout", default=10.0, show_default=True,
              type=click.FloatRange(0, min_open=True), help="Seconds a query may run.")
@click.option("--max-results", default=10000, show_default=True, type=click.IntRange(1),
              help="Most rows or triples a query may return (more is refused).")
@click.option("--max-wait", default=60.0, show_default=True, type=click.FloatRange(0),
              help="Seconds a query may wait for a free slot when the server is busy "
                   "(then 503); its --timeout starts once it runs.")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="Also answer requests whose Host header is NAME (repeatable); loopback "
                   "names and the --host address are always allowed, others refused (403).")
@click.option("--cors", "cors_origins", multiple=True, metavar="ORIGIN",
              callback=lambda ctx, param, value: tuple(_origin(v) for v in value),
              help="Let web pages from ORIGIN (e.g. https://yasgui.example; * for any) read "
                   "answers (CORS; repeatable). Without it no CORS header is sent.")
@_friendly_errors
def serve(graph: str, host: str, port: int, timeout: float, max_results: int, max_wait: float,
          allow_hosts: tuple[str, ...], cors_origins: tuple[str, ...]) -> None:
    """Serve GRAPH read-only at http://HOST:PORT/sparql (SPARQL 1.1 Protocol) until Ctrl-C,
    with a query page for people at http://HOST:PORT/ (saved queries, results as a table).

    Requests naming another Host than this machine's loopback names, the --host
    address or an --allow-host NAME are refused (a guard against DNS rebinding).

    Example: sco-graph serve build --port 8000
    """
    from sco_graph.graph.store import load_graph
    from sco_graph.query.endpoint import serve as serve_graph

    try:
        serve_graph(load_graph(graph), host, port, timeout=timeout, max_results=max_results,
                    max_wait=max_wait, allowed_hosts=allow_hosts, cors_origins=cors_origins)
    except OSError as error:  # the address is taken, or not this machine's
        raise click.ClickException(f"cannot listen on {host}:{port}: {error.strerror}") from None


def _header(ctx: click.Context, param: click.Parameter,
            values: tuple[str, ...]) -> dict[str, str]:
    """--header values ("Name: value") as a dict."""
    headers: dict[str, str] = {}
    for value in values:
        name, colon, text = value.partition(":")
        if not colon or not name.strip() or " " in name.strip() or "\n" in value \
                or "\r" in value:
            raise click.BadParameter(f"{value!r} is not 'Name: value', e.g. "
                                     "'Authorization: Bearer TOKEN'", ctx, param)
        from sco_graph.export.push import OWN_HEADERS

        if name.strip().lower() in OWN_HEADERS:
            raise click.BadParameter(f"{name.strip()} is set by push itself; leave it out",
                                     ctx, param)
        headers[name.strip()] = text.strip()
    return headers


@main.command(epilog=EXIT_CODES)
@click.argument("graph")
@click.option("--endpoint", required=True, metavar="URL",
              help="The store's SPARQL 1.1 Graph Store endpoint, e.g. "
                   "http://127.0.0.1:7878/store (Oxigraph), http://localhost:3030/ds/data "
                   "(Fuseki), http://localhost:7200/repositories/REPO/rdf-graphs/service "
                   "(GraphDB).")
@click.option("--prune", is_flag=True,
              help="Also delete the store's graphs under https://w3id.org/sco-graph/ that "
                   "GRAPH does not have (stories dropped since the last push); needs "
                   "--query-endpoint. Without it no graph is ever deleted.")
@click.option("--query-endpoint", metavar="URL",
              help="The store's SPARQL query endpoint, which --prune asks for the store's "
                   "graphs (e.g. http://127.0.0.1:7878/query).")
@click.option("--user", default=None, metavar="USER",
              help="User name for HTTP Basic authentication.")
@click.option("--password", default=None, envvar="SCO_GRAPH_PUSH_PASSWORD", metavar="PASSWORD",
              help="Password for --user (or the variable SCO_GRAPH_PUSH_PASSWORD; asked "
                   "for when --user is given without it).")
@click.option("--header", "headers", multiple=True, metavar="'NAME: VALUE'", callback=_header,
              help="An HTTP header to send, e.g. 'Authorization: Bearer TOKEN' (repeatable).")
@click.option("--timeout", default=60.0, show_default=True,
              type=click.FloatRange(0, min_open=True), help="Seconds to wait for each answer.")
@_friendly_errors
def push(graph: str, endpoint: str, prune: bool, query_endpoint: str | None, user: str | None,
         password: str | None, headers: dict[str, str], timeout: float) -> None:
    """Load GRAPH into a SPARQL 1.1 store: one HTTP PUT per named graph (each story's,
    then the entities graph), so pushing again replaces them instead of adding twice.

    Credentials (--user/--password, --header) go only to the --endpoint's host and
    port, never to another; redirects are not followed.

    Example: sco-graph push build --endpoint http://127.0.0.1:7878/store
    """
    from sco_graph.export.push import push_graph

    if prune and query_endpoint is None:
        raise click.UsageError("--prune needs --query-endpoint URL: the Graph Store Protocol "
                               "cannot list the store's graphs")
    if user is not None and any(name.lower() == "authorization" for name in headers):
        raise click.UsageError("give either --user or an Authorization --header, not both")
    if user is not None and password is None:
        password = click.prompt(f"Password for {user}", hide_input=True, err=True)
    result = push_graph(graph, endpoint, timeout=timeout, user=user, password=password,
                        headers=headers, prune=prune, query_endpoint=query_endpoint)
    deleted = f", deleted {_count(len(result.deleted), 'graph')} no longer in {graph}"
    click.echo(f"Pushed {_count(result.graphs, 'graph')} ({_count(result.triples, 'triple')}) "
               f"to {endpoint}{deleted if prune else ''}")


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


@main.command()
@click.argument("graph")
@click.option("--top", default=10, show_default=True, help="How many top entities to list.")
@_friendly_errors
def stats(graph: str, top: int) -> None:
    """Counts by type and the most mentioned entities of GRAPH.

    Example: sco-graph stats build
    """
    from sco_graph.query.stats import graph_stats

    click.echo(graph_stats(graph, top))


@main.command()
@click.argument("graph")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              default=Path("graph.html"), show_default=True, help="HTML file to write.")
@click.option("--title", default=None, help="Page title (default: SCO knowledge graph).")
@click.option("--overview", type=click.IntRange(min=1), default=None, metavar="N",
              help="Draw at most N entities, the most connected (default 300); "
                   "the search box finds every entity.")
@_friendly_errors
def viz(graph: str, output: Path, title: str | None, overview: int | None) -> None:
    """Draw GRAPH as one interactive HTML page that opens without a network.

    Example: sco-graph viz build -o graph.html
    """
    from sco_graph.export.picture import DEFAULT_TITLE, OVERVIEW
    from sco_graph.export.picture import viz as draw

    written = draw(graph, output, title=title or DEFAULT_TITLE, overview=overview or OVERVIEW)
    click.echo(f"Wrote {written}")


@main.command()
@click.argument("graph")
@click.argument("name", required=False)
@_friendly_errors
def entities(graph: str, name: str | None) -> None:
    """List the entities of GRAPH, or show those NAME names: type, IRI, Wikidata,
    every name with its mentions, and the articles that mention them.

    Example: sco-graph entities build Tokayev
    """
    from sco_graph.graph.store import load_graph
    from sco_graph.resolve.identity import entity_report

    found = load_graph(graph).entities(name)
    if name is not None and not found:
        raise click.ClickException(f"no entity of {graph} is named {name!r}; "
                                   f"`sco-graph entities {graph}` lists them all")
    click.echo(entity_report(found, detailed=name is not None), nl=False)


@main.command()
@click.argument("graph")
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@_friendly_errors
def show(graph: str, name: str, fmt: str) -> None:
    """Everything GRAPH says about the entity NAME (a name, or an IRI such as
    person:xi-jinping): posts, memberships, meetings, what it proposed, supported and
    adopted, events attended, places; each with its date, story and evidence sentence.

    Example: sco-graph show build Tokayev
    """
    from sco_graph.query.entity_view import format_view, show, view_json

    view = show(graph, name)
    click.echo(view_json(view) if fmt == "json" else format_view(view), nl=False)


@main.command()
@click.argument("gold", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--texts", multiple=True, type=click.Path(path_type=Path),
              help="Folder holding the texts a gold file names; once per gold file, in order "
                   "(default: texts/ beside the gold file, else data/corpus of the source "
                   "checkout; an installed wheel has no corpus).")
@click.option("--predictions", type=click.Path(dir_okay=False, path_type=Path),
              help="Write what the pipeline found, in the gold format (several gold files: "
                   "one file per set, OUT-NAME.jsonl).")
@click.option("--misses", is_flag=True,
              help="List what was missed and what was extra, by entity type and relation.")
@click.option("--baseline", is_flag=True, help="Also score plain spaCy NER.")
@click.option("--model", default=None, help="spaCy pipeline to use.")
@_friendly_errors
def evaluate(gold: tuple[Path, ...], texts: tuple[Path, ...], predictions: Path | None,
             misses: bool, baseline: bool, model: str | None) -> None:
    """Score the pipeline against one or more GOLD annotation files, side by side.

    Example: sco-graph evaluate ../shared/gold/seeds.jsonl ../shared/dev/gold.jsonl
    """
    from sco_graph.evaluate.gold import write_gold
    from sco_graph.evaluate.misses import format_misses_of_sets
    from sco_graph.evaluate.report import ScoredSet, format_reports
    from sco_graph.evaluate.run import evaluate_sets, gold_sets, predictions_path

    if texts and len(texts) != len(gold):
        raise click.BadParameter(
            f"given {len(texts)} time{'s' if len(texts) != 1 else ''} for {len(gold)} gold "
            f"files; give it once per gold file, in the same order, or leave it out",
            param_hint="'--texts'",
        )
    sets = gold_sets(gold, texts or None)
    results = evaluate_sets(sets, model=model, baseline=baseline)
    for result in results:
        for problem in result.problems:
            click.echo(f"Warning: {problem.path}: {problem.message}", err=True)
    scored = [ScoredSet(s.name, r.scores, r.baseline) for s, r in zip(sets, results, strict=True)]
    if misses:
        click.echo(format_misses_of_sets(scored))
    click.echo(format_reports(scored), nl=False)
    if predictions is not None:
        for gold_set, result in zip(sets, results, strict=True):
            path = predictions_path(predictions, gold_set.name, several=len(sets) > 1)
            write_gold(result.predictions, path)
            click.echo(f"Predictions written to {path}")
