"""The stages import one way (the import-linter contract in pyproject.toml)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def test_no_stage_imports_a_later_stage() -> None:
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if lint is None:
        pytest.fail("lint-imports is not installed: pip install -e '.[test]'")
    run = subprocess.run([lint], cwd=REPO, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stdout[-3000:]
    assert "1 kept, 0 broken" in run.stdout


def test_every_stage_is_a_layer_of_the_contract() -> None:
    import tomllib

    contract = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["importlinter"]
    layers = {
        name.strip()
        for layer in contract["contracts"][0]["layers"]
        for name in layer.replace("|", ":").split(":")
    }
    package = REPO / "sco_graph"
    modules = {p.stem for p in package.glob("*.py") if p.stem != "__init__"}
    stages = {p.name for p in package.iterdir() if (p / "__init__.py").is_file()}
    assert modules | stages == layers
