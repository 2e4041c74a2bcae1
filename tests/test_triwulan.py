"""The quarter's evaluation (issue 22): figures and warnings derived by hand from the raw
quarterly rows of a small case (tests/triwulan_case.py), the typed yearly figure that
disagrees with its quarters shown, the 2022 data without quarters left alone, and one run of
``python -m lkj triwulan`` end to end (HTML, PDF, DOCX in its own folder, a no-op rerun)."""

from __future__ import annotations

import shutil
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from triwulan_case import build_case  # noqa: E402

from lkj.analysis.triwulan import evaluate, has_quarters  # noqa: E402
from lkj.core.errors import DataError, DataErrors  # noqa: E402
from lkj.data.ingest import read_raw  # noqa: E402
from lkj.data.triwulan import read_quarter_year  # noqa: E402
from lkj.document.triwulan import triwulan_document  # noqa: E402
from lkj.run.paths import notebooks  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def pct(part: int | str, whole: int | str) -> float:
    """part / whole x 100 at 2 decimals, half away from zero: derived here, not by lkj."""
    value = Decimal(part) * 100 / Decimal(whole)
    return float(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    raw_root = tmp_path_factory.mktemp("triwulan") / "raw"
    build_case(raw_root)
    return raw_root


@pytest.fixture(scope="module")
def tables(case):
    return read_quarter_year(2023, case).tables


@pytest.fixture(scope="module")
def tw2(tables):
    return evaluate(tables, 2023, 2, "raw/2023")


def _sub(ev, code):
    rows = ev.sub[ev.sub["kode_sub_kegiatan"] == code]
    assert len(rows) == 1
    return rows.iloc[0]


def _ind(ev, code):
    rows = ev.indikator[ev.indikator["kode_indikator"] == code]
    assert len(rows) == 1
    return rows.iloc[0]


def test_sub_kegiatan_to_date_capaian_and_linear_projection(tw2):
    # 01.01.01: fisik 1 + 1 of target 3; Rp 1.000.000 + 1.000.000 of pagu 17.060.400
    # (its quarters 3 and 4 exist but are after TW II: not used)
    r = _sub(tw2, "01.01.01")
    assert (r.fisik_1, r.fisik_2, r.fisik_sd) == (1, 1, 2)
    assert r.rp_sd == 2_000_000
    assert r.capaian_fisik_pct == pct(2, 3) == 66.67
    assert r.serapan_pct == pct(2_000_000, 17_060_400) == 11.72
    assert r.proyeksi_fisik == 4  # 2 / 2 x 4
    assert r.proyeksi_rp == 4_000_000
    assert r.proyeksi_serapan_pct == pct(4_000_000, 17_060_400) == 23.45
    assert r.selisih_rp == 17_060_400 - 4_000_000
    assert r.selisih_rp_pct == pytest.approx(100 - 23.45)
    assert not r.peringatan_fisik and r.peringatan_anggaran
    # 01.02.01: 341.913.807 + 341.913.808 = half of 1.367.655.230: projected exactly 100 %
    g = _sub(tw2, "01.02.01")
    assert g.rp_sd == 683_827_615 and g.proyeksi_rp == 1_367_655_230
    assert g.proyeksi_serapan_pct == 100 and not g.peringatan_anggaran
    assert g.proyeksi_fisik == 30 and not g.peringatan_fisik


def test_pagu_in_force_and_the_plan(tables, tw2):
    # 01.01.02: murni 10.000.000 until TW II, perubahan 8.900.000 from TW III
    r = _sub(tw2, "01.01.02")
    assert r.pagu_rp == 10_000_000
    assert r.serapan_pct == pct(2_500_000, 10_000_000) == 25.0
    assert r.rencana_rp_sd == 5_000_000  # 2.000.000 + 3.000.000
    assert r.capaian_rencana_rp_pct == pct(2_500_000, 5_000_000) == 50.0
    assert r.capaian_rencana_fisik_pct == 100.0  # 1 of planned 0 + 1
    tw3 = evaluate(tables, 2023, 3)
    r3 = _sub(tw3, "01.01.02")
    assert r3.pagu_rp == 8_900_000
    assert r3.serapan_pct == pct(2_500_000, 8_900_000) == 28.09


def test_a_level_indicator_takes_the_last_quarter_not_the_sum(tw2):
    r = _ind(tw2, "I2")  # akhir: 62 then 65 (%): to date 65, never 127
    assert r.aturan == "akhir" and r.k_sd == 65 and r.proyeksi == 65
    assert r.capaian_pct == pct(65, 75) == 86.67
    assert r.peringatan and r.selisih == 10
    assert r.renstra_lalu == 60  # 2022's realisation
    assert r.renstra_pct == pct(65, 75)  # against the Renstra's end target 75
    assert r.capaian_rencana_pct == pct(65, 70)


def test_a_count_indicator_sums_its_quarters(tw2):
    r = _ind(tw2, "I4")  # jumlah: 8 + 10 (its TW III and IV rows are after TW II)
    assert r.k_sd == 18 and r.proyeksi == 36  # 18 / 2 x 4
    assert r.capaian_pct == pct(18, 40) == 45.0
    assert r.proyeksi_pct == pct(36, 40) == 90.0 and r.peringatan
    assert r.selisih == 4 and r.selisih_pct == 10.0
    assert r.renstra_lalu == 10 and r.renstra_sd == 28  # 2022's 10 + 18
    assert r.renstra_pct == pct(28, 200) == 14.0


def test_the_warning_list_is_exactly_what_the_pace_misses(tw2):
    got = {(w.kode, w.ukuran) for w in tw2.peringatan.itertuples()}
    assert got == {
        ("01.01.01", "anggaran"),
        ("01.01.02", "anggaran"),
        ("I2", "kinerja"),
        ("I4", "kinerja"),
    }


def test_a_typed_yearly_figure_that_disagrees_with_its_quarters_is_shown(tables, tw2, case):
    # I4: typed 38, its four quarters 8 + 10 + 9 + 9 = 36; 01.01.01's four quarters add up
    assert tw2.dibandingkan == 3
    assert [tuple(r) for r in tw2.selisih.itertuples(index=False)] == [
        ("indikator", "I4", "realisasi", 38.0, 36.0, 2.0)
    ]
    doc = triwulan_document(tw2, tables, case / "2023", {})
    table = doc.table("triwulan_selisih_tahunan")
    assert table.texts() == [["1", "indikator", "I4", "realisasi", "38", "36", "2"]]


def test_the_e81_table_cells(tables, tw2, case):
    doc = triwulan_document(tw2, tables, case / "2023", {})
    e81 = doc.table("e81")
    rows = {r[0]: r for r in e81.texts()}
    # I4: Renstra end 200, to 2022: 10, target 40, TW I 8, TW II 10, to date 18, Renstra 28, 14 %
    k = [rows["I4"][i] for i in range(4, 20, 2)]
    assert k == ["200", "10", "40", "8", "10", "18", "28", "14,00"]
    # program 02 has a Renstra row: Rp end 1.000.000.000, to last year 150.000.000
    assert rows["02"][5] == "1.000.000.000" and rows["02"][7] == "150.000.000"
    assert "tidak tersedia" in rows["02.01"]  # a kegiatan without one
    sub = rows["01.01.01"]  # no Renstra row: one "tidak tersedia" cell over K and Rp
    assert sub[4:6] == ["tidak tersedia", "tidak tersedia"]
    assert sub[6:14] == ["3", "17.060.400", "1", "1.000.000", "1", "1.000.000", "2", "2.000.000"]


def test_2022_has_no_quarters_and_says_so(tmp_path):
    raw = read_raw(2022, ROOT / "data" / "raw")
    assert not has_quarters(raw.tables)
    assert not any(
        name.startswith(("triwulan_", "aturan_", "pagu_", "renstra_")) for name in raw.tables
    )
    with pytest.raises(DataError, match="tidak ada data triwulan tahun 2022"):
        evaluate(raw.tables, 2022, 2, "data/raw/2022")


def test_the_yearly_report_runs_the_same_notebooks():
    assert [p.stem for p in notebooks(ROOT)] == [
        "01_ingest",
        "02_capaian",
        "03_grafik",
        "04_laporan",
    ]


def test_a_quarter_out_of_range_names_file_row_and_column(case, tmp_path):
    raw_root = tmp_path / "raw"
    shutil.copytree(case, raw_root)
    path = raw_root / "2023" / "triwulan_indikator.csv"
    path.write_text(path.read_text(encoding="utf-8") + "I4,5,,1\n", encoding="utf-8")
    with pytest.raises(DataErrors) as err:
        read_quarter_year(2023, raw_root)
    [error] = err.value.errors
    assert error.file.endswith("2023/triwulan_indikator.csv")
    assert (error.row, error.column) == (8, "triwulan")  # header 1, six rows, then this one
    assert "1, 2, 3, 4" in error.problem


def test_an_indicator_without_its_rule_is_refused(case, tmp_path):
    raw_root = tmp_path / "raw"
    shutil.copytree(case, raw_root)
    (raw_root / "2023" / "aturan_indikator.csv").write_text(
        "kode_indikator,aturan\nI2,akhir\n", encoding="utf-8"
    )
    with pytest.raises(DataError, match="tanpa aturan.*I4"):
        evaluate(read_quarter_year(2023, raw_root).tables, 2023, 2)
    (raw_root / "2023" / "aturan_indikator.csv").write_text(
        "kode_indikator,aturan\nI2,rata\n", encoding="utf-8"
    )
    with pytest.raises(DataErrors, match="aturan"):
        read_quarter_year(2023, raw_root)


def test_make_triwulan_end_to_end(case, tmp_path):
    """One run: the three files in their own folder, DATA SINTETIS on every PDF page, the
    warning table in the PDF, and a rerun that does nothing."""
    import pypdf

    from lkj.run.triwulan import run_triwulan

    out = tmp_path / "out" / "2023-tw2"
    lines: list[str] = []
    assert run_triwulan(2023, 2, case, out, log=lines.append) is True
    names = {p.name for p in out.iterdir()}
    assert {"Evaluasi_Renja_2023_TW2.html", "Evaluasi_Renja_2023_TW2.pdf"} <= names
    assert {"Evaluasi_Renja_2023_TW2.docx", "manifest.json", "notebooks", "figures"} <= names
    assert (out / "notebooks" / "05_triwulan.html").is_file()
    assert not (tmp_path / "out" / "2023").exists()
    pages = [p.extract_text() for p in pypdf.PdfReader(out / "Evaluasi_Renja_2023_TW2.pdf").pages]
    assert all("DATA SINTETIS" in text for text in pages)
    assert any("Peringatan Dini Triwulan II Tahun 2023" in text for text in pages)
    html = (out / "Evaluasi_Renja_2023_TW2.html").read_text(encoding="utf-8")
    assert "lkj-sintetis-banner" in html and "Proyeksi laju linear" in html
    assert run_triwulan(2023, 2, case, out, log=lines.append) is False


def test_the_demo_pemda_has_synthetic_quarters_that_add_up(tmp_path):
    """make contoh-pemda: every synthetic OPD gets quarters whose sums are its typed year
    (except the one sub kegiatan of OPD 01 made to disagree); the real OPD gets none."""
    import csv

    from lkj.pemda.contoh import write_contoh_pemda

    root = write_contoh_pemda(jumlah=2, seed=1, base_dir=tmp_path)
    real = root / "opd" / "02" / "2022"  # Kesbangpol: data/raw/2022 copied unchanged
    assert not (real / "triwulan_sub_kegiatan.csv").exists()
    for name in (p.name for p in (ROOT / "data" / "raw" / "2022").iterdir() if p.is_file()):
        assert (real / name).read_bytes() == (ROOT / "data" / "raw" / "2022" / name).read_bytes()
    opd = root / "opd" / "01" / "2022"

    def rows(name):
        with (opd / f"{name}.csv").open(encoding="utf-8") as fh:
            return list(csv.DictReader(fh))

    sums: dict[str, Decimal] = {}
    for r in rows("triwulan_sub_kegiatan"):
        code = r["kode_sub_kegiatan"]
        sums[code] = sums.get(code, Decimal(0)) + Decimal(r["realisasi_anggaran_rp"])
    typed = {
        r["kode_sub_kegiatan"]: Decimal(r["realisasi_anggaran_rp"]) for r in rows("sub_kegiatan")
    }
    assert set(sums) == set(typed)
    differ = {code: sums[code] - typed[code] for code in typed if sums[code] != typed[code]}
    assert differ == {"01.01.01": Decimal(1_000_000)}
    assert "data_sintetis,ya" in (opd / "instansi.csv").read_text(encoding="utf-8")
    ev = evaluate(read_quarter_year(2022, opd.parent).tables, 2022, 4)
    assert [tuple(r)[:3] for r in ev.selisih.itertuples(index=False)] == [
        ("sub_kegiatan", "01.01.01", "realisasi_anggaran_rp")
    ]


def test_new_year_carries_the_quarterly_structure_not_the_quarters(tmp_path):
    """make new-year from a year with quarters (a synthetic OPD of the demo): the rules and the
    Renstra rows are carried, the quarters, the APBD Perubahan and their narasi numbers not."""
    from lkj.data.newyear import new_year
    from lkj.pemda.contoh import write_contoh_pemda

    root = write_contoh_pemda(jumlah=2, seed=1, base_dir=tmp_path)
    raw_root = root / "opd" / "01"
    result = new_year(2023, raw_root)
    made = raw_root / "2023"
    for name in ("aturan_indikator", "renstra_program"):
        assert (made / f"{name}.csv").read_bytes() == (
            raw_root / "2022" / f"{name}.csv"
        ).read_bytes()
    for name in ("triwulan_sub_kegiatan", "triwulan_indikator", "pagu_triwulan"):
        assert not (made / f"{name}.csv").exists()
        assert f"{name} ({name}.csv)" in result.skipped
    assert any(line.startswith("renstra_program.csv: perbarui") for line in result.todo)
    with pytest.raises(DataError, match="tidak ada data triwulan tahun 2023"):
        evaluate(read_quarter_year(2023, raw_root).tables, 2023, 1)


def test_the_yearly_data_quality_chapter_checks_the_quarters(tables):
    """The Lampiran's Catatan Kualitas Data: I4 typed 38 against its quarters' 36 (the report
    uses 36); a year without quarters gets no such sentence."""
    from lkj.document.laporan.kualitas_data import quarter_check

    assert quarter_check(tables, 2023) == [
        "Realisasi tahunan dihitung dari keempat triwulannya (triwulan_sub_kegiatan.csv, "
        "triwulan_indikator.csv): 3 angka, 1 berbeda dari angka tahunan yang tertulis. "
        "indikator I4 realisasi: tertulis 38, dari triwulan 36. Laporan ini memakai angka dari "
        "triwulan; angka tertulis hanya dibandingkan (Tabel Realisasi Tahunan yang Berbeda dari "
        "Triwulannya)."
    ]
    assert quarter_check(read_raw(2022, ROOT / "data" / "raw").tables, 2022) == []


def _fill_quarter(path: Path, values: dict[str, tuple]) -> None:
    """Type (rencana fisik, realisasi fisik, rencana Rp, realisasi Rp) into the rows of the
    sheet Sub Kegiatan whose code is in ``values``; indikator realisasi 50 in every row."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb["Sub Kegiatan"]
    r = 7
    while ws.cell(r, 1).value not in (None, "Jumlah"):
        code = str(ws.cell(r, 1).value)
        if code in values:
            for j, v in enumerate(values[code], start=6):
                ws.cell(r, j, v)
        r += 1
    if "Indikator" in wb.sheetnames:
        ws = wb["Indikator"]
        r = 7
        while ws.cell(r, 1).value not in (None, "Jumlah"):
            ws.cell(r, 6, 50)
            r += 1
    wb.save(path)


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """new-year -> forms TW I and TW II -> the Sekretariat fills 01.01.01 in each -> collect
    TW I, then TW II (on the demo's OPD 01)."""
    import openpyxl

    from lkj.data.forms.triwulan import collect_quarter_forms, write_quarter_forms
    from lkj.data.newyear import new_year
    from lkj.pemda.contoh import write_contoh_pemda

    tmp_path = tmp_path_factory.mktemp("forms_tw")
    raw_root = write_contoh_pemda(jumlah=2, seed=1, base_dir=tmp_path) / "opd" / "01"
    new_year(2023, raw_root)
    csv_path = raw_root / "2023" / "triwulan_sub_kegiatan.csv"
    existed = csv_path.exists()
    forms = {}
    for tw in (1, 2):
        forms[tw] = write_quarter_forms(2023, tw, raw_root, tmp_path / f"forms-tw{tw}")
    first = next(p for p in forms[1] if "sekretariat" in p.name)
    petunjuk = [r[0] for r in openpyxl.load_workbook(first)["Petunjuk"].iter_rows(values_only=True)]
    _fill_quarter(first, {"01.01.01": (1, 1, 1000000, 900000)})
    result1 = collect_quarter_forms(2023, 1, raw_root, tmp_path / "forms-tw1")
    after_tw1 = csv_path.read_text(encoding="utf-8")
    second = next(p for p in forms[2] if "sekretariat" in p.name)
    _fill_quarter(second, {"01.01.01": (1, 2, 2000000, 1500000)})
    result2 = collect_quarter_forms(2023, 2, raw_root, tmp_path / "forms-tw2")
    return {"raw_root": raw_root, "csv": csv_path, "existed": existed, "first": first,
            "petunjuk": petunjuk, "result1": result1, "after_tw1": after_tw1,
            "result2": result2}  # fmt: skip


def test_a_quarter_collected_without_touching_the_others(collected):
    """The figures are the typed cells; TW I's rows stay byte for byte when TW II is
    collected; make triwulan's evaluation of TW II reads them."""
    csv_path, result = collected["csv"], collected["result1"]
    assert not collected["existed"]
    # the four cells typed (the Sekretariat serves no sasaran: no indikator sheet); the other
    # unit's form, returned empty, saves nothing
    assert (result.forms, result.saved, result.problems, result.missing) == (2, 4, [], [])
    assert result.written == [csv_path]
    after_tw1 = collected["after_tw1"]
    lines = csv_path.read_text(encoding="utf-8").splitlines()
    assert lines[: len(after_tw1.splitlines())] == after_tw1.splitlines()
    assert "01.01.01,1,1,1,1000000,900000" in lines and "01.01.01,2,1,2,2000000,1500000" in lines
    ev = evaluate(read_quarter_year(2023, collected["raw_root"]).tables, 2023, 2)
    r = _sub(ev, "01.01.01")
    assert (r.fisik_1, r.fisik_2, r.fisik_sd, r.rp_sd) == (1, 2, 3, 2_400_000)
    assert r.rencana_rp_sd == 3_000_000
    assert r.capaian_rencana_rp_pct == pct(2_400_000, 3_000_000) == 80.0


def _sekretariat_codes(raw_root: Path) -> list[str]:
    import csv

    with (raw_root / "2023" / "sub_kegiatan.csv").open(encoding="utf-8") as fh:
        return [
            r["kode_sub_kegiatan"] for r in csv.DictReader(fh) if r["unit_kerja"] == "Sekretariat"
        ]


def test_the_quarter_form_lists_its_empty_cells_and_prints_the_deadline(collected):
    """The Petunjuk sheet of the Sekretariat's TW I form: the deadline (31 March + 14 days,
    config/lke.toml) and every realisation cell still empty: Realisasi Fisik in column G and
    Realisasi Anggaran in column I, from row 7, one row per sub kegiatan of the unit (raw
    sub_kegiatan.csv); collect names the cells still empty after it, by form."""
    codes = _sekretariat_codes(collected["raw_root"])
    assert len(codes) >= 2
    cells = []
    for i, code in enumerate(codes):
        cells += [f"Sub Kegiatan!G{7 + i} ({code}, Realisasi Fisik TW I)",
                  f"Sub Kegiatan!I{7 + i} ({code}, Realisasi Anggaran TW I (Rp))"]  # fmt: skip
    text = [t for t in collected["petunjuk"] if t]
    assert text[5] == (
        "Batas waktu laporan triwulan I: 14 April 2023 (14 hari setelah akhir triwulan I; "
        "Permendagri Nomor 86 Tahun 2017 (evaluasi Renja per triwulan); jumlah hari menurut "
        "ketentuan pemda)."
    )
    assert text[6:] == [f"Sel realisasi yang masih kosong: {len(cells)}", *cells]
    name = collected["first"].name
    mine = [c.removeprefix(name + " ") for c in collected["result1"].kosong if c.startswith(name)]
    assert mine == cells[2:]  # 01.01.01 (the first row) collected


def test_the_quarter_deadline_of_the_fourth_quarter_is_next_year():
    import datetime as dt

    from lkj.core.lke import batas_triwulan, load_lke

    lke = load_lke()
    assert batas_triwulan(2023, 4, lke) == dt.date(2024, 1, 14)
    assert batas_triwulan(2024, 1, lke) == dt.date(2024, 4, 14)  # 31 March + 14 days


def test_the_yearly_report_shows_the_pattern_through_the_year(tables, case):
    """3.4's sentence: each quarter's spending and its share of the pagu, summed by hand from
    the raw quarterly rows; nothing for 2022."""
    import csv
    from types import SimpleNamespace

    from lkj.document.laporan.triwulan import pola_sentence

    with (case / "2023" / "sub_kegiatan.csv").open(encoding="utf-8") as fh:
        pagu = sum(Decimal(r["anggaran_rp"]) for r in csv.DictReader(fh))
    # 01.01.02's pagu perubahan (in force at TW IV) is its anggaran_rp, 8.900.000
    spent = {1: 1_000_000 + 0 + 341_913_807, 2: 1_000_000 + 2_500_000 + 341_913_808,
             3: 570_000, 4: 1_000_000}  # fmt: skip

    def shown(q):
        share = (Decimal(spent[q]) * 100 / pagu).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return f"triwulan {'I II III IV'.split()[q - 1]} Rp {spent[q]:,}".replace(",", ".") + (
            f" ({str(share).replace('.', ',')}%)"
        )

    d = SimpleNamespace(raw=tables, year=2023, raw_dir="raw/2023")
    sentence = pola_sentence(d)
    assert sentence.startswith(
        "Menurut data triwulan, realisasi anggaran tahun 2023 terbagi: "
        + ", ".join(shown(q) for q in range(1, 5))
        + " dari pagu."
    )
    d2022 = SimpleNamespace(raw=read_raw(2022, ROOT / "data" / "raw").tables, year=2022, raw_dir="")
    assert pola_sentence(d2022) == ""


@pytest.fixture(scope="module")
def pemda_quarter(tmp_path_factory):
    """make pemda YEAR=2022 TW=2 on a demo of two OPDs, on a LocalCluster of two worker
    processes, then a second time (nothing changed)."""
    from lkj.data.workspace import Workspace
    from lkj.pemda.contoh import write_contoh_pemda
    from lkj.pemda.triwulan import run_pemda_triwulan

    base = tmp_path_factory.mktemp("pemda_tw")
    root = write_contoh_pemda(jumlah=3, seed=1, base_dir=base / "pemda")
    # OPD 02 (synthetic) gets a quarter 5 in its second row; 03 (Kesbangpol) has no quarters
    bad = root / "opd" / "02" / "2022" / "triwulan_sub_kegiatan.csv"
    lines = bad.read_text(encoding="utf-8").splitlines()
    code, _q, rest = lines[1].split(",", 2)
    lines[1] = f"{code},5,{rest}"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ws = Workspace.at(root, base / "out", base / "processed")
    lines: list[str] = []
    first = run_pemda_triwulan(ws, 2022, 2, log=lines.append, workers=2)
    again: list[str] = []
    second = run_pemda_triwulan(ws, 2022, 2, log=again.append, workers=2)
    return {"root": root, "out": base / "out" / "2022-tw2", "first": first, "lines": lines,
            "second": second, "again": again}  # fmt: skip


def test_a_lost_scheduler_stops_the_quarter_with_one_line(tmp_path, monkeypatch):
    """The scheduler lost after one OPD came back (02: no quarters): one line saying how many
    are kept, that OPD recorded in status.json, nothing half-installed (a stand-in client:
    the year's batch tests lose a real scheduler)."""
    import contextlib
    import json

    from lkj.data.workspace import Workspace
    from lkj.pemda import cluster
    from lkj.pemda.batch import SchedulerLost
    from lkj.pemda.contoh import write_contoh_pemda
    from lkj.pemda.triwulan import run_pemda_triwulan

    class Future:
        def __init__(self, task):
            self.kode = task["kode_opd"]

        def result(self):
            if self.kode == "01":
                raise OSError("Stream is closed")
            return {"kode_opd": self.kode, "status": "kosong", "kind": "",
                    "error": "tanpa data triwulan"}  # fmt: skip

    class Client:
        def submit(self, _fn, task, key):
            assert key.startswith(f"lkj-tw-{task['kode_opd']}-")
            return Future(task)

    @contextlib.contextmanager
    def stand_in(_scheduler, _workers, n_tasks, _log):
        assert n_tasks == 2
        yield Client()

    monkeypatch.setattr(cluster, "dask_client", stand_in)
    monkeypatch.setattr(
        "distributed.as_completed", lambda fs: sorted(fs, key=lambda f: f.kode)[::-1]
    )
    root = write_contoh_pemda(jumlah=2, seed=1, base_dir=tmp_path / "pemda")
    ws = Workspace.at(root, tmp_path / "out", tmp_path / "processed")
    with pytest.raises(SchedulerLost) as lost:
        run_pemda_triwulan(ws, 2022, 2, log=lambda _line: None)
    assert str(lost.value) == (
        "hubungan ke scheduler Dask terputus (OSError); 1 dari 2 evaluasi OPD sudah selesai dan "
        "tersimpan (status.json); jalankan perintah yang sama lagi untuk melanjutkan"
    )
    out = tmp_path / "out" / "2022-tw2"
    status = json.loads((out / "status.json").read_text(encoding="utf-8"))["opd"]
    assert list(status) == ["02"] and status["02"]["status"] == "kosong"
    assert not (out / "opd").exists()


def _opd_rows(root: Path, name: str) -> list[dict]:
    import csv

    with (root / "opd" / "01" / "2022" / f"{name}.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _pagu_at_tw2(root: Path) -> dict[str, Decimal]:
    """Each sub kegiatan's pagu in force at TW II: the murni before berlaku_triwulan, the
    perubahan from it on; without a pagu_triwulan row, anggaran_rp."""
    change = {r["kode_sub_kegiatan"]: r for r in _opd_rows(root, "pagu_triwulan")}
    out = {}
    for r in _opd_rows(root, "sub_kegiatan"):
        c = change.get(r["kode_sub_kegiatan"])
        if c is None:
            out[r["kode_sub_kegiatan"]] = Decimal(r["anggaran_rp"])
        else:
            key = "pagu_perubahan_rp" if int(c["berlaku_triwulan"]) <= 2 else "pagu_murni_rp"
            out[r["kode_sub_kegiatan"]] = Decimal(c[key])
    return out


def _spent_to_tw2(root: Path) -> dict[str, Decimal]:
    spent: dict[str, Decimal] = {}
    for r in _opd_rows(root, "triwulan_sub_kegiatan"):
        if r["triwulan"] in ("1", "2") and r["realisasi_anggaran_rp"] != "":
            code = r["kode_sub_kegiatan"]
            spent[code] = spent.get(code, Decimal(0)) + Decimal(r["realisasi_anggaran_rp"])
    return spent


def test_the_pemdas_quarter_runs_on_dask_workers(pemda_quarter):
    """Each OPD's quarter built by a worker process of the LocalCluster (not this process),
    recorded in status.json with its fingerprint; the OPD without quarters listed as such."""
    import json
    import os

    first = pemda_quarter["first"]
    assert first.built == ["01"] and first.reused == [] and not first.ok
    assert set(first.skipped) == {"02", "03"} and first.skipped["03"] == "tanpa data triwulan"
    # the worker's message names the OPD's file as the user knows it, row and column
    failed = first.skipped["02"]
    assert failed.startswith("gagal: ") and "lkj-tw-" not in failed
    assert failed.endswith(
        "opd/02/2022/triwulan_sub_kegiatan.csv, baris 2, kolom triwulan: "
        "diharapkan salah satu dari: 1, 2, 3, 4, ditemukan '5'"
    )
    assert "Cluster Dask lokal: 2 proses worker" in pemda_quarter["lines"]
    out = pemda_quarter["out"]
    status = json.loads((out / "status.json").read_text(encoding="utf-8"))["opd"]
    assert {k: v["status"] for k, v in status.items()} == {"01": "ok", "02": "gagal",
                                                           "03": "kosong"}  # fmt: skip
    assert status["02"]["kind"] == "data"
    assert not status["01"]["worker"].endswith(f":{os.getpid()}")
    assert len(status["01"]["fingerprint"]) == 64
    assert (out / "opd" / "01" / "Evaluasi_Renja_2022_TW2.pdf").is_file()
    assert not (out / "opd" / "02").exists() and not (out / "opd" / "03").exists()
    assert {"Evaluasi_RKPD_2022_TW2.pdf", "Evaluasi_RKPD_2022_TW2.docx", "index.html"} <= {
        p.name for p in out.iterdir()
    }


def test_an_unchanged_pemda_quarter_is_not_sent_again(pemda_quarter):
    second = pemda_quarter["second"]
    assert second.built == [] and second.reused == ["01"]  # 02's data error not retried
    assert second.skipped == pemda_quarter["first"].skipped
    assert not any("Cluster Dask" in line for line in pemda_quarter["again"])
    assert second.opd.to_dict("records") == pemda_quarter["first"].opd.to_dict("records")


def test_the_pemdas_roll_up_by_opd_from_the_raw_rows(pemda_quarter):
    """The roll-up's OPD row summed by hand from its raw quarterly rows (pagu murni in force
    at TW II where the APBD Perubahan starts at TW IV)."""
    root = pemda_quarter["root"]
    pagu = sum(_pagu_at_tw2(root).values())
    spent = sum(_spent_to_tw2(root).values())
    share = (spent * 100 / pagu).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    [row] = pemda_quarter["first"].opd.to_dict("records")
    assert (row["kode_opd"], row["pagu_rp"], row["rp_sd"]) == ("01", float(pagu), float(spent))
    assert row["serapan_pct"] == float(share)


def test_the_pemdas_roll_up_by_sasaran_rpjmd_from_the_raw_rows(pemda_quarter):
    """Per sasaran RPJMD: the OPD's sub kegiatan whose program serves a sasaran linked to it
    (sasaran_opd.csv), support programs left out; its cells in the roll-up's HTML."""
    import csv

    from conftest import find_table

    root = pemda_quarter["root"]
    program = {r["kode_program"]: r["kode_sasaran"] for r in _opd_rows(root, "program")}
    kegiatan = {r["kode_kegiatan"]: r["kode_program"] for r in _opd_rows(root, "kegiatan")}
    with (root / "pemda" / "sasaran_opd.csv").open(encoding="utf-8") as fh:
        links = {r["kode_sasaran"]: r["kode_sasaran_rpjmd"] for r in csv.DictReader(fh)
                 if r["kode_opd"] == "01"}  # fmt: skip
    pagu_all, spent_all = _pagu_at_tw2(root), _spent_to_tw2(root)
    pagu: dict[str, Decimal] = {}
    spent: dict[str, Decimal] = {}
    for r in _opd_rows(root, "sub_kegiatan"):
        sasaran = program[kegiatan[r["kode_kegiatan"]]]
        if not sasaran:
            continue
        code, rpjmd = r["kode_sub_kegiatan"], links[sasaran]
        pagu[rpjmd] = pagu.get(rpjmd, Decimal(0)) + pagu_all[code]
        spent[rpjmd] = spent.get(rpjmd, Decimal(0)) + spent_all.get(code, Decimal(0))
    page = (pemda_quarter["out"] / "Evaluasi_RKPD_2022_TW2.html").read_text(encoding="utf-8")
    table = find_table(page, "Evaluasi per Sasaran RPJMD")

    def rp(value: Decimal) -> str:
        return f"{int(value):,}".replace(",", ".")

    got = [(r["Kode"], r["Jumlah OPD"], r["Pagu berlaku (Rp)"], r["Realisasi s.d. TW II (Rp)"])
           for r in table["records"]]  # fmt: skip
    assert got == [(k, "1", rp(pagu[k]), rp(spent[k])) for k in sorted(pagu)]


def test_the_years_dashboard_shows_the_quarter_warnings_first(pemda_quarter, tmp_path):
    """The year's dashboard (lkj.pemda.dashboard): each OPD's warnings of the latest quarter
    with a link to its evaluation, the quarter's page linked; within a status, the OPD with
    more warnings first (02's record given more warnings than 01's, in a copy)."""
    import json

    from lkj.data.workspace import Workspace
    from lkj.pemda.dashboard import dashboard_rows, quarter_links

    [row] = pemda_quarter["first"].opd.to_dict("records")
    warned = row["peringatan_sub"] + row["peringatan_indikator"]
    out = tmp_path / "out"
    shutil.copytree(pemda_quarter["out"], out / "2022-tw2")
    ws = Workspace.at(pemda_quarter["root"], out, tmp_path / "processed")
    assert quarter_links(ws, 2022) == [("../2022-tw2/index.html", "Evaluasi triwulan 2")]
    rows = {r.kode_opd: r for r in dashboard_rows(ws, 2022)}
    assert (rows["01"].peringatan_triwulan, rows["02"].peringatan_triwulan) == (warned, None)
    assert rows["03"].peringatan_triwulan is None
    assert rows["01"].links[-1] == (
        "../2022-tw2/opd/01/Evaluasi_Renja_2022_TW2.html",
        f"TW 2: {warned} peringatan dini",
    )
    assert [r.kode_opd for r in dashboard_rows(ws, 2022)] == ["01", "02", "03"]
    status_path = out / "2022-tw2" / "status.json"
    status = json.loads(status_path.read_text(encoding="utf-8"))
    status["opd"]["02"] = {**status["opd"]["01"],
                           "row": {**row, "peringatan_sub": warned + 1}}  # fmt: skip
    status_path.write_text(json.dumps(status), encoding="utf-8")
    assert [r.kode_opd for r in dashboard_rows(ws, 2022)] == ["02", "01", "03"]
    warned_02 = warned + 1 + row["peringatan_indikator"]  # sub kegiatan + indikator warnings
    _the_warnings_column(dashboard_rows(ws, 2022), tmp_path, {"01": warned, "02": warned_02})


def _the_warnings_column(rows: list, tmp_path: Path, warned: dict[str, int]) -> None:
    """The column "Peringatan dini TW 2" of ringkasan_opd_2022.xlsx and of the page's table:
    each OPD's count (03, without an evaluation: empty in the xlsx, "-" on the page), the
    page's total their sum."""
    import openpyxl
    from bs4 import BeautifulSoup

    from lkj.pemda.dashboard import totals, write_xlsx
    from lkj.pemda.index_page import index_html

    path = tmp_path / "ringkasan_opd_2022.xlsx"
    write_xlsx(rows, path)
    sheet = openpyxl.load_workbook(path)["OPD"]
    header = [c.value for c in sheet[1]]
    at = header.index("Peringatan dini TW 2") + 1
    assert at == len(header)  # the last column
    got = {sheet.cell(r, 1).value: sheet.cell(r, at).value for r in range(2, sheet.max_row + 1)}
    assert got == {"01": warned["01"], "02": warned["02"], "03": None}
    soup = BeautifulSoup(index_html("uji", True, [], rows, totals(rows)), "html.parser")
    table = soup.find("table", id="opd")
    names = [th.get_text(" ", strip=True) for th in table.thead.find_all("th")]
    assert names[-2:] == ["Peringatan dini TW 2", "Produk"]
    cells = {}
    for tr in table.tbody.find_all("tr"):
        tds = tr.find_all("td")
        cells[tds[0].get_text(strip=True)] = tds[-2].get_text(strip=True)
    assert cells == {"01": str(warned["01"]), "02": str(warned["02"]), "03": "-"}
    total = table.tfoot.find_all("td")
    assert len(total) == len(names)
    assert total[-2].get_text(strip=True) == str(warned["01"] + warned["02"])


def test_the_seasonal_projection_from_the_earlier_years_quarters(case, tmp_path):
    """With 2022's four quarters of 01.01.01 (Rp 1, 2, 3, 4 million: 30 % by TW II; fisik
    1, 1, 1, 1: half), 2023's TW II projection is to date / that share, not / 2 x 4."""
    from lkj.data.triwulan import read_earlier_quarters

    raw_root = tmp_path / "raw"
    shutil.copytree(case, raw_root)
    assert read_earlier_quarters(2023, raw_root) is None  # 2022 as it is: no quarters
    (raw_root / "2022" / "triwulan_sub_kegiatan.csv").write_text(
        "kode_sub_kegiatan,triwulan,rencana_fisik,realisasi_fisik,rencana_anggaran_rp,"
        "realisasi_anggaran_rp\n" + "".join(f"01.01.01,{q},,1,,{q}000000\n" for q in (1, 2, 3, 4)),
        encoding="utf-8",
    )
    earlier = read_earlier_quarters(2023, raw_root)
    ev = evaluate(read_quarter_year(2023, raw_root).tables, 2023, 2, "", earlier.tables)
    r = _sub(ev, "01.01.01")
    seasonal = (Decimal(2_000_000) * 10 / 3).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    assert (r.metode_rp, r.proyeksi_rp) == ("musiman", float(seasonal)) == ("musiman", 6_666_667)
    assert r.proyeksi_serapan_pct == pct(6_666_667, 17_060_400)
    assert (r.metode_fisik, r.proyeksi_fisik) == ("musiman", 4)  # 2 / (2 / 4)
    other = _sub(ev, "01.02.01")  # no quarters in 2022: the linear pace
    assert (other.metode_rp, other.proyeksi_rp) == ("linear", 1_367_655_230)
    warned = ev.peringatan.set_index(["kode", "ukuran"])
    assert warned.loc[("01.01.01", "anggaran"), "metode"] == "musiman"
