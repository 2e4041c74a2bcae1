"""The yearly figure from the quarters (issue 22, item 4): where a year holds all four
quarters of a sub kegiatan's fisik or anggaran, or of an indikator, the yearly LKj uses the
figure the quarters give, and the typed yearly figure is kept only to be compared with it.

* sub kegiatan ``realisasi_fisik`` and ``realisasi_anggaran_rp``: the sum of the four quarters
  (``triwulan_sub_kegiatan``);
* indikator ``realisasi`` of the report year (``kinerja_indikator``): the sum of the four
  quarters (``aturan_indikator``: ``jumlah``) or the fourth quarter's value (``akhir``: a
  level, such as a percentage, which must not be summed).

A measure with fewer than four quarters keeps its typed yearly figure (the year is not
complete: a missing quarter is "not reported", never zero). Every figure replaced is recorded
in the processed table :data:`lkj.data.processed.QUARTER_YEAR_TABLE` with the typed figure
beside it, so that the data-quality chapter shows each difference and the attached workbook
carries the data exactly as typed (``lkj.data.processed.contract_tables``). A year without
quarters (2022) is returned unchanged, with an empty record.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pandas as pd

from lkj.analysis.triwulan import _by_quarter, check_quarters, has_quarters, to_date
from lkj.core import numbers
from lkj.data.processed import QUARTER_YEAR_COLUMNS

# (entitas, table, code column, measure) replaced from the quarters
MEASURES = (
    ("sub_kegiatan", "sub_kegiatan", "kode_sub_kegiatan", "realisasi_fisik"),
    ("sub_kegiatan", "sub_kegiatan", "kode_sub_kegiatan", "realisasi_anggaran_rp"),
    ("indikator", "kinerja_indikator", "kode_indikator", "realisasi"),
)


def _typed(frame: pd.DataFrame, column: str, value: Decimal) -> Any:
    """The computed value in the column's own type (whole rupiah stay whole)."""
    if pd.api.types.is_integer_dtype(frame[column].dtype):
        return int(value)
    return float(value)


def year_from_quarters(
    tables: dict[str, pd.DataFrame], year: int, where: str = ""
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """The year's tables with each yearly realisation that has four quarters computed from them.

    Args:
        tables: the year's raw tables (``lkj.data.ingest.read_raw``), with quarterly tables.
        year: the report year (only its ``kinerja_indikator`` rows are replaced).
        where: the year's folder, for messages.

    Returns:
        (the tables, new frames where something was replaced; the record of every figure
        computed: entitas, kode_entitas, tahun, ukuran, tertulis, dihitung, selisih =
        tertulis - dihitung), the record empty for a year without quarters.

    Raises:
        DataError: an indikator with quarters but no ``aturan`` (``check_quarters``).
    """
    record: list[tuple] = []
    if not has_quarters(tables):
        return tables, pd.DataFrame(record, columns=list(QUARTER_YEAR_COLUMNS))
    check_quarters(tables, where)
    rules = tables.get("aturan_indikator")
    aturan = (
        {} if rules is None else dict(zip(rules["kode_indikator"], rules["aturan"], strict=True))
    )
    out = dict(tables)
    for entitas, name, key, column in MEASURES:
        quarters = tables.get(
            "triwulan_sub_kegiatan" if entitas == "sub_kegiatan" else "triwulan_indikator"
        )
        source = "realisasi" if entitas == "indikator" else column
        by_code = _by_quarter(quarters, key, source, 4)
        frame = out[name].copy()
        changed = False
        for i, code in zip(frame.index, frame[key], strict=True):
            values = by_code.get(str(code), {})
            if len(values) < 4 or (name == "kinerja_indikator" and frame.at[i, "tahun"] != year):
                continue
            computed = to_date(values, aturan.get(str(code), "jumlah"))
            written = numbers.to_decimal(frame.at[i, column])
            gap = None if written is None else written - computed
            record.append(
                (entitas, str(code), year, column, numbers.as_float(written),
                 numbers.as_float(computed), numbers.as_float(gap))
            )  # fmt: skip
            frame.at[i, column] = _typed(frame, column, computed)
            changed = True
        if changed:
            out[name] = frame
    return out, pd.DataFrame(record, columns=list(QUARTER_YEAR_COLUMNS))


def differing(record: pd.DataFrame) -> pd.DataFrame:
    """The rows of the record whose typed figure differs from the quarters'. An empty typed
    figure is no difference: the quarters give the year's figure (data/raw/README.md)."""
    if record.empty:
        return record
    return record[record["tertulis"].notna() & (record["selisih"] != 0)].reset_index(drop=True)
