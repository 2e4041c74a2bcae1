"""``python -m lkj pemda`` end to end, on a real Dask cluster of separate processes.

A scheduler (``python -m distributed.cli.dask_scheduler``) and a worker process with two
worker processes of one thread each are started on 127.0.0.1; the command is pointed at them
with ``--scheduler``. The pemda has 3 OPDs (two synthetic, Kesbangpol real), one of them with a
corrupted sub_kegiatan.csv. Checked: that OPD alone fails, with its clear data error in the
summary and a non-zero status; the two others have their reports and rendered notebooks;
the LKjIP lists the failed OPD as failed and shows each OPD's anggaran, realisasi and serapan
equal to the sums of its raw rows; every page of the LKjIP PDF says DATA SINTETIS; the index
page opens offline in headless Chromium and every link in it resolves; a second run does
nothing. One batch run (two reports built) is the cost: about a minute on two cores.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from browser_check import check_page, find_chromium
from bs4 import BeautifulSoup
from conftest import run_lkj
from pypdf import PdfReader

from lkj.pemda.contoh import write_contoh_pemda

# In the default run (the only test of the Dask batch); `-m "not slow"` leaves it out.
pytestmark = [pytest.mark.e2e, pytest.mark.slow]
YEAR = 2022


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


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A Dask scheduler and workers as separate processes on 127.0.0.1."""
    base = tmp_path_factory.mktemp("dask")
    scheduler_file = base / "scheduler.json"
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "distributed.cli.dask_scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--no-dashboard",
                "--scheduler-file",
                str(scheduler_file),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )  # fmt: skip
    ]
    try:
        deadline = time.monotonic() + 60
        while not scheduler_file.is_file() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(scheduler_file.read_text())["address"]
        procs.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "distributed.cli.dask_worker",
                    address,
                    "--nworkers",
                    "2",
                    "--nthreads",
                    "1",
                    "--no-dashboard",
                    "--host",
                    "127.0.0.1",
                    "--local-directory",
                    str(base / "worker"),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env=env,
            )  # fmt: skip
        )
        from distributed import Client

        with Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


@pytest.fixture(scope="module")
def batch(tmp_path_factory, cluster):
    """The pemda built once on the cluster, then a second time."""
    base = tmp_path_factory.mktemp("pemda_batch")
    root = write_contoh_pemda(3, seed=7, base_dir=base / "data")
    bad_row = _corrupt(root / "opd" / "02" / str(YEAR) / "sub_kegiatan.csv")
    args = [
        "pemda", "--year", str(YEAR), "--dir", str(base / "data"), "--scheduler", cluster,
        "--output", str(base / "out"), "--processed", str(base / "processed"),
    ]  # fmt: skip
    first = run_lkj(*args, timeout=900)
    stamps = {p: p.stat().st_mtime_ns for p in (base / "out").rglob("*") if p.is_file()}
    second = run_lkj(*args, timeout=300)
    return {
        "base": base,
        "root": root,
        "out": base / "out" / str(YEAR),
        "first": first,
        "second": second,
        "stamps": stamps,
        "bad_row": bad_row,
    }


def test_failing_opd_fails_alone_with_a_clear_error(batch):
    first = batch["first"]
    assert first.returncode == 1, first.stderr
    text = first.stdout + first.stderr
    assert "Cluster Dask " in text and "2 worker" in text  # the external cluster was used
    assert re.search(r"\(2 dibangun, 1 gagal\)", text), text
    assert "GAGAL 02 Sekretariat DPRD" in text
    message = re.search(r"\S*opd/02/2022/sub_kegiatan\.csv, baris (\d+), kolom (\w+): (.*)", text)
    assert message, text
    assert (int(message.group(1)), message.group(2)) == (batch["bad_row"], "anggaran_rp")
    assert "1.500.000" in message.group(3)
    assert "<worker>" not in text and "lkj-opd-" not in text  # no worker temp paths
    out = batch["out"]
    for kode in ("01", "03"):
        folder = out / "opd" / kode
        assert (folder / f"LKj_{YEAR}.pdf").is_file() and (folder / f"LKj_{YEAR}.html").is_file()
        assert len(list((folder / "notebooks").glob("0*.html"))) == 4
        assert (
            batch["base"] / "processed" / str(YEAR) / kode / "capaian_sub_kegiatan.csv"
        ).is_file()
    assert not (out / "opd" / "02").exists()
    status = json.loads((out / "status.json").read_text())
    assert [status["opd"][k]["status"] for k in ("01", "02", "03")] == ["ok", "gagal", "ok"]
    assert status["opd"]["02"]["kind"] == "data"


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
    return [
        [" ".join(td.get_text(" ").split()) for td in tr.find_all(["td", "th"])]
        for tr in table.find_all("tr")
    ]


def test_lkjip_figures_equal_the_raw_rows(batch):
    out, root = batch["out"], batch["root"]
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
        spent = sum(int(r["realisasi_anggaran_rp"]) for r in subs)
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
    assert f"baris {batch['bad_row']}, kolom anggaran_rp" in failed_rows[0][4]
    # Every page of the PDF says DATA SINTETIS (the pemda is synthetic).
    pages = PdfReader(out / f"LKjIP_{YEAR}.pdf").pages
    assert len(pages) > 10
    assert all("DATA SINTETIS" in p.extract_text() for p in pages)
    # ... and every page header of the Word documents, the LKjIP's and a synthetic OPD's.
    import docx

    for path in (out / f"LKjIP_{YEAR}.docx", out / "opd" / "01" / f"LKj_{YEAR}.docx"):
        sections = docx.Document(str(path)).sections
        assert all(s.header.paragraphs[0].text.startswith("DATA SINTETIS") for s in sections)


def test_second_run_is_a_no_op(batch):
    second = batch["second"]
    assert second.returncode == 1  # the failed OPD still fails (its data did not change)
    text = second.stdout + second.stderr
    assert "Semua laporan sudah mutakhir, tidak ada yang dikerjakan." in text
    assert "(2 mutakhir, 1 gagal)" in text and "Cluster Dask" not in text
    assert "data tidak berubah sejak kegagalan terakhir" in text
    after = {p: p.stat().st_mtime_ns for p in batch["out"].rglob("*") if p.is_file()}
    assert after == batch["stamps"]
    # how long the no-op takes is make bench-pemda's to measure, not a test's


@pytest.mark.browser
def test_index_page_offline_and_every_link_resolves(batch):
    if find_chromium() is None and os.environ.get("LKJ_REQUIRE_BROWSER") != "1":
        pytest.skip("chromium not installed (apt-get install chromium)")
    out = batch["out"]
    report = check_page(out / "index.html")
    assert report.loaded and report.external_requests == [] and report.console_errors == []
    assert report.script_elements == 0
    # LKjIP html + pdf + docx; per built OPD: html, pdf, docx, 4 rendered notebooks.
    assert len(report.links) == 3 + 2 * 7
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
    lkjip = check_page(out / f"LKjIP_{YEAR}.html")
    assert lkjip.loaded and lkjip.external_requests == [] and lkjip.broken_images == []
