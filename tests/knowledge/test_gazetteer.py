"""The shipped gazetteer (sco_graph/data/gazetteer.jsonl) and the loader's checks on bad ones."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sco_graph.errors import DataError
from sco_graph.knowledge.gazetteer import (
    GAZETTEER_FILE,
    Gazetteer,
    GazetteerEntry,
    default_gazetteer,
    is_acronym,
    read_gazetteer,
)
from sco_graph.names import normalise
from sco_graph.resources import data_dir
from sco_graph.types import EntityType

REPO = Path(__file__).resolve().parents[2]
SHIPPED = data_dir() / GAZETTEER_FILE
GOLD = REPO.parent / "shared" / "gold" / "seeds.jsonl"

MEMBERSHIP_STATUSES = {"member", "observer", "dialogue partner", "acceding", "associate member"}
SCO_MEMBERS = {
    "china", "russia", "kazakhstan", "kyrgyzstan", "tajikistan", "uzbekistan",
    "india", "pakistan", "iran", "belarus",
}


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return read_gazetteer(SHIPPED)


@pytest.fixture(scope="module")
def records() -> list[dict]:
    lines = SHIPPED.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip() and not line.startswith("//")]


def only(gazetteer: Gazetteer, name: str) -> GazetteerEntry:
    found = gazetteer.lookup(name)
    assert len(found) == 1, f"{name!r} names {[e.id for e in found]}"
    return found[0]


def parse_date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


# --- the shipped file is well formed --------------------------------------------------------


def test_shipped_gazetteer_loads_every_record(gazetteer, records):
    assert len(gazetteer) == len(records)
    assert len(gazetteer) > 300


def test_default_gazetteer_is_the_shipped_file(gazetteer):
    assert [e.id for e in default_gazetteer()] == [e.id for e in gazetteer]


def test_entry_ids_are_unique(records):
    repeated = [i for i, n in Counter(r["id"] for r in records).items() if n > 1]
    assert repeated == []


def test_every_wikidata_id_is_well_formed_and_used_once(gazetteer):
    ids = [e.wikidata for e in gazetteer if e.wikidata]
    assert len(ids) > 150
    assert all(re.fullmatch(r"Q[1-9][0-9]*", q) for q in ids)
    assert [q for q, n in Counter(ids).items() if n > 1] == []


def test_every_entry_says_where_it_was_checked(gazetteer, records):
    assert [e.id for e in gazetteer if not e.source.strip()] == []
    for record in records:
        if "wikidata" in record:
            assert record["source"].startswith(f"wikidata:{record['wikidata']} ("), record["id"]
        else:
            assert "wikidata id not verified" in record.get("note", ""), record["id"]


def test_no_name_is_shared_by_two_entries(gazetteer):
    owners: dict[str, set[str]] = defaultdict(set)
    for entry in gazetteer:
        for name in entry.names:
            owners[normalise(name)].add(entry.id)
    assert {name: ids for name, ids in owners.items() if len(ids) > 1} == {}


def test_demonyms_belong_to_one_country_each(gazetteer):
    owners: dict[str, set[str]] = defaultdict(set)
    for entry in gazetteer:
        for demonym in entry.demonyms:
            owners[normalise(demonym)].add(entry.id)
        if entry.demonyms:
            assert entry.type is EntityType.COUNTRY, entry.id
    assert {d: ids for d, ids in owners.items() if len(ids) > 1} == {}


def test_case_sensitive_aliases_are_names_of_their_entry(gazetteer):
    stray = {e.id: c for e in gazetteer for c in e.case_sensitive if c not in e.names}
    assert stray == {}


@pytest.mark.parametrize(
    ("alias", "entry_id"),
    [
        ("ECO", "eco"), ("CIS", "cis"), ("UN", "un"), ("WHO", "who"),
        ("RATS", "sco_rats"), ("SCO", "sco"),
    ],
)
def test_acronyms_that_are_words_match_by_exact_case(gazetteer, alias, entry_id):
    entry = gazetteer[entry_id]
    assert alias in entry.case_sensitive
    assert is_acronym(alias)


def test_capitals_are_places_inside_their_country(gazetteer):
    for country in gazetteer:
        if country.capital:
            capital = gazetteer[country.capital]
            assert (capital.type, capital.part_of) == (EntityType.PLACE, country.id), country.id


def test_every_sco_member_country_has_a_capital(gazetteer):
    assert {i for i in SCO_MEMBERS if gazetteer[i].capital is None} == set()


def test_part_of_chains_end(gazetteer):
    for entry in gazetteer:
        seen = {entry.id}
        current = entry
        while current.part_of:
            assert current.part_of not in seen, f"part_of cycle through {entry.id}"
            seen.add(current.part_of)
            current = gazetteer[current.part_of]


def test_memberships_name_organizations_with_known_statuses(gazetteer):
    for entry in gazetteer:
        for membership in entry.memberships:
            assert gazetteer[membership.of].type is EntityType.ORGANIZATION, entry.id
            assert membership.status in MEMBERSHIP_STATUSES, entry.id
            if membership.since:
                parse_date(membership.since)


def test_roles_name_countries_or_organizations_with_ordered_dates(gazetteer):
    holders = {EntityType.COUNTRY, EntityType.ORGANIZATION}
    for entry in gazetteer:
        if entry.roles:
            assert entry.type is EntityType.PERSON, entry.id
        for role in entry.roles:
            assert gazetteer[role.of].type in holders, entry.id
            if role.start and role.end:
                assert parse_date(role.start) <= parse_date(role.end), entry.id
            elif role.start or role.end:
                parse_date(role.start or role.end)


# --- look-ups a user relies on --------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["Shanghai Cooperation Organization", "Shanghai Cooperation Organisation", "SCO"]
)
def test_the_sco_by_any_of_its_names(gazetteer, name):
    sco = only(gazetteer, name)
    assert (sco.id, sco.type, sco.wikidata) == ("sco", EntityType.ORGANIZATION, "Q485207")


@pytest.mark.parametrize("name", ["Republic of Kazakhstan", "Kazakhstan", "KAZAKHSTAN"])
def test_kazakhstan_by_its_official_name(gazetteer, name):
    assert (only(gazetteer, name).id, only(gazetteer, name).wikidata) == ("kazakhstan", "Q232")


@pytest.mark.parametrize(
    ("name", "entry_id", "qid"),
    [
        ("People's Republic of China", "china", "Q148"),
        ("People’s Republic of China", "china", "Q148"),
        ("Russian Federation", "russia", "Q159"),
        ("Republic of Belarus", "belarus", "Q184"),
        ("Kyrgyz Republic", "kyrgyzstan", "Q813"),
        ("Islamic Republic of Iran", "iran", "Q794"),
        ("UAE", "uae", "Q878"),
        ("Lao PDR", "laos", "Q819"),
    ],
)
def test_countries_by_official_and_short_names(gazetteer, name, entry_id, qid):
    entry = only(gazetteer, name)
    assert (entry.id, entry.type, entry.wikidata) == (entry_id, EntityType.COUNTRY, qid)


def test_turkiye_turkiye_and_turkey_are_one_country(gazetteer):
    found = {only(gazetteer, n).id for n in ("Türkiye", "Turkiye", "Turkey", "Republic of Türkiye")}
    assert found == {"turkey"}
    assert gazetteer["turkey"].wikidata == "Q43"


@pytest.mark.parametrize(
    ("demonym", "country_id"),
    [
        ("Kazakh", "kazakhstan"),
        ("Kazakhstani", "kazakhstan"),
        ("Chinese", "china"),
        ("Russian", "russia"),
        ("Kyrgyz", "kyrgyzstan"),
        ("Uzbek", "uzbekistan"),
        ("Tajik", "tajikistan"),
        ("Belarusian", "belarus"),
        ("Turkish", "turkey"),
        ("Emirati", "uae"),
    ],
)
def test_demonyms_name_their_country(gazetteer, demonym, country_id):
    assert gazetteer.country_of_demonym(demonym) == gazetteer[country_id]


def test_an_adjective_that_is_no_demonym_names_no_country(gazetteer):
    assert gazetteer.country_of_demonym("Eurasian") is None


def test_moscow_region_is_moscow_oblast(gazetteer):
    oblast = only(gazetteer, "Moscow region")
    assert (oblast.id, oblast.type, oblast.wikidata, oblast.part_of) == (
        "moscow_oblast", EntityType.PLACE, "Q1697", "russia")


def test_nur_sultan_is_astana_the_capital_of_kazakhstan(gazetteer):
    astana = only(gazetteer, "Nur-Sultan")
    assert (astana.id, astana.wikidata) == ("astana", "Q1520")
    assert gazetteer["kazakhstan"].capital == "astana"


def test_eurasian_continent_is_eurasia(gazetteer):
    assert only(gazetteer, "Eurasian continent").wikidata == "Q5401"


def test_rats_executive_committee_is_part_of_rats_which_is_part_of_the_sco(gazetteer):
    committee = only(gazetteer, "Executive Committee of the SCO RATS")
    rats = gazetteer[committee.part_of]
    assert (committee.id, rats.id, rats.part_of) == ("sco_rats_ec", "sco_rats", "sco")
    assert only(gazetteer, "Regional Anti-Terrorist Structure") == rats


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("Heads of State Council", "sco_chs"),
        ("Council of Heads of State of the SCO member states", "sco_chs"),
        ("Foreign Ministers’ Council", "sco_cfm"),
        ("SCO Secretariat", "sco_secretariat"),
        ("SCO Business Council", "sco_business_council"),
        ("SCO Interbank Consortium", "sco_interbank"),
        ("SCO Youth Council", "sco_youth_council"),
    ],
)
def test_sco_organs_are_part_of_the_sco(gazetteer, name, body):
    entry = only(gazetteer, name)
    assert (entry.id, entry.part_of) == (body, "sco")


@pytest.mark.parametrize(
    ("name", "parent"),
    [("UN Security Council", "un"), ("UNDP", "un"), ("Eurasian Economic Commission", "eaeu"),
     ("CSTO Collective Security Council", "csto")],
)
def test_other_organs_name_their_parent(gazetteer, name, parent):
    assert only(gazetteer, name).part_of == parent


@pytest.mark.parametrize(
    "names",
    [
        ("Sergey Lavrov", "Sergei Lavrov"),
        ("Syarhey Aleynik", "Sergei Aleinik", "Syarhey Aleinik"),
        ("Shavkat Mirziyoyev", "Mirziyoev", "Mirziyoyev"),
        ("Kassym-Jomart Tokayev", "Tokayev", "Tokaev"),
        ("Recep Tayyip Erdoğan", "Recep Tayyip Erdogan"),
        ("Kazinform News Agency", "Kazinform"),
        ("Xinhua News Agency", "Xinhua"),
    ],
)
def test_spelling_variants_name_one_entry(gazetteer, names):
    assert len({only(gazetteer, n).id for n in names}) == 1


def test_sco_membership_is_background_knowledge(gazetteer):
    status = {
        e.id: m for e in gazetteer for m in e.memberships if m.of == "sco"
    }
    assert {i for i, m in status.items() if m.status == "member"} == SCO_MEMBERS
    assert {i for i, m in status.items() if m.status == "observer"} == {"afghanistan", "mongolia"}
    assert (status["belarus"].since, status["iran"].since, status["india"].since) == (
        "2024-07-04", "2023-07-04", "2017-06-09")
    assert "turkmenistan" not in status


def test_heads_of_state_hold_their_office(gazetteer):
    tokayev = only(gazetteer, "Tokayev")
    assert [(r.role, r.of, r.start, r.end) for r in tokayev.roles] == [
        ("President", "kazakhstan", "2019-03-20", None)]
    assert [(r.role, r.of) for r in only(gazetteer, "Zhang Ming").roles] == [
        ("Secretary-General", "sco")]
    assert only(gazetteer, "Ruslan Mirzaev").roles[0].of == "sco_rats_ec"


@settings(max_examples=150, deadline=None, derandomize=True)
@given(data=st.data())
def test_lookup_ignores_case_spacing_and_a_leading_the(gazetteer, data):
    entry = data.draw(st.sampled_from(list(gazetteer)))
    name = data.draw(st.sampled_from(entry.names))
    variant = data.draw(st.sampled_from([name.upper(), name.lower(), f"  {name} ", f"The {name}"]))
    assert entry in gazetteer.lookup(variant)


# --- agreement with the gold annotations ----------------------------------------------------


def test_gold_wikidata_ids_are_the_gazetteer_ids(gazetteer):
    if not GOLD.is_file():
        pytest.skip(f"{GOLD} is absent")
    disagreements = {}
    checked = 0
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        for entity in json.loads(line)["entities"]:
            if "wikidata" not in entity:
                continue
            checked += 1
            names = [entity["name"], *entity.get("aliases", [])]
            ours = {e.wikidata for n in names for e in gazetteer.lookup(n)}
            if entity["wikidata"] not in ours:
                disagreements[entity["name"]] = (entity["wikidata"], *sorted(q for q in ours if q))
    assert checked > 20
    assert disagreements == {}


# --- malformed files name the file and line -------------------------------------------------

GOOD_LINE = '{"id": "kazakhstan", "type": "Country", "name": "Kazakhstan", "wikidata": "Q232"}'
ORPHAN_LINE = '{"id": "rats", "type": "Organization", "name": "RATS", "part_of": "sco"}'


def write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / GAZETTEER_FILE
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def load_error(path: Path) -> str:
    with pytest.raises(DataError) as caught:
        read_gazetteer(path)
    return str(caught.value)


def test_bad_type_names_file_and_line(tmp_path):
    path = write(tmp_path, "// comment", GOOD_LINE, '{"id": "x", "type": "Nation", "name": "X"}')
    assert load_error(path).startswith(f"{path}:3: type 'Nation' is not one of Person, Country,")


def test_bad_wikidata_id_names_file_and_line(tmp_path):
    path = write(tmp_path, '{"id": "x", "type": "Country", "name": "X", "wikidata": "Q0232"}')
    assert load_error(path) == f"{path}:1: wikidata 'Q0232' is not an id like 'Q232'"


def test_bad_json_names_file_and_line(tmp_path):
    path = write(tmp_path, GOOD_LINE, "", '{"id": "x", "type": ')
    assert load_error(path).startswith(f"{path}:3: not valid JSON (")


def test_duplicate_id_is_refused(tmp_path):
    path = write(tmp_path, GOOD_LINE, GOOD_LINE)
    assert load_error(path).endswith("entry id 'kazakhstan' is used twice")


def test_unknown_part_of_target_is_refused(tmp_path):
    path = write(tmp_path, ORPHAN_LINE)
    assert load_error(path).endswith("entry 'rats' refers to unknown entry 'sco'")


# Duplicate ids and dangling references are found after parsing: the entry keeps its path:line.
@pytest.mark.parametrize(
    ("lines", "line_number"),
    [
        ((GOOD_LINE, GOOD_LINE), 2),
        ((ORPHAN_LINE,), 1),
    ],
)
def test_whole_file_errors_name_file_and_line(tmp_path, lines, line_number):
    path = write(tmp_path, *lines)
    assert load_error(path).startswith(f"{path}:{line_number}: ")


def test_a_city_lies_within_its_country_and_a_body_within_its_organisation(gazetteer):
    assert gazetteer.is_within("astana", "kazakhstan")
    assert gazetteer.is_within("astana", "astana")
    assert not gazetteer.is_within("kazakhstan", "astana")
    assert gazetteer.is_within("sco_rats_ec", "sco")
    assert not gazetteer.is_within("astana", "china")
