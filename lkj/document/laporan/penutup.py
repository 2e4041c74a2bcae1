"""Bab IV Penutup: the agency's closing text, a summary from the figures, the
signature."""

from __future__ import annotations

from lkj.core.fmt import format_pct, format_rp
from lkj.document.laporan.data import ReportData, _blocks, _signature, _year_rows
from lkj.document.model import Block


def penutup_blocks(d: ReportData) -> list[Block]:
    """Bab IV: the agency's closing text, a summary generated from the figures, signature."""
    ind = _year_rows(d, d.year)
    sk = d.res.ringkasan.set_index("sumber").loc["sub_kegiatan"]
    predikat = "; ".join(
        f"{r.uraian_indikator} {format_pct(r.capaian_pct)} ({r.predikat})" for r in ind.itertuples()
    )
    summary = (
        f"Capaian indikator kinerja sasaran tahun {d.year}: {predikat}. Realisasi anggaran "
        f"mencapai {format_pct(sk.serapan_pct)} dari {format_rp(sk.anggaran_rp)}."
    )
    return _blocks(d, "penutup", ringkasan=summary, ttd=_signature(d))
