"""The submission package (lkj paket) and the auditor's check (lkj verifikasi), issue 23: the
session's 2022 report signed with a test certificate (tests/test_tandatangan.py's PKI), packed,
checked with ``sha256sum -c``; refused when unsigned or when its data changed since signing;
a signed report verifies with no difference, a re-exported PDF with one altered figure names
that figure."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import RAW_2022
from test_tandatangan import PASSWORD, pki  # noqa: F401 - the module's test PKI fixture

from lkj.tandatangan.paket import PaketError, carried_workbook, paket
from lkj.tandatangan.rekam import changed_since, data_inputs
from lkj.tandatangan.verifikasi import verifikasi

pytestmark = pytest.mark.e2e


def _folders(base: Path, raw: Path | None = None) -> dict:
    return {
        "raw_root": raw or base / "raw",
        "processed": base / "processed" / "2022",
        "output": base / "out" / "2022",
    }


@pytest.fixture(scope="module")
def signed(built_2022, pki, tmp_path_factory):  # noqa: F811
    """The session's 2022 report signed into an archive of this module."""
    from lkj.tandatangan.arsip import tandatangan

    archive = tmp_path_factory.mktemp("arsip_paket")
    target = tandatangan(
        2022, pki["valid"], password=PASSWORD, archive_root=archive, log=lambda _: None,
        **_folders(built_2022),
    )  # fmt: skip
    return archive, target


def test_paket_gathers_every_document_with_checksums(built_2022, signed):
    archive, target = signed
    lines: list[str] = []
    folder = paket(2022, archive_root=archive, log=lines.append, **_folders(built_2022))
    assert folder == archive / "2022" / "paket"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [
            target.name,
            "LKj_2022.docx",
            "LKj_2022_data_mentah.xlsx",
            "LKj_2022_penilaian_mandiri.pdf",
            "LKj_2022_penilaian_mandiri.html",
            "LKj_2022_perjanjian_kinerja.pdf",
            "LKj_2022_iku.pdf",
            "manifest.json",
            "SHA256SUMS",
        ]
    )
    check = subprocess.run(
        ["sha256sum", "-c", "SHA256SUMS"], cwd=folder, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count(": OK") == 8
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    first = manifest["dokumen"][0]
    assert (first["berkas"], first["ditandatangani_oleh"]) == (target.name, "YUSMAWANDI, S.Pd")
    assert target.read_bytes() == (folder / target.name).read_bytes()
    # the data workbook is the one the signed PDF carries, byte for byte
    assert (folder / "LKj_2022_data_mentah.xlsx").read_bytes() == carried_workbook(
        target.read_bytes()
    )[1]
    assert all(not k.startswith(("lkj/", "notebooks/")) for k in manifest["data"]["masukan"])
    assert any(k.endswith("2022/kinerja_indikator.csv") for k in manifest["data"]["masukan"])


def test_paket_refuses_an_unsigned_report(built_2022, tmp_path):
    with pytest.raises(PaketError, match="belum ada laporan yang ditandatangani"):
        paket(2022, archive_root=tmp_path / "arsip", log=lambda _: None, **_folders(built_2022))


def test_paket_refuses_data_changed_since_signing(built_2022, pki, tmp_path):  # noqa: F811
    from lkj.tandatangan.arsip import tandatangan

    raw = tmp_path / "raw"
    shutil.copytree(RAW_2022, raw / "2022")
    archive = tmp_path / "arsip"
    pdf = built_2022 / "out" / "2022" / "LKj_2022.pdf"
    folders = _folders(built_2022, raw)
    tandatangan(
        2022, pki["valid"], pdf, password=PASSWORD, archive_root=archive, log=lambda _: None,
        **folders,
    )  # fmt: skip
    path = raw / "2022" / "kinerja_indikator.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("I2,2022,60,60", "I2,2022,60,59"))
    with pytest.raises(PaketError) as err:
        paket(2022, archive_root=archive, log=lambda _: None, **folders)
    assert "kinerja_indikator.csv (berubah)" in str(err.value)
    assert "sejak laporan ditandatangani" in str(err.value)


def test_a_newer_lkj_alone_is_not_stale():
    record = {"masukan": data_inputs({"data/raw/2022/a.csv": "1", "config": "2"})}
    now = {"data/raw/2022/a.csv": "1", "config": "2", "lkj/cli.py": "3", "notebooks/x": "4"}
    assert changed_since(record, now) == []
    assert changed_since(record, {**now, "config": "9"}) == ["config (berubah)"]


def test_verifikasi_of_the_signed_report_finds_no_difference(signed, pki, tmp_path):  # noqa: F811
    _, target = signed
    root = tmp_path / "ca.pem"
    root.write_bytes(pki["ca"].dump())  # DER
    lines: list[str] = []
    result = verifikasi(target, [root], log=lines.append)
    assert result.selisih == []
    assert result.sah and result.ok
    assert "  tepercaya (akar yang diberikan): ya" in lines
    assert result.tabel > 30


def test_verifikasi_names_an_altered_figure(built_2022, tmp_path):
    """The report's document with one figure of a numbered table and one of an unnumbered
    table changed, exported again with the data it carries: the check names those figures,
    and only them."""
    from lkj.document import laporan
    from lkj.render.to_pdf import Attachment, render_pdf

    base = built_2022
    d = laporan.load_report_data(
        2022, base / "processed" / "2022", base / "out" / "2022", None, base / "raw" / "2022"
    )
    doc = laporan.report_document(d)
    table = doc.table("evaluasi_indikator")
    j = table.headers.index("Capaian Kinerja (%)")
    row = list(table.rows[1])
    assert row[j].plain == "100,00"
    row[j] = dataclasses.replace(row[j], text="99,00")
    table.rows[1] = tuple(row)
    # and one figure of an unnumbered table (the efficiency of sasaran S1): compared too
    eff = doc.table("efisiensi_sasaran_S1")
    k = eff.headers.index("Indeks efisiensi")
    tokens = [c.plain for r in [*eff.rows, *eff.foot] for c in r]
    i = next(i for i, r in enumerate(eff.rows) if tokens.count(r[k].plain) == 1)
    eff_row = list(eff.rows[i])
    before = eff_row[k].plain
    eff_row[k] = dataclasses.replace(eff_row[k], text="9,99")
    eff.rows[i] = tuple(eff_row)
    name, book = carried_workbook((base / "out" / "2022" / "LKj_2022.pdf").read_bytes())
    (tmp_path / name).write_bytes(book)
    altered = tmp_path / "diubah.pdf"
    altered.write_bytes(render_pdf(doc, attachments=[Attachment(tmp_path / name, "Data")]))
    result = verifikasi(altered, log=lambda _: None)
    assert not result.sah
    assert result.selisih == [
        f"{table.caption}, baris '{row[1].plain}', kolom 'Capaian Kinerja (%)': hasil hitung "
        "ulang 100,00 tidak tertulis (tertulis: 99,00)",
        f"Tabel tanpa nomor '{eff.title}', baris '{eff_row[1].plain}', kolom 'Indeks "
        f"efisiensi': hasil hitung ulang {before} tidak tertulis (tertulis: 9,99)",
    ]


def test_cli_verifikasi_refuses_what_it_cannot_read(tmp_path, capsys):
    from lkj.cli import main

    assert main(["verifikasi", "--pdf", str(tmp_path / "tidak_ada.pdf")]) == 1
    assert "tidak_ada.pdf: tidak dapat dibaca" in capsys.readouterr().err
    (tmp_path / "a.pdf").write_bytes(b"bukan pdf")
    assert main(["verifikasi", "--pdf", str(tmp_path / "a.pdf")]) == 1
    assert "a.pdf: bukan berkas PDF" in capsys.readouterr().err


def test_numbers_inside_a_path_or_an_identifier_are_not_figures():
    """The layout cuts a long word (a path, a checksum) anywhere inside its cell, so a number in
    it may print as "202 2": verifikasi compares the figures of a cell, not the digits of its
    paths. A figure beside a path is still compared; a changed one is still named."""
    from lkj.document.tables import Cell, Column, Table
    from lkj.tandatangan.verifikasi import compare_tables

    error = "../tmp/pemda/opd/02/2022/sub_kegiatan.csv, baris 5: ditemukan 1.500.000"
    columns = (Column("OPD"), Column("Keterangan"))
    table = Table("t", "Temuan", columns, [(Cell("gagal"), Cell(error))], label="Tabel L.1")
    lines = ["Tabel L.1 Temuan", "OPD Keterangan", "gagal ../tmp/pemda/opd/02/202", "2/sub_ke",
             "giatan.csv, baris 5: ditemukan 1.500.000"]  # fmt: skip
    assert compare_tables(lines, [table]) == []
    lines[-1] = "giatan.csv, baris 5: ditemukan 1.400.000"
    assert compare_tables(lines, [table]) == [
        "Tabel L.1 Temuan, baris 'gagal', kolom 'Keterangan': hasil hitung ulang 1.500.000 "
        "tidak tertulis (tertulis: 1.400.000)"
    ]
