"""The query library a notebook uses: `sco_graph.run_query` / `saved_query` give Python values."""

from __future__ import annotations

import datetime
import json
import sys
from decimal import Decimal

import builders as b
import pandas as pd
import pytest
from builders import build_graph
from rdflib import RDF, BNode, Graph, Literal

import sco_graph
from sco_graph.errors import QueryError
from sco_graph.graph.store import KnowledgeGraph
from sco_graph.graph.vocab import SCO
from sco_graph.query.results import Row, Rows, render
from sco_graph.query.saved_queries import format_list

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

# IRIs come back as plain text.
TOKAYEV = "https://w3id.org/sco-graph/person/kassym-jomart-tokayev"
XI = "https://w3id.org/sco-graph/person/xi-jinping"
KAZAKHSTAN = "https://w3id.org/sco-graph/country/kazakhstan"
BELARUS = "https://w3id.org/sco-graph/country/belarus"
SCO_ORG = "https://w3id.org/sco-graph/organization/shanghai-cooperation-organisation"
PEOPLE = "SELECT ?p ?name WHERE { ?p a sco:Person ; rdfs:label ?name } ORDER BY ?name"
SENTENCE = "Kazakh President Kassym-Jomart Tokayev met Chinese President Xi Jinping in Astana."


@pytest.fixture(scope="module")
def graph() -> KnowledgeGraph:
    return build_graph()


def test_select_gives_rows_of_python_values(graph: KnowledgeGraph) -> None:
    rows = sco_graph.run_query(graph, PEOPLE)
    assert isinstance(rows, Rows)
    assert rows.columns == ("p", "name")
    assert len(rows) == 2
    assert list(rows) == [(TOKAYEV, "Kassym-Jomart Tokayev"), (XI, "Xi Jinping")]
    person, name = rows[1]
    assert type(person) is str and person == "https://w3id.org/sco-graph/person/xi-jinping"
    assert type(name) is str
    assert rows[0]["name"] == rows[0].name == "Kassym-Jomart Tokayev"
    assert rows[0].as_dict() == {"p": TOKAYEV, "name": "Kassym-Jomart Tokayev"}
    assert rows.column("name") == ["Kassym-Jomart Tokayev", "Xi Jinping"]
    assert repr(rows) == "<Rows: 2 rows of p, name>"
    with pytest.raises(KeyError, match="no column 'age'"):
        rows[0]["age"]
    with pytest.raises(AttributeError, match="no column 'age'"):
        rows[0].age  # noqa: B018


def test_str_is_the_text_table_with_short_iris(graph: KnowledgeGraph) -> None:
    assert str(sco_graph.run_query(graph, PEOPLE)) == (
        "p                             name\n"
        "----------------------------  ---------------------\n"
        "person:kassym-jomart-tokayev  Kassym-Jomart Tokayev\n"
        "person:xi-jinping             Xi Jinping\n"
        "(2 rows)\n"
    )


def test_literals_become_python_values(graph: KnowledgeGraph) -> None:
    rows = sco_graph.run_query(
        graph,
        'SELECT (1 AS ?i) (1.5 AS ?d) ("2.5"^^xsd:double AS ?f) ("2024"^^xsd:gYear AS ?y) '
        '("2024-07-04"^^xsd:date AS ?day) ("2024-07-04T10:00:00"^^xsd:dateTime AS ?at) '
        '(true AS ?b) ("Astana"@en AS ?l) ("x" AS ?s) ("many"^^xsd:integer AS ?bad) ?unbound '
        "WHERE {}",
    )
    assert isinstance(rows, Rows)
    [row] = rows
    assert row == (
        1, Decimal("1.5"), 2.5, 2024, datetime.date(2024, 7, 4),
        datetime.datetime(2024, 7, 4, 10, 0), True, "Astana", "x", "many", None,
    )  # fmt: skip
    assert [type(v) for v in row] == [
        int, Decimal, float, int, datetime.date, datetime.datetime, bool, str, str, str,
        type(None),
    ]  # fmt: skip


def test_saved_query_gives_rows_with_dates_and_none(graph: KnowledgeGraph) -> None:
    rows = sco_graph.saved_query(graph, "posts")
    assert list(rows) == [
        (TOKAYEV, "Kassym-Jomart Tokayev", "President", KAZAKHSTAN, "Kazakhstan", None, None,
         SENTENCE, "001_a.txt#0", datetime.date(2024, 7, 4)),
    ]  # fmt: skip
    members = sco_graph.saved_query(graph, "memberships", country="country:belarus")
    assert [(r.organization, r.status, r.country, r.date) for r in members] == [
        (SCO_ORG, "acceding", BELARUS, datetime.date(2023, 7, 4))
    ]


def test_parameters_are_bound_iris_by_their_look(graph: KnowledgeGraph) -> None:
    query = "SELECT ?name WHERE { ?p rdfs:label ?name }"
    for value in (
        "person:xi-jinping",
        "https://w3id.org/sco-graph/person/xi-jinping",
        "<https://w3id.org/sco-graph/person/xi-jinping>",
        "person/xi-jinping",
        XI,
        b.XI,  # an rdflib term is bound as it is
    ):
        assert list(sco_graph.run_query(graph, query, p=value)) == [("Xi Jinping",)], value
    # A value is bound, never pasted: this text is one literal that matches nothing.
    sneaky = '"Xi Jinping" } UNION { ?p rdfs:label ?name'
    assert len(sco_graph.run_query(graph, "SELECT ?p WHERE { ?p rdfs:label ?name }",
                                   name=sneaky)) == 0  # fmt: skip
    assert list(
        sco_graph.run_query(graph, "SELECT ?p WHERE { ?p rdfs:label ?name }", name="Xi Jinping")
    ) == [(XI,)]
    # Python values become literals of their type.
    assert sco_graph.run_query(
        graph, "ASK { VALUES (?n ?d) { (3 '2024-07-04'^^xsd:date) } }",
        n=3, d=datetime.date(2024, 7, 4)) is True  # fmt: skip
    with pytest.raises(QueryError, match=r"\[1\] \(list\) is not text, a number"):
        sco_graph.run_query(graph, query, p=[1])


def test_a_bound_value_reaches_filters_and_sub_queries(graph: KnowledgeGraph) -> None:
    in_filter = "SELECT ?p ?name WHERE { ?x rdfs:label ?name FILTER (?x = ?p) }"
    assert list(sco_graph.run_query(graph, in_filter, p=XI)) == [(XI, "Xi Jinping")]
    in_sub_query = (
        "SELECT ?p ?n WHERE { { SELECT ?p (COUNT(?name) AS ?n) "
        "WHERE { ?p rdfs:label ?name } GROUP BY ?p } }"
    )
    assert list(sco_graph.run_query(graph, in_sub_query, p=XI)) == [(XI, 1)]
    # A variable the SELECT does not project is still bound (by a VALUES clause).
    hidden = "SELECT ?name WHERE { ?p rdfs:label ?name }"
    assert list(sco_graph.run_query(graph, hidden, p=XI)) == [("Xi Jinping",)]


def test_saved_query_parameters_are_checked(graph: KnowledgeGraph) -> None:
    with pytest.raises(QueryError, match="saved query 'posts' has no parameter 'who'"):
        sco_graph.saved_query(graph, "posts", who="x")
    with pytest.raises(QueryError, match="parameter 'actor': 3 is not an IRI"):
        sco_graph.saved_query(graph, "proposals", actor=3)
    assert len(sco_graph.saved_query(graph, "proposals", actor=b.KAZAKHSTAN)) == len(
        sco_graph.saved_query(graph, "proposals", actor="country:kazakhstan")
    )


def test_ask_gives_a_bool_and_construct_a_graph(graph: KnowledgeGraph) -> None:
    assert sco_graph.run_query(graph, "ASK { person:xi-jinping a sco:Person }") is True
    assert sco_graph.run_query(graph, "ASK { person:xi-jinping a sco:Country }") is False
    built = sco_graph.run_query(graph, "CONSTRUCT { ?p a sco:Person } WHERE { ?p a sco:Person }")
    assert isinstance(built, Graph)
    assert set(built) == {(b.TOKAYEV, RDF.type, SCO.Person), (b.XI, RDF.type, SCO.Person)}
    assert render(built) == (
        "@prefix person: <https://w3id.org/sco-graph/person/> .\n"
        "@prefix sco: <https://w3id.org/sco-graph/ontology#> .\n"
        "\n"
        "person:kassym-jomart-tokayev a sco:Person .\n"
        "\n"
        "person:xi-jinping a sco:Person .\n"
        "\n"
    )
    assert render(True) == "true\n"
    assert render(False, "json") == '{"boolean": false}\n'


def test_to_dataframe(graph: KnowledgeGraph) -> None:
    frame = sco_graph.saved_query(graph, "memberships").to_dataframe()
    assert list(frame.columns) == [
        "organization", "organizationLabel", "status", "country", "countryLabel", "sentence",
        "article", "date",
    ]  # fmt: skip
    assert frame[["countryLabel", "status", "date"]].to_dict("records") == [
        {"countryLabel": "Belarus", "status": "acceding", "date": datetime.date(2023, 7, 4)},
        {"countryLabel": "Kazakhstan", "status": "member", "date": datetime.date(2024, 7, 5)},
    ]
    empty = sco_graph.run_query(graph, "SELECT ?p WHERE { ?p a sco:Nothing }")
    assert empty.to_dataframe().equals(pd.DataFrame([], columns=["p"]))


def test_to_dataframe_without_pandas_names_the_extra(
    graph: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas fails
    rows = sco_graph.run_query(graph, PEOPLE)
    with pytest.raises(ImportError) as missing:
        rows.to_dataframe()
    assert str(missing.value) == (
        "Rows.to_dataframe needs pandas: install the notebook extra, "
        "pip install 'sco-graph[notebook]'"
    )


def test_render_csv_and_json(graph: KnowledgeGraph) -> None:
    rows = sco_graph.run_query(graph, PEOPLE)
    assert rows.render("csv") == (
        "p,name\n"
        "https://w3id.org/sco-graph/person/kassym-jomart-tokayev,Kassym-Jomart Tokayev\n"
        "https://w3id.org/sco-graph/person/xi-jinping,Xi Jinping\n"
    )
    assert rows.render("json").endswith("}\n")
    assert json.loads(rows.render("json")) == {
        "head": {"vars": ["p", "name"]},
        "results": {
            "bindings": [
                {"p": {"type": "uri", "value": TOKAYEV},
                 "name": {"type": "literal", "value": "Kassym-Jomart Tokayev"}},
                {"p": {"type": "uri", "value": XI},
                 "name": {"type": "literal", "value": "Xi Jinping"}},
            ]
        },
    }  # fmt: skip
    with pytest.raises(QueryError, match="format 'xml' is not one of table, csv, json"):
        rows.render("xml")


def test_saved_queries_is_the_list_table() -> None:
    listed = sco_graph.saved_queries()
    assert str(listed) == format_list()
    assert listed.columns == ("name", "title", "parameters")
    assert listed[0] == ("co-mentions", "Co-mention network of two entity types",
                         "type1=IRI type2=IRI")  # fmt: skip


def test_rows_compare_and_are_built_from_terms() -> None:
    rows = Rows(["a", "b"], [[Literal(1), None]])
    assert rows == Rows(["a", "b"], [[Literal(1), None]])
    assert Rows(["x"], [[BNode("n1")]])[0] == ("_:n1",)
    assert rows != Rows(["a", "c"], [[Literal(1), None]])
    assert isinstance(rows[0], Row) and rows[0] == (1, None)


def test_the_public_api_is_lazy_and_complete() -> None:
    for name in sco_graph.__all__:
        assert getattr(sco_graph, name) is not None, name
    assert sco_graph.PREFIXES["person"] == "https://w3id.org/sco-graph/person/"
