"""The grafik: matplotlib figures with Indonesian labels and number formats.

Each function takes a computed table (``lkj.capaian.Results``) and returns a Figure;
``save_figure`` writes it as PNG and SVG with reproducible bytes (no dates, fixed hash salt).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display: notebooks and the command line render to files

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from lkj.fmt import format_angka  # noqa: E402

COLOR_BUDGET = "#4c72b0"
COLOR_SPENT = "#dd8452"
COLOR_PHYSICAL = "#55a868"
plt.rcParams.update(
    {
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "svg.hashsalt": "lkj",
        "axes.spines.top": False,
        "axes.spines.right": False,
    }
)


def _wrap(text: str, width: int = 28, max_lines: int = 3) -> str:
    lines = textwrap.wrap(str(text), width)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip() + "…"
    return "\n".join(lines)


def _rupiah_axis(value: float, _pos: int) -> str:
    return f"{format_angka(value / 1e6)} jt" if value else "0"


def _pct_axis(value: float, _pos: int) -> str:
    return f"{format_angka(value)}%"


def grafik_anggaran_program(program: pd.DataFrame) -> Figure:
    """Anggaran and realisasi anggaran per program (grouped horizontal bars).

    Args:
        program: ``Results.program`` (nama_program, anggaran_rp, realisasi_anggaran_rp,
            serapan_pct).

    Returns:
        The figure.
    """
    data = program.iloc[::-1]
    fig, ax = plt.subplots(figsize=(7.5, 0.75 * len(data) + 1.2))
    y = range(len(data))
    ax.barh([i + 0.2 for i in y], data["anggaran_rp"], 0.4, label="Anggaran", color=COLOR_BUDGET)
    ax.barh(
        [i - 0.2 for i in y],
        data["realisasi_anggaran_rp"],
        0.4,
        label="Realisasi",
        color=COLOR_SPENT,
    )
    for i, (spent, pct) in enumerate(
        zip(data["realisasi_anggaran_rp"], data["serapan_pct"], strict=True)
    ):
        ax.text(spent, i - 0.2, f" {format_angka(pct, 2)}%", va="center", fontsize=7)
    ax.set_yticks(list(y), [_wrap(n, 40) for n in data["nama_program"]], fontsize=7)
    ax.xaxis.set_major_formatter(FuncFormatter(_rupiah_axis))
    ax.set_xlabel("Rupiah (jt = juta)")
    ax.legend(loc="lower right", frameon=False)
    ax.set_xlim(0, data["anggaran_rp"].max() * 1.18)
    fig.tight_layout()
    return fig


def grafik_capaian(frame: pd.DataFrame, name_column: str, label_width: int = 45) -> Figure:
    """Capaian kinerja (physical) against realisasi anggaran (serapan), in percent.

    Args:
        frame: ``Results.kegiatan`` or ``Results.sub_kegiatan``.
        name_column: the column holding the names shown on the axis.
        label_width: characters per line of the names.

    Returns:
        The figure (horizontal bars, one pair per row, top row first).
    """
    data = frame.iloc[::-1]
    height = 0.42 * len(data) + 1.3
    fig, ax = plt.subplots(figsize=(7.5, height))
    y = range(len(data))
    ax.barh(
        [i + 0.2 for i in y],
        data["capaian_fisik_pct"].fillna(0),
        0.4,
        label="Capaian kinerja (fisik)",
        color=COLOR_PHYSICAL,
    )
    ax.barh(
        [i - 0.2 for i in y],
        data["serapan_pct"].fillna(0),
        0.4,
        label="Realisasi anggaran",
        color=COLOR_SPENT,
    )
    labels = [
        f"{n}. {_wrap(t, label_width, 2)}"
        for n, t in zip(data["no"], data[name_column], strict=True)
    ]
    ax.set_yticks(list(y), labels, fontsize=6)
    ax.xaxis.set_major_formatter(FuncFormatter(_pct_axis))
    ax.set_xlim(0, max(110.0, float(data[["capaian_fisik_pct", "serapan_pct"]].max().max()) + 5))
    ax.axvline(100, color="#888888", linewidth=0.6, linestyle="--")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False)
    fig.tight_layout()
    return fig


def save_figure(fig: Figure, out_dir: Path | str, stem: str) -> dict[str, Path]:
    """Write ``fig`` as ``stem.png`` (150 dpi) and ``stem.svg``, reproducibly, then close it.

    Args:
        fig: the figure.
        out_dir: the figures folder (created if needed).
        stem: file name without extension.

    Returns:
        {"png": path, "svg": path}.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"png": out_dir / f"{stem}.png", "svg": out_dir / f"{stem}.svg"}
    fig.savefig(paths["png"], dpi=150, metadata={"Software": None})
    fig.savefig(paths["svg"], metadata={"Date": None, "Creator": None})
    plt.close(fig)
    return paths


def bagan_organisasi(head: str, units: list[str]) -> Figure:
    """Organisation chart: the head of the agency above its units.

    Args:
        head: the top box, e.g. "Kepala Badan".
        units: the boxes of the second level, left to right.

    Returns:
        The figure.
    """
    n = max(len(units), 1)
    fig, ax = plt.subplots(figsize=(7.5, 3.2))
    ax.set_xlim(0, n)
    ax.set_ylim(0, 3)
    ax.axis("off")
    box = {"boxstyle": "round,pad=0.4", "facecolor": "#e8eef7", "edgecolor": COLOR_BUDGET}
    ax.text(
        n / 2,
        2.5,
        _wrap(head, 30),
        ha="center",
        va="center",
        fontsize=9,
        bbox=box,
        fontweight="bold",
    )
    ax.plot([n / 2, n / 2], [2.2, 1.75], color="#555555", linewidth=1)
    if n > 1:
        ax.plot([0.5, n - 0.5], [1.75, 1.75], color="#555555", linewidth=1)
    for i, unit in enumerate(units):
        ax.plot([i + 0.5, i + 0.5], [1.75, 1.45], color="#555555", linewidth=1)
        ax.text(i + 0.5, 1.0, _wrap(unit, 18, 6), ha="center", va="center", fontsize=6.5, bbox=box)
    fig.tight_layout()
    return fig


def grafik_distribusi_kategori(counts: pd.DataFrame, colors: dict[str, str]) -> Figure:
    """Number of sub kegiatan, kegiatan and programs per category (stacked horizontal bars).

    Args:
        counts: index = what is counted (e.g. "Sub kegiatan: capaian fisik"), columns = the
            category labels from the top band down, values = counts.
        colors: label -> colour (from config/lkj.toml).

    Returns:
        The figure.
    """
    data = counts.iloc[::-1]
    fig, ax = plt.subplots(figsize=(7.5, 0.55 * len(data) + 1.4))
    left = pd.Series(0, index=data.index, dtype=float)
    for label in counts.columns:
        values = data[label].astype(float)
        ax.barh(
            range(len(data)), values, left=left, color=colors[label], label=label, edgecolor="white"
        )
        for i, (v, start) in enumerate(zip(values, left, strict=True)):
            if v:
                ax.text(start + v / 2, i, format_angka(v), ha="center", va="center", fontsize=7)
        left += values
    ax.set_yticks(range(len(data)), list(data.index), fontsize=7)
    ax.set_xlabel("Jumlah")
    ax.legend(
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncol=len(counts.columns),
        frameon=False,
        fontsize=7,
    )
    fig.tight_layout()
    return fig
