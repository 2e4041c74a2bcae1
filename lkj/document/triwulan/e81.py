"""The E.81 table of a quarter (Evaluasi terhadap Hasil Renja Perangkat Daerah, Permendagri
86/2017): per sasaran its indikator, then its programs, kegiatan and sub kegiatan, each with
kinerja (K) and anggaran (Rp) in every column group."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pandas as pd

from lkj.analysis.triwulan import Evaluasi
from lkj.analysis.triwulan_program import DERIVED_INDIKATOR, TURUNAN, derived_k
from lkj.core import numbers
from lkj.document.tables import MISSING, Cell, Column, Table, cell

ROMAWI = {1: "I", 2: "II", 3: "III", 4: "IV"}
TIDAK_TERSEDIA = "tidak tersedia"


def _dec(value: Any) -> Decimal | None:
    return numbers.to_decimal(value)


def _na() -> list[Cell]:
    """A K and Rp pair not available: one cell over both."""
    return [Cell(TIDAK_TERSEDIA, None, "teks", italic=True, colspan=2)]


def groups(tw: int, year: int) -> list[str]:
    """The column groups (K and Rp each) of the E.81 table of quarter ``tw``."""
    return [
        "Target Renstra akhir periode",
        f"Realisasi Renstra s.d. {year - 1}",
        f"Target Renja {year}",
        *[f"Realisasi TW {ROMAWI[q]}" for q in range(1, tw + 1)],
        f"Realisasi s.d. TW {ROMAWI[tw]} {year}",
        f"Realisasi Renstra s.d. TW {ROMAWI[tw]} {year}",
        "Tingkat capaian Renstra (%)",
    ]


def columns(tw: int, year: int) -> tuple[Column, ...]:
    """Kode, uraian, indikator, satuan, then K and Rp per group, then the unit."""
    cols = [
        Column("Kode", width=0.8),
        Column("Sasaran / Program / Kegiatan / Sub Kegiatan", width=3.5),
        Column("Indikator", width=2.2),
        Column("Satuan", width=0.7),
    ]
    for i, group in enumerate(groups(tw, year)):
        pct = i == len(groups(tw, year)) - 1
        cols.append(Column("K", "pct" if pct else "desimal", width=0.8, group=group))
        cols.append(Column("Rp", "pct" if pct else "rp", width=1.0 if pct else 1.6, group=group))
    cols.append(Column("Unit penanggung jawab", width=1.0))
    return tuple(cols)


def _pair(k: Any, rp: Any, k_kind: str = "desimal", rp_kind: str = "rp") -> list[Cell]:
    out = []
    for value, kind in ((k, k_kind), (rp, rp_kind)):
        if isinstance(value, Cell):
            out.append(value)
        elif value is None or value != value:  # no value (an indikator has no Rp): a dash
            out.append(Cell(MISSING, None, kind))
        else:
            out.append(cell(float(value), kind))
    return out


def _sum(values: list[Decimal | None]) -> Decimal | None:
    given = [v for v in values if v is not None]
    return sum(given, Decimal(0)) if given else None


def _renstra(ev: Evaluasi, entitas: str, code: str) -> Any:
    frame = ev.renstra
    if frame is None:
        return None
    hit = frame[(frame["entitas"] == entitas) & (frame["kode"].astype(str) == code)]
    return None if hit.empty else hit.iloc[0]


def _na_k() -> Cell:
    """The K of a pair not available (the Rp beside it is)."""
    return Cell(TIDAK_TERSEDIA, None, "teks", italic=True)


def _kinerja(ev: Evaluasi, subs: pd.DataFrame, entitas: str, code: str) -> tuple:
    """(K per quarter, K to date, K target, indikator, satuan, derived, level) of a row: a sub
    kegiatan's fisik; a program's or kegiatan's K (``lkj.analysis.triwulan_program``); level:
    its K is a level (``akhir``), so its Renstra realisation to date is the K to date, not
    last year's plus it."""
    tw, first = ev.tw, subs.iloc[0]
    if entitas == "sub_kegiatan":
        k_q = [_dec(first[f"fisik_{q}"]) for q in range(1, tw + 1)]
        sd, target = _dec(first["fisik_sd"]), _dec(first["target_fisik"])
        return k_q, sd, target, "", first["satuan"], False, False
    pk = ev.program.get((entitas, code)) or derived_k(subs, tw)
    k_q = [pk.quarters.get(q) for q in range(1, tw + 1)]
    if pk.sumber == TURUNAN:
        return k_q, pk.sd, pk.target, DERIVED_INDIKATOR, "%", True, False
    return k_q, pk.sd, pk.target, "", "", False, pk.aturan == "akhir"


def _budget_row(
    ev: Evaluasi, subs: pd.DataFrame, entitas: str, code: str, name: str, indent: int
) -> list[Cell]:
    """A program's, kegiatan's or sub kegiatan's row: Rp from its sub kegiatan; K of a sub
    kegiatan its fisik, of a program or kegiatan its own indikator's quarters
    (``triwulan_program``) or, without them, derived from its sub kegiatan; the Renstra
    columns from ``renstra_program`` (else tidak tersedia; the K ones also for a derived K)."""
    tw = ev.tw
    ren = _renstra(ev, entitas, code)
    is_sub = entitas == "sub_kegiatan"
    rp_q = [_sum([_dec(v) for v in subs[f"rp_{q}"]]) for q in range(1, tw + 1)]
    rp_sd = _sum([_dec(v) for v in subs["rp_sd"]])
    pagu = _sum([_dec(v) for v in subs["pagu_rp"]])
    first = subs.iloc[0]
    k_q, k_sd, k_target, indikator, satuan, derived, level = _kinerja(ev, subs, entitas, code)
    if ren is None:
        head = [*_na(), *_na()]
        renstra = [*_na(), *_na()]
    else:
        if not derived:
            indikator = str(ren["indikator"])
            satuan = "" if pd.isna(ren["satuan"]) else ren["satuan"]
        if not is_sub and not derived:
            k_target = _dec(ren["target_tahun_k"])
        lalu_k, lalu_rp = _dec(ren["realisasi_lalu_k"]), _dec(ren["realisasi_lalu_rp"])
        akhir_k, akhir_rp = _dec(ren["target_akhir_k"]), _dec(ren["target_akhir_rp"])
        sd_rp = (lalu_rp or 0) + (rp_sd or 0)
        pct_rp = numbers.ratio_pct(sd_rp, akhir_rp)
        if derived:  # the derived K is not in the unit of the Renstra indikator
            head = [_na_k(), *_pair(None, akhir_rp)[1:], _na_k(), *_pair(None, lalu_rp)[1:]]
            renstra = [
                _na_k(),
                *_pair(None, sd_rp)[1:],
                _na_k(),
                *_pair(None, pct_rp, "pct", "pct")[1:],
            ]
        else:
            sd_k = k_sd if level else None if k_sd is None or lalu_k is None else lalu_k + k_sd
            head = [*_pair(akhir_k, akhir_rp), *_pair(lalu_k, lalu_rp)]
            renstra = [
                *_pair(sd_k, sd_rp),
                *_pair(numbers.ratio_pct(sd_k, akhir_k), pct_rp, "pct", "pct"),
            ]
    strong = not is_sub
    row = [cell(code, bold=strong), cell(name, bold=strong, indent=indent), cell(indikator)]
    row.append(cell(satuan))
    row += head + _pair(k_target, pagu, "pct" if derived else "desimal")
    for q in range(tw):
        row += _pair(k_q[q], rp_q[q], "pct" if derived else "desimal")
    row += _pair(k_sd, rp_sd, "pct" if derived else "desimal") + renstra
    unit = first["unit_kerja"] if is_sub else ""
    row.append(cell(unit))
    return row


def _indikator_row(r: Any, tw: int) -> list[Cell]:
    """An indikator of a sasaran: K only (an indikator has no budget of its own)."""
    row = [
        cell(r.kode_indikator),
        cell("Indikator sasaran", italic=True, indent=1),
        cell(r.uraian_indikator),
        cell(r.satuan),
        *_pair(r.target_akhir_renstra, None),
        *_pair(r.renstra_lalu, None),
        *_pair(r.target, None),
    ]
    for q in range(1, tw + 1):
        row += _pair(getattr(r, f"k_{q}"), None)
    row += _pair(r.k_sd, None) + _pair(r.renstra_sd, None)
    row += _pair(r.renstra_pct, None, "pct", "pct")
    row.append(cell(r.unit_penanggung_jawab))
    return row


def _program_rows(ev: Evaluasi, tables: dict, programs: pd.DataFrame) -> list[list[Cell]]:
    rows = []
    sub = ev.sub
    kegiatan = tables["kegiatan"]
    for p in programs.itertuples():
        subs = sub[sub["kode_program"] == str(p.kode_program)]
        if subs.empty:
            continue
        rows.append(_budget_row(ev, subs, "program", str(p.kode_program), p.nama_program, 0))
        for k in kegiatan[kegiatan["kode_program"] == p.kode_program].itertuples():
            ksubs = subs[subs["kode_kegiatan"] == str(k.kode_kegiatan)]
            if ksubs.empty:
                continue
            rows.append(
                _budget_row(ev, ksubs, "kegiatan", str(k.kode_kegiatan), k.nama_kegiatan, 1)
            )
            for i in range(len(ksubs)):
                one = ksubs.iloc[[i]]
                code = str(one["kode_sub_kegiatan"].iloc[0])
                name = str(one["nama_sub_kegiatan"].iloc[0])
                rows.append(_budget_row(ev, one, "sub_kegiatan", code, name, 2))
    return rows


def e81_table(ev: Evaluasi, tables: dict[str, pd.DataFrame]) -> Table:
    """The E.81 table of the quarter.

    Args:
        ev: the evaluation (``lkj.analysis.triwulan.evaluate``).
        tables: the year's raw tables (names of sasaran, programs, kegiatan).

    Returns:
        The table (landscape, small type).
    """
    cols = columns(ev.tw, ev.year)
    rows: list[list[Cell]] = []
    program = tables["program"]
    width = len(cols)
    for s in tables["sasaran"].itertuples():
        rows.append(
            [
                cell(s.kode_sasaran, bold=True),
                cell(f"Sasaran: {s.uraian_sasaran}", bold=True, colspan=width - 1),
            ]
        )
        for r in ev.indikator[ev.indikator["kode_sasaran"] == str(s.kode_sasaran)].itertuples():
            rows.append(_indikator_row(r, ev.tw))
        rows += _program_rows(ev, tables, program[program["kode_sasaran"] == s.kode_sasaran])
    support = program[program["kode_sasaran"].isna() | (program["kode_sasaran"] == "")]
    if len(support):
        rows.append(
            [cell(""), cell("Program penunjang (tanpa sasaran)", bold=True, colspan=width - 1)]
        )
        rows += _program_rows(ev, tables, support)
    return Table(
        "e81",
        f"Evaluasi terhadap Hasil Renja Perangkat Daerah s.d. Triwulan {ROMAWI[ev.tw]} "
        f"Tahun {ev.year}",
        cols,
        rows=[tuple(r) for r in rows],
        small=True,
        key_columns=2,  # Kode and the uraian head each part when the columns are split
    )
