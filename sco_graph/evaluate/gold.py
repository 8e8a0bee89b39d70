"""Gold annotation files: reading, writing, and turning extractions into them.

The format is ../shared/gold/FORMAT.md: JSON Lines, one story per line, with
its entities and the relations between them. `load_gold` is strict, because
a typo in a gold file (an unknown type, a relation to an entity id that does
not exist) would otherwise silently lower every score computed from it. The
same format carries our predictions (`from_extraction`, `write_gold`), so a
run can be scored again later, or used as a baseline, without the pipeline.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sco_graph.atomic import atomic_write
from sco_graph.errors import DataError, GoldFormatError
from sco_graph.jsonl import read_jsonl
from sco_graph.names import normalise
from sco_graph.types import ArticleExtraction, EntityType, Predicate

ENTITY_TYPES: tuple[str, ...] = tuple(t.value for t in EntityType)
PREDICATES: tuple[str, ...] = tuple(p.value for p in Predicate)

_ARTICLE_FIELDS = ("source", "article", "date", "title", "entities", "relations")
_REQUIRED_ARTICLE_FIELDS = ("source", "article", "entities", "relations")
_ENTITY_FIELDS = ("id", "type", "types", "name", "aliases", "wikidata")
_RELATION_FIELDS = ("s", "p", "o", "role", "status")
_WIKIDATA_ID = re.compile(r"^Q[1-9][0-9]*$")
_SYMMETRIC = frozenset({Predicate.MET.value})  # listed once, either direction


@dataclass(frozen=True, slots=True)
class GoldEntity:
    """One entity a story names: every type that is right for it, every name it goes by."""

    id: str
    types: tuple[str, ...]  # one or more of ENTITY_TYPES; `type` in the file when one
    name: str
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """The canonical name followed by every alias."""
        return (self.name, *self.aliases)


@dataclass(frozen=True, slots=True)
class GoldRelation:
    """A relation between two entities of the same story, by entity id."""

    s: str
    p: str  # one of PREDICATES
    o: str
    role: str | None = None  # not scored
    status: str | None = None  # not scored


@dataclass(frozen=True, slots=True)
class GoldArticle:
    """One story of a gold (or predictions) file."""

    source: str
    article: int
    date: str | None
    title: str | None
    entities: tuple[GoldEntity, ...] = ()
    relations: tuple[GoldRelation, ...] = ()

    @property
    def key(self) -> str:
        """`source#article`, as `Article.key` spells it."""
        return f"{self.source}#{self.article}"


def load_gold(path: str | os.PathLike[str]) -> list[GoldArticle]:
    """Read and check a gold file; any departure from FORMAT.md is a GoldFormatError.

    Every error names the file and line: `gold.jsonl:3: entity 'xi': unknown type 'Persn' …`.
    """
    file = Path(path)
    records: list[GoldArticle] = []
    first_line: dict[tuple[str, int], int] = {}
    try:
        for number, raw in read_jsonl(file):
            where = f"{file}:{number}"
            record = _article(raw, where)
            pair = (record.source, record.article)
            if pair in first_line:
                raise GoldFormatError(
                    f"{where}: duplicate article {record.key}, "
                    f"first given on line {first_line[pair]}"
                )
            first_line[pair] = number
            records.append(record)
    except DataError as error:  # read_jsonl's "not JSON" / "not an object"
        raise GoldFormatError(str(error)) from None
    except UnicodeDecodeError:
        raise GoldFormatError(f"{file}: not UTF-8 text") from None
    except OSError as error:
        raise GoldFormatError(f"{file}: cannot read ({error.strerror or error})") from None
    return records


def write_gold(records: Iterable[GoldArticle], path: str | os.PathLike[str]) -> None:
    """Write records as JSON Lines, in the given order, atomically.

    Keys come in the order of FORMAT.md; `type` is written for one type and
    `types` for several; `wikidata`, `role` and `status` only when known.
    """
    lines = [json.dumps(_article_json(record), ensure_ascii=False) + "\n" for record in records]
    with atomic_write(Path(path)) as handle:
        handle.writelines(lines)


def from_extraction(extraction: ArticleExtraction) -> GoldArticle:
    """What the pipeline found in one article, in the gold format.

    Entity ids are `Entity.key`. Aliases are the entity's aliases followed by
    the surface forms of its mentions (FORMAT.md's aliases are "surface forms
    the text uses"), each name kept once by its normalised key. Facts become
    relations, one per (subject, predicate, object) - `met` in either
    direction counts once - keeping the role/status of the first.
    """
    article = extraction.article
    entities = tuple(
        GoldEntity(
            id=entity.key,
            types=(EntityType(entity.type).value,),
            name=entity.name,
            aliases=_distinct(entity.name, (*entity.aliases, *(m.text for m in entity.mentions))),
            wikidata=entity.wikidata or None,
        )
        for entity in extraction.entities
    )
    known = {entity.id for entity in entities}
    relations: list[GoldRelation] = []
    seen: set[tuple[str, str, str]] = set()
    for fact in extraction.facts:
        for end, label in ((fact.subject, "subject"), (fact.object, "object")):
            if end not in known:
                raise GoldFormatError(
                    f"{article.key}: fact {fact.subject} {fact.predicate} {fact.object}: "
                    f"{label} '{end}' is not an entity of the article"
                )
        relation = GoldRelation(
            s=fact.subject, p=Predicate(fact.predicate).value, o=fact.object,
            role=fact.role, status=fact.status,
        )
        if relation_key(relation) in seen:
            continue
        seen.add(relation_key(relation))
        relations.append(relation)
    return GoldArticle(
        source=article.source,
        article=article.index,
        date=article.date.isoformat() if article.date else None,
        title=article.title,
        entities=entities,
        relations=tuple(relations),
    )


def relation_key(relation: GoldRelation) -> tuple[str, str, str]:
    """(predicate, subject, object), with the ends of a symmetric relation in sorted order."""
    s, o = relation.s, relation.o
    if relation.p in _SYMMETRIC and o < s:
        s, o = o, s
    return relation.p, s, o


def is_symmetric(predicate: str) -> bool:
    """True for predicates listed once but true in either direction (`met`)."""
    return predicate in _SYMMETRIC


# --- reading -----------------------------------------------------------------


def _article(raw: dict[str, Any], where: str) -> GoldArticle:
    _check_fields(raw, _ARTICLE_FIELDS, where)
    for name in _REQUIRED_ARTICLE_FIELDS:
        if name not in raw:
            raise GoldFormatError(f"{where}: missing required field '{name}'")
    source = raw["source"]
    if not isinstance(source, str) or not source.strip():
        raise GoldFormatError(f"{where}: 'source' must be a non-empty string, got {_show(source)}")
    index = raw["article"]
    if isinstance(index, bool) or not isinstance(index, int) or index < 0:
        raise GoldFormatError(f"{where}: 'article' must be an integer >= 0, got {_show(index)}")
    date = raw.get("date")
    if date is not None and not _is_iso_date(date):
        raise GoldFormatError(f"{where}: 'date' must be YYYY-MM-DD or null, got {_show(date)}")
    title = raw.get("title")
    if title is not None and not isinstance(title, str):
        raise GoldFormatError(f"{where}: 'title' must be a string or null, got {_show(title)}")

    entities = tuple(
        _entity(item, f"{where}: entity {number}")
        for number, item in enumerate(_list_of_objects(raw, "entities", where), start=1)
    )
    ids: set[str] = set()
    for entity in entities:
        if entity.id in ids:
            raise GoldFormatError(f"{where}: duplicate entity id '{entity.id}'")
        ids.add(entity.id)

    relations: list[GoldRelation] = []
    first: dict[tuple[str, str, str], int] = {}
    for number, item in enumerate(_list_of_objects(raw, "relations", where), start=1):
        relation = _relation(item, f"{where}: relation {number}", ids)
        key = relation_key(relation)
        if key in first:
            raise GoldFormatError(
                f"{where}: relation {number} ({relation.s} {relation.p} {relation.o}) "
                f"repeats relation {first[key]}"
            )
        first[key] = number
        relations.append(relation)
    return GoldArticle(source, index, date, title, entities, tuple(relations))


def _entity(raw: dict[str, Any], where: str) -> GoldEntity:
    entity_id = raw.get("id")
    if isinstance(entity_id, str) and entity_id.strip():
        where = f"{where} ('{entity_id}')"
    _check_fields(raw, _ENTITY_FIELDS, where)
    if not isinstance(entity_id, str) or not entity_id.strip():
        raise GoldFormatError(f"{where}: 'id' must be a non-empty string, got {_show(entity_id)}")

    if ("type" in raw) == ("types" in raw):
        raise GoldFormatError(f"{where}: give exactly one of 'type' or 'types'")
    if "type" in raw:
        types: tuple[Any, ...] = (raw["type"],)
    else:
        if not isinstance(raw["types"], list) or not raw["types"]:
            raise GoldFormatError(
                f"{where}: 'types' must be a non-empty list, got {_show(raw['types'])}"
            )
        types = tuple(raw["types"])
        if len(set(map(str, types))) != len(types):
            raise GoldFormatError(f"{where}: 'types' lists a type twice")
    for kind in types:
        if kind not in ENTITY_TYPES:
            raise GoldFormatError(
                f"{where}: unknown type {_show(kind)} (expected one of {', '.join(ENTITY_TYPES)})"
            )

    name = raw.get("name")
    if not isinstance(name, str) or not normalise(name):
        raise GoldFormatError(
            f"{where}: 'name' must be a string with a letter or digit, got {_show(name)}"
        )
    aliases = raw.get("aliases", [])
    if not isinstance(aliases, list) or not all(
        isinstance(alias, str) and normalise(alias) for alias in aliases
    ):
        raise GoldFormatError(
            f"{where}: 'aliases' must be a list of strings with a letter or digit, "
            f"got {_show(aliases)}"
        )
    wikidata = raw.get("wikidata")  # null is read as "not known", like an omitted key
    if wikidata is not None and (not isinstance(wikidata, str) or not _WIKIDATA_ID.match(wikidata)):
        raise GoldFormatError(
            f"{where}: 'wikidata' must be an item id like Q485207, got {_show(wikidata)}"
        )
    return GoldEntity(entity_id, types, name, tuple(aliases), wikidata)


def _relation(raw: dict[str, Any], where: str, ids: set[str]) -> GoldRelation:
    _check_fields(raw, _RELATION_FIELDS, where)
    for name in ("s", "p", "o"):
        if name not in raw:
            raise GoldFormatError(f"{where}: missing required field '{name}'")
        if not isinstance(raw[name], str):
            raise GoldFormatError(f"{where}: '{name}' must be a string, got {_show(raw[name])}")
    if raw["p"] not in PREDICATES:
        raise GoldFormatError(
            f"{where}: unknown predicate {_show(raw['p'])} "
            f"(expected one of {', '.join(PREDICATES)})"
        )
    for name, label in (("s", "subject"), ("o", "object")):
        if raw[name] not in ids:
            raise GoldFormatError(
                f"{where}: {label} '{raw[name]}' is not an entity of this article"
            )
    for name in ("role", "status"):
        if raw.get(name) is not None and not isinstance(raw[name], str):
            raise GoldFormatError(
                f"{where}: '{name}' must be a string or null, got {_show(raw[name])}"
            )
    return GoldRelation(raw["s"], raw["p"], raw["o"], raw.get("role"), raw.get("status"))


def _check_fields(raw: dict[str, Any], allowed: Sequence[str], where: str) -> None:
    # Unknown fields are refused: a misspelt "alias" or "wikidta" would
    # otherwise drop an annotation without a word.
    for name in raw:
        if name not in allowed:
            raise GoldFormatError(
                f"{where}: unknown field '{name}' (expected {', '.join(allowed)})"
            )


def _list_of_objects(raw: dict[str, Any], field: str, where: str) -> list[dict[str, Any]]:
    items = raw[field]
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise GoldFormatError(f"{where}: '{field}' must be a list of objects")
    return items


def _is_iso_date(value: Any) -> bool:
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _show(value: Any) -> str:
    """A value as JSON, cut short, for an error message."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


# --- writing -----------------------------------------------------------------


def _article_json(record: GoldArticle) -> dict[str, Any]:
    return {
        "source": record.source,
        "article": record.article,
        "date": record.date,
        "title": record.title,
        "entities": [_entity_json(entity) for entity in record.entities],
        "relations": [_relation_json(relation) for relation in record.relations],
    }


def _entity_json(entity: GoldEntity) -> dict[str, Any]:
    out: dict[str, Any] = {"id": entity.id}
    if len(entity.types) == 1:
        out["type"] = entity.types[0]
    else:
        out["types"] = list(entity.types)
    out["name"] = entity.name
    out["aliases"] = list(entity.aliases)
    if entity.wikidata:
        out["wikidata"] = entity.wikidata
    return out


def _relation_json(relation: GoldRelation) -> dict[str, Any]:
    out: dict[str, Any] = {"s": relation.s, "p": relation.p, "o": relation.o}
    if relation.role is not None:
        out["role"] = relation.role
    if relation.status is not None:
        out["status"] = relation.status
    return out


def _distinct(name: str, aliases: Iterable[str]) -> tuple[str, ...]:
    """Aliases in order, without the name itself, repeats, or names with no letter or digit."""
    seen = {normalise(name)}
    kept: list[str] = []
    for alias in aliases:
        key = normalise(alias)
        if key and key not in seen:
            seen.add(key)
            kept.append(alias)
    return tuple(kept)
