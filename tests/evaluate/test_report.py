"""The score table: one set as before, several side by side, wrapped when too wide."""

from __future__ import annotations

from pathlib import Path

from builders import GOLD, PRED, art, ent, scored

from sco_graph.evaluate.report import ScoredSet, format_report, format_reports


def test_format_report(tmp_path: Path) -> None:
    s = scored(tmp_path, [GOLD], [PRED])
    assert format_report(s) == (
        "Entities               P      R     F1  tp  fp  fn\n"
        "  overall          0.750  0.600  0.667   3   1   2\n"
        "    Person         1.000  1.000  1.000   2   0   0\n"
        "    Country        0.500  1.000  0.667   1   1   0\n"
        "    Organization   0.000  0.000  0.000   0   0   1\n"
        "    Place          0.000  0.000  0.000   0   0   1\n"
        "\n"
        "Relations              P      R     F1  tp  fp  fn\n"
        "  overall          0.667  0.667  0.667   2   1   1\n"
        "    holdsPosition  0.500  1.000  0.667   1   1   0\n"
        "    memberOf       0.000  0.000  0.000   0   0   1\n"
        "    met            1.000  1.000  1.000   1   0   0\n"
        "\n"
        "Wikidata linking: 0.000 (0/0)\n"
        "1 of 1 gold articles predicted\n"
    )


def test_format_report_with_baseline(tmp_path: Path) -> None:
    ours = scored(tmp_path, [GOLD], [PRED])
    baseline = scored(tmp_path, [GOLD], [art([ent("x", "Person", "Xi Jinping")])])
    # Baseline: only Xi found, so entities P = 1/1, R = 1/5, F1 = 2/(2+0+4) = 0.333.
    rows = [
        "                                 ours                           baseline",
        "Entities               P      R     F1  tp  fp  fn"
        "      P      R     F1  tp  fp  fn     ΔF1",
        "  overall          0.750  0.600  0.667   3   1   2"
        "  1.000  0.200  0.333   1   0   4  +0.333",
        "    Person         1.000  1.000  1.000   2   0   0"
        "  1.000  0.500  0.667   1   0   1  +0.333",
        "    Country        0.500  1.000  0.667   1   1   0"
        "  0.000  0.000  0.000   0   0   1  +0.667",
        "    Organization   0.000  0.000  0.000   0   0   1"
        "  0.000  0.000  0.000   0   0   1  +0.000",
        "    Place          0.000  0.000  0.000   0   0   1"
        "  0.000  0.000  0.000   0   0   1  +0.000",
        "",
        "Relations              P      R     F1  tp  fp  fn"
        "      P      R     F1  tp  fp  fn     ΔF1",
        "  overall          0.667  0.667  0.667   2   1   1"
        "  0.000  0.000  0.000   0   0   3  +0.667",
        "    holdsPosition  0.500  1.000  0.667   1   1   0"
        "  0.000  0.000  0.000   0   0   1  +0.667",
        "    memberOf       0.000  0.000  0.000   0   0   1"
        "  0.000  0.000  0.000   0   0   1  +0.000",
        "    met            1.000  1.000  1.000   1   0   0"
        "  0.000  0.000  0.000   0   0   1  +1.000",
        "",
        "Wikidata linking (ours): 0.000 (0/0)",
        "Wikidata linking (baseline): 0.000 (0/0)",
        "1 of 1 gold articles predicted",
    ]
    assert format_report(ours, baseline) == "\n".join(rows) + "\n"


def test_the_report_names_each_entity_whose_id_differs_from_the_gold(tmp_path: Path) -> None:
    gold = [art([ent("t", "Person", "Tokayev", wikidata="Q305917")], article=i) for i in range(3)]
    gold.append(art([ent("x", "Person", "Xi", wikidata="Q15031")], article=3))
    pred = [art([ent("p", "Person", "Tokayev", wikidata="Q200881")], article=i) for i in range(3)]
    pred.append(art([ent("p", "Person", "Xi")], article=3))
    report = format_report(scored(tmp_path, gold, pred))
    assert report.endswith(
        "Wikidata linking: 0.000 (0/4)\n"
        "  differs: Tokayev: gold Q305917, ours Q200881 (3 articles)\n"
        "  differs: Xi: gold Q15031, ours none (1 article)\n"
        "4 of 4 gold articles predicted\n"
    )


def _second_set(tmp_path: Path):
    gold = [GOLD, art([ent("sco", "Organization", "SCO")], article=1),
            art([ent("xi", "Person", "Xi", wikidata="Q15031")], article=2)]
    pred = [PRED, art([ent("x", "Person", "Xi", wikidata="Q1")], article=2)]
    return scored(tmp_path, gold, pred)


def test_two_sets_stand_side_by_side_under_their_names(tmp_path: Path) -> None:
    seeds, dev = scored(tmp_path, [GOLD], [PRED]), _second_set(tmp_path)
    # dev adds a missed SCO (article 1, no prediction) and a matched Xi with a wrong id.
    assert format_reports([ScoredSet("seeds", seeds), ScoredSet("dev", dev)]) == "\n".join([
        "                                seeds                             dev",
        "Entities               P      R     F1  tp  fp  fn      P      R     F1  tp  fp  fn",
        "  overall          0.750  0.600  0.667   3   1   2  0.800  0.571  0.667   4   1   3",
        "    Person         1.000  1.000  1.000   2   0   0  1.000  1.000  1.000   3   0   0",
        "    Country        0.500  1.000  0.667   1   1   0  0.500  1.000  0.667   1   1   0",
        "    Organization   0.000  0.000  0.000   0   0   1  0.000  0.000  0.000   0   0   2",
        "    Place          0.000  0.000  0.000   0   0   1  0.000  0.000  0.000   0   0   1",
        "",
        "Relations              P      R     F1  tp  fp  fn      P      R     F1  tp  fp  fn",
        "  overall          0.667  0.667  0.667   2   1   1  0.667  0.667  0.667   2   1   1",
        "    holdsPosition  0.500  1.000  0.667   1   1   0  0.500  1.000  0.667   1   1   0",
        "    memberOf       0.000  0.000  0.000   0   0   1  0.000  0.000  0.000   0   0   1",
        "    met            1.000  1.000  1.000   1   0   0  1.000  1.000  1.000   1   0   0",
        "",
        "Wikidata linking (seeds): 0.000 (0/0)",
        "Wikidata linking (dev): 0.000 (0/1)",
        "  differs: Xi: gold Q15031, ours Q1 (1 article)",
        "seeds: 1 of 1 gold articles predicted",
        "dev: 2 of 3 gold articles predicted; 1 without prediction counted as missed",
    ]) + "\n"


def test_a_table_too_wide_is_cut_between_sets(tmp_path: Path) -> None:
    seeds, dev = scored(tmp_path, [GOLD], [PRED]), _second_set(tmp_path)
    report = format_reports([ScoredSet("seeds", seeds, dev), ScoredSet("dev", dev, seeds)])
    head = ("Entities               P      R     F1  tp  fp  fn"
            "      P      R     F1  tp  fp  fn     ΔF1")
    relations_head = head.replace("Entities ", "Relations")
    assert report == "\n".join([
        "                                seeds                        seeds baseline",
        head,
        "  overall          0.750  0.600  0.667   3   1   2  0.800  0.571  0.667   4   1   3"
        "  +0.000",
        "    Person         1.000  1.000  1.000   2   0   0  1.000  1.000  1.000   3   0   0"
        "  +0.000",
        "    Country        0.500  1.000  0.667   1   1   0  0.500  1.000  0.667   1   1   0"
        "  +0.000",
        "    Organization   0.000  0.000  0.000   0   0   1  0.000  0.000  0.000   0   0   2"
        "  +0.000",
        "    Place          0.000  0.000  0.000   0   0   1  0.000  0.000  0.000   0   0   1"
        "  +0.000",
        "",
        relations_head,
        "  overall          0.667  0.667  0.667   2   1   1  0.667  0.667  0.667   2   1   1"
        "  +0.000",
        "    holdsPosition  0.500  1.000  0.667   1   1   0  0.500  1.000  0.667   1   1   0"
        "  +0.000",
        "    memberOf       0.000  0.000  0.000   0   0   1  0.000  0.000  0.000   0   0   1"
        "  +0.000",
        "    met            1.000  1.000  1.000   1   0   0  1.000  1.000  1.000   1   0   0"
        "  +0.000",
        "",
        "                                 dev                          dev baseline",
        head,
        "  overall          0.800  0.571  0.667   4   1   3  0.750  0.600  0.667   3   1   2"
        "  +0.000",
        "    Person         1.000  1.000  1.000   3   0   0  1.000  1.000  1.000   2   0   0"
        "  +0.000",
        "    Country        0.500  1.000  0.667   1   1   0  0.500  1.000  0.667   1   1   0"
        "  +0.000",
        "    Organization   0.000  0.000  0.000   0   0   2  0.000  0.000  0.000   0   0   1"
        "  +0.000",
        "    Place          0.000  0.000  0.000   0   0   1  0.000  0.000  0.000   0   0   1"
        "  +0.000",
        "",
        relations_head,
        "  overall          0.667  0.667  0.667   2   1   1  0.667  0.667  0.667   2   1   1"
        "  +0.000",
        "    holdsPosition  0.500  1.000  0.667   1   1   0  0.500  1.000  0.667   1   1   0"
        "  +0.000",
        "    memberOf       0.000  0.000  0.000   0   0   1  0.000  0.000  0.000   0   0   1"
        "  +0.000",
        "    met            1.000  1.000  1.000   1   0   0  1.000  1.000  1.000   1   0   0"
        "  +0.000",
        "",
        "Wikidata linking (seeds): 0.000 (0/0)",
        "Wikidata linking (seeds baseline): 0.000 (0/1)",
        "Wikidata linking (dev): 0.000 (0/1)",
        "  differs: Xi: gold Q15031, ours Q1 (1 article)",
        "Wikidata linking (dev baseline): 0.000 (0/0)",
        "seeds: 1 of 1 gold articles predicted",
        "dev: 2 of 3 gold articles predicted; 1 without prediction counted as missed",
    ]) + "\n"
    assert max(len(line) for line in report.splitlines()) <= 100


def test_a_name_too_long_for_its_columns_is_shortened(tmp_path: Path) -> None:
    seeds = scored(tmp_path, [GOLD], [PRED])
    report = format_reports([ScoredSet("a-very-long-name-of-a-gold-set-indeed", seeds),
                             ScoredSet("dev", seeds)])
    assert report.splitlines()[0] == (
        "                   a-very-long-name-of-a-gold-set…                dev"
    )
