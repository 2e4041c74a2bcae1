"""The committed notebooks: parameterised, without outputs, thin, in step with
lkj.document.laporan."""

import re
from pathlib import Path

import nbformat
import pytest

from lkj.document.laporan import PARTS

ALL = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))
# The yearly report's steps; 05_triwulan is the quarter's evaluation (lkj.run.triwulan).
NOTEBOOKS = [p for p in ALL if p.stem != "05_triwulan"]


def test_every_notebook_is_the_yearly_reports_or_the_quarters():
    assert [p.stem for p in ALL] == [*(p.stem for p in NOTEBOOKS), "05_triwulan"]


def test_the_four_steps_exist_in_order():
    assert [p.stem for p in NOTEBOOKS] == ["01_ingest", "02_capaian", "03_grafik", "04_laporan"]


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_parameters_cell_and_no_outputs(path):
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and re.search(r"^YEAR = \d{4}$", tagged[0].source, re.M)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
            # thin notebooks: logic lives in lkj/, a cell fits on a screen
            assert len(cell.source.splitlines()) <= 12, cell.source


def test_report_notebook_displays_every_part_in_order():
    nb = nbformat.read(NOTEBOOKS[-1], as_version=4)
    shown = re.findall(r"laporan_html\.(\w+)\(", "\n".join(c.source for c in nb.cells))
    assert [name for name in shown if name in PARTS] == list(PARTS)


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_committed_clean(path):
    """No run metadata (papermill, timings) is committed with a notebook."""
    nb = nbformat.read(path, as_version=4)
    assert "papermill" not in nb.metadata
    for cell in nb.cells:
        assert not {"papermill", "execution"} & set(cell.metadata), cell.source[:60]
        assert cell.get("attachments", {}) == {}


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_no_cell_prints_a_folder(path):
    """Rendered notebooks name files, never the machine's folders (paths.* are absolute)."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            for line in cell.source.splitlines():
                if re.search(r"\b(print|display|Markdown|HTML)\(", line):
                    assert not re.search(r"\bpaths\.(?!year\b)\w+", line), line


@pytest.mark.parametrize("path", NOTEBOOKS[:3], ids=lambda p: p.stem)
def test_review_notebooks_explain_every_step(path):
    """01-03: the title, then prose before the first computation and between the steps."""
    nb = nbformat.read(path, as_version=4)
    kinds = [c.cell_type for c in nb.cells]
    assert kinds[0] == "markdown" and nb.cells[0].source.startswith("# ")
    steps = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"][2:]  # after paths
    assert steps
    assert kinds[steps[0] - 1] == "markdown"
    # at most two code cells in a row without an explanation between them
    run = 0
    for kind in kinds[steps[0] :]:
        run = run + 1 if kind == "code" else 0
        assert run <= 2


def test_capaian_notebook_states_the_formulas_and_shows_the_checks():
    nb = nbformat.read(NOTEBOOKS[1], as_version=4)
    prose = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for formula in (
        "capaian = realisasi / target × 100",
        "capaian = (2 × target − realisasi) / target × 100, minimal 0",
        "**Serapan anggaran** = realisasi anggaran / anggaran × 100",
        "**SILPA** = anggaran − realisasi",
    ):
        assert formula in " ".join(prose.split()), formula
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    for call in ("audit.metode(config)", "audit.reconcile(", "audit.tabel_pemeriksaan("):
        assert call in code
    assert re.search(r'for level in \("kegiatan", "program", "sasaran", "total"\)', code)


def test_report_notebook_has_no_prose_cells():
    """Every cell of 04_laporan is rendered into the report itself: explanations of the
    report belong in the review notebooks 01-03, not here."""
    nb = nbformat.read(NOTEBOOKS[-1], as_version=4)
    assert [c.cell_type for c in nb.cells] == ["code"] * len(nb.cells)


def test_report_notebook_hands_its_document_over_before_showing_it():
    """The pipeline starts the print job when the cell tagged HAND_OVER_TAG has run, and lays
    the PDF out when the one tagged WORKBOOK_TAG has: one cell each, writing the document and
    the workbook, both before the first part is shown."""
    from lkj.run.handover import HAND_OVER_TAG, WORKBOOK_TAG

    nb = nbformat.read(NOTEBOOKS[-1], as_version=4)
    tagged = {
        tag: [i for i, c in enumerate(nb.cells) if tag in c.metadata.get("tags", [])]
        for tag in (HAND_OVER_TAG, WORKBOOK_TAG)
    }
    shown = [i for i, c in enumerate(nb.cells) if "display(HTML(" in c.source]
    assert len(tagged[HAND_OVER_TAG]) == 1 and len(tagged[WORKBOOK_TAG]) == 1
    assert tagged[HAND_OVER_TAG][0] < tagged[WORKBOOK_TAG][0] < shown[0]
    assert len(shown) == 9
    assert "write_print_document(" in nb.cells[tagged[HAND_OVER_TAG][0]].source
    assert "write_data_workbook(" in nb.cells[tagged[WORKBOOK_TAG][0]].source
