"""The demo's quarterly data (DATA SINTETIS): for a synthetic OPD, its year's realisation split
into four quarters (spending rising through the year, as it does in the field), a plan per
quarter, each indikator's level rising to its yearly value (aturan ``akhir``), one budget
changed in the APBD Perubahan, Renstra rows for its programs, and the narasi of each quarter.

The quarters add up exactly to the typed yearly figures, except where ``disagree`` asks for
one sub kegiatan whose fourth quarter is 1.000.000 rupiah more than its year (the evaluation's
data notes show it). Drawn from a generator of its own, so that the yearly data of the demo
stays byte for byte what it was. The real OPD (Kesbangpol, data/raw/2022) gets none.
"""

from __future__ import annotations

import csv
import random
from decimal import Decimal
from pathlib import Path

from lkj.core import numbers
from lkj.pemda.contoh.tabel import write_table

QUARTERS_README = (
    "OPD sintetis juga berisi data triwulan (triwulan_*.csv, aturan_indikator.csv, "
    "pagu_triwulan.csv, renstra_program.csv, narasi/tw*_*.md) untuk `python -m lkj triwulan`; "
    "OPD 01 sengaja punya satu sub kegiatan yang triwulannya tidak sama dengan angka "
    "tahunannya.\n"
)
PACE = (10, 20, 30, 40)  # share of the year's spending per quarter, before the noise
LEVEL = (Decimal("0.85"), Decimal("0.9"), Decimal("0.95"), Decimal(1))
PLAN = (15, 25, 30, 30)
NARASI_TW = {
    "faktor_pendorong": "DATA SINTETIS. Koordinasi antarbidang {nama} berjalan baik pada "
    "triwulan {{{{ triwulan }}}} tahun {{{{ tahun }}}}.",
    "faktor_penghambat": "- DATA SINTETIS: pengadaan barang dan jasa mundur dari jadwal\n"
    "- Pencairan anggaran triwulan awal terlambat",
    "tindak_lanjut": "1. Menyusun ulang jadwal pelaksanaan sub kegiatan yang tertinggal\n"
    "2. Memantau realisasi setiap bulan",
}


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _split(total: Decimal, weights: list[int], whole: bool) -> list[Decimal]:
    """``total`` split in proportion to ``weights`` by rounding the cumulative shares: the
    parts are never negative and sum to ``total`` exactly (whole numbers when ``whole``, else
    at 2 decimals)."""
    share = sum(weights) or 1
    places = 0 if whole else 2
    cumulative, done, parts = 0, Decimal(0), []
    for w in weights[:-1]:
        cumulative += w
        upto = numbers.round_half_up(total * cumulative / share, places)
        parts.append(upto - done)
        done = upto
    return [*parts, total - done]


def _weights(rng: random.Random) -> list[int]:
    return [max(1, int(p * rng.uniform(0.6, 1.4))) for p in PACE]


def _sub_rows(subs: list[dict], rng: random.Random, disagree: bool) -> list[dict]:
    out = []
    for n, s in enumerate(subs):
        fisik = numbers.read_text(s["realisasi_fisik"]) or Decimal(0)
        target = numbers.read_text(s["target_fisik"]) or Decimal(0)
        spent = numbers.read_text(s["realisasi_anggaran_rp"]) or Decimal(0)
        budget = numbers.read_text(s["anggaran_rp"]) or Decimal(0)
        w = _weights(rng)
        whole = fisik == fisik.to_integral_value() and target == target.to_integral_value()
        f_q, rp_q = _split(fisik, w, whole), _split(spent, w, True)
        plan_f, plan_rp = _split(target, list(PLAN), whole), _split(budget, list(PLAN), True)
        if disagree and n == 0:
            rp_q[3] += 1_000_000
        for q in range(4):
            out.append(
                {
                    "kode_sub_kegiatan": s["kode_sub_kegiatan"],
                    "triwulan": q + 1,
                    "rencana_fisik": float(plan_f[q]),
                    "realisasi_fisik": float(f_q[q]),
                    "rencana_anggaran_rp": int(plan_rp[q]),
                    "realisasi_anggaran_rp": int(rp_q[q]),
                }
            )
    return out


def _indikator_rows(kinerja: list[dict], year: int) -> tuple[list[dict], list[dict]]:
    quarters, rules = [], []
    for k in kinerja:
        if int(k["tahun"]) != year:
            continue
        real = numbers.read_text(k["realisasi"]) or Decimal(0)
        target = numbers.read_text(k["target"]) or Decimal(0)
        rules.append({"kode_indikator": k["kode_indikator"], "aturan": "akhir"})
        for q, level in enumerate(LEVEL, start=1):
            quarters.append(
                {
                    "kode_indikator": k["kode_indikator"],
                    "triwulan": q,
                    "rencana": float(numbers.round_half_up(target * level, 2)),
                    "realisasi": float(numbers.round_half_up(real * level, 2)),
                }
            )
    return quarters, rules


def _renstra_rows(
    programs: list[dict], subs: list[dict], kegiatan: list[dict], rng: random.Random
) -> list:
    program_of = {k["kode_kegiatan"]: k["kode_program"] for k in kegiatan}
    budget: dict[str, int] = {}
    for s in subs:
        code = program_of[s["kode_kegiatan"]]
        budget[code] = budget.get(code, 0) + int(s["anggaran_rp"])
    rows = []
    for p in programs:
        pagu = budget.get(p["kode_program"], 0)
        rows.append(
            {
                "entitas": "program",
                "kode": p["kode_program"],
                "indikator": f"Persentase capaian sasaran {p['nama_program']}",
                "satuan": "%",
                "target_akhir_k": 100,
                "target_akhir_rp": pagu * 5,
                "realisasi_lalu_k": float(round(rng.uniform(15, 25), 2)),
                "realisasi_lalu_rp": int(pagu * rng.uniform(0.8, 1.0)),
                "target_tahun_k": 100,
            }
        )
    return rows


def write_quarters(year_dir: Path, year: int, nama: str, seed: str, disagree: bool) -> None:
    """Write the quarterly tables and narasi of the synthetic OPD in ``year_dir``.

    Args:
        year_dir: the OPD's year folder, its yearly tables already written.
        year: the year.
        nama: the OPD's name (in the narasi).
        seed: the seed of the quarters' own random generator.
        disagree: make one sub kegiatan's quarters disagree with its typed year.
    """
    rng = random.Random(seed)
    subs = _rows(year_dir / "sub_kegiatan.csv")
    write_table(year_dir, "triwulan_sub_kegiatan", _sub_rows(subs, rng, disagree))
    quarters, rules = _indikator_rows(_rows(year_dir / "kinerja_indikator.csv"), year)
    write_table(year_dir, "triwulan_indikator", quarters)
    write_table(year_dir, "aturan_indikator", rules)
    if len(subs) > 1:
        s = subs[1]
        budget = int(s["anggaran_rp"])
        write_table(
            year_dir,
            "pagu_triwulan",
            [{"kode_sub_kegiatan": s["kode_sub_kegiatan"], "pagu_murni_rp": budget + budget // 10,
              "pagu_perubahan_rp": budget, "berlaku_triwulan": 4}],
        )  # fmt: skip
    programs = _rows(year_dir / "program.csv")
    kegiatan = _rows(year_dir / "kegiatan.csv")
    write_table(year_dir, "renstra_program", _renstra_rows(programs, subs, kegiatan, rng))
    for q in range(1, 5):
        for name, text in NARASI_TW.items():
            path = year_dir / "narasi" / f"tw{q}_{name}.md"
            path.write_text(text.format(nama=nama) + "\n", encoding="utf-8")
