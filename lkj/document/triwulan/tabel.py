"""The quarter's other tables: capaian to date (sub kegiatan, indikator) against the year's
target and the plan, the early warnings, and the typed yearly figures that differ from their
quarters."""

from __future__ import annotations

import pandas as pd

from lkj.analysis.triwulan import Evaluasi
from lkj.document.tables import Col, Table, frame_table
from lkj.document.triwulan.e81 import ROMAWI

__all__ = ["capaian_sub_table", "capaian_indikator_table", "peringatan_table", "selisih_table"]


def capaian_sub_table(ev: Evaluasi) -> Table:
    """Capaian fisik and serapan of each sub kegiatan to date, against the year's target (the
    pagu in force) and against the plan to date where a plan is given."""
    sd = f"s.d. TW {ROMAWI[ev.tw]}"
    cols = [
        Col("Kode", "kode_sub_kegiatan"),
        Col("Sub Kegiatan", "nama_sub_kegiatan", width=2.0),
        Col("Target", "target_fisik", "desimal", group="Fisik"),
        Col(f"Realisasi {sd}", "fisik_sd", "desimal", group="Fisik"),
        Col("Capaian (%)", "capaian_fisik_pct", "pct", group="Fisik"),
        Col(f"Rencana {sd}", "rencana_fisik_sd", "desimal", group="Fisik"),
        Col("Thd rencana (%)", "capaian_rencana_fisik_pct", "pct", group="Fisik"),
        Col("Pagu berlaku", "pagu_rp", "rp", group="Anggaran (Rp)"),
        Col(f"Realisasi {sd}", "rp_sd", "rp", group="Anggaran (Rp)"),
        Col("Serapan (%)", "serapan_pct", "pct", group="Anggaran (Rp)"),
        Col(f"Rencana {sd}", "rencana_rp_sd", "rp", group="Anggaran (Rp)"),
        Col("Thd rencana (%)", "capaian_rencana_rp_pct", "pct", group="Anggaran (Rp)"),
    ]
    return frame_table(
        "triwulan_capaian_sub_kegiatan",
        f"Capaian Sub Kegiatan s.d. Triwulan {ROMAWI[ev.tw]} Tahun {ev.year}",
        ev.sub,
        cols,
        small=True,
    )


def capaian_indikator_table(ev: Evaluasi) -> Table:
    """Capaian of each indikator to date (its aturan says how the quarters add up)."""
    sd = f"s.d. TW {ROMAWI[ev.tw]}"
    cols = [
        Col("Kode", "kode_indikator"),
        Col("Indikator", "uraian_indikator", width=2.0),
        Col("Satuan", "satuan"),
        Col("Aturan", "aturan"),
        Col(f"Target {ev.year}", "target", "desimal"),
        Col(f"Realisasi {sd}", "k_sd", "desimal"),
        Col("Capaian (%)", "capaian_pct", "pct"),
        Col(f"Rencana {sd}", "rencana_sd", "desimal"),
        Col("Thd rencana (%)", "capaian_rencana_pct", "pct"),
    ]
    return frame_table(
        "triwulan_capaian_indikator",
        f"Capaian Indikator Kinerja s.d. Triwulan {ROMAWI[ev.tw]} Tahun {ev.year}",
        ev.indikator,
        cols,
    )


UKURAN = {"fisik": "Fisik", "anggaran": "Anggaran (Rp)", "kinerja": "Kinerja"}


def peringatan_table(ev: Evaluasi) -> Table:
    """The early warnings: what will not reach the year's target at its pace to date."""
    frame = ev.peringatan.copy()
    frame["ukuran_teks"] = [UKURAN[u] for u in frame["ukuran"]]
    cols = [
        Col("Kode", "kode"),
        Col("Sub Kegiatan / Indikator", "uraian", width=2.0),
        Col("Ukuran", "ukuran_teks"),
        Col("Satuan", "satuan"),
        Col("Target / pagu", "target", "desimal"),
        Col(f"Realisasi s.d. TW {ROMAWI[ev.tw]}", "sd", "desimal"),
        Col("Proyeksi akhir tahun", "proyeksi", "desimal"),
        Col("Capaian proyeksi (%)", "proyeksi_pct", "pct"),
        Col("Selisih (satuan / Rp)", "selisih", "desimal"),
        Col("Selisih (%)", "selisih_pct", "pct"),
        Col("Metode proyeksi", "metode"),
    ]
    return frame_table(
        "triwulan_peringatan",
        f"Peringatan Dini Triwulan {ROMAWI[ev.tw]} Tahun {ev.year}",
        frame,
        cols,
        small=True,
    )


def selisih_table(ev: Evaluasi) -> Table:
    """Typed yearly realisation that differs from the sum (or last value) of its quarters."""
    cols = [
        Col("Entitas", "entitas"),
        Col("Kode", "kode"),
        Col("Ukuran", "ukuran"),
        Col("Angka tahunan tertulis", "tertulis", "desimal"),
        Col("Dihitung dari triwulan", "dihitung", "desimal"),
        Col("Selisih", "selisih", "desimal"),
    ]
    return frame_table(
        "triwulan_selisih_tahunan",
        f"Realisasi Tahunan Tertulis yang Berbeda dari Triwulannya, Tahun {ev.year}",
        ev.selisih if len(ev.selisih) else pd.DataFrame(columns=ev.selisih.columns),
        cols,
    )
