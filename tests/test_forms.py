"""Forms and collect: the round trip, a missing form, a text in a number cell, a rerun."""

from __future__ import annotations

import csv
import os
import subprocess
from pathlib import Path

import openpyxl
import pytest

from lkj.cli import main
from lkj.core.errors import DataErrors
from lkj.data.forms.collect import collect_forms
from lkj.data.forms.layout import (
    FIRST_ROW,
    PASSWORD,
    SHEET_IND,
    SHEET_META,
    SHEET_SUB,
    FormsError,
)
from lkj.data.forms.write import write_forms
from lkj.data.newyear import new_year

ROOT = Path(__file__).resolve().parent.parent
SEKRETARIAT = "formulir_2023_sekretariat.xlsx"
POLITIK = "formulir_2023_subbid_politik_dalam_negeri_dan_organisasi.xlsx"
INDIKATOR_VALUES = {"I1": 95, "I2": 80.5, "I3": 100}


@pytest.fixture
def year(raw_root: Path, tmp_path: Path) -> dict:
    """data/raw/2023 made by new-year from a copy of 2022, and its forms written."""
    new_year(2023, raw_root)
    forms = tmp_path / "forms"
    written = write_forms(2023, raw_root, forms)
    return {"raw": raw_root, "forms": forms, "written": written}


def fill_form(path: Path, skip: tuple[str, ...] = ()) -> dict[str, tuple]:
    """Fill a form as a sub bidang would; returns {kode: (realisasi_fisik, realisasi_rp)}.

    Row i of the sheet: realisasi fisik = target fisik - (i % 2), realisasi anggaran =
    anggaran // 2 + i; indikator from INDIKATOR_VALUES. Cells named in ``skip`` stay empty.
    """
    wb = openpyxl.load_workbook(path)
    ws = wb[SHEET_SUB]
    filled = {}
    r = FIRST_ROW
    while ws.cell(r, 1).value not in (None, "Jumlah"):
        i = r - FIRST_ROW
        fisik = max(ws.cell(r, 5).value - i % 2, 0)
        rupiah = ws.cell(r, 7).value // 2 + i
        if f"F{r}" not in skip:
            ws.cell(r, 6).value = fisik
        if f"H{r}" not in skip:
            ws.cell(r, 8).value = rupiah
        filled[ws.cell(r, 1).value] = (fisik, rupiah)
        r += 1
    if SHEET_IND in wb.sheetnames:
        wi = wb[SHEET_IND]
        r = FIRST_ROW
        while wi.cell(r, 1).value:
            wi.cell(r, 5).value = INDIKATOR_VALUES[wi.cell(r, 1).value]
            r += 1
    wb.save(path)
    return filled


def fill_all(forms: Path) -> dict[str, tuple]:
    filled = {}
    for path in sorted(forms.glob("*.xlsx")):
        filled |= fill_form(path)
    return filled


def set_cell(path: Path, sheet: str, ref: str, value: object) -> None:
    wb = openpyxl.load_workbook(path)
    wb[sheet][ref] = value
    wb.save(path)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def sub_values(raw: Path) -> dict[str, tuple[str, str]]:
    rows = read_csv(raw / "2023" / "sub_kegiatan.csv")
    return {
        r["kode_sub_kegiatan"]: (r["realisasi_fisik"], r["realisasi_anggaran_rp"]) for r in rows
    }


def indikator_values(raw: Path) -> dict[str, str]:
    rows = read_csv(raw / "2023" / "kinerja_indikator.csv")
    return {r["kode_indikator"]: r["realisasi"] for r in rows if r["tahun"] == "2023"}


def type_numbers(forms: Path, values: dict[str, float]) -> int:
    """Type numbers (as numbers, the way Excel stores them) into the realisasi cells of the
    sub kegiatan or indikator named by code, in whichever form holds them; returns how many."""
    typed = 0
    for path in sorted(forms.glob("*.xlsx")):
        wb = openpyxl.load_workbook(path)
        for sheet, column in ((SHEET_SUB, 6), (SHEET_IND, 5)):
            if sheet not in wb.sheetnames:
                continue
            ws = wb[sheet]
            for r in range(FIRST_ROW, ws.max_row + 1):
                code = ws.cell(r, 1).value
                if code in values:
                    ws.cell(r, column).value = values[code]
                    typed += 1
        wb.save(path)
    return typed


# Decimals typed as numbers into the forms, and what the report must print for them, by hand:
# 01.05.01 target 4: 2,125 / 4 = 53,125 -> 53,13; 01.06.01 target 4: 0,103 / 4 = 2,575 -> 2,58
# (a float gives 2,57); 01.04.06 target 100: 90,004 -> 90,00, judged Tinggi (not Sangat
# Tinggi); I1 target 100: 90,004 -> 90,00, predikat A (not AA); I2 target 75 (Renstra 2023):
# 87,5 / 75 = 116,666.. -> 116,67; I3 target 100: 66,667 -> 66,67.
DECIMALS = {
    "01.05.01": 2.125,
    "01.06.01": 0.103,
    "01.04.06": 90.004,
    "I1": 90.004,
    "I2": 87.5,
    "I3": 66.667,
}


def test_decimals_typed_in_forms_survive_collect_and_ingest(year):
    fill_all(year["forms"])
    assert type_numbers(year["forms"], DECIMALS) == 6
    result = collect_forms(2023, year["raw"], year["forms"])
    assert result.complete, result.summary()
    # written by the one writer, as typed
    subs = sub_values(year["raw"])
    assert [subs[c][0] for c in ("01.05.01", "01.06.01", "01.04.06")] == [
        "2.125",
        "0.103",
        "90.004",
    ]
    assert indikator_values(year["raw"]) == {"I1": "90.004", "I2": "87.5", "I3": "66.667"}
    # and read back by the one reader (this was refused before: "titik sebagai pemisah ribuan");
    # the LRA realisasi comes from the finance office, not from the forms
    lra = year["raw"] / "2023" / "lra.csv"
    lra.write_text(lra.read_text(encoding="utf-8").replace(",\n", ",1000\n"), encoding="utf-8")
    from lkj.analysis.capaian import compute_results
    from lkj.core.config import load_config
    from lkj.data.ingest import read_raw

    raw = read_raw(2023, year["raw"])
    res = compute_results(raw.tables, 2023, load_config())
    sub = res.sub_kegiatan.set_index("kode_sub_kegiatan")
    assert sub.at["01.05.01", "capaian_fisik_pct"] == 53.13
    assert sub.at["01.06.01", "capaian_fisik_pct"] == 2.58
    assert sub.at["01.04.06", "capaian_fisik_pct"] == 90.0
    assert sub.at["01.04.06", "kategori_fisik"] == "Tinggi"
    ind = res.indikator[res.indikator["tahun"] == 2023].set_index("kode_indikator")
    assert list(ind["capaian_pct"]) == [90.0, 116.67, 66.67]
    assert list(ind["predikat_kode"]) == ["A", "AA", "B"]
    # a second collect changes nothing: what was written reads back to the same value
    again = collect_forms(2023, year["raw"], year["forms"])
    assert again.changes == []


# --- the forms ---------------------------------------------------------------------------


def test_one_form_per_unit_kerja(year):
    forms = year["forms"]
    assert sorted(p.name for p in forms.iterdir()) == [
        SEKRETARIAT,
        "formulir_2023_subbid_ideologi_wawasan_kebangsaan_dan_ketahanan.xlsx",
        "formulir_2023_subbid_kewaspadaan_nasional_dan_penanganan_konflik.xlsx",
        POLITIK,
    ]
    counts = {f.unit: (f.sub_kegiatan, f.indikator, f.prefilled) for f in year["written"]}
    assert counts == {
        "Sekretariat": (23, 0, 0),
        "Sub Bidang Ideologi, Wawasan Kebangsaan dan Ketahanan Ekonomi, Sosial Budaya dan Agama": (
            5,
            1,
            0,
        ),
        "Sub Bidang Politik Dalam Negeri dan Organisasi Kemasyarakatan": (4, 1, 0),
        "Sub Bidang Kewaspadaan Nasional dan Penanganan Konflik": (3, 1, 0),
    }


def test_form_layout_protection_and_validation(year):
    wb = openpyxl.load_workbook(year["forms"] / POLITIK)
    assert wb.sheetnames == ["Petunjuk", SHEET_SUB, SHEET_IND, SHEET_META]
    assert wb[SHEET_META].sheet_state == "veryHidden"
    meta = {r[0]: r[1] for r in wb[SHEET_META].iter_rows(values_only=True)}
    assert meta["tahun"] == 2023
    assert meta["unit_kerja"] == "Sub Bidang Politik Dalam Negeri dan Organisasi Kemasyarakatan"
    assert wb.security.lockStructure

    ws = wb[SHEET_SUB]
    header = [c.value for c in ws[FIRST_ROW - 1]]
    assert header == [
        "Kode",
        "Nama Sub Kegiatan",
        "Satuan",
        "Kelompok Sasaran",
        "Target Fisik",
        "Realisasi Fisik",
        "Anggaran (Rp)",
        "Realisasi Anggaran (Rp)",
    ]
    assert [ws.cell(r, 1).value for r in range(7, 12)] == [
        "03.01.01",
        "03.01.02",
        "03.01.03",
        "04.01.01",
        "Jumlah",
    ]
    assert ws["C7"].value == "partai politik" and ws["E7"].value == 11
    assert ws["G7"].value == 923865000
    assert ws["G11"].value == "=SUM(G7:G10)"
    assert ws.protection.sheet and ws.protection.password  # hashed "lkj"
    for ref in ("F7", "H10"):
        assert ws[ref].protection.locked is False
        assert ws[ref].fill.fgColor.rgb.endswith("FFF59D")
        assert ws[ref].value is None
    for ref in ("A7", "B7", "E7", "G7", "G11"):
        assert ws[ref].protection.locked is True
    rules = {
        str(dv.sqref): (dv.type, dv.operator, dv.formula1, dv.formula2)
        for dv in ws.data_validations.dataValidation
    }
    # Excel refuses at entry what the contract refuses later: text, negatives, > 10^15.
    assert rules == {
        "F7:F10": ("decimal", "between", "0", "1000000000000000"),
        "H7:H10": ("whole", "between", "0", "1000000000000000"),
    }
    assert ws.data_validations.dataValidation[0].error == (
        "Isi dengan angka 0 sampai 10^15, diketik sebagai angka (bukan teks), tanpa % atau satuan."
    )

    wi = wb[SHEET_IND]
    assert [c.value for c in wi[FIRST_ROW - 1]][:5] == [
        "Kode",
        "Indikator Kinerja",
        "Satuan",
        "Target 2023",
        "Realisasi 2023",
    ]
    assert [wi.cell(7, j).value for j in (1, 3, 4, 6)] == ["I2", "%", 75, 60]
    assert wi["E7"].protection.locked is False and wi["D7"].protection.locked is True

    help_text = " ".join(str(c.value) for row in wb["Petunjuk"].iter_rows() for c in row if c.value)
    for phrase in ("KUNING", "tanpa pemisah ribuan", "Tidak boleh negatif", "Batas waktu"):
        assert phrase in help_text
    assert PASSWORD == "lkj"


def test_a_unit_without_sasaran_gets_a_form_without_indikator(year):
    wb = openpyxl.load_workbook(year["forms"] / SEKRETARIAT)
    assert wb.sheetnames == ["Petunjuk", SHEET_SUB, SHEET_META]
    assert wb[SHEET_SUB].cell(FIRST_ROW + 22, 1).value == "01.07.05"


def test_deadline_is_printed_on_the_forms(raw_root, tmp_path):
    new_year(2023, raw_root)
    write_forms(2023, raw_root, tmp_path, deadline="15 Januari 2024")
    ws = openpyxl.load_workbook(tmp_path / SEKRETARIAT)["Petunjuk"]
    values = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, 12)}
    assert values["Batas waktu pengembalian"] == "15 Januari 2024"


# --- collect -------------------------------------------------------------------------------


def test_round_trip(year):
    raw, forms = year["raw"], year["forms"]
    before = (raw / "2023" / "sub_kegiatan.csv").read_text(encoding="utf-8")
    filled = fill_all(forms)
    result = collect_forms(2023, raw, forms)
    assert result.complete, result.summary()
    assert len(result.changes) == 35 * 2 + 3
    values = sub_values(raw)
    assert values == {k: (str(f), str(r)) for k, (f, r) in filled.items()}
    # hand-checked rows: target 3 -> 3, anggaran 17060400 // 2; target 2 - 1, 8900000 // 2 + 1
    assert values["01.01.01"] == ("3", "8530200")
    assert values["01.01.02"] == ("1", "4450001")
    assert values["03.01.02"] == ("29", "13319951")  # 2nd row of the Politik form: 30 - 1
    assert indikator_values(raw) == {"I1": "95", "I2": "80.5", "I3": "100"}
    # only the realisation cells changed: the rest of the file is as new-year wrote it
    after = (raw / "2023" / "sub_kegiatan.csv").read_text(encoding="utf-8")
    strip = [",".join(r[:8]) + r[9] for r in csv.reader(before.splitlines())]
    assert strip == [",".join(r[:8]) + r[9] for r in csv.reader(after.splitlines())]
    kinerja = read_csv(raw / "2023" / "kinerja_indikator.csv")
    assert len(kinerja) == 9 and kinerja[0]["realisasi"] == "100"  # 2021 row untouched
    assert "lra.csv: realisasi_rp kosong di 4 baris" in result.summary()


def test_rerun_of_collect_changes_nothing(year):
    raw, forms = year["raw"], year["forms"]
    fill_all(forms)
    collect_forms(2023, raw, forms)
    files = [raw / "2023" / "sub_kegiatan.csv", raw / "2023" / "kinerja_indikator.csv"]
    state = [(p.read_bytes(), p.stat().st_mtime_ns) for p in files]
    again = collect_forms(2023, raw, forms)
    assert again.complete and again.changes == [] and again.written == []
    assert "Tidak ada perubahan" in again.summary()
    assert [(p.read_bytes(), p.stat().st_mtime_ns) for p in files] == state


def test_missing_form(year, capsys):
    raw, forms = year["raw"], year["forms"]
    fill_all(forms)
    (forms / SEKRETARIAT).unlink()
    result = collect_forms(2023, raw, forms)
    assert result.missing == ["Sekretariat"]
    assert not result.complete
    assert "Formulir TIDAK ADA (1 unit kerja):\n  'Sekretariat'" in result.summary()
    values = sub_values(raw)
    assert values["01.01.01"] == ("", "")  # Sekretariat: nothing collected
    assert values["03.01.01"] == ("11", "461932500")  # the other forms were saved
    assert indikator_values(raw)["I2"] == "80.5"
    # the command exits 1 with a one-line reason, after printing the report
    code = main(["collect", "--year", "2023", "--raw", str(raw), "--dir", str(forms)])
    captured = capsys.readouterr()
    assert code == 1
    assert "Sekretariat" in captured.out
    assert "lkj: kesalahan: pengumpulan belum lengkap: 1 formulir tidak ada" in captured.err


def test_text_in_a_number_cell(year, capsys):
    raw, forms = year["raw"], year["forms"]
    fill_all(forms)
    set_cell(forms / SEKRETARIAT, SHEET_SUB, "F8", "dua belas")
    set_cell(forms / POLITIK, SHEET_IND, "E7", "80,5")
    result = collect_forms(2023, raw, forms)
    assert not result.complete and not result.missing
    assert len(result.problems) == 2
    first = result.problems[0]
    assert SEKRETARIAT in first
    assert "sheet Sub Kegiatan, sel F8 (sub kegiatan 01.01.02, realisasi_fisik)" in first
    assert "'dua belas'" in first
    assert "sheet Indikator, sel E7 (indikator I2, realisasi)" in result.problems[1]
    values = sub_values(raw)
    assert values["01.01.02"] == ("", "4450001")  # the bad cell stays empty, its neighbour saved
    assert values["01.01.01"] == ("3", "8530200")
    assert indikator_values(raw) == {"I1": "95", "I2": "", "I3": "100"}
    code = main(["collect", "--year", "2023", "--raw", str(raw), "--dir", str(forms)])
    captured = capsys.readouterr()
    assert code == 1 and "2 isian salah" in captured.err
    assert "sel F8" in captured.out and "Traceback" not in captured.err


def test_an_invalid_cell_keeps_the_collected_value(year):
    raw, forms = year["raw"], year["forms"]
    fill_all(forms)
    collect_forms(2023, raw, forms)
    set_cell(forms / POLITIK, SHEET_SUB, "H8", -5)
    set_cell(forms / POLITIK, SHEET_SUB, "H9", 1500.5)
    set_cell(forms / POLITIK, SHEET_SUB, "F9", "=E9")  # a formula nobody calculated
    result = collect_forms(2023, raw, forms)
    text = "\n".join(result.problems)
    assert "sel H8 (sub kegiatan 03.01.02, realisasi_anggaran_rp): diharapkan angka ≥ 0" in text
    assert "sel H9 (sub kegiatan 03.01.03, realisasi_anggaran_rp): diharapkan bilangan bulat" in (
        text
    )
    assert "sel F9 (sub kegiatan 03.01.03, realisasi_fisik): berisi rumus '=E9'" in text
    assert sub_values(raw)["03.01.02"] == ("29", "13319951")
    assert result.changes == []


def test_an_empty_cell_never_erases_a_collected_value(year):
    raw, forms = year["raw"], year["forms"]
    fill_all(forms)
    collect_forms(2023, raw, forms)
    set_cell(forms / SEKRETARIAT, SHEET_SUB, "F7", None)
    result = collect_forms(2023, raw, forms)
    assert result.complete and result.changes == []
    assert sub_values(raw)["01.01.01"] == ("3", "8530200")
    assert "1 sel kosong di formulir" in result.summary()


def test_empty_cells_are_reported(year):
    raw, forms = year["raw"], year["forms"]
    for path in sorted(forms.glob("*.xlsx")):
        fill_form(path, skip=("H7",) if path.name == SEKRETARIAT else ())
    result = collect_forms(2023, raw, forms)
    assert not result.complete
    assert result.empty == [
        f"{os.path.relpath(forms / SEKRETARIAT)}, sheet Sub Kegiatan, sel H7 "
        "(sub kegiatan 01.01.01, realisasi_anggaran_rp): kosong"
    ]
    assert sub_values(raw)["01.01.01"] == ("3", "")


def test_a_changed_value_overwrites_and_is_reported(year):
    raw, forms = year["raw"], year["forms"]
    fill_all(forms)
    collect_forms(2023, raw, forms)
    set_cell(forms / SEKRETARIAT, SHEET_SUB, "H7", 9000000)
    result = collect_forms(2023, raw, forms)
    assert result.complete
    assert [(c.key, c.old, c.new) for c in result.changes] == [
        (("sub_kegiatan", "01.01.01", "realisasi_anggaran_rp"), "8530200", "9000000")
    ]
    assert (
        "sub_kegiatan.csv 01.01.01 realisasi_anggaran_rp: 8530200 -> 9000000 "
        f"({SEKRETARIAT}, sel H7)" in result.summary()
    )
    assert sub_values(raw)["01.01.01"] == ("3", "9000000")


def test_reissued_forms_show_collected_values(year):
    raw, forms = year["raw"], year["forms"]
    fill_all(forms)
    collect_forms(2023, raw, forms)
    written = write_forms(2023, raw, forms)
    assert [(f.prefilled, f.inputs) for f in written] == [(46, 46), (11, 11), (9, 9), (7, 7)]
    ws = openpyxl.load_workbook(forms / SEKRETARIAT)[SHEET_SUB]
    assert (ws["F7"].value, ws["H7"].value) == (3, 8530200)


def test_forms_never_overwrite_values_not_yet_collected(year):
    raw, forms = year["raw"], year["forms"]
    fill_form(forms / POLITIK)
    before = (forms / POLITIK).read_bytes()
    with pytest.raises(FormsError, match="9 nilai belum dikumpulkan"):
        write_forms(2023, raw, forms)
    assert (forms / POLITIK).read_bytes() == before
    collect_forms(2023, raw, forms)
    write_forms(2023, raw, forms)  # collected: re-issuing is safe now
    assert openpyxl.load_workbook(forms / POLITIK)[SHEET_SUB]["F7"].value == 11


def test_forms_of_another_unit_set_or_year_are_reported(year, tmp_path):
    raw, forms = year["raw"], year["forms"]
    fill_all(forms)
    wb = openpyxl.Workbook()
    wb.save(forms / "catatan.xlsx")  # not a form: skipped with a note
    wb = openpyxl.load_workbook(forms / POLITIK)
    wb[SHEET_META]["B3"] = 2022
    wb.save(forms / POLITIK)
    result = collect_forms(2023, raw, forms)
    assert any("catatan.xlsx: bukan formulir lkj" in n for n in result.notes)
    assert any("formulir tahun 2022, bukan 2023" in p for p in result.problems)
    assert result.missing == ["Sub Bidang Politik Dalam Negeri dan Organisasi Kemasyarakatan"]


def test_two_forms_of_one_unit_must_agree(year):
    raw, forms = year["raw"], year["forms"]
    fill_all(forms)
    copy = forms / "formulir sekretariat (revisi).xlsx"
    copy.write_bytes((forms / SEKRETARIAT).read_bytes())
    set_cell(copy, SHEET_SUB, "H7", 1)
    result = collect_forms(2023, raw, forms)
    assert any(
        "nilai berbeda untuk sub_kegiatan 01.01.01 realisasi_anggaran_rp" in p
        for p in result.problems
    )
    assert sub_values(raw)["01.01.01"] == ("3", "")  # neither value is taken


def test_bad_structure_is_reported_on_the_real_file(year):
    raw = year["raw"]
    path = raw / "2023" / "sub_kegiatan.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("01.01.01,01.01,", "01.01.01,09.09,"))
    with pytest.raises(DataErrors) as info:
        write_forms(2023, raw, year["forms"])
    message = str(info.value)
    assert "raw/2023/sub_kegiatan.csv, baris 2, kolom kode_kegiatan: '09.09' tidak ada" in message
    assert "lkj-forms-" not in message  # not the temporary copy


def test_cli_forms(raw_root, tmp_path, capsys):
    new_year(2023, raw_root)
    out = tmp_path / "f"
    args = ["forms", "--year", "2023", "--raw", str(raw_root), "--out", str(out)]
    assert main([*args, "--batas-waktu", "31 Januari 2024"]) == 0
    stdout = capsys.readouterr().out
    assert "Formulir 2023 ditulis (4 unit kerja):" in stdout
    assert f"{SEKRETARIAT}: 'Sekretariat' - 23 sub kegiatan, 0 indikator, 0 dari 46 sel" in stdout
    fill_form(out / SEKRETARIAT)
    assert main(args) == 1  # would overwrite values not yet collected
    assert "belum dikumpulkan" in capsys.readouterr().err
    assert main([*args, "--force"]) == 0


def test_collect_without_forms_folder(year, tmp_path, capsys):
    code = main(
        ["collect", "--year", "2023", "--raw", str(year["raw"]), "--dir", str(tmp_path / "x")]
    )
    assert code == 1
    assert "folder formulir" in capsys.readouterr().err


# --- from a fresh clone: new-year, forms, fill, collect, check, report ----------------------


def _lkj(*args: str) -> subprocess.CompletedProcess:
    from conftest import run_lkj

    return run_lkj(*args, timeout=600)


@pytest.mark.e2e
def test_new_year_end_to_end(raw_root, tmp_path):
    raw, forms = str(raw_root), tmp_path / "forms"
    done = _lkj("new-year", "--year", "2023", "--raw", raw)
    assert done.returncode == 0, done.stderr
    done = _lkj("forms", "--year", "2023", "--raw", raw, "--out", str(forms))
    assert done.returncode == 0, done.stderr
    assert "4 unit kerja" in done.stdout
    filled = fill_all(forms)
    assert type_numbers(forms, DECIMALS) == 6
    done = _lkj("collect", "--year", "2023", "--raw", raw, "--dir", str(forms))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "73 nilai" in done.stdout
    rerun = _lkj("collect", "--year", "2023", "--raw", raw, "--dir", str(forms))
    assert rerun.returncode == 0 and "Tidak ada perubahan" in rerun.stdout
    # the LRA comes from the finance office, not from the forms: the maintainer enters it
    lra = raw_root / "2023" / "lra.csv"
    rows = read_csv(lra)
    for row, spent in zip(
        rows, ["1300000000", "2100000000", "900000000", "150000000"], strict=True
    ):
        row["realisasi_rp"] = spent
    with lra.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    done = _lkj("check", "--year", "2023", "--raw", raw)
    assert done.returncode == 0, done.stderr
    assert "Data 2023 sah" in done.stdout
    assert sum(r for _f, r in filled.values()) == sum(
        int(r) for _f, r in sub_values(raw_root).values()
    )
    done = _lkj("workbook", "--year", "2023", "--raw", raw, "--out", str(tmp_path / "b.xlsx"))
    assert done.returncode == 0, done.stderr
    _assert_workbook_holds_the_csv(tmp_path / "b.xlsx", raw_root / "2023")
    out = tmp_path / "out" / "2023"
    done = _lkj(
        "report",
        "--year",
        "2023",
        "--raw",
        raw,
        "--output",
        str(out),
        "--processed",
        str(tmp_path / "processed" / "2023"),
    )
    assert done.returncode == 0, done.stderr
    html = (out / "LKj_2023.html").read_text(encoding="utf-8")
    assert (out / "LKj_2023.pdf").is_file()
    from conftest import find_table

    # the sub kegiatan table: values as typed, capaian rounded as Excel does, category of 90,00
    sub = find_table(html, "Capaian Kinerja dan Realisasi Anggaran Sub Kegiatan")
    names = {
        r["kode_sub_kegiatan"]: r["nama_sub_kegiatan"]
        for r in read_csv(lra.parent / "sub_kegiatan.csv")
    }
    rows = {r[sub["header"][1]]: r for r in sub["records"]}
    expected = {
        "01.05.01": ("2,125", "53,13", "Rendah"),  # above 50: Rendah
        "01.06.01": ("0,103", "2,58", "Sangat Rendah"),
        "01.04.06": ("90,004", "90,00", "Tinggi"),
    }
    for code, (real, capaian, kategori) in expected.items():
        row = rows[names[code]]
        got = [
            row[h]
            for h in sub["header"]
            # the column's own header, under the merged "Kinerja" header cell
            if h.split(" / ")[-1].startswith(
                ("Realisasi Fisik", "Capaian Kinerja", "Kategori Kinerja")
            )
        ]
        assert got == [real, capaian, kategori], (code, row)
    # the indicator evaluation: 90,004 of 100 is printed 90,00 and judged A, not AA
    ev = find_table(html, "Evaluasi Indikator Kinerja Sasaran")
    i1 = next(r for r in ev["records"] if "90,004" in r.values())
    assert "90,00" in i1.values() and "A" in " ".join(i1.values()).split()
    assert "AA" not in " ".join(i1.values()).split()
    assert "Tahun 2023" in html
    # the comparison with every earlier year: 2021 and 2022 rows carried over, 2023 collected
    assert "Perbandingan Antar Tahun" in html
    assert "Capaian 2021 (%)" in html and "Capaian 2022 (%)" in html
    assert "Capaian 2023 (%)" in html


def test_a_unit_named_like_a_formula_is_collected(raw_root, tmp_path):
    """unit_kerja "=1+1 Sekretariat" (and a sub kegiatan name "=HYPERLINK(...)"): the form
    holds them as text, no cell written from data is a formula, and collect reads the unit back
    and takes its values (the Sekretariat rows of the round trip: 3 and 17060400 // 2)."""
    sub = raw_root / "2022" / "sub_kegiatan.csv"
    rows = list(csv.reader(sub.read_text(encoding="utf-8").splitlines()))
    head = rows[0]
    unit, name = head.index("unit_kerja"), head.index("nama_sub_kegiatan")
    renamed = 0
    for r in rows[1:]:
        if r[unit] == "Sekretariat":
            r[unit] = "=1+1 Sekretariat"
            r[name] = '=HYPERLINK("http://contoh.invalid","klik")'
            renamed += 1
    with sub.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    new_year(2023, raw_root)
    forms = tmp_path / "forms"
    write_forms(2023, raw_root, forms)
    path = forms / "formulir_2023_1_1_sekretariat.xlsx"
    wb = openpyxl.load_workbook(path)
    meta = {r[0]: r[1] for r in wb[SHEET_META].iter_rows(values_only=True)}
    assert meta["unit_kerja"] == "=1+1 Sekretariat"
    formulas = [
        (ws.title, c.coordinate, c.value)
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    ]
    # the only formulas: the two =SUM totals lkj writes below the sub kegiatan rows
    assert [f[2].split("(")[0] for f in formulas] == ["=SUM", "=SUM"]
    names = [r[1] for r in wb[SHEET_SUB].iter_rows(min_row=FIRST_ROW, values_only=True)]
    assert names.count('=HYPERLINK("http://contoh.invalid","klik")') == renamed
    fill_all(forms)
    result = collect_forms(2023, raw_root, forms)
    assert result.missing == [] and result.complete, result.summary()
    assert sub_values(raw_root)["01.01.01"] == ("3", "8530200")


def _assert_workbook_holds_the_csv(book: Path, folder: Path) -> None:
    """The workbook command's content: one sheet per CSV of the year, each sheet the CSV's
    header and rows, cell by cell (numbers compared as numbers, empty cells as empty)."""
    from decimal import Decimal, InvalidOperation

    import openpyxl

    def same(cell, text: str) -> bool:
        if cell is None:
            return text == ""
        try:
            return Decimal(str(cell)) == Decimal(text)
        except InvalidOperation:
            return str(cell) == text

    wb = openpyxl.load_workbook(book, read_only=True)
    csvs = sorted(folder.glob("*.csv"))
    assert sorted(wb.sheetnames) == sorted(p.stem for p in csvs)
    for path in csvs:
        with path.open(encoding="utf-8", newline="") as f:
            expected = list(csv.reader(f))
        got = [list(r) for r in wb[path.stem].iter_rows(values_only=True)]
        assert len(got) == len(expected), path.name
        for n, (g, e) in enumerate(zip(got, expected, strict=True), start=1):
            assert len(g) == len(e) and all(map(same, g, e)), (path.name, n, g, e)
