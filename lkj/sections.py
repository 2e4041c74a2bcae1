"""The chapters of the report, as HTML, from the processed tables.

Each public function returns one part of the report in the order of the LKj (PermenPAN-RB
53/2014 and the 2022 model document); the report notebook only displays them. Every number
shown is computed here or in ``lkj.capaian`` from data/processed/YEAR, which ingest wrote from
data/raw/YEAR; prose comes from data/raw/YEAR/narasi/ (``lkj.narasi``) with computed values
filled in by name. Nothing is typed in.
"""

from __future__ import annotations

import hashlib
import platform
import subprocess
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd
from markupsafe import Markup

from lkj import numbers
from lkj.capaian import Results, add_realisasi_columns
from lkj.config import Config, load_config
from lkj.dataset import read_processed_tables
from lkj.fmt import format_angka, format_nilai, format_pct, format_rp
from lkj.kualitas import DIFFERENT, compare_stated
from lkj.narasi import context, narrative, terbilang
from lkj.render import Col, badge, figure, heading, join, paragraph, table
from lkj.riwayat import History, load_history, section_html
from lkj.sampul import SIGNATURE_ANCHOR, cover_data, cover_html, signature_html, signer_data

RESULT_PREFIX = "capaian_"
PEGAWAI_TITLES = {
    "unit_kerja": ("Tabel 1.1", "Jumlah Pegawai Berdasarkan Struktur Organisasi", "Unit Kerja"),
    "golongan": ("Tabel 1.2", "Jumlah Pegawai Berdasarkan Golongan", "Golongan"),
    "eselon": ("Tabel 1.3", "Jumlah Pegawai Berdasarkan Eselonisasi", "Eselon"),
    "pendidikan": ("Tabel 1.4", "Jumlah Pegawai Berdasarkan Tingkat Pendidikan", "Pendidikan"),
    "status": ("Tabel 1.5", "Jumlah Pegawai Berdasarkan Status Kepegawaian", "Status"),
}
# Figures of the report, by file stem in outputs/YEAR/figures (drawn by notebook 03).
FIGURES = {
    "bagan_organisasi": "Gambar 1.1 Bagan Struktur Organisasi",
    "grafik_1_anggaran_program": "Grafik 1 Anggaran dan Realisasi Anggaran per Program",
    "grafik_2_capaian_kegiatan": "Grafik 2 Capaian Kinerja dan Realisasi Anggaran per Kegiatan",
    "grafik_3_capaian_sub_kegiatan": (
        "Grafik 3 Capaian Kinerja dan Realisasi Anggaran per Sub Kegiatan"
    ),
    "grafik_4_distribusi_kategori": "Grafik 4 Sebaran Kategori Capaian Kinerja dan Realisasi "
    "Anggaran",
}
SOFTWARE = ("lkj", "pandas", "matplotlib", "papermill", "nbconvert", "weasyprint", "babel")


@dataclass
class ReportData:
    """What the report is built from."""

    year: int
    raw: dict[str, pd.DataFrame]
    res: Results
    config: Config
    figures: Path
    raw_dir: Path
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    def info(self, key: str, default: str = "") -> str:
        """A value of instansi.csv."""
        inst = self.raw["instansi"]
        hit = inst.loc[inst["kunci"] == key, "nilai"]
        return str(hit.iloc[0]) if len(hit) else default

    @cached_property
    def values(self) -> dict[str, Any]:
        """The computed values narrative texts may name (``lkj.narasi.context``)."""
        return context(self)

    def text(self, name: str) -> Markup:
        """The narrative file narasi/<name>.md with computed values filled in."""
        return narrative(self, name, self.values)

    @cached_property
    def history(self) -> History:
        """Indicator capaian and budget absorption of this year and every earlier year."""
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
    raw = {k: v for k, v in tables.items() if not k.startswith(RESULT_PREFIX)}
    res = Results(
        **{
            k.removeprefix(RESULT_PREFIX): v
            for k, v in tables.items()
            if k.startswith(RESULT_PREFIX)
        }
    )
    root = Path(__file__).resolve().parent.parent
    raw_dir = Path(raw_dir) if raw_dir else root / "data" / "raw" / str(year)
    return ReportData(year, raw, res, load_config(config), Path(output_dir) / "figures", raw_dir)


def _org(d: ReportData) -> str:
    return f"{d.info('nama_instansi')} {d.info('kabupaten')}".strip()


def _signature(d: ReportData, with_date: bool = True, anchor: str | None = None) -> Markup:
    return signature_html(signer_data(d.info, d.year, with_date), anchor)


def _figure(d: ReportData, stem: str) -> Markup:
    return figure(d.figures / f"{stem}.png", FIGURES[stem])


def _year_rows(d: ReportData, year: int) -> pd.DataFrame:
    ind = d.res.indikator
    return ind[ind["tahun"] == year]


# --------------------------------------------------------------------------- front matter


def sampul(d: ReportData) -> Markup:
    """The cover page (lambang daerah, title, agency; see ``lkj.sampul``)."""
    return cover_html(cover_data(d.info, d.year, d.raw_dir, d.config.dokumen))


def kata_pengantar(d: ReportData) -> Markup:
    """Kata Pengantar: the agency's text, then the signature."""
    return join(
        heading(1, "KATA PENGANTAR", "bab"),
        d.text("kata_pengantar"),
        _signature(d, anchor=SIGNATURE_ANCHOR),  # the block signed electronically
    )


def ringkasan_eksekutif(d: ReportData) -> Markup:
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
    return join(
        heading(1, "RINGKASAN EKSEKUTIF", "bab"),
        table(
            ind,
            [
                Col("Sasaran", "uraian_sasaran"),
                Col("Indikator", "uraian_indikator"),
                Col("Target", "target", "desimal"),
                Col("Realisasi", "realisasi", "desimal"),
                Col("Capaian (%)", "capaian_pct", "pct"),
                Col("Predikat", "predikat", "kategori", "warna_predikat"),
                Col("Serapan anggaran sasaran (%)", "serapan_pct", "pct"),
            ],
            f"Capaian Sasaran Strategis Tahun {year}",
        ),
        table(
            counts,
            [
                Col("Kategori", "kategori"),
                Col("Capaian fisik", "Capaian fisik", "angka"),
                Col("Realisasi anggaran", "Realisasi anggaran", "angka"),
            ],
            f"Jumlah Sub Kegiatan per Kategori (dari {len(sub)} sub kegiatan)",
            total={"Capaian fisik": len(sub), "Realisasi anggaran": len(sub)},
            number=False,
        ),
        heading(3, "Temuan utama"),
        Markup("<ul>{}</ul>").format(
            Markup("").join(Markup("<li>{}</li>").format(f) for f in findings)
        ),
    )


def daftar_isi(d: ReportData | None = None) -> Markup:
    """The table of contents (filled in by the exporter)."""
    return Markup('<h2 class="no-toc daftar-isi">DAFTAR ISI</h2><div id="lkj-toc"></div>')


# --------------------------------------------------------------------------- Bab I


def bab_i(d: ReportData) -> Markup:
    """Bab I Pendahuluan: background, legal basis, organisation, staff, facilities, scope."""
    peg = d.raw["pegawai"]
    units = peg[peg["kategori"] == "unit_kerja"].sort_values(["tahun", "no"])
    units = units[units["tahun"] == units["tahun"].max()]["uraian"].tolist()
    parts = [
        heading(1, "BAB I PENDAHULUAN", "bab"),
        heading(2, "1.1 Latar Belakang"),
        d.text("bab1_latar_belakang"),
        heading(2, "1.2 Dasar Hukum"),
        d.text("bab1_dasar_hukum"),
        heading(2, "1.3 Gambaran Umum Organisasi"),
        heading(3, "1.3.1 Tugas Pokok dan Fungsi"),
        d.text("bab1_tugas_fungsi"),
        heading(3, "1.3.2 Struktur Organisasi"),
        d.text("bab1_struktur_organisasi"),
        heading(3, "1.3.3 Bagan Struktur Organisasi"),
        _figure(d, "bagan_organisasi") if units else Markup(""),
        heading(2, "1.4 Kepegawaian"),
    ]
    years = sorted(peg["tahun"].unique())
    for kategori, (nomor, judul, kolom) in PEGAWAI_TITLES.items():
        part = peg[peg["kategori"] == kategori]
        if part.empty:
            continue
        wide = part.pivot_table(index=["no", "uraian"], columns="tahun", values="jumlah")
        wide = wide.reset_index()
        cols = [Col(kolom, "uraian")] + [Col(str(y), y, "angka") for y in years]
        total = {str(y): wide[y].sum() for y in years}
        parts.append(table(wide, cols, f"{nomor} {judul}", total=total))
    sarana = d.raw["sarana_prasarana"]
    wide = sarana.pivot_table(index=["no", "uraian"], columns="tahun", values="jumlah")
    wide = wide.reset_index()
    years = sorted(sarana["tahun"].unique())
    parts += [
        heading(2, "1.5 Sarana dan Prasarana Kerja"),
        table(
            wide,
            [Col("Sarana dan Prasarana", "uraian")] + [Col(str(y), y, "angka") for y in years],
            "Tabel 1.6 Jumlah Sarana dan Prasarana",
        ),
        heading(2, "1.6 Ruang Lingkup"),
        d.text("bab1_ruang_lingkup"),
        heading(2, "1.7 Teknik Pengumpulan Data"),
        d.text("bab1_pengumpulan_data"),
    ]
    return join(*parts)


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


def _items(text: str) -> Markup:
    parts = [p.strip() for p in str(text).split("|") if p.strip()]
    if len(parts) <= 1:
        return Markup("{}").format(text)
    return Markup("<ol>{}</ol>").format(
        Markup("").join(Markup("<li>{}</li>").format(p.lstrip("0123456789) ")) for p in parts)
    )


def bab_ii(d: ReportData) -> Markup:
    """Bab II: Renstra (visi, misi, tujuan, sasaran, strategi, targets), IKU, RKT, PK."""
    full = _sasaran_full(d)
    renstra = d.raw["target_renstra"].pivot_table(
        index="kode_indikator", columns="tahun", values="target"
    )
    with_targets = full.set_index("kode_indikator").join(renstra).reset_index()
    years = list(renstra.columns)
    rpjmd_tujuan = d.info("tujuan_rpjmd")
    rkt = _rkt_rows(d)
    pk = _year_rows(d, d.year)
    return join(
        heading(1, "BAB II PERENCANAAN DAN PERJANJIAN KINERJA", "bab"),
        heading(2, "2.1 Perencanaan Kinerja"),
        heading(3, "2.1.1 Rencana Strategis"),
        d.text("bab2_renstra"),
        heading(3, "2.1.1.1 Visi dan Misi"),
        d.text("bab2_visi_misi"),
        heading(3, "2.1.1.2 Tujuan dan Sasaran"),
        d.text("bab2_tujuan_sasaran"),
        heading(3, "2.1.1.3 Strategi dan Kebijakan"),
        d.text("bab2_strategi"),
        paragraph(f"Visi: {d.info('visi')}. Misi: {d.info('misi')}."),
        table(
            full,
            [
                Col("Tujuan OPD", "uraian_tujuan"),
                Col("Tujuan RPJMD", lambda r: rpjmd_tujuan),
                Col("Sasaran OPD", "uraian_sasaran"),
                Col("Sasaran RPJMD", "sasaran_rpjmd"),
                Col("Arah Kebijakan", lambda r: _items(r["arah_kebijakan"])),
            ],
            "Tabel 2.1 Keterkaitan Visi, Misi, Tujuan, Sasaran Renstra PD dengan RPJMD",
        ),
        table(
            full,
            [
                Col("Tujuan", "uraian_tujuan"),
                Col("Sasaran", "uraian_sasaran"),
                Col("Strategi", "strategi"),
                Col("Arah Kebijakan", lambda r: _items(r["arah_kebijakan"])),
            ],
            "Tabel 2.2 Keterkaitan Tujuan, Sasaran, Strategi dan Arah Kebijakan",
            number=False,
        ),
        heading(3, "2.1.1.4 Keterkaitan Visi, Misi, Tujuan, Sasaran dan Rencana Target Indikator"),
        table(
            with_targets,
            [
                Col("Tujuan", "uraian_tujuan"),
                Col("Sasaran", "uraian_sasaran"),
                Col("Indikator Sasaran", "uraian_indikator"),
                Col("Kondisi awal", "kondisi_awal", "desimal"),
                *[Col(str(y), y, "desimal") for y in years],
                Col("Target akhir", "target_akhir_renstra", "desimal"),
            ],
            "Tabel 2.3 Keterkaitan Visi, Misi, Tujuan, Sasaran, Indikator Sasaran dan Rencana "
            "Target Capaian Indikator",
        ),
        heading(3, "2.1.2 Indikator Kinerja Utama"),
        d.text("bab2_iku"),
        table(
            full[full["is_iku"] == "ya"],
            [
                Col("Sasaran Renstra OPD", "uraian_sasaran"),
                Col("Sasaran RPJMD", "sasaran_rpjmd"),
                Col("Indikator Kinerja Utama", "uraian_indikator"),
                Col("Unit Penanggung Jawab", "unit_penanggung_jawab"),
                Col("Sumber Data", "sumber_data"),
            ],
            "Tabel 2.4 Indikator Kinerja Utama",
        ),
        heading(3, "2.1.3 Rencana Kinerja Tahunan (RKT)"),
        d.text("bab2_rkt"),
        table(
            rkt,
            [
                Col("Sasaran", "sasaran"),
                Col("Indikator", "indikator"),
                Col("Target", "target"),
                Col("Kegiatan / Sub Kegiatan", lambda r: _rkt_name(r)),
                Col("Anggaran (Rp)", "anggaran_rp", "rp"),
            ],
            f"Tabel 2.5 Rencana Kinerja Tahunan (RKT) Tahun {d.year}",
            total={"Anggaran (Rp)": rkt.loc[rkt["tingkat"] == "kegiatan", "anggaran_rp"].sum()},
            number=False,
        ),
        heading(2, "2.2 Perjanjian Kinerja"),
        d.text("bab2_perjanjian_kinerja"),
        table(
            pk,
            [
                Col("Sasaran Strategis", "uraian_sasaran"),
                Col("Indikator Kinerja", "uraian_indikator"),
                Col("Satuan", "satuan"),
                Col(f"Target {d.year}", "target", "desimal"),
            ],
            f"Tabel 2.6 Perjanjian Kinerja Tahun {d.year}",
        ),
    )


def _rkt_name(row: pd.Series) -> Markup:
    if row["tingkat"] == "kegiatan":
        return Markup("<strong>{}</strong>").format(row["nama"])
    return Markup('<span class="sub">– {}</span>').format(row["nama"])


def _rkt_rows(d: ReportData) -> pd.DataFrame:
    """RKT: for each sasaran and its indikator, its kegiatan and sub kegiatan with budgets."""
    pk = _year_rows(d, d.year).set_index("kode_sasaran")
    rows = []
    for sas in d.raw["sasaran"].itertuples():
        keg = d.res.kegiatan.merge(
            d.raw["program"][["kode_program", "kode_sasaran"]], on="kode_program"
        )
        keg = keg[keg["kode_sasaran"] == sas.kode_sasaran]
        ind = pk.loc[[sas.kode_sasaran]] if sas.kode_sasaran in pk.index else None
        label = {
            "sasaran": sas.uraian_sasaran,
            "indikator": "; ".join(ind["uraian_indikator"]) if ind is not None else "",
            "target": "; ".join(
                f"{format_nilai(t)} {s}" for t, s in zip(ind["target"], ind["satuan"], strict=True)
            )
            if ind is not None
            else "",
        }
        first = True
        for k in keg.itertuples():
            rows.append(
                {
                    **(label if first else dict.fromkeys(label, "")),
                    "tingkat": "kegiatan",
                    "nama": k.nama_kegiatan,
                    "anggaran_rp": k.anggaran_rp,
                }
            )
            first = False
            subs = d.res.sub_kegiatan[d.res.sub_kegiatan["kode_kegiatan"] == k.kode_kegiatan]
            for s in subs.itertuples():
                rows.append(
                    {
                        **dict.fromkeys(label, ""),
                        "tingkat": "sub",
                        "nama": s.nama_sub_kegiatan,
                        "anggaran_rp": s.anggaran_rp,
                    }
                )
    return pd.DataFrame(
        rows, columns=["sasaran", "indikator", "target", "tingkat", "nama", "anggaran_rp"]
    )


# --------------------------------------------------------------------------- Bab III


def skala_predikat(d: ReportData) -> Markup:
    """Tabel 3.1: the predikat scale with its colour codes and the boundary rule."""
    pred = pd.DataFrame(
        [
            {"kode": c.code, "interval": c.interval, "label": c.label, "warna": c.color}
            for c in d.config.predikat.categories
        ]
    )
    return join(
        table(
            pred,
            [
                Col("Kategori", "kode"),
                Col("Nilai", "interval"),
                Col("Interpretasi", "label"),
                Col("Kode Warna", lambda r: badge(r["warna"], r["warna"])),
            ],
            "Tabel 3.1 Kategori, Nilai, dan Interpretasi atas Capaian Indikator Kinerja Sasaran",
        ),
        paragraph(
            "Aturan batas: sebuah nilai masuk ke kategori tertinggi yang batas bawahnya "
            "dilampaui (lebih dari); misalnya capaian 90,00% berpredikat A dan 90,01% AA. "
            "Capaian di atas 100% masuk kategori teratas. Capaian dengan target 0 tidak dapat "
            "dihitung dan tidak diberi predikat."
        ),
    )


def skala_realisasi(d: ReportData) -> Markup:
    """The realisation scale (physical and budget) with its colours."""
    real = pd.DataFrame(
        [
            {"interval": c.interval, "label": c.label, "warna": c.color}
            for c in d.config.realisasi.categories
        ]
    )
    return join(
        table(
            real,
            [
                Col("Interval Nilai Realisasi Kinerja", "interval"),
                Col("Kriteria Penilaian Realisasi Kinerja", "label", "kategori", "warna"),
            ],
            f"Tabel 3.{_n_keuangan(d) + 8} Interval Kategori Penilaian Realisasi Fisik dan "
            f"Anggaran ({d.config.realisasi.basis})",
        ),
        paragraph(
            "Untuk nilai desimal berlaku aturan batas yang sama: 90,00% berkategori Tinggi, "
            "90,01% Sangat Tinggi; nilai di atas 100% Sangat Tinggi."
        ),
    )


def _n_keuangan(d: ReportData) -> int:
    """Number of the first financial table (3.9 with three sasaran, as in the model)."""
    return 3 + 2 * len(d.raw["sasaran"])


def _sasaran_table_numbers(i: int) -> tuple[str, str]:
    """Numbers of the evaluation and sub kegiatan tables of the i-th sasaran (1-based).

    The model numbers them 3.4 (evaluation, sasaran 1), 3.5/3.6 (sasaran 2) and 3.7/3.8
    (sasaran 3); its sub kegiatan table of sasaran 1 repeats the number 3.4, here 3.4a.
    """
    if i == 1:
        return "3.4", "3.4a"
    return f"3.{2 * i + 1}", f"3.{2 * i + 2}"


def bab_iii(d: ReportData) -> Markup:
    """Bab III in full: framework, evaluation, analysis per sasaran, financial accountability."""
    return join(
        heading(1, "BAB III AKUNTABILITAS KINERJA DAN KEUANGAN", "bab"),
        heading(2, "3.1 Kerangka Pengukuran Kinerja"),
        d.text("bab3_kerangka"),
        skala_predikat(d),
        table(
            _year_rows(d, d.year),
            [
                Col("Sasaran", "uraian_sasaran"),
                Col("Indikator Kinerja", "uraian_indikator"),
                Col(
                    f"Rencana Tahun {d.year}",
                    lambda r: (
                        f"{format_angka(r['target'])}"
                        f"{r['satuan'] if r['satuan'] == '%' else ' ' + r['satuan']}"
                    ),
                ),
            ],
            "Tabel 3.2 Evaluasi Pengukuran Kinerja",
        ),
        heading(2, "3.2 Evaluasi Kinerja"),
        d.text("bab3_evaluasi"),
        evaluasi_indikator(d),
        heading(2, "3.3 Analisis Capaian Kinerja"),
        d.text("bab3_analisis"),
        analisis_sasaran(d),
        akuntabilitas_keuangan(d),
        perbandingan_antar_tahun(d),
    )


def evaluasi_indikator(d: ReportData) -> Markup:
    """Tabel 3.3: target, realisasi, capaian and predikat of each indikator this year."""
    return table(
        _year_rows(d, d.year),
        [
            Col("Sasaran", "uraian_sasaran"),
            Col("Indikator Kinerja", "uraian_indikator"),
            Col("Satuan", "satuan"),
            Col("Target", "target", "desimal"),
            Col("Realisasi", "realisasi", "desimal"),
            Col("Capaian Kinerja (%)", "capaian_pct", "pct"),
            Col("Predikat", lambda r: _predikat(r)),
        ],
        f"Tabel 3.3 Evaluasi Indikator Kinerja Sasaran Tahun {d.year}",
    )


def _predikat(row: pd.Series) -> Markup:
    if not row["predikat"]:
        return Markup("tidak dapat dihitung")
    return badge(f"{row['predikat_kode']} {row['predikat']}", row["warna_predikat"])


def analisis_sasaran(d: ReportData) -> Markup:
    """3.3: for each sasaran its indikator over the years, the sub kegiatan behind it, the
    efficiency analysis and the agency's explanation, analysis and solutions."""
    parts = []
    sub = d.res.sub_kegiatan
    for n, sas in enumerate(d.raw["sasaran"].itertuples(), start=1):
        label = sas.nomor_seed or sas.kode_sasaran
        t_eval, t_sub = _sasaran_table_numbers(n)
        code = sas.kode_sasaran
        ind = d.res.indikator[d.res.indikator["kode_sasaran"] == code]
        parts += [
            heading(3, f"Sasaran {n}: {label} {sas.uraian_sasaran}"),
            table(
                ind,
                [
                    Col("Indikator Sasaran", "uraian_indikator"),
                    Col("Satuan", "satuan"),
                    Col("Tahun", "tahun"),
                    Col("Target", "target", "desimal"),
                    Col("Realisasi", "realisasi", "desimal"),
                    Col("Capaian Kinerja (%)", "capaian_pct", "pct"),
                    Col("Predikat", lambda r: _predikat(r)),
                    Col("Target akhir Renstra", "target_akhir_renstra", "desimal"),
                    Col("Capaian thd. target akhir Renstra (%)", "capaian_renstra_pct", "pct"),
                ],
                f"Tabel {t_eval} Evaluasi Pengukuran Capaian Kinerja Sasaran {label}",
            ),
            _comparison_sentence(d, ind),
            heading(4, "a. Penjelasan", "no-toc"),
            d.text(f"sasaran_{code}_penjelasan"),
        ]
        subs = sub[sub["kode_sasaran"] == code]
        agg = d.res.sasaran[d.res.sasaran["kode_sasaran"] == code]
        if not agg.empty:
            a = agg.iloc[0]
            parts.append(
                paragraph(
                    f"Sasaran ini didukung oleh {a.jumlah_program} program, {a.jumlah_kegiatan} "
                    f"kegiatan dan {a.jumlah_sub_kegiatan} sub kegiatan dengan anggaran "
                    f"{format_rp(a.anggaran_rp)} ({terbilang(a.anggaran_rp)}) dan realisasi "
                    f"{format_rp(a.realisasi_anggaran_rp)} atau serapan "
                    f"{format_pct(a.serapan_pct)}; capaian kinerja fisik sub kegiatannya "
                    f"(rata-rata tertimbang anggaran) {format_pct(a.capaian_fisik_pct)}."
                )
            )
        parts += [
            heading(4, "b. Analisis Peningkatan/Penurunan Kinerja", "no-toc"),
            d.text(f"sasaran_{code}_analisis"),
        ]
        if not subs.empty:
            a = agg.iloc[0]
            parts += [
                table(
                    subs,
                    [
                        Col("Sub Kegiatan", "nama_sub_kegiatan"),
                        Col("Unsur Keterwakilan / Kelompok Sasaran", "kelompok_sasaran"),
                        Col("Target", "target_fisik", "desimal"),
                        Col("Realisasi", "realisasi_fisik", "desimal"),
                        Col("Satuan", "satuan"),
                        Col("Capaian (%)", "capaian_fisik_pct", "pct"),
                        Col("Kategori", "kategori_fisik", "kategori", "warna_fisik"),
                    ],
                    f"Tabel {t_sub} Tingkat Capaian Kinerja Sasaran {label} Tahun {d.year}",
                ),
                heading(4, "Analisis efisiensi penggunaan sumber daya", "no-toc"),
                paragraph(
                    f"Metode: {d.config.efficiency_name}. Indeks ≥ 1 berarti keluaran dicapai "
                    "dengan bagian anggaran yang relatif lebih kecil (efisien); indeks < 1 "
                    "berarti serapan anggaran lebih tinggi daripada capaian fisiknya."
                ),
                table(
                    subs,
                    [
                        Col("Sub Kegiatan", "nama_sub_kegiatan"),
                        Col("Anggaran (Rp)", "anggaran_rp", "rp"),
                        Col("Realisasi (Rp)", "realisasi_anggaran_rp", "rp"),
                        Col("Capaian fisik (%)", "capaian_fisik_pct", "pct"),
                        Col("Serapan anggaran (%)", "serapan_pct", "pct"),
                        Col("Indeks efisiensi", "indeks_efisiensi", "desimal"),
                    ],
                    f"Analisis Efisiensi Sasaran {label}",
                    total={
                        "Anggaran (Rp)": a.anggaran_rp,
                        "Realisasi (Rp)": a.realisasi_anggaran_rp,
                        "Capaian fisik (%)": a.capaian_fisik_pct,
                        "Serapan anggaran (%)": a.serapan_pct,
                        "Indeks efisiensi": a.indeks_efisiensi,
                    },
                ),
            ]
        parts += [heading(4, "c. Solusi", "no-toc"), d.text(f"sasaran_{code}_solusi")]
    return join(*parts)


def _comparison_sentence(d: ReportData, ind: pd.DataFrame) -> Markup:
    sentences = []
    for _code, rows in ind.groupby("kode_indikator", sort=False):
        rows = rows.sort_values("tahun")
        now = rows[rows["tahun"] == d.year]
        if now.empty:
            continue
        r = now.iloc[0]
        text = (
            f"Indikator \u201c{r.uraian_indikator}\u201d tahun {d.year}: realisasi "
            f"{format_nilai(r.realisasi)}"
            f"{r.satuan if r.satuan == '%' else ' ' + r.satuan} dari target "
            f"{format_nilai(r.target)}"
            f"{r.satuan if r.satuan == '%' else ' ' + r.satuan}, capaian "
            f"{format_pct(r.capaian_pct)} ({r.predikat or 'tanpa predikat'})"
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
    return paragraph(" ".join(sentences))


def _lra_rows(d: ReportData) -> pd.DataFrame:
    lra = d.raw["lra"]
    rows = [
        {
            "uraian": "Belanja Daerah",
            "anggaran_rp": lra["anggaran_rp"].sum(),
            "realisasi_rp": lra["realisasi_rp"].sum(),
        }
    ]
    for kelompok, group in lra.groupby("kelompok_belanja", sort=False):
        rows.append(
            {
                "uraian": kelompok,
                "anggaran_rp": group["anggaran_rp"].sum(),
                "realisasi_rp": group["realisasi_rp"].sum(),
            }
        )
        for r in group.itertuples():
            rows.append(
                {
                    "uraian": f"– {r.jenis_belanja}",
                    "anggaran_rp": r.anggaran_rp,
                    "realisasi_rp": r.realisasi_rp,
                }
            )
    return add_realisasi_columns(pd.DataFrame(rows), d.config, "anggaran_rp", "realisasi_rp")


def _budget_cols(name_header: str, name_key: str, budget: str = "realisasi_anggaran_rp") -> list:
    return [
        Col(name_header, name_key),
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
    """Tabel 3.12: each sasaran, its programs and their sub kegiatan with budgets."""
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


def _alokasi_name(row: pd.Series) -> Markup:
    if row["tingkat"] == "sasaran":
        return Markup("<strong>Sasaran: {}</strong>").format(row["nama"])
    if row["tingkat"] == "program":
        return Markup("<em>{}</em>").format(row["nama"])
    return Markup('<span class="sub">– {}</span>').format(row["nama"])


def akuntabilitas_keuangan(d: ReportData) -> Markup:
    """3.4: LRA, belanja langsung, budget by sasaran, program, kegiatan and sub kegiatan."""
    res, year = d.res, d.year
    n = _n_keuangan(d)
    total = res.ringkasan.set_index("sumber")
    sk, lra = total.loc["sub_kegiatan"], total.loc["lra"]
    labels = d.config.realisasi.labels
    parts = [
        heading(2, "3.4 Akuntabilitas Keuangan"),
        d.text("bab3_keuangan")
        or paragraph(
            f"Belanja {_org(d)} tahun {year} menurut rincian sub kegiatan berjumlah "
            f"{format_rp(sk.anggaran_rp)} ({terbilang(sk.anggaran_rp)}) dan terealisasi "
            f"{format_rp(sk.realisasi_rp)} ({terbilang(sk.realisasi_rp)}) atau "
            f"{format_pct(sk.serapan_pct)}, sehingga terdapat SILPA {format_rp(sk.silpa_rp)} "
            f"({format_pct(sk.silpa_pct)})."
        ),
    ]
    if sk.anggaran_rp != lra.anggaran_rp or sk.realisasi_rp != lra.realisasi_rp:
        parts.append(
            Markup('<p class="catatan">{}</p>').format(
                f"Catatan: menurut LRA anggaran berjumlah {format_rp(lra.anggaran_rp)} dan "
                f"realisasi {format_rp(lra.realisasi_rp)}; selisih dengan jumlah sub kegiatan "
                f"adalah {format_rp(sk.anggaran_rp - lra.anggaran_rp)} (anggaran) dan "
                f"{format_rp(sk.realisasi_rp - lra.realisasi_rp)} (realisasi). Lihat Catatan "
                "Kualitas Data."
            )
        )
    parts.append(
        table(
            _lra_rows(d),
            _budget_cols("Jenis Belanja", "uraian", "realisasi_rp"),
            f"Tabel 3.{n} Rincian Alokasi Anggaran Tahun {year} (Laporan Realisasi Anggaran)",
        )
    )
    langsung = res.belanja_langsung
    parts.append(
        table(
            langsung,
            _budget_cols("Uraian", "uraian"),
            f"Tabel 3.{n + 1} Alokasi Anggaran Belanja Langsung untuk Mencapai Sasaran "
            f"Tahun {year}",
            total=_total(langsung),
        )
    )
    sas = res.sasaran
    parts.append(
        table(
            sas,
            [
                Col("Sasaran Strategis", "uraian_sasaran"),
                Col("Jml Prog", "jumlah_program", "angka"),
                Col("Jml Sub Keg", "jumlah_sub_kegiatan", "angka"),
                *_budget_cols("", "")[1:],
            ],
            f"Tabel 3.{n + 2} Alokasi dan Realisasi Anggaran untuk Mencapai Sasaran Tahun {year}",
            total=_total(sas, extra=("jumlah_program", "jumlah_sub_kegiatan")),
        )
    )
    alokasi = _alokasi_rows(d)
    parts.append(
        table(
            alokasi,
            [
                Col("Sasaran / Program / Sub Kegiatan", lambda r: _alokasi_name(r)),
                *_budget_cols("", "")[1:],
            ],
            f"Tabel 3.{n + 3} Alokasi dan Realisasi Anggaran Sasaran per Program dan Sub Kegiatan",
            total=_total(alokasi[alokasi["tingkat"] == "sasaran"]),
            number=False,
        )
    )
    prog = res.program
    keg = res.kegiatan
    sub = res.sub_kegiatan
    parts += [
        paragraph(
            f"Berikut gambaran capaian realisasi program, kegiatan dan sub kegiatan tahun {year}."
        ),
        table(
            prog,
            _budget_cols("Program", "nama_program"),
            f"Tabel 3.{n + 4} Anggaran dan Realisasi Keuangan pada Masing-Masing Program",
            total=_total(prog),
        ),
        _figure(d, "grafik_1_anggaran_program"),
        paragraph(
            f"Dari {len(prog)} program, realisasi anggaran: "
            + _count_sentence(prog, "kategori_anggaran", "program", labels)
            + "."
        ),
        heading(3, "1. Capaian Kinerja dan Anggaran Program"),
        _capaian_table(
            prog,
            "Program",
            "nama_program",
            f"Tabel 3.{n + 5} Capaian Kinerja dan Realisasi Anggaran Program",
        ),
        paragraph(
            "Capaian kinerja program: "
            + _count_sentence(prog, "kategori_fisik", "program", labels)
            + "."
        ),
        heading(3, "2. Capaian Kinerja dan Anggaran Kegiatan"),
        _capaian_table(
            keg,
            "Kegiatan",
            "nama_kegiatan",
            f"Tabel 3.{n + 6} Capaian Kinerja dan Realisasi Anggaran Kegiatan",
        ),
        _figure(d, "grafik_2_capaian_kegiatan"),
        paragraph(
            f"Dari {len(keg)} kegiatan, capaian kinerja: "
            + _count_sentence(keg, "kategori_fisik", "kegiatan", labels)
            + "; realisasi anggaran: "
            + _count_sentence(keg, "kategori_anggaran", "kegiatan", labels)
            + "."
        ),
        heading(3, "3. Capaian Kinerja dan Anggaran Sub Kegiatan"),
        _capaian_table(
            sub,
            "Sub Kegiatan",
            "nama_sub_kegiatan",
            f"Tabel 3.{n + 7} Capaian Kinerja dan Realisasi Anggaran Sub Kegiatan",
            physical_numbers=True,
        ),
        _figure(d, "grafik_3_capaian_sub_kegiatan"),
        paragraph(
            f"Dari {len(sub)} sub kegiatan, capaian kinerja: "
            + _count_sentence(sub, "kategori_fisik", "sub kegiatan", labels)
            + "; realisasi anggaran: "
            + _count_sentence(sub, "kategori_anggaran", "sub kegiatan", labels)
            + "."
        ),
        _figure(d, "grafik_4_distribusi_kategori"),
        skala_realisasi(d),
    ]
    return join(*parts)


def perbandingan_antar_tahun(d: ReportData) -> Markup:
    """3.5: this year against last year and every earlier year in data/raw."""
    n = _n_keuangan(d) + 9
    return section_html(
        d.history,
        d.figures,
        level=2,
        title="3.5 Perbandingan Antar Tahun",
        tabel=(f"Tabel 3.{n}", f"Tabel 3.{n + 1}"),
        grafik=("Grafik 5", "Grafik 6"),
    )


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


def _total(frame: pd.DataFrame, extra: tuple[str, ...] = ()) -> dict:
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


def _capaian_table(
    frame: pd.DataFrame, header: str, key: str, caption: str, physical_numbers: bool = False
) -> Markup:
    cols = [Col(header, key)]
    if physical_numbers:
        cols += [
            Col("Target Fisik", "target_fisik", "desimal"),
            Col("Realisasi Fisik", "realisasi_fisik", "desimal"),
        ]
    cols += [
        Col("Capaian Kinerja (%)", "capaian_fisik_pct", "pct"),
        Col("Kategori Kinerja", "kategori_fisik", "kategori", "warna_fisik"),
        Col("Anggaran (Rp)", "anggaran_rp", "rp"),
        Col("Realisasi Anggaran (Rp)", "realisasi_anggaran_rp", "rp"),
        Col("Capaian Anggaran (%)", "serapan_pct", "pct"),
        Col("Kategori Anggaran", "kategori_anggaran", "kategori", "warna_anggaran"),
    ]
    budget, spent = frame["anggaran_rp"].sum(), frame["realisasi_anggaran_rp"].sum()
    total = {
        "Anggaran (Rp)": budget,
        "Realisasi Anggaran (Rp)": spent,
        "Capaian Anggaran (%)": numbers.as_float(numbers.ratio_pct(spent, budget)),
    }
    rendered = table(frame, cols, caption, total=total, css_class="lkj kecil")
    return Markup('<div class="lanskap">{}</div>').format(rendered)


# --------------------------------------------------------------------------- Bab IV


def penutup(d: ReportData) -> Markup:
    """Bab IV: the agency's closing text, a summary generated from the figures, signature."""
    ind = _year_rows(d, d.year)
    sk = d.res.ringkasan.set_index("sumber").loc["sub_kegiatan"]
    predikat = "; ".join(
        f"{r.uraian_indikator} {format_pct(r.capaian_pct)} ({r.predikat})" for r in ind.itertuples()
    )
    return join(
        heading(1, "BAB IV PENUTUP", "bab"),
        d.text("penutup"),
        paragraph(
            f"Capaian indikator kinerja sasaran tahun {d.year}: {predikat}. Realisasi anggaran "
            f"mencapai {format_pct(sk.serapan_pct)} dari {format_rp(sk.anggaran_rp)}."
        ),
        _signature(d),
    )


# --------------------------------------------------------------------------- Lampiran


def lampiran(d: ReportData) -> Markup:
    """Lampiran: the other tables, the tim penyusun, data quality notes, provenance."""
    parts = [heading(1, "LAMPIRAN", "bab")]
    number = 0
    ormas = d.raw.get("ormas")
    if ormas is not None and not ormas.empty:
        titles = {
            "dibentuk": "Data Jumlah Organisasi yang Dibentuk di Kabupaten",
            "terdata_terdaftar": "Data Jumlah Organisasi yang Terdata dan Terdaftar",
        }
        parts.append(heading(2, "Organisasi Kemasyarakatan"))
        for tabel, group in ormas.groupby("tabel", sort=False):
            number += 1
            group = group.assign(jumlah=group["terdaftar"] + group["terdata"])
            parts.append(
                table(
                    group,
                    [
                        Col("Kecamatan", "kecamatan"),
                        Col("Terdaftar", "terdaftar", "angka"),
                        Col("Terdata", "terdata", "angka"),
                        Col("Jumlah", "jumlah", "angka"),
                    ],
                    f"Tabel L.{number} {titles.get(tabel, tabel)} s.d. Tahun {d.year}",
                    total={
                        "Terdaftar": group["terdaftar"].sum(),
                        "Terdata": group["terdata"].sum(),
                        "Jumlah": group["jumlah"].sum(),
                    },
                )
            )
            parts.append(
                paragraph(
                    f"Jumlah organisasi: {format_angka(group['jumlah'].sum())}, terdiri atas "
                    f"{format_angka(group['terdaftar'].sum())} terdaftar dan "
                    f"{format_angka(group['terdata'].sum())} terdata."
                )
            )
    tka = d.raw.get("tenaga_kerja_asing")
    if tka is not None and not tka.empty:
        number += 1
        parts += [
            heading(2, "Orang Asing dan Tenaga Kerja Asing"),
            table(
                tka,
                [
                    Col("Perusahaan", "perusahaan"),
                    Col("Negara Asal", "negara_asal"),
                    Col("Jumlah", "jumlah", "angka"),
                ],
                f"Tabel L.{number} Data Orang Asing atau Tenaga Kerja Asing Tahun {d.year}",
                total={"Jumlah": tka["jumlah"].sum()},
            ),
            paragraph(
                f"Terdapat {format_angka(tka['jumlah'].sum())} orang tenaga kerja asing pada "
                f"{tka['perusahaan'].nunique()} perusahaan."
            ),
        ]
    tim = d.raw.get("tim_penyusun")
    if tim is not None and not tim.empty:
        number += 1
        parts += [
            heading(2, "Tim Penyusun Laporan Kinerja"),
            table(
                tim,
                [
                    Col(
                        "Nama / NIP / Pangkat",
                        lambda r: Markup("{}<br>NIP. {}<br>{}").format(
                            r["nama"], r["nip"], r["pangkat_golongan"]
                        ),
                    ),
                    Col("Jabatan", "jabatan"),
                    Col("Jabatan dalam Tim", "jabatan_dalam_tim"),
                ],
                f"Tabel L.{number} Tim Penyusun Laporan Kinerja Tahun {d.year}",
            ),
        ]
    parts += [catatan_kualitas_data(d), provenance(d)]
    return join(*parts)


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


def catatan_kualitas_data(d: ReportData) -> Markup:
    """Every stated figure that differs from its computation, and sources that disagree."""
    parts = [heading(2, "Catatan Kualitas Data")]
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
    parts.append(
        paragraph(
            "Semua angka dalam laporan ini dihitung dari data rinci. Angka yang dinyatakan "
            "dalam dokumen sumber (angka_tertulis.csv: jumlah, persentase dan hitungan yang "
            "tertulis) tidak dipakai, tetapi dibandingkan dengan hasil perhitungan pada "
            "ketelitian yang tertulis."
        )
    )
    if sources:
        parts.append(heading(3, "Perbedaan antar sumber data"))
        parts.append(
            Markup("<ul>{}</ul>").format(
                Markup("").join(Markup("<li>{}</li>").format(s) for s in sources)
            )
        )
    k = d.kualitas
    if k.empty:
        parts.append(paragraph("Tidak ada angka tertulis yang dibandingkan tahun ini."))
        return join(*parts)
    diff = k[k["status"] == DIFFERENT].copy()
    n_same = int((k["status"] == "sama").sum())
    parts.append(
        paragraph(
            f"Dari {len(k)} angka tertulis, {n_same} sesuai dengan hasil perhitungan, "
            f"{len(diff)} berbeda, dan {len(k) - n_same - len(diff)} tidak dapat dibandingkan "
            "(tanpa nilai angka atau tanpa padanan hitungan)."
        )
    )
    if not diff.empty:
        diff["hal"] = [_stated_subject(d, r) for r in diff.itertuples()]
        diff["dihitung_teks"] = [_computed_text(r) for r in diff.itertuples()]
        parts.append(
            table(
                diff,
                [
                    Col("Sumber (dokumen)", "sumber"),
                    Col("Hal", "hal"),
                    Col("Tertulis", "nilai_tertulis"),
                    Col("Hasil perhitungan", "dihitung_teks"),
                ],
                "Tabel L.K Angka Tertulis yang Berbeda dari Hasil Perhitungan",
                css_class="lkj kecil",
            )
        )
    return join(*parts)


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


def provenance(d: ReportData) -> Markup:
    """Data provenance: input files with checksums, software versions, date and commit."""
    from importlib.metadata import PackageNotFoundError, version

    files = input_files(d)
    software = [{"paket": "python", "versi": platform.python_version()}]
    for name in SOFTWARE:
        try:
            software.append({"paket": name, "versi": version(name)})
        except PackageNotFoundError:
            software.append({"paket": name, "versi": "tidak terpasang"})
    root = Path(__file__).resolve().parent.parent
    return join(
        heading(2, "Asal-Usul Data dan Perangkat Lunak"),
        paragraph(
            "Laporan ini dibangun seluruhnya oleh pipeline lkj dari file berikut. Checksum "
            "SHA-256 memungkinkan pemeriksa memastikan bahwa angka-angka di atas berasal dari "
            "file yang sama persis."
        ),
        table(
            files,
            [
                Col("File", "file"),
                Col("Ukuran (byte)", "ukuran_byte", "angka"),
                Col(
                    "SHA-256", lambda r: Markup('<code class="hash">{}</code>').format(r["sha256"])
                ),
            ],
            f"Tabel L.D1 File Data Masukan (folder data mentah {d.raw_dir.parent.name}/)",
            css_class="lkj kecil",
        ),
        table(
            pd.DataFrame(software),
            [Col("Paket", "paket"), Col("Versi", "versi")],
            "Tabel L.D2 Versi Perangkat Lunak",
        ),
        Markup('<p class="provenance-waktu">Dibangun pada {} dari commit {}.</p>').format(
            date.today().isoformat(), _git_commit(root)
        ),
    )


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


def report_parts(d: ReportData) -> list[Markup]:
    """Every part of the report, in order (what the report notebook displays)."""
    return [globals()[name](d) for name in PARTS]


def draw_figures(d: ReportData) -> dict[str, dict[str, Path]]:
    """Draw every figure of the report into ``d.figures`` (PNG and SVG).

    Args:
        d: the report's data.

    Returns:
        File stem to {"png": path, "svg": path}.
    """
    from lkj import plots
    from lkj.riwayat import save_history_figures

    res = d.res
    figures = {
        "grafik_1_anggaran_program": plots.grafik_anggaran_program(res.program),
        "grafik_2_capaian_kegiatan": plots.grafik_capaian(
            res.kegiatan.assign(no=range(1, len(res.kegiatan) + 1)), "nama_kegiatan"
        ),
        "grafik_3_capaian_sub_kegiatan": plots.grafik_capaian(
            res.sub_kegiatan.assign(no=range(1, len(res.sub_kegiatan) + 1)),
            "nama_sub_kegiatan",
            label_width=60,
        ),
        "grafik_4_distribusi_kategori": plots.grafik_distribusi_kategori(
            category_counts(d), {c.label: c.color for c in d.config.realisasi.categories}
        ),
    }
    head, units = organisation_units(d)
    if units:
        figures["bagan_organisasi"] = plots.bagan_organisasi(head, units)
    saved = {stem: plots.save_figure(fig, d.figures, stem) for stem, fig in figures.items()}
    saved.update(save_history_figures(d.history, d.figures))
    return saved
