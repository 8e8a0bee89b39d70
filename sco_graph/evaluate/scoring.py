"""Scoring predictions against gold annotations, by the rules of FORMAT.md.

Articles are paired by (source, article). Within an article:

- A predicted entity can match a gold entity when they share a type (any of
  the gold `types`) and some name or alias of one equals some name or alias
  of the other under `names.normalise`. Matches are one-to-one: we take a
  maximum matching, so a greedy choice never costs a match.
- Among the maximum matchings we take the first in file order (gold entities
  in order, each with the earliest predicted entity the others leave free),
  then improve it by local moves while that strictly increases the number of
  relation matches. Relations cannot be maximised exactly and cheaply (the
  relation count is quadratic in the entity pairs), but these moves settle
  the common case: a predicted entity split in two ("Xi", "Xi Jinping"), of
  which only one carries the relations. A file scored against itself pairs
  every entity with itself.
- A relation matches when the predicate is the same and both ends are
  matched to its gold ends (`met`: in either direction); role and status do
  not count. Matches are one-to-one.

Counts are summed over articles (micro average). Every ratio is 0.0 when its
denominator is 0: no predictions gives precision 0.0, no gold gives recall
0.0, and F1 is 0.0 when there is nothing on either side.
"""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import networkx as nx

from sco_graph.errors import GoldFormatError
from sco_graph.evaluate.gold import (
    ENTITY_TYPES,
    PREDICATES,
    GoldArticle,
    GoldEntity,
    GoldRelation,
    is_symmetric,
)
from sco_graph.names import normalise


@dataclass(frozen=True, slots=True)
class Counts:
    """True positives, false positives and false negatives; they add up across articles."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        """tp / (tp + fp), or 0.0 when nothing was predicted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        """tp / (tp + fn), or 0.0 when there is no gold."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        """2tp / (2tp + fp + fn) (the harmonic mean of P and R), or 0.0 when all counts are 0."""
        total = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / total if total else 0.0


@dataclass(frozen=True, slots=True)
class Linking:
    """Of the matched entities whose gold has a Wikidata id, how many carry the same id."""

    correct: int = 0
    total: int = 0

    def __add__(self, other: Linking) -> Linking:
        return Linking(self.correct + other.correct, self.total + other.total)

    @property
    def accuracy(self) -> float:
        """correct / total, or 0.0 when no matched entity has a gold Wikidata id."""
        return self.correct / self.total if self.total else 0.0


@dataclass(frozen=True, slots=True)
class ArticleScore:
    """The matches, counts and misses of one gold article."""

    gold: GoldArticle
    predicted: GoldArticle | None  # None: no prediction, everything is missed
    entity_matches: tuple[tuple[GoldEntity, GoldEntity], ...]  # (gold, predicted), gold order
    relation_matches: tuple[tuple[GoldRelation, GoldRelation], ...]
    entities: Counts
    relations: Counts
    entities_by_type: Mapping[str, Counts]  # every type of ENTITY_TYPES, in that order
    relations_by_predicate: Mapping[str, Counts]  # every predicate of PREDICATES
    linking: Linking
    missed_entities: tuple[GoldEntity, ...]
    extra_entities: tuple[GoldEntity, ...]
    missed_relations: tuple[GoldRelation, ...]
    extra_relations: tuple[GoldRelation, ...]
    wrong_links: tuple[tuple[GoldEntity, GoldEntity], ...]  # matched, gold id differs

    @property
    def key(self) -> str:
        return self.gold.key


@dataclass(frozen=True, slots=True)
class Scores:
    """Counts over all scored articles, and each article's details."""

    entities: Counts
    relations: Counts
    entities_by_type: Mapping[str, Counts]
    relations_by_predicate: Mapping[str, Counts]
    linking: Linking
    articles: tuple[ArticleScore, ...] = ()  # in gold order
    unscored: tuple[str, ...] = field(default=())  # keys of predictions with no gold

    @property
    def unpredicted(self) -> tuple[str, ...]:
        """Keys of gold articles that had no prediction (all their gold counted as missed)."""
        return tuple(a.key for a in self.articles if a.predicted is None)


def score(gold: Sequence[GoldArticle], predicted: Sequence[GoldArticle]) -> Scores:
    """Score predicted articles against gold ones (see the module docstring for the rules)."""
    by_key: dict[tuple[str, int], GoldArticle] = {}
    for article in predicted:
        if (article.source, article.article) in by_key:
            raise GoldFormatError(f"predictions: article {article.key} is given twice")
        by_key[(article.source, article.article)] = article
    gold_keys: set[tuple[str, int]] = set()
    for article in gold:
        if (article.source, article.article) in gold_keys:
            raise GoldFormatError(f"gold: article {article.key} is given twice")
        gold_keys.add((article.source, article.article))

    articles = tuple(score_article(g, by_key.get((g.source, g.article))) for g in gold)
    return Scores(
        entities=_sum(a.entities for a in articles),
        relations=_sum(a.relations for a in articles),
        entities_by_type=_sum_by(ENTITY_TYPES, (a.entities_by_type for a in articles)),
        relations_by_predicate=_sum_by(PREDICATES, (a.relations_by_predicate for a in articles)),
        linking=sum((a.linking for a in articles), Linking()),
        articles=articles,
        unscored=tuple(p.key for p in predicted if (p.source, p.article) not in gold_keys),
    )


def score_article(gold: GoldArticle, predicted: GoldArticle | None) -> ArticleScore:
    """Match one article's predictions to its gold, and count."""
    pred = predicted or GoldArticle(gold.source, gold.article, None, None)
    mate = _match_entities(gold, pred)
    relation_pairs = _match_relations(gold, pred, mate)

    by_type = {kind: Counts() for kind in ENTITY_TYPES}
    for i, j in mate.items():
        kind = _shared_type(gold.entities[i], pred.entities[j])
        by_type[kind] += Counts(tp=1)
    matched_pred = set(mate.values())
    for i, entity in enumerate(gold.entities):
        if i not in mate:
            by_type[entity.types[0]] += Counts(fn=1)
    for j, entity in enumerate(pred.entities):
        if j not in matched_pred:
            by_type.setdefault(entity.types[0], Counts())
            by_type[entity.types[0]] += Counts(fp=1)

    by_predicate = {p: Counts() for p in PREDICATES}
    matched_gold_rel = {a for a, _ in relation_pairs}
    matched_pred_rel = {b for _, b in relation_pairs}
    for a, _ in relation_pairs:
        by_predicate[gold.relations[a].p] += Counts(tp=1)
    for a, relation in enumerate(gold.relations):
        if a not in matched_gold_rel:
            by_predicate[relation.p] += Counts(fn=1)
    for b, relation in enumerate(pred.relations):
        if b not in matched_pred_rel:
            by_predicate.setdefault(relation.p, Counts())
            by_predicate[relation.p] += Counts(fp=1)

    pairs = tuple((gold.entities[i], pred.entities[j]) for i, j in sorted(mate.items()))
    linked = [(g, p) for g, p in pairs if g.wikidata]
    wrong = tuple((g, p) for g, p in linked if p.wikidata != g.wikidata)
    return ArticleScore(
        gold=gold,
        predicted=predicted,
        entity_matches=pairs,
        relation_matches=tuple((gold.relations[a], pred.relations[b]) for a, b in relation_pairs),
        entities=Counts(len(mate), len(pred.entities) - len(mate), len(gold.entities) - len(mate)),
        relations=Counts(
            len(relation_pairs),
            len(pred.relations) - len(relation_pairs),
            len(gold.relations) - len(relation_pairs),
        ),
        entities_by_type=by_type,
        relations_by_predicate=by_predicate,
        linking=Linking(len(linked) - len(wrong), len(linked)),
        missed_entities=tuple(e for i, e in enumerate(gold.entities) if i not in mate),
        extra_entities=tuple(e for j, e in enumerate(pred.entities) if j not in matched_pred),
        missed_relations=tuple(
            r for a, r in enumerate(gold.relations) if a not in matched_gold_rel
        ),
        extra_relations=tuple(
            r for b, r in enumerate(pred.relations) if b not in matched_pred_rel
        ),
        wrong_links=wrong,
    )


# --- matching ----------------------------------------------------------------


def _compatible(gold: GoldArticle, pred: GoldArticle) -> list[list[int]]:
    """For each gold entity, the predicted entities it may match, in file order."""
    gold_keys = [_name_keys(e) for e in gold.entities]
    pred_keys = [_name_keys(e) for e in pred.entities]
    return [
        [
            j
            for j, p in enumerate(pred.entities)
            if set(g.types) & set(p.types) and gold_keys[i] & pred_keys[j]
        ]
        for i, g in enumerate(gold.entities)
    ]


def _name_keys(entity: GoldEntity) -> set[str]:
    # A name with no letter or digit normalises to "": it names nothing, so it matches nothing.
    return {key for key in map(normalise, entity.names) if key}


def _match_entities(gold: GoldArticle, pred: GoldArticle) -> dict[int, int]:
    """A one-to-one matching, gold index -> predicted index (see the module docstring)."""
    candidates = _compatible(gold, pred)
    edges = [(i, j) for i, row in enumerate(candidates) for j in row]
    if not edges:
        return {}
    # Weights 2**(E - rank) make every maximum-cardinality matching that holds
    # an earlier edge outweigh all those that do not: the first in file order.
    # Nodes are ints (pred j is n + j) so the result cannot depend on hashing.
    n = len(gold.entities)
    graph = nx.Graph()
    graph.add_nodes_from(range(n + len(pred.entities)))
    for rank, (i, j) in enumerate(edges):
        graph.add_edge(i, n + j, weight=1 << (len(edges) - rank))
    mate: dict[int, int] = {}
    for a, b in nx.max_weight_matching(graph, maxcardinality=True):
        i, j = (a, b - n) if a < n else (b, a - n)
        mate[i] = j
    return _improve_for_relations(gold, pred, candidates, mate)


def _improve_for_relations(
    gold: GoldArticle, pred: GoldArticle, candidates: list[list[int]], mate: dict[int, int]
) -> dict[int, int]:
    """Local moves that keep the number of entity matches and add relation matches.

    A gold entity moves to a free predicted entity, two gold entities swap
    partners, or an unmatched gold entity takes a partner over; the first
    move (in file order) that strictly adds relation matches is taken, until
    none does. Each step adds a match, so this ends.
    """
    if not gold.relations or not pred.relations:
        return mate
    best = _count_relations(gold, pred, mate)
    improved = True
    while improved:
        improved = False
        owner = {j: i for i, j in mate.items()}
        for i, row in enumerate(candidates):
            for j in row:
                if mate.get(i) == j:
                    continue
                trial = dict(mate)
                other = owner.get(j)
                if other is None:
                    if i not in mate:
                        continue  # cannot happen: the matching is maximum
                    trial[i] = j
                elif i in mate:
                    if mate[i] not in candidates[other]:
                        continue
                    trial[i], trial[other] = j, mate[i]
                else:
                    del trial[other]
                    trial[i] = j
                count = _count_relations(gold, pred, trial)
                if count > best:
                    mate, best, improved = trial, count, True
                    break
            if improved:
                break
    return mate


def _relation_keys(
    gold: GoldArticle, pred: GoldArticle, mate: Mapping[int, int]
) -> tuple[list[tuple[str, int, int] | None], list[tuple[str, int, int] | None]]:
    """Each relation as (predicate, subject, object) in predicted-entity indices.

    Gold ends are translated through the entity matching; a relation with an
    end that is unmatched (or unknown) gets None and matches nothing.
    """
    gold_index = _first_index(gold.entities)
    pred_index = _first_index(pred.entities)

    def key(
        relation: GoldRelation, to_pred: Mapping[str, int | None]
    ) -> tuple[str, int, int] | None:
        s, o = to_pred.get(relation.s), to_pred.get(relation.o)
        if s is None or o is None:
            return None
        if is_symmetric(relation.p) and o < s:
            s, o = o, s
        return relation.p, s, o

    through_mate = {eid: mate.get(i) for eid, i in gold_index.items()}
    return (
        [key(r, through_mate) for r in gold.relations],
        [key(r, pred_index) for r in pred.relations],
    )


def _count_relations(gold: GoldArticle, pred: GoldArticle, mate: Mapping[int, int]) -> int:
    gold_keys, pred_keys = _relation_keys(gold, pred, mate)
    have = Counter(k for k in pred_keys if k is not None)
    need = Counter(k for k in gold_keys if k is not None)
    return sum(min(count, have[k]) for k, count in need.items())


def _match_relations(
    gold: GoldArticle, pred: GoldArticle, mate: Mapping[int, int]
) -> list[tuple[int, int]]:
    """(gold index, predicted index) of matched relations, in gold order.

    Relations with the same key can all match each other, and no other, so
    taking the earliest free predicted relation of the key is a maximum matching.
    """
    gold_keys, pred_keys = _relation_keys(gold, pred, mate)
    free: dict[tuple[str, int, int], deque[int]] = defaultdict(deque)
    for b, k in enumerate(pred_keys):
        if k is not None:
            free[k].append(b)
    pairs = []
    for a, k in enumerate(gold_keys):
        if k is not None and free[k]:
            pairs.append((a, free[k].popleft()))
    return pairs


def _first_index(entities: Sequence[GoldEntity]) -> dict[str, int | None]:
    index: dict[str, int | None] = {}
    for i, entity in enumerate(entities):
        index.setdefault(entity.id, i)
    return index


def _shared_type(gold: GoldEntity, pred: GoldEntity) -> str:
    """The type a match counts under: the predicted entity's (first) type that gold allows."""
    return next(kind for kind in pred.types if kind in gold.types)


def _sum(counts: Iterable[Counts]) -> Counts:
    return sum(counts, Counts())


def _sum_by(order: Sequence[str], tables: Iterable[Mapping[str, Counts]]) -> dict[str, Counts]:
    total = {name: Counts() for name in order}
    for table in tables:
        for name, counts in table.items():
            total[name] = total.get(name, Counts()) + counts
    return total
