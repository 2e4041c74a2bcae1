"""Penilaian Mandiri Pelaporan Kinerja: the report graded against the items of component 3
of the LKE (PermenPANRB 88/2021, config/lke.toml) before it is submitted, as a document of
its own beside the report.

    periksa   the checks of the report behind each item (its tables, its narasi)
    periksa_lkjip  the same checks of the LKjIP (per IKU, the pemda's narasi)
    fakta     facts outside the report: arsip/YEAR/penilaian.toml, the signed copies
    nilai     every item answered, graded and scored (nilai_laporan)
    dokumen   the assessment as a document (penilaian_document)
"""

from lkj.document.penilaian.dokumen import penilaian_document
from lkj.document.penilaian.nilai import Penilaian, nilai_laporan, nilai_lkjip

__all__ = ["Penilaian", "nilai_laporan", "nilai_lkjip", "penilaian_document"]
