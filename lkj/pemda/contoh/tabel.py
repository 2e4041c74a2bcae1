"""Writing the demo's tables as the data contract wants them: one CSV per table, its columns
in the contract's order (``lkj.data.schema``, ``lkj.data.schema_pemda``), numbers by the
project's one rounding rule and writer."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from lkj.core import numbers
from lkj.data.schema import TABLES_BY_NAME
from lkj.data.schema_pemda import PEMDA_TABLES_BY_NAME

SYNTHETIC_MARK = "data_sintetis"


def _plain(value: object, decimals: int = 2) -> str:
    """A number as the data contract wants it, by the project's one rounding rule and one
    writer (``lkj.core.numbers``): rounded half away from zero to at most ``decimals`` places,
    plain digits, decimal point, no trailing zeros; "" for a missing value."""
    return numbers.write_number(numbers.round_half_up(value, decimals))


def _write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(
            [
                _plain(row.get(c)) if isinstance(row.get(c), (int, float)) else row.get(c, "")
                for c in columns
            ]
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def frame_rows(frame: pd.DataFrame) -> list[dict]:
    """The rows of a table as dicts, a missing value as None."""
    rows = []
    for record in frame.to_dict("records"):
        rows.append({k: (None if v is pd.NA else v) for k, v in record.items()})
    return rows


def write_table(folder: Path, name: str, rows: list[dict]) -> None:
    """Write ``folder/<name>.csv`` with the columns of the contract's table ``name``."""
    table = TABLES_BY_NAME.get(name) or PEMDA_TABLES_BY_NAME[name]
    _write_csv(folder / f"{name}.csv", table.columns, rows)
