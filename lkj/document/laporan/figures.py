"""The report's figures: drawn by ``draw_figures`` (notebook 03) into the figures folder,
with what they show (the capaian charts' parts, the category counts of Grafik 4, the units of
the organisation chart)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lkj.document import grafik
from lkj.document.grafik_riwayat import save_history_figures
from lkj.document.laporan.data import CAPAIAN_CHARTS, FIGURES, ReportData
from lkj.document.laporan.triwulan import draw_pola


def organisation_units(d: ReportData) -> tuple[str, list[str]]:
    """The head and the units of the organisation chart (from pegawai, kategori unit_kerja)."""
    peg = d.raw["pegawai"]
    units = peg[peg["kategori"] == "unit_kerja"]
    units = units[units["tahun"] == units["tahun"].max()].sort_values("no")["uraian"].tolist()
    if not units:
        return d.info("nama_instansi"), []
    return units[0], units[1:]


def category_counts(d: ReportData) -> pd.DataFrame:
    """Counts per realisation category of programs, kegiatan and sub kegiatan (for Grafik 4)."""
    labels = d.config.realisasi.labels
    rows = {}
    for name, frame in (
        ("Program", d.res.program),
        ("Kegiatan", d.res.kegiatan),
        ("Sub kegiatan", d.res.sub_kegiatan),
    ):
        rows[f"{name}: capaian kinerja"] = frame["kategori_fisik"].value_counts()
        rows[f"{name}: realisasi anggaran"] = frame["kategori_anggaran"].value_counts()
    counts = pd.DataFrame(rows).T.reindex(columns=labels).fillna(0).astype(int)
    return counts


def capaian_chart_parts(d: ReportData, stem: str) -> list[grafik.ChartPart]:
    """What the capaian chart ``stem`` shows (every row, or the lowest and highest, or parts),
    with the file stems and captions; the same plan that ``draw_figures`` drew."""
    table, _column, noun, _width = CAPAIAN_CHARTS[stem]
    return grafik.plan_capaian_chart(getattr(d.res, table), stem, FIGURES[stem][1], noun)


def draw_figures(d: ReportData) -> dict[str, dict[str, Path]]:
    """Draw every figure of the report into ``d.figures`` (PNG).

    Args:
        d: the report's data.

    Returns:
        File stem to {"png": path}.
    """

    res = d.res
    figures = {"grafik_1_anggaran_program": grafik.grafik_anggaran_program(res.program)}
    for stem, (table, column, noun, width) in CAPAIAN_CHARTS.items():
        title = FIGURES[stem][1]
        for part, fig in grafik.grafik_capaian_parts(
            getattr(res, table), column, stem, title, noun, label_width=width
        ):
            figures[part.stem] = fig
    figures["grafik_4_distribusi_kategori"] = grafik.grafik_distribusi_kategori(
        category_counts(d), {c.label: c.color for c in d.config.realisasi.categories}
    )
    head, units = organisation_units(d)
    if units:
        figures["bagan_organisasi"] = grafik.bagan_organisasi(head, units)
    figures.update(draw_pola(d))  # a year with quarters only
    saved = {stem: grafik.save_figure(fig, d.figures, stem) for stem, fig in figures.items()}
    saved.update(save_history_figures(d.history, d.figures))
    return saved
