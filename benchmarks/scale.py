"""sco-graph at scale: the whole build against the bare spaCy pipeline, in one run.

    .venv/bin/python benchmarks/scale.py [--sizes 1000 10000 50000] [--readme]

For each size N (stories), in one run and on the same texts:

- a corpus of N stories made from the bundled corpus (data/corpus) with the
  names of people, places and single-word organisations varied per copy, so
  cross-document resolution has many distinct people to tell apart (cached in
  benchmarks/.cache/corpus-N/, one file per story);
- the bare `en_core_web_sm` pipeline (`spacy.load`, all its components) running
  `nlp.pipe` over the stories' texts in a child process: its time and peak RSS;
- `sco-graph build CORPUS --out OUT -q` as a child process: wall time, peak RSS,
  and the time spent inside spaCy's `Language.pipe` (timed by wrapping it in
  the child), so the share of time after the NLP is measured, not guessed;
- output bytes per input byte; growth of time and peak RSS per 10x stories;
- `--workers 2` against one worker (when `sco-graph build --help` lists it);
- `--update` with 1 % new stories (fresh names) against a rebuild of all;
- the median latency (of 5) of every saved query through the library (graph
  opened once) and through `sco-graph query` (a process each, start-up included).

Writes benchmarks/RESULTS.md (machine, tables, the targets of issue 12 with
their gaps) after every size, and prints the main table at the end; `--readme`
also replaces the table between `<!-- benchmark:start -->` and
`<!-- benchmark:end -->` in README.md; `--rewrite` writes both again from the
last run's saved measurements. Not a test: at the default sizes it takes
hours. Each step is a child process with a time limit (`--timeout`); a step
past it is reported as such.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import itertools
import json
import math
import os
import pickle
import platform
import random
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "corpus"
CACHE = Path(__file__).resolve().parent / ".cache"
README = ROOT / "README.md"
LAST_RUN = CACHE / "last-run.pickle"
START_MARKER = "<!-- benchmark:start -->"
END_MARKER = "<!-- benchmark:end -->"

DEFAULT_SIZES = (1_000, 10_000, 50_000)
DEFAULT_TIMEOUT = 4 * 3600.0
SEED = "sco-graph/benchmarks/scale"
GENERATOR_VERSION = 1  # bump when the corpus generator changes: cached corpora are remade
UPDATE_SHARE = 0.01
UPDATE_FIRST_COPY = 1_000_000  # copies numbered from here give the --update stories fresh names
EXPORT_SUFFIXES = (".trig", ".ttl", ".nt", ".nq", ".jsonld", ".graphml", ".gexf")
MiB = 2**20
GiB = 2**30

# Name pools: syllables that make plausible names that are nobody's.
_ONSETS = (
    "Ad", "Al", "Ar", "Ba", "Be", "Da", "De", "Di", "Er", "Fa", "Ga", "Ha", "Il", "Ka", "Ke",
    "Lo", "Ma", "Mi", "Na", "No", "Ol", "Ra", "Ro", "Sa", "Se", "Ta", "Te", "Ul", "Va", "Ve",
    "Ya", "Za", "Zo",
)
_MIDDLES = (
    "ba", "da", "di", "ga", "ka", "la", "li", "ma", "mi", "na", "ni", "ra", "ri", "sa", "ta",
    "ti", "va", "vi", "za", "zi", "ko", "lo", "mo", "no", "ro",
)
_ENDINGS = {
    "given": (
        "dan", "mir", "lan", "ras", "tin", "bek", "rat", "sen", "vel", "zar", "nur", "lia",
        "mon", "dor", "ir", "an", "ena", "ik",
    ),
    "surname": (
        "ov", "ev", "enko", "bayev", "ani", "ski", "uly", "ek", "ardi", "olu", "san", "yan",
        "idze", "ovich",
    ),
    "place": (
        "abad", "grad", "kent", "ovo", "pur", "tau", "sk", "ara", "ino",
    ),
    "organisation": (
        "inform", "press", "news", "media", "tass",
    ),
}
_NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_'’]*(?:-[^\W\d_]+)*$")


# --- names: which words of the corpus are names, and their variants per copy -----------------

def discover_names(stories: Sequence[Any]) -> dict[str, str]:
    """Name words of the stories, each with its kind: given / surname (of people), place,
    organisation. Found by the project's own extraction: every word of a person's
    mentions; one-word names of places and organisations. Words of the multi-word names
    of known organisations and of countries ('Shanghai', 'Asia') are kept as they are,
    as are words the texts also write in lower case."""
    from sco_graph.extract.article import extract
    from sco_graph.types import EntityType

    found: dict[str, str] = {}
    fixed: set[str] = set()
    people: list[str] = []
    for extraction in extract(stories):
        for entity in extraction.entities:
            forms = {mention.text for mention in entity.mentions}
            single = [form for form in forms if " " not in form and not form.isupper()]
            if entity.type == EntityType.PERSON:
                people.extend(forms)
            elif entity.type == EntityType.COUNTRY or (
                    entity.type == EntityType.ORGANIZATION and entity.known and not single):
                fixed.update(word for form in forms for word in form.split())
            elif entity.type in (EntityType.PLACE, EntityType.ORGANIZATION):
                kind = "place" if entity.type == EntityType.PLACE else "organisation"
                for form in single:
                    found.setdefault(form, kind)
    for form in sorted(people, key=lambda f: (-len(f.split()), f)):
        words = form.split()
        for position, word in enumerate(words):
            found.setdefault(word, "surname" if position == len(words) - 1 else "given")
    text = "\n".join(story.text for story in stories)
    return {
        word: kind for word, kind in sorted(found.items())
        if word not in fixed and len(word) > 1 and _NAME_WORD.match(word) and word[0].isupper()
        and not word.isupper() and not _occurs(word.lower(), text)
    }


def _occurs(word: str, text: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text) is not None


def variant(kind: str, original: str, rng: random.Random) -> str:
    """A made-up name of `kind` shaped like `original` (as many hyphenated parts)."""
    parts = []
    for _ in original.split("-"):
        middles = rng.choice((0, 1, 1, 2)) if kind != "given" else rng.choice((0, 0, 1))
        word = rng.choice(_ONSETS) + "".join(rng.choice(_MIDDLES) for _ in range(middles))
        parts.append(word + rng.choice(_ENDINGS[kind]))
    return "-".join(parts)


class Renamer:
    """The names of one copy of the corpus: every name word replaced by its variant for
    that copy (drawn from a generator seeded by the copy and the word), the same in
    every story of the copy; capitals stay capitals ('ASTANA')."""

    def __init__(self, names: dict[str, str], copy: int) -> None:
        self.mapping: dict[str, str] = {}
        for word, kind in names.items():
            new = variant(kind, word, random.Random(f"{SEED}|{copy}|{word}"))
            self.mapping[word] = new
            self.mapping[word.upper()] = new.upper()
        keys = sorted(self.mapping, key=lambda key: (-len(key), key))
        self.pattern = re.compile(
            r"(?<![\w-])(?:" + "|".join(map(re.escape, keys)) + r")(?![\w-])") if keys else None

    def __call__(self, text: str) -> str:
        if self.pattern is None:
            return text
        return self.pattern.sub(lambda match: self.mapping[match[0]], text)


# --- corpora ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Corpus:
    folder: Path
    stories: int
    words: int  # whitespace-separated words of the stories' texts
    bytes: int  # size of the files


def base_stories() -> list[Any]:
    """The stories of the bundled corpus, as the build reads them."""
    from sco_graph.read.reader import read_source
    from sco_graph.read.segment import split_articles

    return [story for path in sorted(CORPUS.glob("*.txt"))
            for story in split_articles(read_source(path))]


def names_of(stories: Sequence[Any]) -> dict[str, str]:
    """`discover_names`, cached in .cache/names.json for these stories."""
    digest = _digest([story.text for story in stories])
    cached = CACHE / "names.json"
    if cached.is_file():
        data = json.loads(cached.read_text(encoding="utf-8"))
        if data.get("stories") == digest:
            return data["names"]
    _say("finding the name words of the bundled corpus (the project's extraction, once)")
    names = discover_names(stories)
    CACHE.mkdir(parents=True, exist_ok=True)
    cached.write_text(json.dumps({"stories": digest, "names": names}, indent=1), "utf-8")
    return names


def make_corpus(folder: Path, size: int, stories: Sequence[Any], names: dict[str, str], *,
                first_copy: int = 0, prefix: str = "") -> Corpus:
    """`size` stories in `folder`, one file each: story i is story i mod 13 of copy
    first_copy + i div 13; copy 0 keeps the real names, every other copy has its own.
    Reused when the folder's manifest matches."""
    key = {"version": GENERATOR_VERSION, "seed": SEED, "size": size, "first_copy": first_copy,
           "stories": _digest([story.text for story in stories]), "names": _digest(names)}
    manifest = folder / "manifest.json"
    if manifest.is_file():
        data = json.loads(manifest.read_text(encoding="utf-8"))
        if data.get("key") == key:
            return Corpus(folder, data["stories"], data["words"], data["bytes"])
    _say(f"writing {size:,} stories to {_shown(folder)}")
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    words = size_bytes = 0
    renamer: Renamer | None = None
    written: list[tuple[Path, str]] = []
    for i in range(size):
        copy, which = divmod(i, len(stories))
        copy += first_copy
        if renamer is None or which == 0:
            renamer = Renamer(names if copy else {}, copy)
        story = stories[which]
        text = renamer(story.text)
        data = ((f"date {story.date.isoformat()}\n" if story.date else "") + text + "\n").encode()
        path = partial / f"{prefix}{i:06d}.txt"
        path.write_bytes(data)
        words += len(text.split())
        size_bytes += len(data)
        if i < 2 * len(stories):
            written.append((path, text))
    _check_rereading(written)
    manifest_data = {"key": key, "stories": size, "words": words, "bytes": size_bytes}
    (partial / "manifest.json").write_text(json.dumps(manifest_data, indent=1), "utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    partial.rename(folder)
    return Corpus(folder, size, words, size_bytes)


def _check_rereading(written: Sequence[tuple[Path, str]]) -> None:
    """Warn when a written story does not read back as one story with the text written."""
    from sco_graph.read.reader import read_source
    from sco_graph.read.segment import split_articles

    for path, text in written:
        read = split_articles(read_source(path))
        if [story.text for story in read] != [text]:
            _say(f"warning: {path.name} reads back as {len(read)} stories, not the text written")


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()[:16]


# --- child processes -------------------------------------------------------------------------

@dataclass
class Run:
    """One child process: its wall time, peak RSS and how it ended."""

    wall: float
    peak_rss: int  # bytes (the largest process: the child or one it waited for)
    code: int | None
    timed_out: bool
    stderr: str = ""
    load: float = 0.0  # the machine's 1-minute load average when it ended

    @property
    def ok(self) -> bool:
        return not self.timed_out and self.code == 0

    def failure(self, timeout: float) -> str:
        if self.timed_out:
            return f"timeout (> {timeout:.0f} s)"
        return f"failed (exit {self.code})"


def child_env() -> dict[str, str]:
    """The environment of every child: this checkout's sco_graph first."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def sco_graph_command() -> list[str]:
    """How a user runs `sco-graph`: the script beside this interpreter (else the same
    entry point through -c)."""
    script = Path(sys.executable).parent / "sco-graph"
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "import sys; from sco_graph.cli import main; sys.exit(main())"]


def run_child(command: Sequence[str], timeout: float | None, log: Path) -> Run:
    """Run `command` in its own process group; its wall time and peak RSS (os.wait4).
    Past `timeout` seconds the group is killed and the run marked as timed out."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as stderr:
        start = time.perf_counter()
        process = subprocess.Popen(list(command), stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=stderr, env=child_env(),
                                   start_new_session=True)
        ended: dict[str, Any] = {}

        def reap() -> None:
            _, status, usage = os.wait4(process.pid, 0)
            ended.update(end=time.perf_counter(), status=status, usage=usage)

        def stop() -> None:  # the child's process group: it and any workers it started
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)

        waiter = threading.Thread(target=reap, daemon=True)
        waiter.start()
        try:
            waiter.join(timeout)
            timed_out = waiter.is_alive()
            if timed_out:
                stop()
                waiter.join()
        except BaseException:  # Ctrl-C: the child is in its own session, stop it too
            stop()
            raise
    code = os.waitstatus_to_exitcode(ended["status"])
    process.returncode = code  # reaped here, not by Popen
    tail = log.read_bytes()[-3000:].decode("utf-8", "replace")
    peak = ended["usage"].ru_maxrss * (1 if sys.platform == "darwin" else 1024)  # bytes / KiB
    return Run(ended["end"] - start, peak, None if timed_out else code, timed_out, tail,
               os.getloadavg()[0])


def child_command(kind: str, result: Path, *args: str) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "_child", kind, str(result), *args]


def _child_bare(result: Path, corpus: str) -> None:
    """The bare spaCy pipeline over the corpus's stories: read and segment them first
    (as the build does; not timed), then time `nlp.pipe` alone."""
    start = time.perf_counter()
    import spacy

    from sco_graph.nlp.model import BATCH_SIZE, default_model_name
    from sco_graph.read.reader import read_source
    from sco_graph.read.segment import split_articles

    texts = result.with_suffix(".texts.jsonl")
    stories = words = 0
    with texts.open("w", encoding="utf-8") as out:
        for path in sorted(Path(corpus).glob("*.txt")):
            for story in split_articles(read_source(path)):
                out.write(json.dumps(story.text) + "\n")
                stories += 1
                words += len(story.text.split())
    read = time.perf_counter()
    name = default_model_name()
    nlp = spacy.load(name)
    loaded = time.perf_counter()

    def stream() -> Iterator[str]:
        with texts.open(encoding="utf-8") as lines:
            for line in lines:
                yield json.loads(line)

    piped = sum(1 for _ in nlp.pipe(stream(), batch_size=BATCH_SIZE))
    end = time.perf_counter()
    texts.unlink()
    _write_json(result, {
        "model": name, "model_version": nlp.meta.get("version"), "components": nlp.pipe_names,
        "batch_size": BATCH_SIZE, "stories": stories, "piped": piped, "words": words,
        "read_s": read - start, "load_s": loaded - read, "pipe_s": end - loaded,
    })


def _child_build(result: Path, *cli_args: str) -> None:
    """`sco-graph CLI_ARGS`, with the time inside spaCy's `Language.pipe` (every component
    of the pipeline, the project's own included) added up. Only calls with every component
    enabled count: a span ruler running its phrase patterns through the model while it is
    set up (some components disabled) is loading, not reading stories."""
    start = time.perf_counter()
    from spacy.language import Language

    timing = {"nlp_s": 0.0, "first_nlp_s": None, "docs": 0}
    depth = [0]  # `pipe(as_tuples=True)` calls `self.pipe` again: time the outer call only
    pipe = Language.pipe

    def timed_pipe(self: Language, *args: Any, **kwargs: Any) -> Iterator[Any]:
        docs = pipe(self, *args, **kwargs)
        if self.disabled:
            yield from docs
            return
        if timing["first_nlp_s"] is None:
            timing["first_nlp_s"] = time.perf_counter() - start
        while True:
            outer = depth[0] == 0
            depth[0] += 1
            began = time.perf_counter()
            try:
                doc = next(docs)
            except StopIteration:
                return
            finally:
                depth[0] -= 1
                if outer:
                    timing["nlp_s"] += time.perf_counter() - began
            if outer:
                timing["docs"] += 1
            yield doc

    Language.pipe = timed_pipe  # type: ignore[method-assign]
    from sco_graph.cli import main

    code: Any = 0
    try:
        main(list(cli_args), prog_name="sco-graph")
    except SystemExit as exit_:
        code = exit_.code
    finally:
        _write_json(result, {**timing, "total_s": time.perf_counter() - start})
    sys.exit(code)


class _StepTimeout(Exception):
    pass


def _raise_timeout(signum: int, frame: Any) -> None:
    raise _StepTimeout


def _child_queries(result: Path, graph_dir: str, repeats: str, timeout: str) -> None:
    """Open the graph once, pick values for the saved queries' required parameters from
    it, and time every saved query `repeats` times; one JSON line per query. A query
    whose runs take more than `timeout` seconds in all (0: no limit) is stopped (SIGALRM)
    and the next one runs."""
    start = time.perf_counter()
    signal.signal(signal.SIGALRM, _raise_timeout)
    import sco_graph
    from sco_graph.query.saved_queries import list_queries

    graph = sco_graph.load_graph(graph_dir)
    opened = time.perf_counter() - start
    values = _parameter_values(graph)
    with result.open("w", encoding="utf-8") as out:
        names = [query.name for query in list_queries()]
        out.write(json.dumps({"open_s": opened, "values": values, "names": names}) + "\n")
        out.flush()
        for query in list_queries():
            line: dict[str, Any] = {"name": query.name, "times": []}
            try:
                line["params"] = {p.name: values[p.name] for p in query.params if p.required}
                signal.setitimer(signal.ITIMER_REAL, float(timeout))
                for _ in range(int(repeats)):
                    began = time.perf_counter()
                    rows = sco_graph.saved_query(graph, query.name, **line["params"])
                    line["times"].append(time.perf_counter() - began)
                    line["rows"] = len(rows)
            except _StepTimeout:
                line["timeout"] = True
            except Exception as error:  # reported in RESULTS.md, the other queries still run
                line["error"] = f"{type(error).__name__}: {error}"
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            out.write(json.dumps(line) + "\n")
            out.flush()
        out.write(json.dumps({"triples": len(graph)}) + "\n")  # counting may take a while


def _parameter_values(graph: Any) -> dict[str, str]:
    """A value for each required parameter of the saved queries, from the graph itself:
    `type…` parameters the classes with the most mentioned entities (most first), any
    other IRI parameter the entity mentioned by the most articles."""
    import sco_graph
    from sco_graph.query.saved_queries import list_queries

    classes = sco_graph.run_query(graph, """
        SELECT ?type (COUNT(DISTINCT ?entity) AS ?n)
        WHERE { ?article sco:mentions ?entity . ?entity a ?type }
        GROUP BY ?type ORDER BY DESC(?n) ?type""").column("type")
    top = sco_graph.run_query(graph, """
        SELECT ?entity (COUNT(DISTINCT ?article) AS ?n)
        WHERE { ?article sco:mentions ?entity }
        GROUP BY ?entity ORDER BY DESC(?n) ?entity LIMIT 1""").column("entity")
    values: dict[str, str] = {}
    types = 0
    for query in list_queries():
        for param in query.params:
            if not param.required or param.name in values or param.kind != "IRI":
                continue
            if param.name.startswith("type") and classes:
                values[param.name] = classes[types % len(classes)]
                types += 1
            elif top:
                values[param.name] = top[0]
    return values


CHILDREN: dict[str, Callable[..., None]] = {
    "bare": _child_bare, "build": _child_build, "queries": _child_queries,
}


def _write_json(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _read_json_lines(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            lines.append(json.loads(line))
        except ValueError:  # a line cut by a timeout
            break
    return lines


# --- one size --------------------------------------------------------------------------------

@dataclass
class QueryTiming:
    name: str
    params: dict[str, str] = field(default_factory=dict)
    rows: int | None = None
    library: float | None = None  # median seconds
    library_note: str = ""
    cli: float | None = None
    cli_note: str = ""


@dataclass
class SizeResult:
    corpus: Corpus
    bare: Run | None = None
    bare_data: dict[str, Any] | None = None
    build: Run | None = None
    build_data: dict[str, Any] | None = None
    output_bytes: int | None = None
    graph_open_s: float | None = None
    triples: int | None = None
    queries: list[QueryTiming] = field(default_factory=list)
    queries_note: str = ""
    workers: Run | None = None
    workers_note: str = ""
    update_note: str = ""
    workers_identical: bool | None = None
    new_stories: int = 0
    update: Run | None = None
    rebuild: Run | None = None
    update_identical: bool | None = None

    @property
    def stories(self) -> int:
        return self.corpus.stories

    @property
    def built(self) -> bool:
        return self.build is not None and self.build.ok


@dataclass
class Options:
    sizes: list[int]
    timeout: float | None
    keep: bool
    skip_bare: bool
    skip_workers: bool
    skip_update: bool
    skip_queries: bool
    repeats: int
    # the --workers 2 build and the --update run (a build and a rebuild) only up to here
    second_builds_up_to: int | None = None


def measure(size: int, options: Options, stories: Sequence[Any], names: dict[str, str],
            workers: bool) -> SizeResult:
    corpus = make_corpus(CACHE / f"corpus-{size}", size, stories, names)
    runs = CACHE / "runs" / str(size)
    shutil.rmtree(runs, ignore_errors=True)
    runs.mkdir(parents=True)
    result = SizeResult(corpus)
    sco = sco_graph_command()
    timeout = options.timeout

    if not options.skip_bare:
        _say(f"[{size:,}] bare spaCy pipeline (nlp.pipe)")
        result.bare = run_child(child_command("bare", runs / "bare.json", str(corpus.folder)),
                                timeout, runs / "bare.log")
        result.bare_data = _read_json(runs / "bare.json") if result.bare.ok else None
        _report_run("bare", result.bare, timeout)

    _say(f"[{size:,}] sco-graph build")
    out = runs / "build"
    result.build = run_child(
        child_command("build", runs / "build.json", "build", str(corpus.folder),
                      "--out", str(out), "-q"), timeout, runs / "build.log")
    result.build_data = _read_json(runs / "build.json") if result.build.ok else None
    _report_run("build", result.build, timeout)
    if not result.built:
        return _done(result, runs, options)
    result.output_bytes = _bytes_under(out)

    if not options.skip_queries:
        _measure_queries(result, out, runs, sco, options)

    beyond = (options.second_builds_up_to is not None
              and size > options.second_builds_up_to)
    if beyond:
        result.update_note = f"not run above {_n(options.second_builds_up_to)} stories"
    elif not options.skip_update:
        _measure_update(result, out, runs, sco, stories, names, options)

    if options.skip_workers:
        result.workers_note = "skipped (--skip-workers)"
    elif beyond:
        result.workers_note = f"not run above {_n(options.second_builds_up_to)} stories"
    elif not workers:
        result.workers_note = "n/a: `sco-graph build --help` lists no --workers"
    else:
        _say(f"[{size:,}] sco-graph build --workers 2")
        result.workers = run_child(
            [*sco, "build", str(corpus.folder), "--out", str(runs / "workers"), "--workers", "2",
             "-q"], timeout, runs / "workers.log")
        _report_run("--workers 2", result.workers, timeout)
        if result.workers.ok:
            result.workers_identical = _same_exports(out, runs / "workers")
        _remove(runs / "workers", options)
    return _done(result, runs, options)


def _measure_queries(result: SizeResult, out: Path, runs: Path, sco: list[str],
                     options: Options) -> None:
    size = result.stories
    _say(f"[{size:,}] saved queries through the library ({options.repeats} times each)")
    lines_file = runs / "queries.jsonl"
    from sco_graph.query.saved_queries import list_queries

    # Each query has the time limit of a step (the child stops it); this one is for the
    # rest (opening the graph, picking parameters) and a query native code keeps running.
    limit = options.timeout * (len(list_queries()) + 2) if options.timeout else None
    run = run_child(child_command("queries", lines_file, str(out), str(options.repeats),
                                  str(options.timeout or 0)), limit, runs / "queries.log")
    lines = _read_json_lines(lines_file)
    if not lines:
        result.queries_note = f"the library run {run.failure(options.timeout)}"
        _report_run("queries", run, options.timeout)
        return
    header, answered = lines[0], {line["name"]: line for line in lines[1:] if "name" in line}
    result.graph_open_s = header["open_s"]
    result.triples = next((line["triples"] for line in lines if "triples" in line), None)
    stopped = "" if run.ok else run.failure(options.timeout)
    if stopped:
        result.queries_note = f"the library run {stopped} after {len(answered)} queries"
    for name in header["names"]:
        line = answered.get(name, {})
        timing = QueryTiming(name, line.get("params", {}), line.get("rows"))
        if "error" in line:
            timing.library_note = line["error"]
        elif line.get("timeout"):
            timing.library_note = f"timeout (> {options.timeout:.0f} s)"
        elif len(line.get("times", ())) == options.repeats:
            timing.library = statistics.median(line["times"])
        else:
            timing.library_note = stopped or "not run"
        result.queries.append(timing)
    _say(f"[{size:,}] saved queries through `sco-graph query` ({options.repeats} times each)")
    for timing in result.queries:
        if timing.library is None:  # what the library cannot answer, the CLI cannot either
            timing.cli_note = "not run"
            continue
        command = [*sco, "query", str(out), "--name", timing.name]
        for key, value in timing.params.items():
            command += ["--param", f"{key}={value}"]
        walls: list[float] = []
        for _ in range(options.repeats):  # the runs of one query are one step: one time limit
            left = options.timeout - sum(walls) if options.timeout else None
            run = run_child(command, left, runs / "query-cli.log")
            if not run.ok:
                timing.cli_note = run.failure(options.timeout or 0)
                break
            walls.append(run.wall)
        if not timing.cli_note:
            timing.cli = statistics.median(walls)


def _measure_update(result: SizeResult, out: Path, runs: Path, sco: list[str],
                    stories: Sequence[Any], names: dict[str, str], options: Options) -> None:
    size = result.stories
    count = max(1, round(size * UPDATE_SHARE))
    new = make_corpus(CACHE / f"new-{size}", count, stories, names,
                      first_copy=UPDATE_FIRST_COPY, prefix="new-")
    result.new_stories = count
    _say(f"[{size:,}] sco-graph build --update with {count:,} new stories")
    updated = runs / "update"
    shutil.copytree(out, updated)
    result.update = run_child([*sco, "build", "--update", str(updated), str(new.folder), "-q"],
                              options.timeout, runs / "update.log")
    _report_run("--update", result.update, options.timeout)
    _say(f"[{size:,}] rebuild of all {size + count:,} stories")
    rebuilt = runs / "rebuild"
    result.rebuild = run_child(
        [*sco, "build", str(result.corpus.folder), str(new.folder), "--out", str(rebuilt), "-q"],
        options.timeout, runs / "rebuild.log")
    _report_run("rebuild", result.rebuild, options.timeout)
    if result.update.ok and result.rebuild.ok:
        result.update_identical = _same_exports(updated, rebuilt)
    _remove(updated, options)
    _remove(rebuilt, options)


def _done(result: SizeResult, runs: Path, options: Options) -> SizeResult:
    _remove(runs, options)
    return result


def _remove(path: Path, options: Options) -> None:
    if not options.keep:
        shutil.rmtree(path, ignore_errors=True)


def _bytes_under(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def _same_exports(a: Path, b: Path) -> bool:
    """Whether two build folders hold the same export files, byte for byte."""
    def exports(folder: Path) -> dict[str, str]:
        return {str(path.relative_to(folder)): _file_hash(path) for path in folder.rglob("*")
                if path.is_file() and path.suffix in EXPORT_SUFFIXES}
    return exports(a) == exports(b)


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _report_run(what: str, run: Run, timeout: float | None) -> None:
    if run.ok:
        _say(f"    {what}: {run.wall:.1f} s, peak RSS {_size(run.peak_rss)}")
    else:
        last = run.stderr.strip().splitlines()[-1:] or [""]
        _say(f"    {what}: {run.failure(timeout or 0)} after {run.wall:.1f} s {last[0]}")


def build_supports_workers() -> bool:
    help_text = subprocess.run([*sco_graph_command(), "build", "--help"], capture_output=True,
                               text=True, env=child_env(), check=False).stdout
    return "--workers" in help_text


# --- the report ------------------------------------------------------------------------------

@dataclass
class Machine:
    cpu: str
    cores: int
    usable: int
    ram: int
    load_start: tuple[float, float, float]
    load_end: tuple[float, float, float] = (0.0, 0.0, 0.0)
    versions: dict[str, str] = field(default_factory=dict)
    commit: str = ""


def machine() -> Machine:
    cpu = platform.processor() or platform.machine()
    ram = 0
    with contextlib.suppress(Exception):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with contextlib.suppress(Exception):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = int(line.split()[1]) * 1024
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    info = Machine(cpu, os.cpu_count() or 0, usable or 0, ram, os.getloadavg())
    info.versions["Python"] = f"{platform.python_version()} ({platform.platform()})"
    for package in ("sco-graph", "spacy", "rdflib", "pyoxigraph", "oxrdflib", "networkx"):
        with contextlib.suppress(Exception):
            info.versions[package] = metadata.version(package)
    with contextlib.suppress(Exception):
        from sco_graph.nlp.model import default_model_name

        model = default_model_name()
        info.versions["model"] = f"{model} {metadata.version(model)}"
    git = ["git", "-C", str(ROOT)]
    with contextlib.suppress(Exception):
        commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, check=True).stdout.strip()
        dirty = subprocess.run([*git, "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, check=True).stdout.strip()
        branch = subprocess.run([*git, "rev-parse", "--abbrev-ref", "HEAD"], capture_output=True,
                                text=True, check=True).stdout.strip()
        info.commit = f"{commit} ({branch}{', uncommitted changes' if dirty else ''})"
    return info


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], right: int = 1) -> str:
    """A Markdown table; columns from `right` on are right-aligned."""
    align = ["---" if i < right else "---:" for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _size(n: float | None) -> str:
    if n is None:
        return "–"
    if n >= GiB:
        return f"{n / GiB:.2f} GiB"
    return f"{n / MiB:,.0f} MiB" if n >= 10 * MiB else f"{n / MiB:.1f} MiB"


def _seconds(s: float | None) -> str:
    if s is None:
        return "–"
    return f"{s:.3f} s" if s < 1 else f"{s:,.1f} s"


def _rate(x: float) -> str:
    return f"{x:.2f}" if x < 10 else f"{x:,.1f}"


def _times(x: float) -> str:
    return f"{x:.2f}×"


def _n(x: int) -> str:
    return f"{x:,}"


def bare_pipe_s(result: SizeResult) -> float | None:
    return result.bare_data["pipe_s"] if result.bare_data else None


def ratio(result: SizeResult) -> float | None:
    pipe = bare_pipe_s(result)
    return pipe / result.build.wall if pipe and result.built and result.build else None


def after_nlp(result: SizeResult) -> tuple[float, float] | None:
    """(seconds before the first nlp.pipe: start-up and model load; seconds after the NLP:
    everything outside Language.pipe since) of the build."""
    data, run = result.build_data, result.build
    if not data or run is None or data.get("first_nlp_s") is None:
        return None
    before = run.wall - data["total_s"] + data["first_nlp_s"]
    return before, run.wall - before - data["nlp_s"]


def main_table(results: Sequence[SizeResult], timeout: float) -> str:
    rows = []
    for r in results:
        row = [_n(r.stories), _n(r.corpus.words)]
        build = r.build
        if build is not None and build.ok:
            build_cells = [_rate(r.stories / build.wall), _rate(r.corpus.words / build.wall)]
        else:
            build_cells = [build.failure(timeout) if build else "–"] * 2
        pipe = bare_pipe_s(r)
        bare_cell = _rate(r.stories / pipe) if pipe else _bare_failure(r, timeout)
        share = after_nlp(r)
        row += [build_cells[0], bare_cell, _times(ratio(r)) if ratio(r) else "–", build_cells[1],
                _peak(build), _peak(r.bare),
                f"{share[1] / build.wall:.0%}" if share and build else "–",
                f"{r.output_bytes / r.corpus.bytes:.1f}" if r.output_bytes else "–"]
        rows.append(row)
    header = ["stories", "words", "build stories/s", "bare stories/s", "ratio",
              "build words/s", "peak RSS build", "peak RSS bare", "share after NLP",
              "output bytes / input byte"]
    return _table(header, rows, right=0)


def _peak(run: Run | None) -> str:
    """Peak RSS; for a run stopped by its time limit, what it had reached."""
    if run is None:
        return "–"
    return _size(run.peak_rss) if run.ok else f"≥ {_size(run.peak_rss)} (stopped)"


def _bare_failure(result: SizeResult, timeout: float) -> str:
    if result.bare is None:
        return "skipped"
    return result.bare.failure(timeout)


def breakdown_table(results: Sequence[SizeResult]) -> str:
    rows = []
    for r in results:
        split = after_nlp(r)
        data, bare = r.build_data or {}, r.bare_data or {}
        rows.append([
            _n(r.stories), _seconds(r.build.wall if r.built and r.build else None),
            _seconds(split[0] if split else None), _seconds(data.get("nlp_s")),
            _seconds(split[1] if split else None), _seconds(bare.get("load_s")),
            _seconds(bare.get("pipe_s")), _size(r.corpus.bytes), _size(r.output_bytes),
        ])
    header = ["stories", "build wall", "build: start-up and model load", "build: in nlp.pipe",
              "build: after NLP", "bare: model load", "bare: nlp.pipe", "input", "output"]
    return _table(header, rows, right=0)


def _per_ten(factor: float, stories_factor: float) -> float:
    """A growth factor over `stories_factor` times the stories, as if over 10 times."""
    return factor ** (1 / math.log10(stories_factor)) if stories_factor > 1 else float("nan")


def growth_rows(results: Sequence[SizeResult]) -> list[tuple[SizeResult, SizeResult]]:
    built = [r for r in results if r.built]
    return list(itertools.pairwise(built))


def growth_table(results: Sequence[SizeResult]) -> str:
    rows = []
    for a, b in growth_rows(results):
        assert a.build is not None and b.build is not None
        more = b.stories / a.stories
        cells = [f"{_n(a.stories)} → {_n(b.stories)}", _times(more)]
        for factor in (b.build.wall / a.build.wall, b.build.peak_rss / a.build.peak_rss):
            cells += [_times(factor), _times(_per_ten(factor, more))]
        pipes = bare_pipe_s(a), bare_pipe_s(b)
        if pipes[0] and pipes[1] and a.bare and b.bare:
            for factor in (pipes[1] / pipes[0], b.bare.peak_rss / a.bare.peak_rss):
                cells += [_times(factor), _times(_per_ten(factor, more))]
        else:
            cells += ["–"] * 4
        rows.append(cells)
    if not rows:
        return "Needs two sizes whose build finished."
    header = ["stories", "× stories", "build time ×", "per 10×", "build peak RSS ×", "per 10×",
              "bare time ×", "per 10×", "bare peak RSS ×", "per 10×"]
    return _table(header, rows)


def workers_table(results: Sequence[SizeResult], timeout: float) -> str:
    rows = []
    for r in results:
        one = r.build.wall if r.built and r.build else None
        if r.workers is None:
            rows.append([_n(r.stories), _seconds(one), r.workers_note or "–", "–", "–", "–"])
            continue
        two = r.workers
        same = {True: "yes", False: "**no**", None: "–"}[r.workers_identical]
        rows.append([_n(r.stories), _seconds(one),
                     _seconds(two.wall) if two.ok else two.failure(timeout),
                     _times(one / two.wall) if one and two.ok else "–",
                     _size(two.peak_rss) if two.ok else "–", same])
    header = ["stories", "1 worker", "--workers 2", "speed-up", "peak RSS (largest process)",
              "same exports"]
    return _table(header, rows)


def update_table(results: Sequence[SizeResult], timeout: float) -> str:
    rows = []
    for r in results:
        if r.update_note:
            rows.append([_n(r.stories), "–", r.update_note, "–", "–", "–"])
            continue
        if r.update is None or r.rebuild is None:
            continue
        up, again = r.update, r.rebuild
        same = {True: "yes", False: "**no**", None: "–"}[r.update_identical]
        rows.append([_n(r.stories), _n(r.new_stories),
                     _seconds(up.wall) if up.ok else up.failure(timeout),
                     _seconds(again.wall) if again.ok else again.failure(timeout),
                     f"{up.wall / again.wall:.0%}" if up.ok and again.ok else "–", same])
    if not rows:
        return "Not measured."
    header = ["stories", "new stories", "--update", "rebuild of all", "update / rebuild",
              "same exports"]
    return _table(header, rows)


def query_table(results: Sequence[SizeResult]) -> str:
    measured = [r for r in results if r.queries]
    if not measured:
        return "Not measured."
    names = list(dict.fromkeys(q.name for r in measured for q in r.queries))
    header = ["query"]
    for r in measured:
        at = _n(r.stories)
        header += [f"library @ {at}", f"CLI @ {at}", f"rows @ {at}"]
    rows = []
    for name in names:
        row = [f"`{name}`"]
        for r in measured:
            timing = next((q for q in r.queries if q.name == name), None)
            if timing is None:
                row += ["–"] * 3
                continue
            row += [_seconds(timing.library) if timing.library is not None
                    else _short(timing.library_note),
                    _seconds(timing.cli) if timing.cli is not None else _short(timing.cli_note),
                    _n(timing.rows) if timing.rows is not None else "–"]
        rows.append(row)
    return _table(header, rows)


def _short(note: str) -> str:
    note = " ".join(note.split()).replace("|", "\\|")
    return (note[:60] + "…") if len(note) > 61 else (note or "–")


# --- targets ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Verdict:
    target: str
    measured: str
    verdict: str


def _at(results: Sequence[SizeResult], wanted: int,
        has: Callable[[SizeResult], bool]) -> tuple[SizeResult | None, bool]:
    """The result at `wanted` stories (exact), else the nearest size that has the value."""
    usable = [r for r in results if has(r)]
    for r in usable:
        if r.stories == wanted:
            return r, True
    if not usable:
        return None, False
    return min(usable, key=lambda r: abs(math.log(r.stories / wanted))), False


def _judge(value: float, limit: float, at_least: bool, shown: Callable[[float], str]) -> str:
    met = value >= limit if at_least else value < limit or math.isclose(value, limit)
    if met:
        return "met"
    gap = limit / value if at_least and value > 0 else value / limit
    how = "short" if at_least else "over"
    return f"**not met**: {shown(value)} against {shown(limit)} ({gap:.1f}× {how})"


def _not_at(wanted: int) -> str:
    return f"not measured at {_n(wanted)} stories"


def targets(results: Sequence[SizeResult], timeout: float) -> list[Verdict]:
    verdicts = []
    for wanted in (1_000, 10_000):
        r, exact = _at(results, wanted, lambda r: ratio(r) is not None)
        name = f"Whole build ≥ 0.80× the bare pipeline's throughput at {_n(wanted)} stories"
        stopped = _unfinished(results, wanted)
        if stopped:
            verdicts.append(Verdict(name, f"the build {stopped.failure(timeout)}",
                                    "**not met**: the build did not finish"))
        else:
            verdicts.append(_verdict(name, r, exact, wanted, ratio, 0.80, True, _times) if r
                            else Verdict(name, "not measured", _not_at(wanted)))

    first = next((r for r in results if r.stories == 1_000 and r.built), None)
    tenth = next((r for r in results if r.stories == 10_000 and r.build is not None), None)
    built = [r for r in results if r.built]
    for what, limit, key in (("time", 11.0, lambda run: run.wall),
                             ("peak RSS", 2.0, lambda run: run.peak_rss)):
        name = f"10× the stories → at most {limit:g}× the {what} (1,000 → 10,000)"
        if first and tenth and tenth.build:
            factor = key(tenth.build) / key(first.build)
            if tenth.built:
                verdicts.append(Verdict(name, _times(factor),
                                        _judge(factor, limit, False, _times)))
            else:
                verdicts.append(Verdict(
                    name, f"≥ {_times(factor)} (the 10,000 build {tenth.build.failure(timeout)})",
                    "**not met**" if factor > limit else "not known: the build did not finish"))
        elif len(built) > 1:
            a, b = built[0], built[-1]
            factor, more = key(b.build) / key(a.build), b.stories / a.stories
            verdicts.append(Verdict(
                name, f"{_times(_per_ten(factor, more))} per 10× ({_n(a.stories)} → "
                      f"{_n(b.stories)}: {_times(factor)})", "not measured at 1,000 → 10,000"))
        else:
            verdicts.append(Verdict(name, "needs two sizes whose build finished",
                                    "not measured at 1,000 → 10,000"))

    r, exact = _at(results, 50_000, lambda r: r.built)
    name = "50,000 stories under 4 GiB peak RSS"
    stopped = _unfinished(results, 50_000)
    if stopped:
        over = stopped.peak_rss >= 4 * GiB
        verdicts.append(Verdict(
            name, f"≥ {_size(stopped.peak_rss)} when the build {stopped.failure(timeout)}",
            "**not met**" if over else "not known: the build did not finish"))
    else:
        verdicts.append(
            _verdict(name, r, exact, 50_000, lambda r: r.build.peak_rss, 4 * GiB, False, _size)
            if r else Verdict(name, "not measured", _not_at(50_000)))

    r, exact = _at(results, 10_000, lambda r: r.workers is not None and r.workers.ok)
    name = "`--workers 2` ≥ 1.6× one worker at 10,000 stories"
    if r is None:
        notes = {res.workers_note for res in results if res.workers_note}
        notes |= {f"--workers 2 {res.workers.failure(timeout)} at {_n(res.stories)} stories"
                  for res in results if res.workers is not None and not res.workers.ok}
        verdicts.append(Verdict(name, "; ".join(sorted(notes)) or "not measured",
                                _not_at(10_000)))
    else:
        verdicts.append(_verdict(name, r, exact, 10_000,
                                 lambda r: r.build.wall / r.workers.wall, 1.6, True, _times))

    for where, limit in (("library", 0.2), ("CLI", 1.5)):
        name = (f"Saved query on 10,000 stories: median < {limit:g} s through "
                f"{'the library' if where == 'library' else '`sco-graph query`'}")
        r, exact = _at(results, 10_000, lambda r: bool(r.queries))
        if r is None:
            verdicts.append(Verdict(name, "not measured", _not_at(10_000)))
            continue
        verdicts.append(_query_verdict(name, r, exact, where, limit))

    name = "`--update` with 1 % new stories ≤ 10 % of a rebuild's time"
    done = [r for r in results if r.update and r.rebuild and r.update.ok and r.rebuild.ok]
    if not done:
        verdicts.append(Verdict(name, "not measured", "not measured"))
    else:
        r = next((r for r in done if r.stories == 10_000), done[-1])
        assert r.update is not None and r.rebuild is not None
        share = r.update.wall / r.rebuild.wall
        verdicts.append(Verdict(
            name, f"{share:.0%} at {_n(r.stories)} stories ({_seconds(r.update.wall)} against "
                  f"{_seconds(r.rebuild.wall)})",
            _judge(share, 0.10, False, lambda x: f"{x:.0%}")))
    return verdicts


def _verdict(name: str, r: SizeResult, exact: bool, wanted: int,
             value_of: Callable[[SizeResult], Any], limit: float, at_least: bool,
             shown: Callable[[float], str]) -> Verdict:
    value = value_of(r)
    if not exact:
        return Verdict(name, f"{shown(value)} at {_n(r.stories)} stories", _not_at(wanted))
    return Verdict(name, shown(value), _judge(value, limit, at_least, shown))


def _unfinished(results: Sequence[SizeResult], wanted: int) -> Run | None:
    """The build at `wanted` stories, when it timed out or failed."""
    for r in results:
        if r.stories == wanted and r.build is not None and not r.build.ok:
            return r.build
    return None


def _query_verdict(name: str, r: SizeResult, exact: bool, where: str, limit: float) -> Verdict:
    values = {q.name: (q.library if where == "library" else q.cli) for q in r.queries}
    timed = {k: v for k, v in values.items() if v is not None}
    failed = sorted(set(values) - set(timed))
    if not timed:
        return Verdict(name, "no query finished", "**not met**" if exact else _not_at(10_000))
    slowest = max(timed, key=lambda k: timed[k])
    under = sum(1 for v in timed.values() if v < limit)
    measured = (f"{under} of {len(values)} under {limit:g} s; slowest `{slowest}` "
                f"{_seconds(timed[slowest])}")
    if failed:
        measured += f"; did not finish: {', '.join(failed)}"
    if not exact:
        return Verdict(name, f"{measured} (at {_n(r.stories)} stories)", _not_at(10_000))
    if under == len(values):
        return Verdict(name, measured, "met")
    if timed[slowest] >= limit:
        return Verdict(name, measured, f"**not met**: slowest {timed[slowest] / limit:.1f}× over")
    return Verdict(name, measured, f"**not met**: {len(failed)} did not finish")


def targets_table(verdicts: Sequence[Verdict]) -> str:
    return _table(["target (issue 12)", "measured", "verdict"],
                  [[v.target, v.measured, v.verdict] for v in verdicts], right=3)


# --- RESULTS.md and the README ---------------------------------------------------------------

@dataclass
class Report:
    results: list[SizeResult]
    options: Options
    info: Machine
    command: str
    started: dt.datetime
    finished: dt.datetime
    names: dict[str, str]
    sample: dict[str, str]
    base: int  # stories of the bundled corpus

    @property
    def timeout(self) -> float:
        return self.options.timeout or 0.0

    @property
    def smoke(self) -> bool:
        return max(self.options.sizes) < 1_000

    @property
    def partial(self) -> bool:
        return len(self.results) < len(self.options.sizes)

    def header_line(self) -> str:
        minutes = (self.finished - self.started).total_seconds() / 60
        return (f"Measured {self.started:%Y-%m-%d %H:%M} UTC ({minutes:.0f} min) with "
                f"`{self.command}` on {self.info.usable} of {self.info.cores} cores "
                f"({self.info.cpu}), {_size(self.info.ram)} RAM, load average "
                f"{self.info.load_start[0]:.1f} at the start and {self.info.load_end[0]:.1f} at "
                f"the end; {self.info.versions.get('model', 'model ?')}.")

    def markdown(self) -> str:
        parts = ["# sco-graph at scale: benchmark results", ""]
        if self.partial:
            done = ", ".join(_n(r.stories) for r in self.results)
            parts += [f"> **In progress**: measured {done} of "
                      f"{', '.join(_n(s) for s in self.options.sizes)} stories so far.", ""]
        if self.smoke:
            parts += ["> **Smoke run at small sizes** "
                      f"({', '.join(_n(s) for s in self.options.sizes)} stories): it checks that "
                      "the benchmark runs; the targets of issue 12 are stated at 1,000, 10,000 "
                      "and 50,000 stories. Regenerate with `python benchmarks/scale.py`.", ""]
        parts += [self.header_line(), "", "## Machine", "", self.machine_table(), "",
                  "## Corpora", "", self.corpora(), "",
                  "## Throughput and memory", "", main_table(self.results, self.timeout), "",
                  MAIN_NOTES, "", "## Where the time goes", "", breakdown_table(self.results), "",
                  BREAKDOWN_NOTES, "", "## Growth", "", growth_table(self.results), "",
                  "Per 10×: the factor as if the stories grew exactly tenfold "
                  "(factor ^ (1 / log10(× stories))).", "",
                  "## `--workers 2`", "", workers_table(self.results, self.timeout), "",
                  "## `--update` with 1 % new stories", "",
                  update_table(self.results, self.timeout), "", UPDATE_NOTES, "",
                  "## Saved queries: median latency", "", self.queries_intro(), "",
                  query_table(self.results), "", "## Targets", "",
                  targets_table(targets(self.results, self.timeout)), "",
                  CAUSES_LINK.format(readme="../README.md"), ""]
        problems = self.problems()
        if problems:
            parts += ["## Problems", "", *problems, ""]
        return "\n".join(parts)

    def machine_table(self) -> str:
        v = self.info.versions
        rows = [
            ["CPU", f"{self.info.cpu}; {self.info.cores} cores, {self.info.usable} usable"],
            ["RAM", _size(self.info.ram)],
            ["load average (1 min)", self.loads()],
            ["Python", v.get("Python", "?")],
            ["spaCy", f"{v.get('spacy', '?')}; model {v.get('model', '?')}"],
            ["rdflib, pyoxigraph, oxrdflib, networkx",
             ", ".join(v.get(p, "–") for p in ("rdflib", "pyoxigraph", "oxrdflib", "networkx"))],
            ["sco-graph", f"{v.get('sco-graph', '?')}, commit {self.info.commit or '?'}"],
            ["date", f"{self.started:%Y-%m-%d %H:%M} UTC to {self.finished:%Y-%m-%d %H:%M} UTC"],
            ["command", f"`{self.command}`"],
            ["time limit per step", f"{self.timeout:.0f} s" if self.options.timeout else "none"],
        ]
        return _table(["", ""], rows, right=2)

    def loads(self) -> str:
        """The machine's load while measuring: other jobs on its cores slow every step."""
        runs = [run for r in self.results for run in (r.bare, r.build, r.workers, r.update,
                                                      r.rebuild) if run is not None]
        text = (f"{self.info.load_start[0]:.2f} at the start, {self.info.load_end[0]:.2f} at "
                "the end")
        if runs:
            loads = sorted(run.load for run in runs)
            text += (f"; {loads[0]:.2f} to {loads[-1]:.2f} at the end of the builds and bare "
                     f"runs (median {statistics.median(loads):.2f})")
        return text

    def corpora(self) -> str:
        kinds: dict[str, int] = {}
        for kind in self.names.values():
            kinds[kind] = kinds.get(kind, 0) + 1
        counts = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
        sample = ", ".join(f"{a} → {b}" for a, b in list(self.sample.items())[:6])
        rows = [[_n(r.stories), _n(r.corpus.words), _size(r.corpus.bytes),
                 f"{r.corpus.words / r.stories:,.0f}"] for r in self.results]
        return "\n".join([
            f"Story *i* of a corpus is story *i* mod {self.base} of the bundled "
            f"corpus (data/corpus), in copy *i* div {self.base}. Copy 0 is the "
            "corpus as it is; in every other copy the name words found by the project's own "
            f"extraction ({counts}) are replaced by made-up names drawn from syllable pools, "
            "seeded by the copy and the word, the same in every story of the copy (copy 1: "
            f"{sample}, …). Countries, multi-word names of known organisations and dates stay. "
            "One file per story, with its date marker. `--update` adds 1 % new stories from "
            f"copies numbered from {UPDATE_FIRST_COPY:,} (fresh names).", "",
            _table(["stories", "words", "input", "words per story"], rows, right=0)])

    def queries_intro(self) -> str:
        lines = [f"Median of {self.options.repeats} runs. *Library*: `sco_graph.saved_query(graph, "
                 "NAME, **params)` in one process with the graph opened once by "
                 "`sco_graph.load_graph`; *CLI*: `sco-graph query OUT --name NAME [--param …]` "
                 "as a process, start-up and opening the graph included, output to /dev/null. "
                 "Required parameters get values from the graph: `type…` the classes with the "
                 "most mentioned entities, other IRIs the entity most articles mention."]
        for r in self.results:
            if r.graph_open_s is not None:
                values = {k: v for q in r.queries for k, v in q.params.items()}
                shown = ", ".join(f"{k}=`{v}`" for k, v in sorted(values.items()))
                triples = f"{_n(r.triples)} triples, " if r.triples is not None else ""
                lines.append(f"- {_n(r.stories)} stories: {triples}graph opened in "
                             f"{_seconds(r.graph_open_s)}; {shown or 'no parameters'}"
                             + (f"; {r.queries_note}" if r.queries_note else ""))
            elif r.queries_note:
                lines.append(f"- {_n(r.stories)} stories: {r.queries_note}")
        return "\n".join(lines)

    def problems(self) -> list[str]:
        lines = []
        for r in self.results:
            for what, run in (("bare pipeline", r.bare), ("build", r.build),
                              ("--workers 2", r.workers), ("--update", r.update),
                              ("rebuild", r.rebuild)):
                if run is not None and not run.ok:
                    tail = "\n".join(run.stderr.strip().splitlines()[-5:])
                    lines += [f"- {_n(r.stories)} stories, {what}: {run.failure(self.timeout)} "
                              f"after {run.wall:.0f} s", "", "```", tail or "(no output)", "```"]
            if r.workers_identical is False:
                lines.append(f"- {_n(r.stories)} stories: `--workers 2` wrote other exports "
                             "than one worker.")
            if r.update_identical is False:
                lines.append(f"- {_n(r.stories)} stories: `--update` wrote other exports than "
                             "a rebuild of the same stories.")
        return lines

    def readme_block(self) -> str:
        return "\n".join([
            START_MARKER, "", self.header_line() + " Every number, how it is measured, the time "
            "breakdown, `--workers`, `--update` and the query latencies: "
            "[benchmarks/RESULTS.md](benchmarks/RESULTS.md).", "",
            main_table(self.results, self.timeout), "",
            targets_table(targets(self.results, self.timeout)), "",
            CAUSES_LINK.format(readme=""), "", END_MARKER])


# The causes are found by profiling, not by this script, so they live in the README beside it.
CAUSES_LINK = ("Why a target is missed, and what was measured to find out: "
               "[Why the targets are not met]({readme}#why-the-targets-are-not-met).")

MAIN_NOTES = """\
- *build*: `sco-graph build CORPUS --out OUT -q` as a child process, one worker; stories/s and \
words/s over its whole wall time (start-up and model load included).
- *bare*: `spacy.load(model)` (every component of the model) and `nlp.pipe(texts, \
batch_size=32)` over the same stories' texts (read and segmented as the build reads them) in a \
child process; stories/s over the `nlp.pipe` loop alone.
- *ratio*: build stories/s ÷ bare stories/s (1.00: the build costs no more than the bare \
`nlp.pipe`).
- *peak RSS*: `ru_maxrss` of the child from `os.wait4` (the largest process).
- *share after NLP*: the build's time outside spaCy's `Language.pipe` once the NLP has started \
(rules, resolution, the store, writing the exports; the project's own pipeline components run \
inside `nlp.pipe` and count as NLP), over its wall time: measured by wrapping `Language.pipe` in \
the build's process, see the next table. (1 − ratio, the estimate from the bare run, would also \
count the start-up and the project's own pipeline components.)
- *words*: whitespace-separated words of the stories' texts.
- *output bytes / input byte*: the build folder's files over the corpus files."""

BREAKDOWN_NOTES = """\
*Start-up and model load*: from the process start to the first `nlp.pipe` call. *In \
nlp.pipe*: the time the build spent waiting on spaCy's `Language.pipe` generators (its whole \
pipeline: the model's components and the project's). *After NLP*: the rest. The bare pipeline's \
model load is not in its stories/s."""

UPDATE_NOTES = """\
`--update`: a copy of the build folder, then `sco-graph build --update COPY NEW -q`. Rebuild: \
`sco-graph build CORPUS NEW --out OUT -q`. *Same exports*: the export files of both are equal \
byte for byte."""


def write_readme(block: str) -> None:
    from sco_graph.atomic import atomic_write

    text = README.read_text(encoding="utf-8")
    start, end = text.find(START_MARKER), text.find(END_MARKER)
    if start < 0 or end < start:
        sys.exit(f"{README}: no {START_MARKER} … {END_MARKER} markers; add them to the "
                 "Performance section")
    with atomic_write(README) as handle:
        handle.write(text[:start] + block + text[end + len(END_MARKER):])


# --- main ------------------------------------------------------------------------------------

def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="Example: python benchmarks/scale.py --sizes 100 300 --timeout 600")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES),
                        metavar="N", help="corpus sizes in stories (default: 1000 10000 50000)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help="time limit of each step (default: 4 hours; 0: none)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the build folders (benchmarks/.cache/runs/N/)")
    parser.add_argument("--skip-bare", action="store_true", help="no bare spaCy pipeline run")
    parser.add_argument("--skip-workers", action="store_true", help="no --workers 2 build")
    parser.add_argument("--skip-update", action="store_true", help="no --update and rebuild")
    parser.add_argument("--skip-queries", action="store_true", help="no saved query latencies")
    parser.add_argument("--second-builds-up-to", type=int, metavar="N",
                        help="run the --workers 2 build and the --update and rebuild only for "
                             "sizes up to N (each is a whole build again)")
    parser.add_argument("--repeats", type=int, default=5, metavar="N",
                        help="runs of each query; the median is reported (default: 5)")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "RESULTS.md",
                        help="the report to write (default: benchmarks/RESULTS.md)")
    parser.add_argument("--readme", action="store_true",
                        help="also replace the benchmark table in README.md")
    parser.add_argument("--rewrite", action="store_true",
                        help="measure nothing: write the report of the last run again, from "
                             "its saved measurements (benchmarks/.cache/last-run.pickle)")
    args = parser.parse_args(argv)
    if any(size < 1 for size in args.sizes) or args.repeats < 1:
        parser.error("sizes and --repeats must be at least 1")
    return args


def main(argv: Sequence[str]) -> None:
    if argv[:1] == ["_child"]:
        kind, result, *rest = argv[1:]
        CHILDREN[kind](Path(result), *rest)
        return
    args = parse_args(argv)
    if args.rewrite:
        rewrite(args.out, args.readme)
        return
    options = Options(sorted(set(args.sizes)), args.timeout or None, args.keep, args.skip_bare,
                      args.skip_workers, args.skip_update, args.skip_queries, args.repeats,
                      args.second_builds_up_to)
    started = dt.datetime.now(dt.UTC)
    info = machine()
    stories = base_stories()
    names = names_of(stories)
    renamer = Renamer(names, 1)
    sample = {word: renamer.mapping[word] for word, kind in names.items()
              if kind in ("surname", "place")}
    workers = not args.skip_workers and build_supports_workers()
    command = "python benchmarks/scale.py" + (" " + shlex.join(argv) if argv else "")
    report = Report([], options, info, command, started, started, names, sample, len(stories))
    for size in options.sizes:
        report.results.append(measure(size, options, stories, names, workers))
        info.load_end = os.getloadavg()
        report.finished = dt.datetime.now(dt.UTC)
        # Written after every size: a run stopped later keeps what it measured.
        write_report(report, args.out, readme=False, show=False)
        with LAST_RUN.open("wb") as handle:
            pickle.dump(report, handle)
    write_report(report, args.out, args.readme)


def write_report(report: Report, out: Path, readme: bool, show: bool = True) -> None:
    from sco_graph.atomic import atomic_write

    out.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(out) as handle:
        handle.write(report.markdown())
    if readme:
        write_readme(report.readme_block())
    if show:
        print(main_table(report.results, report.timeout))
        _say(f"wrote {_shown(out)}" + (" and README.md" if readme else ""))


def rewrite(out: Path, readme: bool) -> None:
    """The report of the last run again, from its saved measurements (after a change to the
    report's code, or to put its table in the README)."""
    if not LAST_RUN.is_file():
        sys.exit(f"{_shown(LAST_RUN)}: no saved run; run the benchmark first")
    with LAST_RUN.open("rb") as handle:
        report = pickle.load(handle)
    write_report(report, out, readme)


if __name__ == "__main__":
    main(sys.argv[1:])
