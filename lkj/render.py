"""HTML building blocks for the report: tables, category badges, figures.

Every text that comes from data is escaped (markupsafe), so markup or script in a raw file
is shown as text and never executes.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from markupsafe import Markup, escape

from lkj.config import text_color
from lkj.fmt import format_angka, format_nilai, format_pct, format_rp

KINDS = ("teks", "angka", "desimal", "rp", "pct", "kategori")


@dataclass(frozen=True)
class Col:
    """A column of a rendered table.

    Attributes:
        header: the heading shown.
        key: the DataFrame column (or a function of the row).
        kind: teks, angka (whole number), desimal, rp (rupiah), pct (percent), kategori.
        color: for kategori, the column holding the band colour.
    """

    header: str
    key: str | Callable[[pd.Series], Any]
    kind: str = "teks"
    color: str = ""


def badge(label: str, color: str) -> Markup:
    """A coloured category label, e.g. ``Sangat Tinggi`` on green.

    Args:
        label: the category text ("" gives "-").
        color: its background colour (#rrggbb).

    Returns:
        Safe HTML.
    """
    if not label:
        return Markup("-")
    return Markup('<span class="kategori" style="background:{};color:{}">{}</span>').format(
        color, text_color(color), label
    )


def format_value(value: Any, kind: str) -> str:
    """Format one cell value by kind (see ``Col``)."""
    if kind == "rp":
        return format_angka(value)
    if kind == "angka":
        return format_angka(value)
    if kind == "desimal":  # a value as entered: the decimals it has (92,5; 2,125; 40)
        return format_nilai(value)
    if kind == "pct":
        return format_pct(value, sign=False)
    return "" if value is None or (isinstance(value, float) and value != value) else str(value)


def _cell(row: pd.Series, col: Col) -> Markup:
    value = col.key(row) if callable(col.key) else row[col.key]
    if isinstance(value, Markup):
        return Markup("<td>{}</td>").format(value)
    if col.kind == "kategori":  # no category (not computable, NaN) shows "-"
        label = value if isinstance(value, str) else ""
        color = row[col.color] if isinstance(row[col.color], str) else ""
        return Markup("<td>{}</td>").format(badge(label, color) if color else Markup("-"))
    css = ' class="num"' if col.kind in ("angka", "desimal", "rp", "pct") else ""
    return Markup("<td{}>{}</td>").format(Markup(css), format_value(value, col.kind))


def table(
    frame: pd.DataFrame,
    cols: Sequence[Col],
    caption: str,
    total: dict[str, Any] | None = None,
    number: bool = True,
    css_class: str = "lkj",
) -> Markup:
    """Render a DataFrame as a report table with a caption, a header and optional total row.

    Args:
        frame: the rows.
        cols: the columns to show.
        caption: e.g. "Tabel 3.3 Evaluasi Indikator Kinerja Sasaran Tahun 2022".
        total: values of the total row by column header (missing headers stay empty); the
            first cell says "Jumlah" unless given.
        number: prepend a "No" column.
        css_class: class of the table element.

    Returns:
        Safe HTML.
    """
    heads = (["No"] if number else []) + [c.header for c in cols]
    head = Markup("").join(Markup("<th>{}</th>").format(h) for h in heads)
    body = []
    for i, (_, row) in enumerate(frame.iterrows(), start=1):
        cells = [Markup('<td class="num">{}</td>').format(i)] if number else []
        cells += [_cell(row, c) for c in cols]
        body.append(Markup("<tr>{}</tr>").format(Markup("").join(cells)))
    foot = Markup("")
    if total is not None:
        cells = []
        first = total.get("", "Jumlah")
        if number:
            cells.append(Markup("<td></td>"))
        for j, c in enumerate(cols):
            if j == 0 and c.header not in total:
                cells.append(Markup("<td><strong>{}</strong></td>").format(first))
                continue
            value = total.get(c.header, "")
            if isinstance(value, Markup):
                cells.append(Markup("<td>{}</td>").format(value))
            elif value == "":
                cells.append(Markup("<td></td>"))
            else:
                css = ' class="num"' if c.kind in ("angka", "desimal", "rp", "pct") else ""
                cells.append(
                    Markup("<td{}><strong>{}</strong></td>").format(
                        Markup(css), format_value(value, c.kind)
                    )
                )
        foot = Markup("<tfoot><tr>{}</tr></tfoot>").format(Markup("").join(cells))
    return Markup(
        '<table class="{}"><caption>{}</caption><thead><tr>{}</tr></thead>'
        "<tbody>{}</tbody>{}</table>"
    ).format(css_class, caption, head, Markup("\n").join(body), foot)


def figure(png: Path | str, caption: str, alt: str = "") -> Markup:
    """Embed a PNG file (base64, so the HTML stays self-contained) with its caption.

    Args:
        png: the image file.
        caption: e.g. "Grafik 1 Anggaran dan realisasi anggaran per program".
        alt: alternative text (defaults to the caption).

    Returns:
        Safe HTML: a figure element.
    """
    data = base64.b64encode(Path(png).read_bytes()).decode("ascii")
    return Markup(
        '<figure class="grafik"><img src="data:image/png;base64,{}" alt="{}">'
        "<figcaption>{}</figcaption></figure>"
    ).format(data, alt or caption, caption)


def paragraph(text: str) -> Markup:
    """A paragraph of escaped text."""
    return Markup("<p>{}</p>").format(text)


def heading(level: int, text: str, css_class: str = "") -> Markup:
    """A heading (h1 chapters get class ``bab`` for a page break)."""
    cls = Markup(' class="{}"').format(css_class) if css_class else Markup("")
    return Markup("<h{0}{1}>{2}</h{0}>").format(level, cls, text)


def join(*parts: Markup | str) -> Markup:
    """Concatenate HTML parts (plain strings are escaped)."""
    return Markup("\n").join(escape(p) for p in parts)


def rp(value: float) -> str:
    """Rupiah text for sentences: ``Rp 1.367.655.230``."""
    return format_rp(value)
