"""The pemda side of issue 23: the LKjIP carries every analysis of LKE 3.b per IKU and sasaran
RPJMD, derived here by hand from the demo pemda's raw rows (Decimal); its Penilaian Mandiri's
coverage figures and score are recomputed from those rows and the narasi files; removing one
narasi of the pemda lowers exactly its item; the quarterly evaluations count as evidence of
"berkala"; the deadline per OPD on the dashboard and in the LKjIP's Bab I.

The demo pemda of 3 OPDs is processed in-process (what notebooks 01 and 02 do) and
consolidated once for the module: no Dask batch, no rendering but the LKjIP document.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from test_tandatangan import PASSWORD, pki  # noqa: F401 - the module's test PKI fixture

from lkj.core.config import load_config
from lkj.data.workspace import Workspace, read_pemda
from lkj.pemda.contoh import write_contoh_pemda

YEAR = 2022
END = 2026  # periode_rpjmd 2021-2026 of the demo's pemda.csv
TODAY = dt.date(2023, 3, 1)  # before the LKjIP's deadline (31 March 2023)
OPD = ("01", "02", "03")


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _q(x: Decimal) -> Decimal:
    return x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _process(ws: Workspace, kode: str) -> None:
    """What notebooks 01 and 02 do for one OPD, in-process."""
    from lkj.analysis.capaian import compute_results
    from lkj.data.ingest import read_raw
    from lkj.data.processed import read_processed_tables, write_tables

    out = ws.opd_processed(YEAR, kode)
    write_tables(read_raw(YEAR, ws.opd_raw_root(kode)).tables, out)
    write_tables(compute_results(read_processed_tables(out), YEAR, load_config()).tables(), out)


def _consolidate(ws: Workspace):
    from lkj.analysis import konsolidasi
    from lkj.document.lkjip import lkjip_document

    outcomes = [SimpleNamespace(kode_opd=k, status="dibangun", error="") for k in OPD]
    data = konsolidasi.consolidate(ws, read_pemda(ws, YEAR), outcomes, load_config())
    figures = {"iku": Path("grafik_iku.png"), "serapan": Path("grafik_opd.png")}
    return data, lkjip_document(data, load_config(), figures)


@pytest.fixture(scope="module")
def pemda(tmp_path_factory):
    """The demo pemda of 3 OPDs processed and consolidated: (workspace, data, document)."""
    base = tmp_path_factory.mktemp("evaluasi_pemda")
    root = write_contoh_pemda(3, seed=7, base_dir=base / "data")
    ws = Workspace.at(root, base / "out", base / "processed")
    for kode in OPD:
        _process(ws, kode)
    data, doc = _consolidate(ws)
    return ws, data, doc


def _assess(ws, data, doc, archive: Path, triwulan=()):
    from lkj.document.penilaian import nilai_lkjip

    return nilai_lkjip(data, doc, archive, today=TODAY, triwulan=triwulan)


def _table(doc, key: str):
    hits = [t for t in doc.tables() if t.key == key]
    assert len(hits) == 1, key
    return hits[0]


def _hand_status(ws: Workspace) -> dict[str, tuple[Decimal, str, str]]:
    """Per IKU from iku_pemda.csv and kinerja_iku.csv: projection, status, years with data."""
    iku = {r["kode_iku"]: r for r in _rows(ws.pemda_dir / "iku_pemda.csv")}
    points: dict[str, list[tuple[int, Decimal]]] = {}
    for r in _rows(ws.pemda_dir / "kinerja_iku.csv"):
        if int(r["tahun"]) <= YEAR and r["realisasi"]:
            points.setdefault(r["kode_iku"], []).append((int(r["tahun"]), Decimal(r["realisasi"])))
    out = {}
    for kode, pts in points.items():
        pts.sort()
        (y0, r0), (y1, r1) = pts[0], pts[-1]
        proj = _q(r1 + (r1 - r0) / (y1 - y0) * (END - y1)) if y1 != y0 else _q(r1)
        target, neg = Decimal(iku[kode]["target_akhir_rpjmd"]), iku[kode]["polaritas"] == "negatif"

        def reached(v: Decimal, t: Decimal = target, n: bool = neg) -> bool:
            return v <= t if n else v >= t

        status = "Tercapai" if reached(r1) else "Akan tercapai" if reached(proj) else None
        out[kode] = (proj, status or "Perlu upaya keras", ", ".join(str(y) for y, _ in pts))
    return out


def _hand_sasaran(ws: Workspace) -> dict[str, tuple[int, int]]:
    """Per sasaran RPJMD: anggaran and realisasi of the sub kegiatan of the programmes that
    support it (program.csv kode_sasaran -> sasaran_opd.csv), from the OPDs' raw rows."""
    link = {(r["kode_opd"], r["kode_sasaran"]): r["kode_sasaran_rpjmd"]
            for r in _rows(ws.pemda_dir / "sasaran_opd.csv")}  # fmt: skip
    sums: dict[str, tuple[int, int]] = {}
    for kode in OPD:
        folder = ws.opd_raw_root(kode) / str(YEAR)
        program = {r["kode_program"]: r["kode_sasaran"] for r in _rows(folder / "program.csv")}
        kegiatan = {r["kode_kegiatan"]: r["kode_program"] for r in _rows(folder / "kegiatan.csv")}
        for s in _rows(folder / "sub_kegiatan.csv"):
            sr = link.get((kode, program[kegiatan[s["kode_kegiatan"]]]))
            if sr:
                a, r = sums.get(sr, (0, 0))
                sums[sr] = (a + int(s["anggaran_rp"]), r + int(s["realisasi_anggaran_rp"]))
    return sums


def test_lkjip_status_against_rpjmd_end_target_by_hand(pemda):
    ws, _, doc = pemda
    hand = _hand_status(ws)
    t = _table(doc, "lkjip_status_rpjmd")
    headers = ("Kode", "Proyeksi akhir periode", "Status", "Tahun data")
    kode, proj, status, years = (t.headers.index(h) for h in headers)
    shown = {row[kode].plain: (row[proj].value, row[status].plain, row[years].plain)
             for row in t.rows}  # fmt: skip
    assert len(shown) == len(_rows(ws.pemda_dir / "iku_pemda.csv")) == 8
    for k, (p, s, y) in hand.items():
        assert (Decimal(str(shown[k][0])), shown[k][1], shown[k][2]) == (p, s, y), k
    # the demo's realisations give every status at least once
    assert {s for _, s, _ in hand.values()} == {"Tercapai", "Akan tercapai", "Perlu upaya keras"}


def test_lkjip_benchmark_and_efficiency_by_hand(pemda):
    ws, _, doc = pemda
    iku = {r["kode_iku"]: r for r in _rows(ws.pemda_dir / "iku_pemda.csv")}
    kinerja = _rows(ws.pemda_dir / "kinerja_iku.csv")
    real = {r["kode_iku"]: Decimal(r["realisasi"]) for r in kinerja if r["tahun"] == str(YEAR)}
    bench = [r for r in _rows(ws.pemda_dir / "pembanding_iku.csv") if r["tahun"] == str(YEAR)]
    t = _table(doc, "lkjip_pembanding")
    got = dict(zip(t.column_texts("Kode"), t.column_texts("Hasil"), strict=True))
    expected = {}
    for b in bench:
        v, ref = real[b["kode_iku"]], Decimal(b["nilai_pembanding"])
        better = v < ref if iku[b["kode_iku"]]["polaritas"] == "negatif" else v > ref
        expected[b["kode_iku"]] = "lebih baik dari pembanding" if better else "di bawah pembanding"
    assert got == expected and len(got) == 2

    eff = _table(doc, "lkjip_efisiensi")
    sums = _hand_sasaran(ws)
    for row in eff.rows:
        sr = row[eff.headers.index("Kode")].plain
        serapan, index = (
            row[eff.headers.index("Serapan (%)")],
            row[eff.headers.index("Indeks efisiensi")],
        )
        if sr not in sums:  # no programme supports it: nothing to compute
            assert (serapan.plain, index.plain) == ("tidak dapat dihitung", "-")
            continue
        a, r = sums[sr]
        assert _q(Decimal(r) * 100 / Decimal(a)) == Decimal(str(serapan.value))
        fisik = Decimal(str(row[eff.headers.index("Capaian fisik (%)")].value))
        assert Decimal(str(index.value)) == _q(fisik / Decimal(str(serapan.value)))
    assert sorted(sums) == ["SR1", "SR5"]  # the 3 demo OPDs support these two only


def test_lkjip_narasi_and_deadline_in_the_document(pemda):
    from lkj.document.model import Paragraph

    ws, _, doc = pemda
    texts = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert (
        "LKjIP ini disampaikan paling lambat 31 Maret 2023 (3 bulan setelah akhir tahun anggaran "
        "2022; Perpres Nomor 29 Tahun 2014 tentang SAKIP, Pasal 19)." in texts
    )
    folder = ws.pemda_dir / "narasi" / str(YEAR)
    assert "DATA SINTETIS" in (folder / "README.md").read_text(encoding="utf-8")
    serapan = {r[1].plain: r[5].plain for r in _table(doc, "lkjip_efisiensi").rows}
    # the narasi's computed name {{ sasaran.SR1.serapan }} shows the table's figure
    assert any(
        t.startswith(
            "Teks contoh (DATA SINTETIS). Upaya yang dilakukan pada tahun 2022 untuk "
            f"sasaran SR1: perangkat daerah pendukung melaksanakan program dengan serapan "
            f"anggaran {serapan['SR1']}% "
        )  # fmt: skip
        for t in texts
    ), serapan


def _hand_penilaian(ws: Workspace, narasi_missing: tuple[str, ...] = ()) -> dict[str, Decimal]:
    """Coverage (%) of each 3.b item, from the raw rows and the narasi files."""
    iku = _rows(ws.pemda_dir / "iku_pemda.csv")
    n = Decimal(len(iku))
    bench = {r["kode_iku"] for r in _rows(ws.pemda_dir / "pembanding_iku.csv")
             if r["tahun"] == str(YEAR)}  # fmt: skip
    with_budget = set(_hand_sasaran(ws))
    folder = ws.pemda_dir / "narasi" / str(YEAR)

    def narasi(part: str) -> int:
        return sum(
            1 for i in iku if (folder / f"sasaran_{i['kode_sasaran_rpjmd']}_{part}.md").is_file()
        )

    counts = {
        "3.b.1": len(iku), "3.b.2": len(iku), "3.b.3": len(iku), "3.b.4": len(iku),
        "3.b.5": len(bench),
        "3.b.6": narasi("analisis"),
        "3.b.7": sum(1 for i in iku if i["kode_sasaran_rpjmd"] in with_budget),
        "3.b.8": narasi("solusi"),
    }  # fmt: skip
    return {k: _q(Decimal(v) * 100 / n) for k, v in counts.items()}


def _score(share: Decimal) -> Decimal:
    for above, score in ((90, "1"), (75, "0.75"), (40, "0.5"), (10, "0.25")):
        if share > above:
            return Decimal(score)
    return Decimal(0)


def test_lkjip_penilaian_coverage_and_score_by_hand(pemda, tmp_path):
    ws, data, doc = pemda
    p = _assess(ws, data, doc, tmp_path / "arsip" / "pemda" / "contoh")
    hand = _hand_penilaian(ws)
    assert {k: p.item(k).cakupan_pct for k in hand} == hand
    assert hand["3.b.5"] == Decimal("25.00") and hand["3.b.7"] == Decimal("37.50")
    sub_b = _q(Decimal("4.5") * sum(_score(v) for v in hand.values()) / 8)
    assert next(s for s in p.sub if s.kode == "3.b").skor == sub_b
    # 3.a: laporan ada = 1, not signed = 0, four facts not recorded; 3.c not assessed
    assert [p.item(f"3.a.{i}").nilai for i in range(1, 7)] == ["Y", "", "T", "", "", ""]
    assert p.skor == sub_b + _q(Decimal(3) * 1 / 6)
    assert p.jenis == "LKjIP" and p.batas == dt.date(2023, 3, 31)


def test_removing_a_pemda_narasi_lowers_exactly_its_item(pemda, tmp_path):
    from lkj.document.penilaian import penilaian_document

    ws, data, doc = pemda
    archive = tmp_path / "arsip"
    before = _assess(ws, data, doc, archive)
    copy = tmp_path / "contoh"
    shutil.copytree(ws.root, copy)
    (copy / "pemda" / "narasi" / str(YEAR) / "sasaran_SR2_solusi.md").unlink()
    ws2 = Workspace.at(copy, ws.outputs, ws.processed)
    data2, doc2 = _consolidate(ws2)
    after = _assess(ws2, data2, doc2, archive)
    changed = [k for s in before.sub for k in (h.butir.kode for h in s.hasil)
               if before.item(k).cakupan_pct != after.item(k).cakupan_pct]  # fmt: skip
    assert changed == ["3.b.8"]
    assert after.item("3.b.8").cakupan_pct == _hand_penilaian(ws2)["3.b.8"] == Decimal("75.00")
    assert after.item("3.b.8").nilai == "C"
    assert "narasi/2022/sasaran_SR2_solusi.md tidak ada atau kosong (sasaran RPJMD SR2)" in (
        after.item("3.b.8").temuan.kurang
    )
    gaps = [b for b in doc2.blocks if type(b).__name__ == "ListBlock"]
    assert any(any("Sasaran RPJMD SR2: rekomendasi belum diuraikan" in i for i in g.items)
               for g in gaps)  # fmt: skip
    penilaian_document(after, org="Kabupaten Belitung Timur")  # builds with the gap


def test_quarterly_evaluations_are_evidence_of_berkala(pemda, tmp_path, raw_root):
    from lkj.run.penilaian import quarter_reports as opd_quarters
    from lkj.run.penilaian import quarters_pemda as quarter_reports

    ws, data, doc = pemda
    assert quarter_reports(ws, YEAR) == []
    assert _assess(ws, data, doc, tmp_path).item("3.a.2").nilai == ""  # belum dinilai
    built = ws.outputs / f"{YEAR}-tw2" / f"Evaluasi_RKPD_{YEAR}_TW2.pdf"
    built.parent.mkdir(parents=True)
    built.write_bytes(b"%PDF-1.7\n")
    found = quarter_reports(ws, YEAR)
    assert found == ["2022-tw2/Evaluasi_RKPD_2022_TW2.pdf"]
    item = _assess(ws, data, doc, tmp_path, found).item("3.a.2")
    assert (item.nilai, item.temuan.bukti) == ("Y", ["evaluasi triwulan: " + found[0]])
    # the OPD's report: outputs/YEAR-twQ beside its data
    assert opd_quarters(raw_root, YEAR) == []
    pdf = raw_root.parent / "outputs" / "2022-tw1" / "Evaluasi_Renja_2022_TW1.pdf"
    pdf.parent.mkdir(parents=True)
    pdf.write_bytes(b"%PDF-1.7\n")
    assert opd_quarters(raw_root, YEAR) == ["2022-tw1/Evaluasi_Renja_2022_TW1.pdf"]


def test_deadline_per_opd_on_the_dashboard(pemda, tmp_path):
    from lkj.pemda.dashboard import deadline_cell

    ws, _, _ = pemda
    archive = tmp_path / "arsip"
    assert deadline_cell(archive, ws, "01", YEAR, dt.date(2023, 2, 20)) == (
        "28 Februari 2023: 8 hari lagi", 8)  # fmt: skip
    assert deadline_cell(archive, ws, "01", YEAR, dt.date(2023, 3, 3)) == (
        "28 Februari 2023: terlambat 3 hari, belum ditandatangani", -3)  # fmt: skip
    folder = archive / "pemda" / ws.kode / "02" / str(YEAR)
    folder.mkdir(parents=True)
    (folder / "LKj_2022_ditandatangani_20230310-101500.pdf").write_bytes(b"%PDF-1.7\n")
    assert deadline_cell(archive, ws, "02", YEAR) == (
        "28 Februari 2023: ditandatangani terlambat 10 hari", -10)  # fmt: skip
    (folder / "LKj_2022_ditandatangani_20230227-090000.pdf").unlink(missing_ok=True)
    other = archive / "pemda" / ws.kode / "03" / str(YEAR)
    other.mkdir(parents=True)
    (other / "LKj_2022_ditandatangani_20230227-090000.pdf").write_bytes(b"%PDF-1.7\n")
    assert deadline_cell(archive, ws, "03", YEAR) == (
        "28 Februari 2023: ditandatangani tepat waktu", None)  # fmt: skip


# --------------------------------------------------------------------------- paket PEMDA=


@pytest.fixture(scope="module")
def signed_lkjip(pemda, pki, tmp_path_factory):  # noqa: F811
    """The demo's LKjIP built (HTML, PDF, DOCX, self-assessment), the batch's status.json
    written, the PDF signed with the test certificate into the pemda's archive, with its
    record (what ``lkj tandatangan --pemda`` does; that command is feat-durasi's)."""
    from lkj.pemda import lkjip
    from lkj.pemda.status import write_json
    from lkj.tandatangan.pades import sign_pdf
    from lkj.tandatangan.paket_pemda import record_lkjip
    from lkj.tandatangan.placement import Place
    from lkj.tandatangan.sertifikat import load_credentials

    ws, _, _ = pemda
    archive = tmp_path_factory.mktemp("arsip_pemda")
    outcomes = [SimpleNamespace(kode_opd=k, status="dibangun", error="") for k in OPD]
    config = Path(__file__).resolve().parents[1] / "config" / "lkj.toml"
    lkjip.build(ws, read_pemda(ws, YEAR), outcomes, config, log=lambda _: None, archive=archive)
    write_json(ws.output(YEAR) / "status.json", {"opd": {k: {"status": "ok"} for k in OPD}})
    creds = load_credentials(pki["valid"], PASSWORD)
    pdf = (ws.output(YEAR) / f"LKjIP_{YEAR}.pdf").read_bytes()
    data = sign_pdf(pdf, creds, Place(page=0, box=(60, 60, 260, 130)), reason="LKjIP 2022")
    folder = archive / "pemda" / ws.kode / str(YEAR)
    folder.mkdir(parents=True)
    target = folder / f"LKjIP_{YEAR}_ditandatangani_20230320-100000.pdf"
    target.write_bytes(data)
    record_lkjip(target, ws, YEAR, "YUSMAWANDI, S.Pd", dt.datetime(2023, 3, 20, 10, 0).astimezone())
    return archive, target


def test_paket_pemda_verified_by_sha256sum(pemda, signed_lkjip):
    import json
    import subprocess
    import zipfile

    from lkj.tandatangan.paket_pemda import lkjip_inputs, paket_pemda

    ws, _, _ = pemda
    archive, target = signed_lkjip
    folder = paket_pemda(ws, YEAR, archive, log=lambda _: None)
    assert folder == archive / "pemda" / "contoh" / "2022" / "paket"
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted([
        target.name, "LKjIP_2022.docx", "LKjIP_2022_data.zip",
        "LKjIP_2022_penilaian_mandiri.pdf", "LKjIP_2022_penilaian_mandiri.html",
        "manifest.json", "SHA256SUMS",
    ])  # fmt: skip
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=folder, capture_output=True,
                           text=True, check=False)  # fmt: skip
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count(": OK") == 6
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["dokumen"][0]["ditandatangani_oleh"] == "YUSMAWANDI, S.Pd"
    inputs = lkjip_inputs(ws, YEAR)
    with zipfile.ZipFile(folder / "LKjIP_2022_data.zip") as book:
        assert sorted(book.namelist()) == sorted(
            k for k in inputs if not k.startswith(("settings:", "config/"))
        )
        assert "pemda/narasi/2022/sasaran_SR1_analisis.md" in book.namelist()
    # the self-assessment sees the signature: formalised and on time (20 March < 31 March)
    html = (folder / "LKjIP_2022_penilaian_mandiri.html").read_text(encoding="utf-8")
    assert "ditandatangani 20 Maret 2023, sebelum batas waktu 31 Maret 2023" in html


def test_paket_pemda_refuses_unsigned_and_stale(pemda, signed_lkjip, tmp_path):
    from lkj.tandatangan.paket import PaketError
    from lkj.tandatangan.paket_pemda import paket_pemda

    ws, _, _ = pemda
    archive, target = signed_lkjip
    with pytest.raises(PaketError, match="belum ada LKjIP yang ditandatangani"):
        paket_pemda(ws, YEAR, tmp_path / "kosong", log=lambda _: None)
    copy = tmp_path / "contoh"
    shutil.copytree(ws.root, copy)
    moved = Workspace.at(copy, ws.outputs, ws.processed)
    (copy / "pemda" / "kinerja_iku.csv").write_text(
        (copy / "pemda" / "kinerja_iku.csv").read_text(encoding="utf-8").replace("75.2", "75.3"),
        encoding="utf-8",
    )
    with pytest.raises(PaketError, match=r"pemda/kinerja_iku\.csv \(berubah\)"):
        paket_pemda(moved, YEAR, archive, log=lambda _: None)
    assert not (archive / "pemda" / "contoh" / "2022" / ".paket-tmp").exists()


def test_a_broken_pemda_narasi_is_named_by_check_and_build(pemda, tmp_path):
    """A narasi naming an unknown value: ``check --pemda`` names its file and line, and the
    LKjIP is not built from it (one DataError, same message)."""
    from lkj.core.errors import DataError
    from lkj.pemda.year import check_pemda

    ws, _, _ = pemda
    copy = tmp_path / "contoh"
    shutil.copytree(ws.root, copy)
    moved = Workspace.at(copy, ws.outputs, ws.processed)
    report = check_pemda(moved, YEAR)
    assert report.ok and "  pemda: 10 narasi LKjIP tahun 2022 sah" in report.lines
    text = copy / "pemda" / "narasi" / str(YEAR) / "sasaran_SR3_solusi.md"
    text.write_text("Baris satu.\n\nCapaian {{ iku.IKU9.capaian }}.\n", encoding="utf-8")
    report = check_pemda(moved, YEAR)
    assert not report.ok
    assert list(report.problems) == ["pemda"]
    [problem] = report.problems["pemda"]
    assert "pemda/narasi/2022/sasaran_SR3_solusi.md, baris 3" in problem and "IKU9" in problem
    with pytest.raises(DataError) as caught:
        _consolidate(moved)
    assert str(caught.value) == problem
