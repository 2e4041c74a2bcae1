"""new-year: data/raw/2023 from 2022, realisation empty, structures kept, never a half-made year."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from lkj.cli import main
from lkj.core.errors import DataErrors, LkjError
from lkj.data import newyear
from lkj.data.ingest import read_raw
from lkj.data.newyear import TEMPLATE_MARK, new_year


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_new_year_2023_from_2022(raw_root):
    result = new_year(2023, raw_root)
    y22, y23 = raw_root / "2022", raw_root / "2023"
    assert result.source_year == 2022
    assert result.year_dir == y23

    kinerja = _rows(y23 / "kinerja_indikator.csv")
    assert len(kinerja) == 9
    new = {r["kode_indikator"]: r for r in kinerja if r["tahun"] == "2023"}
    # targets of 2023 from target_renstra.csv: I1 100, I2 75, I3 100
    assert {k: r["target"] for k, r in new.items()} == {"I1": "100", "I2": "75", "I3": "100"}
    assert all(r["realisasi"] == "" for r in new.values())
    old = [(r["kode_indikator"], r["tahun"], r["target"], r["realisasi"]) for r in kinerja]
    assert ("I2", "2021", "60", "60") in old and ("I2", "2022", "60", "60") in old

    sub = _rows(y23 / "sub_kegiatan.csv")
    assert len(sub) == 35
    assert all(r["realisasi_fisik"] == "" and r["realisasi_anggaran_rp"] == "" for r in sub)
    assert sum(int(r["anggaran_rp"]) for r in sub) == 4920098606  # budgets kept
    assert sub[3]["target_fisik"] == "30" and sub[3]["satuan"] == "pegawai"

    lra = _rows(y23 / "lra.csv")
    assert [r["realisasi_rp"] for r in lra] == ["", "", "", ""]
    assert sum(int(r["anggaran_rp"]) for r in lra) == 4904098606

    pegawai = pd.read_csv(y23 / "pegawai.csv")
    assert sorted(pegawai["tahun"].unique()) == [2022, 2023]
    assert len(pegawai) == 44  # 22 rows of 2022, each copied for 2023
    by_year = pegawai.pivot_table(index=["kategori", "uraian"], columns="tahun", values="jumlah")
    assert (by_year[2022] == by_year[2023]).all()
    assert pegawai.iloc[0].tolist() == ["unit_kerja", 1, "Kepala Badan", 2022, 1]
    assert pegawai.iloc[1].tolist() == ["unit_kerja", 1, "Kepala Badan", 2023, 1]
    sarana = pd.read_csv(y23 / "sarana_prasarana.csv")
    assert len(sarana) == 18 and sorted(sarana["tahun"].unique()) == [2022, 2023]

    instansi = dict((r["kunci"], r["nilai"]) for r in _rows(y23 / "instansi.csv"))
    assert instansi["tahun_anggaran"] == "2023"
    assert instansi["kepala_nama"] == "YUSMAWANDI, S.Pd"

    for name in ("tujuan", "sasaran", "indikator", "target_renstra", "program", "kegiatan"):
        assert (y23 / f"{name}.csv").read_bytes() == (y22 / f"{name}.csv").read_bytes(), name
    assert (y23 / "tim_penyusun.csv").read_bytes() == (y22 / "tim_penyusun.csv").read_bytes()
    for name in ("angka_tertulis.csv", "ormas.csv", "tenaga_kerja_asing.csv"):
        assert not (y23 / name).exists()
    assert not (y23 / "README_transcription.md").exists()
    assert "angka_tertulis (angka_tertulis.csv)" in result.skipped
    assert not list(raw_root.glob(".new-*"))  # no staging folder left


def test_the_new_year_is_incomplete_until_realisation_is_entered(raw_root):
    new_year(2023, raw_root)
    with pytest.raises(DataErrors) as info:
        read_raw(2023, raw_root)
    messages = [str(e) for e in info.value.errors]
    assert len(messages) == 35 * 2 + 3 + 4  # sub kegiatan, indikator 2023, lra
    for expected in (
        "2023/sub_kegiatan.csv, baris 2, kolom realisasi_fisik: wajib diisi",
        "2023/kinerja_indikator.csv, baris 4, kolom realisasi: wajib diisi",
        "2023/lra.csv, baris 2, kolom realisasi_rp: wajib diisi",
    ):
        assert any(expected in m for m in messages), expected


def test_narrative_files_become_templates(raw_root):
    narasi = raw_root / "2022" / "narasi"
    narasi.mkdir(exist_ok=True)
    (narasi / "penutup.md").write_text("Teks penutup tahun {{ tahun }}.\n", encoding="utf-8")
    result = new_year(2023, raw_root)
    text = (raw_root / "2023" / "narasi" / "penutup.md").read_text(encoding="utf-8")
    assert text == (
        "<!-- TEMPLATE dari tahun 2022: perbarui teks ini untuk tahun 2023 -->\n"
        "Teks penutup tahun {{ tahun }}.\n"
    )
    assert "narasi/penutup.md" in result.narasi


def test_a_template_of_a_template_has_one_mark(raw_root):
    narasi = raw_root / "2022" / "narasi"
    narasi.mkdir(exist_ok=True)
    old_mark = TEMPLATE_MARK.format(source=2021, year=2022)
    (narasi / "penutup.md").write_text(f"{old_mark}\nTeks lama.\n", encoding="utf-8")
    new_year(2023, raw_root)
    text = (raw_root / "2023" / "narasi" / "penutup.md").read_text(encoding="utf-8")
    assert text == TEMPLATE_MARK.format(source=2022, year=2023) + "\nTeks lama.\n"


def test_refuses_an_existing_year(raw_root):
    new_year(2023, raw_root)
    (raw_root / "2023" / "catatan.txt").write_text("jangan hilang", encoding="utf-8")
    with pytest.raises(LkjError, match="sudah ada"):
        new_year(2023, raw_root)
    assert (raw_root / "2023" / "catatan.txt").read_text(encoding="utf-8") == "jangan hilang"


def test_cli_new_year_twice(raw_root, capsys):
    assert main(["new-year", "--year", "2023", "--raw", str(raw_root)]) == 0
    out = capsys.readouterr().out
    assert "Tahun 2023 dibuat" in out and "kinerja_indikator.csv: 9 baris" in out
    assert "make forms YEAR=2023" in out
    assert main(["new-year", "--year", "2023", "--raw", str(raw_root)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("lkj: kesalahan:") and "sudah ada" in err and "Traceback" not in err


def test_needs_an_earlier_year(raw_root):
    with pytest.raises(LkjError, match="tidak ada folder tahun sebelum 2021"):
        new_year(2021, raw_root)
    assert not (raw_root / "2021").exists()


def test_source_must_be_valid(raw_root):
    path = raw_root / "2022" / "program.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",S1\n", ",S9\n", 1), "utf-8")
    with pytest.raises(DataErrors, match="S9"):
        new_year(2023, raw_root)
    assert not (raw_root / "2023").exists()


def test_a_failure_leaves_no_half_made_year(raw_root, monkeypatch):
    def broken(*_args, **_kwargs):
        raise OSError("disk penuh")

    monkeypatch.setattr(newyear, "_copy_narasi", broken)
    with pytest.raises(OSError):
        new_year(2023, raw_root)
    assert not (raw_root / "2023").exists()
    assert [p.name for p in raw_root.iterdir()] == ["2022"]


def test_target_falls_back_to_last_year(raw_root):
    path = raw_root / "2022" / "target_renstra.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(x for x in lines if ",2023," not in x) + "\n", encoding="utf-8")
    new_year(2023, raw_root)
    kinerja = _rows(raw_root / "2023" / "kinerja_indikator.csv")
    targets = {r["kode_indikator"]: r["target"] for r in kinerja if r["tahun"] == "2023"}
    assert targets == {"I1": "100", "I2": "60", "I3": "100"}  # the 2022 targets


def test_copies_from_the_latest_earlier_year(raw_root):
    new_year(2023, raw_root)
    sub = raw_root / "2023" / "sub_kegiatan.csv"
    sub.write_text(sub.read_text(encoding="utf-8").replace(",,17060400,", ",3,17060400,"), "utf-8")
    # 2023 is incomplete, so it cannot be the source of 2024: the error names its file
    with pytest.raises(DataErrors, match="2023/sub_kegiatan.csv"):
        new_year(2024, raw_root)
    assert newyear.year_folders(raw_root) == [2022, 2023]
