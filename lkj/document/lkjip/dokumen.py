"""The whole LKjIP: cover, kata pengantar, daftar isi and its chapters in order, assembled into
one numbered ``lkj.document.model.Document``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lkj.core.config import Config
from lkj.document.lkjip.bab_iii import bab_iii_blocks
from lkj.document.lkjip.chapters import (
    bab_i_blocks,
    bab_ii_blocks,
    bab_iv_blocks,
    kualitas_blocks,
    ringkasan_eksekutif_blocks,
)
from lkj.document.lkjip.context import _chapter, lkjip_context
from lkj.document.model import Cover, Document, Part, Toc, number_blocks


def lkjip_document(data: dict[str, Any], config: Config, figures: dict[str, Path]) -> Document:
    """The LKjIP as a document: cover, kata pengantar, daftar isi, ringkasan eksekutif,
    Bab I–IV and the data quality chapter, its tables and figures numbered.

    Args:
        data: from ``lkj.analysis.konsolidasi.consolidate``.
        config: scales and methods.
        figures: grafik name ("iku", "serapan") -> PNG file.

    Returns:
        The document.
    """
    c = lkjip_context(data, config, figures)
    pemda, nama, year = c.pemda, c.nama, c.year
    ringkasan = ringkasan_eksekutif_blocks(c)
    bab_i = bab_i_blocks(c)
    bab_ii = bab_ii_blocks(c)
    bab_iii = bab_iii_blocks(c)
    bab_iv = bab_iv_blocks(c)
    kualitas_part = kualitas_blocks(c)
    cover = Cover(
        title=("LAPORAN KINERJA INSTANSI PEMERINTAH (LKjIP)", f"TAHUN {year}"),
        subtitle="",
        organisation=(f"PEMERINTAH {nama.upper()}",),
        image=pemda.lambang,
        synthetic=pemda.synthetic,
    )
    parts = [
        Part("sampul", [cover]),
        Part(
            "kata_pengantar", _chapter("kata_pengantar", **c.common, coverage=c.coverage, ttd=c.ttd)
        ),
        Part("daftar_isi", [Toc()]),
        Part("ringkasan_eksekutif", ringkasan),
        Part("bab_i", bab_i),
        Part("bab_ii", bab_ii),
        Part("bab_iii", bab_iii),
        Part("bab_iv", bab_iv),
        Part("kualitas", kualitas_part),
    ]
    doc = Document(title=f"LKjIP {nama} Tahun {year}", parts=parts, author=nama)
    number_blocks(doc.blocks)
    return doc
