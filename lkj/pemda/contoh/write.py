"""``write_contoh_pemda``: the demo pemda workspace data/pemda/contoh, written in a staging
folder and moved into place when complete: the OPD folders (Kesbangpol's real data copied,
the others from ``lkj.pemda.contoh.opd``), the cascade of their sasaran, the pemda's own tables
(``lkj.pemda.contoh.pemda``) and a README."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pandas as pd

from lkj.core import resources
from lkj.core.errors import LkjError
from lkj.data.ingest import read_raw
from lkj.data.sources import display_path
from lkj.pemda.contoh.opd import BASE_YEAR, KESBANGPOL, NARASI, OPD_LIST, OpdSpec, synthetic_opd
from lkj.pemda.contoh.pemda import write_pemda_tables
from lkj.pemda.contoh.tabel import write_table
from lkj.pemda.contoh.triwulan import QUARTERS_README, write_quarters

ROOT = resources.ROOT
KODE_PEMDA = "contoh"


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
    opd_rows, cascade = [], []
    unlinked_done = False
    for n, spec in enumerate(chosen, start=1):
        kode = f"{n:02d}"
        rng = random.Random(f"{seed}-{kode}-{spec.singkatan}")
        year_dir = stage / "opd" / kode / str(BASE_YEAR)
        real = spec.nama == KESBANGPOL
        kepala, nip, sasaran_codes = _write_opd(year_dir, spec, real, base, raw_root, rng)
        if not real:  # quarterly data (DATA SINTETIS); the real OPD's data has none
            write_quarters(year_dir, BASE_YEAR, spec.nama, f"{seed}-{kode}-triwulan", n == 1)
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

    write_pemda_tables(stage / "pemda", opd_rows, cascade, seed)
    (stage / "README.md").write_text(
        f"DATA SINTETIS: pemda contoh dibuat oleh `python -m lkj contoh-pemda --jumlah {jumlah} "
        f"--seed {seed}`.\nOPD {KESBANGPOL} berisi data asli 2022 (data/raw/2022); OPD lain "
        "diturunkan darinya (nama diganti, anggaran diskalakan, realisasi diacak).\n"
        + QUARTERS_README,
        encoding="utf-8",
    )
    if target.exists():
        shutil.rmtree(target)
    stage.rename(target)
    return target


def _write_opd(
    year_dir: Path,
    spec: OpdSpec,
    real: bool,
    base: dict[str, pd.DataFrame],
    raw_root: Path,
    rng: random.Random,
) -> tuple[str, str, list[str]]:
    """Write one OPD's year folder: Kesbangpol's real data copied, else a synthetic OPD with
    its narasi.

    Returns:
        The head's name and NIP, and the OPD's sasaran codes.
    """
    if real:
        shutil.copytree(raw_root / str(BASE_YEAR), year_dir)
        inst = base["instansi"]
        kepala = str(inst.loc[inst["kunci"] == "kepala_nama", "nilai"].iloc[0])
        nip = str(inst.loc[inst["kunci"] == "kepala_nip", "nilai"].iloc[0])
        sasaran_codes = list(base["sasaran"]["kode_sasaran"])
    else:
        tables = synthetic_opd(base, spec, rng)
        for name, rows in tables.items():
            write_table(year_dir, name, rows)
        narasi = year_dir / "narasi"
        narasi.mkdir()
        for name, text in NARASI.items():
            (narasi / f"{name}.md").write_text(text.format(nama=spec.nama) + "\n", encoding="utf-8")
        values = {r["kunci"]: r["nilai"] for r in tables["instansi"]}
        kepala, nip = values["kepala_nama"], values["kepala_nip"]
        sasaran_codes = [r["kode_sasaran"] for r in tables["sasaran"]]
    return kepala, nip, sasaran_codes
