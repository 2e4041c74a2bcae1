"""Prepare a new report year: data/raw/YEAR from the latest earlier year.

``make new-year YEAR=2023`` (``python -m lkj new-year --year 2023``) reads the latest year
folder before YEAR through ``lkj.data.ingest.read_raw`` (so the source must be valid), and writes
data/raw/YEAR with:

* the structures that carry over, copied: instansi (``tahun_anggaran`` set to YEAR), tujuan,
  sasaran, indikator, target_renstra, program, kegiatan, sub_kegiatan (targets and budgets
  kept), lra (budgets kept), tim_penyusun; of the quarterly tables, the structure:
  aturan_indikator and renstra_program (its realisation to last year to be updated);
* the realisation columns emptied: ``sub_kegiatan.realisasi_fisik`` and
  ``realisasi_anggaran_rp``, ``lra.realisasi_rp``;
* ``kinerja_indikator``: the earlier years' rows kept, one new row per indikator for YEAR with
  the Renstra target of YEAR (else last year's target) and an empty realisasi;
* ``pegawai`` and ``sarana_prasarana``: the latest year's rows kept, rows for YEAR added with
  the same counts (to be updated), older years dropped;
* the narrative files (``narasi/``) copied as templates, each marked on its first line.

Year-specific tables (angka_tertulis, ormas, tenaga_kerja_asing, and the quarters:
triwulan_sub_kegiatan, triwulan_indikator, pagu_triwulan) and other files are not copied. The
new folder is built under a temporary name and renamed at the end, so a failure never leaves a
half-made year. An existing year folder is never overwritten.
"""

from __future__ import annotations

import os
import re
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from lkj.core.errors import LkjError
from lkj.data.ingest import read_raw
from lkj.data.processed import write_tables
from lkj.data.schema import TABLES

NARASI_DIR = "narasi"
COPIED = (
    "instansi",
    "tujuan",
    "sasaran",
    "indikator",
    "target_renstra",
    "program",
    "kegiatan",
    "tim_penyusun",
    "aturan_indikator",
    "renstra_program",
)
NOT_COPIED = (
    "angka_tertulis",
    "ormas",
    "tenaga_kerja_asing",
    "triwulan_sub_kegiatan",
    "triwulan_indikator",
    "pagu_triwulan",
    "triwulan_program",
)
EMPTIED = {
    "sub_kegiatan": ("realisasi_fisik", "realisasi_anggaran_rp"),
    "lra": ("realisasi_rp",),
}
PER_YEAR = ("pegawai", "sarana_prasarana")
TEMPLATE_MARK = "<!-- TEMPLATE dari tahun {source}: perbarui teks ini untuk tahun {year} -->"
_TEMPLATE_RE = re.compile(r"^<!-- TEMPLATE dari tahun \d{4}: .*-->\r?\n?")


class NewYearError(LkjError):
    """The new year cannot be prepared (folder exists, no earlier year, ...)."""


@dataclass
class NewYearResult:
    """What ``new_year`` made.

    Attributes:
        year: the new year.
        source_year: the year it was copied from.
        year_dir: the folder created (data/raw/YEAR).
        tables: table name to number of rows written.
        narasi: the narrative templates written (paths relative to ``year_dir``).
        skipped: tables and files of the source year that were not copied.
        todo: what the maintainer must fill or check, one line each.
    """

    year: int
    source_year: int
    year_dir: Path
    tables: dict[str, int] = field(default_factory=dict)
    narasi: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    todo: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """The text printed by ``python -m lkj new-year``."""
        lines = [
            f"Tahun {self.year} dibuat di {_display(self.year_dir)} dari tahun {self.source_year}:"
        ]
        lines += [f"  {name}.csv: {rows} baris" for name, rows in self.tables.items()]
        if self.narasi:
            lines.append(f"  narasi (templat): {', '.join(self.narasi)}")
        if self.skipped:
            lines.append("Tidak disalin (khusus tahun " + f"{self.source_year}):")
            lines += [f"  {s}" for s in self.skipped]
        lines.append("Yang harus diisi atau diperiksa pengelola:")
        lines += [f"  {i}. {t}" for i, t in enumerate(self.todo, start=1)]
        return "\n".join(lines)


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path).replace(os.sep, "/")
    except ValueError:  # another drive on Windows
        return str(path)


def year_folders(raw_root: Path | str) -> list[int]:
    """The years that have a folder in ``raw_root`` (folders named by four digits), sorted.

    Args:
        raw_root: the folder holding one folder per year (data/raw).

    Returns:
        The years, ascending.
    """
    root = Path(raw_root)
    if not root.is_dir():
        return []
    return sorted(
        int(p.name) for p in root.iterdir() if p.is_dir() and re.fullmatch(r"\d{4}", p.name)
    )


def _source_year(raw_root: Path, year: int) -> int:
    earlier = [y for y in year_folders(raw_root) if y < year]
    if not earlier:
        raise NewYearError(
            f"tidak ada folder tahun sebelum {year} di {_display(raw_root)} untuk disalin"
        )
    return earlier[-1]


def _kinerja(tables: dict[str, pd.DataFrame], year: int) -> pd.DataFrame:
    kinerja = tables["kinerja_indikator"]
    kinerja = kinerja[kinerja["tahun"] < year].astype({"target": float, "realisasi": float})
    renstra = tables["target_renstra"]
    renstra = renstra[renstra["tahun"] == year].set_index("kode_indikator")["target"]
    codes = list(
        dict.fromkeys([*kinerja["kode_indikator"], *tables["indikator"]["kode_indikator"]])
    )
    parts = []
    for code in codes:
        own = kinerja[kinerja["kode_indikator"] == code].sort_values("tahun", kind="stable")
        parts.append(own)
        if code not in set(tables["indikator"]["kode_indikator"]):
            continue
        if code in renstra.index:
            target = float(renstra[code])
        else:  # no Renstra target for the year: last year's target, to be checked
            target = float(own["target"].iloc[-1]) if len(own) else float("nan")
        parts.append(
            pd.DataFrame(
                [{"kode_indikator": code, "tahun": year, "target": target, "realisasi": np.nan}]
            )
        )
    out = pd.concat(parts, ignore_index=True)
    out["tahun"] = out["tahun"].astype("Int64")
    return out


def _per_year(frame: pd.DataFrame, year: int) -> tuple[pd.DataFrame, int | None]:
    earlier = frame[frame["tahun"] < year]
    if earlier.empty:
        return frame.iloc[0:0], None
    latest = int(earlier["tahun"].max())
    kept = earlier[earlier["tahun"] == latest]
    rows = []
    for _, row in kept.iterrows():  # each row followed by its copy for the new year
        rows += [row, row.copy()]
        rows[-1]["tahun"] = year
    out = pd.DataFrame(rows).reset_index(drop=True)
    return out.astype({c: frame[c].dtype for c in frame.columns}), latest


def _copy_narasi(source: Path, target: Path, source_year: int, year: int) -> list[str]:
    written = []
    if not source.is_dir():
        return written
    mark = TEMPLATE_MARK.format(source=source_year, year=year)
    for path in sorted(source.rglob("*")):
        if not path.is_file() or path.name.startswith(("~$", ".")):
            continue
        rel = path.relative_to(source)
        out = target / rel
        out.parent.mkdir(parents=True, exist_ok=True)
        data = path.read_bytes()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:  # not text (an image, ...): copied as it is
            out.write_bytes(data)
        else:
            text = _TEMPLATE_RE.sub("", text, count=1)  # a template of a template: one mark
            newline = "\r\n" if "\r\n" in text else "\n"
            out.write_text(mark + newline + text, encoding="utf-8", newline="")
        written.append((Path(NARASI_DIR) / rel).as_posix())
    return written


def new_year(year: int, raw_root: Path | str = Path("data/raw")) -> NewYearResult:
    """Create data/raw/YEAR from the latest earlier year, realisation columns empty.

    Args:
        year: the new report year.
        raw_root: the folder holding one folder per year.

    Returns:
        What was created and what the maintainer must fill.

    Raises:
        NewYearError: data/raw/YEAR exists, or there is no earlier year.
        DataErrors: the earlier year's data is not valid (fix it first).
    """
    raw_root = Path(raw_root)
    target = raw_root / str(year)
    if target.exists():
        raise NewYearError(
            f"{_display(target)} sudah ada; new-year tidak menimpa tahun yang ada "
            "(hapus atau ganti nama folder itu bila memang ingin membuat ulang)"
        )
    source_year = _source_year(raw_root, year)
    raw = read_raw(source_year, raw_root)
    src = raw.tables
    result = NewYearResult(year=year, source_year=source_year, year_dir=target)

    tables: dict[str, pd.DataFrame] = {}
    for name in COPIED:
        if name in src:
            tables[name] = src[name].copy()
    instansi = tables["instansi"]
    if (instansi["kunci"] == "tahun_anggaran").any():
        instansi.loc[instansi["kunci"] == "tahun_anggaran", "nilai"] = str(year)
    for name, columns in EMPTIED.items():
        frame = src[name].copy()
        for column in columns:
            frame[column] = pd.array([pd.NA] * len(frame), dtype="Float64")
        tables[name] = frame
    tables["kinerja_indikator"] = _kinerja(src, year)
    latest: dict[str, int | None] = {}
    for name in PER_YEAR:
        tables[name], latest[name] = _per_year(src[name], year)
    # Contract order, contract columns.
    tables = {t.name: tables[t.name][t.columns] for t in TABLES if t.name in tables}

    staging = raw_root / f".new-{year}-{uuid.uuid4().hex[:8]}"
    try:
        write_tables(tables, staging)
        result.narasi = _copy_narasi(
            raw.sources["instansi"].path.parent / NARASI_DIR,
            staging / NARASI_DIR,
            source_year,
            year,
        )
        if target.exists():  # made by someone else meanwhile
            raise NewYearError(f"{_display(target)} sudah ada; tidak ditimpa")
        os.replace(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)

    result.tables = {name: len(frame) for name, frame in tables.items()}
    source_dir = raw_root / str(source_year)
    used = {s.path.name for s in raw.sources.values()}
    for name in NOT_COPIED:
        if name in src:
            result.skipped.append(f"{name} ({raw.sources[name].path.name})")
    for path in sorted(source_dir.iterdir()):
        if path.name == NARASI_DIR or path.name in used or path.name.startswith("."):
            continue
        result.skipped.append(path.name + ("/" if path.is_dir() else ""))
    result.todo = _todo(result, tables, latest)
    return result


def _todo(
    result: NewYearResult, tables: dict[str, pd.DataFrame], latest: dict[str, int | None]
) -> list[str]:
    y, s = result.year, result.source_year
    n_sub = len(tables["sub_kegiatan"])
    n_ind = int((tables["kinerja_indikator"]["tahun"] == y).sum())
    todo = [
        f"instansi.csv: periksa kepala_nama, kepala_pangkat, kepala_nip dll. "
        f"(tahun_anggaran sudah {y})",
        f"program.csv, kegiatan.csv, sub_kegiatan.csv: sesuaikan dengan DPA {y} "
        f"(struktur, unit_kerja, target_fisik, anggaran_rp masih dari {s})",
        f"kinerja_indikator.csv: periksa target {y} ({n_ind} indikator; diambil dari "
        "target_renstra, atau target tahun lalu) sesuai Perjanjian Kinerja",
        f"realisasi sub kegiatan ({n_sub} baris) dan realisasi indikator {y}: "
        f"make forms YEAR={y}, bagikan formulir, lalu make collect YEAR={y}",
        f"lra.csv: isi realisasi_rp dari LRA {y} (anggaran_rp masih dari {s})",
    ]
    for name in PER_YEAR:
        if latest[name] is not None:
            todo.append(f"{name}.csv: perbarui jumlah tahun {y} (disalin dari {latest[name]})")
    if "renstra_program" in tables:
        todo.append(
            f"renstra_program.csv: perbarui realisasi_lalu_k dan realisasi_lalu_rp (realisasi "
            f"Renstra s.d. {s}) dan target_tahun_k {y}"
        )
    if result.narasi:
        todo.append("narasi/: perbarui teks tiap file dan hapus baris TEMPLATE di awalnya")
    todo.append(
        "angka_tertulis.csv, ormas.csv, tenaga_kerja_asing.csv: tambahkan bila ada data "
        f"tahun {y} (opsional)"
    )
    todo.append(f"lalu: make check YEAR={y} sampai sah, dan make report YEAR={y}")
    return todo
