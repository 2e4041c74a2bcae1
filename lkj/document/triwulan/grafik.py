"""The quarter's charts: cumulative realisation against target per triwulan (fisik and
anggaran), and the projected capaian of the early-warning sub kegiatan. Drawn with the report's
style (``lkj.document.grafik``)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lkj.analysis.triwulan import Evaluasi, cumulative
from lkj.document.grafik import (
    COLOR_PHYSICAL,
    COLOR_SPENT,
    _formatter,
    _pct_axis,
    _wrap,
    pyplot,
    save_figure,
)
from lkj.document.triwulan.e81 import ROMAWI

KUMULATIF = "grafik_triwulan_kumulatif"
PERINGATAN = "grafik_triwulan_peringatan"
TITLES = {
    KUMULATIF: "Realisasi kumulatif fisik dan anggaran terhadap target per triwulan",
    PERINGATAN: "Capaian proyeksi akhir tahun sub kegiatan dengan peringatan dini",
}


def draw_kumulatif(ev: Evaluasi) -> object:
    """Cumulative capaian fisik and serapan per quarter, with the linear target line (25 % a
    quarter)."""
    data = cumulative(ev)
    fig, ax = pyplot().subplots(figsize=(7.0, 3.6))
    x = list(data["triwulan"])
    ax.plot(x, [25 * q for q in x], color="#888888", linestyle="--", label="Target linear")
    done = data[data["triwulan"] <= ev.tw]
    ax.plot(done["triwulan"], done["fisik_pct"], marker="o", color=COLOR_PHYSICAL,
            label="Realisasi fisik (kumulatif)")  # fmt: skip
    ax.plot(done["triwulan"], done["anggaran_pct"], marker="s", color=COLOR_SPENT,
            label="Realisasi anggaran (kumulatif)")  # fmt: skip
    ax.set_xticks(x, [f"TW {ROMAWI[q]}" for q in x])
    ax.yaxis.set_major_formatter(_formatter(_pct_axis))
    top = pd.concat([done["fisik_pct"], done["anggaran_pct"]]).astype(float).max()
    ax.set_ylim(0, max(110.0, 0.0 if pd.isna(top) else float(top) + 5))
    ax.legend(loc="upper left", frameon=False, fontsize=7)
    fig.tight_layout()
    return fig


def draw_peringatan(ev: Evaluasi) -> object | None:
    """Horizontal bars: the projected capaian (fisik, anggaran) of each warned sub kegiatan;
    None when no sub kegiatan is warned."""
    warned = ev.sub[ev.sub["peringatan_fisik"] | ev.sub["peringatan_anggaran"]].iloc[::-1]
    if warned.empty:
        return None
    fig, ax = pyplot().subplots(figsize=(7.5, 0.35 * len(warned) + 1.2))
    y = range(len(warned))
    ax.barh([i + 0.2 for i in y], warned["proyeksi_fisik_pct"].astype(float).fillna(0), 0.4,
            color=COLOR_PHYSICAL, label="Proyeksi capaian fisik")  # fmt: skip
    ax.barh([i - 0.2 for i in y], warned["proyeksi_serapan_pct"].astype(float).fillna(0), 0.4,
            color=COLOR_SPENT, label="Proyeksi serapan anggaran")  # fmt: skip
    codes, names = warned["kode_sub_kegiatan"], warned["nama_sub_kegiatan"]
    labels = [f"{k} {_wrap(n, 45, 2)}" for k, n in zip(codes, names, strict=True)]
    ax.set_yticks(list(y), labels, fontsize=6)
    ax.axvline(100, color="#888888", linewidth=0.6, linestyle="--")
    ax.xaxis.set_major_formatter(_formatter(_pct_axis))
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False)
    fig.tight_layout()
    return fig


def draw_figures(ev: Evaluasi, folder: Path | str) -> dict[str, Path]:
    """Draw the quarter's charts into ``folder``; returns {stem: png path} of those drawn."""
    out = {KUMULATIF: save_figure(draw_kumulatif(ev), folder, KUMULATIF)["png"]}
    fig = draw_peringatan(ev)
    if fig is not None:
        out[PERINGATAN] = save_figure(fig, folder, PERINGATAN)["png"]
    return out
