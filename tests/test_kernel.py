"""The notebooks run on this checkout's interpreter, and the rendered notebooks show no machine
path.

* A stale kernel spec named ``lkj`` (registered by another environment, its Python deleted),
  found first by name as Jupyter searches, is never used: a notebook executed the pipeline's
  way runs on ``sys.executable``, as the notebook itself prints and as the kernel reports.
* The session's report records in its manifest the interpreter that ran its notebooks.
* No executed notebook and no rendered HTML of the session's run holds an absolute path (the
  repository, the temporary folder, the staging folder); the injected parameters cell shows
  the final folders.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT

from lkj.core.errors import LkjError
from lkj.run.kernels import _Kernels, kernel_spec
from lkj.run.notebooks import _execute, _shown_paths
from lkj.run.paths import RUN_FILE, Paths

STALE_PYTHON = "/nonexistent/old-checkout/.venv/bin/python"


def test_the_kernel_spec_is_this_interpreter():
    spec = kernel_spec()
    assert spec.argv[0] == sys.executable
    assert spec.argv[-5:] == [
        "-m",
        "ipykernel_launcher",
        "-f",
        "{connection_file}",
        "--HistoryManager.enabled=False",
    ]
    warm = kernel_spec("import lkj.data.dataset")
    assert warm.argv[-1] == "--IPKernelApp.exec_lines=import lkj.data.dataset"


def test_notebooks_sharing_a_kernel_see_what_a_fresh_kernel_shows(tmp_path):
    """Two notebooks on one kernel of the run: the second sees none of the first's names,
    its cells are numbered from 1, and the lane's warm-up imports were made before it (the
    module is loaded, but no name is bound in the notebook)."""
    first, second = tmp_path / "01_ingest.ipynb", tmp_path / "02_capaian.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "lkj", "display_name": "lkj", "language": "python"}
    # the first notebook of a kernel: its warm-up (lkj.data.ingest, lkj.data.processed,
    # lkj.analysis.audit) bound no name
    nb.cells = [nbformat.v4.new_code_cell("SECRET = 41\nprint(SECRET + 1, 'lkj' in dir())")]
    nbformat.write(nb, first)
    nb.cells = [
        nbformat.v4.new_code_cell("import sys\nprint('lkj.analysis.audit' in sys.modules)"),
        nbformat.v4.new_code_cell("print('SECRET' in dir(), 'lkj' in dir(), 'audit' in dir())"),
    ]
    nbformat.write(nb, second)
    kernels = _Kernels(tmp_path)
    try:
        kernel = kernels.launch("ingest")
        assert kernels.launch("capaian") is kernel  # one lane for the data stages
        for book in (first, second):
            _execute(book, tmp_path / f"out-{book.name}", {}, tmp_path, tmp_path / "f", kernel)
    finally:
        kernels.shutdown()
    one = nbformat.read(tmp_path / "out-01_ingest.ipynb", as_version=4).cells
    two = nbformat.read(tmp_path / "out-02_capaian.ipynb", as_version=4).cells
    assert [c.execution_count for c in one] == [1]
    assert one[0].outputs[0]["text"] == "42 False\n"
    assert [c.execution_count for c in two] == [1, 2]
    assert [c.outputs[0]["text"] for c in two] == ["True\n", "False False False\n"]


def test_a_failing_notebook_on_a_shared_kernel_names_its_cell(tmp_path):
    book = tmp_path / "01_ingest.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "lkj", "display_name": "lkj", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("1 / 0")]
    nbformat.write(nb, book)
    kernels = _Kernels(tmp_path)
    try:
        kernel = kernels.launch("ingest")
        with pytest.raises(LkjError) as caught:
            _execute(book, tmp_path / "out.ipynb", {}, tmp_path, tmp_path / "gagal", kernel)
    finally:
        kernels.shutdown()
    assert str(caught.value).splitlines()[0] == (
        "notebook 01_ingest.ipynb gagal di sel 2: ZeroDivisionError: division by zero"
    )
    # the failing notebook was written once, at its end, with the error in cell 2
    cells = nbformat.read(tmp_path / "out.ipynb", as_version=4).cells
    code = [c for c in cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == [1, 2]
    assert [o["ename"] for o in code[1].outputs] == ["ZeroDivisionError"]


def _tiny_notebook(path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "lkj", "display_name": "lkj", "language": "python"}
    params = nbformat.v4.new_code_cell("YEAR = 0")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell("import sys\nprint(sys.executable, YEAR)")]
    nbformat.write(nb, path)


def test_a_stale_kernel_named_lkj_is_never_used(tmp_path, monkeypatch):
    from jupyter_client.kernelspec import KernelSpecManager

    stale = tmp_path / "jupyter" / "kernels" / "lkj"
    stale.mkdir(parents=True)
    argv = [STALE_PYTHON, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (stale / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "lkj (old)", "language": "python"})
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))  # searched first
    # Jupyter itself would take the stale one for the name "lkj"
    assert KernelSpecManager().get_kernel_spec("lkj").argv[0] == STALE_PYTHON

    book, executed = tmp_path / "book.ipynb", tmp_path / "executed.ipynb"
    _tiny_notebook(book)
    reported = _execute(book, executed, {"YEAR": 2022}, tmp_path, tmp_path / "failed")
    assert reported["executable"] == sys.executable
    assert reported["prefix"] == sys.prefix
    printed = nbformat.read(executed, as_version=4).cells[-1].outputs[0]["text"]
    assert printed == f"{sys.executable} 2022\n"


def test_shown_paths_of_the_repository_layout():
    assert _shown_paths(Paths.resolve(2022)) == {
        "RAW_DIR": "data/raw",
        "PROCESSED_DIR": "data/processed/2022",
        "OUTPUT_DIR": "outputs/2022",
        "CONFIG": "config/lkj.toml",
    }


def test_shown_paths_of_a_workspace_outside_the_repository(tmp_path):
    opd = tmp_path / "pemda" / "dinkes"
    paths = Paths.resolve(2022, opd / "raw", opd / "olah" / "2022", opd / "laporan" / "2022")
    assert _shown_paths(paths) == {
        "RAW_DIR": "raw",
        "PROCESSED_DIR": "olah/2022",
        "OUTPUT_DIR": "laporan/2022",
        "CONFIG": "config/lkj.toml",
    }


@pytest.mark.e2e
def test_the_manifest_records_the_interpreter_that_ran_the_notebooks(built_2022):
    manifest = json.loads((built_2022 / "out" / "2022" / "manifest.json").read_text())
    assert manifest["interpreter"] == sys.executable
    processed_run = (built_2022 / "processed" / "2022" / RUN_FILE).read_text().strip()
    assert processed_run == manifest["run"]
    assert len(manifest["run"]) == 32


@pytest.mark.e2e
def test_rendered_notebooks_hold_no_machine_path(built_2022):
    out = built_2022 / "out" / "2022"
    files = sorted((out / "notebooks").glob("*.ipynb")) + sorted((out / "notebooks").glob("*.html"))
    assert len(files) == 9  # 4 notebooks executed and rendered, the self-assessment's page
    files.append(out / "LKj_2022.html")
    machine = [str(ROOT), str(built_2022), tempfile.gettempdir() + "/", ".staging-", sys.prefix]
    for path in files:
        text = path.read_text(encoding="utf-8")
        found = [m for m in machine if m in text]
        assert not found, f"{path.name} shows {found}"
    expected = (
        "# Parameters\n"
        "YEAR = 2022\n"
        'RAW_DIR = "raw"\n'
        'PROCESSED_DIR = "processed/2022"\n'
        'OUTPUT_DIR = "out/2022"\n'
        'CONFIG = "config/lkj.toml"\n'
    )
    for path in sorted((out / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
        assert len(injected) == 1 and injected[0].id == "injected-parameters"
        # the report notebook links the figures the grafik notebook draws beside it
        linked = "FIGURES_LINKED = True\n" if path.name == "04_laporan.ipynb" else ""
        assert injected[0].source == expected + linked, path.name
        assert nb.metadata.papermill.input_path == f"notebooks/{path.name}"
        assert nb.metadata.papermill.output_path == f"out/2022/notebooks/{path.name}"
