"""What every chapter of the LKjIP shares: the consolidated data and the values drawn from it
once (``LkjipContext``, made by ``lkjip_context``), and how a chapter's template is
rendered (``_chapter``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from lkj.core.config import Config
from lkj.data.workspace import PemdaData
from lkj.document.model import Signature, render_template
from lkj.document.tables import Col

BUILT = ("dibangun", "mutakhir")


@dataclass
class LkjipContext:
    """The LKjIP's data and what its chapters share."""

    data: dict[str, Any]
    """From ``lkj.analysis.konsolidasi.consolidate``."""
    config: Config
    figures: dict[str, Path]
    """Grafik name ("iku", "serapan") -> PNG file."""
    pemda: PemdaData
    nama: str
    year: int
    jabatan: str
    iku: pd.DataFrame
    opd: pd.DataFrame
    tot: dict[str, Any]
    iku_year: pd.DataFrame
    """The IKU rows of the report year."""
    iku_def: pd.DataFrame
    """One row per IKU of the report year (its definition)."""
    built: pd.DataFrame
    """The OPDs with a report."""
    failed: pd.DataFrame
    missing: pd.DataFrame
    ttd: Signature
    coverage: str
    """How many OPDs the LKjIP covers, failed and missing."""
    common: dict[str, Any]
    """What every chapter's template is given: nama, year, jabatan, periode."""
    iku_cols: list[Col]
    """The IKU columns of the ringkasan eksekutif's table and Bab III's."""


def lkjip_context(data: dict[str, Any], config: Config, figures: dict[str, Path]) -> LkjipContext:
    """What the chapters of the LKjIP share, drawn from ``data`` once."""
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
    return LkjipContext(
        data=data,
        config=config,
        figures=figures,
        pemda=pemda,
        nama=nama,
        year=year,
        jabatan=jabatan,
        iku=iku,
        opd=opd,
        tot=tot,
        iku_year=iku_year,
        iku_def=iku_year.drop_duplicates("kode_iku"),
        built=built,
        failed=failed,
        missing=missing,
        ttd=ttd,
        coverage=coverage,
        common=common,
        iku_cols=iku_cols,
    )


def _chapter(name: str, **context: Any) -> list:
    return render_template(f"lkjip/{name}.xml.j2", **context)
