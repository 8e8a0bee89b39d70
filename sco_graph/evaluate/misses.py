"""What was missed and what was extra, grouped by entity type and by relation.

A group per entity type (in ENTITY_TYPES order) and per relation (in
PREDICATES order), then the wrong Wikidata links; each line names the story,
so a pattern (every `adopted` missed in one kind of sentence) is seen at once
and each case can be looked up. Stories with no prediction at all are listed
once at the top rather than repeating their gold.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from sco_graph.evaluate.gold import ENTITY_TYPES, PREDICATES, GoldEntity, GoldRelation
from sco_graph.evaluate.report import ScoredSet
from sco_graph.evaluate.scoring import Scores

_Line = tuple[str, str, str]  # missed / extra / wrong, story key, what
_WRONG = "wrong Wikidata links"


def format_misses_of_sets(sets: Sequence[ScoredSet]) -> str:
    """The misses of each set; with several sets, each under a line naming it."""
    if len(sets) == 1:
        return format_misses(sets[0].scores)
    return "\n".join(
        f"Missed and extra in {scored.name}:\n{format_misses(scored.scores)}" for scored in sets
    )


def format_misses(scores: Scores) -> str:
    """Misses and extras by entity type, then by relation, then wrong links."""
    lines: list[str] = []
    for article in scores.articles:
        if article.predicted is None:
            lines.append(f"{article.key}: no prediction; all {article.entities.fn} entities "
                         f"and {article.relations.fn} relations missed")
    groups = _groups(scores)
    width = max((len(key) for group in groups.values() for _, key, _ in group), default=0)
    for heading, group in groups.items():
        if lines:
            lines.append("")
        missed = sum(1 for kind, _, _ in group if kind == "missed")
        extra = sum(1 for kind, _, _ in group if kind == "extra")
        if heading == _WRONG:
            lines.append(f"{heading}: {len(group)}")
        else:
            lines.append(f"{heading}: {missed} missed, {extra} extra")
        lines += [f"  {kind.ljust(6)}  {key.ljust(width)}  {what}" for kind, key, what in group]
    if scores.unscored and lines:
        lines.append("")
    for key in scores.unscored:
        lines.append(f"{key}: predicted, but not in the gold file (not scored)")
    if not lines:
        return "Nothing missed, nothing extra.\n"
    return "\n".join(lines) + "\n"


def _groups(scores: Scores) -> dict[str, list[_Line]]:
    """Group heading -> lines, missed before extra, each in story order; groups in the
    order of ENTITY_TYPES and PREDICATES (others after, sorted), wrong links last."""
    entities: dict[str, list[_Line]] = defaultdict(list)
    relations: dict[str, list[_Line]] = defaultdict(list)
    wrong: list[_Line] = []
    scored = [a for a in scores.articles if a.predicted is not None]
    for kind in ("missed", "extra"):
        for article in scored:
            gold_names = {e.id: e.name for e in article.gold.entities}
            pred_names = {e.id: e.name for e in article.predicted.entities}  # type: ignore[union-attr]
            found = article.missed_entities if kind == "missed" else article.extra_entities
            for entity in found:
                entities[entity.types[0]].append((kind, article.key, _entity_label(entity)))
            names = gold_names if kind == "missed" else pred_names
            facts = article.missed_relations if kind == "missed" else article.extra_relations
            for relation in facts:
                relations[relation.p].append((kind, article.key, _relation_label(relation, names)))
    for article in scored:
        for gold, pred in article.wrong_links:
            ids = f"gold {gold.wikidata}, predicted {pred.wikidata or 'none'}"
            wrong.append(("wrong", article.key, f"{gold.name}: {ids}"))
    out = {f"entity {kind}": entities[kind] for kind in _ordered(ENTITY_TYPES, entities)}
    out |= {f"relation {p}": relations[p] for p in _ordered(PREDICATES, relations)}
    if wrong:
        out[_WRONG] = wrong
    return out


def _ordered(order: Sequence[str], present: Mapping[str, list[_Line]]) -> list[str]:
    return [n for n in order if n in present] + sorted(set(present) - set(order))


def _entity_label(entity: GoldEntity) -> str:
    aliases = f" (also: {', '.join(entity.aliases)})" if entity.aliases else ""
    return f"{entity.name} [{entity.id}]{aliases}"


def _relation_label(relation: GoldRelation, names: Mapping[str, str]) -> str:
    return f"{names.get(relation.s, relation.s)} -> {names.get(relation.o, relation.o)}"
