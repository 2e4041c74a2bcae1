"""The DOCX's look: colours, type sizes and the paragraph styles of the Word renderer
(``lkj.render.to_docx``): Word heading styles (Heading 1-4, for the daftar isi's TOC field),
captions, table and note styles, the daftar isi's entries, the fonts of every script, language
Indonesian; and the setting that asks Word to update the fields when the file is opened.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

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


def add_styles(doc: Any, font: str, pt: Callable[[float], Pt]) -> None:
    """Set the body text, heading, caption, table, note and daftar isi styles of ``doc``
    (``pt``: a type size of the 10.5 pt design at the configured size)."""
    styles = doc.styles
    normal = styles["Normal"]
    _set_font(normal.element, font)
    normal.font.size = pt(BASE_PT)
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
        _set_font(style.element, font)
        style.font.size = pt(size)
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
    no_toc.font.size = pt(14)
    no_toc.font.color.rgb = HEADING_COLOR
    no_toc.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    no_toc.paragraph_format.keep_with_next = True
    no_toc.paragraph_format.space_after = Pt(12)
    caption = styles["Caption"]
    _set_font(caption.element, font)
    caption.font.size = pt(9.5)
    caption.font.bold = True
    caption.font.italic = False
    caption.font.color.rgb = TEXT_COLOR
    caption.paragraph_format.space_before = Pt(6)
    caption.paragraph_format.space_after = Pt(3)
    for name, size in ((TABLE_STYLE, 8.5), (SMALL_TABLE_STYLE, 7.5)):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.font.size = pt(size)
        style.paragraph_format.space_after = Pt(0)
        style.paragraph_format.space_before = Pt(0)
        style.paragraph_format.line_spacing = 1.0
    note = styles.add_style(NOTE_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = normal
    note.font.size = pt(8)
    note.font.color.rgb = NOTE_COLOR
    for level in (1, 2):
        style = styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.paragraph_format.space_after = Pt(2)
        style.paragraph_format.left_indent = Mm(0 if level == 1 else 6)
        style.font.bold = level == 1


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


def update_fields_on_open(doc: Any) -> None:
    """Ask Word to update the fields (daftar isi, page numbers) when the file is opened."""
    settings = doc.settings.element
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    after = {qn(tag) for tag in _AFTER_UPDATE_FIELDS}
    for child in settings:
        if child.tag in after:
            child.addprevious(update)
            return
    settings.append(update)
