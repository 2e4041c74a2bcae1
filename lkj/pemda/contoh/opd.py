"""The demo's OPDs: the list of a typical kabupaten's perangkat daerah and ``synthetic_opd``,
the raw tables of one synthetic OPD derived from Kesbangpol's real 2022 data: the structure
renamed for the OPD's field, budgets scaled, sub kegiatan dropped or repeated, realisations,
staff and facilities perturbed, all deterministically from the OPD's own random generator."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import pandas as pd

from lkj.pemda.contoh.pemda import SASARAN_RPJMD
from lkj.pemda.contoh.tabel import SYNTHETIC_MARK, frame_rows

BASE_YEAR = 2022
KESBANGPOL = "Badan Kesatuan Bangsa dan Politik"


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
        Table name to rows (dicts), ready for ``write_table``.
    """
    b = spec.bidang
    year = BASE_YEAR
    out: dict[str, list[dict]] = {}
    scale = _clip(math.exp(rng.gauss(0, 0.6)), 0.3, 4.0)  # size of the OPD against Kesbangpol
    serapan_level = _clip(rng.gauss(0.86, 0.07), 0.55, 0.99)
    fisik_level = _clip(rng.gauss(0.95, 0.05), 0.7, 1.0)

    out["instansi"] = _instansi_rows(base, spec, rng)
    out["tujuan"], out["sasaran"] = _sasaran_rows(base, spec)
    out["indikator"], out["kinerja_indikator"], out["target_renstra"] = _indikator_rows(
        base, spec, rng, year
    )
    out["program"], out["kegiatan"], support = _program_rows(base, b)
    keg_program = {r["kode_kegiatan"]: r["kode_program"] for r in out["kegiatan"]}
    subs = _sub_kegiatan_rows(
        base, b, keg_program, support, (scale, serapan_level, fisik_level), rng
    )
    out["sub_kegiatan"] = subs
    out["lra"] = _lra_rows(base, subs, rng)
    out["pegawai"], out["sarana_prasarana"] = _pegawai_rows(base, spec, scale, rng)
    return out


def _instansi_rows(base: dict[str, pd.DataFrame], spec: OpdSpec, rng: random.Random) -> list:
    """instansi.csv: Kesbangpol's, renamed for the OPD and marked synthetic."""
    b = spec.bidang
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
    return [{"kunci": k, "nilai": v} for k, v in inst.items()]


def _sasaran_rows(base: dict[str, pd.DataFrame], spec: OpdSpec) -> tuple[list, list]:
    """tujuan.csv and sasaran.csv: Kesbangpol's codes, worded for the OPD's field."""
    b = spec.bidang
    tujuan = [
        {
            "kode_tujuan": r["kode_tujuan"],
            "uraian_tujuan": SASARAN_TEMPLATES[i % 3]
            .format(b=b.lower())
            .replace("Meningkatnya", "Meningkatkan"),
            "strategi": f"Penguatan {b.lower()}",
        }
        for i, r in enumerate(frame_rows(base["tujuan"]))
    ]
    sasaran = [
        {
            **r,
            "uraian_sasaran": SASARAN_TEMPLATES[i % 3].format(b=b.lower()),
            "sasaran_rpjmd": dict(SASARAN_RPJMD)[spec.sasaran_rpjmd],
            "arah_kebijakan": f"Peningkatan mutu {b.lower()} | Penguatan koordinasi",
        }
        for i, r in enumerate(frame_rows(base["sasaran"]))
    ]
    return tujuan, sasaran


def _indikator_rows(
    base: dict[str, pd.DataFrame], spec: OpdSpec, rng: random.Random, year: int
) -> tuple[list, list, list]:
    """indikator.csv, kinerja_indikator.csv (last year and this) and target_renstra.csv."""
    b = spec.bidang
    ind_rows, kin_rows, renstra_rows = [], [], []
    for i, r in enumerate(frame_rows(base["indikator"])):
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
    return ind_rows, kin_rows, renstra_rows


def _program_rows(base: dict[str, pd.DataFrame], b: str) -> tuple[list, list, set]:
    """program.csv and kegiatan.csv renamed for the field ``b``; the support programmes (no
    sasaran), which keep their names."""
    prog_rows = []
    for i, r in enumerate(frame_rows(base["program"])):
        name = r["nama_program"] if not r["kode_sasaran"] else PROGRAM_TEMPLATES[(i - 1) % 5]
        prog_rows.append({**r, "nama_program": name.format(b=b)})

    prog_name = {r["kode_program"]: r["nama_program"] for r in prog_rows}
    support = {r["kode_program"] for r in prog_rows if not r["kode_sasaran"]}
    kegiatan = [
        {
            **r,
            "nama_kegiatan": r["nama_kegiatan"]
            if r["kode_program"] in support
            else prog_name[r["kode_program"]].replace("Program ", "Pelaksanaan "),
        }
        for r in frame_rows(base["kegiatan"])
    ]
    return prog_rows, kegiatan, support


def _sub_kegiatan_rows(
    base: dict[str, pd.DataFrame],
    b: str,
    keg_program: dict[str, str],
    support: set,
    levels: tuple[float, float, float],
    rng: random.Random,
) -> list[dict]:
    """sub_kegiatan.csv: per kegiatan, sub kegiatan dropped or one repeated; budgets scaled
    and realisations drawn around the OPD's levels (``levels``: scale, serapan, fisik)."""
    scale, serapan_level, fisik_level = levels
    subs = []
    groups: dict[str, list[dict]] = {}
    for r in frame_rows(base["sub_kegiatan"]):
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
    return subs


def _lra_rows(base: dict[str, pd.DataFrame], subs: list[dict], rng: random.Random) -> list:
    """lra.csv: the sub kegiatan totals split over Kesbangpol's LRA lines; sometimes off."""
    total_budget = sum(s["anggaran_rp"] for s in subs)
    total_spent = sum(s["realisasi_anggaran_rp"] for s in subs)
    lra = frame_rows(base["lra"])
    budgets = _split(total_budget, [r["anggaran_rp"] for r in lra])
    spents = _split(total_spent, budgets)  # same serapan in every jenis: never above budget
    if rng.random() < 0.15:  # the OPD's LRA disagrees with its sub kegiatan, as real ones do
        budgets[1] -= rng.choice((5_000_000, 12_500_000, 16_000_000))
    return [
        {**r, "anggaran_rp": max(0, a), "realisasi_rp": min(max(0, a), s)}
        for r, a, s in zip(lra, budgets, spents, strict=True)
    ]


def _pegawai_rows(
    base: dict[str, pd.DataFrame], spec: OpdSpec, scale: float, rng: random.Random
) -> tuple[list, list]:
    """pegawai.csv and sarana_prasarana.csv scaled to the OPD's size."""
    b = spec.bidang
    staff = _clip(scale * rng.uniform(0.8, 1.2), 0.3, 6)
    peg = []
    for r in frame_rows(base["pegawai"]):
        new = dict(r)
        if r["kategori"] == "unit_kerja" and r["no"] >= 4:
            new["uraian"] = f"Bidang {r['no'] - 3} {b}"
        elif r["kategori"] == "unit_kerja" and r["no"] == 1:
            new["uraian"] = f"Kepala {spec.singkatan}"
        if not (r["kategori"] == "unit_kerja" and r["no"] == 1):
            new["jumlah"] = int(round(r["jumlah"] * staff))
        peg.append(new)

    sarana = [
        {**r, "jumlah": int(round(r["jumlah"] * _clip(staff, 0.5, 3)))}
        for r in frame_rows(base["sarana_prasarana"])
    ]
    return peg, sarana


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
