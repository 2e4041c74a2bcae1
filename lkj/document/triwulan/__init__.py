"""The quarter's evaluation of the Renja as one document of the table model (rendered by the
same renderers as the yearly report: ``lkj.render.to_html``, ``to_pdf``, ``to_docx``).

Parts: the cover; I the E.81 table; II capaian to date (against the year's target and the
plan); III the early warnings with their method; IV faktor pendorong, penghambat and tindak
lanjut (narasi/tw<q>_*.md); the data notes (typed yearly figures that differ from their
quarters, quarters not reported).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from markupsafe import Markup

from lkj.analysis.triwulan import METODE, Evaluasi
from lkj.core.fmt import format_angka, format_pct
from lkj.document.model import (
    Block,
    Cover,
    Document,
    Figure,
    Heading,
    ListBlock,
    Paragraph,
    Part,
    Toc,
    number_blocks,
    parse_blocks,
)
from lkj.document.narasi import NARASI_DIR, render_text
from lkj.document.sampul import find_lambang, info_lookup, is_synthetic
from lkj.document.triwulan.e81 import ROMAWI, TIDAK_TERSEDIA, e81_table
from lkj.document.triwulan.grafik import KUMULATIF, PERINGATAN, TITLES
from lkj.document.triwulan.tabel import (
    capaian_indikator_table,
    capaian_sub_table,
    peringatan_table,
    selisih_table,
)

NARASI = {
    "faktor_pendorong": "Faktor Pendorong",
    "faktor_penghambat": "Faktor Penghambat",
    "tindak_lanjut": "Tindak Lanjut",
}
"""The narrative files of quarter q: narasi/tw<q>_<name>.md."""


def narasi_name(tw: int, name: str) -> str:
    """narasi/tw2_faktor_pendorong.md -> "tw2_faktor_pendorong"."""
    return f"tw{tw}_{name}"


def _chapter(n: str, text: str) -> Heading:
    return Heading(1, text, chapter=n, page_break=True)


def _narrative(raw_dir: Path, tw: int, year: int, name: str) -> list[Block]:
    path = Path(raw_dir) / NARASI_DIR / f"{narasi_name(tw, name)}.md"
    if not path.is_file():
        return [Paragraph(f"(Belum diisi: {NARASI_DIR}/{path.name}.)", "catatan")]
    values = {"tahun": year, "triwulan": ROMAWI[tw]}
    shown = "/".join(path.parts[-4:])
    html = render_text(path.read_text(encoding="utf-8-sig"), values, shown)
    return parse_blocks(str(Markup(html)), source=shown)


def _sentence_capaian(ev: Evaluasi) -> str:
    sub = ev.sub
    pagu = sub["pagu_rp"].sum()
    spent = sub["rp_sd"].fillna(0).sum()
    from lkj.core import numbers

    serapan = numbers.ratio_pct(numbers.to_decimal(spent), numbers.to_decimal(pagu))
    return (
        f"Sampai dengan triwulan {ROMAWI[ev.tw]} tahun {ev.year}, realisasi anggaran "
        f"{len(sub)} sub kegiatan mencapai Rp{format_angka(spent)} dari pagu yang berlaku "
        f"Rp{format_angka(pagu)} ({format_pct(serapan)})."
    )


def _figure(figures: dict[str, Path], key: str) -> list[Block]:
    if key not in figures:
        return []
    return [Figure(key, Path(figures[key]), TITLES[key])]


def _warning_blocks(ev: Evaluasi, figures: dict[str, Path]) -> list[Block]:
    warnings = ev.peringatan
    blocks: list[Block] = [
        _chapter("3", "BAB III PERINGATAN DINI"),
        Paragraph(f"Metode: {METODE}"),
    ]
    if warnings.empty:
        blocks.append(
            Paragraph(
                "Tidak ada sub kegiatan atau indikator yang diproyeksikan tidak mencapai "
                "target tahun ini."
            )
        )
        return blocks
    n_sub = warnings[warnings["entitas"] == "sub_kegiatan"]["kode"].nunique()
    n_ind = warnings[warnings["entitas"] == "indikator"]["kode"].nunique()
    blocks.append(
        Paragraph(
            f"Dengan laju sampai triwulan {ROMAWI[ev.tw]}, {n_sub} sub kegiatan dan {n_ind} "
            "indikator diproyeksikan tidak mencapai target tahun ini:"
        )
    )
    blocks.append(peringatan_table(ev))
    blocks += _figure(figures, PERINGATAN)
    return blocks


def _data_notes(ev: Evaluasi, synthetic: bool) -> list[Block]:
    blocks: list[Block] = [Heading(2, "Catatan Kualitas Data Triwulan")]
    if synthetic:
        blocks.append(Paragraph("DATA SINTETIS: bukan data kinerja sebenarnya.", "catatan"))
    blocks.append(
        Paragraph(
            f"Angka realisasi tahunan yang tertulis dibandingkan dengan angka yang dihitung dari "
            f"keempat triwulannya: {ev.dibandingkan} angka dibandingkan, {len(ev.selisih)} "
            "berbeda. Laporan ini memakai angka triwulan; angka tertulis yang berbeda "
            "ditampilkan di bawah, tidak dipakai."
        )
    )
    if len(ev.selisih):
        blocks.append(selisih_table(ev))
    if ev.belum_lapor:
        items = [f"{kode}: triwulan {ROMAWI[q]}" for kode, q in ev.belum_lapor]
        blocks.append(Paragraph("Sub kegiatan tanpa realisasi yang dilaporkan:"))
        blocks.append(ListBlock(tuple(items)))
    if ev.renstra is None:
        blocks.append(
            Paragraph(
                f"Tabel renstra_program tidak ada: kolom Renstra program, kegiatan dan sub "
                f"kegiatan pada tabel E.81 tertulis '{TIDAK_TERSEDIA}'.",
                "catatan",
            )
        )
    return blocks


def triwulan_document(
    ev: Evaluasi,
    tables: dict[str, pd.DataFrame],
    raw_dir: Path | str,
    figures: dict[str, Path],
) -> Document:
    """The quarter's evaluation as one numbered document.

    Args:
        ev: the evaluation (``lkj.analysis.triwulan.evaluate``).
        tables: the year's raw tables.
        raw_dir: data/raw/YEAR (the narasi and the lambang).
        figures: the charts drawn (``lkj.document.triwulan.grafik.draw_figures``).

    Returns:
        The document.
    """
    raw_dir = Path(raw_dir)
    info = info_lookup(tables["instansi"])
    synthetic = is_synthetic(info)
    agency, pemda = info("nama_instansi").strip(), info("kabupaten").strip()
    tw, year = ev.tw, ev.year
    cover = Cover(
        title=("EVALUASI HASIL RENJA PERANGKAT DAERAH", f"TRIWULAN {ROMAWI[tw]} TAHUN {year}"),
        subtitle=info("urusan").strip(),
        organisation=(agency, pemda),
        image=find_lambang(info("lambang").strip(), raw_dir),
        synthetic=synthetic,
    )
    parts = [
        Part("sampul", [cover]),
        Part("daftar_isi", [Toc()]),
        Part("e81", _e81_blocks(ev, tables)),
        Part("capaian", _capaian_blocks(ev, figures)),
        Part("peringatan", _warning_blocks(ev, figures)),
        Part("faktor", _faktor_blocks(ev, raw_dir, synthetic)),
    ]
    doc = Document(
        title=f"Evaluasi Renja Triwulan {ROMAWI[tw]} Tahun {year} {agency}".strip(),
        parts=parts,
        author=agency,
    )
    number_blocks(doc.blocks)
    return doc


def _e81_blocks(ev: Evaluasi, tables: dict[str, Any]) -> list[Block]:
    return [
        _chapter("1", "BAB I EVALUASI HASIL RENJA (E.81)"),
        Paragraph(
            "Tabel berikut mengikuti format Evaluasi terhadap Hasil Renja Perangkat Daerah "
            "(Permendagri 86/2017): untuk setiap sasaran, program, kegiatan dan sub kegiatan, "
            "kinerja (K) dan anggaran (Rp). Realisasi per triwulan adalah angka triwulan itu "
            "sendiri; realisasi s.d. triwulan dihitung dari triwulan-triwulannya (aturan jumlah "
            "atau akhir per indikator); K sub kegiatan adalah realisasi fisiknya."
        ),
        e81_table(ev, tables),
    ]


def _capaian_blocks(ev: Evaluasi, figures: dict[str, Path]) -> list[Block]:
    return [
        _chapter("2", f"BAB II CAPAIAN S.D. TRIWULAN {ROMAWI[ev.tw]}"),
        Paragraph(_sentence_capaian(ev)),
        Paragraph(
            "Capaian dihitung terhadap target tahun ini (anggaran: pagu yang berlaku pada "
            "triwulan ini, murni atau perubahan) dan, bila rencana per triwulan diisi, "
            "terhadap rencana s.d. triwulan ini."
        ),
        capaian_sub_table(ev),
        capaian_indikator_table(ev),
        *_figure(figures, KUMULATIF),
    ]


def _faktor_blocks(ev: Evaluasi, raw_dir: Path, synthetic: bool) -> list[Block]:
    blocks: list[Block] = [_chapter("4", "BAB IV FAKTOR PENDORONG, PENGHAMBAT DAN TINDAK LANJUT")]
    for n, (name, title) in enumerate(NARASI.items(), start=1):
        blocks.append(Heading(2, f"4.{n} {title}"))
        blocks += _narrative(raw_dir, ev.tw, ev.year, name)
    blocks += _data_notes(ev, synthetic)
    return blocks
