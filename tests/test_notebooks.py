"""The notebooks run top to bottom (executed with nbclient, as a reader would run them)."""

import pytest

from .conftest import REPO, needs_shared

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")


def run_notebook(name: str) -> None:
    notebook = nbformat.read(REPO / "notebooks" / name, as_version=4)
    nbclient.NotebookClient(notebook, timeout=1200, kernel_name="python3",
                            resources={"metadata": {"path": str(REPO / "notebooks")}}).execute()
    errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert not errors


@pytest.mark.slow
def test_quickstart_notebook_runs():
    run_notebook("quickstart.ipynb")


@pytest.mark.slow
@needs_shared
def test_evaluation_notebook_runs():
    run_notebook("evaluation.ipynb")
