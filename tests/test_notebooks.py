"""Every notebook under notebooks/ runs top to bottom, and is committed without outputs.

Each runs with nbclient on a fresh kernel, from a copy in a temporary folder
(so nothing it writes lands in the tree); a cell that raises fails the test
and names the notebook and the cell.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
CELL_TIMEOUT = 300  # seconds; the first cell builds the corpus graph
FIGURES = {"explore.ipynb": 2}
"""How many figures a notebook draws, where we know: a plot that fails to render is no error."""


def test_there_is_a_notebook() -> None:
    assert "explore.ipynb" in [path.name for path in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_notebook_is_committed_without_outputs(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    stale = [
        index
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]
    assert stale == [], f"{path.name}: clear the outputs of cells {stale}"


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_notebook_runs_top_to_bottom(path: Path, tmp_path: Path) -> None:
    copy = tmp_path / path.name
    shutil.copyfile(path, copy)
    notebook = nbformat.read(copy, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    try:
        client.execute()
    except CellExecutionError as error:
        pytest.fail(f"{path.name}: a cell failed\n{error}", pytrace=False)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(cell.execution_count is not None for cell in code)
    errors = [o for cell in code for o in cell.outputs if o.output_type == "error"]
    assert errors == []
    figures = [o for cell in code for o in cell.outputs if "image/png" in o.get("data", {})]
    assert len(figures) == FIGURES.get(path.name, len(figures))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_notebook_uses_only_the_public_api(path: Path) -> None:
    import re

    import sco_graph

    notebook = nbformat.read(path, as_version=4)
    code = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    # No module of the package is imported: only `import sco_graph` and its public names.
    assert re.findall(r"(?:from|import)\s+sco_graph\.\w+", code) == []
    used = set(re.findall(r"\bsco_graph\.(\w+)", code))
    assert used <= set(sco_graph.__all__), used - set(sco_graph.__all__)
    # Rows come as Python values: nothing converts rdflib terms by hand.
    assert ".toPython(" not in code and ".bindings" not in code
