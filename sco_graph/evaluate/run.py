"""Measuring the pipeline against gold annotations (../shared/gold/FORMAT.md).

`evaluate_sets` reads one or more gold files, runs the pipeline (loaded once)
on the texts each names (found by file name in that set's folder), and scores
what it found with `scoring.score`. With `baseline=True` it also scores plain
spaCy NER on the same stories, its labels mapped to our types, so the two can
be compared in one run. `gold_sets` names each set and finds its texts.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import spacy
from spacy.language import Language

from sco_graph.errors import TextsFolderError
from sco_graph.evaluate.gold import GoldArticle, GoldEntity, from_extraction, load_gold
from sco_graph.evaluate.scoring import Scores, score
from sco_graph.extract.article import extract
from sco_graph.graph.iri import slug
from sco_graph.names import normalise
from sco_graph.nlp.model import default_model_name, load_pipeline
from sco_graph.read.reader import read_source
from sco_graph.read.segment import split_articles
from sco_graph.resources import corpus_dir
from sco_graph.types import Article, EntityType, Problem

# A gold file with this stem is named for its role, so its folder names the set.
_GENERIC_STEM = "gold"

# How plain spaCy labels map to our types for the baseline (no domain knowledge).
BASELINE_LABELS = {
    "PERSON": EntityType.PERSON,
    "GPE": EntityType.COUNTRY,
    "LOC": EntityType.PLACE,
    "FAC": EntityType.PLACE,
    "ORG": EntityType.ORGANIZATION,
    "EVENT": EntityType.EVENT,
    "LAW": EntityType.DOCUMENT,
}


@dataclass(frozen=True, slots=True)
class GoldSet:
    """A gold file, the folder of the texts it names, and its short name in reports."""

    name: str
    gold: Path
    texts: Path


@dataclass(frozen=True)
class Evaluation:
    scores: Scores
    predictions: list[GoldArticle]
    baseline: Scores | None = None
    problems: list[Problem] = field(default_factory=list)


def default_texts(gold_path: str | os.PathLike[str]) -> Path | None:
    """Where a gold file's texts are when not given: `texts/` beside it if there is
    one, else the example corpus of the source checkout (`data/corpus`, wherever the
    command runs from); None when neither exists (an installed wheel has no corpus)."""
    beside = Path(gold_path).parent / "texts"
    return beside if beside.is_dir() else corpus_dir()


def gold_sets(
    golds: Sequence[str | os.PathLike[str]],
    texts: Sequence[str | os.PathLike[str] | None] | None = None,
) -> list[GoldSet]:
    """Each gold file with its texts folder (given, or `default_texts`) and a unique name.

    A missing folder is a TextsFolderError naming the gold file and `--texts`.
    """
    given = list(texts) if texts is not None else [None] * len(golds)
    if len(given) != len(golds):
        raise ValueError(f"{len(given)} texts folders for {len(golds)} gold files")
    out = []
    for name, gold, folder in zip(set_names(golds), golds, given, strict=True):
        if folder is not None:
            path = Path(folder)
            if not path.is_dir():
                raise TextsFolderError(str(gold), f"texts folder {path} given with --texts is "
                                                  f"not a folder; give the folder holding the "
                                                  f"gold's texts")
        else:
            found = default_texts(gold)
            if found is None:
                raise TextsFolderError(str(gold), f"no texts folder: there is no "
                                                  f"{Path(gold).parent / 'texts'} and no example "
                                                  f"corpus (data/corpus of a source checkout); "
                                                  f"give the folder of the texts with --texts")
            path = found
        out.append(GoldSet(name, Path(gold), path))
    return out


def set_names(golds: Sequence[str | os.PathLike[str]]) -> list[str]:
    """Short, unique names: the file stem (`seeds`), or the folder for a file called
    `gold.*` (`dev/gold.jsonl` -> `dev`); names two files share get the folder in
    front (`a/seeds`), and any still shared a number (`seeds-2`)."""
    paths = [Path(g) for g in golds]
    names = [(p.parent.name or p.stem) if p.stem == _GENERIC_STEM else p.stem for p in paths]
    shared = Counter(names)
    names = [f"{p.parent.name}/{n}" if shared[n] > 1 and p.parent.name else n
             for p, n in zip(paths, names, strict=True)]
    seen: Counter[str] = Counter()
    out = []
    for name in names:
        seen[name] += 1
        out.append(name if seen[name] == 1 else f"{name}-{seen[name]}")
    return out


def predictions_path(out: str | os.PathLike[str], name: str, several: bool) -> Path:
    """Where one set's predictions go: `out` itself for one set, else the set's name
    after the stem (`pred.jsonl` -> `pred-seeds.jsonl`, `pred-dev.jsonl`)."""
    path = Path(out)
    if not several:
        return path
    return path.with_name(f"{path.stem}-{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}{path.suffix}")


def evaluate(
    gold_path: str | os.PathLike[str],
    texts: str | os.PathLike[str] | None = None,
    *,
    model: str | None = None,
    baseline: bool = False,
) -> Evaluation:
    """Score the pipeline (and optionally the plain-NER baseline) against one gold file."""
    return evaluate_sets(gold_sets([gold_path], [texts]), model=model, baseline=baseline)[0]


def evaluate_sets(
    sets: Sequence[GoldSet], *, model: str | None = None, baseline: bool = False
) -> list[Evaluation]:
    """Score each set, in order, with the pipeline (and the baseline) loaded once.

    Every gold file is read before the model loads, so a malformed one fails at once.
    """
    golds = [load_gold(s.gold) for s in sets]
    nlp = load_pipeline(model)
    plain = spacy.load(model or default_model_name()) if baseline else None
    out = []
    for gold, gold_set in zip(golds, sets, strict=True):
        articles, problems = _articles_for(gold, gold_set.texts)
        predictions = [from_extraction(x) for x in extract(articles, nlp)]
        ours = score(gold, predictions)
        theirs = None
        if plain is not None:
            theirs = score(gold, list(baseline_predictions(articles, plain)))
        out.append(Evaluation(ours, predictions, theirs, problems))
    return out


def _articles_for(gold: Sequence[GoldArticle], folder: Path) -> tuple[list[Article], list[Problem]]:
    """The stories of every file the gold names, in gold order of files."""
    wanted = {(g.source, g.article) for g in gold}
    articles: list[Article] = []
    problems: list[Problem] = []
    for source in dict.fromkeys(g.source for g in gold):
        path = folder / source
        if not path.is_file():
            problems.append(Problem(str(path), "text named in the gold file not found"))
            continue
        stories = split_articles(read_source(path))
        articles.extend(a for a in stories if (a.source, a.index) in wanted)
        found = {(a.source, a.index) for a in stories}
        for source_name, index in sorted(w for w in wanted if w[0] == source):
            if (source_name, index) not in found:
                problems.append(Problem(str(path), f"story {index} of the gold is not in the text"))
    return articles, problems


def baseline_predictions(articles: Iterable[Article], nlp: Language) -> Iterable[GoldArticle]:
    """Plain spaCy NER (`nlp`: a spaCy pipeline as shipped), one entity per distinct
    normalised name and type."""
    pairs = ((a.text, a) for a in articles)
    for doc, article in nlp.pipe(pairs, as_tuples=True):
        entities: dict[tuple[str, str], GoldEntity] = {}
        for ent in doc.ents:
            kind = BASELINE_LABELS.get(ent.label_)
            name = ent.text.removeprefix("the ").removeprefix("The ").strip()
            if kind is None or not normalise(name):
                continue
            key = (kind.value, normalise(name))
            entities.setdefault(key, GoldEntity(
                id=f"{kind.value.lower()}:{slug(name)}", types=(kind.value,), name=name,
                aliases=(), wikidata=None,
            ))
        yield GoldArticle(article.source, article.index,
                          article.date.isoformat() if article.date else None,
                          article.title, tuple(entities.values()), ())
