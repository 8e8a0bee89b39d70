"""The store's summary index: what resolution reads of each article, kept beside the
store so that an update does not read every saved article graph back.

Whatever the index says must be what the article graphs say: each test reads the
summaries both ways (a graph copied statement by statement has no index and reads
its graphs).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from builders import IRIS_2, article_1, article_2, article_3, new_graph
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sco_graph.graph.iri import mint
from sco_graph.graph.store import STORE_FOLDER, KnowledgeGraph
from sco_graph.graph.summary_index import INDEX_FILE
from sco_graph.pipeline import grow
from sco_graph.types import (
    Article,
    ArticleExtraction,
    Entity,
    EntitySummary,
    EntityType,
    Mention,
)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")


def _from_graphs(graph: KnowledgeGraph) -> list[EntitySummary]:
    """The summaries as the article graphs give them (a copy without an index)."""
    copy = KnowledgeGraph.from_rdflib(graph.dataset())
    return list(copy.entity_summaries())


def _store(folder: Path) -> KnowledgeGraph:
    return KnowledgeGraph.load(folder)


def test_a_saved_store_gives_back_the_summaries_its_graphs_hold(tmp_path: Path) -> None:
    graph = new_graph(tmp_path / STORE_FOLDER)
    grow(graph, [article_1(), article_2(), article_3()])
    graph.close()
    assert (tmp_path / STORE_FOLDER / INDEX_FILE).is_file()
    saved = _store(tmp_path)
    summaries = list(saved.entity_summaries())
    assert {s.article for s in summaries} == {"001_a.txt#0", "002_b.txt#0", "002_b.txt#1"}
    assert summaries == _from_graphs(saved)


def test_the_index_follows_articles_replaced_moved_and_removed(tmp_path: Path) -> None:
    location = tmp_path / STORE_FOLDER
    graph = new_graph(location)
    grow(graph, [article_1(), article_3()])
    graph.close()
    graph = KnowledgeGraph(location)  # an update: the saved store, opened to write
    assert not (location / INDEX_FILE).exists()  # until it is closed again
    graph.add_article(article_2(), IRIS_2)
    graph.reassign("001_a.txt#0", {mint("person", "Xi Jinping"): mint("person", "Xi")})
    graph.remove_article("002_b.txt#1")
    graph.close()
    saved = _store(tmp_path)
    summaries = list(saved.entity_summaries())
    assert {s.article for s in summaries} == {"001_a.txt#0", "002_b.txt#0"}
    assert str(mint("person", "Xi")) in {s.iri for s in summaries}
    assert summaries == _from_graphs(saved)


def test_an_index_that_does_not_match_the_store_is_not_used(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    for folder, articles in ((one, [article_1(), article_2()]), (two, [article_3()])):
        folder.mkdir()
        graph = new_graph(folder / STORE_FOLDER)
        grow(graph, articles)
        graph.close()
    shutil.copy(two / STORE_FOLDER / INDEX_FILE, one / STORE_FOLDER / INDEX_FILE)
    saved = _store(one)
    assert {s.article for s in saved.entity_summaries()} == {"001_a.txt#0", "002_b.txt#0"}
    assert list(saved.entity_summaries()) == _from_graphs(saved)


@pytest.mark.parametrize("content", ["", "not json\n", '{"format": "other"}\n',
                                     '{"format": "sco-graph entity summaries", "version": 1}\n'
                                     '{"article": "001_a.txt#0", "summaries": [["x"]]}\n'])
def test_an_unreadable_index_is_not_used(tmp_path: Path, content: str) -> None:
    graph = new_graph(tmp_path / STORE_FOLDER)
    grow(graph, [article_1()])
    graph.close()
    (tmp_path / STORE_FOLDER / INDEX_FILE).write_text(content, encoding="utf-8")
    saved = _store(tmp_path)
    summaries = list(saved.entity_summaries())
    assert {s.article for s in summaries} == {"001_a.txt#0"}
    assert summaries == _from_graphs(saved)


_NAME = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
                min_size=1, max_size=12).filter(str.strip)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=st.lists(_NAME, min_size=1, max_size=4, unique=True),
       forms=st.lists(_NAME, max_size=3), wikidata=st.none() | st.sampled_from(["Q1", "Q42"]),
       day=st.none() | st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)))
def test_any_article_has_the_same_summaries_in_the_index_as_in_its_graph(
    names: list[str], forms: list[str], wikidata: str | None, day: dt.date | None
) -> None:
    article = Article("any.txt", 0, "text", "Title", day)
    entities = tuple(
        Entity(f"e{i}", kind, name, aliases=tuple(forms[:i]), wikidata=wikidata,
               mentions=tuple(Mention(f, 0, 1, 0, "m") for f in forms))
        for i, (name, kind) in enumerate(zip(names, EntityType, strict=False))
    )
    graph = new_graph()
    grow(graph, [ArticleExtraction(article, entities)])
    assert list(graph.entity_summaries()) == _from_graphs(graph)


def _tamper(folder: Path) -> None:
    """Rename an entity in the saved index only (its header, the store's files, stays)."""
    index = folder / STORE_FOLDER / INDEX_FILE
    index.write_text(index.read_text(encoding="utf-8").replace('"Astana"', '"Elsewhere"'),
                     encoding="utf-8")


def test_a_saved_index_is_what_an_opened_store_reads(tmp_path: Path) -> None:
    graph = new_graph(tmp_path / STORE_FOLDER)
    grow(graph, [article_1(), article_2()])
    graph.close()
    _tamper(tmp_path)  # so that reading the index shows
    names = {s.name for s in _store(tmp_path).entity_summaries()}
    assert "Elsewhere" in names and "Astana" not in names


def test_an_index_is_not_trusted_once_another_program_changed_the_store(
        tmp_path: Path) -> None:
    import gc

    import pyoxigraph as ox

    graph = new_graph(tmp_path / STORE_FOLDER)
    grow(graph, [article_1(), article_2()])
    graph.close()
    _tamper(tmp_path)
    other = ox.Store(str(tmp_path / STORE_FOLDER))  # another writer, same articles
    other.add(ox.Quad(ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/b"),
                      ox.Literal("c")))
    other.flush()
    del other
    gc.collect()
    saved = _store(tmp_path)
    assert "Astana" in {s.name for s in saved.entity_summaries()}
    assert list(saved.entity_summaries()) == _from_graphs(saved)


def test_an_index_missing_a_story_of_the_store_is_not_used(tmp_path: Path) -> None:
    graph = new_graph(tmp_path / STORE_FOLDER)
    grow(graph, [article_1(), article_2()])
    graph.close()
    index = tmp_path / STORE_FOLDER / INDEX_FILE
    lines = index.read_text(encoding="utf-8").splitlines(keepends=True)
    index.write_text("".join(line for line in lines if '"002_b.txt#0"' not in line),
                     encoding="utf-8")  # its header, the store's files, still holds
    saved = _store(tmp_path)
    assert {s.article for s in saved.entity_summaries()} == {"001_a.txt#0", "002_b.txt#0"}
    assert list(saved.entity_summaries()) == _from_graphs(saved)
