"""The walk-through of every aggregate: for each kegiatan, program, sasaran and the total, the
raw sub kegiatan rows that make it up, with their weights (``agregasi.metode_capaian_fisik``),
followed by the aggregate line, so the weighted mean can be redone by hand.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pandas as pd

from lkj.analysis.audit.display import LEVELS
from lkj.analysis.audit.method import method_name
from lkj.analysis.audit.numbers import HUNDRED, round_half_up, to_decimal
from lkj.analysis.audit.table import AuditTable, _Column, _display
from lkj.analysis.capaian import Results
from lkj.core.config import Config


def _sub_with_links(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Raw sub kegiatan rows with their kegiatan, program and sasaran codes."""
    keg = tables["kegiatan"][["kode_kegiatan", "kode_program"]].merge(
        tables["program"][["kode_program", "kode_sasaran"]], on="kode_program", how="left"
    )
    sub = tables["sub_kegiatan"].drop(
        columns=[c for c in ("kode_program", "kode_sasaran") if c in tables["sub_kegiatan"]]
    )
    out = sub.merge(keg, on="kode_kegiatan", how="left")
    out["kode_sasaran"] = out["kode_sasaran"].fillna("")
    return out


def _capaian(target: Any, realisasi: Any) -> Decimal | None:
    """Capaian fisik of a sub kegiatan as printed: realisasi / target x 100 at 2 decimals."""
    t, r = to_decimal(target), to_decimal(realisasi)
    if t is None or r is None or t == 0:
        return None
    return round_half_up(r * HUNDRED / t)


def _weights(rows: pd.DataFrame, method: str) -> list[Decimal | None]:
    """Weight of each row in the aggregate (None where the capaian cannot be computed)."""
    caps = [
        _capaian(t, r) for t, r in zip(rows["target_fisik"], rows["realisasi_fisik"], strict=True)
    ]
    budgets = [to_decimal(a) or Decimal(0) for a in rows["anggaran_rp"]]
    used = [i for i, c in enumerate(caps) if c is not None]
    total = sum((budgets[i] for i in used), Decimal(0))
    weights: list[Decimal | None] = [None] * len(caps)
    for i in used:
        if method == "tertimbang_anggaran" and total > 0:
            weights[i] = budgets[i] / total
        else:  # plain mean, also the fallback when the weights sum to 0
            weights[i] = Decimal(1) / Decimal(len(used))
    return weights


def weighted_capaian(rows: pd.DataFrame, method: str) -> Decimal | None:
    """The aggregated physical capaian of raw sub kegiatan rows (Decimal, not rounded).

    Each sub kegiatan enters with its capaian as printed (2 decimals, half away from zero),
    the figure an auditor recomputing the table in Excel starts from.

    Args:
        rows: raw sub kegiatan rows (target_fisik, realisasi_fisik, anggaran_rp).
        method: "tertimbang_anggaran" or "rata_rata".

    Returns:
        Σ capaian × bobot, or None when no capaian can be computed.
    """
    caps = [
        _capaian(t, r) for t, r in zip(rows["target_fisik"], rows["realisasi_fisik"], strict=True)
    ]
    weights = _weights(rows, method)
    parts = [c * w for c, w in zip(caps, weights, strict=True) if c is not None and w is not None]
    return sum(parts, Decimal(0)) if parts else None


def _groups(tables: dict[str, pd.DataFrame], level: str) -> list[tuple[str, str, pd.DataFrame]]:
    sub = _sub_with_links(tables)
    if level == "total":
        return [("Jumlah", "semua sub kegiatan", sub)]
    key, name, _ = LEVELS[level]
    source = {"kegiatan": "kegiatan", "program": "program", "sasaran": "sasaran"}[level]
    names = dict(zip(tables[source][key], tables[source][name], strict=True))
    if level == "sasaran":
        sub = sub[sub["kode_sasaran"] != ""]
    return [(code, names.get(code, ""), rows) for code, rows in sub.groupby(key, sort=True)]


def rincian_agregat(
    tables: dict[str, pd.DataFrame], res: Results, config: Config, level: str
) -> AuditTable:
    """For each aggregate of ``level``, its sub kegiatan rows then the aggregate line.

    Sub kegiatan rows show target and realisasi fisik, capaian, anggaran, realisasi, the
    weight in the aggregate (config: agregasi.metode_capaian_fisik) and capaian × bobot. The
    aggregate line shows the pipeline's figures (what the report prints) and, in the column
    "Capaian × bobot", the sum of the rows: both must agree.

    Args:
        tables: the raw tables (sub_kegiatan, kegiatan, program, sasaran).
        res: the computed tables.
        config: the configuration (aggregation method).
        level: "kegiatan", "program", "sasaran" or "total".

    Returns:
        The display table.
    """
    method = config.aggregation_method
    by_code, noun = _aggregates(res, level)
    records, emphasis = [], []
    for code, name, rows in _groups(tables, level):
        records += _sub_records(code, rows, method)
        emphasis += [False] * len(rows)
        records.append(_aggregate_record(code, name, rows, by_code.get(code), noun, level, method))
        emphasis.append(True)
    frame = pd.DataFrame(records)
    title = (
        f"Rincian: sub kegiatan pembentuk setiap {noun.lower()}"
        if level != "total"
        else "Rincian: sub kegiatan pembentuk total anggaran dan realisasi"
    )
    display = _display(frame, _rincian_columns(level, noun), title)
    display.emphasis = emphasis
    display.note = _rincian_note(level, noun, config)
    return display


def _aggregates(res: Results, level: str) -> tuple[dict[str, Any], str]:
    """The pipeline's rows of ``level`` by their code, and the level's noun."""
    if level == "total":
        row = res.ringkasan.set_index("sumber").loc["sub_kegiatan"]
        by_code: dict[str, Any] = {
            "Jumlah": {
                "anggaran_rp": row["anggaran_rp"],
                "realisasi_anggaran_rp": row["realisasi_rp"],
                "serapan_pct": row["serapan_pct"],
                "capaian_fisik_pct": None,
            }
        }
        noun = "Total"
    else:
        key, _, noun = LEVELS[level]
        by_code = {row[key]: row for row in getattr(res, level).to_dict("records")}
    return by_code, noun


def _sub_records(code: str, rows: pd.DataFrame, method: str) -> list[dict[str, Any]]:
    """The walk-through's lines of the sub kegiatan of one aggregate, with their weights."""
    records = []
    weights = _weights(rows, method)
    for row, weight in zip(rows.to_dict("records"), weights, strict=True):
        cap = _capaian(row["target_fisik"], row["realisasi_fisik"])
        spent, budget = to_decimal(row["realisasi_anggaran_rp"]), to_decimal(row["anggaran_rp"])
        records.append(
            {
                "kelompok": code,
                "kode": row["kode_sub_kegiatan"],
                "uraian": row["nama_sub_kegiatan"],
                "target": row["target_fisik"],
                "realisasi": row["realisasi_fisik"],
                "capaian": cap,
                "anggaran": budget,
                "realisasi_rp": spent,
                "serapan": spent / budget * HUNDRED if budget else None,
                "bobot": None if weight is None else weight * HUNDRED,
                "kontribusi": None if weight is None or cap is None else cap * weight,
            }
        )
    return records


def _aggregate_record(
    code: str,
    name: str,
    rows: pd.DataFrame,
    agg: Any,
    noun: str,
    level: str,
    method: str,
) -> dict[str, Any]:
    """The aggregate line: the pipeline's figures, and Σ capaian × bobot of its rows."""
    return {
        "kelompok": code,
        "kode": f"{noun} {code}" if level != "total" else "Jumlah",
        "uraian": name if level != "total" else f"{len(rows)} sub kegiatan",
        "target": None,
        "realisasi": None,
        "capaian": None if agg is None else agg["capaian_fisik_pct"],
        "anggaran": None if agg is None else agg["anggaran_rp"],
        "realisasi_rp": None if agg is None else agg["realisasi_anggaran_rp"],
        "serapan": None if agg is None else agg["serapan_pct"],
        "bobot": HUNDRED if level != "total" else None,
        "kontribusi": weighted_capaian(rows, method) if level != "total" else None,
    }


def _rincian_columns(level: str, noun: str) -> list[_Column]:
    """The walk-through's columns (the total has no physical figures nor weights)."""
    physical = [
        _Column("Target fisik", "target", "angka"),
        _Column("Realisasi fisik", "realisasi", "angka"),
        _Column("Capaian fisik (%)", "capaian", "pct"),
    ]
    columns = [
        *([_Column(f"Kode {noun.lower()}", "kelompok")] if level != "total" else []),
        _Column("Kode", "kode"),
        _Column("Uraian", "uraian"),
        *(physical if level != "total" else []),
        _Column("Anggaran (Rp)", "anggaran", "rp"),
        _Column("Realisasi anggaran (Rp)", "realisasi_rp", "rp"),
        _Column("Serapan (%)", "serapan", "pct"),
    ]
    if level != "total":
        columns += [
            _Column("Bobot (%)", "bobot", "pct"),
            _Column("Capaian × bobot", "kontribusi", "pct"),
        ]
    return columns


def _rincian_note(level: str, noun: str, config: Config) -> str:
    """How to read the walk-through and redo its sums."""
    if level == "total":
        return "Baris Jumlah = Σ kolom sub kegiatan; serapan = Σ realisasi / Σ anggaran × 100."
    return (
        f"Metode: {method_name(config)}. Baris tebal = angka {noun.lower()} dalam laporan; "
        "kolom Capaian × bobot pada baris tebal = jumlah kolom itu di atasnya sebelum "
        "pembulatan, dihitung ulang dari target dan realisasi fisik (capaian tiap sub "
        "kegiatan seperti tercetak, 2 desimal); harus sama dengan Capaian fisik."
    )
