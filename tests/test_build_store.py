"""The build folder's home is an Oxigraph store: written once per build, replaced whole,
opened by every command; `--workers` gives the same graph."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from sco_graph.cli import main
from sco_graph.errors import NothingReadError
from sco_graph.graph.store import CANONICAL_FILE, STORE_FOLDER, load_graph
from sco_graph.pipeline import build

pytestmark = pytest.mark.slow

STORIES = {
    "a.txt": " date 2024-07-04\nTokayev meets Putin\n\n"
             "Kassym-Jomart Tokayev met Vladimir Putin in Astana today.\n",
    "b.txt": " date 2024-07-05\nSummit ends\n\n"
             "President Tokayev said the SCO summit in Astana ended on Friday.\n",
}


def _texts(folder: Path, names: tuple[str, ...] = tuple(STORIES)) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / name).write_text(STORIES[name], encoding="utf-8")
    return folder


def test_a_build_folder_holds_a_store_that_every_command_opens(tmp_path: Path, nlp) -> None:
    out = tmp_path / "g"
    build([_texts(tmp_path / "texts")], out)
    assert (out / STORE_FOLDER).is_dir()
    graph = load_graph(out)
    assert graph.location == out / STORE_FOLDER
    assert graph.article_keys() == ["a.txt#0", "b.txt#0"]
    assert graph.serialize("trig") == (out / CANONICAL_FILE).read_bytes()
    people = CliRunner().invoke(main, ["query", str(out), "SELECT ?p WHERE { ?p a sco:Person }"])
    assert people.exit_code == 0, people.output
    assert "kassym-jomart-tokayev" in people.output
    # nothing of the build's work is left beside the folder
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g", "texts"]


def test_a_build_with_no_story_leaves_the_store_as_it_was(tmp_path: Path, nlp) -> None:
    out = tmp_path / "g"
    build([_texts(tmp_path / "texts")], out)
    before = load_graph(out).serialize("nq")
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    with pytest.raises(NothingReadError):
        build([empty], out)
    assert load_graph(out).serialize("nq") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.txt", "g", "texts"]


def test_an_update_opens_the_saved_store_and_keeps_what_it_does_not_read(
    tmp_path: Path, nlp
) -> None:
    out = tmp_path / "g"
    build([_texts(tmp_path / "a", ("a.txt",))], out)
    kept = load_graph(out).article_graph("a.txt#0")
    result = build([_texts(tmp_path / "b", ("b.txt",))], None, update=out)
    assert (result.articles, result.kept) == (1, 1)
    graph = load_graph(out)
    assert graph.article_keys() == ["a.txt#0", "b.txt#0"]
    assert set(graph.article_graph("a.txt#0")) == set(kept)
    scratch = build([tmp_path / "a", tmp_path / "b"], tmp_path / "scratch")
    assert (out / CANONICAL_FILE).read_bytes() == (
        tmp_path / "scratch" / CANONICAL_FILE).read_bytes()
    assert scratch.graph.summary() == graph.summary()


def test_an_old_build_folder_without_a_store_is_updated_from_its_graph_file(
    tmp_path: Path, nlp
) -> None:
    out = tmp_path / "g"
    build([_texts(tmp_path / "a", ("a.txt",))], out)
    # a folder written before the store existed: only the files
    import shutil

    shutil.rmtree(out / STORE_FOLDER)
    build([_texts(tmp_path / "b", ("b.txt",))], None, update=out)
    assert load_graph(out).article_keys() == ["a.txt#0", "b.txt#0"]


def test_two_workers_build_the_same_graph_as_one(tmp_path: Path, nlp) -> None:
    texts = _texts(tmp_path / "texts")
    for workers in ("1", "2"):
        result = CliRunner().invoke(main, ["build", str(texts), "--out",
                                           str(tmp_path / workers), "-q", "--workers", workers])
        assert result.exit_code == 0, result.output
    for name in (CANONICAL_FILE, "graph.ttl", "graph.graphml"):
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes()
