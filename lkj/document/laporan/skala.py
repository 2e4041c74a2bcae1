"""The scales of config/lkj.toml as tables (predikat, realisasi) and the sentences that
state their rules and the methods (boundary rule, aggregation, efficiency), as Bab III prints
them."""

from __future__ import annotations

from typing import Any

import pandas as pd

from lkj.core.config import Config, Scale
from lkj.core.fmt import format_pct
from lkj.document.laporan.data import ReportData
from lkj.document.tables import Cell, Col, Table, category_cell, frame_table

AGGREGATION_TEXT = {
    "tertimbang_anggaran": "rata-rata tertimbang anggaran",
    "rata_rata": "rata-rata sederhana",
}


def boundary_sentence_predikat(config: Config) -> str:
    """The boundary rule of the predikat scale with an example from its thresholds."""
    scale = config.predikat
    top = scale.categories[0]
    at, above = _boundary_example(scale)
    text = (
        "Aturan batas: sebuah nilai masuk ke kategori tertinggi yang batas bawahnya "
        f"dilampaui (lebih dari); misalnya capaian {format_pct(top.above)} berpredikat "
        f"{at.code or at.label} dan {format_pct(top.above + 0.01)} {above.code or above.label}."
    )
    over = scale.categorize(100.01)
    if over is top:
        text += " Capaian di atas 100% masuk kategori teratas."
    text += " Capaian dengan target 0 tidak dapat dihitung dan tidak diberi predikat."
    return text


def boundary_sentence_realisasi(config: Config) -> str:
    """The boundary rule of the realisation scale with an example from its thresholds."""
    scale = config.realisasi
    top = scale.categories[0]
    at, above = _boundary_example(scale)
    text = (
        f"Untuk nilai desimal berlaku aturan batas yang sama: {format_pct(top.above)} "
        f"berkategori {at.label}, {format_pct(top.above + 0.01)} {above.label}"
    )
    over = scale.categorize(100.01)
    if over is not None:
        text += f"; nilai di atas 100% {over.label}"
    return text + "."


def _boundary_example(scale: Scale) -> tuple[Any, Any]:
    """The categories of the top band's threshold and of one hundredth above it."""
    top = scale.categories[0]
    return scale.categorize(top.above), scale.categorize(top.above + 0.01)


def aggregation_name(config: Config) -> str:
    """The aggregation method of physical capaian in words (agregasi.metode_capaian_fisik)."""
    return AGGREGATION_TEXT[config.aggregation_method]


def skala_predikat_table(d: ReportData) -> Table:
    """The predikat scale (Tabel 3.1) with its colour codes, from config/lkj.toml."""
    pred = pd.DataFrame(
        [
            {"kode": c.code, "interval": c.interval, "label": c.label, "warna": c.color}
            for c in d.config.predikat.categories
        ]
    )
    return frame_table(
        "skala_predikat",
        d.config.predikat.name,
        pred,
        [
            Col("Kategori", "kode"),
            Col("Nilai", "interval"),
            Col("Interpretasi", "label"),
            Col("Kode Warna", lambda r: category_cell(r["warna"], r["warna"])),
        ],
    )


def skala_realisasi_table(d: ReportData) -> Table:
    """The realisation scale (physical and budget) with its colours, from config/lkj.toml."""
    real = pd.DataFrame(
        [
            {"interval": c.interval, "label": c.label, "warna": c.color}
            for c in d.config.realisasi.categories
        ]
    )
    basis = f" ({d.config.realisasi.basis})" if d.config.realisasi.basis else ""
    return frame_table(
        "skala_realisasi",
        f"{d.config.realisasi.name}{basis}",
        real,
        [
            Col("Interval Nilai Realisasi Kinerja", "interval"),
            Col("Kriteria Penilaian Realisasi Kinerja", "label", "kategori", "warna"),
        ],
    )


def _predikat(row: pd.Series) -> Cell:
    if not isinstance(row["predikat"], str) or not row["predikat"]:
        return Cell("tidak dapat dihitung")
    return category_cell(f"{row['predikat_kode']} {row['predikat']}", row["warna_predikat"])


# How to read the result of each efficiency method (efisiensi.metode of config/lkj.toml).
EFFICIENCY_READING = {
    "indeks_efisiensi": "Indeks ≥ 1 berarti keluaran dicapai dengan bagian anggaran yang relatif "
    "lebih kecil (efisien); indeks < 1 berarti serapan anggaran lebih tinggi daripada capaian "
    "fisiknya.",
}


def efficiency_sentence(config: Config) -> str:
    """The efficiency method (efisiensi.nama and .metode of config/lkj.toml) and how to read
    its result."""
    return f"Metode: {config.efficiency_name}. {EFFICIENCY_READING[config.efficiency_method]}"
