"""nbconvert exporters that turn LKj notebooks into a self-contained HTML page and an A4 PDF.

Two exporters are registered as nbconvert entry points (see ``pyproject.toml``)::

    jupyter nbconvert --to lkj_html notebook.ipynb   # reviewers: code shown
    jupyter nbconvert --to lkj_pdf report.ipynb      # the report: code hidden, PDF via WeasyPrint

Both render the ``lkj_report`` template of ``lkj/templates`` (nbconvert's ``lab`` cell markup with
our own ``<head>``: no scripts, no CDN, no web fonts; the stylesheet is inlined). After rendering,
:func:`postprocess_html` gives the chapter headings stable ids, drops nbconvert's pilcrow anchor
links and fills a ``<div id="lkj-toc"></div>`` placeholder with the table of contents. The PDF
exporter hands the HTML to WeasyPrint with :class:`OfflineURLFetcher`, which refuses every remote
URL, so a stray ``http(s)://`` reference fails loudly instead of hanging on the network.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import weasyprint
from bs4 import BeautifulSoup, Tag
from nbconvert.exporters import HTMLExporter
from nbformat import NotebookNode
from traitlets import Bool, default
from traitlets.config import Config
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

__all__ = [
    "NO_TOC_CLASS",
    "TEMPLATES_DIR",
    "TEMPLATE_NAME",
    "TOC_PLACEHOLDER_ID",
    "LkjHtmlExporter",
    "LkjPdfExporter",
    "OfflineURLFetcher",
    "RemoteResourceError",
    "SYNTHETIC_LABEL",
    "TocEntry",
    "find_external_references",
    "html_to_pdf",
    "is_synthetic",
    "notebook_title",
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

_TOC_LEVELS = ("h1", "h2")
_LOCAL_SCHEMES = frozenset({"file", "data"})
_REMOTE_PREFIX = re.compile(r"^\s*(?:https?:|ftp:|//)", re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)""", re.IGNORECASE | re.DOTALL)
_CSS_IMPORT = re.compile(r"""@import\s+(['"])(.*?)\1""", re.IGNORECASE)


class RemoteResourceError(RuntimeError):
    """A document refers to a resource on the network, which the LKj PDF must not load.

    Attributes:
        url: The refused URL.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        super().__init__(
            f"refusing to fetch remote resource {url!r}: the LKj report must be self-contained "
            "(embed the file, e.g. as a data: URI, or refer to a local file)"
        )


class _RemoteFetchAborted(FatalURLFetchingError):
    """Raised inside WeasyPrint to stop the rendering (a BaseException, WeasyPrint lets it pass)."""

    def __init__(self, url: str) -> None:
        self.url = url
        super().__init__(url)


class OfflineURLFetcher(URLFetcher):
    """WeasyPrint URL fetcher that only reads local files and ``data:`` URIs.

    Any other URL (``http:``, ``https:``, ``ftp:``, ``file://otherhost/...``) aborts the rendering;
    :func:`html_to_pdf` turns that into a :class:`RemoteResourceError` naming the URL.
    """

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        """Fetch ``url`` if it is local, abort the rendering otherwise.

        Args:
            url: Absolute URL requested by WeasyPrint (image, stylesheet, font, ...).
            headers: Extra request headers (unused for local URLs).

        Returns:
            The response for a local file or ``data:`` URI.
        """
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in _LOCAL_SCHEMES or (
            scheme == "file" and parts.hostname not in (None, "", "localhost")
        ):
            raise _RemoteFetchAborted(url)
        return super().fetch(url, headers)


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


def _postprocess_soup(soup: BeautifulSoup) -> None:
    for anchor in soup.select("a.anchor-link"):
        anchor.decompose()

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


def html_to_pdf(html: str, base_url: str | None = None) -> bytes:
    """Render an HTML document to PDF with WeasyPrint, without any network access.

    Args:
        html: The complete HTML document.
        base_url: Base for relative URLs (e.g. ``file:///path/to/notebooks/``); local files only.

    Returns:
        The PDF file content.

    Raises:
        RemoteResourceError: The document refers to a remote resource (image, stylesheet, font).
    """
    try:
        document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=OfflineURLFetcher())
        # presentational_hints: honour <img width=...>, <td align=...> as browsers do.
        return document.write_pdf(presentational_hints=True)
    except _RemoteFetchAborted as aborted:
        raise RemoteResourceError(aborted.url) from None


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

    Uses the ``lkj_report`` template: Indonesian ``lang="id"``, images embedded, no scripts,
    no network resources, print stylesheet for A4. With ``hide_code`` the code inputs, prompts
    and stderr streams are left out (the report); without it (default) they are shown, for
    reviewers.
    """

    export_from_notebook = "LKj HTML"

    hide_code = Bool(
        False,
        help="Leave out code inputs, prompts and stderr outputs (the report view).",
    ).tag(config=True)

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
        return "id"

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
        resources["lkj"] = {
            "title": notebook_title(nb, resources),
            "hide_code": bool(self.hide_code),
            "template": TEMPLATE_NAME,
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
        remote = _external_references(soup)
        html = str(soup)
        if remote:
            self.log.warning(
                "The page refers to %d remote resource(s), it is not self-contained: %s",
                len(remote),
                ", ".join(remote[:5]),
            )
        return html, resources


class LkjPdfExporter(LkjHtmlExporter):
    """A4 PDF of an LKj notebook through WeasyPrint (``--to lkj_pdf``).

    Renders the same HTML as :class:`LkjHtmlExporter` (``hide_code`` defaults to True here) and
    converts it with WeasyPrint, refusing any network access.
    """

    export_from_notebook = "LKj PDF"
    output_mimetype = "application/pdf"

    @default("file_extension")
    def _file_extension_default(self) -> str:
        return ".pdf"

    @default("template_extension")
    def _template_extension_default(self) -> str:
        return ".html.j2"

    @default("hide_code")
    def _hide_code_default(self) -> bool:
        return True

    def from_notebook_node(  # type: ignore[override]
        self, nb: NotebookNode, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[bytes, dict[str, Any]]:
        """Render a notebook to PDF.

        Args:
            nb: The notebook to render.
            resources: nbconvert resources; relative URLs resolve against
                ``resources["metadata"]["path"]`` (the notebook directory), else the current
                directory.
            **kw: Passed on to nbconvert.

        Returns:
            The PDF bytes and the resources (``output_extension`` is ``".pdf"``).

        Raises:
            RemoteResourceError: The notebook output refers to a remote resource.
        """
        html, resources = super().from_notebook_node(nb, resources, **kw)
        path = (resources.get("metadata") or {}).get("path") or os.getcwd()
        base_url = Path(path).resolve().as_uri() + "/"
        pdf = html_to_pdf(html, base_url=base_url)
        resources["output_extension"] = ".pdf"
        return pdf, resources
