"""Fingerprints: one checksum of everything a report depends on, computed on the client.

``code_fingerprint`` (the lkj code, notebooks and pinned versions), ``make_task`` (an OPD's
plain-data task with the fingerprint of its raw files, configuration, code and settings) and
``lkjip_fingerprint`` (what the LKjIP shows). A report whose fingerprint matches its last build
is not built again (``lkj.pemda.batch``).
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from lkj.core import resources
from lkj.data.files import sha256_file
from lkj.data.sources import display_path
from lkj.data.workspace import OpdEntry, PemdaData
from lkj.pemda.status import OpdOutcome

ROOT = resources.ROOT


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _code_files(root: Path) -> list[Path]:
    files = sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    files += sorted(p for p in (root / "lkj").rglob("*") if p.is_file() and p.suffix != ".pyc")
    files += [root / name for name in ("constraints.txt", "pyproject.toml")]
    return [p for p in files if p.is_file() and "__pycache__" not in p.parts]


@lru_cache(maxsize=4)
def code_fingerprint(root: Path = ROOT) -> str:
    """One checksum of the code a report is built with: notebooks, lkj/, the pinned versions.

    The client puts it in every task; a worker whose own checkout differs refuses the task
    (its report would not be the one the fingerprint promises).
    """
    digest = hashlib.sha256()
    for path in _code_files(root):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(_sha256(path.read_bytes()).encode() + b"\n")
    return digest.hexdigest()


def opd_files(raw_root: Path, year: int) -> dict[str, bytes]:
    """The raw files an OPD's report of ``year`` depends on, as relative path -> bytes.

    Every file of the year folder and of every earlier year folder (the report compares
    years), as ``lkj.run.paths.input_files`` counts them.
    """
    files: dict[str, bytes] = {}
    if not raw_root.is_dir():
        return files
    for folder in sorted(raw_root.iterdir()):
        if not (folder.is_dir() and folder.name.isdigit() and int(folder.name) <= year):
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.name.startswith("~$"):
                files[path.relative_to(raw_root).as_posix()] = path.read_bytes()
    return files


def make_task(
    entry: OpdEntry,
    year: int,
    config: bytes,
    code: str,
    settings: dict | None = None,
    shared: dict[str, bytes] | None = None,
) -> dict:
    """The plain-data task of one OPD (what travels to a worker) with its fingerprint.

    Args:
        entry: the OPD.
        year: the report year.
        config: the bytes of config/lkj.toml.
        code: ``code_fingerprint()`` of the client.
        settings: further settings that decide the report (part of the fingerprint).
        shared: files of the pemda every OPD's build gets beside its year folders (the
            lambang daerah, which the cover finds there when instansi.csv names it), unless
            the OPD has its own file of that name.

    Returns:
        kode_opd, year, files (relative path -> bytes), config, code, settings,
        display_root (the OPD folder as the user knows it, for messages) and fingerprint.
    """
    files = opd_files(entry.raw_root, year)
    for name, data in (shared or {}).items():
        if not (entry.raw_root / name).exists():
            files[name] = data
    settings = dict(settings or {})
    summary = {
        "year": year,
        "files": {name: _sha256(data) for name, data in files.items()},
        "config": _sha256(config),
        "code": code,
        "settings": settings,
    }
    fingerprint = _sha256(json.dumps(summary, sort_keys=True).encode())
    return {
        "kode_opd": entry.kode_opd,
        "year": year,
        "files": files,
        "config": config,
        "code": code,
        "settings": settings,
        "display_root": display_path(entry.raw_root),
        "fingerprint": fingerprint,
    }


def lkjip_fingerprint(
    pemda: PemdaData, outcomes: list[OpdOutcome], code: str, config: bytes, year: int
) -> str:
    """One checksum of what the LKjIP shows: the pemda's tables, whether each OPD has a report
    (and from which inputs), the code and the configuration."""
    summary = {
        "year": year,
        "pemda": {p.name: sha256_file(p) for p in pemda.input_files()},
        # "dibangun" and "mutakhir" are the same report: only whether there is one counts.
        "opd": [(o.kode_opd, o.ok, o.status, o.fingerprint, o.error) for o in outcomes if not o.ok]
        + [(o.kode_opd, o.ok, o.fingerprint) for o in outcomes if o.ok],
        "code": code,
        "config": _sha256(config),
        "penilaian": _penilaian_inputs(pemda, year),
    }
    return _sha256(json.dumps(summary, sort_keys=True).encode())


def _penilaian_inputs(pemda: PemdaData, year: int) -> dict[str, str]:
    """What the LKjIP's self-assessment reads besides the LKjIP: config/lke.toml, the pemda's
    archive of the year (penilaian.toml, the signed LKjIP) and its quarterly evaluations."""
    from lkj.document.penilaian.fakta import pemda_archive

    kode = Path(pemda.folder).parent.name
    files = [ROOT / "config" / "lke.toml"]
    folder = pemda_archive(ROOT / "arsip", kode) / str(year)
    if folder.is_dir():
        files += sorted(p for p in folder.iterdir() if p.is_file())
    out = {p.name: sha256_file(p) for p in files if p.is_file()}
    quarters = ROOT / "outputs" / "pemda" / kode
    out["triwulan"] = ",".join(
        sorted(p.name for p in quarters.glob(f"{year}-tw*/Evaluasi_RKPD_{year}_TW*.pdf"))
    )
    return out
