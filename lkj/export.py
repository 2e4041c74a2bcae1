"""The nbconvert exporter that turns LKj notebooks into a self-contained HTML page.

Registered as an nbconvert entry point (see ``pyproject.toml``)::

    jupyter nbconvert --to lkj_html notebook.ipynb   # reviewers: code shown

It renders the ``lkj_report`` template of ``lkj/templates`` (nbconvert's ``lab`` cell markup
with our own ``<head>``: no scripts, no CDN, no web fonts; the stylesheet is inlined). After
rendering, :func:`postprocess_html` gives the chapter headings stable ids, drops nbconvert's
pilcrow anchor links and fills a ``<div id="lkj-toc"></div>`` placeholder with the table of
contents; :func:`find_external_references` lists what the page would load from the network
(logged: the page must be self-contained). The page's print stylesheet (:func:`page_css`)
follows the document settings, for printing from a browser.

The report's PDF is not printed from this HTML: ``lkj.cetak`` lays it out with Typst
(``lkj.render_typst``) from the same document model the HTML shows.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup, Tag
from nbconvert.exporters import HTMLExporter
from nbformat import NotebookNode
from traitlets import Bool, Instance, default
from traitlets.config import Config

from lkj.config import Dokumen, load_config
from lkj.sampul import SIGNATURE_BOX_MM, SIGNATURE_FIELD, SYNTHETIC_KEYWORD

__all__ = [
    "LANG",
    "NO_TOC_CLASS",
    "SIGNATURE_FIELD",
    "TEMPLATES_DIR",
    "TEMPLATE_NAME",
    "TOC_PLACEHOLDER_ID",
    "LkjHtmlExporter",
    "SYNTHETIC_LABEL",
    "TocEntry",
    "find_external_references",
    "is_synthetic",
    "notebook_title",
    "page_css",
    "postprocess_html",
    "slugify",
]

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
"""Directory holding the nbconvert template directories of this package."""

TEMPLATE_NAME = "lkj_report"
"""Name of the nbconvert template directory (inside :data:`TEMPLATES_DIR`)."""

TOC_PLACEHOLDER_ID = "lkj-toc"
"""Id of the element that :func:`postprocess_html` fills with the table of contents."""

NO_TOC_CLASS = "no-toc"
"""Class of headings that must not appear in the table of contents."""

DEFAULT_TITLE = "Laporan Kinerja"
PYGMENTS_STYLE = "default"

LANG = "id-ID"
"""Language of the report: ``<html lang>`` (the PDF says the same, ``lkj.render_typst``)."""

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

    The report's cover (:func:`lkj.sampul.cover_html`) states the document's title, author and
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
        ordered = soup.new_tag("ol")
        for entry in entries:
            item = soup.new_tag("li", attrs={"class": f"toc-h{entry.level}"})
            link = soup.new_tag("a", href=f"#{entry.anchor}")
            link.string = entry.text
            item.append(link)
            ordered.append(item)
        nav.append(ordered)
        placeholder.append(nav)
        _add_side_navigation(soup, entries)


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
    ordered = soup.new_tag("ol")
    for entry in entries:
        if entry.level > 2:
            continue
        item = soup.new_tag("li", attrs={"class": f"nav-h{entry.level}"})
        link = soup.new_tag("a", href=f"#{entry.anchor}")
        link.string = entry.text
        item.append(link)
        ordered.append(item)
    details.append(ordered)
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

    Page size and margins (``@page``; ``@page lanskap`` turns the same paper), the font family
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
    return (
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


def notebook_title(nb: NotebookNode, resources: dict[str, Any] | None = None) -> str:
    """Title of the rendered page.

    Args:
        nb: The notebook.
        resources: nbconvert resources; ``resources["metadata"]["name"]`` is the notebook name.

    Returns:
        Notebook metadata ``lkj.title`` if set, else the notebook name, else
        ``"Laporan Kinerja"``.
    """
    lkj_meta = nb.get("metadata", {}).get("lkj") or {}
    title = lkj_meta.get("title") if isinstance(lkj_meta, dict) else None
    if not title:
        title = ((resources or {}).get("metadata") or {}).get("name")
    return str(title or DEFAULT_TITLE).strip() or DEFAULT_TITLE


SYNTHETIC_LABEL = "DATA SINTETIS"
"""What every page built from synthetic data says (banner on screen, page header in print)."""


def is_synthetic(nb: NotebookNode) -> bool:
    """True when the notebook was run on synthetic data (notebook metadata
    ``lkj.data_sintetis``, set by ``lkj.pipeline`` from instansi.csv ``data_sintetis = ya``).

    The page then carries the class ``lkj-sintetis`` on ``<body>`` and a banner
    (``div.lkj-sintetis-banner``) that lkj.css shows at the top of the screen and in the header
    of every printed page.
    """
    lkj_meta = nb.get("metadata", {}).get("lkj") or {}
    return bool(isinstance(lkj_meta, dict) and lkj_meta.get("data_sintetis"))


class LkjHtmlExporter(HTMLExporter):
    """Self-contained HTML page of an LKj notebook (``--to lkj_html``).

    Uses the ``lkj_report`` template: Indonesian ``lang="id-ID"``, images embedded, no
    scripts, no network resources, print stylesheet with the paper, margins and font of the
    document settings (``dokumen``; default: ``[dokumen]`` of config/lkj.toml). With
    ``hide_code`` the code inputs, prompts and stderr streams are left out (the report);
    without it (default) they are shown, for reviewers.
    """

    export_from_notebook = "LKj HTML"

    hide_code = Bool(
        False,
        help="Leave out code inputs, prompts and stderr outputs (the report view).",
    ).tag(config=True)

    dokumen = Instance(
        Dokumen,
        allow_none=True,
        help="Document settings (paper, margins, font); None: [dokumen] of config/lkj.toml.",
    )

    @property
    def default_config(self) -> Config:
        """nbconvert's HTML defaults plus a pygments style that needs no JupyterLab CSS."""
        config = super().default_config
        config.merge(Config({"CSSHTMLHeaderPreprocessor": {"style": PYGMENTS_STYLE}}))
        return config

    @default("template_name")
    def _template_name_default(self) -> str:
        return TEMPLATE_NAME

    @default("extra_template_basedirs")
    def _default_extra_template_basedirs(self) -> list[str]:
        return [str(TEMPLATES_DIR), os.getcwd()]

    @default("language_code")
    def _language_code_default(self) -> str:
        return LANG

    @default("embed_images")
    def _embed_images_default(self) -> bool:
        return True

    @default("exclude_anchor_links")
    def _exclude_anchor_links_default(self) -> bool:
        return True

    def from_notebook_node(
        self, nb: NotebookNode, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[str, dict[str, Any]]:
        """Render a notebook to a self-contained HTML page.

        Args:
            nb: The notebook to render.
            resources: nbconvert resources (``metadata.name`` and ``metadata.path`` are used for
                the title and for embedding images).
            **kw: Passed on to nbconvert.

        Returns:
            The HTML document and the resources.
        """
        resources = dict(resources or {})
        dokumen = self.dokumen or load_config().dokumen
        resources["lkj"] = {
            "title": notebook_title(nb, resources),
            "hide_code": bool(self.hide_code),
            "template": TEMPLATE_NAME,
            "page_css": page_css(dokumen),
            "data_sintetis": is_synthetic(nb),
        }
        hidden = ("exclude_input", "exclude_input_prompt", "exclude_output_prompt")
        saved = {name: getattr(self, name) for name in hidden}
        if self.hide_code:
            for name in hidden:
                setattr(self, name, True)
        try:
            html, resources = super().from_notebook_node(nb, resources, **kw)
        finally:
            for name, value in saved.items():
                setattr(self, name, value)

        soup = BeautifulSoup(html, "html.parser")  # one parse for both steps (large pages)
        _postprocess_soup(soup)
        page_style = soup.find("style", id="lkj-halaman")
        if page_style is not None and _is_synthetic(soup):
            page_style.string = page_css(dokumen, synthetic=True)
        remote = _external_references(soup)
        html = str(soup)
        if remote:
            self.log.warning(
                "The page refers to %d remote resource(s), it is not self-contained: %s",
                len(remote),
                ", ".join(remote[:5]),
            )
        return html, resources
