"""Bab III 3.7 of the LKjIP: the analyses the LKE (component 3.b) asks per IKU and sasaran
RPJMD, computed from the data (``lkj.analysis.analisis_pemda``): each IKU against the RPJMD end
target with the projection and status, against a benchmark ("tidak tersedia" when the data has
none), every sasaran RPJMD's efficiency, and its efforts, obstacles and recommendations from the
pemda's own narasi (``lkj.document.narasi_pemda``), the missing ones listed."""

from __future__ import annotations

from typing import Any

import pandas as pd

from lkj.analysis.jangka_menengah import metode_proyeksi
from lkj.document.laporan.skala import efficiency_sentence
from lkj.document.lkjip.context import LkjipContext
from lkj.document.narasi_pemda import kesenjangan, narasi_sasaran
from lkj.document.tables import Col, Table, frame_table


def _tahun_akhir(r: pd.Series) -> str:
    return "-" if pd.isna(r["tahun_akhir"]) else str(int(r["tahun_akhir"]))


def status_table(c: LkjipContext) -> Table:
    """Each IKU of the year against its RPJMD end target: projection and status."""
    return frame_table(
        "lkjip_status_rpjmd",
        f"Status Capaian IKU terhadap Target Akhir RPJMD Tahun {c.year}",
        c.data["status_rpjmd"],
        [
            Col("Kode", "kode_iku"),
            Col("Indikator Kinerja Utama", "uraian_iku", width=2.5),
            Col("Satuan", "satuan"),
            Col(f"Realisasi {c.year}", "realisasi", "desimal"),
            Col("Target akhir RPJMD", "target_akhir_rpjmd", "desimal"),
            Col("Tahun akhir", _tahun_akhir),
            Col("Capaian thd target akhir (%)", "capaian_rpjmd_pct", "pct"),
            Col("Tahun data", "tahun_data"),
            Col("Proyeksi akhir periode", "proyeksi", "desimal"),
            Col("Status", lambda r: r["status"] or "-"),
        ],
    )


def pembanding_table(c: LkjipContext) -> Table | None:
    """The IKU with a benchmark for the year (None when the data gives none)."""
    bench = c.data["pembanding"]
    if bench.empty:
        return None
    return frame_table(
        "lkjip_pembanding",
        f"Perbandingan Realisasi IKU dengan Pembanding Tahun {c.year}",
        bench,
        [
            Col("Kode", "kode_iku"),
            Col("Indikator Kinerja Utama", "uraian_iku", width=2),
            Col("Satuan", "satuan"),
            Col(f"Realisasi {c.year}", "realisasi", "desimal"),
            Col("Nilai Pembanding", "nilai_pembanding", "desimal"),
            Col("Pembanding", "uraian_pembanding"),
            Col("Sumber", "sumber_pembanding", width=1.5),
            Col("Hasil", "hasil"),
        ],
    )


def efisiensi_table(c: LkjipContext) -> Table:
    """Each sasaran RPJMD: budget of its programmes, serapan, physical capaian, the index."""
    return frame_table(
        "lkjip_efisiensi",
        f"Efisiensi Penggunaan Sumber Daya per Sasaran RPJMD Tahun {c.year}",
        c.data["efisiensi"],
        [
            Col("Kode", "kode_sasaran_rpjmd"),
            Col("Sasaran RPJMD", "uraian_sasaran_rpjmd", width=2.5),
            Col("Anggaran (Rp)", "anggaran_rp", "rp"),
            Col("Realisasi (Rp)", "realisasi_anggaran_rp", "rp"),
            Col("Serapan (%)", "serapan_pct", "pct"),
            Col("Capaian fisik (%)", "capaian_fisik_pct", "pct"),
            Col("Indeks efisiensi", "indeks_efisiensi", "indeks"),
        ],
    )


def analisis_context(c: LkjipContext) -> dict[str, Any]:
    """What lkj/templates/lkjip/bab_iii.xml.j2 places in 3.7."""
    texts = narasi_sasaran(c.data)
    pembanding = pembanding_table(c)
    sasaran = []
    for sr in c.data["sasaran_rpjmd"].itertuples(index=False):
        iku = c.data["status_rpjmd"]
        mine = iku[iku["kode_sasaran_rpjmd"] == sr.kode_sasaran_rpjmd]
        sasaran.append(
            {
                "kode": sr.kode_sasaran_rpjmd,
                "uraian": sr.uraian_sasaran_rpjmd,
                "status": "; ".join(
                    f"{r.uraian_iku}: {r.status or 'status tidak dapat ditentukan'}"
                    for r in mine.itertuples(index=False)
                ),
                "analisis": texts[sr.kode_sasaran_rpjmd]["analisis"],
                "solusi": texts[sr.kode_sasaran_rpjmd]["solusi"],
            }
        )
    return {
        "metode": metode_proyeksi("RPJMD"),
        "status": status_table(c),
        "pembanding": pembanding,
        "tanpa_pembanding": ""
        if pembanding is not None
        else "Perbandingan dengan standar nasional atau pemerintah daerah lain (benchmark): "
        f"tidak tersedia; data tahun {c.year} tidak memuat nilai pembanding IKU "
        "(pembanding_iku.csv).",
        "metode_efisiensi": efficiency_sentence(c.config),
        "efisiensi": efisiensi_table(c),
        "sasaran": sasaran,
        "kesenjangan": kesenjangan(c.data, texts),
    }
