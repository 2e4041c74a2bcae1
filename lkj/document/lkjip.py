"""The LKjIP document, built from the consolidated tables (``lkj.pemda.lkjip.consolidate``).

The LKjIP is a document of the project's table model (``lkj.document.tables``,
``lkj.document.model``):
every table built once as data with ``frame_table``, the chapters as Jinja templates under
lkj/templates/lkjip/ that place them, numbering from order. It is rendered like the OPD
report: HTML by ``lkj.render.to_html``, PDF by ``lkj.render.to_pdf`` (Typst) and DOCX by
``lkj.render.to_docx``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from lkj.core.config import Config
from lkj.core.fmt import format_pct, format_rp
from lkj.document.model import (
    Cover,
    Document,
    Figure,
    Part,
    Signature,
    Toc,
    number_blocks,
    render_template,
)
from lkj.document.tables import Col, cell, frame_table

BUILT = ("dibangun", "mutakhir")


def _built(row: pd.Series) -> bool:
    return row.get("status", "dibangun") in BUILT


def _fig(key: str, kind: str) -> Any:
    """A column value of a row, "-" for an OPD without a report (not "tidak dapat dihitung")."""
    return lambda row: row[key] if _built(row) else cell(None, kind)


def _rank_text(row: pd.Series) -> str:
    if pd.notna(row["peringkat"]):
        return str(int(row["peringkat"]))
    return {"gagal": "gagal diolah", "tidak ada": "tidak ada data"}.get(row["status"], "-")


def _chapter(name: str, **context: Any) -> list:
    return render_template(f"lkjip/{name}.xml.j2", **context)


def lkjip_document(data: dict[str, Any], config: Config, figures: dict[str, Path]) -> Document:
    """The LKjIP as a document: cover, kata pengantar, daftar isi, ringkasan eksekutif,
    Bab I–IV and the data quality chapter, its tables and figures numbered.

    Args:
        data: from ``lkj.pemda.lkjip.consolidate``.
        config: scales and methods.
        figures: grafik name ("iku", "serapan") -> PNG file.

    Returns:
        The document.
    """
    pemda, year = data["pemda"], data["year"]
    nama = pemda.info("nama_pemda")
    jabatan = pemda.info("kepala_daerah_jabatan")
    iku, opd, tot = data["iku"], data["opd"], data["totals"]
    iku_year = iku[iku["is_tahun_laporan"]].reset_index(drop=True)
    built = opd[opd["status"].isin(BUILT)].reset_index(drop=True)
    failed = opd[opd["status"] == "gagal"]
    missing = opd[opd["status"] == "tidak ada"]
    wilayah = nama.replace("Kabupaten ", "").replace("Kota ", "").replace("Provinsi ", "")
    ttd = Signature(
        f"{pemda.info('ibu_kota')}, ........................ {year + 1}".lstrip(", "),
        (f"{jabatan} {wilayah},",),
        pemda.info("kepala_daerah_nama"),
    )
    coverage = (
        f"{len(built)} dari {len(opd)} perangkat daerah"
        + (f"; {len(failed)} gagal diolah" if len(failed) else "")
        + (f"; {len(missing)} belum menyampaikan data" if len(missing) else "")
    )
    common = {
        "nama": nama,
        "year": year,
        "jabatan": jabatan,
        "periode": pemda.info("periode_rpjmd"),
    }
    iku_cols = [
        Col("Indikator Kinerja Utama", "uraian_iku", width=2.5),
        Col("Satuan", "satuan"),
        Col("Target", "target", "desimal"),
        Col("Realisasi", "realisasi", "desimal"),
        Col("Capaian (%)", "capaian_pct", "pct"),
        Col("Predikat", "predikat", "kategori", "warna_predikat"),
    ]

    # ---------------------------------------------------------------- ringkasan eksekutif
    counts = iku_year["predikat"].replace("", "tidak dapat dihitung").value_counts()
    s = {
        "iku": f"Pada tahun {year}, {len(iku_year)} IKU {nama} diukur: "
        + ", ".join(f"{n} berpredikat {p}" for p, n in counts.items())
        + ".",
        "anggaran": f"Anggaran {len(built)} perangkat daerah yang laporannya tersusun sebesar "
        f"{format_rp(tot['anggaran_rp'])} terealisasi {format_rp(tot['realisasi_anggaran_rp'])} "
        f"({format_pct(tot['serapan_pct'])}, kategori {tot['kategori_anggaran'] or '-'}); "
        f"capaian fisik {format_pct(tot['capaian_fisik_pct'])} "
        f"(kategori {tot['kategori_fisik'] or '-'}).",
    }
    findings = []
    ranked = built.sort_values("peringkat")
    if len(ranked):
        top, bottom = ranked.iloc[0], ranked.iloc[-1]
        findings.append(
            f"Peringkat 1: {top.nama_opd} (rata-rata capaian indikator "
            f"{format_pct(top.capaian_indikator_pct)}); peringkat terakhir: {bottom.nama_opd} "
            f"({format_pct(bottom.capaian_indikator_pct)})."
        )
    if len(failed):
        findings.append(
            f"{len(failed)} perangkat daerah gagal diolah karena datanya tidak sah: "
            + ", ".join(failed["nama_opd"])
            + " (lihat Catatan Kualitas Data)."
        )
    if len(missing):
        findings.append(
            f"{len(missing)} perangkat daerah belum menyampaikan data: "
            + ", ".join(missing["nama_opd"])
            + "."
        )
    if len(data["kualitas"]):
        findings.append(f"Catatan Kualitas Data memuat {len(data['kualitas'])} temuan.")
    ringkasan = _chapter(
        "ringkasan_eksekutif",
        s=s,
        findings=findings,
        t={"ringkasan_iku": frame_table(
            "lkjip_ringkasan_iku", f"Capaian IKU {nama} Tahun {year}", iku_year, iku_cols
        )},
    )  # fmt: skip

    # ---------------------------------------------------------------- Bab I, II
    opd_list = opd.merge(pemda["opd"][["kode_opd", "kepala_nama"]], on="kode_opd")
    bab_i = _chapter(
        "bab_i",
        **common,
        n_opd=len(opd),
        t={"opd": frame_table(
            "lkjip_opd_daftar",
            f"Perangkat Daerah {nama}",
            opd_list,
            [Col("Kode", "kode_opd"), Col("Perangkat Daerah", "nama_opd", width=2.5),
             Col("Kepala", "kepala_nama", width=1.5), Col("Status data", "status")],
        )},
    )  # fmt: skip
    iku_def = iku_year.drop_duplicates("kode_iku")
    bab_ii = _chapter(
        "bab_ii",
        **common,
        visi=pemda.info("visi"),
        misi=[m.strip() for m in pemda.info("misi").split("|") if m.strip()],
        t={
            "sasaran_iku": frame_table(
                "lkjip_sasaran_iku",
                "Sasaran RPJMD dan Indikator Kinerja Utama",
                iku_def,
                [
                    Col("Sasaran RPJMD", "uraian_sasaran_rpjmd", width=2),
                    Col("Indikator Kinerja Utama", "uraian_iku", width=2),
                    Col("Satuan", "satuan"),
                    Col("Polaritas", "polaritas"),
                    Col("Kondisi awal", "kondisi_awal", "desimal"),
                    Col("Target akhir RPJMD", "target_akhir_rpjmd", "desimal"),
                ],
            ),
            "pk": frame_table(
                "lkjip_pk",
                f"Perjanjian Kinerja {jabatan} Tahun {year}",
                iku_year,
                [
                    Col("Sasaran RPJMD", "uraian_sasaran_rpjmd", width=2),
                    Col("Indikator Kinerja Utama", "uraian_iku", width=2),
                    Col("Target", "target", "desimal"),
                    Col("Satuan", "satuan"),
                ],
            ),
        },
    )

    # ---------------------------------------------------------------- Bab III
    scale = pd.DataFrame(
        [{"kode": c.code, "label": c.label, "interval": c.interval, "warna": c.color}
         for c in config.predikat.categories]
    )  # fmt: skip
    years = sorted(int(y) for y in iku["tahun"].unique())
    hist = iku_def[["kode_iku", "uraian_iku", "satuan", "target_akhir_rpjmd",
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
    cascade = data["cascade"]
    per_sasaran = []
    for sr in data["sasaran_rpjmd"].itertuples(index=False):
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
                "table": frame_table(
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
                    landscape=True,
                )
                if len(mine)
                else None,
            }
        )
    method = (
        "rata-rata tertimbang anggaran"
        if config.aggregation_method == "tertimbang_anggaran"
        else "rata-rata"
    )
    opd_rows = opd.assign(peringkat_text=opd.apply(_rank_text, axis=1))
    bab_iii = _chapter(
        "bab_iii",
        **common,
        basis=config.predikat.basis,
        rank_criterion=data["rank_criterion"],
        per_sasaran=per_sasaran,
        grafik={
            "iku": Figure("grafik_iku_pemda", figures["iku"], f"Capaian IKU {nama} {year}"),
            "opd": Figure(
                "grafik_opd",
                figures["serapan"],
                f"Capaian Fisik dan Serapan Anggaran Perangkat Daerah {year}",
            ),
        },
        s={
            "kinerja_opd": "Anggaran dan realisasi setiap perangkat daerah adalah jumlah sub "
            "kegiatannya, sama dengan laporan kinerjanya sendiri. Capaian fisik: agregasi "
            f"capaian sub kegiatan ({method}). Capaian indikator: rata-rata capaian indikator "
            f"kinerja sasaran perangkat daerah tahun {year}, dengan predikatnya; jumlah "
            "indikator per predikat di kolom berikutnya.",
            "realisasi": f"Realisasi anggaran {len(built)} perangkat daerah: "
            f"{format_rp(tot['realisasi_anggaran_rp'])} dari {format_rp(tot['anggaran_rp'])} "
            f"({format_pct(tot['serapan_pct'])}) menurut sub kegiatan. Laporan Realisasi "
            "Anggaran (LRA) perangkat daerah, sebagai sumber tersendiri, mencatat "
            f"{format_rp(tot['lra_realisasi_rp'])} dari {format_rp(tot['lra_anggaran_rp'])} "
            f"({format_pct(tot['lra_serapan_pct'])}).",
        },
        t={
            "skala": frame_table(
                "lkjip_skala",
                config.predikat.name,
                scale,
                [
                    Col("Predikat", "kode"),
                    Col("Interpretasi", "label"),
                    Col("Interval capaian (%)", "interval"),
                ],
            ),  # fmt: skip
            "iku": frame_table(
                "lkjip_iku",
                f"Capaian IKU {nama} Tahun {year}",
                iku_year,
                [
                    Col("Sasaran RPJMD", "uraian_sasaran_rpjmd", width=2),
                    *iku_cols,
                    Col("Target akhir RPJMD", "target_akhir_rpjmd", "desimal"),
                    Col("Capaian thd target akhir (%)", "capaian_rpjmd_pct", "pct"),
                ],
                landscape=True,
            ),
            "riwayat": frame_table(
                "lkjip_iku_antar_tahun",
                "Realisasi dan Capaian IKU Antar Tahun",
                hist,
                hist_cols,
                landscape=True,
            ),
            "sasaran_rpjmd": frame_table(
                "lkjip_sasaran_rpjmd",
                "Anggaran dan Realisasi per Sasaran RPJMD",
                data["sasaran_rpjmd"],
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
                landscape=True,
            ),
            "opd": frame_table(
                "lkjip_kinerja_opd",
                f"Kinerja dan Realisasi Anggaran Perangkat Daerah Tahun {year}",
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
                landscape=True,
                small=True,
            ),
            "lra": frame_table(
                "lkjip_lra",
                "Anggaran menurut Sub Kegiatan dan menurut LRA per Perangkat Daerah",
                built,
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
                    "Selisih anggaran LRA − sub kegiatan (Rp)": tot["lra_anggaran_rp"]
                    - tot["anggaran_rp"],
                },
                landscape=True,
            ),
        },
    )

    # ---------------------------------------------------------------- Bab IV, data quality
    below = iku_year[iku_year["capaian_pct"] < 100]
    bab_iv = _chapter(
        "bab_iv",
        **common,
        ttd=ttd,
        s={
            "penutup": f"LKjIP {nama} Tahun {year} menunjukkan capaian {len(iku_year)} IKU "
            f"pemerintah daerah dan kinerja {coverage}. Serapan anggaran perangkat daerah "
            f"{format_pct(tot['serapan_pct'])} dengan capaian fisik "
            f"{format_pct(tot['capaian_fisik_pct'])}.",
            "perhatian": "IKU yang belum mencapai target dan memerlukan perhatian: "
            + "; ".join(
                f"{r.uraian_iku} ({format_pct(r.capaian_pct)})"
                for r in below.itertuples(index=False)
            )
            + "."
            if len(below)
            else "",
        },
    )
    kualitas, lra_beda = data["kualitas"], data["lra_beda"]
    kualitas_part = _chapter(
        "kualitas",
        n=len(kualitas),
        t={
            "temuan": frame_table(
                "lkjip_kualitas",
                "Temuan Kualitas Data",
                kualitas,
                [
                    Col("Jenis", "jenis"),
                    Col("Kode", "kode_opd"),
                    Col("Perangkat Daerah", "nama_opd", width=1.5),
                    Col("Keterangan", "keterangan", width=4),
                ],
            )  # fmt: skip
            if len(kualitas)
            else None,
            "lra_beda": frame_table(
                "lkjip_lra_beda",
                "LRA yang Berbeda dari Jumlah Sub Kegiatan",
                lra_beda,
                [
                    Col("Perangkat Daerah", "nama_opd", width=2),
                    Col("Anggaran sub kegiatan (Rp)", "anggaran_rp", "rp"),
                    Col("Anggaran LRA (Rp)", "lra_anggaran_rp", "rp"),
                    Col("Realisasi sub kegiatan (Rp)", "realisasi_anggaran_rp", "rp"),
                    Col("Realisasi LRA (Rp)", "lra_realisasi_rp", "rp"),
                ],
            )
            if len(lra_beda)
            else None,
            "sumber": frame_table(
                "lkjip_sumber",
                "Berkas Data Pemerintah Daerah",
                pd.DataFrame(data["sources"]),
                [
                    Col("Berkas", "file", width=2),
                    Col("SHA-256", lambda r: cell(r["sha256"], mono=True), width=3),
                ],
            ),  # fmt: skip
        },
    )
    cover = Cover(
        title=("LAPORAN KINERJA INSTANSI PEMERINTAH (LKjIP)", f"TAHUN {year}"),
        subtitle="",
        organisation=(f"PEMERINTAH {nama.upper()}",),
        image=pemda.lambang,
        synthetic=pemda.synthetic,
    )
    parts = [
        Part("sampul", [cover]),
        Part("kata_pengantar", _chapter("kata_pengantar", **common, coverage=coverage, ttd=ttd)),
        Part("daftar_isi", [Toc()]),
        Part("ringkasan_eksekutif", ringkasan),
        Part("bab_i", bab_i),
        Part("bab_ii", bab_ii),
        Part("bab_iii", bab_iii),
        Part("bab_iv", bab_iv),
        Part("kualitas", kualitas_part),
    ]
    doc = Document(title=f"LKjIP {nama} Tahun {year}", parts=parts, author=nama)
    number_blocks(doc.blocks)
    return doc


__all__ = ["lkjip_document"]
