"""Facts outside the report: arsip/YEAR/penilaian.toml and the signed copies in arsip/YEAR/.

penilaian.toml says: reviewed, published, used, the signing date. Kept in the archive, not in
data/raw, so that recording them never makes the signed report out of date.

    # arsip/2022/penilaian.toml
    tanggal_tandatangan = 2023-02-20        # else: the newest signed copy in arsip/2022/
    [direviu]
    jawaban = "ya"                          # "ya" or "tidak"
    bukti = "LHR Inspektorat Nomor 700/15/INSP/2023, 10 Februari 2023"

An item whose fact is not given is "belum dinilai".
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from lkj.core.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

FILE = "penilaian.toml"
LKJIP_PREFIX = "LKjIP"
"""The signed LKjIP of a pemda: arsip/pemda/<kode>/YEAR/LKjIP_YEAR_ditandatangani_*.pdf."""


@dataclass(frozen=True)
class Fakta:
    """One fact: the answer ("ya", "tidak") and its evidence."""

    jawaban: str
    bukti: str = ""


@dataclass
class Arsip:
    """What the archive says about the year's report."""

    path: Path
    fakta: dict[str, Fakta] = field(default_factory=dict)
    tanggal_tandatangan: dt.date | None = None
    sumber_tanggal: str = ""


def archive_root(raw_root: Path | str) -> Path:
    """The archive beside the data: ``arsip/`` of the repository for data/raw, else
    ``<raw_root's parent>/arsip``."""
    raw_root = Path(raw_root)
    if raw_root.name == "raw" and raw_root.parent.name == "data":
        return raw_root.parent.parent / "arsip"
    return raw_root.parent / "arsip"


def pemda_archive(archive: Path | str, kode_pemda: str) -> Path:
    """The archive of a pemda's LKjIP: ``arsip/pemda/<kode>/`` (its YEAR/ folders hold the
    signed LKjIP and penilaian.toml; its OPDs' signed reports are in <kode_opd>/YEAR/)."""
    return Path(archive) / "pemda" / kode_pemda


def newest_signed(folder: Path, year: int, prefix: str = "LKj") -> tuple[dt.date, Path] | None:
    """The date and file of the newest signed copy ``<prefix>_YEAR_ditandatangani_*.pdf``
    (prefix "LKj": an OPD's report; "LKjIP": the pemda's)."""
    signed = re.compile(rf"{prefix}_(\d{{4}})_ditandatangani_(\d{{8}})-(\d{{6}})(?:-\d+)?\.pdf$")
    found = []
    for p in folder.glob(f"{prefix}_{year}_ditandatangani_*.pdf") if folder.is_dir() else []:
        m = signed.search(p.name)
        if m:
            found.append((dt.datetime.strptime(m[2], "%Y%m%d").date(), m[2] + m[3], p))
    if not found:
        return None
    day, _, path = max(found, key=lambda f: f[1])
    return day, path


def read_arsip(archive: Path | str, year: int, prefix: str = "LKj") -> Arsip:
    """Read ``archive/YEAR/penilaian.toml`` (absent: no facts) and the signed copies.

    Raises:
        ConfigError: the file is not valid TOML or an answer is not "ya"/"tidak".
    """
    folder = Path(archive) / str(year)
    path = folder / FILE
    out = Arsip(path)
    data: dict = {}
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: bukan TOML yang sah: {exc}") from None
    for key, value in data.items():
        if isinstance(value, dict):
            answer = str(value.get("jawaban", "")).strip().lower()
            if answer not in ("ya", "tidak"):
                raise ConfigError(
                    f'{path} [{key}] jawaban: diharapkan "ya" atau "tidak", tertulis '
                    f"{value.get('jawaban')!r}"
                )
            out.fakta[key] = Fakta(answer, str(value.get("bukti", "")))
    signed_on = data.get("tanggal_tandatangan")
    if signed_on is not None:
        if isinstance(signed_on, dt.datetime):
            signed_on = signed_on.date()
        if not isinstance(signed_on, dt.date):
            raise ConfigError(
                f"{path} tanggal_tandatangan: diharapkan tanggal (2023-02-20), tertulis "
                f"{signed_on!r}"
            )
        out.tanggal_tandatangan, out.sumber_tanggal = signed_on, f"{path.name}"
    else:
        newest = newest_signed(folder, year, prefix)
        if newest is not None:
            out.tanggal_tandatangan, out.sumber_tanggal = newest[0], newest[1].name
    return out
