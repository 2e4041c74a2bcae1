"""Reading a year for its quarterly evaluation: the raw tables with the yearly realisation
optional (mid-year, after ``make new-year``, it is still empty), validated otherwise exactly as
``lkj.data.ingest.read_raw`` validates them."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd

from lkj.data.ingest import read_folder
from lkj.data.schema import TABLES, Table
from lkj.data.sources import RawData, locate_sources

# Typed yearly realisation: not known yet during the year.
YEARLY_REALISATION = {
    "sub_kegiatan": ("realisasi_fisik", "realisasi_anggaran_rp"),
    "kinerja_indikator": ("realisasi",),
    "lra": ("realisasi_rp",),
}


def _relaxed(table: Table) -> Table:
    optional = YEARLY_REALISATION.get(table.name, ())
    if not optional:
        return table
    fields = tuple(
        dataclasses.replace(f, required=False) if f.name in optional else f for f in table.fields
    )
    return dataclasses.replace(table, fields=fields)


QUARTER_CONTRACT: tuple[Table, ...] = tuple(_relaxed(t) for t in TABLES)


def read_quarter_year(year: int, raw_root: Path | str = Path("data/raw")) -> RawData:
    """The raw tables of ``year`` (data/raw/YEAR) for a quarterly evaluation.

    Raises:
        DataErrors: every problem found, each naming file, sheet, row and column.
    """
    tables, sources = read_folder(Path(raw_root) / str(year), QUARTER_CONTRACT)
    tables: dict[str, pd.DataFrame] = {k: v.reset_index(drop=True) for k, v in tables.items()}
    return RawData(year=year, tables=tables, sources=sources)


def read_earlier_quarters(year: int, raw_root: Path | str = Path("data/raw")) -> RawData | None:
    """The previous year's tables when its folder holds quarterly realisation (the seasonal
    projection); None when it has none.

    Raises:
        DataErrors: the previous year holds quarters but breaks the data contract.
    """
    folder = Path(raw_root) / str(year - 1)
    if not folder.is_dir() or "triwulan_sub_kegiatan" not in locate_sources(
        folder, QUARTER_CONTRACT
    ):
        return None
    return read_quarter_year(year - 1, raw_root)
