"""End to end: `python -m lkj report` on the 2022 data, as a user runs it.

Checks the figures in the HTML and PDF against hand-derived ones (see test_results_2022.py
for the derivations), that a rerun does nothing, and that bad data stops the run with a clear
message while the previous report stays as it was.
"""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.e2e

# Figures computed by hand from the seed's detailed rows.
EXPECTED = [
    "Rp 4.920.098.606",  # total anggaran of the 35 sub kegiatan
    "Rp 4.016.972.430",  # total realisasi
    "81,64%",  # 4.016.972.430 / 4.920.098.606
    "Rp 903.126.176",  # SILPA
    "1.095.556.100",  # realisasi of sasaran 2 (the seed's Tabel 3.11 says 1.078.044.100)
    "99,71",  # its serapan
    "2.033.333.100",  # belanja langsung for the sasaran
    "92,23",  # capaian fisik of program 03, budget-weighted
    "88,00",  # capaian fisik of program 05 (the seed says 94,00)
    "34,20",  # capaian fisik of kegiatan 01.02 (gaji: 10 of 30 pegawai)
    "4.904.098.606",  # the LRA total, shown beside the sub kegiatan total
    "81,95",  # serapan belanja pegawai
]


def _run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "lkj", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One full report built from a private copy of the data, into a temporary folder."""
    import shutil

    base = tmp_path_factory.mktemp("e2e")
    raw = base / "raw"
    shutil.copytree(ROOT / "data" / "raw" / "2022", raw / "2022")
    out, processed = base / "out" / "2022", base / "processed" / "2022"
    args = ["report", "--year", "2022", "--raw", str(raw), "--output", str(out)]
    args += ["--processed", str(processed)]
    started = time.perf_counter()
    result = _run(*args)
    assert result.returncode == 0, result.stderr
    return {
        "base": base,
        "raw": raw,
        "out": out,
        "processed": processed,
        "args": args,
        "seconds": time.perf_counter() - started,
        "stdout": result.stdout,
    }


def test_outputs_exist(built):
    out = built["out"]
    for name in ["LKj_2022.html", "LKj_2022.pdf", "manifest.json"]:
        assert (out / name).is_file(), name
    for stem in [
        "grafik_1_anggaran_program",
        "grafik_2_capaian_kegiatan",
        "grafik_3_capaian_sub_kegiatan",
    ]:
        assert (out / "figures" / f"{stem}.png").stat().st_size > 10_000
        assert (out / "figures" / f"{stem}.svg").is_file()
    executed = sorted(p.name for p in (out / "notebooks").glob("*.ipynb"))
    assert executed == [
        "01_ingest.ipynb",
        "02_capaian.ipynb",
        "03_grafik.ipynb",
        "04_laporan.ipynb",
    ]
    assert (built["processed"] / "capaian_sub_kegiatan.csv").is_file()


def test_html_report_holds_the_computed_figures(built):
    html = (built["out"] / "LKj_2022.html").read_text(encoding="utf-8")
    for figure in EXPECTED:
        assert figure in html, figure
    for caption in [
        "Tabel 3.3 Evaluasi Indikator Kinerja Sasaran",
        "Tabel 3.9",
        "Tabel 3.11",
        "Grafik 1",
        "Grafik 2",
        "Grafik 3",
        "Sangat Memuaskan",
    ]:
        assert caption in html, caption


def test_html_report_is_offline_and_shows_no_code(built):
    html = (built["out"] / "LKj_2022.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html)
    assert "<script src" not in html
    assert "sections.bab_iii" not in html  # the report shows no code


def test_reviewer_notebooks_show_their_code(built):
    html = (built["out"] / "notebooks" / "02_capaian.html").read_text(encoding="utf-8")
    assert "compute_results" in html
    assert "92.229" in html  # the DataFrame output of program 03's capaian


def test_pdf_is_a4_with_toc_page_numbers_and_figures(built):
    reader = PdfReader(built["out"] / "LKj_2022.pdf")
    assert len(reader.pages) >= 10
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "DAFTAR ISI" in text
    assert "Halaman 5" in text
    for figure in ["4.920.098.606", "1.095.556.100", "92,23", "34,20"]:
        assert figure in text, figure


def test_rerun_with_nothing_changed_does_nothing(built):
    before = (built["out"] / "LKj_2022.pdf").stat().st_mtime_ns
    result = _run(*built["args"])
    assert result.returncode == 0
    assert "sudah mutakhir" in result.stdout
    assert (built["out"] / "LKj_2022.pdf").stat().st_mtime_ns == before


def test_bad_data_stops_and_keeps_the_previous_report(built):
    pdf = (built["out"] / "LKj_2022.pdf").read_bytes()
    path = built["raw"] / "2022" / "sub_kegiatan.csv"
    original = path.read_text(encoding="utf-8")
    rows = list(csv.reader(original.splitlines()))
    rows[4][rows[0].index("anggaran_rp")] = "-100"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    try:
        result = _run(*built["args"])
    finally:
        path.write_text(original, encoding="utf-8")
    assert result.returncode == 1
    assert "sub_kegiatan.csv, baris 5, kolom anggaran_rp: diharapkan angka ≥ 0" in result.stderr
    assert "Traceback" not in result.stderr
    assert (built["out"] / "LKj_2022.pdf").read_bytes() == pdf
    assert not list(built["out"].parent.glob(".staging-*"))
