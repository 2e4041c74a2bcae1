"""What the report is built from (``ReportData``, loaded by ``load_report_data`` from
data/processed/YEAR), the figures it places and the small helpers every part uses: the agency's
name, the signature block, a figure of the figures folder, this year's indikator rows, a part's
template."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd
from markupsafe import Markup

from lkj.analysis.capaian import Results
from lkj.analysis.kualitas import compare_stated
from lkj.analysis.riwayat import HISTORY_TABLES, History, history_from_tables, load_history
from lkj.core.config import Config, load_config
from lkj.core.errors import LkjError
from lkj.core.fmt import format_nilai
from lkj.core.resources import ROOT
from lkj.data.processed import read_processed_tables
from lkj.document.model import Block, Figure, Paragraph, Signature, parse_blocks, render_template
from lkj.document.narasi import NARASI_DIR, context, narrative
from lkj.document.sampul import signer_data

RESULT_PREFIX = "capaian_"


# Figures of the report, by file stem in outputs/YEAR/figures (drawn by notebook 03): kind
# and caption title. Their numbers ("Grafik 2", "Gambar 1.1") follow from their order.
FIGURES = {
    "bagan_organisasi": ("Gambar", "Bagan Struktur Organisasi"),
    "grafik_1_anggaran_program": ("Grafik", "Anggaran dan Realisasi Anggaran per Program"),
    "grafik_2_capaian_kegiatan": (
        "Grafik",
        "Capaian Kinerja dan Realisasi Anggaran per Kegiatan",
    ),
    "grafik_3_capaian_sub_kegiatan": (
        "Grafik",
        "Capaian Kinerja dan Realisasi Anggaran per Sub Kegiatan",
    ),
    "grafik_4_distribusi_kategori": (
        "Grafik",
        "Sebaran Kategori Capaian Kinerja dan Realisasi Anggaran",
    ),
}


# Capaian charts (one bar pair per row): stem -> (Results table, name column, noun, label
# width). lkj.document.grafik.plan_capaian_chart keeps them readable at any size.
CAPAIAN_CHARTS = {
    "grafik_2_capaian_kegiatan": ("kegiatan", "nama_kegiatan", "kegiatan", 45),
    "grafik_3_capaian_sub_kegiatan": ("sub_kegiatan", "nama_sub_kegiatan", "sub kegiatan", 60),
}


@dataclass
class ReportData:
    """What the report is built from."""

    year: int
    raw: dict[str, pd.DataFrame]
    res: Results
    config: Config
    figures: Path
    raw_dir: Path
    figure_links: bool = False
    """True: the figures need not be drawn yet, and the report's HTML links each
    (``../figures/NAME.png``, from the notebooks folder beside the figures folder) instead of
    carrying it: the report notebook runs beside the grafik stage that draws them (its HTML
    page carries them, ``lkj.render.notebook_export``), and the print job, which it hands the
    document to
    (:func:`write_print_document`), checks the files before it reads them (``lkj.run.cetak``)."""
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    def info(self, key: str, default: str = "") -> str:
        """A value of instansi.csv."""
        inst = self.raw["instansi"]
        hit = inst.loc[inst["kunci"] == key, "nilai"]
        return str(hit.iloc[0]) if len(hit) else default

    @cached_property
    def values(self) -> dict[str, Any]:
        """The computed values narrative texts may name (``lkj.document.narasi.context``)."""
        return context(self)

    def text(self, name: str) -> Markup:
        """The narrative file narasi/<name>.md with computed values filled in, as HTML."""
        return narrative(self, name, self.values)

    def text_blocks(self, name: str, placeholder: bool = True) -> list[Block]:
        """The narrative file narasi/<name>.md as blocks (paragraphs, lists, headings); when
        it is absent or empty, with ``placeholder``, a note that names it ("(Belum diisi:
        narasi/bab1_pengumpulan_data.md.)", as the quarter's evaluation prints it), so that no
        section's heading stands over nothing."""
        blocks = parse_blocks(str(self.text(name)), source=f"narasi/{name}.md")
        if blocks or not placeholder:
            return blocks
        return [Paragraph(f"(Belum diisi: {NARASI_DIR}/{name}.md.)", "catatan")]

    @cached_property
    def history(self) -> History:
        """Indicator capaian and budget absorption of this year and every earlier year: as the
        capaian stage wrote it to the processed folder (``lkj.analysis.riwayat.write_history``),
        else
        computed from the raw folders."""
        return load_history(self.raw_dir.parent, self.year, self.config)

    @cached_property
    def kualitas(self) -> pd.DataFrame:
        """Stated figures of the source compared with the computed ones."""
        stated = self.raw.get("angka_tertulis")
        if stated is None or stated.empty:
            return pd.DataFrame(columns=["status"])
        return compare_stated(stated, self.res, self.raw, self.year)


def load_report_data(
    year: int,
    processed_dir: Path | str,
    output_dir: Path | str,
    config: Path | str | None,
    raw_dir: Path | str | None = None,
) -> ReportData:
    """Load the processed tables of a year for the report.

    Args:
        year: the report year.
        processed_dir: where ingest and capaian wrote their tables.
        output_dir: the report folder (figures/ inside).
        config: the configuration file (None: config/lkj.toml).
        raw_dir: data/raw/YEAR, for the narrative files and the input checksums.

    Returns:
        The report's data.
    """
    tables = read_processed_tables(processed_dir)
    kept = set(HISTORY_TABLES.values())
    history = {k: v for k, v in tables.items() if k in kept}
    raw = {k: v for k, v in tables.items() if not k.startswith(RESULT_PREFIX) and k not in kept}
    res = Results(
        **{
            k.removeprefix(RESULT_PREFIX): v
            for k, v in tables.items()
            if k.startswith(RESULT_PREFIX)
        }
    )
    root = ROOT
    raw_dir = Path(raw_dir) if raw_dir else root / "data" / "raw" / str(year)
    d = ReportData(year, raw, res, load_config(config), Path(output_dir) / "figures", raw_dir)
    saved = history_from_tables(year, history)
    if saved is not None:
        d.history = saved
    return d


def _org(d: ReportData) -> str:
    return f"{d.info('nama_instansi')} {d.info('kabupaten')}".strip()


def _signature(d: ReportData, anchor: str | None = None) -> Signature:
    """The head of agency's signature block (lkj.document.sampul.signer_data: place and date,
    jabatan,
    name, pangkat/golongan and NIP where the signer has them)."""
    s = signer_data(d.info, d.year)
    return Signature(
        place_date=s.place_date,
        jabatan=s.jabatan,
        name=s.name,
        pangkat=s.pangkat,
        nip=s.nip,
        anchor=anchor,
    )


def _figure(d: ReportData, stem: str, title: str | None = None, kind: str = "") -> Figure:
    """The figure ``stem`` of the figures folder; its caption title from FIGURES."""
    path = d.figures / f"{stem}.png"
    if not d.figure_links and not path.is_file():
        raise LkjError(
            f"grafik {path.name} tidak ada di {d.figures} (digambar oleh notebook 03_grafik, "
            "lkj.document.laporan.draw_figures)"
        )
    default_kind, default_title = FIGURES.get(stem, ("Grafik", stem))
    return Figure(stem, path, title or default_title, kind or default_kind)


def _year_rows(d: ReportData, year: int) -> pd.DataFrame:
    ind = d.res.indikator
    return ind[ind["tahun"] == year]


def _blocks(d: ReportData, name: str, **context: Any) -> list[Block]:
    """Render the part's template lkj/templates/laporan/<name>.xml.j2."""
    return render_template(f"laporan/{name}.xml.j2", text=d.text_blocks, tahun=d.year, **context)


def _quantity(value: float, satuan: str) -> str:
    """A target or realisasi with its unit: "100%", "11 partai"."""
    return f"{format_nilai(value)}{satuan if satuan == '%' else ' ' + satuan}"
