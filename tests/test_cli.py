"""The sco-graph command: each command with CliRunner, including its errors."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from builders import art, ent, rel, write_records
from click.testing import CliRunner
from rdflib import Graph

from sco_graph.cli import main

pytestmark = pytest.mark.slow

STORY = (
    " date 2024-07-04 Kazakh President Kassym-Jomart Tokayev met Chinese President "
    "Xi Jinping in Astana.\n\nThe leaders discussed the SCO Anti-Drug Strategy for 2024-2029.\n"
)


@pytest.fixture(scope="module")
def built(tmp_path_factory, nlp) -> Path:
    folder = tmp_path_factory.mktemp("texts")
    (folder / "story.txt").write_text(STORY, encoding="utf-8")
    out = tmp_path_factory.mktemp("build")
    result = CliRunner().invoke(main, ["build", str(folder), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_build_writes_the_graph_files_and_a_summary(tmp_path, nlp):
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(tmp_path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "Read 1 articles from 1 files" in result.output
    assert "Person 2" in result.output
    for name in ("graph.trig", "graph.ttl", "graph.graphml"):
        assert (tmp_path / "out" / name).is_file()


def test_build_reads_stdin(tmp_path, nlp):
    result = CliRunner().invoke(main, ["build", "-", "--out", str(tmp_path), "-q"], input=STORY)
    assert result.exit_code == 0, result.output
    graph = Graph().parse(tmp_path / "graph.ttl")
    labels = {str(o) for o in graph.objects(None, None) if str(o) == "Xi Jinping"}
    assert labels == {"Xi Jinping"}


def test_build_skips_bad_files_names_them_and_exits_non_zero(tmp_path, nlp):
    (tmp_path / "good.txt").write_text(STORY, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\x89PNG\x00\x00")
    result = CliRunner().invoke(main, ["build", str(tmp_path), "--out", str(tmp_path / "o")])
    assert result.exit_code == 9  # finished, inputs skipped: not click's usage error 2
    assert "empty.txt" in result.output and "binary.txt" in result.output
    assert "Read 1 articles from 1 files (2 skipped)" in result.output
    assert (tmp_path / "o" / "graph.ttl").is_file()


def test_build_of_a_missing_path_says_so(tmp_path, nlp):
    result = CliRunner().invoke(main, ["build", str(tmp_path / "nope"), "--out", str(tmp_path)])
    assert result.exit_code == 8
    assert result.output == f"Error: {tmp_path / 'nope'}: no such file or folder\n"


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "trig", "nq"])
def test_export_rdf_formats_reparse(built, tmp_path, fmt):
    from rdflib import Dataset

    target = tmp_path / f"g.{fmt}"
    result = CliRunner().invoke(main, ["export", str(built), "--format", fmt, "-o", str(target)])
    assert result.exit_code == 0, result.output
    formats = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "trig": "trig", "nq": "nquads"}
    exported = Dataset(default_union=True)
    exported.parse(target, format=formats[fmt])
    built_graph = Graph().parse(built / "graph.ttl")
    # the same statements, whichever format carries them (trig and nq keep named graphs)
    assert set(exported.triples((None, None, None))) == set(built_graph)


@pytest.mark.parametrize(("fmt", "reader"), [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_export_graph_formats_open_in_networkx(built, tmp_path, fmt, reader):
    target = tmp_path / f"g.{fmt}"
    result = CliRunner().invoke(main, ["export", str(built), "--format", fmt, "-o", str(target)])
    assert result.exit_code == 0, result.output
    graph = reader(target)
    labels = {data.get("label") for _, data in graph.nodes(data=True)}
    assert {"Kassym-Jomart Tokayev", "Xi Jinping", "Astana"} <= labels


def test_export_csv_writes_nodes_and_edges(built, tmp_path):
    result = CliRunner().invoke(main, ["export", str(built), "-f", "csv", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "Xi Jinping" in (tmp_path / "nodes.csv").read_text(encoding="utf-8")
    assert (tmp_path / "edges.csv").is_file()


def test_query_returns_rows_in_each_format(built):
    sparql = "SELECT ?name WHERE { ?p a sco:Person ; rdfs:label ?name } ORDER BY ?name"
    table = CliRunner().invoke(main, ["query", str(built), sparql])
    assert table.exit_code == 0, table.output
    assert table.output.splitlines()[2:4] == ["Kassym-Jomart Tokayev", "Xi Jinping"]
    csv_out = CliRunner().invoke(main, ["query", str(built), sparql, "--format", "csv"])
    assert csv_out.output.splitlines() == ["name", "Kassym-Jomart Tokayev", "Xi Jinping"]
    as_json = CliRunner().invoke(main, ["query", str(built), sparql, "--format", "json"])
    rows = json.loads(as_json.output)["results"]["bindings"]
    assert [r["name"]["value"] for r in rows] == ["Kassym-Jomart Tokayev", "Xi Jinping"]


def test_query_from_a_file_and_on_a_turtle_file(built, tmp_path):
    query_file = tmp_path / "q.rq"
    query_file.write_text("ASK { ?c a sco:Place ; rdfs:label 'Astana' }", encoding="utf-8")
    result = CliRunner().invoke(main, ["query", str(built / "graph.ttl"), "-f", str(query_file)])
    assert result.exit_code == 0, result.output
    assert result.output == "true\n"


def test_query_syntax_error_is_one_line_not_a_traceback(built):
    result = CliRunner().invoke(main, ["query", str(built), "SELECT ?x WHERE { ?x a }"])
    assert result.exit_code == 6
    assert result.output.startswith("Error: SPARQL syntax error")
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_unreadable_graph_names_the_file(tmp_path):
    bad = tmp_path / "broken.ttl"
    bad.write_text("this is not turtle <", encoding="utf-8")
    result = CliRunner().invoke(main, ["stats", str(bad)])
    assert result.exit_code == 5
    assert "broken.ttl" in result.output


def test_stats_lists_counts_and_top_entities(built):
    result = CliRunner().invoke(main, ["stats", str(built), "--top", "3"])
    assert result.exit_code == 0, result.output
    assert "Articles: 1" in result.output
    assert "Person        2" in result.output
    assert "Top 3 entities by mentions:" in result.output


def test_evaluate_on_a_hand_made_gold(tmp_path, nlp):
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "s.txt").write_text(STORY, encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({
        "source": "s.txt", "article": 0, "date": "2024-07-04", "title": None,
        "entities": [
            {"id": "xi", "type": "Person", "name": "Xi Jinping", "wikidata": "Q15031"},
            {"id": "kz", "type": "Country", "name": "Kazakhstan"},
            {"id": "un", "type": "Organization", "name": "United Nations"},
        ],
        "relations": [],
    }) + "\n", encoding="utf-8")
    predictions = tmp_path / "pred.jsonl"
    result = CliRunner().invoke(main, [
        "evaluate", str(gold), "--texts", str(texts), "--predictions", str(predictions),
        "--misses", "--baseline",
    ])
    assert result.exit_code == 0, result.output
    assert "baseline" in result.output
    assert "Wikidata linking (ours): 1.000 (1/1)" in result.output
    # "Kazakh President" names Kazakhstan; the United Nations is not in the text
    assert result.stdout.splitlines()[6:9] == [
        "entity Organization: 1 missed, 1 extra",
        "  missed  s.txt#0  United Nations [un]",
        "  extra   s.txt#0  Shanghai Cooperation Organisation [sco] (also: SCO)",
    ]
    assert "Kazakhstan [kz]" not in result.output
    record = json.loads(predictions.read_text(encoding="utf-8").splitlines()[0])
    assert record["source"] == "s.txt" and record["article"] == 0
    assert {"id", "type", "name", "aliases"} <= set(record["entities"][0])


def test_evaluate_with_a_malformed_gold_file(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"source": "x.txt"}\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["evaluate", str(gold), "--texts", str(tmp_path)])
    assert result.exit_code == 7
    assert str(gold) in result.output


GOA = (" date 2023-05-05 Indian Foreign Minister Subrahmanyam Jaishankar met Russian Foreign "
       "Minister Sergei Lavrov in Goa.\n")


def _gold_set(folder: Path, gold_name: str, source: str, text: str, record: dict) -> Path:
    """A gold file in `folder`, with its one text in `folder/texts/`."""
    (folder / "texts").mkdir(parents=True)
    (folder / "texts" / source).write_text(text, encoding="utf-8")
    return write_records(folder / gold_name, {**record, "source": source})


def _alpha(folder: Path) -> Path:
    return _gold_set(folder, "gold.jsonl", "s.txt", STORY, art(
        [ent("tokayev", "Person", "Kassym-Jomart Tokayev", wikidata="Q200881"),
         ent("xi", "Person", "Xi Jinping", wikidata="Q15031"), ent("astana", "Place", "Astana"),
         ent("strategy", "Document", "SCO Anti-Drug Strategy for 2024-2029"),
         ent("un", "Organization", "United Nations")],
        [rel("tokayev", "met", "xi"), rel("xi", "supports", "strategy")]))


def _beta(folder: Path) -> Path:
    # Lavrov's gold id is wrong on purpose, so that the report lists it.
    return _gold_set(folder, "beta.jsonl", "t.txt", GOA, art(
        [ent("jaishankar", "Person", "Subrahmanyam Jaishankar"),
         ent("lavrov", "Person", "Sergei Lavrov", wikidata="Q4399"), ent("goa", "Place", "Goa")],
        [rel("jaishankar", "met", "lavrov")]))


def test_evaluate_two_gold_sets_side_by_side(tmp_path, nlp):
    alpha, beta = _alpha(tmp_path / "alpha"), _beta(tmp_path / "beta")
    out = tmp_path / "pred.jsonl"
    result = CliRunner().invoke(main, [
        "evaluate", str(alpha), str(beta), "--predictions", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout.splitlines() == [
        # alpha's folder names it (its file is gold.jsonl), beta's file stem names it
        "                                alpha                             beta",
        "Entities               P      R     F1  tp  fp  fn      P      R     F1  tp  fp  fn",
        "  overall          0.571  0.800  0.667   4   3   1  1.000  1.000  1.000   3   0   0",
        "    Person         1.000  1.000  1.000   2   0   0  1.000  1.000  1.000   2   0   0",
        "    Country        0.000  0.000  0.000   0   2   0  0.000  0.000  0.000   0   0   0",
        "    Organization   0.000  0.000  0.000   0   1   1  0.000  0.000  0.000   0   0   0",
        "    Document       1.000  1.000  1.000   1   0   0  0.000  0.000  0.000   0   0   0",
        "    Place          1.000  1.000  1.000   1   0   0  1.000  1.000  1.000   1   0   0",
        "",
        "Relations              P      R     F1  tp  fp  fn      P      R     F1  tp  fp  fn",
        "  overall          0.333  0.500  0.400   1   2   1  1.000  1.000  1.000   1   0   0",
        "    holdsPosition  0.000  0.000  0.000   0   2   0  0.000  0.000  0.000   0   0   0",
        "    supports       0.000  0.000  0.000   0   0   1  0.000  0.000  0.000   0   0   0",
        "    met            1.000  1.000  1.000   1   0   0  1.000  1.000  1.000   1   0   0",
        "",
        "Wikidata linking (alpha): 1.000 (2/2)",
        "Wikidata linking (beta): 0.000 (0/1)",
        "  differs: Sergei Lavrov: gold Q4399, ours Q58217 (1 article)",
        "alpha: 1 of 1 gold articles predicted",
        "beta: 1 of 1 gold articles predicted",
        f"Predictions written to {tmp_path / 'pred-alpha.jsonl'}",
        f"Predictions written to {tmp_path / 'pred-beta.jsonl'}",
    ]
    sources = [json.loads(tmp_path.joinpath(name).read_text(encoding="utf-8"))["source"]
               for name in ("pred-alpha.jsonl", "pred-beta.jsonl")]
    assert sources == ["s.txt", "t.txt"]


def test_evaluate_misses_of_two_sets_by_type_and_relation(tmp_path, nlp):
    alpha, beta = _alpha(tmp_path / "alpha"), _beta(tmp_path / "beta")
    result = CliRunner().invoke(main, ["evaluate", str(alpha), str(beta), "--misses"])
    assert result.exit_code == 0, result.output
    assert result.stdout.split("\n\n                                alpha")[0].splitlines() == [
        "Missed and extra in alpha:",
        "entity Country: 0 missed, 2 extra",
        "  extra   s.txt#0  Kazakhstan [kazakhstan] (also: Kazakh)",
        "  extra   s.txt#0  China [china] (also: Chinese)",
        "",
        "entity Organization: 1 missed, 1 extra",
        "  missed  s.txt#0  United Nations [un]",
        "  extra   s.txt#0  Shanghai Cooperation Organisation [sco] (also: SCO)",
        "",
        "relation holdsPosition: 0 missed, 2 extra",
        "  extra   s.txt#0  Kassym-Jomart Tokayev -> Kazakhstan",
        "  extra   s.txt#0  Xi Jinping -> China",
        "",
        "relation supports: 1 missed, 0 extra",
        "  missed  s.txt#0  Xi Jinping -> SCO Anti-Drug Strategy for 2024-2029",
        "",
        "Missed and extra in beta:",
        "wrong Wikidata links: 1",
        "  wrong   t.txt#0  Sergei Lavrov: gold Q4399, predicted Q58217",
    ]


def test_evaluate_texts_default_to_the_folder_beside_the_gold_file(tmp_path, nlp):
    beta = _beta(tmp_path / "beta")
    result = CliRunner().invoke(main, ["evaluate", str(beta)])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout.splitlines()[-3:] == [
        "Wikidata linking: 0.000 (0/1)",
        "  differs: Sergei Lavrov: gold Q4399, ours Q58217 (1 article)",
        "1 of 1 gold articles predicted",
    ]


def test_evaluate_texts_default_to_the_bundled_corpus(tmp_path, nlp):
    # No texts/ beside the gold file: the texts are looked up in data/corpus of the
    # project, wherever the command is run from.
    gold = write_records(tmp_path / "gold.jsonl", art([], source="000_36e8ee55338207d0.txt"))
    result = CliRunner().invoke(main, ["evaluate", str(gold)])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout.endswith("\n1 of 1 gold articles predicted\n")


def test_evaluate_with_a_texts_folder_that_is_missing(tmp_path):
    beta = _beta(tmp_path / "beta")
    result = CliRunner().invoke(main, ["evaluate", str(beta), "--texts", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: {beta}: texts folder {tmp_path / 'nope'} given with --texts is not a folder; "
        f"give the folder holding the gold's texts\n"
    )


def test_evaluate_with_no_texts_beside_the_gold_and_no_example_corpus(tmp_path, monkeypatch):
    # as in an installed wheel, which carries no corpus
    monkeypatch.setattr("sco_graph.evaluate.run.corpus_dir", lambda: None)
    gold = write_records(tmp_path / "g" / "gold.jsonl", art([]))
    result = CliRunner().invoke(main, ["evaluate", str(gold)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {gold}: no texts folder: there is no {tmp_path / 'g' / 'texts'} and no "
        f"example corpus (data/corpus of a source checkout); give the folder of the texts "
        f"with --texts\n"
    )


def test_evaluate_wants_texts_once_per_gold_file(tmp_path):
    alpha, beta = _alpha(tmp_path / "alpha"), _beta(tmp_path / "beta")
    result = CliRunner().invoke(main, ["evaluate", str(alpha), str(beta),
                                       "--texts", str(tmp_path / "alpha" / "texts")])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--texts': given 1 time for 2 gold files; "
        "give it once per gold file, in the same order, or leave it out"
    )


def test_every_command_has_help_and_an_example():
    for name, command in main.commands.items():
        assert command.help and "Example:" in command.help, name


def test_a_story_too_long_for_the_model_is_read_in_parts_with_a_warning(tmp_path, nlp):
    paragraphs = [f"In round {n} of the talks, Kazakh President Kassym-Jomart Tokayev met "
                  f"Chinese President Xi Jinping in Astana." for n in range(60)]
    (tmp_path / "long.txt").write_text("\n\n".join(paragraphs), encoding="utf-8")
    original = nlp.max_length
    nlp.max_length = 2000
    try:
        result = CliRunner().invoke(main, ["build", str(tmp_path), "--out", str(tmp_path / "o")])
    finally:
        nlp.max_length = original
    assert result.exit_code == 0, result.output  # nothing was skipped
    assert "long.txt: story 0 has" in result.output and "read in parts" in result.output
    assert "Read 1 articles from 1 files" in result.output
    assert "Person 2" in result.output
