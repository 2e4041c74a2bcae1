"""A pemda's year from the command line: new-year, forms, filled forms, collect, check, on a
synthetic pemda of 3 OPDs; the lock per pemda and year; the dashboard's figures. No report is
built here (a few seconds)."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import run_lkj

from lkj.data.forms.layout import FIRST_ROW, SHEET_IND, SHEET_SUB
from lkj.data.forms.write import write_forms
from lkj.pemda.contoh import write_contoh_pemda
from lkj.pemda.iku_form import FIRST_ROW as IKU_FIRST_ROW
from lkj.run.lock import year_lock

YEAR = 2023


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _fill(path: Path) -> int:
    """Fill an OPD form: realisasi fisik = target fisik, realisasi anggaran = half the
    budget, indikator realisasi = its target. Returns the rows filled."""
    wb = openpyxl.load_workbook(path)
    sheet, n, r = wb[SHEET_SUB], 0, FIRST_ROW
    while sheet.cell(r, 1).value not in (None, "Jumlah"):
        sheet.cell(r, 6).value = sheet.cell(r, 5).value
        sheet.cell(r, 8).value = sheet.cell(r, 7).value // 2
        n, r = n + 1, r + 1
    if SHEET_IND in wb.sheetnames:
        sheet, r = wb[SHEET_IND], FIRST_ROW
        while sheet.cell(r, 1).value:
            sheet.cell(r, 5).value = sheet.cell(r, 4).value
            n, r = n + 1, r + 1
    wb.save(path)
    return n


@pytest.fixture
def pemda(tmp_path: Path) -> dict:
    root = write_contoh_pemda(3, seed=7, base_dir=tmp_path / "data")
    common = ["--pemda", "contoh", "--pemda-dir", str(tmp_path / "data")]
    common += ["--pemda-output", str(tmp_path / "out")]
    return {"root": root, "base": tmp_path, "args": common}


def test_new_year_refuses_a_year_past_the_rpjmd(pemda):
    kinerja = pemda["root"] / "pemda" / "kinerja_iku.csv"
    before = kinerja.read_bytes()
    result = run_lkj("new-year", "--year", "2027", *pemda["args"])
    assert result.returncode == 1
    assert result.stderr == (
        "lkj: kesalahan: tahun 2027 di luar periode RPJMD 2021-2026 (pemda.csv, kunci "
        "periode_rpjmd): RPJMD baru dimasukkan dulu ke tabel pemda; tidak ada yang dibuat\n"
    )
    assert kinerja.read_bytes() == before
    assert not list((pemda["root"] / "opd").glob("*/2027"))


def test_year_cycle_new_year_forms_collect_check(pemda):
    root, base, args = pemda["root"], pemda["base"], pemda["args"]
    forms = base / "forms"
    kinerja = root / "pemda" / "kinerja_iku.csv"
    before = _rows(kinerja)
    made = run_lkj("new-year", "--year", str(YEAR), *args)
    assert made.returncode == 0, made.stderr
    for kode in ("01", "02", "03"):
        assert (root / "opd" / kode / str(YEAR) / "sub_kegiatan.csv").is_file()
    # The pemda's rows of the year: one per IKU, the target of 2022, realisasi empty.
    after = _rows(kinerja)
    assert after[: len(before)] == before
    expected = [{**r, "tahun": str(YEAR), "realisasi": ""} for r in before if r["tahun"] == "2022"]
    assert sorted(after[len(before) :], key=lambda r: r["kode_iku"]) == sorted(
        expected, key=lambda r: r["kode_iku"]
    )
    iku = [r["kode_iku"] for r in _rows(root / "pemda" / "iku_pemda.csv")]
    assert len(expected) == len(iku)
    again = run_lkj("new-year", "--year", str(YEAR), *args)
    assert again.returncode == 0 and again.stdout.count(f"{YEAR} sudah ada, tidak diubah") == 3
    assert _rows(kinerja) == after

    written = run_lkj("forms", "--year", str(YEAR), *args, "--out", str(forms))
    assert written.returncode == 0, written.stderr
    for kode in ("01", "02", "03"):  # the single-agency forms of each OPD, in its folder
        alone = write_forms(YEAR, root / "opd" / kode, base / "alone" / kode)
        assert sorted(p.name for p in (forms / kode).glob("*.xlsx")) == sorted(
            f.path.name for f in alone
        )
    iku_form = forms / f"IKU_contoh_{YEAR}.xlsx"
    sheet = openpyxl.load_workbook(iku_form)["IKU"]
    codes = [sheet.cell(r, 1).value for r in range(IKU_FIRST_ROW, IKU_FIRST_ROW + len(iku))]
    assert codes == iku

    # One OPD form not returned; the rest filled; IKU realisasi typed, one of them wrong.
    missing = sorted((forms / "02").glob("*.xlsx"))[0]
    missing.unlink()
    for path in sorted(forms.glob("0*/*.xlsx")):
        _fill(path)
    wb = openpyxl.load_workbook(iku_form)
    typed = {}
    for i, code in enumerate(iku):
        cell = wb["IKU"].cell(IKU_FIRST_ROW + i, 6)
        cell.value = "banyak" if code == iku[1] else 50 + i + 0.25
        typed[code] = cell.value
    wb.save(iku_form)
    collected = run_lkj("collect", "--year", str(YEAR), *args, "--dir", str(forms))
    assert collected.returncode == 1
    text = collected.stdout
    problems = text[text.index("MASALAH") :].splitlines()
    assert problems[0] == "MASALAH (2):"
    assert problems[1] == "  02 Sekretariat DPRD:"
    assert problems[2].startswith("    formulir tidak ada: ")
    assert problems[3] == "  pemda (IKU):"
    wrong = IKU_FIRST_ROW + 1
    assert problems[4] == (
        f"    isian salah: IKU_contoh_{YEAR}.xlsx, sheet IKU, sel F{wrong} (IKU {iku[1]}, "
        "realisasi): diharapkan angka >= 0, ditemukan 'banyak'"
    )
    assert len(problems) == 5
    saved = {r["kode_iku"]: r["realisasi"] for r in _rows(kinerja) if r["tahun"] == str(YEAR)}
    for code, value in typed.items():
        assert saved[code] == ("" if code == iku[1] else str(Decimal(str(value)).normalize()))

    for kode in ("01", "02", "03"):  # the LRA is not on the forms: the maintainer fills it
        _fill_lra(root / "opd" / kode / str(YEAR) / "lra.csv")
    checked = run_lkj("check", "--year", str(YEAR), *args)
    assert checked.returncode == 1
    lines = checked.stdout.splitlines()
    assert lines[0] == f"Pemeriksaan data {YEAR} pemda contoh:"
    assert [line for line in lines if line.endswith(" baris)")] == [
        f"  01 Sekretariat Daerah: sah ({_count(root / 'opd' / '01' / str(YEAR))} baris)",
        f"  03 Badan Kesatuan Bangsa dan Politik: sah "
        f"({_count(root / 'opd' / '03' / str(YEAR))} baris)",
    ]
    at = lines.index("MASALAH (2):")
    heads = [line for line in lines[at:] if line.startswith("  ") and not line.startswith("    ")]
    assert heads == ["  pemda:", "  02 Sekretariat DPRD:"]
    pemda_problem = lines[lines.index("  pemda:") + 1]
    row = 1 + next(
        i
        for i, r in enumerate(_rows(kinerja), 1)
        if (r["kode_iku"], r["tahun"]) == (iku[1], str(YEAR))
    )
    assert pemda_problem.endswith(
        f"kinerja_iku.csv, baris {row}, kolom realisasi: wajib diisi, sel kosong"
    ), pemda_problem


def _fill_lra(path: Path) -> None:
    rows = _rows(path)
    for r in rows:
        r["realisasi_rp"] = str(int(r["anggaran_rp"]) // 2)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _count(folder: Path) -> int:
    """Rows of every table of a year folder that the contract reads (CSV files)."""
    from lkj.data.schema import TABLES

    names = {t.name for t in TABLES}
    return sum(len(_rows(p)) for p in folder.glob("*.csv") if p.stem in names)


@pytest.mark.parametrize("command", ["check", "collect", "new-year", "forms", "pemda"])
def test_every_pemda_command_takes_the_lock(pemda, command):
    root = pemda["root"]
    args = pemda["args"]
    if command == "pemda":
        args = ["--pemda", "contoh", "--dir", str(pemda["base"] / "data")]
        args += ["--output", str(pemda["base"] / "out")]
    with year_lock(YEAR, root, doing="menguji kunci"):
        result = run_lkj(command, "--year", str(YEAR), *args, env={"LKJ_LOCK_TIMEOUT": "1"})
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("lkj: kesalahan: proses lain masih menguji kunci"), result.stderr
    assert not (root / "opd" / "01" / str(YEAR)).exists()


def test_collect_records_missing_forms_per_opd(pemda):
    """collect records per OPD how many forms are missing (the dashboard's column)."""
    base, args = pemda["base"], pemda["args"]
    assert run_lkj("new-year", "--year", str(YEAR), *args).returncode == 0
    forms = base / "forms"
    assert run_lkj("forms", "--year", str(YEAR), *args, "--out", str(forms)).returncode == 0
    gone = sorted((forms / "03").glob("*.xlsx"))[:2]
    for path in gone:
        path.unlink()
    run_lkj("collect", "--year", str(YEAR), *args, "--dir", str(forms))
    recorded = json.loads((base / "out" / str(YEAR) / "forms.json").read_text(encoding="utf-8"))
    assert recorded == {"missing": {"01": 0, "02": 0, "03": 2}}


def test_dashboard_status_forms_and_signed_columns(tmp_path):
    """The dashboard's own columns from status.json, forms.json and the archive, without a
    build: a failed OPD first, an OPD whose data changed since its build out of date, the
    forms the last collect missed, a signed copy in the archive."""
    from lkj.data.workspace import Workspace, list_opd, read_pemda
    from lkj.pemda.dashboard import dashboard_rows, record_forms, refresh
    from lkj.pemda.fingerprint import code_fingerprint, make_task
    from lkj.pemda.status import write_json

    root = write_contoh_pemda(3, seed=7, base_dir=tmp_path / "data")
    ws = Workspace.at(root, tmp_path / "out", tmp_path / "processed")
    pemda = read_pemda(ws, 2022)
    config = (Path(__file__).resolve().parent.parent / "config" / "lkj.toml").read_bytes()
    shared = {pemda.lambang.name: pemda.lambang.read_bytes()}
    current = {
        e.kode_opd: make_task(e, 2022, config, code_fingerprint(), shared=shared)["fingerprint"]
        for e in list_opd(ws, pemda)
    }
    status = {
        "01": {"status": "ok", "fingerprint": current["01"]},
        "02": {"status": "ok", "fingerprint": "a build of older data"},
        "03": {"status": "gagal", "fingerprint": current["03"], "error": "baris 5 salah"},
    }
    write_json(ws.output(2022) / "status.json", {"opd": status})
    record_forms(ws, 2022, {"01": 0, "02": 2, "03": -1})
    archive = tmp_path / "arsip"
    signed = archive / "pemda" / "contoh" / "01" / "2022" / "LKj_2022_ditandatangani_x.pdf"
    signed.parent.mkdir(parents=True)
    signed.write_bytes(b"%PDF-1.7\n")
    rows = dashboard_rows(ws, 2022, archive=archive)
    assert [(r.kode_opd, r.status, r.formulir, r.ditandatangani) for r in rows] == [
        ("03", "gagal", "tidak terbaca", False),
        ("02", "kedaluwarsa", "2 belum kembali", False),
        ("01", "dibangun", "lengkap", True),
    ]
    assert rows[0].error == "baris 5 salah"
    page = refresh(ws, 2022, archive=archive)
    stamp = page.stat().st_mtime_ns
    assert refresh(ws, 2022, archive=archive) == page and page.stat().st_mtime_ns == stamp
    sheet = openpyxl.load_workbook(ws.output(2022) / "ringkasan_opd_2022.xlsx")["OPD"]
    assert [r[:4] for r in sheet.iter_rows(min_row=2, values_only=True)] == [
        (r.kode_opd, r.nama_opd, r.status, r.formulir) for r in rows
    ]
