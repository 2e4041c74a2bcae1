"""The pemda's index page: a dashboard of every OPD (``lkj.pemda.dashboard`` gathers the rows).

One self-contained offline page in the report's look (its stylesheet inlined): the LKjIP's
links, the totals, a capaian-against-serapan quadrant chart (inline SVG), and a table of every
OPD, failed ones first, with sortable columns (click a header) and a search box: a small inline
script, no network. Figures are written the Indonesian way (``lkj.core.fmt``); each sortable
cell carries its plain value in ``data-nilai``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from markupsafe import Markup

from lkj.core.fmt import format_pct, format_rp
from lkj.core.resources import STYLESHEET

CSS_PATH = STYLESHEET
COLUMNS = (
    "Kode",
    "Perangkat Daerah",
    "Status",
    "Formulir",
    "Predikat per sasaran",
    "Capaian (%)",
    "Serapan (%)",
    "Realisasi (Rp)",
    "Angka berbeda",
    "Ditandatangani",
    "Batas waktu",
    "Produk",
)


def _link(href: str, text: str) -> Markup:
    return Markup('<a href="{}">{}</a>').format(href, text)


def _cell(text: object, value: object = None) -> Markup:
    """A cell; ``value`` (a number) is what sorting compares."""
    if value is None:
        return Markup("<td>{}</td>").format(text)
    return Markup('<td class="angka" data-nilai="{}">{}</td>').format(value, text)


def quarter_of(rows: Sequence[Any]) -> int | None:
    """The quarter whose early warnings the rows carry (the latest built), None without."""
    return next((r.triwulan for r in rows if getattr(r, "triwulan", None)), None)


def _warnings(r: Any) -> Markup:
    """The cell "Peringatan dini TW n": the count, "-" when the OPD has no evaluation."""
    n = getattr(r, "peringatan_triwulan", None)
    return _cell("-" if n is None else n, -1 if n is None else n)


def _row(r: Any, quarter: int | None = None) -> Markup:
    links = Markup(" · ").join(_link(h, t) for h, t in r.links) or Markup("-")
    status = Markup("{}").format(r.status)
    if r.error:
        status += Markup('<div class="galat">{}</div>').format(r.error)
    cells = [
        _cell(r.kode_opd),
        _cell(r.nama_opd),
        _cell(status),
        _cell(r.formulir),
        _cell(r.predikat_sasaran or "-"),
        _cell(format_pct(r.capaian_pct, sign=False), r.capaian_pct if r.capaian_pct else -1),
        _cell(format_pct(r.serapan_pct, sign=False), r.serapan_pct if r.serapan_pct else -1),
        _cell(format_rp(r.realisasi_rp), r.realisasi_rp if r.realisasi_rp is not None else -1),
        _cell("-" if r.angka_berbeda is None else r.angka_berbeda, r.angka_berbeda or 0),
        _cell("ya" if r.ditandatangani else "tidak"),
        _deadline(r),
        *([_warnings(r)] if quarter else []),
        _cell(links),
    ]
    return Markup('<tr class="status-{}">{}</tr>').format(
        r.status.replace(" ", "-"), Markup("").join(cells)
    )


def _deadline(r: Any) -> Markup:
    """The deadline cell, sorted by days left (signed on time last)."""
    text = getattr(r, "batas_waktu", "") or "-"
    days = getattr(r, "sisa_hari", None)
    return Markup('<td data-nilai="{}">{}</td>').format(10**6 if days is None else days, text)


def _totals(t: dict, quarter: int | None = None) -> Markup:
    counts = ", ".join(f"{n} {s}" for s, n in t["status"].items())
    warnings = (
        Markup('<td class="angka">{}</td>').format(t.get("peringatan_triwulan", 0))
        if quarter
        else Markup("")
    )
    return Markup(
        '<tr class="jumlah"><td></td><td>Jumlah {} OPD</td><td>{}</td><td></td><td></td>'
        '<td></td><td class="angka">{}</td><td class="angka">{}</td><td class="angka">{}</td>'
        "<td>{} ya</td><td></td>{}<td></td></tr>"
    ).format(
        t["jumlah"],
        counts,
        format_pct(t["serapan_pct"], sign=False),
        format_rp(t["realisasi_rp"]),
        t["angka_berbeda"],
        t["ditandatangani"],
        warnings,
    )


def quadrant_svg(rows: Sequence[Any], width: int = 560, height: int = 380) -> Markup:
    """Capaian fisik (y) against serapan (x) per OPD with figures; the cross at the means
    (the quadrant of high capaian and low serapan is the efficient one)."""
    points = [r for r in rows if r.capaian_pct is not None and r.serapan_pct is not None]
    if not points:
        return Markup('<p class="kosong">Belum ada OPD dengan laporan untuk grafik.</p>')
    pad = 48
    xs = [float(r.serapan_pct) for r in points]
    ys = [float(r.capaian_pct) for r in points]
    hi = max(110.0, *xs, *ys)
    lo = max(0.0, min(50.0, (min(*xs, *ys) - 5) // 10 * 10))

    def sx(v: float) -> float:
        return round(pad + (v - lo) / (hi - lo) * (width - 2 * pad), 1)

    def sy(v: float) -> float:
        return round(height - pad - (v - lo) / (hi - lo) * (height - 2 * pad), 1)

    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    parts = [
        Markup('<line class="sumbu" x1="{}" y1="{}" x2="{}" y2="{}"/>').format(
            pad, height - pad, width - pad, height - pad
        ),
        Markup('<line class="sumbu" x1="{}" y1="{}" x2="{}" y2="{}"/>').format(
            pad, pad, pad, height - pad
        ),
        Markup('<line class="rerata" x1="{}" y1="{}" x2="{}" y2="{}"/>').format(
            sx(mx), pad, sx(mx), height - pad
        ),
        Markup('<line class="rerata" x1="{}" y1="{}" x2="{}" y2="{}"/>').format(
            pad, sy(my), width - pad, sy(my)
        ),
        Markup('<text x="{}" y="{}" text-anchor="middle">Serapan anggaran (%)</text>').format(
            width / 2, height - 12
        ),
        Markup(
            '<text x="14" y="{}" transform="rotate(-90 14 {})" text-anchor="middle">'
            "Capaian fisik (%)</text>"
        ).format(height / 2, height / 2),  # fmt: skip
        Markup('<text class="kuadran" x="{}" y="{}">efisien</text>').format(pad + 6, pad + 14),
    ]
    for tick in sorted({lo, 100.0, hi}):
        parts.append(
            Markup('<text class="skala" x="{}" y="{}" text-anchor="middle">{}</text>').format(
                sx(tick), height - pad + 14, f"{tick:g}"
            )
        )
        parts.append(
            Markup('<text class="skala" x="{}" y="{}" text-anchor="end">{}</text>').format(
                pad - 4, sy(tick) + 3, f"{tick:g}"
            )
        )
    for r, x, y in zip(points, xs, ys, strict=True):
        parts.append(
            Markup(
                '<g class="titik" data-kode="{}"><circle cx="{}" cy="{}" r="5"/>'
                '<text x="{}" y="{}">{}</text><title>{}: capaian {}, serapan {}</title></g>'
            ).format(
                r.kode_opd,
                sx(x),
                sy(y),
                sx(x) + 7,
                sy(y) + 4,
                r.kode_opd,
                r.nama_opd,
                format_pct(r.capaian_pct),
                format_pct(r.serapan_pct),
            )  # fmt: skip
        )
    return Markup(
        '<svg class="kuadran" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" '
        'width="{}" height="{}" role="img" aria-label="Capaian fisik terhadap serapan per OPD">'
        "{}</svg>"
    ).format(width, height, width, height, Markup("").join(parts))


def index_html(
    title: str,
    synthetic: bool,
    lkjip: Sequence[tuple[str, str]],
    rows: Sequence[Any],
    totals: dict,
) -> str:
    """The dashboard page.

    Args:
        title: e.g. "Kabupaten X: Laporan Kinerja 2022".
        synthetic: show the DATA SINTETIS banner.
        lkjip: (relative href, label) of the LKjIP files and the xlsx of the table.
        rows: ``lkj.pemda.dashboard.OpdRow`` per OPD, in the order shown.
        totals: ``lkj.pemda.dashboard.totals`` of the rows.

    Returns:
        The HTML page.
    """
    from lkj.render.page import synthetic_banner

    banner = synthetic_banner(synthetic)
    quarter = quarter_of(rows)
    columns = list(COLUMNS)
    if quarter:  # the latest quarter built: its early warnings, before the products
        columns.insert(len(columns) - 1, f"Peringatan dini TW {quarter}")
    head = Markup("").join(
        Markup('<th data-kolom="{}" tabindex="0">{}</th>').format(i, c)
        for i, c in enumerate(columns)
    )
    css = CSS_PATH.read_text(encoding="utf-8") + INDEX_CSS
    return str(
        Markup(
            '<!DOCTYPE html>\n<html lang="id">\n<head>\n<meta charset="utf-8">\n'
            "<title>{}</title>\n<style>\n{}\n</style>\n</head>\n"
            '<body class="lkj lkj-index{}">\n{}<main>\n<h1>{}</h1>\n'
            '<p class="lkjip">LKjIP Pemerintah Daerah dan ringkasan: {}</p>\n'
            "<figure>{}<figcaption>Capaian fisik terhadap serapan anggaran per OPD (garis: "
            "rerata OPD)</figcaption></figure>\n"
            '<p><label>Cari OPD: <input id="cari" type="search" autocomplete="off"></label> '
            '<span id="jumlah-tampil"></span></p>\n'
            '<table class="lkj indeks" id="opd"><thead><tr>{}</tr></thead>\n<tbody>\n{}\n'
            "</tbody>\n<tfoot>{}</tfoot></table>\n</main>\n<script>{}</script>\n</body>\n</html>\n"
        ).format(
            title,
            Markup(css),
            " lkj-sintetis" if synthetic else "",
            banner,
            title,
            Markup(" · ").join(_link(h, t) for h, t in lkjip) or "-",
            quadrant_svg(rows),
            head,
            Markup("\n").join(_row(r, quarter) for r in rows),
            _totals(totals, quarter),
            Markup(INDEX_JS),
        )
    )


INDEX_CSS = """
@media screen { body.lkj-index { max-width: 1400px; padding: 1.5em 2%; } }
body.lkj-index main { margin: 0 auto; }
body.lkj-index figure { margin: 0 0 1em; text-align: center; }
table.indeks td { vertical-align: top; }
table.indeks th { cursor: pointer; user-select: none; }
table.indeks th[aria-sort="ascending"]::after { content: " \\25B2"; }
table.indeks th[aria-sort="descending"]::after { content: " \\25BC"; }
table.indeks td.angka { text-align: right; white-space: nowrap; }
tr.status-gagal td { background: #fdecea; }
tr.status-kedaluwarsa td, tr.status-belum-dibangun td { background: #fff8e1; }
tr.status-tidak-ada-data td { color: #777777; }
tr.jumlah td { font-weight: bold; border-top: 2px solid #444444; }
.galat { white-space: pre-wrap; font-size: 8.5pt; color: #8a1c10; margin-top: 0.3em; }
svg.kuadran line.sumbu { stroke: #444444; }
svg.kuadran line.rerata { stroke: #999999; stroke-dasharray: 4 3; }
svg.kuadran circle { fill: #3182bd; }
svg.kuadran text { font-size: 10px; }
svg.kuadran text.kuadran { fill: #31a354; }
"""

# Sorting (click or Enter on a header: ascending, then descending) and search (rows whose text
# holds every word typed). Numbers sort by data-nilai, text by Indonesian collation.
INDEX_JS = """
(function () {
  var table = document.getElementById("opd"), body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  function key(row, i) {
    var cell = row.cells[i], v = cell.getAttribute("data-nilai");
    return v === null ? cell.textContent.trim() : parseFloat(v);
  }
  function sort(th) {
    var i = +th.getAttribute("data-kolom");
    var up = th.getAttribute("aria-sort") !== "ascending";
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) {
      h.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", up ? "ascending" : "descending");
    rows.sort(function (a, b) {
      var x = key(a, i), y = key(b, i);
      var c = typeof x === "number" ? x - y : x.localeCompare(y, "id");
      return up ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
    th.addEventListener("click", function () { sort(th); });
    th.addEventListener("keydown", function (e) { if (e.key === "Enter") sort(th); });
  });
  var box = document.getElementById("cari"), shown = document.getElementById("jumlah-tampil");
  function search() {
    var words = box.value.toLowerCase().split(/\\s+/).filter(Boolean), n = 0;
    rows.forEach(function (r) {
      var text = r.textContent.toLowerCase();
      var hit = words.every(function (w) { return text.indexOf(w) >= 0; });
      r.hidden = !hit;
      n += hit ? 1 : 0;
    });
    shown.textContent = n + " dari " + rows.length + " OPD";
  }
  box.addEventListener("input", search);
  search();
})();
"""


def relpath(target: Path, start: Path) -> str:
    """A relative URL from the folder ``start`` to ``target`` (forward slashes)."""
    return os.path.relpath(target, start).replace(os.sep, "/")
