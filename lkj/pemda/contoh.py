"""A synthetic demo pemda: ``python -m lkj contoh-pemda --jumlah 40 --seed 1``.

Writes data/pemda/contoh/: the pemda's own tables (``lkj.data.schema_pemda``) and ``jumlah`` OPDs
under the yearly contract of data/raw/YEAR. One OPD is Badan Kesatuan Bangsa dan Politik with
its real 2022 data copied unchanged from data/raw/2022 (not marked synthetic); every other OPD
is derived from that same data: the structure (programmes, kegiatan, sub kegiatan, sasaran,
indikator) renamed for the OPD's field, budgets scaled, sub kegiatan dropped or repeated,
realisations, staff and facilities perturbed, all deterministically from the seed. Every
synthetic OPD says ``data_sintetis = ya`` in its instansi.csv, and so does pemda.csv: reports
built from them say DATA SINTETIS on every page.
"""

from __future__ import annotations

import csv
import io
import math
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from lkj.core import numbers, resources
from lkj.core.errors import LkjError
from lkj.data.ingest import read_raw
from lkj.data.schema import TABLES_BY_NAME
from lkj.data.schema_pemda import PEMDA_TABLES_BY_NAME
from lkj.data.sources import display_path

ROOT = resources.ROOT
KODE_PEMDA = "contoh"
BASE_YEAR = 2022
KESBANGPOL = "Badan Kesatuan Bangsa dan Politik"
SYNTHETIC_MARK = "data_sintetis"


@dataclass(frozen=True)
class OpdSpec:
    """One OPD of the demo: name, short name, field (for renaming) and its RPJMD sasaran."""

    nama: str
    singkatan: str
    bidang: str
    sasaran_rpjmd: str


# The perangkat daerah of a typical kabupaten, in the usual order. Kesbangpol is the real one.
OPD_LIST: tuple[OpdSpec, ...] = (
    OpdSpec("Sekretariat Daerah", "Setda", "Administrasi Pemerintahan", "SR5"),
    OpdSpec("Sekretariat DPRD", "Setwan", "Fasilitasi Kelembagaan DPRD", "SR5"),
    OpdSpec("Inspektorat Daerah", "Inspektorat", "Pengawasan Internal", "SR5"),
    OpdSpec("Badan Perencanaan Pembangunan Daerah", "Bappeda", "Perencanaan Pembangunan", "SR5"),
    OpdSpec("Badan Pengelolaan Keuangan dan Aset Daerah", "BPKAD", "Pengelolaan Keuangan", "SR5"),
    OpdSpec("Badan Pendapatan Daerah", "Bapenda", "Pendapatan Daerah", "SR3"),
    OpdSpec("Badan Kepegawaian dan Pengembangan SDM", "BKPSDM", "Kepegawaian", "SR5"),
    OpdSpec("Badan Penanggulangan Bencana Daerah", "BPBD", "Penanggulangan Bencana", "SR4"),
    OpdSpec(KESBANGPOL, "Kesbangpol", "Kesatuan Bangsa dan Politik", "SR1"),
    OpdSpec("Dinas Pendidikan", "Disdik", "Pendidikan", "SR2"),
    OpdSpec("Dinas Kesehatan", "Dinkes", "Kesehatan", "SR2"),
    OpdSpec("Rumah Sakit Umum Daerah", "RSUD", "Pelayanan Kesehatan Rujukan", "SR2"),
    OpdSpec("Dinas Pekerjaan Umum dan Penataan Ruang", "PUPR", "Infrastruktur Jalan", "SR4"),
    OpdSpec("Dinas Perumahan dan Kawasan Permukiman", "Perkim", "Permukiman", "SR4"),
    OpdSpec("Satuan Polisi Pamong Praja", "Satpol PP", "Ketenteraman dan Ketertiban", "SR1"),
    OpdSpec("Dinas Sosial", "Dinsos", "Perlindungan Sosial", "SR2"),
    OpdSpec(
        "Dinas Pemberdayaan Perempuan, Perlindungan Anak dan KB",
        "DP3AKB",
        "Perlindungan Perempuan dan Anak",
        "SR2",
    ),
    OpdSpec("Dinas Ketahanan Pangan", "DKP", "Ketahanan Pangan", "SR3"),
    OpdSpec("Dinas Lingkungan Hidup", "DLH", "Lingkungan Hidup", "SR4"),
    OpdSpec(
        "Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil", "Administrasi Kependudukan", "SR1"
    ),
    OpdSpec("Dinas Pemberdayaan Masyarakat dan Desa", "DPMD", "Pemberdayaan Desa", "SR3"),
    OpdSpec("Dinas Perhubungan", "Dishub", "Perhubungan", "SR4"),
    OpdSpec("Dinas Komunikasi dan Informatika", "Diskominfo", "Komunikasi dan Informatika", "SR1"),
    OpdSpec("Dinas Koperasi, Usaha Kecil dan Menengah", "Diskop UKM", "Koperasi dan UKM", "SR3"),
    OpdSpec(
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu",
        "DPMPTSP",
        "Perizinan dan Penanaman Modal",
        "SR3",
    ),
    OpdSpec("Dinas Pemuda, Olahraga dan Pariwisata", "Disporapar", "Pariwisata", "SR3"),
    OpdSpec("Dinas Perpustakaan dan Kearsipan", "Dispusip", "Perpustakaan dan Kearsipan", "SR2"),
    OpdSpec("Dinas Perikanan", "Diskan", "Perikanan", "SR3"),
    OpdSpec("Dinas Pertanian", "Distan", "Pertanian", "SR3"),
    OpdSpec(
        "Dinas Perindustrian dan Perdagangan", "Disperindag", "Perindustrian dan Perdagangan", "SR3"
    ),
    OpdSpec("Dinas Tenaga Kerja", "Disnaker", "Ketenagakerjaan", "SR3"),
    OpdSpec("Dinas Kebudayaan", "Disbud", "Kebudayaan", "SR2"),
    OpdSpec("Badan Riset dan Inovasi Daerah", "Brida", "Riset dan Inovasi", "SR5"),
    OpdSpec("Dinas Pemadam Kebakaran", "Damkar", "Penanggulangan Kebakaran", "SR4"),
    OpdSpec("Kecamatan Manggar", "Kec. Manggar", "Pelayanan Kecamatan Manggar", "SR1"),
    OpdSpec("Kecamatan Gantung", "Kec. Gantung", "Pelayanan Kecamatan Gantung", "SR1"),
    OpdSpec("Kecamatan Kelapa Kampit", "Kec. Kelapa Kampit", "Pelayanan Kecamatan", "SR1"),
    OpdSpec("Kecamatan Dendang", "Kec. Dendang", "Pelayanan Kecamatan Dendang", "SR1"),
    OpdSpec("Kecamatan Damar", "Kec. Damar", "Pelayanan Kecamatan Damar", "SR1"),
    OpdSpec("Kecamatan Simpang Pesak", "Kec. Simpang Pesak", "Pelayanan Kecamatan", "SR1"),
    OpdSpec("Kecamatan Simpang Renggiang", "Kec. Simpang Renggiang", "Pelayanan Kecamatan", "SR1"),
)

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
PROGRAM_TEMPLATES = (
    "Program Perencanaan dan Pengembangan {b}",
    "Program Peningkatan Layanan {b}",
    "Program Pembinaan dan Pengawasan {b}",
    "Program Penguatan Kapasitas {b}",
    "Program Pengelolaan Data dan Informasi {b}",
)
SASARAN_TEMPLATES = (
    "Meningkatnya kualitas layanan {b}",
    "Meningkatnya cakupan dan pemerataan {b}",
    "Meningkatnya tata kelola {b}",
)
INDIKATOR_TEMPLATES = (
    "Persentase layanan {b} yang memenuhi standar",
    "Persentase cakupan program {b}",
    "Persentase rekomendasi tata kelola {b} yang ditindaklanjuti",
)
ACTIONS = (
    "Penyusunan Program Kerja",
    "Perumusan Kebijakan Teknis",
    "Pelaksanaan Koordinasi",
    "Pelaksanaan Kebijakan",
    "Pelaksanaan Monitoring, Evaluasi dan Pelaporan",
    "Fasilitasi dan Pendampingan",
)


def _plain(value: object, decimals: int = 2) -> str:
    """A number as the data contract wants it, by the project's one rounding rule and one
    writer (``lkj.core.numbers``): rounded half away from zero to at most ``decimals`` places,
    plain digits, decimal point, no trailing zeros; "" for a missing value."""
    return numbers.write_number(numbers.round_half_up(value, decimals))


def _write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(
            [
                _plain(row.get(c)) if isinstance(row.get(c), (int, float)) else row.get(c, "")
                for c in columns
            ]
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _frame_rows(frame: pd.DataFrame) -> list[dict]:
    rows = []
    for record in frame.to_dict("records"):
        rows.append({k: (None if v is pd.NA else v) for k, v in record.items()})
    return rows


def _write_table(folder: Path, name: str, rows: list[dict]) -> None:
    table = TABLES_BY_NAME.get(name) or PEMDA_TABLES_BY_NAME[name]
    _write_csv(folder / f"{name}.csv", table.columns, rows)


def _clip(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _action(name: str) -> str:
    for action in ACTIONS:
        if name.lower().startswith(action.lower()):
            return action
    for word in (" di ", " Di ", " dibidang "):
        if word in name:
            return name.split(word)[0]
    return name


def synthetic_opd(base: dict[str, pd.DataFrame], spec: OpdSpec, rng: random.Random) -> dict:
    """The raw tables of one synthetic OPD derived from ``base`` (the real 2022 tables).

    Args:
        base: the validated tables of data/raw/2022.
        spec: the OPD's name and field.
        rng: the OPD's own random generator (seeded).

    Returns:
        Table name to rows (dicts), ready for ``_write_table``.
    """
    b = spec.bidang
    year = BASE_YEAR
    out: dict[str, list[dict]] = {}
    scale = _clip(math.exp(rng.gauss(0, 0.6)), 0.3, 4.0)  # size of the OPD against Kesbangpol
    serapan_level = _clip(rng.gauss(0.86, 0.07), 0.55, 0.99)
    fisik_level = _clip(rng.gauss(0.95, 0.05), 0.7, 1.0)

    inst = dict(zip(base["instansi"]["kunci"], base["instansi"]["nilai"], strict=True))
    inst.update(
        {
            "nama_instansi": spec.nama,
            "urusan": f"Urusan Pemerintahan Bidang {b}",
            "alamat": f"Jalan Contoh No. {rng.randint(1, 99)}, Manggar, Kabupaten Belitung Timur",
            "telepon": "-",
            "email": "-",
            "kepala_nama": f"Kepala {spec.singkatan} (contoh)",
            "kepala_pangkat": "Pembina Tk. I / IV.b",
            "kepala_nip": f"1970{rng.randint(1, 12):02d}{rng.randint(1, 28):02d} "
            f"199{rng.randint(0, 9)}03 1 0{rng.randint(10, 99)}",
            "sasaran_rpjmd": dict(SASARAN_RPJMD)[spec.sasaran_rpjmd],
            "lambang": "lambang.png",  # the pemda's (the batch gives it to every OPD)
            SYNTHETIC_MARK: "ya",
        }
    )
    out["instansi"] = [{"kunci": k, "nilai": v} for k, v in inst.items()]

    out["tujuan"] = [
        {
            "kode_tujuan": r["kode_tujuan"],
            "uraian_tujuan": SASARAN_TEMPLATES[i % 3]
            .format(b=b.lower())
            .replace("Meningkatnya", "Meningkatkan"),
            "strategi": f"Penguatan {b.lower()}",
        }
        for i, r in enumerate(_frame_rows(base["tujuan"]))
    ]
    out["sasaran"] = [
        {
            **r,
            "uraian_sasaran": SASARAN_TEMPLATES[i % 3].format(b=b.lower()),
            "sasaran_rpjmd": dict(SASARAN_RPJMD)[spec.sasaran_rpjmd],
            "arah_kebijakan": f"Peningkatan mutu {b.lower()} | Penguatan koordinasi",
        }
        for i, r in enumerate(_frame_rows(base["sasaran"]))
    ]
    ind_rows, kin_rows, renstra_rows = [], [], []
    for i, r in enumerate(_frame_rows(base["indikator"])):
        target = float(rng.choice((60, 70, 75, 80, 85, 90, 95, 100)))
        ind_rows.append(
            {
                **r,
                "uraian_indikator": INDIKATOR_TEMPLATES[i % 3].format(b=b.lower()),
                "unit_penanggung_jawab": spec.singkatan,
                "kondisi_awal": round(target * rng.uniform(0.8, 1.0), 2),
                "target_akhir_renstra": min(100.0, target + rng.choice((0, 5, 10))),
            }
        )
        for y in (year - 1, year):
            t = target if y == year else round(target * rng.uniform(0.9, 1.0), 2)
            realised = round(_clip(t * rng.gauss(0.97, 0.08), 0, 100), 2)
            kin_rows.append({"kode_indikator": r["kode_indikator"], "tahun": y, "target": t,
                             "realisasi": realised})  # fmt: skip
        for y in range(year, year + 5):
            renstra_rows.append({"kode_indikator": r["kode_indikator"], "tahun": y,
                                 "target": target})  # fmt: skip
    out["indikator"], out["kinerja_indikator"], out["target_renstra"] = (
        ind_rows,
        kin_rows,
        renstra_rows,
    )

    prog_rows = []
    for i, r in enumerate(_frame_rows(base["program"])):
        name = r["nama_program"] if not r["kode_sasaran"] else PROGRAM_TEMPLATES[(i - 1) % 5]
        prog_rows.append({**r, "nama_program": name.format(b=b)})
    out["program"] = prog_rows
    prog_name = {r["kode_program"]: r["nama_program"] for r in prog_rows}
    support = {r["kode_program"] for r in prog_rows if not r["kode_sasaran"]}
    out["kegiatan"] = [
        {
            **r,
            "nama_kegiatan": r["nama_kegiatan"]
            if r["kode_program"] in support
            else prog_name[r["kode_program"]].replace("Program ", "Pelaksanaan "),
        }
        for r in _frame_rows(base["kegiatan"])
    ]
    keg_program = {r["kode_kegiatan"]: r["kode_program"] for r in out["kegiatan"]}

    subs = []
    groups: dict[str, list[dict]] = {}
    for r in _frame_rows(base["sub_kegiatan"]):
        groups.setdefault(r["kode_kegiatan"], []).append(r)
    for kode_keg, rows in groups.items():
        domain = keg_program[kode_keg] not in support
        kept = [r for r in rows if not domain or rng.random() > 0.2] or rows[:1]
        if domain and rng.random() < 0.4:  # one more sub kegiatan in this kegiatan
            extra = dict(rng.choice(rows))
            extra["nama_sub_kegiatan"] = rng.choice(ACTIONS)
            kept.append(extra)
        for n, r in enumerate(kept, start=1):
            new = dict(r)
            new["kode_sub_kegiatan"] = f"{kode_keg}.{n:02d}"
            new["no_seed"] = None
            if domain:
                new["nama_sub_kegiatan"] = f"{_action(r['nama_sub_kegiatan'])} Bidang {b}"
                new["unit_kerja"] = f"Bidang {b}"
            budget = int(round(r["anggaran_rp"] * scale * rng.uniform(0.7, 1.3), -3))
            ratio = r["realisasi_anggaran_rp"] / r["anggaran_rp"] if r["anggaran_rp"] else 0.0
            absorbed = _clip(0.5 * ratio + 0.5 * serapan_level + rng.gauss(0, 0.06), 0.3, 1.0)
            new["anggaran_rp"] = budget
            new["realisasi_anggaran_rp"] = int(round(budget * absorbed))
            target = r["target_fisik"] if r["target_fisik"] else 1
            new["target_fisik"] = target
            fisik = _clip(fisik_level + rng.gauss(0, 0.08), 0.3, 1.0)
            new["realisasi_fisik"] = min(target, max(0, int(round(target * fisik))))
            subs.append(new)
    out["sub_kegiatan"] = subs

    total_budget = sum(s["anggaran_rp"] for s in subs)
    total_spent = sum(s["realisasi_anggaran_rp"] for s in subs)
    lra = _frame_rows(base["lra"])
    budgets = _split(total_budget, [r["anggaran_rp"] for r in lra])
    spents = _split(total_spent, budgets)  # same serapan in every jenis: never above budget
    if rng.random() < 0.15:  # the OPD's LRA disagrees with its sub kegiatan, as real ones do
        budgets[1] -= rng.choice((5_000_000, 12_500_000, 16_000_000))
    out["lra"] = [
        {**r, "anggaran_rp": max(0, a), "realisasi_rp": min(max(0, a), s)}
        for r, a, s in zip(lra, budgets, spents, strict=True)
    ]

    staff = _clip(scale * rng.uniform(0.8, 1.2), 0.3, 6)
    peg = []
    for r in _frame_rows(base["pegawai"]):
        new = dict(r)
        if r["kategori"] == "unit_kerja" and r["no"] >= 4:
            new["uraian"] = f"Bidang {r['no'] - 3} {b}"
        elif r["kategori"] == "unit_kerja" and r["no"] == 1:
            new["uraian"] = f"Kepala {spec.singkatan}"
        if not (r["kategori"] == "unit_kerja" and r["no"] == 1):
            new["jumlah"] = int(round(r["jumlah"] * staff))
        peg.append(new)
    out["pegawai"] = peg
    out["sarana_prasarana"] = [
        {**r, "jumlah": int(round(r["jumlah"] * _clip(staff, 0.5, 3)))}
        for r in _frame_rows(base["sarana_prasarana"])
    ]
    return out


def _split(total: int, weights: list[int]) -> list[int]:
    """``total`` split in proportion to ``weights``; the parts sum to ``total`` exactly."""
    whole = sum(weights) or 1
    parts = [total * w // whole for w in weights]
    parts[0] += total - sum(parts)
    return parts


NARASI = {
    "kata_pengantar": (
        "Laporan Kinerja {nama} Tahun {{{{ tahun }}}} ini disusun dari DATA SINTETIS untuk "
        "demonstrasi lkj: angka-angkanya diturunkan dari data Badan Kesatuan Bangsa dan Politik "
        "tahun 2022, diskalakan dan diacak, dan tidak menggambarkan kinerja instansi mana pun.\n\n"
        "Anggaran tahun {{{{ tahun }}}} sebesar {{{{ total.anggaran }}}} terealisasi "
        "{{{{ total.realisasi }}}} ({{{{ total.serapan }}}})."
    ),
    "penutup": (
        "Laporan ini memuat DATA SINTETIS. Capaian dan serapan anggaran di dalamnya hanya contoh "
        "keluaran lkj untuk pemerintah daerah."
    ),
}


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


def write_contoh_pemda(
    jumlah: int = 40,
    seed: int = 1,
    base_dir: Path | str | None = None,
    raw_root: Path | str | None = None,
    force: bool = False,
) -> Path:
    """Write the demo pemda workspace data/pemda/contoh.

    Args:
        jumlah: number of OPDs (1 to len(OPD_LIST)); Kesbangpol (real data) is always one.
        seed: the random seed: the same seed gives the same files, byte for byte.
        base_dir: the folder of workspaces (default data/pemda).
        raw_root: where the real 2022 data is (default data/raw).
        force: replace an existing data/pemda/contoh.

    Returns:
        The workspace folder.

    Raises:
        LkjError: bad count, or the workspace exists and ``force`` is not set.
    """
    if not 1 <= jumlah <= len(OPD_LIST):
        raise LkjError(f"--jumlah harus antara 1 dan {len(OPD_LIST)}, bukan {jumlah}")
    base_dir = Path(base_dir) if base_dir else ROOT / "data" / "pemda"
    raw_root = Path(raw_root) if raw_root else ROOT / "data" / "raw"
    target = base_dir / KODE_PEMDA
    if target.exists() and not force:
        raise LkjError(
            f"{display_path(target)} sudah ada; hapus dulu atau pakai --force untuk menimpanya"
        )
    base = read_raw(BASE_YEAR, raw_root).tables
    kes = next(i for i, s in enumerate(OPD_LIST) if s.nama == KESBANGPOL)
    chosen = list(OPD_LIST[:jumlah])
    if kes >= jumlah:  # Kesbangpol (the real data) is always one of them
        chosen = [*OPD_LIST[: jumlah - 1], OPD_LIST[kes]]
    stage = base_dir / f".staging-{KODE_PEMDA}"
    shutil.rmtree(stage, ignore_errors=True)
    pemda_dir = stage / "pemda"
    opd_rows, cascade = [], []
    unlinked_done = False
    for n, spec in enumerate(chosen, start=1):
        kode = f"{n:02d}"
        rng = random.Random(f"{seed}-{kode}-{spec.singkatan}")
        year_dir = stage / "opd" / kode / str(BASE_YEAR)
        real = spec.nama == KESBANGPOL
        if real:
            shutil.copytree(raw_root / str(BASE_YEAR), year_dir)
            inst = base["instansi"]
            kepala = str(inst.loc[inst["kunci"] == "kepala_nama", "nilai"].iloc[0])
            nip = str(inst.loc[inst["kunci"] == "kepala_nip", "nilai"].iloc[0])
            sasaran_codes = list(base["sasaran"]["kode_sasaran"])
        else:
            tables = synthetic_opd(base, spec, rng)
            for name, rows in tables.items():
                _write_table(year_dir, name, rows)
            narasi = year_dir / "narasi"
            narasi.mkdir()
            for name, text in NARASI.items():
                (narasi / f"{name}.md").write_text(
                    text.format(nama=spec.nama) + "\n", encoding="utf-8"
                )
            values = {r["kunci"]: r["nilai"] for r in tables["instansi"]}
            kepala, nip = values["kepala_nama"], values["kepala_nip"]
            sasaran_codes = [r["kode_sasaran"] for r in tables["sasaran"]]
        opd_rows.append(
            {
                "kode_opd": kode,
                "nama_opd": spec.nama,
                "singkatan": spec.singkatan,
                "kepala_nama": kepala,
                "kepala_nip": nip,
            }
        )
        for i, code in enumerate(sasaran_codes):
            # One synthetic OPD leaves its last sasaran out of the cascade (the data quality
            # chapter shows it); another sasaran of some OPDs supports good governance (SR5).
            if not real and not unlinked_done and n > 2 and i == len(sasaran_codes) - 1:
                unlinked_done = True
                continue
            link = "SR5" if (not real and i == 2 and rng.random() < 0.3) else spec.sasaran_rpjmd
            cascade.append({"kode_opd": kode, "kode_sasaran": code, "kode_sasaran_rpjmd": link})

    _write_table(
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
    _write_table(
        pemda_dir,
        "sasaran_rpjmd",
        [{"kode_sasaran_rpjmd": k, "uraian_sasaran_rpjmd": u} for k, u in SASARAN_RPJMD],
    )
    _write_table(pemda_dir, "opd", opd_rows)
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
    _write_table(pemda_dir, "iku_pemda", iku)
    _write_table(pemda_dir, "kinerja_iku", kinerja)
    _write_table(pemda_dir, "sasaran_opd", cascade)
    (stage / "README.md").write_text(
        f"DATA SINTETIS: pemda contoh dibuat oleh `python -m lkj contoh-pemda --jumlah {jumlah} "
        f"--seed {seed}`.\nOPD {KESBANGPOL} berisi data asli 2022 (data/raw/2022); OPD lain "
        "diturunkan darinya (nama diganti, anggaran diskalakan, realisasi diacak).\n",
        encoding="utf-8",
    )
    if target.exists():
        shutil.rmtree(target)
    stage.rename(target)
    return target
