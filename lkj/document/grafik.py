"""The grafik: matplotlib figures with Indonesian labels and number formats.

Each function takes a computed table (``lkj.analysis.capaian.Results``) and returns a Figure;
``save_figure`` writes it as PNG (and SVG only when asked: nothing in the report uses the SVG,
the HTML, PDF and DOCX embed the PNG) with reproducible bytes (no dates, fixed hash salt).

Charts with one bar pair per row (capaian per kegiatan or sub kegiatan) stay readable at any
size: ``plan_capaian_chart`` decides what a chart shows (every row up to ``MAX_CHART_ROWS``;
beyond that the rows with the lowest and the highest capaian, or the rows split across
several charts) and says so in the caption; ``grafik_capaian_parts`` draws the plan. The plan
needs no drawing, so the report stage can name the figures and captions that the grafik stage
drew.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from lkj.core.fmt import format_angka

if TYPE_CHECKING:
    from matplotlib.figure import Figure

MAX_CHART_ROWS = 40
"""Most rows (bar pairs) one capaian chart shows; more rows are summarised or split."""
MAX_FIGURE_HEIGHT_IN = 10.5
"""Tallest figure drawn (inches): 7.5 in wide, it prints on one A4 page at ~0.84 scale within
the 225 mm that the stylesheet allows a figure, so labels are not shrunk further."""
ROW_PITCH_IN = 0.42
"""Height per bar pair when the chart is short enough (the original look)."""
CHART_FRAME_IN = 1.3
"""Height of axis, legend and margins of a capaian chart."""

FIGURE_DPI = 150
"""Resolution of the PNG files, and of the figures as made: matplotlib caches the text it laid
out by dpi, so ``tight_layout``'s measures serve the drawing too (made at another dpi than they
are saved with, every label was laid out twice)."""

COLOR_BUDGET = "#4c72b0"
COLOR_SPENT = "#dd8452"
COLOR_PHYSICAL = "#55a868"
STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "figure.dpi": FIGURE_DPI,
    "svg.hashsalt": "lkj",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "text.parse_math": False,  # text from data is shown literally: "$5 dan $10" is no mathtext
    "text.usetex": False,
}
"""The report's plot style (matplotlib rcParams)."""


_MATPLOTLIB: dict[str, Any] = {}


def pyplot() -> Any:
    """matplotlib.pyplot with the file backend (Agg) and the report's style (:data:`STYLE`).

    matplotlib is imported here, on first use, not with this module: it costs about a second,
    and only the stages that draw need it (the report and the preview only name the figures
    that the grafik stage drew, ``plan_capaian_chart``).
    """
    plt = _MATPLOTLIB.get("plt")
    if plt is None:
        import matplotlib

        matplotlib.use("Agg")  # no display: notebooks and the command line render to files
        import matplotlib.pyplot as plt

        plt.rcParams.update(STYLE)
        _MATPLOTLIB["plt"] = plt
    return plt


def _formatter(func: Any) -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(func)


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
    fig, ax = pyplot().subplots(figsize=(7.5, 0.75 * len(data) + 1.2))
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
    ax.xaxis.set_major_formatter(_formatter(_rupiah_axis))
    ax.set_xlabel("Rupiah (jt = juta)")
    ax.legend(loc="lower right", frameon=False)
    ax.set_xlim(0, data["anggaran_rp"].max() * 1.18)
    fig.tight_layout()
    return fig


def grafik_capaian(frame: pd.DataFrame, name_column: str, label_width: int = 45) -> Figure:
    """Capaian kinerja (physical) against realisasi anggaran (serapan), in percent.

    The figure is at most ``MAX_FIGURE_HEIGHT_IN`` tall: beyond 21 rows the bar pairs get
    closer, so that the whole chart prints on one page (``plan_capaian_chart`` keeps the rows
    at most ``MAX_CHART_ROWS``). A row whose ``no`` is None is a gap (drawn empty, its name
    shown in italics, e.g. "… 1.360 sub kegiatan lainnya …").

    Args:
        frame: ``Results.kegiatan`` or ``Results.sub_kegiatan`` with a ``no`` column (the
            row's number in the report's table).
        name_column: the column holding the names shown on the axis.
        label_width: characters per line of the names.

    Returns:
        The figure (horizontal bars, one pair per row, top row first).
    """
    data = frame.iloc[::-1]
    rows = max(len(data), 1)
    pitch = min(ROW_PITCH_IN, (MAX_FIGURE_HEIGHT_IN - CHART_FRAME_IN) / rows)
    fig, ax = pyplot().subplots(figsize=(7.5, pitch * rows + CHART_FRAME_IN))
    y = range(len(data))
    ax.barh(
        [i + 0.2 for i in y],
        data["capaian_fisik_pct"].astype(float).fillna(0),
        0.4,
        label="Capaian kinerja (fisik)",
        color=COLOR_PHYSICAL,
    )
    ax.barh(
        [i - 0.2 for i in y],
        data["serapan_pct"].astype(float).fillna(0),
        0.4,
        label="Realisasi anggaran",
        color=COLOR_SPENT,
    )
    labels = [
        _wrap(t, label_width, 2) if _is_gap(n) else f"{n}. {_wrap(t, label_width, 2)}"
        for n, t in zip(data["no"], data[name_column], strict=True)
    ]
    ax.set_yticks(list(y), labels, fontsize=6)
    for tick, n in zip(ax.get_yticklabels(), data["no"], strict=True):
        if _is_gap(n):
            tick.set_fontstyle("italic")
    ax.set_ylim(-0.6, len(data) - 0.4)
    ax.xaxis.set_major_formatter(_formatter(_pct_axis))
    top = data[["capaian_fisik_pct", "serapan_pct"]].astype(float).max().max()
    ax.set_xlim(0, max(110.0, 0.0 if pd.isna(top) else float(top) + 5))
    ax.axvline(100, color="#888888", linewidth=0.6, linestyle="--")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False)
    fig.tight_layout()
    return fig


def _is_gap(no: object) -> bool:
    return no is None or (isinstance(no, float) and math.isnan(no))


@dataclass(frozen=True)
class ChartPart:
    """One figure of a capaian chart: what it shows and its caption.

    Attributes:
        stem: file stem in the figures folder (``grafik_3_capaian_sub_kegiatan``; split
            charts add ``_2``, ``_3`` ... from the second part on).
        caption: the caption title (without "Grafik n"), saying what is shown.
        rows: the rows drawn, top first, with ``no`` (number in the report's table; None for
            the gap row between the lowest and the highest).
    """

    stem: str
    caption: str
    rows: pd.DataFrame


def plan_capaian_chart(
    frame: pd.DataFrame,
    stem: str,
    title: str,
    noun: str = "sub kegiatan",
    max_rows: int = MAX_CHART_ROWS,
    split: bool = False,
) -> list[ChartPart]:
    """Decide what a capaian chart shows, so that it stays readable at any size.

    Up to ``max_rows`` rows: one chart of every row, captioned ``title``. More rows, by
    default: one chart of the ``max_rows // 2`` rows with the lowest capaian kinerja (fisik;
    ties: lower realisasi anggaran first, then table order) and the ``max_rows // 2`` with the
    highest, in that ascending order from the top, a gap row between them; the caption says
    so and points to the table that lists every row (placed before the chart). Rows without
    a capaian (target 0) are not ranked.
    With ``split``: several charts of at most ``max_rows`` consecutive rows each (balanced),
    captioned "bagian i dari n: nomor a–b dari N".

    Args:
        frame: ``Results.kegiatan`` or ``Results.sub_kegiatan`` in the report's table order.
        stem: file stem of the (first) figure.
        title: the caption title of the chart of every row.
        noun: what a row is, for the caption ("sub kegiatan", "kegiatan").
        max_rows: most rows per chart (at least 2).
        split: split across charts instead of showing the lowest and the highest.

    Returns:
        The parts, in order (one, unless ``split``).
    """
    max_rows = max(int(max_rows), 2)
    numbered = frame.assign(no=range(1, len(frame) + 1))
    total = len(numbered)
    if total <= max_rows:
        return [ChartPart(stem, title, numbered)]
    if split:
        count = math.ceil(total / max_rows)
        size = math.ceil(total / count)
        parts = []
        for i in range(count):
            rows = numbered.iloc[i * size : (i + 1) * size]
            first, last = int(rows["no"].iloc[0]), int(rows["no"].iloc[-1])
            caption = (
                f"{title} (bagian {i + 1} dari {count}: {noun} nomor "
                f"{format_angka(first)}–{format_angka(last)} dari {format_angka(total)})"
            )
            parts.append(ChartPart(stem if i == 0 else f"{stem}_{i + 1}", caption, rows))
        return parts
    ranked = numbered[numbered["capaian_fisik_pct"].notna()].assign(
        _serapan=lambda f: f["serapan_pct"].astype(float).fillna(math.inf)
    )
    ranked = ranked.sort_values(["capaian_fisik_pct", "_serapan", "no"], kind="mergesort").drop(
        columns="_serapan"
    )
    half = max_rows // 2
    if len(ranked) <= max_rows:  # few rankable rows: show them all, lowest first
        low, high = ranked, ranked.iloc[0:0]
    else:
        low, high = ranked.iloc[:half], ranked.iloc[-half:]
    others = total - len(low) - len(high)
    gap = pd.DataFrame([{"no": None}]).reindex(columns=numbered.columns)
    name_columns = [c for c in numbered.columns if c.startswith("nama_")]
    for column in name_columns:
        gap[column] = f"… {format_angka(others)} {noun} lainnya …"
    rows = pd.concat([f.astype(object) for f in (low, gap, high)], ignore_index=True)
    rows["no"] = pd.Series(
        [None if pd.isna(n) else int(n) for n in rows["no"]], index=rows.index, dtype=object
    )
    caption = (
        f"{title}: {format_angka(len(low))} dengan capaian kinerja terendah dan "
        f"{format_angka(len(high))} tertinggi dari {format_angka(total)} {noun} "
        f"(semua {noun} pada tabel sebelumnya)"
    )
    if high.empty:
        caption = (
            f"{title}: {format_angka(len(low))} {noun} yang capaian kinerjanya dapat dihitung, "
            f"dari {format_angka(total)} {noun} (semua {noun} pada tabel sebelumnya)"
        )
    return [ChartPart(stem, caption, rows)]


def grafik_capaian_parts(
    frame: pd.DataFrame,
    name_column: str,
    stem: str,
    title: str,
    noun: str = "sub kegiatan",
    label_width: int = 45,
    max_rows: int = MAX_CHART_ROWS,
    split: bool = False,
) -> list[tuple[ChartPart, Figure]]:
    """Draw a capaian chart as ``plan_capaian_chart`` plans it.

    Args:
        frame: ``Results.kegiatan`` or ``Results.sub_kegiatan`` in the report's table order.
        name_column: the column holding the names shown on the axis.
        stem: file stem of the (first) figure.
        title: the caption title of the chart of every row.
        noun: what a row is, for the caption.
        label_width: characters per line of the names.
        max_rows: most rows per chart.
        split: split across charts instead of showing the lowest and the highest.

    Returns:
        Each part with its figure (save them with ``save_figure(fig, folder, part.stem)``).
    """
    parts = plan_capaian_chart(frame, stem, title, noun, max_rows, split)
    return [(part, grafik_capaian(part.rows, name_column, label_width)) for part in parts]


def save_figure(fig: Figure, out_dir: Path | str, stem: str, svg: bool = False) -> dict[str, Path]:
    """Write ``fig`` as ``stem.png`` (150 dpi, zlib level 3), reproducibly, then close it.

    The figures are made at the dpi they are saved with (:data:`FIGURE_DPI`).

    The figures are laid out once (``tight_layout`` in the functions above); the layout
    placeholder that ``tight_layout`` leaves would make every ``savefig`` lay the figure out
    again, so it is removed first (same bytes, one pass less).

    Args:
        fig: the figure.
        out_dir: the figures folder (created if needed).
        stem: file name without extension.
        svg: also write ``stem.svg`` (vector; nothing in the report uses it, so off by default:
            it costs as much as the PNG).

    Returns:
        {"png": path} (and "svg": path when written).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"png": out_dir / f"{stem}.png"}
    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    if isinstance(fig.get_layout_engine(), PlaceHolderLayoutEngine):
        fig.set_layout_engine(None)
    # zlib level 3: a third faster to write than the default 6, and no larger for these charts
    fig.savefig(
        paths["png"], dpi=FIGURE_DPI, metadata={"Software": None}, pil_kwargs={"compress_level": 3}
    )
    if svg:
        paths["svg"] = out_dir / f"{stem}.svg"
        fig.savefig(paths["svg"], metadata={"Date": None, "Creator": None})
    pyplot().close(fig)
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
    fig, ax = pyplot().subplots(figsize=(7.5, 3.2))
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
    fig, ax = pyplot().subplots(figsize=(7.5, 0.55 * len(data) + 1.4))
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
