"""The parts of the report, built as data (tables, figures, sentences) and placed by templates.

For each part of the LKj (PermenPAN-RB 53/2014 and the 2022 model document) a function here
builds what it shows: its tables (``lkj.document.tables``), figures and generated sentences. The
part's
Jinja template in ``lkj/templates/laporan/<part>.xml.j2`` places them with the fixed headings
and text; ``report_document`` assembles the parts into one ``lkj.document.model.Document`` and
numbers its tables and figures from their order. Every format renders that one document: the
report notebook shows its HTML (``report_parts``, ``sampul(d)``, ...), ``lkj.render.to_docx``
writes the
DOCX.

Every number shown is computed here or in ``lkj.analysis.capaian`` from data/processed/YEAR, which
ingest
wrote from data/raw/YEAR; prose comes from data/raw/YEAR/narasi/ (``lkj.document.narasi``) with
computed
values filled in by name. Nothing is typed in.

To change a table, change its columns here (one ``Col`` per column): every format follows.
"""

from __future__ import annotations

import hashlib
import platform
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd
from markupsafe import Markup

from lkj.analysis import riwayat
from lkj.analysis.capaian import Results, add_realisasi_columns
from lkj.analysis.kualitas import DIFFERENT, compare_stated
from lkj.analysis.riwayat import (
    HISTORY_TABLES,
    History,
    comparison_text,
    history_from_tables,
    load_history,
)
from lkj.core import numbers
from lkj.core.config import Config, Scale, load_config
from lkj.core.errors import LkjError
from lkj.core.fmt import format_angka, format_nilai, format_pct, format_rp
from lkj.core.resources import ROOT
from lkj.data.processed import read_processed_tables
from lkj.document import grafik
from lkj.document.grafik_riwayat import FIGURE_CAPAIAN, FIGURE_SERAPAN, save_history_figures
from lkj.document.model import (
    Block,
    Cover,
    Document,
    Figure,
    Part,
    Signature,
    Toc,
    number_blocks,
    parse_blocks,
    render_template,
)
from lkj.document.narasi import context, narrative, terbilang
from lkj.document.sampul import SIGNATURE_ANCHOR, cover_data, signer_data
from lkj.document.tables import Cell, Col, Column, Table, category_cell, cell, frame_table

RESULT_PREFIX = "capaian_"
# Staff tables of Bab I, by kategori of pegawai.csv: title and the header of the first column.
PEGAWAI_TITLES = {
    "unit_kerja": ("Jumlah Pegawai Berdasarkan Struktur Organisasi", "Unit Kerja"),
    "golongan": ("Jumlah Pegawai Berdasarkan Golongan", "Golongan"),
    "eselon": ("Jumlah Pegawai Berdasarkan Eselonisasi", "Eselon"),
    "pendidikan": ("Jumlah Pegawai Berdasarkan Tingkat Pendidikan", "Pendidikan"),
    "status": ("Jumlah Pegawai Berdasarkan Status Kepegawaian", "Status"),
}
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
SOFTWARE = ("lkj", "pandas", "matplotlib", "papermill", "nbconvert", "typst", "babel")


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

    def text_blocks(self, name: str) -> list[Block]:
        """The narrative file narasi/<name>.md as blocks (paragraphs, lists, headings)."""
        return parse_blocks(str(self.text(name)), source=f"narasi/{name}.md")

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


# --------------------------------------------------------------------------- front matter


def sampul_blocks(d: ReportData) -> list[Block]:
    """The cover page (lambang daerah, title as set in [dokumen], agency; lkj.document.sampul)."""
    data = cover_data(d.info, d.year, d.raw_dir, d.config.dokumen)
    cover = Cover(
        title=(data.title,),
        subtitle=data.urusan,
        organisation=(data.agency, data.pemda),
        image=data.lambang,
        synthetic=data.synthetic,
    )
    return _blocks(d, "sampul", sampul=cover)


def kata_pengantar_blocks(d: ReportData) -> list[Block]:
    """Kata Pengantar: the agency's text, then the signature."""
    # the first signature block is the one signed electronically (its PDF field)
    return _blocks(d, "kata_pengantar", ttd=_signature(d, anchor=SIGNATURE_ANCHOR))


def daftar_isi_blocks(d: ReportData | None = None) -> list[Block]:
    """The table of contents (each renderer fills it)."""
    return [Toc()]


def ringkasan_eksekutif_blocks(d: ReportData) -> list[Block]:
    """One page: capaian per sasaran, budget absorption, category counts, main findings."""
    res, year = d.res, d.year
    ind = _year_rows(d, year).merge(
        res.sasaran[["kode_sasaran", "serapan_pct"]], on="kode_sasaran", how="left"
    )
    total = res.ringkasan.set_index("sumber").loc["sub_kegiatan"]
    labels = d.config.realisasi.labels
    sub = res.sub_kegiatan
    findings = [
        f"Predikat {len(ind)} indikator kinerja sasaran: "
        + ", ".join(f"{p} ({n})" for p, n in ind["predikat"].value_counts().items())
        + ".",
        f"Realisasi anggaran {format_rp(total.realisasi_rp)} dari {format_rp(total.anggaran_rp)} "
        f"({format_pct(total.serapan_pct)}); SILPA {format_rp(total.silpa_rp)}.",
    ]
    prog = res.program.sort_values("serapan_pct")
    low, high = prog.iloc[0], prog.iloc[-1]
    findings.append(
        f"Serapan program tertinggi: {high.nama_program} ({format_pct(high.serapan_pct)}); "
        f"terendah: {low.nama_program} ({format_pct(low.serapan_pct)})."
    )
    below = sub[sub["capaian_fisik_pct"] < 100]
    if len(below):
        findings.append(
            f"{len(below)} sub kegiatan belum mencapai target fisik: "
            + "; ".join(
                f"{r.nama_sub_kegiatan} ({format_pct(r.capaian_fisik_pct)})"
                for r in below.itertuples()
            )
            + "."
        )
    differences = int((d.kualitas["status"] == DIFFERENT).sum())
    if differences:
        findings.append(
            f"{differences} angka yang tertulis dalam dokumen sumber berbeda dari hasil "
            "perhitungan; laporan ini memakai angka hasil perhitungan (lihat Catatan Kualitas "
            "Data)."
        )
    counts = (
        pd.DataFrame(
            {
                "Capaian fisik": sub["kategori_fisik"].value_counts(),
                "Realisasi anggaran": sub["kategori_anggaran"].value_counts(),
            }
        )
        .reindex(labels)
        .fillna(0)
        .astype(int)
    )
    counts = counts.reset_index(names="kategori")
    capaian = frame_table(
        "ringkasan_capaian_sasaran",
        f"Capaian Sasaran Strategis Tahun {year}",
        ind,
        [
            Col("Sasaran", "uraian_sasaran", width=2),
            Col("Indikator", "uraian_indikator", width=2),
            Col("Target", "target", "desimal"),
            Col("Realisasi", "realisasi", "desimal"),
            Col("Capaian (%)", "capaian_pct", "pct"),
            Col("Predikat", "predikat", "kategori", "warna_predikat"),
            Col("Serapan anggaran sasaran (%)", "serapan_pct", "pct"),
        ],
    )
    kategori = frame_table(
        "ringkasan_jumlah_kategori",
        f"Jumlah Sub Kegiatan per Kategori (dari {len(sub)} sub kegiatan)",
        counts,
        [
            Col("Kategori", "kategori"),
            Col("Capaian fisik", "Capaian fisik", "angka"),
            Col("Realisasi anggaran", "Realisasi anggaran", "angka"),
        ],
        total={"Capaian fisik": len(sub), "Realisasi anggaran": len(sub)},
        number=False,
    )
    return _blocks(d, "ringkasan_eksekutif", capaian=capaian, kategori=kategori, temuan=findings)


# --------------------------------------------------------------------------- Bab I


def _year_table(key: str, title: str, frame: pd.DataFrame, first: str, total: bool) -> Table:
    """A table of counts per year (pegawai, sarana): one row per uraian, a column per year."""
    years = sorted(frame["tahun"].unique())
    wide = frame.pivot_table(index=["no", "uraian"], columns="tahun", values="jumlah")
    wide = wide.reset_index()
    cols = [Col(first, "uraian", width=2)]
    cols += [Col(str(y), y, "angka", group="Jumlah") for y in years]
    sums = {str(y): wide[y].sum() for y in years} if total else None
    return frame_table(key, title, wide, cols, total=sums)


def bab_i_blocks(d: ReportData) -> list[Block]:
    """Bab I Pendahuluan: background, legal basis, organisation, staff, facilities, scope."""
    peg = d.raw["pegawai"]
    head, units = organisation_units(d)
    pegawai = []
    for kategori, (judul, kolom) in PEGAWAI_TITLES.items():
        part = peg[peg["kategori"] == kategori]
        if not part.empty:
            pegawai.append(_year_table(f"pegawai_{kategori}", judul, part, kolom, total=True))
    sarana = _year_table(
        "sarana_prasarana",
        "Jumlah Sarana dan Prasarana",
        d.raw["sarana_prasarana"],
        "Sarana dan Prasarana",
        total=False,
    )
    bagan = _figure(d, "bagan_organisasi") if units else []
    return _blocks(d, "bab_i", pegawai=pegawai, sarana=sarana, bagan=bagan)


def organisation_units(d: ReportData) -> tuple[str, list[str]]:
    """The head and the units of the organisation chart (from pegawai, kategori unit_kerja)."""
    peg = d.raw["pegawai"]
    units = peg[peg["kategori"] == "unit_kerja"]
    units = units[units["tahun"] == units["tahun"].max()].sort_values("no")["uraian"].tolist()
    if not units:
        return d.info("nama_instansi"), []
    return units[0], units[1:]


# --------------------------------------------------------------------------- Bab II


def _sasaran_full(d: ReportData) -> pd.DataFrame:
    return (
        d.raw["indikator"]
        .merge(d.raw["sasaran"], on="kode_sasaran")
        .merge(d.raw["tujuan"], on="kode_tujuan")
    )


def _items(text: Any) -> Cell:
    """A cell of "a | b | c" as a numbered list (one item: the text itself)."""
    parts = [p.strip() for p in str(text).split("|") if p.strip()]
    if len(parts) <= 1:
        return cell(text)
    return Cell(str(text), text, items=tuple(p.lstrip("0123456789) ") for p in parts))


def bab_ii_blocks(d: ReportData) -> list[Block]:
    """Bab II: Renstra (visi, misi, tujuan, sasaran, strategi, targets), IKU, RKT, PK."""
    full = _sasaran_full(d)
    renstra = d.raw["target_renstra"].pivot_table(
        index="kode_indikator", columns="tahun", values="target"
    )
    with_targets = full.set_index("kode_indikator").join(renstra).reset_index()
    years = list(renstra.columns)
    rpjmd_tujuan = d.info("tujuan_rpjmd")
    tables = {
        "keterkaitan": frame_table(
            "keterkaitan_rpjmd",
            "Keterkaitan Visi, Misi, Tujuan, Sasaran Renstra PD dengan RPJMD",
            full,
            [
                Col("Tujuan OPD", "uraian_tujuan"),
                Col("Tujuan RPJMD", lambda r: rpjmd_tujuan),
                Col("Sasaran OPD", "uraian_sasaran"),
                Col("Sasaran RPJMD", "sasaran_rpjmd"),
                Col("Arah Kebijakan", lambda r: _items(r["arah_kebijakan"]), width=1.5),
            ],
        ),
        "strategi": frame_table(
            "keterkaitan_strategi",
            "Keterkaitan Tujuan, Sasaran, Strategi dan Arah Kebijakan",
            full,
            [
                Col("Tujuan", "uraian_tujuan"),
                Col("Sasaran", "uraian_sasaran"),
                Col("Strategi", "strategi"),
                Col("Arah Kebijakan", lambda r: _items(r["arah_kebijakan"]), width=1.5),
            ],
            number=False,
        ),
        "target_renstra": frame_table(
            "target_renstra",
            "Keterkaitan Visi, Misi, Tujuan, Sasaran, Indikator Sasaran dan Rencana Target "
            "Capaian Indikator",
            with_targets,
            [
                Col("Tujuan", "uraian_tujuan", width=1.5),
                Col("Sasaran", "uraian_sasaran", width=1.5),
                Col("Indikator Sasaran", "uraian_indikator", width=1.5),
                Col("Kondisi awal", "kondisi_awal", "desimal"),
                *[
                    Col(str(y), y, "desimal", group="Target Kinerja Sasaran pada Tahun")
                    for y in years
                ],
                Col("Target akhir", "target_akhir_renstra", "desimal"),
            ],
            landscape=len(years) > 3,
        ),
        "iku": frame_table(
            "iku",
            "Indikator Kinerja Utama",
            full[full["is_iku"] == "ya"],
            [
                Col("Sasaran Renstra OPD", "uraian_sasaran", group="Sasaran"),
                Col("Sasaran RPJMD", "sasaran_rpjmd", group="Sasaran"),
                Col("Indikator Kinerja Utama", "uraian_indikator"),
                Col("Unit Penanggung Jawab", "unit_penanggung_jawab"),
                Col("Sumber Data", "sumber_data"),
            ],
        ),
        "rkt": rkt_table(d),
        "pk": frame_table(
            "perjanjian_kinerja",
            f"Perjanjian Kinerja Tahun {d.year}",
            _year_rows(d, d.year),
            [
                Col("Sasaran Strategis", "uraian_sasaran"),
                Col("Indikator Kinerja", "uraian_indikator"),
                Col("Satuan", "satuan"),
                Col(f"Target {d.year}", "target", "desimal"),
            ],
        ),
    }
    visi_misi = f"Visi: {d.info('visi')}. Misi: {d.info('misi')}."
    return _blocks(d, "bab_ii", t=tables, visi_misi=visi_misi)


def rkt_table(d: ReportData) -> Table:
    """RKT: for each sasaran its indikator and targets (merged over its rows), its kegiatan
    and their sub kegiatan with budgets."""
    pk = _year_rows(d, d.year)
    keg = d.res.kegiatan.merge(
        d.raw["program"][["kode_program", "kode_sasaran"]], on="kode_program"
    )
    rows: list[tuple[Cell, ...]] = []
    total = 0
    for sas in d.raw["sasaran"].itertuples():
        group: list[tuple[Cell, ...]] = []
        for k in keg[keg["kode_sasaran"] == sas.kode_sasaran].itertuples():
            total += k.anggaran_rp
            group.append(
                (Cell(k.nama_kegiatan, k.nama_kegiatan, bold=True), cell(k.anggaran_rp, "rp"))
            )
            subs = d.res.sub_kegiatan[d.res.sub_kegiatan["kode_kegiatan"] == k.kode_kegiatan]
            for s in subs.itertuples():
                group.append(
                    (
                        Cell(s.nama_sub_kegiatan, s.nama_sub_kegiatan, indent=1),
                        cell(s.anggaran_rp, "rp"),
                    )
                )
        if not group:
            continue
        ind = pk[pk["kode_sasaran"] == sas.kode_sasaran]
        indikator = "; ".join(ind["uraian_indikator"])
        target = "; ".join(
            f"{format_nilai(t)} {u}" for t, u in zip(ind["target"], ind["satuan"], strict=True)
        )
        span = len(group)
        rows.append(
            (
                Cell(sas.uraian_sasaran, sas.uraian_sasaran, rowspan=span),
                Cell(indikator, indikator, rowspan=span),
                Cell(target, target, rowspan=span),
                *group[0],
            )
        )
        rows += group[1:]
    columns = (
        Column("Sasaran"),
        Column("Indikator"),
        Column("Target"),
        Column("Kegiatan / Sub Kegiatan", width=1.5),
        Column("Anggaran (Rp)", "rp"),
    )
    foot = [(Cell("Jumlah", bold=True), Cell(""), Cell(""), Cell(""), cell(total, "rp", bold=True))]
    return Table("rkt", f"Rencana Kinerja Tahunan (RKT) Tahun {d.year}", columns, rows, foot)


# --------------------------------------------------------------------------- Bab III


AGGREGATION_TEXT = {
    "tertimbang_anggaran": "rata-rata tertimbang anggaran",
    "rata_rata": "rata-rata sederhana",
}


def boundary_sentence_predikat(config: Config) -> str:
    """The boundary rule of the predikat scale with an example from its thresholds."""
    scale = config.predikat
    top = scale.categories[0]
    at, above = _boundary_example(scale)
    text = (
        "Aturan batas: sebuah nilai masuk ke kategori tertinggi yang batas bawahnya "
        f"dilampaui (lebih dari); misalnya capaian {format_pct(top.above)} berpredikat "
        f"{at.code or at.label} dan {format_pct(top.above + 0.01)} {above.code or above.label}."
    )
    over = scale.categorize(100.01)
    if over is top:
        text += " Capaian di atas 100% masuk kategori teratas."
    text += " Capaian dengan target 0 tidak dapat dihitung dan tidak diberi predikat."
    return text


def boundary_sentence_realisasi(config: Config) -> str:
    """The boundary rule of the realisation scale with an example from its thresholds."""
    scale = config.realisasi
    top = scale.categories[0]
    at, above = _boundary_example(scale)
    text = (
        f"Untuk nilai desimal berlaku aturan batas yang sama: {format_pct(top.above)} "
        f"berkategori {at.label}, {format_pct(top.above + 0.01)} {above.label}"
    )
    over = scale.categorize(100.01)
    if over is not None:
        text += f"; nilai di atas 100% {over.label}"
    return text + "."


def _boundary_example(scale: Scale) -> tuple[Any, Any]:
    """The categories of the top band's threshold and of one hundredth above it."""
    top = scale.categories[0]
    return scale.categorize(top.above), scale.categorize(top.above + 0.01)


def aggregation_name(config: Config) -> str:
    """The aggregation method of physical capaian in words (agregasi.metode_capaian_fisik)."""
    return AGGREGATION_TEXT[config.aggregation_method]


def skala_predikat_table(d: ReportData) -> Table:
    """The predikat scale (Tabel 3.1) with its colour codes, from config/lkj.toml."""
    pred = pd.DataFrame(
        [
            {"kode": c.code, "interval": c.interval, "label": c.label, "warna": c.color}
            for c in d.config.predikat.categories
        ]
    )
    return frame_table(
        "skala_predikat",
        d.config.predikat.name,
        pred,
        [
            Col("Kategori", "kode"),
            Col("Nilai", "interval"),
            Col("Interpretasi", "label"),
            Col("Kode Warna", lambda r: category_cell(r["warna"], r["warna"])),
        ],
    )


def skala_realisasi_table(d: ReportData) -> Table:
    """The realisation scale (physical and budget) with its colours, from config/lkj.toml."""
    real = pd.DataFrame(
        [
            {"interval": c.interval, "label": c.label, "warna": c.color}
            for c in d.config.realisasi.categories
        ]
    )
    basis = f" ({d.config.realisasi.basis})" if d.config.realisasi.basis else ""
    return frame_table(
        "skala_realisasi",
        f"{d.config.realisasi.name}{basis}",
        real,
        [
            Col("Interval Nilai Realisasi Kinerja", "interval"),
            Col("Kriteria Penilaian Realisasi Kinerja", "label", "kategori", "warna"),
        ],
    )


def _predikat(row: pd.Series) -> Cell:
    if not isinstance(row["predikat"], str) or not row["predikat"]:
        return Cell("tidak dapat dihitung")
    return category_cell(f"{row['predikat_kode']} {row['predikat']}", row["warna_predikat"])


def evaluasi_indikator_table(d: ReportData) -> Table:
    """Target, realisasi, capaian and predikat of each indikator this year."""
    return frame_table(
        "evaluasi_indikator",
        f"Evaluasi Indikator Kinerja Sasaran Tahun {d.year}",
        _year_rows(d, d.year),
        [
            Col("Sasaran", "uraian_sasaran", width=1.5),
            Col("Indikator Kinerja", "uraian_indikator", width=1.5),
            Col("Satuan", "satuan"),
            Col("Target", "target", "desimal"),
            Col("Realisasi", "realisasi", "desimal"),
            Col("Capaian Kinerja (%)", "capaian_pct", "pct"),
            Col("Predikat", _predikat),
        ],
    )


def bab_iii_blocks(d: ReportData) -> list[Block]:
    """Bab III in full: framework, evaluation, analysis per sasaran, financial accountability,
    comparison between years."""
    pengukuran = frame_table(
        "evaluasi_pengukuran",
        "Evaluasi Pengukuran Kinerja",
        _year_rows(d, d.year),
        [
            Col("Sasaran", "uraian_sasaran"),
            Col("Indikator Kinerja", "uraian_indikator"),
            Col(f"Rencana Tahun {d.year}", lambda r: _quantity(r["target"], r["satuan"])),
        ],
    )
    return _blocks(
        d,
        "bab_iii",
        skala_predikat=skala_predikat_table(d),
        aturan_batas_predikat=boundary_sentence_predikat(d.config),
        pengukuran=pengukuran,
        evaluasi=evaluasi_indikator_table(d),
        sasaran=analisis_sasaran(d),
        keuangan=akuntabilitas_keuangan(d),
        riwayat=perbandingan_antar_tahun(d),
    )


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
            "evaluasi": frame_table(
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
            ),
            "perbandingan": _comparison_sentence(d, ind),
            "ringkasan": "",
            "sub_kegiatan": [],
            "efisiensi": [],
            "metode_efisiensi": "",
        }
        subs = sub[sub["kode_sasaran"] == code]
        agg = d.res.sasaran[d.res.sasaran["kode_sasaran"] == code]
        if not agg.empty:
            a = agg.iloc[0]
            entry["ringkasan"] = (
                f"Sasaran ini didukung oleh {a.jumlah_program} program, {a.jumlah_kegiatan} "
                f"kegiatan dan {a.jumlah_sub_kegiatan} sub kegiatan dengan anggaran "
                f"{format_rp(a.anggaran_rp)} ({terbilang(a.anggaran_rp)}) dan realisasi "
                f"{format_rp(a.realisasi_anggaran_rp)} atau serapan "
                f"{format_pct(a.serapan_pct)}; capaian kinerja fisik sub kegiatannya "
                f"({aggregation_name(d.config)}) {format_pct(a.capaian_fisik_pct)}."
            )
        if not subs.empty:
            a = agg.iloc[0]
            entry["sub_kegiatan"] = frame_table(
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
            entry["metode_efisiensi"] = efficiency_sentence(d.config)
            entry["efisiensi"] = frame_table(
                f"efisiensi_sasaran_{code}",
                f"Analisis Efisiensi Sasaran {label}",
                subs,
                [
                    Col("Sub Kegiatan", "nama_sub_kegiatan", width=2),
                    Col("Anggaran (Rp)", "anggaran_rp", "rp"),
                    Col("Realisasi (Rp)", "realisasi_anggaran_rp", "rp"),
                    Col("Capaian fisik (%)", "capaian_fisik_pct", "pct"),
                    Col("Serapan anggaran (%)", "serapan_pct", "pct"),
                    Col("Indeks efisiensi", "indeks_efisiensi", "desimal"),
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
        out.append(entry)
    return out


# How to read the result of each efficiency method (efisiensi.metode of config/lkj.toml).
EFFICIENCY_READING = {
    "indeks_efisiensi": "Indeks ≥ 1 berarti keluaran dicapai dengan bagian anggaran yang relatif "
    "lebih kecil (efisien); indeks < 1 berarti serapan anggaran lebih tinggi daripada capaian "
    "fisiknya.",
}


def efficiency_sentence(config: Config) -> str:
    """The efficiency method (efisiensi.nama and .metode of config/lkj.toml) and how to read
    its result."""
    return f"Metode: {config.efficiency_name}. {EFFICIENCY_READING[config.efficiency_method]}"


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


def _lra_rows(d: ReportData) -> pd.DataFrame:
    lra = d.raw["lra"]
    rows = [
        {
            "uraian": "Belanja Daerah",
            "tingkat": 0,
            "anggaran_rp": lra["anggaran_rp"].sum(),
            "realisasi_rp": lra["realisasi_rp"].sum(),
        }
    ]
    for kelompok, group in lra.groupby("kelompok_belanja", sort=False):
        rows.append(
            {
                "uraian": kelompok,
                "tingkat": 0,
                "anggaran_rp": group["anggaran_rp"].sum(),
                "realisasi_rp": group["realisasi_rp"].sum(),
            }
        )
        for r in group.itertuples():
            rows.append(
                {
                    "uraian": r.jenis_belanja,
                    "tingkat": 1,
                    "anggaran_rp": r.anggaran_rp,
                    "realisasi_rp": r.realisasi_rp,
                }
            )
    return add_realisasi_columns(pd.DataFrame(rows), d.config, "anggaran_rp", "realisasi_rp")


def _budget_cols(
    name_header: str, name_key: str | Callable, budget: str = "realisasi_anggaran_rp"
) -> list[Col]:
    return [
        Col(name_header, name_key, width=2),
        Col("Anggaran (Rp)", "anggaran_rp", "rp"),
        Col("Realisasi (Rp)", budget, "rp"),
        Col("Serapan (%)", "serapan_pct", "pct"),
        Col("Kategori", "kategori_anggaran", "kategori", "warna_anggaran"),
    ]


def _count_sentence(frame: pd.DataFrame, column: str, noun: str, scale_labels: list[str]) -> str:
    counts = frame[column].value_counts()
    parts = []
    for label in scale_labels:
        if label not in counts:
            continue
        names = ""
        if noun == "program":
            members = frame.loc[frame[column] == label, "nama_program"]
            names = " (" + "; ".join(members) + ")"
        parts.append(
            f"{counts[label]} {noun} "
            f"({format_pct(numbers.ratio_pct(counts[label], len(frame), 0), 0)}) "
            f"berkategori {label}{names}"
        )
    return ", ".join(parts)


def _alokasi_rows(d: ReportData) -> pd.DataFrame:
    """Each sasaran, its programs and their sub kegiatan with budgets."""
    rows = []
    res = d.res
    for sas in res.sasaran.itertuples():
        rows.append(
            {
                "tingkat": "sasaran",
                "nama": sas.uraian_sasaran,
                "anggaran_rp": sas.anggaran_rp,
                "realisasi_anggaran_rp": sas.realisasi_anggaran_rp,
            }
        )
        for prog in res.program[res.program["kode_sasaran"] == sas.kode_sasaran].itertuples():
            rows.append(
                {
                    "tingkat": "program",
                    "nama": prog.nama_program,
                    "anggaran_rp": prog.anggaran_rp,
                    "realisasi_anggaran_rp": prog.realisasi_anggaran_rp,
                }
            )
            subs = res.sub_kegiatan[res.sub_kegiatan["kode_program"] == prog.kode_program]
            for s in subs.itertuples():
                rows.append(
                    {
                        "tingkat": "sub",
                        "nama": s.nama_sub_kegiatan,
                        "anggaran_rp": s.anggaran_rp,
                        "realisasi_anggaran_rp": s.realisasi_anggaran_rp,
                    }
                )
    frame = pd.DataFrame(rows)
    return add_realisasi_columns(frame, d.config, "anggaran_rp", "realisasi_anggaran_rp")


def _alokasi_name(row: pd.Series) -> Cell:
    name = str(row["nama"])
    if row["tingkat"] == "sasaran":
        return Cell(f"Sasaran: {name}", name, bold=True)
    if row["tingkat"] == "program":
        return Cell(name, name, italic=True)
    return Cell(name, name, indent=1)


def _lra_name(row: pd.Series) -> Cell:
    return Cell(str(row["uraian"]), row["uraian"], indent=int(row["tingkat"]))


def _total(frame: pd.DataFrame, extra: tuple[str, ...] = ()) -> dict[str, Any]:
    budget, spent = frame["anggaran_rp"].sum(), frame["realisasi_anggaran_rp"].sum()
    out = {
        "Anggaran (Rp)": budget,
        "Realisasi (Rp)": spent,
        "Serapan (%)": numbers.as_float(numbers.ratio_pct(spent, budget)),
    }
    names = {"jumlah_program": "Jml Prog", "jumlah_sub_kegiatan": "Jml Sub Keg"}
    for column in extra:
        out[names[column]] = frame[column].sum()
    return out


def capaian_table(
    key: str, frame: pd.DataFrame, header: str, name: str, title: str, physical: bool = False
) -> Table:
    """Capaian kinerja and realisasi anggaran of programs, kegiatan or sub kegiatan (a wide
    table on landscape pages, merged headers "Kinerja" and "Keuangan")."""
    cols = [Col(header, name, width=2.5)]
    if physical:
        cols += [
            Col("Target Fisik", "target_fisik", "desimal", group="Kinerja"),
            Col("Realisasi Fisik", "realisasi_fisik", "desimal", group="Kinerja"),
        ]
    cols += [
        Col("Capaian Kinerja (%)", "capaian_fisik_pct", "pct", group="Kinerja"),
        Col("Kategori Kinerja", "kategori_fisik", "kategori", "warna_fisik", group="Kinerja"),
        Col("Anggaran (Rp)", "anggaran_rp", "rp", group="Keuangan"),
        Col("Realisasi Anggaran (Rp)", "realisasi_anggaran_rp", "rp", group="Keuangan"),
        Col("Capaian Anggaran (%)", "serapan_pct", "pct", group="Keuangan"),
        Col(
            "Kategori Anggaran", "kategori_anggaran", "kategori", "warna_anggaran", group="Keuangan"
        ),
    ]
    budget, spent = frame["anggaran_rp"].sum(), frame["realisasi_anggaran_rp"].sum()
    total = {
        "Anggaran (Rp)": budget,
        "Realisasi Anggaran (Rp)": spent,
        "Capaian Anggaran (%)": numbers.as_float(numbers.ratio_pct(spent, budget)),
    }
    return frame_table(key, title, frame, cols, total=total, small=True, landscape=True)


def akuntabilitas_keuangan(d: ReportData) -> dict[str, Any]:
    """3.4: LRA, belanja langsung, budget by sasaran, program, kegiatan and sub kegiatan, with
    the sentences that restate them."""
    res, year = d.res, d.year
    total = res.ringkasan.set_index("sumber")
    sk, lra = total.loc["sub_kegiatan"], total.loc["lra"]
    labels = d.config.realisasi.labels
    prog, keg, sub = res.program, res.kegiatan, res.sub_kegiatan
    out: dict[str, Any] = {
        "pengantar": (
            f"Belanja {_org(d)} tahun {year} menurut rincian sub kegiatan berjumlah "
            f"{format_rp(sk.anggaran_rp)} ({terbilang(sk.anggaran_rp)}) dan terealisasi "
            f"{format_rp(sk.realisasi_rp)} ({terbilang(sk.realisasi_rp)}) atau "
            f"{format_pct(sk.serapan_pct)}, sehingga terdapat SILPA {format_rp(sk.silpa_rp)} "
            f"({format_pct(sk.silpa_pct)})."
        ),
        "catatan_lra": "",
    }
    if sk.anggaran_rp != lra.anggaran_rp or sk.realisasi_rp != lra.realisasi_rp:
        out["catatan_lra"] = (
            f"Catatan: menurut LRA anggaran berjumlah {format_rp(lra.anggaran_rp)} dan "
            f"realisasi {format_rp(lra.realisasi_rp)}; selisih dengan jumlah sub kegiatan "
            f"adalah {format_rp(sk.anggaran_rp - lra.anggaran_rp)} (anggaran) dan "
            f"{format_rp(sk.realisasi_rp - lra.realisasi_rp)} (realisasi). Lihat Catatan "
            "Kualitas Data."
        )
    alokasi = _alokasi_rows(d)
    out["tabel"] = {
        "lra": frame_table(
            "lra",
            f"Rincian Alokasi Anggaran Tahun {year} (Laporan Realisasi Anggaran)",
            _lra_rows(d),
            _budget_cols("Jenis Belanja", _lra_name, "realisasi_rp"),
        ),
        "belanja_langsung": frame_table(
            "belanja_langsung",
            f"Alokasi Anggaran Belanja Langsung untuk Mencapai Sasaran Tahun {year}",
            res.belanja_langsung,
            _budget_cols("Uraian", "uraian"),
            total=_total(res.belanja_langsung),
        ),
        "sasaran": frame_table(
            "anggaran_sasaran",
            f"Alokasi dan Realisasi Anggaran untuk Mencapai Sasaran Tahun {year}",
            res.sasaran,
            [
                Col("Sasaran Strategis", "uraian_sasaran", width=2),
                Col("Jml Prog", "jumlah_program", "angka"),
                Col("Jml Sub Keg", "jumlah_sub_kegiatan", "angka"),
                *_budget_cols("", "")[1:],
            ],
            total=_total(res.sasaran, extra=("jumlah_program", "jumlah_sub_kegiatan")),
        ),
        "alokasi": frame_table(
            "anggaran_sasaran_program",
            "Alokasi dan Realisasi Anggaran Sasaran per Program dan Sub Kegiatan",
            alokasi,
            _budget_cols("Sasaran / Program / Sub Kegiatan", _alokasi_name),
            total=_total(alokasi[alokasi["tingkat"] == "sasaran"]),
            number=False,
        ),
        "program": frame_table(
            "anggaran_program",
            "Anggaran dan Realisasi Keuangan pada Masing-Masing Program",
            prog,
            _budget_cols("Program", "nama_program"),
            total=_total(prog),
        ),
        "capaian_program": capaian_table(
            "capaian_program",
            prog,
            "Program",
            "nama_program",
            "Capaian Kinerja dan Realisasi Anggaran Program",
        ),
        "capaian_kegiatan": capaian_table(
            "capaian_kegiatan",
            keg,
            "Kegiatan",
            "nama_kegiatan",
            "Capaian Kinerja dan Realisasi Anggaran Kegiatan",
        ),
        "capaian_sub_kegiatan": capaian_table(
            "capaian_sub_kegiatan",
            sub,
            "Sub Kegiatan",
            "nama_sub_kegiatan",
            "Capaian Kinerja dan Realisasi Anggaran Sub Kegiatan",
            physical=True,
        ),
        "skala_realisasi": skala_realisasi_table(d),
    }
    out["grafik"] = {stem: _figure(d, stem) for stem in FIGURES if stem.startswith("grafik_")}
    for stem in CAPAIAN_CHARTS:  # one figure, or several when split; captions say what is shown
        out["grafik"][stem] = [_figure(d, p.stem, p.caption) for p in capaian_chart_parts(d, stem)]
    out["kalimat"] = {
        "program_anggaran": f"Dari {len(prog)} program, realisasi anggaran: "
        + _count_sentence(prog, "kategori_anggaran", "program", labels)
        + ".",
        "program_kinerja": "Capaian kinerja program: "
        + _count_sentence(prog, "kategori_fisik", "program", labels)
        + ".",
        "kegiatan": f"Dari {len(keg)} kegiatan, capaian kinerja: "
        + _count_sentence(keg, "kategori_fisik", "kegiatan", labels)
        + "; realisasi anggaran: "
        + _count_sentence(keg, "kategori_anggaran", "kegiatan", labels)
        + ".",
        "sub_kegiatan": f"Dari {len(sub)} sub kegiatan, capaian kinerja: "
        + _count_sentence(sub, "kategori_fisik", "sub kegiatan", labels)
        + "; realisasi anggaran: "
        + _count_sentence(sub, "kategori_anggaran", "sub kegiatan", labels)
        + ".",
        "aturan_batas": boundary_sentence_realisasi(d.config),
    }
    return out


def _span(years: list[int]) -> str:
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"


def perbandingan_antar_tahun(d: ReportData) -> dict[str, Any]:
    """3.5: this year against last year and every earlier year in data/raw
    (lkj.analysis.riwayat)."""
    history = d.history
    wide = history.capaian_wide()
    ind_years = sorted(
        int(c.removeprefix("capaian_")) for c in wide.columns if c.startswith("capaian_")
    )
    cols = [Col("Kode", "kode_indikator"), Col("Indikator Kinerja", "uraian_indikator", width=2)]
    cols += [Col("Satuan", "satuan")]
    cols += [Col(f"Capaian {y} (%)", f"capaian_{y}", "pct") for y in ind_years]
    prev = history.previous
    if prev in ind_years and history.year in ind_years:
        wide["perubahan"] = [
            numbers.as_float(riwayat.difference(now, before))
            for now, before in zip(
                wide[f"capaian_{history.year}"], wide[f"capaian_{prev}"], strict=True
            )
        ]
        signed = riwayat.signed("perubahan")  # the history's own rounding of a change
        cols.append(
            Col(
                f"Perubahan {prev}–{history.year} (poin)",
                lambda r: Cell(signed(r), r["perubahan"], "desimal"),
            )
        )
    if history.year in ind_years:
        cols.append(Col(f"Predikat {history.year}", "predikat", "kategori", "warna_predikat"))
    budget_years = [int(t) for t in history.anggaran["tahun"]]
    ind_span, budget_span = _span(ind_years), _span(budget_years)
    return {
        "kalimat": comparison_text(history),
        "capaian": frame_table(
            "riwayat_capaian",
            f"Capaian Indikator Kinerja Sasaran Tahun {ind_span}",
            wide,
            cols,
        ),
        "grafik_capaian": _figure(
            d, FIGURE_CAPAIAN, f"Capaian Indikator Kinerja Sasaran Tahun {ind_span}", "Grafik"
        ),
        "anggaran": frame_table(
            "riwayat_anggaran",
            f"Anggaran dan Realisasi Anggaran Tahun {budget_span}",
            history.anggaran,
            [
                Col("Tahun", lambda r: str(int(r["tahun"]))),
                Col("Anggaran (Rp)", "anggaran_rp", "rp"),
                Col("Realisasi (Rp)", "realisasi_rp", "rp"),
                Col("Serapan (%)", "serapan_pct", "pct"),
                Col("SILPA (Rp)", "silpa_rp", "rp"),
                Col("Kategori", "kategori_anggaran", "kategori", "warna_anggaran"),
            ],
            number=False,
        ),
        "grafik_serapan": _figure(
            d,
            FIGURE_SERAPAN,
            f"Anggaran, Realisasi dan Serapan Anggaran Tahun {budget_span}",
            "Grafik",
        ),
    }


def category_counts(d: ReportData) -> pd.DataFrame:
    """Counts per realisation category of programs, kegiatan and sub kegiatan (for Grafik 4)."""
    labels = d.config.realisasi.labels
    rows = {}
    for name, frame in (
        ("Program", d.res.program),
        ("Kegiatan", d.res.kegiatan),
        ("Sub kegiatan", d.res.sub_kegiatan),
    ):
        rows[f"{name}: capaian kinerja"] = frame["kategori_fisik"].value_counts()
        rows[f"{name}: realisasi anggaran"] = frame["kategori_anggaran"].value_counts()
    counts = pd.DataFrame(rows).T.reindex(columns=labels).fillna(0).astype(int)
    return counts


# --------------------------------------------------------------------------- Bab IV


def penutup_blocks(d: ReportData) -> list[Block]:
    """Bab IV: the agency's closing text, a summary generated from the figures, signature."""
    ind = _year_rows(d, d.year)
    sk = d.res.ringkasan.set_index("sumber").loc["sub_kegiatan"]
    predikat = "; ".join(
        f"{r.uraian_indikator} {format_pct(r.capaian_pct)} ({r.predikat})" for r in ind.itertuples()
    )
    summary = (
        f"Capaian indikator kinerja sasaran tahun {d.year}: {predikat}. Realisasi anggaran "
        f"mencapai {format_pct(sk.serapan_pct)} dari {format_rp(sk.anggaran_rp)}."
    )
    return _blocks(d, "penutup", ringkasan=summary, ttd=_signature(d))


# --------------------------------------------------------------------------- Lampiran


def lampiran_blocks(d: ReportData) -> list[Block]:
    """Lampiran: the other tables, the tim penyusun, data quality notes, provenance."""
    ormas_tables = []
    ormas = d.raw.get("ormas")
    if ormas is not None and not ormas.empty:
        titles = {
            "dibentuk": "Data Jumlah Organisasi yang Dibentuk di Kabupaten",
            "terdata_terdaftar": "Data Jumlah Organisasi yang Terdata dan Terdaftar",
        }
        for tabel, group in ormas.groupby("tabel", sort=False):
            group = group.assign(jumlah=group["terdaftar"] + group["terdata"])
            t = frame_table(
                f"ormas_{tabel}",
                f"{titles.get(tabel, tabel)} s.d. Tahun {d.year}",
                group,
                [
                    Col("Kecamatan", "kecamatan", width=2),
                    Col("Terdaftar", "terdaftar", "angka"),
                    Col("Terdata", "terdata", "angka"),
                    Col("Jumlah", "jumlah", "angka"),
                ],
                total={
                    "Terdaftar": group["terdaftar"].sum(),
                    "Terdata": group["terdata"].sum(),
                    "Jumlah": group["jumlah"].sum(),
                },
            )
            sentence = (
                f"Jumlah organisasi: {format_angka(group['jumlah'].sum())}, terdiri atas "
                f"{format_angka(group['terdaftar'].sum())} terdaftar dan "
                f"{format_angka(group['terdata'].sum())} terdata."
            )
            ormas_tables.append({"tabel": t, "kalimat": sentence})
    tka_part = None
    tka = d.raw.get("tenaga_kerja_asing")
    if tka is not None and not tka.empty:
        tka_part = {
            "tabel": frame_table(
                "tenaga_kerja_asing",
                f"Data Orang Asing atau Tenaga Kerja Asing Tahun {d.year}",
                tka,
                [
                    Col("Perusahaan", "perusahaan", width=2),
                    Col("Negara Asal", "negara_asal"),
                    Col("Jumlah", "jumlah", "angka"),
                ],
                total={"Jumlah": tka["jumlah"].sum()},
            ),
            "kalimat": f"Terdapat {format_angka(tka['jumlah'].sum())} orang tenaga kerja asing "
            f"pada {tka['perusahaan'].nunique()} perusahaan.",
        }
    tim_table = None
    tim = d.raw.get("tim_penyusun")
    if tim is not None and not tim.empty:
        tim_table = frame_table(
            "tim_penyusun",
            f"Tim Penyusun Laporan Kinerja Tahun {d.year}",
            tim,
            [
                Col(
                    "Nama / NIP / Pangkat",
                    lambda r: Cell(
                        f"{r['nama']}\nNIP. {r['nip']}\n{r['pangkat_golongan']}", r["nama"]
                    ),
                    width=1.5,
                ),
                Col("Jabatan", "jabatan"),
                Col("Jabatan dalam Tim", "jabatan_dalam_tim"),
            ],
        )
    return _blocks(
        d,
        "lampiran",
        ormas=ormas_tables,
        tka=tka_part,
        tim=tim_table,
        kualitas=catatan_kualitas_data(d),
        asal_usul=provenance(d),
    )


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


def _git_commit(root: Path) -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        )
        return out.stdout.strip() + (
            " (dengan perubahan belum di-commit)" if dirty.stdout.strip() else ""
        )
    except (OSError, subprocess.SubprocessError):
        return "tidak diketahui"


def input_files(d: ReportData) -> pd.DataFrame:
    """Every file of data/raw/YEAR with its size and SHA-256."""
    rows = []
    for path in sorted(p for p in d.raw_dir.rglob("*") if p.is_file()):
        data = path.read_bytes()
        rows.append(
            {
                "file": path.relative_to(d.raw_dir.parent).as_posix(),
                "ukuran_byte": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
        )
    return pd.DataFrame(rows, columns=["file", "ukuran_byte", "sha256"])


def provenance(d: ReportData) -> dict[str, Any]:
    """Data provenance: input files with checksums, software versions, date and commit."""
    from importlib.metadata import PackageNotFoundError, version

    files = input_files(d)
    software = [{"paket": "python", "versi": platform.python_version()}]
    for name in SOFTWARE:
        try:
            software.append({"paket": name, "versi": version(name)})
        except PackageNotFoundError:
            software.append({"paket": name, "versi": "tidak terpasang"})
    root = ROOT
    return {
        "file": frame_table(
            "file_masukan",
            f"File Data Masukan (folder data mentah {d.raw_dir.parent.name}/)",
            files,
            [
                Col("File", "file", width=1.5),
                Col("Ukuran (byte)", "ukuran_byte", "angka"),
                Col("SHA-256", lambda r: Cell(r["sha256"], r["sha256"], mono=True), width=2),
            ],
            small=True,
        ),
        "perangkat_lunak": frame_table(
            "perangkat_lunak",
            "Versi Perangkat Lunak",
            pd.DataFrame(software),
            [Col("Paket", "paket"), Col("Versi", "versi")],
        ),
        "waktu": f"Dibangun pada {date.today().isoformat()} dari commit {_git_commit(root)}.",
    }


# --------------------------------------------------------------------------- the whole report

# The parts of the report in order; notebooks/04_laporan.ipynb displays one per cell.
PARTS = (
    "sampul",
    "kata_pengantar",
    "daftar_isi",
    "ringkasan_eksekutif",
    "bab_i",
    "bab_ii",
    "bab_iii",
    "penutup",
    "lampiran",
)


def report_document(d: ReportData) -> Document:
    """The whole report as one document, its tables and figures numbered (built once per
    ``d``; every format renders it).

    Args:
        d: the report's data.

    Returns:
        The document.
    """
    if "document" not in d._cache:
        parts = [Part(name, globals()[f"{name}_blocks"](d)) for name in PARTS]
        doc = Document(
            title=f"Laporan Kinerja Tahun {d.year} {_org(d)}".strip(),
            parts=parts,
            author=_org(d),
        )
        number_blocks(doc.blocks)
        d._cache["document"] = doc
    return d._cache["document"]


def capaian_chart_parts(d: ReportData, stem: str) -> list[grafik.ChartPart]:
    """What the capaian chart ``stem`` shows (every row, or the lowest and highest, or parts),
    with the file stems and captions; the same plan that ``draw_figures`` drew."""
    table, _column, noun, _width = CAPAIAN_CHARTS[stem]
    return grafik.plan_capaian_chart(getattr(d.res, table), stem, FIGURES[stem][1], noun)


def draw_figures(d: ReportData) -> dict[str, dict[str, Path]]:
    """Draw every figure of the report into ``d.figures`` (PNG).

    Args:
        d: the report's data.

    Returns:
        File stem to {"png": path}.
    """

    res = d.res
    figures = {"grafik_1_anggaran_program": grafik.grafik_anggaran_program(res.program)}
    for stem, (table, column, noun, width) in CAPAIAN_CHARTS.items():
        title = FIGURES[stem][1]
        for part, fig in grafik.grafik_capaian_parts(
            getattr(res, table), column, stem, title, noun, label_width=width
        ):
            figures[part.stem] = fig
    figures["grafik_4_distribusi_kategori"] = grafik.grafik_distribusi_kategori(
        category_counts(d), {c.label: c.color for c in d.config.realisasi.categories}
    )
    head, units = organisation_units(d)
    if units:
        figures["bagan_organisasi"] = grafik.bagan_organisasi(head, units)
    saved = {stem: grafik.save_figure(fig, d.figures, stem) for stem, fig in figures.items()}
    saved.update(save_history_figures(d.history, d.figures))
    return saved
