"""The evaluator's criteria and the report's deadline, read from config/lke.toml.

The items of component 3 (Pelaporan Kinerja) of the Lembar Kerja Evaluasi of PermenPANRB
88/2021: each item's text, answer type ("Y/T" or "A-E"), the check lkj makes of the report or
the fact of ``arsip/YEAR/penilaian.toml`` that answers it; the sub-components' weights; the
grades by the share of indicators covered; the deadline (months after the year's end,
Perpres 29/2014). ``lkj.document.penilaian`` grades a report with them.

    lke = load_lke()            # config/lke.toml
    lke.grade(Decimal("80"))    # Nilai("B", ...)
    batas_waktu(2022, lke)      # date(2023, 2, 28)
"""

from __future__ import annotations

import calendar
import datetime as dt
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from lkj.core.errors import ConfigError
from lkj.core.resources import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

DEFAULT_LKE = ROOT / "config" / "lke.toml"
ANSWER_TYPES = ("Y/T", "A-E")


@dataclass(frozen=True)
class Nilai:
    """A grade: its letter, the share it starts above (None: the last), its score."""

    huruf: str
    lebih_dari: Decimal | None
    skor: Decimal
    uraian: str


@dataclass(frozen=True)
class Butir:
    """An item of the LKE: code, text, answer type, the check of the report (``periksa``) and
    the key of ``penilaian.toml`` that answers it (``fakta``)."""

    kode: str
    uraian: str
    jawaban: str
    periksa: str = ""
    fakta: str = ""


@dataclass(frozen=True)
class Sub:
    """A sub-component (3.a, 3.b, 3.c): its weight and items."""

    kode: str
    nama: str
    bobot: Decimal
    butir: tuple[Butir, ...]


@dataclass(frozen=True)
class Lke:
    """The criteria of component 3 and the deadline settings."""

    path: Path
    dasar: str
    komponen: str
    bobot_komponen: Decimal
    nilai: tuple[Nilai, ...]
    sub: tuple[Sub, ...]
    batas_dasar: str
    bulan_opd: int
    bulan_pemda: int
    hari_triwulan: int = 14
    dasar_triwulan: str = ""

    def grade(self, share_pct: Decimal) -> Nilai:
        """The grade of a share of indicators covered (percent, 0-100)."""
        for n in self.nilai:
            if n.lebih_dari is None or share_pct > n.lebih_dari:
                return n
        return self.nilai[-1]


def _dec(value: object, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"{where}: diharapkan angka, tertulis {value!r}")
    return Decimal(str(value))


def _text(data: dict, key: str, where: str) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise ConfigError(f"{where}: '{key}' harus teks, tertulis {value!r}")
    return value


def _butir(data: dict, where: str) -> Butir:
    kode = _text(data, "kode", where)
    where = f"{where} butir {kode or '?'}"
    jawaban = _text(data, "jawaban", where)
    if jawaban not in ANSWER_TYPES:
        raise ConfigError(f"{where}: 'jawaban' harus salah satu dari {ANSWER_TYPES}: {jawaban!r}")
    uraian = _text(data, "uraian", where)
    if not kode or not uraian:
        raise ConfigError(f"{where}: 'kode' dan 'uraian' wajib diisi")
    return Butir(kode, uraian, jawaban, _text(data, "periksa", where), _text(data, "fakta", where))


def _nilai(rows: object, where: str) -> tuple[Nilai, ...]:
    if not isinstance(rows, list) or not rows:
        raise ConfigError(f"{where}: [[nilai]] tidak ada")
    out = []
    for i, row in enumerate(rows, start=1):
        above = row.get("lebih_dari")
        last = i == len(rows)
        if (above is None) != last:
            raise ConfigError(
                f"{where} [[nilai]] ke-{i}: hanya nilai terakhir yang tanpa 'lebih_dari'"
            )
        out.append(
            Nilai(
                _text(row, "huruf", where),
                None if above is None else _dec(above, f"{where} [[nilai]] ke-{i} lebih_dari"),
                _dec(row.get("skor"), f"{where} [[nilai]] ke-{i} skor"),
                _text(row, "uraian", where),
            )
        )
    return tuple(out)


def load_lke(path: Path | str | None = None) -> Lke:
    """Read the LKE criteria and deadline settings.

    Args:
        path: the file (None: config/lke.toml).

    Returns:
        The criteria.

    Raises:
        ConfigError: the file is missing or malformed (the message names the file and item).
    """
    path = Path(path) if path else DEFAULT_LKE
    where = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{where}: berkas kriteria penilaian (LKE) tidak ditemukan") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: bukan TOML yang sah: {exc}") from None
    subs = []
    for s in data.get("sub", []):
        kode = _text(s, "kode", where)
        items = tuple(_butir(b, f"{where} [[sub]] {kode}") for b in s.get("butir", []))
        subs.append(
            Sub(kode, _text(s, "nama", where), _dec(s.get("bobot"), f"{where} {kode} bobot"), items)
        )
    if not subs:
        raise ConfigError(f"{where}: tidak ada [[sub]] (sub komponen)")
    batas = data.get("batas_waktu", {})
    months = []
    for key, default in (("bulan_opd", 2), ("bulan_pemda", 3)):
        value = batas.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 12:
            raise ConfigError(f"{where} [batas_waktu] {key}: diharapkan 1-12 bulan: {value!r}")
        months.append(value)
    days = batas.get("hari_triwulan", 14)
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 92:
        raise ConfigError(f"{where} [batas_waktu] hari_triwulan: diharapkan 1-92 hari: {days!r}")
    return Lke(
        path,
        _text(data, "dasar", where),
        _text(data, "komponen", where),
        _dec(data.get("bobot_komponen", 15), f"{where} bobot_komponen"),
        _nilai(data.get("nilai"), where),
        tuple(subs),
        _text(batas, "dasar", where),
        months[0],
        months[1],
        days,
        str(batas.get("dasar_triwulan", "")),
    )


def batas_waktu(year: int, lke: Lke, pemda: bool = False) -> dt.date:
    """The last day the report of ``year`` may be submitted: the last day of the month
    ``bulan_opd`` (``bulan_pemda`` for the LKjIP) months after the year's end."""
    months = lke.bulan_pemda if pemda else lke.bulan_opd
    y, m = year + 1 + (months - 1) // 12, (months - 1) % 12 + 1
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def kalimat_batas_waktu(year: int, lke: Lke, pemda: bool = False) -> str:
    """The sentence a report prints about its deadline: "Laporan Kinerja ini disampaikan
    paling lambat 28 Februari 2023 (2 bulan setelah akhir tahun anggaran; Perpres ...)"."""
    jenis, months = ("LKjIP", lke.bulan_pemda) if pemda else ("Laporan Kinerja", lke.bulan_opd)
    basis = f"; {lke.batas_dasar}" if lke.batas_dasar else ""
    return (
        f"{jenis} ini disampaikan paling lambat {format_tanggal(batas_waktu(year, lke, pemda))} "
        f"({months} bulan setelah akhir tahun anggaran {year}{basis})."
    )


def batas_settings(lke: Lke) -> str:
    """The deadline settings as canonical JSON (what a built report's deadline follows)."""
    import json

    return json.dumps(
        {"dasar": lke.batas_dasar, "bulan_opd": lke.bulan_opd, "bulan_pemda": lke.bulan_pemda},
        sort_keys=True,
        ensure_ascii=False,
    )


def batas_triwulan(year: int, tw: int, lke: Lke) -> dt.date:
    """The last day the evaluation of quarter ``tw`` (1-4) of ``year`` may be submitted:
    ``hari_triwulan`` days after the quarter's last day ([batas_waktu] of config/lke.toml)."""
    month = 3 * tw
    end = dt.date(year, month, calendar.monthrange(year, month)[1])
    return end + dt.timedelta(days=lke.hari_triwulan)


def sisa_waktu(batas: dt.date, today: dt.date) -> str:
    """How many days are left before ``batas`` or how late ``today`` is, in Indonesian."""
    days = (batas - today).days
    when = format_tanggal(batas)
    if days > 0:
        return f"batas waktu penyampaian {when}: {days} hari lagi"
    if days == 0:
        return f"batas waktu penyampaian {when}: hari ini"
    return f"batas waktu penyampaian {when}: terlambat {-days} hari"


BULAN = (
    "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"
).split()


def format_tanggal(day: dt.date) -> str:
    """A date in Indonesian: "28 Februari 2023"."""
    return f"{day.day} {BULAN[day.month - 1]} {day.year}"
