"""Reading, checking and writing gold files; predictions in the gold format."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sco_graph.errors import GoldFormatError
from sco_graph.evaluate.gold import (
    ENTITY_TYPES,
    PREDICATES,
    GoldArticle,
    GoldEntity,
    GoldRelation,
    from_extraction,
    load_gold,
    write_gold,
)
from sco_graph.types import (
    Article,
    ArticleExtraction,
    Entity,
    EntityType,
    Evidence,
    Fact,
    Mention,
    Predicate,
)

XI = {"id": "xi", "type": "Person", "name": "Xi Jinping", "aliases": ["Xi"], "wikidata": "Q15031"}
SCO = {"id": "sco", "type": "Organization", "name": "Shanghai Cooperation Organisation",
       "aliases": ["SCO"], "wikidata": "Q485207"}
SUMMIT = {"id": "summit", "type": "Event", "name": "Astana summit", "aliases": []}
GOOD = {
    "source": "004.txt", "article": 2, "date": "2024-07-05", "title": "Xi in Astana",
    "entities": [XI, SCO, SUMMIT],
    "relations": [{"s": "xi", "p": "participatedIn", "o": "summit"}],
}


def write_lines(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def changed(**fields: Any) -> str:
    """GOOD with some fields replaced (`...` removes the field), as one JSON line."""
    record = {**GOOD, **fields}
    return json.dumps({k: v for k, v in record.items() if v is not ...})


def with_entity(**fields: Any) -> str:
    entity = {k: v for k, v in {**SUMMIT, **fields}.items() if v is not ...}
    return changed(entities=[XI, SCO, entity])


def with_relation(**fields: Any) -> str:
    relation = {"s": "xi", "p": "participatedIn", "o": "summit", **fields}
    return changed(relations=[{k: v for k, v in relation.items() if v is not ...}])


# --- load_gold ----------------------------------------------------------------


def test_load_reads_every_field(tmp_path: Path) -> None:
    path = write_lines(tmp_path, json.dumps(GOOD))
    assert load_gold(path) == [
        GoldArticle(
            source="004.txt", article=2, date="2024-07-05", title="Xi in Astana",
            entities=(
                GoldEntity("xi", ("Person",), "Xi Jinping", ("Xi",), "Q15031"),
                GoldEntity("sco", ("Organization",), "Shanghai Cooperation Organisation",
                           ("SCO",), "Q485207"),
                GoldEntity("summit", ("Event",), "Astana summit", (), None),
            ),
            relations=(GoldRelation("xi", "participatedIn", "summit"),),
        )
    ]


def test_types_list_role_status_and_optional_fields(tmp_path: Path) -> None:
    record = {
        "source": "a.txt", "article": 0,
        "entities": [
            {"id": "bri", "types": ["Initiative", "Document"], "name": "Belt and Road"},
            {"id": "kz", "type": "Country", "name": "Kazakhstan", "wikidata": None},
            {"id": "tok", "type": "Person", "name": "Tokayev"},
        ],
        "relations": [
            {"s": "tok", "p": "holdsPosition", "o": "kz", "role": "President", "status": None},
            {"s": "kz", "p": "supports", "o": "bri"},
        ],
    }
    [article] = load_gold(write_lines(tmp_path, json.dumps(record)))
    assert article.date is None and article.title is None
    assert article.entities == (
        GoldEntity("bri", ("Initiative", "Document"), "Belt and Road"),
        GoldEntity("kz", ("Country",), "Kazakhstan"),
        GoldEntity("tok", ("Person",), "Tokayev"),
    )
    assert article.relations == (
        GoldRelation("tok", "holdsPosition", "kz", role="President"),
        GoldRelation("kz", "supports", "bri"),
    )


def test_empty_lines_are_skipped_and_line_numbers_kept(tmp_path: Path) -> None:
    second = changed(article=3, entities=[{**XI, "type": "Persn"}], relations=[])
    path = write_lines(tmp_path, "", json.dumps(GOOD), "   ", second)
    with pytest.raises(GoldFormatError) as error:
        load_gold(path)
    assert str(error.value) == (
        f"{path}:4: entity 1 ('xi'): unknown type \"Persn\" (expected one of "
        "Person, Country, Organization, Document, Initiative, Event, Place)"
    )
    path = write_lines(tmp_path, "", json.dumps(GOOD), "")
    assert [a.key for a in load_gold(path)] == ["004.txt#2"]


TYPES = "Person, Country, Organization, Document, Initiative, Event, Place"
PREDS = ("holdsPosition, memberOf, chairs, proposed, supports, adopted, participatedIn, "
         "heldIn, partOf, met")
REL = "relation 1"
ENT = "entity 3 ('summit')"

BAD_LINES = [
    # The line, and the message after "path:1: ".
    ("{not json", "not valid JSON (Expecting property name enclosed in double quotes)"),
    ("[1, 2]", "expected a JSON object on each line"),
    (changed(source=...), "missing required field 'source'"),
    (changed(article=...), "missing required field 'article'"),
    (changed(entities=...), "missing required field 'entities'"),
    (changed(relations=...), "missing required field 'relations'"),
    (changed(text="…"), "unknown field 'text' (expected source, article, date, title, "
                        "entities, relations)"),
    (changed(source=""), "'source' must be a non-empty string, got \"\""),
    (changed(source=4), "'source' must be a non-empty string, got 4"),
    (changed(article=-1), "'article' must be an integer >= 0, got -1"),
    (changed(article=True), "'article' must be an integer >= 0, got true"),
    (changed(article="2"), "'article' must be an integer >= 0, got \"2\""),
    (changed(date="05.07.2024"), "'date' must be YYYY-MM-DD or null, got \"05.07.2024\""),
    (changed(date="2024-02-30"), "'date' must be YYYY-MM-DD or null, got \"2024-02-30\""),
    (changed(title=["a"]), "'title' must be a string or null, got [\"a\"]"),
    (changed(entities={"xi": XI}), "'entities' must be a list of objects"),
    (changed(relations=["xi met putin"]), "'relations' must be a list of objects"),
    (with_entity(id=...), "entity 3: 'id' must be a non-empty string, got null"),
    (with_entity(id=7), "entity 3: 'id' must be a non-empty string, got 7"),
    (with_entity(type=...), "entity 3 ('summit'): give exactly one of 'type' or 'types'"),
    (with_entity(types=["Event"]), "entity 3 ('summit'): give exactly one of 'type' or 'types'"),
    (with_entity(type=..., types=[]), "entity 3 ('summit'): 'types' must be a non-empty list, "
                                      "got []"),
    (with_entity(type=..., types="Event"), "entity 3 ('summit'): 'types' must be a non-empty "
                                           "list, got \"Event\""),
    (with_entity(type=..., types=["Event", "Event"]), "entity 3 ('summit'): 'types' lists a "
                                                      "type twice"),
    (with_entity(type="Meeting"), f"{ENT}: unknown type \"Meeting\" (expected one of {TYPES})"),
    (with_entity(type=..., types=["Event", "event"]), f"{ENT}: unknown type \"event\" "
                                                      f"(expected one of {TYPES})"),
    (with_entity(name=...), f"{ENT}: 'name' must be a string with a letter or digit, got null"),
    (with_entity(name=" – "), f"{ENT}: 'name' must be a string with a letter or digit, "
                              "got \" – \""),
    (with_entity(aliases="summit"), f"{ENT}: 'aliases' must be a list of strings with a "
                                    "letter or digit, got \"summit\""),
    (with_entity(aliases=["ok", 3]), f"{ENT}: 'aliases' must be a list of strings with a "
                                     "letter or digit, got [\"ok\", 3]"),
    (with_entity(aliases=["..."]), f"{ENT}: 'aliases' must be a list of strings with a "
                                   "letter or digit, got [\"...\"]"),
    (with_entity(wikidata="q123"), f"{ENT}: 'wikidata' must be an item id like Q485207, "
                                   "got \"q123\""),
    (with_entity(wikidata=123), f"{ENT}: 'wikidata' must be an item id like Q485207, got 123"),
    (with_entity(alias=["x"]), f"{ENT}: unknown field 'alias' (expected id, type, types, name, "
                               "aliases, wikidata)"),
    (with_entity(id="xi"), "duplicate entity id 'xi'"),
    (with_relation(p=...), f"{REL}: missing required field 'p'"),
    (with_relation(o=None), f"{REL}: 'o' must be a string, got null"),
    (with_relation(p="attended"), f"{REL}: unknown predicate \"attended\" (expected one of "
                                  f"{PREDS})"),
    (with_relation(s="putin"), f"{REL}: subject 'putin' is not an entity of this article"),
    (with_relation(o="astana"), f"{REL}: object 'astana' is not an entity of this article"),
    (with_relation(role=1), f"{REL}: 'role' must be a string or null, got 1"),
    (with_relation(status=True), f"{REL}: 'status' must be a string or null, got true"),
    (with_relation(source="x"), f"{REL}: unknown field 'source' (expected s, p, o, role, "
                                "status)"),
    (changed(relations=[{"s": "xi", "p": "participatedIn", "o": "summit", "role": "guest"},
                        {"s": "xi", "p": "participatedIn", "o": "summit"}]),
     "relation 2 (xi participatedIn summit) repeats relation 1"),
    (changed(entities=[XI, SCO, {**XI, "id": "putin", "name": "Putin"}],
             relations=[{"s": "xi", "p": "met", "o": "putin"},
                        {"s": "putin", "p": "met", "o": "xi"}]),
     "relation 2 (putin met xi) repeats relation 1"),
]


@pytest.mark.parametrize(("line", "message"), BAD_LINES)
def test_every_format_error_names_the_line_and_cause(
    tmp_path: Path, line: str, message: str
) -> None:
    path = write_lines(tmp_path, line)
    with pytest.raises(GoldFormatError) as error:
        load_gold(path)
    assert str(error.value) == f"{path}:1: {message}"


def test_duplicate_article_names_both_lines(tmp_path: Path) -> None:
    path = write_lines(tmp_path, json.dumps(GOOD), changed(article=0), changed(title="again"))
    with pytest.raises(GoldFormatError) as error:
        load_gold(path)
    assert str(error.value) == f"{path}:3: duplicate article 004.txt#2, first given on line 1"


def test_unreadable_files(tmp_path: Path) -> None:
    missing = tmp_path / "nope.jsonl"
    with pytest.raises(GoldFormatError) as error:
        load_gold(missing)
    assert str(error.value) == f"{missing}: cannot read (No such file or directory)"
    binary = tmp_path / "latin1.jsonl"
    binary.write_bytes(b'{"source": "caf\xe9"}\n')
    with pytest.raises(GoldFormatError) as error:
        load_gold(binary)
    assert str(error.value) == f"{binary}: not UTF-8 text"


def test_an_empty_file_has_no_articles(tmp_path: Path) -> None:
    assert load_gold(write_lines(tmp_path, "", "")) == []


def test_seed_file_loads() -> None:
    seeds = Path(__file__).resolve().parents[3] / "shared" / "gold" / "seeds.jsonl"
    if not seeds.is_file():
        pytest.skip(f"{seeds} is absent")
    articles = load_gold(seeds)
    assert len(articles) == 13
    assert [a.key for a in articles][:2] == ["000_36e8ee55338207d0.txt#0",
                                             "001_379da171dd1113d9.txt#0"]


# --- write_gold ---------------------------------------------------------------


def test_write_gold_exact_bytes(tmp_path: Path) -> None:
    record = GoldArticle(
        source="a.txt", article=0, date=None, title="Саммит ШОС",
        entities=(
            GoldEntity("bri", ("Initiative", "Document"), "Belt and Road"),
            GoldEntity("kz", ("Country",), "Kazakhstan", ("Qazaqstan",), "Q232"),
        ),
        relations=(GoldRelation("kz", "supports", "bri", role=None, status="member"),),
    )
    path = tmp_path / "out" / "pred.jsonl"
    write_gold([record], path)
    assert path.read_text(encoding="utf-8") == (
        '{"source": "a.txt", "article": 0, "date": null, "title": "Саммит ШОС", '
        '"entities": [{"id": "bri", "types": ["Initiative", "Document"], '
        '"name": "Belt and Road", "aliases": []}, {"id": "kz", "type": "Country", '
        '"name": "Kazakhstan", "aliases": ["Qazaqstan"], "wikidata": "Q232"}], '
        '"relations": [{"s": "kz", "p": "supports", "o": "bri", "status": "member"}]}\n'
    )
    assert load_gold(path) == [record]


def test_write_gold_replaces_atomically(tmp_path: Path) -> None:
    path = tmp_path / "pred.jsonl"
    path.write_text("old\n", encoding="utf-8")

    def failing() -> Any:
        yield GoldArticle("a.txt", 0, None, None)
        raise RuntimeError("pipeline died")

    with pytest.raises(RuntimeError):
        write_gold(failing(), path)
    assert path.read_text(encoding="utf-8") == "old\n"
    write_gold([GoldArticle("a.txt", 0, None, None)], path)
    assert path.read_text(encoding="utf-8") == (
        '{"source": "a.txt", "article": 0, "date": null, "title": null, '
        '"entities": [], "relations": []}\n'
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pred.jsonl"]


def test_seed_file_round_trips(tmp_path: Path) -> None:
    seeds = Path(__file__).resolve().parents[3] / "shared" / "gold" / "seeds.jsonl"
    if not seeds.is_file():
        pytest.skip(f"{seeds} is absent")
    copy = tmp_path / "copy.jsonl"
    write_gold(load_gold(seeds), copy)
    assert load_gold(copy) == load_gold(seeds)
    # The seeds are written in the format's own key order, so even the bytes agree.
    assert copy.read_text(encoding="utf-8") == seeds.read_text(encoding="utf-8")


NAMES = st.sampled_from(["Xi Jinping", "Xi", "the SCO", "S.C.O.", "Astana", "Алматы", "北京"])


@st.composite
def gold_articles(draw: st.DrawFn) -> list[GoldArticle]:
    articles = []
    for index in range(draw(st.integers(0, 3))):
        n = draw(st.integers(0, 5))
        entities = tuple(
            GoldEntity(
                id=f"e{i}",
                types=tuple(draw(st.lists(st.sampled_from(ENTITY_TYPES), min_size=1,
                                          max_size=2, unique=True))),
                name=draw(NAMES),
                aliases=tuple(draw(st.lists(NAMES, max_size=2))),
                wikidata=draw(st.none() | st.integers(1, 99).map(lambda q: f"Q{q}")),
            )
            for i in range(n)
        )
        relations = tuple(
            GoldRelation(f"e{s}", p, f"e{o}", role=draw(st.none() | st.just("President")))
            for s, p, o in draw(st.lists(
                st.tuples(st.integers(0, n - 1), st.sampled_from(PREDICATES),
                          st.integers(0, n - 1)),
                max_size=4, unique_by=lambda t: (t[1], min(t[0], t[2]), max(t[0], t[2])),
            ) if n else st.just([]))
        )
        articles.append(GoldArticle("s.txt", index, draw(st.none() | st.just("2024-07-04")),
                                    draw(st.none() | st.just("Title")), entities, relations))
    return articles


@settings(max_examples=60, deadline=None)
@given(gold_articles())
def test_write_then_load_gives_the_same_records(tmp_path_factory: Any, articles: Any) -> None:
    path = tmp_path_factory.mktemp("round") / "g.jsonl"
    write_gold(articles, path)
    assert load_gold(path) == articles


# --- from_extraction ----------------------------------------------------------


def evidence() -> Evidence:
    return Evidence("a.txt#1", "Xi met Putin.", 0, 13, "pattern:met", 0.9)


def test_from_extraction() -> None:
    article = Article("a.txt", 1, "Xi met Putin in Astana.", title="Xi meets Putin",
                      date=dt.date(2024, 7, 4))
    xi = Entity("xi_jinping", EntityType.PERSON, "Xi Jinping", aliases=("Xi", "President Xi"),
                wikidata="Q15031", known=True,
                mentions=(Mention("Xi", 0, 2, 0, "gazetteer"),
                          Mention("the Chinese leader", 30, 48, 1, "pattern:leader")))
    putin = Entity("putin", EntityType.PERSON, "Vladimir Putin",
                   mentions=(Mention("Putin", 7, 12, 0, "model:PERSON"),))
    china = Entity("china", EntityType.COUNTRY, "China", wikidata="Q148")
    facts = (
        Fact("xi_jinping", Predicate.MET, "putin", evidence()),
        Fact("putin", Predicate.MET, "xi_jinping", evidence()),  # the same meeting
        Fact("xi_jinping", Predicate.HOLDS_POSITION, "china", evidence(), role="President"),
        Fact("xi_jinping", Predicate.HOLDS_POSITION, "china", evidence(), role="Chairman"),
    )
    gold = from_extraction(ArticleExtraction(article, (xi, putin, china), facts))
    assert gold == GoldArticle(
        source="a.txt", article=1, date="2024-07-04", title="Xi meets Putin",
        entities=(
            GoldEntity("xi_jinping", ("Person",), "Xi Jinping",
                       ("Xi", "President Xi", "the Chinese leader"), "Q15031"),
            GoldEntity("putin", ("Person",), "Vladimir Putin", ("Putin",), None),
            GoldEntity("china", ("Country",), "China", (), "Q148"),
        ),
        relations=(
            GoldRelation("xi_jinping", "met", "putin"),
            GoldRelation("xi_jinping", "holdsPosition", "china", role="President"),
        ),
    )


def test_from_extraction_refuses_a_fact_about_an_unknown_entity() -> None:
    article = Article("a.txt", 0, "Xi spoke.")
    xi = Entity("xi", EntityType.PERSON, "Xi")
    fact = Fact("xi", Predicate.MEMBER_OF, "sco", evidence())
    with pytest.raises(GoldFormatError) as error:
        from_extraction(ArticleExtraction(article, (xi,), (fact,)))
    assert str(error.value) == (
        "a.txt#0: fact xi memberOf sco: object 'sco' is not an entity of the article"
    )


def test_predictions_written_and_read_back(tmp_path: Path) -> None:
    article = Article("b.txt", 0, "SCO")
    sco = Entity("sco", EntityType.ORGANIZATION, "SCO", aliases=("SCO", "the SCO", "ШОС"))
    path = tmp_path / "pred.jsonl"
    write_gold([from_extraction(ArticleExtraction(article, (sco,)))], path)
    assert load_gold(path) == [
        GoldArticle("b.txt", 0, None, None, (GoldEntity("sco", ("Organization",), "SCO",
                                                        ("ШОС",)),))
    ]


def test_written_file_is_readable_by_others(tmp_path: Path) -> None:
    path = tmp_path / "pred.jsonl"
    write_gold([], path)
    assert path.read_text(encoding="utf-8") == ""
    assert path.stat().st_mode & 0o777 == 0o644
