"""The Catatan Kualitas Data of the Lampiran: stated figures that differ from their
computation (``lkj.analysis.kualitas``) and sources that disagree."""

from __future__ import annotations

from typing import Any

import pandas as pd

from lkj.analysis.kualitas import DIFFERENT
from lkj.analysis.triwulan import has_quarters
from lkj.analysis.triwulan_tahun import differing, year_from_quarters
from lkj.core.fmt import format_angka, format_nilai, format_pct, format_rp
from lkj.data.processed import QUARTER_YEAR_TABLE
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
    out["triwulan"] = quarter_table(d.raw, d.year)
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


def _quarter_record(tables: dict[str, pd.DataFrame], year: int) -> pd.DataFrame:
    """The yearly figures computed from four quarters, with the typed ones: the record ingest
    wrote (processed tables), or computed here from raw tables."""
    if QUARTER_YEAR_TABLE in tables:
        return tables[QUARTER_YEAR_TABLE]
    return year_from_quarters(tables, year)[1]


def quarter_check(tables: dict[str, pd.DataFrame], year: int) -> list[str]:
    """Where the year has quarterly data: how many yearly figures the report computed from
    their four quarters (the sum, or for an ``akhir`` indikator the fourth quarter's value,
    ``lkj.analysis.triwulan_tahun``) and how many of them differ from the typed yearly figure;
    [] without quarters (a year without them, such as 2022, reads exactly as before)."""
    if not has_quarters(tables):
        return []
    record = _quarter_record(tables, year)
    diff = differing(record)
    text = (
        f"Realisasi tahunan dihitung dari keempat triwulannya (triwulan_sub_kegiatan.csv, "
        f"triwulan_indikator.csv): {len(record)} angka, {len(diff)} berbeda dari angka tahunan "
        "yang tertulis."
    )
    if len(diff):
        items = [
            f"{r.entitas} {r.kode_entitas} {r.ukuran}: tertulis {format_nilai(r.tertulis)}, "
            f"dari triwulan {format_nilai(r.dihitung)}"
            for r in diff.itertuples()
        ]
        text += (
            " " + "; ".join(items) + ". Laporan ini memakai angka dari triwulan; angka tertulis "
            "hanya dibandingkan (Tabel Realisasi Tahunan yang Berbeda dari Triwulannya)."
        )
    return [text]


def quarter_table(tables: dict[str, pd.DataFrame], year: int) -> Any:
    """The typed yearly figures that differ from their four quarters, one row each (the
    report uses the quarters'); "" without such a figure."""
    if not has_quarters(tables):
        return ""
    diff = differing(_quarter_record(tables, year))
    if diff.empty:
        return ""
    diff = diff.assign(
        sumber=[
            "sub_kegiatan.csv" if e == "sub_kegiatan" else "kinerja_indikator.csv"
            for e in diff["entitas"]
        ],
        hal=[f"{r.entitas} {r.kode_entitas} {r.ukuran}" for r in diff.itertuples()],
    )
    return frame_table(
        "kualitas_data_triwulan",
        "Realisasi Tahunan yang Berbeda dari Triwulannya",
        diff,
        [
            Col("Sumber (dokumen)", "sumber"),
            Col("Hal", "hal", width=2),
            Col("Tertulis", "tertulis", "desimal"),
            Col("Dari triwulan (dipakai)", "dihitung", "desimal"),
            Col("Selisih", "selisih", "desimal"),
        ],
        small=True,
    )
