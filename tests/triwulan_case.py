"""A small quarterly case for the triwulan tests: year 2023 made from the 2022 structure
(labelled DATA SINTETIS), with hand-picked quarters for three sub kegiatan and two indikator
(I2 a level, ``akhir``; I4 a count, ``jumlah``), one budget changed mid-year, a Renstra row
for program 02, and a typed yearly figure (I4: 38) that disagrees with its quarters (36)."""

from __future__ import annotations

import csv
import shutil
from decimal import Decimal
from pathlib import Path

RAW_2022 = Path(__file__).resolve().parent.parent / "data" / "raw" / "2022"


def _write(path: Path, header: list[str], rows: list[list[object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


def _append(path: Path, rows: list[list[object]]) -> None:
    with path.open("a", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)


def build_case(raw_root: Path) -> Path:
    """Write raw_root/2022 (a copy) and raw_root/2023 (the case); returns raw_root/2023."""
    shutil.copytree(RAW_2022, raw_root / "2022")
    year = raw_root / "2023"
    shutil.copytree(RAW_2022, year)
    (year / "angka_tertulis.csv").unlink()
    _append(year / "instansi.csv", [["data_sintetis", "ya"]])
    _append(
        year / "indikator.csv",
        [["I4", "S1", "Jumlah kegiatan wawasan kebangsaan", "kegiatan", "positif", "tidak",
          "Bidang Ideologi", "", "5", "200"]],
    )  # fmt: skip
    _write(
        year / "kinerja_indikator.csv",
        ["kode_indikator", "tahun", "target", "realisasi"],
        [["I1", 2022, 100, 100], ["I1", 2023, 100, ""], ["I2", 2022, 60, 60],
         ["I2", 2023, 75, ""], ["I3", 2022, 100, 100], ["I3", 2023, 100, ""],
         ["I4", 2022, 30, 10], ["I4", 2023, 40, 38]],
    )  # fmt: skip
    _append(year / "target_renstra.csv", [["I4", y, t] for y, t in
            ((2022, 30), (2023, 40), (2024, 40), (2025, 40), (2026, 50))])  # fmt: skip
    sub_header = ["kode_sub_kegiatan", "triwulan", "rencana_fisik", "realisasi_fisik",
                  "rencana_anggaran_rp", "realisasi_anggaran_rp"]  # fmt: skip
    _write(
        year / "triwulan_sub_kegiatan.csv",
        sub_header,
        [["01.01.01", 1, "", 1, "", 1000000], ["01.01.01", 2, "", 1, "", 1000000],
         ["01.01.01", 3, "", 0, "", 570000], ["01.01.01", 4, "", 1, "", 1000000],
         ["01.01.02", 1, 0, 0, 2000000, 0], ["01.01.02", 2, 1, 1, 3000000, 2500000],
         ["01.02.01", 1, "", 7, "", 341913807], ["01.02.01", 2, "", 8, "", 341913808]],
    )  # fmt: skip
    _write(
        year / "triwulan_indikator.csv",
        ["kode_indikator", "triwulan", "rencana", "realisasi"],
        [["I2", 1, "", 62], ["I2", 2, 70, 65], ["I4", 1, 10, 8], ["I4", 2, 10, 10],
         ["I4", 3, "", 9], ["I4", 4, "", 9]],
    )  # fmt: skip
    _write(
        year / "aturan_indikator.csv",
        ["kode_indikator", "aturan"],
        [["I1", "akhir"], ["I2", "akhir"], ["I3", "akhir"], ["I4", "jumlah"]],
    )
    _write(
        year / "pagu_triwulan.csv",
        ["kode_sub_kegiatan", "pagu_murni_rp", "pagu_perubahan_rp", "berlaku_triwulan"],
        [["01.01.02", 10000000, 8900000, 3]],
    )
    _write(
        year / "renstra_program.csv",
        ["entitas", "kode", "indikator", "satuan", "target_akhir_k", "target_akhir_rp",
         "realisasi_lalu_k", "realisasi_lalu_rp", "target_tahun_k"],
        [["program", "02", "Persentase masyarakat berwawasan kebangsaan", "%", 100,
          1000000000, 100, 150000000, 100]],
    )  # fmt: skip
    narasi = year / "narasi"
    (narasi / "tw2_faktor_pendorong.md").write_text(
        "Koordinasi dengan kecamatan berjalan baik pada triwulan {{ triwulan }}.\n",
        encoding="utf-8",
    )
    (narasi / "tw2_faktor_penghambat.md").write_text(
        "- Pencairan anggaran terlambat\n- Jadwal narasumber bergeser\n", encoding="utf-8"
    )
    return year


def build_yearly_case(raw_root: Path) -> Path:
    """The case of ``build_case`` completed for the yearly LKj of 2023: the typed yearly
    realisation of I1-I3 filled in (I2 has two quarters only: its typed 70 stays), and
    01.01.02's quarters III and IV added (fisik 0 + 1 + 0 + 0 = 1 against its typed 2, Rp
    0 + 2.500.000 + 0 + 1.000.000 = 3.500.000 against its typed 0); I4 keeps its typed 38
    against its quarters' 36; 01.01.01's yearly realisasi_anggaran_rp left empty (its four
    quarters give it: 3.570.000; its typed fisik 3 agrees with them). Returns raw_root/2023."""
    year = build_case(raw_root)
    subs = year / "sub_kegiatan.csv"
    typed = subs.read_text(encoding="utf-8")
    row = "01.01.01,01.01,1,Penyusunan Dokumen Perencanaan Perangkat Daerah,Sekretariat,,,3,3,"
    assert f"{row}17060400,3570000\n" in typed
    subs.write_text(typed.replace(f"{row}17060400,3570000\n", f"{row}17060400,\n"), "utf-8")
    kinerja = year / "kinerja_indikator.csv"
    text = kinerja.read_text(encoding="utf-8")
    for code, value in (("I1", 100), ("I2", 70), ("I3", 100)):
        text = text.replace(f"{code},2023,{'75' if code == 'I2' else '100'},\n",
                            f"{code},2023,{'75' if code == 'I2' else '100'},{value}\n")  # fmt: skip
    kinerja.write_text(text, encoding="utf-8")
    _append(
        year / "triwulan_sub_kegiatan.csv",
        [["01.01.02", 3, "", 0, "", 0], ["01.01.02", 4, "", 0, "", 1000000]],
    )
    return year


def yearly_spent(year_dir: Path) -> dict[str, Decimal]:
    """Each sub kegiatan's yearly realisasi anggaran as the yearly LKj uses it, derived here
    from the raw rows: the sum of its four quarters (triwulan_sub_kegiatan.csv) where all four
    are given, else the typed realisasi_anggaran_rp (issue 22: the yearly figure from the
    quarters)."""
    quarters: dict[str, dict[str, Decimal]] = {}
    path = year_dir / "triwulan_sub_kegiatan.csv"
    if path.is_file():
        with path.open(encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                if r["realisasi_anggaran_rp"] != "":
                    value = Decimal(r["realisasi_anggaran_rp"])
                    quarters.setdefault(r["kode_sub_kegiatan"], {})[r["triwulan"]] = value
    with (year_dir / "sub_kegiatan.csv").open(encoding="utf-8") as fh:
        subs = list(csv.DictReader(fh))
    return {
        r["kode_sub_kegiatan"]: sum(q.values())
        if len(q := quarters.get(r["kode_sub_kegiatan"], {})) == 4
        else Decimal(r["realisasi_anggaran_rp"])
        for r in subs
    }
