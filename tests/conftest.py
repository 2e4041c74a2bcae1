"""Shared fixtures: a private copy of the 2022 raw data that a test may break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RAW_2022 = ROOT / "data" / "raw" / "2022"


@pytest.fixture
def raw_root(tmp_path: Path) -> Path:
    """A copy of data/raw with only 2022, in a temporary folder; returns the raw root."""
    root = tmp_path / "raw"
    shutil.copytree(RAW_2022, root / "2022")
    return root
