"""The consolidation of a pemda's OPD reports for the LKjIP, as plain DataFrames.

Every figure here comes from the pemda's own tables (``lkj.data.workspace``) or from an OPD's
processed tables, which its own report was built from
(data/processed/pemda/<kode>/<YEAR>/<kode_opd>/):

* an OPD's anggaran and realisasi are the sums of its sub kegiatan (its report's figures); its
  LRA is a separate source, shown beside them and never mixed in;
* serapan = realisasi / anggaran x 100, capaian of an IKU with its polarity, categories and
  predikat on the scales of config/lkj.toml: all through ``lkj.analysis.capaian``;
* an OPD's physical capaian is the aggregate of its sub kegiatan capaian by the configured
  method (``capaian.weighted_capaian``), as its sasaran and programmes are;
* the rank of an OPD (``RANK_CRITERION``): mean capaian of its indicators in the report year,
  higher first; ties broken by physical capaian, then serapan; values compared as printed
  (two decimals, half away from zero), so two OPDs printed alike share a rank.

The document (chapters, tables, index page) is built from these tables by ``lkj.document.lkjip``;
``lkj.pemda.lkjip`` writes it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from lkj.analysis.analisis_pemda import (
    efisiensi_rpjmd,
    pembanding_iku,
    status_rpjmd,
    tahun_akhir_rpjmd,
)
from lkj.analysis.capaian import (
    POSITIVE,
    add_realisasi_columns,
    capaian_series,
    categorize,
    weighted_capaian,
)
from lkj.core.config import Config
from lkj.data.files import sha256_file
from lkj.data.processed import read_processed_tables
from lkj.data.workspace import PemdaData, Workspace, unlisted_opd_folders

RANK_CRITERION = (
    "rata-rata capaian indikator kinerja sasaran OPD tahun laporan (tertinggi peringkat 1); "
    "bila sama, capaian fisik lebih tinggi, lalu serapan anggaran lebih tinggi; angka "
    "dibandingkan seperti tercetak (dua desimal). OPD yang gagal atau tidak ada datanya tidak "
    "diberi peringkat."
)
# Statuses of an OPD in the LKjIP (from lkj.pemda.status.OpdOutcome.status).
BUILT = ("dibangun", "mutakhir")
FAILED = "gagal"
MISSING = "tidak ada"


def load_opd_tables(
    ws: Workspace, year: int, outcomes: Sequence[Any]
) -> dict[str, dict[str, pd.DataFrame]]:
    """The processed tables of every OPD that has a report from its current data.

    Args:
        ws: the workspace.
        year: the report year.
        outcomes: ``lkj.pemda.status.OpdOutcome`` of every OPD (kode_opd, status).

    Returns:
        kode_opd -> table name -> DataFrame (raw tables and ``capaian_*``).
    """
    return {
        o.kode_opd: read_processed_tables(ws.opd_processed(year, o.kode_opd))
        for o in outcomes
        if o.status in BUILT
    }


def _printed(value: float) -> Decimal:
    """The value as printed with two decimals (half away from zero); NaN sorts last."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return Decimal("-Infinity")
    return Decimal(repr(float(value))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def iku_table(pemda: PemdaData, config: Config) -> pd.DataFrame:
    """The IKU Pemda of the report year and earlier years: capaian, predikat, RPJMD end target.

    Args:
        pemda: the pemda's tables.
        config: scales.

    Returns:
        One row per IKU and year (sorted by IKU, year): kode_iku, kode_sasaran_rpjmd,
        uraian_sasaran_rpjmd, uraian_iku, satuan, polaritas, tahun, target, realisasi,
        capaian_pct, predikat_kode, predikat, warna_predikat, kondisi_awal,
        target_akhir_rpjmd, capaian_rpjmd_pct (realisasi against the end target),
        is_tahun_laporan.
    """
    iku = pemda["iku_pemda"].merge(
        pemda["sasaran_rpjmd"][["kode_sasaran_rpjmd", "uraian_sasaran_rpjmd"]],
        on="kode_sasaran_rpjmd",
    )
    kin = pemda["kinerja_iku"]
    kin = kin[kin["tahun"] <= pemda.year].merge(iku, on="kode_iku")
    kin["capaian_pct"] = capaian_series(kin["target"], kin["realisasi"], kin["polaritas"])
    kin["predikat_kode"] = categorize(kin["capaian_pct"], config.predikat, "code")
    kin["predikat"] = categorize(kin["capaian_pct"], config.predikat)
    kin["warna_predikat"] = categorize(kin["capaian_pct"], config.predikat, "color")
    kin["capaian_rpjmd_pct"] = capaian_series(
        kin["target_akhir_rpjmd"], kin["realisasi"], kin["polaritas"]
    )
    kin["is_tahun_laporan"] = kin["tahun"] == pemda.year
    columns = [
        "kode_iku",
        "kode_sasaran_rpjmd",
        "uraian_sasaran_rpjmd",
        "uraian_iku",
        "satuan",
        "polaritas",
        "tahun",
        "target",
        "realisasi",
        "capaian_pct",
        "predikat_kode",
        "predikat",
        "warna_predikat",
        "kondisi_awal",
        "target_akhir_rpjmd",
        "capaian_rpjmd_pct",
        "is_tahun_laporan",
    ]
    return kin[columns].sort_values(["kode_iku", "tahun"]).reset_index(drop=True)


def _opd_figures(tables: dict[str, pd.DataFrame], year: int, config: Config) -> dict:
    sub = tables["capaian_sub_kegiatan"]
    lra = tables["lra"]
    ind = tables["capaian_indikator"]
    ind = ind[ind["tahun"] == year]
    codes = ind["predikat_kode"].replace("", np.nan).dropna()
    counts = codes.value_counts()
    order = [c.code for c in config.predikat.categories]
    return {
        "jumlah_sub_kegiatan": len(sub),
        "anggaran_rp": int(sub["anggaran_rp"].sum()),
        "realisasi_anggaran_rp": int(sub["realisasi_anggaran_rp"].sum()),
        "capaian_fisik_pct": weighted_capaian(
            sub["capaian_fisik_pct"], sub["anggaran_rp"], config.aggregation_method
        ),
        "jumlah_indikator": len(ind),
        "capaian_indikator_pct": float(ind["capaian_pct"].mean())
        if ind["capaian_pct"].notna().any()
        else np.nan,
        "predikat_indikator": ", ".join(f"{c} {int(counts[c])}" for c in order if c in counts),
        "lra_anggaran_rp": int(lra["anggaran_rp"].sum()),
        "lra_realisasi_rp": int(lra["realisasi_rp"].sum()),
    }


def opd_figures(tables: dict[str, pd.DataFrame], year: int, config: Config) -> dict:
    """One OPD's figures from its processed tables: anggaran_rp, realisasi_anggaran_rp,
    capaian_fisik_pct (weighted as configured), capaian_indikator_pct, predikat_indikator,
    the LRA sums and counts (what a row of ``opd_table`` shows)."""
    return _opd_figures(tables, year, config)


def opd_table(
    pemda: PemdaData,
    outcomes: Sequence[Any],
    opd_tables: dict[str, dict[str, pd.DataFrame]],
    config: Config,
) -> pd.DataFrame:
    """Every OPD of opd.csv: budget, serapan, physical capaian, categories, predikat, rank.

    Args:
        pemda: the pemda's tables.
        outcomes: ``lkj.pemda.status.OpdOutcome`` of every OPD.
        opd_tables: from ``load_opd_tables``.
        config: scales and the aggregation method.

    Returns:
        One row per OPD in opd.csv order: kode_opd, nama_opd, singkatan, status,
        jumlah_sub_kegiatan, anggaran_rp, realisasi_anggaran_rp, serapan_pct,
        kategori_anggaran, warna_anggaran, silpa_rp, capaian_fisik_pct, kategori_fisik,
        warna_fisik, jumlah_indikator, capaian_indikator_pct, predikat_kode, predikat,
        warna_predikat, predikat_indikator (count per predikat), lra_anggaran_rp,
        lra_realisasi_rp, lra_serapan_pct, selisih_lra_rp (LRA anggaran minus sub kegiatan
        anggaran), peringkat (nullable). Figures are NaN for an OPD without a report.
    """
    status = {o.kode_opd: o.status for o in outcomes}
    rows = []
    for opd in pemda["opd"].itertuples(index=False):
        row = {
            "kode_opd": opd.kode_opd,
            "nama_opd": opd.nama_opd,
            "singkatan": opd.singkatan,
            "status": status.get(opd.kode_opd, MISSING),
        }
        if opd.kode_opd in opd_tables:
            row.update(_opd_figures(opd_tables[opd.kode_opd], pemda.year, config))
        rows.append(row)
    figures = [
        "jumlah_sub_kegiatan",
        "anggaran_rp",
        "realisasi_anggaran_rp",
        "capaian_fisik_pct",
        "jumlah_indikator",
        "capaian_indikator_pct",
        "predikat_indikator",
        "lra_anggaran_rp",
        "lra_realisasi_rp",
    ]
    out = pd.DataFrame(rows, columns=["kode_opd", "nama_opd", "singkatan", "status", *figures])
    for column in figures:
        if column != "predikat_indikator":
            out[column] = out[column].astype(float)
    out["predikat_indikator"] = out["predikat_indikator"].fillna("")
    out = add_realisasi_columns(out, config, "anggaran_rp", "realisasi_anggaran_rp")
    out["kategori_fisik"] = categorize(out["capaian_fisik_pct"], config.realisasi)
    out["warna_fisik"] = categorize(out["capaian_fisik_pct"], config.realisasi, "color")
    out["predikat_kode"] = categorize(out["capaian_indikator_pct"], config.predikat, "code")
    out["predikat"] = categorize(out["capaian_indikator_pct"], config.predikat)
    out["warna_predikat"] = categorize(out["capaian_indikator_pct"], config.predikat, "color")
    out["lra_serapan_pct"] = capaian_series(
        out["lra_anggaran_rp"].fillna(0), out["lra_realisasi_rp"].fillna(0), POSITIVE
    ).where(out["lra_anggaran_rp"].notna())
    out["selisih_lra_rp"] = out["lra_anggaran_rp"] - out["anggaran_rp"]
    out["peringkat"] = _rank(out)
    return out


def _rank(frame: pd.DataFrame) -> pd.Series:
    ranked = frame[frame["status"].isin(BUILT)]
    keys = {
        i: (
            _printed(r.capaian_indikator_pct),
            _printed(r.capaian_fisik_pct),
            _printed(r.serapan_pct),
        )
        for i, r in ranked.iterrows()
    }
    order = sorted(keys, key=lambda i: keys[i], reverse=True)
    ranks: dict[int, int] = {}
    for position, i in enumerate(order, start=1):
        previous = order[position - 2] if position > 1 else None
        same = previous is not None and keys[previous] == keys[i]
        ranks[i] = ranks[previous] if same else position
    return pd.Series([ranks.get(i, pd.NA) for i in frame.index], index=frame.index, dtype="Int64")


def totals(
    opd: pd.DataFrame, opd_tables: dict[str, dict[str, pd.DataFrame]], config: Config
) -> dict:
    """The pemda's totals over the OPDs with a report.

    Returns:
        anggaran_rp, realisasi_anggaran_rp, serapan_pct, silpa_rp, kategori_anggaran,
        capaian_fisik_pct (aggregated over every sub kegiatan of those OPDs), kategori_fisik,
        lra_anggaran_rp, lra_realisasi_rp, lra_serapan_pct, jumlah_opd (with a report),
        jumlah_sub_kegiatan.
    """
    built = opd[opd["status"].isin(BUILT)]
    subs = [t["capaian_sub_kegiatan"] for t in opd_tables.values()]
    sub = pd.concat(subs) if subs else pd.DataFrame(columns=["capaian_fisik_pct", "anggaran_rp"])
    frame = pd.DataFrame(
        [
            {
                "anggaran_rp": int(built["anggaran_rp"].sum()),
                "realisasi_anggaran_rp": int(built["realisasi_anggaran_rp"].sum()),
                "lra_anggaran_rp": int(built["lra_anggaran_rp"].sum()),
                "lra_realisasi_rp": int(built["lra_realisasi_rp"].sum()),
            }
        ]
    )
    frame = add_realisasi_columns(frame, config, "anggaran_rp", "realisasi_anggaran_rp")
    out = frame.iloc[0].to_dict()
    out["lra_serapan_pct"] = float(
        capaian_series(frame["lra_anggaran_rp"], frame["lra_realisasi_rp"], POSITIVE).iloc[0]
    )
    fisik = (
        weighted_capaian(
            sub["capaian_fisik_pct"].astype(float),
            sub["anggaran_rp"].astype(float),
            config.aggregation_method,
        )
        if len(sub)
        else float("nan")
    )
    out["capaian_fisik_pct"] = fisik
    out["kategori_fisik"] = categorize(pd.Series([fisik]), config.realisasi).iloc[0]
    out["jumlah_opd"] = len(built)
    out["jumlah_sub_kegiatan"] = len(sub)
    return out


def cascade_table(
    pemda: PemdaData, opd_tables: dict[str, dict[str, pd.DataFrame]], config: Config
) -> pd.DataFrame:
    """For each RPJMD sasaran, the OPD sasaran and programmes behind it, with their budgets.

    Programmes reach an RPJMD sasaran through their OPD sasaran (``program.kode_sasaran``)
    and the cascade (``sasaran_opd``); support programmes (no sasaran) reach none.

    Returns:
        One row per programme: kode_sasaran_rpjmd, uraian_sasaran_rpjmd, kode_opd, nama_opd,
        kode_sasaran, uraian_sasaran, kode_program, nama_program, anggaran_rp,
        realisasi_anggaran_rp, serapan_pct, kategori_anggaran, warna_anggaran,
        capaian_fisik_pct, kategori_fisik, warna_fisik; sorted by RPJMD sasaran, opd.csv
        order, programme.
    """
    order = {k: i for i, k in enumerate(pemda["opd"]["kode_opd"])}
    names = dict(zip(pemda["opd"]["kode_opd"], pemda["opd"]["nama_opd"], strict=True))
    links = pemda["sasaran_opd"]
    frames = []
    for kode, tables in opd_tables.items():
        prog = tables["capaian_program"]
        prog = prog[prog["kode_sasaran"] != ""].merge(
            tables["sasaran"][["kode_sasaran", "uraian_sasaran"]], on="kode_sasaran"
        )
        mine = links[links["kode_opd"] == kode][["kode_sasaran", "kode_sasaran_rpjmd"]]
        prog = prog.merge(mine, on="kode_sasaran")
        prog["kode_opd"] = kode
        prog["nama_opd"] = names[kode]
        frames.append(prog)
    columns = [
        "kode_sasaran_rpjmd",
        "uraian_sasaran_rpjmd",
        "kode_opd",
        "nama_opd",
        "kode_sasaran",
        "uraian_sasaran",
        "kode_program",
        "nama_program",
        "anggaran_rp",
        "realisasi_anggaran_rp",
        "capaian_fisik_pct",
    ]
    if not frames:
        out = pd.DataFrame(columns=columns)
    else:
        out = pd.concat(frames, ignore_index=True).merge(
            pemda["sasaran_rpjmd"][["kode_sasaran_rpjmd", "uraian_sasaran_rpjmd"]],
            on="kode_sasaran_rpjmd",
        )[columns]
    out = add_realisasi_columns(out, config, "anggaran_rp", "realisasi_anggaran_rp")
    out["kategori_fisik"] = categorize(out["capaian_fisik_pct"], config.realisasi)
    out["warna_fisik"] = categorize(out["capaian_fisik_pct"], config.realisasi, "color")
    out["_opd"] = out["kode_opd"].map(order)
    out = out.sort_values(["kode_sasaran_rpjmd", "_opd", "kode_program"]).drop(columns="_opd")
    return out.reset_index(drop=True)


def sasaran_rpjmd_table(
    pemda: PemdaData,
    cascade: pd.DataFrame,
    opd_tables: dict[str, dict[str, pd.DataFrame]],
    config: Config,
) -> pd.DataFrame:
    """Each RPJMD sasaran: how many OPDs and programmes support it, their budgets summed.

    Returns:
        One row per RPJMD sasaran: kode_sasaran_rpjmd, uraian_sasaran_rpjmd, jumlah_opd,
        jumlah_program, anggaran_rp, realisasi_anggaran_rp, serapan_pct, kategori_anggaran,
        warna_anggaran, silpa_rp, capaian_fisik_pct (aggregated over the sub kegiatan of those
        programmes), kategori_fisik, warna_fisik.
    """
    rows = []
    for sr in pemda["sasaran_rpjmd"].itertuples(index=False):
        mine = cascade[cascade["kode_sasaran_rpjmd"] == sr.kode_sasaran_rpjmd]
        subs = []
        for kode, group in mine.groupby("kode_opd"):
            sub = opd_tables[kode]["capaian_sub_kegiatan"]
            subs.append(sub[sub["kode_program"].isin(set(group["kode_program"]))])
        sub = pd.concat(subs) if subs else None
        rows.append(
            {
                "kode_sasaran_rpjmd": sr.kode_sasaran_rpjmd,
                "uraian_sasaran_rpjmd": sr.uraian_sasaran_rpjmd,
                "jumlah_opd": mine["kode_opd"].nunique(),
                "jumlah_program": len(mine),
                "anggaran_rp": int(mine["anggaran_rp"].sum()),
                "realisasi_anggaran_rp": int(mine["realisasi_anggaran_rp"].sum()),
                "capaian_fisik_pct": weighted_capaian(
                    sub["capaian_fisik_pct"].astype(float),
                    sub["anggaran_rp"].astype(float),
                    config.aggregation_method,
                )
                if sub is not None and len(sub)
                else float("nan"),
            }
        )
    out = pd.DataFrame(rows)
    out = add_realisasi_columns(out, config, "anggaran_rp", "realisasi_anggaran_rp")
    out["kategori_fisik"] = categorize(out["capaian_fisik_pct"], config.realisasi)
    out["warna_fisik"] = categorize(out["capaian_fisik_pct"], config.realisasi, "color")
    return out


def kualitas_table(
    ws: Workspace,
    pemda: PemdaData,
    outcomes: Sequence[Any],
    opd_tables: dict[str, dict[str, pd.DataFrame]],
    display: Callable[[Path], str],
) -> pd.DataFrame:
    """The data quality findings of the pemda: what the LKjIP could not use, and why.

    Args:
        ws: the workspace.
        pemda: the pemda's tables.
        outcomes: ``lkj.pemda.status.OpdOutcome`` of every OPD.
        opd_tables: from ``load_opd_tables``.
        display: a path as the user knows it.

    Returns:
        One row per finding: jenis (tidak ada data, gagal, sasaran tidak terhubung, tautan
        cascade tanpa sasaran, folder tidak terdaftar, LRA berbeda), kode_opd, nama_opd,
        keterangan (naming the file, row and column where there is one).
    """
    names = dict(zip(pemda["opd"]["kode_opd"], pemda["opd"]["nama_opd"], strict=True))
    rows = []
    for o in outcomes:
        if o.status == MISSING:
            folder = ws.opd_raw_root(o.kode_opd) / str(pemda.year)
            rows.append(
                (
                    "tidak ada data",
                    o.kode_opd,
                    names[o.kode_opd],
                    f"folder {display(folder)} tidak ditemukan",
                )  # fmt: skip
            )
        elif o.status == FAILED:
            rows.append(("gagal", o.kode_opd, names[o.kode_opd], o.error))
    links = pemda["sasaran_opd"]
    source = pemda.sources["sasaran_opd"].describe()
    for kode, tables in opd_tables.items():
        own = tables["sasaran"]
        linked = set(links.loc[links["kode_opd"] == kode, "kode_sasaran"])
        sasaran_file = display(ws.opd_raw_root(kode) / str(pemda.year) / "sasaran.csv")
        for s in own.itertuples(index=False):
            if s.kode_sasaran not in linked:
                rows.append(
                    (
                        "sasaran tidak terhubung",
                        kode,
                        names[kode],
                        f"sasaran {s.kode_sasaran} ({s.uraian_sasaran}) dari {sasaran_file} "
                        f"tidak punya baris di {source}: tidak mendukung sasaran RPJMD mana pun",
                    )
                )
        known = set(own["kode_sasaran"])
        for idx, link in links[links["kode_opd"] == kode].iterrows():
            if link["kode_sasaran"] not in known:
                rows.append(
                    (
                        "tautan cascade tanpa sasaran",
                        kode,
                        names[kode],
                        f"{source}, baris {int(idx) + 2}, kolom kode_sasaran: "
                        f"{link['kode_sasaran']!r} tidak ada di {sasaran_file}",
                    )
                )
    for folder in unlisted_opd_folders(ws, pemda):
        rows.append(
            (
                "folder tidak terdaftar",
                folder,
                "",
                f"{display(ws.opd_raw_root(folder))} tidak tercantum di "
                f"{pemda.sources['opd'].describe()}; datanya tidak dipakai",
            )
        )
    return pd.DataFrame(rows, columns=["jenis", "kode_opd", "nama_opd", "keterangan"])


def lra_differences(opd: pd.DataFrame) -> pd.DataFrame:
    """OPDs whose LRA anggaran or realisasi differs from the sum of their sub kegiatan."""
    built = opd[opd["status"].isin(BUILT)]
    differs = (built["lra_anggaran_rp"] != built["anggaran_rp"]) | (
        built["lra_realisasi_rp"] != built["realisasi_anggaran_rp"]
    )
    return built[differs].reset_index(drop=True)


def consolidate(
    ws: Workspace, pemda: PemdaData, outcomes: Sequence[Any], config: Config
) -> dict[str, Any]:
    """Every table of the LKjIP.

    Args:
        ws: the workspace.
        pemda: the pemda's tables.
        outcomes: ``lkj.pemda.status.OpdOutcome`` of every OPD (in opd.csv order).
        config: scales and methods.

    Returns:
        pemda, year, iku, opd, totals, cascade, sasaran_rpjmd, status_rpjmd (each IKU against
        the RPJMD end target: ``lkj.analysis.analisis_pemda``), tahun_akhir_rpjmd, pembanding
        (the IKU with a benchmark), efisiensi (per sasaran RPJMD), kualitas, lra_beda,
        rank_criterion, sources (pemda files with their SHA-256).
    """

    from lkj.data.sources import display_path

    opd_tables = load_opd_tables(ws, pemda.year, outcomes)
    opd = opd_table(pemda, outcomes, opd_tables, config)
    cascade = cascade_table(pemda, opd_tables, config)
    iku = iku_table(pemda, config)
    end_year = tahun_akhir_rpjmd(pemda.info("periode_rpjmd"))
    status = status_rpjmd(iku, pemda.year, end_year)
    sasaran = sasaran_rpjmd_table(pemda, cascade, opd_tables, config)
    return {
        "pemda": pemda,
        "year": pemda.year,
        "iku": iku,
        "opd": opd,
        "totals": totals(opd, opd_tables, config),
        "cascade": cascade,
        "sasaran_rpjmd": sasaran,
        "status_rpjmd": status,
        "tahun_akhir_rpjmd": end_year,
        "pembanding": pembanding_iku(pemda.tables.get("pembanding_iku"), status, pemda.year),
        "efisiensi": efisiensi_rpjmd(sasaran, config),
        "kualitas": kualitas_table(ws, pemda, outcomes, opd_tables, display_path),
        "lra_beda": lra_differences(opd),
        "rank_criterion": RANK_CRITERION,
        "sources": [
            {"file": display_path(p), "sha256": sha256_file(p)} for p in pemda.input_files()
        ],
    }
