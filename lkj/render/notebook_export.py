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

The report's PDF is not printed from this HTML: ``lkj.run.cetak`` lays it out with Typst
(``lkj.render.to_pdf``) from the same document model the HTML shows.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from nbconvert.exporters import HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from nbformat import NotebookNode
from traitlets import Bool, Instance, default
from traitlets.config import Config

from lkj.core.config import Dokumen, load_config
from lkj.core.resources import TEMPLATES_DIR
from lkj.document.sampul import SIGNATURE_FIELD
from lkj.render.page import (  # the page itself; re-exported here for the exporters' users
    DEFAULT_TITLE,
    LANG,
    NO_TOC_CLASS,
    PYGMENTS_STYLE,
    SYNTHETIC_LABEL,
    TOC_PLACEHOLDER_ID,
    TocEntry,
    embed_linked_images,
    find_external_references,
    finish_page,
    page_css,
    postprocess_html,
    slugify,
)

CODE_LEXER = "python3"
"""The Pygments lexer of the notebooks' code cells (they hold no IPython magics)."""
NO_ALT_TEXT = "No description has been provided for this image"  # nbconvert's words
_NO_ALT = re.compile(r"<img\b(?![^>]*\balt=)", re.IGNORECASE)
# nbconvert's ".jp-Notebook div.jp-Cell-inputWrapper" and "div.jp-OutputArea-output": the
# start tags its templates write (class first, no ">" inside an attribute)
_FOCUSABLE = re.compile(
    r'(<div class="(?:[^"]*\s)?jp-(?:Cell-inputWrapper|OutputArea-output)(?:\s[^"]*)?"[^>]*)>'
)

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
    "embed_linked_images",
    "is_synthetic",
    "notebook_title",
    "page_css",
    "postprocess_html",
    "slugify",
]

TEMPLATES_DIR = TEMPLATES_DIR
"""Directory holding the nbconvert template directories of this package."""

TEMPLATE_NAME = "lkj_report"
"""Name of the nbconvert template directory (inside :data:`TEMPLATES_DIR`)."""


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
    ``lkj.data_sintetis``, set by ``lkj.run.notebooks`` from instansi.csv ``data_sintetis = ya``).

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

    def _render(
        self, nb: NotebookNode, resources: dict[str, Any], **kw: Any
    ) -> tuple[str, dict[str, Any]]:
        """``HTMLExporter.from_notebook_node`` (nbconvert 7.17, pinned) without its
        BeautifulSoup pass over the whole page: its two attribute fixes (an alt text on every
        image without one, ``tabindex="0"`` on every input and output area) are made here on
        the markup, and the page is parsed once, by :func:`finish_page`. Half the time of a
        notebook's render went to that second parse."""
        highlight_code = self.filters["highlight_code"]  # set by from_notebook_node
        resources = self._init_resources(resources)
        filter_data_type = WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources
        )
        self.register_filter("highlight_code", highlight_code)
        self.register_filter("filter_data_type", filter_data_type)
        html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        html, missing_alt = _NO_ALT.subn(f'<img alt="{NO_ALT_TEXT}"', html)
        if missing_alt:
            self.log.warning("Alternative text is missing on %s image(s).", missing_alt)
        return _FOCUSABLE.sub(r'\1 tabindex="0">', html), resources

    def from_notebook_node(
        self, nb: NotebookNode, resources: dict[str, Any] | None = None, **kw: Any
    ) -> tuple[str, dict[str, Any]]:
        """Render a notebook to a self-contained HTML page.

        Args:
            nb: The notebook to render.
            resources: nbconvert resources (``metadata.name`` and ``metadata.path`` are used for
                the title and for embedding images; ``lkj_embed_images`` False: the images
                linked by a relative path are left linked).
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
        if "highlight_code" not in self.filters:
            # The notebooks' code is plain Python: Pygments' Python lexer colours it as the
            # IPython lexer their metadata names would, without importing IPython (0.5 s).
            self.filters = {
                **self.filters,
                "highlight_code": Highlight2HTML(pygments_lexer=CODE_LEXER, parent=self),
            }
        hidden = ("exclude_input", "exclude_input_prompt", "exclude_output_prompt")
        saved = {name: getattr(self, name) for name in hidden}
        if self.hide_code:
            for name in hidden:
                setattr(self, name, True)
        try:
            html, resources = self._render(nb, resources, **kw)
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
        # last, so that the page's steps do not parse the images' data; a caller whose images
        # are still being drawn carries them in itself (resources "lkj_embed_images": False)
        folder = (resources.get("metadata") or {}).get("path")
        if folder and resources.get("lkj_embed_images", True):
            html = embed_linked_images(html, Path(folder))
        return html, resources
