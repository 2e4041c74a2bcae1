"""The reviewers' display table (``AuditTable``): cells formatted as the report formats them
(``lkj.core.fmt``), Indonesian headings, aggregate lines in bold and check statuses in their
colours, as HTML in the report's stylesheet; and the column specification (``_Column``,
``_display``) the display tables are built from.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from lkj.analysis.audit.numbers import _entered, _pct, _rp

PASSED, FAILED, DIFFERS = "LULUS", "GAGAL", "BEDA"
STATUS_COLORS = {PASSED: "#1a7f37", FAILED: "#d7301f", DIFFERS: "#b35900"}
# Text columns given room (min-width) so long names do not wrap into a narrow strip.
WIDE_HEADERS = frozenset(
    ("Uraian", "Sub kegiatan", "Pemeriksaan", "Keterangan", "Indikator", "Kegiatan", "Program")
)


@dataclass
class AuditTable:
    """A table for reviewers: display strings with Indonesian headings.

    Attributes:
        title: the caption.
        frame: the cells, already formatted (``lkj.core.fmt``).
        numeric: the columns aligned right (numbers).
        emphasis: per row, True for an aggregate line (shown bold).
        note: a sentence under the table (how to read or recompute it).
    """

    title: str
    frame: pd.DataFrame
    numeric: frozenset[str] = frozenset()
    emphasis: list[bool] = field(default_factory=list)
    note: str = ""

    def __repr__(self) -> str:
        # the notebook's text/plain output: fixed (a set's order changes between runs)
        return f"<{self.title}: {len(self.frame)} baris>"

    def to_html(self) -> str:
        """The table as HTML (``table.lkj``, the report's stylesheet); every text escaped."""
        esc = html.escape

        def th(column: str) -> str:
            if column in self.numeric:
                return f'<th class="num">{esc(column)}</th>'
            if column in WIDE_HEADERS:
                return f'<th style="min-width:16em">{esc(column)}</th>'
            return f"<th>{esc(column)}</th>"

        head = "".join(th(str(c)) for c in self.frame.columns)
        rows = []
        emphasis = self.emphasis or [False] * len(self.frame)
        for strong, row in zip(emphasis, self.frame.to_dict("records"), strict=True):
            cells = []
            for column in self.frame.columns:
                text = esc(str(row[column]))
                if column in self.numeric:
                    cells.append(f'<td class="num">{text}</td>')
                elif column == "Status" and text in STATUS_COLORS:
                    cells.append(
                        f'<td class="status" style="color:{STATUS_COLORS[text]};'
                        f'font-weight:bold">{text}</td>'
                    )
                else:
                    cells.append(f"<td>{text}</td>")
            style = ' class="agregat" style="font-weight:bold;background:#eef1f5"' if strong else ""
            rows.append(f"<tr{style}>{''.join(cells)}</tr>")
        note = f'<p class="catatan">{esc(self.note)}</p>' if self.note else ""
        return (
            '<div class="audit" style="overflow-x:auto">'
            f'<table class="lkj kecil audit"><caption>{esc(self.title)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{note}</div>"
        )

    def _repr_html_(self) -> str:
        return self.to_html()


@dataclass(frozen=True)
class _Column:
    header: str
    key: str | Callable[[dict[str, Any]], Any]
    kind: str = "teks"  # teks, rp, pct, angka (as entered)


_FORMATTERS: dict[str, Callable[[Any], str]] = {
    "rp": _rp,
    "pct": _pct,
    "angka": _entered,
    "teks": lambda v: "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v),
}


def _display(
    frame: pd.DataFrame,
    columns: Sequence[_Column],
    title: str,
    note: str = "",
    emphasis: list[bool] | None = None,
) -> AuditTable:
    records = frame.to_dict("records")
    data = {
        c.header: [
            _FORMATTERS[c.kind](c.key(row) if callable(c.key) else row[c.key]) for row in records
        ]
        for c in columns
    }
    out = pd.DataFrame(data, columns=[c.header for c in columns])
    numeric = frozenset(c.header for c in columns if c.kind != "teks")
    return AuditTable(title, out, numeric, emphasis or [False] * len(out), note)


def _kategori(column: str) -> Callable[[dict[str, Any]], str]:
    return lambda r: r[column] if isinstance(r[column], str) and r[column] else "-"
