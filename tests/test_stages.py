"""Only what changed is rebuilt (per-stage up-to-date checks), and the preview.

Each case starts from a copy of the session's report (``built_2022``), changes one input, runs
``lkj report`` again and checks which stages ran (the log line "tahap dijalankan: ...") and
that the outputs of the reused stages are the very bytes of the last good run. Timing is
measured by scripts/bench.py, not here.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from lkj.document.files import PRINT_DOCUMENT
from tests.conftest import report_args, run_lkj

STAGES = ["ingest", "capaian", "grafik", "laporan"]
EARLY = {"ingest": "01_ingest", "capaian": "02_capaian", "grafik": "03_grafik"}


def _copy(built: Path, base: Path) -> Path:
    for part in ("raw", "out", "processed"):
        shutil.copytree(built / part, base / part)
    return base


def _hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _stages_line(stdout: str) -> tuple[list[str], list[str]]:
    match = re.search(r"tahap dijalankan: (.*); dipakai ulang: (.*)", stdout)
    assert match, stdout

    def names(text: str) -> list[str]:
        return [] if text.strip() == "-" else [n.strip() for n in text.split(",")]

    return names(match.group(1)), names(match.group(2))


def _manifest(base: Path) -> dict:
    return json.loads((base / "out" / "2022" / "manifest.json").read_text(encoding="utf-8"))


def _early_files(base: Path) -> dict[str, str]:
    """Executed notebooks 01-03, their HTML, processed tables of 01-02 and figures."""
    out = _hashes(base / "out" / "2022")
    kept = {k: v for k, v in out.items() if k.startswith(("notebooks/0", "figures/"))}
    kept = {k: v for k, v in kept.items() if not k.startswith("notebooks/04")}
    kept.update({f"processed/{k}": v for k, v in _hashes(base / "processed" / "2022").items()})
    kept.pop("processed/.lkj-run")
    # the report stage's: its document and the raw-data workbook, for printing
    kept.pop(f"processed/{PRINT_DOCUMENT}")
    kept.pop("processed/LKj_2022_data_mentah.xlsx")
    return kept


def test_an_edited_narasi_file_reruns_only_the_report_stage(built_2022, tmp_path):
    base = _copy(built_2022, tmp_path)
    before = _early_files(base)
    run_before = _manifest(base)["run"]
    report_before = (base / "out" / "2022" / "notebooks" / "04_laporan.ipynb").read_bytes()
    narasi = base / "raw" / "2022" / "narasi" / "penutup.md"
    sentence = "Kalimat baru untuk menguji pembangunan ulang per tahap."
    narasi.write_text(narasi.read_text(encoding="utf-8") + f"\n{sentence}\n", encoding="utf-8")

    result = run_lkj(*report_args(base))
    assert result.returncode == 0, result.stderr
    ran, reused = _stages_line(result.stdout)
    assert ran == ["laporan"] and reused == ["ingest", "capaian", "grafik"]
    for stem in EARLY.values():
        assert f"{stem}.ipynb: tidak berubah, dipakai ulang" in result.stdout
    assert _early_files(base) == before  # the same bytes: copied, not re-executed
    manifest = _manifest(base)
    assert manifest["run"] != run_before
    assert (base / "processed" / "2022" / ".lkj-run").read_text().strip() == manifest["run"]
    report_nb = base / "out" / "2022" / "notebooks" / "04_laporan.ipynb"
    assert report_nb.read_bytes() != report_before
    assert sentence in (base / "out" / "2022" / "LKj_2022.html").read_text(encoding="utf-8")
    handed = base / "processed" / "2022" / PRINT_DOCUMENT  # written anew by the report stage
    assert sentence in handed.read_text(encoding="utf-8")
    assert {f"processed/{PRINT_DOCUMENT}", "processed/LKj_2022_data_mentah.xlsx"} <= set(
        manifest["stages"]["laporan"]["files"]
    )
    assert set(manifest["stages"]) == set(STAGES)
    # nothing changed since: the no-op
    again = run_lkj(*report_args(base))
    assert again.returncode == 0 and "sudah mutakhir" in again.stdout


@pytest.mark.slow  # a full rebuild: make test-all
def test_an_edited_sub_kegiatan_reruns_every_stage(built_2022, tmp_path):
    base = _copy(built_2022, tmp_path)
    path = base / "raw" / "2022" / "sub_kegiatan.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    col = rows[0].index("anggaran_rp")
    rows[1][col] = str(int(rows[1][col]) + 1000)
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)

    result = run_lkj(*report_args(base))
    assert result.returncode == 0, result.stderr
    assert _stages_line(result.stdout) == (STAGES, [])
    with (base / "processed" / "2022" / "sub_kegiatan.csv").open(encoding="utf-8") as f:
        written = list(csv.reader(f))
    assert written[1][written[0].index("anggaran_rp")] == rows[1][col]


def test_a_changed_paper_reruns_only_the_report_stage(built_2022, tmp_path):
    base = _copy(built_2022, tmp_path)
    before = _early_files(base)
    result = run_lkj(*report_args(base), "--kertas", "F4")
    assert result.returncode == 0, result.stderr
    assert _stages_line(result.stdout) == (["laporan"], ["ingest", "capaian", "grafik"])
    assert _early_files(base) == before
    assert _manifest(base)["dokumen"]["paper"] == "F4"


@pytest.mark.slow  # a full rebuild: make test-all
def test_force_reruns_every_stage(built_2022, tmp_path):
    base = _copy(built_2022, tmp_path)
    result = run_lkj(*report_args(base), "--force")
    assert result.returncode == 0, result.stderr
    assert _stages_line(result.stdout) == (STAGES, [])


def _preview_args(base: Path) -> list[str]:
    return ["preview", *report_args(base)[1:]]


@pytest.mark.parametrize("edit", ["narasi", "data"])
def test_the_preview_is_marked_and_never_touches_the_report(built_2022, tmp_path, edit):
    base = _copy(built_2022, tmp_path)
    report, processed = _hashes(base / "out" / "2022"), _hashes(base / "processed" / "2022")
    sentence = "Kalimat pratinjau yang baru saja ditulis."
    narasi = base / "raw" / "2022" / "narasi" / "penutup.md"
    narasi.write_text(narasi.read_text(encoding="utf-8") + f"\n{sentence}\n", encoding="utf-8")
    if edit == "data":  # the budget of the first sub kegiatan: ingest and capaian rerun
        path = base / "raw" / "2022" / "sub_kegiatan.csv"
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        col = rows[0].index("anggaran_rp")
        total = sum(int(r[col]) for r in rows[1:]) + 1000
        rows[1][col] = str(int(rows[1][col]) + 1000)
        with path.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(rows)

    result = run_lkj(*_preview_args(base))
    assert result.returncode == 0, result.stderr
    page = base / "out" / "2022-pratinjau" / "LKj_2022_pratinjau.html"
    assert sorted(p.name for p in page.parent.iterdir()) == [page.name]
    html = page.read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    banner = soup.select(".lkj-pratinjau")
    assert [b.get_text() for b in banner] == ["PRATINJAU — bukan laporan resmi"]
    assert soup.title.get_text().startswith("PRATINJAU — bukan laporan resmi")
    assert sentence in html
    assert _hashes(base / "out" / "2022") == report  # the last full report as it was
    assert _hashes(base / "processed" / "2022") == processed
    if edit == "data":
        assert "data berubah sejak laporan terakhir" in result.stdout
        # the Jumlah of the budget table shows the new total (format_rp: 1.234.567)
        assert f"{total:,}".replace(",", ".") in html
    else:
        assert "dari laporan terakhir" in result.stdout


def _page_parts(soup: BeautifulSoup) -> dict:
    """What a reader of the page sees, for comparing the preview with the report."""
    metas = [m.attrs for m in soup.head.find_all("meta") if m.get("name") != "generator"]
    for built in soup.select("p.provenance-waktu"):  # "Dibangun pada <today>": may differ
        built.decompose()
    return {
        "styles": [s.get_text() for s in soup.head.find_all("style")],
        "metas": metas,
        "body": soup.body["class"],
        "toc": [(a["href"], a.get_text()) for a in soup.select("nav.toc a")],
        "navigasi": [(a["href"], a.get_text()) for a in soup.select("nav.navigasi a")],
        "figures": [(img["src"], img["alt"]) for img in soup.select("figure img")],
        "text": " ".join(soup.main.get_text(" ").split()),
    }


def test_the_preview_without_an_edit_is_the_report_page(built_2022, tmp_path):
    """The preview (made without nbconvert, lkj.render.page.report_page) shows what the report page
    shows: every table cell by cell, the daftar isi, the navigation, the figures, the
    stylesheets and the text; the PRATINJAU mark is added, once on the page and in the title."""
    from tests.conftest import html_tables

    base = _copy(built_2022, tmp_path)
    result = run_lkj(*_preview_args(base))
    assert result.returncode == 0, result.stderr
    assert "dari laporan terakhir" in result.stdout
    report = (base / "out" / "2022" / "LKj_2022.html").read_text(encoding="utf-8")
    preview = (base / "out" / "2022-pratinjau" / "LKj_2022_pratinjau.html").read_text("utf-8")

    tables = html_tables(report)
    assert html_tables(preview) == tables
    assert len(tables) == 43  # 42 + Bab III 3.6 status against the Renstra end target
    assert len(tables["Tabel 3.17"]["rows"]) == 35 + 1  # every sub kegiatan and the total

    ours, theirs = BeautifulSoup(preview, "html.parser"), BeautifulSoup(report, "html.parser")
    mark = "PRATINJAU — bukan laporan resmi"
    assert ours.title.get_text() == f"{mark}: {theirs.title.get_text()}"
    assert [b.get_text() for b in ours.select(".lkj-pratinjau")] == [mark]
    assert ours.body.get_text().count("PRATINJAU") == 1
    for banner in ours.select(".lkj-pratinjau"):
        banner.decompose()
    page, expected = _page_parts(ours), _page_parts(theirs)
    assert page == expected
    # 26 + "3.6 Analisis terhadap Target Jangka Menengah dan Pembanding"
    assert len(expected["toc"]) == 27 and len(expected["figures"]) == 7


def test_a_preview_of_bad_data_stops_with_the_data_error(built_2022, tmp_path):
    """Changed data is validated again (only files the last run validated are read without
    the checks): the error names file, row and column; no page, the report untouched."""
    base = _copy(built_2022, tmp_path)
    report = _hashes(base / "out" / "2022")
    path = base / "raw" / "2022" / "sub_kegiatan.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    rows[1][rows[0].index("anggaran_rp")] = "-5"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)

    result = run_lkj(*_preview_args(base))
    assert result.returncode == 1
    assert "sub_kegiatan.csv" in result.stderr
    assert "baris 2" in result.stderr and "anggaran_rp" in result.stderr
    folder = base / "out" / "2022-pratinjau"
    assert not folder.exists() or not list(folder.iterdir())
    assert _hashes(base / "out" / "2022") == report


def test_a_preview_of_synthetic_data_says_so_on_every_page(tmp_path):
    """No report yet (ingest, capaian and grafik done by the preview itself) and synthetic
    data (instansi.csv: data_sintetis = ya): the page carries the DATA SINTETIS banner and
    body class, and its print style the label in every page header, as the report does."""
    from tests.conftest import RAW_2022

    shutil.copytree(RAW_2022, tmp_path / "raw" / "2022")
    with (tmp_path / "raw" / "2022" / "instansi.csv").open("a", encoding="utf-8") as f:
        f.write("data_sintetis,ya\n")
    result = run_lkj(*_preview_args(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "dihitung ulang" in result.stdout
    assert not (tmp_path / "out" / "2022").exists()  # the preview never makes the report
    page = tmp_path / "out" / "2022-pratinjau" / "LKj_2022_pratinjau.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    assert "lkj-sintetis" in soup.body["class"]
    banners = [" ".join(b.get_text().split()) for b in soup.select(".lkj-sintetis-banner")]
    assert banners == ["DATA SINTETIS: bukan data kinerja sebenarnya"]
    assert 'content: "DATA SINTETIS"' in soup.find("style", id="lkj-halaman").get_text()
    assert [b.get_text() for b in soup.select(".lkj-pratinjau")] == [
        "PRATINJAU — bukan laporan resmi"
    ]
