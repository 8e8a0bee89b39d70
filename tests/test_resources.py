"""Where the package finds its reference data, ontologies and the example corpus."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS, REPO

import sco_graph
from sco_graph.errors import DataError
from sco_graph.resources import corpus_dir, data_dir, data_file, ontology_dir, ontology_file


def test_data_and_ontologies_are_package_data() -> None:
    package = Path(sco_graph.__file__).parent
    assert data_dir() == package / "data"
    assert ontology_dir() == package / "ontologies"
    assert data_file("gazetteer.jsonl").is_file()
    assert ontology_file("shapes.ttl").is_file()


def test_the_example_corpus_is_the_source_trees() -> None:
    assert corpus_dir() == CORPUS
    assert not (REPO / "data" / "gazetteer.jsonl").exists()  # one copy of each file


def test_the_variables_point_elsewhere(tmp_path, monkeypatch) -> None:
    (tmp_path / "lexicon.json").write_text("{}", encoding="utf-8")
    monkeypatch.setenv("SCO_GRAPH_DATA", str(tmp_path))
    monkeypatch.setenv("SCO_GRAPH_ONTOLOGIES", str(tmp_path))
    assert data_file("lexicon.json") == tmp_path / "lexicon.json"
    assert ontology_dir() == tmp_path


def test_a_missing_file_names_the_variable_and_the_fix(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SCO_GRAPH_DATA", str(tmp_path))
    with pytest.raises(DataError) as error:
        data_file("gazetteer.jsonl")
    assert str(error.value) == (
        f"{tmp_path / 'gazetteer.jsonl'}: reference data file is missing; SCO_GRAPH_DATA points "
        f"at {tmp_path}: set it to a folder that has it, or unset it")
    monkeypatch.delenv("SCO_GRAPH_DATA")
    with pytest.raises(DataError, match=r"nothing\.ttl: ontology file is missing; the "
                                        r"installation is incomplete: reinstall sco-graph$"):
        ontology_file("nothing.ttl")
