"""The Word (DOCX) renderer of the document model, with python-docx.

Walks the same blocks as the HTML renderer (``lkj.document.model``, ``lkj.document.tables``), so
the DOCX
holds the same tables, figures and text as the HTML and PDF. What Word users get:

* real Word tables: merged header cells where the model has them, header rows repeated on
  every page (``w:tblHeader``), rows that do not split across pages, numbers right-aligned,
  category cells shaded in their colour, column widths fitted to the content;
* Word heading styles (Heading 1-4), so the daftar isi is a TOC field that Word updates
  (Word offers to update it when the file is opened; References > Update Table otherwise);
* page numbers in the footer ("Halaman N"), none on the cover;
* the grafik as images with their captions; wide tables on landscape sections;
* paper, margins, font and type size from the document settings ([dokumen] of
  config/lkj.toml: A4 or F4; Arial or Times New Roman, the fonts Word users have that match
  the shipped Liberation Sans and Serif), language Indonesian.

Entry points: :func:`write_docx` (a document to a file; ``lkj.run.cetak`` writes the year's report
with it, from the same document as the PDF) and :func:`write_report_docx` (the year's report,
its data loaded again).
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.image.image import Image
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from lkj.core.config import Dokumen, text_color
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
from lkj.document.tables import Cell, Table, column_widths, place

LANGUAGE = "id-ID"
# Sizes below are for body text of 10.5 pt; they scale with [dokumen] ukuran_huruf_pt as the
# report's stylesheet does (its sizes are rem of the body text).
BASE_PT = 10.5

HEADING_COLOR = RGBColor(0x1F, 0x38, 0x64)
TEXT_COLOR = RGBColor(0x1A, 0x1A, 0x1A)
NOTE_COLOR = RGBColor(0x4D, 0x4D, 0x4D)
HEADER_FILL = "DCE6F1"
FOOT_FILL = "EEF1F5"
HEADING_SIZES = {1: 15.0, 2: 12.5, 3: 11.0, 4: 10.5}
TABLE_STYLE, SMALL_TABLE_STYLE, NOTE_STYLE = "Tabel", "Tabel Kecil", "Catatan"
NO_TOC_STYLE = "Judul Tanpa Daftar Isi"
MONO_FONT = "Courier New"
# Characters of table text per mm of line (8.5 pt Arial, bold headers: about 0.5 a mm; fewer
# for larger type) and the cell padding, left plus right (mm).
CHARS_PER_MM = 0.5
CELL_PADDING_MM = 2.4
WORD_FACTOR = 1.3  # unbreakable words: bold headers, digits, a wider substitute font
MAX_FIGURE_HEIGHT_MM = 200.0


def _set_font(rpr_owner: object, name: str) -> None:
    """Name ``name`` for every script of a style or run, dropping theme fonts."""
    rpr = rpr_owner.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        if attr.endswith("Theme"):
            del fonts.attrib[attr]
    for script in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(script), name)


def _field(paragraph: DocxParagraph, instruction: str, cached: str = "") -> None:
    """A complex field (PAGE, TOC, ...) in ``paragraph`` with a cached result."""
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instr, separate):
        paragraph.add_run()._r.append(element)
    paragraph.add_run(cached)
    paragraph.add_run()._r.append(end)


# Elements of w:settings that come after w:updateFields (schema order; Word refuses others).
_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults",
    "w:footnotePr",
    "w:endnotePr",
    "w:compat",
    "w:docVars",
    "w:rsids",
    "w:attachedSchema",
    "w:themeFontLang",
    "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures",
    "w:forceUpgrade",
    "w:captions",
    "w:readModeInkLockDown",
    "w:smartTagType",
    "w:shapeDefaults",
    "w:doNotEmbedSmartTags",
    "w:decimalSymbol",
    "w:listSeparator",
)


class _Writer:
    """Builds one DOCX from blocks."""

    def __init__(self, dokumen: Dokumen, font: str | None = None) -> None:
        self.paper = tuple(float(x) for x in dokumen.paper_mm)
        # top, right, bottom, left in mm
        self.margins = tuple(
            10 * x
            for x in (
                dokumen.margin_top_cm,
                dokumen.margin_right_cm,
                dokumen.margin_bottom_cm,
                dokumen.margin_left_cm,
            )
        )
        self.font = font or dokumen.word_font
        self.scale = dokumen.font_size_pt / BASE_PT
        self.doc = new_docx()
        self.landscape = False
        self.pictures: list[tuple[Any, Path, float]] = []  # runs waiting for their figure
        self._styles()
        self._ids = {style.name: style.style_id for style in self.doc.styles}
        section = self.doc.sections[0]
        self._page(section, landscape=False)
        section.different_first_page_header_footer = True  # the cover has no page number
        self._footer(section)
        self._update_fields_on_open()
        body = self.doc.element.body
        for p in list(body.iterchildren(qn("w:p"))):  # the template's empty paragraph
            body.remove(p)

    # ------------------------------------------------------------------ setup

    def _styles(self) -> None:
        styles = self.doc.styles
        normal = styles["Normal"]
        _set_font(normal.element, self.font)
        normal.font.size = self._pt(BASE_PT)
        normal.font.color.rgb = TEXT_COLOR
        normal.paragraph_format.space_after = Pt(6)
        normal.paragraph_format.line_spacing = 1.15
        rpr = normal.element.get_or_add_rPr()
        lang = OxmlElement("w:lang")
        for attr in ("w:val", "w:eastAsia", "w:bidi"):
            lang.set(qn(attr), LANGUAGE)
        rpr.append(lang)
        for level, size in HEADING_SIZES.items():
            style = styles[f"Heading {level}"]
            _set_font(style.element, self.font)
            style.font.size = self._pt(size)
            style.font.bold = True
            style.font.italic = False
            style.font.color.rgb = HEADING_COLOR
            style.paragraph_format.space_before = Pt(12 if level > 1 else 0)
            style.paragraph_format.space_after = Pt(6)
            style.paragraph_format.keep_with_next = True
        styles["Heading 1"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        styles["Heading 1"].paragraph_format.space_after = Pt(14)
        no_toc = styles.add_style(NO_TOC_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        no_toc.base_style = normal
        no_toc.font.bold = True
        no_toc.font.size = self._pt(14)
        no_toc.font.color.rgb = HEADING_COLOR
        no_toc.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        no_toc.paragraph_format.keep_with_next = True
        no_toc.paragraph_format.space_after = Pt(12)
        caption = styles["Caption"]
        _set_font(caption.element, self.font)
        caption.font.size = self._pt(9.5)
        caption.font.bold = True
        caption.font.italic = False
        caption.font.color.rgb = TEXT_COLOR
        caption.paragraph_format.space_before = Pt(6)
        caption.paragraph_format.space_after = Pt(3)
        for name, size in ((TABLE_STYLE, 8.5), (SMALL_TABLE_STYLE, 7.5)):
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = normal
            style.font.size = self._pt(size)
            style.paragraph_format.space_after = Pt(0)
            style.paragraph_format.space_before = Pt(0)
            style.paragraph_format.line_spacing = 1.0
        note = styles.add_style(NOTE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
        note.base_style = normal
        note.font.size = self._pt(8)
        note.font.color.rgb = NOTE_COLOR
        for level in (1, 2):
            style = styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = normal
            style.paragraph_format.space_after = Pt(2)
            style.paragraph_format.left_indent = Mm(0 if level == 1 else 6)
            style.font.bold = level == 1

    def _page(self, section: object, landscape: bool) -> None:
        width, height = self.paper
        if landscape:
            width, height = height, width
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(width), Mm(height)
        top, right, bottom, left = self.margins
        section.top_margin, section.right_margin = Mm(top), Mm(right)
        section.bottom_margin, section.left_margin = Mm(bottom), Mm(left)
        section.footer_distance = Mm(10)

    def _footer(self, section: object) -> None:
        p = section.footer.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run("Halaman ")
        _field(p, "PAGE", "1")
        for r in p.runs:
            r.font.size = self._pt(8.5)
            r.font.color.rgb = NOTE_COLOR

    def _update_fields_on_open(self) -> None:
        """Ask Word to update the fields (daftar isi, page numbers) when the file is opened."""
        settings = self.doc.settings.element
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        after = {qn(tag) for tag in _AFTER_UPDATE_FIELDS}
        for child in settings:
            if child.tag in after:
                child.addprevious(update)
                return
        settings.append(update)

    @property
    def content_width_mm(self) -> float:
        width = self.paper[1] if self.landscape else self.paper[0]
        return width - self.margins[1] - self.margins[3]

    def _pt(self, size: float) -> Pt:
        """A type size of the 10.5 pt design at the configured size of the body text."""
        return Pt(round(size * self.scale * 2) / 2)

    def _orientation(self, landscape: bool) -> None:
        """Start a new section when the orientation changes."""
        if landscape == self.landscape:
            return
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        self.landscape = landscape
        self._page(section, landscape)
        section.different_first_page_header_footer = False

    # ------------------------------------------------------------------ blocks

    def _add(self, text: str = "", style: str | None = None) -> DocxParagraph:
        """A new paragraph (styles set by id: python-docx's lookup by name is slow)."""
        p = self.doc.add_paragraph(text)
        if style:
            p._p.style = self._ids[style]
        return p

    def _restyle(self, p: DocxParagraph, style: str) -> None:
        p._p.style = self._ids[style]

    def write(self, blocks: Sequence[Block]) -> None:
        headings = [b for b in blocks if isinstance(b, Heading)]
        for block in blocks:
            self._orientation(isinstance(block, Table) and block.landscape)
            if isinstance(block, Table):
                self._table(block)
            elif isinstance(block, Heading):
                self._heading(block)
            elif isinstance(block, Paragraph):
                self._paragraph(block)
            elif isinstance(block, ListBlock):
                self._list(block)
            elif isinstance(block, Figure):
                self._figure(block)
            elif isinstance(block, PageBreak):
                self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            elif isinstance(block, Signature):
                self._signature(block)
            elif isinstance(block, Cover):
                self._cover(block)
            elif isinstance(block, Toc):
                self._toc(block, headings)
            else:  # pragma: no cover - every block type is handled above
                raise TypeError(f"not a block: {type(block).__name__}")

    def _heading(self, h: Heading) -> None:
        if h.toc or h.level > 2:
            p = self._add(h.text, f"Heading {min(h.level, 4)}")
        else:
            p = self._add(h.text, NO_TOC_STYLE)
        if h.page_break:
            p.paragraph_format.page_break_before = True

    def _paragraph(self, para: Paragraph) -> None:
        style = NOTE_STYLE if para.style in ("catatan", "sumber", "provenance-waktu") else None
        p = self._add(para.text, style)
        if not style:
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    def _list(self, block: ListBlock) -> None:
        if not block.ordered:
            for item in block.items:
                self._add(item, "List Bullet")
            return
        number = 0
        values = block.values or (None,) * len(block.items)
        for item, value in zip(block.items, values, strict=True):
            number = value if value is not None else number + 1
            marker = chr(ord("a") + number - 1) if block.marker == "a" else str(number)
            p = self.doc.add_paragraph(f"{marker}.\t{item}")
            p.paragraph_format.left_indent = Mm(7)
            p.paragraph_format.first_line_indent = Mm(-7)
            p.paragraph_format.tab_stops.add_tab_stop(Mm(7))

    def _figure(self, f: Figure) -> None:
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.keep_with_next = True
        # the picture goes in when the draft is finished (the figure may not be drawn yet)
        self.pictures.append((p.add_run(), f.path, self.content_width_mm))
        caption = self._add(f.caption, "Caption")
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def add_pictures(self) -> None:
        """Put each figure's picture in its place, scaled to the text width of its page and
        to :data:`MAX_FIGURE_HEIGHT_MM`."""
        for run, path, content_width_mm in self.pictures:
            image = Image.from_file(str(path))
            width_mm = Emu(image.width).mm
            height_mm = Emu(image.height).mm
            scale = min(
                1.0,
                content_width_mm / width_mm if width_mm else 1.0,
                MAX_FIGURE_HEIGHT_MM / height_mm if height_mm else 1.0,
            )
            run.add_picture(str(path), width=Mm(width_mm * scale))
        self.pictures.clear()

    def _signature(self, s: Signature) -> None:
        jabatan = list(s.jabatan)
        if jabatan and not jabatan[-1].endswith(","):
            jabatan[-1] += ","  # as the HTML block (lkj.document.sampul.signature_html)
        lines = [s.place_date, *jabatan] if s.place_date else jabatan
        p = self.doc.add_paragraph()
        p.paragraph_format.left_indent = Mm(self.content_width_mm * 0.55)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.keep_with_next = True
        p.paragraph_format.space_before = Pt(18)
        p.paragraph_format.space_after = Pt(48)  # room to sign
        for i, line in enumerate(lines):
            run = p.add_run(line)
            if i < len(lines) - 1:
                run.add_break()
        p = self.doc.add_paragraph()
        p.paragraph_format.left_indent = Mm(self.content_width_mm * 0.55)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        name = p.add_run(s.name)
        name.bold = True
        name.underline = True
        for line in (s.pangkat, f"NIP. {s.nip}" if s.nip else ""):
            if line:
                p.add_run().add_break()
                p.add_run(line)

    def _cover(self, c: Cover) -> None:
        first = True
        if c.image is not None and Path(c.image).suffix.lower() != ".svg":  # Word: PNG/JPEG
            p = self.doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.add_run().add_picture(str(c.image), height=Mm(45))
            first = False
        p = self._add(style=NO_TOC_STYLE)
        p.paragraph_format.space_before = Pt(0 if not first else 120)
        p.paragraph_format.space_after = Pt(36)
        for i, line in enumerate(c.title):
            run = p.add_run(line)
            run.font.size = self._pt(20)
            if i < len(c.title) - 1:
                run.add_break()
        p = self.doc.add_paragraph(c.subtitle)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(120)
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if c.synthetic:
            warning = self.doc.add_paragraph()
            warning.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = warning.add_run("DATA SINTETIS")
            run.bold = True
            run.font.size = self._pt(16)
        for i, line in enumerate(c.organisation):
            run = p.add_run(line.upper())
            run.bold = True
            run.font.size = self._pt(14)
            if i < len(c.organisation) - 1:
                run.add_break()
        p.add_run().add_break(WD_BREAK.PAGE)

    def _toc(self, toc: Toc, headings: Sequence[Heading]) -> None:
        title = self._add(toc.title, NO_TOC_STYLE)
        title.paragraph_format.page_break_before = True
        entries = [h for h in headings if h.toc and h.level <= 2]
        instruction = 'TOC \\o "1-2" \\h \\z \\u'
        first = self._add(style="toc 1")
        begin = OxmlElement("w:fldChar")
        begin.set(qn("w:fldCharType"), "begin")
        begin.set(qn("w:dirty"), "true")  # Word recomputes it (page numbers) on opening
        instr = OxmlElement("w:instrText")
        instr.set(qn("xml:space"), "preserve")
        instr.text = f" {instruction} "
        separate = OxmlElement("w:fldChar")
        separate.set(qn("w:fldCharType"), "separate")
        for element in (begin, instr, separate):
            first.add_run()._r.append(element)
        last = first
        if not entries:
            first.add_run("Perbarui daftar isi (klik kanan, Perbarui Bidang).")
        for i, h in enumerate(entries):
            p = first if i == 0 else self._add(style=f"toc {h.level}")
            if i == 0 and h.level != 1:
                self._restyle(p, f"toc {h.level}")
            p.add_run(h.text)
            last = p
        end = OxmlElement("w:fldChar")
        end.set(qn("w:fldCharType"), "end")
        last.add_run()._r.append(end)

    # ------------------------------------------------------------------ tables

    def _table(self, t: Table) -> None:
        caption = self._add(t.caption, "Caption")
        caption.paragraph_format.keep_with_next = True
        width_mm = self.content_width_mm
        chars_per_mm = CHARS_PER_MM * (8.5 / 7.5 if t.small else 1.0) / self.scale
        fractions = column_widths(
            t, width_mm * chars_per_mm, CELL_PADDING_MM * chars_per_mm, WORD_FACTOR
        )
        widths = [round(width_mm * w / 25.4 * 1440) for w in fractions]
        style = self._ids[SMALL_TABLE_STYLE if t.small else TABLE_STYLE]
        xml = table_xml(t, widths, style, self._ids["Table Grid"])
        self.doc.element.body._insert_tbl(parse_xml(xml))
        spacer = self._add()
        spacer.paragraph_format.space_after = Pt(4)


# ---------------------------------------------------------------------- table XML

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_PAD = round(CELL_PADDING_MM / 2 / 25.4 * 1440)  # each side, in twentieths of a point
_INVALID_XML = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))


def _text(text: str) -> str:
    return xml_escape(text.translate(_INVALID_XML))


def _run(
    text: str, bold: bool = False, italic: bool = False, color: str = "", mono: bool = False
) -> str:
    props = ""
    if mono:
        props += f'<w:rFonts w:ascii="{MONO_FONT}" w:hAnsi="{MONO_FONT}" w:cs="{MONO_FONT}"/>'
    if bold:
        props += "<w:b/><w:bCs/>"
    if italic:
        props += "<w:i/><w:iCs/>"
    if color:
        props += f'<w:color w:val="{color}"/>'
    lines = text.split("\n")
    body = "<w:br/>".join(f'<w:t xml:space="preserve">{_text(line)}</w:t>' for line in lines)
    return f"<w:r>{f'<w:rPr>{props}</w:rPr>' if props else ''}{body}</w:r>"


def _paragraph_xml(runs: str, style: str, align: str = "", indent_mm: float = 0) -> str:
    props = f'<w:pStyle w:val="{style}"/>'
    if indent_mm:
        props += f'<w:ind w:left="{round(indent_mm / 25.4 * 1440)}"/>'
    if align:
        props += f'<w:jc w:val="{align}"/>'
    return f"<w:p><w:pPr>{props}</w:pPr>{runs}</w:p>"


def _cell_paragraphs(c: Cell, style: str, foot: bool) -> tuple[str, str]:
    """The paragraphs of a body or foot cell and its fill colour."""
    align = "right" if c.align == "right" else ""
    if c.is_category:
        color = text_color(c.color).lstrip("#").upper()
        return _paragraph_xml(_run(c.text, bold=True, color=color), style, align), c.color.lstrip(
            "#"
        ).upper()
    fill = FOOT_FILL if foot else ""
    if c.items:
        paragraphs = "".join(
            _paragraph_xml(_run(f"{i}. {item}"), style) for i, item in enumerate(c.items, start=1)
        )
        return paragraphs, fill
    text = f"{'– ' * c.indent}{c.text}"
    run = _run(text, bold=c.bold or (foot and bool(c.text)), italic=c.italic, mono=c.mono)
    return _paragraph_xml(run, style, align, 2 * c.indent), fill


def table_xml(t: Table, widths: Sequence[int], style: str, table_style: str) -> str:
    """The ``w:tbl`` element of a table (built as text: python-docx's cell API is slow).

    Header rows repeat on every page (``w:tblHeader``), no row splits across pages
    (``w:cantSplit``), merged cells become ``w:gridSpan``/``w:vMerge``, the layout is fixed
    to ``widths``.

    Args:
        t: the table.
        widths: the width of every column in twentieths of a point.
        style: the paragraph style id of the cells.
        table_style: the table style id (a grid).

    Returns:
        The XML of the table.
    """
    n = len(t.columns)
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    out = [
        f'<w:tbl xmlns:w="{_W}"><w:tblPr><w:tblStyle w:val="{table_style}"/>'
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
        '<w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:left w:w="{_PAD}" w:type="dxa"/><w:right w:w="{_PAD}" w:type="dxa"/>'
        "</w:tblCellMar>"
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" '
        'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>"
    ]
    for part, rows in (("header", t.header), ("body", t.rows), ("foot", t.foot)):
        continued: dict[tuple[int, int], int] = {}  # (row, column) -> colspan under a rowspan
        for r, placed in enumerate(place(rows, n, t.key)):
            cells: dict[int, str] = {}
            for j, content in placed:
                span = content.colspan
                props = f'<w:tcW w:w="{sum(widths[j : j + span])}" w:type="dxa"/>'
                if span > 1:
                    props += f'<w:gridSpan w:val="{span}"/>'
                if content.rowspan > 1:
                    props += '<w:vMerge w:val="restart"/>'
                    for k in range(1, content.rowspan):
                        continued[(r + k, j)] = span
                if part == "header":
                    paragraphs = _paragraph_xml(
                        _run(content.text, bold=True, color=str(HEADING_COLOR)), style, "center"
                    )
                    fill = HEADER_FILL
                else:
                    paragraphs, fill = _cell_paragraphs(content, style, part == "foot")
                if fill:
                    props += f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>'
                props += f'<w:vAlign w:val="{"center" if part == "header" else "top"}"/>'
                cells[j] = f"<w:tc><w:tcPr>{props}</w:tcPr>{paragraphs}</w:tc>"
            for (row, j), span in continued.items():
                if row == r:
                    width = sum(widths[j : j + span])
                    merged = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
                    fill = (
                        f'<w:shd w:val="clear" w:color="auto" w:fill="{HEADER_FILL}"/>'
                        if part == "header"
                        else ""
                    )
                    empty = f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr></w:p>'
                    cells[j] = (
                        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{merged}<w:vMerge/>'
                        f"{fill}</w:tcPr>{empty}</w:tc>"
                    )
            header = "<w:tblHeader/>" if part == "header" else ""
            out.append(
                f"<w:tr><w:trPr><w:cantSplit/>{header}</w:trPr>"
                + "".join(cells[j] for j in sorted(cells))
                + "</w:tr>"
            )
    out.append("</w:tbl>")
    return "".join(out)


def _set_properties(doc: object, document: Document, when: datetime) -> None:
    props = doc.core_properties  # type: ignore[attr-defined]
    props.title = document.title
    props.author = document.author or "lkj"
    props.last_modified_by = "lkj"
    props.language = LANGUAGE
    props.subject = "Laporan Kinerja"
    props.keywords = "LKj; laporan kinerja"
    props.comments = "Dibuat oleh lkj dari data mentah; angka dihitung, bukan diketik."
    props.created = when
    props.modified = when
    props.revision = 1


def _build_time() -> datetime:
    """SOURCE_DATE_EPOCH if set, else today at midnight UTC (same-day builds are identical)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).replace(tzinfo=None)
    today = datetime.now(tz=timezone.utc).date()
    return datetime(today.year, today.month, today.day)


def _normalised_zip(data: bytes) -> bytes:
    """The same package with fixed entry timestamps, so that equal content gives equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


SYNTHETIC_HEADER = "DATA SINTETIS: bukan data kinerja sebenarnya"
"""The page header of every page of a DOCX built from synthetic data."""


def _mark_synthetic(doc: object) -> None:
    """Put :data:`SYNTHETIC_HEADER` in the page header of every section of a python-docx
    document (the cover's first-page header too), so that every page Word prints says it."""
    for section in doc.sections:
        headers = [section.header]
        if section.different_first_page_header_footer:
            headers.append(section.first_page_header)
        for header in headers:
            header.is_linked_to_previous = False
            paragraph = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
            paragraph.text = ""
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(SYNTHETIC_HEADER)
            run.bold = True
            run.font.size = Pt(10)
            run.font.color.rgb = RGBColor(0xB0, 0x00, 0x20)


def mark_docx_synthetic(path: Path | str) -> None:
    """Put the DATA SINTETIS label in the page header of every section of a DOCX file (the
    cover's first-page header too), so that every page Word prints says it.

    Args:
        path: the .docx file, rewritten in place.
    """
    doc = new_docx(str(path))
    _mark_synthetic(doc)
    doc.save(str(path))


class DocxDraft:
    """A DOCX built but for its figures' pictures (:func:`docx_draft`): the print job builds
    it beside the grafik stage and finishes it (:meth:`finish`) once the figures are drawn."""

    def __init__(self, writer: _Writer, document: Document) -> None:
        self._writer = writer
        self._document = document

    def finish(self) -> bytes:
        """The file's bytes, every figure's picture in place (read now)."""
        writer = self._writer
        writer.add_pictures()
        _set_properties(writer.doc, self._document, _build_time())
        package = writer.doc.part.package
        for rid, rel in list(package.rels.items()):
            if rel.reltype == RT.THUMBNAIL:  # python-docx's template's (blank) thumbnail
                del package.rels[rid]
        buffer = io.BytesIO()
        writer.doc.save(buffer)
        return _normalised_zip(buffer.getvalue())


def docx_draft(
    document: Document,
    dokumen: Dokumen | None = None,
    paper: str | None = None,
    font: str | None = None,
    synthetic: bool = False,
) -> DocxDraft:
    """The DOCX of ``document`` without its figures' pictures, which need not be drawn yet
    (:meth:`DocxDraft.finish` reads them). Arguments as :func:`docx_bytes`."""
    writer = _Writer((dokumen or Dokumen()).with_paper(paper), font)
    writer.write(document.blocks)
    if synthetic:
        _mark_synthetic(writer.doc)
    return DocxDraft(writer, document)


def docx_bytes(
    document: Document,
    dokumen: Dokumen | None = None,
    paper: str | None = None,
    font: str | None = None,
    synthetic: bool = False,
) -> bytes:
    """The DOCX of ``document``.

    Args:
        document: the numbered document (``lkj.document.laporan.report_document``).
        dokumen: the document settings (paper, margins, font, type size; [dokumen] of
            config/lkj.toml); None: the defaults.
        paper: "A4" or "F4", overriding the settings' paper.
        font: the font name Word shows, overriding the settings' (Arial or Times New Roman,
            which Word users have, for the shipped Liberation Sans or Serif).
        synthetic: built from synthetic data: "DATA SINTETIS" in every page header.

    Returns:
        The file's bytes.
    """
    return docx_draft(document, dokumen, paper, font, synthetic).finish()


def write_docx(
    document: Document,
    target: Path | str,
    dokumen: Dokumen | None = None,
    paper: str | None = None,
    font: str | None = None,
    synthetic: bool = False,
) -> Path:
    """Write ``document`` as a DOCX file.

    Args:
        document: the numbered document.
        target: the .docx file to write.
        dokumen: the document settings (None: the defaults).
        paper: "A4" or "F4", overriding the settings' paper.
        font: the font name Word shows, overriding the settings'.
        synthetic: built from synthetic data: "DATA SINTETIS" in every page header.

    Returns:
        The path written.
    """
    target = Path(target)
    target.write_bytes(docx_bytes(document, dokumen, paper, font, synthetic))
    return target


def write_report_docx(
    year: int,
    processed_dir: Path | str,
    output_dir: Path | str,
    config: Path | str | None,
    raw_dir: Path | str,
    target: Path | str,
    dokumen: Dokumen | None = None,
) -> Path:
    """Build the year's report document (as the report notebook does) and write its DOCX.

    Args:
        year: the report year.
        processed_dir: data/processed/YEAR (or the run's staging copy).
        output_dir: the report folder holding figures/.
        config: the configuration file (None: config/lkj.toml).
        raw_dir: data/raw/YEAR.
        target: the .docx file to write.
        dokumen: the document settings in effect (the run's paper may differ from the file's);
            None: [dokumen] of ``config``.

    Returns:
        The path written.
    """
    from lkj.document.laporan import load_report_data, report_document

    d = load_report_data(year, processed_dir, output_dir, config, raw_dir)
    return write_docx(report_document(d), target, dokumen or d.config.dokumen)
