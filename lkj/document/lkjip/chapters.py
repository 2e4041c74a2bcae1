"""The chapters of the LKjIP around Bab III: ringkasan eksekutif, Bab I (the pemda and its
OPDs), Bab II (RPJMD, IKU, Perjanjian Kinerja), Bab IV (penutup) and the data quality chapter.
Each builds its tables and sentences; its template under lkj/templates/lkjip/ places them."""

from __future__ import annotations

import pandas as pd

from lkj.core.fmt import format_pct, format_rp
from lkj.core.lke import kalimat_batas_waktu, load_lke
from lkj.document.lkjip.context import LkjipContext, _chapter
from lkj.document.tables import Col, cell, frame_table


def ringkasan_eksekutif_blocks(c: LkjipContext) -> list:
    """The ringkasan eksekutif: the IKU by predikat, the budget, the main findings."""
    nama, year, iku_year, tot = c.nama, c.year, c.iku_year, c.tot
    counts = iku_year["predikat"].replace("", "tidak dapat dihitung").value_counts()
    s = {
        "iku": f"Pada tahun {year}, {len(iku_year)} IKU {nama} diukur: "
        + ", ".join(f"{n} berpredikat {p}" for p, n in counts.items())
        + ".",
        "anggaran": f"Anggaran {len(c.built)} perangkat daerah yang laporannya tersusun sebesar "
        f"{format_rp(tot['anggaran_rp'])} terealisasi {format_rp(tot['realisasi_anggaran_rp'])} "
        f"({format_pct(tot['serapan_pct'])}, kategori {tot['kategori_anggaran'] or '-'}); "
        f"capaian fisik {format_pct(tot['capaian_fisik_pct'])} "
        f"(kategori {tot['kategori_fisik'] or '-'}).",
    }
    return _chapter(
        "ringkasan_eksekutif",
        s=s,
        findings=_findings(c),
        t={"ringkasan_iku": frame_table(
            "lkjip_ringkasan_iku", f"Capaian IKU {nama} Tahun {year}", iku_year, c.iku_cols
        )},
    )  # fmt: skip


def _findings(c: LkjipContext) -> list[str]:
    """The main findings: the first and last OPD by rank, the OPDs failed or missing, the
    data quality findings."""
    failed, missing = c.failed, c.missing
    findings = []
    ranked = c.built.sort_values("peringkat")
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
    if len(c.data["kualitas"]):
        findings.append(f"Catatan Kualitas Data memuat {len(c.data['kualitas'])} temuan.")
    return findings


def bab_i_blocks(c: LkjipContext) -> list:
    """Bab I: the pemda and the list of its OPDs with their heads and data status."""
    opd = c.opd
    opd_list = opd.merge(c.pemda["opd"][["kode_opd", "kepala_nama"]], on="kode_opd")
    return _chapter(
        "bab_i",
        **c.common,
        n_opd=len(opd),
        batas_waktu=kalimat_batas_waktu(c.year, load_lke(), pemda=True),
        t={"opd": frame_table(
            "lkjip_opd_daftar",
            f"Perangkat Daerah {c.nama}",
            opd_list,
            [Col("Kode", "kode_opd"), Col("Perangkat Daerah", "nama_opd", width=2.5),
             Col("Kepala", "kepala_nama", width=1.5), Col("Status data", "status")],
        )},
    )  # fmt: skip


def bab_ii_blocks(c: LkjipContext) -> list:
    """Bab II: visi and misi, the sasaran RPJMD with their IKU, the Perjanjian Kinerja."""
    pemda = c.pemda
    return _chapter(
        "bab_ii",
        **c.common,
        visi=pemda.info("visi"),
        misi=[m.strip() for m in pemda.info("misi").split("|") if m.strip()],
        t={
            "sasaran_iku": frame_table(
                "lkjip_sasaran_iku",
                "Sasaran RPJMD dan Indikator Kinerja Utama",
                c.iku_def,
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
                f"Perjanjian Kinerja {c.jabatan} Tahun {c.year}",
                c.iku_year,
                [
                    Col("Sasaran RPJMD", "uraian_sasaran_rpjmd", width=2),
                    Col("Indikator Kinerja Utama", "uraian_iku", width=2),
                    Col("Target", "target", "desimal"),
                    Col("Satuan", "satuan"),
                ],
            ),
        },
    )


def bab_iv_blocks(c: LkjipContext) -> list:
    """Bab IV Penutup: what the LKjIP shows, the IKU below target, the signature."""
    nama, year, iku_year, tot = c.nama, c.year, c.iku_year, c.tot
    below = iku_year[iku_year["capaian_pct"] < 100]
    return _chapter(
        "bab_iv",
        **c.common,
        ttd=c.ttd,
        s={
            "penutup": f"LKjIP {nama} Tahun {year} menunjukkan capaian {len(iku_year)} IKU "
            f"pemerintah daerah dan kinerja {c.coverage}. Serapan anggaran perangkat daerah "
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


def kualitas_blocks(c: LkjipContext) -> list:
    """The data quality chapter: the findings, the LRA that differ from their sub kegiatan,
    the pemda's data files with their SHA-256."""
    data = c.data
    kualitas, lra_beda = data["kualitas"], data["lra_beda"]
    return _chapter(
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
