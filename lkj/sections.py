"""The chapters of the report, as HTML, from the processed tables.

Each public function returns one section; the report notebook only displays them in order.
Every number shown is computed here or in ``lkj.capaian`` from data/processed/YEAR, which
ingest wrote from data/raw/YEAR; nothing is typed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from markupsafe import Markup

from lkj.capaian import Results, add_realisasi_columns
from lkj.config import Config, load_config
from lkj.dataset import read_processed_tables
from lkj.fmt import format_angka, format_pct, format_rp
from lkj.render import Col, badge, figure, heading, join, paragraph, table

RESULT_PREFIX = "capaian_"
PEGAWAI_TITLES = {
    "unit_kerja": ("Tabel 1.1", "Jumlah Pegawai Berdasarkan Struktur Organisasi", "Unit Kerja"),
    "golongan": ("Tabel 1.2", "Jumlah Pegawai Berdasarkan Golongan", "Golongan"),
    "eselon": ("Tabel 1.3", "Jumlah Pegawai Berdasarkan Eselonisasi", "Eselon"),
    "pendidikan": ("Tabel 1.4", "Jumlah Pegawai Berdasarkan Tingkat Pendidikan", "Pendidikan"),
    "status": ("Tabel 1.5", "Jumlah Pegawai Berdasarkan Status Kepegawaian", "Status"),
}


@dataclass
class ReportData:
    """What the report is built from."""

    year: int
    raw: dict[str, pd.DataFrame]
    res: Results
    config: Config
    figures: Path

    def info(self, key: str, default: str = "") -> str:
        """A value of instansi.csv."""
        inst = self.raw["instansi"]
        hit = inst.loc[inst["kunci"] == key, "nilai"]
        return str(hit.iloc[0]) if len(hit) else default


def load_report_data(
    year: int, processed_dir: Path | str, output_dir: Path | str, config: Path | str | None
) -> ReportData:
    """Load the processed tables of a year for the report.

    Args:
        year: the report year.
        processed_dir: where ingest and capaian wrote their tables.
        output_dir: the report folder (figures/ inside).
        config: the configuration file.

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
    return ReportData(year, raw, res, load_config(config), Path(output_dir) / "figures")


def _org(d: ReportData) -> str:
    return f"{d.info('nama_instansi')} {d.info('kabupaten')}".strip()


def sampul(d: ReportData) -> Markup:
    """The cover page."""
    return Markup(
        '<section class="sampul"><h1 class="no-toc">LAPORAN KINERJA (LKj)<br>TAHUN {}</h1>'
        '<p class="urusan">{}</p><p class="instansi">{}<br>{}</p></section>'
    ).format(d.year, d.info("urusan"), d.info("nama_instansi").upper(), d.info("kabupaten").upper())


def daftar_isi() -> Markup:
    """The table of contents (filled in by the exporter)."""
    return Markup('<h2 class="no-toc daftar-isi">DAFTAR ISI</h2><div id="lkj-toc"></div>')


def bab_i(d: ReportData) -> Markup:
    """Bab I: the organisation and its staff and facilities."""
    parts = [
        heading(1, "BAB I PENDAHULUAN", "bab"),
        paragraph(
            f"Laporan Kinerja (LKj) ini menyajikan capaian kinerja {_org(d)} tahun {d.year}. "
            "Seluruh angka dalam laporan ini dihitung dari data mentah (folder data/raw) oleh "
            "pipeline lkj; tidak ada angka yang diketik tangan."
        ),
        heading(2, "1.4 Kepegawaian"),
    ]
    peg = d.raw["pegawai"]
    years = sorted(peg["tahun"].unique())
    for kategori, (nomor, judul, kolom) in PEGAWAI_TITLES.items():
        part = peg[peg["kategori"] == kategori]
        if part.empty:
            continue
        wide = part.pivot_table(
            index=["no", "uraian"], columns="tahun", values="jumlah"
        ).reset_index()
        cols = [Col(kolom, "uraian")] + [Col(str(y), y, "angka") for y in years]
        total = {str(y): wide[y].sum() for y in years}
        parts.append(table(wide, cols, f"{nomor} {judul}", total=total))
    sarana = d.raw["sarana_prasarana"]
    wide = sarana.pivot_table(
        index=["no", "uraian"], columns="tahun", values="jumlah"
    ).reset_index()
    years = sorted(sarana["tahun"].unique())
    parts += [
        heading(2, "1.5 Sarana dan Prasarana Kerja"),
        table(
            wide,
            [Col("Sarana dan Prasarana", "uraian")] + [Col(str(y), y, "angka") for y in years],
            "Tabel 1.6 Jumlah Sarana dan Prasarana",
        ),
    ]
    return join(*parts)


def _indicator_rows(d: ReportData, year: int) -> pd.DataFrame:
    ind = d.res.indikator
    return ind[ind["tahun"] == year]


def bab_ii(d: ReportData) -> Markup:
    """Bab II: Renstra targets and the Perjanjian Kinerja of the year."""
    renstra = d.raw["target_renstra"].merge(d.raw["indikator"], on="kode_indikator")
    wide = renstra.pivot_table(index="kode_indikator", columns="tahun", values="target")
    ind = d.raw["indikator"].merge(d.raw["sasaran"], on="kode_sasaran").set_index("kode_indikator")
    ind = ind.join(wide).reset_index()
    years = list(wide.columns)
    cols = [
        Col("Sasaran", "uraian_sasaran"),
        Col("Indikator", "uraian_indikator"),
        Col("Kondisi awal", "kondisi_awal", "desimal"),
        *[Col(str(y), y, "desimal") for y in years],
        Col("Target akhir", "target_akhir_renstra", "desimal"),
    ]
    pk = _indicator_rows(d, d.year)
    return join(
        heading(1, "BAB II PERENCANAAN DAN PERJANJIAN KINERJA", "bab"),
        heading(2, "2.1 Rencana Strategis"),
        table(ind, cols, "Tabel 2.3 Sasaran, Indikator dan Target Renstra per Tahun"),
        heading(2, "2.2 Perjanjian Kinerja"),
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


def skala(d: ReportData) -> Markup:
    """The two scales with their colours and the boundary rule."""
    pred = pd.DataFrame(
        [
            {"kode": c.code, "interval": c.interval, "label": c.label, "warna": c.color}
            for c in d.config.predikat.categories
        ]
    )
    real = pd.DataFrame(
        [
            {"interval": c.interval, "label": c.label, "warna": c.color}
            for c in d.config.realisasi.categories
        ]
    )
    return join(
        heading(2, "3.1 Kerangka Pengukuran Kinerja"),
        table(
            pred,
            [
                Col("Kategori", "kode"),
                Col("Nilai", "interval"),
                Col("Interpretasi", "label"),
                Col("Kode Warna", "label", "kategori", "warna"),
            ],
            "Tabel 3.1 Kategori, Nilai, dan Interpretasi atas Capaian Indikator Kinerja Sasaran",
        ),
        table(
            real,
            [
                Col("Interval Nilai Realisasi Kinerja", "interval"),
                Col("Kriteria Penilaian", "label", "kategori", "warna"),
            ],
            "Interval Kategori Penilaian Realisasi Fisik dan Anggaran",
        ),
        paragraph(
            "Aturan batas: sebuah nilai masuk ke kategori tertinggi yang batas bawahnya "
            "dilampaui (lebih dari). Misalnya 90,00% berkategori Tinggi dan 90,01% Sangat "
            "Tinggi; nilai di atas 100% masuk kategori teratas. Capaian dengan target 0 "
            "tidak dapat dihitung dan tidak diberi kategori."
        ),
    )


def evaluasi_indikator(d: ReportData) -> Markup:
    """Tabel 3.3: target, realisasi, capaian and predikat of each indikator this year."""
    rows = _indicator_rows(d, d.year)
    return join(
        heading(2, "3.2 Evaluasi Kinerja"),
        table(
            rows,
            [
                Col("Sasaran", "uraian_sasaran"),
                Col("Indikator Kinerja", "uraian_indikator"),
                Col("Satuan", "satuan"),
                Col("Target", "target", "desimal"),
                Col("Realisasi", "realisasi", "desimal"),
                Col("Capaian (%)", "capaian_pct", "pct"),
                Col("Predikat", "predikat", "kategori", "warna_predikat"),
            ],
            f"Tabel 3.3 Evaluasi Indikator Kinerja Sasaran Tahun {d.year}",
        ),
    )


def analisis_sasaran(d: ReportData) -> Markup:
    """3.3: for each sasaran, its indikator over the years and the sub kegiatan behind it."""
    parts = [heading(2, "3.3 Analisis Capaian Kinerja")]
    sub = d.res.sub_kegiatan
    for n, sas in enumerate(d.raw["sasaran"].itertuples(), start=1):
        label = sas.nomor_seed or sas.kode_sasaran
        parts.append(heading(3, f"Sasaran {n}: {label} {sas.uraian_sasaran}"))
        ind = d.res.indikator[d.res.indikator["kode_sasaran"] == sas.kode_sasaran]
        parts.append(
            table(
                ind,
                [
                    Col("Indikator", "uraian_indikator"),
                    Col("Tahun", "tahun"),
                    Col("Target", "target", "desimal"),
                    Col("Realisasi", "realisasi", "desimal"),
                    Col("Capaian (%)", "capaian_pct", "pct"),
                    Col("Predikat", "predikat", "kategori", "warna_predikat"),
                    Col("Target akhir Renstra", "target_akhir_renstra", "desimal"),
                    Col("Capaian thd. target akhir (%)", "capaian_renstra_pct", "pct"),
                ],
                f"Evaluasi Pengukuran Capaian Kinerja Sasaran {label}",
            )
        )
        subs = sub[sub["kode_sasaran"] == sas.kode_sasaran]
        agg = d.res.sasaran[d.res.sasaran["kode_sasaran"] == sas.kode_sasaran]
        if subs.empty or agg.empty:
            parts.append(paragraph("Tidak ada sub kegiatan yang terkait dengan sasaran ini."))
            continue
        a = agg.iloc[0]
        parts.append(
            paragraph(
                f"Sasaran ini didukung oleh {a.jumlah_program} program, {a.jumlah_kegiatan} "
                f"kegiatan dan {a.jumlah_sub_kegiatan} sub kegiatan dengan anggaran "
                f"{format_rp(a.anggaran_rp)} dan realisasi {format_rp(a.realisasi_anggaran_rp)} "
                f"(serapan {format_pct(a.serapan_pct)}); capaian kinerja fisik rata-rata "
                f"tertimbang anggaran {format_pct(a.capaian_fisik_pct)}."
            )
        )
        parts.append(
            table(
                subs,
                [
                    Col("Sub Kegiatan", "nama_sub_kegiatan"),
                    Col("Kelompok Sasaran", "kelompok_sasaran"),
                    Col("Target", "target_fisik", "desimal"),
                    Col("Realisasi", "realisasi_fisik", "desimal"),
                    Col("Satuan", "satuan"),
                    Col("Capaian (%)", "capaian_fisik_pct", "pct"),
                    Col("Kategori", "kategori_fisik", "kategori", "warna_fisik"),
                ],
                f"Tingkat Capaian Kinerja Sasaran {label} Tahun {d.year}",
            )
        )
        parts.append(
            table(
                subs,
                [
                    Col("Sub Kegiatan", "nama_sub_kegiatan"),
                    Col("Capaian fisik (%)", "capaian_fisik_pct", "pct"),
                    Col("Serapan anggaran (%)", "serapan_pct", "pct"),
                    Col("Indeks efisiensi", "indeks_efisiensi", "desimal"),
                ],
                f"Analisis Efisiensi Sasaran {label}: {d.config.efficiency_name}",
                total={
                    "Capaian fisik (%)": a.capaian_fisik_pct,
                    "Serapan anggaran (%)": a.serapan_pct,
                    "Indeks efisiensi": a.indeks_efisiensi,
                },
            )
        )
    return join(*parts)


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
    parts = [
        f"{counts[label]} {noun} ({format_pct(counts[label] / len(frame) * 100, 0)}) "
        f"berkategori {label}"
        for label in scale_labels
        if label in counts
    ]
    return ", ".join(parts)


def akuntabilitas_keuangan(d: ReportData) -> Markup:
    """3.4: LRA, belanja langsung, budget by sasaran, program, kegiatan and sub kegiatan."""
    res, year = d.res, d.year
    total = res.ringkasan.set_index("sumber")
    sk, lra = total.loc["sub_kegiatan"], total.loc["lra"]
    labels = d.config.realisasi.labels
    parts = [
        heading(2, "3.4 Akuntabilitas Keuangan"),
        paragraph(
            f"Pada tahun {year} belanja {_org(d)} menurut rincian sub kegiatan berjumlah "
            f"{format_rp(sk.anggaran_rp)} dan terealisasi {format_rp(sk.realisasi_rp)} atau "
            f"{format_pct(sk.serapan_pct)}, sehingga terdapat SILPA {format_rp(sk.silpa_rp)} "
            f"({format_pct(100 - sk.serapan_pct)})."
        ),
    ]
    if sk.anggaran_rp != lra.anggaran_rp or sk.realisasi_rp != lra.realisasi_rp:
        parts.append(
            paragraph(
                f"Catatan: menurut LRA anggaran berjumlah {format_rp(lra.anggaran_rp)} dan "
                f"realisasi {format_rp(lra.realisasi_rp)}; selisih dengan jumlah sub kegiatan "
                f"adalah {format_rp(sk.anggaran_rp - lra.anggaran_rp)} (anggaran) dan "
                f"{format_rp(sk.realisasi_rp - lra.realisasi_rp)} (realisasi)."
            )
        )
    parts.append(
        table(
            _lra_rows(d),
            _budget_cols("Jenis Belanja", "uraian", "realisasi_rp"),
            f"Tabel 3.9 Rincian Alokasi Anggaran Tahun {year} (LRA)",
        )
    )
    langsung = res.belanja_langsung
    parts.append(
        table(
            langsung,
            _budget_cols("Uraian", "uraian"),
            f"Tabel 3.10 Alokasi Anggaran Belanja Langsung untuk Mencapai Sasaran Tahun {year}",
            total={
                "Anggaran (Rp)": langsung["anggaran_rp"].sum(),
                "Realisasi (Rp)": langsung["realisasi_anggaran_rp"].sum(),
            },
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
            f"Tabel 3.11 Alokasi dan Realisasi Anggaran untuk Mencapai Sasaran Tahun {year}",
            total=_total(sas, extra=("jumlah_program", "jumlah_sub_kegiatan")),
        )
    )
    prog = res.program
    parts += [
        table(
            prog,
            _budget_cols("Program", "nama_program"),
            "Tabel 3.12 Anggaran dan Realisasi Keuangan per Program",
            total=_total(prog),
        ),
        figure(
            d.figures / "grafik_1_anggaran_program.png",
            "Grafik 1 Anggaran dan Realisasi Anggaran per Program",
        ),
        paragraph(
            "Realisasi anggaran program: "
            + _count_sentence(prog, "kategori_anggaran", "program", labels)
            + "."
        ),
        heading(3, "1. Capaian Kinerja dan Anggaran Program"),
        _capaian_table(
            prog,
            "Program",
            "nama_program",
            "Tabel 3.13 Capaian Kinerja dan Realisasi Anggaran Program",
        ),
    ]
    keg = res.kegiatan
    parts += [
        heading(3, "2. Capaian Kinerja dan Anggaran Kegiatan"),
        _capaian_table(
            keg,
            "Kegiatan",
            "nama_kegiatan",
            "Tabel 3.14 Capaian Kinerja dan Realisasi Anggaran Kegiatan",
        ),
        figure(
            d.figures / "grafik_2_capaian_kegiatan.png",
            "Grafik 2 Capaian Kinerja dan Realisasi Anggaran per Kegiatan",
        ),
        paragraph(
            f"Dari {len(keg)} kegiatan, capaian kinerja: "
            + _count_sentence(keg, "kategori_fisik", "kegiatan", labels)
            + "; realisasi anggaran: "
            + _count_sentence(keg, "kategori_anggaran", "kegiatan", labels)
            + "."
        ),
    ]
    sub = res.sub_kegiatan
    parts += [
        heading(3, "3. Capaian Kinerja dan Anggaran Sub Kegiatan"),
        _capaian_table(
            sub,
            "Sub Kegiatan",
            "nama_sub_kegiatan",
            "Tabel 3.15 Capaian Kinerja dan Realisasi Anggaran Sub Kegiatan",
            physical_numbers=True,
        ),
        figure(
            d.figures / "grafik_3_capaian_sub_kegiatan.png",
            "Grafik 3 Capaian Kinerja dan Realisasi Anggaran per Sub Kegiatan",
        ),
        paragraph(
            f"Dari {len(sub)} sub kegiatan, capaian kinerja: "
            + _count_sentence(sub, "kategori_fisik", "sub kegiatan", labels)
            + "; realisasi anggaran: "
            + _count_sentence(sub, "kategori_anggaran", "sub kegiatan", labels)
            + "."
        ),
    ]
    return join(*parts)


def _total(frame: pd.DataFrame, extra: tuple[str, ...] = ()) -> dict:
    budget, spent = frame["anggaran_rp"].sum(), frame["realisasi_anggaran_rp"].sum()
    out = {
        "Anggaran (Rp)": budget,
        "Realisasi (Rp)": spent,
        "Serapan (%)": spent / budget * 100 if budget else float("nan"),
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
        "Capaian Anggaran (%)": spent / budget * 100 if budget else float("nan"),
    }
    rendered = table(frame, cols, caption, total=total, css_class="lkj kecil")
    return (
        Markup('<div class="lanskap">{}</div>').format(rendered) if physical_numbers else rendered
    )


def penutup(d: ReportData) -> Markup:
    """Bab IV: a closing summary generated from the figures."""
    ind = _indicator_rows(d, d.year)
    sk = d.res.ringkasan.set_index("sumber").loc["sub_kegiatan"]
    predikat = ", ".join(
        f"{r.uraian_indikator} {format_pct(r.capaian_pct)} ({r.predikat})" for r in ind.itertuples()
    )
    return join(
        heading(1, "BAB IV PENUTUP", "bab"),
        paragraph(
            f"Capaian indikator kinerja sasaran tahun {d.year}: {predikat}. Realisasi anggaran "
            f"mencapai {format_pct(sk.serapan_pct)} dari {format_rp(sk.anggaran_rp)}."
        ),
        Markup(
            '<p class="ttd">{}<br>{}<br><br><br><br><strong>{}</strong><br>{}<br>NIP. {}</p>'
        ).format(
            "Kepala",
            d.info("nama_instansi"),
            d.info("kepala_nama"),
            d.info("kepala_pangkat"),
            d.info("kepala_nip"),
        ),
    )


def bab_iii(d: ReportData) -> Markup:
    """Bab III in full."""
    return join(
        heading(1, "BAB III AKUNTABILITAS KINERJA DAN KEUANGAN", "bab"),
        skala(d),
        evaluasi_indikator(d),
        analisis_sasaran(d),
        akuntabilitas_keuangan(d),
    )


__all__ = [
    "ReportData",
    "load_report_data",
    "sampul",
    "daftar_isi",
    "bab_i",
    "bab_ii",
    "bab_iii",
    "penutup",
    "badge",
    "format_angka",
]
