"""The "Penilaian Mandiri Pelaporan Kinerja" as a document of its own, beside the report.

Built of the table model of ``lkj.document``, never a part of the signed LKj; rendered by the
report's renderers (``lkj.render.lkjip_html.render_html``, ``lkj.render.to_pdf.render_pdf``).

    p = nilai_laporan(d, report_document(d))
    doc = penilaian_document(p, d)
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from lkj.core.fmt import format_nilai
from lkj.core.lke import format_tanggal
from lkj.document.model import Document, Heading, ListBlock, Paragraph, Part, number_blocks
from lkj.document.penilaian.nilai import Hasil, Penilaian
from lkj.document.penilaian.periksa import BELUM
from lkj.document.tables import Cell, Column, Table, cell

TITLE = "PENILAIAN MANDIRI PELAPORAN KINERJA"
STATUS = {"ya": "Terpenuhi", "tidak": "Tidak terpenuhi", BELUM: "Belum dinilai"}


def _skor(value: Decimal | None) -> Cell:
    return cell(value, "indeks") if value is not None else cell("-")


def _item_row(h: Hasil) -> tuple[Cell, ...]:
    t = h.temuan
    cover = ""
    if t.graded:
        cover = f"{len(t.covered)} dari {len(t.total)} indikator"
        if t.covered:
            cover += f" ({', '.join(t.covered)})"
    return (
        cell(h.butir.kode),
        cell(h.butir.uraian),
        cell(h.butir.jawaban),
        cell(STATUS[t.status]),
        cell(cover),
        cell(h.cakupan_pct, "pct") if h.cakupan_pct is not None else cell("-"),
        cell(h.nilai or "-"),
        _skor(h.skor),
        Cell("\n".join(t.bukti) or "-", t.bukti),
        Cell("\n".join(t.kurang) or "-", t.kurang),
    )


ITEM_COLUMNS = (
    Column("Kode", width=0.6),
    Column("Kriteria", width=2.4),
    Column("Jenis Jawaban", width=0.7),
    Column("Hasil", width=0.9),
    Column("Indikator tercakup", width=1.3),
    Column("Cakupan (%)", "pct", width=0.8),
    Column("Nilai", width=0.5),
    Column("Skor", "indeks", width=0.6),
    Column("Bukti dalam laporan / arsip", width=2.2),
    Column("Kekurangan", width=2),
)


def sub_table(p: Penilaian, index: int) -> Table:
    """The items of one sub-component, answered."""
    s = p.sub[index]
    return Table(
        f"penilaian_{s.kode.replace('.', '_')}",
        f"Penilaian Mandiri {s.kode} {s.nama} (bobot {format_nilai(s.bobot)})",
        ITEM_COLUMNS,
        [_item_row(h) for h in s.hasil],
        foot=[
            (
                Cell("Skor sub komponen", bold=True, colspan=7),
                cell(s.skor, "indeks", bold=True),
                cell(""),
                cell(""),
            )
        ],
        small=True,
    )


def ringkasan_table(p: Penilaian) -> Table:
    """Weight and score of each sub-component, and the component's."""
    rows = []
    for s in p.sub:
        belum = sum(1 for h in s.hasil if h.temuan.status == BELUM)
        rows.append(
            (
                cell(s.kode),
                cell(s.nama),
                cell(s.bobot, "desimal"),
                cell(s.skor, "indeks"),
                cell(len(s.hasil), "angka"),
                cell(belum, "angka"),
            )
        )
    total = sum((s.bobot for s in p.sub), Decimal(0))
    return Table(
        "penilaian_ringkasan",
        f"Ringkasan Nilai Komponen {p.lke.komponen} Tahun {p.year}",
        (
            Column("Kode"),
            Column("Sub Komponen", width=2),
            Column("Bobot", "desimal"),
            Column("Skor", "indeks"),
            Column("Jumlah butir", "angka"),
            Column("Belum dinilai", "angka"),
        ),
        rows,
        foot=[
            (
                Cell("Jumlah", bold=True, colspan=2),
                cell(total, "desimal", bold=True),
                cell(p.skor, "indeks", bold=True),
                cell(sum(len(s.hasil) for s in p.sub), "angka", bold=True),
                cell(p.belum, "angka", bold=True),
            )
        ],
    )


def nilai_table(p: Penilaian) -> Table:
    """The grades by coverage (config/lke.toml [[nilai]])."""
    return Table(
        "penilaian_skala",
        "Nilai Butir Berdasarkan Cakupan Indikator",
        (Column("Nilai"), Column("Cakupan indikator"), Column("Skor", "indeks")),
        [(cell(n.huruf), cell(n.uraian), cell(n.skor, "indeks")) for n in p.lke.nilai],
    )


def penilaian_document(p: Penilaian, d: Any = None, org: str = "") -> Document:
    """The self-assessment of a report as a numbered document.

    Args:
        p: the assessment (``lkj.document.penilaian.nilai.nilai_laporan`` or ``nilai_lkjip``).
        d: the OPD report's data (``lkj.document.laporan.ReportData``: the agency's name).
        org: the name of the organisation instead of ``d``'s (the pemda's, for the LKjIP).

    Returns:
        The document.
    """
    if d is not None:
        org = f"{d.info('nama_instansi')} {d.info('kabupaten')}".strip()
    signed = p.arsip.tanggal_tandatangan
    arsip = f"arsip/{p.year}/{p.arsip.path.name}"
    if p.jenis == "LKjIP":  # arsip/pemda/<kode>/YEAR/penilaian.toml
        arsip = "/".join(p.arsip.path.parts[-5:])
    blocks: list = [
        Heading(1, f"{TITLE} TAHUN {p.year}", chapter="P"),
        Paragraph(f"{org}. Laporan yang dinilai: {p.jenis} Tahun {p.year}."),
        Paragraph(
            f"Kriteria: {p.lke.dasar} (bobot komponen {format_nilai(p.lke.bobot_komponen)}), "
            f"dibaca dari {p.lke.path.name}. Dokumen ini bukan bagian dari {p.jenis} yang "
            "ditandatangani."
        ),
        Paragraph(
            f"Batas waktu penyampaian: {format_tanggal(p.batas)} ({p.bulan} bulan "
            f"setelah akhir tahun anggaran; {p.lke.batas_dasar}). Tanggal penandatanganan: "
            + (f"{format_tanggal(signed)} ({p.arsip.sumber_tanggal})." if signed else "belum ada.")
        ),
        Heading(2, "Ringkasan"),
        ringkasan_table(p),
        Paragraph(
            f"Skor komponen {format_nilai(p.skor)} dari {format_nilai(p.lke.bobot_komponen)}"
            + (
                f"; {p.belum} butir belum dinilai dihitung 0 (fakta di luar laporan dicatat di "
                f"{arsip})."
                if p.belum
                else "."
            )
        ),
        Heading(2, "Cara menilai"),
        ListBlock(
            (
                "Butir Y/T: Ya bernilai 1, Tidak bernilai 0.",
                "Butir A-E: cakupan = indikator yang tercakup / seluruh indikator tahun ini x "
                "100 (dibulatkan 2 desimal), nilai menurut tabel di bawah.",
                "Skor sub komponen = bobot x rata-rata nilai butirnya; skor komponen = jumlah "
                "skor sub komponen.",
            )
        ),
        nilai_table(p),
    ]
    blocks.append(Heading(2, "Butir Penilaian"))
    blocks += [sub_table(p, i) for i in range(len(p.sub))]
    doc = Document(
        title=f"Penilaian Mandiri Pelaporan Kinerja Tahun {p.year} {org}".strip(),
        parts=[Part("penilaian", blocks)],
        author=org,
    )
    number_blocks(doc.blocks)
    return doc
