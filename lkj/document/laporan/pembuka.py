"""The front matter: cover, Kata Pengantar, Daftar Isi and the one-page Ringkasan
Eksekutif."""

from __future__ import annotations

import pandas as pd

from lkj.analysis.kualitas import DIFFERENT
from lkj.core.fmt import format_pct, format_rp
from lkj.document.laporan.data import ReportData, _blocks, _signature, _year_rows
from lkj.document.model import Block, Cover, Toc
from lkj.document.sampul import SIGNATURE_ANCHOR, cover_data
from lkj.document.tables import Col, frame_table


def sampul_blocks(d: ReportData) -> list[Block]:
    """The cover page (lambang daerah, title as set in [dokumen], agency; lkj.document.sampul)."""
    data = cover_data(d.info, d.year, d.raw_dir, d.config.dokumen)
    cover = Cover(
        title=(data.title,),
        subtitle=data.urusan,
        organisation=(data.agency, data.pemda),
        image=data.lambang,
        synthetic=data.synthetic,
    )
    return _blocks(d, "sampul", sampul=cover)


def kata_pengantar_blocks(d: ReportData) -> list[Block]:
    """Kata Pengantar: the agency's text, then the signature."""
    # the first signature block is the one signed electronically (its PDF field)
    return _blocks(d, "kata_pengantar", ttd=_signature(d, anchor=SIGNATURE_ANCHOR))


def daftar_isi_blocks(d: ReportData | None = None) -> list[Block]:
    """The table of contents (each renderer fills it)."""
    return [Toc()]


def ringkasan_eksekutif_blocks(d: ReportData) -> list[Block]:
    """One page: capaian per sasaran, budget absorption, category counts, main findings."""
    res, year = d.res, d.year
    ind = _year_rows(d, year).merge(
        res.sasaran[["kode_sasaran", "serapan_pct"]], on="kode_sasaran", how="left"
    )
    total = res.ringkasan.set_index("sumber").loc["sub_kegiatan"]
    labels = d.config.realisasi.labels
    sub = res.sub_kegiatan
    findings = [
        f"Predikat {len(ind)} indikator kinerja sasaran: "
        + ", ".join(f"{p} ({n})" for p, n in ind["predikat"].value_counts().items())
        + ".",
        f"Realisasi anggaran {format_rp(total.realisasi_rp)} dari {format_rp(total.anggaran_rp)} "
        f"({format_pct(total.serapan_pct)}); SILPA {format_rp(total.silpa_rp)}.",
    ]
    prog = res.program.sort_values("serapan_pct")
    low, high = prog.iloc[0], prog.iloc[-1]
    findings.append(
        f"Serapan program tertinggi: {high.nama_program} ({format_pct(high.serapan_pct)}); "
        f"terendah: {low.nama_program} ({format_pct(low.serapan_pct)})."
    )
    below = sub[sub["capaian_fisik_pct"] < 100]
    if len(below):
        findings.append(
            f"{len(below)} sub kegiatan belum mencapai target fisik: "
            + "; ".join(
                f"{r.nama_sub_kegiatan} ({format_pct(r.capaian_fisik_pct)})"
                for r in below.itertuples()
            )
            + "."
        )
    differences = int((d.kualitas["status"] == DIFFERENT).sum())
    if differences:
        findings.append(
            f"{differences} angka yang tertulis dalam dokumen sumber berbeda dari hasil "
            "perhitungan; laporan ini memakai angka hasil perhitungan (lihat Catatan Kualitas "
            "Data)."
        )
    counts = (
        pd.DataFrame(
            {
                "Capaian fisik": sub["kategori_fisik"].value_counts(),
                "Realisasi anggaran": sub["kategori_anggaran"].value_counts(),
            }
        )
        .reindex(labels)
        .fillna(0)
        .astype(int)
    )
    counts = counts.reset_index(names="kategori")
    capaian = frame_table(
        "ringkasan_capaian_sasaran",
        f"Capaian Sasaran Strategis Tahun {year}",
        ind,
        [
            Col("Sasaran", "uraian_sasaran", width=2),
            Col("Indikator", "uraian_indikator", width=2),
            Col("Target", "target", "desimal"),
            Col("Realisasi", "realisasi", "desimal"),
            Col("Capaian (%)", "capaian_pct", "pct"),
            Col("Predikat", "predikat", "kategori", "warna_predikat"),
            Col("Serapan anggaran sasaran (%)", "serapan_pct", "pct"),
        ],
    )
    kategori = frame_table(
        "ringkasan_jumlah_kategori",
        f"Jumlah Sub Kegiatan per Kategori (dari {len(sub)} sub kegiatan)",
        counts,
        [
            Col("Kategori", "kategori"),
            Col("Capaian fisik", "Capaian fisik", "angka"),
            Col("Realisasi anggaran", "Realisasi anggaran", "angka"),
        ],
        total={"Capaian fisik": len(sub), "Realisasi anggaran": len(sub)},
        number=False,
    )
    return _blocks(d, "ringkasan_eksekutif", capaian=capaian, kategori=kategori, temuan=findings)
