"""Exporters (sco_graph.export.formats) and atomic writes (sco_graph.atomic)."""

from __future__ import annotations

import csv
import errno
import io
import os
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote

import networkx as nx
import pytest
from builders import KAZAKHSTAN, SENTENCE_1, TOKAYEV, article_1, build_sample
from lxml import etree
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

import sco_graph.export.formats as export_module
from sco_graph.atomic import atomic_write, write_bytes
from sco_graph.errors import GraphFormatError, OutputError
from sco_graph.export.formats import EXPORTERS, FILE_NAMES, export
from sco_graph.export.graphml import write_graphml
from sco_graph.graph.projection import EDGE_ATTRIBUTES, NODE_ATTRIBUTES, Projected, project
from sco_graph.graph.store import KnowledgeGraph
from sco_graph.types import Article, ArticleExtraction

# rdflib 7.6 calls its own deprecated Dataset/ConjunctiveGraph API internally.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

RDFLIB_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "trig": "trig", "nq": "nquads"}


@pytest.fixture(scope="module")
def graph() -> KnowledgeGraph:
    return build_sample()


def test_registry_lists_every_format() -> None:
    assert sorted(EXPORTERS) == ["csv", "gexf", "graphml", "jsonld", "nq", "nt", "trig", "ttl"]
    assert FILE_NAMES["ttl"] == "graph.ttl"
    assert FILE_NAMES["csv"] == "csv"


def test_unknown_format_lists_the_valid_ones(graph: KnowledgeGraph, tmp_path: Path) -> None:
    with pytest.raises(GraphFormatError) as caught:
        export(graph, "xlsx", tmp_path / "graph.xlsx")
    assert str(caught.value) == (
        "unknown export format 'xlsx' (valid: csv, gexf, graphml, jsonld, nq, nt, trig, ttl)"
    )
    assert not (tmp_path / "graph.xlsx").exists()


# -- RDF ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld"])
def test_flat_rdf_reparses_to_the_union(graph: KnowledgeGraph, tmp_path: Path, fmt: str) -> None:
    path = export(graph, fmt, tmp_path / f"graph.{fmt}")
    reparsed = Graph().parse(path, format=RDFLIB_FORMATS[fmt])
    assert isomorphic(reparsed, graph.union_graph())


@pytest.mark.parametrize("fmt", ["trig", "nq"])
def test_quad_formats_keep_the_named_graphs(
    graph: KnowledgeGraph, tmp_path: Path, fmt: str
) -> None:
    path = export(graph, fmt, tmp_path / f"graph.{fmt}")
    reparsed = Dataset()
    reparsed.parse(path, format=RDFLIB_FORMATS[fmt])
    names = {str(g.identifier) for g in reparsed.graphs() if len(g)}
    assert names == {str(name) for *_, name in graph.quads()}
    assert set(KnowledgeGraph.load(path).quads()) == set(graph.quads())


@pytest.mark.parametrize("fmt", sorted(RDFLIB_FORMATS))
def test_rdf_round_trip_through_load(graph: KnowledgeGraph, tmp_path: Path, fmt: str) -> None:
    path = export(graph, fmt, tmp_path / f"graph.{fmt}")
    loaded = KnowledgeGraph.load(path)
    assert isomorphic(loaded.union_graph(), graph.union_graph())
    assert loaded.serialize("nt") == graph.serialize("nt")


def test_turtle_has_no_blank_nodes_and_reads_with_prefixes(
    graph: KnowledgeGraph, tmp_path: Path
) -> None:
    text = export(graph, "ttl", tmp_path / "graph.ttl").read_text(encoding="utf-8")
    assert "_:" not in text and "[" not in text
    assert "@prefix sco: <https://w3id.org/sco-graph/ontology#> ." in text
    assert 'dcterms:date "2024-07-04"^^xsd:date' in text


def test_ntriples_and_nquads_do_not_depend_on_the_order_of_articles(
    graph: KnowledgeGraph, tmp_path: Path
) -> None:
    other = build_sample(order=(2, 0, 1))
    for fmt in ("nt", "nq"):
        lines = export(graph, fmt, tmp_path / f"g.{fmt}").read_text(encoding="utf-8").splitlines()
        assert len(lines) == len(set(lines))
        assert export(other, fmt, tmp_path / f"h.{fmt}").read_text(encoding="utf-8") == (
            "\n".join(lines) + "\n")


# -- GraphML, GEXF, CSV ----------------------------------------------------------------


def _same_projection(
    read: nx.MultiDiGraph, expected: nx.MultiDiGraph, extra_edge_keys: frozenset[str] = frozenset(),
    *, empty_left_out: bool = False,
) -> None:
    """`read` has the nodes, edges and typed attributes of `expected`; with
    `empty_left_out`, but for the attributes whose value is "" (GraphML leaves them out)."""

    def wanted(data: dict) -> dict:
        return {k: v for k, v in data.items() if not (empty_left_out and v == "")}

    def types(data: dict, declared: dict[str, type]) -> dict[str, type]:
        return {k: declared[k] for k in wanted(data)}

    assert list(read.nodes) == list(expected.nodes)
    for node, data in expected.nodes(data=True):
        assert read.nodes[node] == wanted(data)  # same values and same Python types
        assert {k: type(v) for k, v in read.nodes[node].items()} == types(data, NODE_ATTRIBUTES)
    read_edges = {
        (u, v, k): {name: value for name, value in d.items() if name not in extra_edge_keys}
        for u, v, k, d in read.edges(keys=True, data=True)
    }
    expected_edges = {(u, v, k): d for u, v, k, d in expected.edges(keys=True, data=True)}
    assert read_edges == {key: wanted(d) for key, d in expected_edges.items()}
    for key, data in read_edges.items():
        assert {k: type(v) for k, v in data.items()} == types(expected_edges[key], EDGE_ATTRIBUTES)


def _by_iri(read: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A GraphML file's graph with its nodes and edge keys named by their `iri` again."""
    named = nx.MultiDiGraph()
    iri = {node: data["iri"] for node, data in read.nodes(data=True)}
    named.add_nodes_from((iri[node], data) for node, data in read.nodes(data=True))
    named.add_edges_from(
        (iri[u], iri[v], data["iri"], {k: x for k, x in data.items() if k != "iri"})
        for u, v, _key, data in read.edges(keys=True, data=True)
    )
    return named


def test_graphml_rereads_with_typed_attributes(graph: KnowledgeGraph, tmp_path: Path) -> None:
    path = export(graph, "graphml", tmp_path / "graph.graphml")
    read = nx.read_graphml(path, force_multigraph=True)
    assert isinstance(read, nx.MultiDiGraph)
    _same_projection(_by_iri(read), project(graph), empty_left_out=True)
    text = path.read_text(encoding="utf-8")
    assert 'attr.name="confidence" attr.type="double"' in text
    assert 'attr.name="mentions" attr.type="long"' in text
    assert "None" not in text


GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"
GRAPHML_TYPES = {"boolean": ("true", "false"), "int": int, "long": int, "float": float,
                 "double": float, "string": str}


def _check_graphml(path: Path) -> list[tuple[str, str, str]]:
    """The checks of the GraphML schema (graphml.xsd) that matter to a reader, done by
    hand because the schema cannot be fetched here: keys before the graph, each with a
    known `for` and `attr.type`; every `<data>` names a key declared for its element and
    holds a value of the key's type (never empty, never "None"); node ids unique, edge
    ends among them. Returns (element, attribute name, text) of every `<data>`."""
    from xml.etree import ElementTree

    root = ElementTree.parse(path).getroot()
    assert root.tag == f"{GRAPHML}graphml"
    children = [child.tag.removeprefix(GRAPHML) for child in root]
    assert children == sorted(children, key=lambda tag: tag != "key")  # key* then graph
    assert children.count("graph") == 1
    keys = {}
    for key in root.iter(f"{GRAPHML}key"):
        assert key.get("for") in ("node", "edge", "graph", "all")
        assert key.get("attr.type") in GRAPHML_TYPES
        assert key.get("id") not in keys
        keys[key.get("id")] = key
    (graph,) = root.iter(f"{GRAPHML}graph")
    assert graph.get("edgedefault") in ("directed", "undirected")
    nodes = [node.get("id") for node in graph.iter(f"{GRAPHML}node")]
    assert len(nodes) == len(set(nodes))
    for edge in graph.iter(f"{GRAPHML}edge"):
        assert edge.get("source") in nodes and edge.get("target") in nodes
    found = []
    for element in [graph, *graph]:
        kind = element.tag.removeprefix(GRAPHML)
        for data in element.findall(f"{GRAPHML}data"):
            key = keys[data.get("key")]
            assert key.get("for") in (kind, "all")
            text = data.text
            assert text and text.strip() and text != "None", (kind, key.get("attr.name"))
            check = GRAPHML_TYPES[key.get("attr.type")]
            if isinstance(check, tuple):
                assert text in check, text
            else:
                check(text)
            found.append((kind, key.get("attr.name"), text))
    return found


SCHEMAS = Path(__file__).parent / "schemas"


def _valid(path: Path, schema: str) -> None:
    """`path` is valid against the XML Schema `schema` (a file of tests/export/schemas)."""
    checker = etree.XMLSchema(etree.parse(SCHEMAS / schema))
    if not checker.validate(etree.parse(path)):
        raise AssertionError("\n".join(str(error) for error in checker.error_log[:5]))


def test_graphml_has_no_empty_data_and_follows_the_schema(
    graph: KnowledgeGraph, tmp_path: Path
) -> None:
    path = export(graph, "graphml", tmp_path / "graph.graphml")
    _valid(path, "graphml.xsd")
    found = _check_graphml(path)
    assert ("node", "wikidata", "Q305917") in found
    assert not re.search(r"<data[^>]*/>", path.read_text(encoding="utf-8"))


def test_graphml_and_gexf_of_any_iris_are_valid(tmp_path: Path) -> None:
    """IRIs outside the project's namespaces (a graph read from a file) still give valid
    ids: GraphML ids are NMTOKENs, each distinct, the IRI kept in the `iri` attribute."""
    odd = ["http://example.org/a b", "urn:x:ä/ö?q=1#f", "http://example.org/a_20b",
           "https://w3id.org/sco-graph/person/x/y"]
    data = "\n".join(
        f"<{quote(iri, safe=':/?=#')}> <http://www.w3.org/2000/01/rdf-schema#label> \"{n}\" ;"
        f" a <https://w3id.org/sco-graph/ontology#Person> ."
        for n, iri in enumerate(odd)
    )
    source = tmp_path / "odd.ttl"
    source.write_text(data + "\n", encoding="utf-8")
    graph = KnowledgeGraph.load(source)
    graphml = export(graph, "graphml", tmp_path / "odd.graphml")
    _valid(graphml, "graphml.xsd")
    read = nx.read_graphml(graphml, force_multigraph=True)
    assert sorted(data["iri"] for _, data in read.nodes(data=True)) == sorted(
        str(node) for node in project(graph).nodes
    )
    assert len(set(read.nodes)) == len(odd)
    _valid(export(graph, "gexf", tmp_path / "odd.gexf"), "gexf.xsd")


def test_graphml_writes_booleans_as_xml_schema_does_and_leaves_out_none(
    tmp_path: Path,
) -> None:
    parts = Projected(
        nodes=[("urn:a", ("urn:a", True, None)), ("urn:b", ("urn:b", False, ""))],
        edges=[("urn:a", "urn:b", "urn:e", (True, "x"))],
    )
    path = tmp_path / "graph.graphml"
    with path.open("wb") as handle:
        write_graphml(parts, handle, ("iri", "checked", "note"), ("seen", "note"))
    found = _check_graphml(path)
    assert ("node", "checked", "true") in found and ("node", "checked", "false") in found
    assert ("edge", "seen", "true") in found and ("edge", "note", "x") in found
    assert not [row for row in found if row[:2] == ("node", "note")]
    text = path.read_text(encoding="utf-8")
    assert 'attr.name="checked" attr.type="boolean"' in text
    read = _by_iri(nx.read_graphml(path, force_multigraph=True))
    assert read.nodes["urn:a"]["checked"] is True


def test_gexf_rereads_with_typed_attributes(tmp_path: Path) -> None:
    graph = build_sample()
    # A second article stating the same post: two parallel edges, so GEXF keeps keys.
    first = article_1()
    post = first.facts[0]
    graph.add_article(
        ArticleExtraction(
            Article("003_c.txt", 0, first.article.text),
            first.entities,
            (replace(post, evidence=replace(post.evidence, article="003_c.txt#0")),),
        )
    )
    path = export(graph, "gexf", tmp_path / "graph.gexf")
    read = nx.read_gexf(path)
    assert isinstance(read, nx.MultiDiGraph)
    assert read.number_of_edges(str(TOKAYEV), str(KAZAKHSTAN)) == 2
    # read_gexf adds the GEXF edge id; the networkx key comes back as the edge key.
    _same_projection(read, project(graph), extra_edge_keys=frozenset({"id"}))
    text = path.read_text(encoding="utf-8")
    assert "lastmodifieddate" not in text
    assert "None" not in text


def test_csv_writes_nodes_and_edges_tables(graph: KnowledgeGraph, tmp_path: Path) -> None:
    folder = export(graph, "csv", tmp_path / "csv")
    with (folder / "nodes.csv").open(encoding="utf-8", newline="") as handle:
        nodes = list(csv.DictReader(handle))
    with (folder / "edges.csv").open(encoding="utf-8", newline="") as handle:
        edges = list(csv.DictReader(handle))
    assert list(nodes[0]) == ["id", "label", "type", "mentions", "wikidata", "date", "source"]
    assert {
        "id": str(TOKAYEV),
        "label": "Kassym-Jomart Tokayev",
        "type": "Person",
        "mentions": "3",
        "wikidata": "Q305917",
        "date": "",
        "source": "",
    } in nodes
    assert list(edges[0]) == ["source", "target", "key", *EDGE_ATTRIBUTES]
    [post] = [e for e in edges if e["predicate"] == "holdsPosition"]
    assert (post["role"], post["confidence"], post["sentence"]) == ("President", "0.9", SENTENCE_1)
    assert len(nodes) == project(graph).number_of_nodes()
    assert len(edges) == project(graph).number_of_edges()


# -- determinism ------------------------------------------------------------------------

BYTE_IDENTICAL = ["ttl", "nt", "trig", "nq", "graphml", "gexf", "csv"]


def _export_all(graph: KnowledgeGraph, folder: Path) -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for fmt in BYTE_IDENTICAL:
        path = export(graph, fmt, folder / FILE_NAMES[fmt])
        files = sorted(path.iterdir()) if path.is_dir() else [path]
        for file in files:
            out[f"{fmt}/{file.name}"] = file.read_bytes()
    return out


def test_two_builds_give_byte_identical_files(tmp_path: Path) -> None:
    first = _export_all(build_sample((0, 1, 2)), tmp_path / "a")
    second = _export_all(build_sample((2, 1, 0)), tmp_path / "b")
    assert first == second
    assert set(first) == {
        "ttl/graph.ttl", "nt/graph.nt", "trig/graph.trig", "nq/graph.nq",
        "graphml/graph.graphml", "gexf/graph.gexf", "csv/edges.csv", "csv/nodes.csv",
    }  # fmt: skip


def test_builds_in_other_processes_give_the_same_bytes(tmp_path: Path) -> None:
    """Hash randomisation must not reach the output (rdflib keeps graphs in a set)."""
    script = (
        "import sys; sys.path.insert(0, sys.argv[1])\n"
        "from pathlib import Path\n"
        "from builders import build_sample\n"
        "from sco_graph.export.formats import export\n"
        "graph = build_sample()\n"
        "for fmt in ('trig', 'ttl', 'graphml', 'jsonld', 'nt', 'nq', 'gexf'):\n"
        "    export(graph, fmt, Path(sys.argv[2]) / ('graph.' + fmt))\n"
    )
    outputs = []
    for seed in ("1", "2", "3"):
        folder = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed}
        tests = str(Path(__file__).parents[1])
        subprocess.run(
            [sys.executable, "-W", "ignore", "-c", script, tests, str(folder)], check=True, env=env
        )
        outputs.append({p.name: p.read_bytes() for p in sorted(folder.iterdir())})
    assert outputs[0] == outputs[1]
    assert set(outputs[0]) == {
        "graph.trig", "graph.ttl", "graph.graphml", "graph.jsonld", "graph.nt", "graph.nq",
        "graph.gexf",
    }


# -- atomic writes --------------------------------------------------------------------------


def test_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = write_bytes(tmp_path / "graph.ttl", b"old content\n")
    with pytest.raises(RuntimeError, match="writer broke"), atomic_write(target) as handle:
        handle.write("half of the new")
        raise RuntimeError("writer broke")
    assert target.read_bytes() == b"old content\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"]


def test_failed_export_leaves_the_old_export(
    graph: KnowledgeGraph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = export(graph, "graphml", tmp_path / "graph.graphml")
    before = target.read_bytes()

    def broken_writer(_parts: object, handle: io.BytesIO) -> None:
        handle.write(b"<graphml>")  # part of a file, then the writer fails
        raise OSError(errno.ENOSPC, "disk full")

    monkeypatch.setattr(export_module.graphml, "write_graphml", broken_writer)
    with pytest.raises(OutputError, match="disk full"):
        export(graph, "graphml", target)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.graphml"]


def test_atomic_write_replaces_and_keeps_permissions(tmp_path: Path) -> None:
    target = write_bytes(tmp_path / "sub" / "f.txt", b"one")
    assert target.read_bytes() == b"one"
    assert (target.stat().st_mode & 0o777) == 0o644
    target.chmod(0o600)
    with atomic_write(target) as handle:
        handle.write("two\n")
    assert target.read_bytes() == b"two\n"
    assert (target.stat().st_mode & 0o777) == 0o600


def test_atomic_write_refuses_other_modes(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="atomic_write mode must be 'w' or 'wb', not 'a'"):
        atomic_write(tmp_path / "f", "a")  # type: ignore[call-overload]


def test_formats_written_together_read_the_store_once_and_give_the_same_bytes(
    graph: KnowledgeGraph, tmp_path: Path
) -> None:
    import io

    streams = {fmt: io.BytesIO() for fmt in ("trig", "ttl", "nq")}
    graph.write_many(streams)
    for fmt, stream in streams.items():
        assert stream.getvalue() == graph.serialize(fmt), fmt
