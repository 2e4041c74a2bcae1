"""Bab III Akuntabilitas Kinerja: the framework and the evaluation of this year's
indikator, then the parts built in their own modules (analysis per sasaran, financial
accountability, comparison between years)."""

from __future__ import annotations

from lkj.document.laporan.data import ReportData, _blocks, _quantity, _year_rows
from lkj.document.laporan.jangka_menengah import analisis_jangka_menengah
from lkj.document.laporan.keuangan import akuntabilitas_keuangan
from lkj.document.laporan.perbandingan import perbandingan_antar_tahun
from lkj.document.laporan.sasaran import analisis_sasaran
from lkj.document.laporan.skala import _predikat, boundary_sentence_predikat, skala_predikat_table
from lkj.document.model import Block
from lkj.document.tables import Col, Table, frame_table


def evaluasi_indikator_table(d: ReportData) -> Table:
    """Target, realisasi, capaian and predikat of each indikator this year."""
    return frame_table(
        "evaluasi_indikator",
        f"Evaluasi Indikator Kinerja Sasaran Tahun {d.year}",
        _year_rows(d, d.year),
        [
            Col("Sasaran", "uraian_sasaran", width=1.5),
            Col("Indikator Kinerja", "uraian_indikator", width=1.5),
            Col("Satuan", "satuan"),
            Col("Target", "target", "desimal"),
            Col("Realisasi", "realisasi", "desimal"),
            Col("Capaian Kinerja (%)", "capaian_pct", "pct"),
            Col("Predikat", _predikat),
        ],
    )


def bab_iii_blocks(d: ReportData) -> list[Block]:
    """Bab III in full: framework, evaluation, analysis per sasaran, financial accountability,
    comparison between years."""
    pengukuran = frame_table(
        "evaluasi_pengukuran",
        "Evaluasi Pengukuran Kinerja",
        _year_rows(d, d.year),
        [
            Col("Sasaran", "uraian_sasaran"),
            Col("Indikator Kinerja", "uraian_indikator"),
            Col(f"Rencana Tahun {d.year}", lambda r: _quantity(r["target"], r["satuan"])),
        ],
    )
    return _blocks(
        d,
        "bab_iii",
        skala_predikat=skala_predikat_table(d),
        aturan_batas_predikat=boundary_sentence_predikat(d.config),
        pengukuran=pengukuran,
        evaluasi=evaluasi_indikator_table(d),
        sasaran=analisis_sasaran(d),
        keuangan=akuntabilitas_keuangan(d),
        riwayat=perbandingan_antar_tahun(d),
        jangka_menengah=analisis_jangka_menengah(d),
    )
