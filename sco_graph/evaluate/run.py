"""Measuring the pipeline against gold annotations (../shared/gold/FORMAT.md).

`evaluate` reads a gold file, runs the pipeline on the texts it names (found
by file name in a folder), and scores what it found with `scoring.score`.
With `baseline=True` it also scores plain spaCy NER on the same stories, its
labels mapped to our types, so the two can be compared in one run.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import spacy

from sco_graph.evaluate.gold import GoldArticle, GoldEntity, from_extraction, load_gold
from sco_graph.evaluate.scoring import Scores, score
from sco_graph.extract.article import extract
from sco_graph.graph.iri import slug
from sco_graph.names import normalise
from sco_graph.nlp.model import default_model_name, load_pipeline
from sco_graph.read.reader import read_source
from sco_graph.read.segment import split_articles
from sco_graph.types import Article, EntityType, Problem

DEFAULT_TEXTS = Path("data/corpus")

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


@dataclass(frozen=True)
class Evaluation:
    scores: Scores
    predictions: list[GoldArticle]
    baseline: Scores | None = None
    problems: list[Problem] = field(default_factory=list)


def evaluate(
    gold_path: str | os.PathLike[str],
    texts: str | os.PathLike[str] = DEFAULT_TEXTS,
    *,
    model: str | None = None,
    baseline: bool = False,
) -> Evaluation:
    """Score the pipeline (and optionally the plain-NER baseline) against gold."""
    gold = load_gold(gold_path)
    articles, problems = _articles_for(gold, Path(texts))
    nlp = load_pipeline(model)
    predictions = [from_extraction(x) for x in extract(articles, nlp)]
    ours = score(gold, predictions)
    plain = None
    if baseline:
        plain = score(gold, list(baseline_predictions(articles, model)))
    return Evaluation(ours, predictions, plain, problems)


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


def baseline_predictions(articles: Iterable[Article], model: str | None = None):
    """Plain spaCy NER, one entity per distinct normalised name and type."""
    nlp = spacy.load(model or default_model_name())
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
