"""The document settings in effect decide whether a report is up to date: an F4 run after an
A4 build rebuilds, and gives F4 pages."""

from __future__ import annotations

import json
import shutil
import sys

import docx
import pytest
from conftest import ROOT, report_args, run_lkj
from pypdf import PdfReader

from lkj.core.config import load_config
from lkj.run.paths import MANIFEST, RUN_FILE, SETTINGS_KEY, Paths, fingerprint, is_up_to_date

A4 = load_config().dokumen
F4 = A4.with_paper("F4")
PT_PER_MM = 72 / 25.4


def _fake_report(tmp_path, settings):
    """outputs/2022 with a manifest recording ``settings`` (no real build)."""
    (tmp_path / "raw" / "2022").mkdir(parents=True)
    (tmp_path / "raw" / "2022" / "instansi.csv").write_text("kunci,nilai\n", encoding="utf-8")
    paths = Paths.resolve(2022, tmp_path / "raw", tmp_path / "processed", tmp_path / "out")
    paths.processed.mkdir(parents=True)
    paths.output.mkdir(parents=True)
    (paths.output / "LKj_2022.pdf").write_bytes(b"%PDF-1.7")
    (paths.processed / RUN_FILE).write_text("run-uji\n", encoding="utf-8")
    manifest = {
        "inputs": fingerprint(paths, ROOT, settings),
        "outputs": ["LKj_2022.pdf"],
        "run": "run-uji",
        "interpreter": sys.executable,
    }
    (paths.output / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    return paths


def test_settings_are_part_of_the_fingerprint(tmp_path):
    paths = _fake_report(tmp_path, A4.settings())
    assert is_up_to_date(paths, ROOT, A4.settings())
    assert not is_up_to_date(paths, ROOT, F4.settings())
    recorded = json.loads(fingerprint(paths, ROOT, F4.settings())[SETTINGS_KEY])
    assert recorded["paper"] == "F4" and recorded["margin_left_cm"] == 3.0


@pytest.mark.e2e
def test_f4_run_after_a4_build_rebuilds_on_f4(built_2022, tmp_path):
    base = tmp_path / "f4"
    for name in ("raw", "out", "processed"):
        shutil.copytree(built_2022 / name, base / name)
    a4_pdf = PdfReader(base / "out" / "2022" / "LKj_2022.pdf")
    assert round(float(a4_pdf.pages[0].mediabox.height)) == 842  # the session build is A4

    result = run_lkj(*report_args(base), "--kertas", "F4")
    assert result.returncode == 0, result.stderr
    assert "selesai" in result.stdout and "sudah mutakhir" not in result.stdout
    reader = PdfReader(base / "out" / "2022" / "LKj_2022.pdf")
    portrait = [p for p in reader.pages if p.mediabox.height > p.mediabox.width]
    landscape = [p for p in reader.pages if p.mediabox.width > p.mediabox.height]
    assert len(portrait) + len(landscape) == len(reader.pages) and landscape
    for page in portrait:
        assert float(page.mediabox.width) == pytest.approx(215 * PT_PER_MM, abs=0.05)
        assert float(page.mediabox.height) == pytest.approx(330 * PT_PER_MM, abs=0.05)
    for page in landscape:
        assert float(page.mediabox.width) == pytest.approx(330 * PT_PER_MM, abs=0.05)
    manifest = json.loads((base / "out" / "2022" / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["dokumen"]["paper"] == "F4"
    # the Word document too: every section F4, portrait or landscape
    word = docx.Document(base / "out" / "2022" / "LKj_2022.docx")
    sizes = {
        tuple(sorted((round(s.page_width.mm), round(s.page_height.mm)))) for s in word.sections
    }
    assert sizes == {(215, 330)} and len(word.sections) > 1

    again = run_lkj(*report_args(base), "--kertas", "f4")
    assert again.returncode == 0 and "sudah mutakhir" in again.stdout
    paths = Paths.resolve(2022, base / "raw", base / "processed" / "2022", base / "out" / "2022")
    assert not is_up_to_date(paths, ROOT, A4.settings())  # an A4 run would rebuild


def test_unknown_paper_is_refused_before_any_work(tmp_path):
    result = run_lkj("report", "--year", "2022", "--kertas", "Letter", "--output", str(tmp_path))
    assert result.returncode == 1
    assert "kertas 'Letter' tidak dikenal" in result.stderr and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []
