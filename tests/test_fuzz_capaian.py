"""Property-based tests of the computations (lkj.analysis.capaian) and of the report text built on
them.

Random budget hierarchies (programs with and without sasaran, kegiatan, sub kegiatan), random
non-negative targets, realisasi and budgets within the contract's bounds, with zeros made
likely: a capaian is missing only where its target is 0, a serapan only where its budget is 0
(and the report then says "tidak dapat dihitung"); every other figure is finite; every sum is
the exact integer sum; every category is one of the configured labels; an aggregated capaian
lies between the smallest and the largest capaian it aggregates. The rendered report never
shows nan, inf or None.
"""

from __future__ import annotations

import inspect
import json
import math
import re
import tempfile
from fractions import Fraction
from pathlib import Path

import fuzz_helpers as fz
import numpy as np
import pandas as pd
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from lkj.analysis.capaian import (
    compute_capaian,
    compute_results,
    compute_serapan,
    efficiency_series,
    weighted_capaian,
)
from lkj.core.config import load_config
from lkj.data.processed import read_processed_tables, write_tables
from lkj.document import laporan
from lkj.render import laporan_html

CONFIG = load_config()
REAL_LABELS = set(CONFIG.realisasi.labels)
PRED_LABELS = set(CONFIG.predikat.labels)
BASE_RAW = fz.read_rows(fz.rows_copy()).raw.tables
SASARAN = list(BASE_RAW["sasaran"]["kode_sasaran"])
INDIKATOR = list(BASE_RAW["indikator"]["kode_indikator"])
MAX = 10**15

# zero likely; otherwise whole numbers, decimals with up to 2 places, or large values
AMOUNT = st.one_of(
    st.just(0),
    st.integers(0, 100),
    st.integers(0, 10**6).map(lambda n: n / 100),
    st.integers(0, MAX),
)
RUPIAH = st.one_of(st.just(0), st.integers(0, 10**7), st.integers(0, 10**13))


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _excel_round(x: Fraction, places: int = 2) -> Fraction:
    """Excel's ROUND on an exact rational: half away from zero (the oracle)."""
    scale = 10**places
    magnitude = math.floor(abs(x) * scale + Fraction(1, 2))
    return Fraction(magnitude if x >= 0 else -magnitude, scale)


def _exact(value: float) -> Fraction:
    """The decimal a drawn value stands for (AMOUNT draws have at most 15 significant digits)."""
    return Fraction(repr(float(value))) if isinstance(value, float) else Fraction(value)


@given(target=AMOUNT, realisasi=AMOUNT, polaritas=st.sampled_from(["positif", "negatif"]))
def test_capaian_is_exact_none_only_for_a_zero_target(target, realisasi, polaritas):
    fz.count_case("capaian: one capaian / serapan")
    got = compute_capaian(target, realisasi, polaritas)
    if target == 0:
        assert got is None
        assert compute_serapan(target, realisasi) is None
        return
    t, r = _exact(target), _exact(realisasi)
    exact = r / t * 100 if polaritas == "positif" else max(Fraction(0), (2 * t - r) / t * 100)
    # exact decimal arithmetic, rounded half away from zero to 2 decimals
    assert got is not None and got >= 0
    assert Fraction(got) == _excel_round(exact)
    assert Fraction(compute_serapan(target, realisasi)) == _excel_round(r / t * 100)


@given(
    capaian=st.lists(st.one_of(st.just(float("nan")), AMOUNT), min_size=1, max_size=8),
    weights=st.lists(RUPIAH, min_size=8, max_size=8),
    method=st.sampled_from(["tertimbang_anggaran", "rata_rata"]),
)
def test_aggregated_capaian_lies_between_its_parts(capaian, weights, method):
    fz.count_case("capaian: weighted mean")
    c = pd.Series(capaian, dtype=float)
    w = pd.Series(weights[: len(capaian)])
    got = weighted_capaian(c, w, method)
    known = c.dropna()
    if known.empty:
        assert math.isnan(got)
        return
    assert math.isfinite(got)
    # rounded to 2 decimals: between the parts, up to the rounding of the mean (0,005)
    assert known.min() - 0.005 <= got <= known.max() + 0.005


class Tables(dict):
    """The tables of a case; shown by hypothesis as the parts that were drawn."""

    def __repr__(self) -> str:
        drawn = ("program", "kegiatan", "sub_kegiatan", "lra", "kinerja_indikator", "indikator")
        return "\n".join(f"{n}:\n{self[n].to_csv(index=False)}" for n in drawn)


@st.composite
def hierarchies(draw) -> dict[str, pd.DataFrame]:
    """The 2022 tables with random programs, kegiatan, sub kegiatan, LRA and kinerja."""
    tables = Tables({k: v.copy() for k, v in BASE_RAW.items()})
    programs, kegiatan, subs = [], [], []
    for p in range(draw(st.integers(1, 4))):
        code = f"P{p}"
        programs.append(
            {
                "kode_program": code,
                "nama_program": f"Program {p}",
                "kode_sasaran": draw(st.sampled_from(["", *SASARAN])),
            }
        )
        for k in range(draw(st.integers(0, 3))):
            kcode = f"{code}.{k}"
            kegiatan.append(
                {"kode_kegiatan": kcode, "kode_program": code, "nama_kegiatan": f"Kegiatan {kcode}"}
            )
            for s in range(draw(st.integers(0 if subs else 1, 3))):
                anggaran = draw(RUPIAH)
                spent = draw(st.one_of(st.just(0), st.just(anggaran), RUPIAH))
                subs.append(
                    {
                        "kode_sub_kegiatan": f"{kcode}.{s}",
                        "kode_kegiatan": kcode,
                        "no_seed": len(subs) + 1,
                        "nama_sub_kegiatan": f"Sub kegiatan {kcode}.{s}",
                        "unit_kerja": "Sekretariat",
                        "kelompok_sasaran": "",
                        "satuan": "",
                        "target_fisik": float(draw(AMOUNT)),
                        "realisasi_fisik": float(draw(AMOUNT)),
                        "anggaran_rp": anggaran,
                        "realisasi_anggaran_rp": spent,
                    }
                )
    if not subs:  # at least one sub kegiatan: the table is required
        kegiatan.append(
            {"kode_kegiatan": "P0.x", "kode_program": "P0", "nama_kegiatan": "Kegiatan P0.x"}
        )
        subs.append(
            {
                "kode_sub_kegiatan": "P0.x.0",
                "kode_kegiatan": "P0.x",
                "no_seed": 1,
                "nama_sub_kegiatan": "Sub kegiatan P0.x.0",
                "unit_kerja": "Sekretariat",
                "kelompok_sasaran": "",
                "satuan": "",
                "target_fisik": float(draw(AMOUNT)),
                "realisasi_fisik": float(draw(AMOUNT)),
                "anggaran_rp": draw(RUPIAH),
                "realisasi_anggaran_rp": draw(RUPIAH),
            }
        )
    sub = pd.DataFrame(subs)
    for col in ("no_seed", "anggaran_rp", "realisasi_anggaran_rp"):
        sub[col] = sub[col].astype("Int64")
    tables["program"] = pd.DataFrame(programs)
    tables["kegiatan"] = pd.DataFrame(kegiatan)
    tables["sub_kegiatan"] = sub[list(BASE_RAW["sub_kegiatan"].columns)]
    lra = tables["lra"].copy()
    lra["anggaran_rp"] = pd.array([draw(RUPIAH) for _ in range(len(lra))], dtype="Int64")
    lra["realisasi_rp"] = pd.array([draw(RUPIAH) for _ in range(len(lra))], dtype="Int64")
    tables["lra"] = lra
    kin = tables["kinerja_indikator"].copy()
    kin["target"] = [float(draw(AMOUNT)) for _ in range(len(kin))]
    kin["realisasi"] = [float(draw(AMOUNT)) for _ in range(len(kin))]
    tables["kinerja_indikator"] = kin
    ind = tables["indikator"].copy()
    ind["polaritas"] = [draw(st.sampled_from(["positif", "negatif"])) for _ in range(len(ind))]
    ind["target_akhir_renstra"] = [float(draw(AMOUNT)) for _ in range(len(ind))]
    tables["indikator"] = ind
    return tables


@st.composite
def numbers_2022(draw) -> dict[str, pd.DataFrame]:
    """The 2022 tables (codes, names, narratives as they are) with random figures."""
    tables = Tables({k: v.copy() for k, v in BASE_RAW.items()})
    sub = tables["sub_kegiatan"]
    n = len(sub)
    for col in ("target_fisik", "realisasi_fisik"):
        sub[col] = [float(draw(AMOUNT)) for _ in range(n)]
    budgets = [draw(RUPIAH) for _ in range(n)]
    spent = [draw(st.one_of(st.just(0), st.just(b), RUPIAH)) for b in budgets]
    sub["anggaran_rp"] = pd.array(budgets, dtype="Int64")
    sub["realisasi_anggaran_rp"] = pd.array(spent, dtype="Int64")
    lra = tables["lra"]
    lra["anggaran_rp"] = pd.array([draw(RUPIAH) for _ in range(len(lra))], dtype="Int64")
    lra["realisasi_rp"] = pd.array([draw(RUPIAH) for _ in range(len(lra))], dtype="Int64")
    kin = tables["kinerja_indikator"]
    kin["target"] = [float(draw(AMOUNT)) for _ in range(len(kin))]
    kin["realisasi"] = [float(draw(AMOUNT)) for _ in range(len(kin))]
    ind = tables["indikator"]
    ind["polaritas"] = [draw(st.sampled_from(["positif", "negatif"])) for _ in range(len(ind))]
    return tables


def _finite_or_nan_where(values: pd.Series, missing: pd.Series) -> None:
    v = values.astype(float)
    assert list(v.isna()) == [bool(m) for m in missing], (list(v), list(missing))
    assert np.isfinite(v[~v.isna()]).all()


def _labels(cats: pd.Series, values: pd.Series, labels: set[str]) -> None:
    for cat, value in zip(cats, values.astype(float), strict=True):
        assert (cat == "") if math.isnan(value) else (cat in labels), (cat, value)


@given(tables=hierarchies())
@settings(max_examples=max(10, settings.default.max_examples // 2))
def test_results_are_exact_finite_and_categorised(tables):
    fz.count_case("capaian: compute_results on random hierarchies")
    res = compute_results(tables, fz.YEAR, CONFIG)
    sub = res.sub_kegiatan
    _finite_or_nan_where(sub["capaian_fisik_pct"], sub["target_fisik"] == 0)
    _finite_or_nan_where(sub["serapan_pct"], sub["anggaran_rp"] == 0)
    no_index = sub["capaian_fisik_pct"].isna() | sub["serapan_pct"].isna()
    _finite_or_nan_where(sub["indeks_efisiensi"], no_index | (sub["serapan_pct"] == 0))
    _labels(sub["kategori_fisik"], sub["capaian_fisik_pct"], REAL_LABELS)
    _labels(sub["kategori_anggaran"], sub["serapan_pct"], REAL_LABELS)
    assert (sub["silpa_rp"] == sub["anggaran_rp"] - sub["realisasi_anggaran_rp"]).all()

    subs = (
        tables["sub_kegiatan"]
        .merge(tables["kegiatan"], on="kode_kegiatan")
        .merge(tables["program"], on="kode_program")
    )
    subs = subs.assign(capaian=list(sub["capaian_fisik_pct"]))
    for level, key in (
        (res.kegiatan, "kode_kegiatan"),
        (res.program, "kode_program"),
        (res.sasaran, "kode_sasaran"),
    ):
        part = subs[subs[key] != ""]
        assert sorted(level[key]) == sorted(part[key].unique())
        for row in level.itertuples():
            group = part[part[key] == getattr(row, key)]
            # exact integer sums (Python ints, no float rounding)
            assert int(row.anggaran_rp) == sum(int(v) for v in group["anggaran_rp"])
            assert int(row.realisasi_anggaran_rp) == sum(
                int(v) for v in group["realisasi_anggaran_rp"]
            )
            known = group["capaian"].dropna()
            if known.empty:
                assert math.isnan(row.capaian_fisik_pct)
            else:
                assert known.min() - 1e-6 <= row.capaian_fisik_pct <= known.max() * (1 + 1e-12)
        _finite_or_nan_where(level["serapan_pct"], level["anggaran_rp"] == 0)
        _labels(level["kategori_fisik"], level["capaian_fisik_pct"], REAL_LABELS)
        _labels(level["kategori_anggaran"], level["serapan_pct"], REAL_LABELS)

    total = sum(int(v) for v in tables["sub_kegiatan"]["anggaran_rp"])
    ring = res.ringkasan.set_index("sumber")
    assert int(ring.at["sub_kegiatan", "anggaran_rp"]) == total
    assert int(ring.at["lra", "anggaran_rp"]) == sum(int(v) for v in tables["lra"]["anggaran_rp"])
    assert int(res.belanja_langsung["anggaran_rp"].sum()) == total

    ind = res.indikator
    _finite_or_nan_where(ind["capaian_pct"], ind["target"] == 0)
    _labels(ind["predikat"], ind["capaian_pct"], PRED_LABELS)
    assert (ind["capaian_pct"].dropna() >= 0).all()


@given(
    capaian=st.lists(st.one_of(st.just(float("nan")), AMOUNT), min_size=1, max_size=6),
    serapan=st.lists(st.one_of(st.just(float("nan")), AMOUNT), min_size=6, max_size=6),
)
def test_efficiency_index_is_finite_or_not_computable(capaian, serapan):
    fz.count_case("capaian: indeks efisiensi")
    c = pd.Series(capaian, dtype=float)
    s = pd.Series(serapan[: len(capaian)], dtype=float)
    got = efficiency_series(c, s)
    for value, ci, si in zip(got, c, s, strict=True):
        if math.isnan(ci) or math.isnan(si) or si == 0:
            assert math.isnan(value)
        else:  # the ratio of the two percentages, rounded half away from zero
            assert value == float(_excel_round(_exact(ci) / _exact(si)))


# ----- the report text built from such results: never nan, inf or None

REPORT_NOTEBOOK = fz.ROOT / "notebooks" / "04_laporan.ipynb"
LEAK = re.compile(r"\b(nan|NaN|inf|Infinity|None|NaT)\b|<NA>|∞")


def _report_parts() -> list[str]:
    """The sections the report notebook displays, in its order."""
    cells = json.loads(REPORT_NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    return list(dict.fromkeys(re.findall(r"display\(HTML\(laporan_html\.(\w+)\(", code)))


# every figure file name the package mentions (grafik_*, bagan_*)
FIGURE_STEMS = sorted(
    set(
        re.findall(
            r"(?:grafik|bagan)_[a-z0-9_]+",
            "".join(p.read_text(encoding="utf-8") for p in (fz.ROOT / "lkj").rglob("*.py")),
        )
    )
    | set(getattr(laporan, "FIGURES", {}))
)
PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e5270de40000000049454e44ae426082"
)


@given(tables=numbers_2022())
@settings(max_examples=max(3, settings.default.max_examples // 20))
def test_report_text_never_shows_nan_or_inf(tables):
    fz.count_case("report: sections rendered from random results")
    res = compute_results(tables, fz.YEAR, CONFIG)
    with tempfile.TemporaryDirectory(prefix="lkj-fuzz-report-") as tmp:
        processed, out = Path(tmp) / "processed", Path(tmp) / "out"
        write_tables(tables, processed)  # the same round trip as the notebooks
        write_tables(res.tables(), processed)
        (out / "figures").mkdir(parents=True)
        for stem in FIGURE_STEMS:  # placeholders: the figures themselves are not under test
            (out / "figures" / f"{stem}.png").write_bytes(PNG_1X1)
        assert read_processed_tables(processed)  # readable back
        d = laporan.load_report_data(fz.YEAR, processed, out, CONFIG.path)
        html = []
        assert _report_parts() == list(laporan.PARTS)  # every part, in the report's order
        for name in _report_parts():
            fn = getattr(laporan_html, name)
            html.append(str(fn(d) if inspect.signature(fn).parameters else fn()))
    text = BeautifulSoup("\n".join(html), "html.parser").get_text(" ")
    leak = LEAK.search(text)
    assert leak is None, text[max(0, leak.start() - 200) : leak.end() + 100]
    # "tidak dapat dihitung" exactly where a capaian (target 0) or a serapan (budget 0) is missing
    sub = res.sub_kegiatan
    missing = bool((sub["target_fisik"] == 0).any() or (sub["anggaran_rp"] == 0).any())
    assert ("tidak dapat dihitung" in text) == missing
