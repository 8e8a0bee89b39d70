"""Saved SPARQL queries (sco_graph.query.saved_queries) and `sco-graph query --list/--name/--param`.

Each query runs on the sample corpus of test_graph plus one article of our
own (proposals, support, adoption, a second membership), with the exact rows
expected; then on the bundled corpus, built once, for what already holds there.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import (
    ASTANA,
    BELARUS,
    CHINA,
    KAZAKHSTAN,
    KEY_4,
    SCO_ORG,
    SENTENCE_1,
    STRATEGY,
    SUMMIT,
    TEXT_1,
    TOKAYEV,
    XI,
    build_graph,
    sample_articles,
)
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Dataset, Literal, URIRef, Variable
from rdflib.plugins.sparql import prepareQuery
from rdflib.query import Result

from sco_graph.cli import main
from sco_graph.errors import DataError, QueryError
from sco_graph.graph import vocab
from sco_graph.graph.store import ENTITIES_GRAPH, KnowledgeGraph
from sco_graph.graph.vocab import SCO
from sco_graph.query.saved_queries import (
    _parse,
    format_list,
    list_queries,
    load_query,
    parse_params,
    run_saved,
    to_term,
)

# rdflib 7.6 calls its own deprecated Dataset/ConjunctiveGraph API internally.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")

# Not `XSD` at module level: pytest's collector probes it and rdflib warns.
GYEAR = vocab.XSD.gYear
DATE = vocab.XSD.date
INTEGER = vocab.XSD.integer

NAMES = [
    "co-mentions",
    "documents-by-year",
    "evidence",
    "meetings",
    "memberships",
    "mentions",
    "posts",
    "proposals",
    "timeline",
]

@pytest.fixture(scope="module")
def graph() -> KnowledgeGraph:
    return build_graph()


def rows(result: Result, *columns: str) -> list[tuple[str | None, ...]]:
    """The named columns of every row, as text (None where unbound)."""
    # From the bindings, not by iterating: iteration hides an empty solution,
    # which a JSON or XML answer would still carry.
    found = [tuple(row.get(Variable(c)) for c in columns) for row in result.bindings]
    return [tuple(None if v is None else str(v) for v in row) for row in found]


def run(graph: KnowledgeGraph, name: str, *columns: str, **params: str) -> list[tuple]:
    return rows(run_saved(graph, name, params), *columns)


# -- the library of queries -----------------------------------------------------


def test_the_saved_queries_are_listed_by_name() -> None:
    assert [q.name for q in list_queries()] == NAMES


def test_every_header_has_a_title_description_and_declared_params() -> None:
    for query in list_queries():
        assert query.title and query.description, query.name
        assert query.source.endswith(f"{query.name}.rq")
        for param in query.params:
            assert param.kind == "IRI" and param.meaning, (query.name, param)


def test_every_query_runs_without_our_prefixes_declared() -> None:
    # So a query runs as is on the endpoint, in YASGUI or in any SPARQL tool.
    for query in list_queries():
        prepareQuery(query.text)


def test_every_parameter_is_a_projected_variable() -> None:
    # Other stores (Oxigraph) bind only projected variables.
    empty = KnowledgeGraph()
    for query in list_queries():
        values = {p.name: SCO.Person for p in query.params}
        result = run_saved(empty, query.name, values)
        assert {p.name for p in query.params} <= {str(v) for v in result.vars}, query.name
        assert len(result) == 0, query.name


def test_columns_of_each_query() -> None:
    empty = KnowledgeGraph()
    columns = {
        q.name: [
            str(v) for v in run_saved(empty, q.name, {p.name: SCO.Person for p in q.params}).vars
        ]
        for q in list_queries()
    }
    assert columns["posts"] == [
        "person", "personLabel", "role", "organization", "organizationLabel", "start", "end",
        "sentence", "article", "date",
    ]  # fmt: skip
    assert columns["co-mentions"] == [
        "type1", "entity1", "label1", "type2", "entity2", "label2", "articles",
    ]  # fmt: skip
    assert columns["evidence"] == [
        "subject", "subjectLabel", "predicate", "object", "objectLabel", "role", "status",
        "sentence", "article", "date", "start", "end", "rule", "confidence",
    ]  # fmt: skip
    assert columns["timeline"] == [
        "date", "dateFrom", "kind", "thing", "label", "place", "placeLabel", "articles",
    ]  # fmt: skip


# -- each query's rows on the hand-made graph -----------------------------------


def test_posts(graph: KnowledgeGraph) -> None:
    expected = [
        ("Kassym-Jomart Tokayev", "President", "Kazakhstan", None, None, SENTENCE_1,
         "001_a.txt#0", "2024-07-04"),
    ]  # fmt: skip
    columns = ("personLabel", "role", "organizationLabel", "start", "end", "sentence",
               "article", "date")  # fmt: skip
    assert run(graph, "posts", *columns) == expected
    assert run(graph, "posts", *columns, person="person:kassym-jomart-tokayev") == expected
    assert run(graph, "posts", *columns, organization=str(KAZAKHSTAN)) == expected
    assert run(graph, "posts", *columns, person="person/xi-jinping") == []


def test_proposals(graph: KnowledgeGraph) -> None:
    columns = ("actorLabel", "relation", "thingLabel", "thingType", "sentence", "article", "date")
    assert run(graph, "proposals", *columns) == [
        ("China", "supports", "One Earth", "Initiative",
         "China supports the One Earth initiative.", KEY_4, "2023-07-04"),
        ("Kazakhstan", "proposed", "SCO Anti-Drug Strategy for 2024-2029", "Document",
         "Kazakhstan proposed the SCO Anti-Drug Strategy for 2024-2029.", KEY_4, "2023-07-04"),
    ]  # fmt: skip
    assert run(graph, "proposals", "actor", "thing", actor="country:kazakhstan") == [
        (str(KAZAKHSTAN), str(STRATEGY))
    ]
    assert run(graph, "proposals", "thing", actor=f"<{XI}>") == []


def test_documents_by_year(graph: KnowledgeGraph) -> None:
    columns = ("year", "yearFrom", "documentLabel", "validFrom", "adopterLabel",
               "adoptionReported", "firstReported")  # fmt: skip
    assert run(graph, "documents-by-year", *columns) == [
        ("2023", "adoption", "Astana Declaration", None, "SCO summit", "2023-07-04",
         "2023-07-04"),
        # "for 2024-2029" in its name gives the strategy its validity period
        ("2024", "validity", "SCO Anti-Drug Strategy for 2024-2029", "2024-01-01", None, None,
         "2023-07-04"),
    ]  # fmt: skip


def test_documents_by_year_prefers_the_validity_period(graph: KnowledgeGraph) -> None:
    # first reported in 2023, valid from 2024: the year is the validity's
    columns = ("year", "yearFrom", "documentLabel", "validFrom")
    assert run(graph, "documents-by-year", *columns) == [
        ("2023", "adoption", "Astana Declaration", None),
        ("2024", "validity", "SCO Anti-Drug Strategy for 2024-2029", "2024-01-01"),
    ]


def test_timeline(graph: KnowledgeGraph) -> None:
    columns = ("date", "dateFrom", "kind", "label", "placeLabel", "articles")
    assert run(graph, "timeline", *columns) == [
        ("2023-07-04", "article", "Document", "Astana Declaration", None, "1"),
        # Also in the undated article 2; the earliest dated article gives the date.
        ("2023-07-04", "article", "Event", "SCO summit", "Astana", "2"),
        # its own validity period ("for 2024-2029") dates the strategy
        ("2024-01-01", "text", "Document", "SCO Anti-Drug Strategy for 2024-2029", None, "1"),
    ]


def test_timeline_uses_an_events_own_date(tmp_path: Path) -> None:
    graph = _with_triples(tmp_path, [(SUMMIT, SCO.startDate, Literal("2024-07-04", datatype=DATE))])
    assert run(graph, "timeline", "date", "dateFrom", "label", "placeLabel") == [
        ("2023-07-04", "article", "Astana Declaration", None),
        ("2024-01-01", "text", "SCO Anti-Drug Strategy for 2024-2029", None),
        ("2024-07-04", "text", "SCO summit", "Astana"),
    ]


def test_an_entity_only_undated_articles_mention_comes_last_without_a_date() -> None:
    graph = KnowledgeGraph()
    for extraction, iris in sample_articles():
        graph.add_article(extraction, iris)
    assert run(graph, "timeline", "date", "dateFrom", "label", "place") == [
        (None, "", "SCO summit", str(ASTANA))
    ]


def test_memberships(graph: KnowledgeGraph) -> None:
    columns = ("organizationLabel", "status", "countryLabel", "sentence", "article")
    expected = [
        ("Shanghai Cooperation Organisation", "acceding", "Belarus",
         "Belarus will join the SCO soon.", KEY_4),
        ("Shanghai Cooperation Organisation", "member", "Kazakhstan",
         "Kazakhstan is a member of the SCO.", "002_b.txt#1"),
    ]  # fmt: skip
    assert run(graph, "memberships", *columns) == expected
    assert run(graph, "memberships", *columns, organization=str(SCO_ORG)) == expected
    assert run(graph, "memberships", *columns, country="country/belarus") == expected[:1]


def test_meetings_are_listed_from_both_sides(graph: KnowledgeGraph) -> None:
    columns = ("personLabel", "otherLabel", "sentence", "date")
    assert run(graph, "meetings", *columns) == [
        ("Kassym-Jomart Tokayev", "Xi Jinping", SENTENCE_1, "2024-07-04"),
        ("Xi Jinping", "Kassym-Jomart Tokayev", SENTENCE_1, "2024-07-04"),
    ]
    assert run(graph, "meetings", "person", "other", person="person:xi-jinping") == [
        (str(XI), str(TOKAYEV))
    ]


def test_co_mentions_of_two_types(graph: KnowledgeGraph) -> None:
    columns = ("label1", "label2", "articles")
    assert run(graph, "co-mentions", *columns, type1="sco:Person", type2="sco:Country") == [
        ("Kassym-Jomart Tokayev", "Kazakhstan", "1"),
        ("Xi Jinping", "Kazakhstan", "1"),
    ]
    assert run(graph, "co-mentions", *columns, type1="sco:Country", type2="sco:Organization") == [
        ("Kazakhstan", "Shanghai Cooperation Organisation", "2"),  # articles 3 and 4
        ("Belarus", "Shanghai Cooperation Organisation", "1"),
        ("China", "Shanghai Cooperation Organisation", "1"),
    ]


def test_co_mentions_of_one_type_list_each_pair_once(graph: KnowledgeGraph) -> None:
    assert run(graph, "co-mentions", "label1", "label2", "articles",
               type1="sco:Country", type2="sco:Country") == [
        ("Belarus", "China", "1"),
        ("Belarus", "Kazakhstan", "1"),
        ("China", "Kazakhstan", "1"),
    ]  # fmt: skip


def test_evidence_answers_why_do_you_say_so(graph: KnowledgeGraph) -> None:
    start = TEXT_1.index(SENTENCE_1)
    columns = ("role", "sentence", "article", "date", "start", "end", "rule", "confidence")
    assert run(
        graph, "evidence", *columns,
        subject="person:kassym-jomart-tokayev", predicate="sco:holdsPosition",
        object="country:kazakhstan",
    ) == [
        ("President", SENTENCE_1, "001_a.txt#0", "2024-07-04", str(start),
         str(start + len(SENTENCE_1)), "pattern:title-of-country", "0.9"),
    ]  # fmt: skip
    # Every fact about Tokayev, either side, most confident first.
    assert run(graph, "evidence", "predicate", "object", "confidence", subject=str(TOKAYEV)) == [
        (str(SCO.holdsPosition), str(KAZAKHSTAN), "0.9"),
        (str(SCO.met), str(XI), "0.75"),
        (str(SCO.participatedIn), str(SUMMIT), "0.7"),
    ]
    assert run(graph, "evidence", "subjectLabel", "confidence", predicate="sco:memberOf") == [
        ("Kazakhstan", "1"),  # Oxigraph's canonical decimal
        ("Belarus", "0.7"),
    ]


def test_mentions_follows_an_entity_through_the_articles(graph: KnowledgeGraph) -> None:
    columns = ("date", "article", "title", "mentions", "name")
    assert run(graph, "mentions", *columns, entity="person:kassym-jomart-tokayev") == [
        ("2024-07-04", "001_a.txt#0", "Tokayev meets Xi in Astana", "2", "Kassym-Jomart Tokayev"),
        (None, "002_b.txt#0", None, "1", "Tokayev"),  # undated: last
    ]


def _with_triples(tmp_path: Path, triples: list[tuple]) -> KnowledgeGraph:
    """The hand-made graph with a few more triples in the entities graph, read from a file.

    The graph module writes no dates on documents or events yet; a file can hold them.
    """
    dataset = Dataset()
    dataset.parse(data=build_graph().serialize("trig"), format="trig")
    for triple in triples:
        dataset.graph(ENTITIES_GRAPH).add(triple)
    path = tmp_path / "graph.trig"
    dataset.serialize(path, format="trig")
    return KnowledgeGraph.load(path)


# -- parameters --------------------------------------------------------------------


def test_parameter_values_are_bound_never_pasted_into_the_query(graph: KnowledgeGraph) -> None:
    text = load_query("proposals").text
    sneaky = URIRef("http://example.org/x> } UNION { ?actor ?p ?o")
    assert run(graph, "proposals", "actor") != []
    with pytest.raises(QueryError, match="not a valid IRI"):
        run_saved(graph, "proposals", {"actor": sneaky})
    assert load_query("proposals").text == text


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("<http://example.org/a>", URIRef("http://example.org/a")),
        ("https://w3id.org/sco-graph/person/xi-jinping", XI),
        ("urn:x-test:a", URIRef("urn:x-test:a")),
        ("sco:Person", SCO.Person),
        ("person:xi-jinping", XI),
        ("person/xi-jinping", XI),
        ("owl:sameAs", URIRef("http://www.w3.org/2002/07/owl#sameAs")),
        ("observer", Literal("observer")),
        ("dialogue partner", Literal("dialogue partner")),
        ("note: this", Literal("note: this")),
        ("unknown:prefix", Literal("unknown:prefix")),
        ("nothing/xi-jinping", Literal("nothing/xi-jinping")),
        ("2024", Literal(2024, datatype=INTEGER)),
        ("2024-07-04", Literal("2024-07-04", datatype=DATE)),
    ],
)
def test_a_value_becomes_an_iri_or_a_literal_by_its_look(text: str, term: object) -> None:
    assert to_term(text) == term


def test_a_declared_kind_is_enforced() -> None:
    assert to_term("sco:Person", "text") == Literal("sco:Person")
    assert to_term("7", "integer") == Literal(7, datatype=INTEGER)
    with pytest.raises(QueryError, match=r"^'Person' is not an IRI: write <…>"):
        to_term("Person", "IRI")
    with pytest.raises(QueryError, match=r"^'seven' is not an integer$"):
        to_term("seven", "integer")
    with pytest.raises(QueryError, match=r"^'July' is not a date \(YYYY-MM-DD\)$"):
        to_term("July", "date")


def test_a_misspelt_ontology_term_is_an_error_not_an_empty_answer() -> None:
    with pytest.raises(QueryError, match=r"^sco:Persn is not a term of the sco-graph ontology$"):
        to_term("sco:Persn")


@given(st.text())
def test_text_kind_keeps_any_value_as_a_literal(value: str) -> None:
    assert to_term(value, "text") == Literal(value)


@given(
    st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True),
    st.text().filter(lambda v: "\n" not in v),
)
def test_parse_params_splits_at_the_first_equals_sign(name: str, value: str) -> None:
    assert parse_params([f"{name}={value}"]) == {name: value}


def test_parse_params_errors() -> None:
    with pytest.raises(QueryError, match=r"^parameter 'actor' is not of the form key=value$"):
        parse_params(["actor"])
    with pytest.raises(QueryError, match=r"^parameter 'a' is given twice$"):
        parse_params(["a=1", "a=2"])


def test_unknown_missing_and_wrong_parameters_are_clear_errors(graph: KnowledgeGraph) -> None:
    with pytest.raises(QueryError) as unknown:
        run_saved(graph, "posts", {"actor": "country:kazakhstan"})
    assert str(unknown.value) == (
        "saved query 'posts' has no parameter 'actor'; its parameters are person, organization"
    )
    with pytest.raises(QueryError) as none:
        run_saved(graph, "timeline", {"year": "2024"})
    assert str(none.value) == (
        "saved query 'timeline' has no parameter 'year'; it takes no parameters"
    )
    with pytest.raises(QueryError) as missing:
        run_saved(graph, "co-mentions", {"type1": "sco:Person"})
    assert str(missing.value) == (
        "saved query 'co-mentions' needs a value for 'type2' "
        "(the class of the second entity, e.g. sco:Country)"
    )
    with pytest.raises(QueryError) as wrong:
        run_saved(graph, "mentions", {"entity": "Tokayev"})
    assert str(wrong.value).startswith(
        "saved query 'mentions', parameter 'entity': 'Tokayev' is not an IRI"
    )
    with pytest.raises(QueryError) as name:
        run_saved(graph, "who-is-who")
    assert str(name.value) == "no saved query named 'who-is-who'; the saved queries are " + (
        ", ".join(NAMES)
    )


# -- the header --------------------------------------------------------------------

GOOD = """# name: q
# title: A query
# description: What it answers,
#   over two lines.
# param who (IRI): the person (optional)
# param n: how many

SELECT ?who ?n WHERE { ?who ?p ?n }
"""


def test_header_is_read_with_continuations_and_optional_params() -> None:
    query = _parse(GOOD, "q.rq", "q.rq")
    assert (query.name, query.title, query.description) == (
        "q",
        "A query",
        "What it answers, over two lines.",
    )
    assert [(p.name, p.kind, p.meaning, p.required) for p in query.params] == [
        ("who", "IRI", "the person", False),
        ("n", None, "how many", True),
    ]
    assert query.text == GOOD


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        (GOOD, "other.rq", "header name 'q' differs from the file name 'other'"),
        (GOOD.replace("# title: A query\n", ""), "q.rq", "header has no '# title:' line"),
        (GOOD.replace("# param n:", "# parm n:"), "q.rq:6",
         "header line is not '# {name|title|description|param}: ...' or an indented continuation"),
        (GOOD.replace("(IRI)", "(URI)"), "q.rq:5",
         "parameter kind 'URI' is not one of IRI, text, integer, date"),
        (GOOD.replace("# param n:", "# param m:"), "q.rq",
         "parameter 'm' is not a variable of the query"),
        (GOOD.replace("# param n: how many", "# param who: again"), "q.rq",
         "parameter 'who' is declared twice"),
        (GOOD.replace("# title: A query", "# title: A query\n# title: Again"), "q.rq:3",
         "'title' is given twice"),
    ],
)  # fmt: skip
def test_malformed_headers_name_the_file_and_the_fault(text: str, where: str, message: str) -> None:
    file_name = where.split(":")[0]
    with pytest.raises(DataError) as error:
        _parse(text, file_name, file_name)
    assert str(error.value) == f"{where}: {message}"


# -- the command line ---------------------------------------------------------------


@pytest.fixture(scope="module")
def saved_graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("build")
    build_graph().save(folder)
    return folder


def test_query_list_needs_no_graph() -> None:
    result = CliRunner().invoke(main, ["query", "--list"])
    assert result.exit_code == 0, result.output
    assert result.output == format_list()
    lines = result.output.splitlines()
    assert lines[0].split() == ["name", "title", "parameters"]
    assert lines[2].split() == [
        "co-mentions", "Co-mention", "network", "of", "two", "entity", "types",
        "type1=IRI", "type2=IRI",
    ]  # fmt: skip
    assert lines[4].endswith("  [subject=IRI] [predicate=IRI] [object=IRI]")
    assert [line.split()[0] for line in lines[2:-1]] == NAMES
    assert "…" not in result.output  # no cell is long enough to be cut
    assert lines[-1] == f"({len(NAMES)} rows)"


def test_query_list_with_a_name_shows_the_description_then_the_sparql() -> None:
    result = CliRunner().invoke(main, ["query", "--list", "--name", "proposals"])
    assert result.exit_code == 0, result.output
    query = load_query("proposals")
    assert result.output == (
        "proposals: What an actor proposed or supported\n"
        "\n"
        "Everything a person, country or organisation proposed, initiated or put forward "
        "(sco:proposed) or said it supports or welcomes (sco:supports), with what kind of "
        "thing it is, the evidence sentence and the article.\n"
        "\n"
        "  [actor=IRI]: the person, country or organisation\n"
        "\n"
        "PREFIX sco: <https://w3id.org/sco-graph/ontology#>\n"
        "PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
        "PREFIX prov: <http://www.w3.org/ns/prov#>\n"
        "\n"
        "SELECT ?actor ?actorLabel ?relation ?thing ?thingLabel ?thingType ?sentence ?article "
        "?date\n"
        "WHERE {\n"
        '  VALUES (?predicate ?relation) { (sco:proposed "proposed") (sco:supports "supports") }\n'
    ) + query.text.split("(sco:supports \"supports\") }\n", 1)[1]
    assert result.output.endswith(
        "}\nORDER BY ?actorLabel ?actor ?relation ?thingLabel ?article ?sentence\n"
    )
    # What is printed after the parameters is the file without its header: it runs as is.
    assert query.text.endswith(query.sparql)
    assert not any(line.startswith("#") for line in query.sparql.splitlines())


def test_the_sparql_of_a_query_without_parameters_follows_no_parameters() -> None:
    output = CliRunner().invoke(main, ["query", "--list", "--name", "timeline"]).output
    assert "\n  no parameters\n\nPREFIX sco: <https://w3id.org/sco-graph/ontology#>\n" in output
    assert output.endswith(load_query("timeline").sparql)


def test_query_by_name_with_params(saved_graph: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["query", str(saved_graph), "--name", "co-mentions", "--param", "type1=sco:Country",
         "-p", "type2=sco:Country", "--format", "csv"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "type1,entity1,label1,type2,entity2,label2,articles",
        f"sco:Country,{BELARUS},Belarus,sco:Country,{CHINA},China,1",
        f"sco:Country,{BELARUS},Belarus,sco:Country,{KAZAKHSTAN},Kazakhstan,1",
        f"sco:Country,{CHINA},China,sco:Country,{KAZAKHSTAN},Kazakhstan,1",
    ]


def test_a_query_given_as_text_takes_params_too(saved_graph: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["query", str(saved_graph), "SELECT ?name WHERE { ?who rdfs:label ?name }",
         "-p", "who=person:xi-jinping", "--format", "csv"],
    )  # fmt: skip
    assert (result.exit_code, result.output) == (0, "name\nXi Jinping\n")


def test_query_by_name_errors_are_one_line(saved_graph: Path) -> None:
    runner = CliRunner()
    unknown = runner.invoke(main, ["query", str(saved_graph), "-n", "posts", "-p", "who=x"])
    assert (unknown.exit_code, unknown.output) == (
        6,
        "Error: saved query 'posts' has no parameter 'who'; "
        "its parameters are person, organization\n",
    )
    missing = runner.invoke(main, ["query", str(saved_graph), "-n", "nothing"])
    assert missing.exit_code == 6
    assert missing.output.startswith("Error: no saved query named 'nothing'; ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "--name", "posts"],
         "missing GRAPH: give a build folder or an RDF file before the query "
         "(only --list needs none)"),
        (["query", "G", "SELECT * {}", "--name", "posts"],
         "the SPARQL argument and --name both give a query: keep one of them"),
        (["query", "G", "SELECT * {}", "--file", __file__],
         "the SPARQL argument and --file both give a query: keep one of them"),
        (["query", "G"],
         "no query: give SPARQL after GRAPH, --file FILE.rq, or --name NAME (see query --list)"),
    ],
)  # fmt: skip
def test_query_usage_errors(args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == f"Error: {message}"


# -- the bundled corpus -----------------------------------------------------------

REPO = Path(__file__).resolve().parents[2]
TOKAYEV_ARTICLES = [
    ("2023-07-04", "003_40421d8e319eeb75.txt#0"),
    ("2024-07-03", "004_9f71f0bf7ef8b156.txt#8"),
    ("2024-07-04", "004_9f71f0bf7ef8b156.txt#0"),
    ("2024-07-04", "004_9f71f0bf7ef8b156.txt#6"),
    ("2025-09-01", "000_36e8ee55338207d0.txt#0"),
    (None, "001_379da171dd1113d9.txt#0"),
    (None, "002_087525200bfdace2.txt#0"),
]
"""Every story whose text names Tokayev, by date (undated last), checked by hand."""


@pytest.fixture(scope="session")
def corpus() -> KnowledgeGraph:
    from sco_graph.pipeline import build

    return build([REPO / "data" / "corpus"], None).graph


@pytest.mark.slow
def test_corpus_mentions_of_tokayev(corpus: KnowledgeGraph) -> None:
    assert run(corpus, "mentions", "date", "article",
               entity="person:kassym-jomart-tokayev") == TOKAYEV_ARTICLES  # fmt: skip


@pytest.mark.slow
def test_corpus_co_mentions(corpus: KnowledgeGraph) -> None:
    found = run(corpus, "co-mentions", "label1", "label2", "articles",
                type1="sco:Person", type2="sco:Country")  # fmt: skip
    # Russia is named in 001, 002 and 004#8, all about Tokayev; Putin only in 004#8.
    assert ("Kassym-Jomart Tokayev", "Russia", "3") in found
    assert ("Vladimir Putin", "Russia", "1") in found
    assert [int(n) for *_, n in found] == sorted((int(n) for *_, n in found), reverse=True)
    people = run(corpus, "co-mentions", "label1", "label2", "articles",
                 type1="sco:Person", type2="sco:Person")  # fmt: skip
    # One type twice: each pair once, the lesser IRI first; they share only 004#8.
    assert ("Kassym-Jomart Tokayev", "Vladimir Putin", "1") in people
    assert ("Vladimir Putin", "Kassym-Jomart Tokayev", "1") not in people


@pytest.mark.slow
def test_corpus_timeline_and_documents(corpus: KnowledgeGraph) -> None:
    timeline = run(corpus, "timeline", "date", "kind", "label")
    assert ("2024-07-04", "Document", "Astana Declaration") in timeline
    dates = [d for d, *_ in timeline]
    dated = [d for d in dates if d is not None]
    assert dates == dated + [None] * (len(dates) - len(dated))
    assert dated == sorted(dated)
    documents = run(corpus, "documents-by-year", "year", "yearFrom", "validFrom", "firstReported")
    assert documents
    for year, source, valid_from, first in documents:
        if source == "validity":
            assert year == valid_from[:4]
        elif source == "article":
            assert year == first[:4]


@pytest.mark.slow
def test_corpus_posts(corpus: KnowledgeGraph) -> None:
    posts = run(corpus, "posts", "personLabel", "role", "organizationLabel")
    assert ("Kassym-Jomart Tokayev", "President", "Kazakhstan") in posts
    assert ("Vladimir Putin", "President", "Russia") in posts
    assert ("Nurlan Yermekbayev", "Secretary General", "Shanghai Cooperation Organisation") in posts


@pytest.mark.slow
def test_corpus_proposals_of_kazakhstan(corpus: KnowledgeGraph) -> None:
    things = run(corpus, "proposals", "relation", "thingLabel", "article",
                 actor="country:kazakhstan")  # fmt: skip
    assert ("proposed", "SCO Anti-Drug Strategy for 2024-2029", "003_40421d8e319eeb75.txt#0") in (
        things
    )


@pytest.mark.slow
def test_corpus_memberships_and_meetings(corpus: KnowledgeGraph) -> None:
    members = run(corpus, "memberships", "organizationLabel", "status", "countryLabel", "sentence")
    assert ("Shanghai Cooperation Organisation", "member", "Belarus",
            "Belarus officially joins SCO, becoming its 10th member state") in members  # fmt: skip
    met = run(corpus, "meetings", "otherLabel", "sentence", "article", "date",
              person="person:vladimir-putin")  # fmt: skip
    assert met == [
        ("Kassym-Jomart Tokayev",
         "Kazakh President Kassym-Jomart Tokayev received his Russian counterpart Vladimir Putin, "
         "who arrived in Astana for the SCO summit, Kazinform News Agency correspondent reports.",
         "004_9f71f0bf7ef8b156.txt#8", "2024-07-03"),
    ]  # fmt: skip


@pytest.mark.slow
def test_corpus_evidence_points_at_its_sentence_in_the_article(corpus: KnowledgeGraph) -> None:
    from sco_graph.pipeline import read_articles

    texts = {a.key: a.text for a in read_articles([REPO / "data" / "corpus"], "*.txt", [], [])}
    evidence = run(corpus, "evidence", "article", "start", "end", "sentence")
    assert len(evidence) == len(corpus.query("SELECT ?f WHERE { ?f a sco:Fact }"))
    for article, start, end, sentence in evidence:
        assert texts[article][int(start) : int(end)] == sentence
    post = run(corpus, "evidence", "article", subject="person:kassym-jomart-tokayev",
               predicate="sco:holdsPosition", object="country:kazakhstan")  # fmt: skip
    assert ("003_40421d8e319eeb75.txt#0",) in post
