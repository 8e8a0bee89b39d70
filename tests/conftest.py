from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "data" / "corpus"
SHARED_GOLD = REPO.parent / "shared" / "gold" / "seeds.jsonl"


@pytest.fixture(scope="session")
def nlp():
    """The full pipeline on the installed statistical model (loaded once)."""
    from sco_graph.nlp.model import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def corpus(nlp):
    """What the pipeline extracts from the bundled corpus, by article key."""
    from sco_graph.extract.article import extract
    from sco_graph.read.reader import read_source
    from sco_graph.read.segment import split_articles

    articles = []
    for path in sorted(CORPUS.glob("*.txt")):
        articles.extend(split_articles(read_source(path)))
    return {x.article.key: x for x in extract(articles, nlp)}
