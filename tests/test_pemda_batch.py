"""``python -m lkj pemda`` end to end on real Dask clusters, and its faults (in ``make test``).

* The default route: the command starts a LocalCluster of two worker processes (``--workers 2``,
  what ``make pemda WORKERS=2`` passes) for a pemda of 3 OPDs written by ``lkj contoh-pemda``
  from the command line (two synthetic, Kesbangpol real), one of them with a corrupted
  sub_kegiatan.csv. Built once for the module (``local_batch``) and read by several tests: that
  OPD alone fails, with its clear data error in the summary, in batch.log and a non-zero
  status; the two others have their reports and rendered notebooks; the LKjIP
  (``lkjip_document``) lists the failed OPD as failed and shows each OPD's anggaran, realisasi
  and serapan equal to the sums of its raw rows; every page of the LKjIP PDF says DATA
  SINTETIS; the index page opens offline in headless Chromium and every link resolves; a
  second run does nothing.
* The scheduler-address route: ``dask scheduler`` and ``dask worker`` (two worker processes of
  one thread) started as processes on 127.0.0.1; the command is pointed at them with
  ``--scheduler``. One worker process is killed while it builds a report: Dask sends its task
  to another worker (``build_opd`` is idempotent) and every report is built.
* A scheduler killed in the middle of a run: one line, a non-zero status, every finished OPD
  kept with its status; the next run builds only the rest.
* An unreachable scheduler: one line, a non-zero status, the status file untouched.

No run prints a traceback. Cost in ``make test``: about eight reports built in five batch runs
(one interrupted, one cut by a lost scheduler), a no-op run and the Chromium checks: about two
and a half minutes on two idle cores. The 40-OPD demo is marked slow (``make test-all``).
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import hashlib
import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from urllib.parse import unquote, urlsplit

import psutil
import pytest
from browser_check import check_page, find_chromium
from bs4 import BeautifulSoup
from conftest import ROOT, find_table, run_lkj
from pypdf import PdfReader
from test_tandatangan import PASSWORD, _validate, pki  # noqa: F401 - pki: the test CA fixture
from triwulan_case import yearly_spent

from lkj.core.config import load_config
from lkj.document.model import Document, Heading, Paragraph, Part, Signature
from lkj.pemda.contoh import write_contoh_pemda
from lkj.render import to_pdf
from lkj.run.penilaian import deadline_line

pytestmark = [pytest.mark.e2e]
YEAR = 2022
ENV = {**os.environ, "PYTHONWARNINGS": "ignore"}


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _corrupt(path: Path) -> int:
    """Write the budget of the 5th sub kegiatan with thousands dots; returns its row."""
    text = path.read_text(encoding="utf-8").splitlines()
    header = text[0].split(",")
    line = 5  # spreadsheet row 5 = text[4]
    cells = next(csv.reader([text[line - 1]]))
    cells[header.index("anggaran_rp")] = "1.500.000"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(cells)
    text[line - 1] = buffer.getvalue()
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    return line


def _lkj_args(base: Path, *extra: str) -> list[str]:
    return [
        "pemda", "--year", str(YEAR), "--dir", str(base / "data"),
        "--output", str(base / "out"), "--processed", str(base / "processed"), *extra,
    ]  # fmt: skip


def _stamps(folder: Path) -> dict[Path, int]:
    """Every file's modification time, the batch log aside (each run appends to it)."""
    return {
        p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file() and p.name != "batch.log"
    }


@pytest.fixture(scope="module")
def local_batch(tmp_path_factory):
    """The pemda written by ``lkj contoh-pemda``, built on a LocalCluster of two worker
    processes, then a second time."""
    base = tmp_path_factory.mktemp("pemda_batch")
    contoh = run_lkj("contoh-pemda", "--jumlah", "3", "--seed", "7", "--dir", str(base / "data"))
    root = base / "data" / "contoh"
    bad_row = _corrupt(root / "opd" / "02" / str(YEAR) / "sub_kegiatan.csv")
    first = run_lkj(*_lkj_args(base, "--workers", "2"), timeout=900)
    stamps = _stamps(base / "out")
    second = run_lkj(*_lkj_args(base, "--workers", "2"), timeout=300)
    return {
        "base": base,
        "root": root,
        "out": base / "out" / str(YEAR),
        "contoh": contoh,
        "first": first,
        "second": second,
        "stamps": stamps,
        "bad_row": bad_row,
    }


def test_contoh_pemda_from_the_command_line(local_batch, tmp_path):
    """The command writes what the function writes, and refuses to overwrite without --force."""
    contoh = local_batch["contoh"]
    assert contoh.returncode == 0, contoh.stderr
    assert "Pemda contoh (DATA SINTETIS) ditulis:" in contoh.stdout
    assert "(3 OPD, seed 7)" in contoh.stdout
    base = tmp_path / "data"
    assert (
        run_lkj("contoh-pemda", "--jumlah", "3", "--seed", "7", "--dir", str(base)).returncode == 0
    )
    same = write_contoh_pemda(3, seed=7, base_dir=tmp_path / "function")
    mine = {
        p.relative_to(base / "contoh"): p.read_bytes()
        for p in (base / "contoh").rglob("*")
        if p.is_file()
    }
    theirs = {p.relative_to(same): p.read_bytes() for p in same.rglob("*") if p.is_file()}
    assert mine == theirs and len(mine) > 3 * 10
    target = base / "contoh" / "pemda" / "pemda.csv"
    before = target.stat().st_mtime_ns
    again = run_lkj("contoh-pemda", "--jumlah", "4", "--seed", "2", "--dir", str(base))
    assert again.returncode == 1 and again.stdout == ""
    lines = again.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("lkj: kesalahan: ") and "--force" in lines[0]
    assert target.stat().st_mtime_ns == before
    forced = run_lkj("contoh-pemda", "--jumlah", "4", "--seed", "2", "--dir", str(base), "--force")
    assert forced.returncode == 0, forced.stderr
    opd = _rows(base / "contoh" / "pemda" / "opd.csv")
    assert len(opd) == 4


def test_failing_opd_fails_alone_with_a_clear_error(local_batch):
    first = local_batch["first"]
    assert first.returncode == 1, first.stderr
    text = first.stdout + first.stderr
    assert "Cluster Dask lokal: 2 proses worker" in text  # the default route: a LocalCluster
    assert "Traceback" not in text
    assert re.search(r"\(2 dibangun, 1 gagal\)", text), text
    assert "GAGAL 02 Sekretariat DPRD" in text
    message = re.search(r"\S*opd/02/2022/sub_kegiatan\.csv, baris (\d+), kolom (\w+): (.*)", text)
    assert message, text
    assert (int(message.group(1)), message.group(2)) == (local_batch["bad_row"], "anggaran_rp")
    assert "1.500.000" in message.group(3)
    assert "<worker>" not in text and "lkj-opd-" not in text  # no worker temp paths
    out = local_batch["out"]
    for kode in ("01", "03"):
        folder = out / "opd" / kode
        assert (folder / f"LKj_{YEAR}.pdf").is_file() and (folder / f"LKj_{YEAR}.html").is_file()
        assert len(list((folder / "notebooks").glob("0*.html"))) == 4
        assert (
            local_batch["base"] / "processed" / str(YEAR) / kode / "capaian_sub_kegiatan.csv"
        ).is_file()
    assert not (out / "opd" / "02").exists()
    status = json.loads((out / "status.json").read_text())
    assert [status["opd"][k]["status"] for k in ("01", "02", "03")] == ["ok", "gagal", "ok"]
    assert status["opd"]["02"]["kind"] == "data"
    # The batch log kept in the outputs names the failure with its whole message.
    log = (out / "batch.log").read_text(encoding="utf-8")
    entries = [line.split(" ", 2)[2] for line in log.splitlines()]
    opd = {}
    for at, entry in enumerate(entries):
        hit = re.fullmatch(r"OPD (\w+) (\w+) di worker \S+:\d+ \([\d.]+ s\)(:?)", entry)
        if hit:
            opd[hit.group(1)] = (hit.group(2), entries[at + 1] if hit.group(3) else "")
    assert {k: v[0] for k, v in opd.items()} == {"01": "dibangun", "02": "gagal", "03": "dibangun"}
    assert f"baris {local_batch['bad_row']}, kolom anggaran_rp" in opd["02"][1]


def _pct(numerator: int, denominator: int) -> str:
    value = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    return f"{value:.2f}".replace(".", ",")


def _angka(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _table(soup: BeautifulSoup, title: str) -> list[list[str]]:
    caption = next(c for c in soup.find_all("caption") if title in c.get_text())
    table = caption.find_parent("table")
    return [  # a header's soft hyphen (its break point in print) is not shown
        [
            " ".join(td.get_text(" ").replace("\u00ad", "").split())
            for td in tr.find_all(["td", "th"])
        ]
        for tr in table.find_all("tr")
    ]


def test_lkjip_figures_equal_the_raw_rows(local_batch):
    out, root = local_batch["out"], local_batch["root"]
    html = (out / f"LKjIP_{YEAR}.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    rows = _table(soup, "Kinerja dan Realisasi Anggaran Perangkat Daerah")
    header = rows[0]
    by_name = {r[1]: dict(zip(header, r, strict=True)) for r in rows[1:-1]}
    names = {r["kode_opd"]: r["nama_opd"] for r in _rows(root / "pemda" / "opd.csv")}
    totals = [0, 0]
    for kode in ("01", "03"):
        subs = _rows(root / "opd" / kode / str(YEAR) / "sub_kegiatan.csv")
        budget = sum(int(r["anggaran_rp"]) for r in subs)
        spent = int(sum(yearly_spent(root / "opd" / kode / str(YEAR)).values()))
        totals[0] += budget
        totals[1] += spent
        cells = by_name[names[kode]]
        assert cells["Anggaran (Rp)"] == _angka(budget)
        assert cells["Realisasi (Rp)"] == _angka(spent)
        assert cells["Serapan (%)"] == _pct(spent, budget)
        assert cells["Peringkat"] in ("1", "2")
    failed = by_name[names["02"]]
    assert failed["Peringkat"] == "gagal diolah" and failed["Anggaran (Rp)"] == "-"
    total_row = dict(zip(header, rows[-1], strict=True))
    assert total_row["Anggaran (Rp)"] == _angka(totals[0])
    assert total_row["Realisasi (Rp)"] == _angka(totals[1])
    assert total_row["Serapan (%)"] == _pct(totals[1], totals[0])
    # The data quality chapter names the failed OPD with its error.
    quality = _table(soup, "Temuan Kualitas Data")
    failed_rows = [r for r in quality[1:] if r[1] == "gagal"]
    assert len(failed_rows) == 1 and failed_rows[0][2] == "02"
    assert f"baris {local_batch['bad_row']}, kolom anggaran_rp" in failed_rows[0][4]
    # Every page of the PDF says DATA SINTETIS (the pemda is synthetic).
    pages = PdfReader(out / f"LKjIP_{YEAR}.pdf").pages
    assert len(pages) > 10
    assert all("DATA SINTETIS" in p.extract_text() for p in pages)
    # ... and every page header of the Word documents, the LKjIP's and a synthetic OPD's.
    import docx

    for path in (out / f"LKjIP_{YEAR}.docx", out / "opd" / "01" / f"LKj_{YEAR}.docx"):
        sections = docx.Document(str(path)).sections
        assert all(s.header.paragraphs[0].text.startswith("DATA SINTETIS") for s in sections)


def test_lkjip_page_as_a_typesetter_would_pass_it(local_batch):
    """The LKjIP of the small pemda (one OPD failed) read from its PDF's geometry, as the OPD
    report is in test_layout.py: no text on or near a cell rule, every category label whole,
    no heading or caption ending a page, no one-row table part, no near-empty page, no table
    text under 8 pt, nothing past the margins, every caption above a ruled table."""
    import layout_geometry as geometry

    found = geometry.check_pdf(local_batch["out"] / f"LKjIP_{YEAR}.pdf")
    assert found.tables > 0 and found.labels > 0  # the checks had something to look at
    counts = found.counts()
    for name in ("crossing", "labels_cut", "lonely", "thin_parts", "near_empty", "small_text"):
        assert counts[name] == 0, (name, getattr(found, name)[:5])
    assert found.outside == [] and found.unruled == [], (found.outside[:5], found.unruled[:5])


def test_opd_reports_pass_the_page_checks(local_batch):
    """The OPD reports of the batch (02 failed on its bad row: two built), read from their
    PDFs' geometry: no text on or near a rule, every label whole, no heading or caption
    ending a page (an empty narasi section prints its note), no one-row part, no page under
    40 % full, no table text under 8 pt, nothing past the margins, every caption above a
    ruled table."""
    import layout_geometry as geometry

    pdfs = sorted((local_batch["out"] / "opd").glob(f"*/LKj_{YEAR}.pdf"))
    assert [p.parent.name for p in pdfs] == ["01", "03"]
    for pdf in pdfs:
        found = geometry.check_pdf(pdf)
        assert found.tables > 10 and found.labels > 10
        counts = found.counts()
        for name, count in counts.items():
            if name not in ("pages", "tables", "labels"):
                assert count == 0, (pdf.parent.name, name, getattr(found, name)[:5])


def test_second_run_is_a_no_op(local_batch):
    second = local_batch["second"]
    assert second.returncode == 1, (
        second.stderr
    )  # the failed OPD still fails (its data did not change)
    text = second.stdout + second.stderr
    assert "Semua laporan sudah mutakhir, tidak ada yang dikerjakan." in text
    assert "(2 mutakhir, 1 gagal)" in text and "Cluster Dask" not in text
    assert "data tidak berubah sejak kegagalan terakhir" in text
    assert _stamps(local_batch["out"]) == local_batch["stamps"]
    log = (local_batch["out"] / "batch.log").read_text(encoding="utf-8")
    assert log.count("=== lkj pemda contoh 2022: ") == 2  # each run appends
    assert "=== lkj pemda contoh 2022: 0 laporan OPD untuk dibangun" in log


def _dashboard(out: Path) -> tuple[list[str], dict[str, dict[str, str]], dict[str, str]]:
    """The dashboard's header, its rows by kode (cell texts) and its totals row."""
    soup = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    table = soup.find("table", id="opd")
    header = [th.get_text(" ", strip=True) for th in table.thead.find_all("th")]
    rows = {}
    for tr in table.tbody.find_all("tr"):
        cells = [" ".join(td.get_text(" ").split()) for td in tr.find_all("td")]
        rows[cells[0]] = dict(zip(header, cells, strict=True))
    total = [" ".join(td.get_text(" ").split()) for td in table.tfoot.find_all("td")]
    return header, rows, dict(zip(header, total, strict=True))


def test_dashboard_figures_equal_the_raw_rows(local_batch):
    """Per OPD: status (the failed one first, with its error), realisasi and serapan from the
    raw rows; totals; the xlsx holds the same table."""
    out, root = local_batch["out"], local_batch["root"]
    header, rows, total = _dashboard(out)
    assert list(rows) == ["02", "01", "03"]  # failed first, then opd.csv order
    assert rows["02"]["Status"].startswith("gagal ")
    assert f"baris {local_batch['bad_row']}, kolom anggaran_rp" in rows["02"]["Status"]
    assert rows["02"]["Realisasi (Rp)"] == "-" and rows["02"]["Produk"] == "-"
    budget_total = spent_total = 0
    for kode in ("01", "03"):
        subs = _rows(root / "opd" / kode / str(YEAR) / "sub_kegiatan.csv")
        budget = sum(int(r["anggaran_rp"]) for r in subs)
        spent = int(sum(yearly_spent(root / "opd" / kode / str(YEAR)).values()))
        budget_total, spent_total = budget_total + budget, spent_total + spent
        assert rows[kode]["Status"] == "dibangun"
        assert rows[kode]["Realisasi (Rp)"] == f"Rp {_angka(spent)}"
        assert rows[kode]["Serapan (%)"] == _pct(spent, budget)
        assert rows[kode]["Ditandatangani"] == "tidak"
        sasaran = [
            r["kode_sasaran"] for r in _rows(root / "opd" / kode / str(YEAR) / "sasaran.csv")
        ]
        assert [p.split(" ")[0] for p in rows[kode]["Predikat per sasaran"].split(", ")] == sorted(
            sasaran
        )
    assert rows["03"]["Angka berbeda"] != "-"  # Kesbangpol states figures (angka_tertulis)
    assert rows["01"]["Angka berbeda"] == "-"  # the synthetic OPDs state none
    assert total["Realisasi (Rp)"] == f"Rp {_angka(spent_total)}"
    assert total["Serapan (%)"] == _pct(spent_total, budget_total)
    assert total["Perangkat Daerah"] == "Jumlah 3 OPD"
    import openpyxl

    sheet = openpyxl.load_workbook(out / f"ringkasan_opd_{YEAR}.xlsx")["OPD"]
    values = list(sheet.iter_rows(values_only=True))
    assert [v[0] for v in values[1:]] == ["02", "01", "03"]
    by_kode = {v[0]: dict(zip(values[0], v, strict=True)) for v in values[1:]}
    assert by_kode["03"]["realisasi_rp"] == int(rows["03"]["Realisasi (Rp)"][3:].replace(".", ""))
    assert by_kode["02"]["status"] == "gagal" and "anggaran_rp" in by_kode["02"]["galat"]


def test_lkjip_self_assessment_and_each_opds_deadline(local_batch):
    """Issue 23 on the shared batch build: the LKjIP's self-assessment beside it and linked on
    the dashboard (the failed OPD's IKU counted like the others: the IKU are the pemda's);
    every OPD's deadline, none signed: 28 February 2023 passed by the days since then."""
    import datetime as dt

    out = local_batch["out"]
    header, rows, _ = _dashboard(out)
    late = (dt.date.today() - dt.date(2023, 2, 28)).days
    assert header[-2:] == ["Batas waktu", "Produk"]
    assert {k: r["Batas waktu"] for k, r in rows.items()} == {
        k: f"28 Februari 2023: terlambat {late} hari, belum ditandatangani" for k in rows
    }
    soup = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = {a.get_text(): a["href"] for a in soup.select("p.lkjip a")}
    assert links["Penilaian Mandiri LKjIP (HTML)"] == f"LKjIP_{YEAR}_penilaian_mandiri.html"
    assert (out / f"LKjIP_{YEAR}_penilaian_mandiri.pdf").read_bytes().startswith(b"%PDF")
    page = (out / f"LKjIP_{YEAR}_penilaian_mandiri.html").read_text(encoding="utf-8")
    items = find_table(page, "3.b Kualitas Pelaporan Kinerja")["records"]
    iku = len(_rows(local_batch["root"] / "pemda" / "iku_pemda.csv"))
    assert [(r["Kode"], r["Indikator tercakup"].split(" (")[0]) for r in items[:4]] == [
        (f"3.b.{i}", f"{iku} dari {iku} indikator") for i in range(1, 5)
    ]
    # each built OPD's own self-assessment is one of its links (a page of its notebooks)
    assert "penilaian_mandiri" in rows["01"]["Produk"] and rows["02"]["Produk"] == "-"


def _q2(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _capaian_serapan(year_dir: Path) -> tuple[Decimal, Decimal]:
    """An OPD's capaian fisik (each sub kegiatan's realisasi / target x 100 at two decimals,
    weighted by its anggaran, the configured tertimbang_anggaran; sub kegiatan without a
    target left out) and its serapan (realisasi / anggaran x 100), by hand from the raw rows:
    a realisation is the sum of its four quarters where all four are given (issue 22), else
    the typed one (``yearly_spent`` for the rupiah)."""
    quarters: dict[str, list[Decimal]] = {}
    path = year_dir / "triwulan_sub_kegiatan.csv"
    for r in _rows(path) if path.is_file() else []:
        if r["realisasi_fisik"] != "":
            quarters.setdefault(r["kode_sub_kegiatan"], []).append(Decimal(r["realisasi_fisik"]))
    subs = _rows(year_dir / "sub_kegiatan.csv")
    weighted = weights = Decimal(0)
    for r in subs:
        q = quarters.get(r["kode_sub_kegiatan"], [])
        done = sum(q) if len(q) == 4 else r["realisasi_fisik"].strip()
        if r["target_fisik"].strip() in ("", "0") or done == "":
            continue
        sub = _q2(Decimal(done) * 100 / Decimal(r["target_fisik"]))
        weighted += sub * Decimal(r["anggaran_rp"])
        weights += Decimal(r["anggaran_rp"])
    budget = sum(Decimal(r["anggaran_rp"]) for r in subs)
    spent = sum(yearly_spent(year_dir).values())
    return _q2(weighted / weights), _q2(spent * 100 / budget)


def test_dashboard_quadrant_chart_places_each_opd_by_its_raw_rows(local_batch):
    """The quadrant chart (inline SVG): each built OPD's point at its serapan (x) and capaian
    fisik (y), both derived by hand from its raw rows; the dashed lines at their means; the
    failed OPD has no point. The scale is read from the chart itself: its axes run from its
    lowest to its highest tick label."""
    out, root = local_batch["out"], local_batch["root"]
    soup = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    svg = soup.find("svg", class_="kuadran")
    _, rows, _ = _dashboard(out)
    want = {}
    for kode in ("01", "03"):
        want[kode] = _capaian_serapan(root / "opd" / kode / str(YEAR))
        assert rows[kode]["Capaian (%)"] == f"{want[kode][0]:.2f}".replace(".", ",")
    points = {g["data-kode"]: g.circle for g in svg.find_all("g", class_="titik")}
    assert sorted(points) == ["01", "03"]  # 02 failed: no figures, no point
    x_axis, y_axis = (line for line in svg.find_all("line", class_="sumbu"))
    ticks = sorted({Decimal(t.get_text()) for t in svg.find_all("text", class_="skala")})
    lo, hi = ticks[0], ticks[-1]
    values = [v for pair in want.values() for v in pair]
    assert lo <= min(values) and hi >= max(values) and Decimal(100) in ticks

    def x_of(value: Decimal) -> Decimal:
        left, right = Decimal(x_axis["x1"]), Decimal(x_axis["x2"])
        return left + (value - lo) / (hi - lo) * (right - left)

    def y_of(value: Decimal) -> Decimal:
        bottom, top = Decimal(y_axis["y2"]), Decimal(y_axis["y1"])
        return bottom - (value - lo) / (hi - lo) * (bottom - top)

    for kode, (capaian, serapan) in want.items():
        circle = points[kode]
        assert abs(Decimal(circle["cx"]) - x_of(serapan)) <= Decimal("0.05"), kode
        assert abs(Decimal(circle["cy"]) - y_of(capaian)) <= Decimal("0.05"), kode
    vertical, horizontal = svg.find_all("line", class_="rerata")
    mean_serapan = sum(s for _, s in want.values()) / 2
    mean_capaian = sum(c for c, _ in want.values()) / 2
    assert vertical["x1"] == vertical["x2"] and horizontal["y1"] == horizontal["y2"]
    assert abs(Decimal(vertical["x1"]) - x_of(mean_serapan)) <= Decimal("0.05")
    assert abs(Decimal(horizontal["y1"]) - y_of(mean_capaian)) <= Decimal("0.05")
    # each point on its side of the lines: above the horizontal one iff above the mean
    for kode, (capaian, serapan) in want.items():
        above = Decimal(points[kode]["cy"]) < Decimal(horizontal["y1"])
        right = Decimal(points[kode]["cx"]) > Decimal(vertical["x1"])
        assert (above, right) == (capaian > mean_capaian, serapan > mean_serapan), kode


def test_tandatangan_of_an_opd_goes_to_its_report(local_batch, tmp_path):
    """``tandatangan --pemda --opd`` signs that OPD's report: here it refuses, the pemda
    being synthetic, naming the OPD's PDF; nothing is archived."""
    base = local_batch["base"]
    result = run_lkj(
        "tandatangan", "--year", str(YEAR), "--p12", str(tmp_path / "none.p12"),
        "--pemda", "contoh", "--pemda-dir", str(base / "data"), "--opd", "01",
        "--pemda-output", str(base / "out"), "--pemda-processed", str(base / "processed"),
        "--arsip", str(tmp_path / "arsip"),
    )  # fmt: skip
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("lkj: kesalahan: "), result.stderr
    assert f"opd/01/LKj_{YEAR}.pdf" in lines[0] and "sintetis" in lines[0].lower()
    assert not (tmp_path / "arsip").exists()


def _tandatangan_lkjip(base: Path, p12: Path, arsip: Path, *extra: str):
    return run_lkj(
        "tandatangan", "--year", str(YEAR), "--p12", str(p12), "--pemda", "contoh",
        "--pemda-dir", str(base / "data"), "--pemda-output", str(base / "out"),
        "--pemda-processed", str(base / "processed"), "--arsip", str(arsip), *extra,
        env={"LKJ_P12_PASSWORD": PASSWORD.decode()},
    )  # fmt: skip


def test_tandatangan_of_the_lkjip_refuses_synthetic_and_stale(local_batch, pki, tmp_path):  # noqa: F811
    """``tandatangan --pemda`` without ``--opd`` signs the LKjIP: the demo's LKjIP (up to date)
    is refused as synthetic; once a pemda table changes, as not up to date; nothing is
    archived, the dashboard shows no signed LKjIP."""
    base = local_batch["base"]
    result = _tandatangan_lkjip(base, pki["valid"], tmp_path / "arsip")
    assert result.returncode == 1 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("lkj: kesalahan: "), result.stderr
    assert f"LKjIP_{YEAR}.pdf: laporan dibuat dari DATA SINTETIS" in lines[0]
    assert not (tmp_path / "arsip").exists()
    assert "ditandatangani:" not in (local_batch["out"] / "index.html").read_text("utf-8")
    copy = tmp_path / "salinan"
    for part in ("data", "out", "processed"):
        shutil.copytree(base / part, copy / part)
    iku = copy / "data" / "contoh" / "pemda" / "kinerja_iku.csv"
    iku.write_text(iku.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # its bytes change
    stale = _tandatangan_lkjip(copy, pki["valid"], tmp_path / "arsip")
    assert stale.returncode == 1
    (line,) = stale.stderr.splitlines()
    assert "LKjIP tidak mutakhir (data pemda, kode atau pengaturan berubah sejak LKjIP" in line
    assert f"make pemda PEMDA=contoh YEAR={YEAR}" in line and not (tmp_path / "arsip").exists()


def test_tandatangan_of_the_lkjip_signs_archives_and_shows_on_the_dashboard(
    local_batch,
    pki,  # noqa: F811
    tmp_path,
):
    """The LKjIP route signs what it is given (``--pdf``: here a PDF made by the renderer with
    the head of region's signature block, standing for the LKjIP exported from its DOCX; the
    pemda's flag set to real data in a copy of the workspace, so that no page built from the
    demo's data goes unlabelled): pyHanko validates the signature against the test CA, it shows
    above the head of region's name, the copy goes to arsip/pemda/contoh/YEAR/ with its
    record, the LKjIP's deadline is printed and the dashboard links the signed copy."""
    copy = tmp_path / "salinan"
    for part in ("data", "out", "processed"):
        shutil.copytree(local_batch["base"] / part, copy / part)
    pemda_csv = copy / "data" / "contoh" / "pemda" / "pemda.csv"
    pemda_csv.write_text(
        pemda_csv.read_text(encoding="utf-8").replace("data_sintetis,ya", "data_sintetis,tidak"),
        encoding="utf-8",
    )
    name = "Bupati Contoh, S.E., M.M."
    assert f'kepala_daerah_nama,"{name}"' in pemda_csv.read_text(encoding="utf-8")
    signature = Signature("Manggar, ........................ 2023", ("Bupati Contoh,",), name)
    blocks = [Heading(1, "BAB IV PENUTUP"), Paragraph("LKjIP uji."), signature]
    pdf = tmp_path / "LKjIP_ekspor.pdf"
    document = Document("LKjIP 2022", [Part("laporan", blocks)])
    pdf.write_bytes(to_pdf.render_pdf(document, load_config().dokumen, signature_field=False))
    arsip = tmp_path / "arsip"
    result = _tandatangan_lkjip(copy, pki["valid"], arsip, "--pdf", str(pdf))
    assert result.returncode == 0, result.stderr
    (signed,) = (arsip / "pemda" / "contoh" / str(YEAR)).glob("*.pdf")
    assert re.fullmatch(rf"LKjIP_{YEAR}_ditandatangani_\d{{8}}-\d{{6}}\.pdf", signed.name)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Ditandatangani oleh YUSMAWANDI, S.Pd")
    assert f"  Tanda tangan tampak di atas nama {name!r}, halaman 1." in lines
    assert f"  Arsip: {signed}" in lines
    assert lines[-1] == deadline_line(YEAR, pemda=True)
    assert lines[-1].startswith(f"Batas waktu penyampaian 31 Maret {YEAR + 1}: ")
    _, status = _validate(signed.read_bytes(), pki["ca"])
    assert status.bottom_line and status.intact and status.valid
    record = json.loads(signed.with_suffix(".json").read_text(encoding="utf-8"))
    assert record["berkas"] == signed.name and record["pemda"] == "contoh"
    pemda_sha = hashlib.sha256(pemda_csv.read_bytes()).hexdigest()
    assert record["masukan"]["pemda/pemda.csv"] == pemda_sha  # as signed (lkj paket)
    page = BeautifulSoup(
        (copy / "out" / str(YEAR) / "index.html").read_text("utf-8"), "html.parser"
    )
    (link,) = [a for a in page.find_all("a") if "ditandatangani:" in a.get_text()]
    assert link.get_text(" ", strip=True) == f"LKjIP {YEAR} ditandatangani: {signed.name}"
    href = (copy / "out" / str(YEAR) / unquote(link["href"])).resolve()
    assert href == signed.resolve()


SORT_JS = """(function () {{
  document.querySelector('#opd th[data-kolom="{}"]').click();
  return Array.from(document.querySelectorAll("#opd tbody tr"), r => r.cells[0].textContent);
}})()"""
SEARCH_JS = """(function () {{
  var box = document.getElementById("cari");
  box.value = "{}";
  box.dispatchEvent(new Event("input"));
  return [Array.from(document.querySelectorAll("#opd tbody tr"))
            .filter(r => !r.hidden).map(r => r.cells[0].textContent),
          document.getElementById("jumlah-tampil").textContent];
}})()"""


@pytest.mark.browser
def test_dashboard_in_chromium_sorts_searches_and_links(local_batch):
    if find_chromium() is None and os.environ.get("LKJ_REQUIRE_BROWSER") != "1":
        pytest.skip("chromium not installed (apt-get install chromium)")
    out, root = local_batch["out"], local_batch["root"]
    serapan = {}
    for kode in ("01", "03"):
        subs = _rows(root / "opd" / kode / str(YEAR) / "sub_kegiatan.csv")
        spent = sum(yearly_spent(root / "opd" / kode / str(YEAR)).values())
        serapan[kode] = spent / sum(int(r["anggaran_rp"]) for r in subs)
    by_serapan = sorted(serapan, key=serapan.get)
    report = check_page(
        out / "index.html",
        scripts=(
            SORT_JS.format(6),  # Serapan (%): ascending, the failed OPD (no figure) first
            SORT_JS.format(6),  # again: descending
            SORT_JS.format(1),  # Perangkat Daerah, alphabetical
            SEARCH_JS.format("kesatuan bangsa"),
            SEARCH_JS.format("sekretariat"),
            SEARCH_JS.format(""),
        ),
    )
    assert report.loaded and report.external_requests == [] and report.console_errors == []
    assert report.script_elements == 1  # the page's own inline script, nothing loaded
    names = {r["kode_opd"]: r["nama_opd"] for r in _rows(root / "pemda" / "opd.csv")}
    assert report.evaluated[0] == ["02", *by_serapan]
    assert report.evaluated[1] == [*reversed(by_serapan), "02"]
    assert report.evaluated[2] == sorted(names, key=lambda k: names[k].casefold())
    assert report.evaluated[3] == [["03"], "1 dari 3 OPD"]
    assert report.evaluated[4][0] == sorted(k for k in names if "Sekretariat" in names[k])
    assert report.evaluated[5][1] == "3 dari 3 OPD"
    # LKjIP html + pdf + docx, its self-assessment html + pdf, the xlsx; per built OPD: html,
    # pdf, docx, 4 rendered notebooks and the self-assessment's page among them.
    assert len(report.links) == 6 + 2 * 8
    for link in report.links:
        parts = urlsplit(link)
        assert parts.scheme == "file", link
        assert Path(unquote(parts.path)).is_file(), link
    targets = {
        Path(unquote(urlsplit(link).path)).relative_to(out).as_posix() for link in report.links
    }
    assert f"LKjIP_{YEAR}.pdf" in targets and f"opd/03/LKj_{YEAR}.html" in targets
    assert f"LKjIP_{YEAR}.docx" in targets and f"opd/01/LKj_{YEAR}.docx" in targets
    assert "opd/01/notebooks/02_capaian.html" in targets
    assert f"ringkasan_opd_{YEAR}.xlsx" in targets
    lkjip = check_page(out / f"LKjIP_{YEAR}.html")
    assert lkjip.loaded and lkjip.external_requests == [] and lkjip.broken_images == []


# --- The scheduler-address route and its faults -------------------------------------------


@contextlib.contextmanager
def _cluster(base: Path, nworkers: int = 2):
    """``dask scheduler`` and ``dask worker`` (``nworkers`` worker processes of one thread
    each) as separate processes on 127.0.0.1. Yields (address, scheduler, worker process)."""
    scheduler_file = base / "scheduler.json"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": ENV}
    scheduler = subprocess.Popen(
        [sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1", "--port", "0",
         "--no-dashboard", "--scheduler-file", str(scheduler_file)],
        **quiet,
    )  # fmt: skip
    procs = [scheduler]
    try:
        address, deadline = "", time.monotonic() + 60
        while not address and time.monotonic() < deadline:
            with contextlib.suppress(OSError, ValueError):  # not (wholly) written yet
                address = json.loads(scheduler_file.read_text())["address"]
            time.sleep(0.1)
        worker = subprocess.Popen(
            [sys.executable, "-m", "dask", "worker", address, "--nworkers", str(nworkers),
             "--nthreads", "1", "--no-dashboard", "--host", "127.0.0.1",
             "--local-directory", str(base / "worker")],
            **quiet,
        )  # fmt: skip
        procs.append(worker)
        from distributed import Client

        with Client(address, timeout="30s") as client:
            client.wait_for_workers(nworkers, timeout=120)
        yield address, scheduler, worker
    finally:
        for proc in reversed(procs):
            with contextlib.suppress(psutil.Error):
                for child in psutil.Process(proc.pid).children(recursive=True):
                    child.kill()
            proc.kill()
            proc.wait(timeout=30)


def _start_pemda(base: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "lkj", *_lkj_args(base, *extra)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
    )


def _kernel_of(worker: subprocess.Popen, run: subprocess.Popen) -> psutil.Process:
    """A notebook kernel running under the process ``worker`` (a report being built),
    waited for while the run goes on."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and run.poll() is None:
        for child in psutil.Process(worker.pid).children(recursive=True):
            with contextlib.suppress(psutil.Error):
                if "ipykernel_launcher" in " ".join(child.cmdline()):
                    return child
        time.sleep(0.05)
    raise AssertionError("no report was being built on the cluster")


def test_scheduler_route_survives_a_killed_worker(tmp_path):
    """A worker process killed while it builds a report costs only its task: Dask runs it on
    another worker and every report is built; nothing prints a traceback."""
    write_contoh_pemda(2, seed=7, base_dir=tmp_path / "data")
    with _cluster(tmp_path) as (address, _scheduler, worker):
        run = _start_pemda(tmp_path, "--scheduler", address)
        kernel = _kernel_of(worker, run)
        victim = kernel.parent()
        killed = f"{socket.gethostname()}:{victim.pid}"
        assert run.poll() is None  # killed in the middle of the batch
        victim.send_signal(signal.SIGKILL)
        kernel.kill()
        stdout, stderr = run.communicate(timeout=600)
    assert run.returncode == 0, stderr
    assert f"Cluster Dask {address}: 2 worker" in stdout
    assert "2 OPD (2 dibangun)" in stdout
    assert "Traceback" not in stdout + stderr and stderr == ""
    out = tmp_path / "out" / str(YEAR)
    status = json.loads((out / "status.json").read_text())
    assert {k: v["status"] for k, v in status["opd"].items()} == {"01": "ok", "02": "ok"}
    assert killed not in {v["worker"] for v in status["opd"].values()}  # its task went elsewhere
    for kode in ("01", "02"):
        assert (out / "opd" / kode / f"LKj_{YEAR}.pdf").is_file()
        assert len(list((out / "opd" / kode / "notebooks").glob("0*.html"))) == 4


def test_lost_scheduler_stops_with_one_line_and_the_next_run_continues(tmp_path):
    """The scheduler killed once the first report is in (one worker: the second is being
    built): one line, status 1, the finished OPD kept with its status; the next run (a local
    cluster) builds only the other."""
    write_contoh_pemda(2, seed=7, base_dir=tmp_path / "data")
    out = tmp_path / "out" / str(YEAR)
    with _cluster(tmp_path, nworkers=1) as (address, scheduler, _worker):
        run = _start_pemda(tmp_path, "--scheduler", address)
        deadline = time.monotonic() + 300
        while not (out / "status.json").is_file() and time.monotonic() < deadline:
            time.sleep(0.05)
        scheduler.kill()
        stdout, stderr = run.communicate(timeout=300)
    assert run.returncode == 1
    assert stderr.splitlines() == [stderr.strip()], stderr  # one line
    status = json.loads((out / "status.json").read_text())
    finished = sorted(k for k, v in status["opd"].items() if v["status"] == "ok")
    assert len(finished) == len(status["opd"]) == 1
    assert stderr.strip() == (
        f"lkj: kesalahan: hubungan ke scheduler Dask {address} terputus; 1 dari 2 "
        "laporan OPD sudah selesai dan tersimpan (status.json); jalankan perintah yang sama lagi "
        "untuk melanjutkan"
    )
    assert "Traceback" not in stdout
    kept = out / "opd" / finished[0] / f"LKj_{YEAR}.pdf"
    stamp = kept.stat().st_mtime_ns
    again = run_lkj(*_lkj_args(tmp_path, "--workers", "1"), timeout=600)
    assert again.returncode == 0, again.stderr
    assert "2 OPD (1 dibangun, 1 mutakhir)" in again.stdout
    assert kept.stat().st_mtime_ns == stamp
    status = json.loads((out / "status.json").read_text())
    assert {k: v["status"] for k, v in status["opd"].items()} == {"01": "ok", "02": "ok"}


def test_unreachable_scheduler_one_line_and_status_intact(local_batch, tmp_path):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base = local_batch["base"]
    shutil.copytree(base / "out", tmp_path / "out")
    status = (tmp_path / "out" / str(YEAR) / "status.json").read_bytes()
    stamps = _stamps(tmp_path / "out")
    args = [
        "pemda", "--year", str(YEAR), "--dir", str(base / "data"), "--force",
        "--scheduler", f"tcp://127.0.0.1:{port}", "--output", str(tmp_path / "out"),
        "--processed", str(tmp_path / "processed"),
    ]  # fmt: skip
    result = run_lkj(*args, env={"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"})
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"lkj: kesalahan: scheduler Dask tcp://127.0.0.1:{port} tidak ")
    assert lines[0].endswith("; tidak ada laporan yang diubah")
    assert (tmp_path / "out" / str(YEAR) / "status.json").read_bytes() == status
    assert _stamps(tmp_path / "out") == stamps
    assert lines[0][len("lkj: kesalahan: ") :] in (
        tmp_path / "out" / str(YEAR) / "batch.log"
    ).read_text(encoding="utf-8")


def test_ctrl_c_stops_the_cluster(tmp_path):
    """Ctrl-C in the terminal (SIGINT to the whole process group) in the middle of a batch:
    exit status 130, one line, no traceback, every worker process gone.

    Three workers for two OPDs: one has no report to build when Ctrl-C comes. Such a worker
    took the interrupt itself and printed a KeyboardInterrupt traceback (the test failed now
    and then when, under load, the second worker had not started its report yet); the local
    workers now leave Ctrl-C to the command (``lkj.pemda.local_worker``)."""
    write_contoh_pemda(2, seed=7, base_dir=tmp_path / "data")
    run = subprocess.Popen(
        [sys.executable, "-m", "lkj", *_lkj_args(tmp_path, "--workers", "3")],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
        start_new_session=True,  # its own process group, as a terminal's foreground job
        # Ctrl-C's default action, even when this test runs where SIGINT is ignored (a
        # background job of a shell: the child would inherit the ignoring)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    _kernel_of(run, run)
    children = psutil.Process(run.pid).children(recursive=True)
    assert len(children) >= 4  # three workers and a kernel at least
    os.killpg(run.pid, signal.SIGINT)
    stdout, stderr = run.communicate(timeout=120)
    assert run.returncode == 130
    assert stderr == "lkj: dihentikan; laporan sebelumnya tidak diubah\n"
    assert "Traceback" not in stdout
    _, alive = psutil.wait_procs(children, timeout=10)
    assert alive == []
    log = (tmp_path / "out" / str(YEAR) / "batch.log").read_text(encoding="utf-8")
    assert "dihentikan (Ctrl-C) setelah 0 dari 2" in log


@pytest.mark.slow
def test_forty_opd_demo(tmp_path):
    """The whole demo: 40 OPDs on a local cluster (make test-all)."""
    made = run_lkj("contoh-pemda", "--dir", str(tmp_path / "data"))
    assert made.returncode == 0, made.stderr
    result = run_lkj(*_lkj_args(tmp_path), timeout=3600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "40 OPD (40 dibangun)" in result.stdout and "Traceback" not in result.stderr
    out = tmp_path / "out" / str(YEAR)
    assert len(list((out / "opd").glob(f"*/LKj_{YEAR}.pdf"))) == 40
    # the 40-OPD LKjIP passes the layout checks (issue 19; make test checks the small one)
    import layout_geometry as geometry

    found = geometry.check_pdf(out / f"LKjIP_{YEAR}.pdf")
    assert found.tables > 0 and found.labels > 0
    for name, count in found.counts().items():
        if name not in ("pages", "tables", "labels", "broken"):
            assert count == 0, (name, getattr(found, name)[:5])


# ------------------------------------------------- make verifikasi PDF=<signed LKjIP> (issue 23)


def _lkjip_workspace(local_batch):
    from lkj.data.workspace import Workspace

    base = local_batch["base"]
    return Workspace.at(local_batch["root"], base / "out", base / "processed")


def _carried_zip(local_batch):
    from lkj.tandatangan.verifikasi_lkjip import carried_konsolidasi

    return carried_konsolidasi((local_batch["out"] / f"LKjIP_{YEAR}.pdf").read_bytes())


def test_lkjip_pdf_carries_the_pemda_tables_and_the_opds_processed_tables(local_batch):
    """The LKjIP PDF/A-3u carries one zip: every file of pemda/ and the processed tables of the
    two OPDs built (not of the failed one), byte for byte, and each OPD's status; the PDF/A
    identification is kept and qpdf finds no error."""
    from lkj.tandatangan.pades import pdfa_identification

    root, base = local_batch["root"], local_batch["base"]
    pdf = local_batch["out"] / f"LKjIP_{YEAR}.pdf"
    name, book = _carried_zip(local_batch)
    assert name == f"LKjIP_{YEAR}_data_konsolidasi.zip"
    expected = {
        f"pemda/{p.relative_to(root / 'pemda').as_posix()}": p
        for p in (root / "pemda").rglob("*")
        if p.is_file()
    }
    for kode in ("01", "03"):
        for p in (base / "processed" / str(YEAR) / kode).glob("*.csv"):
            expected[f"diolah/{kode}/{p.name}"] = p
    with zipfile.ZipFile(io.BytesIO(book)) as carried:
        assert sorted(carried.namelist()) == sorted([*expected, "status.json"])
        for entry, path in expected.items():
            assert carried.read(entry) == path.read_bytes(), entry
        status = json.loads(carried.read("status.json"))
    assert [(o["kode_opd"], o["status"]) for o in status["opd"]] == [
        ("01", "dibangun"), ("02", "gagal"), ("03", "dibangun"),
    ]  # fmt: skip
    assert f"baris {local_batch['bad_row']}, kolom anggaran_rp" in status["opd"][1]["error"]
    assert status["folder_opd"] == ["01", "02", "03"] and status["tahun"] == YEAR
    assert pdfa_identification(pdf.read_bytes()) == "3U"
    check = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
    assert check.returncode == 0 and "No syntax or stream encoding errors found" in check.stdout


def test_verifikasi_of_the_signed_lkjip_finds_no_difference(local_batch, pki, tmp_path):  # noqa: F811
    """The LKjIP as built, signed with the test certificate (pyHanko directly: ``lkj
    tandatangan`` refuses the demo's synthetic data, which is not what is checked here), still
    PDF/A and qpdf-clean; ``lkj verifikasi`` (what ``make verifikasi PDF=`` runs) finds the
    signature trusted and no differing figure in every table the LKjIP document built from the
    workspace itself has."""
    from lkj.analysis.konsolidasi import consolidate
    from lkj.data.workspace import read_pemda
    from lkj.document.lkjip import lkjip_document
    from lkj.document.sampul import SIGNATURE_BOX_MM
    from lkj.tandatangan.pades import pdfa_identification, sign_pdf
    from lkj.tandatangan.placement import find_place
    from lkj.tandatangan.sertifikat import load_credentials

    data = (local_batch["out"] / f"LKjIP_{YEAR}.pdf").read_bytes()
    ws = _lkjip_workspace(local_batch)
    pemda = read_pemda(ws, YEAR)
    place = find_place(data, pemda.info("kepala_daerah_nama"), SIGNATURE_BOX_MM)
    signed = tmp_path / f"LKjIP_{YEAR}_ditandatangani.pdf"
    signed.write_bytes(sign_pdf(data, load_credentials(pki["valid"], PASSWORD), place))
    assert pdfa_identification(signed.read_bytes()) == "3U"
    check = subprocess.run(["qpdf", "--check", str(signed)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    ca = tmp_path / "ca.der"
    ca.write_bytes(pki["ca"].dump())
    result = run_lkj("verifikasi", "--pdf", str(signed), "--akar", str(ca))
    assert result.returncode == 0, result.stdout + result.stderr
    settings = load_config()
    outcomes = _batch_outcomes(local_batch)
    figures = {"iku": tmp_path / "iku.png", "serapan": tmp_path / "opd.png"}  # tables only
    tables = lkjip_document(consolidate(ws, pemda, outcomes, settings), settings, figures).tables()
    lines = result.stdout.splitlines()
    assert "  tepercaya (akar yang diberikan): ya" in lines
    assert lines[-2:] == [
        f"Angka: {len(tables)} tabel dihitung ulang dari LKjIP_{YEAR}_data_konsolidasi.zip "
        "yang dibawa PDF",
        "  tidak ada angka yang berbeda",
    ]
    assert len(tables) > 15


def _batch_outcomes(local_batch):
    from types import SimpleNamespace

    status = json.loads((local_batch["out"] / "status.json").read_text(encoding="utf-8"))
    return [
        SimpleNamespace(kode_opd=k, status={"ok": "dibangun"}.get(v["status"], v["status"]),
                        error=v.get("error", ""))
        for k, v in sorted(status["opd"].items())
    ]  # fmt: skip


def test_verifikasi_names_an_altered_lkjip_figure(local_batch, tmp_path):
    """The LKjIP document with OPD 01's anggaran in Tabel 3.7 changed, exported again with the
    data the LKjIP carries: the check names that figure alone, by table, row and column, with
    the sum of the OPD's raw sub kegiatan rows and the altered value."""
    from lkj.analysis.konsolidasi import consolidate
    from lkj.data.workspace import read_pemda
    from lkj.document.lkjip import lkjip_document
    from lkj.render.to_pdf import Attachment, render_pdf
    from lkj.tandatangan.verifikasi import verifikasi

    root = local_batch["root"]
    ws = _lkjip_workspace(local_batch)
    pemda = read_pemda(ws, YEAR)
    settings = load_config()
    figures = local_batch["out"] / "figures"
    doc = lkjip_document(
        consolidate(ws, pemda, _batch_outcomes(local_batch), settings),
        settings,
        {"iku": figures / "grafik_iku_pemda.png", "serapan": figures / "grafik_opd.png"},
    )
    table = doc.table("lkjip_kinerja_opd")
    j = table.headers.index("Anggaran (Rp)")
    names = {r["kode_opd"]: r["nama_opd"] for r in _rows(root / "pemda" / "opd.csv")}
    i = next(i for i, r in enumerate(table.rows) if r[1].plain == names["01"])
    budget = sum(
        int(r["anggaran_rp"]) for r in _rows(root / "opd" / "01" / "2022" / "sub_kegiatan.csv")
    )
    row = list(table.rows[i])
    assert row[j].plain == _angka(budget)
    row[j] = dataclasses.replace(row[j], text="1.234")
    table.rows[i] = tuple(row)
    name, book = _carried_zip(local_batch)
    (tmp_path / name).write_bytes(book)
    altered = tmp_path / "LKjIP_diubah.pdf"
    pdf = render_pdf(doc, settings.dokumen, synthetic=True, signature_field=False,
                     attachments=[Attachment(tmp_path / name, "Data")])  # fmt: skip
    altered.write_bytes(pdf)
    result = verifikasi(altered, log=lambda _: None)
    assert not result.sah
    assert result.selisih == [
        f"{table.caption}, baris '{names['01']}', kolom 'Anggaran (Rp)': hasil hitung ulang "
        f"{_angka(budget)} tidak tertulis (tertulis: 1.234)"
    ]


def test_carried_lkjip_data_is_bounded_and_refused_by_name(local_batch, tmp_path):
    """What the LKjIP carries is read back within limits: an entry outside the expected names
    (a path out of the scratch folder), more than ``workbook_mb`` unpacked, a status naming an
    OPD that opd.csv does not list: each refused with a line naming the attachment, the entry
    and what was expected; nothing is written outside the scratch folder."""
    from lkj.analysis.konsolidasi_data import unpack_carried
    from lkj.core.config import Batas
    from lkj.core.errors import DataError

    name, book = _carried_zip(local_batch)
    where = f"LKjIP.pdf, lampiran {name}"

    def rewritten(extra: dict[str, bytes]) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(book)) as src, zipfile.ZipFile(out, "w") as dst:
            for entry in src.namelist():
                dst.writestr(entry, extra.pop(entry, None) or src.read(entry))
            for entry, content in extra.items():
                dst.writestr(entry, content)
        return out.getvalue()

    with pytest.raises(DataError) as bad:
        unpack_carried(rewritten({"pemda/../../luar.csv": b"x"}), where, tmp_path / "a")
    assert str(bad.value) == (
        f"{where}: berkas 'pemda/../../luar.csv' tidak diharapkan: hanya pemda/..., "
        "diolah/<kode_opd>/<tabel>.csv dan status.json"
    )
    assert not (tmp_path / "a").exists() and not (tmp_path / "luar.csv").exists()
    total = sum(m.file_size for m in zipfile.ZipFile(io.BytesIO(book)).infolist())
    with pytest.raises(DataError) as big:
        unpack_carried(book, where, tmp_path / "b", Batas(workbook_mb=0))
    assert str(big.value) == (
        f"{where}: terurai menjadi {total / 2**20:.0f} MB, melebihi batas workbook_mb = 0 MB "
        "(config/lkj.toml [batas])"
    )
    status = json.loads(zipfile.ZipFile(io.BytesIO(book)).read("status.json"))
    status["opd"].append({"kode_opd": "99", "status": "gagal", "error": ""})
    with pytest.raises(DataError) as unknown:
        unpack_carried(
            rewritten({"status.json": json.dumps(status).encode()}), where, tmp_path / "c"
        )
    assert str(unknown.value) == (
        f"{where}, berkas status.json: opd: diharapkan tepat OPD di pemda/opd.csv (3), "
        "ditemukan 4; tidak terdaftar: 99"
    )


def test_carried_lkjip_tables_that_break_their_contract_are_named(local_batch, tmp_path):
    """A carried table that is not what ``make pemda`` writes is refused naming the attachment's
    entry, never the scratch folder, nor with a traceback: a pemda table (its row and column), a
    processed OPD table missing its contract's columns, a computed table missing a column."""
    from lkj.core.errors import DataError, DataErrors, LkjError
    from lkj.tandatangan.verifikasi_lkjip import rebuild_lkjip_tables

    name, book = _carried_zip(local_batch)
    where = f"LKjIP.pdf, lampiran {name}"

    def broken(entry: str, content: bytes) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(book)) as src, zipfile.ZipFile(out, "w") as dst:
            for e in src.namelist():
                dst.writestr(e, content if e == entry else src.read(e))
        return out.getvalue()

    with pytest.raises(DataErrors) as pemda:
        rebuild_lkjip_tables(broken("pemda/opd.csv", b"x\n1\n"), where, tmp_path / "a", None)
    lines = str(pemda.value).splitlines()[1:]
    assert lines and all(line.startswith(f"{where}, berkas pemda/opd.csv, ") for line in lines)
    assert f"{where}, berkas pemda/opd.csv, baris 1, kolom kode_opd: kolom wajib tidak ada" in (
        str(pemda.value)
    )
    with pytest.raises(DataError) as raw:
        rebuild_lkjip_tables(
            broken("diolah/01/sub_kegiatan.csv", b"a,b\n1,2\n"), where, tmp_path / "b", None
        )
    assert str(raw.value).startswith(
        f"{where}, berkas diolah/01/sub_kegiatan.csv: kolom wajib tidak ada: kode_sub_kegiatan, "
    )
    assert "anggaran_rp, realisasi_anggaran_rp" in str(raw.value)
    with pytest.raises(LkjError) as computed:
        rebuild_lkjip_tables(
            broken("diolah/01/capaian_sub_kegiatan.csv", b"a\n1\n"), where, tmp_path / "c", None
        )
    assert str(computed.value) == (
        f"{where}: tabel OPD yang dibawa tidak dapat dikonsolidasikan (KeyError: 'anggaran_rp'); "
        "diharapkan tabel diolah seperti yang ditulis make pemda"
    )
