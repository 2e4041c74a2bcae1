"""Penilaian Mandiri Pelaporan Kinerja (issue 23): the LKE component 3 items answered from the
2022 report, their coverage derived by hand from the raw rows and the report's tables;
removing an analysis lowers exactly the item it should; a weight changes the score; facts of
the archive and the deadline (Perpres 29/2014)."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import RAW_2022, ROOT, find_table, run_lkj

from lkj.core.errors import ConfigError
from lkj.core.lke import batas_waktu, load_lke, sisa_waktu

TODAY = dt.date(2023, 1, 16)  # before the 2022 report's deadline


def _rows(name: str, raw: Path = RAW_2022) -> list[dict]:
    with open(raw / f"{name}.csv", encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _q(x: Decimal) -> Decimal:
    return x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _report_data(raw_root: Path, base: Path):
    """The report data of 2022 from ``raw_root`` (figures linked, not drawn)."""
    from lkj.analysis.capaian import compute_results
    from lkj.core.config import load_config
    from lkj.data.ingest import read_raw
    from lkj.data.processed import write_tables
    from lkj.document import laporan

    processed, out = base / "processed", base / "out"
    raw = read_raw(2022, raw_root)
    write_tables(raw.tables, processed)
    write_tables(compute_results(raw.tables, 2022, load_config()).tables(), processed)
    d = laporan.load_report_data(2022, processed, out, None, raw_root / "2022")
    d.figure_links = True
    return d


def _assess(d, archive: Path, lke=None):
    from lkj.document.laporan import report_document
    from lkj.document.penilaian import nilai_laporan

    return nilai_laporan(d, report_document(d), lke, archive, TODAY)


@pytest.fixture(scope="module")
def base_2022(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("penilaian_2022")
    shutil.copytree(RAW_2022, base / "raw" / "2022")
    return base


@pytest.fixture(scope="module")
def data_2022(base_2022):
    return _report_data(base_2022 / "raw", base_2022)


@pytest.fixture(scope="module")
def assessed(data_2022, base_2022):
    return _assess(data_2022, base_2022 / "arsip")


def _hand_counts(raw: Path = RAW_2022) -> dict[str, int]:
    """Indicators covered per 3.b item, counted from the raw rows and narasi files."""
    ind = _rows("indikator", raw)
    kin = _rows("kinerja_indikator", raw)
    now = {r["kode_indikator"]: r for r in kin if r["tahun"] == "2022"}
    earlier = {r["kode_indikator"] for r in kin if int(r["tahun"]) < 2022 and r["realisasi"]}
    narasi = raw / "narasi"

    def has(code: str, part: str) -> bool:
        p = narasi / f"sasaran_{code}_{part}.md"
        return p.is_file() and p.read_text(encoding="utf-8").strip() != ""

    shown = [i for i in ind if i["kode_indikator"] in now and now[i["kode_indikator"]]["realisasi"]]
    computed = [i for i in shown if Decimal(now[i["kode_indikator"]]["target"]) != 0]
    return {
        "3.b.1": len(shown),
        "3.b.2": len(computed),
        "3.b.3": sum(1 for i in computed if i["target_akhir_renstra"]),
        "3.b.4": sum(1 for i in ind if i["kode_indikator"] in earlier),
        "3.b.5": 0,  # the 2022 data gives no benchmark
        "3.b.6": sum(1 for i in ind if has(i["kode_sasaran"], "analisis")),
        "3.b.8": sum(1 for i in ind if has(i["kode_sasaran"], "solusi")),
    }


def _grade(share: Decimal) -> tuple[str, Decimal]:
    for letter, above, score in (("A", 90, "1"), ("B", 75, "0.75"), ("C", 40, "0.5")):
        if share > above:
            return letter, Decimal(score)
    return ("D", Decimal("0.25")) if share > 10 else ("E", Decimal(0))


def test_2022_coverage_and_score_by_hand(assessed):
    n = len(_rows("indikator"))
    assert n == 3
    counts = _hand_counts()
    assert counts == {"3.b.1": 3, "3.b.2": 3, "3.b.3": 3, "3.b.4": 3, "3.b.5": 0, "3.b.6": 3,
                      "3.b.8": 3}  # fmt: skip
    scores = []
    for kode in [f"3.b.{i}" for i in range(1, 9)]:
        h = assessed.item(kode)
        if kode in counts:
            share = _q(Decimal(counts[kode]) * 100 / n)
            assert h.cakupan_pct == share, kode
            assert (h.nilai, h.skor) == _grade(share), kode
        scores.append(h.skor)
    # every sasaran has sub kegiatan, so its efficiency table has a total index (3.b.7)
    assert assessed.item("3.b.7").temuan.covered == ["I1", "I2", "I3"]
    assert scores == [1, 1, 1, 1, 0, 1, 1, 1]
    # 3.b: weight 4,5 x mean(1,1,1,1,0,1,1,1) = 4,5 x 7/8 = 3,9375 -> 3,94
    assert assessed.sub[1].skor == Decimal("3.94")
    # 3.a without an archive: built (Y), not signed (T), four facts not given; 3 x 1/6 = 0,50
    assert [h.nilai for h in assessed.sub[0].hasil] == ["Y", "", "T", "", "", ""]
    assert assessed.sub[0].skor == Decimal("0.50")
    assert assessed.item("3.c.1").temuan.status == "belum dinilai"
    assert assessed.sub[2].skor == 0
    assert assessed.skor == Decimal("4.44")
    assert assessed.belum == 7


def test_evidence_names_the_report_tables(data_2022, assessed):
    from lkj.document.laporan import report_document

    doc = report_document(data_2022)
    riwayat = doc.table("riwayat_capaian")
    # the report's own table: capaian 2021 of every indicator shown
    assert riwayat.column_texts("Capaian 2021 (%)") == ["100,00", "100,00", "100,00"]
    assert riwayat.column_texts("Kode") == ["I1", "I2", "I3"]
    assert assessed.item("3.b.4").temuan.bukti == [f"Bab III 3.5, {riwayat.caption} (tahun 2021)"]
    evaluasi = doc.table("evaluasi_indikator")
    assert evaluasi.column_texts("Capaian Kinerja (%)") == ["100,00", "100,00", "100,00"]
    assert assessed.item("3.b.2").temuan.bukti[0].startswith(f"Bab III 3.2, {evaluasi.caption}")
    assert assessed.item("3.b.5").temuan.kurang[0].startswith("tidak tersedia")


def test_removing_one_sasaran_narasi_lowers_only_its_item(base_2022, data_2022, assessed, tmp_path):
    from lkj.document import laporan

    raw = tmp_path / "raw"
    shutil.copytree(base_2022 / "raw" / "2022", raw / "2022")
    (raw / "2022" / "narasi" / "sasaran_S2_analisis.md").unlink()
    d = laporan.load_report_data(
        2022, base_2022 / "processed", tmp_path / "out", None, raw / "2022"
    )
    d.figure_links = True
    p = _assess(d, tmp_path / "arsip")
    changed = {
        h.butir.kode
        for s in p.sub
        for h in s.hasil
        if (h.nilai, h.cakupan_pct) != (assessed.item(h.butir.kode).nilai,
                                        assessed.item(h.butir.kode).cakupan_pct)
    }  # fmt: skip
    assert changed == {"3.b.6"}
    h = p.item("3.b.6")
    assert h.temuan.covered == ["I1", "I3"]  # I2 belongs to S2
    assert (h.cakupan_pct, h.nilai, h.skor) == (Decimal("66.67"), "C", Decimal("0.5"))
    assert "narasi/sasaran_S2_analisis.md tidak ada atau kosong (sasaran S2)" in h.temuan.kurang
    # 4,5 x (6 + 0,5) / 8 = 3,65625 -> 3,66
    assert p.sub[1].skor == Decimal("3.66")


def test_removing_the_earlier_years_lowers_only_3b4(assessed, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW_2022, raw / "2022")
    path = raw / "2022" / "kinerja_indikator.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    kept = [lines[0]] + [ln for ln in lines[1:] if ",2021," not in ln]
    assert len(kept) == 4  # the header and the three 2022 rows
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    p = _assess(_report_data(raw, tmp_path), tmp_path / "arsip")
    changed = {
        h.butir.kode for s in p.sub for h in s.hasil if h.nilai != assessed.item(h.butir.kode).nilai
    }
    assert changed == {"3.b.4"}
    assert (p.item("3.b.4").cakupan_pct, p.item("3.b.4").nilai) == (Decimal("0.00"), "E")
    assert p.sub[1].skor == Decimal("3.38")  # 4,5 x 6/8 = 3,375 -> 3,38


def test_a_weight_in_configuration_changes_the_score(data_2022, tmp_path):
    text = (ROOT / "config" / "lke.toml").read_text(encoding="utf-8")
    assert text.count("bobot = 4.5") == 1
    path = tmp_path / "lke.toml"
    path.write_text(text.replace("bobot = 4.5", "bobot = 9"), encoding="utf-8")
    p = _assess(data_2022, tmp_path / "arsip", load_lke(path))
    assert p.sub[1].skor == Decimal("7.88")  # 9 x 7/8 = 7,875
    assert p.skor == Decimal("0.50") + Decimal("7.88")


def test_archive_facts_and_a_late_signature(data_2022, tmp_path):
    folder = tmp_path / "arsip" / "2022"
    folder.mkdir(parents=True)
    facts = '[direviu]\njawaban = "ya"\nbukti = "LHR Inspektorat 700/1/2023"\n'
    (folder / "penilaian.toml").write_text(
        "tanggal_tandatangan = 2023-02-20\n" + facts, encoding="utf-8"
    )
    p = _assess(data_2022, tmp_path / "arsip")
    assert [h.nilai for h in p.sub[0].hasil] == ["Y", "", "Y", "Y", "", "Y"]
    assert p.item("3.a.4").temuan.bukti == ["LHR Inspektorat 700/1/2023"]
    assert p.sub[0].skor == Decimal("2.00")  # 3 x 4/6
    # signed one day after the deadline (28 Februari 2023): "tepat waktu" lost, nothing else
    (folder / "penilaian.toml").write_text(
        "tanggal_tandatangan = 2023-03-01\n" + facts, encoding="utf-8"
    )
    late = _assess(data_2022, tmp_path / "arsip")
    assert [h.nilai for h in late.sub[0].hasil] == ["Y", "", "Y", "Y", "", "T"]
    assert late.item("3.a.6").temuan.kurang == [
        "ditandatangani 1 Maret 2023, terlambat 1 hari (batas waktu 28 Februari 2023)"
    ]
    assert late.sub[0].skor == Decimal("1.50")  # 3 x 3/6
    # without a date in the file, the newest signed copy of the archive dates the signature
    (folder / "penilaian.toml").write_text(facts, encoding="utf-8")
    (folder / "LKj_2022_ditandatangani_20230227-101500.pdf").write_bytes(b"%PDF")
    (folder / "LKj_2022_ditandatangani_20230305-090000.pdf").write_bytes(b"%PDF")
    newest = _assess(data_2022, tmp_path / "arsip")
    assert newest.arsip.tanggal_tandatangan == dt.date(2023, 3, 5)
    assert newest.item("3.a.6").nilai == "T"


def test_bad_archive_answer_is_named(data_2022, tmp_path):
    folder = tmp_path / "arsip" / "2022"
    folder.mkdir(parents=True)
    (folder / "penilaian.toml").write_text('[direviu]\njawaban = "mungkin"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"penilaian.toml \[direviu\] jawaban: diharapkan"):
        _assess(data_2022, tmp_path / "arsip")


def test_deadline_dates():
    lke = load_lke()
    assert batas_waktu(2022, lke) == dt.date(2023, 2, 28)
    assert batas_waktu(2023, lke) == dt.date(2024, 2, 29)  # leap year
    assert batas_waktu(2022, lke, pemda=True) == dt.date(2023, 3, 31)
    day = dt.date(2023, 2, 28)
    assert sisa_waktu(day, dt.date(2023, 2, 18)).endswith(": 10 hari lagi")
    assert sisa_waktu(day, day).endswith(": hari ini")
    assert sisa_waktu(day, dt.date(2023, 3, 3)) == (
        "batas waktu penyampaian 28 Februari 2023: terlambat 3 hari"
    )


@pytest.mark.e2e
def test_run_writes_the_assessment_beside_the_report(built_2022, tmp_path):
    out = built_2022 / "out" / "2022"
    html = (out / "LKj_2022_penilaian_mandiri.html").read_text(encoding="utf-8")
    assert (out / "LKj_2022_penilaian_mandiri.pdf").read_bytes().startswith(b"%PDF")
    assert "Penilaian Mandiri" not in (out / "LKj_2022.html").read_text(encoding="utf-8")
    items = find_table(html, "3.b Kualitas Pelaporan Kinerja")["records"]
    assert [(r["Kode"], r["Cakupan (%)"], r["Nilai"]) for r in items[:-1]] == [
        (f"3.b.{i}", "0,00" if i == 5 else "100,00", "E" if i == 5 else "A") for i in range(1, 9)
    ]
    assert "Batas waktu penyampaian: 28 Februari 2023" in html
    # the same page among the rendered notebooks the reviewers read
    assert (out / "notebooks" / "penilaian_mandiri.html").read_text(encoding="utf-8") == html
    # the deadline printed inside the LKj itself (Bab I), its only new line
    report = BeautifulSoup((out / "LKj_2022.html").read_text(encoding="utf-8"), "html.parser")
    deadline = [p.get_text(" ", strip=True) for p in report.find_all("p")
                if "disampaikan paling lambat" in p.get_text()]  # fmt: skip
    assert deadline == [
        "Laporan Kinerja ini disampaikan paling lambat 28 Februari 2023 (2 bulan setelah akhir "
        "tahun anggaran 2022; Perpres Nomor 29 Tahun 2014 tentang SAKIP, Pasal 19)."
    ]
    # facts recorded afterwards: `lkj penilaian` writes the assessment again, the report is
    # not touched
    pdf_before = (out / "LKj_2022.pdf").read_bytes()
    arsip = tmp_path / "arsip"
    (arsip / "2022").mkdir(parents=True)
    (arsip / "2022" / "penilaian.toml").write_text(
        '[digunakan_anggaran]\njawaban = "ya"\nbukti = "Perubahan DPA 2023"\n', encoding="utf-8"
    )
    base = built_2022
    result = run_lkj(
        "penilaian", "--year", "2022", "--raw", str(base / "raw"), "--output", str(out),
        "--processed", str(base / "processed" / "2022"), "--arsip", str(arsip),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Batas waktu penyampaian 28 Februari 2023: terlambat" in result.stdout
    html = (out / "LKj_2022_penilaian_mandiri.html").read_text(encoding="utf-8")
    c = find_table(html, "3.c Pemanfaatan")["records"]
    assert [r["Nilai"] for r in c[:-1]] == ["-", "-", "Y"]
    assert c[-1]["Skor"] == "2,50"  # 7,5 x 1/3, a computed score: two decimals
    assert (out / "LKj_2022.pdf").read_bytes() == pdf_before


def test_renstra_status_and_projection_by_hand(data_2022):
    """3.6: realisasi of 2021 and 2022 (kinerja_indikator.csv), the end target and its year
    (indikator.csv, target_renstra.csv): the projection and status derived by hand."""
    from lkj.document.laporan import report_document

    kin = _rows("kinerja_indikator")
    ends = {}
    for r in _rows("target_renstra"):
        ends[r["kode_indikator"]] = max(ends.get(r["kode_indikator"], 0), int(r["tahun"]))
    expected = []
    for i in _rows("indikator"):
        code = i["kode_indikator"]
        real = {
            int(r["tahun"]): Decimal(r["realisasi"]) for r in kin if r["kode_indikator"] == code
        }
        first, last = min(real), max(real)
        slope = (real[last] - real[first]) / (last - first)
        projected = real[last] + slope * (ends[code] - last)
        target = Decimal(i["target_akhir_renstra"])
        status = (
            "Tercapai" if real[last] >= target
            else "Akan tercapai" if projected >= target
            else "Perlu upaya keras"
        )  # fmt: skip
        expected.append((code, str(ends[code]), status))
    assert expected == [("I1", "2026", "Tercapai"), ("I2", "2026", "Perlu upaya keras"),
                        ("I3", "2026", "Tercapai")]  # fmt: skip
    t = report_document(data_2022).table("status_target_renstra")
    got = list(zip(t.column_texts("Kode"), t.column_texts("Tahun akhir"),
                   t.column_texts("Status"), strict=True))  # fmt: skip
    assert got == expected
    assert t.column_texts("Proyeksi akhir periode") == ["100", "60", "100"]
    assert t.column_texts("Capaian thd. target akhir (%)") == ["100,00", "80,00", "100,00"]


def test_a_benchmark_in_the_data_is_compared_and_counted(tmp_path):
    from lkj.document.laporan import report_document

    raw = tmp_path / "raw"
    shutil.copytree(RAW_2022, raw / "2022")
    (raw / "2022" / "pembanding.csv").write_text(
        "kode_indikator,tahun,nilai_pembanding,uraian_pembanding,sumber_pembanding\n"
        "I2,2022,65,Rata-rata provinsi,Indeks Demokrasi Indonesia 2022\n",
        encoding="utf-8",
    )
    d = _report_data(raw, tmp_path)
    t = report_document(d).table("pembanding")
    assert t.texts() == [["1", "I2", "Tingkat persentase pemahaman masyarakat tentang budaya "
                          "politik", "%", "60", "65", "Rata-rata provinsi",
                          "Indeks Demokrasi Indonesia 2022", "di bawah pembanding"]]  # fmt: skip
    h = _assess(d, tmp_path / "arsip").item("3.b.5")
    # 1 of 3 indicators: 33,33% -> D (0,25)
    assert (h.temuan.covered, h.cakupan_pct, h.nilai, h.skor) == (
        ["I2"],
        Decimal("33.33"),
        "D",
        Decimal("0.25"),
    )
