"""What the reviewer notebooks show: formatted tables, aggregation walk-throughs and checks.

Reviewers (Inspektorat, Bappeda, BPK auditors) read the rendered notebooks of
outputs/YEAR/notebooks/ and recompute the figures in Excel. This module turns the computed
tables (``lkj.analysis.capaian.Results``) and the raw rows into what they need:

* display tables formatted as the report formats them (``lkj.core.fmt``), with Indonesian headings;
* for every aggregate (kegiatan, program, sasaran, total) the sub kegiatan rows that make it up,
  with their weights, followed by the aggregate line, so the weighted mean can be redone by hand;
* the reconciliations recomputed from the raw rows (``reconcile``), each with what was expected,
  what the pipeline computed and a status: LULUS (equal), GAGAL (an internal total that must
  hold does not: a defect of the pipeline) or BEDA (two sources disagree: a finding about the
  data, shown with its amount, never hidden).

Everything here is plain data in, plain data out; the notebooks only display it. Checks
recompute with Decimal from the raw rows and do not reuse the pipeline's sums.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd

from lkj.analysis.capaian import Results
from lkj.analysis.kualitas import DIFFERENT, NOT_COMPARED, SAME, compare_stated
from lkj.core.config import Config, Scale
from lkj.core.fmt import format_angka, format_pct, format_rp

PASSED, FAILED, DIFFERS = "LULUS", "GAGAL", "BEDA"
STATUS_COLORS = {PASSED: "#1a7f37", FAILED: "#d7301f", DIFFERS: "#b35900"}
INTERNAL, SOURCES, STATED = "Rekonsiliasi internal", "Antar sumber", "Angka tertulis"
METHOD_TEXT = {
    "tertimbang_anggaran": (
        "rata-rata tertimbang anggaran",
        "capaian agregat = Σ (capaian sub kegiatan × anggaran sub kegiatan) / Σ anggaran; "
        "bobot sub kegiatan = anggaran / Σ anggaran",
    ),
    "rata_rata": (
        "rata-rata sederhana",
        "capaian agregat = Σ capaian sub kegiatan / jumlah sub kegiatan; "
        "bobot setiap sub kegiatan = 1 / jumlah sub kegiatan",
    ),
}
# Text columns given room (min-width) so long names do not wrap into a narrow strip.
WIDE_HEADERS = frozenset(
    ("Uraian", "Sub kegiatan", "Pemeriksaan", "Keterangan", "Indikator", "Kegiatan", "Program")
)
HUNDRED = Decimal(100)


# --------------------------------------------------------------------------- numbers


def to_decimal(value: Any) -> Decimal | None:
    """A cell value as an exact Decimal (floats through their shortest repr); None if missing.

    Args:
        value: an int, float, Decimal, numpy number or numeric text.

    Returns:
        The value, or None for None/NaN/"".
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, Decimal):
        return None if value.is_nan() else value
    if isinstance(value, float) or (hasattr(value, "dtype") and "float" in str(value.dtype)):
        number = float(value)
        return None if math.isnan(number) else Decimal(repr(number))
    if isinstance(value, str):
        return Decimal(value.strip())
    return Decimal(int(value))


def round_half_up(value: Decimal, decimals: int = 2) -> Decimal:
    """Round half away from zero, as Excel's ROUND (53,125 -> 53,13)."""
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def _sum(values: Sequence[Any]) -> Decimal:
    return sum((to_decimal(v) or Decimal(0) for v in values), Decimal(0))


def _entered(value: Any) -> str:
    """A number as entered: whole numbers without decimals, others with their own decimals."""
    number = to_decimal(value)
    if number is None:
        return "-"
    exponent = number.normalize().as_tuple().exponent
    decimals = 0 if not isinstance(exponent, int) else min(max(-exponent, 0), 6)
    return format_angka(number, decimals)


def _pct(value: Any) -> str:
    number = to_decimal(value)
    return format_pct(None if number is None else number, sign=False)


def _rp(value: Any) -> str:
    number = to_decimal(value)
    return format_angka(None if number is None else number)


# --------------------------------------------------------------------------- display tables


@dataclass
class AuditTable:
    """A table for reviewers: display strings with Indonesian headings.

    Attributes:
        title: the caption.
        frame: the cells, already formatted (``lkj.core.fmt``).
        numeric: the columns aligned right (numbers).
        emphasis: per row, True for an aggregate line (shown bold).
        note: a sentence under the table (how to read or recompute it).
    """

    title: str
    frame: pd.DataFrame
    numeric: frozenset[str] = frozenset()
    emphasis: list[bool] = field(default_factory=list)
    note: str = ""

    def __repr__(self) -> str:
        # the notebook's text/plain output: fixed (a set's order changes between runs)
        return f"<{self.title}: {len(self.frame)} baris>"

    def to_html(self) -> str:
        """The table as HTML (``table.lkj``, the report's stylesheet); every text escaped."""
        esc = html.escape

        def th(column: str) -> str:
            if column in self.numeric:
                return f'<th class="num">{esc(column)}</th>'
            if column in WIDE_HEADERS:
                return f'<th style="min-width:16em">{esc(column)}</th>'
            return f"<th>{esc(column)}</th>"

        head = "".join(th(str(c)) for c in self.frame.columns)
        rows = []
        emphasis = self.emphasis or [False] * len(self.frame)
        for strong, row in zip(emphasis, self.frame.to_dict("records"), strict=True):
            cells = []
            for column in self.frame.columns:
                text = esc(str(row[column]))
                if column in self.numeric:
                    cells.append(f'<td class="num">{text}</td>')
                elif column == "Status" and text in STATUS_COLORS:
                    cells.append(
                        f'<td class="status" style="color:{STATUS_COLORS[text]};'
                        f'font-weight:bold">{text}</td>'
                    )
                else:
                    cells.append(f"<td>{text}</td>")
            style = ' class="agregat" style="font-weight:bold;background:#eef1f5"' if strong else ""
            rows.append(f"<tr{style}>{''.join(cells)}</tr>")
        note = f'<p class="catatan">{esc(self.note)}</p>' if self.note else ""
        return (
            '<div class="audit" style="overflow-x:auto">'
            f'<table class="lkj kecil audit"><caption>{esc(self.title)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{note}</div>"
        )

    def _repr_html_(self) -> str:
        return self.to_html()


@dataclass(frozen=True)
class _Column:
    header: str
    key: str | Callable[[dict[str, Any]], Any]
    kind: str = "teks"  # teks, rp, pct, angka (as entered)


_FORMATTERS: dict[str, Callable[[Any], str]] = {
    "rp": _rp,
    "pct": _pct,
    "angka": _entered,
    "teks": lambda v: "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v),
}


def _display(
    frame: pd.DataFrame,
    columns: Sequence[_Column],
    title: str,
    note: str = "",
    emphasis: list[bool] | None = None,
) -> AuditTable:
    records = frame.to_dict("records")
    data = {
        c.header: [
            _FORMATTERS[c.kind](c.key(row) if callable(c.key) else row[c.key]) for row in records
        ]
        for c in columns
    }
    out = pd.DataFrame(data, columns=[c.header for c in columns])
    numeric = frozenset(c.header for c in columns if c.kind != "teks")
    return AuditTable(title, out, numeric, emphasis or [False] * len(out), note)


def _kategori(column: str) -> Callable[[dict[str, Any]], str]:
    return lambda r: r[column] if isinstance(r[column], str) and r[column] else "-"


def tabel_sumber(sources: pd.DataFrame) -> AuditTable:
    """The tables read by ingest (``lkj.data.sources.describe_sources``), headings in Indonesian.

    Args:
        sources: tabel, file, sheet, baris, sha256 (file names only, no folders).

    Returns:
        The display table.
    """
    return _display(
        sources,
        [
            _Column("Tabel", "tabel"),
            _Column("File", "file"),
            _Column("Sheet", "sheet"),
            _Column("Jumlah baris", "baris", "angka"),
            _Column("SHA-256", "sha256"),
        ],
        "Data mentah yang dibaca",
        "SHA-256 memastikan file yang diperiksa sama persis dengan yang dipakai laporan.",
    )


def tabel_sub_kegiatan_mentah(tables: dict[str, pd.DataFrame]) -> AuditTable:
    """The raw sub kegiatan rows as entered (sub_kegiatan.csv), with their column sums.

    Args:
        tables: the validated raw tables.

    Returns:
        The display table; the last line is the sum of anggaran and realisasi anggaran.
    """
    sub = tables["sub_kegiatan"]
    total = pd.DataFrame(
        [
            {
                "kode_sub_kegiatan": "Jumlah",
                "nama_sub_kegiatan": f"{len(sub)} sub kegiatan",
                "anggaran_rp": _sum(sub["anggaran_rp"]),
                "realisasi_anggaran_rp": _sum(sub["realisasi_anggaran_rp"]),
            }
        ]
    )
    frame = pd.concat([sub, total], ignore_index=True)
    return _display(
        frame,
        [
            _Column("Kode", "kode_sub_kegiatan"),
            _Column("Sub kegiatan", "nama_sub_kegiatan"),
            _Column("Kode kegiatan", lambda r: r.get("kode_kegiatan", "")),
            _Column("Satuan", lambda r: r.get("satuan", "")),
            _Column("Target fisik", "target_fisik", "angka"),
            _Column("Realisasi fisik", "realisasi_fisik", "angka"),
            _Column("Anggaran (Rp)", "anggaran_rp", "rp"),
            _Column("Realisasi anggaran (Rp)", "realisasi_anggaran_rp", "rp"),
        ],
        "Baris sub kegiatan seperti dimasukkan (sub_kegiatan.csv)",
        "Semua jumlah dalam laporan berasal dari baris-baris ini.",
        emphasis=[False] * len(sub) + [True],
    )


def tabel_indikator(res: Results, year: int) -> AuditTable:
    """Indicator capaian and predikat of the report year.

    Args:
        res: the computed tables.
        year: the report year.

    Returns:
        The display table.
    """
    ind = res.indikator[res.indikator["tahun"] == year]
    return _display(
        ind,
        [
            _Column("Kode sasaran", "kode_sasaran"),
            _Column("Kode indikator", "kode_indikator"),
            _Column("Indikator", "uraian_indikator"),
            _Column("Satuan", "satuan"),
            _Column("Polaritas", "polaritas"),
            _Column("Target", "target", "angka"),
            _Column("Realisasi", "realisasi", "angka"),
            _Column("Capaian (%)", "capaian_pct", "pct"),
            _Column("Predikat", _kategori("predikat_kode")),
            _Column("Keterangan", _kategori("predikat")),
            _Column("Target akhir Renstra", "target_akhir_renstra", "angka"),
            _Column("Capaian thd Renstra (%)", "capaian_renstra_pct", "pct"),
        ],
        f"Capaian indikator kinerja sasaran tahun {year}",
    )


def tabel_sub_kegiatan(res: Results) -> AuditTable:
    """Capaian fisik, serapan, categories, SILPA and efficiency of every sub kegiatan."""
    sub = res.sub_kegiatan
    return _display(
        sub,
        [
            _Column("Kode", "kode_sub_kegiatan"),
            _Column("Sub kegiatan", "nama_sub_kegiatan"),
            _Column("Target fisik", "target_fisik", "angka"),
            _Column("Realisasi fisik", "realisasi_fisik", "angka"),
            _Column("Capaian fisik (%)", "capaian_fisik_pct", "pct"),
            _Column("Kategori fisik", _kategori("kategori_fisik")),
            _Column("Anggaran (Rp)", "anggaran_rp", "rp"),
            _Column("Realisasi anggaran (Rp)", "realisasi_anggaran_rp", "rp"),
            _Column("Serapan (%)", "serapan_pct", "pct"),
            _Column("Kategori anggaran", _kategori("kategori_anggaran")),
            _Column("SILPA (Rp)", "silpa_rp", "rp"),
            _Column("Indeks efisiensi", "indeks_efisiensi", "pct"),
        ],
        "Capaian dan serapan anggaran per sub kegiatan",
    )


LEVELS = {
    "kegiatan": ("kode_kegiatan", "nama_kegiatan", "Kegiatan"),
    "program": ("kode_program", "nama_program", "Program"),
    "sasaran": ("kode_sasaran", "uraian_sasaran", "Sasaran"),
}


def tabel_agregat(res: Results, level: str) -> AuditTable:
    """The aggregated table of one level (kegiatan, program or sasaran) as computed.

    Args:
        res: the computed tables.
        level: "kegiatan", "program" or "sasaran".

    Returns:
        The display table.
    """
    key, name, noun = LEVELS[level]
    frame = getattr(res, level)
    return _display(
        frame,
        [
            _Column("Kode", key),
            _Column(noun, name),
            _Column("Jumlah sub kegiatan", "jumlah_sub_kegiatan", "angka"),
            _Column("Capaian fisik (%)", "capaian_fisik_pct", "pct"),
            _Column("Kategori fisik", _kategori("kategori_fisik")),
            _Column("Anggaran (Rp)", "anggaran_rp", "rp"),
            _Column("Realisasi anggaran (Rp)", "realisasi_anggaran_rp", "rp"),
            _Column("Serapan (%)", "serapan_pct", "pct"),
            _Column("Kategori anggaran", _kategori("kategori_anggaran")),
            _Column("SILPA (Rp)", "silpa_rp", "rp"),
        ],
        f"Capaian dan anggaran per {noun.lower()}",
    )


def tabel_anggaran(res: Results) -> list[AuditTable]:
    """The LRA by jenis belanja, belanja penunjang/langsung and the two totals compared."""
    budget = [
        _Column("Anggaran (Rp)", "anggaran_rp", "rp"),
        _Column("Realisasi (Rp)", "realisasi_rp", "rp"),
        _Column("Serapan (%)", "serapan_pct", "pct"),
        _Column("SILPA (Rp)", "silpa_rp", "rp"),
    ]
    sources = {"sub_kegiatan": "Rincian sub kegiatan (sub_kegiatan.csv)", "lra": "LRA (lra.csv)"}
    ringkasan = res.ringkasan.assign(
        sumber_teks=[sources.get(s, s) for s in res.ringkasan["sumber"]]
    )
    langsung = res.belanja_langsung.rename(columns={"realisasi_anggaran_rp": "realisasi_rp"})
    return [
        _display(
            res.lra,
            [
                _Column("Kelompok belanja", "kelompok_belanja"),
                _Column("Jenis belanja", "jenis_belanja"),
                *budget,
            ],
            "Laporan Realisasi Anggaran per jenis belanja",
        ),
        _display(
            langsung,
            [_Column("Uraian", "uraian"), *budget],
            "Belanja penunjang dan belanja langsung untuk sasaran",
        ),
        _display(
            ringkasan,
            [_Column("Sumber", "sumber_teks"), *budget],
            "Jumlah belanja menurut dua sumber",
        ),
    ]


# --------------------------------------------------------------------------- method text


def method_name(config: Config) -> str:
    """The aggregation method in effect (config/lkj.toml), in words."""
    return METHOD_TEXT[config.aggregation_method][0]


def _scale_lines(scale: Scale) -> list[str]:
    lines, previous = [], None
    for c in scale.categories:
        label = f"{c.code} {c.label}" if c.code else c.label
        if c.above is not None:
            rule = f"x > {_entered(c.above)}"
            if previous is not None:
                rule += f" dan x ≤ {_entered(previous)}"
        else:
            rule = f"x ≤ {_entered(previous)}" if previous is not None else "semua nilai"
        lines.append(f"{label}: {rule} (tertulis {c.interval})")
        previous = c.above
    return lines


def metode(config: Config) -> str:
    """HTML stating the methods and scales in effect, read from the configuration.

    Args:
        config: the configuration the report was computed with.

    Returns:
        An HTML fragment (every text escaped).
    """
    name, formula = METHOD_TEXT[config.aggregation_method]
    esc = html.escape
    items = [
        f"<p>Metode agregasi capaian fisik yang berlaku "
        f"(<code>agregasi.metode_capaian_fisik = "
        f"&quot;{esc(config.aggregation_method)}&quot;</code> di {esc(config.path.name)}): "
        f"<strong>{esc(name)}</strong>, yaitu {esc(formula)}. Sub kegiatan yang capaiannya "
        "tidak dapat dihitung (target 0) tidak ikut dirata-ratakan.</p>",
        f"<p>Efisiensi: {esc(config.efficiency_name)}.</p>",
    ]
    for scale in (config.realisasi, config.predikat):
        lines = "".join(f"<li>{esc(line)}</li>" for line in _scale_lines(scale))
        items.append(
            f"<p>{esc(scale.name)} ({esc(scale.basis)}), x = persentase:</p><ul>{lines}</ul>"
        )
    return "".join(items)


# --------------------------------------------------------------------------- walk-through


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
    records, emphasis = [], []
    for code, name, rows in _groups(tables, level):
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
            emphasis.append(False)
        agg = by_code.get(code)
        records.append(
            {
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
        )
        emphasis.append(True)
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
    frame = pd.DataFrame(records)
    title = (
        f"Rincian: sub kegiatan pembentuk setiap {noun.lower()}"
        if level != "total"
        else "Rincian: sub kegiatan pembentuk total anggaran dan realisasi"
    )
    display = _display(frame, columns, title)
    display.emphasis = emphasis
    if level == "total":
        display.note = (
            "Baris Jumlah = Σ kolom sub kegiatan; serapan = Σ realisasi / Σ anggaran × 100."
        )
    else:
        display.note = (
            f"Metode: {method_name(config)}. Baris tebal = angka {noun.lower()} dalam laporan; "
            "kolom Capaian × bobot pada baris tebal = jumlah kolom itu di atasnya sebelum "
            "pembulatan, dihitung ulang dari target dan realisasi fisik (capaian tiap sub "
            "kegiatan seperti tercetak, 2 desimal); harus sama dengan Capaian fisik."
        )
    return display


# --------------------------------------------------------------------------- checks


@dataclass(frozen=True)
class Check:
    """One recomputed reconciliation.

    Attributes:
        kelompok: INTERNAL (must hold), SOURCES (two sources compared) or STATED.
        uraian: what is compared, in Indonesian.
        diharapkan: the value recomputed from the raw rows (or the count expected).
        dihitung: the pipeline's value (or the count found).
        satuan: "rp" (rupiah) or "angka" (a count).
        status: LULUS, GAGAL or BEDA.
        keterangan: a note (e.g. the counts of a comparison).
    """

    kelompok: str
    uraian: str
    diharapkan: Decimal
    dihitung: Decimal
    satuan: str
    status: str
    keterangan: str = ""

    @property
    def selisih(self) -> Decimal:
        """dihitung − diharapkan."""
        return self.dihitung - self.diharapkan


def _check(
    kelompok: str,
    uraian: str,
    expected: Decimal,
    computed: Decimal,
    satuan: str = "rp",
    note: str = "",
) -> Check:
    if expected == computed:
        status = PASSED
    else:
        status = FAILED if kelompok == INTERNAL else DIFFERS
    return Check(kelompok, uraian, expected, computed, satuan, status, note)


def _penunjang(res: Results, column: str) -> Decimal:
    rows = res.belanja_langsung[
        res.belanja_langsung["uraian"].str.contains("penunjang", case=False, regex=False)
    ]
    if len(rows) != 1:
        raise ValueError("capaian_belanja_langsung: expected one row 'Belanja penunjang'")
    return _sum(rows[column])


def _recount_capaian(
    tables: dict[str, pd.DataFrame], res: Results, config: Config, level: str
) -> Check:
    key, _, noun = LEVELS[level]
    computed = {
        row[key]: to_decimal(row["capaian_fisik_pct"])
        for row in getattr(res, level).to_dict("records")
    }
    groups = _groups(tables, level)
    same = 0
    for code, _, rows in groups:
        mine = weighted_capaian(rows, config.aggregation_method)
        theirs = computed.get(code)
        if (mine is None and theirs is None) or (
            mine is not None and theirs is not None and round_half_up(mine) == round_half_up(theirs)
        ):
            same += 1
    return _check(
        INTERNAL,
        f"Capaian fisik setiap {noun.lower()} dihitung ulang ({method_name(config)}, 2 desimal): "
        f"jumlah {noun.lower()} yang sama",
        Decimal(len(groups)),
        Decimal(same),
        "angka",
    )


def reconcile(
    tables: dict[str, pd.DataFrame],
    res: Results,
    config: Config,
    kualitas: pd.DataFrame | None = None,
) -> list[Check]:
    """Recompute the reconciliations of the report from the raw rows.

    Expected values are summed (Decimal) from the raw rows of sub_kegiatan.csv and lra.csv;
    computed values are the pipeline's tables (kegiatan, program, sasaran, belanja langsung,
    ringkasan) that the report prints.

    Args:
        tables: the raw tables (sub_kegiatan, kegiatan, program, lra).
        res: the computed tables.
        config: the configuration (aggregation method).
        kualitas: ``lkj.analysis.kualitas.compare_stated`` of angka_tertulis, or None to leave it
        out.

    Returns:
        The checks, in the order they are shown.
    """
    sub = tables["sub_kegiatan"]
    total = res.ringkasan.set_index("sumber")
    checks = []
    for label, raw_col, res_col, total_col in (
        ("anggaran", "anggaran_rp", "anggaran_rp", "anggaran_rp"),
        ("realisasi anggaran", "realisasi_anggaran_rp", "realisasi_anggaran_rp", "realisasi_rp"),
    ):
        expected = _sum(sub[raw_col])
        base = f"Σ {label} {len(sub)} sub kegiatan (sub_kegiatan.csv)"
        checks += [
            _check(
                INTERNAL,
                f"{base} = Σ {label} tabel kegiatan",
                expected,
                _sum(res.kegiatan[res_col]),
            ),
            _check(
                INTERNAL, f"{base} = Σ {label} tabel program", expected, _sum(res.program[res_col])
            ),
            _check(
                INTERNAL,
                f"{base} = total {label} laporan",
                expected,
                _sum([total.loc["sub_kegiatan", total_col]]),
            ),
            _check(
                INTERNAL,
                f"{base} = Σ {label} tabel sasaran + belanja penunjang",
                expected,
                _sum(res.sasaran[res_col]) + _penunjang(res, res_col),
            ),
        ]
    checks.append(
        _check(
            INTERNAL,
            "Jumlah baris sub_kegiatan.csv = Σ jumlah sub kegiatan tabel program",
            Decimal(len(sub)),
            _sum(res.program["jumlah_sub_kegiatan"]),
            "angka",
        )
    )
    checks += [_recount_capaian(tables, res, config, level) for level in LEVELS]
    lra = tables["lra"]
    for label, lra_col, raw_col in (
        ("anggaran", "anggaran_rp", "anggaran_rp"),
        ("realisasi", "realisasi_rp", "realisasi_anggaran_rp"),
    ):
        expected, computed = _sum(sub[raw_col]), _sum(lra[lra_col])
        note = ""
        if computed != expected:
            side = "lebih kecil" if computed < expected else "lebih besar"
            note = (
                f"LRA {format_rp(abs(computed - expected))} {side} dari jumlah sub kegiatan; "
                "laporan memakai rincian sub kegiatan"
            )
        checks.append(
            _check(
                SOURCES,
                f"Σ {label} sub kegiatan = Σ {label} LRA per jenis belanja (lra.csv)",
                expected,
                computed,
                note=note,
            )
        )
    if kualitas is not None and len(kualitas):
        counts = stated_counts(kualitas)
        comparable = counts["sesuai"] + counts["berbeda"]
        checks.append(
            _check(
                STATED,
                "Angka yang dinyatakan dokumen sumber (angka_tertulis.csv) dan dapat "
                "dibandingkan = hasil perhitungan: jumlah yang sesuai",
                Decimal(comparable),
                Decimal(counts["sesuai"]),
                "angka",
                f"dari {len(kualitas)} angka tertulis: {counts['sesuai']} sesuai, "
                f"{counts['berbeda']} berbeda, {counts['tidak dapat dibandingkan']} tidak dapat "
                "dibandingkan",
            )
        )
    return checks


def stated(tables: dict[str, pd.DataFrame], res: Results, year: int) -> pd.DataFrame | None:
    """The stated figures of angka_tertulis compared with the computed ones.

    Args:
        tables: the raw tables (angka_tertulis and what it refers to).
        res: the computed tables.
        year: the report year.

    Returns:
        ``lkj.analysis.kualitas.compare_stated`` of the year, or None when nothing is stated.
    """
    figures = tables.get("angka_tertulis")
    if figures is None or figures.empty:
        return None
    return compare_stated(figures, res, tables, year)


def stated_counts(kualitas: pd.DataFrame) -> dict[str, int]:
    """Counts of stated figures by outcome: sesuai, berbeda, tidak dapat dibandingkan.

    Args:
        kualitas: ``lkj.analysis.kualitas.compare_stated`` output (column status).

    Returns:
        The three counts (they add up to the number of stated figures).
    """
    status = kualitas["status"]
    return {
        "sesuai": int((status == SAME).sum()),
        "berbeda": int((status == DIFFERENT).sum()),
        "tidak dapat dibandingkan": int((status == NOT_COMPARED).sum()),
    }


def checks_frame(checks: Sequence[Check]) -> pd.DataFrame:
    """The checks as plain data: one row each, values as Decimal."""
    return pd.DataFrame(
        [
            {
                "kelompok": c.kelompok,
                "uraian": c.uraian,
                "diharapkan": c.diharapkan,
                "dihitung": c.dihitung,
                "selisih": c.selisih,
                "satuan": c.satuan,
                "status": c.status,
                "keterangan": c.keterangan,
            }
            for c in checks
        ]
    )


def tabel_pemeriksaan(checks: Sequence[Check]) -> AuditTable:
    """The checks for reviewers: expected, computed, difference and status of each."""

    def amount(value: Decimal, satuan: str) -> str:
        return format_rp(value) if satuan == "rp" else format_angka(value)

    frame = pd.DataFrame(
        [
            {
                "No": str(i),
                "Jenis": c.kelompok,
                "Pemeriksaan": c.uraian,
                "Nilai acuan (dari data mentah)": amount(c.diharapkan, c.satuan),
                "Nilai yang diperiksa": amount(c.dihitung, c.satuan),
                "Selisih": amount(c.selisih, c.satuan),
                "Status": c.status,
                "Keterangan": c.keterangan,
            }
            for i, c in enumerate(checks, start=1)
        ]
    )
    numeric = frozenset({"No", "Nilai acuan (dari data mentah)", "Nilai yang diperiksa", "Selisih"})
    return AuditTable(
        "Pemeriksaan rekonsiliasi",
        frame,
        numeric,
        [False] * len(frame),
        "LULUS: sama; GAGAL: jumlah internal yang seharusnya sama tidak sama (kesalahan "
        "perhitungan); BEDA: dua sumber data tidak sama (temuan atas data, lihat Catatan "
        "Kualitas Data di laporan).",
    )


def tabel_angka_tertulis(kualitas: pd.DataFrame | None) -> AuditTable:
    """Stated figures of the source that differ from the computed ones.

    Args:
        kualitas: ``stated`` (None when the year states nothing).

    Returns:
        The display table, one row per difference.
    """
    if kualitas is None:
        kualitas = pd.DataFrame(
            columns=["sumber", "entitas", "kode", "ukuran", "nilai_tertulis", "dihitung", "status"]
        )
    diff = kualitas[kualitas["status"] == DIFFERENT]

    def computed(row: pd.Series) -> str:
        value = to_decimal(row["dihitung"])
        if value is None:
            return "-"
        decimals = max(int(row["desimal"]), 2) if str(row["ukuran"]).endswith("_pct") else 0
        if (
            not str(row["ukuran"]).endswith(("_pct", "_rp", "_terbilang"))
            and value != value.to_integral_value()
        ):
            decimals = 2
        return format_angka(value, decimals)

    return _display(
        diff,
        [
            _Column("Sumber", "sumber"),
            _Column("Entitas", "entitas"),
            _Column("Kode", "kode"),
            _Column("Ukuran", "ukuran"),
            _Column("Tertulis", "nilai_tertulis"),
            _Column("Hasil perhitungan", computed),
        ],
        f"Angka tertulis yang berbeda dari hasil perhitungan ({len(diff)} dari {len(kualitas)})",
    )
