"""Peak memory of reading one long story: it must not grow with the story's length.

    .venv/bin/python benchmarks/long_story.py [--chars 1000000] [--whole]

Generates a story of about `--chars` characters (paragraphs of meetings, talks
and dates, like a long wire digest), extracts it in this process and prints the
peak resident memory of the process (`resource.getrusage`, which includes the
model) and the resident memory after loading the model, so the difference is
what the story cost. `--whole` reads the story as one Doc (the behaviour before
`extract.article.PART_LENGTH`), for comparison. Not a test: it takes minutes.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time

from sco_graph.extract import article as article_module
from sco_graph.extract.article import extract
from sco_graph.nlp.model import load_pipeline
from sco_graph.types import Article

PEOPLE = ["Xi Jinping", "Vladimir Putin", "Narendra Modi", "Shavkat Mirziyoyev",
          "Sadyr Japarov", "Emomali Rahmon", "Shehbaz Sharif", "Masoud Pezeshkian"]
PLACES = ["Astana", "Beijing", "Moscow", "Tashkent", "Bishkek", "Dushanbe", "New Delhi"]


def story(chars: int) -> str:
    paragraphs: list[str] = []
    total, n = 0, 0
    while total < chars:
        paragraph = (
            f"On {1 + n % 28} July 2024, Kazakh President Kassym-Jomart Tokayev met "
            f"{PEOPLE[n % len(PEOPLE)]} in {PLACES[n % len(PLACES)]} during round {n} of the "
            "SCO talks. The delegations discussed trade, transport and security, and agreed "
            "to meet again at the summit of the Council of Heads of State next year."
        )
        paragraphs.append(paragraph)
        total += len(paragraph) + 2
        n += 1
    return "\n\n".join(paragraphs)


def peak_mb() -> float:
    # ru_maxrss is in kilobytes on Linux, bytes on macOS
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=1_000_000)
    parser.add_argument("--whole", action="store_true", help="read the story as one Doc")
    args = parser.parse_args()
    nlp = load_pipeline()
    text = story(args.chars)
    if args.whole:
        article_module.PART_LENGTH = len(text) + 1
        nlp.max_length = len(text) + 1
    loaded = peak_mb()
    started = time.perf_counter()
    (result,) = extract([Article("long.txt", 0, text)], nlp)
    seconds = time.perf_counter() - started
    wrong = sum(text[f.evidence.start:f.evidence.end] != f.evidence.sentence
                for f in result.facts)
    print(f"story        : {len(text):,} characters ({'one Doc' if args.whole else 'in parts'})")
    print(f"extracted    : {len(result.entities)} entities, {len(result.facts)} facts, "
          f"{wrong} with wrong offsets, in {seconds:.0f} s")
    print(f"peak RSS     : {peak_mb():.0f} MB (model loaded: {loaded:.0f} MB)")


if __name__ == "__main__":
    main()
