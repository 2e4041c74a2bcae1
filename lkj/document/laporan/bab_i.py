"""Bab I Pendahuluan: the staff tables (pegawai.csv per kategori), facilities and the
organisation chart."""

from __future__ import annotations

import pandas as pd

from lkj.core.lke import kalimat_batas_waktu, load_lke
from lkj.document.laporan.data import ReportData, _blocks, _figure
from lkj.document.laporan.figures import organisation_units
from lkj.document.model import Block
from lkj.document.tables import Col, Table, frame_table

# Staff tables of Bab I, by kategori of pegawai.csv: title and the header of the first column.
PEGAWAI_TITLES = {
    "unit_kerja": ("Jumlah Pegawai Berdasarkan Struktur Organisasi", "Unit Kerja"),
    "golongan": ("Jumlah Pegawai Berdasarkan Golongan", "Golongan"),
    "eselon": ("Jumlah Pegawai Berdasarkan Eselonisasi", "Eselon"),
    "pendidikan": ("Jumlah Pegawai Berdasarkan Tingkat Pendidikan", "Pendidikan"),
    "status": ("Jumlah Pegawai Berdasarkan Status Kepegawaian", "Status"),
}


def _year_table(key: str, title: str, frame: pd.DataFrame, first: str, total: bool) -> Table:
    """A table of counts per year (pegawai, sarana): one row per uraian, a column per year."""
    years = sorted(frame["tahun"].unique())
    wide = frame.pivot_table(index=["no", "uraian"], columns="tahun", values="jumlah")
    wide = wide.reset_index()
    cols = [Col(first, "uraian", width=2)]
    cols += [Col(str(y), y, "angka", group="Jumlah") for y in years]
    sums = {str(y): wide[y].sum() for y in years} if total else None
    return frame_table(key, title, wide, cols, total=sums)


def bab_i_blocks(d: ReportData) -> list[Block]:
    """Bab I Pendahuluan: background, legal basis, organisation, staff, facilities, scope."""
    peg = d.raw["pegawai"]
    head, units = organisation_units(d)
    pegawai = []
    for kategori, (judul, kolom) in PEGAWAI_TITLES.items():
        part = peg[peg["kategori"] == kategori]
        if not part.empty:
            pegawai.append(_year_table(f"pegawai_{kategori}", judul, part, kolom, total=True))
    sarana = _year_table(
        "sarana_prasarana",
        "Jumlah Sarana dan Prasarana",
        d.raw["sarana_prasarana"],
        "Sarana dan Prasarana",
        total=False,
    )
    bagan = _figure(d, "bagan_organisasi") if units else []
    batas = kalimat_batas_waktu(d.year, load_lke())
    return _blocks(d, "bab_i", pegawai=pegawai, sarana=sarana, bagan=bagan, batas_waktu=batas)
