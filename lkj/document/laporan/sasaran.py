"""Bab III, 3.3: the analysis per sasaran (its indikator over the years, the sub kegiatan
behind it, their efficiency) with the sentences that restate it."""

from __future__ import annotations

from typing import Any

import pandas as pd

from lkj.core.fmt import format_angka, format_pct, format_rp
from lkj.document.laporan.data import ReportData, _quantity
from lkj.document.laporan.skala import _predikat, aggregation_name, efficiency_sentence
from lkj.document.narasi import terbilang
from lkj.document.tables import Col, Table, frame_table


def analisis_sasaran(d: ReportData) -> list[dict[str, Any]]:
    """3.3: for each sasaran its indikator over the years, the sub kegiatan behind it and the
    efficiency analysis, with the sentences that restate them (the template places them)."""
    out = []
    sub = d.res.sub_kegiatan
    for n, sas in enumerate(d.raw["sasaran"].itertuples(), start=1):
        label = sas.nomor_seed or sas.kode_sasaran
        code = sas.kode_sasaran
        ind = d.res.indikator[d.res.indikator["kode_sasaran"] == code]
        entry: dict[str, Any] = {
            "n": n,
            "label": label,
            "kode": code,
            "uraian": sas.uraian_sasaran,
            "evaluasi": _evaluasi_table(code, label, ind),
            "perbandingan": _comparison_sentence(d, ind),
            "ringkasan": "",
            "sub_kegiatan": [],
            "efisiensi": [],
            "metode_efisiensi": "",
        }
        subs = sub[sub["kode_sasaran"] == code]
        agg = d.res.sasaran[d.res.sasaran["kode_sasaran"] == code]
        if not agg.empty:
            entry["ringkasan"] = _summary_sentence(d, agg.iloc[0])
        if not subs.empty:
            a = agg.iloc[0]
            entry["sub_kegiatan"] = _sub_kegiatan_table(d, code, label, subs)
            entry["metode_efisiensi"] = efficiency_sentence(d.config)
            entry["efisiensi"] = _efisiensi_table(code, label, subs, a)
        out.append(entry)
    return out


def _evaluasi_table(code: str, label: str, ind: pd.DataFrame) -> Table:
    """The sasaran's indikator over the years: target, realisasi, capaian, predikat and the
    Renstra's final target."""
    return frame_table(
        f"evaluasi_sasaran_{code}",
        f"Evaluasi Pengukuran Capaian Kinerja Sasaran {label}",
        ind,
        [
            Col("Indikator Sasaran", "uraian_indikator", width=2),
            Col("Satuan", "satuan"),
            Col("Tahun", "tahun"),
            Col("Target", "target", "desimal"),
            Col("Realisasi", "realisasi", "desimal"),
            Col("Capaian Kinerja (%)", "capaian_pct", "pct"),
            Col("Predikat", _predikat),
            Col("Target akhir Renstra", "target_akhir_renstra", "desimal"),
            Col("Capaian thd. target akhir Renstra (%)", "capaian_renstra_pct", "pct"),
        ],
    )


def _summary_sentence(d: ReportData, a: Any) -> str:
    """What supports the sasaran (programs, kegiatan, sub kegiatan), its budget, absorption
    and physical capaian: ``a`` is its row of ``Results.sasaran``."""
    return (
        f"Sasaran ini didukung oleh {a.jumlah_program} program, {a.jumlah_kegiatan} "
        f"kegiatan dan {a.jumlah_sub_kegiatan} sub kegiatan dengan anggaran "
        f"{format_rp(a.anggaran_rp)} ({terbilang(a.anggaran_rp)}) dan realisasi "
        f"{format_rp(a.realisasi_anggaran_rp)} atau serapan "
        f"{format_pct(a.serapan_pct)}; capaian kinerja fisik sub kegiatannya "
        f"({aggregation_name(d.config)}) {format_pct(a.capaian_fisik_pct)}."
    )


def _sub_kegiatan_table(d: ReportData, code: str, label: str, subs: pd.DataFrame) -> Table:
    """The sub kegiatan behind the sasaran: physical target, realisasi, capaian, kategori."""
    return frame_table(
        f"sub_kegiatan_sasaran_{code}",
        f"Tingkat Capaian Kinerja Sasaran {label} Tahun {d.year}",
        subs,
        [
            Col("Sub Kegiatan", "nama_sub_kegiatan", width=2),
            Col("Unsur Keterwakilan / Kelompok Sasaran", "kelompok_sasaran"),
            Col("Target", "target_fisik", "desimal"),
            Col("Realisasi", "realisasi_fisik", "desimal"),
            Col("Satuan", "satuan"),
            Col("Capaian (%)", "capaian_fisik_pct", "pct"),
            Col("Kategori", "kategori_fisik", "kategori", "warna_fisik"),
        ],
    )


def _efisiensi_table(code: str, label: str, subs: pd.DataFrame, a: Any) -> Table:
    """The efficiency analysis of the sasaran's sub kegiatan, totalled by its row ``a`` of
    ``Results.sasaran``."""
    return frame_table(
        f"efisiensi_sasaran_{code}",
        f"Analisis Efisiensi Sasaran {label}",
        subs,
        [
            Col("Sub Kegiatan", "nama_sub_kegiatan", width=2),
            Col("Anggaran (Rp)", "anggaran_rp", "rp"),
            Col("Realisasi (Rp)", "realisasi_anggaran_rp", "rp"),
            Col("Capaian fisik (%)", "capaian_fisik_pct", "pct"),
            Col("Serapan anggaran (%)", "serapan_pct", "pct"),
            Col("Indeks efisiensi", "indeks_efisiensi", "indeks"),
        ],
        total={
            "Anggaran (Rp)": a.anggaran_rp,
            "Realisasi (Rp)": a.realisasi_anggaran_rp,
            "Capaian fisik (%)": a.capaian_fisik_pct,
            "Serapan anggaran (%)": a.serapan_pct,
            "Indeks efisiensi": a.indeks_efisiensi,
        },
        numbered=False,
    )


def _comparison_sentence(d: ReportData, ind: pd.DataFrame) -> str:
    sentences = []
    for _code, rows in ind.groupby("kode_indikator", sort=False):
        rows = rows.sort_values("tahun")
        now = rows[rows["tahun"] == d.year]
        if now.empty:
            continue
        r = now.iloc[0]
        text = (
            f"Indikator \u201c{r.uraian_indikator}\u201d tahun {d.year}: realisasi "
            f"{_quantity(r.realisasi, r.satuan)} dari target {_quantity(r.target, r.satuan)}, "
            f"capaian {format_pct(r.capaian_pct)} ({r.predikat or 'tanpa predikat'})"
        )
        before = rows[rows["tahun"] < d.year]
        if len(before):
            p = before.iloc[-1]
            if pd.notna(p.capaian_pct) and pd.notna(r.capaian_pct):
                change = r.capaian_pct - p.capaian_pct
                trend = (
                    "sama dengan"
                    if abs(change) < 0.005
                    else "naik dari"
                    if change > 0
                    else "turun dari"
                )
                text += f", {trend} capaian tahun {p.tahun} ({format_pct(p.capaian_pct)})"
        text += (
            f"; terhadap target akhir Renstra ({format_angka(r.target_akhir_renstra)}) "
            f"capaiannya {format_pct(r.capaian_renstra_pct)}."
        )
        sentences.append(text)
    return " ".join(sentences)
