"""Riwayat: the report year compared with every earlier year present in data/raw.

``load_history`` reads every year folder up to the report year (each validated by
``lkj.data.dataset.read_raw`` and computed by ``lkj.analysis.capaian.compute_results``) and gives:

* ``History.indikator``: one row per indikator and year (target, realisasi, capaian,
  predikat). A year's row is taken from that year's own folder when it exists (the report of
  that year), otherwise from the latest folder that holds it (e.g. 2021 rows reported in the
  2022 folder).
* ``History.anggaran``: one row per year folder: total anggaran and realisasi of its sub
  kegiatan, serapan and SILPA.

``grafik_riwayat_capaian`` and ``grafik_riwayat_serapan`` draw them; ``save_history_figures``
saves both into the figures folder (notebook 03_grafik); ``section_html`` renders the
sub-section "Perbandingan Antar Tahun" (notebook 04_laporan).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from markupsafe import Markup

from lkj.analysis.capaian import Results, add_realisasi_columns, compute_results
from lkj.core import numbers  # grafik.pyplot(): the file backend and the report's plot style
from lkj.core.config import Config, load_config
from lkj.core.errors import LkjError
from lkj.core.fmt import format_angka, format_pct, format_rp
from lkj.data.dataset import read_raw, write_tables
from lkj.data.newyear import year_folders
from lkj.document import grafik
from lkj.render.to_html import Col, figure, heading, join, paragraph, table

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FIGURE_CAPAIAN = "grafik_riwayat_capaian"
FIGURE_SERAPAN = "grafik_riwayat_serapan"
COLOR_EARLIER = ("#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c")
INDIKATOR_COLUMNS = [
    "kode_indikator",
    "kode_sasaran",
    "uraian_indikator",
    "satuan",
    "polaritas",
    "tahun",
    "target",
    "realisasi",
    "capaian_pct",
    "predikat_kode",
    "predikat",
    "warna_predikat",
    "sumber_tahun",
]


@dataclass
class History:
    """The report year and the earlier years, side by side.

    Attributes:
        year: the report year.
        indikator: one row per indikator and year: kode_indikator, kode_sasaran,
            uraian_indikator, satuan, polaritas, tahun, target, realisasi, capaian_pct,
            predikat_kode, predikat, warna_predikat, sumber_tahun (the folder it came from).
        anggaran: one row per year folder: tahun, anggaran_rp, realisasi_rp, serapan_pct,
            kategori_anggaran, warna_anggaran, silpa_rp.
    """

    year: int
    indikator: pd.DataFrame
    anggaran: pd.DataFrame

    @property
    def years(self) -> list[int]:
        """Every year present, ascending."""
        years = set(self.indikator["tahun"]) | set(self.anggaran["tahun"])
        return sorted(int(y) for y in years)

    @property
    def previous(self) -> int | None:
        """The latest year before the report year that has any data."""
        earlier = [y for y in self.years if y < self.year]
        return earlier[-1] if earlier else None

    def capaian_wide(self) -> pd.DataFrame:
        """One row per indikator, a column ``capaian_<year>`` per year (NaN where missing)."""
        ind = self.indikator
        first = ind.drop_duplicates("kode_indikator", keep="last")
        wide = first[["kode_indikator", "kode_sasaran", "uraian_indikator", "satuan"]].copy()
        for y in sorted(set(int(t) for t in ind["tahun"])):
            values = ind[ind["tahun"] == y].set_index("kode_indikator")["capaian_pct"]
            wide[f"capaian_{y}"] = wide["kode_indikator"].map(values).astype(float)
        this = ind[ind["tahun"] == self.year].set_index("kode_indikator")
        wide["predikat"] = wide["kode_indikator"].map(this["predikat"]).fillna("")
        wide["warna_predikat"] = wide["kode_indikator"].map(this["warna_predikat"]).fillna("")
        return wide.reset_index(drop=True)


def load_history(
    raw_root: Path | str,
    year: int,
    config: Config | Path | str | None = None,
    validate: bool = True,
    current: Results | None = None,
) -> History:
    """Read every year folder up to ``year`` and line their figures up by year.

    Args:
        raw_root: the folder holding one folder per year (data/raw).
        year: the report year.
        config: the configuration, or the path of config/lkj.toml (default).
        validate: check each folder against the data contract (``lkj.data.dataset.read_raw``);
            False only for folders a run validated unchanged since.
        current: the report year's results as the capaian stage computed them from that
            year's processed tables; its folder is then not read again.

    Returns:
        The history.

    Raises:
        DataErrors: a year folder breaks the data contract.
    """
    cfg = config if isinstance(config, Config) else load_config(config)
    raw_root = Path(raw_root)
    folders = [y for y in year_folders(raw_root) if y <= year]
    if year not in folders:
        folders.append(year)  # read_raw names the missing folder
    parts, budget, order = [], [], []
    for folder in folders:
        if current is not None and folder == year:
            res = current
        else:
            res = compute_results(read_raw(folder, raw_root, validate).tables, folder, cfg)
        ind = res.indikator[res.indikator["tahun"] <= year].assign(sumber_tahun=folder)
        parts.append(ind)
        order = list(res.indikator["kode_indikator"].drop_duplicates())  # latest folder's order
        sub = res.sub_kegiatan
        budget.append(
            {
                "tahun": folder,
                "anggaran_rp": int(sub["anggaran_rp"].sum()),
                "realisasi_rp": int(sub["realisasi_anggaran_rp"].sum()),
            }
        )
    ind = pd.concat(parts, ignore_index=True)
    ind["tahun"] = ind["tahun"].astype(int)
    ind["_own"] = ind["tahun"] == ind["sumber_tahun"]
    ind = ind.sort_values(["kode_indikator", "tahun", "_own", "sumber_tahun"], kind="stable")
    ind = ind.drop_duplicates(["kode_indikator", "tahun"], keep="last")
    rank = {code: i for i, code in enumerate(order)}
    ind["_rank"] = ind["kode_indikator"].map(lambda c: rank.get(c, len(rank)))
    ind = ind.sort_values(["_rank", "kode_indikator", "tahun"], kind="stable")
    ind = ind[INDIKATOR_COLUMNS].reset_index(drop=True)
    anggaran = add_realisasi_columns(pd.DataFrame(budget), cfg, "anggaran_rp", "realisasi_rp")
    return History(year=year, indikator=ind, anggaran=anggaran)


# The history as tables of data/processed/YEAR: the capaian stage computes it (from its own
# results and the earlier years' raw folders) and writes it; the grafik and report stages and
# the print job read it back instead of reading and computing every year again. Column types
# as ``load_history`` gives them.
HISTORY_TABLES = {"indikator": "riwayat_indikator", "anggaran": "riwayat_anggaran"}
_HISTORY_FLOATS = ("target", "realisasi", "capaian_pct", "serapan_pct", "silpa_pct")
_HISTORY_INTS = ("tahun", "sumber_tahun", "anggaran_rp", "realisasi_rp", "silpa_rp")


def history_tables(history: History) -> dict[str, pd.DataFrame]:
    """The history as the two tables written to data/processed/YEAR."""
    return {
        HISTORY_TABLES["indikator"]: history.indikator,
        HISTORY_TABLES["anggaran"]: history.anggaran,
    }


def write_history(history: History, processed_dir: Path | str) -> list[Path]:
    """Write the history as its two tables (``riwayat_indikator``, ``riwayat_anggaran``) to
    the processed folder, by the one writer (``lkj.data.dataset.write_tables``).

    Args:
        history: from ``load_history``.
        processed_dir: data/processed/YEAR (or the run's staging copy).

    Returns:
        The files written.
    """
    return write_tables(history_tables(history), processed_dir)


def history_from_tables(year: int, tables: dict[str, pd.DataFrame]) -> History | None:
    """The history read back from its tables (``lkj.data.dataset.read_processed``), with the column
    types ``load_history`` gives; None when either table is missing.

    Args:
        year: the report year.
        tables: processed tables by name.

    Returns:
        The history, or None.
    """
    try:
        ind, budget = (tables[HISTORY_TABLES[k]].copy() for k in ("indikator", "anggaran"))
    except KeyError:
        return None
    for frame in (ind, budget):
        for column in frame.columns:
            if column in _HISTORY_FLOATS:
                frame[column] = frame[column].astype("float64")
            elif column in _HISTORY_INTS:
                frame[column] = frame[column].astype("int64")
    return History(year=year, indikator=ind, anggaran=budget)


# ---------------------------------------------------------------------------------------------
# Grafik


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
    """Save both grafik as PNG in ``figures_dir`` (what ``section_html`` embeds).

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


# ---------------------------------------------------------------------------------------------
# Text and HTML


def _direction(delta: float, up: str = "naik", down: str = "turun") -> str:
    return up if delta > 0 else down


def _budget_sentence(history: History, prev: int) -> str:
    rows = history.anggaran.set_index("tahun")
    y = history.year
    if y not in rows.index or prev not in rows.index:
        return ""
    now, before = rows.loc[y], rows.loc[prev]
    delta = float(now.anggaran_rp - before.anggaran_rp)
    if delta == 0:
        budget = f"sama dengan tahun {prev}"
    else:
        share = numbers.ratio_pct(abs(delta), before.anggaran_rp)
        change = f"{format_rp(abs(delta))}"
        if share is not None:
            change += f" ({format_pct(share)})"
        budget = f"{_direction(delta)} {change} dari tahun {prev} ({format_rp(before.anggaran_rp)})"
    text = (
        f"Anggaran tahun {y} sebesar {format_rp(now.anggaran_rp)}, {budget}, dengan realisasi "
        f"{format_rp(now.realisasi_rp)} (serapan {format_pct(now.serapan_pct)})."
    )
    if pd.notna(now.serapan_pct) and pd.notna(before.serapan_pct):
        # Both are judged values (2 decimals): their difference is exact in decimal.
        diff = numbers.to_decimal(now.serapan_pct) - numbers.to_decimal(before.serapan_pct)
        if diff == 0:
            text += (
                f" Serapan anggaran sama dengan tahun {prev} ({format_pct(before.serapan_pct)})."
            )
        else:
            text += (
                f" Serapan anggaran {_direction(diff)} {format_angka(abs(diff), 2)} poin persen "
                f"dari {format_pct(before.serapan_pct)} pada tahun {prev}."
            )
    return text


def _indicator_sentence(history: History, prev: int) -> str:
    ind = history.indikator
    now = ind[ind["tahun"] == history.year].set_index("kode_indikator")
    before = ind[ind["tahun"] == prev].set_index("kode_indikator")
    both = [c for c in now.index if c in before.index]
    comparable = [
        c
        for c in both
        if pd.notna(now.at[c, "capaian_pct"]) and pd.notna(before.at[c, "capaian_pct"])
    ]
    if not comparable:
        return (
            f"Capaian indikator tahun {history.year} belum dapat dibandingkan dengan tahun {prev}."
        )
    up, same, down = [], [], []
    for c in comparable:
        diff = numbers.to_decimal(now.at[c, "capaian_pct"]) - numbers.to_decimal(
            before.at[c, "capaian_pct"]
        )
        (up if diff > 0 else down if diff < 0 else same).append(c)
    text = (
        f"Dibandingkan tahun {prev}, capaian {len(up)} dari {len(comparable)} indikator kinerja "
        f"sasaran naik, {len(same)} tetap dan {len(down)} turun."
    )
    for c in up + down:
        text += (
            f" Capaian {c} ({now.at[c, 'uraian_indikator']}) "
            f"{_direction(now.at[c, 'capaian_pct'] - before.at[c, 'capaian_pct'])} dari "
            f"{format_pct(before.at[c, 'capaian_pct'])} menjadi "
            f"{format_pct(now.at[c, 'capaian_pct'])}."
        )
    missing = len(now) - len(comparable)
    if missing:
        text += f" {missing} indikator tidak dapat dibandingkan (data atau target tidak ada)."
    return text


def comparison_text(history: History) -> str:
    """The sentences comparing the report year with the year before it.

    Args:
        history: from ``load_history``.

    Returns:
        Indonesian text (budget first, then the indikator).
    """
    prev = history.previous
    if prev is None:
        return (
            f"Belum ada data tahun sebelum {history.year}, sehingga perbandingan antar tahun "
            "belum dapat disajikan."
        )
    parts = [_budget_sentence(history, prev), _indicator_sentence(history, prev)]
    return " ".join(p for p in parts if p)


def _num(label: str) -> str:
    return f"{label} " if label else ""


def _span(years: list[int]) -> str:
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"


def section_html(
    history: History,
    figures_dir: Path | str,
    level: int = 3,
    title: str = "Perbandingan Antar Tahun",
    tabel: tuple[str, str] = ("", ""),
    grafik: tuple[str, str] = ("", ""),
) -> Markup:
    """The sub-section comparing the report year with the earlier years.

    Args:
        history: from ``load_history``.
        figures_dir: where ``save_history_figures`` wrote the PNGs (outputs/YEAR/figures).
        level: the heading level.
        title: the heading text.
        tabel: the numbers of the two tables (indikator, anggaran), e.g. ("Tabel 3.20",
            "Tabel 3.21"); empty: captions without a number.
        grafik: the numbers of the two figures (capaian, serapan), e.g. ("Grafik 6",
            "Grafik 7").

    Returns:
        Safe HTML: heading, sentence, two tables, two figures.

    Raises:
        LkjError: the figures were not saved in ``figures_dir``.
    """
    figures_dir = Path(figures_dir)
    pngs = [figures_dir / f"{stem}.png" for stem in (FIGURE_CAPAIAN, FIGURE_SERAPAN)]
    missing = [p.name for p in pngs if not p.is_file()]
    if missing:
        raise LkjError(
            f"grafik riwayat tidak ada di {figures_dir}: {', '.join(missing)} "
            "(dibuat oleh lkj.analysis.riwayat.save_history_figures di notebook 03_grafik)"
        )
    wide = history.capaian_wide()
    ind_years = sorted(
        int(c.removeprefix("capaian_")) for c in wide.columns if c.startswith("capaian_")
    )
    cols = [Col("Kode", "kode_indikator"), Col("Indikator Kinerja", "uraian_indikator")]
    cols += [Col("Satuan", "satuan")]
    cols += [Col(f"Capaian {y} (%)", f"capaian_{y}", "pct") for y in ind_years]
    prev = history.previous
    if prev in ind_years and history.year in ind_years:
        wide["perubahan"] = [
            numbers.as_float(_difference(now, before))
            for now, before in zip(
                wide[f"capaian_{history.year}"], wide[f"capaian_{prev}"], strict=True
            )
        ]
        cols.append(Col(f"Perubahan {prev}–{history.year} (poin)", _signed("perubahan")))
    if history.year in ind_years:
        cols.append(Col(f"Predikat {history.year}", "predikat", "kategori", "warna_predikat"))
    budget_years = [int(t) for t in history.anggaran["tahun"]]
    budget_cols = [
        Col("Tahun", lambda r: str(int(r["tahun"]))),
        Col("Anggaran (Rp)", "anggaran_rp", "rp"),
        Col("Realisasi (Rp)", "realisasi_rp", "rp"),
        Col("Serapan (%)", "serapan_pct", "pct"),
        Col("SILPA (Rp)", "silpa_rp", "rp"),
        Col("Kategori", "kategori_anggaran", "kategori", "warna_anggaran"),
    ]
    ind_span, budget_span = _span(ind_years), _span(budget_years)
    return join(
        heading(level, title),
        paragraph(comparison_text(history)),
        table(wide, cols, f"{_num(tabel[0])}Capaian Indikator Kinerja Sasaran Tahun {ind_span}"),
        figure(pngs[0], f"{_num(grafik[0])}Capaian Indikator Kinerja Sasaran Tahun {ind_span}"),
        table(
            history.anggaran,
            budget_cols,
            f"{_num(tabel[1])}Anggaran dan Realisasi Anggaran Tahun {budget_span}",
            number=False,
        ),
        figure(
            pngs[1],
            f"{_num(grafik[1])}Anggaran, Realisasi dan Serapan Anggaran Tahun {budget_span}",
        ),
    )


def _difference(now: object, before: object) -> Decimal | None:
    """now - before of two judged percentages, exact (None when either is missing)."""
    a, b = numbers.to_decimal(now), numbers.to_decimal(before)
    return None if a is None or b is None else a - b


def _signed(column: str) -> Callable[[pd.Series], str]:
    def value(row: pd.Series) -> str:
        v = row[column]
        if pd.isna(v):
            return "-"
        v = numbers.round_half_up(v, numbers.PCT_PLACES)
        return ("+" if v > 0 else "") + format_angka(v, numbers.PCT_PLACES)

    return value
