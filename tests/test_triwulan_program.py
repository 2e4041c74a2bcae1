"""E.81's kinerja (K) of programs and kegiatan (issue 22): the quarters of their own indikator
where ``triwulan_program`` gives them (``akhir``: the latest quarter, ``jumlah``: the sum),
else derived from their sub kegiatan (capaian fisik weighted by the pagu in force), with the
Renstra K columns "tidak tersedia" for a derived K. Figures derived here by hand from the raw
rows of the small case (tests/triwulan_case.py) with Decimal."""

from __future__ import annotations

import csv
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from triwulan_case import build_case  # noqa: E402

from lkj.analysis.triwulan import evaluate  # noqa: E402
from lkj.core.errors import DataError  # noqa: E402
from lkj.data.triwulan import read_quarter_year  # noqa: E402
from lkj.document.triwulan.e81 import e81_table  # noqa: E402

DERIVED = "Capaian fisik sub kegiatan, rerata tertimbang pagu (turunan)"


def _rows(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / f"{name}.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _shown(value: Decimal) -> str:
    """A percentage as the table prints it: two decimals, decimal comma."""
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)).replace(".", ",")


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    raw_root = tmp_path_factory.mktemp("triwulan_program") / "raw"
    build_case(raw_root)
    return raw_root


def _e81(raw_root: Path, tw: int = 2) -> dict[str, list[str]]:
    tables = read_quarter_year(2023, raw_root).tables
    ev = evaluate(tables, 2023, tw, "raw/2023")
    return {r[0]: r for r in e81_table(ev, tables).texts()}


def test_a_kegiatan_without_quarterly_k_is_derived_from_its_sub_kegiatan(case):
    """Kegiatan 01.01: per quarter sum(pagu in force at TW II x fisik of the quarter / target
    x 100) / sum(pagu) over its sub kegiatan with a target (a sub kegiatan without quarters
    counts 0); to date the same of the sum of quarters I and II."""
    raw = case / "2023"
    subs = [r for r in _rows(raw, "sub_kegiatan") if r["kode_kegiatan"] == "01.01"]
    murni = {r["kode_sub_kegiatan"]: Decimal(r["pagu_murni_rp"])
             for r in _rows(raw, "pagu_triwulan") if r["berlaku_triwulan"] > "2"}  # fmt: skip
    fisik: dict[tuple[str, int], Decimal] = {}
    for r in _rows(raw, "triwulan_sub_kegiatan"):
        fisik[(r["kode_sub_kegiatan"], int(r["triwulan"]))] = Decimal(r["realisasi_fisik"])
    pagu = {r["kode_sub_kegiatan"]: murni.get(r["kode_sub_kegiatan"], Decimal(r["anggaran_rp"]))
            for r in subs}  # fmt: skip
    weight = sum(pagu.values())

    def weighted(quarters: tuple[int, ...]) -> Decimal:
        total = Decimal(0)
        for r in subs:
            code = r["kode_sub_kegiatan"]
            done = sum(fisik.get((code, q), Decimal(0)) for q in quarters)
            total += pagu[code] * done * 100 / Decimal(r["target_fisik"])
        return total / weight

    row = _e81(case)["01.01"]
    # Kode, uraian, indikator, satuan, Renstra end (1 cell), Renstra to 2022 (1 cell), target
    # Renja K and Rp, TW I K and Rp, TW II K and Rp, to date K and Rp, Renstra (2 cells), unit
    assert row[2:4] == [DERIVED, "%"]
    assert row[4:6] == ["tidak tersedia", "tidak tersedia"]
    assert row[6] == "100,00"
    assert [row[8], row[10], row[12]] == [_shown(weighted((1,))), _shown(weighted((2,))),
                                          _shown(weighted((1, 2)))]  # fmt: skip
    assert [row[8], row[10], row[12]] == ["19,59", "36,82", "56,41"]


def test_a_program_with_a_renstra_row_but_no_quarterly_k(case):
    """Program 02: its Renstra Rp columns from renstra_program, its Renstra K columns "tidak
    tersedia" (the derived K is not in the unit of its Renstra indikator)."""
    row = _e81(case)["02"]
    assert row[2:4] == [DERIVED, "%"]
    assert row[4:8] == ["tidak tersedia", "1.000.000.000", "tidak tersedia", "150.000.000"]
    assert row[-5] == "tidak tersedia" and row[-3] == "tidak tersedia"


@pytest.fixture(scope="module")
def with_k(case, tmp_path_factory):
    """The case with triwulan_program: program 02's indikator (a level, akhir) 40 in TW I and
    55 in TW II; kegiatan 02.01 (a count, jumlah) 3 and 4; a TW III row not used at TW II."""
    import shutil

    raw_root = tmp_path_factory.mktemp("with_k") / "raw"
    shutil.copytree(case, raw_root)
    (raw_root / "2023" / "triwulan_program.csv").write_text(
        "entitas,kode,triwulan,realisasi_k,aturan\n"
        "program,02,1,40,akhir\nprogram,02,2,55,\nprogram,02,3,70,\n"
        "kegiatan,02.01,1,3,jumlah\nkegiatan,02.01,2,4,jumlah\n",
        encoding="utf-8",
    )
    return raw_root


def test_a_program_level_indicator_takes_its_latest_quarter(with_k):
    """Program 02: K per quarter as given, to date 55 (akhir), Renja target 100
    (target_tahun_k), Renstra to date 55 (a level: not last year's 100 plus it), 55 / 100."""
    raw = with_k / "2023"
    [ren] = [r for r in _rows(raw, "renstra_program") if r["kode"] == "02"]
    row = _e81(with_k)["02"]
    assert row[2:4] == [ren["indikator"], ren["satuan"]]
    assert row[4] == ren["target_akhir_k"] == "100" and row[6] == ren["realisasi_lalu_k"]
    assert [row[8], row[10], row[12], row[14]] == [ren["target_tahun_k"], "40", "55", "55"]
    assert row[16] == "55" and row[18] == _shown(Decimal(55) * 100 / Decimal(100))


def test_a_kegiatan_count_indicator_sums_its_quarters(with_k):
    """Kegiatan 02.01 (no renstra row): K 3 and 4, to date 7; no Renja target K ("-")."""
    row = _e81(with_k)["02.01"]
    assert row[2:4] == ["", ""]
    assert row[4:6] == ["tidak tersedia", "tidak tersedia"]
    assert row[6] == "-"
    assert [row[8], row[10], row[12]] == ["3", "4", "7"]


def test_an_unknown_program_in_triwulan_program_is_refused(with_k, tmp_path):
    import shutil

    raw_root = tmp_path / "raw"
    shutil.copytree(with_k, raw_root)
    path = raw_root / "2023" / "triwulan_program.csv"
    path.write_text(path.read_text(encoding="utf-8") + "program,99,1,5,\n", encoding="utf-8")
    tables = read_quarter_year(2023, raw_root).tables
    with pytest.raises(DataError) as err:
        evaluate(tables, 2023, 2, "raw/2023")
    text = str(err.value)
    assert "raw/2023/triwulan_program" in text and "baris 7" in text and "kode" in text
    assert "program 99 tidak ada di program.csv" in text
