"""Data quality: stated figures of the source document against the computed ones.

angka_tertulis.csv holds every figure a source document STATES (totals, percentages, counts)
with where it stands. Here each is compared with the figure the pipeline computes from the
detailed rows, at the precision the source wrote it (81,91 is compared to two decimals, 94 to
a whole number). The report lists every difference in "Catatan Kualitas Data"; stated figures
are never used to build the report.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pandas as pd

from lkj.analysis.capaian import Results
from lkj.core import numbers

SAME, DIFFERENT, NOT_COMPARED = "sama", "berbeda", "tidak dibandingkan"
MEASURE_COLUMNS = {
    "anggaran_rp": "anggaran_rp",
    "realisasi_rp": "realisasi_anggaran_rp",
    "serapan_pct": "serapan_pct",
    "silpa_rp": "silpa_rp",
    "capaian_fisik_pct": "capaian_fisik_pct",
    "jumlah_program": "jumlah_program",
    "jumlah_kegiatan": "jumlah_kegiatan",
    "jumlah_sub_kegiatan": "jumlah_sub_kegiatan",
    "target_fisik": "target_fisik",
    "realisasi_fisik": "realisasi_fisik",
}
LEVELS = {
    "program": "kode_program",
    "kegiatan": "kode_kegiatan",
    "sub_kegiatan": "kode_sub_kegiatan",
    "sasaran": "kode_sasaran",
}


def _decimals(text: str) -> int:
    """Digits after the decimal comma as the source wrote them ("81,91" -> 2, "94%" -> 0)."""
    match = re.search(r",(\d+)\s*%?\s*-?\s*$", str(text).strip())
    return len(match.group(1)) if match else 0


class _Lookup:
    """Computed values by (entitas, kode, ukuran)."""

    def __init__(self, res: Results, raw: dict[str, pd.DataFrame], year: int) -> None:
        self.res, self.raw, self.year = res, raw, year
        self.handlers: dict[str, Callable[[str, str], Any]] = {
            "total_belanja": self._total,
            "lra_kelompok": self._lra_group,
            "lra_jenis": self._lra_kind,
            "belanja_langsung": self._langsung,
            "total_sasaran": self._total_sasaran,
            "indikator": self._indikator,
            "pegawai": self._pegawai,
            "ormas": self._ormas,
            "tenaga_kerja_asing": self._tka,
            "kategori_count": self._kategori,
        }
        self._first: dict[str, dict[Any, int]] = {}

    def _row(self, entitas: str, kode: str) -> pd.Series | None:
        """The first row of level ``entitas`` whose code is ``kode`` (None: no such row),
        found through a position index built once per level (a report states hundreds of
        figures: one scan each was a quarter of a second)."""
        frame = getattr(self.res, entitas)
        first = self._first.get(entitas)
        if first is None:
            first = {}
            for i, code in enumerate(frame[LEVELS[entitas]]):
                first.setdefault(code, i)
            self._first[entitas] = first
        i = first.get(kode)
        return None if i is None else frame.iloc[i]

    def value(self, entitas: str, kode: str, ukuran: str) -> Any:
        if entitas in LEVELS:
            return self._level(entitas, kode, ukuran)
        handler = self.handlers.get(entitas)
        return handler(kode, ukuran) if handler else None

    def _level(self, entitas: str, kode: str, ukuran: str) -> Any:
        row = self._row(entitas, kode)
        if row is None:
            return None
        if entitas in ("program", "kegiatan") and ukuran == "target_fisik":
            return 100.0  # aggregated physical target is 100 % by definition
        if entitas in ("program", "kegiatan") and ukuran == "realisasi_fisik":
            return row["capaian_fisik_pct"]
        if entitas == "sasaran" and ukuran == "capaian_pct":
            ind = self.res.indikator
            hit = ind[(ind["kode_sasaran"] == kode) & (ind["tahun"] == self.year)]
            return hit["capaian_pct"].iloc[0] if len(hit) == 1 else None
        column = MEASURE_COLUMNS.get(ukuran)
        return row[column] if column in row.index else None

    def _sums(self, frame: pd.DataFrame, budget: str, spent: str, ukuran: str) -> Any:
        a, r = frame[budget].sum(), frame[spent].sum()
        return {
            "anggaran_rp": a,
            "realisasi_rp": r,
            "serapan_pct": numbers.ratio_pct(r, a),
            "silpa_rp": a - r,
            "silpa_pct": numbers.ratio_pct(a - r, a),
        }.get(ukuran)

    def _total(self, kode: str, ukuran: str) -> Any:
        sub = self.res.sub_kegiatan
        counts = {
            "jumlah_program": len(self.res.program),
            "jumlah_kegiatan": len(self.res.kegiatan),
            "jumlah_sub_kegiatan": len(sub),
        }
        if ukuran in counts:
            return counts[ukuran]
        if ukuran == "anggaran_terbilang":
            return sub["anggaran_rp"].sum()
        return self._sums(sub, "anggaran_rp", "realisasi_anggaran_rp", ukuran)

    def _lra_group(self, kode: str, ukuran: str) -> Any:
        lra = self.raw["lra"]
        part = lra if kode == "Belanja Daerah" else lra[lra["kelompok_belanja"] == kode]
        return None if part.empty else self._sums(part, "anggaran_rp", "realisasi_rp", ukuran)

    def _lra_kind(self, kode: str, ukuran: str) -> Any:
        lra = self.raw["lra"]
        part = lra[lra["jenis_belanja"] == kode]
        return None if part.empty else self._sums(part, "anggaran_rp", "realisasi_rp", ukuran)

    def _langsung(self, kode: str, ukuran: str) -> Any:
        sub = self.res.sub_kegiatan
        part = (
            sub[sub["kode_sasaran"] == ""]
            if kode == "operasional"
            else sub[sub["kode_sasaran"] != ""]
        )
        return self._sums(part, "anggaran_rp", "realisasi_anggaran_rp", ukuran)

    def _total_sasaran(self, kode: str, ukuran: str) -> Any:
        sub = self.res.sub_kegiatan
        part = sub[sub["kode_sasaran"] != ""]
        if ukuran == "jumlah_program":
            return part["kode_program"].nunique()
        if ukuran == "jumlah_sub_kegiatan":
            return len(part)
        return self._sums(part, "anggaran_rp", "realisasi_anggaran_rp", ukuran)

    def _indikator(self, kode: str, ukuran: str) -> Any:
        year = (
            self.year - 1 if ukuran == "capaian_pct_2021" or ukuran.endswith("_lalu") else self.year
        )
        if ukuran.startswith("capaian_pct_") and ukuran[-4:].isdigit():
            year = int(ukuran[-4:])
        ind = self.res.indikator
        hit = ind[(ind["kode_indikator"] == kode) & (ind["tahun"] == year)]
        return hit["capaian_pct"].iloc[0] if len(hit) == 1 else None

    def _pegawai(self, kode: str, ukuran: str) -> Any:
        if not ukuran.startswith("jumlah_"):
            return None
        peg = self.raw["pegawai"]
        part = peg[(peg["kategori"] == kode) & (peg["tahun"] == int(ukuran[-4:]))]
        return part["jumlah"].sum() if len(part) else None

    def _ormas(self, kode: str, ukuran: str) -> Any:
        if "ormas" not in self.raw:
            return None
        ormas = self.raw["ormas"]
        tabel, _, kecamatan = kode.partition(":")
        part = ormas[ormas["tabel"] == tabel]
        if kecamatan:
            part = part[part["kecamatan"] == kecamatan]
        if part.empty:
            return None
        totals = {"terdaftar": part["terdaftar"].sum(), "terdata": part["terdata"].sum()}
        totals["jumlah"] = totals["terdaftar"] + totals["terdata"]
        return totals.get(ukuran)

    def _tka(self, kode: str, ukuran: str) -> Any:
        tka = self.raw.get("tenaga_kerja_asing")
        return None if tka is None else tka["jumlah"].sum()

    def _kategori(self, kode: str, ukuran: str) -> Any:
        what, _, label = kode.partition(":")
        level, _, kind = what.rpartition("_")
        frame = getattr(self.res, level, None)
        column = {"fisik": "kategori_fisik", "anggaran": "kategori_anggaran"}.get(kind)
        if frame is None or column is None:
            return None
        count = int((frame[column] == label).sum())
        if ukuran == "jumlah":
            return count
        if ukuran == "pct_dari_total":
            return numbers.ratio_pct(count, len(frame))
        return None


def compare_stated(
    stated: pd.DataFrame, res: Results, raw: dict[str, pd.DataFrame], year: int
) -> pd.DataFrame:
    """Compare every stated figure with its computed counterpart.

    Args:
        stated: angka_tertulis (sumber, entitas, kode, ukuran, nilai, nilai_tertulis).
        res: the computed tables.
        raw: the raw tables.
        year: the report year.

    Returns:
        stated with the columns dihitung (computed value or NaN), desimal (precision of the
        comparison), selisih (computed - stated, rounded) and status (sama / berbeda /
        tidak dibandingkan).
    """
    lookup = _Lookup(res, raw, year)
    rows = []
    for row in stated.itertuples(index=False):
        computed = lookup.value(row.entitas, str(row.kode), row.ukuran)
        decimals = _decimals(row.nilai_tertulis)
        nilai = row.nilai
        status, diff = NOT_COMPARED, float("nan")
        if computed is not None and not pd.isna(computed) and not pd.isna(nilai):
            # The one rounding rule (half away from zero, decimal) at the stated precision.
            delta = numbers.round_half_up(computed, decimals) - numbers.round_half_up(
                nilai, decimals
            )
            diff = float(delta)
            status = SAME if delta == 0 else DIFFERENT
        elif computed is not None and pd.isna(nilai):
            status = NOT_COMPARED
        rows.append(
            {
                **row._asdict(),
                "dihitung": float("nan") if computed is None else float(computed),
                "desimal": decimals,
                "selisih": diff,
                "status": status,
            }
        )
    return pd.DataFrame(rows)
