"""Riwayat: the report year compared with every earlier year present in data/raw.

``load_history`` reads every year folder up to the report year (each validated by
``lkj.data.ingest.read_raw`` and computed by ``lkj.analysis.capaian.compute_results``) and gives:

* ``History.indikator``: one row per indikator and year (target, realisasi, capaian,
  predikat). A year's row is taken from that year's own folder when it exists (the report of
  that year), otherwise from the latest folder that holds it (e.g. 2021 rows reported in the
  2022 folder).
* ``History.anggaran``: one row per year folder: total anggaran and realisasi of its sub
  kegiatan, serapan and SILPA.

``comparison_text`` says in a sentence what changed since last year. The grafik of the history
are drawn in ``lkj.document.grafik_riwayat``; the sub-section "Perbandingan Antar Tahun" is
built in ``lkj.document.laporan``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from lkj.analysis.capaian import Results, add_realisasi_columns, compute_results
from lkj.analysis.triwulan_tahun import year_from_quarters
from lkj.core import numbers
from lkj.core.config import Config, load_config
from lkj.core.fmt import format_angka, format_pct, format_rp
from lkj.data.ingest import read_raw
from lkj.data.newyear import year_folders
from lkj.data.processed import write_tables

if TYPE_CHECKING:
    pass

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
        validate: check each folder against the data contract (``lkj.data.ingest.read_raw``);
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
            tables = read_raw(folder, raw_root, validate).tables
            tables = year_from_quarters(tables, folder, str(raw_root / str(folder)))[0]
            res = compute_results(tables, folder, cfg)
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
    the processed folder, by the one writer (``lkj.data.processed.write_tables``).

    Args:
        history: from ``load_history``.
        processed_dir: data/processed/YEAR (or the run's staging copy).

    Returns:
        The files written.
    """
    return write_tables(history_tables(history), processed_dir)


def history_from_tables(year: int, tables: dict[str, pd.DataFrame]) -> History | None:
    """The history read back from its tables (``lkj.data.processed.read_processed``), with the
    column types ``load_history`` gives; None when either table is missing.

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
# Text


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


def difference(now: object, before: object) -> Decimal | None:
    """now - before of two judged percentages, exact (None when either is missing)."""
    a, b = numbers.to_decimal(now), numbers.to_decimal(before)
    return None if a is None or b is None else a - b


def signed(column: str) -> Callable[[pd.Series], str]:
    def value(row: pd.Series) -> str:
        v = row[column]
        if pd.isna(v):
            return "-"
        v = numbers.round_half_up(v, numbers.PCT_PLACES)
        return ("+" if v > 0 else "") + format_angka(v, numbers.PCT_PLACES)

    return value
