"""The pemda workspace: its contract, the demo generator, the consolidation of the LKjIP.

Fast tests, in-process: the OPDs' processed tables are computed with the same functions the
notebooks call (``read_raw``, ``compute_results``, ``write_tables``), so the consolidation is
checked against figures derived here independently from the OPDs' raw CSV rows. The batch
itself (Dask, notebooks, the LKjIP document) is tested end to end in test_pemda_batch.py.
"""

from __future__ import annotations

import csv
import io
import shutil
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from lkj.analysis import konsolidasi
from lkj.analysis.capaian import compute_results
from lkj.core.config import load_config
from lkj.core.errors import DataErrors
from lkj.core.fmt import format_pct
from lkj.data.ingest import read_raw
from lkj.data.processed import write_tables
from lkj.data.workspace import Workspace, list_opd, read_pemda
from lkj.pemda.contoh import write_contoh_pemda

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def small_pemda(tmp_path_factory) -> Path:
    """A demo pemda of 3 OPDs (Setda, Setwan: synthetic; Kesbangpol: real data)."""
    base = tmp_path_factory.mktemp("pemda")
    return write_contoh_pemda(3, seed=7, base_dir=base)


def _copy(ws_root: Path, tmp_path: Path) -> Workspace:
    target = tmp_path / ws_root.name
    shutil.copytree(ws_root, target)
    return Workspace.at(target, tmp_path / "out", tmp_path / "processed")


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _set_cell(path: Path, match: dict, column: str, value: str) -> int:
    """Change one cell of a CSV file; returns the row number as a spreadsheet shows it."""
    rows = _rows(path)
    fields = list(rows[0])
    hit = next(i for i, r in enumerate(rows) if all(r[k] == v for k, v in match.items()))
    rows[hit][column] = value
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return hit + 2


# --------------------------------------------------------------------------- the demo


def test_demo_pemda_is_valid_labelled_and_reproducible(small_pemda, tmp_path):
    ws = Workspace.at(small_pemda)
    pemda = read_pemda(ws, 2022)
    assert pemda.synthetic and pemda.lambang.name == "lambang.png"
    assert list(pemda["opd"]["nama_opd"]) == [
        "Sekretariat Daerah",
        "Sekretariat DPRD",
        "Badan Kesatuan Bangsa dan Politik",
    ]
    entries = list_opd(ws, pemda)
    assert [e.present for e in entries] == [True, True, True]
    for entry in entries:
        raw = read_raw(2022, entry.raw_root)  # each OPD is valid under the yearly contract
        inst = dict(zip(raw["instansi"]["kunci"], raw["instansi"]["nilai"], strict=True))
        real = inst["nama_instansi"] == "Badan Kesatuan Bangsa dan Politik"
        assert inst.get("data_sintetis", "") == ("" if real else "ya")
    # Kesbangpol is the real 2022 data, byte for byte.
    kes = small_pemda / "opd" / "03" / "2022"
    for path in (ROOT / "data" / "raw" / "2022").rglob("*"):
        if path.is_file():
            assert (kes / path.relative_to(ROOT / "data" / "raw" / "2022")).read_bytes() == (
                path.read_bytes()
            )
    # The same seed gives the same files; another seed other budgets.
    again = write_contoh_pemda(3, seed=7, base_dir=tmp_path / "a")
    other = write_contoh_pemda(3, seed=8, base_dir=tmp_path / "b")
    files = sorted(p.relative_to(small_pemda) for p in small_pemda.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    assert all((small_pemda / f).read_bytes() == (again / f).read_bytes() for f in files)
    sub = Path("opd/01/2022/sub_kegiatan.csv")
    assert (small_pemda / sub).read_bytes() != (other / sub).read_bytes()


def test_demo_of_forty_includes_kesbangpol_once(tmp_path):
    root = write_contoh_pemda(40, seed=1, base_dir=tmp_path)
    opd = _rows(root / "pemda" / "opd.csv")
    assert len(opd) == 40 and len({r["kode_opd"] for r in opd}) == 40
    assert [r["singkatan"] for r in opd].count("Kesbangpol") == 1
    assert len([p for p in (root / "opd").iterdir() if p.is_dir()]) == 40


# --------------------------------------------------------------------------- the contract


def test_link_to_missing_rpjmd_sasaran_names_file_row_column(small_pemda, tmp_path):
    ws = _copy(small_pemda, tmp_path)
    path = ws.pemda_dir / "sasaran_opd.csv"
    row = _set_cell(path, {"kode_opd": "02", "kode_sasaran": "S2"}, "kode_sasaran_rpjmd", "SR9")
    with pytest.raises(DataErrors) as exc:
        read_pemda(ws, 2022)
    (error,) = exc.value.errors
    assert error.file.endswith("pemda/sasaran_opd.csv")
    assert (error.row, error.column) == (row, "kode_sasaran_rpjmd")
    assert "'SR9' tidak ada di sasaran_rpjmd.kode_sasaran_rpjmd" in error.problem


def test_pemda_keys_lambang_and_year_are_checked(small_pemda, tmp_path):
    ws = _copy(small_pemda, tmp_path)
    (ws.pemda_dir / "lambang.png").unlink()
    pemda_csv = ws.pemda_dir / "pemda.csv"
    _set_cell(pemda_csv, {"kunci": "jenis_pemda"}, "nilai", "kecamatan")
    _set_cell(pemda_csv, {"kunci": "kepala_daerah_nama"}, "nilai", "")
    with pytest.raises(DataErrors) as exc:
        read_pemda(ws, 2023)  # no IKU has a 2023 row
    found = {(e.file.rsplit("/", 1)[-1], e.row, e.column): e.problem for e in exc.value.errors}
    assert "kabupaten, kota, provinsi" in found[("pemda.csv", 3, "nilai")]
    assert "kepala_daerah_nama" in found[("pemda.csv", 5, "nilai")]
    assert "lambang" in found[("pemda.csv", 6, "nilai")]
    year_errors = [e.problem for e in exc.value.errors if e.file.endswith("kinerja_iku.csv")]
    assert len(year_errors) == 8 and all("tahun 2023" in p for p in year_errors)


def test_opd_code_must_be_a_folder_name(small_pemda, tmp_path):
    ws = _copy(small_pemda, tmp_path)
    _set_cell(ws.pemda_dir / "opd.csv", {"kode_opd": "02"}, "kode_opd", "02/x")
    links = ws.pemda_dir / "sasaran_opd.csv"
    links.write_text(links.read_text(encoding="utf-8").replace("\n02,", "\n02/x,"), "utf-8")
    with pytest.raises(DataErrors) as exc:
        read_pemda(ws, 2022)
    (error,) = exc.value.errors
    assert error.file.endswith("pemda/opd.csv") and (error.row, error.column) == (3, "kode_opd")
    assert "'02/x'" in error.problem


# --------------------------------------------------------------------------- consolidation


def _process(ws: Workspace, kode: str, year: int = 2022) -> None:
    """What notebooks 01 and 02 do for one OPD, in-process."""
    raw = read_raw(year, ws.opd_raw_root(kode))
    out = ws.opd_processed(year, kode)
    write_tables(raw.tables, out)
    config = load_config(None)
    from lkj.data.processed import read_processed_tables

    write_tables(compute_results(read_processed_tables(out), year, config).tables(), out)


def _pct(numerator: int, denominator: int) -> str:
    """A percentage printed as the report prints it, computed here with Decimal."""
    value = (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )
    return f"{value:.2f}".replace(".", ",") + "%"


def test_consolidation_against_raw_rows(small_pemda, tmp_path):
    ws = _copy(small_pemda, tmp_path)
    pemda = read_pemda(ws, 2022)
    for kode in ("01", "03"):
        _process(ws, kode)
    outcomes = [
        SimpleNamespace(kode_opd="01", status="dibangun", error=""),
        SimpleNamespace(kode_opd="02", status="gagal", error="sub_kegiatan.csv: rusak"),
        SimpleNamespace(kode_opd="03", status="mutakhir", error=""),
    ]
    data = konsolidasi.consolidate(ws, pemda, outcomes, load_config(None))
    opd = data["opd"].set_index("kode_opd")

    expected = {}
    for kode in ("01", "03"):
        rows = _rows(ws.opd_raw_root(kode) / "2022" / "sub_kegiatan.csv")
        budget = sum(int(r["anggaran_rp"]) for r in rows)
        spent = sum(int(r["realisasi_anggaran_rp"]) for r in rows)
        lra = _rows(ws.opd_raw_root(kode) / "2022" / "lra.csv")
        lra_budget = sum(int(r["anggaran_rp"]) for r in lra)
        lra_spent = sum(int(r["realisasi_rp"]) for r in lra)
        expected[kode] = (budget, spent, lra_budget, (lra_budget, lra_spent) != (budget, spent))
        assert int(opd.at[kode, "anggaran_rp"]) == budget
        assert int(opd.at[kode, "realisasi_anggaran_rp"]) == spent
        assert format_pct(opd.at[kode, "serapan_pct"]) == _pct(spent, budget)
        assert int(opd.at[kode, "lra_anggaran_rp"]) == expected[kode][2]
    # Kesbangpol: the figures of its own LKj 2022 (README: 4.920.098.606 by sub kegiatan,
    # LRA 16.000.000 lower).
    assert expected["03"][0] == 4_920_098_606 and expected["03"][2] == 4_904_098_606
    assert int(opd.at["03", "selisih_lra_rp"]) == -16_000_000

    # The failed OPD is listed, without figures, without a rank.
    assert opd.at["02", "status"] == "gagal"
    assert opd[["anggaran_rp", "serapan_pct"]].loc["02"].isna().all()
    assert opd["peringkat"].isna().tolist() == [False, True, False]
    assert sorted(opd["peringkat"].dropna().astype(int)) == [1, 2]

    total = data["totals"]
    budget = expected["01"][0] + expected["03"][0]
    spent = expected["01"][1] + expected["03"][1]
    assert (int(total["anggaran_rp"]), int(total["realisasi_anggaran_rp"])) == (budget, spent)
    assert format_pct(total["serapan_pct"]) == _pct(spent, budget)
    assert total["jumlah_opd"] == 2

    # Data quality: the failed OPD with its error; the LRA difference of Kesbangpol.
    kualitas = data["kualitas"]
    assert kualitas[["jenis", "kode_opd"]].values.tolist() == [["gagal", "02"]]
    assert "sub_kegiatan.csv: rusak" in kualitas.iloc[0]["keterangan"]
    assert list(data["lra_beda"]["kode_opd"]) == [k for k in ("01", "03") if expected[k][3]]
    assert expected["03"][3]


def test_cascade_and_sasaran_rpjmd_budgets(small_pemda, tmp_path):
    ws = _copy(small_pemda, tmp_path)
    # One OPD sasaran left out of the cascade, one cascade row to a sasaran the OPD lacks.
    links = ws.pemda_dir / "sasaran_opd.csv"
    rows = [r for r in _rows(links) if not (r["kode_opd"] == "03" and r["kode_sasaran"] == "S3")]
    rows.append({"kode_opd": "01", "kode_sasaran": "S9", "kode_sasaran_rpjmd": "SR5"})
    with links.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    pemda = read_pemda(ws, 2022)
    for kode in ("01", "02", "03"):
        _process(ws, kode)
    outcomes = [
        SimpleNamespace(kode_opd=k, status="dibangun", error="") for k in ("01", "02", "03")
    ]
    data = konsolidasi.consolidate(ws, pemda, outcomes, load_config(None))

    # Independently: programme budgets of each OPD by its sasaran, mapped through the cascade.
    cascade = {(r["kode_opd"], r["kode_sasaran"]): r["kode_sasaran_rpjmd"] for r in rows}
    expected: dict[str, list[int]] = {}
    for kode in ("01", "02", "03"):
        folder = ws.opd_raw_root(kode) / "2022"
        program_sasaran = {
            r["kode_program"]: r["kode_sasaran"] for r in _rows(folder / "program.csv")
        }
        keg_program = {
            r["kode_kegiatan"]: r["kode_program"] for r in _rows(folder / "kegiatan.csv")
        }
        for r in _rows(folder / "sub_kegiatan.csv"):
            sasaran = program_sasaran[keg_program[r["kode_kegiatan"]]]
            target = cascade.get((kode, sasaran))
            if sasaran and target:
                sums = expected.setdefault(target, [0, 0])
                sums[0] += int(r["anggaran_rp"])
                sums[1] += int(r["realisasi_anggaran_rp"])
    got = data["sasaran_rpjmd"].set_index("kode_sasaran_rpjmd")
    for code in got.index:
        budget, spent = expected.get(code, [0, 0])
        assert int(got.at[code, "anggaran_rp"]) == budget, code
        assert int(got.at[code, "realisasi_anggaran_rp"]) == spent, code
    assert expected["SR1"][0] > 0  # Kesbangpol's S1 and S2 support SR1

    found = data["kualitas"][["jenis", "kode_opd"]].values.tolist()
    assert ["sasaran tidak terhubung", "03"] in found
    assert ["tautan cascade tanpa sasaran", "01"] in found
    row = data["kualitas"][data["kualitas"]["jenis"] == "tautan cascade tanpa sasaran"].iloc[0]
    assert f"baris {len(rows) + 1}, kolom kode_sasaran" in row["keterangan"]


def test_iku_capaian_with_polarity(small_pemda):
    pemda = read_pemda(Workspace.at(small_pemda), 2022)
    iku = konsolidasi.iku_table(pemda, load_config(None))
    kin = {
        (r["kode_iku"], int(r["tahun"])): r
        for r in _rows(small_pemda / "pemda" / "kinerja_iku.csv")
    }
    defs = {r["kode_iku"]: r for r in _rows(small_pemda / "pemda" / "iku_pemda.csv")}
    assert len(iku) == len(kin) == 16
    for row in iku.itertuples(index=False):
        raw = kin[(row.kode_iku, int(row.tahun))]
        target, real = Decimal(raw["target"]), Decimal(raw["realisasi"])
        if defs[row.kode_iku]["polaritas"] == "positif":
            expected = real / target * 100
        else:
            expected = max(Decimal(0), (2 * target - real) / target * 100)
        assert format_pct(row.capaian_pct) == format_pct(float(expected)), row.kode_iku
    assert set(iku.loc[iku["polaritas"] == "negatif", "kode_iku"]) == {"IKU4", "IKU6"}


# --------------------------------------------------------------------------- the banner


def test_synthetic_banner_on_every_printed_page():
    import nbformat

    from lkj.document.model import Document, Heading, Paragraph, Part
    from lkj.render import to_pdf
    from lkj.render.notebook_export import LkjHtmlExporter

    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Bab I\n\n" + "teks " * 1500),
        nbformat.v4.new_markdown_cell("# Bab II\n\nx"),
    ]
    nb.metadata["lkj"] = {"data_sintetis": True}
    html = LkjHtmlExporter().from_notebook_node(nb)[0]
    assert 'class="lkj-sintetis-banner"' in html and "lkj-sintetis" in html
    nb.metadata["lkj"] = {}
    assert 'class="lkj-sintetis-banner"' not in LkjHtmlExporter().from_notebook_node(nb)[0]
    # The PDF (Typst): once at the top of every page, and not at all for real data.
    blocks = [
        Heading(1, "Bab I", chapter="1", page_break=True),
        Paragraph("teks " * 1500),
        Heading(1, "Bab II", chapter="2", page_break=True),
        Paragraph("x"),
    ]
    doc = Document("Uji", [Part("p", blocks)])
    for synthetic, count in ((True, 1), (False, 0)):
        pdf = to_pdf.render_pdf(doc, synthetic=synthetic)
        pages = [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]
        assert len(pages) >= 3
        assert [p.count("DATA SINTETIS") for p in pages] == [count] * len(pages)


# --------------------------------------------------------------------------- batch pieces


def test_task_fingerprint_follows_the_opds_own_inputs(small_pemda, tmp_path):
    from lkj.pemda.fingerprint import code_fingerprint, make_task

    ws = _copy(small_pemda, tmp_path)
    pemda = read_pemda(ws, 2022)
    entries = {e.kode_opd: e for e in list_opd(ws, pemda)}
    code = code_fingerprint()
    config = (ROOT / "config" / "lkj.toml").read_bytes()
    first = {k: make_task(e, 2022, config, code) for k, e in entries.items()}
    assert sorted(first["03"]["files"]) == sorted(
        p.relative_to(ws.opd_raw_root("03")).as_posix()
        for p in (ws.opd_raw_root("03") / "2022").rglob("*")
        if p.is_file()
    )
    assert first["01"]["display_root"].endswith("contoh/opd/01")
    # The pemda's lambang travels with every OPD that has no file of that name.
    lambang = {"lambang.png": b"png"}
    assert (
        make_task(entries["01"], 2022, config, code, shared=lambang)["files"]["lambang.png"]
        == b"png"
    )
    (ws.opd_raw_root("02") / "lambang.png").write_bytes(b"own")
    assert (
        "lambang.png" not in make_task(entries["02"], 2022, config, code, shared=lambang)["files"]
    )
    # An earlier year belongs to the inputs (the report compares years), a later one not.
    shutil.copytree(ws.opd_raw_root("01") / "2022", ws.opd_raw_root("01") / "2021")
    shutil.copytree(ws.opd_raw_root("02") / "2022", ws.opd_raw_root("02") / "2023")
    (ws.opd_raw_root("03") / "2022" / "narasi" / "penutup.md").write_text("x", "utf-8")
    again = {k: make_task(e, 2022, config, code) for k, e in entries.items()}
    assert again["01"]["fingerprint"] != first["01"]["fingerprint"]
    assert "2021/sub_kegiatan.csv" in again["01"]["files"]
    assert again["02"]["fingerprint"] == first["02"]["fingerprint"]
    assert again["03"]["fingerprint"] != first["03"]["fingerprint"]
    # The configuration and the code are part of it too.
    assert (
        make_task(entries["02"], 2022, config + b"\n", code)["fingerprint"]
        != (first["02"]["fingerprint"])
    )
    assert (
        make_task(entries["02"], 2022, config, "0" * 64)["fingerprint"]
        != (first["02"]["fingerprint"])
    )


def test_worker_with_other_code_refuses_the_task(small_pemda):
    from lkj.pemda.fingerprint import make_task
    from lkj.pemda.opd_task import build_opd

    ws = Workspace.at(small_pemda)
    entry = list_opd(ws, read_pemda(ws, 2022))[0]
    task = make_task(entry, 2022, b"", "f" * 64)
    result = build_opd(task)
    assert (result["status"], result["kind"]) == ("gagal", "kode")
    assert "berbeda dengan di klien" in result["error"] and result["outputs"] == {}


def test_worker_messages_name_the_users_files():
    from lkj.pemda.opd_task import _relabel

    tmp = Path("/tmp/lkj-opd-ab12_x")
    message = (
        "../../tmp/lkj-opd-ab12_x/raw/2022/sub_kegiatan.csv, baris 5, kolom anggaran_rp: "
        "diharapkan angka\n(notebook yang gagal disimpan di /tmp/lkj-opd-ab12_x/out/.gagal-2022)"
    )
    assert _relabel(message, tmp, "data/pemda/contoh/opd/05", ".gagal/05") == (
        "data/pemda/contoh/opd/05/2022/sub_kegiatan.csv, baris 5, kolom anggaran_rp: "
        "diharapkan angka\n(notebook yang gagal disimpan di .gagal/05)"
    )


def test_synthetic_label_in_every_docx_header(tmp_path):
    import docx
    import pandas as pd

    from lkj.document.model import Document, Heading, Paragraph, Part
    from lkj.document.tables import Col, frame_table
    from lkj.render.to_docx import mark_docx_synthetic, write_docx

    wide = frame_table("t", "Lebar", pd.DataFrame({"a": [1]}), [Col("A", "a", "angka")],
                       landscape=True)  # fmt: skip
    blocks = [Heading(1, "BAB I", chapter="1"), Paragraph("x"), wide, Paragraph("y")]
    path = write_docx(Document("d", [Part("p", blocks)]), tmp_path / "d.docx")
    mark_docx_synthetic(path)
    sections = docx.Document(str(path)).sections
    assert len(sections) >= 2  # the landscape table has its own section
    for section in sections:
        texts = [section.header.paragraphs[0].text]
        if section.different_first_page_header_footer:
            texts.append(section.first_page_header.paragraphs[0].text)
        assert all(t.startswith("DATA SINTETIS") for t in texts)


def test_stated_disagreements_follow_the_stated_figures(raw_root, tmp_path):
    """The dashboard's "Angka berbeda" of an OPD (computed on its worker): one stated figure
    changed away from the data adds exactly one; no angka_tertulis, no count."""
    from lkj.analysis.capaian import compute_results
    from lkj.analysis.kualitas import SAME, compare_stated
    from lkj.core.config import load_config
    from lkj.data.ingest import read_raw
    from lkj.pemda.opd_task import stated_disagreements
    from lkj.run.paths import Paths

    config = ROOT / "config" / "lkj.toml"
    paths = Paths(2022, raw_root, tmp_path / "p", tmp_path / "o", config)
    before = stated_disagreements(paths)
    path = raw_root / "2022" / "angka_tertulis.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert before is not None and 0 <= before < len(rows)
    raw = read_raw(2022, raw_root)
    compared = compare_stated(
        raw["angka_tertulis"],
        compute_results(raw.tables, 2022, load_config(config)),
        raw.tables,
        2022,
    )
    same = int(compared.index[compared["status"] == SAME][0])  # a figure the data confirms
    row = rows[same]
    row["nilai"] = row["nilai_tertulis"] = str(int(float(row["nilai"])) + 7)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    assert stated_disagreements(paths) == before + 1
    path.unlink()
    assert stated_disagreements(paths) is None
