"""The wheel carries everything sco-graph reads at run time, and works installed.

The slow test builds the wheel from a copy of the package alone (sco_graph/,
pyproject.toml, README.md: nothing else of the source tree), installs it with
`pip install --target` into a temporary folder, and runs the installed
`sco-graph` from an empty folder with only that folder on PYTHONPATH in front
of the test venv's site-packages (the dependencies), so the source tree is
never imported: the test checks that `sco_graph.__file__` is the installed copy.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from builders import art, ent, write_records
from conftest import CORPUS, REPO

PACKAGE_FILES = [
    "sco_graph/data/gazetteer.jsonl",
    "sco_graph/data/lexicon.json",
    "sco_graph/data/relation_words.json",
    "sco_graph/data/gatherings.json",
    "sco_graph/data/boilerplate.jsonl",
    "sco_graph/data/datelines.jsonl",
    "sco_graph/data/time_words.jsonl",
    "sco_graph/data/relation_patterns/adopted.jsonl",
    "sco_graph/ontologies/sco.ttl",
    "sco_graph/ontologies/shapes.ttl",
    "sco_graph/query/saved/posts.rq",
    "sco_graph/export/assets/viz/vis-network.min.js",
    "sco_graph/query/assets/page.js",
]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the wheel, the folder it is installed into)."""
    top = tmp_path_factory.mktemp("packaging")
    source = top / "source"
    shutil.copytree(REPO / "sco_graph", source / "sco_graph",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copyfile(REPO / name, source / name)
    pip = [sys.executable, "-m", "pip", "--quiet"]
    subprocess.run([*pip, "wheel", "--no-deps", "--wheel-dir", str(top / "dist"), str(source)],
                   check=True, cwd=top)
    (wheel,) = (top / "dist").glob("sco_graph-*.whl")
    target = top / "site"
    subprocess.run([*pip, "install", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, cwd=top)
    return wheel, target


def _run(target: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCO_GRAPH_")}
    env["PYTHONPATH"] = str(target)
    return subprocess.run([*args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600)


@pytest.mark.slow
def test_the_wheel_carries_the_data_ontologies_queries_and_assets(installed) -> None:
    wheel, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    assert [name for name in PACKAGE_FILES if name not in names] == []
    assert not [name for name in names if "corpus" in name or name.startswith("tests/")]


@pytest.mark.slow
def test_the_installed_wheel_builds_and_evaluates_from_an_empty_folder(installed, tmp_path):
    _, target = installed
    work = tmp_path / "work"
    work.mkdir()
    where = _run(target, work, sys.executable, "-c", "import sco_graph; print(sco_graph.__file__)")
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).is_relative_to(target)
    assert not Path(where.stdout.strip()).is_relative_to(REPO)

    command = str(target / "bin" / "sco-graph")
    shutil.copytree(CORPUS, work / "corpus")
    built = _run(target, work, command, "build", "corpus", "--out", "g", "--quiet")
    assert built.returncode == 0, built.stderr
    assert (work / "g" / "graph.trig").is_file()

    shown = _run(target, work, command, "show", "g", "Tokayev")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("Kassym-Jomart Tokayev (Person, person:kassym-jomart-tokayev")

    gold = write_records(work / "gold" / "seeds.jsonl", art(
        [ent("kz", "Country", "Kazakhstan"), ent("sco", "Organization", "SCO")],
        source="000_36e8ee55338207d0.txt"))
    # An installed wheel has no example corpus: the error says to give --texts.
    missing = _run(target, work, command, "evaluate", "gold/seeds.jsonl")
    assert missing.returncode == 2
    assert missing.stderr == (
        f"Error: gold/seeds.jsonl: no texts folder: there is no {Path('gold/texts')} and no "
        f"example corpus (data/corpus of a source checkout); give the folder of the texts "
        f"with --texts\n")
    scored = _run(target, work, command, "evaluate", str(gold), "--texts", "corpus")
    assert scored.returncode == 0, scored.stderr
    assert scored.stdout.endswith("\n1 of 1 gold articles predicted\n")
