"""The score table: P, R, F1 and counts by entity type and relation, one column
group per gold set, then Wikidata linking and coverage per set.

One set prints as it always has: its numbers without a heading (or under
"ours" and "baseline" with a baseline). Several sets stand side by side, each
under its short name. A table wider than `TABLE_WIDTH` is cut between sets
into several tables, one under the other, each with the row labels again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sco_graph.evaluate.gold import ENTITY_TYPES, PREDICATES
from sco_graph.evaluate.scoring import Counts, Scores

TABLE_WIDTH = 100  # columns; two sets without baseline fit side by side
_HEAD = ("P", "R", "F1", "tp", "fp", "fn")
_GAP = "  "


@dataclass(frozen=True, slots=True)
class ScoredSet:
    """One gold set's scores (and the baseline's), under the short name reports give it."""

    name: str
    scores: Scores
    baseline: Scores | None = None


@dataclass(frozen=True, slots=True)
class _Block:
    """The columns of one set: a group of six per run, then ΔF1 when there is a baseline."""

    runs: tuple[tuple[str, Scores], ...]  # (heading, scores); heading "" for none

    @property
    def delta(self) -> bool:
        return len(self.runs) == 2


def format_report(scores: Scores, baseline: Scores | None = None) -> str:
    """The report of one gold set (and, optionally, the baseline beside it)."""
    return format_reports([ScoredSet("", scores, baseline)])


def format_reports(sets: Sequence[ScoredSet], width: int = TABLE_WIDTH) -> str:
    """The table of every set side by side, then linking and coverage lines per set.

    Rows of types and predicates that no set has are left out.
    """
    several = len(sets) > 1
    blocks = [_block(s, several) for s in sets]
    lines = [_table(blocks, width), ""]
    for block in blocks:
        for number, (heading, run) in enumerate(block.runs):
            prefix = f"Wikidata linking ({heading})" if heading else "Wikidata linking"
            link = run.linking
            lines.append(f"{prefix}: {link.accuracy:.3f} ({link.correct}/{link.total})")
            if number == 0:
                lines += _link_differences(run)
    for scored in sets:
        lines.append(_coverage(scored.scores, scored.name if several else ""))
    return "\n".join(lines) + "\n"


def _block(scored: ScoredSet, several: bool) -> _Block:
    if scored.baseline is None:
        return _Block(((scored.name if several else "", scored.scores),))
    ours, theirs = (scored.name, f"{scored.name} baseline") if several else ("ours", "baseline")
    return _Block(((ours, scored.scores), (theirs, scored.baseline)))


# --- the table -----------------------------------------------------------------

_Row = tuple[str, list[list[str]]]  # label, then the cells of each block


def _table(blocks: Sequence[_Block], width: int) -> str:
    rows: list[_Row | None] = []
    rows += _section(blocks, "Entities", "entities", "entities_by_type", ENTITY_TYPES)
    rows.append(None)
    rows += _section(blocks, "Relations", "relations", "relations_by_predicate", PREDICATES)
    cells = [row for row in rows if row is not None]
    label_width = max(len(label) for label, _ in cells)
    widths = [
        [max(len(row[b][c]) for _, row in cells) for c in range(len(cells[0][1][b]))]
        for b in range(len(blocks))
    ]
    return "\n\n".join(
        _render_chunk(rows, [blocks[b] for b in chunk], [widths[b] for b in chunk], chunk,
                      label_width)
        for chunk in _chunks([_block_width(w) for w in widths], label_width, width)
    )


def _section(blocks: Sequence[_Block], title: str, pick: str, per: str,
             order: Sequence[str]) -> list[_Row | None]:
    runs = [run for block in blocks for _, run in block.runs]
    tables = [getattr(run, per) for run in runs]
    names = list(order) + sorted({n for t in tables for n in t} - set(order))
    head = [[*_HEAD * len(block.runs), *(["ΔF1"] if block.delta else [])] for block in blocks]
    rows: list[_Row | None] = [(title, head), _row("  overall", blocks, lambda r: getattr(r, pick))]
    for name in names:
        if any(t.get(name, Counts()) != Counts() for t in tables):
            rows.append(_row(f"    {name}", blocks, _picker(per, name)))
    return rows


def _picker(per: str, name: str) -> Callable[[Scores], Counts]:
    return lambda run: getattr(run, per).get(name, Counts())


def _row(label: str, blocks: Sequence[_Block], counts_of: Callable[[Scores], Counts]) -> _Row:
    out = []
    for block in blocks:
        counts = [counts_of(run) for _, run in block.runs]
        cells = []
        for c in counts:
            cells += [f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}"]
            cells += [str(c.tp), str(c.fp), str(c.fn)]
        if block.delta:
            cells.append(f"{counts[0].f1 - counts[1].f1:+.3f}")
        out.append(cells)
    return label, out


def _block_width(widths: Sequence[int]) -> int:
    return sum(widths) + len(_GAP) * len(widths)


def _chunks(block_widths: Sequence[int], label_width: int, width: int) -> list[list[int]]:
    """Blocks in order, as many to a table as fit in `width` (at least one)."""
    chunks: list[list[int]] = []
    used = width
    for b, block_width in enumerate(block_widths):
        if chunks and used + block_width <= width:
            chunks[-1].append(b)
            used += block_width
        else:
            chunks.append([b])
            used = label_width + block_width
    return chunks


def _render_chunk(rows: Sequence[_Row | None], blocks: Sequence[_Block],
                  widths: Sequence[Sequence[int]], chunk: Sequence[int], label_width: int) -> str:
    lines = []
    if any(heading for block in blocks for heading, _ in block.runs):
        top = " " * label_width
        for block, block_widths in zip(blocks, widths, strict=True):
            for number, (heading, _) in enumerate(block.runs):
                group = block_widths[6 * number: 6 * number + 6]
                span = sum(group) + len(_GAP) * (len(group) - 1)
                name = heading if len(heading) <= span else heading[: span - 1] + "…"
                top += _GAP + name.center(span)
        lines.append(top.rstrip())
    for row in rows:
        if row is None:
            lines.append("")
            continue
        label, cells = row
        out = label.ljust(label_width)
        for b, block_widths in zip(chunk, widths, strict=True):
            out += "".join(_GAP + cell.rjust(w) for cell, w in zip(cells[b], block_widths,
                                                                     strict=True))
        lines.append(out.rstrip())
    return "\n".join(lines)


# --- the lines under it --------------------------------------------------------


def _link_differences(scores: Scores) -> list[str]:
    """Where our Wikidata ids and the gold's differ, one line per entity and pair of
    ids, so a wrong id on either side is seen at once."""
    articles: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for article in scores.articles:
        for gold, pred in article.wrong_links:
            articles[(gold.name, gold.wikidata or "", pred.wikidata or "none")].add(article.key)
    return [
        f"  differs: {name}: gold {gold_id}, ours {our_id} "
        f"({len(keys)} article{'s' if len(keys) != 1 else ''})"
        for (name, gold_id, our_id), keys in sorted(articles.items())
    ]


def _coverage(scores: Scores, name: str) -> str:
    scored = sum(1 for a in scores.articles if a.predicted is not None)
    parts = [f"{scored} of {len(scores.articles)} gold articles predicted"]
    if scores.unpredicted:
        parts.append(f"{len(scores.unpredicted)} without prediction counted as missed")
    if scores.unscored:
        parts.append(f"{len(scores.unscored)} predicted articles not in the gold file ignored")
    return (f"{name}: " if name else "") + "; ".join(parts)
