"""One table of prefixes (vocab.ALL_PREFIXES): declared in the library, the CLI and the
endpoint, published by the endpoint, and used to shorten IRIs in every text table.

A query copied from a result table or from the README runs unchanged in all three.
"""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from builders import build_graph
from click.testing import CliRunner
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import SH
from SPARQLWrapper import JSON, SPARQLWrapper

import sco_graph
from sco_graph.cli import main
from sco_graph.graph import vocab
from sco_graph.graph.store import KnowledgeGraph
from sco_graph.graph.vocab import ALL_PREFIXES
from sco_graph.query.endpoint import SparqlServer

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
README = Path(__file__).resolve().parents[2] / "README.md"

# Names as the tables print them, typed back into a query with no PREFIX lines.
COPIED = """SELECT ?who ?name ?where ?wikidata WHERE {
  VALUES ?who { country:kazakhstan country:belarus person:xi-jinping }
  ?who rdfs:label ?name .
  OPTIONAL { ?who sco:memberOf ?where .
             FILTER (?where = organization:shanghai-cooperation-organisation) }
  OPTIONAL { ?who owl:sameAs ?wikidata . FILTER (STRSTARTS(STR(?wikidata), STR(wd:))) }
} ORDER BY ?name"""
COPIED_TABLE = (
    "who                 name        where                                           wikidata\n"
    "------------------  ----------  ----------------------------------------------  ---------\n"
    "country:belarus     Belarus     organization:shanghai-cooperation-organisation\n"
    "country:kazakhstan  Kazakhstan  organization:shanghai-cooperation-organisation  wd:Q232\n"
    "person:xi-jinping   Xi Jinping                                                  wd:Q15031\n"
    "(3 rows)\n"
)
COPIED_ROWS = [
    ("https://w3id.org/sco-graph/country/belarus", "Belarus",
     "https://w3id.org/sco-graph/organization/shanghai-cooperation-organisation", None),
    ("https://w3id.org/sco-graph/country/kazakhstan", "Kazakhstan",
     "https://w3id.org/sco-graph/organization/shanghai-cooperation-organisation",
     "http://www.wikidata.org/entity/Q232"),
    ("https://w3id.org/sco-graph/person/xi-jinping", "Xi Jinping", None,
     "http://www.wikidata.org/entity/Q15031"),
]  # fmt: skip


@pytest.fixture(scope="module")
def graph() -> KnowledgeGraph:
    return build_graph()


@pytest.fixture(scope="module")
def server(graph: KnowledgeGraph) -> Iterator[SparqlServer]:
    with SparqlServer(graph.dataset(), port=0, timeout=20) as running:
        yield running


@pytest.fixture(scope="module")
def build_folder(graph: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("build")
    graph.save(folder)
    return folder


def over_http(server: SparqlServer, query: str) -> list[tuple[str | None, ...]]:
    """The rows of a SELECT sent with SPARQLWrapper, every value as text (None: unbound)."""
    client = SPARQLWrapper(server.url)
    client.setQuery(query)
    client.setReturnFormat(JSON)
    answer = client.queryAndConvert()
    names = answer["head"]["vars"]  # type: ignore[index]
    return [
        tuple(b[n]["value"] if n in b else None for n in names)
        for b in answer["results"]["bindings"]  # type: ignore[index]
    ]


def as_text(rows: sco_graph.Rows) -> list[tuple[str | None, ...]]:
    return [tuple(None if v is None else str(v) for v in row) for row in rows]


def readme_queries() -> list[str]:
    return re.findall(r"```sparql\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_the_table_has_the_vocabularies_and_the_entity_namespaces() -> None:
    base = "https://w3id.org/sco-graph/"
    assert {
        key: ALL_PREFIXES[key]
        for key in ("sco", "person", "country", "organization", "document", "event", "place",
                    "initiative", "rdf", "rdfs", "skos", "owl", "prov", "xsd", "dcterms", "org",
                    "wd")
    } == {
        "sco": f"{base}ontology#",
        "person": f"{base}person/",
        "country": f"{base}country/",
        "organization": f"{base}organization/",
        "document": f"{base}document/",
        "event": f"{base}event/",
        "place": f"{base}place/",
        "initiative": f"{base}initiative/",
        "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
        "skos": "http://www.w3.org/2004/02/skos/core#",
        "owl": "http://www.w3.org/2002/07/owl#",
        "prov": "http://www.w3.org/ns/prov#",
        "xsd": "http://www.w3.org/2001/XMLSchema#",
        "dcterms": "http://purl.org/dc/terms/",
        "org": "http://www.w3.org/ns/org#",
        "wd": "http://www.wikidata.org/entity/",
    }  # fmt: skip
    assert sco_graph.PREFIXES is ALL_PREFIXES
    assert len(set(ALL_PREFIXES.values())) == len(ALL_PREFIXES)  # no namespace twice


def test_a_copied_query_in_the_library(graph: KnowledgeGraph) -> None:
    rows = sco_graph.run_query(graph, COPIED)
    assert str(rows) == COPIED_TABLE
    assert list(rows) == COPIED_ROWS


def test_a_copied_query_in_the_cli(build_folder: Path) -> None:
    result = CliRunner().invoke(main, ["query", str(build_folder), COPIED])
    assert result.exit_code == 0, result.output
    assert result.output == COPIED_TABLE


def test_a_copied_query_over_http_without_prefix_lines(server: SparqlServer) -> None:
    assert over_http(server, COPIED) == COPIED_ROWS
    client = SPARQLWrapper(server.url)
    client.setQuery("ASK { person:xi-jinping a sco:Person ; rdfs:label 'Xi Jinping' }")
    client.setReturnFormat(JSON)
    assert client.queryAndConvert()["boolean"] is True  # type: ignore[index]


def test_a_query_may_still_declare_its_own_prefixes(server: SparqlServer) -> None:
    # The query's PREFIX line wins over the predeclared one of the same name.
    query = (
        "PREFIX person: <https://w3id.org/sco-graph/country/> "
        "SELECT ?name WHERE { person:kazakhstan rdfs:label ?name }"
    )
    assert over_http(server, query) == [("Kazakhstan",)]


@pytest.mark.parametrize("number", range(len(readme_queries())))
def test_each_readme_query_runs_unchanged_in_the_library_and_over_http(
    graph: KnowledgeGraph, server: SparqlServer, number: int
) -> None:
    query = readme_queries()[number]
    assert "PREFIX" not in query
    rows = sco_graph.run_query(graph, query)
    assert isinstance(rows, sco_graph.Rows)
    assert over_http(server, query) == as_text(rows)


def test_the_service_description_lists_the_prefixes(server: SparqlServer) -> None:
    # The description is a GET without a query (SPARQLWrapper always sends one).
    with urllib.request.urlopen(
        urllib.request.Request(server.url, headers={"Accept": "text/turtle"}), timeout=30
    ) as answer:
        description = Graph().parse(data=answer.read(), format="turtle")
    endpoint = URIRef(server.url)
    declared = {
        str(description.value(d, SH.prefix)): description.value(d, SH.namespace)
        for d in description.objects(endpoint, SH.declare)
    }
    assert declared == {
        prefix: Literal(namespace, datatype=vocab.XSD.anyURI)
        for prefix, namespace in ALL_PREFIXES.items()
    }
    assert (endpoint, SD.endpoint, endpoint) in description


def test_the_endpoint_page_shows_the_prefixes(server: SparqlServer) -> None:
    with urllib.request.urlopen(
        urllib.request.Request(server.url, headers={"Accept": "text/html"}), timeout=30
    ) as answer:
        page = answer.read().decode("utf-8")
    assert "PREFIX person: &lt;https://w3id.org/sco-graph/person/&gt;" in page
    assert "PREFIX sco: &lt;https://w3id.org/sco-graph/ontology#&gt;" in page


def test_entity_listing_shortens_with_the_same_table(build_folder: Path) -> None:
    result = CliRunner().invoke(main, ["entities", str(build_folder)])
    assert result.exit_code == 0, result.output
    iris = [line.split()[-1] for line in result.output.splitlines()[1:-1]]
    assert "person:xi-jinping" in iris and "organization:shanghai-cooperation-organisation" in iris
    assert all(":" in iri and "//" not in iri for iri in iris)
