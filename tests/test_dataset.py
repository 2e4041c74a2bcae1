"""Ingest: the 2022 data passes; each kind of bad input gives one clear, located message."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from lkj.core.errors import DataError, DataErrors
from lkj.data.ingest import read_raw
from lkj.data.processed import write_workbook


def _edit(path: Path, row: int, column: str, value: str) -> None:
    """Set a cell; ``row`` is the spreadsheet row (header = 1)."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    rows[row - 2][column] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _message(raw_root: Path) -> str:
    with pytest.raises((DataError, DataErrors)) as info:
        read_raw(2022, raw_root)
    return str(info.value)


def test_2022_data_is_valid_and_complete(raw_root):
    raw = read_raw(2022, raw_root)
    sub = raw["sub_kegiatan"]
    assert len(sub) == 35
    assert len(raw["kegiatan"]) == 12
    assert len(raw["program"]) == 6
    # sums of the seed's 35 sub kegiatan rows, added by hand
    assert sub["anggaran_rp"].sum() == 4920098606
    assert sub["realisasi_anggaran_rp"].sum() == 4016972430
    assert sub["kode_sub_kegiatan"].is_unique


def test_missing_file(raw_root):
    (raw_root / "2022" / "program.csv").unlink()
    msg = _message(raw_root)
    assert "program.csv" in msg and "tidak ditemukan" in msg


def test_missing_column(raw_root):
    path = raw_root / "2022" / "sub_kegiatan.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.drop(columns=["anggaran_rp"]).to_csv(path, index=False)
    msg = _message(raw_root)
    assert "sub_kegiatan.csv, baris 1, kolom anggaran_rp: kolom wajib tidak ada" in msg


def test_non_number(raw_root):
    _edit(raw_root / "2022" / "sub_kegiatan.csv", 5, "anggaran_rp", "12x")
    msg = _message(raw_root)
    assert "sub_kegiatan.csv, baris 5, kolom anggaran_rp" in msg
    assert "'12x'" in msg and "angka" in msg


def test_indonesian_thousands_separator_is_refused_not_misread(raw_root):
    _edit(raw_root / "2022" / "lra.csv", 2, "anggaran_rp", "1.367.655.230")
    msg = _message(raw_root)
    assert "lra.csv, baris 2, kolom anggaran_rp" in msg and "tanpa pemisah ribuan" in msg


def test_negative_budget(raw_root):
    _edit(raw_root / "2022" / "sub_kegiatan.csv", 3, "realisasi_anggaran_rp", "-5")
    msg = _message(raw_root)
    assert "sub_kegiatan.csv, baris 3, kolom realisasi_anggaran_rp: diharapkan angka ≥ 0" in msg


def test_duplicate_code(raw_root):
    _edit(raw_root / "2022" / "program.csv", 3, "kode_program", "01")
    msg = _message(raw_root)
    assert "program.csv, baris 3, kolom kode_program: kode ganda" in msg
    assert "program.csv, baris 2, kolom kode_program: kode ganda" in msg


def test_sub_kegiatan_linking_to_no_kegiatan(raw_root):
    _edit(raw_root / "2022" / "sub_kegiatan.csv", 7, "kode_kegiatan", "99.99")
    msg = _message(raw_root)
    assert "sub_kegiatan.csv, baris 7, kolom kode_kegiatan: '99.99' tidak ada di kegiatan" in msg


def test_empty_required_cell_and_bad_choice(raw_root):
    _edit(raw_root / "2022" / "kegiatan.csv", 4, "nama_kegiatan", "")
    _edit(raw_root / "2022" / "indikator.csv", 2, "polaritas", "naik")
    msg = _message(raw_root)
    assert "kegiatan.csv, baris 4, kolom nama_kegiatan: wajib diisi" in msg
    assert "indikator.csv, baris 2, kolom polaritas: diharapkan salah satu dari: positif" in msg


def test_dash_means_zero(raw_root):
    _edit(raw_root / "2022" / "sub_kegiatan.csv", 3, "realisasi_anggaran_rp", "-")
    raw = read_raw(2022, raw_root)
    assert raw["sub_kegiatan"].loc[1, "realisasi_anggaran_rp"] == 0


def test_report_year_needs_indicator_rows(raw_root):
    path = raw_root / "2022" / "kinerja_indikator.csv"
    frame = pd.read_csv(path, dtype=str)
    frame[~((frame["kode_indikator"] == "I2") & (frame["tahun"] == "2022"))].to_csv(
        path, index=False
    )
    assert "indikator I2 tidak punya baris untuk tahun 2022" in _message(raw_root)


def test_workbook_gives_the_same_tables_as_csv(raw_root, tmp_path):
    from_csv = read_raw(2022, raw_root)
    book_root = tmp_path / "book"
    (book_root / "2022").mkdir(parents=True)
    write_workbook(from_csv, book_root / "2022" / "lkj_2022.xlsx")
    from_xlsx = read_raw(2022, book_root)
    assert set(from_xlsx.tables) == set(from_csv.tables)
    for name, frame in from_csv.tables.items():
        pd.testing.assert_frame_equal(from_xlsx[name], frame, check_dtype=False, obj=name)
    assert from_xlsx.sources["program"].sheet == "program"


def test_workbook_errors_name_the_sheet(raw_root, tmp_path):
    raw = read_raw(2022, raw_root)
    raw.tables["sub_kegiatan"].loc[4, "anggaran_rp"] = -1
    (tmp_path / "b" / "2022").mkdir(parents=True)
    write_workbook(raw, tmp_path / "b" / "2022" / "data.xlsx")
    msg = _message(tmp_path / "b")
    assert "data.xlsx, sheet sub_kegiatan, baris 6, kolom anggaran_rp" in msg


def test_table_both_as_csv_and_sheet_is_refused(raw_root):
    raw = read_raw(2022, raw_root)
    write_workbook(raw, raw_root / "2022" / "lkj_2022.xlsx")
    assert "ada dua kali" in _message(raw_root)


def test_read_without_validation_types_the_tables_the_same_way(raw_root):
    """validate=False (the preview re-reading files the last run validated) skips the checks
    only: the same tables, values and dtypes as a validated read."""
    checked = read_raw(2022, raw_root)
    unchecked = read_raw(2022, raw_root, validate=False)
    assert list(unchecked.tables) == list(checked.tables)
    assert len(checked.tables) >= 10
    for name, frame in checked.tables.items():
        pd.testing.assert_frame_equal(unchecked[name], frame, check_dtype=True, obj=name)


def test_read_without_validation_checks_nothing(raw_root):
    """What validation refuses (a negative budget) goes through unchecked: validate=False is
    only for files a run has validated unchanged since."""
    _edit(raw_root / "2022" / "sub_kegiatan.csv", 2, "anggaran_rp", "-5")
    assert "anggaran_rp" in _message(raw_root)
    unchecked = read_raw(2022, raw_root, validate=False)
    assert unchecked["sub_kegiatan"]["anggaran_rp"].iloc[0] == -5
