"""Scales, labels, colours and methods, read from config/lkj.toml.

The boundary rule is the same for every scale: bands are listed from the top down and a value
belongs to the first band whose ``lebih_dari`` it strictly exceeds; the last band (without
``lebih_dari``) takes the rest.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lkj import numbers
from lkj.errors import ConfigError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

DEFAULT_CONFIG = Path(__file__).resolve().parent.parent / "config" / "lkj.toml"
AGGREGATION_METHODS = ("tertimbang_anggaran", "rata_rata")
EFFICIENCY_METHODS = ("indeks_efisiensi",)


@dataclass(frozen=True)
class Category:
    """One band of a scale."""

    label: str
    color: str
    interval: str
    above: float | None
    code: str = ""

    @property
    def text_color(self) -> str:
        """Black or white, whichever reads better on ``color``."""
        return text_color(self.color)


def text_color(background: str) -> str:
    """Black or white text, whichever reads better on ``background`` (#rrggbb).

    Args:
        background: the background colour.

    Returns:
        "#000000" on light backgrounds, "#ffffff" on dark ones (relative luminance).
    """
    r, g, b = (int(background[i : i + 2], 16) for i in (1, 3, 5))
    return "#000000" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 140 else "#ffffff"


@dataclass(frozen=True)
class Scale:
    """An ordered scale of categories (top band first)."""

    name: str
    basis: str
    categories: tuple[Category, ...]
    places: int = 2

    def categorize(self, value: object) -> Category | None:
        """Return the category of ``value``, or None when it cannot be computed (None/NaN).

        The value is judged at the scale's precision (``places``, the decimals its tables
        print) with the one rounding rule: 90.004 is judged as 90,00.

        Args:
            value: a percentage, e.g. 81.95.

        Returns:
            The first category whose threshold the judged value strictly exceeds, else the
            last one.
        """
        judged = numbers.round_half_up(value, self.places)
        if judged is None:
            return None
        for category in self.categories:
            if category.above is None or judged > numbers.to_decimal(category.above):
                return category
        return self.categories[-1]  # unreachable: the last band has no threshold

    @property
    def labels(self) -> list[str]:
        """The labels from the top band down."""
        return [c.label for c in self.categories]


@dataclass(frozen=True)
class Config:
    """The whole configuration."""

    realisasi: Scale
    predikat: Scale
    aggregation_method: str
    efficiency_name: str
    path: Path
    efficiency_method: str = "indeks_efisiensi"


def _scale(data: dict, key: str, path: Path) -> Scale:
    try:
        raw = data["skala"][key]
        cats = []
        for i, c in enumerate(raw["kategori"]):
            above = c.get("lebih_dari")
            last = i == len(raw["kategori"]) - 1
            if (above is None) != last:
                raise ConfigError(
                    f"{path}: skala.{key}.kategori[{i}] ({c.get('label')}): only the last band "
                    "may (and must) omit `lebih_dari`"
                )
            cats.append(
                Category(
                    label=str(c["label"]),
                    color=str(c["warna"]),
                    interval=str(c.get("interval", "")),
                    above=None if above is None else float(above),
                    code=str(c.get("kode", "")),
                )
            )
    except KeyError as exc:
        raise ConfigError(f"{path}: skala.{key} lacks the key {exc}") from None
    thresholds = [c.above for c in cats if c.above is not None]
    if thresholds != sorted(thresholds, reverse=True):
        raise ConfigError(f"{path}: skala.{key}: bands must be listed from the top down")
    return Scale(
        name=str(raw.get("nama", key)), basis=str(raw.get("dasar", "")), categories=tuple(cats)
    )


@lru_cache(maxsize=8)
def load_config(path: Path | str | None = None) -> Config:
    """Read and check the configuration file.

    Args:
        path: the TOML file; defaults to config/lkj.toml of the repository.

    Returns:
        The parsed configuration.
    """
    path = Path(path) if path else DEFAULT_CONFIG
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"configuration file not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    method = data.get("agregasi", {}).get("metode_capaian_fisik", "tertimbang_anggaran")
    if method not in AGGREGATION_METHODS:
        raise ConfigError(
            f"{path}: agregasi.metode_capaian_fisik = {method!r}; expected one of "
            f"{', '.join(AGGREGATION_METHODS)}"
        )
    efficiency = data.get("efisiensi", {}).get("metode", "indeks_efisiensi")
    if efficiency not in EFFICIENCY_METHODS:
        raise ConfigError(
            f"{path}: efisiensi.metode = {efficiency!r}; expected one of "
            f"{', '.join(EFFICIENCY_METHODS)}"
        )
    return Config(
        realisasi=_scale(data, "realisasi", path),
        predikat=_scale(data, "predikat", path),
        aggregation_method=method,
        efficiency_name=str(data.get("efisiensi", {}).get("nama", "Indeks Efisiensi")),
        path=path,
        efficiency_method=efficiency,
    )
