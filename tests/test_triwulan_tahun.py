"""The yearly LKj of a year with quarters (issue 22, item 4): where a sub kegiatan or an
indikator has its four quarters, the report's yearly figure is computed from them (``jumlah``:
their sum, ``akhir``: the fourth quarter's value), the typed figure is shown beside it in the
data-quality chapter, and the attached workbook keeps the data as typed. Figures derived here
by hand from the raw CSV rows (Decimal), on one report built for the module
(tests/triwulan_case.py: ``build_yearly_case``)."""

from __future__ import annotations

import csv
import os
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from conftest import find_table, report_args, run_lkj  # noqa: E402
from triwulan_case import build_yearly_case  # noqa: E402

from lkj.analysis.triwulan_tahun import year_from_quarters  # noqa: E402
from lkj.data.ingest import read_raw  # noqa: E402
from lkj.data.processed import read_processed  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def rows(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / f"{name}.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def quarters(folder: Path, table: str, key: str, column: str) -> dict[str, dict[int, Decimal]]:
    """{code: {quarter: value}} of the raw quarterly rows with a value."""
    out: dict[str, dict[int, Decimal]] = {}
    for r in rows(folder, table):
        if r[column] != "":
            out.setdefault(r[key], {})[int(r["triwulan"])] = Decimal(r[column])
    return out


def pct(part: Decimal, whole: Decimal) -> float:
    return float((part * 100 / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The 2023 case's yearly report, built once by ``python -m lkj report``."""
    base = tmp_path_factory.mktemp("triwulan_tahun")
    build_yearly_case(base / "raw")
    result = run_lkj(*report_args(base, 2023))
    assert result.returncode == 0, result.stderr[-3000:]
    return base


@pytest.fixture(scope="module")
def by_hand(built):
    """The yearly figures the report must use, from the raw rows: a measure with four quarters
    takes their sum (jumlah) or the fourth quarter (akhir), otherwise the typed figure."""
    raw = built / "raw" / "2023"
    fisik = quarters(raw, "triwulan_sub_kegiatan", "kode_sub_kegiatan", "realisasi_fisik")
    rp = quarters(raw, "triwulan_sub_kegiatan", "kode_sub_kegiatan", "realisasi_anggaran_rp")
    k = quarters(raw, "triwulan_indikator", "kode_indikator", "realisasi")
    aturan = {r["kode_indikator"]: r["aturan"] for r in rows(raw, "aturan_indikator")}
    sub = {}
    for r in rows(raw, "sub_kegiatan"):
        code = r["kode_sub_kegiatan"]
        f = fisik.get(code, {})
        m = rp.get(code, {})
        sub[code] = {
            "kegiatan": r["kode_kegiatan"],
            "anggaran": Decimal(r["anggaran_rp"]),
            "fisik": sum(f.values()) if len(f) == 4 else Decimal(r["realisasi_fisik"]),
            "rp": sum(m.values()) if len(m) == 4 else Decimal(r["realisasi_anggaran_rp"]),
            "typed_fisik": Decimal(r["realisasi_fisik"]),
            "typed_rp": Decimal(r["realisasi_anggaran_rp"]) if r["realisasi_anggaran_rp"] else None,
        }
    ind = {}
    for r in rows(raw, "kinerja_indikator"):
        if r["tahun"] != "2023":
            continue
        code, q = r["kode_indikator"], k.get(r["kode_indikator"], {})
        if len(q) == 4:
            value = q[4] if aturan[code] == "akhir" else sum(q.values())
        else:
            value = Decimal(r["realisasi"])
        ind[code] = {"target": Decimal(r["target"]), "realisasi": value,
                     "typed": Decimal(r["realisasi"])}  # fmt: skip
    return {"sub": sub, "ind": ind}


def test_the_case_has_figures_of_each_kind(by_hand):
    """The case the other tests rely on: a rupiah and a fisik figure and a count indikator
    whose quarters disagree with the typed year, one that agrees, one left empty (its four
    quarters stand for it), one with two quarters."""
    s = by_hand["sub"]
    assert (s["01.01.02"]["rp"], s["01.01.02"]["typed_rp"]) == (3_500_000, 0)
    assert (s["01.01.02"]["fisik"], s["01.01.02"]["typed_fisik"]) == (1, 2)
    assert (s["01.01.01"]["fisik"], s["01.01.01"]["typed_fisik"]) == (3, 3)
    assert (s["01.01.01"]["rp"], s["01.01.01"]["typed_rp"]) == (3_570_000, None)  # left empty
    assert (s["01.02.01"]["rp"], s["01.02.01"]["typed_rp"]) == (1_120_832_605, 1_120_832_605)
    i = by_hand["ind"]
    assert (i["I4"]["realisasi"], i["I4"]["typed"]) == (36, 38)
    assert i["I2"]["realisasi"] == i["I2"]["typed"] == 70  # two quarters: the typed year


def test_the_sub_kegiatan_and_kegiatan_figures_come_from_the_quarters(built, by_hand):
    cap = read_processed("capaian_sub_kegiatan", built / "processed" / "2023")
    got = cap.set_index("kode_sub_kegiatan")
    for code, want in by_hand["sub"].items():
        assert got.loc[code, "realisasi_anggaran_rp"] == want["rp"], code
        assert Decimal(str(got.loc[code, "realisasi_fisik"])) == want["fisik"], code
    r = got.loc["01.01.02"]
    assert r["serapan_pct"] == pct(Decimal(3_500_000), Decimal(8_900_000)) == 39.33
    keg = read_processed("capaian_kegiatan", built / "processed" / "2023").set_index(
        "kode_kegiatan"
    )
    spent = sum(v["rp"] for v in by_hand["sub"].values() if v["kegiatan"] == "01.01")
    budget = sum(v["anggaran"] for v in by_hand["sub"].values() if v["kegiatan"] == "01.01")
    assert keg.loc["01.01", "realisasi_anggaran_rp"] == spent
    assert keg.loc["01.01", "serapan_pct"] == pct(spent, budget)


def test_the_indikator_figure_comes_from_its_quarters(built, by_hand):
    cap = read_processed("capaian_indikator", built / "processed" / "2023")
    this = cap[cap["tahun"] == 2023].set_index("kode_indikator")
    for code, want in by_hand["ind"].items():
        assert Decimal(str(this.loc[code, "realisasi"])) == want["realisasi"], code
    assert this.loc["I4", "capaian_pct"] == pct(Decimal(36), Decimal(40)) == 90.0


def test_the_data_quality_chapter_shows_each_typed_figure_that_differs(built):
    page = (built / "out" / "2023" / "LKj_2023.html").read_text(encoding="utf-8")
    table = find_table(page, "Realisasi Tahunan yang Berbeda dari Triwulannya")
    assert table["header"] == ["No", "Sumber (dokumen)", "Hal", "Tertulis",
                               "Dari triwulan (dipakai)", "Selisih"]  # fmt: skip
    assert table["rows"] == [
        ["1", "sub_kegiatan.csv", "sub_kegiatan 01.01.02 realisasi_fisik", "2", "1", "1"],
        ["2", "sub_kegiatan.csv", "sub_kegiatan 01.01.02 realisasi_anggaran_rp", "0",
         "3.500.000", "-3.500.000"],
        ["3", "kinerja_indikator.csv", "indikator I4 realisasi", "38", "36", "2"],
    ]  # fmt: skip
    assert (
        "Realisasi tahunan dihitung dari keempat triwulannya (triwulan_sub_kegiatan.csv, "
        "triwulan_indikator.csv): 5 angka, 3 berbeda dari angka tahunan yang tertulis."
    ) in page


def test_the_attached_workbook_keeps_the_data_as_typed(built, tmp_path):
    """The workbook attached to the report reads back (read_raw) as the typed data: building
    from it computes the same figures from the same quarters."""
    import shutil

    workbook = built / "processed" / "2023" / "LKj_2023_data_mentah.xlsx"
    (tmp_path / "2023").mkdir()
    shutil.copy(workbook, tmp_path / "2023" / "data.xlsx")
    back = read_raw(2023, tmp_path).tables
    sub = back["sub_kegiatan"].set_index("kode_sub_kegiatan")
    assert (
        sub.loc["01.01.02", "realisasi_fisik"],
        sub.loc["01.01.02", "realisasi_anggaran_rp"],
    ) == (2, 0)
    assert pd.isna(sub.loc["01.01.01", "realisasi_anggaran_rp"])  # left empty, as typed
    kin = back["kinerja_indikator"]
    assert kin[(kin["kode_indikator"] == "I4") & (kin["tahun"] == 2023)]["realisasi"].tolist() == [
        38
    ]
    _, record = year_from_quarters(back, 2023)
    record["tertulis"] = record["tertulis"].astype(object).where(record["tertulis"].notna(), None)
    assert [(r.kode_entitas, r.ukuran, r.tertulis, r.dihitung) for r in record.itertuples()] == [
        ("01.01.01", "realisasi_fisik", 3, 3), ("01.01.02", "realisasi_fisik", 2, 1),
        ("01.01.01", "realisasi_anggaran_rp", None, 3_570_000),
        ("01.01.02", "realisasi_anggaran_rp", 0, 3_500_000), ("I4", "realisasi", 38, 36),
    ]  # fmt: skip


def test_a_year_without_quarters_is_left_as_it_is():
    """2022 (no quarterly data): the same tables, nothing recorded (its report is unchanged:
    scripts/compare_outputs.py)."""
    raw = read_raw(2022, ROOT / "data" / "raw").tables
    tables, record = year_from_quarters(raw, 2022)
    assert tables is raw and record.empty


def test_an_empty_yearly_figure_needs_its_four_quarters(tmp_path):
    """A yearly realisation may be left empty only where its four quarters are given: I4's
    realisasi 2023 emptied reads, and takes 8 + 10 + 9 + 9 = 36 (the raw quarterly rows), no
    difference shown; 01.01.01's empty realisasi_anggaran_rp with its quarter IV removed
    (three quarters) is refused, naming file, row and column."""
    from lkj.analysis.triwulan_tahun import differing
    from lkj.core.errors import DataErrors

    year = build_yearly_case(tmp_path / "raw")
    kinerja = year / "kinerja_indikator.csv"
    kinerja.write_text(
        kinerja.read_text(encoding="utf-8").replace("I4,2023,40,38\n", "I4,2023,40,\n"), "utf-8"
    )
    by_hand = sum(
        quarters(year, "triwulan_indikator", "kode_indikator", "realisasi")["I4"].values()
    )
    assert by_hand == 36
    tables, record = year_from_quarters(read_raw(2023, tmp_path / "raw").tables, 2023)
    kin = tables["kinerja_indikator"]
    got = kin[(kin["kode_indikator"] == "I4") & (kin["tahun"] == 2023)]["realisasi"].tolist()
    assert got == [36]
    assert [(r.kode_entitas, r.ukuran) for r in differing(record).itertuples()] == [
        ("01.01.02", "realisasi_fisik"), ("01.01.02", "realisasi_anggaran_rp")
    ]  # fmt: skip

    path = year / "triwulan_sub_kegiatan.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert "01.01.01,4,,1,,1000000\n" in lines
    path.write_text("".join(x for x in lines if x != "01.01.01,4,,1,,1000000\n"), "utf-8")
    with pytest.raises(DataErrors) as refused:
        read_raw(2023, tmp_path / "raw")
    assert str(refused.value) == (
        f"{os.path.relpath(year / 'sub_kegiatan.csv')}, baris 2, kolom realisasi_anggaran_rp: "
        "wajib diisi, sel kosong"
    )


def test_collect_does_not_ask_for_a_yearly_cell_its_quarters_give(tmp_path):
    """make collect of the yearly forms, returned empty: 01.01.01's empty realisasi anggaran
    (four quarters) is not listed as empty; once its quarter IV is removed it is, by its cell
    (the Sekretariat's form, first data row, column H: Realisasi Anggaran)."""
    from lkj.data.forms.collect import collect_forms
    from lkj.data.forms.layout import FIRST_ROW
    from lkj.data.forms.write import write_forms

    year = build_yearly_case(tmp_path / "raw")
    write_forms(2023, tmp_path / "raw", tmp_path / "forms")
    assert collect_forms(2023, tmp_path / "raw", tmp_path / "forms").empty == []
    path = year / "triwulan_sub_kegiatan.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace("01.01.01,4,,1,,1000000\n", ""), "utf-8"
    )
    form = os.path.relpath(tmp_path / "forms" / "formulir_2023_sekretariat.xlsx")
    assert collect_forms(2023, tmp_path / "raw", tmp_path / "forms").empty == [
        f"{form}, sheet Sub Kegiatan, sel H{FIRST_ROW} (sub kegiatan 01.01.01, "
        "realisasi_anggaran_rp): kosong"
    ]
