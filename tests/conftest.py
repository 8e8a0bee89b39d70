from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "data" / "corpus"
SHARED_GOLD = REPO.parent / "shared" / "gold" / "seeds.jsonl"


@pytest.fixture(scope="session")
def nlp():
    """The full pipeline on the installed statistical model (loaded once)."""
    from sco_graph.nlp import load_pipeline

    return load_pipeline()
