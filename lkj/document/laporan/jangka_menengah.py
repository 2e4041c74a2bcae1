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

from typing import Any

import pandas as pd

from lkj.analysis.jangka_menengah import banding, metode_proyeksi, status_akhir
from lkj.core import numbers
from lkj.document.laporan.data import ReportData
from lkj.document.tables import Cell, Col, cell, frame_table

METODE_PROYEKSI = metode_proyeksi("Renstra")


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
        row["proyeksi"], row["status"] = status_akhir(points, target, end, r.polaritas, d.year)
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
    return cell(banding(r["realisasi"], r["nilai_pembanding"], r["polaritas"]))


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
