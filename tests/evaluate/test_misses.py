"""What was missed and what was extra, by entity type and by relation."""

from __future__ import annotations

from pathlib import Path

from builders import GOLD, PRED, art, ent, scored

from sco_graph.evaluate.misses import format_misses, format_misses_of_sets
from sco_graph.evaluate.report import ScoredSet


def test_misses_are_grouped_by_type_and_relation_each_line_naming_its_story(
    tmp_path: Path,
) -> None:
    gold = [GOLD, art([ent("sco", "Organization", "SCO")], article=1),
            art([ent("xi", "Person", "Xi", wikidata="Q15031")], article=2),
            art([ent("un", "Organization", "United Nations")], source="long-name.txt")]
    pred = [PRED, art([ent("x", "Person", "Xi", wikidata="Q1")], article=2),
            art([], source="long-name.txt"), art([], source="b.txt")]
    assert format_misses(scored(tmp_path, gold, pred)) == "\n".join([
        "a.txt#1: no prediction; all 1 entities and 0 relations missed",
        "",
        "entity Country: 0 missed, 1 extra",
        "  extra   a.txt#0          Astana [p4]",
        "",
        "entity Organization: 2 missed, 0 extra",
        "  missed  a.txt#0          SCO [sco]",
        "  missed  long-name.txt#0  United Nations [un]",
        "",
        "entity Place: 1 missed, 0 extra",
        "  missed  a.txt#0          Astana [astana]",
        "",
        "relation holdsPosition: 0 missed, 1 extra",
        "  extra   a.txt#0          Vladimir Putin -> Astana",
        "",
        "relation memberOf: 1 missed, 0 extra",
        "  missed  a.txt#0          China -> SCO",
        "",
        "wrong Wikidata links: 1",
        "  wrong   a.txt#2          Xi: gold Q15031, predicted Q1",
        "",
        "b.txt#0: predicted, but not in the gold file (not scored)",
    ]) + "\n"


def test_several_sets_each_under_its_name(tmp_path: Path) -> None:
    perfect = scored(tmp_path, [GOLD], [GOLD])
    partial = scored(tmp_path, [GOLD], [art(GOLD["entities"], source="a.txt")])
    assert format_misses_of_sets([ScoredSet("seeds", perfect), ScoredSet("dev", partial)]) == (
        "Missed and extra in seeds:\n"
        "Nothing missed, nothing extra.\n"
        "\n"
        "Missed and extra in dev:\n"
        "relation holdsPosition: 1 missed, 0 extra\n"
        "  missed  a.txt#0  Xi Jinping -> China\n"
        "\n"
        "relation memberOf: 1 missed, 0 extra\n"
        "  missed  a.txt#0  China -> SCO\n"
        "\n"
        "relation met: 1 missed, 0 extra\n"
        "  missed  a.txt#0  Xi Jinping -> Vladimir Putin\n"
    )
    assert format_misses_of_sets([ScoredSet("seeds", perfect)]) == (
        "Nothing missed, nothing extra.\n"
    )
