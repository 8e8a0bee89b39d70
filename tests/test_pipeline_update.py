"""Growing a saved graph (`sco-graph build --update`): the result equals a build from scratch.

`pipeline.grow` is tested on hand-made extractions (no model); the CLI and the
bundled corpus with the model.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest
from builders import article_1, article_2, article_3, new_graph
from click.testing import CliRunner
from conftest import CORPUS
from rdflib.compare import isomorphic

from sco_graph.cli import main
from sco_graph.graph.iri import mint
from sco_graph.graph.store import CANONICAL_FILE, KnowledgeGraph
from sco_graph.graph.vocab import OWL, RDF, SCO
from sco_graph.pipeline import grow, read_articles, saved_graph
from sco_graph.read.locations import Pruning
from sco_graph.types import (
    Article,
    ArticleExtraction,
    Entity,
    EntityType,
    Evidence,
    Fact,
    Mention,
    Predicate,
    Problem,
)

# rdflib 7.6 calls its own deprecated Dataset/ConjunctiveGraph API internally.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

TOKAYEV = mint("person", "Kassym-Jomart Tokayev")


def person(name: str, *aliases: str) -> Entity:
    return Entity(f"person:{name}", EntityType.PERSON, name, aliases=aliases,
                  mentions=(Mention(name, 0, len(name), 0, "test"),))


def story(source: str, index: int, *entities: Entity,
          facts: Sequence[Fact] = ()) -> ArticleExtraction:
    return ArticleExtraction(Article(source, index, "text", date=dt.date(2024, 7, 4)),
                             entities=entities, facts=tuple(facts))


def met(source: str, index: int, a: str, b: str, sentence: str) -> Fact:
    evidence = Evidence(f"{source}#{index}", sentence, 0, len(sentence), "test", 0.8)
    return Fact(f"person:{a}", Predicate.MET, f"person:{b}", evidence)


ARTICLES = [
    article_1(),
    # article 2 names "Tokayev" only: resolution, not a mapping given by hand, finds him.
    article_2(),
    article_3(),
    story("003_c.txt", 0, person("Nurlan Yermekbayev"), person("Zhang Ming"),
          facts=[met("003_c.txt", 0, "Nurlan Yermekbayev", "Zhang Ming",
                     "Nurlan Yermekbayev met Zhang Ming.")]),
    story("003_c.txt", 1, person("Yermekbayev")),
    story("004_d.txt", 0, person("Daniyar Yermekbayev")),
]


def build_once(articles: Iterable[ArticleExtraction]) -> KnowledgeGraph:
    graph = new_graph()
    grow(graph, articles)
    return graph


def update(folder: Path, articles: Iterable[ArticleExtraction], sources: Iterable[str] = (),
           prune: Pruning | None = None, unreadable: Iterable[Problem] = ()) -> KnowledgeGraph:
    """One `build --update folder`: load, grow, save."""
    graph = saved_graph(folder)
    grow(graph, articles, sources=list(sources), unreadable=list(unreadable), prune=prune)
    graph.save(folder)
    return graph


def _trig(folder: Path) -> bytes:
    return (folder / CANONICAL_FILE).read_bytes()


# -- three steps equal one build ---------------------------------------------------------------


def test_an_update_in_three_steps_equals_one_build(tmp_path: Path) -> None:
    for part in ([ARTICLES[4], ARTICLES[1]], [ARTICLES[0], ARTICLES[3]],
                 [ARTICLES[2], ARTICLES[5]]):
        update(tmp_path, part)
    scratch = build_once(ARTICLES)
    loaded = KnowledgeGraph.load(tmp_path)
    assert isomorphic(loaded.union_graph(), scratch.union_graph())
    assert _trig(tmp_path) == scratch.serialize("trig")


def test_entities_already_in_the_graph_are_reused(tmp_path: Path) -> None:
    update(tmp_path, [ARTICLES[0]])
    graph = update(tmp_path, [ARTICLES[1]])
    union = graph.union_graph()
    # Article 2's "Tokayev" is the Tokayev of the saved article 1: one node.
    assert set(union.subjects(RDF.type, SCO.Person)) == {TOKAYEV, mint("person", "Xi Jinping")}
    assert (TOKAYEV, SCO.participatedIn, mint("event", "SCO summit")) in union


def test_a_later_article_can_undo_an_earlier_join(tmp_path: Path) -> None:
    # With one Yermekbayev in the corpus the bare surname is his; with two it is neither's.
    first = update(tmp_path, ARTICLES[3:5])
    assert set(first.union_graph().subjects(RDF.type, SCO.Person)) == {
        mint("person", "Nurlan Yermekbayev"), mint("person", "Zhang Ming")
    }
    second = update(tmp_path, ARTICLES[5:])
    assert set(second.union_graph().subjects(RDF.type, SCO.Person)) == {
        mint("person", "Nurlan Yermekbayev"), mint("person", "Zhang Ming"),
        mint("person", "Daniyar Yermekbayev"), mint("person", "Yermekbayev"),
    }  # fmt: skip
    assert _trig(tmp_path) == build_once(ARTICLES[3:]).serialize("trig")


# -- reading an article again, dropping articles ------------------------------------------------


def test_an_article_read_again_replaces_its_own_facts(tmp_path: Path) -> None:
    update(tmp_path, ARTICLES)
    before = _trig(tmp_path)
    update(tmp_path, ARTICLES[3:5], sources=["003_c.txt"])  # the same file again
    assert _trig(tmp_path) == before
    # The text changed: its old meeting is gone, not kept beside the new one.
    changed = story("003_c.txt", 0, person("Nurlan Yermekbayev"), person("Zhang Ming"))
    graph = update(tmp_path, [changed, ARTICLES[4]], sources=["003_c.txt"])
    union = graph.union_graph()
    assert (mint("person", "Nurlan Yermekbayev"), SCO.met, mint("person", "Zhang Ming")) \
        not in union
    assert list(union.subjects(RDF.predicate, SCO.met)) == list(
        union.subjects(RDF.predicate, SCO.met)
    )[:1]  # article 1's meeting, once
    assert _trig(tmp_path) == build_once([*ARTICLES[:3], changed, *ARTICLES[4:]]).serialize("trig")


def test_a_story_a_reread_file_no_longer_has_is_dropped(tmp_path: Path) -> None:
    update(tmp_path, ARTICLES)
    graph = update(tmp_path, [ARTICLES[3]], sources=["/somewhere/003_c.txt"])
    assert "003_c.txt#1" not in graph.article_keys()
    assert _trig(tmp_path) == build_once([*ARTICLES[:4], ARTICLES[5]]).serialize("trig")


# Where each file was read from in the first build: two folders.
WHERE = {"001_a.txt": "/in/news/001_a.txt", "002_b.txt": "/in/news/002_b.txt",
         "003_c.txt": "/in/news/2024/003_c.txt", "004_d.txt": "/in/other/004_d.txt"}


def test_prune_drops_the_articles_of_files_gone_from_the_folders_read(tmp_path: Path) -> None:
    update(tmp_path, ARTICLES)
    kept = update(tmp_path, [ARTICLES[0]], sources=["001_a.txt"])
    assert len(kept.article_keys()) == len(ARTICLES)
    # /in/news is read again and has only 001_a.txt now: 002 and 003 (in a sub-folder)
    # are gone; 004_d.txt was read from /in/other, which was not read: it stays.
    pruned = update(tmp_path, [ARTICLES[0]], sources=["/in/news/001_a.txt"],
                    prune=Pruning(("/in/news",), WHERE))
    assert pruned.article_keys() == ["001_a.txt#0", "004_d.txt#0"]
    assert _trig(tmp_path) == build_once([ARTICLES[0], ARTICLES[5]]).serialize("trig")


def test_prune_keeps_what_it_cannot_place(tmp_path: Path) -> None:
    """A file named as such is a root of its own; a story whose file's place is not
    known (a build folder from before sources.json) is never pruned."""
    update(tmp_path, ARTICLES)
    graph = update(tmp_path, [ARTICLES[0]], sources=["/in/news/001_a.txt"],
                   prune=Pruning(("/in/other/004_d.txt",), {"004_d.txt": WHERE["004_d.txt"]}))
    assert "004_d.txt#0" not in graph.article_keys()
    assert len(graph.article_keys()) == len(ARTICLES) - 1
    # /in/new is not /in/news: a folder is a prefix only at a separator.
    assert not Pruning(("/in/new",), WHERE).covers("001_a.txt")
    assert Pruning(("/in/",), WHERE).covers("004_d.txt")


def test_prune_keeps_the_articles_of_an_input_that_could_not_be_read(tmp_path: Path) -> None:
    update(tmp_path, ARTICLES)
    graph = update(tmp_path, [ARTICLES[0]], sources=["001_a.txt"],
                   prune=Pruning(("/in/news",), WHERE),
                   unreadable=[Problem("/in/news/002_b.txt", "binary file")])
    assert graph.article_keys() == ["001_a.txt#0", "002_b.txt#0", "002_b.txt#1",
                                    "004_d.txt#0"]


def test_an_update_of_a_folder_without_a_graph_starts_empty(tmp_path: Path) -> None:
    graph = update(tmp_path / "new", ARTICLES[:2])
    assert graph.article_keys() == ["001_a.txt#0", "002_b.txt#0"]


# -- the command line and the corpus, with the model ----------------------------------------------

STORY_A = (" date 2024-07-04\nTokayev meets Putin\n\n"
           "Kassym-Jomart Tokayev met Vladimir Putin in Astana today.\n")
STORY_B = (" date 2024-07-05\nSummit ends\n\n"
           "President Tokayev said the SCO summit in Astana ended on Friday.\n")


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, ["build", *args, "-q"])
    assert result.exit_code == 0, result.output
    return result.output


def test_cli_update_in_steps_equals_one_build(tmp_path: Path, nlp) -> None:
    for name, text in [("a.txt", STORY_A), ("b.txt", STORY_B)]:
        (tmp_path / name[0]).mkdir()
        (tmp_path / name[0] / name).write_text(text, encoding="utf-8")
    out = tmp_path / "graph"
    _run("--update", str(out), str(tmp_path / "b"))
    _run("--update", str(out), str(tmp_path / "a"))
    _run(str(tmp_path / "a"), str(tmp_path / "b"), "--out", str(tmp_path / "scratch"))
    assert _trig(out) == _trig(tmp_path / "scratch")
    assert {p.name for p in out.iterdir()} == {"graph.oxigraph", "graph.trig", "graph.ttl",
                                              "graph.graphml", "sources.json"}
    # Reading b/ again changes nothing, nor does --prune with b/ only: a.txt is in a/.
    _run("--update", str(out), str(tmp_path / "b"))
    assert _trig(out) == _trig(tmp_path / "scratch")
    _run("--update", str(out), "--prune", str(tmp_path / "b"))
    assert _trig(out) == _trig(tmp_path / "scratch")
    # Once a.txt is gone from a/, reading a/ with --prune drops its story.
    (tmp_path / "a" / "a.txt").rename(tmp_path / "a" / "a.old")
    (tmp_path / "a" / "c.txt").write_text(STORY_A.replace("Putin", "Lukashenko"),
                                          encoding="utf-8")
    _run("--update", str(out), "--prune", str(tmp_path / "a"))
    assert KnowledgeGraph.load(out).article_keys() == ["b.txt#0", "c.txt#0"]
    assert json.loads((out / "sources.json").read_text(encoding="utf-8")) == {"files": {
        "b.txt": str(tmp_path / "b" / "b.txt"), "c.txt": str(tmp_path / "a" / "c.txt")}}


def test_cli_prune_needs_update(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--prune", str(tmp_path)])
    assert result.exit_code == 2
    assert "--prune drops articles from an existing graph: add --update" in result.output


@pytest.fixture(scope="module")
def corpus_extractions(nlp) -> list[ArticleExtraction]:
    from sco_graph.extract.article import extract

    return list(extract(read_articles([CORPUS], "*.txt", [], []), nlp))


def test_the_corpus_updated_file_by_file_equals_one_build(
    corpus_extractions: list[ArticleExtraction], tmp_path: Path
) -> None:
    by_file: dict[str, list[ArticleExtraction]] = {}
    for extraction in corpus_extractions:
        by_file.setdefault(extraction.article.source, []).append(extraction)
    files = sorted(by_file)
    for step in ([files[3]], [files[0], files[4]], files[1:3]):
        update(tmp_path, [e for name in step for e in by_file[name]])
    scratch = build_once(corpus_extractions)
    assert _trig(tmp_path) == scratch.serialize("trig")
    assert scratch.validate() == ()


def test_the_corpus_has_one_node_per_gazetteer_entity_and_the_strategy_once(
    corpus_extractions: list[ArticleExtraction],
) -> None:
    union = build_once(corpus_extractions).union_graph()
    items = [item for _, item in union.subject_objects(OWL.sameAs)]
    assert len(items) == len(set(items))
    strategy = mint("document", "SCO Anti-Drug Strategy for 2024-2029")
    articles = {str(a) for a in union.subjects(SCO.mentions, strategy)}
    assert {a.rsplit("/", 1)[-1][:3] for a in articles} >= {"001", "002", "003", "004"}
