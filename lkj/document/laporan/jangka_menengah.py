"""Bab III, 3.6: each indikator against the Renstra's end target with the status the field
uses (tercapai, akan tercapai, perlu upaya keras) from a stated projection, against a benchmark
when the data gives one (optional ``pembanding.csv``), and the gaps of the sasaran's analysis
(narasi of efforts, obstacles and recommendations missing).

The projection (:data:`METODE_PROYEKSI`): the average yearly change of the realisasi from the
first year with a realisasi to this year (every year folder and this year's
kinerja_indikator.csv, ``ReportData.history``), carried on to the last year of the Renstra's
targets (target_renstra.csv). With a single year there is no trend: the projection is this
year's realisasi. Exact decimals (``lkj.core.numbers``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pandas as pd

from lkj.core import numbers
from lkj.document.laporan.data import ReportData
from lkj.document.tables import Cell, Col, cell, frame_table

METODE_PROYEKSI = (
    "Proyeksi akhir periode Renstra: realisasi tahun ini ditambah rata-rata perubahan realisasi "
    "per tahun (dari tahun pertama yang memiliki realisasi sampai tahun ini) dikali sisa tahun "
    "sampai tahun akhir target Renstra; tanpa realisasi tahun sebelumnya, proyeksi sama dengan "
    "realisasi tahun ini. Status: Tercapai bila realisasi tahun ini telah mencapai target akhir "
    "Renstra; Akan tercapai bila proyeksinya mencapainya; selain itu Perlu upaya keras "
    "(indikator berpolaritas negatif: mencapai berarti tidak melebihi)."
)
TERCAPAI, AKAN, UPAYA = "Tercapai", "Akan tercapai", "Perlu upaya keras"


def _reached(value: Decimal, target: Decimal, polaritas: str) -> bool:
    return value <= target if polaritas == "negatif" else value >= target


def proyeksi(points: list[tuple[int, Decimal]], end_year: int) -> Decimal:
    """The realisasi projected to ``end_year`` from (year, realisasi) points, sorted by year:
    the last one plus the average yearly change since the first one times the years left."""
    (y0, r0), (y1, r1) = points[0], points[-1]
    if y1 == y0:
        return r1
    return r1 + (r1 - r0) / (y1 - y0) * (end_year - y1)


def status_renstra(d: ReportData) -> pd.DataFrame:
    """One row per indikator of the year: realisasi, end target and its year, projection and
    status (None where the end target or the realisasi is missing)."""
    hist = d.history.indikator
    ends = d.raw["target_renstra"].groupby("kode_indikator")["tahun"].max()
    rows = []
    for r in d.res.indikator[d.res.indikator["tahun"] == d.year].itertuples():
        own = hist[(hist["kode_indikator"] == r.kode_indikator) & (hist["tahun"] <= d.year)]
        points = [
            (int(t), numbers.to_decimal(v))
            for t, v in sorted(zip(own["tahun"], own["realisasi"], strict=True))
            if numbers.to_decimal(v) is not None
        ]
        target = numbers.to_decimal(r.target_akhir_renstra)
        end = int(ends[r.kode_indikator]) if r.kode_indikator in ends.index else None
        row: dict[str, Any] = {
            "kode_indikator": r.kode_indikator,
            "uraian_indikator": r.uraian_indikator,
            "satuan": r.satuan,
            "realisasi": r.realisasi,
            "target_akhir_renstra": r.target_akhir_renstra,
            "tahun_akhir": end,
            "capaian_renstra_pct": r.capaian_renstra_pct,
            "tahun_data": ", ".join(str(t) for t, _ in points),
            "proyeksi": None,
            "status": None,
        }
        if points and target is not None and end is not None and points[-1][0] == d.year:
            projected = numbers.round_half_up(proyeksi(points, end), 2)
            row["proyeksi"] = projected
            if _reached(points[-1][1], target, r.polaritas):
                row["status"] = TERCAPAI
            elif _reached(projected, target, r.polaritas):
                row["status"] = AKAN
            else:
                row["status"] = UPAYA
        rows.append(row)
    return pd.DataFrame(rows)


def _pembanding(d: ReportData) -> tuple[Any, str]:
    """The benchmark table from pembanding.csv (this year's rows), or the sentence saying
    there is none."""
    bench = d.raw.get("pembanding")
    if bench is None or bench.empty:
        return None, (
            "Perbandingan dengan standar nasional atau instansi lain (benchmark): tidak "
            f"tersedia; data tahun {d.year} tidak memuat nilai pembanding (pembanding.csv)."
        )
    ind = d.res.indikator[d.res.indikator["tahun"] == d.year]
    rows = bench[bench["tahun"] == d.year].merge(
        ind[["kode_indikator", "uraian_indikator", "satuan", "realisasi", "polaritas"]],
        on="kode_indikator",
        how="inner",
    )
    table = frame_table(
        "pembanding",
        f"Perbandingan Realisasi Indikator dengan Pembanding Tahun {d.year}",
        rows,
        [
            Col("Kode", "kode_indikator"),
            Col("Indikator Kinerja", "uraian_indikator", width=2),
            Col("Satuan", "satuan"),
            Col(f"Realisasi {d.year}", "realisasi", "desimal"),
            Col("Nilai Pembanding", "nilai_pembanding", "desimal"),
            Col("Pembanding", "uraian_pembanding"),
            Col("Sumber", "sumber_pembanding", width=1.5),
            Col("Hasil", _banding),
        ],
    )
    return table, ""


def _banding(r: pd.Series) -> Cell:
    real, bench = numbers.to_decimal(r["realisasi"]), numbers.to_decimal(r["nilai_pembanding"])
    if real is None or bench is None:
        return cell("-")
    if real == bench:
        return cell("sama dengan pembanding")
    better = real < bench if r["polaritas"] == "negatif" else real > bench
    return cell("lebih baik dari pembanding" if better else "di bawah pembanding")


def _tahun_akhir(r: pd.Series) -> str:
    return "-" if pd.isna(r["tahun_akhir"]) else str(int(r["tahun_akhir"]))


def kesenjangan_narasi(d: ReportData) -> list[str]:
    """The narasi of efforts/obstacles (analisis) and recommendations (solusi) missing, one
    line per sasaran and file."""
    gaps = []
    for s in d.raw["sasaran"].itertuples():
        for part, what in (("analisis", "upaya dan hambatan"), ("solusi", "rekomendasi")):
            name = f"sasaran_{s.kode_sasaran}_{part}"
            if not str(d.text(name)).strip():
                label = s.nomor_seed or s.kode_sasaran
                gaps.append(f"Sasaran {label}: {what} belum diuraikan (narasi/{name}.md).")
    return gaps


def analisis_jangka_menengah(d: ReportData) -> dict[str, Any]:
    """3.6: the status table against the Renstra's end target, its method, the benchmark (or
    the sentence that there is none) and the gaps of the analysis."""
    status = status_renstra(d)
    table = frame_table(
        "status_target_renstra",
        "Status Capaian Indikator terhadap Target Akhir Renstra",
        status,
        [
            Col("Kode", "kode_indikator"),
            Col("Indikator Kinerja", "uraian_indikator", width=2),
            Col("Satuan", "satuan"),
            Col(f"Realisasi {d.year}", "realisasi", "desimal"),
            Col("Target akhir Renstra", "target_akhir_renstra", "desimal"),
            Col("Tahun akhir", _tahun_akhir),
            Col("Capaian thd. target akhir (%)", "capaian_renstra_pct", "pct"),
            Col("Tahun data", "tahun_data"),
            Col("Proyeksi akhir periode", "proyeksi", "desimal"),
            Col("Status", lambda r: r["status"] or "-"),
        ],
    )
    pembanding, tanpa = _pembanding(d)
    return {
        "status": table,
        "metode": METODE_PROYEKSI,
        "pembanding": pembanding,
        "tanpa_pembanding": tanpa,
        "kesenjangan": kesenjangan_narasi(d),
    }
