"""Shared builders of stories, extractions and graphs for the tests.

- the sample corpus: three articles in two files (`article_1` .. `article_3`,
  `sample_articles`, `build_sample`), and a fourth with proposals, support,
  adoption and an acceding member (`article_4`, `build_graph`);
- the picture's small graph (`small_graph`), with a name that must be escaped;
- gold records (`ent`, `rel`, `art`, `write_records`, `load`, `scored`) and
  the worked example of the scoring rules (`GOLD`, `PRED`).

Made by hand, so the tests that use them do not depend on the extractors.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from rdflib import URIRef

from sco_graph.evaluate.gold import GoldArticle, load_gold
from sco_graph.evaluate.scoring import Scores, score
from sco_graph.extract.timeline import document_period
from sco_graph.graph.iri import mint
from sco_graph.graph.store import KnowledgeGraph, article_iri
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
from sco_graph.types import Predicate as P


def new_graph(location: Path | None = None) -> KnowledgeGraph:
    """An empty graph that reads documents' validity periods, as the pipeline's does."""
    return KnowledgeGraph(location, document_period=document_period)


# -- the sample corpus ------------------------------------------------------

TEXT_1 = (
    "Tokayev meets Xi in Astana\n\n"
    "Kazakh President Kassym-Jomart Tokayev met Chinese President Xi Jinping in Astana. "
    "Tokayev thanked Xi."
)

SENTENCE_1 = "Kazakh President Kassym-Jomart Tokayev met Chinese President Xi Jinping in Astana."
TEXT_2 = "The SCO summit was held in Astana. President Tokayev attended the SCO summit."
TEXT_3 = "Kazakhstan is a member of the SCO."

TOKAYEV = mint("person", "Kassym-Jomart Tokayev")
XI = mint("person", "Xi Jinping")
KAZAKHSTAN = mint("country", "Kazakhstan")
ASTANA = mint("place", "Astana")
SCO_ORG = mint("organization", "Shanghai Cooperation Organisation")
SUMMIT = mint("event", "SCO summit")
ARTICLE_1 = article_iri("001_a.txt#0")


def _mention(text: str, source: str, sentence: int = 0) -> Mention:
    start = source.index(text)
    return Mention(text, start, start + len(text), sentence, "gazetteer")


def _evidence(key: str, text: str, sentence: str, rule: str, confidence: float) -> Evidence:
    start = text.index(sentence)
    return Evidence(key, sentence, start, start + len(sentence), rule, confidence)


def article_1() -> ArticleExtraction:
    """A dated, titled story: a post (with role) and a meeting."""
    article = Article("001_a.txt", 0, TEXT_1, "Tokayev meets Xi in Astana", dt.date(2024, 7, 4))
    evidence = _evidence(article.key, TEXT_1, SENTENCE_1, "pattern:title-of-country", 0.9)
    tokayev = Entity(
        "tokayev",
        EntityType.PERSON,
        "Kassym-Jomart Tokayev",
        aliases=("Tokayev", "Kazakh President Kassym-Jomart Tokayev"),
        wikidata="Q305917",
        mentions=(
            _mention("Kassym-Jomart Tokayev", TEXT_1),
            Mention("Tokayev", TEXT_1.rindex("Tokayev"), TEXT_1.rindex("Tokayev") + 7, 1, "alias"),
        ),
        known=True,
    )
    return ArticleExtraction(
        article,
        entities=(
            tokayev,
            Entity(
                "kazakhstan",
                EntityType.COUNTRY,
                "Kazakhstan",
                aliases=("Kazakh",),
                wikidata="Q232",
                mentions=(_mention("Kazakh", TEXT_1.split("\n\n")[1]),),
                known=True,
            ),
            Entity(
                "xi",
                EntityType.PERSON,
                "Xi Jinping",
                aliases=("Xi",),
                wikidata="Q15031",
                mentions=(_mention("Xi Jinping", TEXT_1), _mention("Xi", TEXT_1)),
                known=True,
            ),
            Entity(
                "astana",
                EntityType.PLACE,
                "Astana",
                wikidata="Q1520",
                mentions=(_mention("Astana", TEXT_1),),
                known=True,
            ),
        ),
        facts=(
            Fact("tokayev", Predicate.HOLDS_POSITION, "kazakhstan", evidence, role="President"),
            Fact(
                "tokayev",
                Predicate.MET,
                "xi",
                _evidence(article.key, TEXT_1, SENTENCE_1, "dep:met", 0.75),
            ),
        ),
    )


def article_2() -> ArticleExtraction:
    """An undated story without a title that calls Tokayev by his surname only."""
    article = Article("002_b.txt", 0, TEXT_2)
    return ArticleExtraction(
        article,
        entities=(
            Entity("sco", EntityType.ORGANIZATION, "Shanghai Cooperation Organisation",
                   aliases=("SCO",), wikidata="Q485207",
                   mentions=(_mention("SCO", TEXT_2),), known=True),
            Entity("summit", EntityType.EVENT, "SCO summit",
                   mentions=(_mention("SCO summit", TEXT_2),)),
            Entity("astana", EntityType.PLACE, "Astana", wikidata="Q1520",
                   mentions=(_mention("Astana", TEXT_2),), known=True),
            Entity("tokayev_2", EntityType.PERSON, "Tokayev",
                   aliases=("President Tokayev",),
                   mentions=(_mention("President Tokayev", TEXT_2, 1),)),
        ),
        facts=(
            Fact("summit", Predicate.HELD_IN, "astana",
                 _evidence(article.key, TEXT_2, "The SCO summit was held in Astana.",
                           "dep:held-in", 0.8)),
            Fact("tokayev_2", Predicate.PARTICIPATED_IN, "summit",
                 _evidence(article.key, TEXT_2,
                           "President Tokayev attended the SCO summit.", "dep:attend", 0.7)),
        ),
    )  # fmt: skip


# What a resolver would say for article 2: its "Tokayev" is the Tokayev of article 1.
IRIS_2 = {
    "sco": SCO_ORG,
    "summit": SUMMIT,
    "astana": ASTANA,
    "tokayev_2": TOKAYEV,
}


def article_3() -> ArticleExtraction:
    """The second story of 002_b.txt: a membership with a status."""
    article = Article("002_b.txt", 1, TEXT_3, "Members", dt.date(2024, 7, 5))
    return ArticleExtraction(
        article,
        entities=(
            Entity("kazakhstan", EntityType.COUNTRY, "Kazakhstan", wikidata="Q232",
                   mentions=(_mention("Kazakhstan", TEXT_3),), known=True),
            Entity("sco", EntityType.ORGANIZATION, "Shanghai Cooperation Organisation",
                   aliases=("SCO",), wikidata="Q485207",
                   mentions=(_mention("SCO", TEXT_3),), known=True),
        ),
        facts=(
            Fact("kazakhstan", Predicate.MEMBER_OF, "sco",
                 _evidence(article.key, TEXT_3, TEXT_3, "pattern:member-of", 1.0),
                 status="member"),
        ),
    )  # fmt: skip


def sample_articles() -> list[tuple[ArticleExtraction, dict[str, URIRef] | None]]:
    """The three sample articles with their resolved identities (None: default IRIs)."""
    return [(article_1(), None), (article_2(), IRIS_2), (article_3(), None)]


def build_sample(order: tuple[int, ...] = (0, 1, 2),
                 location: Path | None = None) -> KnowledgeGraph:
    graph = new_graph(location)
    articles = sample_articles()
    for index in order:
        extraction, iris = articles[index]
        graph.add_article(extraction, iris)
    return graph




# -- a fourth article: proposals, support, adoption, an acceding member ---------

TEXT_4 = (
    "Kazakhstan proposed the SCO Anti-Drug Strategy for 2024-2029. "
    "China supports the One Earth initiative. "
    "The SCO summit adopted the Astana Declaration. "
    "Belarus will join the SCO soon."
)
KEY_4 = "005_d.txt#0"
CHINA = mint("country", "China")
BELARUS = mint("country", "Belarus")
STRATEGY = mint("document", "SCO Anti-Drug Strategy for 2024-2029")
DECLARATION = mint("document", "Astana Declaration")
ONE_EARTH = mint("initiative", "One Earth")


def _sentence(text: str) -> tuple[str, int, int]:
    start = TEXT_4.index(text)
    return text, start, start + len(text)


def _fact_4(
    subject: str,
    predicate: P,
    obj: str,
    sentence: str,
    confidence: float,
    status: str | None = None,
) -> Fact:
    text, start, end = _sentence(sentence)
    evidence = Evidence(KEY_4, text, start, end, f"test:{predicate}", confidence)
    return Fact(subject, predicate, obj, evidence, status=status)  # fmt: skip


def _entity_4(key: str, kind: EntityType, name: str, form: str | None = None) -> Entity:
    form = form or name
    start = TEXT_4.index(form)
    return Entity(key, kind, name, mentions=(Mention(form, start, start + len(form), 0, "test"),))


def article_4() -> ArticleExtraction:
    article = Article("005_d.txt", 0, TEXT_4, None, dt.date(2023, 7, 4))
    entities = (
        _entity_4("kz", EntityType.COUNTRY, "Kazakhstan"),
        _entity_4("cn", EntityType.COUNTRY, "China"),
        _entity_4("by", EntityType.COUNTRY, "Belarus"),
        _entity_4("strategy", EntityType.DOCUMENT, "SCO Anti-Drug Strategy for 2024-2029"),
        _entity_4("declaration", EntityType.DOCUMENT, "Astana Declaration"),
        _entity_4("one-earth", EntityType.INITIATIVE, "One Earth"),
        _entity_4("summit", EntityType.EVENT, "SCO summit"),
        _entity_4("sco", EntityType.ORGANIZATION, "Shanghai Cooperation Organisation", "SCO"),
    )
    facts = (
        _fact_4("kz", P.PROPOSED, "strategy",
              "Kazakhstan proposed the SCO Anti-Drug Strategy for 2024-2029.", 0.9),
        _fact_4("cn", P.SUPPORTS, "one-earth", "China supports the One Earth initiative.", 0.8),
        _fact_4("summit", P.ADOPTED, "declaration",
              "The SCO summit adopted the Astana Declaration.", 0.85),
        _fact_4("by", P.MEMBER_OF, "sco", "Belarus will join the SCO soon.", 0.7,
              status="acceding"),
    )  # fmt: skip
    return ArticleExtraction(article, entities, facts)


def build_graph() -> KnowledgeGraph:
    """The sample corpus and the fourth article."""
    graph = new_graph()
    for extraction, iris in sample_articles():
        graph.add_article(extraction, iris)
    graph.add_article(article_4())
    return graph


# -- a small graph with facts, made by hand -----------------------------------

EVIL = "<script>alert(1)</script>"
MET = "Kazakh President Kassym-Jomart Tokayev met Xi Jinping in Astana."
TEXT_A = f"Leaders meet in Astana\n\n{MET} Kazakhstan joined {EVIL} </script><b>&amp; too."
EVIL_SENTENCE = f"Kazakhstan joined {EVIL} </script><b>&amp; too."
TEXT_B = "Tokayev met Xi again. Tokayev spoke."
MET_AGAIN = "Tokayev met Xi again."

PICTURE_TOKAYEV = Entity("tokayev", EntityType.PERSON, "Kassym-Jomart Tokayev")
PICTURE_XI = Entity("xi", EntityType.PERSON, "Xi Jinping")
PICTURE_KAZAKHSTAN = Entity("kz", EntityType.COUNTRY, "Kazakhstan")
EVIL_ORG = Entity("evil", EntityType.ORGANIZATION, EVIL)
ARTICLE_A = str(article_iri("a.txt#0"))
ARTICLE_B = str(article_iri("b.txt#0"))


def _picture_entity(
    template: Entity,
    text: str,
    *forms: str,
    wikidata: str | None = None,
    aliases: tuple[str, ...] = (),
) -> Entity:
    mentions = []
    for form in forms:
        start = text.index(form)
        mentions.append(Mention(form, start, start + len(form), 0, "gazetteer"))
    return Entity(template.key, template.type, template.name, aliases=aliases,
                  wikidata=wikidata, mentions=tuple(mentions))  # fmt: skip


def _picture_evidence(key: str, text: str, sentence: str, rule: str, confidence: float) -> Evidence:
    start = text.index(sentence)
    return Evidence(key, sentence, start, start + len(sentence), rule, confidence)


def article_a() -> ArticleExtraction:
    article = Article("a.txt", 0, TEXT_A, "Leaders meet in Astana", dt.date(2024, 7, 4))
    key = article.key
    return ArticleExtraction(
        article,
        entities=(
            _picture_entity(PICTURE_TOKAYEV, TEXT_A, "Kassym-Jomart Tokayev", wikidata="Q200881",
                    aliases=("President Tokayev",)),
            _picture_entity(PICTURE_XI, TEXT_A, "Xi Jinping", wikidata="Q15031"),
            _picture_entity(PICTURE_KAZAKHSTAN, TEXT_A, "Kazakh", "Kazakhstan", wikidata="Q232"),
            _picture_entity(EVIL_ORG, TEXT_A, EVIL),
        ),
        facts=(
            Fact("tokayev", Predicate.MET, "xi",
                 _picture_evidence(key, TEXT_A, MET, "dep:met", 0.75)),
            Fact("tokayev", Predicate.HOLDS_POSITION, "kz",
                 _picture_evidence(key, TEXT_A, MET, "pattern:title", 0.9), role="President"),
            Fact("kz", Predicate.MEMBER_OF, "evil",
                 _picture_evidence(key, TEXT_A, EVIL_SENTENCE, "pattern:member", 0.5),
                 status="member"),
        ),
    )  # fmt: skip


def article_b() -> ArticleExtraction:
    """No title, no date; the same meeting once more."""
    article = Article("b.txt", 0, TEXT_B)
    return ArticleExtraction(
        article,
        entities=(
            _picture_entity(PICTURE_TOKAYEV, TEXT_B, "Tokayev"),
            _picture_entity(PICTURE_XI, TEXT_B, "Xi"),
        ),
        facts=(
            Fact("tokayev", Predicate.MET, "xi",
                 _picture_evidence(article.key, TEXT_B, MET_AGAIN, "dep:met", 0.6)),
        ),
    )  # fmt: skip


def small_graph(order: tuple[int, ...] = (0, 1)) -> KnowledgeGraph:
    graph = new_graph()
    articles = [article_a, article_b]
    for index in order:
        graph.add_article(articles[index]())
    return graph


def facts_of(nlp, text: str) -> set[tuple[str, str, str]]:
    """(subject, relation, object) by entity name: every fact the pipeline reads in `text`."""
    from sco_graph.extract.article import extract

    (extraction,) = extract([Article("t.txt", 0, text, None, dt.date(2025, 7, 1))], nlp)
    names = {e.key: e.name for e in extraction.entities}
    found = {(names[f.subject], f.predicate.value, names[f.object]) for f in extraction.facts}
    return {undirected(f) for f in found}


# --- gold records ------------------------------------------------------------


def ent(id: str, type: str | list[str], name: str, *aliases: str, wikidata: str | None = None
        ) -> dict[str, Any]:
    out: dict[str, Any] = {"id": id, "name": name, "aliases": list(aliases)}
    out["types" if isinstance(type, list) else "type"] = type
    if wikidata:
        out["wikidata"] = wikidata
    return out


def rel(s: str, p: str, o: str) -> dict[str, str]:
    return {"s": s, "p": p, "o": o}


def art(entities: list[dict[str, Any]], relations: list[dict[str, str]] = (),  # type: ignore[assignment]
        source: str = "a.txt", article: int = 0) -> dict[str, Any]:
    return {"source": source, "article": article, "date": None, "title": None,
            "entities": entities, "relations": list(relations)}


def write_records(path: Path, *records: dict[str, Any]) -> Path:
    """Write records as a JSON Lines file (making its folder); return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def load(tmp_path: Path, name: str, *records: dict[str, Any]) -> list[GoldArticle]:
    """Write records as a JSON Lines file and read it back through the strict reader."""
    return load_gold(write_records(tmp_path / name, *records))


def scored(tmp_path: Path, gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> Scores:
    return score(load(tmp_path, "gold.jsonl", *gold), load(tmp_path, "pred.jsonl", *pred))


# The worked example: five gold entities, three relations.
GOLD = art(
    [ent("xi", "Person", "Xi Jinping"), ent("putin", "Person", "Vladimir Putin"),
     ent("china", "Country", "China"), ent("sco", "Organization", "SCO"),
     ent("astana", "Place", "Astana")],
    [rel("xi", "met", "putin"), rel("xi", "holdsPosition", "china"),
     rel("china", "memberOf", "sco")],
)
PRED = art(
    [ent("p1", "Person", "Xi Jinping"), ent("p2", "Person", "Vladimir Putin"),
     ent("p3", "Country", "China"), ent("p4", "Country", "Astana")],
    [rel("p1", "met", "p2"), rel("p1", "holdsPosition", "p3"),
     rel("p2", "holdsPosition", "p4")],
)


def undirected(fact: tuple[str, str, str]) -> tuple[str, str, str]:
    """`met` has no direction: its two names in one order, whichever the text used."""
    subject, predicate, obj = fact
    if predicate == "met":
        subject, obj = sorted((subject, obj))
    return subject, predicate, obj
