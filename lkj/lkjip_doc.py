"""The LKjIP document and the pemda's index page, built from ``lkj.lkjip``'s tables.

The document is first built as plain data, shaped like a table model: a list of blocks
(``Heading``, ``Text``, ``Items``, ``TableSpec`` with ``Column``s and rows of plain values,
``Figure``, ``Cover``, ``Signature``). Tables and figures are numbered from their order in
their chapter ("Tabel 3.2"), so a new table renumbers the rest. ``render_html`` is the one
renderer here, thin on purpose (it reuses ``lkj.render`` for the cells): when the project's
table model (lkj/tables.py) lands, the blocks map onto it and this renderer is replaced.
The PDF is the HTML printed by ``lkj.export.html_to_pdf``.
"""

from __future__ import annotations

import base64
import html as html_lib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from markupsafe import Markup, escape

from lkj.config import Config
from lkj.fmt import format_pct, format_rp
from lkj.render import Col, figure, table

CSS_PATH = Path(__file__).resolve().parent / "templates" / "lkj_report" / "static" / "lkj.css"
ROMAN = ("", "I", "II", "III", "IV", "V", "VI")


# --------------------------------------------------------------------------- the blocks


@dataclass(frozen=True)
class Column:
    """A column of a table: header, the row key, kind (teks, angka, desimal, rp, pct,
    kategori) and, for kategori, the key of the colour."""

    header: str
    key: str
    kind: str = "teks"
    color: str = ""


@dataclass
class TableSpec:
    """A table as data: title (numbered by position), columns, rows of plain values."""

    title: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    total: dict[str, Any] | None = None
    number: bool = True
    wide: bool = False
    note: str = ""


@dataclass
class Heading:
    """A heading; level 1 is a chapter (``chapter`` is its number, 0 for unnumbered)."""

    level: int
    text: str
    chapter: int = 0


@dataclass
class Text:
    """A paragraph."""

    text: str


@dataclass
class Items:
    """A bulleted list."""

    items: list[str]


@dataclass
class Figure:
    """A grafik: a PNG file and its title (numbered by position)."""

    path: Path
    title: str


@dataclass
class Cover:
    """The cover page."""

    title: str
    subtitle: str
    lines: list[str]
    lambang: Path | None = None


@dataclass
class Signature:
    """The signature block (Permendagri 1/2023): place and date, jabatan, name."""

    place_date: str
    jabatan: str
    nama: str
    extra: list[str] = field(default_factory=list)


@dataclass
class Toc:
    """The daftar isi (filled by ``lkj.export.postprocess_html``)."""


Block = Heading | Text | Items | TableSpec | Figure | Cover | Signature | Toc


# --------------------------------------------------------------------------- rendering


def _image_uri(path: Path) -> str:
    kind = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg"}.get(
        path.suffix.lower(), "image/jpeg"
    )
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _render_block(block: Block, numbers: dict[str, int], chapter: int) -> Markup:
    if isinstance(block, Heading):
        if block.level == 1:
            label = f"BAB {ROMAN[block.chapter]} " if block.chapter else ""
            return Markup('<h1 class="bab">{}{}</h1>').format(label, block.text)
        return Markup("<h{0}>{1}</h{0}>").format(block.level, block.text)
    if isinstance(block, Text):
        return Markup("<p>{}</p>").format(block.text)
    if isinstance(block, Items):
        return Markup("<ul>{}</ul>").format(
            Markup("").join(Markup("<li>{}</li>").format(i) for i in block.items)
        )
    if isinstance(block, TableSpec):
        numbers["tabel"] += 1
        caption = f"Tabel {chapter}.{numbers['tabel']} {block.title}"
        frame = pd.DataFrame(block.rows, columns=sorted({k for r in block.rows for k in r}))
        cols = [Col(c.header, c.key, c.kind, c.color) for c in block.columns]
        for c in block.columns:
            if c.key not in frame.columns:
                frame[c.key] = None
            if c.color and c.color not in frame.columns:
                frame[c.color] = ""
        out = table(frame, cols, caption, total=block.total, number=block.number)
        if block.note:
            out += Markup('<p class="catatan">{}</p>').format(block.note)
        if block.wide:
            out = Markup('<div class="lanskap">{}</div>').format(out)
        return out
    if isinstance(block, Figure):
        numbers["gambar"] += 1
        return figure(block.path, f"Gambar {chapter}.{numbers['gambar']} {block.title}")
    if isinstance(block, Cover):
        img = (
            Markup('<img class="lambang" src="{}" alt="Lambang daerah" width="120">').format(
                _image_uri(block.lambang)
            )
            if block.lambang
            else Markup("")
        )
        lines = Markup("<br>").join(block.lines)
        return Markup(
            '<section class="sampul">{}<h1 class="no-toc">{}<br>{}</h1>'
            '<p class="instansi">{}</p></section>'
        ).format(img, block.title, block.subtitle, lines)
    if isinstance(block, Signature):
        extra = Markup("").join(Markup("<br>{}").format(e) for e in block.extra)
        return Markup(
            '<div class="ttd"><p>{}<br>{},</p><p class="ttd-nama"><strong>{}</strong>{}</p></div>'
        ).format(block.place_date, block.jabatan, block.nama, extra)
    if isinstance(block, Toc):
        return Markup(
            '<h2 class="daftar-isi no-toc halaman-baru">DAFTAR ISI</h2><div id="lkj-toc"></div>'
        )
    raise TypeError(f"unknown block {block!r}")


def render_html(blocks: Sequence[Block], title: str, synthetic: bool) -> str:
    """One self-contained HTML page (lkj.css inlined, images embedded) of the blocks.

    Args:
        blocks: the document.
        title: the page title.
        synthetic: built from synthetic data: the DATA SINTETIS banner (screen and every
            printed page, see lkj.css).

    Returns:
        The HTML document (daftar isi filled).
    """
    from lkj.export import SYNTHETIC_LABEL, postprocess_html

    parts = []
    chapter = 0
    numbers = {"tabel": 0, "gambar": 0}
    for block in blocks:
        if isinstance(block, Heading) and block.level == 1:
            chapter = block.chapter
            numbers = {"tabel": 0, "gambar": 0}
        parts.append(_render_block(block, numbers, chapter))
    banner = (
        Markup(
            '<div class="lkj-sintetis-banner" role="note">{}: bukan data kinerja sebenarnya</div>'
        ).format(SYNTHETIC_LABEL)  # fmt: skip
        if synthetic
        else Markup("")
    )
    body_class = "lkj lkj-report lkjip" + (" lkj-sintetis" if synthetic else "")
    css = CSS_PATH.read_text(encoding="utf-8")
    page = Markup(
        '<!DOCTYPE html>\n<html lang="id">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
        '<meta name="generator" content="lkj (lkjip)">\n<title>{}</title>\n'
        "<style>\n{}\n</style>\n</head>\n"
        '<body class="{}">\n{}<main>\n{}\n</main>\n</body>\n</html>\n'
    ).format(title, Markup(css), body_class, banner, Markup("\n").join(parts))
    return postprocess_html(str(page))


# --------------------------------------------------------------------------- the LKjIP


def _rows(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {k: (None if v is pd.NA else v) for k, v in r.items()} for r in frame.to_dict("records")
    ]


def lkjip_blocks(
    data: dict[str, Any],
    config: Config,
    figures: dict[str, Path],
    display: Callable[[Path], str],
) -> list[Block]:
    """The LKjIP as blocks: cover, kata pengantar, daftar isi, ringkasan eksekutif, Bab I–IV,
    and the data quality chapter.

    Args:
        data: from ``lkj.lkjip.consolidate``.
        config: scales.
        figures: grafik name -> PNG file.
        display: a path as the user knows it.

    Returns:
        The blocks in order.
    """
    pemda, year = data["pemda"], data["year"]
    nama = pemda.info("nama_pemda")
    jabatan = pemda.info("kepala_daerah_jabatan")
    kepala = pemda.info("kepala_daerah_nama")
    iku, opd, tot = data["iku"], data["opd"], data["totals"]
    kualitas, lra_beda = data["kualitas"], data["lra_beda"]
    iku_year = iku[iku["is_tahun_laporan"]]
    built = opd[opd["status"].isin(("dibangun", "mutakhir"))]
    failed = opd[opd["status"] == "gagal"]
    missing = opd[opd["status"] == "tidak ada"]
    n_opd = len(opd)
    signature = Signature(
        f"{pemda.info('ibu_kota')}, ........................ {year + 1}".lstrip(", "),
        f"{jabatan} {nama.replace('Kabupaten ', '').replace('Kota ', '')}",
        kepala,
    )
    predikat_counts = iku_year["predikat"].replace("", "tidak dapat dihitung").value_counts()
    ranked = built.sort_values("peringkat")
    coverage = (
        f"{len(built)} dari {n_opd} perangkat daerah"
        + (f"; {len(failed)} gagal diolah" if len(failed) else "")
        + (f"; {len(missing)} belum menyampaikan data" if len(missing) else "")
    )
    blocks: list[Block] = [
        Cover(
            "LAPORAN KINERJA INSTANSI PEMERINTAH (LKjIP)",
            f"TAHUN {year}",
            [f"PEMERINTAH {nama.upper()}"],
            pemda.lambang,
        ),
        Heading(1, "KATA PENGANTAR"),
        Text(
            f"Laporan Kinerja Instansi Pemerintah (LKjIP) {nama} Tahun {year} disusun sebagai "
            "wujud pertanggungjawaban atas pelaksanaan Rencana Pembangunan Jangka Menengah "
            f"Daerah (RPJMD) {pemda.info('periode_rpjmd')} pada tahun {year}, sesuai Peraturan "
            "Presiden Nomor 29 Tahun 2014 tentang Sistem Akuntabilitas Kinerja Instansi "
            "Pemerintah dan Peraturan Menteri PAN-RB Nomor 53 Tahun 2014. Laporan ini "
            f"menghimpun capaian Indikator Kinerja Utama (IKU) pemerintah daerah dan laporan "
            f"kinerja {coverage}."
        ),
        Text(
            "Semua angka dalam laporan ini dihitung dari data rinci setiap perangkat daerah "
            "dan data kinerja pemerintah daerah; tidak ada angka yang diketik ulang."
        ),
        signature,
        Toc(),
        Heading(1, "RINGKASAN EKSEKUTIF"),
        Text(
            f"Pada tahun {year}, {len(iku_year)} IKU {nama} diukur: "
            + ", ".join(f"{n} berpredikat {p}" for p, n in predikat_counts.items())
            + "."
        ),
        Text(
            f"Anggaran {len(built)} perangkat daerah yang laporannya tersusun sebesar "
            f"{format_rp(tot['anggaran_rp'])} terealisasi {format_rp(tot['realisasi_anggaran_rp'])}"
            f" ({format_pct(tot['serapan_pct'])}, kategori {tot['kategori_anggaran'] or '-'}); "
            f"capaian fisik {format_pct(tot['capaian_fisik_pct'])} "
            f"(kategori {tot['kategori_fisik'] or '-'})."
        ),
    ]
    findings = []
    if len(ranked):
        top, bottom = ranked.iloc[0], ranked.iloc[-1]
        findings.append(
            f"Peringkat 1: {top.nama_opd} (rata-rata capaian indikator "
            f"{format_pct(top.capaian_indikator_pct)}); peringkat terakhir: {bottom.nama_opd} "
            f"({format_pct(bottom.capaian_indikator_pct)})."
        )
    if len(failed):
        findings.append(
            f"{len(failed)} perangkat daerah gagal diolah karena datanya tidak sah: "
            + ", ".join(failed["nama_opd"])
            + " (lihat Catatan Kualitas Data)."
        )
    if len(missing):
        findings.append(
            f"{len(missing)} perangkat daerah belum menyampaikan data: "
            + ", ".join(missing["nama_opd"])
            + "."
        )
    if len(kualitas):
        findings.append(f"Catatan Kualitas Data memuat {len(kualitas)} temuan.")
    if findings:
        blocks.append(Items(findings))
    blocks.append(
        TableSpec(
            f"Capaian IKU {nama} Tahun {year}",
            [
                Column("Indikator Kinerja Utama", "uraian_iku"),
                Column("Satuan", "satuan"),
                Column("Target", "target", "desimal"),
                Column("Realisasi", "realisasi", "desimal"),
                Column("Capaian (%)", "capaian_pct", "pct"),
                Column("Predikat", "predikat", "kategori", "warna_predikat"),
            ],
            _rows(iku_year),
        )
    )

    # ---------------------------------------------------------------- Bab I
    blocks += [
        Heading(1, "PENDAHULUAN", 1),
        Heading(2, "1.1 Latar Belakang"),
        Text(
            "Sistem Akuntabilitas Kinerja Instansi Pemerintah (SAKIP) mewajibkan setiap "
            "pemerintah daerah menyusun laporan kinerja tahunan. LKjIP ini disusun oleh "
            f"Bagian Organisasi Sekretariat Daerah dari laporan kinerja setiap perangkat daerah "
            f"{nama} dan data Perjanjian Kinerja {jabatan}."
        ),
        Heading(2, "1.2 Gambaran Umum Perangkat Daerah"),
        Text(f"{nama} terdiri atas {n_opd} perangkat daerah, yaitu:"),
        TableSpec(
            f"Perangkat Daerah {nama}",
            [
                Column("Kode", "kode_opd"),
                Column("Perangkat Daerah", "nama_opd"),
                Column("Kepala", "kepala_nama"),
                Column("Status data", "status"),
            ],
            _rows(opd.merge(pemda["opd"][["kode_opd", "kepala_nama"]], on="kode_opd")),
        ),
        Heading(2, "1.3 Sistematika Penyajian"),
        Items(
            [
                "Bab I Pendahuluan: latar belakang dan gambaran umum perangkat daerah.",
                "Bab II Perencanaan Kinerja: RPJMD, IKU dan Perjanjian Kinerja.",
                "Bab III Akuntabilitas Kinerja: capaian IKU, kontribusi perangkat daerah per "
                "sasaran RPJMD, kinerja dan realisasi anggaran setiap perangkat daerah.",
                "Bab IV Penutup; Catatan Kualitas Data.",
            ]
        ),
    ]

    # ---------------------------------------------------------------- Bab II
    iku_def = iku_year.drop_duplicates("kode_iku")
    misi = [m.strip() for m in pemda.info("misi").split("|") if m.strip()]
    blocks += [
        Heading(1, "PERENCANAAN KINERJA", 2),
        Heading(2, "2.1 Rencana Pembangunan Jangka Menengah Daerah"),
        Text(f"RPJMD {nama} periode {pemda.info('periode_rpjmd')}."),
    ]
    if pemda.info("visi"):
        blocks.append(Text(f"Visi: {pemda.info('visi')}."))
    if misi:
        blocks += [Text("Misi:"), Items(misi)]
    blocks += [
        TableSpec(
            "Sasaran RPJMD dan Indikator Kinerja Utama",
            [
                Column("Sasaran RPJMD", "uraian_sasaran_rpjmd"),
                Column("Indikator Kinerja Utama", "uraian_iku"),
                Column("Satuan", "satuan"),
                Column("Polaritas", "polaritas"),
                Column("Kondisi awal", "kondisi_awal", "desimal"),
                Column("Target akhir RPJMD", "target_akhir_rpjmd", "desimal"),
            ],
            _rows(iku_def),
        ),
        Heading(2, f"2.2 Perjanjian Kinerja Tahun {year}"),
        Text(
            f"Perjanjian Kinerja {jabatan} tahun {year} menetapkan target setiap IKU sebagai "
            "berikut."
        ),
        TableSpec(
            f"Perjanjian Kinerja {jabatan} Tahun {year}",
            [
                Column("Sasaran RPJMD", "uraian_sasaran_rpjmd"),
                Column("Indikator Kinerja Utama", "uraian_iku"),
                Column("Target", "target", "desimal"),
                Column("Satuan", "satuan"),
            ],
            _rows(iku_year),
        ),
    ]

    # ---------------------------------------------------------------- Bab III
    scale = [
        {"kode": c.code, "label": c.label, "interval": c.interval, "warna": c.color}
        for c in config.predikat.categories
    ]
    earlier = sorted(y for y in iku["tahun"].unique() if y < year)
    history = iku.pivot_table(
        index="kode_iku", columns="tahun", values=["realisasi", "capaian_pct"], aggfunc="first"
    )
    hist_rows = []
    for row in iku_def.itertuples(index=False):
        item = {"uraian_iku": row.uraian_iku, "satuan": row.satuan,
                "target_akhir_rpjmd": row.target_akhir_rpjmd}  # fmt: skip
        for y in [*earlier, year]:
            item[f"r{y}"] = history.get(("realisasi", y), {}).get(row.kode_iku)
            item[f"c{y}"] = history.get(("capaian_pct", y), {}).get(row.kode_iku)
        item["capaian_rpjmd_pct"] = row.capaian_rpjmd_pct
        hist_rows.append(item)
    hist_cols = [Column("Indikator Kinerja Utama", "uraian_iku"), Column("Satuan", "satuan")]
    for y in [*earlier, year]:
        hist_cols += [
            Column(f"Realisasi {y}", f"r{y}", "desimal"),
            Column(f"Capaian {y} (%)", f"c{y}", "pct"),
        ]
    hist_cols += [
        Column("Target akhir RPJMD", "target_akhir_rpjmd", "desimal"),
        Column("Capaian thd target akhir (%)", "capaian_rpjmd_pct", "pct"),
    ]
    blocks += [
        Heading(1, "AKUNTABILITAS KINERJA", 3),
        Heading(2, "3.1 Kerangka Pengukuran Kinerja"),
        Text(
            "Capaian indikator = realisasi / target × 100 untuk polaritas positif, dan "
            "(2 × target − realisasi) / target × 100 (paling kecil 0) untuk polaritas negatif; "
            "target 0 tidak dapat dihitung. Predikat menurut skala berikut "
            f"({config.predikat.basis})."
        ),
        TableSpec(
            config.predikat.name,
            [
                Column("Predikat", "kode"),
                Column("Interpretasi", "label"),
                Column("Interval capaian (%)", "interval"),
            ],
            scale,
        ),
        Heading(2, f"3.2 Capaian Indikator Kinerja Utama Tahun {year}"),
        TableSpec(
            f"Capaian IKU {nama} Tahun {year}",
            [
                Column("Sasaran RPJMD", "uraian_sasaran_rpjmd"),
                Column("Indikator", "uraian_iku"),
                Column("Satuan", "satuan"),
                Column("Target", "target", "desimal"),
                Column("Realisasi", "realisasi", "desimal"),
                Column("Capaian (%)", "capaian_pct", "pct"),
                Column("Predikat", "predikat", "kategori", "warna_predikat"),
                Column("Target akhir RPJMD", "target_akhir_rpjmd", "desimal"),
                Column("Capaian thd target akhir (%)", "capaian_rpjmd_pct", "pct"),
            ],
            _rows(iku_year),
            wide=True,
        ),
        Figure(figures["iku"], f"Capaian IKU {nama} Tahun {year}"),
        Heading(2, "3.3 Perbandingan Antar Tahun dan Terhadap Target Akhir RPJMD"),
        TableSpec(
            "Realisasi dan Capaian IKU Antar Tahun",
            hist_cols,
            hist_rows,
            wide=True,
        ),
        Heading(2, "3.4 Capaian per Sasaran RPJMD dan Dukungan Perangkat Daerah"),
        Text(
            "Setiap sasaran perangkat daerah mendukung satu sasaran RPJMD (cascade dalam "
            "sasaran_opd.csv); program perangkat daerah mendukung sasaran RPJMD melalui sasaran "
            "perangkat daerahnya. Anggaran dan realisasi adalah jumlah sub kegiatan program."
        ),
        TableSpec(
            "Anggaran dan Realisasi per Sasaran RPJMD",
            [
                Column("Sasaran RPJMD", "uraian_sasaran_rpjmd"),
                Column("OPD", "jumlah_opd", "angka"),
                Column("Program", "jumlah_program", "angka"),
                Column("Anggaran (Rp)", "anggaran_rp", "rp"),
                Column("Realisasi (Rp)", "realisasi_anggaran_rp", "rp"),
                Column("Serapan (%)", "serapan_pct", "pct"),
                Column("Kategori", "kategori_anggaran", "kategori", "warna_anggaran"),
                Column("Capaian fisik (%)", "capaian_fisik_pct", "pct"),
            ],
            _rows(data["sasaran_rpjmd"]),
            wide=True,
        ),
    ]
    cascade = data["cascade"]
    for i, sr in enumerate(data["sasaran_rpjmd"].itertuples(index=False), start=1):
        mine = cascade[cascade["kode_sasaran_rpjmd"] == sr.kode_sasaran_rpjmd]
        iku_sr = iku_year[iku_year["kode_sasaran_rpjmd"] == sr.kode_sasaran_rpjmd]
        blocks.append(Heading(3, f"3.4.{i} {sr.uraian_sasaran_rpjmd}"))
        if len(iku_sr):
            blocks.append(
                Text(
                    "IKU: "
                    + "; ".join(
                        f"{r.uraian_iku}: capaian {format_pct(r.capaian_pct)} "
                        f"({r.predikat or 'tidak dapat dihitung'})"
                        for r in iku_sr.itertuples(index=False)
                    )
                    + "."
                )
            )
        if mine.empty:
            blocks.append(Text("Tidak ada program perangkat daerah yang mendukung sasaran ini."))
            continue
        blocks.append(
            TableSpec(
                f"Perangkat Daerah dan Program Pendukung {sr.uraian_sasaran_rpjmd}",
                [
                    Column("Perangkat Daerah", "nama_opd"),
                    Column("Sasaran OPD", "uraian_sasaran"),
                    Column("Program", "nama_program"),
                    Column("Anggaran (Rp)", "anggaran_rp", "rp"),
                    Column("Realisasi (Rp)", "realisasi_anggaran_rp", "rp"),
                    Column("Serapan (%)", "serapan_pct", "pct"),
                    Column("Capaian fisik (%)", "capaian_fisik_pct", "pct"),
                ],
                _rows(mine),
                total={
                    "Anggaran (Rp)": int(mine["anggaran_rp"].sum()),
                    "Realisasi (Rp)": int(mine["realisasi_anggaran_rp"].sum()),
                    "Serapan (%)": sr.serapan_pct,
                    "Capaian fisik (%)": sr.capaian_fisik_pct,
                },
                wide=True,
            )
        )
    blocks += [
        Heading(2, "3.5 Kinerja Perangkat Daerah"),
        Text(
            "Anggaran dan realisasi setiap perangkat daerah adalah jumlah sub kegiatannya, "
            "sama dengan laporan kinerjanya sendiri. Capaian fisik: agregasi capaian sub "
            "kegiatan ("
            + (
                "rata-rata tertimbang anggaran"
                if config.aggregation_method == "tertimbang_anggaran"
                else "rata-rata"
            )
            + "). Predikat indikator: "
            "predikat rata-rata capaian indikator kinerja sasaran perangkat daerah tahun "
            f"{year}; jumlah per predikat di kolom berikutnya. Peringkat menurut "
            f"{data['rank_criterion']}"
        ),  # fmt: skip
        TableSpec(
            f"Kinerja dan Realisasi Anggaran Perangkat Daerah Tahun {year}",
            [
                Column("Perangkat Daerah", "nama_opd"),
                Column("Anggaran (Rp)", "anggaran_rp", "rp"),
                Column("Realisasi (Rp)", "realisasi_anggaran_rp", "rp"),
                Column("Serapan (%)", "serapan_pct", "pct"),
                Column("Kategori anggaran", "kategori_anggaran", "kategori", "warna_anggaran"),
                Column("Capaian fisik (%)", "capaian_fisik_pct", "pct"),
                Column("Kategori fisik", "kategori_fisik", "kategori", "warna_fisik"),
                Column("Capaian indikator (%)", "capaian_indikator_pct", "pct"),
                Column("Predikat", "predikat", "kategori", "warna_predikat"),
                Column("Predikat indikator", "predikat_indikator"),
                Column("Peringkat", "peringkat_text"),
            ],
            _unbuilt_dashes(_rows(opd.assign(peringkat_text=opd.apply(_rank_text, axis=1)))),
            total={
                "Anggaran (Rp)": tot["anggaran_rp"],
                "Realisasi (Rp)": tot["realisasi_anggaran_rp"],
                "Serapan (%)": tot["serapan_pct"],
                "Capaian fisik (%)": tot["capaian_fisik_pct"],
            },
            wide=True,
            note="Perangkat daerah yang gagal diolah atau belum menyampaikan data tercantum "
            "dengan statusnya dan tanpa angka; lihat Catatan Kualitas Data.",
        ),
        Figure(figures["serapan"], f"Serapan Anggaran dan Capaian Fisik Perangkat Daerah {year}"),
        Heading(2, "3.6 Realisasi Anggaran Pemerintah Daerah"),
        Text(
            f"Realisasi anggaran {len(built)} perangkat daerah: "
            f"{format_rp(tot['realisasi_anggaran_rp'])} dari {format_rp(tot['anggaran_rp'])} "
            f"({format_pct(tot['serapan_pct'])}) menurut sub kegiatan. Laporan Realisasi "
            f"Anggaran (LRA) perangkat daerah, sebagai sumber tersendiri, mencatat "
            f"{format_rp(tot['lra_realisasi_rp'])} dari {format_rp(tot['lra_anggaran_rp'])} "
            f"({format_pct(tot['lra_serapan_pct'])})."
        ),
        TableSpec(
            "Anggaran menurut Sub Kegiatan dan menurut LRA per Perangkat Daerah",
            [
                Column("Perangkat Daerah", "nama_opd"),
                Column("Anggaran sub kegiatan (Rp)", "anggaran_rp", "rp"),
                Column("Realisasi sub kegiatan (Rp)", "realisasi_anggaran_rp", "rp"),
                Column("Anggaran LRA (Rp)", "lra_anggaran_rp", "rp"),
                Column("Realisasi LRA (Rp)", "lra_realisasi_rp", "rp"),
                Column("Selisih anggaran LRA − sub kegiatan (Rp)", "selisih_lra_rp", "rp"),
            ],
            _rows(built),
            total={
                "Anggaran sub kegiatan (Rp)": tot["anggaran_rp"],
                "Realisasi sub kegiatan (Rp)": tot["realisasi_anggaran_rp"],
                "Anggaran LRA (Rp)": tot["lra_anggaran_rp"],
                "Realisasi LRA (Rp)": tot["lra_realisasi_rp"],
                "Selisih anggaran LRA − sub kegiatan (Rp)": tot["lra_anggaran_rp"]
                - tot["anggaran_rp"],
            },
            wide=True,
        ),
    ]

    # ---------------------------------------------------------------- Bab IV
    below = iku_year[iku_year["capaian_pct"] < 100]
    blocks += [
        Heading(1, "PENUTUP", 4),
        Text(
            f"LKjIP {nama} Tahun {year} menunjukkan capaian {len(iku_year)} IKU pemerintah "
            f"daerah dan kinerja {coverage}. Serapan anggaran perangkat daerah "
            f"{format_pct(tot['serapan_pct'])} dengan capaian fisik "
            f"{format_pct(tot['capaian_fisik_pct'])}."
        ),
    ]
    if len(below):
        blocks.append(
            Text(
                "IKU yang belum mencapai target dan memerlukan perhatian: "
                + "; ".join(
                    f"{r.uraian_iku} ({format_pct(r.capaian_pct)})"
                    for r in below.itertuples(index=False)
                )
                + "."
            )
        )
    blocks.append(signature)

    # ---------------------------------------------------------------- data quality
    blocks += [
        Heading(1, "CATATAN KUALITAS DATA"),
        Text(
            f"Perangkat daerah yang tidak ada datanya, yang datanya tidak sah (gagal diolah), "
            f"sasaran yang tidak terhubung ke sasaran RPJMD, dan perbedaan antarsumber. "
            f"{len(kualitas)} temuan."
        ),
    ]
    if len(kualitas):
        blocks.append(
            TableSpec(
                "Temuan Kualitas Data",
                [
                    Column("Jenis", "jenis"),
                    Column("Kode", "kode_opd"),
                    Column("Perangkat Daerah", "nama_opd"),
                    Column("Keterangan", "keterangan"),
                ],
                _rows(kualitas),
            )
        )
    else:
        blocks.append(Text("Tidak ada temuan."))
    if len(lra_beda):
        blocks.append(
            TableSpec(
                "LRA yang Berbeda dari Jumlah Sub Kegiatan",
                [
                    Column("Perangkat Daerah", "nama_opd"),
                    Column("Anggaran sub kegiatan (Rp)", "anggaran_rp", "rp"),
                    Column("Anggaran LRA (Rp)", "lra_anggaran_rp", "rp"),
                    Column("Realisasi sub kegiatan (Rp)", "realisasi_anggaran_rp", "rp"),
                    Column("Realisasi LRA (Rp)", "lra_realisasi_rp", "rp"),
                ],
                _rows(lra_beda),
                note="LKjIP memakai angka sub kegiatan; LRA ditampilkan sebagai sumber tersendiri.",
            )
        )
    blocks += [
        Heading(2, "Asal-Usul Data"),
        TableSpec(
            "Berkas Data Pemerintah Daerah",
            [Column("Berkas", "file"), Column("SHA-256", "sha256")],
            data["sources"],
        ),
    ]
    return blocks


def _unbuilt_dashes(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of OPDs without a report show "-" for every figure (not "tidak dapat dihitung")."""
    for row in rows:
        if row.get("status") not in ("dibangun", "mutakhir"):
            for key, value in row.items():
                if isinstance(value, float):
                    row[key] = Markup("-")
    return rows


def _rank_text(row: pd.Series) -> str:
    if pd.notna(row["peringkat"]):
        return str(int(row["peringkat"]))
    return {"gagal": "gagal diolah", "tidak ada": "tidak ada data"}.get(row["status"], "-")


# --------------------------------------------------------------------------- index page


def _link(href: str, text: str) -> Markup:
    return Markup('<a href="{}">{}</a>').format(href, text)


def index_html(
    title: str,
    synthetic: bool,
    lkjip: Sequence[tuple[str, str]],
    rows: Sequence[dict[str, Any]],
) -> str:
    """The index page: the LKjIP and, per OPD, its report and rendered notebooks (relative
    links, offline, no script).

    Args:
        title: e.g. "Kabupaten X: Laporan Kinerja 2022".
        synthetic: show the DATA SINTETIS banner.
        lkjip: (relative href, label) of the LKjIP files.
        rows: per OPD: kode_opd, nama_opd, status, links [(href, label)], error.

    Returns:
        The HTML page.
    """
    from lkj.export import SYNTHETIC_LABEL

    body = []
    for r in rows:
        links = Markup(" · ").join(_link(h, t) for h, t in r["links"]) or Markup("-")
        error = Markup('<div class="galat">{}</div>').format(r["error"]) if r.get("error") else ""
        body.append(
            Markup(
                '<tr class="status-{}"><td>{}</td><td>{}</td><td>{}</td><td>{}{}</td></tr>'
            ).format(
                r["status"].replace(" ", "-"),
                r["kode_opd"],
                r["nama_opd"],
                r["status"],
                links,
                error,
            )  # fmt: skip
        )
    banner = (
        Markup(
            '<div class="lkj-sintetis-banner" role="note">{}: bukan data kinerja sebenarnya</div>'
        ).format(SYNTHETIC_LABEL)  # fmt: skip
        if synthetic
        else Markup("")
    )
    css = CSS_PATH.read_text(encoding="utf-8") + INDEX_CSS
    return str(
        Markup(
            '<!DOCTYPE html>\n<html lang="id">\n<head>\n<meta charset="utf-8">\n'
            "<title>{}</title>\n<style>\n{}\n</style>\n</head>\n"
            '<body class="lkj lkj-index{}">\n{}<main>\n<h1>{}</h1>\n'
            '<p class="lkjip">LKjIP Pemerintah Daerah: {}</p>\n'
            '<table class="lkj indeks"><thead><tr><th>Kode</th><th>Perangkat Daerah</th>'
            "<th>Status</th><th>Laporan dan notebook</th></tr></thead>\n<tbody>\n{}\n"
            "</tbody></table>\n</main>\n</body>\n</html>\n"
        ).format(
            title,
            Markup(css),
            " lkj-sintetis" if synthetic else "",
            banner,
            title,
            Markup(" · ").join(_link(h, t) for h, t in lkjip) or "-",
            Markup("\n").join(body),
        )
    )


INDEX_CSS = """
body.lkj-index main { max-width: 1100px; margin: 0 auto; padding: 1em; }
table.indeks td { vertical-align: top; }
tr.status-gagal td { background: #fdecea; }
tr.status-tidak-ada td { color: #777777; }
.galat { white-space: pre-wrap; font-size: 8.5pt; color: #8a1c10; margin-top: 0.3em; }
"""


def relpath(target: Path, start: Path) -> str:
    """A relative URL from the folder ``start`` to ``target`` (forward slashes)."""
    return os.path.relpath(target, start).replace(os.sep, "/")


def escape_text(text: str) -> str:
    """Plain text for HTML (used in tests to compare cells)."""
    return html_lib.escape(text)


__all__ = [
    "Block",
    "Column",
    "Cover",
    "Figure",
    "Heading",
    "Items",
    "Signature",
    "TableSpec",
    "Text",
    "Toc",
    "escape",
    "index_html",
    "lkjip_blocks",
    "relpath",
    "render_html",
]
