"""`sco-graph show` and `sco_graph.show`: what the graph says about one entity."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from builders import build_graph, new_graph
from click.testing import CliRunner
from conftest import CORPUS

import sco_graph
from sco_graph.cli import main
from sco_graph.errors import EntityError
from sco_graph.query.entity_view import EntityView, ViewLine, every_view, format_view, show
from sco_graph.types import Article, ArticleExtraction, Entity, EntityType, Mention

MET = "Kazakh President Kassym-Jomart Tokayev met Chinese President Xi Jinping in Astana."


def test_a_person_posts_meetings_and_events_with_date_story_and_sentence() -> None:
    assert format_view(show(build_graph(), "Tokayev")).splitlines() == [
        "Kassym-Jomart Tokayev (Person, person:kassym-jomart-tokayev, Wikidata Q305917)",
        "",
        "Posts (1)",
        "  2024-07-04  001_a.txt#0  President of Kazakhstan",
        f"      {MET}",
        "",
        "Meetings (1)",
        "  2024-07-04  001_a.txt#0  met Xi Jinping",
        f"      {MET}",
        "",
        "Events attended (1)",
        "  no date     002_b.txt#0  attended SCO summit",
        "      President Tokayev attended the SCO summit.",
    ]


def test_a_country_posts_in_it_memberships_and_proposals() -> None:
    assert format_view(show(build_graph(), "country:kazakhstan")).splitlines() == [
        "Kazakhstan (Country, country:kazakhstan, Wikidata Q232)",
        "",
        "Posts (1)",
        "  2024-07-04  001_a.txt#0  Kassym-Jomart Tokayev: President",
        f"      {MET}",
        "",
        "Memberships (1)",
        "  2024-07-05  002_b.txt#1  member of Shanghai Cooperation Organisation",
        "      Kazakhstan is a member of the SCO.",
        "",
        "Proposed (1)",
        "  2023-07-04  005_d.txt#0  proposed SCO Anti-Drug Strategy for 2024-2029",
        "      Kazakhstan proposed the SCO Anti-Drug Strategy for 2024-2029.",
    ]


def test_an_organisation_its_members_with_their_status_by_date() -> None:
    assert format_view(show(build_graph(), "SCO")).splitlines()[2:] == [
        "Memberships (2)",
        "  2023-07-04  005_d.txt#0  has member Belarus (acceding)",
        "      Belarus will join the SCO soon.",
        "  2024-07-05  002_b.txt#1  has member Kazakhstan",
        "      Kazakhstan is a member of the SCO.",
    ]


def test_an_event_what_it_adopted_who_attended_and_where() -> None:
    assert format_view(show(build_graph(), "SCO summit")).splitlines() == [
        "SCO summit (Event, event:sco-summit)",
        "",
        "Adopted (1)",
        "  2023-07-04  005_d.txt#0  adopted Astana Declaration",
        "      The SCO summit adopted the Astana Declaration.",
        "",
        "Events attended (1)",
        "  no date     002_b.txt#0  attended by Kassym-Jomart Tokayev",
        "      President Tokayev attended the SCO summit.",
        "",
        "Places (1)",
        "  no date     002_b.txt#0  held in Astana",
        "      The SCO summit was held in Astana.",
    ]


def test_the_other_side_of_proposals_support_and_adoption() -> None:
    graph = build_graph()
    assert [g.title for g in show(graph, "One Earth").groups] == ["Supported"]
    assert show(graph, "One Earth").groups[0].lines[0].text == "supported by China"
    assert show(graph, "Astana Declaration").groups[0].lines[0].text == "adopted by SCO summit"
    assert show(graph, "Astana").groups[0].lines[0].text == "place of SCO summit"


def test_the_library_call_returns_plain_dataclasses() -> None:
    view = sco_graph.show(build_graph(), "Xi Jinping")
    assert isinstance(view, EntityView)
    assert view.groups[0].lines == (ViewLine(
        relation="met", inverse=True, text="met Kassym-Jomart Tokayev",
        other="https://w3id.org/sco-graph/person/kassym-jomart-tokayev",
        other_label="Kassym-Jomart Tokayev", detail=None, start=None, end=None,
        date=dt.date(2024, 7, 4), story="001_a.txt#0", sentence=MET),)


def test_every_view_is_each_entitys_view_from_one_query() -> None:
    graph = build_graph()
    graph.add_article(_another_xi())  # an entity with no facts: a view with no groups
    views = every_view(graph)
    assert views == [show(graph, entity.iri) for entity in graph.entities()]
    assert [v.label for v in views if not v.groups] == ["Xi Mingze"]


def test_an_entity_with_no_facts() -> None:
    graph = new_graph()
    graph.add_article(_another_xi())
    assert format_view(show(graph, "Xi Mingze")) == (
        "Xi Mingze (Person, person:xi-mingze)\n  no facts state anything about it\n")


def test_an_unknown_name_lists_the_names_that_contain_it() -> None:
    with pytest.raises(EntityError) as error:
        show(build_graph(), "Tokay")
    assert str(error.value) == ("'Tokay': no entity has this name; did you mean "
                                "Kassym-Jomart Tokayev (Person, person:kassym-jomart-tokayev)?")
    with pytest.raises(EntityError, match=r"^'Nobody': no entity has this name; "
                                          r"`sco-graph entities GRAPH` lists them$"):
        show(build_graph(), "Nobody")


def test_an_ambiguous_name_lists_the_candidates_with_their_iris() -> None:
    graph = build_graph()
    graph.add_article(_another_xi())
    with pytest.raises(EntityError) as error:
        show(graph, "Xi")
    assert str(error.value) == (
        "'Xi': names 2 entities: Xi Jinping (Person, person:xi-jinping); "
        "Xi Mingze (Person, person:xi-mingze); give one of these IRIs instead")
    assert show(graph, "person:xi-mingze").label == "Xi Mingze"


def test_cli_show_text_and_json(tmp_path) -> None:
    graph = build_graph()
    graph.save(tmp_path / "g")
    folder = tmp_path / "g"
    text = CliRunner().invoke(main, ["show", str(folder), "Tokayev"])
    assert text.exit_code == 0, text.output
    assert text.stdout == format_view(show(folder, "Tokayev"))
    data = json.loads(CliRunner().invoke(main, ["show", str(folder), "Tokayev",
                                                "--format", "json"]).stdout)
    assert [g["title"] for g in data["groups"]] == ["Posts", "Meetings", "Events attended"]
    assert data["groups"][0]["lines"][0]["date"] == "2024-07-04"


def test_cli_show_an_ambiguous_name_is_one_line_and_exit_1(tmp_path) -> None:
    graph = build_graph()
    graph.add_article(_another_xi())
    graph.save(tmp_path / "g")
    result = CliRunner().invoke(main, ["show", str(tmp_path / "g"), "Xi"])
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: 'Xi': names 2 entities: Xi Jinping (Person, person:xi-jinping); "
        "Xi Mingze (Person, person:xi-mingze); give one of these IRIs instead\n")


@pytest.mark.slow
def test_show_tokayev_on_the_corpus() -> None:
    graph = sco_graph.build([CORPUS], None).graph
    view = show(graph, "Tokayev")
    assert view.label == "Kassym-Jomart Tokayev"
    assert view.groups[0].title == "Posts"
    posts = next(g for g in view.groups if g.title == "Posts")
    assert {line.text for line in posts.lines} == {"President of Kazakhstan"}
    assert all(line.story and line.sentence for g in view.groups for line in g.lines)
    meetings = next(g for g in view.groups if g.title == "Meetings")
    assert "met Vladimir Putin" in {line.text for line in meetings.lines}
    # twelve meetings read from one sentence: it is printed once, cut to the line
    text = format_view(view)
    assert text.count("      Those attending the meeting are the Minister") == 1
    assert max(len(line) for line in text.splitlines() if line.startswith("      ")) <= 100


def _another_xi() -> ArticleExtraction:
    text = "Xi Mingze spoke. Xi left."
    return ArticleExtraction(
        Article("006_e.txt", 0, text),
        entities=(Entity("xm", EntityType.PERSON, "Xi Mingze", aliases=("Xi",),
                         mentions=(Mention("Xi Mingze", 0, 9, 0, "test"),
                                   Mention("Xi", 17, 19, 1, "test"))),),
        facts=(),
    )
