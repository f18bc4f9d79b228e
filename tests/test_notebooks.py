"""The tutorial notebooks in ``notebooks/``: committed clean, and run top to bottom.

Each notebook is executed with nbclient on a temporary copy, at the tiny
``COCREATE_TUTORIAL_SCALE=ci`` setting its first code cell reads, with its results
written to a temporary folder; any cell error fails the test. The committed files must be
valid nbformat with no outputs and no execution counts, so that a diff shows only what
the author changed.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

NOTEBOOKS_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = (
    "01_researchers_wigan_deal.ipynb",
    "02_planners_comparing_strategies.ipynb",
    "03_students_dark_side.ipynb",
)
CELL_TIMEOUT = 600  # seconds for one cell; at ci scale the slowest takes a few seconds


def test_the_tutorials_are_all_listed() -> None:
    assert sorted(p.name for p in NOTEBOOKS_DIR.glob("*.ipynb")) == sorted(NOTEBOOKS)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_committed_notebook_is_valid_and_has_no_outputs(name: str) -> None:
    nb = nbformat.read(NOTEBOOKS_DIR / name, as_version=nbformat.NO_CONVERT)
    nbformat.validate(nb)
    assert nb.nbformat == 4
    assert nb.metadata.get("kernelspec", {}).get("language") == "python"
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert code, f"{name}: no code cells"
    assert nb.cells[0].cell_type == "markdown", f"{name}: should open with its story"
    for k, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{name}: cell {k} has stale outputs"
            assert cell.execution_count is None, f"{name}: cell {k} has an execution count"
        assert not cell.metadata.get("execution"), f"{name}: cell {k} has timing metadata"
    assert "COCREATE_TUTORIAL_SCALE" in code[0].source, (
        f"{name}: the first code cell must read COCREATE_TUTORIAL_SCALE"
    )


def execute(source: Path, workdir: Path, scale: str) -> nbformat.NotebookNode:
    """Run a temporary copy of ``source`` in ``workdir``; raise on the first cell error."""
    copy = workdir / source.name
    shutil.copy(source, copy)
    nb = nbformat.read(copy, as_version=4)
    client = NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(workdir)}},
    )
    saved = {k: os.environ.get(k) for k in ("COCREATE_TUTORIAL_SCALE", "COCREATE_TUTORIAL_OUT")}
    # The kernel inherits this process's environment.
    os.environ["COCREATE_TUTORIAL_SCALE"] = scale
    os.environ["COCREATE_TUTORIAL_OUT"] = str(workdir / "results")
    try:
        client.execute()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return nb


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_top_to_bottom_at_ci_scale(name: str, tmp_path: Path) -> None:
    nb = execute(NOTEBOOKS_DIR / name, tmp_path, "ci")
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert all(cell.execution_count is not None for cell in code), "not every cell ran"
    outputs = [output for cell in code for output in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    # It tells its story with figures, and at the scale asked for.
    figures = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(figures) >= 2, f"{name}: only {len(figures)} figure(s)"
    assert "scale: ci" in "".join(o.get("text", "") for o in outputs)
    # Results go where the test asked, not into the repository.
    assert any((tmp_path / "results").rglob("*.csv"))
    # The committed file was not touched.
    assert nbformat.read(NOTEBOOKS_DIR / name, as_version=4).cells[1].outputs == []


def test_a_failing_cell_fails_the_run(tmp_path: Path) -> None:
    broken = nbformat.v4.new_notebook()
    broken.metadata["kernelspec"] = {"name": "python3", "language": "python"}
    broken.cells = [
        nbformat.v4.new_code_cell("import os\nscale = os.environ['COCREATE_TUTORIAL_SCALE']"),
        nbformat.v4.new_code_cell("assert scale == 'full', scale"),
    ]
    source = tmp_path / "src" / "broken.ipynb"
    source.parent.mkdir()
    nbformat.write(broken, source)
    with pytest.raises(CellExecutionError, match="AssertionError"):
        execute(source, tmp_path, "ci")
