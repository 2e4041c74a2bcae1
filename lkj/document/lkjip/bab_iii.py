"""Bab III of the LKjIP: the predikat scale, the IKU this year and over the years, each sasaran
RPJMD with the OPDs and programs behind it, the budget per sasaran RPJMD, the performance and
budget of every OPD (with its rank) and its LRA beside its sub kegiatan."""

from __future__ import annotations

from typing import Any

import pandas as pd

from lkj.core.config import Config
from lkj.core.fmt import format_pct, format_rp
from lkj.document.lkjip.analisis import analisis_context
from lkj.document.lkjip.context import BUILT, LkjipContext, _chapter
from lkj.document.model import Figure
from lkj.document.tables import Col, Table, cell, frame_table


def _built(row: pd.Series) -> bool:
    return row.get("status", "dibangun") in BUILT


def _fig(key: str, kind: str) -> Any:
    """A column value of a row, "-" for an OPD without a report (not "tidak dapat dihitung")."""
    return lambda row: row[key] if _built(row) else cell(None, kind)


def _rank_text(row: pd.Series) -> str:
    if pd.notna(row["peringkat"]):
        return str(int(row["peringkat"]))
    return {"gagal": "gagal diolah", "tidak ada": "tidak ada data"}.get(row["status"], "-")


def bab_iii_blocks(c: LkjipContext) -> list:
    """Bab III Akuntabilitas Kinerja: its tables, figures and sentences, placed by
    lkj/templates/lkjip/bab_iii.xml.j2."""
    config, nama, year = c.config, c.nama, c.year
    skala = _skala_table(config)
    riwayat = _history_table(c)
    per_sasaran = _per_sasaran(c)
    return _chapter(
        "bab_iii",
        **c.common,
        basis=config.predikat.basis,
        rank_criterion=c.data["rank_criterion"],
        per_sasaran=per_sasaran,
        analisis=analisis_context(c),
        grafik={
            "iku": Figure("grafik_iku_pemda", c.figures["iku"], f"Capaian IKU {nama} {year}"),
            "opd": Figure(
                "grafik_opd",
                c.figures["serapan"],
                f"Capaian Fisik dan Serapan Anggaran Perangkat Daerah {year}",
            ),
        },
        s=_sentences(c),
        t={
            "skala": skala,
            "iku": frame_table(
                "lkjip_iku",
                f"Capaian IKU {nama} Tahun {year}",
                c.iku_year,
                [
                    Col("Sasaran RPJMD", "uraian_sasaran_rpjmd", width=2),
                    *c.iku_cols,
                    Col("Target akhir RPJMD", "target_akhir_rpjmd", "desimal"),
                    Col("Capaian thd target akhir (%)", "capaian_rpjmd_pct", "pct"),
                ],
            ),
            "riwayat": riwayat,
            "sasaran_rpjmd": _sasaran_rpjmd_table(c),
            "opd": _kinerja_opd_table(c),
            "lra": _lra_table(c),
        },
    )


def _skala_table(config: Config) -> Table:
    """The predikat scale of config/lkj.toml."""
    scale = pd.DataFrame(
        [{"kode": c.code, "label": c.label, "interval": c.interval, "warna": c.color}
         for c in config.predikat.categories]
    )  # fmt: skip
    return frame_table(
        "lkjip_skala",
        config.predikat.name,
        scale,
        [
            Col("Predikat", "kode"),
            Col("Interpretasi", "label"),
            Col("Interval capaian (%)", "interval"),
        ],
    )


def _history_table(c: LkjipContext) -> Table:
    """Realisasi and capaian of each IKU in every year, and against the RPJMD's final target."""
    iku = c.iku
    years = sorted(int(y) for y in iku["tahun"].unique())
    hist = c.iku_def[["kode_iku", "uraian_iku", "satuan", "target_akhir_rpjmd",
                      "capaian_rpjmd_pct"]].copy()  # fmt: skip
    hist_cols = [Col("Indikator Kinerja Utama", "uraian_iku", width=2.5), Col("Satuan", "satuan")]
    for y in years:
        mine = iku[iku["tahun"] == y].set_index("kode_iku")
        hist[f"r{y}"] = hist["kode_iku"].map(mine["realisasi"])
        hist[f"c{y}"] = hist["kode_iku"].map(mine["capaian_pct"])
        hist_cols += [
            Col("Realisasi", f"r{y}", "desimal", group=str(y)),
            Col("Capaian (%)", f"c{y}", "pct", group=str(y)),
        ]
    hist_cols += [
        Col("Target akhir RPJMD", "target_akhir_rpjmd", "desimal"),
        Col("Capaian thd target akhir (%)", "capaian_rpjmd_pct", "pct"),
    ]
    return frame_table(
        "lkjip_iku_antar_tahun",
        "Realisasi dan Capaian IKU Antar Tahun",
        hist,
        hist_cols,
    )


def _per_sasaran(c: LkjipContext) -> list[dict[str, Any]]:
    """For each sasaran RPJMD: its IKU's capaian in a sentence and the OPDs and programs that
    support it (None when none does)."""
    cascade, iku_year = c.data["cascade"], c.iku_year
    per_sasaran = []
    for sr in c.data["sasaran_rpjmd"].itertuples(index=False):
        mine = cascade[cascade["kode_sasaran_rpjmd"] == sr.kode_sasaran_rpjmd]
        iku_sr = iku_year[iku_year["kode_sasaran_rpjmd"] == sr.kode_sasaran_rpjmd]
        per_sasaran.append(
            {
                "uraian": sr.uraian_sasaran_rpjmd,
                "iku": "IKU: "
                + "; ".join(
                    f"{r.uraian_iku}: capaian {format_pct(r.capaian_pct)} "
                    f"({r.predikat or 'tidak dapat dihitung'})"
                    for r in iku_sr.itertuples(index=False)
                )
                + "."
                if len(iku_sr)
                else "",
                "table": _dukungan_table(sr, mine) if len(mine) else None,
            }
        )
    return per_sasaran


def _dukungan_table(sr: Any, mine: pd.DataFrame) -> Table:
    """The OPDs, their sasaran and programs that support the sasaran RPJMD ``sr``."""
    return frame_table(
        f"lkjip_dukungan_{sr.kode_sasaran_rpjmd}",
        f"Perangkat Daerah dan Program Pendukung: {sr.uraian_sasaran_rpjmd}",
        mine,
        [
            Col("Perangkat Daerah", "nama_opd", width=1.5),
            Col("Sasaran OPD", "uraian_sasaran", width=2),
            Col("Program", "nama_program", width=2),
            Col("Anggaran (Rp)", "anggaran_rp", "rp"),
            Col("Realisasi (Rp)", "realisasi_anggaran_rp", "rp"),
            Col("Serapan (%)", "serapan_pct", "pct"),
            Col("Capaian fisik (%)", "capaian_fisik_pct", "pct"),
        ],
        total={
            "Anggaran (Rp)": int(mine["anggaran_rp"].sum()),
            "Realisasi (Rp)": int(mine["realisasi_anggaran_rp"].sum()),
            "Serapan (%)": sr.serapan_pct,
            "Capaian fisik (%)": sr.capaian_fisik_pct,
        },
    )


def _sentences(c: LkjipContext) -> dict[str, str]:
    """How the OPDs' figures are computed, and their budget by sub kegiatan against the LRA."""
    tot = c.tot
    method = (
        "rata-rata tertimbang anggaran"
        if c.config.aggregation_method == "tertimbang_anggaran"
        else "rata-rata"
    )
    return {
        "kinerja_opd": "Anggaran dan realisasi setiap perangkat daerah adalah jumlah sub "
        "kegiatannya, sama dengan laporan kinerjanya sendiri. Capaian fisik: agregasi "
        f"capaian sub kegiatan ({method}). Capaian indikator: rata-rata capaian indikator "
        f"kinerja sasaran perangkat daerah tahun {c.year}, dengan predikatnya; jumlah "
        "indikator per predikat di kolom berikutnya.",
        "realisasi": f"Realisasi anggaran {len(c.built)} perangkat daerah: "
        f"{format_rp(tot['realisasi_anggaran_rp'])} dari {format_rp(tot['anggaran_rp'])} "
        f"({format_pct(tot['serapan_pct'])}) menurut sub kegiatan. Laporan Realisasi "
        "Anggaran (LRA) perangkat daerah, sebagai sumber tersendiri, mencatat "
        f"{format_rp(tot['lra_realisasi_rp'])} dari {format_rp(tot['lra_anggaran_rp'])} "
        f"({format_pct(tot['lra_serapan_pct'])}).",
    }


def _sasaran_rpjmd_table(c: LkjipContext) -> Table:
    """Budget, realisasi and physical capaian per sasaran RPJMD."""
    return frame_table(
        "lkjip_sasaran_rpjmd",
        "Anggaran dan Realisasi per Sasaran RPJMD",
        c.data["sasaran_rpjmd"],
        [
            Col("Sasaran RPJMD", "uraian_sasaran_rpjmd", width=2.5),
            Col("OPD", "jumlah_opd", "angka"),
            Col("Program", "jumlah_program", "angka"),
            Col("Anggaran (Rp)", "anggaran_rp", "rp"),
            Col("Realisasi (Rp)", "realisasi_anggaran_rp", "rp"),
            Col("Serapan (%)", "serapan_pct", "pct"),
            Col("Kategori", "kategori_anggaran", "kategori", "warna_anggaran"),
            Col("Capaian fisik (%)", "capaian_fisik_pct", "pct"),
        ],
    )


def _kinerja_opd_table(c: LkjipContext) -> Table:
    """Every OPD's budget, physical and indicator capaian, predikat and rank ("-" for one
    without a report)."""
    opd, tot = c.opd, c.tot
    opd_rows = opd.assign(peringkat_text=opd.apply(_rank_text, axis=1))
    return frame_table(
        "lkjip_kinerja_opd",
        f"Kinerja dan Realisasi Anggaran Perangkat Daerah Tahun {c.year}",
        opd_rows,
        [
            Col("Perangkat Daerah", "nama_opd", width=2),
            Col("Anggaran (Rp)", _fig("anggaran_rp", "rp"), "rp"),
            Col("Realisasi (Rp)", _fig("realisasi_anggaran_rp", "rp"), "rp"),
            Col("Serapan (%)", _fig("serapan_pct", "pct"), "pct"),
            Col("Kategori anggaran", "kategori_anggaran", "kategori", "warna_anggaran"),
            Col("Capaian fisik (%)", _fig("capaian_fisik_pct", "pct"), "pct"),
            Col("Kategori fisik", "kategori_fisik", "kategori", "warna_fisik"),
            Col("Capaian indikator (%)", _fig("capaian_indikator_pct", "pct"), "pct"),
            Col("Predikat", "predikat", "kategori", "warna_predikat"),
            Col("Jumlah indikator per predikat", "predikat_indikator"),
            Col("Peringkat", "peringkat_text"),
        ],
        total={
            "Anggaran (Rp)": tot["anggaran_rp"],
            "Realisasi (Rp)": tot["realisasi_anggaran_rp"],
            "Serapan (%)": tot["serapan_pct"],
            "Capaian fisik (%)": tot["capaian_fisik_pct"],
        },
        small=True,
    )


def _lra_table(c: LkjipContext) -> Table:
    """Each OPD with a report: its budget by sub kegiatan beside its LRA."""
    tot = c.tot
    return frame_table(
        "lkjip_lra",
        "Anggaran menurut Sub Kegiatan dan menurut LRA per Perangkat Daerah",
        c.built,
        [
            Col("Perangkat Daerah", "nama_opd", width=2),
            Col("Anggaran sub kegiatan (Rp)", "anggaran_rp", "rp"),
            Col("Realisasi sub kegiatan (Rp)", "realisasi_anggaran_rp", "rp"),
            Col("Anggaran LRA (Rp)", "lra_anggaran_rp", "rp"),
            Col("Realisasi LRA (Rp)", "lra_realisasi_rp", "rp"),
            Col("Selisih anggaran LRA − sub kegiatan (Rp)", "selisih_lra_rp", "rp"),
        ],
        total={
            "Anggaran sub kegiatan (Rp)": tot["anggaran_rp"],
            "Realisasi sub kegiatan (Rp)": tot["realisasi_anggaran_rp"],
            "Anggaran LRA (Rp)": tot["lra_anggaran_rp"],
            "Realisasi LRA (Rp)": tot["lra_realisasi_rp"],
            "Selisih anggaran LRA − sub kegiatan (Rp)": tot["lra_anggaran_rp"] - tot["anggaran_rp"],
        },
    )
