"""A plain page of links: the pemda's documents and, per OPD, its status and products (the
quarter's evaluation, ``lkj.pemda.triwulan``; the year's page is the dashboard,
``lkj.pemda.index_page``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markupsafe import Markup

from lkj.core.resources import STYLESHEET

CSS_PATH = STYLESHEET


def _link(href: str, text: str) -> Markup:
    return Markup('<a href="{}">{}</a>').format(href, text)


def link_index_html(
    title: str,
    synthetic: bool,
    lkjip: Sequence[tuple[str, str]],
    rows: Sequence[dict[str, Any]],
) -> str:
    """A plain index page: the pemda's files and, per OPD, its products (relative links,
    offline, no script); the quarter's roll-up uses it (the year has the dashboard).

    Args:
        title: e.g. "Kabupaten X: Laporan Kinerja 2022".
        synthetic: show the DATA SINTETIS banner.
        lkjip: (relative href, label) of the LKjIP files.
        rows: per OPD: kode_opd, nama_opd, status, links [(href, label)], error.

    Returns:
        The HTML page.
    """
    from lkj.render.page import synthetic_banner

    body = []
    for r in rows:
        links = Markup(" · ").join(_link(h, t) for h, t in r["links"]) or Markup("-")
        error = Markup('<div class="galat">{}</div>').format(r["error"]) if r.get("error") else ""
        body.append(
            Markup(
                '<tr class="status-{}"><td>{}</td><td>{}</td><td>{}</td><td>{}{}</td></tr>'
            ).format(
                r["status"].replace(" ", "-"),
                r["kode_opd"],
                r["nama_opd"],
                r["status"],
                links,
                error,
            )  # fmt: skip
        )
    banner = synthetic_banner(synthetic)
    css = CSS_PATH.read_text(encoding="utf-8") + LINK_INDEX_CSS
    return str(
        Markup(
            '<!DOCTYPE html>\n<html lang="id">\n<head>\n<meta charset="utf-8">\n'
            "<title>{}</title>\n<style>\n{}\n</style>\n</head>\n"
            '<body class="lkj lkj-index{}">\n{}<main>\n<h1>{}</h1>\n'
            '<p class="lkjip">LKjIP Pemerintah Daerah: {}</p>\n'
            '<table class="lkj indeks"><thead><tr><th>Kode</th><th>Perangkat Daerah</th>'
            "<th>Status</th><th>Laporan dan notebook</th></tr></thead>\n<tbody>\n{}\n"
            "</tbody></table>\n</main>\n</body>\n</html>\n"
        ).format(
            title,
            Markup(css),
            " lkj-sintetis" if synthetic else "",
            banner,
            title,
            Markup(" · ").join(_link(h, t) for h, t in lkjip) or "-",
            Markup("\n").join(body),
        )
    )


LINK_INDEX_CSS = """
body.lkj-index main { max-width: 1100px; margin: 0 auto; padding: 1em; }
table.indeks td { vertical-align: top; }
tr.status-gagal td { background: #fdecea; }
tr.status-tidak-ada td { color: #777777; }
.galat { white-space: pre-wrap; font-size: 8.5pt; color: #8a1c10; margin-top: 0.3em; }
"""
