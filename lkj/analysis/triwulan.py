"""The quarter's evaluation of the Renja (E.81): realisation per triwulan, to date, against the
year's target and the plan, the Renstra columns, early warnings, and the yearly figure the
quarters give compared with the typed one.

Takes the raw tables of a year (``lkj.data.ingest``) with the optional quarterly tables of the
data contract (``lkj.data.schema.TRIWULAN_TABLES``) and gives a :class:`Evaluasi` of plain
DataFrames, every figure computed in decimal arithmetic (``lkj.core.numbers``):

* to date (s.d. TW q), from the quarters 1..q given: ``jumlah`` (sub kegiatan fisik and
  anggaran, counts): their sum; ``akhir`` (levels such as a percentage): the value of the
  latest quarter given. Quarters after q are not used.
* capaian to date: realisation to date / the year's target x 100 (indicators: their polarity,
  ``lkj.analysis.capaian.compute_capaian``); serapan: realisation to date / the pagu in force
  at quarter q (``pagu_triwulan``: the pagu murni before ``berlaku_triwulan``, the pagu
  perubahan from it on; without a row, ``sub_kegiatan.anggaran_rp``).
* the early warning (:data:`METODE`): the linear pace, projected = to date / q x 4 (``jumlah``;
  ``akhir``: the latest value); warned when the projection's capaian is below 100 %; the gap is
  the target (pagu) minus the projection, in its unit (rupiah) and in percent (100 - the
  projected capaian).
* the yearly figure from the quarters, where all four are given, compared with the typed one
  (``sub_kegiatan.realisasi_*``, ``kinerja_indikator.realisasi``): shown, never preferred.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pandas as pd

from lkj.analysis.capaian import compute_capaian
from lkj.analysis.triwulan_program import program_k
from lkj.core import numbers
from lkj.core.errors import DataError

METODE = (
    "Proyeksi laju linear: realisasi s.d. triwulan q dibagi q lalu dikali 4 (aturan jumlah: "
    "realisasi fisik, anggaran, indikator hitungan); untuk indikator beraturan akhir (tingkat, "
    "misalnya persentase) proyeksinya nilai triwulan terakhir yang dilaporkan. Bila tahun "
    "sebelumnya memuat keempat triwulan sub kegiatan yang sama, proyeksinya musiman: realisasi "
    "s.d. triwulan q dibagi porsi realisasi s.d. triwulan q tahun itu. Peringatan dini "
    "diberikan bila capaian proyeksi terhadap target tahun (pagu untuk anggaran) di bawah "
    "100%; selisih = target (pagu) dikurangi proyeksi, dalam satuan (rupiah) dan persen."
)
HUNDRED = Decimal(100)


def _dec(value: Any) -> Decimal | None:
    return numbers.to_decimal(value)


def _f(value: Decimal | None) -> float:
    return numbers.as_float(value)


def _by_quarter(frame: pd.DataFrame | None, key: str, column: str, tw: int) -> dict:
    """{code: {quarter: Decimal}} of the quarters 1..tw with a value in ``column``."""
    out: dict[str, dict[int, Decimal]] = {}
    if frame is None or column not in frame.columns:
        return out
    for code, q, value in zip(frame[key], frame["triwulan"], frame[column], strict=True):
        number = _dec(value)
        if number is not None and int(q) <= tw:
            out.setdefault(str(code), {})[int(q)] = number
    return out


def to_date(values: dict[int, Decimal], aturan: str) -> Decimal | None:
    """The realisation to date of the quarters given: their sum (``jumlah``) or the latest
    quarter's value (``akhir``); None when no quarter is given."""
    if not values:
        return None
    if aturan == "akhir":
        return values[max(values)]
    return sum(values.values(), Decimal(0))


def projection(sd: Decimal | None, tw: int, aturan: str, places: int = 2) -> Decimal | None:
    """The year's projection at the linear pace: ``sd / tw * 4`` (``jumlah``), ``sd``
    (``akhir``), rounded half away from zero at ``places``."""
    if sd is None:
        return None
    if aturan == "akhir":
        return sd
    return numbers.round_half_up(sd * 4 / tw, places)


def seasonal_shares(earlier: dict[str, pd.DataFrame] | None, tw: int) -> dict[tuple, Decimal]:
    """{(kode_sub_kegiatan, column): share of the year realised by quarter ``tw``} of the
    earlier year, for each sub kegiatan whose four quarters are given there (total > 0)."""
    out: dict[tuple, Decimal] = {}
    if not earlier:
        return out
    quarters = earlier.get("triwulan_sub_kegiatan")
    for column in ("realisasi_fisik", "realisasi_anggaran_rp"):
        for code, values in _by_quarter(quarters, "kode_sub_kegiatan", column, 4).items():
            total = sum(values.values(), Decimal(0))
            done = sum((v for q, v in values.items() if q <= tw), Decimal(0))
            if len(values) == 4 and total > 0 and done > 0:
                out[(code, column)] = done / total
    return out


def _project(sd: Decimal | None, tw: int, share: Decimal | None, places: int) -> tuple:
    """(projection, "musiman" or "linear"): ``sd / share`` where the earlier year gives a
    share, else the linear pace."""
    if sd is None:
        return None, ""
    if share is not None and tw < 4:
        return numbers.round_half_up(sd / share, places), "musiman"
    return projection(sd, tw, "jumlah", places), "linear"


def check_quarters(tables: dict[str, pd.DataFrame], where: str) -> None:
    """The quarterly tables' rule that the column checks cannot state (the quarters 1..4 are
    choices of the contract, checked on reading).

    Raises:
        DataError: an indikator with quarters but no aturan.
    """
    quarters = tables.get("triwulan_indikator")
    if quarters is not None and len(quarters):
        rules = tables.get("aturan_indikator")
        known = set() if rules is None else set(rules["kode_indikator"].astype(str))
        missing = sorted(set(quarters["kode_indikator"].astype(str)) - known)
        if missing:
            raise DataError(
                f"{where}/aturan_indikator",
                "indikator dengan data triwulan tanpa aturan (jumlah atau akhir): "
                + ", ".join(missing),
                column="aturan",
            )


def has_quarters(tables: dict[str, pd.DataFrame]) -> bool:
    """True when the year holds quarterly realisation (of a sub kegiatan or an indikator)."""
    return any(
        name in tables and len(tables[name])
        for name in ("triwulan_sub_kegiatan", "triwulan_indikator")
    )


@dataclass
class Evaluasi:
    """The quarter's evaluation.

    Attributes:
        year, tw: the year and the quarter evaluated (1..4).
        sub: one row per sub kegiatan (quarters ``fisik_1..4``, ``rp_1..4``; to date, plan,
            capaian, pagu in force, projection, warning, gap; its kegiatan and program).
        indikator: one row per indikator (quarters ``k_1..4``, aturan, to date, capaian,
            projection, warning, the Renstra columns).
        renstra: the optional table ``renstra_program`` (None when absent).
        selisih: typed yearly figures that differ from the quarters' (entitas, kode, ukuran,
            tertulis, dihitung, selisih).
        dibandingkan: how many yearly figures were compared with their quarters.
        belum_lapor: (kode, triwulan) of sub kegiatan without realisation in a quarter <= tw.
        program: the K of each program and kegiatan (``lkj.analysis.triwulan_program``).
    """

    year: int
    tw: int
    sub: pd.DataFrame
    indikator: pd.DataFrame
    renstra: pd.DataFrame | None
    selisih: pd.DataFrame
    dibandingkan: int
    belum_lapor: list[tuple[str, int]]
    program: dict = field(default_factory=dict)  # (entitas, kode) -> ProgramK (E.81's K)

    @property
    def peringatan(self) -> pd.DataFrame:
        """One row per warning: entitas, kode, uraian, ukuran, target, sd, proyeksi,
        proyeksi_pct, selisih, selisih_pct, satuan, metode (linear, musiman or akhir)."""
        rows = []
        for r in self.sub.itertuples():
            for ukuran, target, sd, proj, pct, gap, gpct, satuan, how in (
                ("fisik", r.target_fisik, r.fisik_sd, r.proyeksi_fisik, r.proyeksi_fisik_pct,
                 r.selisih_fisik, r.selisih_fisik_pct, r.satuan, r.metode_fisik),
                ("anggaran", r.pagu_rp, r.rp_sd, r.proyeksi_rp, r.proyeksi_serapan_pct,
                 r.selisih_rp, r.selisih_rp_pct, "Rp", r.metode_rp),
            ):  # fmt: skip
                if getattr(r, f"peringatan_{ukuran}"):
                    rows.append(
                        ("sub_kegiatan", r.kode_sub_kegiatan, r.nama_sub_kegiatan, ukuran,
                         target, sd, proj, pct, gap, gpct, satuan, how)
                    )  # fmt: skip
        for r in self.indikator.itertuples():
            if r.peringatan:
                how = "akhir" if r.aturan == "akhir" else "linear"
                rows.append(
                    ("indikator", r.kode_indikator, r.uraian_indikator, "kinerja", r.target,
                     r.k_sd, r.proyeksi, r.proyeksi_pct, r.selisih, r.selisih_pct, r.satuan, how)
                )  # fmt: skip
        columns = ["entitas", "kode", "uraian", "ukuran", "target", "sd", "proyeksi",
                   "proyeksi_pct", "selisih", "selisih_pct", "satuan", "metode"]  # fmt: skip
        return pd.DataFrame(rows, columns=columns)


def _pagu(sub: pd.DataFrame, pagu: pd.DataFrame | None, tw: int) -> dict[str, tuple]:
    """{kode: (pagu in force at tw, murni, perubahan, berlaku)}."""
    out = {}
    changes = {}
    if pagu is not None:
        for r in pagu.itertuples():
            changes[str(r.kode_sub_kegiatan)] = (
                _dec(r.pagu_murni_rp), _dec(r.pagu_perubahan_rp), int(r.berlaku_triwulan)
            )  # fmt: skip
    for code, anggaran in zip(sub["kode_sub_kegiatan"], sub["anggaran_rp"], strict=True):
        code = str(code)
        if code in changes:
            murni, ubah, berlaku = changes[code]
            out[code] = (ubah if tw >= berlaku else murni, murni, ubah, berlaku)
        else:
            out[code] = (_dec(anggaran), None, None, None)
    return out


def _sub_rows(
    tables: dict[str, pd.DataFrame], tw: int, season: dict[tuple, Decimal]
) -> tuple[pd.DataFrame, list]:
    sub = tables["sub_kegiatan"]
    quarters = tables.get("triwulan_sub_kegiatan")
    fisik = _by_quarter(quarters, "kode_sub_kegiatan", "realisasi_fisik", tw)
    rp = _by_quarter(quarters, "kode_sub_kegiatan", "realisasi_anggaran_rp", tw)
    plan_f = _by_quarter(quarters, "kode_sub_kegiatan", "rencana_fisik", tw)
    plan_rp = _by_quarter(quarters, "kode_sub_kegiatan", "rencana_anggaran_rp", tw)
    pagu = _pagu(sub, tables.get("pagu_triwulan"), tw)
    kegiatan = dict(
        zip(tables["kegiatan"]["kode_kegiatan"], tables["kegiatan"]["kode_program"], strict=True)
    )
    rows, missing = [], []
    for r in sub.itertuples():
        code = str(r.kode_sub_kegiatan)
        f, m = fisik.get(code, {}), rp.get(code, {})
        missing += [(code, q) for q in range(1, tw + 1) if q not in f and q not in m]
        in_force, murni, ubah, berlaku = pagu[code]
        target = _dec(r.target_fisik)
        f_sd, rp_sd = to_date(f, "jumlah"), to_date(m, "jumlah")
        pf_sd, prp_sd = (
            to_date(plan_f.get(code, {}), "jumlah"),
            to_date(plan_rp.get(code, {}), "jumlah"),
        )
        proj_f, how_f = _project(f_sd, tw, season.get((code, "realisasi_fisik")), 2)
        proj_rp, how_rp = _project(rp_sd, tw, season.get((code, "realisasi_anggaran_rp")), 0)
        proj_f_pct = numbers.ratio_pct(proj_f, target)
        proj_rp_pct = numbers.ratio_pct(proj_rp, in_force)
        row = {
            "kode_sub_kegiatan": code,
            "nama_sub_kegiatan": r.nama_sub_kegiatan,
            "kode_kegiatan": str(r.kode_kegiatan),
            "kode_program": str(kegiatan.get(r.kode_kegiatan, "")),
            "unit_kerja": r.unit_kerja,
            "satuan": "" if pd.isna(r.satuan) else str(r.satuan),
            "target_fisik": _f(target),
            "pagu_rp": _f(in_force),
            "pagu_murni_rp": _f(murni),
            "pagu_perubahan_rp": _f(ubah),
            "berlaku_triwulan": berlaku,
            "fisik_sd": _f(f_sd),
            "rp_sd": _f(rp_sd),
            "capaian_fisik_pct": _f(numbers.ratio_pct(f_sd, target)),
            "serapan_pct": _f(numbers.ratio_pct(rp_sd, in_force)),
            "rencana_fisik_sd": _f(pf_sd),
            "rencana_rp_sd": _f(prp_sd),
            "capaian_rencana_fisik_pct": _f(numbers.ratio_pct(f_sd, pf_sd)),
            "capaian_rencana_rp_pct": _f(numbers.ratio_pct(rp_sd, prp_sd)),
            "metode_fisik": how_f,
            "metode_rp": how_rp,
            "proyeksi_fisik": _f(proj_f),
            "proyeksi_rp": _f(proj_rp),
            "proyeksi_fisik_pct": _f(proj_f_pct),
            "proyeksi_serapan_pct": _f(proj_rp_pct),
            "peringatan_fisik": proj_f_pct is not None and proj_f_pct < HUNDRED,
            "peringatan_anggaran": proj_rp_pct is not None and proj_rp_pct < HUNDRED,
            "selisih_fisik": _f(None if proj_f is None else target - proj_f),
            "selisih_fisik_pct": _f(None if proj_f_pct is None else HUNDRED - proj_f_pct),
            "selisih_rp": _f(None if proj_rp is None else in_force - proj_rp),
            "selisih_rp_pct": _f(None if proj_rp_pct is None else HUNDRED - proj_rp_pct),
        }
        for q in range(1, 5):
            row[f"fisik_{q}"] = _f(f.get(q))
            row[f"rp_{q}"] = _f(m.get(q))
        rows.append(row)
    return pd.DataFrame(rows), missing


def _renstra_indikator(tables: dict, code: str, year: int, aturan: str) -> Decimal | None:
    """The indikator's realisation of the Renstra up to last year: the last year's value
    (``akhir``) or the sum of the earlier years of the Renstra (``jumlah``)."""
    kin = tables["kinerja_indikator"]
    years = set(tables["target_renstra"].query("kode_indikator == @code")["tahun"].astype(int))
    past = kin[(kin["kode_indikator"] == code) & (kin["tahun"] < year)].sort_values("tahun")
    if aturan == "jumlah":
        past = past[past["tahun"].astype(int).isin(years)]
        values = [_dec(v) for v in past["realisasi"]]
        values = [v for v in values if v is not None]
        return sum(values, Decimal(0)) if values else None
    last = past[past["tahun"] == year - 1]["realisasi"]
    return _dec(last.iloc[0]) if len(last) else None


def _indikator_rows(tables: dict[str, pd.DataFrame], year: int, tw: int) -> pd.DataFrame:
    quarters = tables.get("triwulan_indikator")
    real = _by_quarter(quarters, "kode_indikator", "realisasi", tw)
    plan = _by_quarter(quarters, "kode_indikator", "rencana", tw)
    rules = tables.get("aturan_indikator")
    aturan = (
        {} if rules is None else dict(zip(rules["kode_indikator"], rules["aturan"], strict=True))
    )
    kin = tables["kinerja_indikator"]
    this = kin[kin["tahun"] == year].set_index("kode_indikator")
    rows = []
    for r in tables["indikator"].itertuples():
        code = str(r.kode_indikator)
        rule = aturan.get(code, "")
        k = real.get(code, {})
        target = _dec(this["target"].get(code)) if code in this.index else None
        sd = to_date(k, rule or "jumlah")
        proj = projection(sd, tw, rule or "jumlah")
        proj_pct = (
            None if target is None or proj is None else compute_capaian(target, proj, r.polaritas)
        )
        lalu = _renstra_indikator(tables, code, year, rule or "akhir")
        renstra_sd = sd if rule == "akhir" else (None if sd is None else (lalu or 0) + sd)
        akhir = _dec(r.target_akhir_renstra)
        row = {
            "kode_indikator": code,
            "kode_sasaran": str(r.kode_sasaran),
            "uraian_indikator": r.uraian_indikator,
            "satuan": r.satuan,
            "polaritas": r.polaritas,
            "aturan": rule,
            "unit_penanggung_jawab": ""
            if pd.isna(r.unit_penanggung_jawab)
            else r.unit_penanggung_jawab,
            "target": _f(target),
            "k_sd": _f(sd),
            "capaian_pct": _f(
                None if target is None or sd is None else compute_capaian(target, sd, r.polaritas)
            ),
            "rencana_sd": _f(to_date(plan.get(code, {}), rule or "jumlah")),
            "proyeksi": _f(proj),
            "proyeksi_pct": _f(proj_pct),
            "peringatan": proj_pct is not None and proj_pct < HUNDRED,
            "selisih": _f(None if proj is None or target is None else target - proj),
            "selisih_pct": _f(None if proj_pct is None else HUNDRED - proj_pct),
            "target_akhir_renstra": _f(akhir),
            "renstra_lalu": _f(lalu),
            "renstra_sd": _f(renstra_sd),
            "renstra_pct": _f(
                None if renstra_sd is None else compute_capaian(akhir, renstra_sd, r.polaritas)
            ),
        }
        rs = row["rencana_sd"]
        row["capaian_rencana_pct"] = _f(
            None if pd.isna(rs) or sd is None else compute_capaian(_dec(rs), sd, r.polaritas)
        )
        for q in range(1, 5):
            row[f"k_{q}"] = _f(k.get(q))
        rows.append(row)
    return pd.DataFrame(rows)


def yearly_differences(tables: dict[str, pd.DataFrame], year: int) -> tuple[pd.DataFrame, int]:
    """The yearly figures the four quarters give, compared with the typed ones.

    A sub kegiatan (fisik, anggaran) or indikator is compared when all four quarters are given
    and the typed yearly realisation is not empty.

    Returns:
        The differences (entitas, kode, ukuran, tertulis, dihitung, selisih) and how many
        figures were compared.
    """
    rows, compared = [], 0
    quarters = tables.get("triwulan_sub_kegiatan")
    sub = tables["sub_kegiatan"]
    kin = tables["kinerja_indikator"]
    this = kin[kin["tahun"] == year]
    rules = tables.get("aturan_indikator")
    aturan = (
        {} if rules is None else dict(zip(rules["kode_indikator"], rules["aturan"], strict=True))
    )
    checks = []
    for column in ("realisasi_fisik", "realisasi_anggaran_rp"):
        by_code = _by_quarter(quarters, "kode_sub_kegiatan", column, 4)
        typed = dict(zip(sub["kode_sub_kegiatan"], sub[column], strict=True))
        checks.append(("sub_kegiatan", column, by_code, typed, {}))
    by_code = _by_quarter(tables.get("triwulan_indikator"), "kode_indikator", "realisasi", 4)
    typed = dict(zip(this["kode_indikator"], this["realisasi"], strict=True))
    checks.append(("indikator", "realisasi", by_code, typed, aturan))
    for entitas, ukuran, by_code, typed, rule in checks:
        for code, values in sorted(by_code.items()):
            written = _dec(typed.get(code))
            if len(values) < 4 or written is None:
                continue
            computed = to_date(values, rule.get(code, "jumlah"))
            compared += 1
            if computed != written:
                rows.append(
                    (entitas, code, ukuran, _f(written), _f(computed), _f(written - computed))
                )
    columns = ["entitas", "kode", "ukuran", "tertulis", "dihitung", "selisih"]
    return pd.DataFrame(rows, columns=columns), compared


def evaluate(
    tables: dict[str, pd.DataFrame],
    year: int,
    tw: int,
    where: str = "",
    earlier: dict[str, pd.DataFrame] | None = None,
) -> Evaluasi:
    """The evaluation of quarter ``tw`` of ``year``.

    Args:
        tables: the year's raw tables (``lkj.data.ingest``), with its quarterly tables.
        year: the year.
        tw: the quarter evaluated, 1..4.
        where: the year's folder, for messages.
        earlier: the previous year's raw tables, when they hold quarters (the seasonal
            projection of :data:`METODE`).

    Returns:
        The evaluation.

    Raises:
        DataError: no quarterly data, or a rule of :func:`check_quarters` broken.
    """
    if tw not in (1, 2, 3, 4):
        raise DataError(where, f"triwulan harus 1, 2, 3 atau 4, bukan {tw}")
    if not has_quarters(tables):
        raise DataError(
            where,
            f"tidak ada data triwulan tahun {year}: isi tabel triwulan_sub_kegiatan "
            "dan/atau triwulan_indikator (data/raw/README.md, bagian Triwulan)",
        )
    check_quarters(tables, where)
    sub, missing = _sub_rows(tables, tw, seasonal_shares(earlier, tw))
    selisih, compared = yearly_differences(tables, year)
    return Evaluasi(
        year=year,
        tw=tw,
        sub=sub,
        indikator=_indikator_rows(tables, year, tw),
        renstra=tables.get("renstra_program"),
        selisih=selisih,
        dibandingkan=compared,
        belum_lapor=missing,
        program=program_k(tables, sub, tw, where),
    )


def cumulative(ev: Evaluasi) -> pd.DataFrame:
    """Per quarter 1..4, the OPD's cumulative realisation against its target, in percent.

    ``fisik_pct``: the mean of the sub kegiatan's cumulative capaian fisik, weighted by the
    pagu in force (sub kegiatan with target 0 left out); ``anggaran_pct``: cumulative spending /
    the total pagu in force; ``rencana_*_pct`` the same of the plan (NaN where no plan is
    given); quarters after ``ev.tw`` have no realisation (NaN).
    """
    rows = []
    sub = ev.sub
    pagu = [_dec(v) or Decimal(0) for v in sub["pagu_rp"]]
    total = sum(pagu, Decimal(0))
    for q in range(1, 5):
        row: dict[str, Any] = {
            "triwulan": q,
            "fisik_pct": float("nan"),
            "anggaran_pct": float("nan"),
        }
        if q <= ev.tw:
            row["fisik_pct"] = _f(_weighted_fisik(sub, pagu, q, "fisik"))
            spent = sum(
                (
                    _dec(sub[f"rp_{j}"].iloc[i]) or Decimal(0)
                    for i in range(len(sub))
                    for j in range(1, q + 1)
                ),
                Decimal(0),
            )
            row["anggaran_pct"] = _f(numbers.ratio_pct(spent, total))
        rows.append(row)
    return pd.DataFrame(rows)


def _weighted_fisik(sub: pd.DataFrame, pagu: list, q: int, col: str) -> Decimal | None:
    num, den = Decimal(0), Decimal(0)
    for i in range(len(sub)):
        target = _dec(sub["target_fisik"].iloc[i])
        if not target:
            continue
        done = sum(
            (_dec(sub[f"{col}_{j}"].iloc[i]) or Decimal(0) for j in range(1, q + 1)), Decimal(0)
        )
        capaian = numbers.ratio_pct(done, target)
        num += capaian * pagu[i]
        den += pagu[i]
    return numbers.round_half_up(num / den, 2) if den else None
