"""The data provenance of the Lampiran: every input file with its SHA-256, the software
versions, the build date and commit."""

from __future__ import annotations

import platform
import subprocess
from pathlib import Path
from typing import Any

import pandas as pd

from lkj.core.clock import build_date
from lkj.core.resources import ROOT
from lkj.data.files import sha256_file
from lkj.document.laporan.data import ReportData
from lkj.document.tables import Cell, Col, frame_table

SOFTWARE = ("lkj", "pandas", "matplotlib", "papermill", "nbconvert", "typst", "babel")


def _git_commit(root: Path) -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short=12", "HEAD"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        )
        return out.stdout.strip() + (
            " (dengan perubahan belum di-commit)" if dirty.stdout.strip() else ""
        )
    except (OSError, subprocess.SubprocessError):
        return "tidak diketahui"


def input_files(d: ReportData) -> pd.DataFrame:
    """Every file of data/raw/YEAR with its size and SHA-256."""
    rows = []
    for path in sorted(p for p in d.raw_dir.rglob("*") if p.is_file()):
        rows.append(
            {
                "file": path.relative_to(d.raw_dir.parent).as_posix(),
                "ukuran_byte": path.stat().st_size,
                "sha256": sha256_file(path),  # streamed, never read whole
            }
        )
    return pd.DataFrame(rows, columns=["file", "ukuran_byte", "sha256"])


def provenance(d: ReportData) -> dict[str, Any]:
    """Data provenance: input files with checksums, software versions, date and commit."""
    from importlib.metadata import PackageNotFoundError, version

    files = input_files(d)
    software = [{"paket": "python", "versi": platform.python_version()}]
    for name in SOFTWARE:
        try:
            software.append({"paket": name, "versi": version(name)})
        except PackageNotFoundError:
            software.append({"paket": name, "versi": "tidak terpasang"})
    root = ROOT
    return {
        "file": frame_table(
            "file_masukan",
            f"File Data Masukan (folder data mentah {d.raw_dir.parent.name}/)",
            files,
            [
                Col("File", "file", width=1.5),
                Col("Ukuran (byte)", "ukuran_byte", "angka"),
                Col("SHA-256", lambda r: Cell(r["sha256"], r["sha256"], mono=True), width=2),
            ],
            small=True,
        ),
        "perangkat_lunak": frame_table(
            "perangkat_lunak",
            "Versi Perangkat Lunak",
            pd.DataFrame(software),
            [Col("Paket", "paket"), Col("Versi", "versi")],
        ),
        "waktu": f"Dibangun pada {build_date().isoformat()} dari commit {_git_commit(root)}.",
    }
