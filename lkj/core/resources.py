"""Where lkj's own files are: the package folder, its templates and fonts, the project root.

One place, so that a module keeps working wherever it stands in the package.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
"""The ``lkj`` package folder (holds ``templates/`` and ``fonts/``)."""

ROOT = PACKAGE_DIR.parent
"""The project folder of a clone (``config/``, ``data/``, ``notebooks/``, ``outputs/``)."""

TEMPLATES_DIR = PACKAGE_DIR / "templates"
FONTS_DIR = PACKAGE_DIR / "fonts"
STYLESHEET = TEMPLATES_DIR / "lkj_report" / "static" / "lkj.css"
