"""The LKjIP as one self-contained HTML page (``lkj.document.lkjip.lkjip_document`` rendered
as the OPD report's exporter renders a report)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from lkj.core.resources import STYLESHEET
from lkj.document.model import Document

CSS_PATH = STYLESHEET


def render_html(doc: Document, synthetic: bool, dokumen: Any = None) -> str:
    """One self-contained HTML page of the document (lkj.css inlined, images embedded, the
    daftar isi filled), as the OPD report's exporter makes it.

    Args:
        doc: the document.
        synthetic: built from synthetic data: the DATA SINTETIS banner (top of the screen and
            every printed page, see lkj.css).
        dokumen: the document settings (paper, margins, font:
        ``lkj.render.notebook_export.page_css``).

    Returns:
        The HTML document.
    """
    from lkj.core.config import Dokumen
    from lkj.render.notebook_export import page_css, postprocess_html
    from lkj.render.page import synthetic_banner
    from lkj.render.to_html import html

    banner = synthetic_banner(synthetic)
    body_class = "lkj lkj-report lkjip" + (" lkj-sintetis" if synthetic else "")
    page = Markup(
        '<!DOCTYPE html>\n<html lang="id">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
        '<meta name="generator" content="lkj (lkjip)">\n<title>{}</title>\n'
        '<style>\n{}\n</style>\n<style id="lkj-halaman">\n{}\n</style>\n</head>\n'
        '<body class="{}">\n{}<main>\n{}\n</main>\n</body>\n</html>\n'
    ).format(
        doc.title,
        Markup(CSS_PATH.read_text(encoding="utf-8")),
        Markup(page_css(dokumen or Dokumen())),
        body_class,
        banner,
        html(doc.blocks, dokumen=dokumen),
    )
    return postprocess_html(str(page))
