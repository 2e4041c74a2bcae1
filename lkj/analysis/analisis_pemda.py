"""The analyses the LKE (component 3.b) asks of the LKjIP, per IKU and sasaran RPJMD, from the
pemda's own tables (``lkj.analysis.konsolidasi``):

* every IKU of the report year against its RPJMD end target: the projection to the last year of
  the RPJMD period (``periode_rpjmd`` of pemda.csv) and the status tercapai / akan tercapai /
  perlu upaya keras, by the method of ``lkj.analysis.jangka_menengah`` (the one the OPD report
  uses against its Renstra);
* every IKU against a benchmark when ``pembanding_iku`` (optional) gives one for the year;
* every sasaran RPJMD's efficiency: the index of the configured method (``efisiensi.metode``,
  ``lkj.analysis.capaian.efficiency_series``) of its programmes' physical capaian over their
  serapan.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from lkj.analysis.capaian import efficiency_series
from lkj.analysis.jangka_menengah import banding, status_akhir
from lkj.core import numbers


def tahun_akhir_rpjmd(periode: str) -> int | None:
    """The last year of an RPJMD period written "2021-2026" (None when it cannot be read)."""
    years = re.findall(r"\d{4}", periode or "")
    return int(years[-1]) if years else None


def status_rpjmd(iku: pd.DataFrame, year: int, end_year: int | None) -> pd.DataFrame:
    """One row per IKU of ``year``: its realisasi against the RPJMD end target, the years with
    a realisasi, the projection and the status.

    Args:
        iku: ``lkj.analysis.konsolidasi.iku_table`` (every year up to ``year``).
        year: the report year.
        end_year: the last year of the RPJMD period (None: no projection, no status).

    Returns:
        kode_iku, kode_sasaran_rpjmd, uraian_iku, satuan, polaritas, target, realisasi,
        capaian_pct, target_akhir_rpjmd, tahun_akhir, capaian_rpjmd_pct, tahun_data (the
        years with a realisasi, "2021, 2022"), tahun_sebelumnya (how many earlier years),
        proyeksi, status.
    """
    rows = []
    for r in iku[iku["tahun"] == year].itertuples(index=False):
        own = iku[(iku["kode_iku"] == r.kode_iku) & (iku["tahun"] <= year)]
        points = [
            (int(t), numbers.to_decimal(v))
            for t, v in sorted(zip(own["tahun"], own["realisasi"], strict=True))
            if numbers.to_decimal(v) is not None
        ]
        projected, status = status_akhir(
            points, numbers.to_decimal(r.target_akhir_rpjmd), end_year, r.polaritas, year
        )
        rows.append(
            {
                "kode_iku": r.kode_iku,
                "kode_sasaran_rpjmd": r.kode_sasaran_rpjmd,
                "uraian_iku": r.uraian_iku,
                "satuan": r.satuan,
                "polaritas": r.polaritas,
                "target": r.target,
                "realisasi": r.realisasi,
                "capaian_pct": r.capaian_pct,
                "target_akhir_rpjmd": r.target_akhir_rpjmd,
                "tahun_akhir": end_year,
                "capaian_rpjmd_pct": r.capaian_rpjmd_pct,
                "tahun_data": ", ".join(str(t) for t, _ in points),
                "tahun_sebelumnya": sum(1 for t, _ in points if t < year),
                "proyeksi": projected,
                "status": status,
            }
        )
    return pd.DataFrame(rows)


def pembanding_iku(bench: pd.DataFrame | None, status: pd.DataFrame, year: int) -> pd.DataFrame:
    """The IKU of ``year`` with a benchmark in ``pembanding_iku`` for that year, and the result
    of the comparison; empty when the data gives none.

    Returns:
        kode_iku, uraian_iku, satuan, realisasi, nilai_pembanding, uraian_pembanding,
        sumber_pembanding, hasil.
    """
    columns = ["kode_iku", "uraian_iku", "satuan", "realisasi", "nilai_pembanding",
               "uraian_pembanding", "sumber_pembanding", "hasil"]  # fmt: skip
    if bench is None or bench.empty or status.empty:
        return pd.DataFrame(columns=columns)
    rows = bench[bench["tahun"] == year].merge(
        status[["kode_iku", "uraian_iku", "satuan", "realisasi", "polaritas"]],
        on="kode_iku",
        how="inner",
    )
    rows["hasil"] = [
        banding(r.realisasi, r.nilai_pembanding, r.polaritas) for r in rows.itertuples()
    ]
    order = {k: i for i, k in enumerate(status["kode_iku"])}
    rows = rows.assign(_o=rows["kode_iku"].map(order)).sort_values("_o")
    return rows[columns].reset_index(drop=True)


def efisiensi_rpjmd(sasaran_rpjmd: pd.DataFrame, config: Any) -> pd.DataFrame:
    """Each sasaran RPJMD's efficiency index by the configured method (``config``'s
    ``efficiency_method``; "indeks_efisiensi": capaian fisik % / serapan %).

    Returns:
        ``sasaran_rpjmd`` (``lkj.analysis.konsolidasi.sasaran_rpjmd_table``) with
        indeks_efisiensi (NaN where it cannot be computed: no programme, nothing spent).
    """
    if config.efficiency_method != "indeks_efisiensi":  # pragma: no cover - config checks it
        raise ValueError(f"metode efisiensi tidak dikenal: {config.efficiency_method}")
    out = sasaran_rpjmd.copy()
    out["indeks_efisiensi"] = efficiency_series(
        out["capaian_fisik_pct"].astype(float), out["serapan_pct"].astype(float)
    )
    return out
