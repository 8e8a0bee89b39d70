"""Throughput and memory of the extraction stage, as ratios against baselines
measured in the same run (never absolute seconds, which depend on the machine).

    .venv/bin/python benchmarks/throughput.py [--copies 20]

- speed: articles per second of sco-graph's extraction (statistical model +
  domain layer + relations) against plain `nlp.pipe` NER with the same spaCy
  model; the ratio says what the domain layer costs.
- memory: peak traced memory while streaming N copies of the corpus against
  streaming N/4 copies (both larger than one `nlp.pipe` batch); streaming keeps
  no Doc, so the ratio should stay near 1 however large N is. (The graph grows
  with the corpus by design; this measures the extraction stream only.)
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

import spacy

from sco_graph.extract.article import extract
from sco_graph.nlp.model import default_model_name, load_pipeline
from sco_graph.read.reader import read_source
from sco_graph.read.segment import split_articles
from sco_graph.types import Article

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"


def corpus(copies: int) -> list[Article]:
    stories = [
        a for path in sorted(CORPUS.glob("*.txt")) for a in split_articles(read_source(path))
    ]
    return [replace(a, source=f"{n}-{a.source}") for n in range(copies) for a in stories]


def rate(run, articles: list[Article]) -> float:
    start = time.perf_counter()
    count = sum(1 for _ in run(articles))
    return count / (time.perf_counter() - start)


def peak_growth(articles: list[Article], nlp) -> int:
    tracemalloc.start()
    for _ in extract(iter(articles), nlp):
        pass
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=20, help="copies of the corpus to stream")
    copies = parser.parse_args().copies

    ours = load_pipeline()
    plain = spacy.load(default_model_name())
    articles = corpus(copies)
    list(extract(articles[:5], ours))  # warm both pipelines up
    list(plain.pipe(a.text for a in articles[:5]))

    ours_rate = rate(lambda xs: extract(xs, ours), articles)
    plain_rate = rate(lambda xs: plain.pipe(a.text for a in xs), articles)
    quarter = max(copies // 4, 3)
    one = peak_growth(corpus(quarter), ours)
    many = peak_growth(articles, ours)

    print(f"articles: {len(articles)} ({copies} copies of the bundled corpus)")
    print(f"speed   sco-graph / plain spaCy NER : {ours_rate / plain_rate:.2f}"
          f"  ({ours_rate:.1f} vs {plain_rate:.1f} articles/s on this machine)")
    print(f"memory  peak streaming {copies}x / {quarter}x : {many / one:.2f}"
          f"  ({many / 1e6:.1f} MB vs {one / 1e6:.1f} MB traced)")


if __name__ == "__main__":
    main()
