"""The parts of the report, built as data (tables, figures, sentences) and placed by templates.

For each part of the LKj (PermenPAN-RB 53/2014 and the 2022 model document) a module here
builds what it shows: its tables (``lkj.document.tables``), figures and generated sentences. The
part's Jinja template in ``lkj/templates/laporan/<part>.xml.j2`` places them with the fixed
headings and text; ``report_document`` (``dokumen``) assembles the parts into one
``lkj.document.model.Document`` and numbers its tables and figures from their order. Every
format renders that one document: the report notebook shows its HTML (``report_parts``,
``sampul(d)``, ...), ``lkj.render.to_docx`` writes the DOCX.

    data           ReportData, load_report_data, the helpers every part uses
    pembuka        sampul, kata pengantar, daftar isi, ringkasan eksekutif
    bab_i          Bab I Pendahuluan
    bab_ii         Bab II Perencanaan dan Perjanjian Kinerja (RKT, PK)
    bab_iii        Bab III: framework and evaluation, then
      skala          the scales and the sentences that state their rules and methods
      sasaran        3.3 analysis per sasaran
      keuangan       3.4 financial accountability
      perbandingan   3.5 comparison between years
    penutup        Bab IV Penutup
    lampiran       Lampiran, with
      kualitas_data  the data quality notes
      provenance     the input files, software versions, date and commit
    figures        the figures (drawn by notebook 03: ``draw_figures``)
    dokumen        PARTS in order, report_document

Every number shown is computed here or in ``lkj.analysis.capaian`` from data/processed/YEAR,
which ingest wrote from data/raw/YEAR; prose comes from data/raw/YEAR/narasi/
(``lkj.document.narasi``) with computed values filled in by name. Nothing is typed in.

To change a table, change its columns in its part's module (one ``Col`` per column): every
format follows.
"""

from lkj.document.laporan.bab_iii import bab_iii_blocks
from lkj.document.laporan.data import FIGURES, ReportData, load_report_data
from lkj.document.laporan.dokumen import PARTS, report_document
from lkj.document.laporan.figures import draw_figures
from lkj.document.laporan.pembuka import sampul_blocks
from lkj.document.laporan.perbandingan import perbandingan_antar_tahun
from lkj.document.laporan.sasaran import analisis_sasaran
from lkj.document.laporan.skala import (
    aggregation_name,
    boundary_sentence_predikat,
    boundary_sentence_realisasi,
    efficiency_sentence,
    skala_realisasi_table,
)

__all__ = [
    "FIGURES",
    "PARTS",
    "ReportData",
    "aggregation_name",
    "analisis_sasaran",
    "bab_iii_blocks",
    "boundary_sentence_predikat",
    "boundary_sentence_realisasi",
    "draw_figures",
    "efficiency_sentence",
    "load_report_data",
    "perbandingan_antar_tahun",
    "report_document",
    "sampul_blocks",
    "skala_realisasi_table",
]
