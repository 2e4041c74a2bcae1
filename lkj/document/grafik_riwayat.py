"""The grafik of the history (``lkj.analysis.riwayat``): capaian of each indikator per year, and
anggaran against realisasi per year; ``save_history_figures`` saves both into the figures folder
(notebook 03_grafik), where the sub-section "Perbandingan Antar Tahun" places them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from lkj.analysis.riwayat import History
from lkj.core.fmt import format_angka, format_pct
from lkj.document import grafik

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FIGURE_CAPAIAN = "grafik_riwayat_capaian"
FIGURE_SERAPAN = "grafik_riwayat_serapan"
COLOR_EARLIER = ("#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c")


def _year_colors(years: list[int], year: int) -> dict[int, str]:
    earlier = [y for y in years if y != year]
    shades = COLOR_EARLIER[-len(earlier) :] if earlier else ()
    colors = {y: shades[i % len(COLOR_EARLIER)] for i, y in enumerate(earlier)}
    colors[year] = grafik.COLOR_PHYSICAL
    return colors


def grafik_riwayat_capaian(history: History) -> Figure:
    """Capaian of each indikator, one bar per year (the report year in green).

    Args:
        history: from ``load_history``.

    Returns:
        The figure.
    """
    wide = history.capaian_wide()
    years = sorted(
        int(c.removeprefix("capaian_")) for c in wide.columns if c.startswith("capaian_")
    )
    colors = _year_colors(years, history.year)
    n = max(len(years), 1)
    width = 0.8 / n
    fig, ax = grafik.pyplot().subplots(figsize=(7.5, 4.2))
    top = 100.0
    for k, y in enumerate(years):
        values = wide[f"capaian_{y}"]
        xs = [i - 0.4 + width * (k + 0.5) for i in range(len(wide))]
        ax.bar(xs, values.fillna(0), width * 0.92, label=str(y), color=colors[y])
        for x, v in zip(xs, values, strict=True):
            text = "-" if pd.isna(v) else f"{format_angka(v, 2)}%"
            ax.text(
                x,
                0 if pd.isna(v) else v,
                text,
                ha="center",
                va="bottom",
                fontsize=6,
                rotation=90 if n > 3 else 0,
            )
            if not pd.isna(v):
                top = max(top, float(v))
    labels = [
        f"{c}\n{grafik._wrap(u, 30, 3)}"
        for c, u in zip(wide["kode_indikator"], wide["uraian_indikator"], strict=True)
    ]
    ax.set_xticks(list(range(len(wide))), labels, fontsize=7)
    ax.yaxis.set_major_formatter(grafik._formatter(grafik._pct_axis))
    ax.set_ylabel("Capaian (%)")
    ax.set_ylim(0, top * 1.2)
    ax.axhline(100, color="#888888", linewidth=0.6, linestyle="--")
    ax.legend(title="Tahun", loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=n, frameon=False)
    fig.tight_layout()
    return fig


def grafik_riwayat_serapan(history: History) -> Figure:
    """Anggaran and realisasi anggaran per year, with the serapan above each pair.

    Args:
        history: from ``load_history``.

    Returns:
        The figure.
    """
    data = history.anggaran
    fig, ax = grafik.pyplot().subplots(figsize=(7.5, 3.8))
    xs = list(range(len(data)))
    ax.bar(
        [x - 0.2 for x in xs], data["anggaran_rp"], 0.4, label="Anggaran", color=grafik.COLOR_BUDGET
    )
    ax.bar(
        [x + 0.2 for x in xs],
        data["realisasi_rp"],
        0.4,
        label="Realisasi",
        color=grafik.COLOR_SPENT,
    )
    for x, budget, pct in zip(xs, data["anggaran_rp"], data["serapan_pct"], strict=True):
        ax.text(
            x,
            budget,
            f"serapan {format_pct(pct)}\n",
            ha="center",
            va="bottom",
            fontsize=8,
        )
    ax.set_xticks(xs, [str(int(t)) for t in data["tahun"]])
    ax.yaxis.set_major_formatter(grafik._formatter(grafik._rupiah_axis))
    ax.set_ylabel("Rupiah (jt = juta)")
    ax.set_ylim(0, float(data["anggaran_rp"].max() or 1) * 1.25)
    ax.legend(loc="upper left", frameon=False, ncol=2)
    fig.tight_layout()
    return fig


def save_history_figures(history: History, figures_dir: Path | str) -> dict[str, dict[str, Path]]:
    """Save both grafik as PNG in ``figures_dir`` (what the report places in 3.5).

    Args:
        history: from ``load_history``.
        figures_dir: outputs/YEAR/figures.

    Returns:
        Stem to {"png": path}.
    """
    return {
        FIGURE_CAPAIAN: grafik.save_figure(
            grafik_riwayat_capaian(history), figures_dir, FIGURE_CAPAIAN
        ),
        FIGURE_SERAPAN: grafik.save_figure(
            grafik_riwayat_serapan(history), figures_dir, FIGURE_SERAPAN
        ),
    }
