"""Scales, labels, colours and methods, read from config/lkj.toml.

The boundary rule is the same for every scale: bands are listed from the top down and a value
belongs to the first band whose ``lebih_dari`` it strictly exceeds; the last band (without
``lebih_dari``) takes the rest.
"""

from __future__ import annotations

import sys
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from pathlib import Path

from lkj.core import numbers
from lkj.core.errors import ConfigError
from lkj.core.resources import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

DEFAULT_CONFIG = ROOT / "config" / "lkj.toml"
AGGREGATION_METHODS = ("tertimbang_anggaran", "rata_rata")
EFFICIENCY_METHODS = ("indeks_efisiensi",)
# Paper sizes (width, height in mm, portrait). F4 is the Indonesian folio many pemda require.
PAPER_SIZES_MM: dict[str, tuple[int, int]] = {"A4": (210, 297), "F4": (215, 330)}
# The free fonts lkj ships (lkj/fonts) and the metric-compatible font Word users have.
FONT_FAMILIES: dict[str, str] = {
    "Liberation Sans": "Arial",
    "Liberation Serif": "Times New Roman",
}
DEFAULT_TITLE = "LAPORAN KINERJA INSTANSI PEMERINTAH (LKjIP) TAHUN {tahun}"


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
class Dokumen:
    """Document conventions: paper, margins, font and the title of the report.

    Read from the ``[dokumen]`` section of config/lkj.toml (keys in Indonesian: ``kertas``,
    ``margin_kiri_cm`` ...); the command line may override the paper
    (``python -m lkj report --kertas F4``). The settings in effect are part of the report's
    up-to-date fingerprint (:meth:`settings`).

    Attributes:
        paper: "A4" or "F4" (215 x 330 mm).
        margin_left_cm: left margin (binding edge), cm.
        margin_right_cm: right margin, cm.
        margin_top_cm: top margin, cm.
        margin_bottom_cm: bottom margin, cm.
        font: "Liberation Sans" or "Liberation Serif" (shipped in lkj/fonts).
        font_size_pt: size of body text, pt; headings and tables scale with it.
        title: the cover title; ``{tahun}`` is replaced by the report year.
    """

    paper: str = "A4"
    margin_left_cm: float = 3.0
    margin_right_cm: float = 2.5
    margin_top_cm: float = 2.5
    margin_bottom_cm: float = 2.5
    font: str = "Liberation Sans"
    font_size_pt: float = 12.0
    title: str = DEFAULT_TITLE

    @property
    def paper_mm(self) -> tuple[int, int]:
        """(width, height) of a portrait page in mm."""
        return PAPER_SIZES_MM[self.paper]

    @property
    def content_mm(self) -> tuple[float, float]:
        """(width, height) of a portrait page's content box in mm (page minus margins)."""
        width, height = self.paper_mm
        return (
            width - 10 * (self.margin_left_cm + self.margin_right_cm),
            height - 10 * (self.margin_top_cm + self.margin_bottom_cm),
        )

    @property
    def word_font(self) -> str:
        """The font Word users have that matches :attr:`font` metrically (Arial, Times New
        Roman): the name the DOCX uses."""
        return FONT_FAMILIES[self.font]

    def report_title(self, year: int) -> str:
        """The cover title of ``year``, e.g. "LAPORAN KINERJA ... (LKjIP) TAHUN 2022"."""
        return self.title.replace("{tahun}", str(year))

    def with_paper(self, paper: str | None) -> Dokumen:
        """The same settings on another paper (None: unchanged).

        Args:
            paper: "A4" or "F4" (any case).

        Returns:
            A new Dokumen.

        Raises:
            ConfigError: an unknown paper size.
        """
        if paper is None:
            return self
        return replace(self, paper=check_paper(paper, "--kertas"))

    def settings(self) -> dict[str, object]:
        """The settings as plain data (for the fingerprint and the manifest)."""
        return asdict(self)


def check_paper(value: object, where: str) -> str:
    """Normalise a paper name ("a4" -> "A4") or refuse it.

    Args:
        value: the paper name as written.
        where: where it was written (for the message).

    Returns:
        "A4" or "F4".

    Raises:
        ConfigError: not a known paper.
    """
    paper = str(value).strip().upper()
    if paper not in PAPER_SIZES_MM:
        raise ConfigError(
            f"{where}: kertas {value!r} tidak dikenal; pilih salah satu dari "
            f"{', '.join(PAPER_SIZES_MM)} (F4 = 215 x 330 mm)"
        )
    return paper


def _dokumen(data: dict, path: Path) -> Dokumen:
    raw = data.get("dokumen", {})
    where = f"{path}: [dokumen]"
    if not isinstance(raw, dict):
        raise ConfigError(f"{where} harus berupa bagian (tabel TOML)")
    default = Dokumen()
    known = {
        "kertas",
        "margin_kiri_cm",
        "margin_kanan_cm",
        "margin_atas_cm",
        "margin_bawah_cm",
        "huruf",
        "ukuran_huruf_pt",
        "judul",
    }
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ConfigError(
            f"{where}: kunci tidak dikenal {', '.join(unknown)}; yang dikenal: "
            f"{', '.join(sorted(known))}"
        )

    def number(key: str, default_value: float, low: float, high: float) -> float:
        value = raw.get(key, default_value)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{where} {key} = {value!r}: diharapkan angka")
        if not low <= value <= high:
            raise ConfigError(f"{where} {key} = {value}: diharapkan antara {low:g} dan {high:g}")
        return float(value)

    font = str(raw.get("huruf", default.font))
    if font not in FONT_FAMILIES:
        raise ConfigError(
            f"{where} huruf = {font!r}: pilih salah satu dari {', '.join(FONT_FAMILIES)} "
            "(setara metrik dengan Arial / Times New Roman, disertakan dalam lkj/fonts)"
        )
    title = raw.get("judul", default.title)
    if not isinstance(title, str) or not title.strip():
        raise ConfigError(f"{where} judul: diharapkan teks, mis. {DEFAULT_TITLE!r}")
    dokumen = Dokumen(
        paper=check_paper(raw.get("kertas", default.paper), f"{where} kertas"),
        margin_left_cm=number("margin_kiri_cm", default.margin_left_cm, 0.5, 6),
        margin_right_cm=number("margin_kanan_cm", default.margin_right_cm, 0.5, 6),
        margin_top_cm=number("margin_atas_cm", default.margin_top_cm, 0.5, 6),
        margin_bottom_cm=number("margin_bawah_cm", default.margin_bottom_cm, 0.5, 6),
        font=font,
        font_size_pt=number("ukuran_huruf_pt", default.font_size_pt, 8, 16),
        title=title.strip(),
    )
    return dokumen


@dataclass(frozen=True)
class Config:
    """The whole configuration."""

    realisasi: Scale
    predikat: Scale
    aggregation_method: str
    efficiency_name: str
    path: Path
    efficiency_method: str = "indeks_efisiensi"
    dokumen: Dokumen = Dokumen()


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


@dataclass(frozen=True)
class Batas:
    """Limits on what lkj reads (section ``[batas]`` of config/lkj.toml, data/raw/README.md
    "Batas"): each at least ten times the largest legitimate input (a dinas of 1 400 sub
    kegiatan, a pemda of 60 OPDs), so that only a broken or hostile file meets one."""

    workbook_sheet: int = 100
    workbook_baris: int = 50_000
    workbook_kolom: int = 120
    workbook_mb: int = 100
    formulir_mb: int = 20
    csv_mb: int = 32
    lambang_mb: int = 10
    lambang_megapiksel: int = 40
    narasi_kb: int = 1024
    narasi_operasi: int = 2_000_000
    narasi_detik: int = 20
    narasi_keluaran_kb: int = 4096
    p12_kb: int = 1024

    @property
    def workbook_bytes(self) -> int:
        """``workbook_mb`` in bytes: the unpacked size of a workbook's parts."""
        return self.workbook_mb * 2**20


def _batas(data: dict, path: Path) -> Batas:
    raw = data.get("batas", {})
    known = Batas.__dataclass_fields__
    values = {}
    for key, value in raw.items():
        if key not in known:
            raise ConfigError(f"{path}: batas.{key}: kunci tidak dikenal ({', '.join(known)})")
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ConfigError(f"{path}: batas.{key} = {value!r}; diharapkan bilangan bulat >= 1")
        values[key] = value
    return Batas(**values)


@lru_cache(maxsize=8)
def load_batas(path: Path | str | None = None) -> Batas:
    """The limits of ``[batas]`` (defaults where the file says nothing).

    Args:
        path: the TOML file; defaults to config/lkj.toml of the repository.

    Returns:
        The limits.
    """
    path = Path(path) if path else DEFAULT_CONFIG
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Batas()
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return _batas(data, path)


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
        dokumen=_dokumen(data, path),
    )
