"""The kinerja (K) of a program or kegiatan in the quarter's E.81 table.

Two sources, in this order:

* **data** (``triwulan_program``: the realisation of the program's or kegiatan's own indikator
  of ``renstra_program`` in each quarter): realisation per quarter as given; to date by its
  ``aturan`` (``jumlah``: the sum of quarters 1..q, ``akhir``: the latest quarter given; default
  ``akhir``, since program and kegiatan indikator are mostly levels); the target of the year
  ``renstra_program.target_tahun_k``; its Renstra columns (end target, realisation up to last
  year) are in the same unit and are used.
* **turunan** (derived, no such row): the capaian fisik of its sub kegiatan, weighted by the
  pagu in force at the quarter (sub kegiatan with target 0 left out): per quarter
  sum(pagu x realisasi fisik of the quarter / target fisik x 100) / sum(pagu), to date the same
  of the realisation to date (the sum of the quarters' figures); target 100 (%). It is not in
  the unit of a Renstra indikator, so the Renstra K columns of such a row print
  "tidak tersedia".

Every figure in decimal arithmetic (``lkj.core.numbers``), percentages rounded half away from
zero at two decimals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pandas as pd

from lkj.core import numbers
from lkj.core.errors import DataError

DATA, TURUNAN = "data", "turunan"
DERIVED_INDIKATOR = "Capaian fisik sub kegiatan, rerata tertimbang pagu (turunan)"
HUNDRED = Decimal(100)


@dataclass
class ProgramK:
    """The K of one program or kegiatan up to quarter tw."""

    sumber: str  # DATA or TURUNAN
    quarters: dict[int, Decimal | None] = field(default_factory=dict)
    sd: Decimal | None = None
    target: Decimal | None = None
    aturan: str = "akhir"


def _dec(value: Any) -> Decimal | None:
    return numbers.to_decimal(value)


def _given(tables: dict[str, pd.DataFrame], where: str) -> dict[tuple[str, str], dict]:
    """{(entitas, kode): {"aturan": ..., "k": {quarter: value}}} of ``triwulan_program``.

    Raises:
        DataError: a code that is not a program (kegiatan) of the year, or an entity whose
            rows give two different aturan.
    """
    frame = tables.get("triwulan_program")
    out: dict[tuple[str, str], dict] = {}
    if frame is None or frame.empty:
        return out
    known = {
        "program": set(tables["program"]["kode_program"].astype(str)),
        "kegiatan": set(tables["kegiatan"]["kode_kegiatan"].astype(str)),
    }
    has_rule = "aturan" in frame.columns
    for i, r in enumerate(frame.itertuples(index=False), start=2):
        entitas, kode = str(r.entitas), str(r.kode)
        if kode not in known[entitas]:
            raise DataError(
                f"{where}/triwulan_program", f"baris {i}: {entitas} {kode} tidak ada di "
                f"{entitas}.csv", column="kode"
            )  # fmt: skip
        entry = out.setdefault((entitas, kode), {"aturan": "", "k": {}})
        rule = str(r.aturan) if has_rule and isinstance(r.aturan, str) else ""
        if rule and entry["aturan"] and rule != entry["aturan"]:
            raise DataError(
                f"{where}/triwulan_program",
                f"baris {i}: {entitas} {kode} beraturan {entry['aturan']} di baris lain, "
                f"bukan {rule}",
                column="aturan",
            )
        entry["aturan"] = rule or entry["aturan"]
        entry["k"][int(r.triwulan)] = _dec(r.realisasi_k)
    return out


def _weighted(subs: pd.DataFrame, column: str) -> Decimal | None:
    """sum(pagu x value / target x 100) / sum(pagu) over the sub kegiatan with a target;
    a missing value counts 0 (not reported)."""
    num = den = Decimal(0)
    for target, pagu, value in zip(subs["target_fisik"], subs["pagu_rp"], subs[column],
                                   strict=True):  # fmt: skip
        t, p = _dec(target), _dec(pagu) or Decimal(0)
        if not t:
            continue
        num += p * (_dec(value) or Decimal(0)) * HUNDRED / t
        den += p
    return numbers.round_half_up(num / den, 2) if den else None


def derived_k(subs: pd.DataFrame, tw: int) -> ProgramK:
    """The derived K (:data:`TURUNAN`) of the sub kegiatan ``subs`` (rows of
    ``Evaluasi.sub``) up to quarter ``tw``."""
    return ProgramK(
        TURUNAN,
        {q: _weighted(subs, f"fisik_{q}") for q in range(1, tw + 1)},
        _weighted(subs, "fisik_sd"),
        HUNDRED,
        "jumlah",
    )


def program_k(
    tables: dict[str, pd.DataFrame], sub: pd.DataFrame, tw: int, where: str = ""
) -> dict[tuple[str, str], ProgramK]:
    """The K of every program and kegiatan with sub kegiatan in ``sub`` (``Evaluasi.sub``).

    Raises:
        DataError: ``triwulan_program`` names an unknown code or mixes aturan.
    """
    given = _given(tables, where)
    renstra = tables.get("renstra_program")
    targets = {}
    if renstra is not None:
        for r in renstra.itertuples(index=False):
            targets[(str(r.entitas), str(r.kode))] = _dec(getattr(r, "target_tahun_k", None))
    out = {}
    for entitas, column in (("program", "kode_program"), ("kegiatan", "kode_kegiatan")):
        for code, subs in sub.groupby(column, sort=True):
            key = (entitas, str(code))
            if key in given:
                rule = given[key]["aturan"] or "akhir"
                values = {q: v for q, v in given[key]["k"].items() if q <= tw and v is not None}
                sd = None
                if values:
                    sd = values[max(values)] if rule == "akhir" else sum(values.values())
                quarters = {q: values.get(q) for q in range(1, tw + 1)}
                out[key] = ProgramK(DATA, quarters, sd, targets.get(key), rule)
            else:
                out[key] = derived_k(subs, tw)
    return out
