"""A pemda workspace: the pemda's own tables and the OPDs' data, validated.

Layout (data/raw/README.md, "Pemda")::

    data/pemda/<kode_pemda>/
        pemda/                  pemda.csv, sasaran_rpjmd.csv, opd.csv, iku_pemda.csv,
                                kinerja_iku.csv, sasaran_opd.csv, the lambang image
        opd/<kode_opd>/<YEAR>/  each OPD's raw data, the contract of data/raw/YEAR
    outputs/pemda/<kode_pemda>/<YEAR>/
        index.html, LKjIP_<YEAR>.html, LKjIP_<YEAR>.pdf, status.json
        opd/<kode_opd>/         each OPD's report folder (what outputs/YEAR holds for one agency)
    data/processed/pemda/<kode_pemda>/<YEAR>/<kode_opd>/   each OPD's processed tables

The single-agency layout (data/raw/YEAR, outputs/YEAR) is untouched by all of this.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from lkj.core.errors import DataError, DataErrors, LkjError
from lkj.core.resources import ROOT
from lkj.data.files import lambang_file
from lkj.data.ingest import read_folder
from lkj.data.schema_pemda import (
    JENIS_PEMDA,
    KODE_OPD_PATTERN,
    LAMBANG_TYPES,
    PEMDA_KEYS,
    PEMDA_TABLES,
    YA_TIDAK,
)
from lkj.data.sources import HEADER_ROWS, Source, display_path

ROOT = ROOT
PEMDA_DIR = "pemda"
OPD_DIR = "opd"


@dataclass(frozen=True)
class Workspace:
    """Where one pemda's data and products live.

    Args:
        root: data/pemda/<kode_pemda>.
        outputs: the outputs folder (outputs/pemda/<kode_pemda> holds the products).
        processed: the processed folder (data/processed/pemda/<kode_pemda>).
    """

    root: Path
    outputs: Path
    processed: Path

    @classmethod
    def at(
        cls,
        root: Path | str,
        outputs: Path | str | None = None,
        processed: Path | str | None = None,
        repo: Path = ROOT,
    ) -> Workspace:
        """The workspace at ``root``; products under the repository's outputs/ by default.

        Args:
            root: data/pemda/<kode_pemda>.
            outputs: default outputs/pemda/<kode_pemda> of the repository.
            processed: default data/processed/pemda/<kode_pemda> of the repository.
            repo: the repository.

        Returns:
            Absolute paths.
        """
        root = Path(root).resolve()
        kode = root.name
        return cls(
            root=root,
            outputs=Path(outputs or repo / "outputs" / "pemda" / kode).resolve(),
            processed=Path(processed or repo / "data" / "processed" / "pemda" / kode).resolve(),
        )

    @property
    def kode(self) -> str:
        """The pemda's code: its folder name."""
        return self.root.name

    @property
    def pemda_dir(self) -> Path:
        """pemda/: the pemda's own tables."""
        return self.root / PEMDA_DIR

    @property
    def opd_dir(self) -> Path:
        """opd/: one folder per OPD."""
        return self.root / OPD_DIR

    def opd_raw_root(self, kode_opd: str) -> Path:
        """opd/<kode_opd>: the OPD's folder of year folders (its ``raw_root``)."""
        return self.opd_dir / kode_opd

    def output(self, year: int) -> Path:
        """outputs/pemda/<kode_pemda>/<YEAR>."""
        return self.outputs / str(year)

    def opd_output(self, year: int, kode_opd: str) -> Path:
        """outputs/pemda/<kode_pemda>/<YEAR>/opd/<kode_opd>: the OPD's report folder."""
        return self.output(year) / OPD_DIR / kode_opd

    def opd_processed(self, year: int, kode_opd: str) -> Path:
        """data/processed/pemda/<kode_pemda>/<YEAR>/<kode_opd>."""
        return self.processed / str(year) / kode_opd


def find_workspace(kode: str | None = None, base: Path | str | None = None) -> Workspace:
    """The workspace data/pemda/<kode>; without ``kode``, the only one there is.

    Args:
        kode: the pemda's code (its folder name).
        base: the folder of workspaces (default data/pemda of the repository).

    Returns:
        The workspace.

    Raises:
        LkjError: no such workspace, or several and none chosen.
    """
    base = Path(base) if base else ROOT / "data" / "pemda"
    if kode:
        root = base / kode
        if not (root / PEMDA_DIR).is_dir():
            raise LkjError(
                f"{display_path(root / PEMDA_DIR)}: folder data pemda tidak ditemukan "
                "(buat contoh dengan: make contoh-pemda)"
            )
        return Workspace.at(root)
    found = sorted(p.parent for p in base.glob(f"*/{PEMDA_DIR}") if p.is_dir())
    if not found:
        raise LkjError(
            f"{display_path(base)}: belum ada data pemda (data/pemda/<kode_pemda>/pemda/); "
            "buat contoh dengan: make contoh-pemda"
        )
    if len(found) > 1:
        names = ", ".join(p.name for p in found)
        raise LkjError(f"{display_path(base)}: ada beberapa pemda ({names}); pilih dengan --pemda")
    return Workspace.at(found[0])


@dataclass
class PemdaData:
    """The validated tables of a pemda, for one report year."""

    year: int
    tables: dict[str, pd.DataFrame]
    sources: dict[str, Source]
    lambang: Path | None = None
    folder: Path = field(default_factory=Path)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    def info(self, key: str, default: str = "") -> str:
        """A value of pemda.csv."""
        frame = self.tables["pemda"]
        hit = frame.loc[frame["kunci"] == key, "nilai"]
        return str(hit.iloc[0]) if len(hit) and str(hit.iloc[0]) else default

    @property
    def synthetic(self) -> bool:
        """True when pemda.csv says the workspace holds synthetic data."""
        return self.info("data_sintetis") == "ya"

    @property
    def narasi_dir(self) -> Path:
        """The pemda's narasi of the year for the LKjIP: pemda/narasi/YEAR/."""
        return self.folder / "narasi" / str(self.year)

    def narasi_files(self) -> list[Path]:
        """The year's narasi texts (``*.md`` but the folder's README.md)."""
        folder = self.narasi_dir
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.glob("*.md") if p.name != "README.md")

    def input_files(self) -> list[Path]:
        """Every file the pemda tables were read from, the lambang image and the year's narasi."""
        files = {s.path for s in self.sources.values()}
        if self.lambang is not None:
            files.add(self.lambang)
        files.update(self.narasi_files())
        return sorted(files)


def _row(index: int) -> int:
    return int(index) + HEADER_ROWS + 1


def _key_errors(frame: pd.DataFrame, source: Source, folder: Path) -> tuple[list, Path | None]:
    errors: list[DataError] = []
    where = source.describe()
    known = {k for k, _, _ in PEMDA_KEYS}
    values = dict(zip(frame["kunci"], frame["nilai"], strict=True))
    rows = {k: _row(i) for i, k in frame["kunci"].items()}
    for key, required, description in PEMDA_KEYS:
        if required and not values.get(key, ""):
            errors.append(
                DataError(
                    where,
                    f"kunci {key!r} wajib ada dan berisi ({description})",
                    row=rows.get(key),
                    column="nilai" if key in rows else "kunci",
                    sheet=source.sheet,
                )
            )
    for key in values:
        if key not in known:
            errors.append(
                DataError(
                    where,
                    f"kunci tidak dikenal {key!r}; yang dikenal: {', '.join(sorted(known))}",
                    row=rows[key],
                    column="kunci",
                    sheet=source.sheet,
                )
            )
    checks = {"jenis_pemda": JENIS_PEMDA, "data_sintetis": YA_TIDAK}
    for key, choices in checks.items():
        value = values.get(key, "")
        if value and value not in choices:
            errors.append(
                DataError(
                    where,
                    f"diharapkan salah satu dari: {', '.join(choices)}, ditemukan {value!r}",
                    row=rows[key],
                    column="nilai",
                    sheet=source.sheet,
                )
            )
    lambang = None
    name = values.get("lambang", "")
    if name:
        path = folder / name
        problem = ""
        if Path(name).name != name:
            problem = "diharapkan nama file di folder pemda/ (tanpa folder)"
        elif Path(name).suffix.lower() not in LAMBANG_TYPES:
            problem = f"diharapkan gambar {', '.join(LAMBANG_TYPES)}"
        elif not os.path.lexists(path):
            problem = f"file gambar lambang tidak ditemukan: {display_path(path)}"
        else:
            try:
                path = lambang_file(name, (folder,), folder, where) or path
            except DataError as exc:
                problem = exc.problem
        if problem:
            errors.append(
                DataError(
                    where,
                    f"{problem}, ditemukan {name!r}",
                    row=rows["lambang"],
                    column="nilai",
                    sheet=source.sheet,
                )
            )
        else:
            lambang = path
    return errors, lambang


def read_pemda(ws: Workspace, year: int) -> PemdaData:
    """Read and validate the pemda's own tables for ``year``.

    Besides the contract of ``lkj.data.schema_pemda`` (types, codes, links: an OPD sasaran linked
    to an RPJMD sasaran that does not exist names sasaran_opd.csv, its row and column), it
    checks the keys of pemda.csv, the lambang file, that every kode_opd can be a folder name,
    and that every IKU has its target and realisasi for ``year``.

    Args:
        ws: the workspace.
        year: the report year.

    Returns:
        The tables; a table's index is its row in the file minus 2 (for messages).

    Raises:
        DataErrors: every problem found, each naming file, row and column.
    """
    tables, sources = read_folder(ws.pemda_dir, PEMDA_TABLES)
    errors, lambang = _key_errors(tables["pemda"], sources["pemda"], ws.pemda_dir)
    opd = tables["opd"]
    for idx, kode in opd["kode_opd"].items():
        if not re.fullmatch(KODE_OPD_PATTERN, kode):
            errors.append(
                DataError(
                    sources["opd"].describe(),
                    "kode_opd juga nama foldernya di opd/: diharapkan huruf, angka, '.', '_' "
                    f"atau '-' saja, ditemukan {kode!r}",
                    row=_row(idx),
                    column="kode_opd",
                    sheet=sources["opd"].sheet,
                )
            )
    kinerja = tables["kinerja_iku"]
    where = sources["kinerja_iku"]
    reported = set(kinerja.loc[kinerja["tahun"] == year, "kode_iku"])
    for kode in tables["iku_pemda"]["kode_iku"]:
        if kode not in reported:
            errors.append(
                DataError(
                    where.describe(),
                    f"IKU {kode} tidak punya baris untuk tahun {year} (target Perjanjian Kinerja "
                    "dan realisasi tahun laporan wajib ada)",
                    column="tahun",
                    sheet=where.sheet,
                )
            )
    for idx in kinerja.index[kinerja["tahun"] > year]:
        errors.append(
            DataError(
                where.describe(),
                f"tahun {kinerja.at[idx, 'tahun']} sesudah tahun laporan {year}",
                row=_row(idx),
                column="tahun",
                sheet=where.sheet,
            )
        )
    if errors:
        raise DataErrors(errors)
    return PemdaData(year, tables, sources, lambang, ws.pemda_dir)


@dataclass(frozen=True)
class OpdEntry:
    """One OPD of opd.csv and whether its data for the year is there."""

    kode_opd: str
    nama_opd: str
    raw_root: Path
    present: bool


def list_opd(ws: Workspace, pemda: PemdaData) -> list[OpdEntry]:
    """Every OPD of opd.csv, in its order, and whether opd/<kode_opd>/<YEAR>/ exists."""
    out = []
    for row in pemda["opd"].itertuples(index=False):
        raw_root = ws.opd_raw_root(row.kode_opd)
        present = (raw_root / str(pemda.year)).is_dir()
        out.append(OpdEntry(row.kode_opd, row.nama_opd, raw_root, present))
    return out


def unlisted_opd_folders(ws: Workspace, pemda: PemdaData) -> list[str]:
    """Folders under opd/ that opd.csv does not name (their data is not used)."""
    if not ws.opd_dir.is_dir():
        return []
    listed = set(pemda["opd"]["kode_opd"])
    return sorted(p.name for p in ws.opd_dir.iterdir() if p.is_dir() and p.name not in listed)
