"""The whole report: its parts in order (``PARTS``) assembled into one numbered
``lkj.document.model.Document`` (``report_document``), which every format renders."""

from __future__ import annotations

from collections.abc import Callable

from lkj.document.laporan.bab_i import bab_i_blocks
from lkj.document.laporan.bab_ii import bab_ii_blocks
from lkj.document.laporan.bab_iii import bab_iii_blocks
from lkj.document.laporan.data import ReportData, _org
from lkj.document.laporan.lampiran import lampiran_blocks
from lkj.document.laporan.pembuka import (
    daftar_isi_blocks,
    kata_pengantar_blocks,
    ringkasan_eksekutif_blocks,
    sampul_blocks,
)
from lkj.document.laporan.penutup import penutup_blocks
from lkj.document.model import Block, Document, Part, number_blocks

# The parts of the report in order; notebooks/04_laporan.ipynb displays one per cell.
PARTS = (
    "sampul",
    "kata_pengantar",
    "daftar_isi",
    "ringkasan_eksekutif",
    "bab_i",
    "bab_ii",
    "bab_iii",
    "penutup",
    "lampiran",
)
# The builder of each part: its blocks, placed by lkj/templates/laporan/<part>.xml.j2.
BUILDERS: dict[str, Callable[[ReportData], list[Block]]] = {
    "sampul": sampul_blocks,
    "kata_pengantar": kata_pengantar_blocks,
    "daftar_isi": daftar_isi_blocks,
    "ringkasan_eksekutif": ringkasan_eksekutif_blocks,
    "bab_i": bab_i_blocks,
    "bab_ii": bab_ii_blocks,
    "bab_iii": bab_iii_blocks,
    "penutup": penutup_blocks,
    "lampiran": lampiran_blocks,
}


def report_document(d: ReportData) -> Document:
    """The whole report as one document, its tables and figures numbered (built once per
    ``d``; every format renders it).

    Args:
        d: the report's data.

    Returns:
        The document.
    """
    if "document" not in d._cache:
        parts = [Part(name, BUILDERS[name](d)) for name in PARTS]
        doc = Document(
            title=f"Laporan Kinerja Tahun {d.year} {_org(d)}".strip(),
            parts=parts,
            author=_org(d),
        )
        number_blocks(doc.blocks)
        d._cache["document"] = doc
    return d._cache["document"]
