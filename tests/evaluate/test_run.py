"""Finding each gold set's texts, naming the sets, and where their predictions go."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS

from sco_graph.errors import InputError
from sco_graph.evaluate.run import default_texts, gold_sets, predictions_path, set_names


def test_sets_are_named_by_file_stem_or_by_folder_for_a_file_called_gold() -> None:
    assert set_names([Path("../shared/gold/seeds.jsonl"), Path("../shared/dev/gold.jsonl")]) == [
        "seeds", "dev"]


def test_names_two_files_share_are_made_unique() -> None:
    assert set_names([Path("a/seeds.jsonl"), Path("b/seeds.jsonl"), Path("b/seeds.jsonl"),
                      Path("gold.jsonl")]) == ["a/seeds", "b/seeds", "b/seeds-2", "gold"]


def test_texts_are_beside_the_gold_file_else_the_bundled_corpus(tmp_path: Path) -> None:
    assert default_texts(tmp_path / "gold.jsonl") == CORPUS
    (tmp_path / "texts").mkdir()
    assert default_texts(tmp_path / "gold.jsonl") == tmp_path / "texts"


def test_gold_sets_pair_each_file_with_its_folder(tmp_path: Path) -> None:
    (tmp_path / "dev" / "texts").mkdir(parents=True)
    dev, seeds = tmp_path / "dev" / "gold.jsonl", tmp_path / "seeds.jsonl"
    found = gold_sets([seeds, dev])
    assert [(s.name, s.gold, s.texts) for s in found] == [
        ("seeds", seeds, CORPUS), ("dev", dev, tmp_path / "dev" / "texts")]
    given = gold_sets([seeds], [tmp_path / "dev" / "texts"])
    assert given[0].texts == tmp_path / "dev" / "texts"
    with pytest.raises(InputError, match=r"seeds.jsonl: texts folder .*nope given with --texts"):
        gold_sets([seeds], [tmp_path / "nope"])


def test_predictions_of_several_sets_go_to_one_file_per_set() -> None:
    assert predictions_path("out/pred.jsonl", "seeds", several=False) == Path("out/pred.jsonl")
    assert predictions_path("out/pred.jsonl", "seeds", several=True) == Path(
        "out/pred-seeds.jsonl")
    assert predictions_path("pred.jsonl", "a/seeds", several=True) == Path("pred-a-seeds.jsonl")
