"""A pemda's quarter forms from the command line: ``forms``/``collect`` with PEMDA= and TW=,
on the synthetic pemda of 3 OPDs (the fixture of test_pemda_year); the lock per pemda and
year. No report is built here (a few seconds)."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT, run_lkj

from lkj.data.forms.triwulan import write_quarter_forms
from lkj.pemda.contoh import write_contoh_pemda
from lkj.run.lock import year_lock

YEAR, TW = 2023, 2
HEADER = (
    "kode_sub_kegiatan,triwulan,rencana_fisik,realisasi_fisik,rencana_anggaran_rp,"
    "realisasi_anggaran_rp"
)


def _count(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as handle:
        return len(list(csv.DictReader(handle)))


@pytest.fixture(scope="module")
def pemda(tmp_path_factory) -> dict:
    base = tmp_path_factory.mktemp("pemda_tw")
    root = write_contoh_pemda(3, seed=7, base_dir=base / "data")
    args = ["--pemda", "contoh", "--pemda-dir", str(base / "data")]
    args += ["--pemda-output", str(base / "out")]
    made = run_lkj("new-year", "--year", str(YEAR), *args)
    assert made.returncode == 0, made.stderr
    return {"root": root, "base": base, "args": args}


def _type(path: Path, row: int, values: dict[int, object]) -> None:
    wb = openpyxl.load_workbook(path)
    for column, value in values.items():
        wb["Sub Kegiatan"].cell(row, column).value = value
    wb.save(path)


def test_pemda_quarter_forms_then_collect(pemda):
    """forms: each OPD's folder holds the single-agency quarter forms; the empty realisation
    cells per OPD are 2 per sub kegiatan + 1 per indikator (counted from the raw CSVs, no
    quarter typed yet). collect: the missing form and the wrong cell listed by OPD (exit 1),
    the typed cells saved into the quarter's rows only, the cells still empty counted."""
    root, base, args = pemda["root"], pemda["base"], pemda["args"]
    forms = base / "forms"
    written = run_lkj("forms", "--year", str(YEAR), "--tw", str(TW), *args, "--out", str(forms))
    assert written.returncode == 0, written.stderr
    names = {"01": "Sekretariat Daerah", "02": "Sekretariat DPRD",
             "03": "Badan Kesatuan Bangsa dan Politik"}  # fmt: skip
    lines = written.stdout.splitlines()
    for kode, nama in names.items():
        raw = root / "opd" / kode
        alone = write_quarter_forms(YEAR, TW, raw, base / "alone" / kode)
        mine = sorted(p.name for p in (forms / kode).glob("*.xlsx"))
        assert mine == sorted(p.name for p in alone)
        gaps = 2 * _count(raw / str(YEAR) / "sub_kegiatan.csv")
        gaps += _count(raw / str(YEAR) / "indikator.csv")
        assert f"  {kode}/ {nama}: {len(mine)} formulir, {gaps} sel realisasi kosong" in lines
    assert lines[-1].endswith(f"make collect PEMDA=contoh YEAR={YEAR} TW={TW}")

    # OPD 01 had a TW I row already: it must stay byte for byte.
    tw_csv = root / "opd" / "01" / str(YEAR) / "triwulan_sub_kegiatan.csv"
    tw_csv.write_text(f"{HEADER}\n01.01.01,1,1,1,1000000,900000\n", encoding="utf-8")
    sek = "formulir_2023_tw2_sekretariat.xlsx"
    _type(forms / "01" / sek, 7, {6: 1, 7: 2, 8: 2000000, 9: 1500000})  # 01.01.01
    (forms / "02" / sek).unlink()
    _type(forms / "03" / sek, 7, {7: "banyak", 9: 1000})
    got = run_lkj("collect", "--year", str(YEAR), "--tw", str(TW), *args, "--dir", str(forms))
    assert got.returncode == 1, got.stderr
    out = got.stdout.splitlines()
    assert out[out.index("MASALAH (2):") :] == [
        "MASALAH (2):",
        "  02 Sekretariat DPRD:",
        "    formulir tidak ada: Sekretariat",
        "  03 Badan Kesatuan Bangsa dan Politik:",
        f"    isian salah: {os.path.relpath(forms / '03' / sek, ROOT)}, sheet "
        "Sub Kegiatan, sel G7 (indikator 01.01.01, realisasi_fisik): diharapkan angka polos "
        "(mis. 1367655230 atau 90.91: titik sebagai tanda desimal, tanpa pemisah ribuan), "
        "ditemukan 'banyak'; sebaiknya ketik sebagai angka di sel (bukan teks)",
    ]
    assert "  01 Sekretariat Daerah: 2 formulir, 4 nilai disimpan triwulan 2" in out
    assert "  02 Sekretariat DPRD: 1 formulir, 0 nilai disimpan triwulan 2" in out
    assert "  03 Badan Kesatuan Bangsa dan Politik: 4 formulir, 1 nilai disimpan triwulan 2" in out
    assert tw_csv.read_text(encoding="utf-8").splitlines() == [
        HEADER, "01.01.01,1,1,1,1000000,900000", "01.01.01,2,1,2,2000000,1500000"
    ]  # fmt: skip
    tw3 = root / "opd" / "03" / str(YEAR) / "triwulan_sub_kegiatan.csv"
    assert tw3.read_text(encoding="utf-8").splitlines() == [HEADER, "01.01.01,2,,,,1000"]
    # still empty: 01's total less the 2 realisation cells typed; 03's less the 1 saved
    sub01 = _count(root / "opd" / "01" / str(YEAR) / "sub_kegiatan.csv")
    ind01 = _count(root / "opd" / "01" / str(YEAR) / "indikator.csv")
    at = out.index("  01 Sekretariat Daerah: 2 formulir, 4 nilai disimpan triwulan 2")
    assert out[at + 1] == f"    {2 * sub01 + ind01 - 2} sel realisasi masih kosong:"


@pytest.mark.parametrize("command", ["forms", "collect"])
def test_pemda_quarter_commands_take_the_lock(pemda, command):
    root, args = pemda["root"], pemda["args"]
    folder = pemda["base"] / f"lock-{command}"
    where = ["--out" if command == "forms" else "--dir", str(folder)]
    with year_lock(YEAR, root, doing="menguji kunci"):
        result = run_lkj(command, "--year", str(YEAR), "--tw", str(TW), *args, *where,
                         env={"LKJ_LOCK_TIMEOUT": "1"})  # fmt: skip
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("lkj: kesalahan: proses lain masih menguji kunci"), result.stderr
    assert not folder.exists()
