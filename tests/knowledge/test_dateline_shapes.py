"""The dateline shapes file (sco_graph.knowledge.datelines): loaded once, checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sco_graph.errors import DataError
from sco_graph.knowledge.datelines import DatelineShapes
from sco_graph.resources import data_dir


def write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "datelines.jsonl"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def part(**fields: str) -> str:
    return json.dumps({"part": "city", "pattern": "[A-Z]+", **fields})


def shape(**fields: str) -> str:
    return json.dumps({"name": "s", "shape": "(?P<place>{city}) -", **fields})


def test_shapes_are_loaded_once() -> None:
    assert DatelineShapes.load() is DatelineShapes.load()
    assert DatelineShapes.load(data_dir() / "datelines.jsonl") is DatelineShapes.load()


def test_shapes_from_another_file(tmp_path: Path) -> None:
    shapes = DatelineShapes.load(write(tmp_path, "// a comment", part(), shape()))
    reading = shapes.read("OSH - The talks began.")
    assert reading is not None and (reading.end, reading.place) == (5, (0, 3))
    assert shapes.read("OSHTALKS began.") is None


@pytest.mark.parametrize(
    ("lines", "cause"),
    [
        ((part(), shape(shape="(?P<place>{city} -")),
         "shape 's': pattern does not compile (missing ), unterminated subpattern at "
         "position 0)"),
        ((part(pattern="[A-Z"),),
         "part 'city': pattern does not compile (unterminated character set at position 0)"),
        ((part(), shape(shape="(?P<place>{town}) -")),
         "shape 's': unknown part {town} (parts are defined above the shapes that use them)"),
        ((part(), shape(shape="{city} -")), "shape 's': a dateline needs the named group place"),
        ((part(), shape(shape=r"(?P<place>{city}), (?P<day>\d+)")),
         "shape 's': day and month go together, and year needs them"),
        ((part(), shape(shape=r"(?P<place>{city}) (?P<when>\d+)")),
         "shape 's': unknown group(s) when (a dateline reads place, agency, month, day, year)"),
        ((part(pattern="(?P<x>[A-Z]+)"),),
         "part 'city': a part has no groups of its own; use (?:...)"),
        ((part(), part()), "dateline part 'city' is defined twice"),
        ((part(), shape(), shape()), "dateline shape 's' is named twice"),
        ((part(flags="i"),), "unknown field(s) flags in a dateline part"),
        ((part(), shape(pattern="x")), "unknown field(s) pattern in a dateline shape"),
        (('{"pattern": "x"}',), 'a dateline record needs "part" or "name"'),
        ((part(), shape(shape="")), "shape 's': \"shape\" must be a non-empty string"),
    ],
)
def test_a_malformed_file_names_file_and_line(
    tmp_path: Path, lines: tuple[str, ...], cause: str
) -> None:
    path = write(tmp_path, *lines)
    with pytest.raises(DataError) as caught:
        DatelineShapes.load(path)
    assert str(caught.value) == f"{path}:{len(lines)}: {cause}"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DataError) as caught:
        DatelineShapes.load(tmp_path / "none.jsonl")
    assert str(caught.value) == f"{tmp_path / 'none.jsonl'}: dateline shapes file is missing"
