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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pydyf
import weasyprint
from nbconvert.exporters import HTMLExporter
from nbformat import NotebookNode
from traitlets import Bool, Instance, default
from traitlets.config import Config
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from lkj.config import Dokumen, load_config
from lkj.page import (  # the page itself; re-exported here for the exporters' users
    DEFAULT_TITLE,
    LANG,
    NO_TOC_CLASS,
    PYGMENTS_STYLE,
    SYNTHETIC_LABEL,
    TOC_PLACEHOLDER_ID,
    TocEntry,
    find_external_references,
    finish_page,
    page_css,
    postprocess_html,
    slugify,
)
from lkj.sampul import SIGNATURE_ANCHOR

__all__ = [
    "FONTS_DIR",
    "LANG",
    "NO_TOC_CLASS",
    "PDF_VARIANT",
    "SIGNATURE_FIELD",
    "TEMPLATES_DIR",
    "TEMPLATE_NAME",
    "TOC_PLACEHOLDER_ID",
    "LkjHtmlExporter",
    "LkjPdfExporter",
    "OfflineURLFetcher",
    "PdfAttachment",
    "PdfOptions",
    "RemoteResourceError",
    "SYNTHETIC_LABEL",
    "mark_docx_synthetic",
    "TocEntry",
    "find_external_references",
    "font_face_css",
    "html_to_pdf",
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

PDF_VARIANT = "pdf/a-3u"
"""The PDF/A level of the report: PDF/A-3 allows the raw-data workbook as an attachment, and
the figures as they are (transparency); "u": every glyph maps to Unicode (searchable text)."""

SIGNATURE_FIELD = "TandaTanganKepala"
"""Name of the empty signature field the PDF carries at the signature block."""

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
"""The vendored Liberation fonts (SIL OFL), declared to WeasyPrint with @font-face."""

_FONT_FILES = {"Liberation Sans": "LiberationSans", "Liberation Serif": "LiberationSerif"}
_FONT_STYLES = (
    ("Regular", "normal", "normal"),
    ("Bold", "bold", "normal"),
    ("Italic", "normal", "italic"),
    ("BoldItalic", "bold", "italic"),
)

_LOCAL_SCHEMES = frozenset({"file", "data"})


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


def font_face_css() -> str:
    """``@font-face`` rules for the shipped Liberation Sans and Serif (four styles each).

    Returns:
        CSS whose ``src`` are ``file:`` URLs into :data:`FONTS_DIR` (read by
        :class:`OfflineURLFetcher`; nothing is fetched from the network).
    """
    rules = []
    for family, stem in _FONT_FILES.items():
        for style_name, weight, style in _FONT_STYLES:
            url = (FONTS_DIR / f"{stem}-{style_name}.ttf").as_uri()
            rules.append(
                f'@font-face {{ font-family: "{family}"; src: url("{url}") format("truetype"); '
                f"font-weight: {weight}; font-style: {style}; }}"
            )
    return "\n".join(rules) + "\n"


@dataclass(frozen=True)
class PdfAttachment:
    """A file embedded in the PDF (PDF/A-3 associated file).

    Attributes:
        path: the file.
        name: the name shown by PDF readers (default: the file name).
        description: what it is.
        relationship: PDF/A-3 AFRelationship; "Data": the data the tables and figures show.
        when: creation and modification date recorded in the PDF (default: the file's times).
    """

    path: Path
    name: str = ""
    description: str = ""
    relationship: str = "Data"
    when: datetime | None = None


@dataclass(frozen=True)
class PdfOptions:
    """How :func:`html_to_pdf` writes the PDF. The defaults make the LKj's PDF/A.

    Attributes:
        variant: WeasyPrint ``pdf_variant`` (default :data:`PDF_VARIANT`, "pdf/a-3u"); None for
            a plain PDF. Attachments need PDF/A-3 (PDF/A-2 drops non-PDF attachments).
        fonts: declare the shipped Liberation fonts (:func:`font_face_css`).
        dokumen: add :func:`page_css` of these settings (None: the HTML's own page rules).
        attachments: files to embed.
        title: overrides the HTML ``<title>``.
        author: overrides ``<meta name="author">``.
        keywords: override ``<meta name="keywords">``.
        lang: overrides ``<html lang>``.
        signature_field: put an empty signature field named :data:`SIGNATURE_FIELD` on the
            element with id :data:`lkj.sampul.SIGNATURE_ANCHOR`, when the document has one.
    """

    variant: str | None = PDF_VARIANT
    fonts: bool = True
    dokumen: Dokumen | None = None
    attachments: tuple[PdfAttachment, ...] = ()
    title: str | None = None
    author: str | None = None
    keywords: tuple[str, ...] | None = None
    lang: str | None = None
    signature_field: bool = True


def _dedupe_associated_files(pdf: pydyf.PDF) -> None:
    """WeasyPrint 70 lists each PDF/A-3 attachment twice in the catalog's /AF; keep one."""
    files = pdf.catalog.get("AF")
    if files:
        unique = list(dict.fromkeys(files))
        files.clear()
        files.extend(unique)


def _signature_field(anchor: str, name: str) -> Callable[[Any, pydyf.PDF], None]:
    """A WeasyPrint finisher that adds an empty signature field over the element ``#anchor``.

    The field (merged with its widget) gets the element's border box, the print flag (PDF/A)
    and an empty appearance stream; ``python -m lkj tandatangan`` signs into it, and other
    signing tools show it as the place to sign.
    """

    def finish(document: Any, pdf: pydyf.PDF) -> None:
        for index, page in enumerate(document.pages):
            if anchor not in page.anchors:
                continue
            x1, y1, x2, y2 = page.anchors[anchor]
            scale = 0.75  # CSS px -> PDF pt
            rect = [x1 * scale, (page.height - y2) * scale, x2 * scale, (page.height - y1) * scale]
            pdf_page = pdf.objects[pdf.pages["Kids"][3 * index]]
            width, height = rect[2] - rect[0], rect[3] - rect[1]
            appearance = pydyf.Stream(
                [],
                pydyf.Dictionary(
                    {
                        "Type": "/XObject",
                        "Subtype": "/Form",
                        "BBox": pydyf.Array([0, 0, width, height]),
                    }
                ),
            )
            pdf.add_object(appearance)
            field = pydyf.Dictionary(
                {
                    "Type": "/Annot",
                    "Subtype": "/Widget",
                    "FT": "/Sig",
                    "T": pydyf.String(name),
                    "Rect": pydyf.Array(rect),
                    "F": 4,  # print (PDF/A)
                    "P": pdf_page.reference,
                    "AP": pydyf.Dictionary({"N": appearance.reference}),
                }
            )
            pdf.add_object(field)
            annots = pdf_page.get("Annots") or pydyf.Array()
            annots.append(field.reference)
            pdf_page["Annots"] = annots
            pdf.catalog["AcroForm"] = pydyf.Dictionary({"Fields": pydyf.Array([field.reference])})
            return

    return finish


def html_to_pdf(html: str, base_url: str | None = None, options: PdfOptions | None = None) -> bytes:
    """Render an HTML document to PDF with WeasyPrint, without any network access.

    By default the PDF is PDF/A-3u with the shipped fonts embedded; metadata (title, author,
    keywords, language) comes from the HTML head unless ``options`` overrides it.

    Args:
        html: The complete HTML document.
        base_url: Base for relative URLs (e.g. ``file:///path/to/notebooks/``); local files only.
        options: PDF/A level, fonts, page settings, attachments, metadata (default
            :class:`PdfOptions`()).

    Returns:
        The PDF file content.

    Raises:
        RemoteResourceError: The document refers to a remote resource (image, stylesheet, font).
    """
    options = options or PdfOptions()
    fetcher = OfflineURLFetcher()
    font_config = FontConfiguration()
    css = font_face_css() if options.fonts else ""
    if options.dokumen is not None:
        css += page_css(options.dokumen)
    try:
        stylesheets = (
            [weasyprint.CSS(string=css, font_config=font_config, url_fetcher=fetcher)]
            if css
            else []
        )
        document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
            font_config=font_config,
            stylesheets=stylesheets,
            # presentational_hints: honour <img width=...>, <td align=...> as browsers do.
            presentational_hints=True,
        )
        metadata = document.metadata
        if options.title is not None:
            metadata.title = options.title
        if options.author is not None:
            metadata.authors = [options.author]
        if options.keywords is not None:
            metadata.keywords = list(options.keywords)
        if options.lang is not None:
            metadata.lang = options.lang
        attachments = [
            weasyprint.Attachment(
                filename=str(item.path),
                name=item.name or Path(item.path).name,
                description=item.description or None,
                relationship=item.relationship,
                created=item.when,
                modified=item.when,
                url_fetcher=fetcher,
            )
            for item in options.attachments
        ]
        add_field = (
            _signature_field(SIGNATURE_ANCHOR, SIGNATURE_FIELD) if options.signature_field else None
        )

        def finisher(document: Any, pdf: pydyf.PDF) -> None:
            _dedupe_associated_files(pdf)
            if add_field is not None:
                add_field(document, pdf)

        return document.write_pdf(
            pdf_variant=options.variant, attachments=attachments, finisher=finisher
        )
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

        html, remote = finish_page(html, dokumen)
        if remote:
            self.log.warning(
                "The page refers to %d remote resource(s), it is not self-contained: %s",
                len(remote),
                ", ".join(remote[:5]),
            )
        return html, resources


class LkjPdfExporter(LkjHtmlExporter):
    """PDF/A of an LKj notebook through WeasyPrint (``--to lkj_pdf``).

    Renders the same HTML as :class:`LkjHtmlExporter` (``hide_code`` defaults to True here) and
    converts it with :func:`html_to_pdf`, refusing any network access. ``pdf_options`` sets the
    PDF/A level, attachments and metadata overrides (default :class:`PdfOptions`(): PDF/A-3u,
    shipped fonts, metadata from the page head).
    """

    export_from_notebook = "LKj PDF"
    output_mimetype = "application/pdf"

    pdf_options = Instance(
        PdfOptions, allow_none=True, help="How the PDF is written; None: PdfOptions()."
    )

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
        pdf = html_to_pdf(html, base_url=base_url, options=self.pdf_options)
        resources["output_extension"] = ".pdf"
        return pdf, resources


def mark_docx_synthetic(path: Path | str) -> None:
    """Put the DATA SINTETIS label in the page header of every section of a DOCX file (the
    cover's first-page header too), so that every page Word prints says it.

    Args:
        path: the .docx file, rewritten in place.
    """
    import docx
    from docx.shared import Pt, RGBColor

    document = docx.Document(str(path))
    for section in document.sections:
        headers = [section.header]
        if section.different_first_page_header_footer:
            headers.append(section.first_page_header)
        for header in headers:
            header.is_linked_to_previous = False
            paragraph = header.paragraphs[0] if header.paragraphs else header.add_paragraph()
            paragraph.text = ""
            paragraph.alignment = 1  # centre
            run = paragraph.add_run(f"{SYNTHETIC_LABEL}: bukan data kinerja sebenarnya")
            run.bold = True
            run.font.size = Pt(10)
            run.font.color.rgb = RGBColor(0xB0, 0x00, 0x20)
    document.save(str(path))
