"""The glyphs and drawn shapes of a PDF's pages, read with PDFium (pypdfium2): what
tests/layout_geometry.py checks, shaped as pdfplumber shapes them (the same dict keys, the
same coordinates: points from the page's top left), in a fraction of pdfminer's time.

Glyphs (``chars``): ``text``, ``x0``, ``x1``, ``top``, ``bottom``, ``size``, ``fontname``,
``non_stroking_color``. A glyph's box is its advance box, as pdfminer's: from the pen
position (its origin) to the origin plus its advance width, and from the font's descent below
the baseline to one font size above it; not the ink (PDFium's ``GetCharBox``), which leaves out
the side bearings a reader sees as the glyph's room, nor PDFium's ``GetLooseCharBox`` height,
which spreads the font size over ascent and descent. A glyph whose box comes within
``layout_geometry.GAP`` of a rule has the rule inside the room its letter takes.

PDFium keeps a CID font's widths (``/W``) as whole thousandths of an em, and places each
glyph of a text run after the truncated widths of the ones before it: a glyph lands left of
where the PDF puts it, 0.2 pt after forty capitals at 12 pt, up to half a point on the 2022
report's longest lines, while pdfminer reads the widths whole. The advances are
taken here from the PDF's own ``/W`` and ``/ToUnicode`` (read with pypdf, once per font) and
each glyph is moved back to where its run's exact widths put it.

Shapes: a path object's subpaths as pdfminer classifies them: a single segment is a ``line``,
a closed axis-aligned four-sided subpath a ``rect``, anything else a ``curve``; each with its
box (from the points on the path, not the Bézier control points), ``fill``, ``stroke`` and
``non_stroking_color``. Form XObjects are read through.
"""

from __future__ import annotations

import ctypes
import re
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw

HYPHEN = "\x02"
"""What PDFium reports for a hyphen ending a line (pdfminer reads the glyph's "-")."""
EPS = 0.01
"""Points closer than this (pt) are the same point (PDFium computes in single precision)."""


@dataclass
class PageObjects:
    """One page: its size (pt) and what pdfplumber calls chars, lines, rects and curves."""

    number: int
    width: float
    height: float
    chars: list[dict]
    lines: list[dict]
    rects: list[dict]
    curves: list[dict]


def _hex_text(code: str) -> str:
    data = bytes.fromhex(code)
    return data.decode("utf-16-be", "replace") if len(data) > 1 else data.decode("latin-1")


def _to_unicode(cmap: str) -> dict[int, str]:
    """A ToUnicode CMap's bfchar and bfrange entries: character code -> text."""
    out: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            out[int(src, 16)] = _hex_text(dst)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        pattern = r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])"
        for lo, hi, dst in re.findall(pattern, block):
            a, b = int(lo, 16), int(hi, 16)
            if dst.startswith("["):
                for i, item in enumerate(re.findall(r"<([0-9A-Fa-f]*)>", dst)):
                    out[a + i] = _hex_text(item)
                continue
            first = bytes.fromhex(dst[1:-1])
            for i in range(b - a + 1):
                last = int.from_bytes(first[-2:], "big") + i
                out[a + i] = (first[:-2] + last.to_bytes(2, "big")).decode("utf-16-be", "replace")
    return out


def _cid_widths(w: list) -> dict[int, float]:
    """A CID font's ``/W`` array: CID -> advance (thousandths of an em)."""
    out: dict[int, float] = {}
    i = 0
    while i < len(w):
        first = int(w[i])
        if isinstance(w[i + 1], list):
            out.update((first + k, float(v)) for k, v in enumerate(w[i + 1]))
            i += 2
        else:
            out.update((c, float(w[i + 2])) for c in range(first, int(w[i + 1]) + 1))
            i += 3
    return out


@dataclass
class FontInfo:
    """What pdfminer reads of a font and PDFium does not give as the PDF has it."""

    name: str
    """The ``/BaseFont``, subset tag included (PDFium drops it for some TrueType fonts)."""
    descent: float
    """The descriptor's ``/Descent`` in em (negative; 0 where the PDF says 0, as LibreOffice
    writes it: PDFium then takes the font program's)."""
    advances: dict[str, float] | None
    """Text -> advance (thousandths of an em) where the ``/W`` widths are not whole numbers;
    a text two glyphs of different widths print is left out."""


def _font_info(font) -> FontInfo:
    name = str(font.get("/BaseFont", ""))[1:]
    cid_font = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else None
    descriptor = (cid_font or font).get("/FontDescriptor")
    descent = float(descriptor.get_object().get("/Descent", 0)) if descriptor else 0.0
    info = FontInfo(name, -abs(descent) / 1000, None)
    if cid_font is None or "/ToUnicode" not in font:
        return info
    widths = _cid_widths(_plain(cid_font.get("/W", [])))
    if all(v == int(v) for v in widths.values()):
        return info
    texts = _to_unicode(font["/ToUnicode"].get_object().get_data().decode("latin-1"))
    by_text: dict[str, set[float]] = {}
    default = float(cid_font.get("/DW", 1000))
    for code, text in texts.items():
        by_text.setdefault(text, set()).add(widths.get(code, default))
    info.advances = {t: next(iter(ws)) for t, ws in by_text.items() if len(ws) == 1}
    return info


def _plain(value):
    """A pypdf array with its indirect objects resolved, nested lists kept."""
    value = value.get_object() if hasattr(value, "get_object") else value
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def font_infos(pdf_path: Path | str) -> dict[str, FontInfo]:
    """Every font of the PDF (the pages' and their form XObjects'), by its base name with and
    without the subset tag (a name two different fonts share without it is left out)."""
    from pypdf import PdfReader

    reader = PdfReader(str(pdf_path))
    fonts: dict[str, FontInfo] = {}
    seen: set[int] = set()
    stack = [page.get("/Resources") for page in reader.pages]
    while stack:
        resources = stack.pop()
        resources = resources.get_object() if resources is not None else None
        if not resources or id(resources) in seen:
            continue
        seen.add(id(resources))
        for ref in (resources.get("/Font") or {}).values():
            font = ref.get_object()
            if str(font.get("/BaseFont", ""))[1:] not in fonts:
                info = _font_info(font)
                fonts[info.name] = info
        for ref in (resources.get("/XObject") or {}).values():
            xobject = ref.get_object()
            if xobject.get("/Subtype") == "/Form":
                stack.append(xobject.get("/Resources"))
    untagged: dict[str, list[FontInfo]] = {}
    for name, info in fonts.items():
        untagged.setdefault(re.sub(r"^[A-Z]{6}\+", "", name), []).append(info)
    fonts.update((k, v[0]) for k, v in untagged.items() if len(v) == 1 and k not in fonts)
    return fonts


def _name(getter, handle) -> str:
    size = getter(handle, None, 0)
    buf = ctypes.create_string_buffer(max(size, 1))
    getter(handle, buf, size)
    return buf.value.decode("utf-8", "replace")


def _font(font, fonts: dict[str, FontInfo]) -> FontInfo:
    name = _name(raw.FPDFFont_GetBaseFontName, font)
    info = fonts.get(name)
    if info is None:  # not found in the PDF's resources: PDFium's own metrics
        descent = ctypes.c_float()
        raw.FPDFFont_GetDescent(font, ctypes.c_float(1000.0), descent)
        info = FontInfo(name, descent.value / 1000, None)
    return info


class _Page:
    """One page's text objects and fonts, read once each (PDFium keeps them while the page is
    loaded, so their addresses name them)."""

    def __init__(self, fonts: dict[str, FontInfo]) -> None:
        self.fonts = fonts
        self.infos: dict[int, FontInfo] = {}
        self.widths: dict[tuple[int, float], dict[str, tuple[float, float]]] = {}
        self.runs: dict[int, list] = {}
        self.rgba = [ctypes.c_uint() for _ in range(4)]
        self.width = ctypes.c_float()

    def run(self, textpage, i: int, obj) -> list:
        """A text object's [size, font name, colour, descent, font, widths, pen shift]."""
        # the size as printed: the Tf size times the object's scale (Chromium draws its
        # pages in CSS px, under a 0.75 matrix: 12 pt text is Tf 16)
        a, b, c, d, _, _ = _matrix(obj)
        size = raw.FPDFText_GetFontSize(textpage, i) * abs(a * d - b * c) ** 0.5
        font = raw.FPDFTextObj_GetFont(obj)
        at = ctypes.addressof(font.contents)
        info = self.infos.get(at)
        if info is None:
            info = self.infos[at] = _font(font, self.fonts)
        raw.FPDFText_GetFillColor(textpage, i, *self.rgba)
        color = tuple(c.value / 255 for c in self.rgba[:3])
        widths = self.widths.setdefault((at, size), {})
        return [size, info.name, color, info.descent * size, (font, info), widths, 0.0]

    def advance(self, run: list, text: str) -> tuple[float, float]:
        """(the width PDFium advances the pen by, the PDF's exact width) of ``text`` (pt)."""
        size, (font, info), widths = run[0], run[4], run[5]
        got = widths.get(text)
        if got is None:
            exact = info.advances or {}
            raw.FPDFFont_GetGlyphWidth(font, ord(text), ctypes.c_float(size), self.width)
            truncated = self.width.value
            got = widths[text] = (
                truncated,
                exact[text] * size / 1000 if text in exact else truncated,
            )
        return got


def _chars(page, height: float, fonts: dict[str, FontInfo]) -> list[dict]:
    textpage = raw.FPDFText_LoadPage(page)
    ox, oy = ctypes.c_double(), ctypes.c_double()
    state = _Page(fonts)
    out = []
    try:
        for i in range(raw.FPDFText_CountChars(textpage)):
            obj = raw.FPDFText_GetTextObject(textpage, i)
            if not obj:  # a space or line end PDFium puts between words: no glyph
                continue
            text = chr(raw.FPDFText_GetUnicode(textpage, i))
            text = "-" if text == HYPHEN else text
            key = ctypes.addressof(obj.contents)
            run = state.runs.get(key)
            if run is None:
                run = state.runs[key] = state.run(textpage, i, obj)
            size, name, color, below, _, _, shift = run
            truncated, advance = state.advance(run, text)
            run[6] += advance - truncated
            if not text.strip():
                continue
            raw.FPDFText_GetCharOrigin(textpage, i, ox, oy)
            x0 = ox.value + shift
            bottom = height - oy.value - below
            out.append(
                {
                    "text": text,
                    "x0": x0,
                    "x1": x0 + advance,
                    "top": bottom - size,
                    "bottom": bottom,
                    "size": size,
                    "fontname": name,
                    "non_stroking_color": color,
                }
            )
    finally:
        raw.FPDFText_ClosePage(textpage)
    return out


def _matrix(obj) -> tuple[float, ...]:
    m = raw.FS_MATRIX()
    raw.FPDFPageObj_GetMatrix(obj, m)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _times(m, n) -> tuple[float, ...]:
    """``m`` then ``n`` (PDF matrices as (a, b, c, d, e, f))."""
    a, b, c, d, e, f = m
    return (
        a * n[0] + b * n[2],
        a * n[1] + b * n[3],
        c * n[0] + d * n[2],
        c * n[1] + d * n[3],
        e * n[0] + f * n[2] + n[4],
        e * n[1] + f * n[3] + n[5],
    )


def _subpaths(obj, m) -> list[tuple[str, list[tuple[float, float]], bool]]:
    """(ops, on-path points in page space, closed) per subpath: ops as pdfminer writes them
    (``m``, ``l``, ``c``; a Bézier's three PDFium segments are one ``c``)."""
    x, y = ctypes.c_float(), ctypes.c_float()
    subs: list[list] = []
    bezier = 0
    for k in range(raw.FPDFPath_CountSegments(obj)):
        seg = raw.FPDFPath_GetPathSegment(obj, k)
        kind = raw.FPDFPathSegment_GetType(seg)
        raw.FPDFPathSegment_GetPoint(seg, x, y)
        point = (m[0] * x.value + m[2] * y.value + m[4], m[1] * x.value + m[3] * y.value + m[5])
        if kind == raw.FPDF_SEGMENT_MOVETO:
            subs.append(["m", [point], False])
        elif subs and kind == raw.FPDF_SEGMENT_BEZIERTO:
            bezier += 1
            if bezier % 3 == 0:  # the curve's end point; the two before are control points
                subs[-1][0] += "c"
                subs[-1][1].append(point)
        elif subs:
            subs[-1][0] += "l"
            subs[-1][1].append(point)
        if subs and raw.FPDFPathSegment_GetClose(seg):
            subs[-1][2] = True
    return [(ops, pts, closed) for ops, pts, closed in subs if len(ops) > 1]


def _same(p, q) -> bool:
    return abs(p[0] - q[0]) < EPS and abs(p[1] - q[1]) < EPS


def _kind(ops: str, pts: list[tuple[float, float]], closed: bool) -> str:
    """pdfminer's reading of a subpath: ``line``, ``rect`` or ``curve``."""
    if ops == "ml" or (ops == "mll" and closed and _same(pts[2], pts[0])):
        return "line"
    if ops == "mllll" and _same(pts[4], pts[0]):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = pts[:4]
        if (abs(x0 - x1) < EPS and abs(y1 - y2) < EPS and abs(x2 - x3) < EPS) and (
            abs(y3 - y0) < EPS
        ):
            return "rect"
        if (abs(y0 - y1) < EPS and abs(x1 - x2) < EPS and abs(y2 - y3) < EPS) and (
            abs(x3 - x0) < EPS
        ):
            return "rect"
    return "curve"


def _shapes(container, count, get, m, height: float, out: dict[str, list]) -> None:
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    rgba = [ctypes.c_uint() for _ in range(4)]
    for k in range(count(container)):
        obj = get(container, k)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_FORM:
            inner = _times(_matrix(obj), m)
            _shapes(
                obj, raw.FPDFFormObj_CountObjects, raw.FPDFFormObj_GetObject, inner, height, out
            )
            continue
        if kind != raw.FPDF_PAGEOBJ_PATH:
            continue
        raw.FPDFPath_GetDrawMode(obj, fill_mode, stroke)
        raw.FPDFPageObj_GetFillColor(obj, *rgba)
        style = {
            "fill": fill_mode.value != raw.FPDF_FILLMODE_NONE,
            "stroke": bool(stroke.value),
            "non_stroking_color": tuple(c.value / 255 for c in rgba[:3]),
        }
        for ops, pts, closed in _subpaths(obj, _times(_matrix(obj), m)):
            xs, ys = [p[0] for p in pts], [p[1] for p in pts]
            box = {"x0": min(xs), "x1": max(xs), "top": height - max(ys)}
            box["bottom"] = height - min(ys)
            out[_kind(ops, pts, closed)].append({**box, **style})


def read_pages(pdf_path: Path | str) -> list[PageObjects]:
    """Every page's glyphs (but blanks) and shapes, in the order the PDF draws them."""
    fonts = font_infos(pdf_path)
    doc = pdfium.PdfDocument(str(pdf_path))
    pages = []
    try:
        for n in range(len(doc)):
            page = doc[n]
            width, height = page.get_size()
            shapes: dict[str, list] = {"line": [], "rect": [], "curve": []}
            identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
            get, count = raw.FPDFPage_GetObject, raw.FPDFPage_CountObjects
            _shapes(page.raw, count, get, identity, height, shapes)
            chars = _chars(page.raw, height, fonts)
            pages.append(PageObjects(n + 1, width, height, chars, *(shapes[k] for k in shapes)))
            page.close()
    finally:
        doc.close()
    return pages
