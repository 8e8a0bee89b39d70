"""The interactive picture (sco_graph.export.picture): its data, its escaping, one offline file.

The browser half (search, click, panel) is in test_viz_browser.py. The
graphs here are made by hand, so the tests do not depend on the extractors.
"""

from __future__ import annotations

import hashlib
import json
import re
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import pytest
from builders import (
    ARTICLE_A,
    ARTICLE_B,
    EVIL,
    EVIL_ORG,
    EVIL_SENTENCE,
    MET,
    MET_AGAIN,
    PICTURE_KAZAKHSTAN,
    PICTURE_TOKAYEV,
    PICTURE_XI,
    small_graph,
)
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import sco_graph
from sco_graph.cli import main
from sco_graph.export.picture import (
    OVERVIEW,
    TYPE_COLOURS,
    render_viz,
    script_json,
    viz_data,
    write_viz,
)
from sco_graph.graph.store import KnowledgeGraph, entity_iri
from sco_graph.query.entity_view import show
from sco_graph.types import (
    EntityType,
)

# rdflib 7.6 calls its own deprecated Dataset/ConjunctiveGraph API internally.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

@pytest.fixture(scope="module")
def graph() -> KnowledgeGraph:
    return small_graph()


@pytest.fixture(scope="module")
def raw(graph: KnowledgeGraph) -> dict:
    return viz_data(graph)


@pytest.fixture(scope="module")
def data(raw: dict) -> dict:
    return resolved(raw)


@pytest.fixture(scope="module")
def page(graph: KnowledgeGraph) -> str:
    return render_viz(graph, title="Leaders & <friends>")


def resolved(raw: dict) -> dict:
    """The data with each node index replaced by the node's IRI and each sentence
    index by the sentence ("" for none), as the page's code reads it."""
    ids = [n["id"] for n in raw["nodes"]]

    def node(i: int) -> str:
        return ids[i] if i >= 0 else ""

    def sentence(i: int) -> str:
        return raw["sentences"][i] if i >= 0 else ""

    def line(found: dict) -> dict:
        return {**found, "other": node(found["other"]), "article": node(found["article"]),
                "sentence": sentence(found["sentence"])}

    return {
        **raw,
        "nodes": [
            {**n, "view": [{**g, "lines": [line(x) for x in g["lines"]]} for g in n["view"]]}
            for n in raw["nodes"]
        ],
        "edges": [
            {**e, "from": node(e["from"]), "to": node(e["to"]), "article": node(e["article"]),
             "sentence": sentence(e["sentence"])}
            for e in raw["edges"]
        ],
    }


def _node(data: dict, iri: object) -> dict:
    return next(n for n in data["nodes"] if n["id"] == str(iri))


def _facts(data: dict) -> list[dict]:
    return [e for e in data["edges"] if e["predicate"] != "mentions"]


def embedded_json(page: str) -> dict:
    found = re.search(
        r'<script type="application/json" id="graph-data">(.*?)</script>', page, re.DOTALL
    )
    assert found is not None
    return json.loads(found.group(1))


# -- the data -------------------------------------------------------------------


def test_entity_node_has_label_type_mentions_wikidata_and_aliases(data: dict) -> None:
    node = dict(_node(data, entity_iri(PICTURE_TOKAYEV)))
    assert [g["title"] for g in node.pop("view")] == ["Posts", "Meetings"]  # (see below)
    assert node == {
        "id": str(entity_iri(PICTURE_TOKAYEV)),
        "label": "Kassym-Jomart Tokayev",
        "type": "Person",
        "mentions": 2,
        "links": 2,  # shares facts with Xi Jinping and with Kazakhstan
        "wikidata": "Q200881",
        "aliases": ["President Tokayev", "Tokayev"],
        "date": "",
        "source": "",
    }


def test_article_nodes_carry_title_date_and_file(data: dict) -> None:
    assert _node(data, ARTICLE_A) == {
        "id": ARTICLE_A,
        "label": "Leaders meet in Astana",
        "type": "Article",
        "mentions": 5,
        "links": 0,
        "wikidata": "",
        "aliases": [],
        "date": "2024-07-04",
        "source": "a.txt",
        "view": [],
    }
    # Without a title an article is called by its key.
    assert _node(data, ARTICLE_B)["label"] == "b.txt#0"
    assert _node(data, ARTICLE_B)["date"] == ""


def test_one_edge_per_fact_with_its_evidence_and_article(data: dict) -> None:
    rows = sorted(
        (
            e["from"], e["predicate"], e["to"], e["role"], e["status"], e["confidence"],
            e["sentence"], e["article"], e["rule"],
        )
        for e in _facts(data)
    )  # fmt: skip
    tokayev, xi, kz, evil = (
        str(entity_iri(e))
        for e in (PICTURE_TOKAYEV, PICTURE_XI, PICTURE_KAZAKHSTAN, EVIL_ORG)
    )
    assert rows == sorted(
        [
            (tokayev, "met", xi, "", "", 0.75, MET, ARTICLE_A, "dep:met"),
            (tokayev, "met", xi, "", "", 0.6, MET_AGAIN, ARTICLE_B, "dep:met"),
            (tokayev, "holdsPosition", kz, "President", "", 0.9, MET, ARTICLE_A, "pattern:title"),
            (kz, "memberOf", evil, "", "member", 0.5, EVIL_SENTENCE, ARTICLE_A, "pattern:member"),
        ]
    )
    # The id of a fact edge is the fact's IRI: the same fact in the RDF.
    assert all(e["id"].startswith("https://w3id.org/sco-graph/fact/") for e in _facts(data))


def test_mention_edges_go_from_article_to_entity_with_a_count(data: dict) -> None:
    mentions = {
        (e["from"], e["to"]): e["count"] for e in data["edges"] if e["predicate"] == "mentions"
    }
    assert mentions == {
        (ARTICLE_A, str(entity_iri(PICTURE_TOKAYEV))): 1,
        (ARTICLE_A, str(entity_iri(PICTURE_XI))): 1,
        (ARTICLE_A, str(entity_iri(PICTURE_KAZAKHSTAN))): 2,
        (ARTICLE_A, str(entity_iri(EVIL_ORG))): 1,
        (ARTICLE_B, str(entity_iri(PICTURE_TOKAYEV))): 1,
        (ARTICLE_B, str(entity_iri(PICTURE_XI))): 1,
    }


def test_nodes_and_sentences_are_referred_to_by_index(raw: dict) -> None:
    ids = [n["id"] for n in raw["nodes"]]
    assert raw["sentences"] == sorted([MET, EVIL_SENTENCE, MET_AGAIN])
    facts = _facts(raw)
    # the two facts read from MET share its entry; a mention has no sentence and no id
    assert sorted(e["sentence"] for e in facts) == [0, 0, 1, 2]
    mentions = [e for e in raw["edges"] if e["predicate"] == "mentions"]
    assert {(e["sentence"], e["id"]) for e in mentions} == {(-1, "")}
    met = next(e for e in facts if e["sentence"] == raw["sentences"].index(MET_AGAIN))
    assert (ids[met["from"]], ids[met["to"]], ids[met["article"]]) == (
        str(entity_iri(PICTURE_TOKAYEV)), str(entity_iri(PICTURE_XI)), ARTICLE_B)


def test_links_count_the_other_entities_an_entity_shares_facts_with(data: dict) -> None:
    links = {n["label"]: n["links"] for n in data["nodes"]}
    assert links == {
        "Kassym-Jomart Tokayev": 2, "Xi Jinping": 1, "Kazakhstan": 2, EVIL: 1,
        "Leaders meet in Astana": 0, "b.txt#0": 0,
    }


def test_relations_present_in_the_entity_views_order_with_counts(data: dict) -> None:
    assert data["relations"] == [
        {"name": "holdsPosition", "count": 1},
        {"name": "memberOf", "count": 1},
        {"name": "met", "count": 2},
    ]


def test_each_entity_carries_its_entity_view(data: dict, graph: KnowledgeGraph) -> None:
    with_view = [n["id"] for n in data["nodes"] if n["view"]]
    assert sorted(with_view) == sorted(
        str(entity_iri(e)) for e in (PICTURE_TOKAYEV, PICTURE_XI, PICTURE_KAZAKHSTAN, EVIL_ORG)
    )
    for iri in with_view:
        view = show(graph, iri)
        groups = _node(data, iri)["view"]
        assert [g["title"] for g in groups] == [g.title for g in view.groups]
        assert [
            (line["text"], line["other"], line["date"], line["story"], line["sentence"])
            for g in groups for line in g["lines"]
        ] == [
            (line.text, line.other, line.date.isoformat() if line.date else "", line.story,
             line.sentence)
            for g in view.groups for line in g.lines
        ]  # fmt: skip
    assert _node(data, entity_iri(PICTURE_TOKAYEV))["view"][0] == {"title": "Posts", "lines": [{
        "text": "President of Kazakhstan", "other": str(entity_iri(PICTURE_KAZAKHSTAN)),
        "date": "2024-07-04", "story": "a.txt#0", "article": ARTICLE_A, "sentence": MET,
    }]}  # fmt: skip


def test_the_overview_size_travels_with_the_data(graph: KnowledgeGraph) -> None:
    assert viz_data(graph)["overview"] == OVERVIEW == 300
    assert embedded_json(render_viz(graph, overview=2))["overview"] == 2


def test_legend_lists_present_types_in_order_with_counts(data: dict) -> None:
    assert data["types"] == [
        {"name": "Person", "colour": TYPE_COLOURS["Person"], "count": 2},
        {"name": "Country", "colour": TYPE_COLOURS["Country"], "count": 1},
        {"name": "Organization", "colour": TYPE_COLOURS["Organization"], "count": 1},
        {"name": "Article", "colour": TYPE_COLOURS["Article"], "count": 2},
    ]


def test_every_entity_type_and_articles_have_a_distinct_colour() -> None:
    assert set(TYPE_COLOURS) == {t.value for t in EntityType} | {"Article"}
    assert len(set(TYPE_COLOURS.values())) == len(TYPE_COLOURS)


def test_empty_graph_gives_empty_data_and_still_a_page() -> None:
    empty = {"types": [], "relations": [], "nodes": [], "edges": [], "sentences": [],
             "overview": OVERVIEW}
    assert viz_data(KnowledgeGraph()) == empty
    assert embedded_json(render_viz(KnowledgeGraph())) == empty


# -- the page -------------------------------------------------------------------


def test_page_embeds_exactly_the_data(page: str, raw: dict) -> None:
    assert embedded_json(page) == raw


def test_labels_from_texts_cannot_break_out_of_the_data_script(page: str) -> None:
    # The label and the sentence hold "<script>" and "</script>": they arrive as
    # JSON escapes, so the page has exactly its own three script elements.
    assert EVIL not in page
    assert "<b>&amp;" not in page
    assert page.count("<script") == 3
    assert page.lower().count("</script") == 3
    data = embedded_json(page)
    assert _node(data, entity_iri(EVIL_ORG))["label"] == EVIL
    assert EVIL_SENTENCE in data["sentences"]


def test_title_is_escaped(page: str) -> None:
    assert "<title>Leaders &amp; &lt;friends&gt;</title>" in page
    assert "<h1>Leaders &amp; &lt;friends&gt;</h1>" in page
    assert "<friends>" not in page


@given(st.text())
def test_script_json_round_trips_and_never_holds_markup(text: str) -> None:
    encoded = script_json({"label": text, "aliases": [text]})
    assert json.loads(encoded) == {"label": text, "aliases": [text]}
    assert not set(encoded) & {"<", ">", "&", "\u2028", "\u2029"}


def test_page_code_never_builds_html_from_strings() -> None:
    code = _resource("viz.js")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in code


class _Loads(HTMLParser):
    """Every tag attribute that would make a browser fetch something."""

    def __init__(self) -> None:
        super().__init__()
        self.fetches: list[tuple[str, str, str]] = []
        self.csp = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("http-equiv") == "Content-Security-Policy":
            self.csp = values.get("content") or ""
        for name in ("src", "href", "srcset", "data", "poster", "action"):
            if values.get(name):
                self.fetches.append((tag, name, values[name] or ""))


def test_page_loads_nothing_from_the_network(page: str) -> None:
    parser = _Loads()
    parser.feed(page)
    assert parser.fetches == []  # every script and style is inline
    # The browser enforces it too: no fetch of any kind is allowed.
    assert parser.csp.startswith("default-src 'none';")
    assert "@import" not in page and "url(http" not in page
    # The only web addresses are the library's licence comments and the
    # Wikidata links the panel offers to click.
    library = set(re.findall(r"https?://[^\s\"')]+", _resource("vis-network.min.js")))
    ours = set(re.findall(r"https?://[^\s\"')]+", page)) - library
    assert {u for u in ours if not u.startswith("https://w3id.org/sco-graph/")} == {
        "https://www.wikidata.org/wiki/"
    }


def test_library_is_inlined_whole_without_its_source_map(page: str) -> None:
    library = _resource("vis-network.min.js")
    body = library[: library.rindex("\n//# sourceMappingURL=")]
    assert body in page
    assert "sourceMappingURL" not in page


def test_bundled_library_is_the_noted_release() -> None:
    folder = resources.files("sco_graph.export") / "assets" / "viz"
    library = (folder / "vis-network.min.js").read_bytes()
    assert hashlib.sha256(library).hexdigest() == (
        "b427322ad953d70ab75d1b798ebb8349863502f244e02de3e12a4ab7dfeddf2c"
    )
    assert b"@version 10.1.5" in library[:400]
    note = (folder / "README.md").read_text(encoding="utf-8")
    assert "vis-network 10.1.5" in note and hashlib.sha256(library).hexdigest() in note
    for licence in ("LICENSE-MIT", "LICENSE-APACHE-2.0"):
        assert (folder / licence).read_text(encoding="utf-8").strip()


# -- the file ---------------------------------------------------------------------


def test_same_graph_gives_the_same_bytes_whatever_the_order_articles_came_in(
    tmp_path: Path,
) -> None:
    first = write_viz(small_graph((0, 1)), tmp_path / "one.html")
    second = write_viz(small_graph((1, 0)), tmp_path / "two.html")
    assert first.read_bytes() == second.read_bytes()


def test_write_viz_replaces_the_file_and_leaves_no_temporary_file(
    tmp_path: Path, graph: KnowledgeGraph
) -> None:
    target = tmp_path / "out" / "graph.html"
    target.parent.mkdir()
    target.write_text("old", encoding="utf-8")
    assert write_viz(graph, target, title="T") == target
    assert target.read_text(encoding="utf-8") == render_viz(graph, title="T")
    assert [p.name for p in target.parent.iterdir()] == ["graph.html"]


def test_cli_viz_writes_the_page(tmp_path: Path, graph: KnowledgeGraph) -> None:
    folder = tmp_path / "build"
    graph.save(folder)
    output = tmp_path / "graph.html"
    result = CliRunner().invoke(main, ["viz", str(folder), "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote {output}\n"
    loaded = KnowledgeGraph.load(folder)
    assert output.read_text(encoding="utf-8") == render_viz(loaded)


def test_cli_viz_overview_and_the_library_call_draw_the_same_page(
    tmp_path: Path, graph: KnowledgeGraph
) -> None:
    folder = tmp_path / "build"
    graph.save(folder)
    output = tmp_path / "graph.html"
    result = CliRunner().invoke(main, ["viz", str(folder), "-o", str(output), "--overview", "2"])
    assert result.exit_code == 0, result.output
    assert embedded_json(output.read_text(encoding="utf-8"))["overview"] == 2
    library = sco_graph.viz(folder, tmp_path / "library.html", overview=2)
    assert library.read_bytes() == output.read_bytes()
    refused = CliRunner().invoke(main, ["viz", str(folder), "--overview", "0"])
    assert refused.exit_code == 2
    assert "Invalid value for '--overview': 0 is not in the range x>=1." in refused.output


def test_cli_viz_names_a_missing_graph(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    result = CliRunner().invoke(main, ["viz", str(missing), "-o", str(tmp_path / "g.html")])
    assert result.exit_code == 5
    assert result.output == (f"Error: {missing}: no such file or folder; give a folder written "
                             f"by `sco-graph build TEXTS --out FOLDER`, or an RDF file\n")
    assert not (tmp_path / "g.html").exists()


def _resource(name: str) -> str:
    path = resources.files("sco_graph.export") / "assets" / "viz" / name
    return path.read_text(encoding="utf-8")
