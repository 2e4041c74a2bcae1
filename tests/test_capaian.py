"""Formulas of lkj.analysis.capaian, checked against values worked out by hand.

Every percentage is exact decimal arithmetic rounded half away from zero to 2 decimals (Excel's
ROUND); the expected values below are worked out by hand at that precision.
"""

import math
from decimal import Decimal

import pandas as pd
import pytest

from lkj.analysis.capaian import (
    add_realisasi_columns,
    categorize,
    compute_capaian,
    compute_serapan,
    efficiency_series,
    weighted_capaian,
)
from lkj.core.config import load_config


def test_positive_polarity_is_realisasi_over_target():
    assert compute_capaian(100, 100) == Decimal("100.00")
    # sub kegiatan 27 of the seed: 10 of 11 parties -> 90,909... -> 90,91
    assert compute_capaian(11, 10) == Decimal("90.91")
    # sub kegiatan 4: 10 of 30 pegawai -> 33,333... -> 33,33
    assert compute_capaian(30, 10) == Decimal("33.33")
    # above 100 is reported as it is
    assert compute_capaian(50, 60) == Decimal("120.00")


def test_rounding_is_excel_round_on_decimals():
    # 2,125 of 4 = 53,125 exactly -> 53,13 (half away from zero, not to even)
    assert compute_capaian(4, 2.125) == Decimal("53.13")
    # 0,103 of 4 = 2,575 exactly -> 2,58 (a binary float gives 2.5749999999999997 -> 2,57)
    assert 0.103 / 4 * 100 < 2.575
    assert compute_capaian(4, 0.103) == Decimal("2.58")
    # 66,667 of 80 = 83,33375 -> 83,33; 87,5 of 100 = 87,50
    assert compute_capaian(80, 66.667) == Decimal("83.33")
    assert compute_capaian(100, 87.5) == Decimal("87.50")


def test_negative_polarity_and_floor():
    # lower is better: target 10 conflicts, 5 happened -> (20 - 5) / 10 = 150 %
    assert compute_capaian(10, 5, "negatif") == Decimal("150.00")
    assert compute_capaian(10, 10, "negatif") == Decimal("100.00")
    # 25 conflicts against a target of 10 -> (20 - 25) / 10 < 0 -> floored at 0
    assert compute_capaian(10, 25, "negatif") == 0
    # (2 x 3 - 2,99) / 3 = 100,333... -> 100,33
    assert compute_capaian(3, 2.99, "negatif") == Decimal("100.33")


def test_zero_target_cannot_be_computed():
    assert compute_capaian(0, 5) is None
    assert compute_capaian(0, 0, "negatif") is None
    assert compute_serapan(0, 0) is None


def test_unknown_polarity_is_refused():
    with pytest.raises(ValueError, match="polaritas"):
        compute_capaian(1, 1, "netral")


def test_serapan_of_belanja_pegawai():
    # Tabel 3.9: 1.120.832.605 / 1.367.655.230 = 81,9528...% -> 81,95
    assert compute_serapan(1367655230, 1120832605) == Decimal("81.95")


def test_category_is_decided_on_the_printed_value():
    cfg = load_config()
    # 260,1 of 289 = 90,0000 (printed 90,00%): Tinggi, not Sangat Tinggi
    assert compute_capaian(289, 260.1) == Decimal("90.00")
    values = pd.Series([90.004, 90.005, 90.0, 75.004, 50.0049, 50.005])
    assert list(categorize(values, cfg.realisasi)) == [
        "Tinggi",  # 90,00
        "Sangat Tinggi",  # 90,01
        "Tinggi",
        "Sedang",  # 75,00
        "Sangat Rendah",  # 50,00
        "Rendah",  # 50,01
    ]
    assert list(categorize(pd.Series([80.004, 80.005]), cfg.predikat, "code")) == ["BB", "A"]


def test_silpa_share_is_computed_from_the_amounts():
    cfg = load_config()
    # anggaran 3, realisasi 1: serapan 33,33; SILPA 2 -> 66,67 (not 100 - 33,33 = 66,67 by luck:
    # check a case where the complement differs): anggaran 8, realisasi 3.00005 is not rupiah,
    # so use anggaran 2000, realisasi 1333: serapan 66,65; SILPA 667 -> 33,35
    frame = pd.DataFrame({"a": [3, 2000, 0], "r": [1, 1333, 0]})
    out = add_realisasi_columns(frame, cfg, "a", "r")
    assert list(out["serapan_pct"][:2]) == [33.33, 66.65]
    assert list(out["silpa_rp"]) == [2, 667, 0]
    assert list(out["silpa_pct"][:2]) == [66.67, 33.35]
    assert math.isnan(out["serapan_pct"][2]) and math.isnan(out["silpa_pct"][2])
    assert out["kategori_anggaran"][2] == ""


def test_efficiency_index_from_printed_percentages():
    # 90,91 / 98,50 = 0,92295... -> 0,92; serapan 0 -> not computable
    out = efficiency_series(pd.Series([90.91, 100.0]), pd.Series([98.5, 0.0]))
    assert out[0] == 0.92
    assert math.isnan(out[1])


def test_budget_weighted_mean_reproduces_seed_program_figure():
    # Program 03 (partai politik): sub kegiatan 27, 28, 29, capaian as printed 90,91; 100; 100.
    # By hand: 100 - 9,09 x 923.865.000 / 1.080.843.100 = 100 - 7,76982 = 92,23 (the seed's)
    capaian = pd.Series([90.91, 100.0, 100.0])
    anggaran = pd.Series([923865000, 26639900, 130338200])
    assert weighted_capaian(capaian, anggaran, "tertimbang_anggaran") == 92.23
    # plain mean of the same: (90,91 + 100 + 100) / 3 = 96,97
    assert weighted_capaian(capaian, anggaran, "rata_rata") == 96.97


def test_weighted_mean_skips_not_computable_and_zero_budgets():
    capaian = pd.Series([float("nan"), 50.0, 100.0])
    anggaran = pd.Series([1000, 1, 3])
    # NaN left out: (50 x 1 + 100 x 3) / 4 = 87,5
    assert weighted_capaian(capaian, anggaran, "tertimbang_anggaran") == 87.5
    # all weights zero: plain mean of the computable ones
    assert weighted_capaian(capaian, pd.Series([0, 0, 0]), "tertimbang_anggaran") == 75
    assert math.isnan(weighted_capaian(pd.Series([float("nan")]), pd.Series([1]), "rata_rata"))
