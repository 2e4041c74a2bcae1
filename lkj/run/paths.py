"""Where a year's inputs and outputs live, and whether its report is up to date.

:class:`Paths` holds a year's folders (data/raw/YEAR, data/processed/YEAR, outputs/YEAR,
config/lkj.toml). :func:`fingerprint` takes the checksum of every input of the report (the raw
data of the year and of every earlier year, the notebooks, every file under lkj/, the
configuration, the environment's files); :func:`is_up_to_date` compares it with the one
outputs/YEAR/manifest.json records, so that a run whose inputs did not change does nothing.

Imports nothing heavy: the notebooks import :class:`Paths`, and the no-op check stays fast.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from lkj.core import resources
from lkj.data.files import sha256_file

ROOT = resources.ROOT
MANIFEST = "manifest.json"
# The run id of data/processed/YEAR; manifest.json of outputs/YEAR holds the same id ("run").
RUN_FILE = ".lkj-run"


@dataclass(frozen=True)
class Paths:
    """Where a year's inputs and outputs live."""

    year: int
    raw_root: Path
    processed: Path
    output: Path
    config: Path

    @property
    def raw(self) -> Path:
        """data/raw/YEAR."""
        return self.raw_root / str(self.year)

    @classmethod
    def resolve(
        cls,
        year: int,
        raw_root: str | Path | None = None,
        processed: str | Path | None = None,
        output: str | Path | None = None,
        config: str | Path | None = None,
        root: Path = ROOT,
    ) -> Paths:
        """Fill in the defaults of the repository layout.

        Args:
            year: the report year.
            raw_root: folder of the year folders (default data/raw).
            processed: data/processed/YEAR by default.
            output: outputs/YEAR by default.
            config: config/lkj.toml by default.
            root: the repository.

        Returns:
            Absolute paths.
        """
        year = int(year)
        return cls(
            year=year,
            raw_root=Path(raw_root or root / "data" / "raw").resolve(),
            processed=Path(processed or root / "data" / "processed" / str(year)).resolve(),
            output=Path(output or root / "outputs" / str(year)).resolve(),
            config=Path(config or root / "config" / "lkj.toml").resolve(),
        )


# Notebooks of other report types (run by their own command), not stages of the yearly report.
OTHER_REPORTS = ("triwulan",)


def notebooks(root: Path = ROOT) -> list[Path]:
    """The yearly report's notebooks in execution order (notebooks/NN_*.ipynb, without those of
    :data:`OTHER_REPORTS`, e.g. 05_triwulan: ``lkj.run.triwulan``)."""
    books = sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    return [b for b in books if _stage_name(b) not in OTHER_REPORTS]


def _sha256(path: Path) -> str:
    return sha256_file(path)  # streamed: a stray large file is never read whole


def input_files(paths: Paths, root: Path = ROOT) -> list[Path]:
    """Every file the report depends on: the raw data of the year and of every earlier year
    (the report compares with them), notebooks, code, templates, configuration."""
    years = []
    if paths.raw_root.is_dir():
        years = [
            d
            for d in paths.raw_root.iterdir()
            if d.is_dir() and d.name.isdigit() and int(d.name) <= paths.year
        ]
    files = [p for d in years for p in d.rglob("*") if p.is_file() and not p.name.startswith("~$")]
    files += notebooks(root)
    files += [p for p in (root / "lkj").rglob("*") if p.is_file() and p.suffix != ".pyc"]
    files += [paths.config]
    for extra in ("constraints.txt", "pyproject.toml"):
        if (root / extra).is_file():
            files.append(root / extra)
    return sorted(set(files))


SETTINGS_KEY = "settings:dokumen"
BATAS_KEY = "settings:batas_waktu"
"""The deadline settings of config/lke.toml the report prints (Bab I), as canonical JSON."""


def fingerprint(paths: Paths, root: Path = ROOT, settings: dict | None = None) -> dict[str, str]:
    """Checksums of every input, keyed by path relative to the repository (or absolute).

    ``settings`` (the document settings in effect, command-line overrides included) is
    recorded too, as canonical JSON under :data:`SETTINGS_KEY`: a report built on A4 is not
    up to date for an F4 run.
    """
    from lkj.core.lke import batas_settings, load_lke

    out = {}
    if settings is not None:
        out[SETTINGS_KEY] = json.dumps(settings, sort_keys=True, ensure_ascii=False)
    out[BATAS_KEY] = batas_settings(load_lke())
    for path in input_files(paths, root):
        try:
            key = path.relative_to(root).as_posix()
        except ValueError:
            key = path.as_posix()
        out[key] = _sha256(path)
    return out


def journal_file(paths: Paths) -> Path:
    """The journal of the replacement of a year's folders: outputs/.lkj-YEAR.swap.json."""
    return paths.output.parent / f".lkj-{paths.output.name}.swap.json"


def _read_run(folder: Path) -> str | None:
    try:
        return (folder / RUN_FILE).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def is_up_to_date(paths: Paths, root: Path = ROOT, settings: dict | None = None) -> bool:
    """True when outputs/YEAR holds a complete report built from exactly the current inputs
    (and the same document ``settings``, see :func:`fingerprint`), by this interpreter, and
    data/processed/YEAR comes from the same run."""
    manifest = paths.output / MANIFEST
    if not manifest.is_file() or journal_file(paths).exists():
        return False
    try:
        recorded = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    products = [paths.output / name for name in recorded.get("outputs", [])]
    if not products or not all(p.is_file() for p in products):
        return False
    if not recorded.get("run") or _read_run(paths.processed) != recorded["run"]:
        return False
    if recorded.get("interpreter") != sys.executable:
        return False
    return recorded.get("inputs") == fingerprint(paths, root, settings)


def _stage_name(book: Path) -> str:
    """01_ingest.ipynb -> ingest."""
    return book.stem.split("_", 1)[1] if "_" in book.stem else book.stem
