"""Entity tallies kept beside the store: an update describes the entities of its new
stories from their saved tallies, plus the new stories, minus the replaced ones, never
from every mention set in the store; and the descriptions are those a build from
scratch of the same stories gives."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyoxigraph as ox
import pytest
from builders import article_4, new_graph, sample_articles
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sco_graph.graph.store import ENTITIES_GRAPH, STORE_FOLDER, KnowledgeGraph
from sco_graph.graph.tallies import TALLY_FILE, Tally, TallyIndex

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

ARTICLES = [*sample_articles(), (article_4(), None)]
KEYS = [extraction.article.key for extraction, _ in ARTICLES]


def _entities(graph: KnowledgeGraph) -> set[tuple[str, str, str]]:
    return {(s.n3(), p.n3(), o.n3()) for s, p, o in graph.named_graph(ENTITIES_GRAPH)}


def _built_from_scratch(indices: list[int]) -> set[tuple[str, str, str]]:
    graph = new_graph()
    for index in indices:
        extraction, iris = ARTICLES[index]
        graph.add_article(extraction, iris)
    return _entities(graph)


def _no_store_walks(monkeypatch: pytest.MonkeyPatch) -> None:
    def walked(_graph: KnowledgeGraph, entity: object) -> None:
        raise AssertionError(f"the tally of {entity} was read from every mention set")

    monkeypatch.setattr(KnowledgeGraph, "_stored_tally", walked)


def test_an_update_describes_entities_from_saved_tallies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    location = tmp_path / STORE_FOLDER
    _no_store_walks(monkeypatch)  # a build sums its stories: no walk either
    graph = new_graph(location)
    for index in (0, 2):
        graph.add_article(*ARTICLES[index])
    graph.close()
    assert (location / TALLY_FILE).is_file()

    graph = new_graph(location)  # the update: a new story, one replaced, one removed
    assert not (location / TALLY_FILE).exists()  # until it is closed again
    graph.add_article(*ARTICLES[1])
    graph.add_article(*ARTICLES[3])
    graph.add_article(*ARTICLES[0])
    assert graph.remove_article(KEYS[2])
    assert _entities(graph) == _built_from_scratch([0, 1, 3])
    graph.close()

    saved = TallyIndex.read(location)
    assert saved.known
    monkeypatch.undo()
    reopened = KnowledgeGraph.load(tmp_path)
    for entity in {s for s, _, _ in reopened.named_graph(ENTITIES_GRAPH)}:
        assert saved.get(entity) == reopened._stored_tally(entity), entity


def test_tallies_of_a_store_changed_since_are_not_used(tmp_path: Path) -> None:
    location = tmp_path / STORE_FOLDER
    graph = new_graph(location)
    graph.add_article(*ARTICLES[0])
    graph.close()
    assert TallyIndex.read(location).known
    other = ox.Store(str(location))  # another program changes the store
    other.remove_graph(next(iter(other.named_graphs())))
    other.flush()
    other.optimize()
    del other
    assert (location / TALLY_FILE).is_file()
    assert not TallyIndex.read(location).known


@pytest.mark.parametrize("line", ["not json", '{"entity": "x"}', "[1, 2]"])
def test_an_unreadable_tally_file_is_not_used(tmp_path: Path, line: str) -> None:
    location = tmp_path / STORE_FOLDER
    graph = new_graph(location)
    graph.add_article(*ARTICLES[0])
    graph.close()
    with (location / TALLY_FILE).open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
    assert not TallyIndex.read(location).known
    graph = new_graph(location)  # an update still describes entities right (by a walk)
    graph.add_article(*ARTICLES[1])
    assert _entities(graph) == _built_from_scratch([0, 1])
    graph.close()


_STEPS = st.lists(st.tuples(st.sampled_from(["add", "remove"]), st.integers(0, 3)),
                  min_size=1, max_size=6)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sessions=st.lists(_STEPS, min_size=1, max_size=3))
def test_any_sequence_of_updates_describes_entities_as_a_build_would(
    tmp_path_factory: pytest.TempPathFactory, sessions: list[list[tuple[str, int]]]
) -> None:
    location = tmp_path_factory.mktemp("store") / STORE_FOLDER
    present: dict[int, None] = {}
    for steps in sessions:
        graph = new_graph(location)
        for action, index in steps:
            if action == "add":
                graph.add_article(*ARTICLES[index])
                present[index] = None
            else:
                graph.remove_article(KEYS[index])
                present.pop(index, None)
        graph.close()
    graph = KnowledgeGraph.load(location.parent)
    assert _entities(graph) == _built_from_scratch(sorted(present))


def test_a_story_read_again_keeps_the_dates_it_gives() -> None:
    """The saved tally has a story's date of the entity; the story is replaced (its old
    reading taken off) by a reading that dates it again under the same key."""
    key = ("a.txt#0", 10, 20)
    saved, old, new = Tally(mention_sets=1), Tally(mention_sets=1), Tally(mention_sets=1)
    saved.dates[key] = old.dates[key] = (dt.date(2024, 7, 4), dt.date(2024, 7, 4), 0.9)
    new.dates[key] = (dt.date(2024, 7, 5), dt.date(2024, 7, 5), 0.8)
    combined = saved.combined(new, old)
    assert combined.dates == {key: (dt.date(2024, 7, 5), dt.date(2024, 7, 5), 0.8)}
    assert combined.mention_sets == 1
