"""The committed notebooks: parameterised, without outputs, thin, in step with lkj.sections."""

import re
from pathlib import Path

import nbformat
import pytest

from lkj.sections import PARTS

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


def test_the_four_steps_exist_in_order():
    assert [p.stem for p in NOTEBOOKS] == ["01_ingest", "02_capaian", "03_grafik", "04_laporan"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
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
    shown = re.findall(r"sections\.(\w+)\(", "\n".join(c.source for c in nb.cells))
    assert [name for name in shown if name in PARTS] == list(PARTS)
