"""Riwayat: every year folder up to the report year, lined up; grafik and the HTML section."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from lkj.analysis.riwayat import comparison_text, load_history
from lkj.core.errors import DataErrors, LkjError
from lkj.data.newyear import new_year
from lkj.document.grafik_riwayat import FIGURE_CAPAIAN, FIGURE_SERAPAN, save_history_figures

# Realisasi entered for 2023 (by hand, for the test): indikator and LRA.
REALISASI_2023 = {"I1": "90", "I2": "90", "I3": "100"}
LRA_2023 = ["1200000000", "2000000000", "900000000", "150000000"]


def _rewrite(path: Path, change) -> None:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        change(row)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def make_2023(raw_root: Path) -> None:
    """new-year 2023, then every realisation filled: fisik = target, anggaran spent 90%."""
    new_year(2023, raw_root)
    y = raw_root / "2023"

    def sub(row: dict) -> None:
        row["realisasi_fisik"] = row["target_fisik"]
        row["realisasi_anggaran_rp"] = str(int(row["anggaran_rp"]) * 9 // 10)

    def kinerja(row: dict) -> None:
        if row["tahun"] == "2023":
            row["realisasi"] = REALISASI_2023[row["kode_indikator"]]

    spent = iter(LRA_2023)

    def lra(row: dict) -> None:
        row["realisasi_rp"] = next(spent)

    _rewrite(y / "sub_kegiatan.csv", sub)
    _rewrite(y / "kinerja_indikator.csv", kinerja)
    _rewrite(y / "lra.csv", lra)


def _capaian(history, code: str) -> dict[int, float]:
    rows = history.indikator[history.indikator["kode_indikator"] == code]
    return dict(zip(rows["tahun"], rows["capaian_pct"], strict=True))


def test_history_of_2022(raw_root):
    history = load_history(raw_root, 2022)
    assert history.years == [2021, 2022]
    assert history.previous == 2021
    assert len(history.indikator) == 6
    assert _capaian(history, "I2") == {2021: 100.0, 2022: 100.0}  # 60 of 60, both years
    assert list(history.anggaran["tahun"]) == [2022]  # only years with a folder
    row = history.anggaran.iloc[0]
    assert (row.anggaran_rp, row.realisasi_rp) == (4920098606, 4016972430)
    assert round(row.serapan_pct, 2) == 81.64
    # 2021 has no folder: no budget comparison, the indikator still compare
    assert comparison_text(history) == (
        "Dibandingkan tahun 2021, capaian 0 dari 3 indikator kinerja sasaran naik, 3 tetap "
        "dan 0 turun."
    )


def test_history_of_2023_lists_2021_2022_2023(raw_root):
    make_2023(raw_root)
    history = load_history(raw_root, 2023)
    assert history.years == [2021, 2022, 2023]
    assert history.previous == 2022
    assert list(history.indikator["kode_indikator"]) == ["I1"] * 3 + ["I2"] * 3 + ["I3"] * 3
    assert _capaian(history, "I1") == {2021: 100.0, 2022: 100.0, 2023: 90.0}
    assert _capaian(history, "I2") == {2021: 100.0, 2022: 100.0, 2023: 120.0}  # 90 of 75
    assert _capaian(history, "I3") == {2021: 100.0, 2022: 100.0, 2023: 100.0}
    predikat = history.indikator.set_index(["kode_indikator", "tahun"])["predikat_kode"]
    assert predikat[("I1", 2023)] == "A" and predikat[("I2", 2023)] == "AA"
    budget = history.anggaran.set_index("tahun")
    assert list(budget.index) == [2022, 2023]
    assert budget.loc[2023, "anggaran_rp"] == 4920098606
    # each sub kegiatan spent 90% rounded down
    assert budget.loc[2023, "realisasi_rp"] == 4428088745
    assert round(budget.loc[2023, "serapan_pct"], 2) == 90.0

    wide = history.capaian_wide()
    assert list(wide.columns[:4]) == [
        "kode_indikator",
        "kode_sasaran",
        "uraian_indikator",
        "satuan",
    ]
    assert list(wide["capaian_2023"]) == [90.0, 120.0, 100.0]


def test_a_years_own_folder_wins(raw_root):
    make_2023(raw_root)

    # the 2023 folder's copy of the 2022 row is changed: the 2022 folder's row wins
    def change(row: dict) -> None:
        if row["tahun"] in ("2021", "2022") and row["kode_indikator"] == "I1":
            row["realisasi"] = "50"

    _rewrite(raw_root / "2023" / "kinerja_indikator.csv", change)
    history = load_history(raw_root, 2023)
    ind = history.indikator.set_index(["kode_indikator", "tahun"])
    assert ind.loc[("I1", 2022), "realisasi"] == 100
    assert ind.loc[("I1", 2022), "sumber_tahun"] == 2022
    # 2021 has no folder: the latest folder holding it (2023) is used
    assert ind.loc[("I1", 2021), "realisasi"] == 50
    assert ind.loc[("I1", 2021), "sumber_tahun"] == 2023


def test_later_years_are_left_out(raw_root):
    make_2023(raw_root)
    history = load_history(raw_root, 2022)
    assert history.years == [2021, 2022]
    assert list(history.anggaran["tahun"]) == [2022]


def test_an_invalid_earlier_year_stops_with_its_file(raw_root):
    make_2023(raw_root)
    path = raw_root / "2022" / "lra.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("1120832605", "x"), "utf-8")
    with pytest.raises(DataErrors, match="2022/lra.csv"):
        load_history(raw_root, 2023)


def test_comparison_text(raw_root):
    make_2023(raw_root)
    text = comparison_text(load_history(raw_root, 2023))
    assert text.startswith(
        "Anggaran tahun 2023 sebesar Rp 4.920.098.606, sama dengan tahun 2022, dengan "
        "realisasi Rp 4.428.088.745 (serapan 90,00%). Serapan anggaran naik 8,36 poin persen "
        "dari 81,64% pada tahun 2022. Dibandingkan tahun 2022, capaian 1 dari 3 indikator "
        "kinerja sasaran naik, 1 tetap dan 1 turun."
    )
    assert "Capaian I2 (Tingkat persentase pemahaman masyarakat tentang budaya politik) naik " in (
        text
    )
    assert "dari 100,00% menjadi 120,00%" in text
    assert "Capaian I1 (" in text and "turun dari 100,00% menjadi 90,00%" in text


def test_comparison_of_a_budget_change(raw_root):
    make_2023(raw_root)

    def cut(row: dict) -> None:
        if row["kode_sub_kegiatan"] == "01.01.01":
            row["anggaran_rp"] = "16000000"  # 17.060.400 - 1.060.400
            row["realisasi_anggaran_rp"] = "0"

    _rewrite(raw_root / "2023" / "sub_kegiatan.csv", cut)
    text = comparison_text(load_history(raw_root, 2023))
    # anggaran 4.920.098.606 - 1.060.400 = 4.919.038.206; 1.060.400 / 4.920.098.606 = 0,02%
    assert "sebesar Rp 4.919.038.206, turun Rp 1.060.400 (0,02%) dari tahun 2022" in text


def test_no_earlier_year(raw_root):
    history = load_history(raw_root, 2022)
    history.indikator = history.indikator[history.indikator["tahun"] == 2022]
    assert history.previous is None
    assert comparison_text(history) == (
        "Belum ada data tahun sebelum 2022, sehingga perbandingan antar tahun belum dapat "
        "disajikan."
    )


def _report_data_2023(raw_root, tmp_path):
    """The report's data of 2023 (ingested and computed as the pipeline's stages do)."""
    from lkj.analysis.capaian import compute_results
    from lkj.core.config import load_config
    from lkj.data.ingest import read_raw
    from lkj.data.processed import read_processed_tables, write_tables
    from lkj.document import laporan

    processed = tmp_path / "processed"
    write_tables(read_raw(2023, raw_root).tables, processed)
    results = compute_results(read_processed_tables(processed), 2023, load_config())
    write_tables(results.tables(), processed)
    return laporan.load_report_data(2023, processed, tmp_path / "out", None, raw_root / "2023")


def test_figures_and_section(raw_root, tmp_path):
    """3.5 Perbandingan Antar Tahun of 2023 (2021 and 2022 behind it): its sentence, its two
    tables (cells checked against the figures entered by hand above) and its two grafik."""
    from lkj.document import laporan
    from lkj.render.to_html import table_html

    make_2023(raw_root)
    d = _report_data_2023(raw_root, tmp_path)
    history = d.history
    figures = d.figures
    with pytest.raises(LkjError, match="grafik_riwayat_capaian.png"):
        laporan.perbandingan_antar_tahun(d)
    saved = save_history_figures(history, figures)
    for stem in (FIGURE_CAPAIAN, FIGURE_SERAPAN):
        assert saved[stem]["png"].stat().st_size > 10_000
        assert set(saved[stem]) == {
            "png"
        }  # no SVG: nothing uses it (lkj.document.grafik.save_figure)
    part = laporan.perbandingan_antar_tahun(d)
    html = str(table_html(part["capaian"])) + str(table_html(part["anggaran"]))
    assert part["capaian"].title == "Capaian Indikator Kinerja Sasaran Tahun 2021–2023"
    assert part["anggaran"].title == "Anggaran dan Realisasi Anggaran Tahun 2022–2023"
    assert part["grafik_capaian"].title == "Capaian Indikator Kinerja Sasaran Tahun 2021–2023"
    assert part["grafik_serapan"].title == (
        "Anggaran, Realisasi dan Serapan Anggaran Tahun 2022–2023"
    )
    assert [f.path.name for f in (part["grafik_capaian"], part["grafik_serapan"])] == [
        "grafik_riwayat_capaian.png",
        "grafik_riwayat_serapan.png",
    ]
    for header in (
        "Capaian 2021 (%)",
        "Capaian 2022 (%)",
        "Capaian 2023 (%)",
        "Perubahan 2022–2023",
    ):
        assert header in html
    assert ">+20,00</td>" in html and ">-10,00</td>" in html  # I2 and I1
    assert "4.428.088.745" in html and "492.009.861" in html  # realisasi and SILPA 2023
    assert "81,64" in html and "90,00" in html
    assert "Serapan anggaran naik 8,36 poin persen" in part["kalimat"]


def test_figures_are_reproducible(raw_root, tmp_path):
    history = load_history(raw_root, 2022)
    a = save_history_figures(history, tmp_path / "a")
    b = save_history_figures(history, tmp_path / "b")
    for stem in (FIGURE_CAPAIAN, FIGURE_SERAPAN):
        assert a[stem]["png"].read_bytes() == b[stem]["png"].read_bytes()
    assert not math.isnan(history.anggaran["serapan_pct"].iloc[0])


def test_history_written_by_the_capaian_stage_reads_back_as_computed(raw_root, tmp_path):
    """2023 with 2021 and 2022 behind it: the capaian stage computes the history from its own
    results for 2023 (``current``) and the raw folders of the earlier years; it is the history
    computed from every raw folder, and written to the processed folder
    (``lkj.analysis.riwayat.write_history``) it reads back, in the report's data, with the same
    rows,
    values and column types."""
    import pandas as pd

    from lkj.analysis.capaian import compute_results
    from lkj.analysis.riwayat import write_history
    from lkj.core.config import load_config
    from lkj.data.ingest import read_raw
    from lkj.data.processed import read_processed_tables, write_tables
    from lkj.document import laporan

    make_2023(raw_root)
    processed = tmp_path / "processed"
    write_tables(read_raw(2023, raw_root).tables, processed)
    config = load_config()
    results = compute_results(read_processed_tables(processed), 2023, config)
    write_tables(results.tables(), processed)
    from_raw = load_history(raw_root, 2023)
    staged = load_history(raw_root, 2023, config, current=results)
    pd.testing.assert_frame_equal(staged.indikator, from_raw.indikator)
    pd.testing.assert_frame_equal(staged.anggaran, from_raw.anggaran)

    written = write_history(staged, processed)
    assert sorted(p.name for p in written) == ["riwayat_anggaran.csv", "riwayat_indikator.csv"]
    read = laporan.load_report_data(2023, processed, tmp_path, None, raw_root / "nowhere")
    assert "riwayat_indikator" not in read.raw  # not taken for a raw table
    history = read.history  # from the two files: no raw folder is read (raw_dir is absent)
    assert [int(y) for y in history.anggaran["tahun"]] == [2022, 2023]  # no 2021 LRA
    assert len(history.indikator) == 9  # 3 indikator x 3 years
    assert _capaian(history, "I2") == _capaian(from_raw, "I2")
    # exactly: every capaian is read back as computed (the one writer, the one reader)
    pd.testing.assert_frame_equal(history.indikator, from_raw.indikator, check_exact=True)
    pd.testing.assert_frame_equal(history.anggaran, from_raw.anggaran, check_exact=True)
