"""The Catatan Kualitas Data of the Lampiran: stated figures that differ from their
computation (``lkj.analysis.kualitas``) and sources that disagree."""

from __future__ import annotations

from typing import Any

import pandas as pd

from lkj.analysis.kualitas import DIFFERENT
from lkj.analysis.triwulan import has_quarters, yearly_differences
from lkj.core.fmt import format_angka, format_nilai, format_pct, format_rp
from lkj.document.laporan.data import ReportData
from lkj.document.tables import Col, frame_table

MEASURE_LABELS = {
    "anggaran_rp": "anggaran",
    "realisasi_rp": "realisasi anggaran",
    "serapan_pct": "serapan (%)",
    "silpa_rp": "SILPA",
    "silpa_pct": "SILPA (%)",
    "capaian_fisik_pct": "capaian fisik (%)",
    "capaian_pct": "capaian (%)",
    "target_fisik": "target fisik",
    "realisasi_fisik": "realisasi fisik",
}


def _stated_subject(d: ReportData, row: Any) -> str:
    names = {
        "program": dict(
            zip(d.res.program["kode_program"], d.res.program["nama_program"], strict=True)
        ),
        "kegiatan": dict(
            zip(d.res.kegiatan["kode_kegiatan"], d.res.kegiatan["nama_kegiatan"], strict=True)
        ),
        "sub_kegiatan": dict(
            zip(
                d.res.sub_kegiatan["kode_sub_kegiatan"],
                d.res.sub_kegiatan["nama_sub_kegiatan"],
                strict=True,
            )
        ),
        "sasaran": dict(
            zip(d.raw["sasaran"]["kode_sasaran"], d.raw["sasaran"]["uraian_sasaran"], strict=True)
        ),
    }
    entity = str(row.entitas).replace("_", " ")
    name = names.get(row.entitas, {}).get(str(row.kode), "")
    subject = f"{entity} {row.kode}".strip()
    if name:
        short = name if len(name) <= 70 else name[:67] + "…"
        subject += f" ({short})"
    return f"{subject}: {MEASURE_LABELS.get(row.ukuran, str(row.ukuran).replace('_', ' '))}"


def _computed_text(row: Any) -> str:
    value = row.dihitung
    if pd.isna(value):
        return "-"
    if str(row.ukuran).endswith("_rp") or str(row.ukuran).endswith("_terbilang"):
        return format_angka(value)
    if str(row.ukuran).endswith("_pct"):
        return format_pct(value, decimals=max(int(row.desimal), 2), sign=False)
    return format_nilai(value)


def catatan_kualitas_data(d: ReportData) -> dict[str, Any]:
    """Every stated figure that differs from its computation, and sources that disagree."""
    total = d.res.ringkasan.set_index("sumber")
    sk, lra = total.loc["sub_kegiatan"], total.loc["lra"]
    sources = []
    if sk.anggaran_rp != lra.anggaran_rp or sk.realisasi_rp != lra.realisasi_rp:
        sources.append(
            f"Jumlah anggaran menurut rincian sub kegiatan (sub_kegiatan.csv) "
            f"{format_rp(sk.anggaran_rp)} berbeda "
            f"{format_rp(abs(sk.anggaran_rp - lra.anggaran_rp))} dari jumlah LRA per jenis "
            f"belanja (lra.csv) {format_rp(lra.anggaran_rp)}; "
            f"realisasi: {format_rp(sk.realisasi_rp)} dan {format_rp(lra.realisasi_rp)}. "
            "Laporan ini memakai rincian sub kegiatan untuk semua angka per program, kegiatan "
            "dan sasaran, dan LRA hanya untuk Tabel rincian per jenis belanja."
        )
    sources += quarter_check(d.raw, d.year)
    out: dict[str, Any] = {"sumber": sources, "ringkasan": "", "tabel": []}
    k = d.kualitas
    if k.empty:
        out["ringkasan"] = "Tidak ada angka tertulis yang dibandingkan tahun ini."
        return out
    diff = k[k["status"] == DIFFERENT].copy()
    n_same = int((k["status"] == "sama").sum())
    out["ringkasan"] = (
        f"Dari {len(k)} angka tertulis, {n_same} sesuai dengan hasil perhitungan, "
        f"{len(diff)} berbeda, dan {len(k) - n_same - len(diff)} tidak dapat dibandingkan "
        "(tanpa nilai angka atau tanpa padanan hitungan)."
    )
    if not diff.empty:
        diff["hal"] = [_stated_subject(d, r) for r in diff.itertuples()]
        diff["dihitung_teks"] = [_computed_text(r) for r in diff.itertuples()]
        out["tabel"] = frame_table(
            "kualitas_data",
            "Angka Tertulis yang Berbeda dari Hasil Perhitungan",
            diff,
            [
                Col("Sumber (dokumen)", "sumber"),
                Col("Hal", "hal", width=2),
                Col("Tertulis", "nilai_tertulis"),
                Col("Hasil perhitungan", "dihitung_teks"),
            ],
            small=True,
        )
    return out


def quarter_check(tables: dict[str, pd.DataFrame], year: int) -> list[str]:
    """Where the year has quarterly data: whether the typed yearly realisation equals the sum
    (or, for an ``akhir`` indikator, the last value) of its four quarters; [] without quarters
    (a year without them, such as 2022, reads exactly as before)."""
    if not has_quarters(tables):
        return []
    diff, compared = yearly_differences(tables, year)
    text = (
        f"Realisasi tahunan dibandingkan dengan keempat triwulannya (triwulan_sub_kegiatan.csv, "
        f"triwulan_indikator.csv): {compared} angka dibandingkan, {len(diff)} berbeda."
    )
    if len(diff):
        items = [
            f"{r.entitas} {r.kode} {r.ukuran}: tertulis {format_nilai(r.tertulis)}, "
            f"dari triwulan {format_nilai(r.dihitung)}"
            for r in diff.itertuples()
        ]
        text += " " + "; ".join(items) + ". Laporan ini memakai angka tahunan yang tertulis."
    return [text]
