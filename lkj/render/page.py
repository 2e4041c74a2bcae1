"""The report's self-contained HTML page: its head and stylesheets, heading ids, the daftar isi
and the screen navigation.

Two producers share these functions: the nbconvert exporter
(``lkj.render.notebook_export.LkjHtmlExporter``,
the ``lkj_report`` template: the report page and the reviewers' notebook pages) and
:func:`report_page`, which lays out the HTML of the report's parts in the same markup without
nbconvert (the preview, ``python -m lkj preview``: no notebook, and no second of nbconvert
and template setup). Both finish the page with :func:`finish_page`. This module imports
neither nbconvert nor WeasyPrint.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bs4 import BeautifulSoup, Tag
from markupsafe import Markup, escape

from lkj.core.resources import STYLESHEET
from lkj.document.sampul import SIGNATURE_BOX_MM, SYNTHETIC_KEYWORD
from lkj.render.web_fonts import font_face_css

if TYPE_CHECKING:
    from lkj.core.config import Dokumen

STYLESHEET = STYLESHEET
"""The report's stylesheet (``lkj_report`` template, inlined in every page)."""

TOC_PLACEHOLDER_ID = "lkj-toc"
"""Id of the element that :func:`postprocess_html` fills with the table of contents."""

NO_TOC_CLASS = "no-toc"
"""Class of headings that must not appear in the table of contents."""

DEFAULT_TITLE = "Laporan Kinerja"
PYGMENTS_STYLE = "default"

LANG = "id-ID"
"""Language of the report: ``<html lang>``, and through it the PDF's /Lang."""

SYNTHETIC_LABEL = SYNTHETIC_KEYWORD


def synthetic_banner(synthetic: bool) -> Markup:
    """The DATA SINTETIS banner every page built from synthetic data carries (lkj.css shows it
    at the top of the screen and of every printed page); empty for real data."""
    if not synthetic:
        return Markup("")
    return Markup(
        '<div class="lkj-sintetis-banner" role="note">{}: bukan data kinerja sebenarnya</div>'
    ).format(SYNTHETIC_LABEL)


"""What every page built from synthetic data says (banner on screen, page header in print)."""

_TOC_LEVELS = ("h1", "h2")
_REMOTE_PREFIX = re.compile(r"^\s*(?:https?:|ftp:|//)", re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)""", re.IGNORECASE | re.DOTALL)
_CSS_IMPORT = re.compile(r"""@import\s+(['"])(.*?)\1""", re.IGNORECASE)


@dataclass(frozen=True)
class TocEntry:
    """One line of the table of contents.

    Attributes:
        level: Heading level (1 for ``h1``, 2 for ``h2``).
        text: Heading text, whitespace collapsed.
        anchor: Id of the heading (the link target, without ``#``).
    """

    level: int
    text: str
    anchor: str


def slugify(text: str) -> str:
    """Turn heading text into an ASCII id fragment.

    Args:
        text: Heading text, e.g. ``"BAB III  Akuntabilitas Kinerja"``.

    Returns:
        Lower-case words joined by ``-`` (``"bab-iii-akuntabilitas-kinerja"``), or ``"bagian"``
        when nothing usable is left.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or "bagian"


def _heading_text(tag: Tag) -> str:
    return " ".join(tag.get_text(" ").split())


def _classes(tag: Tag) -> list[str]:
    value = tag.get("class") or []
    return value.split() if isinstance(value, str) else list(value)


def _excluded_from_toc(tag: Tag) -> bool:
    if NO_TOC_CLASS in _classes(tag):
        return True
    for parent in tag.parents:
        if parent.name == "nav" and "toc" in _classes(parent):
            return True
        if parent.name == "section" and "sampul" in _classes(parent):
            return True
        if parent.get("id") == TOC_PLACEHOLDER_ID:
            return True
    return False


def _unique(base: str, taken: set[str]) -> str:
    candidate, number = base, 2
    while candidate in taken:
        candidate = f"{base}-{number}"
        number += 1
    return candidate


def postprocess_html(html: str) -> str:
    """Give headings ids, drop anchor pilcrows and fill the table of contents.

    Every ``h1``/``h2`` inside ``<main>`` (the notebook content) without an id gets the
    :func:`slugify` of its text, made unique in the document; duplicated ids on headings are
    renamed the same way. ``a.anchor-link`` elements are removed. If the document holds an
    element with id :data:`TOC_PLACEHOLDER_ID`, its content is replaced by
    ``<nav class="toc"><ol><li class="toc-h1"><a href="#id">...</a></li>...</ol></nav>``,
    one ``li`` per heading in document order (``toc-h2`` for ``h2``). Headings with class
    :data:`NO_TOC_CLASS`, inside the cover (``section.sampul``) or inside the toc itself are
    left out.

    Args:
        html: A complete HTML document, as rendered by the ``lkj_report`` template.

    Returns:
        The processed HTML document.
    """
    soup = BeautifulSoup(html, "html.parser")
    _postprocess_soup(soup)
    return str(soup)


def _lift_metadata(soup: BeautifulSoup) -> None:
    """Move ``<meta name=...>`` elements of the content (the cover's) into the head.

    The report's cover (:func:`lkj.document.sampul.cover_html`) states the document's title, author
    and
    keywords; in the head they become the page title and the PDF's metadata. A
    ``dcterms.title`` sets ``<title>``.
    """
    head, main = soup.head, soup.find("main")
    if head is None or main is None:
        return
    for meta in main.find_all("meta", attrs={"name": True}):
        meta.extract()
        if meta["name"] == "dcterms.title" and meta.get("content"):
            title = head.find("title")
            if title is None:
                title = soup.new_tag("title")
                head.append(title)
            title.string = str(meta["content"])
        old = head.find("meta", attrs={"name": meta["name"]})
        if old is not None:
            old.replace_with(meta)
        else:
            head.append(meta)


def _is_synthetic(soup: BeautifulSoup) -> bool:
    meta = soup.head.find("meta", attrs={"name": "keywords"}) if soup.head else None
    keywords = str(meta.get("content", "")) if meta is not None else ""
    return SYNTHETIC_KEYWORD in [k.strip() for k in keywords.split(",")]


def _postprocess_soup(soup: BeautifulSoup) -> None:
    for anchor in soup.select("a.anchor-link"):
        anchor.decompose()
    _lift_metadata(soup)

    root = soup.find("main") or soup.body or soup
    headings = root.find_all(_TOC_LEVELS)
    heading_ids = {id(tag) for tag in headings}
    taken = {
        str(tag["id"])
        for tag in soup.find_all(id=True)
        if id(tag) not in heading_ids  # headings claim their ids below, in document order
    }

    entries: list[TocEntry] = []
    for tag in headings:
        text = _heading_text(tag)
        anchor = str(tag.get("id") or "").strip()
        if not anchor or anchor in taken:
            anchor = _unique(anchor or slugify(text), taken)
            tag["id"] = anchor
        taken.add(anchor)
        if not _excluded_from_toc(tag) and text:
            entries.append(TocEntry(level=int(tag.name[1]), text=text, anchor=anchor))

    placeholder = soup.find(id=TOC_PLACEHOLDER_ID)
    if placeholder is not None:
        placeholder.clear()
        nav = soup.new_tag("nav", attrs={"class": "toc", "aria-label": "Daftar Isi"})
        nav.append(_entry_list(soup, entries, "toc-h"))
        placeholder.append(nav)
        _add_side_navigation(soup, entries)


def _entry_list(soup: BeautifulSoup, entries: list[TocEntry], prefix: str) -> Tag:
    """``<ol>`` of links to the headings, each ``<li>`` of class ``prefix`` + its level."""
    ordered = soup.new_tag("ol")
    for entry in entries:
        item = soup.new_tag("li", attrs={"class": f"{prefix}{entry.level}"})
        link = soup.new_tag("a", href=f"#{entry.anchor}")
        link.string = entry.text
        item.append(link)
        ordered.append(item)
    return ordered


SIDE_NAV_CLASS = "navigasi"
"""Class of the daftar isi that stays reachable on screen (hidden in print)."""


def _add_side_navigation(soup: BeautifulSoup, entries: list[TocEntry]) -> None:
    """A second daftar isi for reading on screen: chapters and sections, kept in view while
    the reader scrolls (a folding bar at the top of the window; lkj.css). Print styles hide
    it, so the PDF is unchanged."""
    body = soup.body
    if body is None:
        return
    nav = soup.new_tag("nav", attrs={"class": SIDE_NAV_CLASS, "aria-label": "Navigasi"})
    details = soup.new_tag("details")
    summary = soup.new_tag("summary")
    summary.string = "Daftar Isi"
    details.append(summary)
    details.append(_entry_list(soup, [e for e in entries if e.level <= 2], "nav-h"))
    nav.append(details)
    body.insert(0, nav)


def _is_remote(url: str) -> bool:
    return bool(_REMOTE_PREFIX.match(url))


def find_external_references(html: str) -> list[str]:
    """List the network resources an HTML document would load.

    Looks at ``src``/``srcset``/``poster``/``data``/``background`` attributes, ``href`` and
    ``xlink:href`` on anything but links (``<a>``), CSS ``url(...)`` and ``@import`` in
    ``<style>`` elements and ``style`` attributes. Plain hyperlinks (``<a href="https://...">``)
    are not loads and are not reported.

    Args:
        html: HTML document or fragment.

    Returns:
        The remote URLs (``http:``, ``https:``, ``ftp:`` or protocol-relative ``//``), sorted,
        without duplicates; empty when the document is self-contained.
    """
    return _external_references(BeautifulSoup(html, "html.parser"))


def _external_references(soup: BeautifulSoup) -> list[str]:
    found: set[str] = set()
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            if isinstance(value, list):
                value = " ".join(value)
            lowered = name.lower()
            if lowered in ("src", "poster", "data", "background") or (
                lowered in ("href", "xlink:href") and tag.name != "a"
            ):
                if _is_remote(value):
                    found.add(value.strip())
            elif lowered in ("srcset", "imagesrcset"):
                for candidate in value.split(","):
                    url = candidate.strip().split(" ")[0]
                    if _is_remote(url):
                        found.add(url)
            elif lowered == "style":
                found.update(_css_remote_urls(value))
        if tag.name == "style":
            found.update(_css_remote_urls(tag.get_text()))
    return sorted(found)


def _css_remote_urls(css: str) -> set[str]:
    urls = {match.group(2).strip() for match in _CSS_URL.finditer(css)}
    urls |= {match.group(2).strip() for match in _CSS_IMPORT.finditer(css)}
    return {url for url in urls if _is_remote(url)}


def _css_length(value: float, unit: str) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") + unit


def font_stack(dokumen: Dokumen) -> str:
    """CSS font-family list of the settings: the shipped font, its Word twin, a generic one."""
    generic = "serif" if "Serif" in dokumen.font else "sans-serif"
    return f'"{dokumen.font}", "{dokumen.word_font}", {generic}'


def page_css(dokumen: Dokumen, synthetic: bool = False) -> str:
    """The CSS that follows from the document settings.

    The shipped faces of the font as ``data:`` URIs (``lkj.render.web_fonts``: a browser
    prints the tables with the metrics they were laid out with, not with its own sans-serif),
    page size and margins (``@page``; ``@page lanskap`` turns the same paper), the font family
    and size of the text, the cover height and the largest figure (both follow from the page's
    content box), and the size of the space left for the signature. With ``synthetic`` every
    page carries "DATA SINTETIS" in its top margin.

    Args:
        dokumen: the document settings.
        synthetic: the report is built from synthetic data.

    Returns:
        A stylesheet (placed after lkj.css, so it wins).
    """
    width, height = dokumen.paper_mm
    _, content_height = dokumen.content_mm
    margin = " ".join(
        _css_length(value, "cm")
        for value in (
            dokumen.margin_top_cm,
            dokumen.margin_right_cm,
            dokumen.margin_bottom_cm,
            dokumen.margin_left_cm,
        )
    )
    family = font_stack(dokumen)
    box_w, box_h = SIGNATURE_BOX_MM
    label = (
        f'  @top-center {{ content: "{SYNTHETIC_KEYWORD}"; color: #c00000; '
        f"font-family: {family}; font-size: 9pt; font-weight: bold; }}\n"
        if synthetic
        else ""
    )
    return font_face_css(dokumen.font) + (
        f"@page {{\n  size: {width}mm {height}mm;\n  margin: {margin};\n{label}"
        f"  @bottom-center {{ font-family: {family}; }}\n}}\n"
        f"@page lanskap {{ size: {height}mm {width}mm; }}\n"
        f"html {{ font-family: {family}; font-size: {_css_length(dokumen.font_size_pt, 'pt')}; }}\n"
        f".ttd-ruang {{ width: {_css_length(box_w, 'mm')}; height: {_css_length(box_h, 'mm')}; }}\n"
        "@media print {\n"
        f"  .lkj-report section.sampul {{ height: {_css_length(content_height - 8, 'mm')}; }}\n"
        f"  figure img, figure svg {{ max-height: {_css_length(content_height - 28, 'mm')}; }}\n"
        "}\n"
    )


def finish_page(html: str, dokumen: Dokumen) -> tuple[str, list[str]]:
    """The last steps of every report page: :func:`postprocess_html` (heading ids, daftar isi,
    screen navigation, the cover's metadata in the head), and the DATA SINTETIS page header of
    the print style when the cover says the data is synthetic.

    Args:
        html: the page as laid out (``lkj_report`` template, or :func:`report_page`).
        dokumen: the document settings of the print style.

    Returns:
        The page, and the remote resources it refers to (:func:`find_external_references`;
        empty for a self-contained page).
    """
    html, tables, mark = _set_aside_tables(html)
    soup = BeautifulSoup(html, "html.parser")  # one parse for every step (large pages)
    _postprocess_soup(soup)
    page_style = soup.find("style", id="lkj-halaman")
    if page_style is not None and _is_synthetic(soup):
        page_style.string = page_css(dokumen, synthetic=True)
    remote = _external_references(soup)
    html = str(soup)
    if tables:
        html = re.sub(f"<!--{mark}(\\d+)-->", lambda m: tables[int(m.group(1))], html)
    return html, remote


_TABLE = re.compile(r"<table\b.*?</table\s*>", re.IGNORECASE | re.DOTALL)
# What the steps of finish_page look at inside an element: headings, ids, metadata, the
# anchor links, nested tables, and whatever could load a resource.
_SEEN_BY_FINISH = re.compile(
    r"<\s*(?:h[1-6]|meta|style|nav|section|table)\b|\s(?:id|src|srcset|imagesrcset|poster|data"
    r"|background|href|xlink:href)\s*=|anchor-link|url\s*\(|@import",
    re.IGNORECASE,
)


def _set_aside_tables(html: str) -> tuple[str, list[str], str]:
    """Replace each table that :func:`finish_page` has nothing to do with by a comment, to
    be put back as it was after: the tables hold most of a report's elements, and parsing
    them is most of the time of the page's last steps (0.4 s of 0.5 s for the 2022 report).
    A table holding a heading, an id, metadata, a link or anything that loads a resource is
    parsed like the rest. Returns the page, the tables set aside and their comments' prefix.
    """
    mark = f"lkj-tabel-{uuid.uuid4().hex}-"
    tables: list[str] = []

    def aside(match: re.Match[str]) -> str:
        text = match.group(0)
        if _SEEN_BY_FINISH.search(text, 6):  # after its own "<table"
            return text
        tables.append(text)
        return f"<!--{mark}{len(tables) - 1}-->"

    return _TABLE.sub(aside, html), tables, mark


_LINKED_IMG = re.compile(
    r'(<img\b[^>]*?\bsrc=")([^":#?]+\.(?:png|jpe?g|gif|svg))(")', re.IGNORECASE
)
_IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
_IMAGE_TYPES |= {".gif": "image/gif", ".svg": "image/svg+xml"}


def embed_linked_images(html: str, folder: Path) -> str:
    """Carry in the page every image an output links by a relative path (the report notebook
    links its figures, ``../figures/NAME.png``: it runs beside the stage that draws them),
    read from ``folder`` (the executed notebook's folder). A link to a missing file is left
    as it is.

    Args:
        html: the rendered page.
        folder: where the links start from.

    Returns:
        The page, the linked images as data URIs.
    """
    import base64
    import html as html_lib

    def embed(match: re.Match[str]) -> str:
        link = html_lib.unescape(match.group(2))
        path = folder / link
        if link.startswith("/") or not path.is_file():
            return match.group(0)
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        mime = _IMAGE_TYPES[path.suffix.lower()]
        return f"{match.group(1)}data:{mime};base64,{data}{match.group(3)}"

    return _LINKED_IMG.sub(embed, html)


def pygments_css() -> str:
    """The code highlighting styles nbconvert inlines first in every page (pygments
    ``default`` style, class ``.highlight``)."""
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(style=PYGMENTS_STYLE).get_style_defs(".highlight")


_OUTPUT_CELL = Markup(
    '<div class="jp-Cell jp-CodeCell jp-Notebook-cell jp-mod-noInput">\n'
    '<div class="jp-Cell-outputWrapper">\n'
    '<div class="jp-Collapser jp-OutputCollapser jp-Cell-outputCollapser">\n</div>\n'
    '<div class="jp-OutputArea jp-Cell-outputArea">\n'
    '<div class="jp-OutputArea-child">\n'
    '<div class="jp-RenderedHTMLCommon jp-RenderedHTML jp-OutputArea-output" '
    'data-mime-type="text/html" tabindex="0">\n{}\n</div>\n</div>\n</div>\n</div>\n</div>'
)


def report_page(
    parts: Iterable[str],
    dokumen: Dokumen,
    synthetic: bool = False,
    title: str = DEFAULT_TITLE,
) -> tuple[str, list[str]]:
    """The report page of the HTML of its parts, without nbconvert.

    The same page as the ``lkj_report`` template makes of a report notebook whose cells
    display these parts with the code hidden (``LkjHtmlExporter(hide_code=True)``): the same
    head and stylesheets, body classes, DATA SINTETIS banner and cell markup, finished by
    :func:`finish_page` (daftar isi, navigation, title from the cover). Only the notebook's
    cells that show nothing are left out.

    Args:
        parts: the HTML of each part, in order (``lkj.render.laporan_html.report_parts``); each
        becomes
            one output cell. Trusted markup: it is not escaped.
        dokumen: the document settings (print style: paper, margins, font).
        synthetic: built from synthetic data (body class ``lkj-sintetis`` and the banner).
        title: the page title when the cover does not set one.

    Returns:
        The page, and the remote resources it refers to (empty when self-contained).
    """
    body_class = "jp-Notebook lkj lkj-report" + (" lkj-sintetis" if synthetic else "")
    banner = f"{synthetic_banner(True)}\n" if synthetic else ""
    cells = "".join(_OUTPUT_CELL.format(Markup(part)) for part in parts)
    page = (
        "<!DOCTYPE html>\n"
        f'<html lang="{LANG}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
        '<meta name="generator" content="lkj (lkj_report)">\n'
        f"<title>{escape(title)}</title>\n"
        f'<style type="text/css">\n{pygments_css()}\n</style>\n'
        f'<style type="text/css">\n{STYLESHEET.read_text(encoding="utf-8")}</style>\n'
        f'<style type="text/css" id="lkj-halaman">\n{page_css(dokumen)}\n</style>\n'
        f'</head>\n<body class="{body_class}">\n{banner}<main>{cells}</main>\n</body>\n</html>\n'
    )
    return finish_page(page, dokumen)
