"""The computed tables as reviewers read them: the sources read by ingest, the raw sub kegiatan
rows with their sums, the indicators, every sub kegiatan, each aggregation level (``LEVELS``:
kegiatan, program, sasaran) and the budget (LRA, belanja langsung, the two totals).
"""

from __future__ import annotations

import pandas as pd

from lkj.analysis.audit.numbers import _sum
from lkj.analysis.audit.table import AuditTable, _Column, _display, _kategori
from lkj.analysis.capaian import Results


def tabel_sumber(sources: pd.DataFrame) -> AuditTable:
    """The tables read by ingest (``lkj.data.sources.describe_sources``), headings in Indonesian.

    Args:
        sources: tabel, file, sheet, baris, sha256 (file names only, no folders).

    Returns:
        The display table.
    """
    return _display(
        sources,
        [
            _Column("Tabel", "tabel"),
            _Column("File", "file"),
            _Column("Sheet", "sheet"),
            _Column("Jumlah baris", "baris", "angka"),
            _Column("SHA-256", "sha256"),
        ],
        "Data mentah yang dibaca",
        "SHA-256 memastikan file yang diperiksa sama persis dengan yang dipakai laporan.",
    )


def tabel_sub_kegiatan_mentah(tables: dict[str, pd.DataFrame]) -> AuditTable:
    """The raw sub kegiatan rows as entered (sub_kegiatan.csv), with their column sums.

    Args:
        tables: the validated raw tables.

    Returns:
        The display table; the last line is the sum of anggaran and realisasi anggaran.
    """
    sub = tables["sub_kegiatan"]
    total = pd.DataFrame(
        [
            {
                "kode_sub_kegiatan": "Jumlah",
                "nama_sub_kegiatan": f"{len(sub)} sub kegiatan",
                "anggaran_rp": _sum(sub["anggaran_rp"]),
                "realisasi_anggaran_rp": _sum(sub["realisasi_anggaran_rp"]),
            }
        ]
    )
    frame = pd.concat([sub, total], ignore_index=True)
    return _display(
        frame,
        [
            _Column("Kode", "kode_sub_kegiatan"),
            _Column("Sub kegiatan", "nama_sub_kegiatan"),
            _Column("Kode kegiatan", lambda r: r.get("kode_kegiatan", "")),
            _Column("Satuan", lambda r: r.get("satuan", "")),
            _Column("Target fisik", "target_fisik", "angka"),
            _Column("Realisasi fisik", "realisasi_fisik", "angka"),
            _Column("Anggaran (Rp)", "anggaran_rp", "rp"),
            _Column("Realisasi anggaran (Rp)", "realisasi_anggaran_rp", "rp"),
        ],
        "Baris sub kegiatan seperti dimasukkan (sub_kegiatan.csv)",
        "Semua jumlah dalam laporan berasal dari baris-baris ini.",
        emphasis=[False] * len(sub) + [True],
    )


def tabel_indikator(res: Results, year: int) -> AuditTable:
    """Indicator capaian and predikat of the report year.

    Args:
        res: the computed tables.
        year: the report year.

    Returns:
        The display table.
    """
    ind = res.indikator[res.indikator["tahun"] == year]
    return _display(
        ind,
        [
            _Column("Kode sasaran", "kode_sasaran"),
            _Column("Kode indikator", "kode_indikator"),
            _Column("Indikator", "uraian_indikator"),
            _Column("Satuan", "satuan"),
            _Column("Polaritas", "polaritas"),
            _Column("Target", "target", "angka"),
            _Column("Realisasi", "realisasi", "angka"),
            _Column("Capaian (%)", "capaian_pct", "pct"),
            _Column("Predikat", _kategori("predikat_kode")),
            _Column("Keterangan", _kategori("predikat")),
            _Column("Target akhir Renstra", "target_akhir_renstra", "angka"),
            _Column("Capaian thd Renstra (%)", "capaian_renstra_pct", "pct"),
        ],
        f"Capaian indikator kinerja sasaran tahun {year}",
    )


def tabel_sub_kegiatan(res: Results) -> AuditTable:
    """Capaian fisik, serapan, categories, SILPA and efficiency of every sub kegiatan."""
    sub = res.sub_kegiatan
    return _display(
        sub,
        [
            _Column("Kode", "kode_sub_kegiatan"),
            _Column("Sub kegiatan", "nama_sub_kegiatan"),
            _Column("Target fisik", "target_fisik", "angka"),
            _Column("Realisasi fisik", "realisasi_fisik", "angka"),
            _Column("Capaian fisik (%)", "capaian_fisik_pct", "pct"),
            _Column("Kategori fisik", _kategori("kategori_fisik")),
            _Column("Anggaran (Rp)", "anggaran_rp", "rp"),
            _Column("Realisasi anggaran (Rp)", "realisasi_anggaran_rp", "rp"),
            _Column("Serapan (%)", "serapan_pct", "pct"),
            _Column("Kategori anggaran", _kategori("kategori_anggaran")),
            _Column("SILPA (Rp)", "silpa_rp", "rp"),
            _Column("Indeks efisiensi", "indeks_efisiensi", "pct"),
        ],
        "Capaian dan serapan anggaran per sub kegiatan",
    )


LEVELS = {
    "kegiatan": ("kode_kegiatan", "nama_kegiatan", "Kegiatan"),
    "program": ("kode_program", "nama_program", "Program"),
    "sasaran": ("kode_sasaran", "uraian_sasaran", "Sasaran"),
}


def tabel_agregat(res: Results, level: str) -> AuditTable:
    """The aggregated table of one level (kegiatan, program or sasaran) as computed.

    Args:
        res: the computed tables.
        level: "kegiatan", "program" or "sasaran".

    Returns:
        The display table.
    """
    key, name, noun = LEVELS[level]
    frame = getattr(res, level)
    return _display(
        frame,
        [
            _Column("Kode", key),
            _Column(noun, name),
            _Column("Jumlah sub kegiatan", "jumlah_sub_kegiatan", "angka"),
            _Column("Capaian fisik (%)", "capaian_fisik_pct", "pct"),
            _Column("Kategori fisik", _kategori("kategori_fisik")),
            _Column("Anggaran (Rp)", "anggaran_rp", "rp"),
            _Column("Realisasi anggaran (Rp)", "realisasi_anggaran_rp", "rp"),
            _Column("Serapan (%)", "serapan_pct", "pct"),
            _Column("Kategori anggaran", _kategori("kategori_anggaran")),
            _Column("SILPA (Rp)", "silpa_rp", "rp"),
        ],
        f"Capaian dan anggaran per {noun.lower()}",
    )


def tabel_anggaran(res: Results) -> list[AuditTable]:
    """The LRA by jenis belanja, belanja penunjang/langsung and the two totals compared."""
    budget = [
        _Column("Anggaran (Rp)", "anggaran_rp", "rp"),
        _Column("Realisasi (Rp)", "realisasi_rp", "rp"),
        _Column("Serapan (%)", "serapan_pct", "pct"),
        _Column("SILPA (Rp)", "silpa_rp", "rp"),
    ]
    sources = {"sub_kegiatan": "Rincian sub kegiatan (sub_kegiatan.csv)", "lra": "LRA (lra.csv)"}
    ringkasan = res.ringkasan.assign(
        sumber_teks=[sources.get(s, s) for s in res.ringkasan["sumber"]]
    )
    langsung = res.belanja_langsung.rename(columns={"realisasi_anggaran_rp": "realisasi_rp"})
    return [
        _display(
            res.lra,
            [
                _Column("Kelompok belanja", "kelompok_belanja"),
                _Column("Jenis belanja", "jenis_belanja"),
                *budget,
            ],
            "Laporan Realisasi Anggaran per jenis belanja",
        ),
        _display(
            langsung,
            [_Column("Uraian", "uraian"), *budget],
            "Belanja penunjang dan belanja langsung untuk sasaran",
        ),
        _display(
            ringkasan,
            [_Column("Sumber", "sumber_teks"), *budget],
            "Jumlah belanja menurut dua sumber",
        ),
    ]
