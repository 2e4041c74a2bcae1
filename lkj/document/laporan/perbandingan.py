"""Bab III, 3.5: this year against the earlier years (``lkj.analysis.riwayat``): the
indikator capaian and the budget per year, with their figures."""

from __future__ import annotations

from typing import Any

from lkj.analysis import riwayat
from lkj.analysis.riwayat import comparison_text
from lkj.core import numbers
from lkj.document.grafik_riwayat import FIGURE_CAPAIAN, FIGURE_SERAPAN
from lkj.document.laporan.data import ReportData, _figure
from lkj.document.tables import Cell, Col, frame_table


def _span(years: list[int]) -> str:
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"


def perbandingan_antar_tahun(d: ReportData) -> dict[str, Any]:
    """3.5: this year against last year and every earlier year in data/raw
    (lkj.analysis.riwayat)."""
    history = d.history
    wide = history.capaian_wide()
    ind_years = sorted(
        int(c.removeprefix("capaian_")) for c in wide.columns if c.startswith("capaian_")
    )
    cols = [Col("Kode", "kode_indikator"), Col("Indikator Kinerja", "uraian_indikator", width=2)]
    cols += [Col("Satuan", "satuan")]
    cols += [Col(f"Capaian {y} (%)", f"capaian_{y}", "pct") for y in ind_years]
    prev = history.previous
    if prev in ind_years and history.year in ind_years:
        wide["perubahan"] = [
            numbers.as_float(riwayat.difference(now, before))
            for now, before in zip(
                wide[f"capaian_{history.year}"], wide[f"capaian_{prev}"], strict=True
            )
        ]
        signed = riwayat.signed("perubahan")  # the history's own rounding of a change
        cols.append(
            Col(
                f"Perubahan {prev}–{history.year} (poin)",
                lambda r: Cell(signed(r), r["perubahan"], "desimal"),
            )
        )
    if history.year in ind_years:
        cols.append(Col(f"Predikat {history.year}", "predikat", "kategori", "warna_predikat"))
    budget_years = [int(t) for t in history.anggaran["tahun"]]
    ind_span, budget_span = _span(ind_years), _span(budget_years)
    return {
        "kalimat": comparison_text(history),
        "capaian": frame_table(
            "riwayat_capaian",
            f"Capaian Indikator Kinerja Sasaran Tahun {ind_span}",
            wide,
            cols,
        ),
        "grafik_capaian": _figure(
            d, FIGURE_CAPAIAN, f"Capaian Indikator Kinerja Sasaran Tahun {ind_span}", "Grafik"
        ),
        "anggaran": frame_table(
            "riwayat_anggaran",
            f"Anggaran dan Realisasi Anggaran Tahun {budget_span}",
            history.anggaran,
            [
                Col("Tahun", lambda r: str(int(r["tahun"]))),
                Col("Anggaran (Rp)", "anggaran_rp", "rp"),
                Col("Realisasi (Rp)", "realisasi_rp", "rp"),
                Col("Serapan (%)", "serapan_pct", "pct"),
                Col("SILPA (Rp)", "silpa_rp", "rp"),
                Col("Kategori", "kategori_anggaran", "kategori", "warna_anggaran"),
            ],
            number=False,
        ),
        "grafik_serapan": _figure(
            d,
            FIGURE_SERAPAN,
            f"Anggaran, Realisasi dan Serapan Anggaran Tahun {budget_span}",
            "Grafik",
        ),
    }
