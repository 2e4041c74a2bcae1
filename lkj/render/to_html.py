"""The HTML renderer of the document model (``lkj.document.model``, ``lkj.document.tables``).

:func:`html` turns blocks into the HTML the report notebook displays; nbconvert
(``lkj.render.notebook_export``)
makes the self-contained HTML page of it (the PDF comes from the same blocks through Typst,
``lkj.render.to_pdf``). Every text that comes
from data is escaped (markupsafe), so markup or script in a raw file is shown as text and never
executes.

The markup follows the conventions of ``templates/lkj_report/static/lkj.css``: ``h1.bab``
starts a chapter on a new page, ``.no-toc`` keeps a heading out of the daftar isi,
``table.lkj`` (``.kecil`` for small type) with its caption, ``thead`` repeated on every page
and ``tfoot`` for totals, ``td.num`` right-aligned numbers, ``span.kategori`` category badges,
``div.lanskap`` landscape pages, ``figure.grafik``, ``section.sampul``, ``div.ttd``.
"""

from __future__ import annotations

import base64
import itertools
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from markupsafe import Markup, escape

from lkj.core.config import Dokumen, text_color
from lkj.core.fmt import format_rp
from lkj.document.lanskap import landscape_flags
from lkj.document.model import (
    Block,
    Cover,
    Figure,
    Heading,
    ListBlock,
    PageBreak,
    Paragraph,
    Signature,
    Toc,
)
from lkj.document.table_layout import (
    TABLE_SCALE,
    TableLayout,
    header_lines,
    rows_kept,
    soft_header,
    table_layout,
    table_parts,
)
from lkj.document.tables import (
    Cell,
    Col,
    HeaderCell,
    Table,
    format_value,
    frame_table,
)

__all__ = [
    "Col",
    "badge",
    "figure",
    "format_value",
    "heading",
    "html",
    "join",
    "paragraph",
    "rp",
    "table",
    "table_html",
]


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


def _spans(c: Cell | HeaderCell) -> Markup:
    out = Markup("")
    if c.colspan > 1:
        out += Markup(' colspan="{}"').format(c.colspan)
    if c.rowspan > 1:
        out += Markup(' rowspan="{}"').format(c.rowspan)
    return out


def _cell_content(c: Cell) -> Markup:
    if c.is_category:
        return badge(c.text, c.color)
    if c.items:
        content = Markup("<ol>{}</ol>").format(
            Markup("").join(Markup("<li>{}</li>").format(item) for item in c.items)
        )
    else:
        content = Markup("<br>").join(escape(line) for line in c.text.split("\n"))
    if c.mono:
        content = Markup('<code class="hash">{}</code>').format(content)
    if c.italic:
        content = Markup("<em>{}</em>").format(content)
    if c.bold and c.text:
        content = Markup("<strong>{}</strong>").format(content)
    if c.indent:
        content = Markup('<span class="sub">– {}</span>').format(content)
    return content


def _cell(c: Cell) -> Markup:
    css = Markup(' class="num"') if c.align == "right" and not c.is_category else Markup("")
    return Markup("<td{}{}>{}</td>").format(css, _spans(c), _cell_content(c))


def table_html(t: Table, dokumen: Dokumen | None = None, wrap: bool = True) -> Markup:
    """A table: caption, header rows (merged cells), body and foot; or, when the layout
    (``lkj.document.table_layout``, on the pages of ``dokumen``) splits its columns, each part.

    Args:
        t: the table (numbered by ``lkj.document.model.number_blocks`` if it is to show a number).
        dokumen: paper and type (None: the defaults), as the print of the page uses them.
        wrap: wrap a table the layout sets landscape in its ``div.lanskap`` (False: it is
            inside one already, with the text carried onto its pages, :func:`html`).

    Returns:
        Safe HTML.
    """
    return Markup("\n").join(
        _table_part(part, layout, dokumen, wrap) for part, layout in table_parts(t, dokumen)
    )


def _table_part(t: Table, layout: TableLayout, dokumen: Dokumen | None, wrap: bool) -> Markup:
    font = (dokumen or Dokumen()).font
    heads = header_lines(t, layout, font)
    head = Markup("").join(
        Markup("<tr>{}</tr>").format(
            Markup("").join(
                Markup("<th{}>{}</th>").format(_spans(h), soft_header(h, lines))
                for h, lines in zip(row, row_lines, strict=True)
            )
        )
        for row, row_lines in zip(t.header, heads, strict=True)
    )
    tied = _tied_rows(t, layout, dokumen)
    body = Markup("\n").join(_row(row, r in tied) for r, row in enumerate(t.rows))
    foot = Markup("")
    if t.foot:
        foot = Markup("<tfoot>{}</tfoot>").format(
            Markup("").join(_row(row, len(t.rows) + k in tied) for k, row in enumerate(t.foot))
        )
    # the smaller type where the layout chose it, as the PDF and the DOCX print it
    normal = (dokumen or Dokumen()).font_size_pt * TABLE_SCALE
    css = "lkj kecil" if t.small or layout.size < normal - 0.01 else "lkj"
    # Column widths and type size as the layout decided them (the PDF and the DOCX use the
    # same): table-layout fixed in lkj.css, so the browser neither widens a column for its
    # own font nor shrinks the whole page to fit a table wider than the paper.
    cols = Markup("").join(
        Markup('<col style="width:{:.2f}%">').format(100 * w) for w in layout.fractions
    )
    out = Markup(
        '<table class="{}" style="font-size:{}pt"><caption>{}</caption><colgroup>{}</colgroup>'
        "<thead>{}</thead><tbody>{}</tbody>{}</table>"
    ).format(css, f"{layout.size:.2f}", t.caption, cols, head, body, foot)
    if layout.landscape and wrap:  # the layout's decision, as the PDF and the DOCX follow it
        out = Markup('<div class="lanskap">{}</div>').format(out)
    return out


def _row(row: Sequence[Cell], tied: bool) -> Markup:
    """A row; ``tied``: kept on one page with the next (``tr.ikat``, break-after: avoid)."""
    css = Markup(' class="ikat"') if tied else Markup("")
    return Markup("<tr{}>{}</tr>").format(css, Markup("").join(_cell(c) for c in row))


def _tied_rows(t: Table, layout: TableLayout, dokumen: Dokumen | None) -> set[int]:
    """The body and foot rows (foot rows numbered after the body's) that the page must not
    leave before the next: the groups of ``lkj.document.table_layout.rows_kept`` (the first
    two body rows, the last two with the totals), as the PDF keeps them."""
    keep = rows_kept(t, layout, dokumen)
    return {r + i for r, k in enumerate(keep) for i in range(k - 1)}


def figure(png: Path | str, caption: str, alt: str = "", src: str | None = None) -> Markup:
    """Embed a PNG file (base64, so the HTML stays self-contained) with its caption.

    Args:
        png: the image file.
        caption: e.g. "Grafik 1 Anggaran dan realisasi anggaran per program".
        alt: alternative text (defaults to the caption).
        src: link to the file instead of embedding it (a relative URL; the file is not read):
            the report notebook, run beside the grafik stage that draws the figures, links them
            and its HTML page embeds them (``lkj.render.notebook_export``).

    Returns:
        Safe HTML: a figure element.
    """
    if src is None:
        src = "data:image/png;base64," + base64.b64encode(Path(png).read_bytes()).decode("ascii")
    return Markup(
        '<figure class="grafik"><img src="{}" alt="{}"><figcaption>{}</figcaption></figure>'
    ).format(src, alt or caption, caption)


def _heading(h: Heading) -> Markup:
    classes = (["bab"] if h.page_break else []) + ([] if h.toc else ["no-toc"])
    cls = Markup(' class="{}"').format(" ".join(classes)) if classes else Markup("")
    return Markup("<h{0}{1}>{2}</h{0}>").format(h.level, cls, h.text)


def _list(b: ListBlock) -> Markup:
    items = Markup("").join(
        Markup('<li value="{}">{}</li>').format(v, item)
        if v is not None
        else Markup("<li>{}</li>").format(item)
        for item, v in zip(b.items, b.values or (None,) * len(b.items), strict=True)
    )
    if not b.ordered:
        return Markup("<ul>{}</ul>").format(items)
    return Markup('<ol type="{}">{}</ol>').format(b.marker, items)


def _signature(s: Signature) -> Markup:
    from lkj.document.sampul import Signer, signature_html

    signer = Signer(s.place_date, tuple(s.jabatan), s.name, s.pangkat, s.nip)
    return signature_html(signer, s.anchor)


def _cover(c: Cover) -> Markup:
    from lkj.document.sampul import Cover as CoverData
    from lkj.document.sampul import cover_html

    agency, *pemda = c.organisation or ("",)
    data = CoverData(
        title=" ".join(c.title),
        urusan=c.subtitle,
        agency=agency,
        pemda=" ".join(pemda),
        lambang=None if c.image is None else Path(c.image),
        synthetic=c.synthetic,
    )
    return cover_html(data)


def block_html(
    block: Block,
    figure_src: Callable[[Path], str] | None = None,
    dokumen: Dokumen | None = None,
) -> Markup:
    """One block as HTML; ``figure_src``: the link of a figure's file, to link it instead of
    embedding it (:func:`figure`); ``dokumen``: the pages the tables are laid out for."""
    if isinstance(block, Table):
        return table_html(block, dokumen)
    if isinstance(block, Heading):
        return _heading(block)
    if isinstance(block, Paragraph):
        if block.style:
            return Markup('<p class="{}">{}</p>').format(block.style, block.text)
        return paragraph(block.text)
    if isinstance(block, ListBlock):
        return _list(block)
    if isinstance(block, Figure):
        return figure(
            block.path, block.caption, src=None if figure_src is None else figure_src(block.path)
        )
    if isinstance(block, PageBreak):
        return Markup('<div class="halaman-baru"></div>')
    if isinstance(block, Signature):
        return _signature(block)
    if isinstance(block, Cover):
        return _cover(block)
    if isinstance(block, Toc):
        return Markup('<h2 class="no-toc daftar-isi">{}</h2><div id="lkj-toc"></div>').format(
            block.title
        )
    raise TypeError(f"not a block: {type(block).__name__}")


def html(
    blocks: Iterable[Block],
    figure_src: Callable[[Path], str] | None = None,
    dokumen: Dokumen | None = None,
) -> Markup:
    """The HTML of ``blocks``, one per line (``figure_src``, ``dokumen``: see
    :func:`block_html`); each run of blocks that print on landscape pages
    (``lkj.document.lanskap``: landscape tables and the text carried with them) in one
    ``div.lanskap``, as the PDF and the DOCX print them."""
    blocks = list(blocks)
    flags = landscape_flags(blocks, lambda t: table_layout(t, dokumen).landscape)
    out: list[Markup] = []
    for flag, group in itertools.groupby(zip(blocks, flags, strict=True), key=lambda p: p[1]):
        if not flag:
            out.extend(block_html(b, figure_src, dokumen) for b, _ in group)
            continue
        run = Markup("\n").join(
            table_html(b, dokumen, wrap=False)
            if isinstance(b, Table)
            else block_html(b, figure_src, dokumen)
            for b, _ in group
        )
        out.append(Markup('<div class="lanskap">\n{}\n</div>').format(run))
    return Markup("\n").join(out)


# --------------------------------------------------------------------------- small helpers


def table(
    frame: pd.DataFrame,
    cols: Sequence[Col],
    caption: str,
    total: dict[str, Any] | None = None,
    number: bool = True,
    css_class: str = "lkj",
) -> Markup:
    """HTML of a DataFrame table outside a document (caption given in full).

    Args:
        frame: the rows.
        cols: the columns to show.
        caption: the whole caption.
        total: values of the total row by column header.
        number: prepend a "No" column.
        css_class: "lkj" or "lkj kecil".

    Returns:
        Safe HTML.
    """
    t = frame_table("", caption, frame, cols, total, number, small="kecil" in css_class)
    return table_html(t)


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
