"""Where lkj's own files are: the package folder, its templates and fonts, the project root.

One place, so that a module keeps working wherever it stands in the package.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
"""The ``lkj`` package folder (holds ``templates/`` and ``fonts/``)."""


def _project_root() -> Path:
    """The clone lkj runs from (its ``pyproject.toml`` and ``notebooks/`` beside the package);
    for an installed wheel, the folder it is run in, which holds ``config/`` and ``data/``."""
    clone = PACKAGE_DIR.parent
    if (clone / "pyproject.toml").is_file() and (clone / "notebooks").is_dir():
        return clone
    return Path.cwd().resolve()


ROOT = _project_root()
"""The project folder: ``config/``, ``data/``, ``notebooks/``, ``outputs/``."""

TEMPLATES_DIR = PACKAGE_DIR / "templates"
FONTS_DIR = PACKAGE_DIR / "fonts"
STYLESHEET = TEMPLATES_DIR / "lkj_report" / "static" / "lkj.css"
