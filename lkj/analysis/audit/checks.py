"""The reconciliations recomputed from the raw rows (``reconcile``), each with what was expected,
what the pipeline computed and a status: LULUS (equal), GAGAL (an internal total that must hold
does not: a defect of the pipeline) or BEDA (two sources disagree: a finding about the data,
shown with its amount, never hidden); and the stated figures (angka_tertulis) compared with the
computed ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from lkj.analysis.audit.display import LEVELS
from lkj.analysis.audit.method import method_name
from lkj.analysis.audit.numbers import _sum, round_half_up, to_decimal
from lkj.analysis.audit.rincian import _groups, weighted_capaian
from lkj.analysis.audit.table import DIFFERS, FAILED, PASSED, AuditTable, _Column, _display
from lkj.analysis.capaian import Results
from lkj.analysis.kualitas import DIFFERENT, NOT_COMPARED, SAME, compare_stated
from lkj.core.config import Config
from lkj.core.fmt import format_angka, format_rp

INTERNAL, SOURCES, STATED = "Rekonsiliasi internal", "Antar sumber", "Angka tertulis"


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
    checks = _sum_checks(sub, res)
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
    checks += _lra_checks(sub, tables["lra"])
    if kualitas is not None and len(kualitas):
        checks.append(_stated_check(kualitas))
    return checks


def _sum_checks(sub: pd.DataFrame, res: Results) -> list[Check]:
    """Σ anggaran and Σ realisasi of the raw sub kegiatan rows against the pipeline's tables."""
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
    return checks


def _lra_checks(sub: pd.DataFrame, lra: pd.DataFrame) -> list[Check]:
    """Σ anggaran and Σ realisasi of the sub kegiatan rows against the LRA (two sources)."""
    checks = []
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
    return checks


def _stated_check(kualitas: pd.DataFrame) -> Check:
    """The stated figures that can be compared against the computed ones: how many agree."""
    counts = stated_counts(kualitas)
    comparable = counts["sesuai"] + counts["berbeda"]
    return _check(
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
