"""The demo pemda's own tables (``lkj.data.schema_pemda``): pemda.csv, its lambang, the RPJMD
sasaran, opd.csv, the IKU Pemda with their targets and realisations, and the cascade of OPD
sasaran to RPJMD sasaran."""

from __future__ import annotations

import random
from pathlib import Path

from lkj.pemda.contoh.tabel import SYNTHETIC_MARK, write_table

SASARAN_RPJMD = (
    ("SR1", "Meningkatnya Kualitas Penyelenggaraan Pelayanan Publik"),
    ("SR2", "Meningkatnya Kualitas Sumber Daya Manusia"),
    ("SR3", "Meningkatnya Pertumbuhan Ekonomi Daerah yang Inklusif"),
    ("SR4", "Meningkatnya Kualitas Infrastruktur dan Lingkungan Hidup"),
    ("SR5", "Meningkatnya Akuntabilitas Tata Kelola Pemerintahan"),
)
# (kode, sasaran, uraian, satuan, polaritas, kondisi awal, target akhir, target 2021, 2022)
IKU_PEMDA = (
    ("IKU1", "SR1", "Indeks Kepuasan Masyarakat", "indeks", "positif", 76, 85, 78, 80),
    ("IKU2", "SR1", "Persentase penyelesaian konflik sosial secara damai", "%", "positif",
     90, 100, 95, 100),
    ("IKU3", "SR2", "Indeks Pembangunan Manusia", "indeks", "positif", 70.2, 73.5, 71, 71.6),
    ("IKU4", "SR2", "Angka kematian bayi per 1.000 kelahiran hidup", "per 1.000", "negatif",
     9.5, 6, 8.8, 8.2),
    ("IKU5", "SR3", "Laju pertumbuhan ekonomi", "%", "positif", 3.1, 5.5, 4, 4.5),
    ("IKU6", "SR3", "Persentase penduduk miskin", "%", "negatif", 7.2, 5, 6.8, 6.4),
    ("IKU7", "SR4", "Persentase jalan kabupaten dalam kondisi mantap", "%", "positif",
     68, 85, 72, 75),
    ("IKU8", "SR5", "Nilai SAKIP Pemerintah Daerah", "nilai", "positif", 62, 75, 65, 68),
)  # fmt: skip


def _lambang_png(path: Path) -> None:
    """A plain shield marked CONTOH (the demo's lambang daerah), as a PNG file."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (240, 280), "white")
    draw = ImageDraw.Draw(image)
    shield = [(20, 20), (220, 20), (220, 150), (190, 215), (120, 270), (50, 215), (20, 150)]
    draw.polygon(shield, fill="#1f5f8b", outline="#c9a227", width=8)
    draw.ellipse((75, 70, 165, 160), fill="#c9a227")
    draw.text((120, 205), "CONTOH", fill="white", anchor="mm", font_size=28)
    image.save(path, format="PNG", optimize=False)


def write_pemda_tables(
    pemda_dir: Path, opd_rows: list[dict], cascade: list[dict], seed: int
) -> None:
    """Write the pemda's own tables into ``pemda_dir``.

    Args:
        pemda_dir: the workspace's pemda/ folder.
        opd_rows: the rows of opd.csv.
        cascade: the rows of sasaran_opd.csv.
        seed: the random seed (the IKU realisations).
    """
    write_table(
        pemda_dir,
        "pemda",
        [
            {"kunci": k, "nilai": v}
            for k, v in (
                ("nama_pemda", "Kabupaten Belitung Timur"),
                ("jenis_pemda", "kabupaten"),
                ("kepala_daerah_jabatan", "Bupati"),
                ("kepala_daerah_nama", "Bupati Contoh, S.E., M.M."),
                ("lambang", "lambang.png"),
                ("ibu_kota", "Manggar"),
                ("periode_rpjmd", "2021-2026"),
                ("visi", "Belitung Timur Bangkit dan Berdaya"),
                (
                    "misi",
                    "Membenahi manajemen penyelenggaraan pemerintahan | Meningkatkan kualitas "
                    "sumber daya manusia | Memperkuat ekonomi kerakyatan",
                ),
                ("sekretaris_daerah_nama", "Sekretaris Daerah Contoh, S.H."),
                (SYNTHETIC_MARK, "ya"),
            )
        ],
    )
    _lambang_png(pemda_dir / "lambang.png")
    write_table(
        pemda_dir,
        "sasaran_rpjmd",
        [{"kode_sasaran_rpjmd": k, "uraian_sasaran_rpjmd": u} for k, u in SASARAN_RPJMD],
    )
    write_table(pemda_dir, "opd", opd_rows)
    iku, kinerja = _iku_rows(opd_rows, seed)
    write_table(pemda_dir, "iku_pemda", iku)
    write_table(pemda_dir, "kinerja_iku", kinerja)
    write_table(pemda_dir, "sasaran_opd", cascade)
    write_table(pemda_dir, "pembanding_iku", PEMBANDING_IKU)
    write_pemda_narasi(pemda_dir, 2022)


def _iku_rows(opd_rows: list[dict], seed: int) -> tuple[list[dict], list[dict]]:
    """The rows of iku_pemda.csv and kinerja_iku.csv (realisations drawn from the seed)."""
    by_singkatan = {r["singkatan"]: r["kode_opd"] for r in opd_rows}
    responsible = dict(
        IKU1="Setda", IKU2="Kesbangpol", IKU3="Bappeda", IKU4="Dinkes",
        IKU5="Bappeda", IKU6="Dinsos", IKU7="PUPR", IKU8="Inspektorat",
    )  # fmt: skip
    iku, kinerja = [], []
    rng = random.Random(f"{seed}-pemda")
    for kode, sr, uraian, satuan, pol, awal, akhir, t21, t22 in IKU_PEMDA:
        iku.append(
            {
                "kode_iku": kode,
                "kode_sasaran_rpjmd": sr,
                "uraian_iku": uraian,
                "satuan": satuan,
                "polaritas": pol,
                "kondisi_awal": awal,
                "target_akhir_rpjmd": akhir,
                "kode_opd_penanggung_jawab": by_singkatan.get(responsible[kode], ""),
            }
        )
        for y, t in ((2021, t21), (2022, t22)):
            factor = rng.gauss(1.0, 0.05) if pol == "positif" else rng.gauss(1.0, 0.08)
            kinerja.append({"kode_iku": kode, "tahun": y, "target": t,
                            "realisasi": round(max(0.0, t * factor), 2)})  # fmt: skip
    return iku, kinerja


# Benchmarks of two IKU (DATA SINTETIS: figures of the demo, not quoted from a publication).
PEMBANDING_IKU = [
    {"kode_iku": "IKU3", "tahun": 2022, "nilai_pembanding": 72.91,
     "uraian_pembanding": "rata-rata nasional (contoh)", "sumber_pembanding": "DATA SINTETIS"},
    {"kode_iku": "IKU4", "tahun": 2022, "nilai_pembanding": 16.85,
     "uraian_pembanding": "rata-rata nasional (contoh)", "sumber_pembanding": "DATA SINTETIS"},
]  # fmt: skip

# The pemda's narasi per sasaran RPJMD (lkj.document.narasi_pemda): efforts and obstacles,
# recommendations; computed values by name.
NARASI_ANALISIS = (
    "Teks contoh (DATA SINTETIS). Upaya yang dilakukan pada tahun {{{{ tahun }}}} untuk sasaran "
    "{sr}: perangkat daerah pendukung melaksanakan program dengan serapan anggaran "
    "{{{{ sasaran.{sr}.serapan }}}} dan capaian fisik {{{{ sasaran.{sr}.capaian_fisik }}}}.\n\n"
    "Hambatan:\n\n- koordinasi antar perangkat daerah belum optimal;\n"
    "- data dukung capaian indikator terlambat tersedia."
)
NARASI_SOLUSI = (
    "Teks contoh (DATA SINTETIS). Rekomendasi untuk sasaran {sr}:\n\n"
    "- memperkuat koordinasi perencanaan dan penganggaran antar perangkat daerah;\n"
    "- menyusun data dukung capaian setiap triwulan."
)
NARASI_README = (
    "DATA SINTETIS: narasi contoh LKjIP per sasaran RPJMD (sasaran_<kode>_analisis.md: upaya "
    "dan hambatan; sasaran_<kode>_solusi.md: rekomendasi).\n"
)


def write_pemda_narasi(pemda_dir: Path, year: int) -> None:
    """The demo's narasi of ``year`` for every sasaran RPJMD (pemda/narasi/YEAR/)."""
    folder = pemda_dir / "narasi" / str(year)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "README.md").write_text(NARASI_README, encoding="utf-8")
    for sr, _ in SASARAN_RPJMD:
        for part, text in (("analisis", NARASI_ANALISIS), ("solusi", NARASI_SOLUSI)):
            path = folder / f"sasaran_{sr}_{part}.md"
            path.write_text(text.format(sr=sr) + "\n", encoding="utf-8")
