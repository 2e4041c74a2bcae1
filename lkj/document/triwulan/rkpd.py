"""The pemda's quarter (evaluation of the RKPD, E.79, rolled up from each OPD's E.81): one
document of the table model with the OPDs (those with early warnings first) and the sasaran
RPJMD their sasaran serve."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pandas as pd

from lkj.analysis.triwulan import METODE, Evaluasi
from lkj.core import numbers
from lkj.document.model import Cover, Document, Heading, Paragraph, Part, Toc, number_blocks
from lkj.document.tables import Col, frame_table
from lkj.document.triwulan.e81 import ROMAWI


def _dec(value: Any) -> Decimal:
    return numbers.to_decimal(value) or Decimal(0)


def _totals(sub: pd.DataFrame) -> dict[str, float]:
    """Pagu in force, spending to date, serapan, and the pagu-weighted capaian fisik."""
    pagu = sum((_dec(v) for v in sub["pagu_rp"]), Decimal(0))
    spent = sum((_dec(v) for v in sub["rp_sd"]), Decimal(0))
    weighted = [(_dec(c), _dec(p)) for c, p in zip(sub["capaian_fisik_pct"], sub["pagu_rp"],
                                                  strict=True) if c == c]  # fmt: skip
    weight = sum((p for _, p in weighted), Decimal(0))
    fisik = (
        numbers.round_half_up(sum((c * p for c, p in weighted), Decimal(0)) / weight, 2)
        if weight
        else None
    )
    return {
        "pagu_rp": float(pagu),
        "rp_sd": float(spent),
        "serapan_pct": numbers.as_float(numbers.ratio_pct(spent, pagu)),
        "capaian_fisik_pct": numbers.as_float(fisik),
    }


def opd_row(kode_opd: str, nama_opd: str, ev: Evaluasi) -> dict[str, Any]:
    """One OPD's line of the roll-up."""
    warn = ev.peringatan
    return {
        "kode_opd": kode_opd,
        "nama_opd": nama_opd,
        **_totals(ev.sub),
        "peringatan_sub": int(warn[warn["entitas"] == "sub_kegiatan"]["kode"].nunique()),
        "peringatan_indikator": int((warn["entitas"] == "indikator").sum()),
    }


def sasaran_rows(
    kode_opd: str, ev: Evaluasi, tables: dict[str, pd.DataFrame], cascade: pd.DataFrame
) -> list[dict[str, Any]]:
    """The OPD's sub kegiatan by the sasaran RPJMD their program's sasaran serves
    (``sasaran_opd``); support programs are left out."""
    program = tables["program"].set_index("kode_program")["kode_sasaran"]
    links = cascade[cascade["kode_opd"] == kode_opd].set_index("kode_sasaran")["kode_sasaran_rpjmd"]
    sub = ev.sub.copy()
    sub["kode_sasaran"] = [program.get(p) for p in sub["kode_program"]]
    sub["rpjmd"] = [links.get(s) if isinstance(s, str) and s else None for s in sub["kode_sasaran"]]
    return [{"kode_sasaran_rpjmd": k, "sub": g} for k, g in sub.groupby("rpjmd") if k]


def rkpd_document(
    year: int, tw: int, nama_pemda: str, synthetic: bool, opd: pd.DataFrame, sasaran: pd.DataFrame
) -> Document:
    """The pemda's quarter as one numbered document.

    Args:
        year, tw: the quarter.
        nama_pemda: the pemda's name.
        synthetic: built from synthetic data.
        opd: per OPD (``opd_row``), sorted: warnings first.
        sasaran: per sasaran RPJMD: kode, uraian, pagu_rp, rp_sd, serapan_pct,
            capaian_fisik_pct, jumlah_opd.
    """
    q = ROMAWI[tw]
    cover = Cover(
        title=("EVALUASI HASIL RKPD", f"TRIWULAN {q} TAHUN {year}"),
        subtitle="Rekapitulasi evaluasi Renja perangkat daerah",
        organisation=(nama_pemda,),
        synthetic=synthetic,
    )
    sd = f"s.d. TW {q}"
    opd_table = frame_table(
        "rkpd_opd",
        f"Evaluasi Renja Perangkat Daerah s.d. Triwulan {q} Tahun {year}",
        opd,
        [Col("Kode", "kode_opd"), Col("Perangkat Daerah", "nama_opd", width=2.0),
         Col("Pagu berlaku (Rp)", "pagu_rp", "rp"), Col(f"Realisasi {sd} (Rp)", "rp_sd", "rp"),
         Col("Serapan (%)", "serapan_pct", "pct"),
         Col("Capaian fisik (%)", "capaian_fisik_pct", "pct"),
         Col("Sub kegiatan diperingatkan", "peringatan_sub", "angka"),
         Col("Indikator diperingatkan", "peringatan_indikator", "angka")],
    )  # fmt: skip
    sasaran_table = frame_table(
        "rkpd_sasaran",
        f"Evaluasi per Sasaran RPJMD s.d. Triwulan {q} Tahun {year}",
        sasaran,
        [Col("Kode", "kode_sasaran_rpjmd"), Col("Sasaran RPJMD", "uraian", width=2.0),
         Col("Jumlah OPD", "jumlah_opd", "angka"), Col("Pagu berlaku (Rp)", "pagu_rp", "rp"),
         Col(f"Realisasi {sd} (Rp)", "rp_sd", "rp"), Col("Serapan (%)", "serapan_pct", "pct"),
         Col("Capaian fisik (%)", "capaian_fisik_pct", "pct")],
    )  # fmt: skip
    blocks = [
        Heading(1, "BAB I EVALUASI HASIL RKPD PER PERANGKAT DAERAH", chapter="1", page_break=True),
        Paragraph(
            "Perangkat daerah dengan peringatan dini (sub kegiatan atau indikator yang dengan "
            f"laju s.d. triwulan {q} diproyeksikan tidak mencapai target tahun ini) ditampilkan "
            f"lebih dahulu. Metode: {METODE}"
        ),
        opd_table,
        Heading(1, "BAB II EVALUASI PER SASARAN RPJMD", chapter="2", page_break=True),
        Paragraph(
            "Sub kegiatan dijumlahkan menurut sasaran RPJMD yang didukung sasaran perangkat "
            "daerahnya (sasaran_opd.csv); program penunjang tidak termasuk."
        ),
        sasaran_table,
    ]
    if synthetic:
        blocks.append(Paragraph("DATA SINTETIS: bukan data kinerja sebenarnya.", "catatan"))
    doc = Document(
        title=f"Evaluasi Hasil RKPD Triwulan {q} Tahun {year} {nama_pemda}".strip(),
        parts=[Part("sampul", [cover]), Part("daftar_isi", [Toc()]), Part("isi", blocks)],
        author=nama_pemda,
    )
    number_blocks(doc.blocks)
    return doc


def sasaran_frame(groups: list[tuple[str, dict]], uraian: dict[str, str]) -> pd.DataFrame:
    """Per sasaran RPJMD, the totals of the sub kegiatan of every OPD serving it.

    Args:
        groups: (kode_opd, {"kode_sasaran_rpjmd", "sub"}) of every OPD.
        uraian: the sasaran RPJMD's text by code.
    """
    by_code: dict[str, list[pd.DataFrame]] = {}
    opds: dict[str, set[str]] = {}
    for kode_opd, g in groups:
        by_code.setdefault(g["kode_sasaran_rpjmd"], []).append(g["sub"])
        opds.setdefault(g["kode_sasaran_rpjmd"], set()).add(kode_opd)
    rows = []
    for code in sorted(by_code):
        rows.append(
            {
                "kode_sasaran_rpjmd": code,
                "uraian": uraian.get(code, ""),
                "jumlah_opd": len(opds[code]),
                **_totals(pd.concat(by_code[code], ignore_index=True)),
            }
        )
    return pd.DataFrame(rows)
