"""Cells of the workbooks lkj writes: data is text, never code.

openpyxl turns a string that begins with ``=`` into a formula and one that spells an error code
(``#N/A``) into an error cell: a name such as ``=HYPERLINK("http://...")`` would come out of the
workbook as a live formula (and read back empty). Every cell holding text from data is written
here with its type forced to string (``t="s"``/inline string in the file), so Excel shows the
text as typed and reading the workbook back gives the same value. Text beginning with ``+``,
``-``, ``@``, a tab or a carriage return is a string cell too (Excel never evaluates a string
cell); only a formula lkj itself writes (the forms' ``=SUM`` totals) is a formula.
"""

from __future__ import annotations

from typing import Any

STRING = "s"


def as_text(cell: Any) -> Any:
    """Force a cell holding a string to be a string cell (not a formula, not an error code).

    Args:
        cell: an openpyxl cell.

    Returns:
        The same cell.
    """
    if isinstance(cell.value, str):
        cell.data_type = STRING
    return cell


def put(ws: Any, row: int, column: int, value: object = None) -> Any:
    """Write ``value`` to a cell of ``ws``; a string is stored as text (see the module).

    Args:
        ws: an openpyxl worksheet.
        row: the row (1-based).
        column: the column (1-based).
        value: the value; None leaves the cell empty.

    Returns:
        The cell.
    """
    cell = ws.cell(row, column)
    cell.value = value
    return as_text(cell)


def text_only(ws: Any) -> int:
    """Every string cell of a sheet written from data made a string cell (after pandas'
    ``to_excel``, which lets openpyxl read ``=...`` as a formula).

    Args:
        ws: an openpyxl worksheet holding no formula of lkj's own.

    Returns:
        How many cells were formulas or error codes before (now text).
    """
    fixed = 0
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.data_type != STRING:
                cell.data_type = STRING
                fixed += 1
    return fixed
