"""The document model as the JSON the Typst template reads (``document_json``), for the PDF
renderer ``lkj.render.to_pdf``.

Walks ``Document.blocks`` (``lkj.document.model``, ``lkj.document.tables``) like the HTML and Word
renderers: every block becomes a JSON object (texts as strings, numbers already formatted in the
cells, categories with their colours, tables with their column widths), the settings of
``[dokumen]`` (paper, margins, font, type size) and the metadata (``metadata``: title, author,
keywords as the HTML cover states them) go beside them. The images and attachments the document
names (``Attachment``) are collected with their names in Typst's compile root (``_Files``), where
they are placed, and the figures sized, when the job runs.
"""

from __future__ import annotations

import datetime as dt
import mimetypes
import os
import shutil
import struct
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lkj.core.config import Dokumen, text_color
from lkj.document import suku_kata
from lkj.document.lanskap import landscape_flags
from lkj.document.model import (
    Block,
    Cover,
    Document,
    Figure,
    Heading,
    ListBlock,
    PageBreak,
    Paragraph,
    Signature,
    Toc,
)
from lkj.document.sampul import SIGNATURE_BOX_MM, SYNTHETIC_KEYWORD
from lkj.document.table_layout import (
    INSET_X,
    RULE,
    SAFETY,
    TableLayout,
    break_long_words,
    header_lines,
    row_heights,
    rows_kept,
    table_parts,
    tall_spans,
)
from lkj.document.tables import Cell, HeaderCell, Table, place
from lkj.render.typst_float import number_blocks

FIGURE_ROOM_MM = 28.0
"""Height of the page's content box a figure leaves for its caption (it never splits)."""


class TypstRenderError(RuntimeError):
    """Typst could not lay out the document (the message is Typst's diagnostic)."""


@dataclass(frozen=True)
class Attachment:
    """A file embedded in the PDF (PDF/A-3 associated file, relationship "Data").

    Attributes:
        path: the file (its name is the attachment's name).
        description: what it is, shown by PDF readers.
        mime: its media type (guessed from the name when empty).
        when: when the file's content last changed; the latest of the attachments' dates is
            the PDF's date (and the attachments' /ModDate) unless the caller gives one.
    """

    path: Path
    description: str = ""
    mime: str = ""
    when: dt.datetime | None = None


def _png_size(path: Path) -> tuple[int, int]:
    """Width and height in pixels of a PNG file (from its IHDR chunk)."""
    with open(path, "rb") as handle:
        head = handle.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        raise TypstRenderError(f"{path}: bukan berkas PNG")
    return struct.unpack(">II", head[16:24])


def _cell(
    c: Cell,
    room: float = 0.0,
    layout: TableLayout | None = None,
    font: str = "",
    bold: bool = False,
) -> dict[str, Any]:
    text = c.text
    if layout is not None and text and not c.items:  # a token wider than its cell is cut
        size = layout.mono_size if c.mono else layout.size
        text = break_long_words(text, room, size, font, bold or c.bold, mono=c.mono)
    return {
        "lines": text.split("\n") if text else [],
        "items": list(c.items),
        "align": c.align if not c.is_category else "left",
        "color": c.color if c.is_category else "",
        "fg": text_color(c.color) if c.is_category else "",
        "bold": bool(c.bold and c.text),
        "italic": c.italic,
        "indent": c.indent,
        "mono": c.mono,
        "colspan": c.colspan,
        "rowspan": c.rowspan,
    }


def _header_cell(h: HeaderCell, lines: list[tuple[str, bool]]) -> dict[str, Any]:
    """A header cell: its lines as the layout broke them (a word broken at a syllable ends
    its line with a hyphen; no soft hyphen reaches the PDF's text)."""
    return {
        "text": h.text,
        "lines": suku_kata.printed_lines(lines),
        "colspan": h.colspan,
        "rowspan": h.rowspan,
    }


def _rows(
    t: Table,
    rows: list,
    layout: TableLayout,
    font: str,
    bold: bool,
    tall: AbstractSet[tuple[int, int]] = frozenset(),
) -> list:
    out = []
    for r, placed in enumerate(place(rows, len(t.columns), t.key)):
        cells = []
        for j, c in placed:
            room = sum(layout.widths[j : j + c.colspan]) - 2 * INSET_X - RULE - SAFETY
            if c.indent:
                room -= c.indent * 0.9 * layout.size + layout.size
            cells.append(_cell(c, room, layout, font, bold) | {"breakable": (r, j) in tall})
        out.append(cells)
    return out


def _tables(t: Table, dokumen: Dokumen) -> list[dict[str, Any]]:
    """The table as printed: one table, or the parts its layout splits it into."""
    return [_table(part, layout, dokumen) for part, layout in table_parts(t, dokumen)]


def _table(t: Table, layout: TableLayout, dokumen: Dokumen) -> dict[str, Any]:
    heads = header_lines(t, layout, dokumen.font)
    heights = row_heights(t, layout, dokumen.font)
    return {
        "type": "table",
        "key": t.key,
        "caption": t.caption,
        "widths": list(layout.widths),
        "size": round(layout.size, 3),
        "mono_size": round(layout.mono_size, 3),
        "header": [
            [_header_cell(h, lines) for h, lines in zip(row, row_lines, strict=True)]
            for row, row_lines in zip(t.header, heads, strict=True)
        ],
        "rows": _rows(t, t.rows, layout, dokumen.font, False, tall_spans(t, layout, dokumen)),
        "foot": _rows(t, t.foot, layout, dokumen.font, True),
        "landscape": layout.landscape,
        "keep": rows_kept(t, layout, dokumen, heights),
        # estimated from above; lkj.render.typst_float keeps a short last page's rows with more
        "heights": [round(h, 1) for h in heights],
    }


def _landscape_runs(
    blocks: Sequence[Block], printed: list[list[dict[str, Any]]]
) -> list[dict[str, Any]]:
    """The blocks' JSON with each run of blocks that print on landscape pages
    (``lkj.document.lanskap``: landscape tables, the parts of a split one, the text that
    introduces them or stands between them) as one ``{"type": "landscape", "blocks": [...]}``:
    one landscape page run, the text carried with its table."""
    turned = {
        id(b): out[0]["landscape"]
        for b, out in zip(blocks, printed, strict=True)
        if isinstance(b, Table)
    }
    flags = landscape_flags(blocks, lambda t: turned[id(t)])
    runs: list[dict[str, Any]] = []
    for out, flag in zip(printed, flags, strict=True):
        if not flag:
            runs.extend(out)
        elif runs and runs[-1]["type"] == "landscape":
            runs[-1]["blocks"].extend(out)
        else:  # a new landscape page: a chapter heading opening it needs no page break
            opens = out[0]["type"] == "heading" and out[0]["page_break"]
            first = out[0] | ({"page_break": False, "opens_chapter": True} if opens else {})
            runs.append({"type": "landscape", "blocks": [first, *out[1:]]})
    return runs


class _Files:
    """The images and attachments the document uses, each with its name in the compile root.

    Typst reads files only under its compile root. The root is a temporary folder that holds
    a link to (or a copy of) each file and the template, whatever folders, or drives, the files
    come from (the figures in the report folder, the lambang in data/raw, the workbook in a
    staging folder)."""

    def __init__(self) -> None:
        self.names: dict[Path, str] = {}
        self.figures: list[tuple[dict[str, Any], Path, tuple[float, float]]] = []
        """Figure entries of the document's JSON whose width needs their image's size:
        filled by :meth:`size_figures` (the images may not be drawn yet when the JSON is
        built)."""

    def name(self, path: Path) -> str:
        """The file's path in the compile root ("/001-grafik_1.png")."""
        source = Path(path).resolve()
        if source not in self.names:
            self.names[source] = f"/{len(self.names):03d}-{source.name}"
        return self.names[source]

    def size_figures(self) -> None:
        """Set the printed width of every figure from its image's size (fit into the text
        area, and short enough to leave room for the caption)."""
        for entry, path, content in self.figures:
            width_px, height_px = _png_size(path)
            tallest = content[1] - FIGURE_ROOM_MM
            entry["width_mm"] = round(min(content[0], tallest * width_px / height_px), 2)

    def place(self, root: Path) -> None:
        """Link (else copy) every file into ``root``."""
        for source, name in self.names.items():
            target = root / name[1:]
            try:
                os.link(source, target)
            except FileNotFoundError:
                raise TypstRenderError(f"{source}: berkas tidak ditemukan") from None
            except OSError:  # another drive, or a filesystem without hard links
                shutil.copyfile(source, target)


def _signature(block: Signature) -> dict[str, Any]:
    jabatan = list(block.jabatan)
    if jabatan and not jabatan[-1].endswith(","):  # "Kabupaten Belitung Timur," as in HTML
        jabatan[-1] += ","
    return {
        "type": "signature",
        "place_date": block.place_date,
        "jabatan": jabatan,
        "name": block.name,
        "pangkat": block.pangkat,
        "nip": block.nip,
        "anchor": block.anchor,
        "box_mm": list(SIGNATURE_BOX_MM),
    }


def _blocks(block: Block, files: _Files, dokumen: Dokumen) -> list[dict[str, Any]]:
    """The JSON of a block: one object, or one per part of a table split by its layout."""
    if isinstance(block, Table):
        return _tables(block, dokumen)
    return [_block(block, files, dokumen)]


def _block(block: Block, files: _Files, dokumen: Dokumen) -> dict[str, Any]:
    content = dokumen.content_mm
    if isinstance(block, Heading):
        return {
            "type": "heading",
            "level": block.level,
            "text": block.text,
            "toc": block.toc,
            "page_break": block.page_break,
        }
    if isinstance(block, Paragraph):
        return {"type": "paragraph", "text": block.text, "style": block.style}
    if isinstance(block, ListBlock):
        values = list(block.values) or [None] * len(block.items)
        return {
            "type": "list",
            "items": list(block.items),
            "ordered": block.ordered,
            "marker": block.marker,
            "values": values,
        }
    if isinstance(block, Figure):
        entry = {
            "type": "figure",
            "path": files.name(block.path),
            "caption": block.caption,
            "width_mm": None,  # _Files.size_figures
        }
        files.figures.append((entry, block.path, content))
        return entry
    if isinstance(block, PageBreak):
        return {"type": "pagebreak"}
    if isinstance(block, Signature):
        return _signature(block)
    if isinstance(block, Cover):
        return {
            "type": "cover",
            "title": list(block.title),
            "subtitle": block.subtitle,
            "organisation": list(block.organisation),
            "image": files.name(block.image) if block.image is not None else None,
        }
    if isinstance(block, Toc):
        return {"type": "toc", "title": block.title}
    raise TypeError(f"not a block: {type(block).__name__}")


@dataclass(frozen=True)
class Metadata:
    """What the PDF says about itself.

    Attributes:
        title: the document title.
        author: the agency (with its pemda).
        keywords: the keywords ("DATA SINTETIS" first for synthetic data).
        synthetic: the document is built from synthetic data.
    """

    title: str
    author: str
    keywords: tuple[str, ...]
    synthetic: bool


def metadata(
    doc: Document,
    title: str | None = None,
    author: str | None = None,
    keywords: Sequence[str] | None = None,
    synthetic: bool | None = None,
) -> Metadata:
    """The PDF's metadata: as the HTML report's cover states it, unless given.

    With a :class:`lkj.document.model.Cover`, the title is the cover's, the author its agency and
    pemda, the keywords those of :func:`lkj.document.sampul.keywords` ("DATA SINTETIS" first when
    the
    cover says the data is synthetic); without one, the document's title and author and no
    keywords. ``synthetic=True`` always puts "DATA SINTETIS" in the keywords.

    Args:
        doc: the document.
        title: overrides the title.
        author: overrides the author.
        keywords: override the keywords.
        synthetic: built from synthetic data (None: as the cover says).

    Returns:
        The metadata.
    """
    from lkj.document.sampul import Cover as CoverData
    from lkj.document.sampul import keywords as cover_keywords

    cover = next((b for b in doc.blocks if isinstance(b, Cover)), None)
    if cover is not None:
        agency, *pemda = cover.organisation or ("",)
        data = CoverData(
            title=" ".join(cover.title),
            urusan=cover.subtitle,
            agency=agency,
            pemda=" ".join(pemda),
            lambang=cover.image,
            synthetic=cover.synthetic if synthetic is None else synthetic,
        )
        found = Metadata(data.title, data.author, tuple(cover_keywords(data)), data.synthetic)
    else:
        found = Metadata(doc.title, doc.author, (), bool(synthetic))
    words = tuple(keywords) if keywords is not None else found.keywords
    if found.synthetic and SYNTHETIC_KEYWORD not in words:
        words = (SYNTHETIC_KEYWORD, *words)
    return Metadata(
        title if title is not None else found.title,
        author if author is not None else found.author,
        words,
        found.synthetic,
    )


def document_json(
    doc: Document,
    dokumen: Dokumen | None = None,
    meta: Metadata | None = None,
    attachments: Sequence[Attachment] = (),
    sized: bool = True,
) -> tuple[dict[str, Any], _Files]:
    """The document as the JSON the Typst template reads, and the files it names.

    Args:
        doc: the numbered document (``lkj.document.laporan.report_document``).
        dokumen: paper, margins, font and type size (None: the defaults of ``Dokumen``).
        meta: title, author, keywords, synthetic (None: :func:`metadata` of ``doc``).
        attachments: files to embed.
        sized: read the figures' sizes now (False: the figures may not be drawn yet; their
            widths are set by the files' ``size_figures``).

    Returns:
        The JSON-ready dict and the images and attachments by their names in the compile root.
    """
    dokumen = dokumen or Dokumen()
    meta = meta or metadata(doc)
    width, height = dokumen.paper_mm
    blocks = doc.blocks
    files = _Files()
    data = {
        "title": meta.title,
        "author": meta.author,
        "keywords": list(meta.keywords),
        "settings": {
            "width": width,
            "height": height,
            "margin": [
                10 * dokumen.margin_top_cm,
                10 * dokumen.margin_right_cm,
                10 * dokumen.margin_bottom_cm,
                10 * dokumen.margin_left_cm,
            ],
            "font": dokumen.font,
            "font_size": dokumen.font_size_pt,
            "synthetic": meta.synthetic,
        },
        "attachments": [
            {
                "path": files.name(a.path),
                "name": Path(a.path).name,
                "description": a.description or a.path.name,
                "mime": a.mime
                or mimetypes.guess_type(a.path.name)[0]
                or "application/octet-stream",
            }
            for a in attachments
        ],
        "blocks": _landscape_runs(blocks, [_blocks(b, files, dokumen) for b in blocks]),
    }
    number_blocks(data["blocks"])  # the keys of the marks lkj.render.typst_float reads
    if sized:
        files.size_figures()
    return data, files
