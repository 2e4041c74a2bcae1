"""What a reader sees on the printed page, read from a PDF's geometry (with PDFium: pdf_objects.py).

The PDF tests elsewhere read the text layer; this module reads where each glyph is drawn and
where the table rules, the cell fills and the coloured category labels are, and counts what a
typesetter would not let through (issue 19):

* ``crossing``: table text that crosses a drawn cell rule or comes within ``GAP`` pt of it
  (counted once per cell line: a page, a line of text, the cell it starts in);
* ``labels_cut``: a category label (a filled rounded box) whose text is not inside its box;
* ``lonely``: a heading or a table caption that is the last thing on its page;
* ``thin_parts``: a part of a table split over pages holding fewer than two body rows (unless
  its row is taller than a quarter of the page: two of those may not fit): a table without its
  caption above it on the page (a continued part), or the page's last table when the next
  page opens inside a table;
* ``near_empty``: a page less than 40 % full that is neither the cover nor a chapter's last page
  (the next page does not begin with a chapter heading) nor the document's last: a change of
  orientation is no excuse (the text around a landscape table goes with it to its pages);
* ``small_text``: table glyphs under 8 pt;
* ``unruled``: a table caption not followed by a ruled table;
* ``outside``: glyphs outside the page's text area (past the margins by more than 1 pt);
* ``broken``: with a vocabulary (every word the document's tables hold), a word in a table
  that is not one of them: a word broken inside (``Memuaska`` / ``n``), or two run together.

Used by tests/test_layout.py and scripts/layout_report.py; works on the Typst PDF and on the
DOCX as LibreOffice converts it (there the rules are drawn as thin filled rectangles, the labels
are shaded cells).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

GAP = 1.0
"""Closest a glyph may come to a cell rule (pt)."""
MIN_TABLE_PT = 8.0
HEADING_BLUE = (0.122, 0.22, 0.392)
TABLE_FILLS = {(0.863, 0.902, 0.945), (0.961, 0.973, 0.988), (0.933, 0.945, 0.961)}
HEAD_FILL = (0.863, 0.902, 0.945)
FOOT_FILL = (0.933, 0.945, 0.961)
FOOTER = re.compile(r"^Halaman \d+$")
SYNTHETIC = "DATA SINTETIS"


def _rgb(color) -> tuple[float, ...]:
    if color is None:
        return ()
    if isinstance(color, (int, float)):
        color = (color,)
    if len(color) == 1:
        color = (color[0],) * 3
    return tuple(round(float(v), 3) for v in color[:3])


def _near(a: tuple[float, ...], b: tuple[float, ...], tol: float = 0.01) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= tol for x, y in zip(a, b, strict=True))


@dataclass
class Rule:
    """A drawn table rule: vertical (x fixed, top..bottom) or horizontal (y fixed, x0..x1)."""

    vertical: bool
    at: float
    start: float
    end: float


@dataclass
class PageLayout:
    """What one page holds, as the checks need it."""

    number: int
    width: float
    height: float
    chars: list[dict]
    rules: list[Rule]
    labels: list[dict]
    head_rows: list[tuple[float, float]]
    foot_rows: list[tuple[float, float]]
    bands: list[tuple[float, float, float, float]] = field(default_factory=list)

    def band_of(self, y: float) -> tuple[float, float, float, float] | None:
        """The table band (top, bottom, left, right) holding height ``y``, if any."""
        for band in self.bands:
            if band[0] - 0.5 <= y <= band[1] + 0.5:
                return band
        return None


@dataclass
class Findings:
    """The counts of one PDF (and examples of each, for the messages)."""

    pages: int = 0
    crossing: list[str] = field(default_factory=list)
    labels_cut: list[str] = field(default_factory=list)
    lonely: list[str] = field(default_factory=list)
    thin_parts: list[str] = field(default_factory=list)
    near_empty: list[str] = field(default_factory=list)
    small_text: list[str] = field(default_factory=list)
    unruled: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    tables: int = 0
    labels: int = 0
    captions: list[str] = field(default_factory=list)
    """The numbers ("Tabel 3.4") of the captions printed right above a ruled table."""

    def counts(self) -> dict[str, int]:
        """Every count by name."""
        return {
            "pages": self.pages,
            "tables": self.tables,
            "labels": self.labels,
            "crossing": len(self.crossing),
            "labels_cut": len(self.labels_cut),
            "lonely": len(self.lonely),
            "thin_parts": len(self.thin_parts),
            "near_empty": len(self.near_empty),
            "small_text": len(self.small_text),
            "unruled": len(self.unruled),
            "outside": len(self.outside),
            "broken": len(self.broken),
        }


def _rules(page) -> list[Rule]:
    rules = []
    for line in page.lines:
        if abs(line["x0"] - line["x1"]) < 0.1:
            rules.append(Rule(True, line["x0"], line["top"], line["bottom"]))
        elif abs(line["top"] - line["bottom"]) < 0.1:
            rules.append(Rule(False, line["top"], line["x0"], line["x1"]))
    for rect in page.rects:  # LibreOffice draws cell borders as thin filled rectangles
        w, h = rect["x1"] - rect["x0"], rect["bottom"] - rect["top"]
        color = _rgb(rect.get("non_stroking_color"))
        if not rect.get("fill") or color in TABLE_FILLS or max(color or (1,)) > 0.75:
            continue
        if w <= 1.6 and h > 3:
            rules.append(Rule(True, (rect["x0"] + rect["x1"]) / 2, rect["top"], rect["bottom"]))
        elif h <= 1.6 and w > 3:
            rules.append(Rule(False, (rect["top"] + rect["bottom"]) / 2, rect["x0"], rect["x1"]))
    return rules


def _bands(rules: list[Rule]) -> list[tuple[float, float, float, float]]:
    """Table bands: runs of overlapping vertical rules (top, bottom, left, right)."""
    spans = sorted((r.start, r.end, r.at) for r in rules if r.vertical and r.end - r.start > 4)
    bands: list[list[float]] = []
    for top, bottom, x in spans:
        if bands and top <= bands[-1][1] + 1.0:
            band = bands[-1]
            band[1] = max(band[1], bottom)
            band[2], band[3] = min(band[2], x), max(band[3], x)
        else:
            bands.append([top, bottom, x, x])
    return [tuple(b) for b in bands if b[3] - b[2] > 20]


def read_layout(pdf_path: Path | str) -> list[PageLayout]:
    """Every page's glyphs, rules, labels and header/foot rows (tests/pdf_objects.py reads
    them with PDFium, shaped as pdfplumber shapes them)."""
    from pdf_objects import read_pages

    pages = []
    for page in read_pages(pdf_path):
        chars = page.chars
        seen: set[tuple] = set()
        fills = []
        for r in page.rects:  # LibreOffice paints some cell fills twice
            key = (round(r["x0"]), round(r["top"]), round(r["x1"]), round(r["bottom"]))
            key += _rgb(r.get("non_stroking_color"))
            if r.get("fill") and key not in seen:
                seen.add(key)
                fills.append(r)
        labels = []
        for shape in [c for c in page.curves if c.get("fill")] + fills:
            color = _rgb(shape.get("non_stroking_color"))
            w = shape["x1"] - shape["x0"]
            if not shape.get("fill") or not color or color in TABLE_FILLS or w < 4:
                continue
            if max(color) > 0.99 and min(color) > 0.99:  # white
                continue
            if shape["bottom"] - shape["top"] < 4:
                continue
            labels.append(shape)
        rows = [(_rgb(r.get("non_stroking_color")), r["top"], r["bottom"]) for r in fills]
        rules = _rules(page)
        layout = PageLayout(
            page.number,
            float(page.width),
            float(page.height),
            chars,
            rules,
            labels,
            sorted({(t, b) for c, t, b in rows if _near(c, HEAD_FILL)}),
            sorted({(t, b) for c, t, b in rows if _near(c, FOOT_FILL)}),
        )
        layout.bands = _bands(rules)
        pages.append(layout)
    return pages


def _lines(chars: Iterable[dict]) -> list[list[dict]]:
    """Glyphs grouped into text lines (same baseline within 1 pt), top to bottom."""
    out: list[list[dict]] = []
    for c in sorted(chars, key=lambda c: (round(c["bottom"]), c["x0"])):
        if out and abs(out[-1][0]["bottom"] - c["bottom"]) < 1.0:
            out[-1].append(c)
        else:
            out.append([c])
    return out


def _text(line: list[dict]) -> str:
    words, last = [], None
    for c in sorted(line, key=lambda c: c["x0"]):
        if last is not None and c["x0"] - last > 1.5:
            words.append(" ")
        words.append(c["text"])
        last = c["x1"]
    return "".join(words)


def _content_lines(page: PageLayout) -> list[list[dict]]:
    lines = _lines(page.chars)
    return [ln for ln in lines if not FOOTER.match(_text(ln)) and _text(ln) != SYNTHETIC]


def _is_heading(line: list[dict], body_pt: float) -> bool:
    return all(_near(_rgb(c["non_stroking_color"]), HEADING_BLUE) for c in line) and (
        line[0]["size"] >= 0.98 * body_pt
    )


def _is_title(line: list[dict], body_pt: float) -> bool:
    """A table's title: bold, a little smaller than the body text."""
    return "Bold" in line[0]["fontname"] and (0.85 * body_pt <= line[0]["size"] < 0.98 * body_pt)


def _is_caption(line: list[dict], body_pt: float) -> bool:
    return _is_title(line, body_pt) and _text(line).startswith("Tabel ")


def _between(rules: list[Rule], ats: list[float], lo: float, hi: float) -> list[Rule]:
    """The rules (sorted by position, ``ats``) from ``lo`` to ``hi`` and a hair beyond: a
    superset that the caller tests rule by rule (only to skip the page's other rules)."""
    return rules[bisect_left(ats, lo - 0.01) : bisect_right(ats, hi + 0.01)]


def _check_crossing(page: PageLayout, found: Findings) -> None:
    hits: set[tuple] = set()
    verticals = sorted((r for r in page.rules if r.vertical), key=lambda r: r.at)
    horizontals = sorted((r for r in page.rules if not r.vertical), key=lambda r: r.at)
    v_at, h_at = [r.at for r in verticals], [r.at for r in horizontals]
    for c in page.chars:
        cy = (c["top"] + c["bottom"]) / 2
        band = page.band_of(cy)
        if band is None:
            continue
        h = c["bottom"] - c["top"]
        for r in _between(verticals, v_at, c["x0"] - GAP, c["x1"] + GAP):
            if r.start <= cy <= r.end and c["x0"] < r.at + GAP and c["x1"] > r.at - GAP:
                hits.add((round(c["bottom"]), round(r.at), True))
        for r in _between(horizontals, h_at, c["top"], c["bottom"]):
            if r.start <= (c["x0"] + c["x1"]) / 2 <= r.end and (
                c["top"] + 0.3 * h < r.at < c["bottom"] - 0.3 * h
            ):
                hits.add((round(r.at), round(c["x0"] / 40), False))
    for at, x, vertical in sorted(hits):
        if vertical:
            line = [c for c in page.chars if abs(c["bottom"] - at) < 1.0 and abs(c["x0"] - x) < 30]
        else:
            line = [c for c in page.chars if c["top"] < at < c["bottom"]]
        found.crossing.append(f"p. {page.number}: {_text(line)[:40]!r} at {x}")


def _check_labels(page: PageLayout, found: Findings) -> None:
    verticals = [r for r in page.rules if r.vertical]
    for box in page.labels:
        cy = (box["top"] + box["bottom"]) / 2
        if page.band_of(cy) is None:
            continue
        found.labels += 1
        cx = (box["x0"] + box["x1"]) / 2
        at_y = [r.at for r in verticals if r.start <= cy <= r.end]
        left = max((x for x in at_y if x <= cx), default=0.0)
        right = min((x for x in at_y if x >= cx), default=page.width)
        inside = [
            c
            for c in page.chars
            if box["top"] - 1 <= (c["top"] + c["bottom"]) / 2 <= box["bottom"] + 1
            and left <= c["x0"] < right
        ]
        out = [c for c in inside if c["x0"] < box["x0"] - 0.5 or c["x1"] > box["x1"] + 0.5]
        if out or not inside:
            text = " / ".join(_text(ln) for ln in _lines(inside))
            found.labels_cut.append(f"p. {page.number}: {text!r}")


def _check_tables(
    page: PageLayout, lines: list[list[dict]], found: Findings, runs_on: bool, body_pt: float
) -> None:
    """``runs_on``: the next page opens inside a table (its first line is in a ruled band, no
    caption above it): the page's last table goes on there."""
    for k, band in enumerate(page.bands):
        found.tables += 1
        sizes = [c["size"] for c in page.chars if band[0] <= c["top"] and c["bottom"] <= band[1]]
        if sizes and min(sizes) < MIN_TABLE_PT - 0.05:
            found.small_text.append(f"p. {page.number}: {min(sizes):.1f} pt")
        cuts = sorted(
            {
                round(r.at, 1)
                for r in page.rules
                if not r.vertical and band[0] - 1 <= r.at <= band[1] + 1
            }
        )
        rows = [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b - a > 3]
        body = [
            (a, b)
            for a, b in rows
            if not any(t - 1 <= a and b <= bt + 1 for t, bt in page.head_rows + page.foot_rows)
        ]
        above = [ln for ln in lines if ln[0]["bottom"] <= band[0] + 0.5]
        has_caption = (
            bool(above)
            and band[0] - above[-1][-1]["bottom"] < 25
            and (
                _text(above[-1]).startswith(("Tabel ", "Lanjutan"))
                or _is_title(above[-1], body_pt)  # an unnumbered table's title
            )
        )
        continued = not has_caption
        goes_on = runs_on and k == len(page.bands) - 1
        tall = any(b - a > page.height / 4 for a, b in body)  # two such rows need half a page
        if len(body) < 2 and (continued or goes_on) and rows and not tall:
            found.thin_parts.append(f"p. {page.number}: {len(body)} body rows")


def _table_words(page: PageLayout) -> list[str]:
    """The words of the page's tables (glyphs closer than 1 pt on one line)."""
    words = []
    for band in page.bands:
        inside = [c for c in page.chars if band[0] <= (c["top"] + c["bottom"]) / 2 <= band[1]]
        for line in _lines(inside):
            word, last = "", None
            for c in sorted(line, key=lambda c: c["x0"]):
                if last is not None and c["x0"] - last > 1.0:
                    words.append(word)
                    word = ""
                word += c["text"]
                last = c["x1"]
            words.append(word)
    return words


def _check_words(page: PageLayout, vocabulary: set[str], long: list[str], found: Findings) -> None:
    for word in _table_words(page):
        if word in vocabulary or any(word in token for token in long):
            continue
        found.broken.append(f"p. {page.number}: {word!r}")


def _syllable_pieces(word: str) -> set[str]:
    """The pieces of ``word`` broken between any of its syllables (pyphen's Indonesian
    patterns, read here, not through lkj): each but the last printed with a hyphen."""
    import pyphen

    cuts = [0, *pyphen.Pyphen(lang="id_ID").positions(word), len(word)]
    return {
        word[a:b] + ("-" if b < len(word) else "")
        for i, a in enumerate(cuts)
        for b in cuts[i + 1 :]
    }


def vocabulary_of(tables) -> tuple[set[str], list[str]]:
    """Every word the tables print (cells, headers, captions, list numbers), and the tokens
    long enough to be cut inside their cell (checksums, paths: 16 characters or more)."""
    words: set[str] = {"–", "-"}
    for t in tables:
        words.update(t.caption.split())
        for row in t.header:
            for h in row:
                words.update(h.text.split())
        for rows in (t.rows, t.foot):
            for row in rows:
                for c in row:
                    for text in (c.text, *c.items):
                        words.update(text.split())
                    words.update(f"{i}." for i in range(1, len(c.items) + 1))
    for t in tables:  # a header word may break between syllables, with a hyphen
        for row in t.header:
            for h in row:
                for word in h.text.split():
                    words.update(_syllable_pieces(word))
    for word in list(words):  # a line may break after a hyphen or a slash
        pieces = re.findall(r"[^-/]+[-/]?|[-/]", word)
        if len(pieces) > 1:
            words.update(pieces)
            words.update(
                "".join(pieces[i:j])
                for i in range(len(pieces))
                for j in range(i + 1, len(pieces) + 1)
            )
    return words, [w for w in words if len(w) >= 16]


def check_pdf(
    pdf_path: Path | str, body_pt: float = 12.0, margin_pt: float | None = None, tables=None
) -> Findings:
    """Every count of the module's docstring for the PDF at ``pdf_path``.

    Args:
        pdf_path: the PDF.
        body_pt: the body type size (headings are at least this, captions 0.905 of it).
        margin_pt: the smallest page margin (None: 1 cm).
        tables: the document's tables: check that every word in a table is one of theirs.
    """
    pages = read_layout(pdf_path)
    found = Findings(pages=len(pages))
    margin = 28.35 if margin_pt is None else margin_pt
    lines_of = [_content_lines(p) for p in pages]
    vocabulary, long = vocabulary_of(tables) if tables is not None else (set(), [])
    for i, page in enumerate(pages):
        lines = lines_of[i]
        _check_crossing(page, found)
        _check_labels(page, found)
        following = lines_of[i + 1] if i + 1 < len(pages) else []
        opens_inside = bool(following) and (
            pages[i + 1].band_of((following[0][0]["top"] + following[0][0]["bottom"]) / 2)
            is not None
        )
        _check_tables(page, lines, found, opens_inside, body_pt)
        if tables is not None:
            _check_words(page, vocabulary, long, found)
        for c in page.chars:
            if c["x0"] < margin - 1 or c["x1"] > page.width - margin + 1:
                found.outside.append(f"p. {page.number}: {c['text']!r}")
        for ln in lines:
            if not _is_caption(ln, body_pt):
                continue
            below = [b for b in page.bands if b[0] >= ln[0]["bottom"] - 0.5]
            if below and below[0][0] - ln[0]["bottom"] < 25:
                found.captions.append(" ".join(_text(ln).split()[:2]))
            else:
                found.unruled.append(f"p. {page.number}: {_text(ln)[:50]!r}")
        if i == 0 or not lines:  # the cover
            continue
        last = lines[-1]
        if page.band_of(last[0]["bottom"] - 1) is None and (
            _is_heading(last, body_pt) or _is_caption(last, body_pt)
        ):
            found.lonely.append(f"p. {page.number}: {_text(last)!r}")
        if i + 1 < len(pages):
            top = min(c["top"] for ln in lines for c in ln)
            bottom = max(c["bottom"] for ln in lines for c in ln)
            area_top = min(top, 0.1 * page.height)
            fill = (bottom - area_top) / (page.height - 2 * area_top)
            following = lines_of[i + 1]
            chapter_next = (
                bool(following)
                and _is_heading(following[0], body_pt)
                and (following[0][0]["size"] >= 1.3 * body_pt)
            )
            if fill < 0.4 and not chapter_next:
                found.near_empty.append(f"p. {page.number}: {fill:.0%} full")
    return found


def category_cells(tables) -> int:
    """How many category labels the tables hold (each is drawn as a box of its own)."""
    return sum(
        1 for t in tables for rows in (t.rows, t.foot) for row in rows for c in row if c.is_category
    )


def summary(found: Findings) -> str:
    """One line of counts."""
    return ", ".join(f"{k} {v}" for k, v in found.counts().items())


def by_page(items: list[str]) -> Counter:
    """How many findings each page has."""
    return Counter(item.split(":")[0] for item in items)


def render_from_processed(
    year: int, processed: Path, output: Path, raw_year: Path, paper: str, target: Path
) -> Path:
    """The year's PDF printed on ``paper`` from an already built report's processed tables
    and figures (the document built once more in this process, no notebook run): ``target``."""
    from lkj.document import laporan
    from lkj.render import to_pdf

    d = laporan.load_report_data(year, processed, output, None, raw_year)
    doc = laporan.report_document(d)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(to_pdf.render_pdf(doc, dokumen=d.config.dokumen, paper=paper))
    return target
