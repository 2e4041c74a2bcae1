"""The realisation pattern through the year in 3.4 (a chart and a sentence), for a year whose
data holds quarters (data/raw/README.md, section Triwulan); nothing for a year without them,
whose report reads exactly as before."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from lkj.analysis.triwulan import Evaluasi, evaluate, has_quarters
from lkj.core import numbers
from lkj.core.fmt import format_pct, format_rp
from lkj.document.laporan.data import ReportData

POLA = "grafik_pola_triwulan"
POLA_TITLE = "Pola Realisasi Fisik dan Anggaran per Triwulan (Kumulatif)"
ROMAWI = ("I", "II", "III", "IV")


def quarters_of(d: ReportData) -> Evaluasi | None:
    """The year's four quarters evaluated (``lkj.analysis.triwulan``), or None without them."""
    if not has_quarters(d.raw):
        return None
    return evaluate(d.raw, d.year, 4, str(d.raw_dir))


def draw_pola(d: ReportData) -> dict[str, Any]:
    """{POLA: figure} for ``draw_figures``; {} for a year without quarters."""
    ev = quarters_of(d)
    if ev is None:
        return {}
    from lkj.document.triwulan.grafik import draw_kumulatif

    return {POLA: draw_kumulatif(ev)}


def pola_sentence(d: ReportData) -> str:
    """Spending per quarter and its share of the pagu, e.g. "TW I Rp... (12,50%), ...";
    "" for a year without quarters."""
    ev = quarters_of(d)
    if ev is None:
        return ""
    pagu = sum((numbers.to_decimal(v) or Decimal(0) for v in ev.sub["pagu_rp"]), Decimal(0))
    parts = []
    for q in range(1, 5):
        spent = sum((numbers.to_decimal(v) or Decimal(0) for v in ev.sub[f"rp_{q}"]), Decimal(0))
        share = format_pct(numbers.ratio_pct(spent, pagu))
        parts.append(f"triwulan {ROMAWI[q - 1]} {format_rp(spent)} ({share})")
    return (
        f"Menurut data triwulan, realisasi anggaran tahun {d.year} terbagi: "
        + ", ".join(parts)
        + " dari pagu. Grafik berikut menunjukkan realisasi fisik dan anggaran kumulatif per "
        "triwulan terhadap garis target linear (25% per triwulan)."
    )
