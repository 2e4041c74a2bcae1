"""The raw CSV files that collect writes into, edited in place (``CsvTable``: a few cells
changed, the rest, the BOM and the line endings kept), and the number rule of their cells.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from lkj.core import numbers
from lkj.core.errors import DataError
from lkj.data.sources import display_path


@dataclass
class CsvTable:
    """A CSV file as text cells, to change a few cells and write the rest back unchanged."""

    path: Path
    header: list[str]
    rows: list[list[str]]
    bom: bool = False
    newline: str = "\n"

    @classmethod
    def read(cls, path: Path) -> CsvTable:
        """Read ``path`` (UTF-8, BOM allowed), keeping its BOM and line ending."""
        data = path.read_bytes()
        bom = data.startswith(codecs.BOM_UTF8)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DataError(
                display_path(path), "bukan teks UTF-8; simpan ulang sebagai 'CSV UTF-8'"
            ) from None
        newline = "\r\n" if "\r\n" in text else "\n"
        rows = list(csv.reader(io.StringIO(text, newline="")))
        if not rows:
            raise DataError(display_path(path), "file kosong: baris judul kolom tidak ada")
        header = [h.strip() for h in rows[0]]
        body = [r + [""] * (len(header) - len(r)) for r in rows[1:]]
        return cls(path, header, body, bom, newline)

    def index(self, column: str) -> int:
        """Position of ``column``."""
        try:
            return self.header.index(column)
        except ValueError:
            raise DataError(
                display_path(self.path), "kolom wajib tidak ada", row=1, column=column
            ) from None

    def write(self) -> None:
        """Write the file atomically: a temporary file next to it, then ``os.replace``."""
        tmp = self.path.with_name(f".{self.path.name}.{uuid.uuid4().hex[:8]}.tmp")
        try:
            with tmp.open("w", encoding="utf-8-sig" if self.bom else "utf-8", newline="") as f:
                writer = csv.writer(f, lineterminator=self.newline)
                writer.writerow(self.header)
                writer.writerows(self.rows)
            os.replace(tmp, self.path)
        finally:
            tmp.unlink(missing_ok=True)


def parse_number(text: str) -> float | None:
    """A number written in a raw CSV cell as the data contract reads it; None if not a number.

    Args:
        text: the cell text.

    Returns:
        The number (a lone dash is 0), or None for an empty, invalid or negative value.
    """
    try:
        value = numbers.read_text(str(text))
    except numbers.NumberProblem:
        return None
    return None if value is None or value < 0 else float(value)


def format_number(value: float, kind: str = "desimal") -> str:
    """Write a number plainly for a raw CSV (the one writer, ``lkj.core.numbers.write_number``):
    ``1367655230``, ``2.125``, ``3``.

    Args:
        value: the number.
        kind: ``bulat`` (whole number) or ``desimal`` (kept for the callers; the text is the
            same: a whole number is written without decimals either way).

    Returns:
        The text.
    """
    return numbers.write_number(value)
