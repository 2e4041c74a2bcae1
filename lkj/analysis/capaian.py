"""Capaian, serapan, categories and aggregation: the computations of the report.

Formulas (see ../shared/DOMAIN.md and config/lkj.toml):

* capaian, positive polarity: realisasi / target x 100
* capaian, negative polarity: (2 x target - realisasi) / target x 100, floored at 0
* target 0: capaian cannot be computed (None, shown as "tidak dapat dihitung")
* serapan anggaran: realisasi anggaran / anggaran x 100 (anggaran 0: cannot be computed)
* aggregation of sub kegiatan to kegiatan, program and sasaran: budgets summed; physical
  capaian as the budget-weighted mean of the sub kegiatan capaian (or the plain mean, by
  configuration). Sub kegiatan whose capaian cannot be computed are left out of the mean; if
  the weights of the rest sum to 0 the plain mean is used.

Arithmetic is decimal (``lkj.core.numbers``), and every percentage is rounded half away from zero
to its judging precision (2 decimals) as soon as it is computed: the value stored, printed,
categorised and aggregated is that rounded value, so a capaian printed as 90,00% is judged as
90,00. The aggregate of sub kegiatan is computed from their capaian as printed (what an
auditor recomputing the table in Excel starts from) and rounded in turn.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, localcontext

import pandas as pd

from lkj.core import numbers
from lkj.core.config import Config, Scale

POSITIVE = "positif"
NEGATIVE = "negatif"


def compute_capaian(target: object, realisasi: object, polaritas: str = POSITIVE) -> Decimal | None:
    """Capaian (achievement) in percent, at its judging precision (2 decimals).

    Args:
        target: the target.
        realisasi: the realised value.
        polaritas: "positif" (higher is better) or "negatif" (lower is better).

    Returns:
        The capaian, rounded half away from zero, or None when the target is 0 or a value is
        missing (not computable).
    """
    if polaritas not in (POSITIVE, NEGATIVE):
        raise ValueError(f"polaritas must be {POSITIVE!r} or {NEGATIVE!r}, not {polaritas!r}")
    t, r = numbers.to_decimal(target), numbers.to_decimal(realisasi)
    if t is None or r is None or t == 0:
        return None
    if polaritas == POSITIVE:
        return numbers.ratio_pct(r, t)
    with localcontext() as ctx:
        ctx.prec = 50
        value = max(Decimal(0), (2 * t - r) * 100 / t)
    return numbers.round_half_up(value, numbers.PCT_PLACES)


def compute_serapan(anggaran: object, realisasi: object) -> Decimal | None:
    """Serapan anggaran (budget absorption) in percent, at 2 decimals.

    Args:
        anggaran: the budget.
        realisasi: the budget spent.

    Returns:
        realisasi / anggaran x 100 rounded half away from zero, or None when the budget is 0.
    """
    return numbers.ratio_pct(realisasi, anggaran)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def capaian_series(
    target: pd.Series, realisasi: pd.Series, polaritas: pd.Series | str
) -> pd.Series:
    """Vectorised ``compute_capaian``; NaN where it cannot be computed.

    Args:
        target: targets.
        realisasi: realised values.
        polaritas: one polarity for all rows, or a Series of them.

    Returns:
        Capaian in percent, float, NaN for a zero target.
    """
    if isinstance(polaritas, str):
        polaritas = pd.Series(polaritas, index=target.index)
    values = [
        compute_capaian(t, r, p) for t, r, p in zip(target, realisasi, polaritas, strict=True)
    ]
    return pd.Series([numbers.as_float(v) for v in values], index=target.index, dtype=float)


def efficiency_series(capaian: pd.Series, serapan: pd.Series) -> pd.Series:
    """Indeks efisiensi: capaian fisik (%) / serapan anggaran (%), at 2 decimals.

    Args:
        capaian: capaian fisik in percent (NaN where not computable).
        serapan: serapan anggaran in percent (NaN where not computable).

    Returns:
        The ratio of the two percentages as printed, rounded half away from zero; NaN
        ("tidak dapat dihitung") where either is missing or nothing was spent (a serapan of 0
        would give an infinite or undefined index).
    """
    out = []
    for c, s in zip(capaian, serapan, strict=True):
        c_dec, s_dec = numbers.to_decimal(c), numbers.to_decimal(s)
        if c_dec is None or s_dec is None or s_dec <= 0:
            out.append(float("nan"))
            continue
        ratio = numbers.ratio_pct(c_dec, s_dec * 100, numbers.RATIO_PLACES)
        out.append(numbers.as_float(ratio))
    return pd.Series(out, index=capaian.index, dtype=float)


def categorize(values: pd.Series, scale: Scale, attribute: str = "label") -> pd.Series:
    """The category of each value on ``scale`` ("" where the value is NaN).

    Args:
        values: percentages.
        scale: the scale.
        attribute: "label", "code" or "color".

    Returns:
        One text per value.
    """
    cats = [scale.categorize(None if pd.isna(v) else float(v)) for v in values]
    return pd.Series([getattr(c, attribute) if c else "" for c in cats], index=values.index)


def weighted_capaian(capaian: pd.Series, weights: pd.Series, method: str) -> float:
    """Aggregate capaian of several sub kegiatan into one.

    Args:
        capaian: capaian of each sub kegiatan (NaN = not computable, left out).
        weights: anggaran of each sub kegiatan.
        method: "tertimbang_anggaran" (budget-weighted mean) or "rata_rata" (plain mean).

    Returns:
        The aggregated capaian, NaN if none is computable.
    """
    if method not in ("tertimbang_anggaran", "rata_rata"):
        raise ValueError(f"unknown aggregation method {method!r}")
    pairs = [
        (numbers.to_decimal(c), numbers.to_decimal(w) or Decimal(0))
        for c, w in zip(capaian, weights, strict=True)
    ]
    pairs = [(c, w) for c, w in pairs if c is not None]
    if not pairs:
        return float("nan")
    total_weight = sum((w for _, w in pairs), Decimal(0))
    with localcontext() as ctx:
        ctx.prec = 50
        if method == "tertimbang_anggaran" and total_weight > 0:
            value = sum((c * w for c, w in pairs), Decimal(0)) / total_weight
        else:
            value = sum((c for c, _ in pairs), Decimal(0)) / len(pairs)
    return numbers.as_float(numbers.round_half_up(value, numbers.PCT_PLACES))


def add_realisasi_columns(
    frame: pd.DataFrame, config: Config, budget: str, spent: str
) -> pd.DataFrame:
    """Add serapan, its category and SILPA (unspent budget) to a table with budget columns.

    Args:
        frame: a table holding the columns ``budget`` and ``spent``.
        config: the configuration (scales).
        budget: name of the budget column.
        spent: name of the spent-budget column.

    Returns:
        A copy with serapan_pct, kategori_anggaran, warna_anggaran, silpa_rp and silpa_pct
        (SILPA / anggaran x 100, computed from the amounts, not as 100 - serapan).
    """
    out = frame.copy()
    out["serapan_pct"] = capaian_series(out[budget], out[spent], POSITIVE)
    out["kategori_anggaran"] = categorize(out["serapan_pct"], config.realisasi)
    out["warna_anggaran"] = categorize(out["serapan_pct"], config.realisasi, "color")
    out["silpa_rp"] = out[budget] - out[spent]
    out["silpa_pct"] = [
        numbers.as_float(numbers.ratio_pct(silpa, whole))
        for silpa, whole in zip(out["silpa_rp"], out[budget], strict=True)
    ]
    return out


def _aggregate(sub: pd.DataFrame, key: str, config: Config) -> pd.DataFrame:
    rows = []
    for code, group in sub.groupby(key, sort=True):
        rows.append(
            {
                key: code,
                "jumlah_sub_kegiatan": len(group),
                "jumlah_kegiatan": group["kode_kegiatan"].nunique(),
                "jumlah_program": group["kode_program"].nunique(),
                "anggaran_rp": int(group["anggaran_rp"].sum()),
                "realisasi_anggaran_rp": int(group["realisasi_anggaran_rp"].sum()),
                "capaian_fisik_pct": weighted_capaian(
                    group["capaian_fisik_pct"], group["anggaran_rp"], config.aggregation_method
                ),
            }
        )
    columns = [
        key,
        "jumlah_sub_kegiatan",
        "jumlah_kegiatan",
        "jumlah_program",
        "anggaran_rp",
        "realisasi_anggaran_rp",
        "capaian_fisik_pct",
    ]
    out = pd.DataFrame(rows, columns=columns)  # columns: also when there is no group at all
    out["kategori_fisik"] = categorize(out["capaian_fisik_pct"], config.realisasi)
    out["warna_fisik"] = categorize(out["capaian_fisik_pct"], config.realisasi, "color")
    return add_realisasi_columns(out, config, "anggaran_rp", "realisasi_anggaran_rp")


@dataclass
class Results:
    """Every computed table of the report year."""

    sub_kegiatan: pd.DataFrame
    kegiatan: pd.DataFrame
    program: pd.DataFrame
    sasaran: pd.DataFrame
    indikator: pd.DataFrame
    lra: pd.DataFrame
    belanja_langsung: pd.DataFrame
    ringkasan: pd.DataFrame

    def tables(self) -> dict[str, pd.DataFrame]:
        """Name to table, for writing to data/processed/YEAR as capaian_<name>.csv."""
        return {f"capaian_{k}": v for k, v in vars(self).items()}


def compute_results(tables: dict[str, pd.DataFrame], year: int, config: Config) -> Results:
    """Compute every table of the report from the validated raw tables.

    Args:
        tables: the raw tables (``RawData.tables`` or their processed copies).
        year: the report year.
        config: scales and methods.

    Returns:
        The computed tables.
    """
    program = tables["program"]
    kegiatan = tables["kegiatan"].merge(program, on="kode_program", how="left")
    sub = tables["sub_kegiatan"].merge(
        kegiatan[["kode_kegiatan", "kode_program", "kode_sasaran"]], on="kode_kegiatan", how="left"
    )
    sub["capaian_fisik_pct"] = capaian_series(sub["target_fisik"], sub["realisasi_fisik"], POSITIVE)
    sub["kategori_fisik"] = categorize(sub["capaian_fisik_pct"], config.realisasi)
    sub["warna_fisik"] = categorize(sub["capaian_fisik_pct"], config.realisasi, "color")
    sub = add_realisasi_columns(sub, config, "anggaran_rp", "realisasi_anggaran_rp")
    sub["indeks_efisiensi"] = efficiency_series(sub["capaian_fisik_pct"], sub["serapan_pct"])

    keg = _aggregate(sub, "kode_kegiatan", config).merge(
        kegiatan[["kode_kegiatan", "nama_kegiatan", "kode_program"]], on="kode_kegiatan"
    )
    prog = _aggregate(sub, "kode_program", config).merge(
        program[["kode_program", "nama_program", "kode_sasaran"]], on="kode_program"
    )
    sas_sub = sub[sub["kode_sasaran"] != ""]
    sas = _aggregate(sas_sub, "kode_sasaran", config).merge(
        tables["sasaran"][["kode_sasaran", "uraian_sasaran"]], on="kode_sasaran"
    )
    sas["indeks_efisiensi"] = efficiency_series(sas["capaian_fisik_pct"], sas["serapan_pct"])

    ind = _indikator(tables, year, config)
    lra = add_realisasi_columns(tables["lra"], config, "anggaran_rp", "realisasi_rp")

    langsung = pd.DataFrame(
        [
            {
                "uraian": "Belanja penunjang (tidak terkait sasaran)",
                "anggaran_rp": int(sub.loc[sub["kode_sasaran"] == "", "anggaran_rp"].sum()),
                "realisasi_anggaran_rp": int(
                    sub.loc[sub["kode_sasaran"] == "", "realisasi_anggaran_rp"].sum()
                ),
            },
            {
                "uraian": "Belanja langsung untuk sasaran",
                "anggaran_rp": int(sas_sub["anggaran_rp"].sum()),
                "realisasi_anggaran_rp": int(sas_sub["realisasi_anggaran_rp"].sum()),
            },
        ]
    )
    langsung = add_realisasi_columns(langsung, config, "anggaran_rp", "realisasi_anggaran_rp")

    ringkasan = pd.DataFrame(
        [
            {
                "sumber": "sub_kegiatan",
                "anggaran_rp": int(sub["anggaran_rp"].sum()),
                "realisasi_rp": int(sub["realisasi_anggaran_rp"].sum()),
            },
            {
                "sumber": "lra",
                "anggaran_rp": int(tables["lra"]["anggaran_rp"].sum()),
                "realisasi_rp": int(tables["lra"]["realisasi_rp"].sum()),
            },
        ]
    )
    ringkasan = add_realisasi_columns(ringkasan, config, "anggaran_rp", "realisasi_rp")
    return Results(sub, keg, prog, sas, ind, lra, langsung, ringkasan)


def _indikator(tables: dict[str, pd.DataFrame], year: int, config: Config) -> pd.DataFrame:
    ind = tables["indikator"]
    kin = tables["kinerja_indikator"].merge(
        ind[
            [
                "kode_indikator",
                "kode_sasaran",
                "uraian_indikator",
                "satuan",
                "polaritas",
                "target_akhir_renstra",
            ]
        ],
        on="kode_indikator",
    )
    kin = kin.merge(tables["sasaran"][["kode_sasaran", "uraian_sasaran"]], on="kode_sasaran")
    kin["capaian_pct"] = capaian_series(kin["target"], kin["realisasi"], kin["polaritas"])
    kin["predikat_kode"] = categorize(kin["capaian_pct"], config.predikat, "code")
    kin["predikat"] = categorize(kin["capaian_pct"], config.predikat)
    kin["warna_predikat"] = categorize(kin["capaian_pct"], config.predikat, "color")
    kin["capaian_renstra_pct"] = capaian_series(
        kin["target_akhir_renstra"], kin["realisasi"], kin["polaritas"]
    )
    kin["is_tahun_laporan"] = kin["tahun"] == year
    return kin.sort_values(["kode_sasaran", "kode_indikator", "tahun"]).reset_index(drop=True)
